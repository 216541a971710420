package account_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/audit"
	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/id"
	"github.com/rounds-health/rounds/internal/keyset"
	"github.com/rounds-health/rounds/internal/testkit"
)

type rig struct {
	svc   *account.Service
	audit *audit.Log
	clock *clock
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func newRig(t *testing.T) *rig { return newRigWith(t, account.Config{}) }

func newRigWith(t *testing.T, cfg account.Config) *rig {
	t.Helper()
	db := testkit.DB(t)
	keys, err := keyset.Load(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	log := audit.New(db, keys.DeriveKey(audit.KeyLabel))
	svc := account.NewService(db, log, keys, &id.Generator{}, cfg)
	c := &clock{t: time.Now()}
	svc.SetClock(c.now)
	return &rig{svc: svc, audit: log, clock: c}
}

// nextCode returns p's authenticator code on the service's clock, after
// moving that clock past every step used so far (enrolment used the real
// clock's step), so that the code is always fresh and a test never depends
// on where in a 30-second step it runs.
func (r *rig) nextCode(t *testing.T, p *testkit.Person) string {
	t.Helper()
	r.clock.add(time.Minute)
	c, err := account.TOTPCode(p.TOTPSecret, r.clock.now())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// signUp signs a person up and returns the account, for tests that need
// only the account.
func (r *rig) signUp(ctx context.Context, in account.NewUser) (*account.User, error) {
	_, u, _, err := r.svc.SignUp(ctx, in, "test agent")
	return u, err
}

func patient(name string) account.NewUser {
	return account.NewUser{Username: name, Email: name + "@example.org", Password: testkit.Password,
		Role: account.Patient, AgeAttested: true}
}

func ctxFrom(addr string) context.Context { return audit.WithClientAddr(context.Background(), addr) }

func TestSignUp_RejectsBadInputWithFieldMessages(t *testing.T) {
	r := newRig(t)
	ok := patient("valid_name")
	cases := []struct {
		name  string
		edit  func(*account.NewUser)
		field string
	}{
		{"short username", func(u *account.NewUser) { u.Username = "ab" }, "username"},
		{"username with spaces", func(u *account.NewUser) { u.Username = "a b c" }, "username"},
		{"reserved username", func(u *account.NewUser) { u.Username = "Admin" }, "username"},
		{"bad email", func(u *account.NewUser) { u.Email = "not-an-email" }, "email"},
		{"email with name part", func(u *account.NewUser) { u.Email = "Bob <bob@example.org>" }, "email"},
		{"short password", func(u *account.NewUser) { u.Password = "short" }, "password"},
		{"password is username", func(u *account.NewUser) { u.Password = "valid_name_valid_name" }, "password"},
		{"common password", func(u *account.NewUser) { u.Password = "password1234" }, "password"},
		{"no age attestation", func(u *account.NewUser) { u.AgeAttested = false }, "age"},
		{"moderator self sign-up", func(u *account.NewUser) { u.Role = account.Moderator }, "role"},
		{"admin self sign-up", func(u *account.NewUser) { u.Role = account.Admin }, "role"},
		{"unknown role", func(u *account.NewUser) { u.Role = "wizard" }, "role"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := ok
			tc.edit(&in)
			_, err := r.signUp(context.Background(), in)
			if !errs.Is(err, errs.KindInvalid) || errs.FieldMessage(err, tc.field) == "" {
				t.Fatalf("SignUp = %v; want a message on field %q", err, tc.field)
			}
		})
	}
	if n, _ := r.svc.CountUsers(context.Background()); n != 0 {
		t.Fatalf("%d accounts were created from bad input", n)
	}
}

func TestSignUp_UsernamesAreUniqueCaseInsensitively(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	if _, err := r.signUp(ctx, patient("Marie_Curie")); err != nil {
		t.Fatal(err)
	}
	in := patient("marie_CURIE")
	in.Email = "other@example.org"
	_, err := r.signUp(ctx, in)
	if !errs.Is(err, errs.KindConflict) || errs.FieldMessage(err, "username") == "" {
		t.Fatalf("second sign-up with another case = %v; want a username conflict", err)
	}
	u, err := r.svc.UserByUsername(ctx, "MARIE_curie")
	if err != nil || u.Username != "Marie_Curie" {
		t.Fatalf("lookup by other case = %v, %v", u, err)
	}
}

func TestSignUp_CliniciansStartUnverifiedAndMustEnrollTwoFactor(t *testing.T) {
	r := newRig(t)
	ctx := ctxFrom("203.0.113.9")
	in := patient("dr_house")
	in.Role = account.Clinician
	u, err := r.signUp(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if u.Verified {
		t.Fatal("a clinician was verified at sign-up")
	}
	sess, u, _, err := r.svc.SignIn(ctx, account.Credentials{Username: "dr_house", Password: testkit.Password})
	if err != nil {
		t.Fatal(err)
	}
	if got := account.StageOf(u, sess); got != account.StageEnroll {
		t.Fatalf("clinician without 2FA is at stage %v; want StageEnroll", got)
	}
	p, err := r.signUp(ctx, patient("plain_patient"))
	if err != nil || !p.Verified {
		t.Fatalf("patient sign-up = %+v, %v", p, err)
	}
}

func TestSignIn_LocksAfterRepeatedFailuresWithClearMessage(t *testing.T) {
	r := newRig(t)
	ctx := ctxFrom("198.51.100.7")
	if _, err := r.signUp(ctx, patient("locked_out")); err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		_, _, _, err := r.svc.SignIn(ctx, account.Credentials{Username: "locked_out", Password: "wrong password " + string(rune('a'+i))})
		if i < 4 && !errs.Is(err, errs.KindUnauthorized) {
			t.Fatalf("failure %d = %v; want unauthorized", i+1, err)
		}
		if i == 4 && !errs.Is(err, errs.KindTooMany) {
			t.Fatalf("fifth failure = %v; want the lock", err)
		}
	}
	// Even the right password is refused while locked, with a message that says so.
	_, _, _, err := r.svc.SignIn(ctx, account.Credentials{Username: "LOCKED_OUT", Password: testkit.Password})
	e := errs.As(err)
	if e == nil || e.Kind != errs.KindTooMany || !strings.Contains(e.Message, "locked for 15 more minutes") || e.RetryAfter <= 0 {
		t.Fatalf("sign-in while locked = %v; want a clear lock message", err)
	}
	r.clock.add(16 * time.Minute)
	if _, _, _, err := r.svc.SignIn(ctx, account.Credentials{Username: "locked_out", Password: testkit.Password}); err != nil {
		t.Fatalf("after the lock expired: %v", err)
	}
	recs, _ := r.audit.List(context.Background(), audit.Filter{Action: "auth.signin", Outcome: audit.Failure})
	if len(recs) != 5 || recs[0].ClientAddr != "198.51.100.7" {
		t.Fatalf("audit has %d failed sign-ins (want 5) from %q", len(recs), recs[0].ClientAddr)
	}
}

func TestSignIn_UnknownUsernameIsLockedLikeAKnownOne(t *testing.T) {
	r := newRig(t)
	ctx := ctxFrom("198.51.100.8")
	var err error
	for range 5 {
		_, _, _, err = r.svc.SignIn(ctx, account.Credentials{Username: "nobody_here", Password: "whatever whatever"})
	}
	if !errs.Is(err, errs.KindTooMany) {
		t.Fatalf("unknown username after 5 failures = %v; lock-out must not reveal which accounts exist", err)
	}
}

func TestAuthenticate_IdleSessionIsLoggedOff(t *testing.T) {
	r := newRig(t)
	ctx := ctxFrom("127.0.0.1")
	if _, err := r.signUp(ctx, patient("idle_person")); err != nil {
		t.Fatal(err)
	}
	_, _, token, err := r.svc.SignIn(ctx, account.Credentials{Username: "idle_person", Password: testkit.Password})
	if err != nil {
		t.Fatal(err)
	}
	r.clock.add(14 * time.Minute)
	if _, _, err := r.svc.Authenticate(ctx, token); err != nil {
		t.Fatalf("after 14 idle minutes: %v", err)
	}
	r.clock.add(14 * time.Minute) // active 14 minutes ago: still fine
	if _, _, err := r.svc.Authenticate(ctx, token); err != nil {
		t.Fatalf("14 minutes after the last request: %v", err)
	}
	r.clock.add(15*time.Minute + time.Second)
	_, _, err = r.svc.Authenticate(ctx, token)
	if !errs.Is(err, errs.KindUnauthorized) || !strings.Contains(errs.PublicMessage(err), "15 minutes") {
		t.Fatalf("after 15 idle minutes = %v; want logged off", err)
	}
	if _, _, err := r.svc.Authenticate(ctx, token); !errs.Is(err, errs.KindUnauthorized) {
		t.Fatal("an expired session came back")
	}
	recs, _ := r.audit.List(context.Background(), audit.Filter{Action: "auth.session_expired"})
	if len(recs) != 1 || recs[0].Detail != "idle timeout" {
		t.Fatalf("audit of the log-off: %+v", recs)
	}
}

func TestTwoFactor_CodesRecoveryCodesAndReplay(t *testing.T) {
	r := newRig(t)
	ctx := ctxFrom("127.0.0.1")
	p := testkit.NewPerson(t, r.svc, "dr_totp", account.Clinician)
	codes := p.RecoveryCodes
	if len(codes) != 10 {
		t.Fatalf("%d recovery codes; want 10", len(codes))
	}
	signIn := func() (*account.Session, *account.User) {
		sess, u, _, err := r.svc.SignIn(ctx, account.Credentials{Username: "dr_totp", Password: testkit.Password})
		if err != nil {
			t.Fatal(err)
		}
		if account.StageOf(u, sess) != account.StageSecondFactor {
			t.Fatal("a password alone let a 2FA user act")
		}
		return sess, u
	}
	sess, u := signIn()
	if _, err := r.svc.VerifySecondFactor(ctx, sess, u, "000000"); !errs.Is(err, errs.KindInvalid) {
		t.Fatalf("wrong code = %v", err)
	}
	code := r.nextCode(t, p)
	if _, err := r.svc.VerifySecondFactor(ctx, sess, u, code); err != nil {
		t.Fatalf("right code: %v", err)
	}
	if account.StageOf(u, sess) != account.StageReady {
		t.Fatal("session not ready after the second factor")
	}
	sess2, u2 := signIn()
	if _, err := r.svc.VerifySecondFactor(ctx, sess2, u2, code); err == nil {
		t.Fatal("a used code was accepted again (replay)")
	}
	if _, err := r.svc.VerifySecondFactor(ctx, sess2, u2, strings.ToUpper(codes[3])); err != nil {
		t.Fatalf("recovery code: %v", err)
	}
	sess3, u3 := signIn()
	if _, err := r.svc.VerifySecondFactor(ctx, sess3, u3, codes[3]); err == nil {
		t.Fatal("a recovery code worked twice")
	}
	if err := r.svc.DisableTOTP(ctx, account.Actor{User: u3}, sess3, testkit.Password); !errs.Is(err, errs.KindInvalid) {
		t.Fatalf("a clinician turned 2FA off: %v", err)
	}
}

func TestResetLink_WorksOnceAndEndsSessions(t *testing.T) {
	r := newRig(t)
	ctx := ctxFrom("127.0.0.1")
	admin := testkit.NewPerson(t, r.svc, "site_admin", account.Admin)
	if _, err := r.signUp(ctx, patient("forgetful")); err != nil {
		t.Fatal(err)
	}
	_, _, oldToken, err := r.svc.SignIn(ctx, account.Credentials{Username: "forgetful", Password: testkit.Password})
	if err != nil {
		t.Fatal(err)
	}
	link, err := r.svc.IssueResetLink(ctx, account.Actor{User: admin.User}, "forgetful")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.svc.ResetPassword(ctx, link, "short"); errs.FieldMessage(err, "password") == "" {
		t.Fatalf("weak new password = %v", err)
	}
	if _, err := r.svc.ResetPassword(ctx, link, "a brand new passphrase"); err != nil {
		t.Fatal(err)
	}
	if _, err := r.svc.ResetPassword(ctx, link, "another new passphrase"); !errs.Is(err, errs.KindNotFound) {
		t.Fatalf("second use of the link = %v", err)
	}
	if _, _, err := r.svc.Authenticate(ctx, oldToken); err == nil {
		t.Fatal("a session from before the reset survived")
	}
	if _, _, _, err := r.svc.SignIn(ctx, account.Credentials{Username: "forgetful", Password: "a brand new passphrase"}); err != nil {
		t.Fatal(err)
	}
	patientUser, _ := r.svc.UserByUsername(ctx, "forgetful")
	if _, err := r.svc.IssueResetLink(ctx, account.Actor{User: patientUser}, "site_admin"); !errs.Is(err, errs.KindForbidden) {
		t.Fatalf("a patient issued a reset link: %v", err)
	}
}

func TestSetRole_OnlyAdminsAndAudited(t *testing.T) {
	r := newRig(t)
	ctx := ctxFrom("127.0.0.1")
	admin := testkit.NewPerson(t, r.svc, "boss", account.Admin)
	mod := testkit.NewPerson(t, r.svc, "watcher", account.Moderator)
	if _, err := r.signUp(ctx, patient("promote_me")); err != nil {
		t.Fatal(err)
	}
	if _, err := r.svc.SetRole(ctx, account.Actor{User: mod.User}, "promote_me", account.Moderator); !errs.Is(err, errs.KindForbidden) {
		t.Fatalf("a moderator changed a role: %v", err)
	}
	u, err := r.svc.SetRole(ctx, account.Actor{User: admin.User}, "promote_me", account.Moderator)
	if err != nil || u.Role != account.Moderator {
		t.Fatalf("SetRole = %+v, %v", u, err)
	}
	if _, err := r.svc.SetRole(ctx, account.Actor{User: admin.User}, "boss", account.Patient); !errs.Is(err, errs.KindInvalid) {
		t.Fatalf("an admin demoted themself: %v", err)
	}
	recs, _ := r.audit.List(context.Background(), audit.Filter{Action: "admin.set_role"})
	if len(recs) != 2 || recs[0].Outcome != audit.Success || !strings.HasPrefix(recs[0].Detail, "role patient -> moderator") || recs[1].Outcome != audit.Denied {
		t.Fatalf("audit of role changes: %+v", recs)
	}
}

func TestIssueToken_ScopesAndAuthentication(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	testkit.NewPerson(t, r.svc, "scripted", account.Clinician)
	if _, err := r.svc.IssueToken(ctx, account.CLI, "scripted", "read everything"); errs.FieldMessage(err, "scopes") == "" {
		t.Fatalf("unknown scope = %v", err)
	}
	token, err := r.svc.IssueToken(ctx, account.CLI, "scripted", "read write:statuses follow")
	if err != nil {
		t.Fatal(err)
	}
	tok, u, err := r.svc.AuthenticateToken(ctx, token)
	if err != nil || u.Username != "scripted" {
		t.Fatalf("AuthenticateToken = %v, %v", u, err)
	}
	for scope, want := range map[string]bool{"read": true, "read:accounts": true, "write:statuses": true, "write": false, "write:accounts": false, "follow": true} {
		if tok.HasScope(scope) != want {
			t.Errorf("HasScope(%q) = %v; want %v", scope, !want, want)
		}
	}
	if _, _, err := r.svc.AuthenticateToken(ctx, token+"x"); !errs.Is(err, errs.KindUnauthorized) {
		t.Fatalf("a wrong token = %v", err)
	}
	recs, _ := r.audit.List(ctx, audit.Filter{Action: "admin.issue_token"})
	if len(recs) != 1 || strings.Contains(recs[0].Detail, token) {
		t.Fatalf("token issue audit: %+v (it must never contain the token)", recs)
	}
}

func TestChangePassword_ChecksCurrentAndEndsOtherSessions(t *testing.T) {
	r := newRig(t)
	ctx := ctxFrom("127.0.0.1")
	if _, err := r.signUp(ctx, patient("changer")); err != nil {
		t.Fatal(err)
	}
	sessA, u, _, _ := r.svc.SignIn(ctx, account.Credentials{Username: "changer", Password: testkit.Password})
	_, _, tokenB, _ := r.svc.SignIn(ctx, account.Credentials{Username: "changer", Password: testkit.Password})
	actor := account.Actor{User: u}
	if err := r.svc.ChangePassword(ctx, actor, sessA, "not my password", "new password here"); errs.FieldMessage(err, "current_password") == "" {
		t.Fatalf("wrong current password = %v", err)
	}
	if err := r.svc.ChangePassword(ctx, actor, sessA, testkit.Password, "new password here"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := r.svc.Authenticate(ctx, tokenB); err == nil {
		t.Fatal("the other session survived a password change")
	}
}

func TestSignUp_LimitedPerClientAddress(t *testing.T) {
	r := newRig(t)
	ctx := ctxFrom("192.0.2.44")
	for i := range 10 {
		if _, err := r.signUp(ctx, patient("bulk_"+string(rune('a'+i)))); err != nil {
			t.Fatalf("sign-up %d: %v", i+1, err)
		}
	}
	_, err := r.signUp(ctx, patient("bulk_k"))
	if !errs.Is(err, errs.KindTooMany) {
		t.Fatalf("11th sign-up from one address in an hour = %v; want refused", err)
	}
	if _, err := r.signUp(ctxFrom("192.0.2.45"), patient("bulk_k")); err != nil {
		t.Fatalf("another address: %v", err)
	}
	r.clock.add(61 * time.Minute)
	if _, err := r.signUp(ctx, patient("bulk_l")); err != nil {
		t.Fatalf("after the window: %v", err)
	}
}
