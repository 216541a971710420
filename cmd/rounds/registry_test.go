package main

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/app"
	"github.com/rounds-health/rounds/internal/audit"
	"github.com/rounds-health/rounds/internal/config"
	"github.com/rounds-health/rounds/internal/registry"
	"github.com/rounds-health/rounds/internal/registry/nppesgen"
	"github.com/rounds-health/rounds/internal/testkit"
)

func TestDevGenNPPES_WritesTheRealHeaderAndRows(t *testing.T) {
	file := filepath.Join(t.TempDir(), "npidata_pfile_test.csv")
	code, out, errOut := dev("gen-nppes", "--rows", "300", "--out", file, "--seed", "7", "--malformed", "0.05")
	if code != 0 || !strings.Contains(out, "wrote 300 rows to "+file) || !strings.Contains(out, "malformed") {
		t.Fatalf("gen-nppes = %d %q %q", code, out, errOut)
	}
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	lines := 0
	for sc.Scan() {
		if lines == 0 && !strings.HasPrefix(sc.Text(), `"NPI","Entity Type Code","Replacement NPI","Employer Identification Number (EIN)",`) {
			t.Fatalf("header = %.200s", sc.Text())
		}
		lines++
	}
	if lines != 301 {
		t.Fatalf("%d lines, want the header and 300 rows", lines)
	}
	for _, bad := range [][]string{
		{"gen-nppes", "--out", file},
		{"gen-nppes", "--rows", "10"},
		{"gen-nppes", "--rows", "10", "--out", file, "--malformed", "2"},
		{"gen-nppes", "--rows", "10", "--out", file, "extra"},
		{"frobnicate"},
	} {
		if code, _, _ := dev(bad...); code != 2 {
			t.Errorf("%v exited %d, want 2", bad, code)
		}
	}
}

func TestAdminImportNPPES_ImportsReportsAndAudits(t *testing.T) {
	cfg := testkit.Config(t)
	file := filepath.Join(t.TempDir(), "npidata.csv")
	f, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	opts := nppesgen.DefaultOptions(1200, 3)
	opts.Malformed = 0.02
	st, err := opts.Write(f)
	if err != nil || f.Close() != nil {
		t.Fatal(err)
	}

	code, out, errOut := cli(t, cfg, "", "admin", "import-nppes", file)
	if code != 0 {
		t.Fatalf("import-nppes = %d %q %q", code, out, errOut)
	}
	for _, want := range []string{
		"imported " + itoa(1200-st.Malformed) + " of 1200 rows from " + file,
		"skipped " + itoa(st.Malformed), "rows/s", "first problems:", "  line ", "fails its check digit",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}

	a := openApp(t, cfg)
	n, _, err := registry.NewService(a.DB, a.Audit, a.IDs).Counts(context.Background())
	if err != nil || n != 1200-st.Malformed {
		t.Fatalf("registry holds %d providers, %v", n, err)
	}
	recs, err := a.Audit.List(context.Background(), audit.Filter{Action: registry.ActionImportNPPES})
	if err != nil || len(recs) != 1 || recs[0].Actor != "cli" || recs[0].Target != "file:npidata.csv" {
		t.Fatalf("audit = %+v, %v", recs, err)
	}
}

func TestAdminImport_ExitCodes(t *testing.T) {
	cfg := testkit.Config(t)
	dir := t.TempDir()
	notNPPES := filepath.Join(dir, "other.csv")
	unusable := filepath.Join(dir, "UPDATED.csv")
	if os.WriteFile(notNPPES, []byte("NAME,CITY\nx,y\n"), 0o600) != nil ||
		os.WriteFile(unusable, []byte("LASTNAME,FIRSTNAME,MIDNAME,BUSNAME,GENERAL,SPECIALTY,UPIN,NPI,DOB,ADDRESS,CITY,STATE,ZIP,EXCLTYPE,EXCLDATE,REINDATE,WAIVERDATE,WVRSTATE\nDOE,JANE\n"), 0o600) != nil {
		t.Fatal("write files")
	}
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"admin", "import-nppes", filepath.Join(dir, "missing.csv")}, 1, "cannot read the file"},
		{[]string{"admin", "import-nppes", notNPPES}, 1, `no column "NPI"`},
		{[]string{"admin", "import-exclusions", notNPPES}, 1, `no column "LASTNAME"`},
		{[]string{"admin", "import-exclusions", unusable}, 1, "None of the file's 1 rows could be used"},
		{[]string{"admin", "import-nppes"}, 2, "name the file to import"},
		{[]string{"admin", "import-nppes", notNPPES, "second.csv"}, 2, `unexpected argument "second.csv"`},
		{[]string{"admin", "import-exclusions", "--nonsense", notNPPES}, 2, "flag provided but not defined"},
	} {
		code, _, errOut := cli(t, cfg, "", tc.args...)
		if code != tc.code || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v = %d %q; want %d with %q", tc.args, code, errOut, tc.code, tc.want)
		}
	}
	// A rejected exclusion list still says which rows were wrong.
	if _, out, _ := cli(t, cfg, "", "admin", "import-exclusions", unusable); !strings.Contains(out, "line 2: has 2 fields; the header has 18") {
		t.Errorf("the summary of a rejected file = %q", out)
	}
}

func TestAdminImportExclusions_ReplacesTheList(t *testing.T) {
	cfg := testkit.Config(t)
	dir := t.TempDir()
	header := "LASTNAME,FIRSTNAME,MIDNAME,BUSNAME,GENERAL,SPECIALTY,UPIN,NPI,DOB,ADDRESS,CITY,STATE,ZIP,EXCLTYPE,EXCLDATE,REINDATE,WAIVERDATE,WVRSTATE\n"
	jane := `"DOE","JANE","","","IND- LIC HC SERV PRO","NURSE/NURSES AIDE","","0000000000","19700101","1 MAIN ST","TAMPA","FL","33601","1128b4","20210601","00000000","00000000",""` + "\n"
	bob := `"ROE","BOB","","","IND- LIC HC SERV PRO","PHYSICIAN","","1234567893","19600101","2 MAIN ST","AUSTIN","TX","78701","1128a1","20200319","00000000","00000000",""` + "\n"
	first, second := filepath.Join(dir, "UPDATED-1.csv"), filepath.Join(dir, "UPDATED-2.csv")
	if os.WriteFile(first, []byte(header+jane+bob+`"BROKEN"`+"\n"), 0o600) != nil || os.WriteFile(second, []byte(header+jane), 0o600) != nil {
		t.Fatal("write files")
	}
	code, out, errOut := cli(t, cfg, "", "admin", "import-exclusions", first)
	if code != 0 || !strings.Contains(out, "imported 2 of 3 rows") || !strings.Contains(out, "line 4: has 1 fields; the header has 18") {
		t.Fatalf("first import = %d %q %q", code, out, errOut)
	}
	code, out, errOut = cli(t, cfg, "", "admin", "import-exclusions", second)
	if code != 0 || !strings.Contains(out, "imported 1 of 1 rows") {
		t.Fatalf("second import = %d %q %q", code, out, errOut)
	}
	a := openApp(t, cfg)
	reg := registry.NewService(a.DB, a.Audit, a.IDs)
	if e, err := reg.Excluded(context.Background(), "1234567893", "Bob", "Roe", "TX"); err != nil || e != nil {
		t.Errorf("Bob, absent from the second list, is still excluded: %+v %v", e, err)
	}
	if e, err := reg.Excluded(context.Background(), "", "Jane", "Doe", "FL"); err != nil || e == nil || e.Type != "1128b4" {
		t.Errorf("Jane = %+v %v", e, err)
	}
}

// openApp opens the app on the database the CLI wrote, as the server would.
func openApp(t *testing.T, cfg config.Config) *app.App {
	t.Helper()
	a, err := app.Open(context.Background(), cfg, testkit.Logger())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a
}

// dev runs rounds dev, which needs no database.
func dev(args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := run(context.Background(), append([]string{"dev"}, args...), nil, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestAdminImportExclusions_SuspendsBadgesOfListedClinicians(t *testing.T) {
	cfg := testkit.Config(t)
	srv := testkit.Start(t, func(c *config.Config) { c.DataDir, c.DB = cfg.DataDir, cfg.DB })
	_, listed := testkit.Clinician(t, srv, testkit.ClinicianSpec{Username: "dr_listed", First: "Amara", Last: "Osei",
		Specialties: []string{"207RC0000X"}, City: "Boston", State: "MA", Zip: "02114", Coordinates: "42.3601,-71.0589",
		NPIStem: 4242, Verify: true})
	_, other := testkit.Clinician(t, srv, testkit.ClinicianSpec{Username: "dr_clear", First: "Lucas", Last: "Moreau",
		Specialties: []string{"207Q00000X"}, City: "Boston", State: "MA", Zip: "02114", Coordinates: "42.3601,-71.0589",
		NPIStem: 4343, Verify: true})
	file := filepath.Join(t.TempDir(), "UPDATED.csv")
	leie := "LASTNAME,FIRSTNAME,MIDNAME,BUSNAME,GENERAL,SPECIALTY,UPIN,NPI,DOB,ADDRESS,CITY,STATE,ZIP,EXCLTYPE,EXCLDATE,REINDATE,WAIVERDATE,WVRSTATE\n" +
		`"OSEI","AMARA","","","IND- LIC HC SERV PRO","PHYSICIAN","","` + listed.NPI + `","19700101","1 ST","BOSTON","MA","02114","1128b4","20250101","00000000","00000000",""` + "\n"
	if err := os.WriteFile(file, []byte(leie), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := cli(t, cfg, "", "admin", "import-exclusions", file)
	if code != 0 || !strings.Contains(out, "verified clinicians now on the list: 1") {
		t.Fatalf("import-exclusions = %d %q %q", code, out, errOut)
	}
	for _, tc := range []struct {
		id        int64
		suspended bool
	}{{listed.ID, true}, {other.ID, false}} {
		c, err := srv.Directory.ClinicianByID(context.Background(), account.Actor{Via: "web"}, tc.id)
		if err != nil || c.IsVerified() == tc.suspended {
			t.Errorf("clinician %d after the import: %+v, %v; want suspended %v", tc.id, c, err, tc.suspended)
		}
	}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	s := ""
	for ; n > 0; n /= 10 {
		s = string(rune('0'+n%10)) + s
	}
	return s
}
