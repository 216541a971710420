package account_test

import (
	"context"
	"strings"
	"testing"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/audit"
	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/testkit"
)

func TestSetSuspended_WhoMaySuspendWhom(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	admin := testkit.NewPerson(t, r.svc, "sus_admin", account.Admin).User
	mod := testkit.NewPerson(t, r.svc, "sus_mod", account.Moderator).User
	mod2 := testkit.NewPerson(t, r.svc, "sus_mod_two", account.Moderator).User
	doc := testkit.NewPerson(t, r.svc, "sus_doc", account.Clinician).User
	pat := testkit.NewPerson(t, r.svc, "sus_pat", account.Patient).User
	as := func(u *account.User) account.Actor { return account.Actor{User: u, Via: "web"} }
	cases := []struct {
		name    string
		actor   account.Actor
		target  int64
		suspend bool
		reason  string
		want    errs.Kind // -1: allowed
	}{
		{"signed out", account.Actor{Via: "web"}, pat.ID, true, "spam", errs.KindUnauthorized},
		{"a clinician", as(doc), pat.ID, true, "spam", errs.KindForbidden},
		{"without a reason", as(mod), pat.ID, true, "   ", errs.KindInvalid},
		{"with a reason too long", as(mod), pat.ID, true, strings.Repeat("r", account.MaxReasonChars+1), errs.KindInvalid},
		{"with a control character", as(mod), pat.ID, true, "spam\x1b", errs.KindInvalid},
		{"no such account", as(mod), 12345, true, "spam", errs.KindNotFound},
		{"oneself", as(mod), mod.ID, true, "testing", errs.KindForbidden},
		{"an administrator by a moderator", as(mod), admin.ID, true, "abuse", errs.KindForbidden},
		{"a moderator by a moderator", as(mod), mod2.ID, true, "abuse", errs.KindForbidden},
		{"an administrator suspending themself", as(admin), admin.ID, true, "testing", errs.KindForbidden},
		{"a member by a moderator", as(mod), pat.ID, true, "Spam links", -1},
		{"the same member again", as(mod), pat.ID, true, "Spam links", errs.KindConflict},
		{"a moderator by an administrator", as(admin), mod2.ID, true, "Abused the queue", -1},
		{"reinstated by an administrator", as(admin), mod2.ID, false, "Reviewed", -1},
		{"reinstating an active account", as(mod), doc.ID, false, "x", errs.KindConflict},
		{"the operator", account.CLI, doc.ID, true, "Court order", -1},
	}
	for _, tc := range cases {
		err := r.svc.SetSuspended(ctx, tc.actor, tc.target, tc.suspend, tc.reason)
		if tc.want == -1 {
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
			}
			continue
		}
		if !errs.Is(err, tc.want) {
			t.Errorf("%s: %v; want kind %d", tc.name, err, tc.want)
		}
	}
	for _, u := range []*account.User{pat, doc} {
		if got, _ := r.svc.UserByID(ctx, u.ID); !got.Suspended {
			t.Errorf("@%s is not suspended", u.Username)
		}
	}
	if got, _ := r.svc.UserByID(ctx, mod2.ID); got.Suspended {
		t.Error("the reinstated moderator is still suspended")
	}
	recs, err := r.audit.List(ctx, audit.Filter{Action: "moderation.suspend_account", Outcome: audit.Denied})
	if err != nil || len(recs) != 5 { // clinician, oneself, admin and moderator by a moderator, admin themself
		t.Errorf("denied suspensions in the audit log: %d, %v; want 5", len(recs), err)
	}
	recs, err = r.audit.List(ctx, audit.Filter{Action: "moderation.suspend_account", Outcome: audit.Success})
	if err != nil || len(recs) != 3 || recs[2].Actor != "sus_mod" || recs[2].Detail != "sessions ended, API tokens revoked; reason: Spam links" ||
		recs[0].Actor != "cli" || !strings.HasSuffix(recs[0].Detail, "reason: Court order") {
		t.Errorf("suspensions in the audit log: %+v, %v", recs, err)
	}
}

func TestSetSuspended_EndsSessionsAndTokensAndRefusesSignIn(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	mod := testkit.NewPerson(t, r.svc, "sus_mod", account.Moderator).User
	p := testkit.NewPerson(t, r.svc, "sus_member", account.Patient)
	_, _, cookie := r.signIn(t, ctx, "sus_member", p.Password)
	token, err := r.svc.IssueToken(ctx, account.CLI, "sus_member", "read")
	if err != nil {
		t.Fatal(err)
	}
	if err := r.svc.SetSuspended(ctx, account.Actor{User: mod, Via: "web"}, p.User.ID, true, "Harassment"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := r.svc.Authenticate(ctx, cookie); !errs.Is(err, errs.KindUnauthorized) {
		t.Errorf("the session after suspension: %v", err)
	}
	if _, _, err := r.svc.AuthenticateToken(ctx, token); !errs.Is(err, errs.KindUnauthorized) {
		t.Errorf("the token after suspension: %v", err)
	}
	if _, _, _, err := r.svc.SignIn(ctx, account.Credentials{Username: "sus_member", Password: p.Password}); !errs.Is(err, errs.KindForbidden) {
		t.Errorf("signing in while suspended: %v", err)
	}
	if _, err := r.svc.IssueToken(ctx, account.CLI, "sus_member", "read"); !errs.Is(err, errs.KindInvalid) {
		t.Errorf("a new token while suspended: %v", err)
	}
	if err := r.svc.SetSuspended(ctx, account.Actor{User: mod, Via: "web"}, p.User.ID, false, "Apologised"); err != nil {
		t.Fatal(err)
	}
	r.signIn(t, ctx, "sus_member", p.Password)
	if _, _, err := r.svc.AuthenticateToken(ctx, token); err == nil {
		t.Error("reinstatement revived the revoked token")
	}
}
