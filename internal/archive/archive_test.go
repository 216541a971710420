package archive_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/audit"
	"github.com/rounds-health/rounds/internal/directory"
	"github.com/rounds-health/rounds/internal/drafts"
	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/social"
	"github.com/rounds-health/rounds/internal/testkit"
)

func as(p *testkit.Person) account.Actor { return account.Actor{User: p.User, Via: "test"} }

// The archive keeps what the workflow and the timeline no longer show:
// the blocked first version, the approvals an edit voided, and the post
// after its clinician deleted it.
func TestExport_KeepsEveryVersionDecisionAndDeletedPost(t *testing.T) {
	srv := testkit.Start(t)
	ctx := context.Background()
	org := testkit.Organization(t, srv, "arch", "Archway Clinic")
	writer := testkit.NewPerson(t, srv.Accounts, "Sam_Lee", account.Staff)
	org.AddStaff(t, srv, writer, directory.SocialMedia)
	doc, profile := testkit.Clinician(t, srv, testkit.ClinicianSpec{Username: "dr_quill", First: "Ada", Last: "Quill",
		Specialties: []string{"207Q00000X"}, City: "Boston", State: "MA", Zip: "02114", NPIStem: 7301})
	org.Affiliate(t, srv, doc, profile)

	d, err := srv.Drafts.Create(ctx, as(writer), drafts.NewDraft{OrgID: org.ID, For: "dr_quill",
		Content: drafts.Content{Text: "Our nurse line is 617-555-0177."}})
	if err != nil {
		t.Fatal(err)
	}
	step := func(p *testkit.Person, kind drafts.Kind, version int) {
		t.Helper()
		if d, err = srv.Drafts.Decide(ctx, as(p), d.ID, drafts.DecisionInput{Kind: kind, Version: version, Body: "ok"}); err != nil {
			t.Fatalf("%s: %v", kind, err)
		}
	}
	if d, err = srv.Drafts.Edit(ctx, as(writer), d.ID, 1, drafts.Content{Text: "Our nurse line is open every night."}); err != nil {
		t.Fatal(err)
	}
	step(doc, drafts.Approve, 2)
	if d, err = srv.Drafts.Edit(ctx, as(writer), d.ID, 2, drafts.Content{Text: "Our nurse line is open every night of the week."}); err != nil {
		t.Fatal(err)
	}
	step(doc, drafts.Approve, 3)
	step(org.Officer, drafts.Approve, 3)
	if d, err = srv.Drafts.PublishNow(ctx, as(writer), d.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Social.DeleteStatus(ctx, doc.User, d.StatusID); err != nil {
		t.Fatal(err)
	}

	if _, err := srv.Archive.Export(ctx, as(writer), org.ID); !errs.Is(err, errs.KindForbidden) {
		t.Fatalf("a social-media specialist exported the archive: %v", err)
	}
	exp, err := srv.Archive.Export(ctx, as(org.Officer), org.ID)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := exp.WriteTo(ctx, &buf); err != nil {
		t.Fatal(err)
	}
	var lines []map[string]any
	for _, raw := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(raw), &m); err != nil {
			t.Fatalf("not a JSON line: %q", raw)
		}
		lines = append(lines, m)
	}
	count := map[string]int{}
	for _, l := range lines {
		count[l["type"].(string)]++
	}
	want := map[string]int{"archive": 1, "draft": 1, "version": 3, "decision": 3, "publication": 1, "status": 1, "end": 1}
	for typ, n := range want {
		if count[typ] != n {
			t.Errorf("%d %q line(s); want %d (all: %v)", count[typ], typ, n, count)
		}
	}
	if first, last := lines[0], lines[len(lines)-1]; first["type"] != "archive" || last["type"] != "end" || last["records"] != float64(len(lines)-1) {
		t.Fatalf("header %v, trailer %v", first, last)
	}
	for _, l := range lines {
		switch {
		case l["type"] == "version" && l["version"] == float64(1) && l["blocking"] == float64(0):
			t.Errorf("the blocked first version lost its findings: %v", l)
		case l["type"] == "decision" && l["version"] == float64(2) && l["voided_at"] == nil:
			t.Errorf("the approval an edit voided is not marked: %v", l)
		case l["type"] == "status" && (l["deleted_at"] == nil || !strings.Contains(l["text"].(string), "every night of the week")):
			t.Errorf("the deleted post is not kept as it was: %v", l)
		}
	}
	if _, err := srv.Social.Status(ctx, social.Viewer{ID: doc.User.ID}, d.StatusID); !errs.Is(err, errs.KindNotFound) {
		t.Fatalf("the deleted post is still readable: %v", err)
	}
	recs, _ := srv.Audit.List(ctx, audit.Filter{Action: "archive.export"})
	if len(recs) != 2 || recs[0].Outcome != audit.Success || recs[1].Outcome != audit.Denied || recs[0].OnBehalfOf != "org:"+org.Slug {
		t.Fatalf("exports audited as %+v", recs)
	}
}
