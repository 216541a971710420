package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/audit"
	"github.com/rounds-health/rounds/internal/social"
	"github.com/rounds-health/rounds/internal/testkit"
)

// apiCall posts a form to path with a bearer token and decodes the JSON answer.
func apiCall(t *testing.T, srv *testkit.Server, token, method, path string, form url.Values) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, raw := srv.Do(t, srv.Client(), req)
	var m map[string]any
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		t.Fatalf("%s %s: not a JSON object: %s", method, path, raw)
	}
	return resp.StatusCode, m
}

func findingTypes(v any) []string {
	var out []string
	list, _ := v.([]any)
	for _, f := range list {
		m, _ := f.(map[string]any)
		out = append(out, m["type"].(string))
	}
	return out
}

func hasType(v any, want string) bool {
	for _, t := range findingTypes(v) {
		if t == want {
			return true
		}
	}
	return false
}

// The compliance issue's API acceptance: a clinician's public post with a
// patient's name and a date, or a phone number, is refused with 422 and
// nothing is published; a patient's equivalent post is published with a
// warning field.
func TestStatusesAPI_GuardRefusesCliniciansAndWarnsPatients(t *testing.T) {
	srv := testkit.Start(t)
	ctx := context.Background()
	testkit.NewPerson(t, srv.Accounts, "dr_guard_api", account.Clinician)
	testkit.NewPerson(t, srv.Accounts, "pat_guard_api", account.Patient)
	docToken, err := srv.Accounts.IssueToken(ctx, account.CLI, "dr_guard_api", "read write")
	if err != nil {
		t.Fatal(err)
	}
	patToken, err := srv.Accounts.IssueToken(ctx, account.CLI, "pat_guard_api", "read write")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, text string
		want       []string // finding types that must be reported
	}{
		{"a patient's name and a date", "Wonderful to see Margaret Okafor recovering so well after her bypass on June 12.", []string{"NAME", "DATE"}},
		{"a phone number", "Questions about your results? Call me directly at 617-555-0183.", []string{"PHONE"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, body := apiCall(t, srv, docToken, "POST", "/api/v1/statuses", url.Values{"status": {c.text}, "visibility": {"public"}})
			if code != http.StatusUnprocessableEntity {
				t.Fatalf("clinician: %d %v; want 422", code, body)
			}
			if msg, _ := body["error"].(string); msg == "" {
				t.Errorf("no Mastodon error message: %v", body)
			}
			for _, w := range c.want {
				if !hasType(body["findings"], w) {
					t.Errorf("clinician: findings %v lack %s", findingTypes(body["findings"]), w)
				}
			}
			for _, f := range body["findings"].([]any) {
				m := f.(map[string]any)
				start, end := int(m["start"].(float64)), int(m["end"].(float64))
				if m["field"] != "status" || c.text[start:end] != m["text"] || m["explanation"] == "" || m["blocking"] != true {
					t.Errorf("finding %v does not point into the text", m)
				}
			}
			code, body = apiCall(t, srv, patToken, "POST", "/api/v1/statuses", url.Values{"status": {c.text}, "visibility": {"public"}})
			if code != http.StatusOK {
				t.Fatalf("patient: %d %v; want 200", code, body)
			}
			for _, w := range c.want {
				if !hasType(body["rounds_warnings"], w) {
					t.Errorf("patient: warnings %v lack %s", findingTypes(body["rounds_warnings"]), w)
				}
			}
		})
	}
	doc, _ := srv.Accounts.UserByUsername(ctx, "dr_guard_api")
	if list, _ := srv.Social.Account(ctx, social.Viewer{ID: doc.ID}, doc.ID, social.Page{}, social.AccountOptions{}); len(list) != 0 {
		t.Fatalf("%d of the clinician's refused posts were published", len(list))
	}
	recs, _ := srv.Audit.List(ctx, audit.Filter{Action: "publish.blocked"})
	if len(recs) != len(cases) {
		t.Fatalf("%d blocked attempts audited; want %d", len(recs), len(cases))
	}
	for _, r := range recs {
		if strings.Contains(r.Detail, "Okafor") || strings.Contains(r.Detail, "555") {
			t.Fatalf("the audit record repeats the text: %q", r.Detail)
		}
	}
	// A safe post goes through, and the check endpoint reports without publishing.
	code, body := apiCall(t, srv, docToken, "POST", "/api/v1/statuses", url.Values{"status": {"Flu shots are available at the clinic all week."}})
	if code != http.StatusOK {
		t.Fatalf("a safe post: %d %v", code, body)
	}
	code, body = apiCall(t, srv, docToken, "POST", "/api/rounds/v1/statuses/check", url.Values{"status": {cases[1].text}})
	if code != http.StatusOK || body["blocked"] != true || !hasType(body["findings"], "PHONE") {
		t.Fatalf("check: %d %v", code, body)
	}
}

// A blocked draft handed to the organization's compliance officer comes
// back released, through the API, with the decision audited.
func TestHoldsAPI_OfficerReleasesAHeldDraft(t *testing.T) {
	srv := testkit.Start(t)
	ctx := context.Background()
	clinic := testkit.Organization(t, srv, "hapi", "Hillside Family Clinic")
	writer := testkit.NewPerson(t, srv.Accounts, "hapi_writer", account.Staff)
	clinic.AddStaff(t, srv, writer, "social_media")
	wt, _ := srv.Accounts.IssueToken(ctx, account.CLI, "hapi_writer", "read write")
	ot, _ := srv.Accounts.IssueToken(ctx, account.CLI, "hapi_officer", "read write")
	text := "Our new after-hours nurse line is 617-555-0177."
	code, body := apiCall(t, srv, wt, "POST", "/api/v1/statuses", url.Values{"status": {text}})
	if code != http.StatusUnprocessableEntity {
		t.Fatalf("staff post with a phone number: %d %v", code, body)
	}
	orgs, _ := body["release_by"].([]any)
	if len(orgs) != 1 || orgs[0].(map[string]any)["slug"] != clinic.Slug {
		t.Fatalf("release_by = %v", body["release_by"])
	}
	orgID := strconv.FormatInt(clinic.ID, 10)
	code, hold := apiCall(t, srv, wt, "POST", "/api/rounds/v1/holds", url.Values{"status": {text}, "org_id": {orgID},
		"note": {"The nurse line is public."}})
	if code != http.StatusCreated || hold["state"] != "held" {
		t.Fatalf("hold: %d %v", code, hold)
	}
	id := hold["id"].(string)
	code, body = apiCall(t, srv, wt, "POST", "/api/rounds/v1/holds/"+id+"/release", url.Values{"justification": {"I wrote it and I think it is fine"}})
	if code != http.StatusForbidden {
		t.Fatalf("the writer released their own draft: %d %v", code, body)
	}
	code, body = apiCall(t, srv, ot, "POST", "/api/rounds/v1/holds/"+id+"/release", url.Values{"justification": {"short"}})
	if code != http.StatusUnprocessableEntity {
		t.Fatalf("release without a real justification: %d %v", code, body)
	}
	code, list := apiCall(t, srv, ot, "GET", "/api/rounds/v1/holds", nil)
	if review, _ := list["review"].([]any); code != http.StatusOK || len(review) != 1 {
		t.Fatalf("officer's queue: %d %v", code, list)
	}
	code, status := apiCall(t, srv, ot, "POST", "/api/rounds/v1/holds/"+id+"/release",
		url.Values{"justification": {"The after-hours nurse line is published on our web site."}})
	if code != http.StatusOK || !strings.Contains(status["content"].(string), "after-hours nurse line") {
		t.Fatalf("release: %d %v", code, status)
	}
	if acct := status["account"].(map[string]any); acct["username"] != "hapi_writer" {
		t.Fatalf("the released status is by %v", acct["username"])
	}
}

// A patient story through the API needs a usable authorization.
func TestStatusesAPI_PatientStoryNeedsAnAuthorization(t *testing.T) {
	srv := testkit.Start(t)
	ctx := context.Background()
	testkit.NewPerson(t, srv.Accounts, "dr_story_api", account.Clinician)
	tok, _ := srv.Accounts.IssueToken(ctx, account.CLI, "dr_story_api", "read write")
	for _, v := range []string{"12345", "not-a-number"} {
		code, body := apiCall(t, srv, tok, "POST", "/api/v1/statuses", url.Values{"status": {"A patient's story"}, "authorization_id": {v}})
		if msg, _ := body["error"].(string); code != http.StatusUnprocessableEntity || !strings.Contains(msg, "uthorization") {
			t.Fatalf("authorization_id=%s: %d %v", v, code, body)
		}
	}
}
