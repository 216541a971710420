package directory

import (
	"context"
	"strings"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/registry"
	"github.com/rounds-health/rounds/internal/taxonomy"
)

// SeedFromRegistry creates an unpublished profile for every active
// individual in the imported NPPES registry that has none yet, with the
// registry's name, specialties (those in the vocabulary) and practice
// place. Seeded profiles stay unpublished and unverified until the
// clinician claims them by saving a profile with the same NPI. It returns
// how many profiles it created; limit 0 means all.
func (s *Service) SeedFromRegistry(ctx context.Context, actor account.Actor, limit int) (int, error) {
	if actor.User != nil && !actor.User.IsAdmin() {
		return 0, errs.Forbidden("Only the operator can seed profiles from the registry.")
	}
	created, after := 0, ""
	for limit == 0 || created < limit {
		ps, err := s.registry.Providers(ctx, after, registry.MaxPage)
		if err != nil {
			return created, err
		}
		if len(ps) == 0 {
			break
		}
		after = ps[len(ps)-1].NPI
		var batch []*Clinician
		for _, p := range ps {
			if p.EntityType != registry.Individual || p.Deactivated() || (limit > 0 && created+len(batch) >= limit) {
				continue
			}
			existing, err := s.st.clinicianBy(ctx, "npi", p.NPI)
			if err != nil {
				return created, internal(err, "look up npi")
			}
			if existing == nil {
				batch = append(batch, s.fromRegistry(p))
			}
		}
		if err := s.BulkLoad(ctx, actor, batch, 1000); err != nil {
			return created, err
		}
		created += len(batch)
	}
	return created, nil
}

// fromRegistry turns a registry record into an unpublished profile.
func (s *Service) fromRegistry(p *registry.Provider) *Clinician {
	c := &Clinician{FirstName: titleCase(p.FirstName), LastName: titleCase(p.LastName), NPI: p.NPI, Status: Unverified}
	var creds []string
	for _, cr := range credentialList(p.Credential) {
		if containsString(knownCredentials, cr) {
			creds = append(creds, cr)
		}
	}
	c.Credentials = strings.Join(creds, ", ")
	for _, t := range p.Taxonomies {
		if _, ok := taxonomy.ByCode(t.Code); ok && len(c.Specialties) < maxSpecialties {
			c.Specialties = append(c.Specialties, Specialty{Code: t.Code, Primary: t.Primary})
		}
	}
	zip := p.Location.PostalCode
	if len(zip) > 5 {
		zip = zip[:5]
	}
	for _, q := range []string{zip, p.Location.City + ", " + p.Location.State} {
		if pl, ok := s.places.Lookup(q); ok {
			c.Locations = []Location{{Street: titleCase(p.Location.Line1), City: titleCase(p.Location.City), State: p.Location.State,
				PostalCode: zip, Phone: p.Location.Phone, Point: pl.Point}}
			break
		}
	}
	return c
}

func containsString(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// titleCase turns the registry's capitals ("O'BRIEN-SMITH") into a name.
func titleCase(s string) string {
	b := []byte(strings.ToLower(s))
	up := true
	for i, c := range b {
		if up && c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
		up = c == ' ' || c == '-' || c == '\''
	}
	return string(b)
}
