package registry

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/rounds-health/rounds/internal/audit"
	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/id"
	"github.com/rounds-health/rounds/internal/store"
)

// Service is the only writer of the registry tables.
type Service struct {
	db    *store.DB
	st    registryStore
	audit *audit.Log
	ids   *id.Generator
	now   func() time.Time
}

// NewService wires the registry.
func NewService(db *store.DB, log *audit.Log, ids *id.Generator) *Service {
	return &Service{db: db, st: newRegistryStore(db), audit: log, ids: ids, now: time.Now}
}

// SetClock replaces the clock, for tests of reinstatement dates.
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// Provider returns the registry's record of npi.
func (s *Service) Provider(ctx context.Context, npi string) (*Provider, error) {
	npi = normalizeNPI(npi)
	if err := ValidateNPI(npi); err != nil {
		return nil, err
	}
	p, err := s.st.provider(ctx, npi)
	if err != nil {
		return nil, errs.Internal(err, "read registry provider")
	}
	if p == nil {
		return nil, errs.NotFound(fmt.Sprintf("NPI %s is not in the provider registry. The registry is the NPPES file the operator imported last; a new NPI appears after the next import.", npi))
	}
	return p, nil
}

// MaxPage is the most providers Providers returns at once.
const MaxPage = 1000

// Providers returns up to limit providers whose NPI sorts after after ("" to
// start), in NPI order: pass the last NPI of a page to get the next. Every
// NPI is listed, deactivated ones included (see Provider.Deactivated).
func (s *Service) Providers(ctx context.Context, after string, limit int) ([]*Provider, error) {
	if limit < 1 || limit > MaxPage {
		return nil, errs.Invalid("limit", fmt.Sprintf("Ask for between 1 and %d providers at a time; got %d.", MaxPage, limit))
	}
	if strings.Trim(after, "0123456789") != "" || len(after) > 10 {
		return nil, errs.Invalid("after", "The cursor is the last NPI of the previous page: up to 10 digits.")
	}
	ps, err := s.st.providersAfter(ctx, after, limit)
	if err != nil {
		return nil, errs.Internal(err, "list registry providers")
	}
	return ps, nil
}

// taxonomyPattern is the shape of a NUCC taxonomy code: ten letters and
// digits, the last an X (207RC0000X, 363LF0000X).
var taxonomyPattern = regexp.MustCompile(`^[0-9A-Z]{9}X$`)

// Match checks a clinician's claim against the registry: is the NPI there
// and active, does the name fit the record (case, punctuation and middle
// names aside), and which of the claimed taxonomy codes the record lists.
// An NPI missing from the registry is not an error: Match says so.
func (s *Service) Match(ctx context.Context, npi, firstName, lastName string, taxonomyCodes []string) (Match, error) {
	npi = normalizeNPI(npi)
	var fs []errs.FieldError
	if msg := npiProblem(npi); msg != "" {
		fs = append(fs, errs.FieldError{Field: "npi", Message: msg})
	}
	if len(nameTokens(firstName)) == 0 {
		fs = append(fs, errs.FieldError{Field: "first_name", Message: "Enter the first name as it appears on the NPI record."})
	}
	if len(nameTokens(lastName)) == 0 {
		fs = append(fs, errs.FieldError{Field: "last_name", Message: "Enter the last name as it appears on the NPI record."})
	}
	codes := make([]string, 0, len(taxonomyCodes))
	for _, c := range taxonomyCodes {
		c = strings.ToUpper(strings.TrimSpace(c))
		if !taxonomyPattern.MatchString(c) {
			fs = append(fs, errs.FieldError{Field: "taxonomy", Message: fmt.Sprintf(
				"%q is not a taxonomy code: codes are 10 letters and digits ending in X, like 207RC0000X.", shorten(c))})
			continue
		}
		codes = append(codes, c)
	}
	if err := errs.Fields(fs...); err != nil {
		return Match{}, err
	}
	m := Match{NPI: npi}
	p, err := s.st.provider(ctx, npi)
	if err != nil {
		return m, errs.Internal(err, "read registry provider")
	}
	if p == nil {
		m.Unlisted = codes
		return m, nil
	}
	m.InRegistry, m.Provider = true, p
	m.NameMatches = p.EntityType == Individual && namesMatch(firstName, lastName, p.FirstName, p.MiddleName, p.LastName)
	for _, c := range codes {
		if p.HasTaxonomy(c) {
			m.Listed = append(m.Listed, c)
		} else {
			m.Unlisted = append(m.Unlisted, c)
		}
	}
	if p.Deactivated() {
		m.Deactivated, m.DeactivatedOn = true, p.DeactivatedOn
	}
	return m, nil
}

// Excluded returns the exclusion in force for a person, or nil if the list
// has none. An entry that gives an NPI matches that NPI only, unless the
// caller knows no NPI; an entry without one matches the normalized last
// and first name, and the state when both sides know it.
func (s *Service) Excluded(ctx context.Context, npi, firstName, lastName, state string) (*Exclusion, error) {
	npi = normalizeNPI(npi)
	if npi != "" {
		if err := ValidateNPI(npi); err != nil {
			return nil, err
		}
	}
	now := s.now()
	if npi != "" {
		es, err := s.st.exclusionsByNPI(ctx, npi, now)
		if err != nil {
			return nil, errs.Internal(err, "read exclusions by NPI")
		}
		if len(es) > 0 {
			es[0].MatchedBy = "npi"
			return es[0], nil
		}
	}
	lk, fk := lastNameKey(lastName), firstNameKey(firstName)
	if lk == "" || fk == "" {
		return nil, nil
	}
	es, err := s.st.exclusionsByName(ctx, lk, fk, now)
	if err != nil {
		return nil, errs.Internal(err, "read exclusions by name")
	}
	state = strings.ToUpper(strings.TrimSpace(state))
	for _, e := range es {
		if e.NPI != "" && npi != "" {
			continue // the list names someone else's NPI
		}
		if state != "" && e.State != "" && e.State != state {
			continue
		}
		e.MatchedBy = "name"
		return e, nil
	}
	return nil, nil
}

// Counts reports how many providers and exclusion entries the registry holds.
func (s *Service) Counts(ctx context.Context) (providers, exclusions int, err error) {
	if providers, err = s.st.countProviders(ctx); err != nil {
		return 0, 0, errs.Internal(err, "count registry providers")
	}
	if exclusions, err = s.st.countExclusions(ctx); err != nil {
		return 0, 0, errs.Internal(err, "count exclusions")
	}
	return providers, exclusions, nil
}
