package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/audit"
	"github.com/rounds-health/rounds/internal/testkit"
)

func TestPages_SecurityHeadersAndStatus(t *testing.T) {
	srv := testkit.Start(t)
	c := srv.Client()
	cases := []struct {
		path   string
		status int
		body   string
	}{
		{"/", http.StatusOK, "Healthcare, in the open"},
		{"/signup", http.StatusOK, "I am 18 or older"},
		{"/signin", http.StatusOK, "Sign in"},
		{"/healthz", http.StatusOK, "ok"},
		{"/no/such/page", http.StatusNotFound, "There is no page at this address"},
		{"/settings", http.StatusSeeOther, ""},
		{"/admin/audit", http.StatusSeeOther, ""},
		{"/reset/not-a-real-token", http.StatusNotFound, "expired or was already used"},
		{"/static/htmx.min.js", http.StatusOK, "htmx"},
	}
	for _, tc := range cases {
		resp, body := srv.Get(t, c, tc.path)
		if resp.StatusCode != tc.status || !strings.Contains(body, tc.body) {
			t.Errorf("GET %s = %d; want %d containing %q", tc.path, resp.StatusCode, tc.status, tc.body)
		}
		csp := resp.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("GET %s: weak CSP %q", tc.path, csp)
		}
		if resp.Header.Get("X-Content-Type-Options") != "nosniff" || resp.Header.Get("X-Request-Id") == "" {
			t.Errorf("GET %s: missing nosniff or request ID", tc.path)
		}
		if resp.Header.Get("Strict-Transport-Security") != "" {
			t.Errorf("GET %s: HSTS sent over plain HTTP", tc.path)
		}
		if tc.status == http.StatusOK && strings.Contains(body, "<script>") {
			t.Errorf("GET %s: inline script in the page", tc.path)
		}
	}
}

func TestSignUp_ErrorsShownBesideFieldsWithInputKept(t *testing.T) {
	srv := testkit.Start(t)
	c := srv.Client()
	resp, body := srv.PostForm(t, c, "/signup", url.Values{
		"username": {"ok_name"}, "email": {"not-an-email"}, "display_name": {"Dr Kept Name"},
		"password": {"secret passphrase kept out"}, "role": {"patient"},
	})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d; want 422", resp.StatusCode)
	}
	for _, want := range []string{
		`id="email-err"`, "Enter an email address like", // beside the field
		`id="age-err"`, "18 or older", // missing attestation
		`value="ok_name"`, `value="not-an-email"`, `value="Dr Kept Name"`, // input kept
		`aria-invalid="true"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if strings.Contains(body, "secret passphrase kept out") {
		t.Error("the password was echoed back into the page")
	}
	if n, _ := srv.Accounts.CountUsers(t.Context()); n != 0 {
		t.Fatalf("a rejected sign-up left %d accounts", n)
	}
}

func TestForms_BadRequestsGetSpecific4xx(t *testing.T) {
	srv := testkit.Start(t)
	c := srv.Client()
	post := func(path, ctype, body string, hdr map[string]string) (*http.Response, string) {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+path, strings.NewReader(body))
		req.Header.Set("Content-Type", ctype)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		return srv.Do(t, c, req)
	}
	resp, body := post("/signin", "application/json", `{"username":"x"}`, nil)
	if resp.StatusCode != http.StatusUnsupportedMediaType || !strings.Contains(body, "form submission") {
		t.Errorf("JSON to a form route = %d %q", resp.StatusCode, body)
	}
	resp, _ = post("/signin", "application/x-www-form-urlencoded", "username="+strings.Repeat("a", 2<<20), nil)
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("2 MiB form = %d; want 413", resp.StatusCode)
	}
	resp, body = post("/signin", "application/x-www-form-urlencoded", "username=%zz", nil)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "could not be read") {
		t.Errorf("malformed form = %d", resp.StatusCode)
	}
	resp, body = post("/signin", "application/x-www-form-urlencoded", "username=a&password=b",
		map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"})
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "another site") {
		t.Errorf("cross-site POST = %d %q; want 403", resp.StatusCode, body)
	}
	resp, _ = post("/signin", "application/x-www-form-urlencoded", "", nil)
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("empty sign-in = %d; want 422", resp.StatusCode)
	}
	req, _ := http.NewRequest(http.MethodDelete, srv.URL+"/signin", nil)
	resp, _ = srv.Do(t, c, req)
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("DELETE /signin = %d; want 404", resp.StatusCode)
	}
}

func TestSessionCookie_IsHttpOnlyAndSameSite(t *testing.T) {
	srv := testkit.Start(t)
	testkit.NewPerson(t, srv.Accounts, "cookie_check", account.Patient)
	resp, _ := srv.PostForm(t, srv.Client(), "/signin", url.Values{"username": {"cookie_check"}, "password": {testkit.Password}})
	var found bool
	for _, ck := range resp.Cookies() {
		if ck.Name == "rounds_session" {
			found = true
			if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Secure {
				t.Errorf("cookie flags: HttpOnly=%v SameSite=%v Secure=%v (plain HTTP)", ck.HttpOnly, ck.SameSite, ck.Secure)
			}
		}
	}
	if !found {
		t.Fatal("no session cookie after sign-in")
	}
}

func TestStaffMustEnrollTwoFactorBeforeActing(t *testing.T) {
	srv := testkit.Start(t)
	c := srv.Client()
	resp, body := srv.PostForm(t, c, "/signup", url.Values{
		"username": {"comms_lead"}, "email": {"comms@example.org"}, "password": {testkit.Password},
		"role": {"staff"}, "age": {"yes"},
	})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/settings/2fa?new=1" {
		t.Fatalf("staff sign-up = %d to %q\n%s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
	for _, path := range []string{"/settings", "/admin/audit"} {
		resp, _ = srv.Get(t, c, path)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/settings/2fa" {
			t.Errorf("GET %s before enrolment = %d to %q; want the 2FA set-up", path, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	resp, body = srv.Get(t, c, "/settings/2fa")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "<svg") || !strings.Contains(body, "needs two-factor sign-in") {
		t.Fatalf("set-up page = %d", resp.StatusCode)
	}
}

func TestAdminAudit_OnlyAdminsAndFilters(t *testing.T) {
	srv := testkit.Start(t)
	admin := testkit.NewPerson(t, srv.Accounts, "chief", account.Admin)
	patient := testkit.NewPerson(t, srv.Accounts, "curious", account.Patient)
	pc := srv.Client()
	srv.SignIn(t, pc, patient)
	resp, _ := srv.Get(t, pc, "/admin/audit")
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("patient GET /admin/audit = %d; want 403", resp.StatusCode)
	}
	ac := srv.Client()
	srv.SignIn(t, ac, admin)
	resp, body := srv.Get(t, ac, "/admin/audit?action=admin.access&outcome=denied")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "curious") || strings.Contains(body, "auth.signin</td>") {
		t.Fatalf("filtered audit view = %d; want the patient's denied access only\n%s", resp.StatusCode, body)
	}
	resp, body = srv.Get(t, ac, "/admin/audit?since=yesterday")
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="since-err"`) {
		t.Fatalf("bad date filter = %d", resp.StatusCode)
	}
	recs, _ := srv.Audit.List(t.Context(), audit.Filter{Action: "admin.read_audit"})
	if len(recs) == 0 || recs[0].Actor != "chief" {
		t.Fatal("reading the audit log was not itself audited")
	}
}

func TestAdmin_ResetLinkAndRoleChangeFromTheUI(t *testing.T) {
	srv := testkit.Start(t)
	admin := testkit.NewPerson(t, srv.Accounts, "chief", account.Admin)
	testkit.NewPerson(t, srv.Accounts, "locked_patient", account.Patient)
	ac := srv.Client()
	srv.SignIn(t, ac, admin)
	resp, body := srv.PostForm(t, ac, "/admin/users/locked_patient/reset-link", url.Values{})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("reset link = %d", resp.StatusCode)
	}
	i := strings.Index(body, srv.URL+"/reset/")
	if i < 0 {
		t.Fatal("the reset link is not shown to the admin")
	}
	link := body[i+len(srv.URL) : i+len(srv.URL)+len("/reset/")+43]
	pc := srv.Client()
	resp, body = srv.PostForm(t, pc, link, url.Values{"password": {"fresh start passphrase"}, "confirm": {"different"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="confirm-err"`) {
		t.Fatalf("mismatched confirmation = %d", resp.StatusCode)
	}
	resp, _ = srv.PostForm(t, pc, link, url.Values{"password": {"fresh start passphrase"}, "confirm": {"fresh start passphrase"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("reset = %d", resp.StatusCode)
	}
	resp, _ = srv.PostForm(t, pc, "/signin", url.Values{"username": {"locked_patient"}, "password": {"fresh start passphrase"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in with the new password = %d", resp.StatusCode)
	}
	resp, body = srv.PostForm(t, ac, "/admin/users/locked_patient/role", url.Values{"role": {"moderator"}})
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "is now Moderator") {
		t.Fatalf("role change = %d", resp.StatusCode)
	}
	resp, _ = srv.Get(t, pc, "/")
	if strings.Contains(resp.Header.Get("Set-Cookie"), "rounds_session=;") == false {
		// The role change ended the patient's session: the next page clears the cookie.
		t.Fatal("the session survived a role change")
	}
}

func TestSignIn_ReturnsToTheRequestedPageWithoutOpenRedirects(t *testing.T) {
	srv := testkit.Start(t)
	testkit.NewPerson(t, srv.Accounts, "returning", account.Patient)
	for next, want := range map[string]string{
		"/settings":                "/settings",
		"/admin/audit?actor=x#top": "/admin/audit?actor=x#top",
		"//evil.example/x":         "/",
		"https://evil.example":     "/",
		"/\t/evil.example/phish":   "/", // browsers drop the tab: //evil.example
		"/\t/x":                    "/",
		"/\n/evil.example":         "/",
		"/\\evil.example":          "/", // browsers read \ as /
		"/\\/evil.example":         "/",
		"\\\\evil.example":         "/",
		"/%09/evil.example":        "/",
		"/%5Cevil.example":         "/",
		"/%2F/evil.example":        "/",
		"javascript:alert(1)":      "/",
		"settings":                 "/",
		" /settings":               "/",
	} {
		resp, _ := srv.PostForm(t, srv.Client(), "/signin", url.Values{"username": {"returning"}, "password": {testkit.Password}, "next": {next}})
		if got := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || got != want {
			t.Errorf("next=%q: %d to %q; want %q", next, resp.StatusCode, got, want)
		}
	}
}

func sessionCookie(c *http.Client, base string) string {
	u, _ := url.Parse(base)
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == "rounds_session" {
			return ck.Value
		}
	}
	return ""
}

// The token a browser held before the second factor no longer works after it.
func TestSecondFactor_GivesTheBrowserANewSessionCookie(t *testing.T) {
	srv := testkit.Start(t)
	p := testkit.NewPerson(t, srv.Accounts, "dr_rotate", account.Clinician)
	c := srv.Client()
	resp, _ := srv.PostForm(t, c, "/signin", url.Values{"username": {"dr_rotate"}, "password": {testkit.Password}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in = %d", resp.StatusCode)
	}
	before := sessionCookie(c, srv.URL)
	resp, _ = srv.PostForm(t, c, "/signin/2fa", url.Values{"code": {p.NextCode(t)}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("second factor = %d", resp.StatusCode)
	}
	after := sessionCookie(c, srv.URL)
	if after == "" || after == before {
		t.Fatal("the session cookie did not change with the second factor")
	}
	if resp, _ := srv.Get(t, c, "/settings"); resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /settings with the new cookie = %d", resp.StatusCode)
	}
	old := srv.Client()
	u, _ := url.Parse(srv.URL)
	old.Jar.SetCookies(u, []*http.Cookie{{Name: "rounds_session", Value: before}})
	if resp, _ := srv.Get(t, old, "/settings"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/signin") {
		t.Fatalf("GET /settings with the cookie from before the code = %d to %q; want the sign-in page", resp.StatusCode, resp.Header.Get("Location"))
	}
}

// Someone at a signed-in browser cannot guess the password through the
// settings forms: the fifth wrong password locks and signs them out.
func TestSettings_WrongPasswordsLockAndSignOut(t *testing.T) {
	srv := testkit.Start(t)
	p := testkit.NewPerson(t, srv.Accounts, "guessed_at", account.Patient)
	c := srv.Client()
	srv.SignIn(t, c, p)
	var resp *http.Response
	var body string
	for i := range 5 {
		resp, body = srv.PostForm(t, c, "/settings/password", url.Values{"current_password": {"not it " + strings.Repeat("x", i)},
			"new_password": {"brand new passphrase"}, "confirm_password": {"brand new passphrase"}})
		if i < 4 && (resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "not right")) {
			t.Fatalf("wrong password %d = %d", i+1, resp.StatusCode)
		}
	}
	if resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, "locked for 15 more minutes") || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("fifth wrong password = %d (Retry-After %q); want 429 with the lock message", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if !strings.Contains(body, `action="/signin"`) || strings.Contains(body, "@guessed_at") {
		t.Fatal("after the lock the page still shows the person signed in")
	}
	if resp, _ := srv.Get(t, c, "/settings"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("GET /settings after the lock = %d; want the sign-in page", resp.StatusCode)
	}
}

// A network address locked for failed sign-ins (a hospital's shared
// address) can still sign a new person up, who is signed in at once:
// sign-up never leaves an account behind an error page.
func TestSignUp_FromALockedAddressSignsTheNewAccountIn(t *testing.T) {
	srv := testkit.Start(t)
	c := srv.Client()
	for i := range 30 {
		srv.PostForm(t, c, "/signin", url.Values{"username": {"nobody_" + strconv.Itoa(i)}, "password": {"not a password"}})
	}
	resp, body := srv.PostForm(t, c, "/signin", url.Values{"username": {"nobody_y"}, "password": {"not a password"}})
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("the address is not locked: %d", resp.StatusCode)
	}
	resp, body = srv.PostForm(t, c, "/signup", url.Values{"username": {"new_nurse"}, "email": {"nurse@example.org"},
		"password": {testkit.Password}, "role": {"patient"}, "age": {"yes"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/?notice=welcome" {
		t.Fatalf("sign-up from the locked address = %d to %q\n%s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
	if resp, _ := srv.Get(t, c, "/settings"); resp.StatusCode != http.StatusOK {
		t.Fatalf("the new account is not signed in: GET /settings = %d", resp.StatusCode)
	}
}

func TestSignUp_TakenEmailIsNotConfirmed(t *testing.T) {
	srv := testkit.Start(t)
	testkit.NewPerson(t, srv.Accounts, "owner", account.Patient)
	resp, body := srv.PostForm(t, srv.Client(), "/signup", url.Values{"username": {"someone_new"}, "email": {"owner@example.org"},
		"password": {testkit.Password}, "role": {"patient"}, "age": {"yes"}})
	if resp.StatusCode == http.StatusSeeOther || !strings.Contains(body, `id="email-err"`) || strings.Contains(body, "already exists") {
		t.Fatalf("sign-up with a taken email = %d; want the email field's message, without 'already exists'", resp.StatusCode)
	}
}

// Confirming two-factor set-up raises what the session may do: it gets a
// new token too.
func TestTwoFactorSetup_GivesTheBrowserANewSessionCookie(t *testing.T) {
	srv := testkit.Start(t)
	c := srv.Client()
	resp, _ := srv.PostForm(t, c, "/signup", url.Values{"username": {"new_staffer"}, "email": {"staffer@example.org"},
		"password": {testkit.Password}, "role": {"staff"}, "age": {"yes"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-up = %d", resp.StatusCode)
	}
	_, body := srv.Get(t, c, "/settings/2fa")
	_, rest, ok := strings.Cut(body, `data-secret="`)
	secret, _, _ := strings.Cut(rest, `"`)
	if !ok || secret == "" {
		t.Fatal("no secret on the set-up page")
	}
	before := sessionCookie(c, srv.URL)
	code, err := account.TOTPCode(secret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	resp, body = srv.PostForm(t, c, "/settings/2fa", url.Values{"code": {code}})
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "recovery") {
		t.Fatalf("confirm = %d", resp.StatusCode)
	}
	if after := sessionCookie(c, srv.URL); after == "" || after == before {
		t.Fatal("the session cookie did not change when two-factor sign-in was turned on")
	}
	if resp, _ := srv.Get(t, c, "/settings"); resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /settings with the new cookie = %d", resp.StatusCode)
	}
}
