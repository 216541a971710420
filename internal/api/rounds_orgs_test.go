package api_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/testkit"
)

// TestOrganizationsAPI_StaffAndAffiliations runs an organization's life
// through the healthcare API only, as an integration would.
func TestOrganizationsAPI_StaffAndAffiliations(t *testing.T) {
	srv := testkit.Start(t)
	c := srv.Client()
	tok := func(name string, role account.Role) string {
		testkit.NewPerson(t, srv.Accounts, name, role)
		token, err := srv.Accounts.IssueToken(t.Context(), account.CLI, name, "read write")
		if err != nil {
			t.Fatal(err)
		}
		return token
	}
	owner, colleague, doc := tok("api_owner", account.Staff), tok("api_colleague", account.Staff), tok("api_doc", account.Clinician)
	tok("api_patient", account.Patient)
	call := func(token, method, path, body string, want int) map[string]any {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, raw := srv.Do(t, c, req)
		if resp.StatusCode != want {
			t.Fatalf("%s %s = %d %s; want %d", method, path, resp.StatusCode, raw, want)
		}
		var v any
		_ = json.Unmarshal([]byte(raw), &v)
		if m, ok := v.(map[string]any); ok {
			return m
		}
		return map[string]any{"list": v}
	}
	org := call(owner, "POST", "/api/rounds/v1/organizations", `{"name":"Bayside Clinic","kind":"clinic"}`, 201)
	id := org["id"].(string)
	call(owner, "POST", "/api/rounds/v1/organizations/"+id+"/locations", `{"name":"Main","city":"Boston","state":"MA","postal_code":"02114"}`, 201)
	call(owner, "PATCH", "/api/rounds/v1/organizations/"+id, `{"description":"Walk-in care"}`, 200)
	call(colleague, "PATCH", "/api/rounds/v1/organizations/"+id, `{"description":"hijack"}`, 403)
	call(owner, "PUT", "/api/rounds/v1/organizations/"+id+"/staff/api_colleague", `{"role":"social_media"}`, 200)
	call(owner, "PUT", "/api/rounds/v1/organizations/"+id+"/staff/api_patient", `{"role":"member"}`, 422)
	staff := call(colleague, "GET", "/api/rounds/v1/organizations/"+id+"/staff", "", 200)["list"].([]any)
	if len(staff) != 2 {
		t.Fatalf("staff = %v", staff)
	}
	call("", "GET", "/api/rounds/v1/organizations/"+id+"/staff", "", 401)
	call(doc, "PUT", "/api/rounds/v1/profile", `{"first_name":"Ada","last_name":"Api","credentials":"MD","specialties":["207Q00000X"],
		"published":true,"locations":[{"city":"Boston","state":"MA","postal_code":"02114"}]}`, 200)
	call(doc, "POST", "/api/rounds/v1/profile/affiliations", `{"organization":"`+id+`","title":"Family physician"}`, 202)
	if got := call("", "GET", "/api/rounds/v1/organizations/"+id+"/affiliations", "", 200)["list"].([]any); len(got) != 0 {
		t.Fatalf("a pending affiliation is public: %v", got)
	}
	pending := call(owner, "GET", "/api/rounds/v1/organizations/"+id+"/affiliations", "", 200)["list"].([]any)
	if len(pending) != 1 {
		t.Fatalf("the owner sees pending requests %v", pending)
	}
	clinicianID := pending[0].(map[string]any)["clinician_id"].(string)
	call(colleague, "POST", "/api/rounds/v1/organizations/"+id+"/affiliations/"+clinicianID+"/confirm", "", 403)
	call(owner, "POST", "/api/rounds/v1/organizations/"+id+"/affiliations/"+clinicianID+"/confirm", "", 200)
	if got := call("", "GET", "/api/rounds/v1/organizations/"+id+"/affiliations", "", 200)["list"].([]any); len(got) != 1 {
		t.Fatalf("public affiliations after confirmation = %v", got)
	}
	call(owner, "DELETE", "/api/rounds/v1/organizations/"+id+"/staff/api_owner", "", 422) // the last owner stays
}
