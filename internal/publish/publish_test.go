package publish_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/audit"
	"github.com/rounds-health/rounds/internal/publish"
	"github.com/rounds-health/rounds/internal/social"
	"github.com/rounds-health/rounds/internal/testkit"
)

// phoneGuard stands in for the compliance guard until it exists: it flags
// the word "555-0100" as a phone number, blocking for clinicians.
type phoneGuard struct{ calls []string }

func (g *phoneGuard) Check(_ context.Context, author *account.User, t publish.Text) ([]publish.Finding, error) {
	text := t.Body
	g.calls = append(g.calls, t.Where+":"+text)
	i := strings.Index(text, "555-0100")
	if i < 0 {
		return nil, nil
	}
	return []publish.Finding{{Start: i, End: i + 8, Type: "PHONE", Explanation: "a phone number",
		Blocking: author.Role != account.Patient}}, nil
}

func TestSubmit_GuardBlocksCliniciansWarnsPatientsAndCoversEveryText(t *testing.T) {
	srv := testkit.Start(t)
	ctx := context.Background()
	guard := &phoneGuard{}
	pub := publish.NewService(publish.Deps{DB: srv.DB, IDs: srv.IDs, Accounts: srv.Accounts, Social: srv.Social, Media: srv.Media,
		Audit: srv.Audit, Guard: guard})
	doc := testkit.NewPerson(t, srv.Accounts, "dr_guarded", account.Clinician)
	pat := testkit.NewPerson(t, srv.Accounts, "pat_guarded", account.Patient)

	_, err := pub.Submit(ctx, account.Actor{User: doc.User}, social.NewStatus{Text: "Call me at 555-0100"})
	var blocked *publish.BlockedError
	if !errors.As(err, &blocked) || blocked.Findings[0].Type != "PHONE" {
		t.Fatalf("a clinician's phone number = %v; want blocked", err)
	}
	if list, _ := srv.Social.Account(ctx, social.Viewer{ID: doc.User.ID}, doc.User.ID, social.Page{}, social.AccountOptions{}); len(list) != 0 {
		t.Fatal("a blocked post was stored")
	}
	recs, _ := srv.Audit.List(ctx, audit.Filter{Action: "publish.blocked"})
	if len(recs) != 1 || recs[0].Actor != "dr_guarded" || strings.Contains(recs[0].Detail, "555") {
		t.Fatalf("audit of the block = %+v (it must not repeat the text)", recs)
	}
	res, err := pub.Submit(ctx, account.Actor{User: pat.User}, social.NewStatus{Text: "Call me at 555-0100"})
	if err != nil || len(res.Warnings) != 1 || res.Status == nil {
		t.Fatalf("a patient's phone number = %+v, %v; want published with a warning", res, err)
	}
	// The title and the content warning pass the guard too, and so do edits.
	_, err = pub.Submit(ctx, account.Actor{User: doc.User}, social.NewStatus{Kind: social.Article, Title: "Dial 555-0100", Text: "body"})
	if !errors.As(err, &blocked) {
		t.Fatalf("a phone number in an article title = %v; want blocked", err)
	}
	ok, err := pub.Submit(ctx, account.Actor{User: doc.User}, social.NewStatus{Text: "Clinic open today"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pub.Edit(ctx, account.Actor{User: doc.User}, ok.Status.ID, social.NewStatus{Text: "Now call 555-0100"}); !errors.As(err, &blocked) {
		t.Fatalf("an edit adding a phone number = %v; want blocked", err)
	}
	if got, _ := srv.Social.Status(ctx, social.Viewer{}, ok.Status.ID); got.Source != "Clinic open today" {
		t.Fatalf("the blocked edit changed the status to %q", got.Source)
	}
	if !strings.HasPrefix(guard.calls[len(guard.calls)-1], "post:Now call") {
		t.Fatalf("the guard did not see the edit: %v", guard.calls)
	}
}
