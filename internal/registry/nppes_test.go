package registry_test

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rounds-health/rounds/internal/audit"
	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/registry"
	"github.com/rounds-health/rounds/internal/registry/nppesgen"
)

func TestImportNPPES_SkipsMalformedRowsByLineAndImportsTheRest(t *testing.T) {
	r := newRig(t)
	cardiologist := individual("1234567893", "Mary", "Smith").with(
		registry.ColMiddleName, "Ann", registry.ColNamePrefix, "DR.", registry.ColCredential, "M.D.",
		registry.ColTaxonomyCode(1), "207R00000X", registry.ColPrimarySwitch(1), "N",
		registry.ColLicenseNumber(1), "MD12345", registry.ColLicenseState(1), "MA",
		registry.ColTaxonomyCode(2), "207RC0000X", registry.ColPrimarySwitch(2), "Y",
		registry.ColLicenseNumber(2), "MD12345", registry.ColLicenseState(2), "ma",
		registry.ColPracticeLine1, "55 FRUIT ST", registry.ColPracticeCity, "BOSTON", registry.ColPracticeState, "MA",
		registry.ColPracticePostal, "021142696", registry.ColPracticePhone, "6177262000")
	file := nppesCSV(t, header,
		cardiologist, // line 2
		individual("1234567890", "Bad", "Checkdigit"), // 3
		row{registry.ColNPI: validNPI("100300012"), registry.ColEntityType: "2", // 4
			registry.ColOrganizationName: "HARBORVIEW HEART INSTITUTE LLC", registry.ColTaxonomyCode(1): "282N00000X"},
		individual(validNPI("100300013"), "Nolast", ""),                                                             // 5
		individual(validNPI("100300014"), "Three", "Entity").with(registry.ColEntityType, "3"),                      // 6
		individual(validNPI("100300015"), "Short", "Row").with("_fields", fmt.Sprint(len(header)-1)),                // 7
		row{registry.ColNPI: validNPI("100300016"), registry.ColDeactivationDate: "03/01/2019"},                     // 8: deactivated, details withheld
		individual(validNPI("100300017"), "Multi", "Line").with(registry.ColPracticeLine1, "1 MAIN ST\nBUILDING B"), // 9–10
		individual("12345", "Too", "Short"),                                                                         // 11
		individual(validNPI("100300018"), "Bad", "Date").with(registry.ColEnumerationDate, "02/30/2010"),            // 12
	)
	sum := importNPPES(t, r, file, 2)

	if sum.Rows != 10 || sum.Imported != 4 || sum.Skipped != 6 {
		t.Fatalf("summary rows/imported/skipped = %d/%d/%d, want 10/4/6", sum.Rows, sum.Imported, sum.Skipped)
	}
	want := []struct {
		line   int
		reason string
	}{
		{3, "NPI 1234567890 fails its check digit"},
		{5, "needs a last name"},
		{6, `Entity Type Code "3" is not 1 (individual) or 2 (organization)`},
		{7, fmt.Sprintf("has %d fields; the header has %d", len(header)-1, len(header))},
		{11, "NPI must be exactly 10 digits; got 5"},
		{12, `Provider Enumeration Date "02/30/2010" is not a date`},
	}
	if len(sum.Problems) != len(want) {
		t.Fatalf("problems = %+v, want %d", sum.Problems, len(want))
	}
	for i, w := range want {
		if p := sum.Problems[i]; p.Line != w.line || !strings.Contains(p.Reason, w.reason) {
			t.Errorf("problem %d = line %d %q; want line %d containing %q", i, p.Line, p.Reason, w.line, w.reason)
		}
	}

	p := provider(t, r, "1234567893")
	if p.EntityType != registry.Individual || p.Name() != "DR. Mary Ann Smith" || p.Credential != "M.D." {
		t.Errorf("provider = %v %q %q", p.EntityType, p.Name(), p.Credential)
	}
	if p.PrimaryTaxonomy() != "207RC0000X" || len(p.Taxonomies) != 2 || p.Taxonomies[1].LicenseState != "MA" || p.Taxonomies[1].License != "MD12345" {
		t.Errorf("taxonomies = %+v", p.Taxonomies)
	}
	if p.Location != (registry.Location{Line1: "55 FRUIT ST", City: "BOSTON", State: "MA", PostalCode: "021142696", Phone: "6177262000"}) {
		t.Errorf("location = %+v", p.Location)
	}
	if !p.EnumeratedOn.Equal(time.Date(2005, 5, 23, 0, 0, 0, 0, time.UTC)) || p.Deactivated() {
		t.Errorf("enumerated %v, deactivated %v", p.EnumeratedOn, p.Deactivated())
	}
	if org := provider(t, r, validNPI("100300012")); org.EntityType != registry.Organization || org.Name() != "HARBORVIEW HEART INSTITUTE LLC" ||
		org.PrimaryTaxonomy() != "282N00000X" {
		t.Errorf("organization = %+v", org)
	}
	if gone := provider(t, r, validNPI("100300016")); !gone.Deactivated() || gone.EntityType != registry.Undisclosed {
		t.Errorf("deactivated-only row = %+v", gone)
	}
	if ml := provider(t, r, validNPI("100300017")); ml.Location.Line1 != "1 MAIN ST\nBUILDING B" {
		t.Errorf("multi-line address = %q", ml.Location.Line1)
	}
	for _, skipped := range []string{validNPI("100300013"), validNPI("100300014"), validNPI("100300015"), validNPI("100300018")} {
		if _, err := r.reg.Provider(context.Background(), skipped); !errs.Is(err, errs.KindNotFound) {
			t.Errorf("skipped row %s was written: %v", skipped, err)
		}
	}

	recs := r.auditRecords(t, registry.ActionImportNPPES)
	if len(recs) != 1 {
		t.Fatalf("%d audit records for one import", len(recs))
	}
	if rec := recs[0]; rec.Outcome != audit.Success || rec.Actor != "cli" || rec.Target != "file:npidata_pfile_test.csv" ||
		!strings.HasPrefix(rec.Detail, "rows=10 imported=4 skipped=6 ") || strings.Contains(strings.ToUpper(rec.Detail), "SMITH") {
		t.Errorf("audit record = %+v", rec)
	}
}

func TestImportNPPES_ReimportUpdatesAndKeepsNamesOfDeactivatedNPIs(t *testing.T) {
	r := newRig(t)
	moving, retiring, back := validNPI("200000001"), validNPI("200000002"), validNPI("200000003")
	importNPPES(t, r, nppesCSV(t, header,
		individual(moving, "Lucas", "Moreau").with(registry.ColPracticeCity, "PORTLAND", registry.ColPracticeState, "ME"),
		individual(retiring, "Amara", "Osei").with(registry.ColTaxonomyCode(1), "207RC0000X"),
		individual(back, "Priya", "Raman").with(registry.ColDeactivationDate, "01/15/2020"),
	), 1000)
	if !provider(t, r, back).Deactivated() {
		t.Fatal("a row with a deactivation date is not deactivated")
	}

	sum := importNPPES(t, r, nppesCSV(t, header,
		individual(moving, "Lucas", "Moreau-Blanc").with(registry.ColPracticeCity, "DENVER", registry.ColPracticeState, "CO",
			registry.ColTaxonomyCode(1), "", registry.ColPrimarySwitch(1), "",
			registry.ColTaxonomyCode(3), "207P00000X", registry.ColPrimarySwitch(3), "X"),
		row{registry.ColNPI: retiring, registry.ColDeactivationDate: "06/30/2024"},
		individual(back, "Priya", "Raman").with(registry.ColDeactivationDate, "01/15/2020", registry.ColReactivationDate, "03/01/2021"),
	), 1000)
	if sum.Imported != 3 || sum.Skipped != 0 {
		t.Fatalf("re-import summary = %+v", sum)
	}
	p := provider(t, r, moving)
	if p.LastName != "Moreau-Blanc" || p.Location.City != "DENVER" || p.Location.State != "CO" ||
		len(p.Taxonomies) != 1 || p.PrimaryTaxonomy() != "207P00000X" {
		t.Errorf("updated provider = %+v", p)
	}
	p = provider(t, r, retiring)
	if !p.Deactivated() || p.LastName != "Osei" || p.PrimaryTaxonomy() != "207RC0000X" || p.EntityType != registry.Individual {
		t.Errorf("deactivated provider lost what the registry knew: %+v", p)
	}
	if provider(t, r, back).Deactivated() {
		t.Error("a reactivated NPI still reads as deactivated")
	}
	n, _, err := r.reg.Counts(context.Background())
	if err != nil || n != 3 {
		t.Fatalf("Counts = %d, %v; want 3 providers after re-import", n, err)
	}
	if recs := r.auditRecords(t, registry.ActionImportNPPES); len(recs) != 2 {
		t.Fatalf("%d audit records for two imports", len(recs))
	}
}

func TestImportNPPES_FindsColumnsByNameInAnyOrder(t *testing.T) {
	r := newRig(t)
	h := slices.Clone(header)
	slices.Reverse(h)
	h = append(h, "A Column From Next Year")
	npi := validNPI("300000001")
	sum := importNPPES(t, r, nppesCSV(t, h, individual(npi, "Nina", "Kowalski").with("A Column From Next Year", "x")), 1000)
	if sum.Imported != 1 || provider(t, r, npi).FirstName != "Nina" {
		t.Fatalf("summary %+v", sum)
	}
}

func TestImportNPPES_LaterRowOfARepeatedNPIWins(t *testing.T) {
	r := newRig(t)
	npi := validNPI("300000002")
	// Twenty rows, so that both copies would share one multi-row statement,
	// which PostgreSQL refuses ("cannot affect row a second time").
	rows := []row{individual(npi, "First", "Version")}
	for i := range 18 {
		rows = append(rows, individual(validNPI(fmt.Sprintf("3100000%02d", i)), "Other", "Person"))
		if i == 5 {
			rows = append(rows, individual(npi, "Second", "Version"))
		}
	}
	sum := importNPPES(t, r, nppesCSV(t, header, rows...), 1000)
	if sum.Imported != 20 || provider(t, r, npi).FirstName != "Second" {
		t.Fatalf("summary %+v, first name %q", sum, provider(t, r, npi).FirstName)
	}
	if n, _, _ := r.reg.Counts(context.Background()); n != 19 {
		t.Fatalf("%d providers, want 19", n)
	}
}

func TestImportNPPES_RefusesAFileWithoutTheHeader(t *testing.T) {
	withoutNPI := slices.DeleteFunc(slices.Clone(header), func(s string) bool { return s == registry.ColNPI || s == registry.ColLicenseState(7) })
	for _, tc := range []struct {
		name, file, want string
	}{
		{"empty", "", "The file is empty"},
		{"missing columns", nppesCSV(t, withoutNPI, row{}), `no column "NPI", "Provider License Number State Code_7"`},
		{"the exclusion list", "LASTNAME,FIRSTNAME,NPI\nDOE,JANE,0000000000\n", `no column "Entity Type Code"`},
		{"not CSV", "\"NPI\",\"Entity\"Type\n", "not valid CSV"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t)
			_, err := r.reg.ImportNPPES(context.Background(), strings.NewReader(tc.file), registry.ImportOptions{})
			if !errs.Is(err, errs.KindInvalid) || !strings.Contains(errs.FieldMessage(err, "file"), tc.want) {
				t.Fatalf("ImportNPPES = %v, want an invalid file saying %q", err, tc.want)
			}
			if n, _, _ := r.reg.Counts(context.Background()); n != 0 {
				t.Fatalf("%d providers written from a rejected file", n)
			}
			recs := r.auditRecords(t, registry.ActionImportNPPES)
			if len(recs) != 1 || recs[0].Outcome != audit.Failure || !strings.Contains(recs[0].Detail, "error=invalid file") {
				t.Fatalf("audit = %+v, want one failure", recs)
			}
		})
	}
}

func TestImportNPPES_GeneratedFileRoundTrips(t *testing.T) {
	r := newRig(t)
	var buf bytes.Buffer
	opts := nppesgen.DefaultOptions(3000, 42)
	opts.Malformed = 0.01
	st, err := opts.Write(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if st.Malformed < len(nppesgen.Malformations) || st.Deactivated == 0 || st.Organizations == 0 {
		t.Fatalf("generator stats %+v: every kind should appear", st)
	}
	var progress []int
	sum, err := r.reg.ImportNPPES(context.Background(), &buf, registry.ImportOptions{BatchSize: 500, ProgressEvery: 1000,
		Progress: func(n int) { progress = append(progress, n) }})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Rows != 3000 || sum.Skipped != st.Malformed || sum.Imported != 3000-st.Malformed {
		t.Fatalf("summary %d rows, %d imported, %d skipped; generator made %+v", sum.Rows, sum.Imported, sum.Skipped, st)
	}
	if !slices.Equal(progress, []int{1000, 2000, 3000}) {
		t.Errorf("progress calls = %v", progress)
	}
	n, _, err := r.reg.Counts(context.Background())
	if err != nil || n != sum.Imported {
		t.Fatalf("Counts = %d, %v; want %d", n, err, sum.Imported)
	}
	// Iterate the whole registry in pages, as profile seeding will.
	seen, after := 0, ""
	for {
		page, err := r.reg.Providers(context.Background(), after, 700)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range page {
			if p.NPI <= after {
				t.Fatalf("page out of order: %s after %s", p.NPI, after)
			}
			if registry.ValidateNPI(p.NPI) != nil || (p.EntityType != registry.Undisclosed && p.PrimaryTaxonomy() == "") {
				t.Fatalf("generated provider %+v", p)
			}
			after = p.NPI
		}
		seen += len(page)
		if len(page) < 700 {
			break
		}
	}
	if seen != n {
		t.Fatalf("paging saw %d of %d providers", seen, n)
	}
}

func TestProviders_RejectsAbsurdPages(t *testing.T) {
	r := newRig(t)
	for _, tc := range []struct {
		after string
		limit int
		field string
	}{{"", 0, "limit"}, {"", registry.MaxPage + 1, "limit"}, {"12ab", 10, "after"}, {"12345678901", 10, "after"}} {
		if _, err := r.reg.Providers(context.Background(), tc.after, tc.limit); errs.FieldMessage(err, tc.field) == "" {
			t.Errorf("Providers(%q, %d) = %v, want a message on %s", tc.after, tc.limit, err, tc.field)
		}
	}
}
