package account_test

import (
	"context"
	"testing"
	"time"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/audit"
	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/testkit"
)

func TestTokens_RevokedByPasswordResetAndRoleChange(t *testing.T) {
	r := newRig(t)
	ctx := ctxFrom("127.0.0.1")
	admin := testkit.NewPerson(t, r.svc, "token_admin", account.Admin)
	testkit.NewPerson(t, r.svc, "scripted_user", account.Clinician)
	adminActor := account.Actor{User: admin.User, Via: "web"}

	token, err := r.svc.IssueToken(ctx, account.CLI, "scripted_user", "read")
	if err != nil {
		t.Fatal(err)
	}
	link, err := r.svc.IssueResetLink(ctx, adminActor, "scripted_user")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.svc.ResetPassword(ctx, link, "a fresh passphrase here"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := r.svc.AuthenticateToken(ctx, token); !errs.Is(err, errs.KindUnauthorized) {
		t.Fatalf("a token issued before a password reset still works: %v", err)
	}

	token, err = r.svc.IssueToken(ctx, account.CLI, "scripted_user", "read write")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.svc.SetRole(ctx, adminActor, "scripted_user", account.Patient); err != nil {
		t.Fatal(err)
	}
	if _, _, err := r.svc.AuthenticateToken(ctx, token); !errs.Is(err, errs.KindUnauthorized) {
		t.Fatalf("a token issued before a role change still works: %v", err)
	}
}

func TestIssueToken_AdminScopesOnlyForAdminsAndRefusalsAudited(t *testing.T) {
	r := newRig(t)
	ctx := ctxFrom("127.0.0.1")
	testkit.NewPerson(t, r.svc, "scope_admin", account.Admin)
	mod := testkit.NewPerson(t, r.svc, "scope_mod", account.Moderator)

	if _, err := r.svc.IssueToken(ctx, account.CLI, "scope_mod", "read admin:read"); errs.FieldMessage(err, "scopes") == "" {
		t.Fatalf("admin:read for a moderator = %v; want a scopes message", err)
	}
	if _, err := r.svc.IssueToken(ctx, account.CLI, "scope_admin", "read admin:read"); err != nil {
		t.Fatalf("admin:read for an admin: %v", err)
	}
	if _, err := r.svc.IssueToken(ctx, account.Actor{User: mod.User, Via: "web"}, "scope_mod", "read"); !errs.Is(err, errs.KindForbidden) {
		t.Fatalf("a moderator issued a token: %v", err)
	}
	denied, _ := r.audit.List(ctx, audit.Filter{Action: "admin.issue_token", Outcome: audit.Denied})
	if len(denied) != 2 || denied[0].Actor != "scope_mod" || denied[1].Actor != "cli" {
		t.Fatalf("refused token issues in the audit log: %+v; want the moderator's and the admin-scope one", denied)
	}
}

// Bad bearer tokens are audited, but a client hammering with a dead token
// writes one row per address per window, not one per request.
func TestAuthenticateToken_RefusalsAuditedOncePerWindow(t *testing.T) {
	r := newRig(t)
	ctx := ctxFrom("203.0.113.50")
	for range 25 {
		if _, _, err := r.svc.AuthenticateToken(ctx, "not-a-real-token"); !errs.Is(err, errs.KindUnauthorized) {
			t.Fatalf("a bad token = %v", err)
		}
	}
	_, _, _ = r.svc.AuthenticateToken(ctxFrom("203.0.113.51"), "another-bad-token")
	recs, _ := r.audit.List(context.Background(), audit.Filter{Action: "auth.token", Outcome: audit.Failure})
	if len(recs) != 2 || recs[1].ClientAddr != "203.0.113.50" || recs[0].ClientAddr != "203.0.113.51" {
		t.Fatalf("refused tokens in the audit log: %+v; want one per address", recs)
	}
	r.clock.add(16 * time.Minute)
	_, _, _ = r.svc.AuthenticateToken(ctx, "not-a-real-token")
	if n := r.auditCount(t, audit.Filter{Action: "auth.token"}); n != 3 {
		t.Fatalf("after the window, %d rows; want a new one", n)
	}
}
