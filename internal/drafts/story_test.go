package drafts_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rounds-health/rounds/internal/consent"
	"github.com/rounds-health/rounds/internal/drafts"
	"github.com/rounds-health/rounds/internal/social"
)

// A patient story goes through the workflow on the patient's signed
// authorization: its signed name may appear, the published post is linked
// to the authorization, and a revocation before the scheduled time keeps
// the next story from publishing.
func TestWorkflow_PatientStoryReliesOnASignedAuthorization(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	a, err := r.srv.Consent.Ask(ctx, as(r.writer), r.org.ID, r.patient.User.Username, consent.Request{
		Purpose: "Share your recovery story on Dr. Quill's Rounds page", Content: "Your first name and your story in your words",
		ExpiresAt: time.Now().Add(30 * 24 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.srv.Consent.Sign(ctx, as(r.patient), a.ID, "Rosalind Mbeki", true); err != nil {
		t.Fatal(err)
	}
	story := "Rosalind Mbeki walks two miles a day since her cardiac rehab. Thank you for letting us share it, Rosalind."
	plain, err := r.srv.Drafts.Create(ctx, as(r.writer), drafts.NewDraft{OrgID: r.org.ID, For: r.doc.User.Username,
		Content: drafts.Content{Text: story}})
	if err != nil {
		t.Fatal(err)
	}
	if plain.Current.Blocking == 0 {
		t.Fatal("without an authorization the patient's name did not block")
	}
	d, err := r.srv.Drafts.Create(ctx, as(r.writer), drafts.NewDraft{OrgID: r.org.ID, For: r.doc.User.Username,
		Content: drafts.Content{Text: story, AuthorizationID: a.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if d.Current.Blocking != 0 {
		t.Fatalf("under the authorization the signed name still blocks: %+v", d.Current.Findings)
	}
	d = r.mustDecide(t, r.doc, d, drafts.Approve, "")
	d = r.mustDecide(t, r.org.Officer, d, drafts.Approve, "")
	at := r.t0.Add(time.Hour)
	r.schedule(t, d, at)
	// A second story, approved and scheduled for later.
	d2, err := r.srv.Drafts.Create(ctx, as(r.writer), drafts.NewDraft{OrgID: r.org.ID, For: r.doc.User.Username,
		Content: drafts.Content{Text: "Rosalind's second update: she finished her first 5K!", AuthorizationID: a.ID}})
	if err != nil {
		t.Fatal(err)
	}
	d2 = r.mustDecide(t, r.doc, d2, drafts.Approve, "")
	d2 = r.mustDecide(t, r.org.Officer, d2, drafts.Approve, "")
	r.schedule(t, d2, at.Add(time.Hour))

	if n := r.runDueAt(t, at); n != 1 {
		t.Fatalf("%d jobs ran at the first story's time", n)
	}
	d = r.get(t, d)
	if d.State != drafts.Published {
		t.Fatalf("the first story: %s (%s)", d.State, d.ScheduleNote)
	}
	list, _ := r.srv.Consent.ForOrg(ctx, as(r.org.Officer), r.org.ID)
	if len(list) != 1 || len(list[0].Statuses) != 1 || list[0].Statuses[0] != d.StatusID {
		t.Fatalf("the published story is not linked to its authorization: %+v", list)
	}
	if err := r.srv.Consent.Revoke(ctx, as(r.patient), a.ID); err != nil {
		t.Fatal(err)
	}
	r.runDueAt(t, at.Add(time.Hour))
	d2 = r.get(t, d2)
	if d2.State == drafts.Published || !strings.Contains(d2.ScheduleNote, "revoked") {
		t.Fatalf("the second story after the revocation: %s, note %q", d2.State, d2.ScheduleNote)
	}
	if _, err := r.srv.Social.Status(ctx, socialViewer(), d.StatusID); err == nil {
		t.Fatal("the first story outlived the revocation")
	}
}

func socialViewer() social.Viewer { return social.Viewer{} }
