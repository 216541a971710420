package web_test

import (
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/testkit"
)

const callback = "https://app.example/callback"

func registerApp(t *testing.T, srv *testkit.Server, scopes string, uris ...string) (*account.App, string) {
	t.Helper()
	app, secret, err := srv.Accounts.RegisterApp(t.Context(), account.NewApp{Name: "Pulse <Reader>", Website: "https://app.example",
		RedirectURIs: uris, Scopes: scopes})
	if err != nil {
		t.Fatal(err)
	}
	return app, secret
}

func authorizePath(app *account.App, kv ...string) string {
	q := url.Values{"response_type": {"code"}, "client_id": {app.ClientID}, "redirect_uri": {callback}, "scope": {"read"}, "state": {"s1"}}
	for i := 0; i < len(kv); i += 2 {
		if kv[i+1] == "" {
			q.Del(kv[i])
		} else {
			q.Set(kv[i], kv[i+1])
		}
	}
	return "/oauth/authorize?" + q.Encode()
}

var hiddenField = regexp.MustCompile(`<input type="hidden" name="([a-z_]+)" value="([^"]*)">`)

func consentForm(body, decision string) url.Values {
	f := url.Values{"decision": {decision}}
	for _, m := range hiddenField.FindAllStringSubmatch(body, -1) {
		f.Set(m[1], html.UnescapeString(m[2]))
	}
	return f
}

func TestAuthorizePage_NamesTheAppAndScopesInPlainWords(t *testing.T) {
	srv := testkit.Start(t)
	app, _ := registerApp(t, srv, "read write follow", callback)
	p := testkit.NewPerson(t, srv.Accounts, "pat_consent", account.Patient)
	c := srv.Client()
	srv.SignIn(t, c, p)
	resp, body := srv.Get(t, c, authorizePath(app, "scope", "read write:statuses"))
	if resp.StatusCode != 200 {
		t.Fatalf("consent page = %d\n%s", resp.StatusCode, body)
	}
	for _, want := range []string{
		"Allow Pulse &lt;Reader&gt; to use your account?", "@pat_consent",
		"See everything your account can see", "Publish, edit and delete posts for you", "<code>write:statuses</code>",
		"Afterwards you go back to <strong>app.example</strong>", `href="https://app.example"`,
		`<button type="submit" name="decision" value="authorize">Authorize</button>`, `value="deny"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the consent page lacks %q", want)
		}
	}
	if strings.Contains(body, "<Reader>") || strings.Contains(body, "<script>") {
		t.Error("the app's name reached the page unescaped, or the page has an inline script")
	}
	// The answer redirects to the app, so the page's policy must allow that
	// target for the form, and nothing else beyond this site.
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "form-action 'self' https://app.example;") || !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Fatalf("CSP = %q", csp)
	}

	resp, _ = srv.PostForm(t, c, "/oauth/authorize", consentForm(body, "deny"))
	loc, _ := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc.String(), callback+"?") ||
		loc.Query().Get("error") != "access_denied" || loc.Query().Get("state") != "s1" || loc.Query().Get("code") != "" {
		t.Fatalf("deny = %d %q", resp.StatusCode, loc)
	}
}

func TestAuthorizePage_BadRequestsAreToldToThePersonNotRedirectedElsewhere(t *testing.T) {
	srv := testkit.Start(t)
	app, _ := registerApp(t, srv, "read write", callback)
	adminApp, _ := registerApp(t, srv, "read admin:read", callback)
	p := testkit.NewPerson(t, srv.Accounts, "pat_errors", account.Patient)
	c := srv.Client()
	srv.SignIn(t, c, p)
	cases := []struct {
		name string
		path string
		want string
	}{
		{"unknown client", authorizePath(app, "client_id", "not-registered"), "No application is registered"},
		{"no client", authorizePath(app, "client_id", ""), "client_id is missing"},
		{"unregistered redirect", authorizePath(app, "redirect_uri", "https://evil.example/steal"), "did not register"},
		{"redirect with a different path", authorizePath(app, "redirect_uri", callback+"/x"), "did not register"},
		{"no redirect", authorizePath(app, "redirect_uri", ""), "redirect_uri is missing"},
		{"scope beyond the app's", authorizePath(app, "scope", "read follow"), "more access (follow)"},
		{"unknown scope", authorizePath(app, "scope", "read everything"), "everything"},
		{"admin scope for a patient", authorizePath(adminApp, "scope", "read admin:read"), "only administrators can grant"},
	}
	for _, tc := range cases {
		resp, body := srv.Get(t, c, tc.path)
		if resp.StatusCode != 400 || resp.Header.Get("Location") != "" || !strings.Contains(html.UnescapeString(body), tc.want) {
			t.Errorf("%s: %d (Location %q); want a 400 page saying %q", tc.name, resp.StatusCode, resp.Header.Get("Location"), tc.want)
		}
	}
	// With the app and its address verified, the app hears of the rest (RFC 6749 §4.1.2.1).
	redirected := []struct {
		name, path, err string
	}{
		{"no response_type", authorizePath(app, "response_type", ""), "invalid_request"},
		{"implicit flow", authorizePath(app, "response_type", "token"), "unsupported_response_type"},
		{"plain PKCE", authorizePath(app, "code_challenge", strings.Repeat("a", 43), "code_challenge_method", "plain"), "invalid_request"},
		{"malformed challenge", authorizePath(app, "code_challenge", "short", "code_challenge_method", "S256"), "invalid_request"},
	}
	for _, tc := range redirected {
		resp, _ := srv.Get(t, c, tc.path)
		loc, _ := url.Parse(resp.Header.Get("Location"))
		if resp.StatusCode != http.StatusFound || !strings.HasPrefix(loc.String(), callback+"?") || loc.Query().Get("error") != tc.err || loc.Query().Get("state") != "s1" {
			t.Errorf("%s: %d %q; want a redirect to the app with error=%s", tc.name, resp.StatusCode, loc, tc.err)
		}
	}
	// The form is checked again: a tampered redirect_uri is never followed.
	_, body := srv.Get(t, c, authorizePath(app))
	f := consentForm(body, "authorize")
	f.Set("redirect_uri", "https://evil.example/steal")
	resp, page := srv.PostForm(t, c, "/oauth/authorize", f)
	if resp.StatusCode != 400 || resp.Header.Get("Location") != "" || !strings.Contains(page, "did not register") {
		t.Fatalf("tampered consent form = %d (Location %q)", resp.StatusCode, resp.Header.Get("Location"))
	}
}

func TestAuthorizePage_SignInFirstAndComeBack(t *testing.T) {
	srv := testkit.Start(t)
	app, _ := registerApp(t, srv, "read", callback)
	// A clinician must pass the second factor before the page shows.
	p := testkit.NewPerson(t, srv.Accounts, "dr_consent", account.Clinician)
	c := srv.Client()
	path := authorizePath(app)
	resp, _ := srv.Get(t, c, path)
	next, _ := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusSeeOther || next.Path != "/signin" || next.Query().Get("next") != path {
		t.Fatalf("signed out = %d %q; want the sign-in page with next", resp.StatusCode, next)
	}
	resp, _ = srv.PostForm(t, c, "/signin", url.Values{"username": {"dr_consent"}, "password": {p.Password}, "next": {path}})
	twoFA, _ := url.Parse(resp.Header.Get("Location"))
	if twoFA.Path != "/signin/2fa" || twoFA.Query().Get("next") != path {
		t.Fatalf("after the password: %q; want the second factor, then the consent page", twoFA)
	}
	// Opening the consent page between the two steps keeps the way back too.
	resp, _ = srv.Get(t, c, path)
	if loc, _ := url.Parse(resp.Header.Get("Location")); loc.Path != "/signin/2fa" || loc.Query().Get("next") != path {
		t.Fatalf("consent page before the second factor: %q", resp.Header.Get("Location"))
	}
	resp, _ = srv.PostForm(t, c, "/signin/2fa", url.Values{"code": {p.NextCode(t)}, "next": {twoFA.Query().Get("next")}})
	if resp.Header.Get("Location") != path {
		t.Fatalf("after the second factor: %q; want %q", resp.Header.Get("Location"), path)
	}
	if resp, body := srv.Get(t, c, path); resp.StatusCode != 200 || !strings.Contains(body, "Authorize") {
		t.Fatalf("consent page after signing in = %d", resp.StatusCode)
	}

	// force_login ends this session and asks again, coming back without it.
	resp, _ = srv.Get(t, c, authorizePath(app, "force_login", "true"))
	next, _ = url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusSeeOther || next.Path != "/signin" || strings.Contains(next.Query().Get("next"), "force_login") ||
		!strings.HasPrefix(next.Query().Get("next"), "/oauth/authorize?") {
		t.Fatalf("force_login = %d %q", resp.StatusCode, next)
	}
	if resp, _ := srv.Get(t, c, "/settings"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the session survived force_login: /settings = %d", resp.StatusCode)
	}
}

func TestAuthorizePage_OutOfBandShowsTheCode(t *testing.T) {
	srv := testkit.Start(t)
	app, secret := registerApp(t, srv, "read", account.OOB)
	p := testkit.NewPerson(t, srv.Accounts, "pat_oob", account.Patient)
	c := srv.Client()
	srv.SignIn(t, c, p)
	resp, body := srv.Get(t, c, authorizePath(app, "redirect_uri", account.OOB))
	if resp.StatusCode != 200 || !strings.Contains(body, "a code to copy into the app") {
		t.Fatalf("oob consent page = %d", resp.StatusCode)
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "form-action 'self';") {
		t.Fatalf("oob CSP widened: %q", csp)
	}
	resp, page := srv.PostForm(t, c, "/oauth/authorize", consentForm(body, "authorize"))
	m := regexp.MustCompile(`id="oauth-code" value="([^"]+)"`).FindStringSubmatch(page)
	if resp.StatusCode != 200 || resp.Header.Get("Location") != "" || m == nil || resp.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("oob authorize = %d, code shown: %v", resp.StatusCode, m != nil)
	}
	form := url.Values{"grant_type": {"authorization_code"}, "client_id": {app.ClientID}, "client_secret": {secret},
		"code": {html.UnescapeString(m[1])}, "redirect_uri": {account.OOB}}
	req, _ := http.NewRequest("POST", srv.URL+"/oauth/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, raw := srv.Do(t, http.DefaultClient, req)
	var tok map[string]any
	if err := json.Unmarshal([]byte(raw), &tok); err != nil || resp.StatusCode != 200 || tok["access_token"] == "" {
		t.Fatalf("exchanging the oob code = %d %s", resp.StatusCode, raw)
	}

	resp, body = srv.Get(t, c, authorizePath(app, "redirect_uri", account.OOB))
	resp, page = srv.PostForm(t, c, "/oauth/authorize", consentForm(body, "deny"))
	if resp.StatusCode != 200 || resp.Header.Get("Location") != "" || !strings.Contains(page, "was not given access") {
		t.Fatalf("oob deny = %d", resp.StatusCode)
	}
}
