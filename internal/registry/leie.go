package registry

import (
	"fmt"
	"strings"
)

// Column names of the OIG's LEIE download (UPDATED.csv). DOB, ADDRESS, ZIP
// and UPIN are in the file but not kept.
const (
	LEIELastName    = "LASTNAME"
	LEIEFirstName   = "FIRSTNAME"
	LEIEMiddleName  = "MIDNAME"
	LEIEBusName     = "BUSNAME"
	LEIEGeneral     = "GENERAL"
	LEIESpecialty   = "SPECIALTY"
	LEIENPI         = "NPI"
	LEIECity        = "CITY"
	LEIEState       = "STATE"
	LEIEType        = "EXCLTYPE"
	LEIEDate        = "EXCLDATE"
	LEIEReinstated  = "REINDATE"
	LEIEWaiverDate  = "WAIVERDATE"
	LEIEWaiverState = "WVRSTATE"
)

type leieColumns struct {
	width                                    int
	last, first, middle, bus, general, spec  int
	npi, city, state                         int
	exclType, exclDate, reinDate, waiverDate int
	waiverState                              int // -1 when absent
}

func mapLEIEHeader(header []string) (leieColumns, error) {
	h := newHeaderIndex(header)
	c := leieColumns{width: len(header), waiverState: -1}
	for _, f := range []struct {
		dst  *int
		name string
	}{
		{&c.last, LEIELastName}, {&c.first, LEIEFirstName}, {&c.middle, LEIEMiddleName}, {&c.bus, LEIEBusName},
		{&c.general, LEIEGeneral}, {&c.spec, LEIESpecialty}, {&c.npi, LEIENPI}, {&c.city, LEIECity},
		{&c.state, LEIEState}, {&c.exclType, LEIEType}, {&c.exclDate, LEIEDate}, {&c.reinDate, LEIEReinstated},
		{&c.waiverDate, LEIEWaiverDate},
	} {
		*f.dst = h.find(f.name)
	}
	// The waiver state is optional: some copies spell it WAIVERSTATE.
	for _, name := range []string{LEIEWaiverState, "WAIVERSTATE"} {
		if h.has(name) {
			c.waiverState = h.find(name)
			break
		}
	}
	return c, h.missingError("the OIG exclusion list (LEIE UPDATED.csv)")
}

// exclusionRow is a parsed LEIE row: the values of exclusionColumns, the
// id (first) still to be assigned, and a note when a field was dropped.
type exclusionRow struct {
	args []any
	note string
}

// parseLEIERow validates one record. A row that cannot say who was
// excluded, how or when is skipped (reason); a row whose NPI is malformed
// is kept without it, so that the person is still found by name (note).
func parseLEIERow(c *leieColumns, rec []string, importedAt int64) (row exclusionRow, reason string) {
	if len(rec) != c.width {
		return row, fmt.Sprintf("has %d fields; the header has %d", len(rec), c.width)
	}
	field := func(i int) string {
		if i < 0 {
			return ""
		}
		return strings.TrimSpace(rec[i])
	}
	last, first, bus := field(c.last), field(c.first), field(c.bus)
	who := strings.TrimSpace(first + " " + last)
	if who == "" {
		who = bus
	}
	switch {
	case who == "":
		return row, "has neither a person's name (LASTNAME) nor a business name (BUSNAME)"
	case field(c.exclType) == "":
		return row, fmt.Sprintf("%s: has no exclusion type (EXCLTYPE)", who)
	}
	excluded, ok := parseLEIEDate(field(c.exclDate))
	if !ok || excluded == nil {
		return row, fmt.Sprintf("%s: EXCLDATE %q is not a date (YYYYMMDD)", who, shorten(field(c.exclDate)))
	}
	var dates [2]any
	for i, col := range []struct {
		idx  int
		name string
	}{{c.reinDate, LEIEReinstated}, {c.waiverDate, LEIEWaiverDate}} {
		v, ok := parseLEIEDate(field(col.idx))
		if !ok {
			return row, fmt.Sprintf("%s: %s %q is not a date (YYYYMMDD)", who, col.name, shorten(field(col.idx)))
		}
		dates[i] = v
	}
	npi := field(c.npi)
	if strings.Trim(npi, "0") == "" { // the list writes 0000000000 for "no NPI"
		npi = ""
	} else if p := npiProblem(npi); p != "" {
		row.note = fmt.Sprintf("%s: %s Kept without the NPI; it will be matched by name.", who, p)
		npi = ""
	}
	row.args = []any{int64(0), npi, last, first, field(c.middle), bus, lastNameKey(last), firstNameKey(first),
		field(c.general), field(c.spec), field(c.city), strings.ToUpper(field(c.state)), field(c.exclType),
		excluded, dates[0], dates[1], strings.ToUpper(field(c.waiverState)), importedAt}
	return row, ""
}

// parseLEIEDate reads YYYYMMDD into Unix milliseconds at UTC midnight; the
// list writes 00000000 (or nothing) for "none", which gives nil.
func parseLEIEDate(s string) (any, bool) {
	if s == "" || s == "00000000" {
		return nil, true
	}
	if len(s) != 8 {
		return nil, false
	}
	return dateMillis(atoi(s[0:4]), atoi(s[4:6]), atoi(s[6:8]))
}

// exclusionTypes are the statutes the OIG excludes under (Social Security
// Act §1128 and §1156), keyed as the LEIE writes them, lower case.
var exclusionTypes = map[string]string{
	"1128a1":    "conviction of program-related crimes",
	"1128a2":    "conviction relating to patient abuse or neglect",
	"1128a3":    "felony conviction relating to health care fraud",
	"1128a4":    "felony conviction relating to a controlled substance",
	"1128c3gi":  "conviction of two mandatory exclusion offenses",
	"1128c3gii": "conviction on three or more occasions of mandatory exclusion offenses",
	"1128b1":    "misdemeanor conviction relating to health care fraud, or conviction relating to fraud in another government program",
	"1128b2":    "conviction relating to obstruction of an investigation",
	"1128b3":    "misdemeanor conviction relating to a controlled substance",
	"1128b4":    "license revocation or suspension",
	"1128b5":    "exclusion or suspension under a federal or state health care program",
	"1128b6":    "claims for excessive charges, unnecessary services or services below professional standards",
	"1128b7":    "fraud, kickbacks and other prohibited activities",
	"1128b8":    "entity controlled by a sanctioned individual",
	"1128b8a":   "entity controlled by a family or household member of an excluded individual",
	"1128b9":    "failure to disclose required information",
	"1128b10":   "failure to supply requested information on subcontractors and suppliers",
	"1128b11":   "failure to supply payment information",
	"1128b12":   "failure to grant immediate access",
	"1128b13":   "failure to take corrective action",
	"1128b14":   "default on health education loan or scholarship obligations",
	"1128b15":   "individual controlling a sanctioned entity",
	"1128b16":   "false statement or misrepresentation of material fact",
	"1156":      "failure to meet the statutory obligations of practitioners and providers (peer review findings)",
}

// ExclusionTypeDescription says what an LEIE exclusion type means, or ""
// for a code it does not know.
func ExclusionTypeDescription(code string) string {
	key := strings.ToLower(strings.NewReplacer("(", "", ")", "", " ", "").Replace(code))
	return exclusionTypes[key]
}
