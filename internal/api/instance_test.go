package api_test

import (
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/config"
	"github.com/rounds-health/rounds/internal/social"
	"github.com/rounds-health/rounds/internal/testkit"
)

// getJSON fetches path (with a bearer token if given) and decodes the answer.
func getJSON(t *testing.T, srv *testkit.Server, path, token string) (*http.Response, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, raw := srv.Do(t, srv.Client(), req)
	var m map[string]any
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		t.Fatalf("GET %s answered %d %s, not a JSON object: %s", path, resp.StatusCode, resp.Header.Get("Content-Type"), raw)
	}
	return resp, m
}

// at walks a decoded JSON document along a dotted path ("usage.users.total").
func at(v any, path string) any {
	for _, key := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[key]
	}
	return v
}

// expectFields checks a document against path → value rows; a value of
// reflect.Kind says only that the field is there with that JSON type.
func expectFields(t *testing.T, what string, doc map[string]any, want map[string]any) {
	t.Helper()
	for path, w := range want {
		got := at(doc, path)
		if k, ok := w.(reflect.Kind); ok {
			if got == nil && k != reflect.Invalid || got != nil && reflect.TypeOf(got).Kind() != k {
				t.Errorf("%s: %s = %#v; want a %s", what, path, got, k)
			}
			continue
		}
		if !reflect.DeepEqual(got, w) {
			t.Errorf("%s: %s = %#v; want %#v", what, path, got, w)
		}
	}
}

// instanceFixture makes two posting members, one silent, one suspended, and
// three statuses of which one is deleted: 3 members, 2 statuses, 2 active.
func instanceFixture(t *testing.T, srv *testkit.Server) {
	t.Helper()
	doc := newAPIUser(t, srv, "dr_counted", "read write")
	fan := newAPIUser(t, srv, "fan_counted", "read write")
	newAPIUser(t, srv, "quiet_counted", "read")
	gone := testkit.NewPerson(t, srv.Accounts, "gone_counted", account.Clinician)
	if err := srv.Accounts.SetSuspended(t.Context(), account.CLI, gone.User.ID, true, "test fixture"); err != nil {
		t.Fatal(err)
	}
	var first, deleted map[string]any
	doc.call(t, "POST", "/api/v1/statuses", `{"status":"Hello"}`, &first)
	fan.call(t, "POST", "/api/v1/statuses", `{"status":"Hi","visibility":"private"}`, nil)
	doc.call(t, "POST", "/api/v1/statuses", `{"status":"Oops"}`, &deleted)
	if resp := doc.call(t, "DELETE", "/api/v1/statuses/"+deleted["id"].(string), "", nil); resp.StatusCode != 200 {
		t.Fatalf("delete = %d", resp.StatusCode)
	}
}

func TestInstance_V1AndV2InMastodonShapesWithCounts(t *testing.T) {
	srv := testkit.Start(t)
	instanceFixture(t, srv)
	host := strings.TrimPrefix(srv.URL, "http://")
	str, num, obj, arr, null := reflect.String, reflect.Float64, reflect.Map, reflect.Slice, reflect.Invalid
	statusLimits := map[string]any{"max_characters": float64(social.MaxNoteChars), "max_media_attachments": 4.0,
		"characters_reserved_per_url": 23.0}
	resp, v2 := getJSON(t, srv, "/api/v2/instance", "")
	if resp.StatusCode != 200 || resp.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Fatalf("v2 = %d, CORS %q", resp.StatusCode, resp.Header.Get("Access-Control-Allow-Origin"))
	}
	expectFields(t, "v2", v2, map[string]any{
		"domain": host, "title": "Rounds", "version": "4.3.0 (compatible; Rounds 0.1)", "source_url": str, "description": str,
		"usage.users.active_month": 2.0, "thumbnail.url": srv.URL + "/static/header.svg", "icon": arr,
		"languages": []any{"en"}, "configuration.urls.streaming": "ws://" + host, "configuration.urls.status": null,
		"configuration.accounts.max_featured_tags": 0.0, "configuration.statuses": statusLimits,
		"configuration.media_attachments.supported_mime_types": []any{"image/jpeg", "image/png", "image/gif", "image/webp"},
		"configuration.media_attachments.image_size_limit":     num, "configuration.media_attachments.description_limit": num,
		"configuration.media_attachments.video_size_limit": 0.0, "configuration.polls.max_options": 0.0,
		"configuration.translation.enabled": false, "configuration.vapid": null,
		"registrations.enabled": true, "registrations.approval_required": false, "registrations.message": null,
		"registrations.url": srv.URL + "/signup", "api_versions.mastodon": 1.0,
		"contact.email": str, "contact.account": null, "rules": []any{},
	})
	resp, v1 := getJSON(t, srv, "/api/v1/instance", "")
	if resp.StatusCode != 200 {
		t.Fatalf("v1 = %d", resp.StatusCode)
	}
	expectFields(t, "v1", v1, map[string]any{
		"uri": host, "title": "Rounds", "short_description": str, "description": str, "email": str,
		"version": "4.3.0 (compatible; Rounds 0.1)", "urls.streaming_api": "ws://" + host,
		"stats.user_count": 3.0, "stats.status_count": 2.0, "stats.domain_count": 0.0,
		"thumbnail": srv.URL + "/static/header.svg", "languages": arr, "registrations": true, "approval_required": false,
		"invites_enabled": false, "configuration.statuses": statusLimits, "configuration.media_attachments": obj,
		"configuration.media_attachments.description_limit": null, "configuration.polls.max_options": 0.0,
		"contact_account": null, "rules": []any{},
	})
}

// With --base-url the instance names its public address, whatever Host the
// request carried.
func TestInstance_DomainFromBaseURL(t *testing.T) {
	srv := testkit.Start(t, func(c *config.Config) { c.BaseURL = "https://rounds.example" })
	_, v2 := getJSON(t, srv, "/api/v2/instance", "")
	_, v1 := getJSON(t, srv, "/api/v1/instance", "")
	if v2["domain"] != "rounds.example" || at(v2, "configuration.urls.streaming") != "wss://rounds.example" ||
		v1["uri"] != "rounds.example" || at(v1, "urls.streaming_api") != "wss://rounds.example" {
		t.Fatalf("v2 domain %v streaming %v; v1 uri %v streaming %v", v2["domain"], at(v2, "configuration.urls.streaming"),
			v1["uri"], at(v1, "urls.streaming_api"))
	}
	testkit.NewPerson(t, srv.Accounts, "dr_based", account.Clinician)
	resp, jrd := getJSON(t, srv, "/.well-known/webfinger?resource=acct:dr_based@rounds.example", "")
	if resp.StatusCode != 200 || jrd["subject"] != "acct:dr_based@rounds.example" {
		t.Fatalf("webfinger at the base URL's domain = %d %v", resp.StatusCode, jrd)
	}
	if resp, _ := getJSON(t, srv, "/.well-known/webfinger?resource=acct:dr_based@"+strings.TrimPrefix(srv.URL, "http://"), ""); resp.StatusCode != 404 {
		t.Fatalf("webfinger at the listening address = %d; want 404, the instance is rounds.example", resp.StatusCode)
	}
}

func TestWebFinger_ExistingUnknownForeignAndMalformed(t *testing.T) {
	srv := testkit.Start(t)
	host := strings.TrimPrefix(srv.URL, "http://")
	doc := testkit.NewPerson(t, srv.Accounts, "Dr_Finger", account.Clinician)
	gone := testkit.NewPerson(t, srv.Accounts, "gone_finger", account.Clinician)
	if err := srv.Accounts.SetSuspended(t.Context(), account.CLI, gone.User.ID, true, "test fixture"); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		resource string
		status   int
	}{
		{"acct:Dr_Finger@" + host, 200},
		{"acct:dr_finger@" + strings.ToUpper(host), 200},
		{"dr_finger@" + host, 200},
		{srv.URL + "/@dr_finger", 200},
		{"acct:nobody_here@" + host, 404},
		{"acct:dr_finger@elsewhere.example", 404},
		{"https://elsewhere.example/@dr_finger", 404},
		{"acct:gone_finger@" + host, 404},
		{"acct:no spaces allowed@" + host, 404},
		{"", 400},
		{"acct:dr_finger", 400},
		{"acct:@" + host, 400},
		{"acct:dr_finger@", 400},
		{"acct:a@b@" + host, 400},
		{srv.URL + "/users/dr_finger", 400},
		{"mailto:dr_finger@" + host, 400},
	}
	for _, tc := range cases {
		resp, body := getJSON(t, srv, "/.well-known/webfinger?resource="+url.QueryEscape(tc.resource), "")
		if resp.StatusCode != tc.status {
			t.Errorf("%q = %d %v; want %d", tc.resource, resp.StatusCode, body, tc.status)
			continue
		}
		if tc.status != 200 {
			if _, ok := body["error"].(string); !ok {
				t.Errorf("%q: error body %v", tc.resource, body)
			}
			continue
		}
		id := jsonID(doc.User.ID)
		expectFields(t, tc.resource, body, map[string]any{
			"subject": "acct:Dr_Finger@" + host,
			"aliases": []any{srv.URL + "/@Dr_Finger", srv.URL + "/api/v1/accounts/" + id},
			"links": []any{
				map[string]any{"rel": "http://webfinger.net/rel/profile-page", "type": "text/html", "href": srv.URL + "/@Dr_Finger"},
				map[string]any{"rel": "self", "type": "application/json", "href": srv.URL + "/api/v1/accounts/" + id},
			},
		})
		if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/jrd+json") || resp.Header.Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("%q: Content-Type %q, CORS %q", tc.resource, ct, resp.Header.Get("Access-Control-Allow-Origin"))
		}
	}
}

func TestNodeInfoAndHostMeta(t *testing.T) {
	srv := testkit.Start(t)
	instanceFixture(t, srv)
	resp, links := getJSON(t, srv, "/.well-known/nodeinfo", "")
	list, _ := links["links"].([]any)
	if resp.StatusCode != 200 || len(list) != 1 || at(list[0], "rel") != "http://nodeinfo.diaspora.software/ns/schema/2.0" {
		t.Fatalf("nodeinfo links = %d %v", resp.StatusCode, links)
	}
	href, _ := at(list[0], "href").(string)
	path, ok := strings.CutPrefix(href, srv.URL)
	if !ok {
		t.Fatalf("nodeinfo href %q is not on this server", href)
	}
	resp, info := getJSON(t, srv, path, "")
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Type"), `profile="http://nodeinfo.diaspora.software/ns/schema/2.0#"`) {
		t.Fatalf("%s = %d %q", path, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	expectFields(t, "nodeinfo", info, map[string]any{
		"version": "2.0", "software.name": "rounds", "software.version": "0.1", "protocols": []any{},
		"services.inbound": []any{}, "services.outbound": []any{}, "openRegistrations": true,
		"usage.users.total": 3.0, "usage.users.activeMonth": 2.0, "usage.users.activeHalfyear": 2.0,
		"usage.localPosts": 2.0, "metadata.nodeName": "Rounds",
	})

	resp, body := srv.Get(t, srv.Client(), "/.well-known/host-meta")
	var xrd struct {
		XMLName xml.Name
		Links   []struct {
			Rel      string `xml:"rel,attr"`
			Template string `xml:"template,attr"`
		} `xml:"Link"`
	}
	if err := xml.Unmarshal([]byte(body), &xrd); err != nil || resp.StatusCode != 200 {
		t.Fatalf("host-meta = %d %v\n%s", resp.StatusCode, err, body)
	}
	if !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/xrd+xml") || xrd.XMLName.Local != "XRD" ||
		xrd.XMLName.Space != "http://docs.oasis-open.org/ns/xri/xrd-1.0" || len(xrd.Links) != 1 || xrd.Links[0].Rel != "lrdd" ||
		xrd.Links[0].Template != srv.URL+"/.well-known/webfinger?resource={uri}" {
		t.Fatalf("host-meta = %q %+v", resp.Header.Get("Content-Type"), xrd)
	}
}
