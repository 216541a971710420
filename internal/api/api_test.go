package api_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/audit"
	"github.com/rounds-health/rounds/internal/testkit"
)

func TestAccountsAPI_BearerTokensAndErrors(t *testing.T) {
	srv := testkit.Start(t)
	testkit.NewPerson(t, srv.Accounts, "dr_api", account.Clinician)
	token, err := srv.Accounts.IssueToken(t.Context(), account.CLI, "dr_api", "read write")
	if err != nil {
		t.Fatal(err)
	}
	readOnly, _ := srv.Accounts.IssueToken(t.Context(), account.CLI, "dr_api", "read")
	c := srv.Client()
	call := func(method, path, bearer, ctype, body string) (int, map[string]any) {
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		if bearer != "" {
			req.Header.Set("Authorization", "Bearer "+bearer)
		}
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		resp, raw := srv.Do(t, c, req)
		if !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
			t.Fatalf("%s %s answered %s, not JSON: %s", method, path, resp.Header.Get("Content-Type"), raw)
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(raw), &m); err != nil {
			t.Fatalf("%s %s: %v in %s", method, path, err, raw)
		}
		return resp.StatusCode, m
	}
	status, m := call("GET", "/api/v1/accounts/verify_credentials", token, "", "")
	if status != 200 || m["username"] != "dr_api" || m["acct"] != "dr_api" {
		t.Fatalf("verify_credentials = %d %v", status, m)
	}
	if r, _ := m["rounds"].(map[string]any); r["role"] != "clinician" || r["verified"] != false {
		t.Fatalf("healthcare fields = %v", m["rounds"])
	}
	if _, ok := m["email"]; ok {
		t.Fatal("the email address leaked into the account JSON")
	}
	cases := []struct {
		name, method, path, bearer, ctype, body string
		status                                  int
		errPart                                 string
	}{
		{"no token", "GET", "/api/v1/accounts/verify_credentials", "", "", "", 401, "missing"},
		{"wrong token", "GET", "/api/v1/accounts/verify_credentials", "nope", "", "", 401, "invalid"},
		{"scope too narrow", "PATCH", "/api/v1/accounts/update_credentials", readOnly, "application/json", `{"note":"x"}`, 403, "scopes"},
		{"malformed JSON", "PATCH", "/api/v1/accounts/update_credentials", token, "application/json", `{"note":`, 400, "not valid JSON"},
		{"JSON array", "PATCH", "/api/v1/accounts/update_credentials", token, "application/json", `[1]`, 400, "not valid JSON"},
		{"nested value", "PATCH", "/api/v1/accounts/update_credentials", token, "application/json", `{"note":{"a":1}}`, 400, "must be a string"},
		{"wrong content type", "PATCH", "/api/v1/accounts/update_credentials", token, "text/plain", "note=x", 415, "application/json"},
		{"too long display name", "PATCH", "/api/v1/accounts/update_credentials", token, "application/json", `{"display_name":"` + strings.Repeat("x", 81) + `"}`, 422, "at most 80"},
		{"unknown route", "GET", "/api/v1/nothing_here", token, "", "", 404, "Record not found"},
		{"body over the limit", "PATCH", "/api/v1/accounts/update_credentials", token, "application/json", `{"note":"` + strings.Repeat("x", 2<<20) + `"}`, 413, "too large"},
	}
	for _, tc := range cases {
		status, m := call(tc.method, tc.path, tc.bearer, tc.ctype, tc.body)
		msg, _ := m["error"].(string)
		if status != tc.status || !strings.Contains(msg, tc.errPart) {
			t.Errorf("%s: %d %q; want %d containing %q", tc.name, status, msg, tc.status, tc.errPart)
		}
	}
	status, m = call("PATCH", "/api/v1/accounts/update_credentials", token, "application/x-www-form-urlencoded", "display_name=Dr.+API&note=Heart+doctor")
	if status != 200 || m["display_name"] != "Dr. API" || m["note"] != "<p>Heart doctor</p>" {
		t.Fatalf("form update = %d %v", status, m)
	}
}

// A client retrying with a dead token is refused every time, and the audit
// log records it once per address and window instead of once per request;
// a token ends with its owner's role change.
func TestAccountsAPI_RefusedTokensAuditedOnceAndRevokedOnRoleChange(t *testing.T) {
	srv := testkit.Start(t)
	admin := testkit.NewPerson(t, srv.Accounts, "api_admin", account.Admin)
	testkit.NewPerson(t, srv.Accounts, "api_clinician", account.Clinician)
	token, err := srv.Accounts.IssueToken(t.Context(), account.CLI, "api_clinician", "read")
	if err != nil {
		t.Fatal(err)
	}
	c := srv.Client()
	get := func(bearer string) int {
		req, _ := http.NewRequest("GET", srv.URL+"/api/v1/accounts/verify_credentials", nil)
		req.Header.Set("Authorization", "Bearer "+bearer)
		resp, _ := srv.Do(t, c, req)
		return resp.StatusCode
	}
	if s := get(token); s != 200 {
		t.Fatalf("a fresh token = %d", s)
	}
	if _, err := srv.Accounts.SetRole(t.Context(), account.Actor{User: admin.User, Via: "web"}, "api_clinician", account.Patient); err != nil {
		t.Fatal(err)
	}
	for range 20 {
		if s := get(token); s != 401 {
			t.Fatalf("the token after its owner's role change = %d; want 401", s)
		}
	}
	recs, err := srv.Audit.List(t.Context(), audit.Filter{Action: "auth.token"})
	if err != nil || len(recs) != 1 || recs[0].Outcome != audit.Failure || recs[0].ClientAddr != "127.0.0.1" {
		t.Fatalf("refused tokens in the audit log: %+v, %v; want one row", recs, err)
	}
}
