package account_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/audit"
	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/testkit"
)

// A sign-up with an address that has an account must not say so in as many
// words, must not cost a password hash, and counts toward the address's
// limit, so that nobody can check a list of addresses.
func TestSignUp_TakenEmailIsNotConfirmedAndProbingIsLimited(t *testing.T) {
	r := newRig(t)
	if _, err := r.signUp(ctxFrom("192.0.2.1"), patient("first_owner")); err != nil {
		t.Fatal(err)
	}
	ctx := ctxFrom("192.0.2.66")
	before := r.svc.PasswordChecks()
	var err error
	probes := 0
	for i := range 12 {
		in := patient(fmt.Sprintf("prober_%d", i))
		in.Email = "FIRST_OWNER@example.org"
		if _, err = r.signUp(ctx, in); errs.Is(err, errs.KindTooMany) {
			break
		}
		probes++
		msg := errs.FieldMessage(err, "email")
		if msg == "" || strings.Contains(strings.ToLower(msg), "exist") {
			t.Fatalf("sign-up with a taken email = %v; want a field message that does not confirm the account exists", err)
		}
	}
	if probes != 10 || !errs.Is(err, errs.KindTooMany) {
		t.Fatalf("%d probes answered before the limit (want 10), then %v", probes, err)
	}
	if n := r.svc.PasswordChecks() - before; n != 0 {
		t.Fatalf("sign-ups with a taken email hashed %d passwords; the uniqueness check must come first", n)
	}
	if n, _ := r.svc.CountUsers(context.Background()); n != 1 {
		t.Fatalf("%d accounts exist; want only the first", n)
	}
}

// Usernames are public (profiles, the live check on the form), so a taken
// one gives its attempt back: choosing a name should not use up the limit.
func TestSignUp_TakenUsernameDoesNotUseUpTheLimit(t *testing.T) {
	r := newRig(t)
	ctx := ctxFrom("192.0.2.67")
	if _, err := r.signUp(ctx, patient("popular")); err != nil {
		t.Fatal(err)
	}
	for i := range 15 {
		in := patient("popular")
		in.Email = fmt.Sprintf("other%d@example.org", i)
		if _, err := r.signUp(ctx, in); !errs.Is(err, errs.KindConflict) || errs.FieldMessage(err, "username") == "" {
			t.Fatalf("try %d with a taken username = %v; want a username conflict", i+1, err)
		}
	}
	if _, err := r.signUp(ctx, patient("not_popular")); err != nil {
		t.Fatalf("a free username after 15 taken ones: %v", err)
	}
}

// Parallel sign-ups from one address cannot pass the limit together.
func TestSignUp_ParallelAttemptsStayWithinTheLimit(t *testing.T) {
	r := newRig(t)
	ctx := ctxFrom("192.0.2.68")
	var wg sync.WaitGroup
	for i := range 25 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _ = r.signUp(ctx, patient(fmt.Sprintf("burst_%02d", i)))
		}()
	}
	wg.Wait()
	if n, _ := r.svc.CountUsers(context.Background()); n != 10 {
		t.Fatalf("25 parallel sign-ups from one address created %d accounts; the limit is 10", n)
	}
}

// Sign-up opens the session in the same call: an address locked for failed
// sign-ins (a shared hospital network) does not leave a new account behind
// with the person told that something failed.
func TestSignUp_OpensTheSessionWithTheAccount(t *testing.T) {
	r := newRig(t)
	ctx := ctxFrom("192.0.2.69")
	for i := range 30 {
		_, _, _, _ = r.svc.SignIn(ctx, account.Credentials{Username: fmt.Sprintf("nobody_%d", i), Password: "wrong password here"})
	}
	if _, _, _, err := r.svc.SignIn(ctx, account.Credentials{Username: "nobody_x", Password: "wrong password here"}); !errs.Is(err, errs.KindTooMany) {
		t.Fatalf("the address is not locked: %v", err)
	}
	in := patient("new_at_hospital")
	in.Role = account.Clinician
	sess, u, token, err := r.svc.SignUp(ctx, in, "Firefox")
	if err != nil {
		t.Fatalf("sign-up from a locked address: %v", err)
	}
	got, gu, err := r.svc.Authenticate(ctx, token)
	if err != nil || got.ID != sess.ID || gu.ID != u.ID || account.StageOf(gu, got) != account.StageEnroll {
		t.Fatalf("the sign-up's session = %+v, %v; want the new clinician at the 2FA set-up", got, err)
	}
	recs, _ := r.audit.List(context.Background(), audit.Filter{Actor: "new_at_hospital"})
	if len(recs) != 2 || recs[0].Action != "auth.signin" || recs[1].Action != "account.signup" {
		t.Fatalf("audit of the sign-up: %+v; want the sign-up and its session", recs)
	}
}

func TestListUsers_SearchTakesUnderscoreAndPercentLiterally(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	for _, name := range []string{"dr_amara", "drxamara", "dramara"} {
		testkit.NewPerson(t, r.svc, name, account.Patient)
	}
	p := testkit.NewPerson(t, r.svc, "percent_fan", account.Patient)
	if _, err := r.svc.UpdateProfile(ctx, account.Actor{User: p.User}, `100% \ sure`, ""); err != nil {
		t.Fatal(err)
	}
	cases := map[string][]string{
		"dr_amara": {"dr_amara"},
		"DR_AM":    {"dr_amara"},
		"amara":    {"dramara", "drxamara", "dr_amara"},
		"100%":     {"percent_fan"},
		`% \ s`:    {"percent_fan"},
		"%":        {"percent_fan"},
		"_":        {"percent_fan", "dr_amara"},
		"x_a":      nil,
	}
	for q, want := range cases {
		us, err := r.svc.ListUsers(ctx, account.UserFilter{Query: q})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, u := range us {
			got = append(got, u.Username)
		}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("search %q found %v; want %v", q, got, want)
		}
	}
}
