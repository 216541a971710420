package account_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/audit"
	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/testkit"
)

func (r *rig) signIn(t *testing.T, ctx context.Context, name, password string) (*account.Session, *account.User, string) {
	t.Helper()
	sess, u, token, err := r.svc.SignIn(ctx, account.Credentials{Username: name, Password: password})
	if err != nil {
		t.Fatalf("sign in %s: %v", name, err)
	}
	return sess, u, token
}

func (r *rig) auditCount(t *testing.T, f audit.Filter) int {
	t.Helper()
	f.Limit = 500
	recs, err := r.audit.List(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	return len(recs)
}

// Someone who has the password must not get more than five guesses at the
// second factor by signing in again before each lock: a right password
// does not reset the count of wrong codes.
func TestSecondFactor_WrongCodesLockEvenWhenThePasswordIsEnteredAgain(t *testing.T) {
	r := newRig(t)
	p := testkit.NewPerson(t, r.svc, "dr_victim", account.Clinician)
	wrong := 0
	var lastErr error
	for round := range 4 {
		// A fresh client address each round stands for many addresses.
		ctx := ctxFrom(fmt.Sprintf("203.0.113.%d", round+1))
		sess, u, token, err := r.svc.SignIn(ctx, account.Credentials{Username: "dr_victim", Password: testkit.Password})
		if err != nil {
			lastErr = err
			break
		}
		for range 4 {
			if _, lastErr = r.svc.VerifySecondFactor(ctx, sess, u, "000001"); errs.Is(lastErr, errs.KindTooMany) {
				break
			}
			wrong++
		}
		if errs.Is(lastErr, errs.KindTooMany) {
			if _, _, err := r.svc.Authenticate(ctx, token); err == nil {
				t.Fatal("the session that guessed survived the lock")
			}
			break
		}
	}
	if wrong != 4 || !errs.Is(lastErr, errs.KindTooMany) || !strings.Contains(errs.PublicMessage(lastErr), "wrong codes") {
		t.Fatalf("%d wrong codes were answered as wrong before the lock (want 4, the 5th locks); last error %v", wrong, lastErr)
	}
	if n := r.auditCount(t, audit.Filter{Action: "auth.second_factor", Outcome: audit.Failure}); n != 5 {
		t.Fatalf("%d wrong codes audited; want 5", n)
	}
	// Locked: even the right password and the right code do not get in.
	ctx := ctxFrom("203.0.113.99")
	if _, _, _, err := r.svc.SignIn(ctx, account.Credentials{Username: "dr_victim", Password: testkit.Password}); !errs.Is(err, errs.KindTooMany) {
		t.Fatalf("sign-in with the password while the second factor is locked = %v; want the lock", err)
	}
	r.clock.add(16 * time.Minute)
	sess, u, _ := r.signIn(t, ctx, "dr_victim", testkit.Password)
	if _, err := r.svc.VerifySecondFactor(ctx, sess, u, r.nextCode(t, p)); err != nil {
		t.Fatalf("the right code after the lock ended: %v", err)
	}
}

func TestSecondFactor_LockEndsTheSessionThatGuessed(t *testing.T) {
	r := newRig(t)
	testkit.NewPerson(t, r.svc, "dr_guessed", account.Clinician)
	ctx := ctxFrom("198.51.100.20")
	sess, u, token := r.signIn(t, ctx, "dr_guessed", testkit.Password)
	var err error
	for range 5 {
		_, err = r.svc.VerifySecondFactor(ctx, sess, u, "999999")
	}
	if !errs.Is(err, errs.KindTooMany) {
		t.Fatalf("fifth wrong code = %v; want the lock", err)
	}
	if _, _, err := r.svc.Authenticate(ctx, token); !errs.Is(err, errs.KindUnauthorized) {
		t.Fatalf("the session is still signed in after the lock: %v", err)
	}
}

// Parallel requests must not all pass the lock check before any failure is
// counted: forty wrong passwords at once run at most five password checks.
func TestSignIn_ParallelWrongPasswordsRunAtMostTheLimitOfChecks(t *testing.T) {
	r := newRig(t)
	ctx := ctxFrom("198.51.100.1")
	if _, err := r.signUp(ctx, patient("par_victim")); err != nil {
		t.Fatal(err)
	}
	before := r.svc.PasswordChecks()
	results := make(chan error, 40)
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _, _, err := r.svc.SignIn(ctx, account.Credentials{Username: "par_victim", Password: fmt.Sprintf("wrong guess number %d", i)})
			results <- err
		}()
	}
	wg.Wait()
	close(results)
	wrong, locked := 0, 0
	for err := range results {
		switch {
		case errs.Is(err, errs.KindUnauthorized):
			wrong++
		case errs.Is(err, errs.KindTooMany):
			locked++
		default:
			t.Errorf("unexpected answer: %v", err)
		}
	}
	if checks := r.svc.PasswordChecks() - before; checks > 5 {
		t.Fatalf("40 parallel wrong passwords ran %d password checks; the limit is 5", checks)
	}
	if wrong != 4 || locked != 36 {
		t.Fatalf("%d answered 'wrong password', %d locked; want 4 and 36 (the 5th failure locks)", wrong, locked)
	}
	if n := r.auditCount(t, audit.Filter{Action: "auth.signin", Outcome: audit.Failure}); n != 5 {
		t.Fatalf("%d failed sign-ins audited; want 5", n)
	}
	// The refusals are counted, and the log gets one row for the lock, not 35.
	if n := r.auditCount(t, audit.Filter{Action: "auth.signin", Outcome: audit.Denied}); n != 1 {
		t.Fatalf("%d refusals audited; want 1 per lock", n)
	}
	_, _, _, err := r.svc.SignIn(ctx, account.Credentials{Username: "par_victim", Password: testkit.Password})
	if !errs.Is(err, errs.KindTooMany) {
		t.Fatalf("the right password during the lock = %v; want the lock", err)
	}
}

func TestSecondFactor_ParallelWrongCodesRunAtMostTheLimit(t *testing.T) {
	r := newRig(t)
	testkit.NewPerson(t, r.svc, "dr_par", account.Clinician)
	ctx := ctxFrom("198.51.100.2")
	sess, u, _ := r.signIn(t, ctx, "dr_par", testkit.Password)
	var wg sync.WaitGroup
	for range 60 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := *sess
			_, _ = r.svc.VerifySecondFactor(ctx, &s, u, "000002")
		}()
	}
	wg.Wait()
	if n := r.auditCount(t, audit.Filter{Action: "auth.second_factor", Outcome: audit.Failure}); n != 5 {
		t.Fatalf("60 parallel wrong codes: %d were checked and audited; want 5", n)
	}
}

func TestSignIn_AuditNeverStoresWhatWasTypedAsAUsername(t *testing.T) {
	r := newRig(t)
	ctx := ctxFrom("192.0.2.10")
	typed := []string{
		strings.Repeat("x y ", 225_000),   // 900 KB pasted into the field
		"my secret passphrase 2024!",      // a password typed in the wrong field
		"Summer2024Holidays",              // one that looks like a username
		"someone@example.org",             // an email address
		strings.Repeat("\u00e9", 100_000), // not ASCII
	}
	for _, name := range typed {
		_, _, _, err := r.svc.SignIn(ctx, account.Credentials{Username: name, Password: "whatever it is"})
		if !errs.Is(err, errs.KindUnauthorized) {
			t.Fatalf("sign-in as %.20q = %v", name, err)
		}
	}
	recs, err := r.audit.List(context.Background(), audit.Filter{Action: "auth.signin"})
	if err != nil || len(recs) != len(typed) {
		t.Fatalf("%d sign-in records, %v; want %d", len(recs), err, len(typed))
	}
	for _, rec := range recs {
		if len(rec.Actor) > 40 || strings.Contains(strings.ToLower(rec.Actor), "summer") || strings.Contains(rec.Actor, "secret") ||
			strings.Contains(rec.Actor, "example") || !strings.HasPrefix(rec.Actor, "(") {
			t.Errorf("the audit log stored %.60q for a typed username", rec.Actor)
		}
	}
	// A known account is still named: that is who was attacked.
	if _, err := r.signUp(ctx, patient("named_one")); err != nil {
		t.Fatal(err)
	}
	_, _, _, _ = r.svc.SignIn(ctx, account.Credentials{Username: "Named_One", Password: "not the password"})
	if n := r.auditCount(t, audit.Filter{Actor: "named_one", Action: "auth.signin", Outcome: audit.Failure}); n != 1 {
		t.Fatalf("%d failures recorded under the account's name; want 1", n)
	}
}

func TestSignIn_RefusalsWhileLockedAreAuditedOncePerLock(t *testing.T) {
	r := newRig(t)
	ctx := ctxFrom("192.0.2.11")
	if _, err := r.signUp(ctx, patient("hammered")); err != nil {
		t.Fatal(err)
	}
	for i := range 25 {
		_, _, _, _ = r.svc.SignIn(ctx, account.Credentials{Username: "hammered", Password: fmt.Sprintf("guess %d guess", i)})
	}
	if n := r.auditCount(t, audit.Filter{Actor: "hammered", Action: "auth.signin", Outcome: audit.Denied}); n != 1 {
		t.Fatalf("20 refused sign-ins during one lock wrote %d audit rows under the account; want 1", n)
	}
	r.clock.add(16 * time.Minute) // the lock ends; a new one is audited again
	for i := range 7 {
		_, _, _, _ = r.svc.SignIn(ctx, account.Credentials{Username: "hammered", Password: fmt.Sprintf("again %d again", i)})
	}
	if n := r.auditCount(t, audit.Filter{Action: "auth.signin", Outcome: audit.Denied}); n != 2 {
		t.Fatalf("two locks wrote %d refusal rows; want 2", n)
	}
}

// A password check that cannot get a slot (the server is flooded) gives up
// without hashing and without counting against the person.
func TestSignIn_PasswordWorkIsBoundedAndABusyServerDoesNotCountAFailure(t *testing.T) {
	r := newRigWith(t, account.Config{PasswordWorkers: 1})
	ctx := ctxFrom("192.0.2.12")
	if _, err := r.signUp(ctx, patient("patient_busy")); err != nil {
		t.Fatal(err)
	}
	release := r.svc.FillPasswordGate()
	before := r.svc.PasswordChecks()
	short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	_, _, _, err := r.svc.SignIn(short, account.Credentials{Username: "patient_busy", Password: testkit.Password})
	cancel()
	release()
	if !errs.Is(err, errs.KindTooMany) || !strings.Contains(errs.PublicMessage(err), "busy") || r.svc.PasswordChecks() != before {
		t.Fatalf("sign-in while every password slot is taken = %v after %d checks; want 'busy' and none", err, r.svc.PasswordChecks()-before)
	}
	for i := range 4 {
		if _, _, _, err := r.svc.SignIn(ctx, account.Credentials{Username: "patient_busy", Password: fmt.Sprintf("wrong %d wrong", i)}); !errs.Is(err, errs.KindUnauthorized) {
			t.Fatalf("failure %d after the busy answer = %v; the busy attempt must not have counted", i+1, err)
		}
	}
	r.signIn(t, ctx, "patient_busy", testkit.Password)
}

// Checking the current password before a change is not an unlimited
// oracle: wrong passwords count on the account's sign-in counter and the
// session that guessed is ended when it locks.
func TestOwnPasswordChecks_LockAndEndTheSession(t *testing.T) {
	cases := []struct {
		name  string
		check func(r *rig, ctx context.Context, a account.Actor, s *account.Session, pw string) error
	}{
		{"change password", func(r *rig, ctx context.Context, a account.Actor, s *account.Session, pw string) error {
			return r.svc.ChangePassword(ctx, a, s, pw, "a new password entirely")
		}},
		{"regenerate recovery codes", func(r *rig, ctx context.Context, a account.Actor, s *account.Session, pw string) error {
			_, err := r.svc.RegenerateRecoveryCodes(ctx, a, s, pw)
			return err
		}},
		{"turn two-factor off", func(r *rig, ctx context.Context, a account.Actor, s *account.Session, pw string) error {
			return r.svc.DisableTOTP(ctx, a, s, pw)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t)
			p := testkit.NewPerson(t, r.svc, "oracle_victim", account.Patient)
			p.EnrollTOTP(t, r.svc)
			ctx := ctxFrom("198.51.100.3")
			sess, u, _ := r.signIn(t, ctx, "oracle_victim", testkit.Password)
			token, err := r.svc.VerifySecondFactor(ctx, sess, u, r.nextCode(t, p))
			if err != nil {
				t.Fatal(err)
			}
			actor := account.Actor{User: u, Via: "web"}
			for i := range 5 {
				err = tc.check(r, ctx, actor, sess, fmt.Sprintf("guess number %d", i))
				if i < 4 && !errs.Is(err, errs.KindInvalid) {
					t.Fatalf("wrong password %d = %v; want 'not right'", i+1, err)
				}
			}
			if !errs.Is(err, errs.KindTooMany) {
				t.Fatalf("fifth wrong password = %v; want the lock", err)
			}
			if err := tc.check(r, ctx, actor, sess, testkit.Password); !errs.Is(err, errs.KindTooMany) {
				t.Fatalf("the right password during the lock = %v; want the lock", err)
			}
			if _, _, err := r.svc.Authenticate(ctx, token); !errs.Is(err, errs.KindUnauthorized) {
				t.Fatalf("the session that guessed is still signed in: %v", err)
			}
			if _, _, _, err := r.svc.SignIn(ctx, account.Credentials{Username: "oracle_victim", Password: testkit.Password}); !errs.Is(err, errs.KindTooMany) {
				t.Fatalf("password sign-in during the lock = %v; want the lock", err)
			}
		})
	}
}

// After the second factor, the token known before it stops working.
func TestSecondFactor_RenewsTheSessionToken(t *testing.T) {
	r := newRig(t)
	p := testkit.NewPerson(t, r.svc, "dr_fixed", account.Clinician)
	ctx := ctxFrom("127.0.0.1")
	sess, u, before := r.signIn(t, ctx, "dr_fixed", testkit.Password)
	after, err := r.svc.VerifySecondFactor(ctx, sess, u, r.nextCode(t, p))
	if err != nil {
		t.Fatal(err)
	}
	if after == "" || after == before {
		t.Fatal("the second factor kept the session's token")
	}
	if _, _, err := r.svc.Authenticate(ctx, before); !errs.Is(err, errs.KindUnauthorized) {
		t.Fatalf("the token from before the second factor = %v; want it dead", err)
	}
	s, got, err := r.svc.Authenticate(ctx, after)
	if err != nil || got.ID != u.ID || account.StageOf(got, s) != account.StageReady {
		t.Fatalf("the new token = %v, %v; want a ready session", s, err)
	}
}

// Headers carry anything: a long or malformed User-Agent is stored cut to
// size as valid text, never failing the sign-in (PostgreSQL refuses
// invalid UTF-8).
func TestSignIn_AnyUserAgentIsStoredCutToSize(t *testing.T) {
	r := newRig(t)
	ctx := ctxFrom("192.0.2.13")
	if _, err := r.signUp(ctx, patient("odd_browser")); err != nil {
		t.Fatal(err)
	}
	ua := "\xff" + strings.Repeat("\u00e9", 400)
	sess, _, _, err := r.svc.SignIn(ctx, account.Credentials{Username: "odd_browser", Password: testkit.Password, UserAgent: ua})
	if err != nil {
		t.Fatalf("sign-in with a long, malformed User-Agent: %v", err)
	}
	if len(sess.UserAgent) > 300 || !utf8.ValidString(sess.UserAgent) {
		t.Fatalf("stored User-Agent: %d bytes, valid UTF-8 %v", len(sess.UserAgent), utf8.ValidString(sess.UserAgent))
	}
}
