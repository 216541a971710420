package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/directory"
	"github.com/rounds-health/rounds/internal/testkit"
)

// TestDraftsAPI_PreparedApprovedAndPublishedWithAttribution runs the
// publishing workflow over HTTP as an integration would, and checks each
// answer against the OpenAPI document.
func TestDraftsAPI_PreparedApprovedAndPublishedWithAttribution(t *testing.T) {
	srv := testkit.Start(t)
	doc := loadDoc(t)
	clinic := testkit.Organization(t, srv, "dapi", "Harbor Health Clinic")
	writer := testkit.NewPerson(t, srv.Accounts, "Sam_Lee", account.Staff)
	clinic.AddStaff(t, srv, writer, directory.SocialMedia)
	dr, profile := testkit.Clinician(t, srv, testkit.ClinicianSpec{Username: "dr_quill", First: "Ada", Last: "Quill",
		Specialties: []string{"207Q00000X"}, City: "Boston", State: "MA", Zip: "02114", NPIStem: 7201})
	clinic.Affiliate(t, srv, dr, profile)
	token := func(p *testkit.Person) string {
		tok, err := srv.Accounts.IssueToken(t.Context(), account.CLI, p.User.Username, "read write")
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	wt, dt, ot := token(writer), token(dr), token(clinic.Officer)
	call := func(token, method, path, body string, want int, schema string) map[string]any {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, raw := srv.Do(t, srv.Client(), req)
		if resp.StatusCode != want {
			t.Fatalf("%s %s = %d %s; want %d", method, path, resp.StatusCode, raw, want)
		}
		var v any
		if err := json.Unmarshal([]byte(raw), &v); err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
		if schema != "" {
			conforms(t, doc, schemaRef(schema), v, method+" "+path)
		}
		if m, ok := v.(map[string]any); ok {
			return m
		}
		return map[string]any{"list": v}
	}
	steps := "/api/rounds/v1/organizations/" + clinic.Slug + "/approval_steps"
	call("", "GET", steps, "", 200, "ApprovalSteps")
	call(wt, "PUT", steps, `{"steps":[{"approver":"compliance","rule":"any"}]}`, 403, "Error")
	call(ot, "PUT", steps, `{"steps":[{"approver":"compliance","rule":"any"}]}`, 422, "Error")
	call(ot, "PUT", steps, `{"steps":[{"approver":"clinician","rule":"any"},{"approver":"compliance","rule":"all"}]}`, 200, "ApprovalSteps")

	d := call(wt, "POST", "/api/rounds/v1/drafts", fmt.Sprintf(`{"organization":%q,"for":"dr_quill","status":"Our nurse line is 617-555-0177."}`,
		clinic.Slug), 201, "WorkflowDraftDetail")
	id := d["id"].(string)
	if d["blocking"].(float64) == 0 || len(d["findings"].([]any)) == 0 {
		t.Fatalf("the guard's findings are missing: %v", d)
	}
	call(wt, "POST", "/api/rounds/v1/drafts", `{"organization":"nope-nope","status":"x"}`, 422, "Error")
	call(wt, "POST", "/api/rounds/v1/drafts", `{"organization":"`+clinic.Slug+`","status":"x","colour":"red"}`, 422, "Error")
	d = call(wt, "PUT", "/api/rounds/v1/drafts/"+id, `{"version":1,"status":"Our nurse line is open every night; the number is on our web site."}`, 200, "WorkflowDraftDetail")
	if d["version"].(float64) != 2 || d["blocking"].(float64) != 0 {
		t.Fatalf("after the fix: %v", d)
	}
	call(wt, "POST", "/api/rounds/v1/drafts/"+id+"/decisions", `{"decision":"approve","version":2}`, 403, "Error")
	call(dt, "POST", "/api/rounds/v1/drafts/"+id+"/decisions", `{"decision":"approve","version":1}`, 409, "Error")
	call(dt, "POST", "/api/rounds/v1/drafts/"+id+"/decisions", `{"decision":"comment","body":"Say \"every night\"."}`, 200, "WorkflowDraftDetail")
	call(dt, "POST", "/api/rounds/v1/drafts/"+id+"/decisions", `{"decision":"approve","version":2}`, 200, "WorkflowDraftDetail")
	d = call(ot, "POST", "/api/rounds/v1/drafts/"+id+"/decisions", `{"decision":"approve","version":2}`, 200, "WorkflowDraftDetail")
	if d["state"] != "approved" {
		t.Fatalf("after both steps: %v", d["state"])
	}
	past := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
	e := call(wt, "PUT", "/api/rounds/v1/drafts/"+id+"/schedule", `{"publish_at":"`+past+`"}`, 422, "Error")
	if _, ok := e["details"].(map[string]any)["publish_at"]; !ok {
		t.Fatalf("the past time's error does not name publish_at: %v", e)
	}
	call(wt, "PUT", "/api/rounds/v1/drafts/"+id+"/schedule", `{"publish_at":"tomorrow"}`, 422, "Error")
	later := time.Now().Add(3 * time.Hour).UTC().Format(time.RFC3339)
	d = call(wt, "PUT", "/api/rounds/v1/drafts/"+id+"/schedule", `{"publish_at":"`+later+`"}`, 200, "WorkflowDraftDetail")
	if d["schedule"].(map[string]any)["state"] != "scheduled" {
		t.Fatalf("schedule: %v", d["schedule"])
	}
	call(wt, "DELETE", "/api/rounds/v1/drafts/"+id+"/schedule", "", 200, "WorkflowDraftDetail")
	call(wt, "GET", "/api/rounds/v1/drafts/"+id+"/versions", "", 200, "[]DraftVersion")
	if list := call(dt, "GET", "/api/rounds/v1/drafts?state=approved", "", 200, "[]WorkflowDraft")["list"].([]any); len(list) != 1 {
		t.Fatalf("the clinician's list: %v", list)
	}
	call(wt, "GET", "/api/rounds/v1/drafts/attention", "", 200, "DraftAttention")
	call("", "GET", "/api/rounds/v1/drafts/"+id, "", 401, "Error")

	d = call(wt, "POST", "/api/rounds/v1/drafts/"+id+"/publish", "", 200, "WorkflowDraftDetail")
	statusID, _ := d["status_id"].(string)
	if d["state"] != "published" || statusID == "" {
		t.Fatalf("publish: %v", d)
	}
	st := call("", "GET", "/api/v1/statuses/"+statusID, "", 200, "")
	attr, _ := st["rounds"].(map[string]any)["attribution"].(map[string]any)
	if attr == nil || attr["text"] != "Prepared by Sam Lee, approved by Dr. Ada Quill" {
		t.Fatalf("the status's attribution: %v", st["rounds"])
	}
	conforms(t, doc, schemaRef("Attribution"), attr, "rounds.attribution")
	if acct := st["account"].(map[string]any); acct["username"] != "dr_quill" {
		t.Fatalf("published as %v", acct["username"])
	}

	// The archive: JSON Lines for owners and compliance officers.
	call(wt, "GET", "/api/rounds/v1/organizations/"+clinic.Slug+"/archive", "", 403, "Error")
	req, _ := http.NewRequest("GET", srv.URL+"/api/rounds/v1/organizations/"+clinic.Slug+"/archive", nil)
	req.Header.Set("Authorization", "Bearer "+ot)
	resp, raw := srv.Do(t, srv.Client(), req)
	lines := strings.Split(strings.TrimSpace(raw), "\n")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/x-ndjson") || len(lines) < 3 {
		t.Fatalf("archive: %d %s\n%s", resp.StatusCode, resp.Header.Get("Content-Type"), raw)
	}
	for _, l := range lines {
		var v any
		if err := json.Unmarshal([]byte(l), &v); err != nil {
			t.Fatalf("archive line %q: %v", l, err)
		}
		conforms(t, doc, schemaRef("ArchiveLine"), v, "archive line")
	}
	if !strings.Contains(lines[len(lines)-1], `"type":"end"`) {
		t.Fatalf("the archive has no end line: %s", lines[len(lines)-1])
	}
}

func schemaRef(name string) schema {
	if item, ok := strings.CutPrefix(name, "[]"); ok {
		s := schemaRef(item)
		return schema{Type: "array", Items: &s}
	}
	return schema{Ref: "#/components/schemas/" + name}
}
