package api_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mattn/go-mastodon"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/audit"
	"github.com/rounds-health/rounds/internal/testkit"
)

const appCallback = "https://app.example/callback"

// oauthRig is a running server, a registered app and a signed-in person
// whose browser is browser.
type oauthRig struct {
	srv     *testkit.Server
	browser *http.Client
	person  *testkit.Person
	app     map[string]any
}

func newOAuthRig(t *testing.T, role account.Role, scopes string, redirectURIs ...string) *oauthRig {
	t.Helper()
	srv := testkit.Start(t)
	rig := &oauthRig{srv: srv, browser: srv.Client()}
	rig.person = testkit.NewPerson(t, srv.Accounts, "oauth_"+string(role), role)
	srv.SignIn(t, rig.browser, rig.person)
	rig.app = rig.register(t, redirectURIs, scopes)
	return rig
}

func (r *oauthRig) register(t *testing.T, redirectURIs []string, scopes string) map[string]any {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"client_name": "Stethoscope for Rounds", "redirect_uris": redirectURIs,
		"scopes": scopes, "website": "https://app.example"})
	status, app := r.call(t, "POST", "/api/v1/apps", "application/json", string(body), nil)
	if status != 200 {
		t.Fatalf("register app = %d %v", status, app)
	}
	return app
}

func (r *oauthRig) clientID() string     { return r.app["client_id"].(string) }
func (r *oauthRig) clientSecret() string { return r.app["client_secret"].(string) }

// call sends a request from another origin, as a third-party client does.
func (r *oauthRig) call(t *testing.T, method, path, ctype, body string, header http.Header) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, r.srv.URL+path, strings.NewReader(body))
	for k, v := range header {
		req.Header[k] = v
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	req.Header.Set("Origin", "https://app.example")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp, raw := r.srv.Do(t, http.DefaultClient, req)
	var m map[string]any
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		t.Fatalf("%s %s = %d, not JSON: %s", method, path, resp.StatusCode, raw)
	}
	return resp.StatusCode, m
}

func (r *oauthRig) token(t *testing.T, form url.Values) (int, map[string]any) {
	t.Helper()
	return r.call(t, "POST", "/oauth/token", "application/x-www-form-urlencoded", form.Encode(), nil)
}

// authorizeQuery is the consent page's query for this rig's app.
func (r *oauthRig) authorizeQuery(redirectURI, scope, verifier string) url.Values {
	q := url.Values{"response_type": {"code"}, "client_id": {r.clientID()}, "redirect_uri": {redirectURI},
		"scope": {scope}, "state": {"st&te+1"}}
	if verifier != "" {
		q.Set("code_challenge", oauth2.S256ChallengeFromVerifier(verifier))
		q.Set("code_challenge_method", "S256")
	}
	return q
}

var hiddenInput = regexp.MustCompile(`<input type="hidden" name="([a-z_]+)" value="([^"]*)">`)

// consent opens the consent page at authURL in the person's browser and
// answers it with decision; it returns the answer to the form.
func consent(t *testing.T, srv *testkit.Server, browser *http.Client, authURL, decision string) (*http.Response, string) {
	t.Helper()
	resp, body := srv.Get(t, browser, strings.TrimPrefix(authURL, srv.URL))
	if resp.StatusCode != 200 {
		t.Fatalf("consent page = %d (Location %q)\n%s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
	form := url.Values{"decision": {decision}}
	for _, m := range hiddenInput.FindAllStringSubmatch(body, -1) {
		form.Set(m[1], html.UnescapeString(m[2]))
	}
	return srv.PostForm(t, browser, "/oauth/authorize", form)
}

// code runs the consent page and returns the code the app receives.
func (r *oauthRig) code(t *testing.T, redirectURI, scope, verifier string) string {
	t.Helper()
	resp, body := consent(t, r.srv, r.browser, "/oauth/authorize?"+r.authorizeQuery(redirectURI, scope, verifier).Encode(), "authorize")
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("authorize = %d\n%s", resp.StatusCode, body)
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || !strings.HasPrefix(loc.String(), redirectURI+"?") || loc.Query().Get("state") != "st&te+1" {
		t.Fatalf("authorize redirected to %q; want %s with the code and the state", resp.Header.Get("Location"), redirectURI)
	}
	return loc.Query().Get("code")
}

func (r *oauthRig) exchange(code, redirectURI, verifier string) url.Values {
	f := url.Values{"grant_type": {"authorization_code"}, "client_id": {r.clientID()}, "client_secret": {r.clientSecret()},
		"code": {code}, "redirect_uri": {redirectURI}}
	if verifier != "" {
		f.Set("code_verifier", verifier)
	}
	return f
}

func (r *oauthRig) verifyCredentials(t *testing.T, token string) (int, map[string]any) {
	t.Helper()
	return r.call(t, "GET", "/api/v1/accounts/verify_credentials", "", "", http.Header{"Authorization": {"Bearer " + token}})
}

func TestOAuth_AuthorizationCodeWithPKCE(t *testing.T) {
	// A clinician: two-factor sign-in is part of the session the page needs.
	r := newOAuthRig(t, account.Clinician, "read write follow", appCallback, account.OOB)
	app := r.app
	if app["name"] != "Stethoscope for Rounds" || app["website"] != "https://app.example" || app["redirect_uri"] != appCallback+"\n"+account.OOB ||
		len(app["redirect_uris"].([]any)) != 2 || app["client_secret"] == "" || app["vapid_key"] != "" || len(app["scopes"].([]any)) != 3 {
		t.Fatalf("registered app = %v", app)
	}
	var stored string
	if err := r.srv.DB.QueryRow(t.Context(), "SELECT client_secret_hash FROM oauth_apps WHERE client_id = ?", r.clientID()).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if sum := sha256.Sum256([]byte(r.clientSecret())); stored != hex.EncodeToString(sum[:]) {
		t.Fatal("the client secret is not stored as its SHA-256 hash")
	}

	verifier := oauth2.GenerateVerifier()
	code := r.code(t, appCallback, "read write", verifier)
	status, tok := r.token(t, r.exchange(code, appCallback, verifier))
	if status != 200 || tok["token_type"] != "Bearer" || tok["scope"] != "read write" || tok["access_token"] == "" {
		t.Fatalf("token = %d %v", status, tok)
	}
	if at, _ := tok["created_at"].(float64); time.Since(time.Unix(int64(at), 0)) > time.Minute {
		t.Fatalf("created_at = %v", tok["created_at"])
	}
	access := tok["access_token"].(string)
	if status, acc := r.verifyCredentials(t, access); status != 200 || acc["username"] != r.person.User.Username {
		t.Fatalf("verify_credentials with the new token = %d %v", status, acc)
	}
	var appID, userID int64
	var scopes string
	if err := r.srv.DB.QueryRow(t.Context(), `SELECT t.app_id, t.user_id, t.scopes FROM oauth_tokens t JOIN oauth_apps a ON a.id = t.app_id
		WHERE a.client_id = ?`, r.clientID()).Scan(&appID, &userID, &scopes); err != nil || userID != r.person.User.ID || scopes != "read write" {
		t.Fatalf("stored token: app %d user %d scopes %q, %v", appID, userID, scopes, err)
	}

	// The code works once; presenting it again revokes the token it gave.
	status, e := r.token(t, r.exchange(code, appCallback, verifier))
	if status != 400 || e["error"] != "invalid_grant" {
		t.Fatalf("reused code = %d %v; want 400 invalid_grant", status, e)
	}
	if status, _ := r.verifyCredentials(t, access); status != 401 {
		t.Fatalf("the token of a replayed code = %d; want 401", status)
	}

	assertAuditClean(t, r.srv, []string{r.clientSecret(), code, access, verifier},
		"oauth.register_app", "oauth.authorize", "oauth.token", "oauth.revoke")
}

// assertAuditClean checks that each action was audited and that no secret
// reached the audit log.
func assertAuditClean(t *testing.T, srv *testkit.Server, secrets []string, actions ...string) {
	t.Helper()
	recs, err := srv.Audit.List(t.Context(), audit.Filter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, rec := range recs {
		seen[rec.Action] = true
		all := strings.Join([]string{rec.Actor, rec.Action, rec.Target, rec.Detail, rec.OnBehalfOf}, " ")
		for _, s := range secrets {
			if s != "" && strings.Contains(all, s) {
				t.Errorf("audit record %d (%s) holds a secret: %q", rec.Seq, rec.Action, all)
			}
		}
	}
	for _, a := range actions {
		if !seen[a] {
			t.Errorf("no %s record in the audit log", a)
		}
	}
}

func TestOAuthToken_RefusesCodesThatDoNotMatch(t *testing.T) {
	r := newOAuthRig(t, account.Patient, "read write", appCallback, "https://app.example/other")
	other := r.register(t, []string{appCallback}, "read")
	verifier := oauth2.GenerateVerifier()
	cases := []struct {
		name   string
		plain  bool // authorize without PKCE
		edit   func(f url.Values)
		status int
		err    string
	}{
		{"wrong verifier", false, func(f url.Values) { f.Set("code_verifier", oauth2.GenerateVerifier()) }, 400, "invalid_grant"},
		{"missing verifier", false, func(f url.Values) { f.Del("code_verifier") }, 400, "invalid_request"},
		{"verifier without a challenge", true, func(f url.Values) { f.Set("code_verifier", verifier) }, 400, "invalid_grant"},
		{"other registered redirect_uri", false, func(f url.Values) { f.Set("redirect_uri", "https://app.example/other") }, 400, "invalid_grant"},
		{"missing redirect_uri", false, func(f url.Values) { f.Del("redirect_uri") }, 400, "invalid_request"},
		{"another app's credentials", false, func(f url.Values) {
			f.Set("client_id", other["client_id"].(string))
			f.Set("client_secret", other["client_secret"].(string))
		}, 400, "invalid_grant"},
		{"wrong secret", false, func(f url.Values) { f.Set("client_secret", "nope") }, 401, "invalid_client"},
		{"unknown client", false, func(f url.Values) { f.Set("client_id", "nope") }, 401, "invalid_client"},
		{"no secret and no PKCE", true, func(f url.Values) { f.Del("client_secret") }, 401, "invalid_client"},
		{"password grant", false, func(f url.Values) { f.Set("grant_type", "password") }, 400, "unsupported_grant_type"},
		{"refresh grant", false, func(f url.Values) { f.Set("grant_type", "refresh_token") }, 400, "unsupported_grant_type"},
		{"no grant type", false, func(f url.Values) { f.Del("grant_type") }, 400, "invalid_request"},
		{"made-up code", false, func(f url.Values) { f.Set("code", "made-up") }, 400, "invalid_grant"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v := verifier
			if tc.plain {
				v = ""
			}
			code := r.code(t, appCallback, "read", v)
			f := r.exchange(code, appCallback, v)
			tc.edit(f)
			status, e := r.token(t, f)
			if status != tc.status || e["error"] != tc.err || e["error_description"] == "" {
				t.Fatalf("token = %d %v; want %d %s with a description", status, e, tc.status, tc.err)
			}
			// A refused exchange does not use the code up: the app can still redeem it.
			if status, tok := r.token(t, r.exchange(code, appCallback, v)); status != 200 {
				t.Fatalf("the code after a refused exchange = %d %v", status, tok)
			}
		})
	}
}

func TestOAuthToken_ExpiredCodeIsRefused(t *testing.T) {
	r := newOAuthRig(t, account.Patient, "read", appCallback)
	verifier := oauth2.GenerateVerifier()
	code := r.code(t, appCallback, "read", verifier)
	var expires int64
	if err := r.srv.DB.QueryRow(t.Context(), "SELECT expires_at - created_at FROM oauth_codes").Scan(&expires); err != nil || expires != (10*time.Minute).Milliseconds() {
		t.Fatalf("codes live %d ms, %v; want 10 minutes", expires, err)
	}
	if _, err := r.srv.DB.Exec(t.Context(), "UPDATE oauth_codes SET expires_at = ?", time.Now().Add(-time.Second).UnixMilli()); err != nil {
		t.Fatal(err)
	}
	status, e := r.token(t, r.exchange(code, appCallback, verifier))
	if status != 400 || e["error"] != "invalid_grant" || !strings.Contains(e["error_description"].(string), "expired") {
		t.Fatalf("expired code = %d %v", status, e)
	}
}

func TestOAuthToken_AcceptsJSONFormMultipartAndBasicAuth(t *testing.T) {
	r := newOAuthRig(t, account.Patient, "read", appCallback)
	verifier := oauth2.GenerateVerifier()

	f := r.exchange(r.code(t, appCallback, "read", verifier), appCallback, verifier)
	body, _ := json.Marshal(map[string]string{"grant_type": f.Get("grant_type"), "client_id": f.Get("client_id"),
		"client_secret": f.Get("client_secret"), "code": f.Get("code"), "redirect_uri": appCallback, "code_verifier": verifier})
	if status, tok := r.call(t, "POST", "/oauth/token", "application/json", string(body), nil); status != 200 {
		t.Fatalf("JSON body = %d %v", status, tok)
	}

	f = r.exchange(r.code(t, appCallback, "read", verifier), appCallback, verifier)
	var mp strings.Builder
	for k := range f {
		mp.WriteString("--XX\r\nContent-Disposition: form-data; name=\"" + k + "\"\r\n\r\n" + f.Get(k) + "\r\n")
	}
	mp.WriteString("--XX--\r\n")
	if status, tok := r.call(t, "POST", "/oauth/token", "multipart/form-data; boundary=XX", mp.String(), nil); status != 200 {
		t.Fatalf("multipart body = %d %v", status, tok)
	}

	f = r.exchange(r.code(t, appCallback, "read", verifier), appCallback, verifier)
	f.Del("client_id")
	f.Del("client_secret")
	basic := http.Header{}
	req, _ := http.NewRequest("POST", "/", nil)
	req.SetBasicAuth(url.QueryEscape(r.clientID()), url.QueryEscape(r.clientSecret()))
	basic.Set("Authorization", req.Header.Get("Authorization"))
	if status, tok := r.call(t, "POST", "/oauth/token", "application/x-www-form-urlencoded", f.Encode(), basic); status != 200 {
		t.Fatalf("HTTP Basic client authentication = %d %v", status, tok)
	}
	req.SetBasicAuth(url.QueryEscape(r.clientID()), "wrong")
	basic.Set("Authorization", req.Header.Get("Authorization"))
	if status, e := r.call(t, "POST", "/oauth/token", "application/x-www-form-urlencoded", f.Encode(), basic); status != 401 || e["error"] != "invalid_client" {
		t.Fatalf("wrong Basic secret = %d %v", status, e)
	}
}

func TestOAuthToken_ClientCredentials(t *testing.T) {
	r := newOAuthRig(t, account.Patient, "read write", appCallback)
	// go-mastodon's AuthenticateApp sends the out-of-band redirect URI; it plays no part here.
	status, tok := r.token(t, url.Values{"grant_type": {"client_credentials"}, "client_id": {r.clientID()},
		"client_secret": {r.clientSecret()}, "redirect_uri": {account.OOB}})
	if status != 200 || tok["scope"] != "read" {
		t.Fatalf("client_credentials = %d %v; want scope read by default", status, tok)
	}
	appToken := tok["access_token"].(string)
	auth := http.Header{"Authorization": {"Bearer " + appToken}}
	if status, app := r.call(t, "GET", "/api/v1/apps/verify_credentials", "", "", auth); status != 200 || app["name"] != "Stethoscope for Rounds" {
		t.Fatalf("apps/verify_credentials with an app token = %d %v", status, app)
	} else if _, leaked := app["client_secret"]; leaked {
		t.Fatal("apps/verify_credentials shows the client secret")
	}
	if status, e := r.verifyCredentials(t, appToken); status != 403 {
		t.Fatalf("accounts/verify_credentials with an app token = %d %v; want 403", status, e)
	}
	cases := []struct {
		name   string
		form   url.Values
		status int
		err    string
	}{
		{"scope beyond the app's", url.Values{"scope": {"follow"}}, 400, "invalid_scope"},
		{"admin scope", url.Values{"scope": {"admin:read"}}, 400, "invalid_scope"},
		{"no secret", url.Values{"client_secret": {""}}, 401, "invalid_client"},
	}
	for _, tc := range cases {
		f := url.Values{"grant_type": {"client_credentials"}, "client_id": {r.clientID()}, "client_secret": {r.clientSecret()}}
		for k, v := range tc.form {
			f[k] = v
		}
		if status, e := r.token(t, f); status != tc.status || e["error"] != tc.err {
			t.Errorf("%s: %d %v; want %d %s", tc.name, status, e, tc.status, tc.err)
		}
	}
}

func TestOAuthRevoke(t *testing.T) {
	r := newOAuthRig(t, account.Patient, "read", appCallback)
	other := r.register(t, []string{appCallback}, "read")
	verifier := oauth2.GenerateVerifier()
	_, tok := r.token(t, r.exchange(r.code(t, appCallback, "read", verifier), appCallback, verifier))
	access := tok["access_token"].(string)
	cliToken, err := r.srv.Accounts.IssueToken(t.Context(), account.CLI, r.person.User.Username, "read")
	if err != nil {
		t.Fatal(err)
	}
	revoke := func(clientID, secret, token string) (int, map[string]any) {
		f := url.Values{"client_id": {clientID}, "client_secret": {secret}, "token": {token}}
		return r.call(t, "POST", "/oauth/revoke", "application/x-www-form-urlencoded", f.Encode(), nil)
	}
	cases := []struct {
		name                  string
		clientID, secret, tok string
		status                int
		err                   string
	}{
		{"another app's client", other["client_id"].(string), other["client_secret"].(string), access, 403, "unauthorized_client"},
		{"wrong secret", r.clientID(), "nope", access, 401, "invalid_client"},
		{"a token the operator issued", r.clientID(), r.clientSecret(), cliToken, 403, "unauthorized_client"},
		{"unknown token", r.clientID(), r.clientSecret(), "no-such-token", 200, ""},
		{"own token", r.clientID(), r.clientSecret(), access, 200, ""},
		{"own token again", r.clientID(), r.clientSecret(), access, 200, ""},
	}
	for _, tc := range cases {
		status, body := revoke(tc.clientID, tc.secret, tc.tok)
		if status != tc.status || (tc.err != "" && body["error"] != tc.err) || (tc.err == "" && len(body) != 0) {
			t.Errorf("%s: %d %v; want %d %q", tc.name, status, body, tc.status, tc.err)
		}
	}
	if status, _ := r.verifyCredentials(t, access); status != 401 {
		t.Fatalf("a revoked token = %d; want 401", status)
	}
	if status, _ := r.verifyCredentials(t, cliToken); status != 200 {
		t.Fatalf("the operator's token after a refused revocation = %d; want 200", status)
	}
	assertAuditClean(t, r.srv, []string{access, cliToken, r.clientSecret()}, "oauth.revoke", "oauth.refused")
}

func TestRegisterApp_Validation(t *testing.T) {
	srv := testkit.Start(t)
	r := &oauthRig{srv: srv}
	form := func(kv ...string) string {
		v := url.Values{}
		for i := 0; i < len(kv); i += 2 {
			v.Add(kv[i], kv[i+1])
		}
		return v.Encode()
	}
	const formType = "application/x-www-form-urlencoded"
	cases := []struct {
		name, ctype, body string
		status            int
		want              string // part of the error, or of redirect_uri on success
	}{
		{"oob, form", formType, form("client_name", "A", "redirect_uris", account.OOB), 200, account.OOB},
		{"several, newline-separated", formType, form("client_name", "A", "redirect_uris", appCallback+"\ncom.example.app:/cb"), 200, "com.example.app:/cb"},
		{"several, repeated", formType, form("client_name", "A", "redirect_uris[]", appCallback, "redirect_uris[]", "http://127.0.0.1:8123/cb"), 200, "127.0.0.1:8123"},
		{"JSON array", "application/json", `{"client_name":"A","redirect_uris":["tusky://oauth"]}`, 200, "tusky://oauth"},
		{"no name", formType, form("redirect_uris", appCallback), 422, "name"},
		{"long name", formType, form("client_name", strings.Repeat("n", 101), "redirect_uris", appCallback), 422, "at most 100"},
		{"no redirect URI", formType, form("client_name", "A"), 422, "redirect URI"},
		{"relative redirect URI", formType, form("client_name", "A", "redirect_uris", "/callback"), 422, "absolute"},
		{"plain http elsewhere", formType, form("client_name", "A", "redirect_uris", "http://app.example/cb"), 422, "only for this machine"},
		{"fragment", formType, form("client_name", "A", "redirect_uris", appCallback+"#x"), 422, "fragment"},
		{"javascript", formType, form("client_name", "A", "redirect_uris", "javascript:alert(1)"), 422, "javascript"},
		{"unknown scope", formType, form("client_name", "A", "redirect_uris", appCallback, "scopes", "read everything"), 422, "everything"},
		{"website not a URL", formType, form("client_name", "A", "redirect_uris", appCallback, "website", "app.example"), 422, "website"},
		{"nested JSON", "application/json", `{"client_name":{"x":1},"redirect_uris":"urn:ietf:wg:oauth:2.0:oob"}`, 400, "must be a string"},
	}
	for _, tc := range cases {
		status, m := r.call(t, "POST", "/api/v1/apps", tc.ctype, tc.body, nil)
		got, _ := m["error"].(string)
		if status == 200 {
			got = m["redirect_uri"].(string)
			if m["scopes"].([]any)[0] != "read" || m["website"] != nil {
				t.Errorf("%s: scopes %v, website %v; want [read] and null", tc.name, m["scopes"], m["website"])
			}
		}
		if status != tc.status || !strings.Contains(got, tc.want) {
			t.Errorf("%s: %d %v; want %d containing %q", tc.name, status, m, tc.status, tc.want)
		}
		if status == 422 && (m["details"] == nil || !strings.HasPrefix(got, "Validation failed: ")) {
			t.Errorf("%s: %v; want Mastodon's validation error shape", tc.name, m)
		}
	}
}

// TestOAuth_CrossOriginRules: third-party clients call the token and
// revocation endpoints from any origin; the consent form accepts only
// this site's own pages.
func TestOAuth_CrossOriginRules(t *testing.T) {
	r := newOAuthRig(t, account.Patient, "read", appCallback)
	req, _ := http.NewRequest("OPTIONS", r.srv.URL+"/oauth/token", nil)
	req.Header.Set("Origin", "https://app.example")
	req.Header.Set("Access-Control-Request-Method", "POST")
	resp, _ := r.srv.Do(t, http.DefaultClient, req)
	if resp.StatusCode != 204 || resp.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Fatalf("preflight = %d %v", resp.StatusCode, resp.Header)
	}
	status, e := r.token(t, url.Values{"grant_type": {"client_credentials"}, "client_id": {r.clientID()}, "client_secret": {r.clientSecret()}})
	if status != 200 {
		t.Fatalf("cross-site token request = %d %v", status, e)
	}
	q := r.authorizeQuery(appCallback, "read", "")
	q.Set("decision", "authorize")
	req, _ = http.NewRequest("POST", r.srv.URL+"/oauth/authorize", strings.NewReader(q.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://evil.example")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp, _ = r.srv.Do(t, r.browser, req)
	if resp.StatusCode != 403 || resp.Header.Get("Location") != "" {
		t.Fatalf("cross-site consent = %d (Location %q); want 403", resp.StatusCode, resp.Header.Get("Location"))
	}
}

// TestOAuth_ThirdPartyClientLibrary drives the flow with golang.org/x/oauth2,
// a client nobody here wrote, in each of its ways to authenticate.
func TestOAuth_ThirdPartyClientLibrary(t *testing.T) {
	r := newOAuthRig(t, account.Patient, "read write", "http://127.0.0.1/callback")
	styles := []struct {
		name   string
		style  oauth2.AuthStyle
		public bool
	}{
		{"auto-detected client authentication", oauth2.AuthStyleAutoDetect, false},
		{"client secret in the header", oauth2.AuthStyleInHeader, false},
		{"client secret in the body", oauth2.AuthStyleInParams, false},
		{"public client with PKCE only", oauth2.AuthStyleInParams, true},
	}
	for _, s := range styles {
		t.Run(s.name, func(t *testing.T) {
			conf := &oauth2.Config{ClientID: r.clientID(), ClientSecret: r.clientSecret(),
				Endpoint:    oauth2.Endpoint{AuthURL: r.srv.URL + "/oauth/authorize", TokenURL: r.srv.URL + "/oauth/token", AuthStyle: s.style},
				RedirectURL: "http://127.0.0.1:53682/callback", // a loopback client may pick any port
				Scopes:      []string{"read", "write"}}
			if s.public {
				conf.ClientSecret = ""
			}
			verifier := oauth2.GenerateVerifier()
			authURL := conf.AuthCodeURL("state-42", oauth2.S256ChallengeOption(verifier))
			resp, body := consent(t, r.srv, r.browser, authURL, "authorize")
			loc, err := url.Parse(resp.Header.Get("Location"))
			if resp.StatusCode != http.StatusSeeOther || err != nil || loc.Query().Get("state") != "state-42" {
				t.Fatalf("authorize = %d %q\n%s", resp.StatusCode, resp.Header.Get("Location"), body)
			}
			tok, err := conf.Exchange(t.Context(), loc.Query().Get("code"), oauth2.VerifierOption(verifier))
			if err != nil {
				t.Fatalf("Exchange: %v", err)
			}
			if tok.Type() != "Bearer" || tok.Extra("scope") != "read write" {
				t.Fatalf("token type %q scope %v", tok.Type(), tok.Extra("scope"))
			}
			res, err := conf.Client(t.Context(), tok).Get(r.srv.URL + "/api/v1/accounts/verify_credentials")
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			var acc map[string]any
			if err := json.NewDecoder(res.Body).Decode(&acc); err != nil || res.StatusCode != 200 || acc["username"] != r.person.User.Username {
				t.Fatalf("verify_credentials through the library's client = %d %v %v", res.StatusCode, acc, err)
			}
			// The library reports the server's refusal of a used code in RFC 6749 terms.
			_, err = conf.Exchange(t.Context(), loc.Query().Get("code"), oauth2.VerifierOption(verifier))
			var re *oauth2.RetrieveError
			if !errors.As(err, &re) || re.ErrorCode != "invalid_grant" {
				t.Fatalf("second Exchange = %v; want invalid_grant", err)
			}
		})
	}
}

func TestOAuth_ThirdPartyClientCredentials(t *testing.T) {
	r := newOAuthRig(t, account.Patient, "read write", appCallback)
	conf := &clientcredentials.Config{ClientID: r.clientID(), ClientSecret: r.clientSecret(),
		TokenURL: r.srv.URL + "/oauth/token", Scopes: []string{"read"}}
	res, err := conf.Client(t.Context()).Get(r.srv.URL + "/api/v1/apps/verify_credentials")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var app map[string]any
	if err := json.NewDecoder(res.Body).Decode(&app); err != nil || res.StatusCode != 200 || app["name"] != "Stethoscope for Rounds" {
		t.Fatalf("apps/verify_credentials through clientcredentials = %d %v %v", res.StatusCode, app, err)
	}
	conf.Scopes = []string{"follow"}
	_, err = conf.Token(t.Context())
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) || re.ErrorCode != "invalid_scope" {
		t.Fatalf("a scope the app did not register = %v; want invalid_scope", err)
	}
}

// TestOAuth_GoMastodonRegistersAndObtainsTokens: the app-registration and
// token calls of github.com/mattn/go-mastodon, with the out-of-band code a
// command-line client has the person paste.
func TestOAuth_GoMastodonRegistersAndObtainsTokens(t *testing.T) {
	srv := testkit.Start(t)
	ctx := t.Context()
	p := testkit.NewPerson(t, srv.Accounts, "pat_mstdn", account.Patient)
	browser := srv.Client()
	srv.SignIn(t, browser, p)
	app, err := mastodon.RegisterApp(ctx, &mastodon.AppConfig{Server: srv.URL, ClientName: "mstdn",
		Scopes: "read write follow", Website: "https://github.com/mattn/go-mastodon"})
	if err != nil || app.RedirectURI != account.OOB || app.ClientSecret == "" {
		t.Fatalf("RegisterApp = %+v, %v", app, err)
	}
	resp, page := consent(t, srv, browser, app.AuthURI, "authorize")
	m := regexp.MustCompile(`id="oauth-code" value="([^"]+)"`).FindStringSubmatch(page)
	if resp.StatusCode != 200 || m == nil {
		t.Fatalf("out-of-band consent = %d\n%s", resp.StatusCode, page)
	}
	c := mastodon.NewClient(&mastodon.Config{Server: srv.URL, ClientID: app.ClientID, ClientSecret: app.ClientSecret})
	if err := c.AuthenticateToken(ctx, html.UnescapeString(m[1]), app.RedirectURI); err != nil {
		t.Fatalf("AuthenticateToken: %v", err)
	}
	if me, err := c.GetAccountCurrentUser(ctx); err != nil || me.Username != "pat_mstdn" {
		t.Fatalf("GetAccountCurrentUser = %+v, %v", me, err)
	}
	bot := mastodon.NewClient(&mastodon.Config{Server: srv.URL, ClientID: app.ClientID, ClientSecret: app.ClientSecret})
	if err := bot.AuthenticateApp(ctx); err != nil {
		t.Fatalf("AuthenticateApp: %v", err)
	}
	if v, err := bot.VerifyAppCredentials(ctx); err != nil || v.Name != "mstdn" || v.Website != "https://github.com/mattn/go-mastodon" {
		t.Fatalf("VerifyAppCredentials = %+v, %v", v, err)
	}
	err = bot.Authenticate(ctx, "pat_mstdn", testkit.Password)
	if err == nil || !strings.Contains(err.Error(), "unsupported_grant_type") {
		t.Fatalf("the password grant = %v; want unsupported_grant_type", err)
	}
}
