package account_test

import (
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/testkit"
)

const verifier = "a-verifier-of-forty-three-characters-or-more-0123"

func challenge(v string) string {
	sum := sha256.Sum256([]byte(v))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

func oauthCode(t *testing.T, r *rig, actor account.Actor, app *account.App, redirect, scope string) string {
	t.Helper()
	g, err := r.svc.Authorize(ctxFrom("127.0.0.1"), actor, account.AuthRequest{ResponseType: "code", ClientID: app.ClientID,
		RedirectURI: redirect, Scope: scope, CodeChallenge: challenge(verifier), CodeChallengeMethod: "S256"})
	if err != nil {
		t.Fatal(err)
	}
	return g.Code
}

// Of several exchanges racing with one code, exactly one gets a token, and
// the others' attempt counts as a replay: the token is revoked.
func TestExchangeCode_RacingExchangesIssueOneTokenThenRevokeIt(t *testing.T) {
	r := newRig(t)
	ctx := ctxFrom("127.0.0.1")
	p := testkit.NewPerson(t, r.svc, "racer", account.Patient)
	app, secret, err := r.svc.RegisterApp(ctx, account.NewApp{Name: "Racer", RedirectURIs: []string{"https://app.example/cb"}})
	if err != nil {
		t.Fatal(err)
	}
	code := oauthCode(t, r, account.Actor{User: p.User, Via: "web"}, app, "https://app.example/cb", "read")
	const n = 6
	var wg sync.WaitGroup
	results := make(chan error, n)
	tokens := make(chan string, n)
	for range n {
		wg.Go(func() {
			tok, err := r.svc.GrantToken(ctx, account.TokenRequest{GrantType: "authorization_code", ClientID: app.ClientID,
				ClientSecret: secret, Code: code, RedirectURI: "https://app.example/cb", CodeVerifier: verifier})
			results <- err
			if err == nil {
				tokens <- tok.AccessToken
			}
		})
	}
	wg.Wait()
	close(results)
	close(tokens)
	won := 0
	for err := range results {
		var oe *account.OAuthError
		switch {
		case err == nil:
			won++
		case !errors.As(err, &oe) || oe.Code != "invalid_grant":
			t.Errorf("a losing exchange = %v; want invalid_grant", err)
		}
	}
	if won != 1 {
		t.Fatalf("%d exchanges of one code succeeded; want exactly 1", won)
	}
	if _, _, err := r.svc.AuthenticateToken(ctx, <-tokens); !errs.Is(err, errs.KindUnauthorized) {
		t.Fatalf("the token of a code presented %d times still works: %v", n, err)
	}
}

func TestAuthorize_RedirectURIsMatchExactlyExceptLoopbackPorts(t *testing.T) {
	r := newRig(t)
	ctx := ctxFrom("127.0.0.1")
	p := testkit.NewPerson(t, r.svc, "native_user", account.Patient)
	actor := account.Actor{User: p.User, Via: "web"}
	app, _, err := r.svc.RegisterApp(ctx, account.NewApp{Name: "Native", RedirectURIs: []string{
		"http://127.0.0.1/cb", "http://[::1]/cb", "http://localhost:8000/cb", "com.example.app:/cb", "https://app.example/cb?x=1"}})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		uri string
		ok  bool
	}{
		{"http://127.0.0.1/cb", true},
		{"http://127.0.0.1:49152/cb", true}, // RFC 8252 §7.3: any port on a loopback IP
		{"http://[::1]:50000/cb", true},
		{"http://127.0.0.1:49152/other", false},
		{"http://127.0.0.1:49152/cb?extra=1", false},
		{"http://localhost:8000/cb", true},
		{"http://localhost:9000/cb", false}, // names, unlike IP literals, must match exactly
		{"com.example.app:/cb", true},
		{"com.example.app:/cb/../evil", false},
		{"https://app.example/cb?x=1", true},
		{"https://app.example/cb", false},
		{"HTTPS://app.example/cb?x=1", false},
	}
	for _, tc := range cases {
		_, err := r.svc.CheckAuthorization(ctx, actor, account.AuthRequest{ResponseType: "code", ClientID: app.ClientID, RedirectURI: tc.uri})
		if (err == nil) != tc.ok {
			t.Errorf("redirect_uri %s: %v; want accepted=%v", tc.uri, err, tc.ok)
		}
	}
}

func TestAuthorize_AdminScopesOnlyFromAdministrators(t *testing.T) {
	r := newRig(t)
	ctx := ctxFrom("127.0.0.1")
	admin := testkit.NewPerson(t, r.svc, "oauth_admin", account.Admin)
	mod := testkit.NewPerson(t, r.svc, "oauth_mod", account.Moderator)
	app, secret, err := r.svc.RegisterApp(ctx, account.NewApp{Name: "Console", RedirectURIs: []string{account.OOB}, Scopes: "read admin:read"})
	if err != nil {
		t.Fatal(err)
	}
	req := account.AuthRequest{ResponseType: "code", ClientID: app.ClientID, RedirectURI: account.OOB, Scope: "read admin:read"}
	var oe *account.OAuthError
	if _, err := r.svc.Authorize(ctx, account.Actor{User: mod.User, Via: "web"}, req); !errors.As(err, &oe) || oe.Code != "invalid_scope" || oe.Redirect() != "" {
		t.Fatalf("a moderator granting admin:read = %v; want invalid_scope shown to the person", err)
	}
	code := oauthCode(t, r, account.Actor{User: admin.User, Via: "web"}, app, account.OOB, "read admin:read")
	tok, err := r.svc.GrantToken(ctx, account.TokenRequest{GrantType: "authorization_code", ClientID: app.ClientID, ClientSecret: secret,
		Code: code, RedirectURI: account.OOB, CodeVerifier: verifier})
	if err != nil || len(tok.Scopes) != 2 || tok.Scopes[1] != "admin:read" {
		t.Fatalf("an administrator's grant = %+v, %v", tok, err)
	}
}

func TestRegisterApp_LimitedPerAddress(t *testing.T) {
	r := newRig(t)
	in := account.NewApp{Name: "Flood", RedirectURIs: []string{account.OOB}}
	for i := range 25 {
		if _, _, err := r.svc.RegisterApp(ctxFrom("198.51.100.7"), in); err != nil {
			t.Fatalf("registration %d: %v", i+1, err)
		}
	}
	if _, _, err := r.svc.RegisterApp(ctxFrom("198.51.100.7"), in); !errs.Is(err, errs.KindTooMany) {
		t.Fatalf("registration 26 from one address = %v; want too many", err)
	}
	if _, _, err := r.svc.RegisterApp(ctxFrom("198.51.100.8"), in); err != nil {
		t.Fatalf("another address: %v", err)
	}
	r.clock.add(6 * time.Minute)
	if _, _, err := r.svc.RegisterApp(ctxFrom("198.51.100.7"), in); err != nil {
		t.Fatalf("after the window: %v", err)
	}
}
