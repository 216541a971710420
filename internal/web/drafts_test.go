package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/directory"
	"github.com/rounds-health/rounds/internal/drafts"
	"github.com/rounds-health/rounds/internal/testkit"
)

// Words of the drafts: one that names a patient, and clean ones.
const (
	namesPatient = "So glad Maria Gonzalez is walking again after her knee replacement!"
	cleanDraft   = "So glad to see patients walking again after knee replacement. Movement is medicine!"
	cleanerDraft = "So glad to see our patients walking again after knee replacement. Movement is medicine!"
)

// draftRig is Hillside Family Clinic with its owner and compliance officer,
// a social-media specialist (Sam Lee) and an affiliated physician (Dr. Ada
// Quill), each signed in with a client of their own.
type draftRig struct {
	srv                   *testkit.Server
	org                   *testkit.Org
	writer, doc           *testkit.Person
	wc, dc, oc, owner, pc *http.Client // writer, doctor, officer, owner, a patient
}

func newDraftRig(t *testing.T) *draftRig {
	t.Helper()
	srv, org, writer, doc := newClinicWithWriter(t)
	pat := testkit.NewPerson(t, srv.Accounts, "pat_outside", account.Patient)
	r := &draftRig{srv: srv, org: org, writer: writer, doc: doc,
		wc: srv.Client(), dc: srv.Client(), oc: srv.Client(), owner: srv.Client(), pc: srv.Client()}
	srv.SignIn(t, r.wc, writer)
	srv.SignIn(t, r.dc, doc)
	srv.SignIn(t, r.oc, org.Officer)
	srv.SignIn(t, r.owner, org.Owner)
	srv.SignIn(t, r.pc, pat)
	return r
}

// newClinicWithWriter starts a server with Hillside Family Clinic, its
// social-media specialist Sam Lee and its physician Dr. Ada Quill.
func newClinicWithWriter(t *testing.T) (*testkit.Server, *testkit.Org, *testkit.Person, *testkit.Person) {
	t.Helper()
	srv := testkit.Start(t)
	org := testkit.Organization(t, srv, "hill", "Hillside Family Clinic")
	writer := testkit.NewPerson(t, srv.Accounts, "Sam_Lee", account.Staff)
	org.AddStaff(t, srv, writer, directory.SocialMedia)
	doc, profile := testkit.Clinician(t, srv, testkit.ClinicianSpec{Username: "dr_quill", First: "Ada", Last: "Quill",
		Specialties: []string{"207Q00000X"}, City: "Boston", State: "MA", Zip: "02114", NPIStem: 7101})
	org.Affiliate(t, srv, doc, profile)
	return srv, org, writer, doc
}

// draft starts a draft for the clinician through the service.
func (r *draftRig) draft(t *testing.T, text string) *drafts.Draft {
	t.Helper()
	d, err := r.srv.Drafts.Create(context.Background(), account.Actor{User: r.writer.User, Via: "test"},
		drafts.NewDraft{OrgID: r.org.ID, For: r.doc.User.Username, Content: drafts.Content{Text: text}})
	if err != nil {
		t.Fatalf("create draft: %v", err)
	}
	return d
}

// section returns the part of page from the element with attr to the end
// of its section.
func section(page, attr string) string {
	i := strings.Index(page, attr)
	if i < 0 {
		return ""
	}
	rest := page[i:]
	if j := strings.Index(rest, "</section>"); j >= 0 {
		return rest[:j]
	}
	return rest
}

func draftPath(d *drafts.Draft, rest string) string {
	return "/drafts/" + strconv.FormatInt(d.ID, 10) + rest
}

// The specialist writes a draft in the form; the guard's findings are kept
// with it and marked in place; once they are edited out the clinician finds
// it waiting for them; nobody outside the organization can see it.
func TestDraftPages_NewDraftShowsTheGuardsFindingsAndWaitsForTheClinician(t *testing.T) {
	r := newDraftRig(t)
	_, page := r.srv.Get(t, r.wc, "/drafts/new")
	if !strings.Contains(page, `<option value="dr_quill">Dr. Ada Quill (@dr_quill)</option>`) || !strings.Contains(page, "Hillside Family Clinic") {
		t.Fatalf("the new-draft form does not offer the clinic's clinician:\n%s", page)
	}
	resp, _ := r.srv.PostForm(t, r.wc, "/drafts", url.Values{"org_id": {strconv.FormatInt(r.org.ID, 10)}, "for": {"dr_quill"},
		"status": {namesPatient}, "visibility": {"public"}})
	where := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(where, "/drafts/") {
		t.Fatalf("create: %d %s", resp.StatusCode, where)
	}
	_, page = r.srv.Get(t, r.wc, where)
	if !strings.Contains(page, `data-type="NAME"`) || !strings.Contains(page, "Gonzalez</mark>") {
		t.Fatalf("the draft page does not mark the patient's name:\n%s", page)
	}
	resp, _ = r.srv.PostForm(t, r.wc, where[:strings.Index(where, "?")]+"/edit", url.Values{"base_version": {"1"}, "status": {cleanDraft},
		"visibility": {"public"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("edit: %d", resp.StatusCode)
	}
	_, page = r.srv.Get(t, r.wc, where)
	if current := section(page, `id="guard"`); current == "" || strings.Contains(current, `data-type="NAME"`) || strings.Contains(current, "finding-blocking") {
		t.Fatalf("after the edit the draft page still marks the name, or something blocking:\n%s", page)
	}
	_, page = r.srv.Get(t, r.dc, "/drafts")
	if !strings.Contains(section(page, `id="to-review"`), "So glad to see patients") {
		t.Fatalf("the clinician's drafts page does not list the draft as waiting for them:\n%s", page)
	}
	resp, _ = r.srv.Get(t, r.pc, where)
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("a patient outside the clinic reads the draft: %d", resp.StatusCode)
	}
}

// Every refusal comes back on the draft's page, beside the form that was
// used, with what was typed kept; nothing changes.
func TestDraftPages_RefusalsShowBesideTheFormWithTheInputKept(t *testing.T) {
	r := newDraftRig(t)
	ctx := context.Background()
	blocked := r.draft(t, namesPatient)
	clean := r.draft(t, cleanDraft)
	edited := r.draft(t, cleanDraft)
	if _, err := r.srv.Drafts.Edit(ctx, account.Actor{User: r.writer.User}, edited.ID, 1, drafts.Content{Text: cleanerDraft}); err != nil {
		t.Fatal(err)
	}
	org := strconv.FormatInt(r.org.ID, 10)
	tomorrow := time.Now().Add(24 * time.Hour).UTC().Format("2006-01-02T15:04")
	cases := []struct {
		name   string
		c      *http.Client
		path   string
		form   url.Values
		status int
		want   []string
	}{
		{"the specialist approves their own draft", r.wc, draftPath(clean, "/decisions"),
			url.Values{"decision": {"approve"}, "version": {"1"}}, http.StatusForbidden,
			[]string{`id="decision-err"`, "nobody approves their own words"}},
		{"the clinician approves a version that is no longer current", r.dc, draftPath(edited, "/decisions"),
			url.Values{"decision": {"approve"}, "version": {"1"}, "body": {"Looks right to me"}}, http.StatusConflict,
			[]string{`id="decision-err"`, "you reviewed version 1, and it is at version 2 now", "Looks right to me</textarea>"}},
		{"the clinician approves what the guard blocks", r.dc, draftPath(blocked, "/decisions"),
			url.Values{"decision": {"approve"}, "version": {"1"}}, http.StatusUnprocessableEntity,
			[]string{`id="decision-err"`, "blocking finding"}},
		{"the officer approves before the clinician", r.oc, draftPath(clean, "/decisions"),
			url.Values{"decision": {"approve"}, "version": {"1"}}, http.StatusConflict,
			[]string{`id="decision-err"`, "Steps are approved in order"}},
		{"changes requested without saying which", r.dc, draftPath(clean, "/decisions"),
			url.Values{"decision": {"request_changes"}, "version": {"1"}}, http.StatusUnprocessableEntity,
			[]string{`id="body-err"`, "Say which changes you need"}},
		{"a release with a short justification", r.oc, draftPath(blocked, "/decisions"),
			url.Values{"decision": {"release"}, "version": {"1"}, "justification": {"fine"}}, http.StatusUnprocessableEntity,
			[]string{`id="justification-err"`, "at least 20 characters", "fine</textarea>"}},
		{"scheduling in the past", r.wc, draftPath(clean, "/schedule"),
			url.Values{"publish_at": {"2020-01-02T10:00"}}, http.StatusUnprocessableEntity,
			[]string{`id="publish_at-err"`, "Choose a time in the future", `value="2020-01-02T10:00"`}},
		{"a time that is not a time", r.wc, draftPath(clean, "/schedule"),
			url.Values{"publish_at": {"tomorrow at noon"}}, http.StatusUnprocessableEntity,
			[]string{`id="publish_at-err"`, "like 2031-03-04T14:00"}},
		{"an edit that changes nothing", r.wc, draftPath(clean, "/edit"),
			url.Values{"base_version": {"1"}, "status": {cleanDraft}, "visibility": {"public"}}, http.StatusUnprocessableEntity,
			[]string{`id="status-err"`, "change something first"}},
		{"an edit from an older version", r.wc, draftPath(edited, "/edit"),
			url.Values{"base_version": {"1"}, "status": {"Words typed while someone else saved"}, "visibility": {"public"}}, http.StatusConflict,
			[]string{`id="edit-err"`, "you started from version 1", "Words typed while someone else saved</textarea>"}},
		{"the clinician edits the draft", r.dc, draftPath(clean, "/edit"),
			url.Values{"base_version": {"1"}, "status": {"My own words"}, "visibility": {"public"}}, http.StatusForbidden,
			[]string{`id="form-error"`, "comment or request changes instead"}},
		{"the clinician schedules it", r.dc, draftPath(clean, "/schedule"),
			url.Values{"publish_at": {tomorrow}}, http.StatusForbidden,
			[]string{`id="form-error"`, "Only the owners and social-media specialists of Hillside Family Clinic schedule its drafts"}},
		{"scheduling too far ahead", r.wc, draftPath(clean, "/schedule"),
			url.Values{"publish_at": {"2099-01-02T10:00"}}, http.StatusUnprocessableEntity,
			[]string{`id="publish_at-err"`, "at most a year ahead"}},
		{"a draft for a clinician the clinic did not confirm", r.wc, "/drafts",
			url.Values{"org_id": {org}, "for": {"pat_outside"}, "status": {"Words to keep"}, "visibility": {"public"}}, http.StatusUnprocessableEntity,
			[]string{`id="for-err"`, "is not a clinician confirmed as affiliated", "Words to keep</textarea>"}},
		{"a new draft scheduled in the past", r.wc, "/drafts",
			url.Values{"org_id": {org}, "for": {"dr_quill"}, "status": {cleanerDraft}, "visibility": {"public"}, "publish_at": {"2020-01-02T10:00"}},
			http.StatusUnprocessableEntity,
			[]string{`id="publish_at-err"`, "Choose a time in the future", `value="2020-01-02T10:00"`}}, // refused before anything is saved
		{"a patient outside the clinic comments", r.pc, draftPath(clean, "/decisions"),
			url.Values{"decision": {"comment"}, "body": {"Hello"}}, http.StatusNotFound,
			[]string{"No such draft"}},
		{"two clinician steps", r.owner, "/drafts/steps",
			url.Values{"org": {org}, "approver_1": {"clinician"}, "rule_1": {"any"}, "approver_2": {"clinician"}, "rule_2": {"any"},
				"approver_3": {"compliance"}, "rule_3": {"any"}}, http.StatusUnprocessableEntity,
			[]string{`id="steps-` + org + `-err"`, "exactly one"}},
		{"no compliance step", r.owner, "/drafts/steps",
			url.Values{"org": {org}, "approver_1": {"clinician"}, "rule_1": {"any"}}, http.StatusUnprocessableEntity,
			[]string{`id="steps-` + org + `-err"`, "compliance"}},
		{"the specialist changes the steps", r.wc, "/drafts/steps",
			url.Values{"org": {org}, "approver_1": {"clinician"}, "rule_1": {"any"}}, http.StatusForbidden,
			[]string{"Only an owner or a compliance officer"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := r.srv.PostForm(t, tc.c, tc.path, tc.form)
			if resp.StatusCode != tc.status {
				t.Fatalf("POST %s: %d; want %d\n%s", tc.path, resp.StatusCode, tc.status, body)
			}
			for _, w := range tc.want {
				if !strings.Contains(body, w) {
					t.Errorf("POST %s: the page lacks %q\n%s", tc.path, w, body)
				}
			}
		})
	}
	for _, d := range []*drafts.Draft{blocked, clean} {
		got, err := r.srv.Drafts.Get(ctx, account.Actor{User: r.writer.User}, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Version != 1 || got.State != drafts.InReview || got.Schedule != drafts.NotScheduled || len(got.Decisions) != 0 {
			t.Errorf("after the refusals draft %d is at version %d, %s, %s, with %d decision(s)", d.ID, got.Version, got.State,
				got.Schedule, len(got.Decisions))
		}
	}
	if steps, configured, err := r.srv.Drafts.Steps(ctx, r.org.ID); err != nil || configured || len(steps) != 2 {
		t.Errorf("after the refusals the steps are %v (configured: %v, %v)", steps, configured, err)
	}
}

// A request for changes, voided by the edit that answers it, stays in the
// history marked as voided; the owner's new steps apply at once.
func TestDraftPages_EditVoidsARequestForChangesAndTheHistoryShowsIt(t *testing.T) {
	r := newDraftRig(t)
	d := r.draft(t, cleanDraft)
	resp, _ := r.srv.PostForm(t, r.dc, draftPath(d, "/decisions"), url.Values{"decision": {"request_changes"}, "version": {"1"},
		"body": {"Say 'our patients', please."}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("request changes: %d", resp.StatusCode)
	}
	_, page := r.srv.Get(t, r.wc, "/drafts")
	if !strings.Contains(section(page, `id="to-fix"`), "So glad to see patients") {
		t.Fatalf("the specialist's page does not list the draft as needing attention:\n%s", page)
	}
	resp, _ = r.srv.PostForm(t, r.wc, draftPath(d, "/edit"), url.Values{"base_version": {"1"}, "status": {cleanerDraft}, "visibility": {"public"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("edit: %d", resp.StatusCode)
	}
	_, page = r.srv.Get(t, r.dc, draftPath(d, ""))
	for _, w := range []string{`data-kind="request_changes" data-voided="true"`, "voided by version 2", "Say &#39;our patients&#39;, please.",
		`id="version-1"`, `id="version-2"`, "Approve version 2", `data-state="in_review"`} {
		if !strings.Contains(page, w) {
			t.Errorf("the draft page lacks %q", w)
		}
	}
	if t.Failed() {
		t.Fatalf("page:\n%s", page)
	}
	org := strconv.FormatInt(r.org.ID, 10)
	resp, _ = r.srv.PostForm(t, r.oc, "/drafts/steps", url.Values{"org": {org}, "approver_1": {"compliance"}, "rule_1": {"all"},
		"approver_2": {"clinician"}, "rule_2": {"any"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the officer saves steps: %d", resp.StatusCode)
	}
	_, page = r.srv.Get(t, r.dc, draftPath(d, ""))
	if !strings.Contains(page, "Waiting for step 1 (every compliance officer)") {
		t.Fatalf("the draft does not follow the new steps:\n%s", page)
	}
}
