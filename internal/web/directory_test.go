package web_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/directory"
	"github.com/rounds-health/rounds/internal/testkit"
)

var jsonLDPattern = regexp.MustCompile(`(?s)<script type="application/ld\+json">(.*?)</script>`)

func TestClinicianPage_PublicWithJSONLDAndNoPrivateFields(t *testing.T) {
	srv := testkit.Start(t)
	_, c := testkit.Clinician(t, srv, testkit.ClinicianSpec{Username: "dr_page", First: "Amara", Last: "Osei",
		Specialties: []string{"207RC0000X"}, Languages: []string{"en", "fr"}, City: "Boston", State: "MA", Zip: "02114",
		NPIStem: 77, Accepting: true, Verify: true})
	resp, body := srv.Get(t, srv.Client(), "/clinicians/"+c.Slug)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET profile = %d", resp.StatusCode)
	}
	for _, want := range []string{`<link rel="canonical" href="` + srv.URL + "/clinicians/" + c.Slug + `">`,
		`<meta property="og:title" content="Dr. Amara Osei`, "Verified clinician", "Verified by @fixture_mod",
		"Cardiovascular Disease", "NPI " + c.NPI} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if strings.Contains(body, c.LicenseNumber) {
		t.Error("the license number is on the public page")
	}
	m := jsonLDPattern.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no JSON-LD on the page")
	}
	var ld map[string]any
	if err := json.Unmarshal([]byte(m[1]), &ld); err != nil {
		t.Fatalf("JSON-LD is not valid JSON: %v\n%s", err, m[1])
	}
	addr, _ := ld["address"].(map[string]any)
	if ld["@context"] != "https://schema.org" || ld["@type"] != "Physician" || ld["name"] != "Dr. Amara Osei" ||
		addr["postalCode"] != "02114" || ld["isAcceptingNewPatients"] != true {
		t.Fatalf("JSON-LD = %s", m[1])
	}
	if id, _ := ld["identifier"].(map[string]any); id["value"] != c.NPI {
		t.Fatalf("JSON-LD identifier = %v", ld["identifier"])
	}
	// Unpublished profiles are not public.
	p, hidden := testkit.Clinician(t, srv, testkit.ClinicianSpec{Username: "dr_hidden", First: "Hid", Last: "Den",
		Specialties: []string{"207RC0000X"}, City: "Boston", State: "MA", Zip: "02114", NPIStem: 78})
	in := directory.ProfileInput{FirstName: "Hid", LastName: "Den", Credentials: "MD", NPI: hidden.NPI, Specialties: []string{"207RC0000X"}}
	if _, err := srv.Directory.SaveProfile(t.Context(), account.Actor{User: p.User}, in); err != nil {
		t.Fatal(err)
	}
	if resp, _ := srv.Get(t, srv.Client(), "/clinicians/"+hidden.Slug); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("an unpublished profile answered %d", resp.StatusCode)
	}
}

func TestSitemapAndRobots(t *testing.T) {
	srv := testkit.Start(t)
	_, c := testkit.Clinician(t, srv, testkit.ClinicianSpec{Username: "dr_map", First: "Map", Last: "Pin",
		Specialties: []string{"207Q00000X"}, City: "Boston", State: "MA", Zip: "02114", NPIStem: 5, Verify: true})
	_, unverified := testkit.Clinician(t, srv, testkit.ClinicianSpec{Username: "dr_unverified", First: "Un", Last: "Verified",
		Specialties: []string{"207Q00000X"}, City: "Boston", State: "MA", Zip: "02114", NPIStem: 6})
	c2 := srv.Client()
	resp, body := srv.Get(t, c2, "/robots.txt")
	if resp.StatusCode != 200 || !strings.Contains(body, "Sitemap: "+srv.URL+"/sitemap.xml") || !strings.Contains(body, "Disallow: /settings") {
		t.Fatalf("robots.txt = %d %q", resp.StatusCode, body)
	}
	resp, body = srv.Get(t, c2, "/sitemap.xml")
	if resp.StatusCode != 200 || !strings.Contains(body, "<sitemapindex") || !strings.Contains(body, srv.URL+"/sitemap-clinicians-1.xml") {
		t.Fatalf("sitemap index = %d %s", resp.StatusCode, body)
	}
	resp, body = srv.Get(t, c2, "/sitemap-clinicians-1.xml")
	if resp.StatusCode != 200 || !strings.Contains(body, "<loc>"+srv.URL+"/clinicians/"+c.Slug+"</loc>") ||
		strings.Contains(body, unverified.Slug) {
		t.Fatalf("clinician sitemap = %d %s; want the verified clinician only", resp.StatusCode, body)
	}
	for _, bad := range []string{"/sitemap-clinicians-0.xml", "/sitemap-clinicians-9.xml", "/sitemap-users-1.xml", "/sitemap-x.xml"} {
		if resp, _ := srv.Get(t, c2, bad); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s = %d; want 404", bad, resp.StatusCode)
		}
	}
}

func TestDirectoryPage_SearchWithoutJavaScriptAndFieldErrors(t *testing.T) {
	srv := testkit.Start(t)
	_, c := testkit.Clinician(t, srv, testkit.ClinicianSpec{Username: "dr_find", First: "Finn", Last: "Heart",
		Specialties: []string{"207RC0000X"}, City: "Boston", State: "MA", Coordinates: "42.3601,-71.0589", NPIStem: 9, Verify: true})
	resp, body := srv.Get(t, srv.Client(), "/directory?specialty=207RC0000X&near=Boston%2C+MA&radius=10")
	if resp.StatusCode != 200 || !strings.Contains(body, `href="/clinicians/`+c.Slug+`"`) || !strings.Contains(body, "✔ Verified") ||
		!strings.Contains(body, "within 10 km of Boston") {
		t.Fatalf("search page = %d\n%s", resp.StatusCode, body)
	}
	resp, body = srv.Get(t, srv.Client(), "/directory?near=Atlantis&per_page=1000&q=kept+words")
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="near-err"`) || !strings.Contains(body, `value="kept words"`) {
		t.Fatalf("bad search = %d; want 422 with the error beside the field and the input kept\n%s", resp.StatusCode, body)
	}
}
