package publish_test

import (
	"bytes"
	"context"
	"image"
	pngenc "image/png"
	"strings"
	"testing"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/audit"
	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/publish"
	"github.com/rounds-health/rounds/internal/social"
	"github.com/rounds-health/rounds/internal/testkit"
)

func TestRelease_OnlyTheOrganizationsComplianceOfficerWithAJustification(t *testing.T) {
	srv := testkit.Start(t)
	ctx := context.Background()
	pub := publish.NewService(publish.Deps{DB: srv.DB, IDs: srv.IDs, Accounts: srv.Accounts, Social: srv.Social, Media: srv.Media,
		Audit: srv.Audit, Guard: &phoneGuard{}, Officers: srv.Compliance})
	clinic := testkit.Organization(t, srv, "hv", "Harbor View Clinic")
	other := testkit.Organization(t, srv, "ov", "Other Valley Clinic")
	doc, profile := testkit.Clinician(t, srv, testkit.ClinicianSpec{Username: "dr_held", First: "Ada", Last: "Held",
		Specialties: []string{"207R00000X"}, City: "Boston", State: "MA", Zip: "02114", NPIStem: 4242})
	clinic.Affiliate(t, srv, doc, profile)
	stranger := testkit.NewPerson(t, srv.Accounts, "dr_stranger", account.Clinician)
	as := func(p *testkit.Person) account.Actor { return account.Actor{User: p.User, Via: "test"} }
	draft := social.NewStatus{Text: "New hotline 555-0100 for our cardiac rehab group"}

	// Not blocked: nothing to hold.
	if _, err := pub.RequestRelease(ctx, as(doc), social.NewStatus{Text: "Flu shots today"}, clinic.ID, ""); errs.FieldMessage(err, "status") == "" {
		t.Fatalf("holding an unblocked draft = %v; want a status field error", err)
	}
	// Only to an organization the author speaks for.
	if _, err := pub.RequestRelease(ctx, as(doc), draft, other.ID, ""); errs.FieldMessage(err, "org_id") == "" {
		t.Fatalf("holding for someone else's organization = %v; want an org_id field error", err)
	}
	h, err := pub.RequestRelease(ctx, as(doc), draft, clinic.ID, "This is the clinic's new public hotline.")
	if err != nil {
		t.Fatal(err)
	}
	if h.State != publish.Held || len(h.Findings) != 1 || h.Findings[0].Field != "status" {
		t.Fatalf("hold = %+v", h)
	}
	_, review, err := pub.Holds(ctx, as(clinic.Officer))
	if err != nil || len(review) != 1 || review[0].ID != h.ID || review[0].Draft.Text != draft.Text {
		t.Fatalf("officer's queue = %+v, %v", review, err)
	}
	if _, review, _ := pub.Holds(ctx, as(other.Officer)); len(review) != 0 {
		t.Fatalf("another organization's officer sees %d held drafts", len(review))
	}

	refusals := []struct {
		name   string
		who    *testkit.Person
		reason string
		want   errs.Kind
	}{
		{"the author", doc, "I am sure it is fine to publish", errs.KindForbidden},
		{"the owner, not an officer", clinic.Owner, "The owner says this is fine", errs.KindNotFound},
		{"another organization's officer", other.Officer, "Looks fine to me from here", errs.KindNotFound},
		{"a stranger", stranger, "Looks fine to me from here", errs.KindNotFound},
		{"no justification", clinic.Officer, "ok", errs.KindInvalid},
	}
	for _, r := range refusals {
		if _, err := pub.Release(ctx, as(r.who), h.ID, r.reason); errs.As(err) == nil || errs.As(err).Kind != r.want {
			t.Errorf("release by %s = %v; want kind %v", r.name, err, r.want)
		}
	}
	if list, _ := srv.Social.Account(ctx, social.Viewer{}, doc.User.ID, social.Page{}, social.AccountOptions{}); len(list) != 0 {
		t.Fatal("a refused release published the draft")
	}

	res, err := pub.Release(ctx, as(clinic.Officer), h.ID, "Public hotline number of the clinic, approved by compliance.")
	if err != nil {
		t.Fatal(err)
	}
	if res.Status.AccountID != doc.User.ID || res.Status.Source != draft.Text {
		t.Fatalf("released status = %+v", res.Status)
	}
	if _, err := pub.Release(ctx, as(clinic.Officer), h.ID, "Releasing it a second time for good measure"); errs.As(err) == nil ||
		errs.As(err).Kind != errs.KindConflict {
		t.Fatalf("a second release = %v; want a conflict", err)
	}
	mine, _, _ := pub.Holds(ctx, as(doc))
	if len(mine) != 1 || mine[0].State != publish.Released || mine[0].StatusID != res.Status.ID {
		t.Fatalf("author's view of the hold = %+v", mine)
	}

	recs, _ := srv.Audit.List(ctx, audit.Filter{Action: "publish.released"})
	if len(recs) != 1 || recs[0].Actor != "hv_officer" || recs[0].OnBehalfOf != "org:"+clinic.Slug ||
		!strings.Contains(recs[0].Detail, "sha256:") || strings.Contains(recs[0].Detail, "555-0100") {
		t.Fatalf("audit of the release = %+v", recs)
	}
	denied, _ := srv.Audit.List(ctx, audit.Filter{Action: "publish.release", Outcome: audit.Denied})
	if len(denied) != 4 {
		t.Fatalf("%d refused releases audited; want 4", len(denied))
	}
}

func TestDeclineAndWithdraw_KeepTheDraftUnpublished(t *testing.T) {
	srv := testkit.Start(t)
	ctx := context.Background()
	pub := publish.NewService(publish.Deps{DB: srv.DB, IDs: srv.IDs, Accounts: srv.Accounts, Social: srv.Social, Media: srv.Media,
		Audit: srv.Audit, Guard: &phoneGuard{}, Officers: srv.Compliance})
	clinic := testkit.Organization(t, srv, "dw", "Dune West Clinic")
	writer := testkit.NewPerson(t, srv.Accounts, "dw_writer", account.Staff)
	clinic.AddStaff(t, srv, writer, "social_media")
	as := func(p *testkit.Person) account.Actor { return account.Actor{User: p.User, Via: "test"} }
	draft := social.NewStatus{Text: "Call 555-0100"}

	h1, err := pub.RequestRelease(ctx, as(writer), draft, clinic.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pub.Decline(ctx, as(clinic.Officer), h1.ID, "Use the main number on our page instead"); err != nil {
		t.Fatal(err)
	}
	h2, err := pub.RequestRelease(ctx, as(writer), draft, clinic.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := pub.Withdraw(ctx, as(clinic.Officer), h2.ID); errs.As(err) == nil || errs.As(err).Kind != errs.KindNotFound {
		t.Fatalf("withdrawing someone else's draft = %v; want not found", err)
	}
	if err := pub.Withdraw(ctx, as(writer), h2.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := pub.Release(ctx, as(clinic.Officer), h2.ID, "Changed my mind about the number, release"); errs.As(err) == nil ||
		errs.As(err).Kind != errs.KindConflict {
		t.Fatalf("releasing a withdrawn draft = %v; want a conflict", err)
	}
	mine, _, _ := pub.Holds(ctx, as(writer))
	if len(mine) != 2 || mine[0].State != publish.Withdrawn || mine[1].State != publish.Declined ||
		mine[1].Justification != "Use the main number on our page instead" {
		t.Fatalf("writer's holds = %+v", mine)
	}
	if list, _ := srv.Social.Account(ctx, social.Viewer{}, writer.User.ID, social.Page{}, social.AccountOptions{}); len(list) != 0 {
		t.Fatal("a declined or withdrawn draft was published")
	}
}

// An image description changed after the draft was held is not released
// unchecked: images stay their author's until attached.
func TestRelease_RefusesADraftWhoseImageDescriptionChangedSinceItWasHeld(t *testing.T) {
	srv := testkit.Start(t)
	ctx := context.Background()
	pub := publish.NewService(publish.Deps{DB: srv.DB, IDs: srv.IDs, Accounts: srv.Accounts, Social: srv.Social, Media: srv.Media,
		Audit: srv.Audit, Guard: &phoneGuard{}, Officers: srv.Compliance})
	clinic := testkit.Organization(t, srv, "im", "Ironmill Clinic")
	writer := testkit.NewPerson(t, srv.Accounts, "im_writer", account.Staff)
	clinic.AddStaff(t, srv, writer, "social_media")
	var png bytes.Buffer
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	if err := pngenc.Encode(&png, img); err != nil {
		t.Fatal(err)
	}
	a, err := srv.Media.Upload(ctx, writer.User, &png, "Our new waiting room")
	if err != nil {
		t.Fatal(err)
	}
	draft := social.NewStatus{Text: "Hotline 555-0100", MediaIDs: []int64{a.ID}}
	h, err := pub.RequestRelease(ctx, account.Actor{User: writer.User}, draft, clinic.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Media.Describe(ctx, writer.User, a.ID, "Call 555-0100 for the patient in bed 4"); err != nil {
		t.Fatal(err)
	}
	_, err = pub.Release(ctx, account.Actor{User: clinic.Officer.User}, h.ID, "The hotline number is published on our site.")
	if e := errs.As(err); e == nil || e.Kind != errs.KindConflict {
		t.Fatalf("release after the description changed = %v; want a conflict", err)
	}
}
