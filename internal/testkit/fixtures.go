package testkit

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/rounds-health/rounds/internal/account"
)

// Password is what every fixture account uses.
const Password = "correct horse battery staple"

// Person is a fixture account and what a test needs to act as it.
type Person struct {
	User          *account.User
	Password      string
	TOTPSecret    string   // set once two-factor sign-in is on
	RecoveryCodes []string // likewise
}

// Code returns the person's current TOTP code, as their phone would.
func (p *Person) Code(t testing.TB) string {
	t.Helper()
	c, err := account.TOTPCode(p.TOTPSecret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// NextCode returns the code of the next 30-second step, which the server
// accepts (one step of clock drift) and which a code just used cannot replay.
func (p *Person) NextCode(t testing.TB) string {
	t.Helper()
	c, err := account.TOTPCode(p.TOTPSecret, time.Now().Add(30*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// NewPerson creates an account in role through the service. Roles that
// need two-factor sign-in get it enrolled, as the person would at first sign-in.
func NewPerson(t testing.TB, accounts *account.Service, username string, role account.Role) *Person {
	t.Helper()
	ctx := context.Background()
	u, err := accounts.CreateUser(ctx, account.CLI, account.NewUser{Username: username,
		Email: strings.ToLower(username) + "@example.org", Password: Password, DisplayName: strings.ReplaceAll(username, "_", " "),
		Role: role, AgeAttested: true})
	if err != nil {
		t.Fatalf("fixture %s: %v", username, err)
	}
	p := &Person{User: u, Password: Password}
	if role.RequiresSecondFactor() {
		p.EnrollTOTP(t, accounts)
	}
	return p
}

// EnrollTOTP turns on two-factor sign-in for p and returns its recovery codes.
func (p *Person) EnrollTOTP(t testing.TB, accounts *account.Service) []string {
	t.Helper()
	ctx := context.Background()
	actor := account.Actor{User: p.User, Via: "test"}
	setup, err := accounts.BeginTOTP(ctx, actor)
	if err != nil {
		t.Fatal(err)
	}
	p.TOTPSecret = setup.Secret
	codes, err := accounts.ConfirmTOTP(ctx, actor, nil, p.Code(t))
	if err != nil {
		t.Fatalf("enroll totp: %v", err)
	}
	p.RecoveryCodes = codes
	return codes
}

// SignIn signs p in through the web forms with client c, passing the
// second factor when p has one. It fails the test unless p ends up signed in.
func (s *Server) SignIn(t testing.TB, c *http.Client, p *Person) {
	t.Helper()
	resp, body := s.PostForm(t, c, "/signin", url.Values{"username": {p.User.Username}, "password": {p.Password}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in %s: status %d\n%s", p.User.Username, resp.StatusCode, body)
	}
	if p.TOTPSecret == "" {
		return
	}
	resp, body = s.PostForm(t, c, "/signin/2fa", url.Values{"code": {p.NextCode(t)}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("second factor %s: status %d\n%s", p.User.Username, resp.StatusCode, body)
	}
}
