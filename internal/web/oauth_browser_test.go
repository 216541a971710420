package web_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/testkit"
)

// TestBrowser_AuthorizeAnAppAndReturnToIt: a signed-out patient follows an
// app's link, signs in, reads the consent page and authorizes; Chromium
// then lands on the app (another origin), which receives the code. The
// page's content security policy must let the form's redirect through.
func TestBrowser_AuthorizeAnAppAndReturnToIt(t *testing.T) {
	srv := testkit.Start(t)
	var mu sync.Mutex
	var got url.Values
	appSite := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/callback" {
			mu.Lock()
			got = r.URL.Query()
			mu.Unlock()
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(`<!doctype html><title>App</title><p id="received">The app has your answer.</p>`))
	}))
	t.Cleanup(appSite.Close)
	redirect := appSite.URL + "/callback"
	app, _, err := srv.Accounts.RegisterApp(t.Context(), account.NewApp{Name: "Pulse Reader", RedirectURIs: []string{redirect}, Scopes: "read write"})
	if err != nil {
		t.Fatal(err)
	}
	testkit.NewPerson(t, srv.Accounts, "pat_browser", account.Patient)
	ctx := testkit.Browser(t)
	q := url.Values{"response_type": {"code"}, "client_id": {app.ClientID}, "redirect_uri": {redirect}, "scope": {"read"}, "state": {"xyz"}}
	do(t, ctx, "follow the app's link and sign in",
		chromedp.Navigate(srv.URL+"/oauth/authorize?"+q.Encode()),
		chromedp.WaitVisible(css("#username")),
		chromedp.SendKeys(css("#username"), "pat_browser"),
		chromedp.SendKeys(css("#password"), testkit.Password),
		chromedp.Click(css(`form[action="/signin"] button[type=submit]`)),
		chromedp.WaitVisible(css("#scopes")),
	)
	if h := text(t, ctx, "h1"); h != "Allow Pulse Reader to use your account?" {
		t.Fatalf("consent heading = %q", h)
	}
	do(t, ctx, "authorize",
		chromedp.Click(css(`button[value=authorize]`)),
		chromedp.WaitVisible(css("#received")),
	)
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	mu.Lock()
	defer mu.Unlock()
	if !strings.HasPrefix(loc, redirect+"?") || got.Get("state") != "xyz" || len(got.Get("code")) < 40 {
		t.Fatalf("the browser is at %s and the app received %v", loc, got)
	}
}
