package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/audit"
	"github.com/rounds-health/rounds/internal/testkit"
)

// grantApp has p consent to app and the app exchange the code, as the
// OAuth flow does, and returns the access token.
func grantApp(t *testing.T, srv *testkit.Server, p *testkit.Person, app *account.App, secret, scope string) string {
	t.Helper()
	g, err := srv.Accounts.Authorize(t.Context(), account.Actor{User: p.User, Via: "web"},
		account.AuthRequest{ResponseType: "code", ClientID: app.ClientID, RedirectURI: callback, Scope: scope})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := srv.Accounts.GrantToken(t.Context(), account.TokenRequest{GrantType: "authorization_code", ClientID: app.ClientID,
		ClientSecret: secret, Code: g.Code, RedirectURI: callback})
	if err != nil {
		t.Fatal(err)
	}
	return tok.AccessToken
}

func TestAuthorizedApps_SettingsListsThemAndRevokeEndsTheirAccess(t *testing.T) {
	srv := testkit.Start(t)
	pat := testkit.NewPerson(t, srv.Accounts, "pat_apps", account.Patient)
	other := testkit.NewPerson(t, srv.Accounts, "pat_bystander", account.Patient)
	app, secret := registerApp(t, srv, "read write follow", callback)
	token := grantApp(t, srv, pat, app, secret, "read write")
	otherToken := grantApp(t, srv, other, app, secret, "read")
	api := func(token string) int {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/v1/accounts/verify_credentials", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, _ := srv.Do(t, srv.Client(), req)
		return resp.StatusCode
	}

	c := srv.Client()
	srv.SignIn(t, c, pat)
	_, body := srv.Get(t, c, "/settings")
	for _, want := range []string{"Authorized apps", "Pulse &lt;Reader&gt;", "Permissions: read write", "not used yet",
		`action="/settings/apps/` + itoa(app.ID) + `/revoke"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the settings page lacks %q", want)
		}
	}
	if api(token) != 200 {
		t.Fatal("the app's token does not work before the revocation")
	}
	if _, body = srv.Get(t, c, "/settings"); !strings.Contains(body, "last used") {
		t.Error("after the app used its token the page still says it never did")
	}

	oc := srv.Client()
	srv.SignIn(t, oc, other)
	if resp, _ := srv.PostForm(t, oc, "/settings/apps/"+itoa(app.ID)+"/revoke", url.Values{}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the bystander revoking their own grant = %d", resp.StatusCode)
	}
	if api(token) != 200 {
		t.Fatal("another person's revocation ended this person's access")
	}
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/settings/apps/"+itoa(app.ID)+"/revoke", strings.NewReader(""))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://evil.example")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if resp, _ := srv.Do(t, c, req); resp.StatusCode != http.StatusForbidden || api(token) != 200 {
		t.Fatalf("a revocation posted from another site = %d; want 403 and the app still working", resp.StatusCode)
	}

	resp, _ := srv.PostForm(t, c, "/settings/apps/"+itoa(app.ID)+"/revoke", url.Values{})
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/settings?saved=app-revoked") {
		t.Fatalf("revoke = %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if got := api(token); got != http.StatusUnauthorized {
		t.Errorf("the revoked token = %d; want 401", got)
	}
	if got := api(otherToken); got != http.StatusUnauthorized {
		t.Errorf("the bystander's revoked token = %d; want 401", got)
	}
	_, body = srv.Get(t, c, resp.Header.Get("Location"))
	if !strings.Contains(body, "can no longer use your account") || !strings.Contains(body, `id="no-apps"`) {
		t.Errorf("after revoking, the settings page says:\n%s", body)
	}
	if resp, _ := srv.PostForm(t, c, "/settings/apps/"+itoa(app.ID)+"/revoke", url.Values{}); resp.StatusCode != http.StatusNotFound {
		t.Errorf("revoking again = %d; want 404", resp.StatusCode)
	}
	recs, err := srv.Audit.List(t.Context(), audit.Filter{Actor: "pat_apps", Action: "oauth.revoke_app"})
	if err != nil || len(recs) != 1 || recs[0].Target != "app:"+itoa(app.ID) {
		t.Errorf("audit = %+v, %v; want one revocation of app:%d by pat_apps", recs, err, app.ID)
	}
}
