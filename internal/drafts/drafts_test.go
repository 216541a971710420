package drafts_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/audit"
	"github.com/rounds-health/rounds/internal/directory"
	"github.com/rounds-health/rounds/internal/drafts"
	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/jobs"
	"github.com/rounds-health/rounds/internal/social"
	"github.com/rounds-health/rounds/internal/testkit"
)

// The words of the drafts: one the guard blocks for a clinician (a phone
// number that is not the clinic's), and clean ones.
const (
	withPhone = "Our new after-hours nurse line is 617-555-0177; call it any night."
	clean     = "Our after-hours nurse line is open every night; the number is on our web site."
	cleaner   = "Our after-hours nurse line is open every night of the week; the number is on our web site."
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) set(t time.Time)     { c.mu.Lock(); c.t = t; c.mu.Unlock() }
func (c *clock) add(d time.Duration) { c.set(c.now().Add(d)) }

// rig is a clinic with a social-media specialist (Sam Lee), an affiliated
// physician (Dr. Ada Quill), its owner and compliance officer, on a clock
// two days ahead of the real one so that the server's own job runner never
// reaches the jobs these tests schedule: they run them with RunDue.
type rig struct {
	srv     *testkit.Server
	org     *testkit.Org
	writer  *testkit.Person
	doc     *testkit.Person
	clock   *clock
	t0      time.Time
	queue   *jobs.Queue
	patient *testkit.Person
}

func newRig(t *testing.T) *rig {
	t.Helper()
	srv := testkit.Start(t)
	org := testkit.Organization(t, srv, "hill", "Hillside Family Clinic")
	writer := testkit.NewPerson(t, srv.Accounts, "Sam_Lee", account.Staff)
	org.AddStaff(t, srv, writer, directory.SocialMedia)
	doc, profile := testkit.Clinician(t, srv, testkit.ClinicianSpec{Username: "dr_quill", First: "Ada", Last: "Quill",
		Specialties: []string{"207Q00000X"}, City: "Boston", State: "MA", Zip: "02114", NPIStem: 7101})
	org.Affiliate(t, srv, doc, profile)
	t0 := time.Now().Add(48 * time.Hour).UTC().Truncate(time.Minute)
	c := &clock{t: t0}
	drafts.SetClock(srv.Drafts, c.now)
	return &rig{srv: srv, org: org, writer: writer, doc: doc, clock: c, t0: t0, queue: srv.Jobs.WithClock(c.now),
		patient: testkit.NewPerson(t, srv.Accounts, "pat_reader", account.Patient)}
}

func as(p *testkit.Person) account.Actor { return account.Actor{User: p.User, Via: "test"} }

func (r *rig) draft(t *testing.T, forDoc bool, text string) *drafts.Draft {
	t.Helper()
	in := drafts.NewDraft{OrgID: r.org.ID, Content: drafts.Content{Text: text}}
	if forDoc {
		in.For = r.doc.User.Username
	}
	d, err := r.srv.Drafts.Create(context.Background(), as(r.writer), in)
	if err != nil {
		t.Fatalf("create draft: %v", err)
	}
	return d
}

func (r *rig) decide(t *testing.T, p *testkit.Person, d *drafts.Draft, kind drafts.Kind, version int, body string) (*drafts.Draft, error) {
	t.Helper()
	return r.srv.Drafts.Decide(context.Background(), as(p), d.ID, drafts.DecisionInput{Kind: kind, Version: version, Body: body})
}

func (r *rig) mustDecide(t *testing.T, p *testkit.Person, d *drafts.Draft, kind drafts.Kind, body string) *drafts.Draft {
	t.Helper()
	got, err := r.decide(t, p, d, kind, d.Version, body)
	if err != nil {
		t.Fatalf("%s %s version %d: %v", p.User.Username, kind, d.Version, err)
	}
	return got
}

func (r *rig) get(t *testing.T, d *drafts.Draft) *drafts.Draft {
	t.Helper()
	got, err := r.srv.Drafts.Get(context.Background(), as(r.writer), d.ID)
	if err != nil {
		t.Fatalf("get draft: %v", err)
	}
	return got
}

func (r *rig) schedule(t *testing.T, d *drafts.Draft, at time.Time) *drafts.Draft {
	t.Helper()
	got, err := r.srv.Drafts.Schedule(context.Background(), as(r.writer), d.ID, at)
	if err != nil {
		t.Fatalf("schedule: %v", err)
	}
	return got
}

func (r *rig) runDueAt(t *testing.T, at time.Time) int {
	t.Helper()
	r.clock.set(at)
	n, err := r.queue.RunDue(context.Background())
	if err != nil {
		t.Fatalf("RunDue: %v", err)
	}
	return n
}

func wantKind(t *testing.T, err error, kind errs.Kind, what string) {
	t.Helper()
	if !errs.Is(err, kind) {
		t.Fatalf("%s: got %v; want a %v error", what, err, kind)
	}
}

// The acceptance journey: the specialist drafts for a clinician,
// the guard's findings are stored, the draft is fixed, the clinician and
// then compliance approve, it is scheduled, and at its time it is published
// as the clinician with its attribution.
func TestWorkflow_SpecialistDraftsForClinicianUntilPublishedWithAttribution(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	d := r.draft(t, true, withPhone)
	if d.Current.Blocking == 0 || len(d.Current.Findings) == 0 || d.State != drafts.InReview {
		t.Fatalf("the guard's findings were not stored with version 1: %+v", d.Current)
	}
	if _, err := r.decide(t, r.doc, d, drafts.Approve, 1, ""); !errs.Is(err, errs.KindInvalid) ||
		!strings.Contains(errs.PublicMessage(err), "blocking") {
		t.Fatalf("a version with blocking findings was approvable: %v", err)
	}
	d, err := r.srv.Drafts.Edit(ctx, as(r.writer), d.ID, 1, drafts.Content{Text: clean})
	if err != nil {
		t.Fatal(err)
	}
	if d.Version != 2 || d.Current.Blocking != 0 {
		t.Fatalf("after the fix: version %d, %d blocking", d.Version, d.Current.Blocking)
	}
	_, err = r.decide(t, r.org.Officer, d, drafts.Approve, 2, "")
	wantKind(t, err, errs.KindConflict, "compliance approving before the clinician (steps go in order)")
	d = r.mustDecide(t, r.doc, d, drafts.Approve, "")
	if d.State != drafts.InReview || !d.Progress.Steps[0].Satisfied || d.Progress.Steps[1].Satisfied {
		t.Fatalf("after the clinician's approval: %s %+v", d.State, d.Progress.Steps)
	}
	r.clock.add(10 * time.Minute)
	d = r.mustDecide(t, r.org.Officer, d, drafts.Approve, "")
	if d.State != drafts.Approved || !d.ApprovedAt.Equal(r.t0.Add(10*time.Minute)) {
		t.Fatalf("after compliance: %s approved at %v", d.State, d.ApprovedAt)
	}
	at := r.t0.Add(2 * time.Hour)
	d = r.schedule(t, d, at)
	if d.Schedule != drafts.Scheduled || !d.PublishAt.Equal(at) {
		t.Fatalf("schedule: %s %v", d.Schedule, d.PublishAt)
	}
	if n := r.runDueAt(t, at.Add(-time.Minute)); n != 0 {
		t.Fatalf("published a minute early (%d jobs ran)", n)
	}
	if n := r.runDueAt(t, at); n != 1 {
		t.Fatalf("at its time %d jobs ran; want 1", n)
	}
	d = r.get(t, d)
	if d.State != drafts.Published || d.StatusID == 0 {
		t.Fatalf("at its time: %s, status %d, note %q", d.State, d.StatusID, d.ScheduleNote)
	}
	st, err := r.srv.Social.Status(ctx, social.Viewer{}, d.StatusID)
	if err != nil {
		t.Fatal(err)
	}
	if st.AccountID != r.doc.User.ID || !strings.Contains(st.Source, "nurse line is open") {
		t.Fatalf("published by account %d: %q; want the clinician's post", st.AccountID, st.Source)
	}
	credits, err := r.srv.Drafts.Attributions(ctx, []int64{d.StatusID, 12345})
	if err != nil {
		t.Fatal(err)
	}
	a := credits[d.StatusID]
	if a == nil || len(credits) != 1 {
		t.Fatalf("attributions = %v", credits)
	}
	if a.Text != "Prepared by Sam Lee, approved by Dr. Ada Quill" || a.PreparedBy.ID != r.writer.User.ID ||
		len(a.ApprovedBy) != 1 || a.ApprovedBy[0].ID != r.doc.User.ID || a.OnBehalfOf.Slug != r.org.Slug {
		t.Fatalf("attribution = %+v", a)
	}
	recs, err := r.srv.Audit.List(ctx, audit.Filter{Action: "draft.published"})
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 || recs[0].OnBehalfOf != "org:"+r.org.Slug || strings.Contains(recs[0].Detail, "nurse") {
		t.Fatalf("audit of the publication: %+v", recs)
	}
	if n := r.runDueAt(t, at.Add(time.Hour)); n != 0 {
		t.Fatal("the publication ran twice")
	}
}

// Done when: a change after approval voids the approval.
func TestEdit_AfterApprovalVoidsItAndTheScheduledPostWaits(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	d := r.draft(t, true, clean)
	d = r.mustDecide(t, r.doc, d, drafts.Approve, "")
	d = r.mustDecide(t, r.org.Officer, d, drafts.Approve, "")
	at := r.t0.Add(time.Hour)
	d = r.schedule(t, d, at)
	if d.State != drafts.Approved {
		t.Fatalf("state %s; want approved", d.State)
	}
	d, err := r.srv.Drafts.Edit(ctx, as(r.writer), d.ID, 0, drafts.Content{Text: cleaner})
	if err != nil {
		t.Fatal(err)
	}
	if d.State != drafts.InReview || !d.ApprovedAt.IsZero() || d.Progress.Approved {
		t.Fatalf("after an edit the draft is still approved: %s %v", d.State, d.ApprovedAt)
	}
	voided := 0
	for _, dec := range d.Decisions {
		if dec.Kind == drafts.Approve && dec.Voided() && dec.VoidedByVersion == 2 && dec.Version == 1 {
			voided++
		}
	}
	if voided != 2 {
		t.Fatalf("the two approvals of version 1 are not kept as voided: %+v", d.Decisions)
	}
	if n := r.runDueAt(t, at); n != 1 {
		t.Fatalf("%d jobs ran", n)
	}
	d = r.get(t, d)
	if d.State == drafts.Published || d.StatusID != 0 || d.Schedule != drafts.NeedsNewTime ||
		!strings.Contains(d.ScheduleNote, "not approved") {
		t.Fatalf("an edited, unapproved draft: %s %s %q", d.State, d.Schedule, d.ScheduleNote)
	}
}

// Done when: a late approval does not publish silently.
func TestRunPublishJob_LateApprovalWaitsForANewTime(t *testing.T) {
	tests := []struct {
		name string
		// officerAt is when compliance approves, relative to the time; runAt
		// is when the runner gets to the job.
		officerAt, runAt time.Duration
		note             string
	}{
		{"approval still missing at the time", 2 * time.Hour, 0, "not approved at its time"},
		{"approved after the time, before the runner got there", 5 * time.Minute, 6 * time.Minute, "after its time"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t)
			d := r.draft(t, true, clean)
			d = r.mustDecide(t, r.doc, d, drafts.Approve, "")
			at := r.t0.Add(time.Hour)
			d = r.schedule(t, d, at)
			if tt.officerAt < tt.runAt {
				r.clock.set(at.Add(tt.officerAt))
				d = r.mustDecide(t, r.org.Officer, d, drafts.Approve, "")
			}
			if n := r.runDueAt(t, at.Add(tt.runAt)); n != 1 {
				t.Fatalf("%d jobs ran", n)
			}
			if tt.officerAt > tt.runAt {
				r.clock.set(at.Add(tt.officerAt))
				d = r.mustDecide(t, r.org.Officer, d, drafts.Approve, "")
			}
			d = r.get(t, d)
			if d.State != drafts.Approved || d.StatusID != 0 || d.Schedule != drafts.NeedsNewTime || !strings.Contains(d.ScheduleNote, tt.note) {
				t.Fatalf("late approval: %s, status %d, %s %q", d.State, d.StatusID, d.Schedule, d.ScheduleNote)
			}
			if n := r.runDueAt(t, at.Add(3*time.Hour)); n != 0 {
				t.Fatal("something ran after the missed time")
			}
			fix, _, err := r.srv.Drafts.Attention(context.Background(), as(r.writer))
			if err != nil || len(fix) != 1 || fix[0].ID != d.ID {
				t.Fatalf("the author is not told: %v %v", fix, err)
			}
			recs, _ := r.srv.Audit.List(context.Background(), audit.Filter{Action: "draft.missed"})
			if len(recs) != 1 || recs[0].OnBehalfOf != "org:"+r.org.Slug {
				t.Fatalf("the missed time is not audited: %+v", recs)
			}
			// A new time publishes it.
			next := at.Add(4 * time.Hour)
			r.clock.set(at.Add(3 * time.Hour))
			r.schedule(t, d, next)
			if n := r.runDueAt(t, next); n != 1 || r.get(t, d).State != drafts.Published {
				t.Fatalf("the new time did not publish it")
			}
		})
	}
}

func TestDecide_RefusalsKeepTheDraft(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	d := r.draft(t, true, clean)
	d, err := r.srv.Drafts.Edit(ctx, as(r.writer), d.ID, 1, drafts.Content{Text: cleaner})
	if err != nil {
		t.Fatal(err)
	}
	outsider := testkit.NewPerson(t, r.srv.Accounts, "other_staff", account.Staff)
	tests := []struct {
		name    string
		who     *testkit.Person
		kind    drafts.Kind
		version int
		body    string
		want    errs.Kind
		message string
	}{
		{"approving one's own draft", r.writer, drafts.Approve, 2, "", errs.KindForbidden, "nobody approves their own words"},
		{"approving a version that changed after review", r.doc, drafts.Approve, 1, "", errs.KindConflict, "you reviewed version 1"},
		{"approving without saying which version", r.doc, drafts.Approve, 0, "", errs.KindInvalid, "which version"},
		{"requesting changes without saying which", r.doc, drafts.RequestChanges, 2, "", errs.KindInvalid, "which changes"},
		{"the owner is not an approver", r.org.Owner, drafts.Approve, 2, "", errs.KindForbidden, "not an approver"},
		{"a stranger cannot see it", outsider, drafts.Comment, 0, "Looks good", errs.KindNotFound, "No such draft"},
		{"a patient cannot see it", r.patient, drafts.Approve, 2, "", errs.KindNotFound, "No such draft"},
		{"only compliance releases", r.doc, drafts.Release, 2, "The clinic publishes this number itself.", errs.KindForbidden, "compliance officer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := r.decide(t, tt.who, d, tt.kind, tt.version, tt.body)
			if !errs.Is(err, tt.want) || !strings.Contains(errs.PublicMessage(err), tt.message) {
				t.Fatalf("got %v; want %v containing %q", err, tt.want, tt.message)
			}
			got := r.get(t, d)
			if got.Version != 2 || got.State != drafts.InReview || got.Current.Content.Text != cleaner || len(got.Decisions) != 0 {
				t.Fatalf("the refusal changed the draft: v%d %s %d decision(s)", got.Version, got.State, len(got.Decisions))
			}
		})
	}
	// A specialist who later becomes a compliance officer still cannot
	// approve what they wrote.
	r.org.AddStaff(t, r.srv, r.writer, directory.Compliance)
	r.mustDecide(t, r.doc, d, drafts.Approve, "")
	if _, err := r.decide(t, r.writer, d, drafts.Approve, 2, ""); !errs.Is(err, errs.KindForbidden) {
		t.Fatalf("an author turned officer approved their own draft: %v", err)
	}
	recs, _ := r.srv.Audit.List(ctx, audit.Filter{Action: "draft.approve"})
	denied := 0
	for _, rec := range recs {
		if rec.Outcome == audit.Denied && rec.ActorID == r.writer.User.ID {
			denied++
		}
	}
	if denied != 2 {
		t.Fatalf("refused self-approvals audited %d times; want 2", denied)
	}
}

func TestSchedule_RefusesATimeInThePast(t *testing.T) {
	r := newRig(t)
	d := r.draft(t, true, clean)
	for _, at := range []time.Time{r.t0.Add(-time.Minute), r.t0, {}} {
		_, err := r.srv.Drafts.Schedule(context.Background(), as(r.writer), d.ID, at)
		if !errs.Is(err, errs.KindInvalid) || errs.FieldMessage(err, "publish_at") == "" {
			t.Fatalf("schedule at %v: %v; want an error on publish_at", at, err)
		}
	}
	if got := r.get(t, d); got.Schedule != drafts.NotScheduled || got.Current.Content.Text != clean || got.Version != 1 {
		t.Fatalf("the refusal changed the draft: %s v%d", got.Schedule, got.Version)
	}
	if _, err := r.srv.Drafts.Schedule(context.Background(), as(r.doc), d.ID, r.t0.Add(time.Hour)); !errs.Is(err, errs.KindForbidden) {
		t.Fatalf("the clinician scheduled the specialist's draft: %v", err)
	}
}

func TestApprovalSteps_AnyOrAllComplianceOfficers(t *testing.T) {
	tests := []struct {
		rule          drafts.Rule
		approvedAfter int // officers' approvals needed
	}{{drafts.Any, 1}, {drafts.All, 2}}
	for _, tt := range tests {
		t.Run(string(tt.rule), func(t *testing.T) {
			r := newRig(t)
			ctx := context.Background()
			second := testkit.NewPerson(t, r.srv.Accounts, "hill_officer2", account.Staff)
			r.org.AddStaff(t, r.srv, second, directory.Compliance)
			if err := r.srv.Drafts.SetSteps(ctx, as(r.org.Officer), r.org.ID,
				[]drafts.Step{{Approver: drafts.ByClinician, Rule: drafts.Any}, {Approver: drafts.ByCompliance, Rule: tt.rule}}); err != nil {
				t.Fatal(err)
			}
			d := r.draft(t, true, clean)
			d = r.mustDecide(t, r.doc, d, drafts.Approve, "")
			for i, officer := range []*testkit.Person{r.org.Officer, second}[:tt.approvedAfter] {
				if d.State == drafts.Approved {
					t.Fatalf("approved after %d officer(s); want %d", i, tt.approvedAfter)
				}
				d = r.mustDecide(t, officer, d, drafts.Approve, "")
			}
			if d.State != drafts.Approved {
				t.Fatalf("%s: after %d officer approval(s) the draft is %s (waiting for %s)", tt.rule, tt.approvedAfter, d.State, d.Progress.Waiting())
			}
		})
	}
}

func TestSetSteps_ValidatesAndNeedsOwnerOrCompliance(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	tests := []struct {
		name  string
		who   *testkit.Person
		steps []drafts.Step
		want  errs.Kind
	}{
		{"no clinician step", r.org.Officer, []drafts.Step{{Approver: drafts.ByCompliance, Rule: drafts.Any}}, errs.KindInvalid},
		{"two clinician steps", r.org.Officer, []drafts.Step{{Approver: drafts.ByClinician, Rule: drafts.Any}, {Approver: drafts.ByClinician, Rule: drafts.All}}, errs.KindInvalid},
		{"unknown rule", r.org.Owner, []drafts.Step{{Approver: drafts.ByClinician, Rule: "most"}}, errs.KindInvalid},
		{"none", r.org.Owner, nil, errs.KindInvalid},
		{"no compliance step (the organization's own posts would need nobody)", r.org.Owner, []drafts.Step{{Approver: drafts.ByClinician, Rule: drafts.Any}}, errs.KindInvalid},
		{"a social-media specialist", r.writer, drafts.DefaultSteps, errs.KindForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantKind(t, r.srv.Drafts.SetSteps(ctx, as(tt.who), r.org.ID, tt.steps), tt.want, tt.name)
		})
	}
	steps, configured, err := r.srv.Drafts.Steps(ctx, r.org.ID)
	if err != nil || configured || len(steps) != 2 || steps[0].Approver != drafts.ByClinician {
		t.Fatalf("default steps = %v %v %v", steps, configured, err)
	}
	if err := r.srv.Drafts.SetSteps(ctx, as(r.org.Owner), r.org.ID, []drafts.Step{{Approver: drafts.ByCompliance, Rule: drafts.All},
		{Approver: drafts.ByClinician, Rule: drafts.Any}}); err != nil {
		t.Fatal(err)
	}
	if _, configured, _ := r.srv.Drafts.Steps(ctx, r.org.ID); !configured {
		t.Fatal("the owner's steps were not kept")
	}
}

// A compliance officer may release what the guard blocked (the rule of held
// drafts): the version is then approvable and is published as written.
func TestRelease_LetsAVersionsBlockingFindingsThrough(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	d := r.draft(t, true, withPhone)
	if _, err := r.decide(t, r.org.Officer, d, drafts.Release, 1, "fine"); !errs.Is(err, errs.KindInvalid) {
		t.Fatalf("a release without a real justification: %v", err)
	}
	d = r.mustDecide(t, r.org.Officer, d, drafts.Release, "The nurse line is printed on every discharge leaflet.")
	if !d.Progress.Released || d.Progress.Blocked {
		t.Fatalf("after the release: %+v", d.Progress)
	}
	d = r.mustDecide(t, r.doc, d, drafts.Approve, "")
	d = r.mustDecide(t, r.org.Officer, d, drafts.Approve, "")
	d, err := r.srv.Drafts.PublishNow(ctx, as(r.writer), d.ID)
	if err != nil {
		t.Fatal(err)
	}
	st, err := r.srv.Social.Status(ctx, social.Viewer{}, d.StatusID)
	if err != nil || !strings.Contains(st.Source, "617-555-0177") {
		t.Fatalf("the released version was not published as written: %v %v", st, err)
	}
	recs, _ := r.srv.Audit.List(ctx, audit.Filter{Action: "draft.release"})
	if len(recs) != 1 || !strings.Contains(recs[0].Detail, "sha256:") || strings.Contains(recs[0].Detail, "leaflet") {
		t.Fatalf("the release's audit record: %+v", recs)
	}
}

// An organization's own post skips the clinician step, goes out from the
// specialist's own account, and says for whom.
func TestWorkflow_OrganizationsOwnPost(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	d := r.draft(t, false, clean)
	if d.Progress == nil || d.Progress.Steps[0].Applies {
		t.Fatalf("the clinician step applies to the organization's own post: %+v", d.Progress)
	}
	if _, err := r.srv.Drafts.PublishNow(ctx, as(r.writer), d.ID); !errs.Is(err, errs.KindConflict) {
		t.Fatalf("published before compliance approved: %v", err)
	}
	d = r.mustDecide(t, r.org.Officer, d, drafts.Approve, "")
	d, err := r.srv.Drafts.PublishNow(ctx, as(r.writer), d.ID)
	if err != nil {
		t.Fatal(err)
	}
	credits, _ := r.srv.Drafts.Attributions(ctx, []int64{d.StatusID})
	a := credits[d.StatusID]
	if a == nil || a.Text != "Prepared by Sam Lee for Hillside Family Clinic, approved by its compliance review" || len(a.ApprovedBy) != 0 {
		t.Fatalf("attribution = %+v", a)
	}
	st, _ := r.srv.Social.Status(ctx, social.Viewer{}, d.StatusID)
	if st.AccountID != r.writer.User.ID {
		t.Fatalf("the organization's post is by account %d; want the specialist's", st.AccountID)
	}
}

func TestCreate_OnlyEditorsAndOnlyForConfirmedClinicians(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	stranger, _ := testkit.Clinician(t, r.srv, testkit.ClinicianSpec{Username: "dr_other", First: "Otto", Last: "Other",
		Specialties: []string{"207Q00000X"}, City: "Boston", State: "MA", Zip: "02114", NPIStem: 7102})
	tests := []struct {
		name string
		who  *testkit.Person
		for_ string
		text string
		want errs.Kind
	}{
		{"a compliance officer does not draft", r.org.Officer, "", clean, errs.KindForbidden},
		{"the clinician does not draft", r.doc, "", clean, errs.KindForbidden},
		{"not an affiliated clinician", r.writer, stranger.User.Username, clean, errs.KindInvalid},
		{"no such account", r.writer, "nobody_here", clean, errs.KindInvalid},
		{"empty", r.writer, "", "   ", errs.KindInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := r.srv.Drafts.Create(ctx, as(tt.who), drafts.NewDraft{OrgID: r.org.ID, For: tt.for_, Content: drafts.Content{Text: tt.text}})
			wantKind(t, err, tt.want, tt.name)
		})
	}
	if list, err := r.srv.Drafts.List(ctx, as(r.writer), drafts.Filter{}); err != nil || len(list) != 0 {
		t.Fatalf("refused drafts were stored: %v %v", list, err)
	}
}

func TestReject_IsFinalAndCancelsTheSchedule(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	d := r.draft(t, true, clean)
	d = r.schedule(t, d, r.t0.Add(time.Hour))
	d = r.mustDecide(t, r.doc, d, drafts.Reject, "I do not run a nurse line.")
	if d.State != drafts.Rejected || d.Schedule != drafts.NotScheduled {
		t.Fatalf("after rejection: %s %s", d.State, d.Schedule)
	}
	if _, err := r.srv.Drafts.Edit(ctx, as(r.writer), d.ID, 0, drafts.Content{Text: cleaner}); !errs.Is(err, errs.KindConflict) {
		t.Fatalf("a rejected draft was edited: %v", err)
	}
	if n := r.runDueAt(t, r.t0.Add(time.Hour)); n != 0 {
		t.Fatalf("the cancelled publication ran (%d)", n)
	}
	// The clinician sees it in their list; the patient sees nothing.
	if list, _ := r.srv.Drafts.List(ctx, as(r.doc), drafts.Filter{}); len(list) != 1 {
		t.Fatalf("the clinician's list: %v", list)
	}
	if list, _ := r.srv.Drafts.List(ctx, as(r.patient), drafts.Filter{}); len(list) != 0 {
		t.Fatalf("a patient lists drafts: %v", list)
	}
}

func TestVersions_KeepEveryVersionWithItsFindings(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	d := r.draft(t, true, withPhone)
	if _, err := r.srv.Drafts.Edit(ctx, as(r.writer), d.ID, 1, drafts.Content{Text: withPhone}); !errs.Is(err, errs.KindInvalid) {
		t.Fatalf("an edit that changes nothing: %v", err)
	}
	if _, err := r.srv.Drafts.Edit(ctx, as(r.writer), d.ID, 1, drafts.Content{Text: clean}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.srv.Drafts.Edit(ctx, as(r.writer), d.ID, 1, drafts.Content{Text: cleaner}); !errs.Is(err, errs.KindConflict) {
		t.Fatalf("an edit of an old version overwrote the newer: %v", err)
	}
	vs, err := r.srv.Drafts.Versions(ctx, as(r.org.Officer), d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 2 || vs[0].Blocking == 0 || vs[1].Blocking != 0 || vs[0].Content.Text != withPhone {
		t.Fatalf("versions = %+v", vs)
	}
}

// A clinician whose affiliation ended cannot approve words that would go
// out in their name; the draft stays for the organization to decide.
func TestApprove_RefusedOnceTheClinicianIsNoLongerAffiliated(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	d := r.draft(t, true, clean)
	c, err := r.srv.Directory.AffiliatedClinician(ctx, r.org.ID, r.doc.User.ID)
	if err != nil || c == nil {
		t.Fatalf("affiliated clinician = %v, %v", c, err)
	}
	if err := r.srv.Directory.EndAffiliation(ctx, as(r.org.Owner), r.org.Slug, c.ID); err != nil {
		t.Fatalf("end affiliation: %v", err)
	}
	_, err = r.decide(t, r.doc, d, drafts.Approve, d.Version, "")
	wantKind(t, err, errs.KindForbidden, "approval after the affiliation ended")
	if got := r.get(t, d); got.State != drafts.InReview || got.Version != d.Version {
		t.Fatalf("draft after the refusal = %s version %d; want it in review, unchanged", got.State, got.Version)
	}
	// A comment is still welcome.
	if _, err := r.decide(t, r.doc, d, drafts.Comment, d.Version, "I have left the clinic; please reassign."); err != nil {
		t.Fatalf("comment: %v", err)
	}
}

// Publishing an approved draft that can no longer go out is refused, and
// the refusal is in the audit log (the transaction that tried was rolled
// back, so it is recorded after).
func TestPublishNow_RefusalIsAudited(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	d := r.draft(t, true, clean)
	d = r.mustDecide(t, r.doc, d, drafts.Approve, "")
	d = r.mustDecide(t, r.org.Officer, d, drafts.Approve, "")
	c, err := r.srv.Directory.AffiliatedClinician(ctx, r.org.ID, r.doc.User.ID)
	if err != nil || c == nil {
		t.Fatalf("affiliated clinician = %v, %v", c, err)
	}
	if err := r.srv.Directory.EndAffiliation(ctx, as(r.org.Owner), r.org.Slug, c.ID); err != nil {
		t.Fatalf("end affiliation: %v", err)
	}
	if _, err := r.srv.Drafts.PublishNow(ctx, as(r.writer), d.ID); !errs.Is(err, errs.KindConflict) {
		t.Fatalf("published for a clinician no longer affiliated: %v", err)
	}
	recs, err := r.srv.Audit.List(ctx, audit.Filter{Action: "draft.publish"})
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 || recs[0].Outcome != audit.Denied || recs[0].ActorID != r.writer.User.ID || recs[0].Detail != "not_affiliated" {
		t.Fatalf("audit of the refused publication: %+v", recs)
	}
	if got := r.get(t, d); got.State == drafts.Published {
		t.Fatal("the draft says published")
	}
}
