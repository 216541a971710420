package consent_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/audit"
	"github.com/rounds-health/rounds/internal/consent"
	"github.com/rounds-health/rounds/internal/directory"
	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/publish"
	"github.com/rounds-health/rounds/internal/social"
	"github.com/rounds-health/rounds/internal/testkit"
)

type storyRig struct {
	srv    *testkit.Server
	clinic *testkit.Org
	writer *testkit.Person
	pat    *testkit.Person
}

func newStoryRig(t *testing.T) *storyRig {
	srv := testkit.Start(t)
	clinic := testkit.Organization(t, srv, "st", "Stillwater Clinic")
	writer := testkit.NewPerson(t, srv.Accounts, "st_writer", account.Staff)
	clinic.AddStaff(t, srv, writer, directory.SocialMedia)
	pat := testkit.NewPerson(t, srv.Accounts, "pat_story", account.Patient)
	return &storyRig{srv: srv, clinic: clinic, writer: writer, pat: pat}
}

func as(p *testkit.Person) account.Actor { return account.Actor{User: p.User, Via: "test"} }

func (r *storyRig) signed(t *testing.T, ends time.Time) *consent.Authorization {
	t.Helper()
	ctx := context.Background()
	a, err := r.srv.Consent.Ask(ctx, as(r.writer), r.clinic.ID, "pat_story", consent.Request{
		Purpose: "Share how our cardiac rehab program helped you, on our Rounds page.",
		Content: "Your first name, your story of recovery after bypass surgery, in your words.", ExpiresAt: ends})
	if err != nil {
		t.Fatal(err)
	}
	if a, err = r.srv.Consent.Sign(ctx, as(r.pat), a.ID, "Rosalind Mbeki", true); err != nil {
		t.Fatal(err)
	}
	return a
}

func TestStory_NeedsASignedUnexpiredAuthorization(t *testing.T) {
	r := newStoryRig(t)
	ctx := context.Background()
	story := social.NewStatus{Text: "Rosalind Mbeki walked 2 miles a day after rehab. Her story, shared with her permission."}
	if _, err := r.srv.Publish.SubmitStory(ctx, as(r.writer), story, 0); errs.FieldMessage(err, "authorization_id") == "" {
		t.Fatalf("a story without an authorization = %v; want an authorization_id error", err)
	}
	// Asked but not signed yet.
	asked, err := r.srv.Consent.Ask(ctx, as(r.writer), r.clinic.ID, "pat_story", consent.Request{Purpose: "A testimonial for our page",
		Content: "Your story in your words", ExpiresAt: time.Now().Add(24 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.srv.Publish.SubmitStory(ctx, as(r.writer), story, asked.ID); !strings.Contains(errs.FieldMessage(err, "authorization_id"), "not signed") {
		t.Fatalf("a story on an unsigned request = %v", err)
	}
	a := r.signed(t, time.Now().Add(30*24*time.Hour))
	res, err := r.srv.Publish.SubmitStory(ctx, as(r.writer), story, a.ID)
	if err != nil {
		t.Fatalf("a story under a signed authorization (the signed name may appear): %v", err)
	}
	// The authorization covers the patient's name, nothing else: a phone number is still refused.
	var blocked *publish.BlockedError
	if _, err := r.srv.Publish.SubmitStory(ctx, as(r.writer), social.NewStatus{Text: "Rosalind says call her at 617-555-0181!"}, a.ID); !errors.As(err, &blocked) {
		t.Fatalf("a phone number in a story = %v; want blocked", err)
	}
	// Someone who does not speak for the clinic cannot use its authorization.
	outsider := testkit.NewPerson(t, r.srv.Accounts, "dr_outsider", account.Clinician)
	if _, err := r.srv.Publish.SubmitStory(ctx, as(outsider), story, a.ID); errs.FieldMessage(err, "authorization_id") == "" {
		t.Fatalf("an outsider's story = %v", err)
	}
	got, _ := r.srv.Consent.ForOrg(ctx, as(r.clinic.Officer), r.clinic.ID)
	if len(got) != 2 || len(got[0].Statuses) != 1 || got[0].Statuses[0] != res.Status.ID {
		t.Fatalf("the organization's authorizations = %+v", got)
	}
	// Whom the organization holds authorizations from is private: the
	// officer's read is audited, with a count and no patient's name.
	recs, err := r.srv.Audit.List(ctx, audit.Filter{Action: "consent.list"})
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 || recs[0].ActorID != r.clinic.Officer.User.ID || recs[0].Detail != "2 authorization(s)" {
		t.Fatalf("audit of the list = %+v", recs)
	}
}

func TestRevoke_TakesTheStoryDownAndAlertsTheOrganization(t *testing.T) {
	r := newStoryRig(t)
	ctx := context.Background()
	a := r.signed(t, time.Now().Add(30*24*time.Hour))
	res, err := r.srv.Publish.SubmitStory(ctx, as(r.writer), social.NewStatus{Text: "A story of recovery, shared with permission."}, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.srv.Consent.Revoke(ctx, as(r.writer), a.ID); errs.As(err) == nil || errs.As(err).Kind != errs.KindNotFound {
		t.Fatalf("revoked by the organization = %v; only the patient may", err)
	}
	if err := r.srv.Consent.Revoke(ctx, as(r.pat), a.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := r.srv.Social.Status(ctx, social.Viewer{}, res.Status.ID); errs.As(err) == nil || errs.As(err).Kind != errs.KindNotFound {
		t.Fatalf("the story after revocation = %v; want it gone", err)
	}
	alerts, err := r.srv.Consent.Alerts(ctx, as(r.clinic.Officer), r.clinic.ID)
	if err != nil || len(alerts) != 1 || !strings.Contains(alerts[0].Body, "revoked") || !strings.Contains(alerts[0].Body, "1 post(s)") {
		t.Fatalf("alerts = %+v, %v", alerts, err)
	}
	if _, err := r.srv.Publish.SubmitStory(ctx, as(r.writer), social.NewStatus{Text: "Another story"}, a.ID); !strings.Contains(errs.FieldMessage(err, "authorization_id"), "revoked") {
		t.Fatalf("a story on a revoked authorization = %v", err)
	}
	recs, _ := r.srv.Audit.List(ctx, audit.Filter{Action: "consent."})
	var actions []string
	for _, rec := range recs {
		actions = append(actions, rec.Action)
		if strings.Contains(rec.Detail, "bypass") || strings.Contains(rec.Detail, "Rosalind") {
			t.Fatalf("an audit record repeats the authorization's text: %+v", rec)
		}
	}
	if strings.Join(actions, ",") != "consent.takedown,consent.revoke,consent.sign,consent.request" {
		t.Fatalf("audited %v", actions)
	}
}

func TestExpiry_TakesTheStoryDown(t *testing.T) {
	r := newStoryRig(t)
	ctx := context.Background()
	a := r.signed(t, time.Now().Add(48*time.Hour))
	res, err := r.srv.Publish.SubmitStory(ctx, as(r.writer), social.NewStatus{Text: "A story of recovery, shared with permission."}, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := r.srv.Consent.EndExpired(ctx); err != nil || n != 0 {
		t.Fatalf("before the end: %d ended, %v", n, err)
	}
	r.srv.Consent.SetClock(func() time.Time { return time.Now().Add(72 * time.Hour) })
	defer r.srv.Consent.SetClock(time.Now)
	if n, err := r.srv.Consent.EndExpired(ctx); err != nil || n != 1 {
		t.Fatalf("after the end: %d ended, %v", n, err)
	}
	if _, err := r.srv.Social.Status(ctx, social.Viewer{}, res.Status.ID); errs.As(err) == nil {
		t.Fatal("the story outlived its authorization")
	}
	if n, _ := r.srv.Consent.EndExpired(ctx); n != 0 {
		t.Fatalf("an ended authorization ended again (%d)", n)
	}
	if _, err := r.srv.Publish.SubmitStory(ctx, as(r.writer), social.NewStatus{Text: "Another story"}, a.ID); !strings.Contains(errs.FieldMessage(err, "authorization_id"), "expired") {
		t.Fatalf("a story on an expired authorization = %v", err)
	}
}

func TestAskAndSign_RefuseBadInputWithFieldErrors(t *testing.T) {
	r := newStoryRig(t)
	ctx := context.Background()
	_, err := r.srv.Consent.Ask(ctx, as(r.writer), r.clinic.ID, "st_writer", consent.Request{Purpose: "short", Content: "",
		ExpiresAt: time.Now().Add(-time.Hour)})
	for _, f := range []string{"purpose", "content", "expires_at", "patient"} {
		if errs.FieldMessage(err, f) == "" {
			t.Errorf("no %s error in %v", f, err)
		}
	}
	member := testkit.NewPerson(t, r.srv.Accounts, "st_member", account.Staff)
	r.clinic.AddStaff(t, r.srv, member, directory.Member)
	if _, err := r.srv.Consent.Ask(ctx, as(member), r.clinic.ID, "pat_story", consent.Request{}); errs.As(err) == nil || errs.As(err).Kind != errs.KindForbidden {
		t.Fatalf("a plain member asked: %v", err)
	}
	a, err := r.srv.Consent.Ask(ctx, as(r.writer), r.clinic.ID, "pat_story", consent.Request{Purpose: "A testimonial for our page",
		Content: "Your story in your words", ExpiresAt: time.Now().Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	_, err = r.srv.Consent.Sign(ctx, as(r.pat), a.ID, "", false)
	if errs.FieldMessage(err, "signature") == "" || errs.FieldMessage(err, "understood") == "" {
		t.Fatalf("an empty signature = %v", err)
	}
	if _, err := r.srv.Consent.Sign(ctx, as(r.writer), a.ID, "Not The Patient", true); errs.As(err) == nil || errs.As(err).Kind != errs.KindNotFound {
		t.Fatalf("signed by someone else = %v", err)
	}
}

// A revocation that committed before the story's link refuses the link;
// one whose take-down never ran (a crash) is finished by the sweep.
func TestRevoke_RacesEndWithTheStoryDown(t *testing.T) {
	r := newStoryRig(t)
	ctx := context.Background()
	a := r.signed(t, time.Now().Add(30*24*time.Hour))
	res, err := r.srv.Publish.SubmitStory(ctx, as(r.writer), social.NewStatus{Text: "A story of recovery, shared with permission."}, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	// The revocation commits, then the process stops before the take-down.
	if _, err := r.srv.DB.Exec(ctx, "UPDATE authorizations SET state = 'revoked', revoked_at = ? WHERE id = ?", time.Now().UnixMilli(), a.ID); err != nil {
		t.Fatal(err)
	}
	if err := r.srv.Consent.Link(ctx, a.ID, res.Status.ID+1); errs.FieldMessage(err, "authorization_id") == "" {
		t.Fatalf("linking to a revoked authorization = %v", err)
	}
	if n, err := r.srv.Consent.EndExpired(ctx); err != nil || n != 1 {
		t.Fatalf("the sweep ended %d, %v; want the unfinished revocation", n, err)
	}
	if _, err := r.srv.Social.Status(ctx, social.Viewer{}, res.Status.ID); errs.As(err) == nil {
		t.Fatal("the story survived an unfinished revocation")
	}
	if n, _ := r.srv.Consent.EndExpired(ctx); n != 0 {
		t.Fatalf("the sweep ended it again (%d)", n)
	}
}

func TestAsk_APatientWhoBlockedTheAskerIsNotAsked(t *testing.T) {
	r := newStoryRig(t)
	ctx := context.Background()
	if _, err := r.srv.Social.Block(ctx, r.pat.User, r.writer.User.ID); err != nil {
		t.Fatal(err)
	}
	_, err := r.srv.Consent.Ask(ctx, as(r.writer), r.clinic.ID, "pat_story", consent.Request{Purpose: "A testimonial for our page",
		Content: "Your story in your words", ExpiresAt: time.Now().Add(24 * time.Hour)})
	if errs.FieldMessage(err, "patient") != "Give the username of a patient account on Rounds." {
		t.Fatalf("asking a patient who blocked the asker = %v", err)
	}
}
