package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/testkit"
)

// TestBadText_NeverAServerError: NUL bytes, invalid UTF-8 and control
// characters in paths, queries and bodies get a 4xx on both engines
// (PostgreSQL refuses them in text columns, SQLite would store them).
func TestBadText_NeverAServerError(t *testing.T) {
	srv := testkit.Start(t)
	c := srv.Client()
	for _, path := range []string{"/clinicians/%FF", "/clinicians/%00", "/organizations/%FF", "/@%00", "/@x%FF/12",
		"/api/rounds/v1/clinicians/%00", "/api/rounds/v1/organizations?q=%00", "/api/rounds/v1/organizations/%FF",
		"/directory?org=%00", "/directory?q=%FF", "/api/rounds/v1/clinicians?near=%00", "/api/v1/accounts/lookup?acct=%00",
		"/tags/%00", "/api/v1/timelines/tag/%FF"} {
		resp, _ := srv.Get(t, c, path)
		if resp.StatusCode >= 500 {
			t.Errorf("GET %s = %d", path, resp.StatusCode)
		}
	}
	testkit.NewPerson(t, srv.Accounts, "dr_text", account.Clinician)
	token, err := srv.Accounts.IssueToken(t.Context(), account.CLI, "dr_text", "read write")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ method, path, body string }{
		{"PUT", "/api/rounds/v1/profile", `{"first_name":"A\u0000","last_name":"B"}`},
		{"PUT", "/api/rounds/v1/profile", `{"first_name":"Ann","last_name":"B","bio":"evil\u202etxt"}`},
		{"POST", "/api/v1/statuses", `{"status":"nul \u0000 byte"}`},
	} {
		req, _ := http.NewRequest(tc.method, srv.URL+tc.path, strings.NewReader(tc.body))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		resp, body := srv.Do(t, c, req)
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%s %s %s = %d %s; want 422", tc.method, tc.path, tc.body, resp.StatusCode, body)
		}
	}
}
