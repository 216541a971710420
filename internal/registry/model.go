// Package registry is the offline provider registry: the public NPPES
// dissemination file (every NPI with its names, taxonomies, licenses,
// practice location and deactivation) and the OIG list of excluded
// individuals and entities (LEIE), imported from their published CSV formats.
//
// Verification asks it whether a claimed NPI exists, whether the name and
// specialties match and whether the person is excluded; profiles are seeded
// from it. It is the only writer of the registry_* tables. Both files are
// public data, so reads are not audited; every import is. It never stores
// what it does not need (the LEIE's dates of birth, for one) and it never
// reaches the network: operators download the files themselves.
package registry

import (
	"fmt"
	"strings"
	"time"
)

// EntityType says whether an NPI belongs to a person or an organization.
type EntityType int

const (
	// Undisclosed: the file lists the NPI only as deactivated, without
	// details (NPPES blanks every field but the NPI and the dates).
	Undisclosed EntityType = 0
	// Individual is entity type 1: a clinician.
	Individual EntityType = 1
	// Organization is entity type 2: a hospital, practice, pharmacy…
	Organization EntityType = 2
)

func (t EntityType) String() string {
	switch t {
	case Individual:
		return "individual"
	case Organization:
		return "organization"
	}
	return "undisclosed"
}

// Taxonomy is one of up to 15 specialties an NPI lists, with the license
// the provider reported for it.
type Taxonomy struct {
	Code         string `json:"code"` // NUCC health care provider taxonomy code, e.g. 207RC0000X
	License      string `json:"license,omitempty"`
	LicenseState string `json:"state,omitempty"`
	Primary      bool   `json:"primary,omitempty"`
}

// Location is the business practice location NPPES publishes.
type Location struct {
	Line1      string
	Line2      string
	City       string
	State      string
	PostalCode string
	Phone      string
}

// Provider is one NPI as the registry knows it.
type Provider struct {
	NPI              string
	EntityType       EntityType
	ReplacementNPI   string
	OrganizationName string // entity type 2
	LastName         string // entity type 1
	FirstName        string
	MiddleName       string
	NamePrefix       string
	NameSuffix       string
	Credential       string // as typed by the provider: "M.D.", "DO", "PA-C"…
	Taxonomies       []Taxonomy
	Location         Location
	EnumeratedOn     time.Time // zero when not given
	LastUpdatedOn    time.Time
	DeactivationCode string
	DeactivatedOn    time.Time
	ReactivatedOn    time.Time
	ImportedAt       time.Time
}

// Deactivated reports whether the NPI is deactivated and was not reactivated since.
func (p *Provider) Deactivated() bool {
	return !p.DeactivatedOn.IsZero() && !p.ReactivatedOn.After(p.DeactivatedOn)
}

// PrimaryTaxonomy returns the code marked primary, or "".
func (p *Provider) PrimaryTaxonomy() string {
	for _, t := range p.Taxonomies {
		if t.Primary {
			return t.Code
		}
	}
	return ""
}

// HasTaxonomy reports whether the record lists code.
func (p *Provider) HasTaxonomy(code string) bool {
	for _, t := range p.Taxonomies {
		if strings.EqualFold(t.Code, code) {
			return true
		}
	}
	return false
}

// Name is the provider's name as the registry spells it.
func (p *Provider) Name() string {
	if p.EntityType == Organization {
		return p.OrganizationName
	}
	parts := make([]string, 0, 5)
	for _, s := range []string{p.NamePrefix, p.FirstName, p.MiddleName, p.LastName, p.NameSuffix} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, " ")
}

// Match is what the registry says about a clinician's claimed NPI.
type Match struct {
	NPI         string
	InRegistry  bool
	NameMatches bool
	// Listed are the claimed taxonomy codes that the registry record lists;
	// Unlisted the claimed codes it does not.
	Listed        []string
	Unlisted      []string
	Deactivated   bool
	DeactivatedOn time.Time
	Provider      *Provider // nil when the NPI is not in the registry
}

// Confirms reports whether the registry supports the claim: the NPI is
// listed and active, the name matches, and, if codes were claimed, at least
// one of them is listed.
func (m Match) Confirms() bool {
	return m.InRegistry && m.NameMatches && !m.Deactivated && (len(m.Unlisted) == 0 || len(m.Listed) > 0)
}

// Reasons says, for a reviewer, each way the claim and the registry disagree.
func (m Match) Reasons() []string {
	if !m.InRegistry {
		return []string{fmt.Sprintf("NPI %s is not in the imported NPPES registry.", m.NPI)}
	}
	var out []string
	if m.Deactivated {
		out = append(out, fmt.Sprintf("NPI %s was deactivated on %s.", m.NPI, m.DeactivatedOn.Format(time.DateOnly)))
	}
	if !m.NameMatches {
		name := m.Provider.Name()
		if name == "" {
			name = "no disclosed name"
		}
		out = append(out, fmt.Sprintf("The registry lists NPI %s under %s (%s).", m.NPI, name, m.Provider.EntityType))
	}
	for _, code := range m.Unlisted {
		out = append(out, fmt.Sprintf("The registry record does not list taxonomy %s.", code))
	}
	return out
}

// Exclusion is one entry of the OIG exclusion list. Dates of birth and
// street addresses are not kept: matching needs neither.
type Exclusion struct {
	NPI          string // "" when the list gives none
	LastName     string
	FirstName    string
	MiddleName   string
	BusinessName string
	General      string // the list's general category, e.g. "IND- LIC HC SERV PRO"
	Specialty    string
	City         string
	State        string
	Type         string // the statute, as listed: "1128a1", "1128b4"…
	ExcludedOn   time.Time
	ReinstatedOn time.Time
	WaiverOn     time.Time
	WaiverState  string
	MatchedBy    string // "npi" or "name": how Excluded found it
}

// Describe names the statute and the date, e.g. "1128a1: conviction of
// program-related crimes, since 2020-03-19".
func (e *Exclusion) Describe() string {
	s := e.Type
	if d := ExclusionTypeDescription(e.Type); d != "" {
		s += ": " + d
	}
	if !e.ExcludedOn.IsZero() {
		s += ", since " + e.ExcludedOn.Format(time.DateOnly)
	}
	return s
}

// Reason says why, in words a person can read.
func (e *Exclusion) Reason() string {
	return "Excluded from federal health care programs by the HHS Office of Inspector General (" + e.Describe() + ")."
}

// Problem is a row an import skipped or altered, and why.
type Problem struct {
	Line   int // line in the file; the header is line 1
	Reason string
}

// MaxProblems is how many problems a Summary keeps; the count goes on.
const MaxProblems = 100

// Summary reports an import.
type Summary struct {
	Rows     int // data rows read, the header not counted
	Imported int
	Skipped  int
	// Problems are the first MaxProblems rows skipped, or kept with a field
	// dropped (an exclusion with a malformed NPI), in file order.
	Problems []Problem
	Duration time.Duration
}

// RowsPerSecond is the import's throughput over all rows read.
func (s *Summary) RowsPerSecond() float64 {
	if s.Duration <= 0 {
		return 0
	}
	return float64(s.Rows) / s.Duration.Seconds()
}

func (s *Summary) problem(line int, format string, args ...any) {
	if len(s.Problems) < MaxProblems {
		s.Problems = append(s.Problems, Problem{Line: line, Reason: fmt.Sprintf(format, args...)})
	}
}

func (s *Summary) skip(line int, format string, args ...any) {
	s.Skipped++
	s.problem(line, format, args...)
}

// ImportOptions tune an import. The zero value is ready to use.
type ImportOptions struct {
	ActorID int64  // the account that asked, 0 for the operator's command line
	Actor   string // its username, or "cli"
	Source  string // the file's name, for the audit record
	// BatchSize is the number of rows written per transaction (2,000).
	BatchSize int
	// Progress, when set, is called every ProgressEvery rows (100,000) with
	// the number of rows read so far, from the goroutine reading the file.
	Progress      func(rows int)
	ProgressEvery int
	// Force accepts an exclusion list much shorter than the current one.
	Force bool
}

func (o ImportOptions) withDefaults() ImportOptions {
	if o.BatchSize <= 0 {
		o.BatchSize = 2000
	}
	if o.ProgressEvery <= 0 {
		o.ProgressEvery = 100_000
	}
	if o.Actor == "" {
		o.Actor = "cli"
	}
	return o
}
