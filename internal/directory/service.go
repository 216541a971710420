package directory

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/audit"
	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/geo"
	"github.com/rounds-health/rounds/internal/id"
	"github.com/rounds-health/rounds/internal/input"
	"github.com/rounds-health/rounds/internal/registry"
	"github.com/rounds-health/rounds/internal/store"
	"github.com/rounds-health/rounds/internal/taxonomy"
)

// Service is the only writer of the directory's tables and search index.
type Service struct {
	db       *store.DB
	st       dirStore
	audit    *audit.Log
	accounts *account.Service
	registry *registry.Service
	places   *geo.Gazetteer
	ids      *id.Generator
	now      func() time.Time
}

// NewService wires the directory.
func NewService(db *store.DB, log *audit.Log, accounts *account.Service, reg *registry.Service, places *geo.Gazetteer, ids *id.Generator) *Service {
	return &Service{db: db, st: dirStore{db}, audit: log, accounts: accounts, registry: reg, places: places, ids: ids, now: time.Now}
}

// Places returns the gazetteer the directory resolves "near" with.
func (s *Service) Places() *geo.Gazetteer { return s.places }

// internal passes nil and typed errors through and wraps anything else.
func internal(err error, what string) error {
	if err == nil || errs.As(err) != nil {
		return err
	}
	return errs.Internal(err, "%s", what)
}

// event is an audit event for actor acting on target, on behalf of org when set.
func event(actor account.Actor, action, target, outcome, detail string, org *Organization) audit.Event {
	e := audit.Event{Action: action, Target: target, Outcome: outcome, Detail: detail}
	if actor.User != nil {
		e.ActorID, e.Actor = actor.User.ID, actor.User.Username
	} else {
		e.Actor = actor.Via
	}
	if org != nil {
		e.OnBehalfOf = "org:" + org.Slug
	}
	return e
}

var (
	slugUnsafe  = regexp.MustCompile(`[^a-z0-9]+`)
	slugPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,99}$`) // what newSlug and BulkLoad make
)

// newSlug makes a URL name from parts, unique in table.
func (s *Service) newSlug(ctx context.Context, table string, parts ...string) (string, error) {
	base := strings.Trim(slugUnsafe.ReplaceAllString(normalizeText(strings.Join(parts, " ")), "-"), "-")
	if base == "" {
		base = "profile"
	}
	if len(base) > 60 {
		base = strings.Trim(base[:60], "-")
	}
	slug := base
	for i := 2; ; i++ {
		taken, err := s.st.slugTaken(ctx, table, slug)
		if err != nil {
			return "", err
		}
		if !taken {
			return slug, nil
		}
		slug = fmt.Sprintf("%s-%d", base, i)
	}
}

// Field limits shared by organizations and clinicians.
func checkLen(fs *[]errs.FieldError, field, v string, max int, what string) {
	if utf8.RuneCountInString(v) > max {
		*fs = append(*fs, errs.FieldError{Field: field, Message: fmt.Sprintf("%s is at most %d characters.", what, max)})
	}
}

func checkURL(fs *[]errs.FieldError, field, v string) {
	if v == "" {
		return
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		*fs = append(*fs, errs.FieldError{Field: field, Message: "Enter a full web address starting with https://."})
	}
}

var phonePattern = regexp.MustCompile(`^[0-9+() .\-]{7,25}$`)

func checkPhone(fs *[]errs.FieldError, field, v string) {
	if v != "" && !phonePattern.MatchString(v) {
		*fs = append(*fs, errs.FieldError{Field: field, Message: "Enter a phone number with digits, spaces, dashes or parentheses."})
	}
}

var statePattern = regexp.MustCompile(`^[A-Z]{2}$`)

// LocationInput is a location as a person types it. Coordinates are
// optional: without them the location is placed by its ZIP code or city.
type LocationInput struct {
	Name, Street, City, State, PostalCode, Phone, Hours string
	Coordinates                                         string // "lat,lon", optional
}

// location checks in and places it on the map.
func (s *Service) location(in LocationInput, field string) (Location, []errs.FieldError) {
	var fs []errs.FieldError
	for f, v := range map[string]string{"name": in.Name, "street": in.Street, "city": in.City, "state": in.State,
		"postal_code": in.PostalCode, "phone": in.Phone, "hours": in.Hours, "coordinates": in.Coordinates} {
		if m := input.Problem(v); m != "" {
			fs = append(fs, errs.FieldError{Field: field + f, Message: m})
		}
	}
	if len(fs) > 0 {
		return Location{}, fs
	}
	l := Location{Name: strings.TrimSpace(in.Name), Street: strings.TrimSpace(in.Street), City: strings.TrimSpace(in.City),
		State: strings.ToUpper(strings.TrimSpace(in.State)), PostalCode: strings.TrimSpace(in.PostalCode),
		Phone: strings.TrimSpace(in.Phone), Hours: strings.TrimSpace(in.Hours)}
	checkLen(&fs, field+"name", l.Name, 120, "The location name")
	checkLen(&fs, field+"street", l.Street, 200, "The street address")
	checkLen(&fs, field+"city", l.City, 100, "The city")
	checkLen(&fs, field+"hours", l.Hours, 300, "Opening hours")
	checkPhone(&fs, field+"phone", l.Phone)
	if l.State != "" && !statePattern.MatchString(l.State) {
		fs = append(fs, errs.FieldError{Field: field + "state", Message: "Use the two-letter state code, like MA."})
	}
	if l.PostalCode != "" && !regexp.MustCompile(`^[0-9]{5}(-[0-9]{4})?$`).MatchString(l.PostalCode) {
		fs = append(fs, errs.FieldError{Field: field + "postal_code", Message: "Use a 5-digit ZIP code, like 02114."})
	}
	if c := strings.TrimSpace(in.Coordinates); c != "" {
		p, err := geo.ParsePoint(c)
		if err != nil {
			msg := errs.FieldMessage(err, "near")
			if msg == "" {
				msg = errs.PublicMessage(err)
			}
			fs = append(fs, errs.FieldError{Field: field + "coordinates", Message: msg})
		}
		l.Point = p
		return l, fs
	}
	if len(fs) > 0 {
		return l, fs
	}
	for _, q := range []string{l.PostalCode, strings.Trim(l.City+", "+l.State, ", ")} {
		if q == "" {
			continue
		}
		if p, ok := s.places.Lookup(q); ok {
			l.Point = p.Point
			return l, nil
		}
	}
	fs = append(fs, errs.FieldError{Field: field + "postal_code",
		Message: "We could not place this location on the map: give a valid ZIP code, or the coordinates (e.g. 42.3601,-71.0589)."})
	return l, fs
}

// loadFull loads clinicians with their specialties, locations and confirmed
// affiliations, in the order of ids.
func (s *Service) loadFull(ctx context.Context, ids []int64) ([]*Clinician, error) {
	byID, err := s.st.cliniciansByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	specs, err := s.st.specialtiesOf(ctx, ids)
	if err != nil {
		return nil, err
	}
	locs, err := s.st.locationsOf(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]*Clinician, 0, len(ids))
	for _, id := range ids {
		c := byID[id]
		if c == nil {
			continue
		}
		c.Specialties = labelled(specs[id])
		c.Locations = locs[id]
		out = append(out, c)
	}
	return out, nil
}

func labelled(ss []Specialty) []Specialty {
	for i := range ss {
		if t, ok := taxonomy.ByCode(ss[i].Code); ok {
			ss[i].Label = t.Label()
		} else {
			ss[i].Label = ss[i].Code
		}
	}
	return ss
}

// document is what the search index holds for c: everything a patient
// might type, normalized.
func document(c *Clinician) string {
	parts := []string{c.FirstName, c.LastName, c.Credentials}
	for _, sp := range c.Specialties {
		if t, ok := taxonomy.ByCode(sp.Code); ok {
			parts = append(parts, t.Label())
			parts = append(parts, t.Terms...)
		}
	}
	parts = append(parts, c.Conditions...)
	parts = append(parts, LanguageNames(c.Languages)...)
	for _, l := range c.Locations {
		parts = append(parts, l.City, l.State, l.Name)
	}
	for _, a := range c.Affiliations {
		if a.Confirmed {
			parts = append(parts, a.OrgName)
		}
	}
	parts = append(parts, c.Bio)
	return normalizeText(strings.Join(parts, " "))
}

// reindex writes c's search document, or removes it when c is not public.
func (s *Service) reindex(ctx context.Context, c *Clinician) error {
	if !c.Public() {
		return s.st.unindex(ctx, c.ID)
	}
	affs, err := s.st.affiliations(ctx, "a.clinician_id = ?", c.ID)
	if err != nil {
		return err
	}
	c.Affiliations = affs
	return s.st.index(ctx, c.ID, document(c))
}
