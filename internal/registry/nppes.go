package registry

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/rounds-health/rounds/internal/errs"
)

// Column names of the NPPES dissemination file (npidata_pfile_*.csv) as CMS
// publishes them. The file has about 330 columns; the importer finds the
// ones below by name, so their order and any other columns do not matter.
const (
	ColNPI              = "NPI"
	ColEntityType       = "Entity Type Code"
	ColReplacementNPI   = "Replacement NPI"
	ColOrganizationName = "Provider Organization Name (Legal Business Name)"
	ColLastName         = "Provider Last Name (Legal Name)"
	ColFirstName        = "Provider First Name"
	ColMiddleName       = "Provider Middle Name"
	ColNamePrefix       = "Provider Name Prefix Text"
	ColNameSuffix       = "Provider Name Suffix Text"
	ColCredential       = "Provider Credential Text"
	ColPracticeLine1    = "Provider First Line Business Practice Location Address"
	ColPracticeLine2    = "Provider Second Line Business Practice Location Address"
	ColPracticeCity     = "Provider Business Practice Location Address City Name"
	ColPracticeState    = "Provider Business Practice Location Address State Name"
	ColPracticePostal   = "Provider Business Practice Location Address Postal Code"
	ColPracticePhone    = "Provider Business Practice Location Address Telephone Number"
	ColEnumerationDate  = "Provider Enumeration Date"
	ColLastUpdateDate   = "Last Update Date"
	ColDeactivationCode = "NPI Deactivation Reason Code"
	ColDeactivationDate = "NPI Deactivation Date"
	ColReactivationDate = "NPI Reactivation Date"
)

// TaxonomySlots is how many taxonomy/license groups a row carries.
const TaxonomySlots = 15

// ColTaxonomyCode names the taxonomy code column of group n (1…15).
func ColTaxonomyCode(n int) string { return fmt.Sprintf("Healthcare Provider Taxonomy Code_%d", n) }

// ColLicenseNumber names the license number column of group n.
func ColLicenseNumber(n int) string { return fmt.Sprintf("Provider License Number_%d", n) }

// ColLicenseState names the license state column of group n.
func ColLicenseState(n int) string { return fmt.Sprintf("Provider License Number State Code_%d", n) }

// ColPrimarySwitch names the column of group n that says, with "Y", that
// its taxonomy is the provider's primary one.
func ColPrimarySwitch(n int) string {
	return fmt.Sprintf("Healthcare Provider Primary Taxonomy Switch_%d", n)
}

// nppesColumns holds the position of each column the importer reads.
type nppesColumns struct {
	width                                                    int // fields in the header
	npi, entityType, replacement                             int
	orgName, last, first, middle, prefix, suffix, credential int
	line1, line2, city, state, postal, phone                 int
	enumerated, lastUpdate, deactCode, deactDate, reactDate  int
	taxCode, license, licenseState, primarySwitch            [TaxonomySlots]int
}

// mapNPPESHeader finds the columns the importer needs, or says which are missing.
func mapNPPESHeader(header []string) (nppesColumns, error) {
	h := newHeaderIndex(header)
	c := nppesColumns{width: len(header)}
	for _, f := range []struct {
		dst  *int
		name string
	}{
		{&c.npi, ColNPI}, {&c.entityType, ColEntityType}, {&c.replacement, ColReplacementNPI},
		{&c.orgName, ColOrganizationName}, {&c.last, ColLastName}, {&c.first, ColFirstName},
		{&c.middle, ColMiddleName}, {&c.prefix, ColNamePrefix}, {&c.suffix, ColNameSuffix},
		{&c.credential, ColCredential}, {&c.line1, ColPracticeLine1}, {&c.line2, ColPracticeLine2},
		{&c.city, ColPracticeCity}, {&c.state, ColPracticeState}, {&c.postal, ColPracticePostal},
		{&c.phone, ColPracticePhone}, {&c.enumerated, ColEnumerationDate}, {&c.lastUpdate, ColLastUpdateDate},
		{&c.deactCode, ColDeactivationCode}, {&c.deactDate, ColDeactivationDate}, {&c.reactDate, ColReactivationDate},
	} {
		*f.dst = h.find(f.name)
	}
	for i := range TaxonomySlots {
		n := i + 1
		c.taxCode[i] = h.find(ColTaxonomyCode(n))
		c.license[i] = h.find(ColLicenseNumber(n))
		c.licenseState[i] = h.find(ColLicenseState(n))
		c.primarySwitch[i] = h.find(ColPrimarySwitch(n))
	}
	return c, h.missingError("the NPPES data file (npidata_pfile_….csv)")
}

// nppesRow is a parsed row, ready to write: args are the values of
// providerColumns (or deactivationColumns when undisclosed).
type nppesRow struct {
	npi         string
	undisclosed bool
	args        []any
}

// parseNPPESRow validates one record and turns it into the values to
// write, or returns why it must be skipped.
func parseNPPESRow(c *nppesColumns, rec []string, importedAt int64) (nppesRow, string) {
	if len(rec) != c.width {
		return nppesRow{}, fmt.Sprintf("has %d fields; the header has %d", len(rec), c.width)
	}
	field := func(i int) string { return strings.TrimSpace(rec[i]) }
	npi := field(c.npi)
	if p := npiProblem(npi); p != "" {
		return nppesRow{}, p
	}
	fail := func(format string, args ...any) (nppesRow, string) {
		return nppesRow{}, "NPI " + npi + ": " + fmt.Sprintf(format, args...)
	}
	var dates [4]any
	for i, col := range []struct {
		idx  int
		name string
	}{{c.enumerated, ColEnumerationDate}, {c.lastUpdate, ColLastUpdateDate}, {c.deactDate, ColDeactivationDate}, {c.reactDate, ColReactivationDate}} {
		v, ok := parseNPPESDate(field(col.idx))
		if !ok {
			return fail("%s %q is not a date (MM/DD/YYYY)", col.name, shorten(field(col.idx)))
		}
		dates[i] = v
	}
	enumerated, lastUpdate, deactivated, reactivated := dates[0], dates[1], dates[2], dates[3]
	replacement := field(c.replacement)
	if replacement != "" && npiProblem(replacement) != "" {
		return fail("Replacement NPI %q is not a valid NPI", shorten(replacement))
	}

	var entity EntityType
	switch et := field(c.entityType); et {
	case "1":
		entity = Individual
	case "2":
		entity = Organization
	case "":
		// NPPES publishes a deactivated NPI with its dates and nothing else.
		if deactivated == nil {
			return fail("Entity Type Code is empty; expected 1 (individual) or 2 (organization)")
		}
		return nppesRow{npi: npi, undisclosed: true, args: []any{
			npi, int(Undisclosed), replacement, field(c.deactCode), deactivated, reactivated, importedAt}}, ""
	default:
		return fail("Entity Type Code %q is not 1 (individual) or 2 (organization)", shorten(et))
	}
	last, first, org := field(c.last), field(c.first), field(c.orgName)
	switch {
	case entity == Individual && last == "":
		return fail("an individual (entity type 1) needs a last name; the row has none")
	case entity == Individual && first == "":
		return fail("an individual (entity type 1) needs a first name; the row has none")
	case entity == Organization && org == "":
		return fail("an organization (entity type 2) needs a legal business name; the row has none")
	}

	taxonomies := make([]Taxonomy, 0, 2)
	for i := range TaxonomySlots {
		code := strings.ToUpper(field(c.taxCode[i]))
		if code == "" {
			continue
		}
		taxonomies = append(taxonomies, Taxonomy{Code: code, License: field(c.license[i]),
			LicenseState: strings.ToUpper(field(c.licenseState[i])), Primary: strings.EqualFold(field(c.primarySwitch[i]), "Y")})
	}
	primary := markPrimary(taxonomies)
	taxJSON, err := json.Marshal(taxonomies)
	if err != nil {
		return fail("taxonomies: %v", err)
	}
	return nppesRow{npi: npi, args: []any{
		npi, int(entity), replacement, org, last, first, field(c.middle), field(c.prefix), field(c.suffix),
		field(c.credential), primary, string(taxJSON),
		field(c.line1), field(c.line2), field(c.city), strings.ToUpper(field(c.state)), field(c.postal), field(c.phone),
		enumerated, lastUpdate, field(c.deactCode), deactivated, reactivated, importedAt,
	}}, ""
}

// markPrimary returns the primary taxonomy code. NPPES marks it with "Y";
// a provider with a single taxonomy has it as primary even where the
// switch was left unanswered ("X" in older records).
func markPrimary(ts []Taxonomy) string {
	for _, t := range ts {
		if t.Primary {
			return t.Code
		}
	}
	if len(ts) == 1 {
		ts[0].Primary = true
		return ts[0].Code
	}
	return ""
}

// parseNPPESDate reads MM/DD/YYYY (the file's format) or YYYY-MM-DD into
// Unix milliseconds at UTC midnight, nil for an empty field. ok is false
// for anything else, including impossible dates such as 02/30/2020.
func parseNPPESDate(s string) (v any, ok bool) {
	if s == "" {
		return nil, true
	}
	var y, m, d int
	switch {
	case len(s) == 10 && s[2] == '/' && s[5] == '/':
		m, d, y = atoi(s[0:2]), atoi(s[3:5]), atoi(s[6:10])
	case len(s) == 10 && s[4] == '-' && s[7] == '-':
		y, m, d = atoi(s[0:4]), atoi(s[5:7]), atoi(s[8:10])
	default:
		return nil, false
	}
	return dateMillis(y, m, d)
}

// dateMillis returns the date as Unix milliseconds at UTC midnight.
func dateMillis(y, m, d int) (any, bool) {
	if y < 1900 || m < 1 || m > 12 || d < 1 || d > 31 {
		return nil, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d { // time.Date normalizes 02/30 into March
		return nil, false
	}
	return t.UnixMilli(), true
}

// atoi parses a short run of ASCII digits; anything else gives -1.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return -1
		}
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// headerIndex finds columns by name: exactly, else ignoring case and
// surrounding space, and remembers the names it could not find.
type headerIndex struct {
	exact   map[string]int
	folded  map[string]int
	missing []string
}

func newHeaderIndex(header []string) *headerIndex {
	h := &headerIndex{exact: map[string]int{}, folded: map[string]int{}}
	for i, name := range header {
		if i == 0 {
			name = strings.TrimPrefix(name, "\uFEFF") // a byte-order mark some tools add
		}
		name = strings.TrimSpace(name)
		if _, dup := h.exact[name]; !dup {
			h.exact[name] = i
		}
		if _, dup := h.folded[strings.ToLower(name)]; !dup {
			h.folded[strings.ToLower(name)] = i
		}
	}
	return h
}

func (h *headerIndex) has(name string) bool {
	_, ok := h.exact[name]
	if !ok {
		_, ok = h.folded[strings.ToLower(name)]
	}
	return ok
}

func (h *headerIndex) find(name string) int {
	if i, ok := h.exact[name]; ok {
		return i
	}
	if i, ok := h.folded[strings.ToLower(name)]; ok {
		return i
	}
	h.missing = append(h.missing, name)
	return -1
}

// missingError names the missing columns, or returns nil.
func (h *headerIndex) missingError(what string) error {
	if len(h.missing) == 0 {
		return nil
	}
	names := h.missing
	more := ""
	if len(names) > 5 {
		more = fmt.Sprintf(" and %d more", len(names)-5)
		names = names[:5]
	}
	return errs.Invalid("file", fmt.Sprintf("The header row has no column \"%s\"%s: is this %s? Columns are found by their published names.",
		strings.Join(names, `", "`), more, what))
}
