package directory

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/audit"
	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/input"
	"github.com/rounds-health/rounds/internal/registry"
	"github.com/rounds-health/rounds/internal/store"
	"github.com/rounds-health/rounds/internal/taxonomy"
)

// ProfileInput is a clinician's profile as they type it.
type ProfileInput struct {
	FirstName, LastName, Credentials string
	Bio, PhotoURL                    string
	NPI                              string
	Specialties                      []string // NUCC codes; the first is the primary one
	Languages                        []string // codes or names
	Conditions                       []string // conditions and treatments, in plain words
	AcceptingNew, Published          bool
	LicenseState, LicenseNumber      string
	Locations                        []LocationInput
	OrgLocationIDs                   []int64 // practice at these organization locations
}

const (
	maxSpecialties = 5
	maxConditions  = 20
	maxLocations   = 10
)

// validate checks everything that does not need the database.
func (s *Service) validateProfile(in *ProfileInput) ([]Location, error) {
	in.FirstName, in.LastName = strings.TrimSpace(in.FirstName), strings.TrimSpace(in.LastName)
	in.Credentials, in.Bio = strings.TrimSpace(in.Credentials), strings.TrimSpace(in.Bio)
	in.NPI, in.PhotoURL = strings.TrimSpace(in.NPI), strings.TrimSpace(in.PhotoURL)
	in.LicenseState = strings.ToUpper(strings.TrimSpace(in.LicenseState))
	in.LicenseNumber = strings.ToUpper(strings.TrimSpace(in.LicenseNumber))
	var fs []errs.FieldError
	add := func(field, msg string) { fs = append(fs, errs.FieldError{Field: field, Message: msg}) }
	for field, v := range map[string]string{"first_name": in.FirstName, "last_name": in.LastName, "credentials": in.Credentials,
		"bio": in.Bio, "photo_url": in.PhotoURL, "npi": in.NPI, "license_number": in.LicenseNumber} {
		if m := input.Problem(v); m != "" {
			add(field, m)
		}
	}
	for _, c := range in.Conditions {
		if m := input.Problem(c); m != "" {
			add("conditions", m)
			break
		}
	}
	if len(fs) > 0 {
		return nil, errs.Fields(fs...)
	}
	if in.FirstName == "" {
		add("first_name", "Give your first name as patients should read it.")
	}
	if in.LastName == "" {
		add("last_name", "Give your last name.")
	}
	checkLen(&fs, "first_name", in.FirstName, 60, "The first name")
	checkLen(&fs, "last_name", in.LastName, 60, "The last name")
	checkLen(&fs, "bio", in.Bio, 4000, "The bio")
	checkURL(&fs, "photo_url", in.PhotoURL)
	for _, c := range credentialList(in.Credentials) {
		if !slices.Contains(knownCredentials, c) {
			add("credentials", fmt.Sprintf("Unknown credential %q; use abbreviations such as MD, DO, NP, PA-C, RN, separated by commas.", c))
			break
		}
	}
	in.Credentials = strings.Join(credentialList(in.Credentials), ", ")
	if in.NPI != "" {
		if err := registry.ValidateNPI(in.NPI); err != nil {
			add("npi", errs.FieldMessage(err, "npi"))
		}
	}
	in.Specialties = dedupe(in.Specialties)
	switch {
	case len(in.Specialties) > maxSpecialties:
		add("specialties", fmt.Sprintf("List at most %d specialties.", maxSpecialties))
	case len(in.Specialties) > 0:
		if err := taxonomy.Validate(in.Specialties...); err != nil {
			add("specialties", errs.FieldMessage(err, "specialties"))
		}
	}
	var langs []string
	for _, l := range in.Languages {
		if strings.TrimSpace(l) == "" {
			continue
		}
		lang, ok := parseLanguage(l)
		if !ok {
			add("languages", fmt.Sprintf("Unknown language %q; choose from the list.", l))
			break
		}
		langs = append(langs, lang.Code)
	}
	in.Languages = dedupe(langs)
	var conds []string
	for _, c := range in.Conditions {
		if c = strings.TrimSpace(c); c != "" {
			if utf8.RuneCountInString(c) > 60 {
				add("conditions", "Each condition or treatment is at most 60 characters.")
				break
			}
			conds = append(conds, c)
		}
	}
	in.Conditions = dedupe(conds)
	if len(in.Conditions) > maxConditions {
		add("conditions", fmt.Sprintf("List at most %d conditions and treatments.", maxConditions))
	}
	if in.LicenseState != "" && !statePattern.MatchString(in.LicenseState) {
		add("license_state", "Use the two-letter code of the state that issued your license, like MA.")
	}
	if in.LicenseNumber != "" && (len(in.LicenseNumber) > 30 || strings.ContainsAny(in.LicenseNumber, "<>\"'")) {
		add("license_number", "Enter the license number as the state board shows it (at most 30 characters).")
	}
	if len(in.Locations)+len(in.OrgLocationIDs) > maxLocations {
		add("locations", fmt.Sprintf("List at most %d practice locations.", maxLocations))
	}
	var locs []Location
	for i, li := range in.Locations {
		if li == (LocationInput{}) {
			continue
		}
		l, lfs := s.location(li, fmt.Sprintf("locations[%d].", i))
		fs = append(fs, lfs...)
		locs = append(locs, l)
	}
	return locs, errs.Fields(fs...)
}

func sameSpecialties(have []Specialty, want []string) bool {
	if len(have) != len(want) {
		return false
	}
	for i, s := range have {
		if s.Code != want[i] {
			return false
		}
	}
	return true
}

func dedupe(xs []string) []string {
	var out []string
	for _, x := range xs {
		if x = strings.TrimSpace(x); x != "" && !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// SaveProfile creates or updates the actor's clinician profile. Entering an
// NPI whose profile was seeded from the registry claims that profile.
// Changing the name, NPI or license of a verified profile withdraws the
// verification: the badge must always describe what is shown.
func (s *Service) SaveProfile(ctx context.Context, actor account.Actor, in ProfileInput) (*Clinician, error) {
	if actor.User == nil || actor.User.Role != account.Clinician {
		return nil, errs.Forbidden("Only clinician accounts have a clinician profile.")
	}
	locs, err := s.validateProfile(&in)
	if err != nil {
		return nil, err
	}
	if err := s.checkProfileText(ctx, actor.User, in); err != nil {
		return nil, err
	}
	var saved *Clinician
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		c, err := s.profileForSave(ctx, actor.User, in.NPI)
		if err != nil {
			return err
		}
		for _, lid := range in.OrgLocationIDs {
			ol, err := s.st.orgLocation(ctx, lid)
			if err != nil {
				return err
			}
			if ol == nil {
				return errs.Invalid("locations", "One of the chosen organization locations no longer exists.")
			}
			if c.ID == 0 || !s.confirmedWith(ctx, c.ID, ol.OrgID) {
				return errs.Invalid("locations", "You can practice at an organization's location once the organization has confirmed your affiliation.")
			}
			ol.OrgLocationID = ol.ID
			locs = append(locs, *ol)
		}
		identityChanged := c.NPI != in.NPI || c.FirstName != in.FirstName || c.LastName != in.LastName ||
			c.LicenseState != in.LicenseState || c.LicenseNumber != in.LicenseNumber || c.Credentials != in.Credentials ||
			!sameSpecialties(c.Specialties, in.Specialties)
		c.FirstName, c.LastName, c.Credentials, c.Bio, c.PhotoURL = in.FirstName, in.LastName, in.Credentials, in.Bio, in.PhotoURL
		c.NPI, c.Languages, c.Conditions = in.NPI, in.Languages, in.Conditions
		c.AcceptingNew, c.Published = in.AcceptingNew, in.Published
		c.LicenseState, c.LicenseNumber = in.LicenseState, in.LicenseNumber
		c.UpdatedAt = s.now().UTC()
		detail := ""
		if identityChanged && (c.Status == Verified || c.Status == Pending) {
			c.Status, c.Checks, c.VerifiedBy, c.VerifiedAt = Unverified, nil, "", time.Time{}
			c.StatusNote = "Verification withdrawn: name, credentials, specialties, NPI or license changed. Submit again."
			detail = "verification withdrawn"
		}
		// Suspended and excluded profiles keep their status until a moderator
		// lifts it: editing the name must not wash an exclusion away.
		if c.ID == 0 {
			c.ID, c.CreatedAt, c.UserID = s.ids.Next(), c.UpdatedAt, actor.User.ID
			if err := s.db.Lock(ctx, "clinician-slugs"); err != nil {
				return err
			}
			if c.Slug, err = s.newSlug(ctx, "clinicians", c.FirstName, c.LastName, c.Credentials); err != nil {
				return err
			}
			if err := s.st.insertClinician(ctx, c); err != nil {
				return err
			}
		} else if err := s.st.updateClinician(ctx, c); err != nil {
			return err
		}
		c.Specialties = make([]Specialty, len(in.Specialties))
		for i, code := range in.Specialties {
			c.Specialties[i] = Specialty{Code: code, Primary: i == 0}
		}
		if err := s.st.replaceSpecialties(ctx, c.ID, c.Specialties); err != nil {
			return err
		}
		for i := range locs {
			locs[i].ID = s.ids.Next()
		}
		if err := s.st.replaceClinicianLocations(ctx, c.ID, locs); err != nil {
			return err
		}
		c.Specialties, c.Locations = labelled(c.Specialties), locs
		if err := s.reindex(ctx, c); err != nil {
			return err
		}
		saved = c
		return s.audit.Append(ctx, event(actor, "clinician.save_profile", fmt.Sprintf("clinician:%d", c.ID), audit.Success, detail, nil))
	})
	if err != nil {
		if errs.As(err) == nil && store.IsUniqueViolation(err) && strings.Contains(err.Error(), "npi") { // a concurrent save took the NPI
			return nil, errs.Conflict("npi", "Another clinician's profile already uses this NPI. If it is yours, contact the moderators.")
		}
		return nil, internal(err, "save profile")
	}
	return saved, nil
}

// profileForSave returns the actor's profile, or the unclaimed seeded
// profile with npi, or a new empty one.
func (s *Service) profileForSave(ctx context.Context, u *account.User, npi string) (*Clinician, error) {
	own, err := s.st.clinicianBy(ctx, "user_id", u.ID)
	if err != nil {
		return nil, err
	}
	if npi != "" {
		other, err := s.st.clinicianBy(ctx, "npi", npi)
		if err != nil {
			return nil, err
		}
		switch {
		case other == nil || (own != nil && other.ID == own.ID):
		case other.UserID != 0:
			return nil, errs.Conflict("npi", "Another clinician's profile already uses this NPI. If it is yours, contact the moderators.")
		case own == nil:
			// Claim the profile seeded from the registry. The NPI is public, so
			// a claim proves nothing: the profile starts over as unverified and
			// stays unpublished until a moderator verifies the claimant.
			other.UserID, other.Claimed = u.ID, true
			other.Status, other.Checks, other.VerifiedBy, other.VerifiedAt, other.StatusNote = Unverified, nil, "", time.Time{}, ""
			return other, nil
		default:
			return nil, errs.Conflict("npi", "A profile seeded from the NPI registry has this NPI; contact the moderators to merge it with yours.")
		}
	}
	if own != nil {
		return own, nil
	}
	return &Clinician{Status: Unverified}, nil
}

// confirmedWith reports whether the clinician's affiliation with the organization is confirmed.
func (s *Service) confirmedWith(ctx context.Context, clinicianID, orgID int64) bool {
	status, err := s.st.affiliationStatus(ctx, clinicianID, orgID)
	return err == nil && status == "confirmed"
}

// MyProfile returns the actor's own profile, with private fields, or nil.
func (s *Service) MyProfile(ctx context.Context, actor account.Actor) (*Clinician, error) {
	if actor.User == nil {
		return nil, errs.Unauthorized("Sign in first.")
	}
	c, err := s.st.clinicianBy(ctx, "user_id", actor.User.ID)
	if err != nil || c == nil {
		return nil, internal(err, "load profile")
	}
	return s.complete(ctx, c, true)
}

// complete loads a clinician's specialties, locations and affiliations.
func (s *Service) complete(ctx context.Context, c *Clinician, pending bool) (*Clinician, error) {
	full, err := s.loadFull(ctx, []int64{c.ID})
	if err != nil || len(full) == 0 {
		return nil, internal(err, "load profile")
	}
	c = full[0]
	where := "a.clinician_id = ? AND a.status = 'confirmed'"
	if pending {
		where = "a.clinician_id = ?"
	}
	if c.Affiliations, err = s.st.affiliations(ctx, where, c.ID); err != nil {
		return nil, internal(err, "load affiliations")
	}
	return c, nil
}

// redact removes what only the clinician and moderators may see: the
// license number, moderators' notes and failed checks (a name-only match on
// an exclusion list is not proof, and is not said in public).
func redact(c *Clinician) {
	c.LicenseNumber, c.StatusNote = "", ""
	var passed []Check
	for _, ch := range c.Checks {
		if ch.Passed {
			passed = append(passed, ch)
		}
	}
	c.Checks = passed
}

// canSeePrivate reports whether actor may see c unpublished and its license.
func canSeePrivate(actor account.Actor, c *Clinician) bool {
	u := actor.User
	return u != nil && (u.ID == c.UserID || u.Role == account.Moderator || u.IsAdmin())
}

// Clinician returns a profile by slug: published ones for everyone; the
// clinician and moderators also see it unpublished. Private fields are
// cleared for everyone else.
func (s *Service) Clinician(ctx context.Context, actor account.Actor, slug string) (*Clinician, error) {
	if !slugPattern.MatchString(slug) {
		return nil, errs.NotFound("No clinician is listed at this address.")
	}
	c, err := s.st.clinicianBy(ctx, "slug", slug)
	if err != nil {
		return nil, internal(err, "load clinician")
	}
	return s.visible(ctx, actor, c)
}

// ClinicianByID is Clinician by id.
func (s *Service) ClinicianByID(ctx context.Context, actor account.Actor, id int64) (*Clinician, error) {
	c, err := s.st.clinicianBy(ctx, "id", id)
	if err != nil {
		return nil, internal(err, "load clinician")
	}
	return s.visible(ctx, actor, c)
}

func (s *Service) visible(ctx context.Context, actor account.Actor, c *Clinician) (*Clinician, error) {
	private := c != nil && canSeePrivate(actor, c)
	if c == nil || (!c.Public() && !private) {
		return nil, errs.NotFound("No clinician is listed at this address.")
	}
	c, err := s.complete(ctx, c, private)
	if err != nil {
		return nil, err
	}
	if !private {
		redact(c)
	} else if actor.User.ID != c.UserID {
		// A moderator reading someone's private fields: audit it.
		if err := s.audit.Append(ctx, event(actor, "moderation.read_clinician", fmt.Sprintf("clinician:%d", c.ID), audit.Success, "", nil)); err != nil {
			return nil, internal(err, "audit read")
		}
	}
	return c, nil
}

// RequestAffiliation asks to be listed with an organization; an owner confirms.
func (s *Service) RequestAffiliation(ctx context.Context, actor account.Actor, orgSlug, title string) error {
	c, err := s.MyProfile(ctx, actor)
	if err != nil {
		return err
	}
	if c == nil {
		return errs.Invalid("org", "Create your clinician profile first.")
	}
	o, err := s.st.orgBy(ctx, "slug", orgSlug)
	if err != nil {
		return internal(err, "load organization")
	}
	if o == nil {
		return errs.Invalid("org", "No organization has this address; pick one from the list.")
	}
	title = strings.TrimSpace(title)
	if utf8.RuneCountInString(title) > 100 {
		return errs.Invalid("title", "The title is at most 100 characters.")
	}
	return internal(s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.st.upsertAffiliation(ctx, Affiliation{ClinicianID: c.ID, OrgID: o.ID, Title: title}, s.now()); err != nil {
			return err
		}
		return s.audit.Append(ctx, event(actor, "clinician.request_affiliation", "org:"+o.Slug, audit.Success, "", nil))
	}), "request affiliation")
}

// checkProfileText runs the compliance guard over the words a profile
// publishes; the clinician's own name and practice details may appear.
func (s *Service) checkProfileText(ctx context.Context, u *account.User, in ProfileInput) error {
	allowed := []string{in.FirstName, in.LastName, in.FirstName + " " + in.LastName}
	for _, l := range in.Locations {
		allowed = append(allowed, l.Name, l.Street, l.City, l.PostalCode, l.Phone)
	}
	return s.accounts.CheckText(ctx, u, map[string]string{"bio": in.Bio, "conditions": strings.Join(in.Conditions, "; ")}, allowed...)
}
