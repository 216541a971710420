package directory

import (
	"context"
	"slices"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/input"
)

// Presence is what an account has already made public in the directory:
// the organizations it speaks for and the words that identify them. The
// compliance guard lets an author repeat these (a clinic's own phone number
// and address, a clinician's own name) without calling them disclosures.
type Presence struct {
	Orgs  []OrgRef // staff of, or confirmed affiliation, by name
	Terms []string // names, addresses, phone numbers, web sites
}

// OrgRef names an organization, with its compliance policy.
type OrgRef struct {
	ID     int64
	Slug   string
	Name   string
	Policy Policy
}

// PresenceOf collects u's public presence. It reads only published facts
// (no licence numbers, nothing pending).
func (s *Service) PresenceOf(ctx context.Context, u *account.User) (Presence, error) {
	var p Presence
	// Names come from name fields only, stripped of anything that is not a
	// word (a display name carrying a phone number allows no phone number).
	p.Terms = append(p.Terms, input.NameWords(u.DisplayName), u.Username)
	orgs, _, err := s.st.orgsOf(ctx, u.ID)
	if err != nil {
		return p, internal(err, "load organizations")
	}
	c, err := s.st.clinicianBy(ctx, "user_id", u.ID)
	if err != nil {
		return p, internal(err, "load profile")
	}
	if c != nil {
		full, err := s.complete(ctx, c, false)
		if err != nil {
			return p, err
		}
		p.Terms = append(p.Terms, input.NameWords(full.FirstName), input.NameWords(full.LastName), input.NameWords(full.FirstName+" "+full.LastName))
		if full.Published {
			p.Terms = append(p.Terms, locationTerms(full.Locations)...) // only what the public directory shows
		}
		for _, a := range full.Affiliations {
			o, err := s.st.orgBy(ctx, "id", a.OrgID)
			if err != nil {
				return p, internal(err, "load organization")
			}
			if o != nil {
				orgs = append(orgs, o)
			}
		}
	}
	for _, o := range orgs {
		if slices.ContainsFunc(p.Orgs, func(r OrgRef) bool { return r.ID == o.ID }) {
			continue
		}
		pol, err := s.OrgPolicy(ctx, o.ID)
		if err != nil {
			return p, err
		}
		p.Orgs = append(p.Orgs, OrgRef{ID: o.ID, Slug: o.Slug, Name: o.Name, Policy: pol})
		if !o.Published {
			continue // an unlisted organization's details are not public facts
		}
		p.Terms = append(p.Terms, input.NameWords(o.Name), o.Phone, o.Website)
		ls, err := s.st.orgLocations(ctx, o.ID)
		if err != nil {
			return p, internal(err, "load locations")
		}
		p.Terms = append(p.Terms, locationTerms(ls)...)
	}
	p.Terms = slices.DeleteFunc(p.Terms, func(t string) bool { return t == "" })
	return p, nil
}

func locationTerms(ls []Location) []string {
	var out []string
	for _, l := range ls {
		out = append(out, l.Name, l.Street, l.City, l.PostalCode, l.Phone, l.Address())
	}
	return out
}

// IsComplianceOfficer reports whether userID is a compliance officer of
// the organization: the only people who may release what the guard held.
func (s *Service) IsComplianceOfficer(ctx context.Context, orgID, userID int64) (bool, error) {
	role, err := s.st.memberRole(ctx, orgID, userID)
	if err != nil {
		return false, internal(err, "load membership")
	}
	return role == Compliance, nil
}
