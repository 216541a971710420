package registry_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rounds-health/rounds/internal/audit"
	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/registry"
)

const leieHeader = "LASTNAME,FIRSTNAME,MIDNAME,BUSNAME,GENERAL,SPECIALTY,UPIN,NPI,DOB,ADDRESS,CITY,STATE,ZIP,EXCLTYPE,EXCLDATE,REINDATE,WAIVERDATE,WVRSTATE\n"

// leieRow writes a row as the OIG does: every field quoted.
func leieRow(last, first, bus, npi, state, exclType, exclDate string) string {
	fields := []string{last, first, "", bus, "IND- LIC HC SERV PRO", "PHYSICIAN", "", npi, "19650415", "100 MAIN ST",
		"SPRINGFIELD", state, "62701", exclType, exclDate, "00000000", "00000000", ""}
	return `"` + strings.Join(fields, `","`) + `"` + "\n"
}

func importExclusions(t *testing.T, r *rig, file string) *registry.Summary {
	t.Helper()
	sum, err := r.reg.ImportExclusions(context.Background(), strings.NewReader(file), registry.ImportOptions{Source: "UPDATED.csv"})
	if err != nil {
		t.Fatalf("ImportExclusions: %v (summary %+v)", err, sum)
	}
	return sum
}

func excluded(t *testing.T, r *rig, npi, first, last, state string) *registry.Exclusion {
	t.Helper()
	e, err := r.reg.Excluded(context.Background(), npi, first, last, state)
	if err != nil {
		t.Fatalf("Excluded(%q, %q, %q, %q): %v", npi, first, last, state, err)
	}
	return e
}

func TestImportExclusions_MatchesByNPIWhenListedElseByName(t *testing.T) {
	r := newRig(t)
	robertNPI, otherNPI, typoNPI := validNPI("500000001"), validNPI("500000002"), "1234567890"
	file := leieHeader +
		leieRow("EXCLUDED", "ROBERT", "", robertNPI, "TX", "1128a1", "20200319") + // line 2
		leieRow("DOE", "JANE", "", "0000000000", "FL", "1128b4", "20210601") + // 3
		leieRow("", "", "#1 MARKETING SERVICE, INC", "0000000000", "NY", "1128a1", "20200319") + // 4: a business
		leieRow("NOTYPE", "NED", "", "0000000000", "OH", "", "20190101") + // 5
		leieRow("BADDATE", "BEA", "", "0000000000", "OH", "1128b7", "2019-01-01") + // 6
		`"SHORT","ROW","","","","","","0000000000"` + "\n" + // 7
		leieRow("", "", "", "0000000000", "OH", "1128b7", "20190101") + // 8: nobody
		leieRow("TYPO", "TOM", "", typoNPI, "WA", "1128b5", "20180101") // 9: kept, without the NPI
	sum := importExclusions(t, r, file)
	if sum.Rows != 8 || sum.Imported != 4 || sum.Skipped != 4 {
		t.Fatalf("summary = %+v, want 8 rows, 4 imported, 4 skipped", sum)
	}
	want := []struct {
		line   int
		reason string
	}{
		{5, "NED NOTYPE: has no exclusion type"},
		{6, `BEA BADDATE: EXCLDATE "2019-01-01" is not a date (YYYYMMDD)`},
		{7, "has 8 fields; the header has 18"},
		{8, "has neither a person's name"},
		{9, "TOM TYPO: NPI 1234567890 fails its check digit"},
	}
	if len(sum.Problems) != len(want) {
		t.Fatalf("problems = %+v", sum.Problems)
	}
	for i, w := range want {
		if p := sum.Problems[i]; p.Line != w.line || !strings.Contains(p.Reason, w.reason) {
			t.Errorf("problem %d = line %d %q, want line %d with %q", i, p.Line, p.Reason, w.line, w.reason)
		}
	}

	e := excluded(t, r, robertNPI, "Bob", "Someone", "")
	if e == nil || e.MatchedBy != "npi" || e.Type != "1128a1" || !e.ExcludedOn.Equal(time.Date(2020, 3, 19, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("by NPI = %+v", e)
	}
	if !strings.Contains(e.Reason(), "1128a1: conviction of program-related crimes, since 2020-03-19") {
		t.Errorf("Reason = %q", e.Reason())
	}
	if e := excluded(t, r, otherNPI, "Robert", "Excluded", "TX"); e != nil {
		t.Errorf("the list gives Robert's NPI, yet a namesake with another NPI matched: %+v", e)
	}
	if e := excluded(t, r, "", "robert", "excluded", ""); e == nil || e.MatchedBy != "name" {
		t.Errorf("without an NPI to compare, the name should match: %+v", e)
	}
	for _, tc := range []struct {
		npi, first, last, state string
		match                   bool
	}{
		{otherNPI, "Jane", "Doe", "FL", true},
		{otherNPI, "JANE M.", "Doe", "", true},
		{"", "Jane", "Doe", "fl", true},
		{otherNPI, "Jane", "Doe", "CA", false}, // both states known, and different
		{otherNPI, "John", "Doe", "FL", false},
		{otherNPI, "Tom", "Typo", "WA", true}, // kept without its malformed NPI
		{otherNPI, "", "", "NY", false},       // businesses never match an empty name
	} {
		e := excluded(t, r, tc.npi, tc.first, tc.last, tc.state)
		if (e != nil) != tc.match || (e != nil && e.MatchedBy != "name") {
			t.Errorf("Excluded(%q, %q, %q, %q) = %+v, want match %v", tc.npi, tc.first, tc.last, tc.state, e, tc.match)
		}
	}
	if _, err := r.reg.Excluded(context.Background(), "123", "Jane", "Doe", ""); errs.FieldMessage(err, "npi") == "" {
		t.Errorf("a malformed NPI should be refused: %v", err)
	}

	recs := r.auditRecords(t, registry.ActionImportExclusions)
	if len(recs) != 1 || recs[0].Outcome != audit.Success || !strings.HasPrefix(recs[0].Detail, "rows=8 imported=4 skipped=4 ") ||
		strings.Contains(recs[0].Detail, "DOE") {
		t.Fatalf("audit = %+v", recs)
	}
}

func TestImportExclusions_DoesNotKeepDatesOfBirth(t *testing.T) {
	r := newRig(t)
	importExclusions(t, r, leieHeader+leieRow("DOE", "JANE", "", "0000000000", "FL", "1128b4", "20210601"))
	// The file's DOB (19650415) has nowhere to go: the table has no such column.
	var n int
	if err := r.db.QueryRow(context.Background(), "SELECT COUNT(*) FROM registry_exclusions WHERE city <> ''").Scan(&n); err != nil || n != 1 {
		t.Fatalf("the imported row: %d, %v", n, err)
	}
	if err := r.db.QueryRow(context.Background(), "SELECT COUNT(*) FROM registry_exclusions WHERE dob <> ''").Scan(&n); err == nil {
		t.Fatal("registry_exclusions has a dob column")
	}
}

func TestImportExclusions_ReimportDropsReinstatedPeople(t *testing.T) {
	r := newRig(t)
	robertNPI := validNPI("500000003")
	importExclusions(t, r, leieHeader+
		leieRow("EXCLUDED", "ROBERT", "", robertNPI, "TX", "1128a1", "20200319")+
		leieRow("DOE", "JANE", "", "0000000000", "FL", "1128b4", "20210601"))
	sum := importExclusions(t, r, leieHeader+leieRow("DOE", "JANE", "", "0000000000", "FL", "1128b4", "20210601"))
	if sum.Imported != 1 {
		t.Fatalf("second import = %+v", sum)
	}
	if e := excluded(t, r, robertNPI, "Robert", "Excluded", "TX"); e != nil {
		t.Errorf("Robert is no longer listed, so he was reinstated; still excluded: %+v", e)
	}
	if e := excluded(t, r, "", "Jane", "Doe", "FL"); e == nil {
		t.Error("Jane is still listed but no longer excluded")
	}
	if _, n, _ := r.reg.Counts(context.Background()); n != 1 {
		t.Errorf("%d exclusion entries after replacing the list with one", n)
	}
}

func TestImportExclusions_AFileWithoutUsableRowsChangesNothing(t *testing.T) {
	r := newRig(t)
	importExclusions(t, r, leieHeader+leieRow("DOE", "JANE", "", "0000000000", "FL", "1128b4", "20210601"))
	for _, file := range []string{
		leieHeader, // a truncated download
		leieHeader + leieRow("NOTYPE", "NED", "", "0000000000", "OH", "", "20190101"),
		"NPI,Entity Type Code\n1234567893,1\n", // the wrong file
	} {
		sum, err := r.reg.ImportExclusions(context.Background(), strings.NewReader(file), registry.ImportOptions{})
		if !errs.Is(err, errs.KindInvalid) || sum.Imported != 0 {
			t.Fatalf("ImportExclusions(%q) = %+v, %v; want an invalid file", file, sum, err)
		}
		if e := excluded(t, r, "", "Jane", "Doe", "FL"); e == nil {
			t.Fatal("a rejected file emptied the exclusion list")
		}
	}
	recs := r.auditRecords(t, registry.ActionImportExclusions)
	if len(recs) != 4 || recs[0].Outcome != audit.Failure || recs[3].Outcome != audit.Success {
		t.Fatalf("audit = %+v", recs)
	}
}

func TestExcluded_HonoursReinstatementDates(t *testing.T) {
	r := newRig(t)
	row := strings.Replace(leieRow("DOE", "JANE", "", "0000000000", "FL", "1128b14", "20210601"), `"00000000","00000000"`, `"20250101","00000000"`, 1)
	importExclusions(t, r, leieHeader+row)
	r.reg.SetClock(func() time.Time { return time.Date(2024, 12, 31, 12, 0, 0, 0, time.UTC) })
	e := excluded(t, r, "", "Jane", "Doe", "FL")
	if e == nil || !strings.Contains(e.Describe(), "default on health education loan") {
		t.Fatalf("before the reinstatement date = %+v", e)
	}
	r.reg.SetClock(func() time.Time { return time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC) })
	if e := excluded(t, r, "", "Jane", "Doe", "FL"); e != nil {
		t.Fatalf("after the reinstatement date = %+v", e)
	}
}

func TestImportExclusions_RefusesATruncatedList(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	var full strings.Builder
	full.WriteString(leieHeader)
	for i := range 300 {
		full.WriteString(leieRow(fmt.Sprintf("PERSON%d", i), "ANN", "", "0000000000", "MA", "1128a1", "20190320"))
	}
	importExclusions(t, r, full.String())
	short := leieHeader + leieRow("PERSON1", "ANN", "", "0000000000", "MA", "1128a1", "20190320")
	if _, err := r.reg.ImportExclusions(ctx, strings.NewReader(short), registry.ImportOptions{}); errs.FieldMessage(err, "file") == "" {
		t.Fatalf("a list of 1 replacing 300 = %v; want refused as likely truncated", err)
	}
	if ex, _ := r.reg.Excluded(ctx, "", "ANN", "PERSON200", "MA"); ex == nil {
		t.Fatal("the refused import changed the list")
	}
	if _, err := r.reg.ImportExclusions(ctx, strings.NewReader(short), registry.ImportOptions{Force: true}); err != nil {
		t.Fatalf("with Force: %v", err)
	}
	if ex, _ := r.reg.Excluded(ctx, "", "ANN", "PERSON200", "MA"); ex != nil {
		t.Fatal("the forced import did not replace the list")
	}
}
