package directory_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/audit"
	"github.com/rounds-health/rounds/internal/directory"
	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/registry"
	"github.com/rounds-health/rounds/internal/testkit"
)

const (
	cardiology = "207RC0000X"
	familyMed  = "207Q00000X"
)

// nppesCSV builds a small file in the NPPES dissemination format: every
// column the importer reads, with the values given for some of them.
func nppesCSV(rows ...[]string) string {
	given := []string{registry.ColNPI, registry.ColEntityType, registry.ColLastName, registry.ColFirstName,
		registry.ColCredential, registry.ColPracticeCity, registry.ColPracticeState, registry.ColPracticePostal,
		registry.ColTaxonomyCode(1), registry.ColPrimarySwitch(1)}
	header := append([]string{}, given...)
	for _, c := range []string{registry.ColReplacementNPI, registry.ColOrganizationName, registry.ColMiddleName,
		registry.ColNamePrefix, registry.ColNameSuffix, registry.ColPracticeLine1, registry.ColPracticeLine2,
		registry.ColPracticePhone, registry.ColEnumerationDate, registry.ColLastUpdateDate, registry.ColDeactivationCode,
		registry.ColDeactivationDate, registry.ColReactivationDate, registry.ColLicenseNumber(1), registry.ColLicenseState(1)} {
		header = append(header, c)
	}
	for n := 2; n <= registry.TaxonomySlots; n++ {
		header = append(header, registry.ColTaxonomyCode(n), registry.ColLicenseNumber(n), registry.ColLicenseState(n), registry.ColPrimarySwitch(n))
	}
	var b strings.Builder
	b.WriteString(`"` + strings.Join(header, `","`) + "\"\n")
	for _, r := range rows {
		full := append(append([]string{}, r...), make([]string, len(header)-len(r))...)
		b.WriteString(`"` + strings.Join(full, `","`) + "\"\n")
	}
	return b.String()
}

func leieCSV(rows ...[]string) string {
	var b strings.Builder
	b.WriteString("LASTNAME,FIRSTNAME,MIDNAME,BUSNAME,GENERAL,SPECIALTY,UPIN,NPI,DOB,ADDRESS,CITY,STATE,ZIP,EXCLTYPE,EXCLDATE,REINDATE,WAIVERDATE,WVRSTATE\n")
	for _, r := range rows {
		b.WriteString(strings.Join(r, ",") + "\n")
	}
	return b.String()
}

func TestSaveProfile_RefusesBadInputWithReasons(t *testing.T) {
	srv := testkit.Start(t)
	p := testkit.NewPerson(t, srv.Accounts, "dr_input", account.Clinician)
	actor := account.Actor{User: p.User}
	base := directory.ProfileInput{FirstName: "Ada", LastName: "Input", Credentials: "MD", Specialties: []string{cardiology},
		Locations: []directory.LocationInput{{City: "Boston", State: "MA", PostalCode: "02114"}}}
	cases := []struct {
		name, field, want string
		edit              func(*directory.ProfileInput)
	}{
		{"bad check digit", "npi", "check digit", func(in *directory.ProfileInput) { in.NPI = "1234567890" }},
		{"short NPI", "npi", "10 digits", func(in *directory.ProfileInput) { in.NPI = "123456789" }},
		{"unknown taxonomy", "specialties", "999ZZ9999X", func(in *directory.ProfileInput) { in.Specialties = []string{"999ZZ9999X"} }},
		{"latitude out of range", "locations[0].coordinates", "Latitude", func(in *directory.ProfileInput) {
			in.Locations[0].Coordinates = "123.4,-71.0"
		}},
		{"unknown credential", "credentials", "Unknown credential", func(in *directory.ProfileInput) { in.Credentials = "Best Doctor" }},
		{"unknown language", "languages", "Klingon", func(in *directory.ProfileInput) { in.Languages = []string{"Klingon"} }},
		{"bad state", "license_state", "two-letter", func(in *directory.ProfileInput) { in.LicenseState = "Massachusetts" }},
		{"no name", "last_name", "last name", func(in *directory.ProfileInput) { in.LastName = " " }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := base
			in.Locations = slices.Clone(base.Locations)
			tc.edit(&in)
			_, err := srv.Directory.SaveProfile(context.Background(), actor, in)
			if msg := errs.FieldMessage(err, tc.field); !strings.Contains(msg, tc.want) {
				t.Fatalf("error on %s = %q (%v); want it to contain %q", tc.field, msg, err, tc.want)
			}
		})
	}
	if c, _ := srv.Directory.MyProfile(context.Background(), actor); c != nil {
		t.Fatal("a refused profile was saved")
	}
	patient := testkit.NewPerson(t, srv.Accounts, "not_a_doctor", account.Patient)
	if _, err := srv.Directory.SaveProfile(context.Background(), account.Actor{User: patient.User}, base); !errs.Is(err, errs.KindForbidden) {
		t.Fatalf("a patient saved a clinician profile: %v", err)
	}
}

func TestVerification_RegistryExclusionReviewAndSuspension(t *testing.T) {
	srv := testkit.Start(t)
	ctx := context.Background()
	osei, amara := testkit.ValidNPI(100), testkit.ValidNPI(200)
	excludedNPI := testkit.ValidNPI(300)
	if _, err := srv.Registry.ImportNPPES(ctx, strings.NewReader(nppesCSV(
		[]string{osei, "1", "OSEI", "AMARA", "M.D.", "BOSTON", "MA", "021141234", cardiology, "Y"},
		[]string{amara, "1", "SOMEONE", "ELSE", "M.D.", "BOSTON", "MA", "02114", cardiology, "Y"},
		[]string{excludedNPI, "1", "SHADY", "SAM", "M.D.", "BOSTON", "MA", "02114", cardiology, "Y"},
	)), registry.ImportOptions{Actor: "test"}); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Registry.ImportExclusions(ctx, strings.NewReader(leieCSV(
		[]string{"SHADY", "SAM", "", "", "IND- LIC HC SERV PRO", "PHYSICIAN", "", excludedNPI, "19700101", "1 ST", "BOSTON", "MA", "02114", "1128a1", "20190320", "00000000", "00000000", ""},
	)), registry.ImportOptions{Actor: "test"}); err != nil {
		t.Fatal(err)
	}
	profile := func(user, first, last, npi string) account.Actor {
		p := testkit.NewPerson(t, srv.Accounts, user, account.Clinician)
		actor := account.Actor{User: p.User}
		if _, err := srv.Directory.SaveProfile(ctx, actor, directory.ProfileInput{FirstName: first, LastName: last,
			Credentials: "MD", NPI: npi, Specialties: []string{cardiology}, Published: true, LicenseState: "MA",
			LicenseNumber: "123456", Locations: []directory.LocationInput{{City: "Boston", State: "MA", PostalCode: "02114"}}}); err != nil {
			t.Fatal(err)
		}
		return actor
	}

	// The registry lists NPI amara under another name: refused with the reason.
	wrong := profile("dr_wrong_name", "Amara", "Mensah", amara)
	if _, err := srv.Directory.SubmitForVerification(ctx, wrong); errs.FieldMessage(err, "npi") == "" {
		t.Fatalf("a name that does not match the registry = %v; want a refusal on npi", err)
	}

	// An excluded clinician is refused and the refusal recorded.
	shady := profile("dr_shady", "Sam", "Shady", excludedNPI)
	_, err := srv.Directory.SubmitForVerification(ctx, shady)
	if !errs.Is(err, errs.KindForbidden) || !strings.Contains(errs.PublicMessage(err), "OIG") || !strings.Contains(errs.PublicMessage(err), "1128a1") {
		t.Fatalf("excluded clinician = %v; want refused naming the OIG list and the exclusion type", err)
	}
	if c, _ := srv.Directory.MyProfile(ctx, shady); c.Status != directory.Rejected {
		t.Fatalf("excluded clinician's status = %s; want rejected", c.Status)
	}

	// A good clinician: automatic checks, then a moderator confirms the license.
	good := profile("dr_osei", "Amara", "Osei", osei)
	c, err := srv.Directory.SubmitForVerification(ctx, good)
	if err != nil || c.Status != directory.Pending {
		t.Fatalf("submit = %v, %v", c, err)
	}
	if _, err := srv.Directory.Review(ctx, good, c.ID, directory.Decision{Approve: true, Note: "checked"}); !errs.Is(err, errs.KindForbidden) {
		t.Fatalf("the clinician approved themself: %v", err)
	}
	mod := testkit.Moderator(t, srv)
	if _, err := srv.Directory.Review(ctx, account.Actor{User: mod.User}, c.ID, directory.Decision{Approve: true}); errs.FieldMessage(err, "note") == "" {
		t.Fatalf("approval without saying how the license was checked = %v", err)
	}
	c, err = srv.Directory.Review(ctx, account.Actor{User: mod.User}, c.ID, directory.Decision{Approve: true, Note: "Active on the MA board site"})
	if err != nil || !c.IsVerified() || c.VerifiedBy != "fixture_mod" {
		t.Fatalf("approve = %+v, %v", c, err)
	}
	names := map[string]bool{}
	for _, ch := range c.Checks {
		names[ch.Name] = ch.Passed
	}
	if !names["npi"] || !names["registry"] || !names["exclusions"] || !names["license"] {
		t.Fatalf("the badge's checks = %+v; want npi, registry, exclusions and license passed", c.Checks)
	}
	pub, err := srv.Directory.Clinician(ctx, account.Actor{Via: "web"}, c.Slug)
	if err != nil || pub.LicenseNumber != "" {
		t.Fatalf("public view = %+v, %v; the license number must not be public", pub, err)
	}

	// A later exclusion list that names them suspends the badge.
	if _, err := srv.Registry.ImportExclusions(ctx, strings.NewReader(leieCSV(
		[]string{"OSEI", "AMARA", "", "", "IND- LIC HC SERV PRO", "PHYSICIAN", "", osei, "19700101", "1 ST", "BOSTON", "MA", "02114", "1128b4", "20261101", "00000000", "00000000", ""},
	)), registry.ImportOptions{Actor: "test"}); err != nil {
		t.Fatal(err)
	}
	n, err := srv.Directory.ApplyExclusions(ctx, account.CLI)
	if err != nil || n != 1 {
		t.Fatalf("ApplyExclusions = %d, %v; want 1", n, err)
	}
	c, _ = srv.Directory.ClinicianByID(ctx, account.Actor{Via: "web"}, c.ID)
	if c.Status != directory.Suspended || c.IsVerified() {
		t.Fatalf("status after the exclusion = %s; want suspended", c.Status)
	}
	recs, _ := srv.Audit.List(ctx, audit.Filter{Action: "clinician.suspend_verification"})
	if len(recs) != 1 {
		t.Fatalf("suspension audited %d times; want 1", len(recs))
	}
}

// searchFixtures makes clinicians around Boston and one in New York.
func searchFixtures(t *testing.T, srv *testkit.Server) map[string]int64 {
	ids := map[string]int64{}
	for i, s := range []testkit.ClinicianSpec{
		{Username: "dr_near", First: "Nora", Last: "Near", Specialties: []string{cardiology}, City: "Boston", State: "MA",
			Coordinates: "42.3601,-71.0589", Languages: []string{"es"}, Accepting: true, Conditions: []string{"heart failure"}, Verify: true},
		{Username: "dr_cambridge", First: "Carl", Last: "Cambridge", Specialties: []string{cardiology}, City: "Cambridge",
			State: "MA", Coordinates: "42.3736,-71.1097", Verify: true},
		{Username: "dr_worcester", First: "Wanda", Last: "Worcester", Specialties: []string{cardiology}, City: "Worcester",
			State: "MA", Coordinates: "42.2626,-71.8023"},
		{Username: "dr_family", First: "Fred", Last: "Family", Specialties: []string{familyMed}, City: "Boston", State: "MA",
			Coordinates: "42.3500,-71.0700", Accepting: true},
		{Username: "dr_newyork", First: "Nina", Last: "York", Specialties: []string{cardiology}, City: "New York", State: "NY",
			Coordinates: "40.7128,-74.0060", Accepting: true},
	} {
		s.NPIStem = 500 + i
		_, c := testkit.Clinician(t, srv, s)
		ids[s.Last] = c.ID
	}
	return ids
}

func hitIDs(r *directory.Results) []int64 {
	var out []int64
	for _, h := range r.Hits {
		out = append(out, h.Clinician.ID)
	}
	return out
}

func TestSearch_SpecialtyDistanceFiltersAndSorts(t *testing.T) {
	srv := testkit.Start(t)
	ids := searchFixtures(t, srv)
	ctx := context.Background()
	search := func(q directory.Query) *directory.Results {
		t.Helper()
		r, err := srv.Directory.Search(ctx, q)
		if err != nil {
			t.Fatalf("Search(%+v): %v", q, err)
		}
		return r
	}
	cases := []struct {
		name string
		q    directory.Query
		want []int64 // in order
	}{
		{"cardiologists within 10 km of Boston by distance", directory.Query{Specialty: cardiology, Near: "42.36,-71.06", RadiusKm: 10},
			[]int64{ids["Near"], ids["Cambridge"]}},
		{"within 70 km adds Worcester", directory.Query{Specialty: cardiology, Near: "42.36,-71.06", RadiusKm: 70},
			[]int64{ids["Near"], ids["Cambridge"], ids["Worcester"]}},
		{"a place name", directory.Query{Specialty: cardiology, Near: "Boston, MA", RadiusKm: 10},
			[]int64{ids["Near"], ids["Cambridge"]}},
		{"patient's words", directory.Query{Text: "heart doctor", Near: "Boston, MA", RadiusKm: 10, Sort: directory.SortDistance},
			[]int64{ids["Near"], ids["Cambridge"]}},
		{"a condition", directory.Query{Text: "heart failure"}, []int64{ids["Near"]}},
		{"a name prefix", directory.Query{Text: "wor"}, []int64{ids["Worcester"]}},
		{"language", directory.Query{Language: "Spanish"}, []int64{ids["Near"]}},
		{"accepting, by name", directory.Query{Accepting: true, Sort: directory.SortName}, []int64{ids["Family"], ids["Near"], ids["York"]}},
		{"verified only, by name", directory.Query{Verified: true, Sort: directory.SortName}, []int64{ids["Cambridge"], ids["Near"]}},
		{"all cardiologists by name", directory.Query{Specialty: cardiology, Sort: directory.SortName},
			[]int64{ids["Cambridge"], ids["Near"], ids["Worcester"], ids["York"]}},
		{"nobody", directory.Query{Text: "podiatry zzz"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := search(tc.q)
			if got := hitIDs(r); !slices.Equal(got, tc.want) || r.Total != len(tc.want) {
				t.Fatalf("got %v (total %d); want %v", got, r.Total, tc.want)
			}
		})
	}
	r := search(directory.Query{Specialty: cardiology, Near: "42.36,-71.06", RadiusKm: 10})
	if d := r.Hits[0].DistanceKm; d < 0 || d > 1 {
		t.Fatalf("distance to the nearest = %v km; want under 1", d)
	}
	// Paging: the second page of one.
	r = search(directory.Query{Specialty: cardiology, Sort: directory.SortName, PerPage: 1, Page: 2})
	if got := hitIDs(r); !slices.Equal(got, []int64{ids["Near"]}) || r.Total != 4 || r.Pages() != 4 {
		t.Fatalf("page 2 of 1 = %v, total %d", got, r.Total)
	}
	// Rating sort uses the rating the reviews issue will maintain.
	if _, err := srv.DB.Exec(ctx, "UPDATE clinicians SET rating_avg = 4.9, rating_count = 12 WHERE id = ?", ids["Worcester"]); err != nil {
		t.Fatal(err)
	}
	r = search(directory.Query{Specialty: cardiology, Near: "Boston, MA", RadiusKm: 70, Sort: directory.SortRating})
	if hitIDs(r)[0] != ids["Worcester"] {
		t.Fatalf("rating sort = %v; want Worcester first", hitIDs(r))
	}
}

func TestSearch_RefusesAbsurdQueries(t *testing.T) {
	srv := testkit.Start(t)
	for _, tc := range []struct {
		q     directory.Query
		field string
	}{
		{directory.Query{PerPage: 1000}, "per_page"},
		{directory.Query{Page: -1}, "page"},
		{directory.Query{Near: "Boston", RadiusKm: 9999}, "radius"},
		{directory.Query{Near: "Atlantis, XX"}, "near"},
		{directory.Query{Near: "95.0,10.0"}, "near"},
		{directory.Query{Specialty: "NOTACODE"}, "specialty"},
		{directory.Query{Sort: directory.SortDistance}, "sort"},
		{directory.Query{Sort: "cheapest"}, "sort"},
		{directory.Query{Text: strings.Repeat("x", 300)}, "q"},
	} {
		_, err := srv.Directory.Search(context.Background(), tc.q)
		if !errs.Is(err, errs.KindInvalid) || errs.FieldMessage(err, tc.field) == "" {
			t.Errorf("Search(%+v) = %v; want a message on %q", tc.q, err, tc.field)
		}
	}
}

func TestOrganizations_StaffRolesAffiliationsAndAudit(t *testing.T) {
	srv := testkit.Start(t)
	ctx := context.Background()
	owner := testkit.NewPerson(t, srv.Accounts, "hv_owner", account.Staff)
	social := testkit.NewPerson(t, srv.Accounts, "hv_social", account.Staff)
	patient := testkit.NewPerson(t, srv.Accounts, "some_patient", account.Patient)
	ownerA := account.Actor{User: owner.User}
	if _, err := srv.Directory.CreateOrganization(ctx, account.Actor{User: patient.User}, directory.OrgInput{Name: "X", Kind: directory.Clinic}); !errs.Is(err, errs.KindForbidden) {
		t.Fatalf("a patient created an organization: %v", err)
	}
	if _, err := srv.Directory.CreateOrganization(ctx, ownerA, directory.OrgInput{Name: "Harborview", Kind: "spaceship"}); errs.FieldMessage(err, "kind") == "" {
		t.Fatalf("unknown kind = %v", err)
	}
	o, err := srv.Directory.CreateOrganization(ctx, ownerA, directory.OrgInput{Name: "Harborview Heart Institute", Kind: directory.Hospital,
		Website: "https://harborview.example"})
	if err != nil || o.Slug != "harborview-heart-institute" {
		t.Fatalf("create = %+v, %v", o, err)
	}
	loc, err := srv.Directory.AddLocation(ctx, ownerA, o.Slug, directory.LocationInput{Name: "Main campus", Street: "55 Fruit St",
		City: "Boston", State: "MA", PostalCode: "02114"})
	if err != nil || loc.Point.Lat < 42.2 || loc.Point.Lat > 42.5 {
		t.Fatalf("location placed by its ZIP code = %+v, %v", loc, err)
	}
	if err := srv.Directory.SetMember(ctx, ownerA, o.Slug, "some_patient", directory.SocialMedia); errs.FieldMessage(err, "username") == "" {
		t.Fatalf("a patient became staff: %v", err)
	}
	if err := srv.Directory.SetMember(ctx, ownerA, o.Slug, "hv_social", directory.SocialMedia); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Directory.AddLocation(ctx, account.Actor{User: social.User}, o.Slug, directory.LocationInput{PostalCode: "02114"}); !errs.Is(err, errs.KindForbidden) {
		t.Fatalf("a non-owner added a location: %v", err)
	}
	if err := srv.Directory.SetMember(ctx, ownerA, o.Slug, "hv_owner", directory.Member); errs.FieldMessage(err, "role") == "" {
		t.Fatalf("the last owner stepped down: %v", err)
	}
	doc, c := testkit.Clinician(t, srv, testkit.ClinicianSpec{Username: "dr_aff", First: "Ann", Last: "Affiliate",
		Specialties: []string{cardiology}, City: "Boston", State: "MA", Zip: "02114", NPIStem: 900})
	if err := srv.Directory.RequestAffiliation(ctx, account.Actor{User: doc.User}, o.Slug, "Staff cardiologist"); err != nil {
		t.Fatal(err)
	}
	r, _ := srv.Directory.Search(ctx, directory.Query{Org: o.Slug})
	if r.Total != 0 {
		t.Fatal("an unconfirmed affiliation shows in the directory")
	}
	if err := srv.Directory.ConfirmAffiliation(ctx, account.Actor{User: social.User}, o.Slug, c.ID); !errs.Is(err, errs.KindForbidden) {
		t.Fatalf("a social-media specialist confirmed an affiliation: %v", err)
	}
	if err := srv.Directory.ConfirmAffiliation(ctx, ownerA, o.Slug, c.ID); err != nil {
		t.Fatal(err)
	}
	for _, q := range []directory.Query{{Org: o.Slug}, {Text: "harborview"}} {
		if r, _ := srv.Directory.Search(ctx, q); !slices.Equal(hitIDs(r), []int64{c.ID}) {
			t.Fatalf("Search(%+v) = %v; want the affiliated clinician", q, hitIDs(r))
		}
	}
	recs, _ := srv.Audit.List(ctx, audit.Filter{Action: "org."})
	found := false
	for _, rec := range recs {
		if rec.Action == "org.confirm_affiliation" {
			found = rec.Actor == "hv_owner" && rec.OnBehalfOf == "org:"+o.Slug && rec.Target == fmt.Sprintf("clinician:%d", c.ID)
		}
	}
	if !found {
		t.Fatalf("the confirmation is not audited with both identities: %+v", recs)
	}
}

func TestSeedFromRegistry_UnpublishedUntilClaimed(t *testing.T) {
	srv := testkit.Start(t)
	ctx := context.Background()
	npi := testkit.ValidNPI(4242)
	if _, err := srv.Registry.ImportNPPES(ctx, strings.NewReader(nppesCSV(
		[]string{npi, "1", "O'BRIEN", "MAEVE", "M.D.", "BOSTON", "MA", "021141234", cardiology, "Y"},
		[]string{testkit.ValidNPI(4243), "2", "", "", "", "BOSTON", "MA", "02114", "282N00000X", "Y"},
	)), registry.ImportOptions{Actor: "test"}); err != nil {
		t.Fatal(err)
	}
	n, err := srv.Directory.SeedFromRegistry(ctx, account.CLI, 0)
	if err != nil || n != 1 {
		t.Fatalf("SeedFromRegistry = %d, %v; want 1 (organizations are not clinicians)", n, err)
	}
	if n, _ := srv.Directory.SeedFromRegistry(ctx, account.CLI, 0); n != 0 {
		t.Fatalf("a second seeding created %d more", n)
	}
	if r, _ := srv.Directory.Search(ctx, directory.Query{Text: "obrien"}); r.Total != 0 {
		t.Fatal("a seeded, unclaimed profile is public")
	}
	p := testkit.NewPerson(t, srv.Accounts, "dr_obrien", account.Clinician)
	c, err := srv.Directory.SaveProfile(ctx, account.Actor{User: p.User}, directory.ProfileInput{FirstName: "Maeve", LastName: "O'Brien",
		Credentials: "MD", NPI: npi, Specialties: []string{cardiology}, Published: true,
		Locations: []directory.LocationInput{{City: "Boston", State: "MA", PostalCode: "02114"}}})
	if err != nil || c.UserID != p.User.ID {
		t.Fatalf("claim = %+v, %v", c, err)
	}
	// A claim proves nothing (NPIs are public): listed only once verified.
	if r, _ := srv.Directory.Search(ctx, directory.Query{Text: "o'brien"}); r.Total != 0 {
		t.Fatal("a claimed, unverified profile is public")
	}
	if _, err := srv.Directory.SubmitForVerification(ctx, account.Actor{User: p.User}); errs.FieldMessage(err, "license_number") == "" {
		t.Fatalf("submitting without a license = %v", err)
	}
	if _, err := srv.Directory.SaveProfile(ctx, account.Actor{User: p.User}, directory.ProfileInput{FirstName: "Maeve", LastName: "O'Brien",
		Credentials: "MD", NPI: npi, Specialties: []string{cardiology}, Published: true, LicenseState: "MA", LicenseNumber: "12345",
		Locations: []directory.LocationInput{{City: "Boston", State: "MA", PostalCode: "02114"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Directory.SubmitForVerification(ctx, account.Actor{User: p.User}); err != nil {
		t.Fatal(err)
	}
	mod := testkit.Moderator(t, srv)
	if _, err := srv.Directory.Review(ctx, account.Actor{User: mod.User}, c.ID, directory.Decision{Approve: true, Note: "board site"}); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"o'brien", "obrien", "maeve"} {
		r, _ := srv.Directory.Search(ctx, directory.Query{Text: q})
		if !slices.Equal(hitIDs(r), []int64{c.ID}) {
			t.Fatalf("after verification, searching %q finds %v; want the claimed profile %d", q, hitIDs(r), c.ID)
		}
	}
	other := testkit.NewPerson(t, srv.Accounts, "dr_impostor", account.Clinician)
	_, err = srv.Directory.SaveProfile(ctx, account.Actor{User: other.User}, directory.ProfileInput{FirstName: "Maeve", LastName: "O'Brien",
		NPI: npi, Specialties: []string{cardiology}})
	if !errs.Is(err, errs.KindConflict) {
		t.Fatalf("a second account claiming the same NPI = %v; want a conflict", err)
	}
}
