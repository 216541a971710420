package archive_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/directory"
	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/social"
	"github.com/rounds-health/rounds/internal/testkit"
)

// A clinician's own posts are the organization's record too: the export
// has them, deleted and edited ones included; a retention purge removes
// deleted ones for good, except while a legal hold is in force.
func TestLegalHold_KeepsThePurgeAwayFromTheOrganizationsRecord(t *testing.T) {
	srv := testkit.Start(t)
	ctx := context.Background()
	held := testkit.Organization(t, srv, "lh", "Lakehold Clinic")
	free := testkit.Organization(t, srv, "fr", "Freeport Clinic")
	docA, pa := testkit.Clinician(t, srv, testkit.ClinicianSpec{Username: "dr_held_a", First: "Amal", Last: "Held",
		Specialties: []string{"207Q00000X"}, City: "Boston", State: "MA", Zip: "02114", NPIStem: 8801})
	held.Affiliate(t, srv, docA, pa)
	docB, pb := testkit.Clinician(t, srv, testkit.ClinicianSpec{Username: "dr_free_b", First: "Bo", Last: "Free",
		Specialties: []string{"207Q00000X"}, City: "Boston", State: "MA", Zip: "02114", NPIStem: 8802})
	free.Affiliate(t, srv, docB, pb)
	post := func(p *testkit.Person, text string) *social.Status {
		st, err := srv.Social.CreateStatus(ctx, p.User, social.NewStatus{Text: text})
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	a := post(docA, "Flu clinic this week, first version")
	if _, err := srv.Social.EditStatus(ctx, docA.User, a.ID, social.NewStatus{Text: "Flu clinic this week, all day"}); err != nil {
		t.Fatal(err)
	}
	b := post(docB, "Walk-in hours extended")
	for _, st := range []*social.Status{a, b} {
		author := docA
		if st == b {
			author = docB
		}
		if _, err := srv.Social.DeleteStatus(ctx, author.User, st.ID); err != nil {
			t.Fatal(err)
		}
	}

	writer := testkit.NewPerson(t, srv.Accounts, "lh_writer", account.Staff)
	held.AddStaff(t, srv, writer, directory.SocialMedia)
	if _, err := srv.Archive.PlaceHold(ctx, as(writer), held.ID, "Subpoena 24-118, preserve all posts"); !errs.Is(err, errs.KindForbidden) {
		t.Fatalf("a specialist placed a legal hold: %v", err)
	}
	if _, err := srv.Archive.PlaceHold(ctx, as(held.Officer), held.ID, "short"); errs.FieldMessage(err, "reason") == "" {
		t.Fatalf("a hold without a reason: %v", err)
	}
	h, err := srv.Archive.PlaceHold(ctx, as(held.Officer), held.ID, "Subpoena 24-118, preserve all posts")
	if err != nil {
		t.Fatal(err)
	}

	purged, kept, err := srv.Archive.PurgeDeleted(ctx, time.Now().Add(time.Minute))
	if err != nil || purged != 1 || kept != 1 {
		t.Fatalf("purge: %d purged, %d kept, %v; want the free clinic's post gone and the held one kept", purged, kept, err)
	}
	exp, err := srv.Archive.Export(ctx, as(held.Officer), held.ID)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := exp.WriteTo(ctx, &buf); err != nil {
		t.Fatal(err)
	}
	var types []string
	var sawDeleted, sawEarlier bool
	for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("not JSON: %s", line)
		}
		types = append(types, m["type"].(string))
		if m["type"] == "status" && m["deleted_at"] != nil && strings.Contains(m["text"].(string), "all day") {
			sawDeleted = true
		}
		if m["type"] == "status_edit" && strings.Contains(m["text"].(string), "first version") {
			sawEarlier = true
		}
	}
	if types[0] != "archive" || types[1] != "legal_hold" || types[len(types)-1] != "end" || !sawDeleted || !sawEarlier {
		t.Fatalf("export lines %v (deleted post %t, earlier version %t)", types, sawDeleted, sawEarlier)
	}
	if err := srv.Archive.LiftHold(ctx, as(held.Officer), held.ID, h.ID, "Matter closed on appeal"); err != nil {
		t.Fatal(err)
	}
	if purged, _, err := srv.Archive.PurgeDeleted(ctx, time.Now().Add(time.Minute)); err != nil || purged != 1 {
		t.Fatalf("after the hold was lifted: %d purged, %v", purged, err)
	}
	if err := srv.Archive.LiftHold(ctx, as(held.Officer), held.ID, h.ID, "Lifting it a second time"); !errs.Is(err, errs.KindNotFound) {
		t.Fatalf("lifting a lifted hold: %v", err)
	}
}

// Leaving the organization does not expose one's record to a purge while a
// hold placed before is in force; the export holds publications made for
// the organization, not direct messages nor what was written before joining.
func TestLegalHold_CoversWhoLeftAndTheExportOnlyHoldsTheOrganizationsPublications(t *testing.T) {
	srv := testkit.Start(t)
	ctx := context.Background()
	org := testkit.Organization(t, srv, "lv", "Leaveton Clinic")
	doc, profile := testkit.Clinician(t, srv, testkit.ClinicianSpec{Username: "dr_leaver", First: "Lea", Last: "Ver",
		Specialties: []string{"207Q00000X"}, City: "Boston", State: "MA", Zip: "02114", NPIStem: 8803})
	before, err := srv.Social.CreateStatus(ctx, doc.User, social.NewStatus{Text: "Written before joining Leaveton"})
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(5 * time.Millisecond)
	org.Affiliate(t, srv, doc, profile)
	time.Sleep(5 * time.Millisecond)
	dm, err := srv.Social.CreateStatus(ctx, doc.User, social.NewStatus{Text: "@" + org.Officer.User.Username + " a private word", Visibility: social.Direct})
	if err != nil {
		t.Fatal(err)
	}
	post, err := srv.Social.CreateStatus(ctx, doc.User, social.NewStatus{Text: "Published for Leaveton"})
	if err != nil {
		t.Fatal(err)
	}
	exp, err := srv.Archive.Export(ctx, as(org.Officer), org.ID)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := exp.WriteTo(ctx, &buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.Contains(out, `"status_id":"`+strconv.FormatInt(post.ID, 10)+`"`) || strings.Contains(out, "a private word") ||
		strings.Contains(out, "before joining") {
		t.Fatalf("the export (want the post only; no direct message %d, nothing from before joining %d):\n%s", dm.ID, before.ID, out)
	}

	if _, err := srv.Archive.PlaceHold(ctx, as(org.Officer), org.ID, "Litigation hold, matter 31-07"); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Social.DeleteStatus(ctx, doc.User, post.ID); err != nil {
		t.Fatal(err)
	}
	if err := srv.Directory.EndAffiliation(ctx, as(org.Owner), org.Slug, profile.ID); err != nil {
		t.Fatal(err)
	}
	if purged, kept, err := srv.Archive.PurgeDeleted(ctx, time.Now().Add(time.Minute)); err != nil || purged != 0 || kept != 1 {
		t.Fatalf("purge after the clinician left: %d purged, %d kept, %v; want the post kept", purged, kept, err)
	}
}
