package account_test

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/audit"
	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/testkit"
)

// grantedToken runs the whole consent and exchange for app and returns the token.
func grantedToken(t *testing.T, r *rig, p *testkit.Person, app *account.App, secret, scope string) string {
	t.Helper()
	code := oauthCode(t, r, account.Actor{User: p.User, Via: "web"}, app, "https://app.example/cb", scope)
	tok, err := r.svc.GrantToken(ctxFrom("127.0.0.1"), account.TokenRequest{GrantType: "authorization_code", ClientID: app.ClientID,
		ClientSecret: secret, Code: code, RedirectURI: "https://app.example/cb", CodeVerifier: verifier})
	if err != nil {
		t.Fatalf("token for %s: %v", p.User.Username, err)
	}
	return tok.AccessToken
}

func TestRevokeApp_EndsThatAppsAccessForThatPersonOnlyAndIsAudited(t *testing.T) {
	r := newRig(t)
	ctx := ctxFrom("127.0.0.1")
	pat := testkit.NewPerson(t, r.svc, "app_owner", account.Patient)
	other := testkit.NewPerson(t, r.svc, "app_neighbour", account.Patient)
	register := func(name string) (*account.App, string) {
		app, secret, err := r.svc.RegisterApp(ctx, account.NewApp{Name: name, Website: "https://app.example",
			RedirectURIs: []string{"https://app.example/cb"}, Scopes: "read write follow"})
		if err != nil {
			t.Fatal(err)
		}
		return app, secret
	}
	phone, phoneSecret := register("Phone client")
	desk, deskSecret := register("Desk client")
	phoneRead := grantedToken(t, r, pat, phone, phoneSecret, "read")
	r.clock.add(time.Minute)
	phoneWrite := grantedToken(t, r, pat, phone, phoneSecret, "read write")
	deskToken := grantedToken(t, r, pat, desk, deskSecret, "read")
	neighbourPhone := grantedToken(t, r, other, phone, phoneSecret, "read")
	pending := oauthCode(t, r, account.Actor{User: pat.User, Via: "web"}, phone, "https://app.example/cb", "read")

	owner := account.Actor{User: pat.User, Via: "web"}
	apps, err := r.svc.AuthorizedApps(ctx, owner)
	if err != nil {
		t.Fatal(err)
	}
	if len(apps) != 2 || apps[0].Name != "Desk client" || apps[1].Name != "Phone client" {
		t.Fatalf("authorized apps = %+v; want Desk client, then Phone client (newest first)", apps)
	}
	if got := apps[1]; got.Tokens != 2 || !slices.Equal(got.Scopes, []string{"read", "write"}) || got.AuthorizedAt.IsZero() {
		t.Errorf("Phone client = %+v; want 2 tokens, scopes read write", got)
	}

	if _, err := r.svc.RevokeApp(ctx, account.Actor{User: other.User, Via: "web"}, desk.ID); !errs.Is(err, errs.KindNotFound) {
		t.Errorf("revoking an app someone else authorized = %v; want not found", err)
	}
	n, err := r.svc.RevokeApp(ctx, owner, phone.ID)
	if err != nil || n != 2 {
		t.Fatalf("revoke = %d, %v; want 2 tokens", n, err)
	}
	for _, tc := range []struct {
		who, token string
		works      bool
	}{
		{"the owner's first phone token", phoneRead, false},
		{"the owner's second phone token", phoneWrite, false},
		{"the owner's desk token", deskToken, true},
		{"the neighbour's phone token", neighbourPhone, true},
	} {
		_, _, err := r.svc.AuthenticateToken(ctx, tc.token)
		if (err == nil) != tc.works {
			t.Errorf("%s after revoking the phone client: %v; want working=%v", tc.who, err, tc.works)
		}
	}
	_, err = r.svc.GrantToken(ctx, account.TokenRequest{GrantType: "authorization_code", ClientID: phone.ClientID,
		ClientSecret: phoneSecret, Code: pending, RedirectURI: "https://app.example/cb", CodeVerifier: verifier})
	var oe *account.OAuthError
	if !errors.As(err, &oe) || oe.Code != "invalid_grant" {
		t.Errorf("exchanging a code granted before the revocation = %v; want invalid_grant", err)
	}
	if apps, _ := r.svc.AuthorizedApps(ctx, owner); len(apps) != 1 || apps[0].ID != desk.ID {
		t.Errorf("after revoking, authorized apps = %+v; want only Desk client", apps)
	}
	if _, err := r.svc.RevokeApp(ctx, owner, phone.ID); !errs.Is(err, errs.KindNotFound) {
		t.Errorf("revoking twice = %v; want not found", err)
	}

	recs, err := r.audit.List(ctx, audit.Filter{Actor: "app_owner", Action: "oauth.revoke_app"})
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 || recs[0].Target != "app:"+strconv.FormatInt(phone.ID, 10) || recs[0].Outcome != audit.Success ||
		!strings.Contains(recs[0].Detail, "2 tokens") {
		t.Errorf("audit = %+v; want one success record for the phone client naming 2 tokens", recs)
	}
}
