// Package nppesgen writes synthetic files in the NPPES dissemination format
// (npidata_pfile_….csv): the published 330-column header, every field
// quoted as CMS does, invented people and organizations with valid NPIs,
// real NUCC taxonomy codes, plausible addresses, some deactivated NPIs
// published as NPPES does (the NPI and dates only), and a share of
// malformed rows of known kinds. It exists for tests and benchmarks of the
// importer; the names are random and any likeness is chance.
package nppesgen

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"

	"github.com/rounds-health/rounds/internal/registry"
)

// Header returns the column names of the NPPES data file, in order.
func Header() []string {
	h := []string{
		"NPI", "Entity Type Code", "Replacement NPI", "Employer Identification Number (EIN)",
		"Provider Organization Name (Legal Business Name)", "Provider Last Name (Legal Name)", "Provider First Name",
		"Provider Middle Name", "Provider Name Prefix Text", "Provider Name Suffix Text", "Provider Credential Text",
		"Provider Other Organization Name", "Provider Other Organization Name Type Code", "Provider Other Last Name",
		"Provider Other First Name", "Provider Other Middle Name", "Provider Other Name Prefix Text",
		"Provider Other Name Suffix Text", "Provider Other Credential Text", "Provider Other Last Name Type Code",
		"Provider First Line Business Mailing Address", "Provider Second Line Business Mailing Address",
		"Provider Business Mailing Address City Name", "Provider Business Mailing Address State Name",
		"Provider Business Mailing Address Postal Code", "Provider Business Mailing Address Country Code (If outside U.S.)",
		"Provider Business Mailing Address Telephone Number", "Provider Business Mailing Address Fax Number",
		"Provider First Line Business Practice Location Address", "Provider Second Line Business Practice Location Address",
		"Provider Business Practice Location Address City Name", "Provider Business Practice Location Address State Name",
		"Provider Business Practice Location Address Postal Code",
		"Provider Business Practice Location Address Country Code (If outside U.S.)",
		"Provider Business Practice Location Address Telephone Number", "Provider Business Practice Location Address Fax Number",
		"Provider Enumeration Date", "Last Update Date", "NPI Deactivation Reason Code", "NPI Deactivation Date",
		"NPI Reactivation Date", "Provider Sex Code", "Authorized Official Last Name", "Authorized Official First Name",
		"Authorized Official Middle Name", "Authorized Official Title or Position", "Authorized Official Telephone Number",
	}
	for n := 1; n <= registry.TaxonomySlots; n++ {
		h = append(h, registry.ColTaxonomyCode(n), registry.ColLicenseNumber(n), registry.ColLicenseState(n), registry.ColPrimarySwitch(n))
	}
	for n := 1; n <= 50; n++ {
		h = append(h, fmt.Sprintf("Other Provider Identifier_%d", n), fmt.Sprintf("Other Provider Identifier Type Code_%d", n),
			fmt.Sprintf("Other Provider Identifier State_%d", n), fmt.Sprintf("Other Provider Identifier Issuer_%d", n))
	}
	h = append(h, "Is Sole Proprietor", "Is Organization Subpart", "Parent Organization LBN", "Parent Organization TIN",
		"Authorized Official Name Prefix Text", "Authorized Official Name Suffix Text", "Authorized Official Credential Text")
	for n := 1; n <= registry.TaxonomySlots; n++ {
		h = append(h, fmt.Sprintf("Healthcare Provider Taxonomy Group_%d", n))
	}
	return append(h, "Certification Date")
}

// Options shape a file. Shares are fractions of Rows, from 0 to 1.
type Options struct {
	Rows          int
	Seed          int64
	Malformed     float64 // rows the importer must skip
	Deactivated   float64 // NPIs published as deactivated, without details
	Organizations float64 // entity type 2
}

// DefaultOptions are what Write uses: roughly the real file's mix of
// individuals, organizations and deactivated NPIs, plus one malformed row
// in a thousand.
func DefaultOptions(rows int, seed int64) Options {
	return Options{Rows: rows, Seed: seed, Malformed: 0.001, Deactivated: 0.02, Organizations: 0.22}
}

// Stats counts what a file holds.
type Stats struct {
	Rows, Individuals, Organizations, Deactivated, Malformed int
}

// Write writes a file of rows data rows (plus the header) with the default
// shares; the same seed gives the same file.
func Write(w io.Writer, rows int, seed int64) error {
	_, err := DefaultOptions(rows, seed).Write(w)
	return err
}

// Malformation names the ways a generated row can be broken. Row i of the
// file, if malformed, is broken in way (number of malformed rows so far) mod
// len(Malformations), so that every kind appears.
var Malformations = []string{
	"check digit", "short NPI", "letters in NPI", "no last name", "entity type 3", "missing field", "impossible date",
}

// Write writes the file and says what it holds.
func (o Options) Write(w io.Writer) (Stats, error) {
	g := &generator{rng: rand.New(rand.NewPCG(uint64(o.Seed), uint64(o.Seed)^0x9e3779b97f4a7c15)), bw: bufio.NewWriterSize(w, 1<<20)}
	header := Header()
	g.cols = indexOf(header)
	g.rec = make([]string, len(header))
	g.writeRecord(header)
	// NPIs are a permutation of the first nine digits 100000000–299999999
	// (real NPIs start with 1 or 2; 7919 is prime to 2×10^8), so they are
	// unique and arrive in no particular order, as in the real file.
	offset := g.rng.IntN(npiSpace)
	var st Stats
	for i := range o.Rows {
		clear(g.rec)
		npi := npiFor((i*7919 + offset) % npiSpace)
		x := g.rng.Float64()
		switch {
		case x < o.Malformed:
			g.individual(npi)
			g.malform(st.Malformed % len(Malformations))
			st.Malformed++
		case x < o.Malformed+o.Deactivated:
			g.deactivated(npi)
			st.Deactivated++
		case x < o.Malformed+o.Deactivated+o.Organizations:
			g.organization(npi)
			st.Organizations++
		default:
			g.individual(npi)
			st.Individuals++
		}
		g.writeRecord(g.rec)
		st.Rows++
		if g.err != nil {
			return st, g.err
		}
	}
	if err := g.bw.Flush(); err != nil {
		return st, err
	}
	return st, g.err
}

// npiSpace is how many first-nine-digit prefixes there are for NPIs
// starting with 1 or 2; a file holds at most that many rows.
const npiSpace = 200_000_000

// npiFor turns a number below npiSpace into a valid NPI.
func npiFor(n int) string {
	first9 := fmt.Sprintf("%09d", 100_000_000+n)
	return first9 + string(registry.NPICheckDigit(first9))
}

type generator struct {
	rng  *rand.Rand
	bw   *bufio.Writer
	cols map[string]int
	rec  []string
	drop bool // write the next record one field short
	err  error
}

func indexOf(header []string) map[string]int {
	m := make(map[string]int, len(header))
	for i, h := range header {
		m[h] = i
	}
	return m
}

func (g *generator) set(col, v string) { g.rec[g.cols[col]] = v }

func (g *generator) pick(s []string) string { return s[g.rng.IntN(len(s))] }

func pickFrom[T any](g *generator, s []T) T { return s[g.rng.IntN(len(s))] }

func (g *generator) chance(p float64) bool { return g.rng.Float64() < p }

func (g *generator) pick2(a, b []string) []string {
	if g.chance(0.5) {
		return a
	}
	return b
}

// writeRecord quotes every field, as the NPPES file does.
func (g *generator) writeRecord(rec []string) {
	if g.err != nil {
		return
	}
	if g.drop {
		rec, g.drop = rec[:len(rec)-1], false
	}
	for i, f := range rec {
		if i > 0 {
			g.bw.WriteByte(',')
		}
		g.bw.WriteByte('"')
		if strings.IndexByte(f, '"') >= 0 {
			f = strings.ReplaceAll(f, `"`, `""`)
		}
		g.bw.WriteString(f)
		g.bw.WriteByte('"')
	}
	_, g.err = g.bw.WriteString("\n")
}

func (g *generator) date(fromYear, toYear int) (y, m, d int) {
	return fromYear + g.rng.IntN(toYear-fromYear+1), 1 + g.rng.IntN(12), 1 + g.rng.IntN(28)
}

func mdy(y, m, d int) string { return fmt.Sprintf("%02d/%02d/%04d", m, d, y) }

// dates fills enumeration, last update and certification dates, in order.
func (g *generator) dates() {
	y, m, d := g.date(2005, 2023)
	g.set(registry.ColEnumerationDate, mdy(y, m, d))
	uy, um, ud := g.date(y+1, 2025)
	g.set(registry.ColLastUpdateDate, mdy(uy, um, ud))
	g.set("Certification Date", mdy(uy, um, ud))
}

func (g *generator) address(c city) {
	line1 := fmt.Sprintf("%d %s %s", 1+g.rng.IntN(9899), g.pick(streets), g.pick(streetTypes))
	line2 := ""
	if g.chance(0.3) {
		line2 = fmt.Sprintf("%s %d", g.pick([]string{"SUITE", "STE", "FLOOR", "BLDG"}), 1+g.rng.IntN(600))
	}
	zip := fmt.Sprintf("%s%02d", c.zip3, g.rng.IntN(100))
	if g.chance(0.6) {
		zip += fmt.Sprintf("%04d", g.rng.IntN(10000))
	}
	phone := fmt.Sprintf("%s%03d%04d", c.area, 200+g.rng.IntN(800), g.rng.IntN(10000))
	for _, prefix := range []string{"Provider First Line Business Mailing Address", registry.ColPracticeLine1} {
		g.set(prefix, line1)
	}
	g.set("Provider Second Line Business Mailing Address", line2)
	g.set(registry.ColPracticeLine2, line2)
	g.set("Provider Business Mailing Address City Name", c.name)
	g.set(registry.ColPracticeCity, c.name)
	g.set("Provider Business Mailing Address State Name", c.state)
	g.set(registry.ColPracticeState, c.state)
	g.set("Provider Business Mailing Address Postal Code", zip)
	g.set(registry.ColPracticePostal, zip)
	g.set("Provider Business Mailing Address Country Code (If outside U.S.)", "US")
	g.set("Provider Business Practice Location Address Country Code (If outside U.S.)", "US")
	g.set("Provider Business Mailing Address Telephone Number", phone)
	g.set(registry.ColPracticePhone, phone)
}

func (g *generator) individual(npi string) {
	c := pickFrom(g, cities)
	spec := pickFrom(g, clinicianTaxonomies)
	g.set(registry.ColNPI, npi)
	g.set(registry.ColEntityType, "1")
	sex := g.pick([]string{"F", "M"})
	first := g.pick(firstNamesF)
	if sex == "M" {
		first = g.pick(firstNamesM)
	}
	g.set(registry.ColLastName, g.pick(lastNames))
	g.set(registry.ColFirstName, first)
	switch x := g.rng.Float64(); {
	case x < 0.35:
		g.set(registry.ColMiddleName, g.pick(g.pick2(firstNamesF, firstNamesM)))
	case x < 0.7:
		g.set(registry.ColMiddleName, string(rune('A'+g.rng.IntN(26))))
	}
	if spec.doctor && g.chance(0.4) {
		g.set(registry.ColNamePrefix, "DR.")
	}
	if sex == "M" && g.chance(0.04) {
		g.set(registry.ColNameSuffix, g.pick([]string{"JR.", "SR.", "III"}))
	}
	g.set(registry.ColCredential, g.pick(spec.credentials))
	g.set("Provider Sex Code", sex)
	g.set("Is Sole Proprietor", g.pick([]string{"N", "N", "N", "Y", "X"}))
	g.address(c)
	g.dates()
	g.taxonomies(spec, clinicianTaxonomies, c.state, true)
}

func (g *generator) organization(npi string) {
	c := pickFrom(g, cities)
	spec := pickFrom(g, organizationTaxonomies)
	g.set(registry.ColNPI, npi)
	g.set(registry.ColEntityType, "2")
	name := fmt.Sprintf("%s %s %s", g.pick([]string{c.name, g.pick(lastNames), g.pick(streets)}), spec.orgWord, g.pick(orgSuffixes))
	g.set(registry.ColOrganizationName, strings.TrimSpace(name))
	g.set("Authorized Official Last Name", g.pick(lastNames))
	g.set("Authorized Official First Name", g.pick(firstNamesF))
	g.set("Authorized Official Title or Position", g.pick([]string{"CEO", "ADMINISTRATOR", "OFFICE MANAGER", "CFO", "PRESIDENT"}))
	g.set("Authorized Official Telephone Number", fmt.Sprintf("%s5550%03d", c.area, g.rng.IntN(1000)))
	g.set("Is Organization Subpart", g.pick([]string{"N", "N", "N", "Y"}))
	g.address(c)
	g.dates()
	g.taxonomies(spec, organizationTaxonomies, c.state, false)
}

// taxonomies fills one to three taxonomy groups, the first primary.
func (g *generator) taxonomies(primary taxonomy, pool []taxonomy, state string, licensed bool) {
	n := 1
	if g.chance(0.25) {
		n += 1 + g.rng.IntN(2)
	}
	slots := g.rng.Perm(n) // the primary is not always in slot 1
	for i := range n {
		t := primary
		if i > 0 {
			t = pickFrom(g, pool)
		}
		slot := slots[i] + 1
		g.set(registry.ColTaxonomyCode(slot), t.code)
		if licensed {
			g.set(registry.ColLicenseNumber(slot), fmt.Sprintf("%s%06d", t.licensePrefix, g.rng.IntN(1_000_000)))
			g.set(registry.ColLicenseState(slot), state)
		}
		sw := "N"
		if i == 0 {
			sw = "Y"
		}
		g.set(registry.ColPrimarySwitch(slot), sw)
	}
}

// deactivated writes what NPPES publishes for a deactivated NPI: the NPI
// and its deactivation date, every other field empty.
func (g *generator) deactivated(npi string) {
	g.set(registry.ColNPI, npi)
	y, m, d := g.date(2008, 2024)
	g.set(registry.ColDeactivationDate, mdy(y, m, d))
}

func (g *generator) malform(kind int) {
	npi := g.rec[g.cols[registry.ColNPI]]
	switch Malformations[kind] {
	case "check digit":
		g.set(registry.ColNPI, npi[:9]+string('0'+(npi[9]-'0'+1)%10))
	case "short NPI":
		g.set(registry.ColNPI, npi[:9])
	case "letters in NPI":
		g.set(registry.ColNPI, npi[:4]+"O"+npi[5:])
	case "no last name":
		g.set(registry.ColLastName, "")
	case "entity type 3":
		g.set(registry.ColEntityType, "3")
	case "missing field":
		g.drop = true
	case "impossible date":
		g.set(registry.ColEnumerationDate, "13/45/2019")
	}
}
