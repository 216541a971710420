package web

import (
	"context"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/directory"
	"github.com/rounds-health/rounds/internal/drafts"
	"github.com/rounds-health/rounds/internal/publish"
	"github.com/rounds-health/rounds/internal/social"
)

// The publishing workflow's pages (issue 6): drafts an organization's
// social-media staff prepare for it or for one of its clinicians, each
// version with the guard's findings marked in place, the approval steps,
// decisions, scheduling, and the line under a published post saying who
// prepared and who approved it. Every rule is the drafts service's; these
// handlers read forms, call it, and show its answers beside the form that
// was used.

// scheduleLayout is the value of an <input type=datetime-local>. Times are
// read and shown in UTC, as every other time on Rounds.
const scheduleLayout = "2006-01-02T15:04"

// draftView adds what the templates say about a draft.
type draftView struct{ *drafts.Draft }

var stateLabels = map[drafts.State]string{
	drafts.InReview: "In review", drafts.ChangesRequested: "Changes requested", drafts.Approved: "Approved",
	drafts.Published: "Published", drafts.Rejected: "Rejected", drafts.Withdrawn: "Withdrawn",
}

// StateLabel is where the draft stands, in words.
func (d draftView) StateLabel() string { return stateLabels[d.State] }

// ForLabel names whom the post speaks for.
func (d draftView) ForLabel() string {
	if d.For != nil {
		return d.For.Name + " (@" + d.For.Username + ")"
	}
	return d.Org.Name
}

// ScheduleLabel says when the draft is to be published.
func (d draftView) ScheduleLabel() string {
	switch {
	case d.State == drafts.Published:
		return "Published."
	case d.Schedule == drafts.Scheduled:
		return "Scheduled for " + fmtUTC(d.PublishAt) + "."
	case d.Schedule == drafts.NeedsNewTime:
		return "Not published at its time, " + fmtUTC(d.PublishAt) + ": it needs a new time."
	}
	return "Not scheduled."
}

// PublishedAs is the username of the account the post goes out from.
func (d draftView) PublishedAs() string {
	if d.For != nil {
		return d.For.Username
	}
	if d.Current != nil {
		return d.Current.Author.Username
	}
	return d.Author.Username
}

// Excerpt is the start of the current text, for lists.
func (d draftView) Excerpt() string {
	if d.Current == nil {
		return ""
	}
	s := d.Current.Content.Text
	if d.Current.Content.Title != "" {
		s = d.Current.Content.Title
	}
	if utf8.RuneCountInString(s) > 90 {
		s = string([]rune(s)[:90]) + "…"
	}
	return s
}

func fmtUTC(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }

func viewsOf(list []*drafts.Draft) []draftView {
	out := make([]draftView, 0, len(list))
	for _, d := range list {
		out = append(out, draftView{d})
	}
	return out
}

// attributions returns the line under each status published through the
// workflow, by status id, for a page of statuses in one query.
func (ui *UI) attributions(ctx context.Context, ids []int64) (map[int64]string, error) {
	if ui.Drafts == nil {
		return nil, nil
	}
	wanted := make([]int64, 0, len(ids))
	for _, id := range ids {
		if id != 0 {
			wanted = append(wanted, id)
		}
	}
	m, err := ui.Drafts.Attributions(ctx, wanted)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]string, len(m))
	for id, a := range m {
		out[id] = a.Text
	}
	return out, nil
}

// The list.

type draftsListData struct {
	ToReview, ToFix, Mine, Others []draftView
	CanWrite, CanSetSteps         bool
}

var draftNotices = map[string]string{
	"created": "The draft is saved. The guard's findings, if any, are marked below.", "edited": "Saved as a new version; earlier approvals no longer count.",
	"comment": "Comment added.", "approve": "Approved.", "request_changes": "Changes requested.", "reject": "Rejected.",
	"release": "The guard's findings in this version are released.", "scheduled": "Scheduled.", "unscheduled": "No longer scheduled.",
	"published": "Published.", "withdrawn": "Withdrawn.", "steps": "Approval steps saved; drafts under review follow them now.",
}

func (ui *UI) draftsPage(w http.ResponseWriter, r *http.Request) {
	ctx, actor := r.Context(), actorOf(r).actor()
	toFix, toReview, err := ui.Drafts.Attention(ctx, actor)
	if err != nil {
		ui.fail(w, r, err)
		return
	}
	all, err := ui.Drafts.List(ctx, actor, drafts.Filter{})
	if err != nil {
		ui.fail(w, r, err)
		return
	}
	_, roles, err := ui.Directory.MyOrganizations(ctx, actor)
	if err != nil {
		ui.fail(w, r, err)
		return
	}
	d := &draftsListData{ToReview: viewsOf(toReview), ToFix: viewsOf(toFix)}
	for _, role := range roles {
		d.CanWrite = d.CanWrite || role == directory.Owner || role == directory.SocialMedia
		d.CanSetSteps = d.CanSetSteps || role == directory.Owner || role == directory.Compliance
	}
	listed := map[int64]bool{}
	for _, x := range append(toFix, toReview...) {
		listed[x.ID] = true
	}
	for _, x := range all {
		switch {
		case x.Author.ID == actor.User.ID:
			d.Mine = append(d.Mine, draftView{x})
		case !listed[x.ID]:
			d.Others = append(d.Others, draftView{x})
		}
	}
	ui.render(w, r, http.StatusOK, "drafts", &page{Title: "Drafts", Data: d, Notice: draftNotices[r.URL.Query().Get("done")]})
}

// A new draft.

type draftNewData struct {
	Orgs         []draftOrg
	Visibilities []social.Visibility
	Now          string
}

// draftOrg is an organization the user prepares posts for, with the
// clinicians whose affiliation it confirmed.
type draftOrg struct {
	ID         int64
	Name       string
	Clinicians []draftClinician
}

type draftClinician struct{ Username, Name string }

// publicVisibilities are those a draft may have: a direct message is not a publication.
var publicVisibilities = []social.Visibility{social.Public, social.Unlisted, social.Members, social.Private}

func (ui *UI) newDraftForm(w http.ResponseWriter, r *http.Request) {
	f := &form{values: map[string]string{"visibility": string(social.Public), "org_id": r.URL.Query().Get("org")}, errors: map[string]string{}}
	ui.newDraftPage(w, r, http.StatusOK, f)
}

func (ui *UI) newDraftPage(w http.ResponseWriter, r *http.Request, status int, f *form) {
	orgs, err := ui.writableOrgs(r)
	if err != nil {
		ui.fail(w, r, err)
		return
	}
	ui.render(w, r, status, "draft_new", &page{Title: "New draft", Form: f,
		Data: draftNewData{Orgs: orgs, Visibilities: publicVisibilities, Now: time.Now().UTC().Format("15:04")}})
}

// writableOrgs lists the organizations the user prepares posts for (owner
// or social-media specialist), each with its confirmed clinicians.
func (ui *UI) writableOrgs(r *http.Request) ([]draftOrg, error) {
	ctx, actor := r.Context(), actorOf(r).actor()
	orgs, roles, err := ui.Directory.MyOrganizations(ctx, actor)
	if err != nil {
		return nil, err
	}
	var out []draftOrg
	for i, o := range orgs {
		if roles[i] != directory.Owner && roles[i] != directory.SocialMedia {
			continue
		}
		affs, err := ui.Directory.OrgAffiliations(ctx, actor, o.Slug)
		if err != nil {
			return nil, err
		}
		do := draftOrg{ID: o.ID, Name: o.Name}
		for _, a := range affs {
			if !a.Confirmed {
				continue
			}
			c, err := ui.Directory.ClinicianByID(ctx, actor, a.ClinicianID)
			if err != nil || c.UserID == 0 {
				continue // not public: the service would refuse it anyway
			}
			u, err := ui.Accounts.UserByID(ctx, c.UserID)
			if err != nil {
				return nil, err
			}
			do.Clinicians = append(do.Clinicians, draftClinician{Username: u.Username, Name: c.DisplayName()})
		}
		out = append(out, do)
	}
	return out, nil
}

var contentFields = []string{"kind", "title", "spoiler_text", "status", "visibility"}

func draftContent(f *form) drafts.Content {
	return drafts.Content{Kind: social.Kind(f.Value("kind")), Title: f.Value("title"), SpoilerText: f.Value("spoiler_text"),
		Text: f.Value("status"), Visibility: social.Visibility(f.Value("visibility"))}
}

// scheduleTime reads a datetime-local value as UTC.
func scheduleTime(v string) (time.Time, string) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, ""
	}
	for _, layout := range []string{scheduleLayout, scheduleLayout + ":05"} {
		if t, err := time.ParseInLocation(layout, v, time.UTC); err == nil {
			return t, ""
		}
	}
	return time.Time{}, "Give the date and time as the field shows them, like 2031-03-04T14:00 (UTC)."
}

// createDraft saves a new draft, and schedules it when a time was given.
func (ui *UI) createDraft(w http.ResponseWriter, r *http.Request) {
	if !ui.parseForm(w, r) {
		return
	}
	f := newForm(r, slices.Concat(contentFields, []string{"org_id", "for", "publish_at"})...)
	at, problem := scheduleTime(f.Value("publish_at"))
	if problem != "" {
		f.errors["publish_at"] = problem
		ui.newDraftPage(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	if !at.IsZero() {
		// Refuse a bad time before saving anything: a saved draft on a
		// re-shown form would be saved again by a reload.
		if err := ui.Drafts.CheckPublishTime(at); err != nil {
			f.fail(err)
			ui.newDraftPage(w, r, http.StatusUnprocessableEntity, f)
			return
		}
	}
	orgID, _ := strconv.ParseInt(f.Value("org_id"), 10, 64)
	ctx, actor := r.Context(), actorOf(r).actor()
	d, err := ui.Drafts.Create(ctx, actor, drafts.NewDraft{OrgID: orgID, For: f.Value("for"), Content: draftContent(f)})
	if err != nil {
		status := failBeside(f, err, "", map[string]string{"org": "org_id"})
		if status >= 500 {
			ui.fail(w, r, err)
			return
		}
		ui.newDraftPage(w, r, status, f)
		return
	}
	if !at.IsZero() {
		if _, err := ui.Drafts.Schedule(ctx, actor, d.ID, at); err != nil {
			sf := &form{values: map[string]string{"publish_at": f.Value("publish_at")}, errors: map[string]string{}}
			ui.draftFailed(w, r, d.ID, sf, err, "publish_at", nil, "The draft is saved, but it is not scheduled.")
			return
		}
	}
	http.Redirect(w, r, "/drafts/"+strconv.FormatInt(d.ID, 10)+"?done=created", http.StatusSeeOther)
}

// One draft.

type draftPageData struct {
	D            draftView
	Guard        *guardView // the current version, findings marked
	Steps        []stepView
	Versions     []versionView // newest first
	Decisions    []decisionView
	Editor       bool // owner or social-media specialist: edits, schedules, publishes, withdraws
	Approver     bool // the clinician it speaks for or a compliance officer, and no author of it
	Officer      bool // a compliance officer who wrote none of it: may release findings
	Visibilities []social.Visibility
	Now          string
	Next         int  // the number an edit gets
	TextMarked   bool // the guard section shows the text, its findings marked
}

type stepView struct {
	drafts.StepProgress
	Label      string
	ApprovedBy string
	WaitingFor string
}

type versionView struct {
	*drafts.Version
	Marked  template.HTML // the text with its findings marked
	Current bool
}

type decisionView struct {
	drafts.Decision
	Label string
}

var decisionLabels = map[drafts.Kind]string{
	drafts.Comment: "commented on", drafts.RequestChanges: "requested changes to", drafts.Approve: "approved",
	drafts.Reject: "rejected", drafts.Release: "released the guard's findings in",
}

func (ui *UI) draft(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	ui.draftPage(w, r, id, http.StatusOK, nil, draftNotices[r.URL.Query().Get("done")])
}

// draftPage shows a draft; f, when given, holds the form that failed, its
// input kept and its errors beside it.
func (ui *UI) draftPage(w http.ResponseWriter, r *http.Request, id int64, status int, f *form, notice string) {
	ctx, actor := r.Context(), actorOf(r).actor()
	d, err := ui.Drafts.Get(ctx, actor, id)
	if err != nil {
		ui.fail(w, r, err)
		return
	}
	vs, err := ui.Drafts.Versions(ctx, actor, id)
	if err != nil {
		ui.fail(w, r, err)
		return
	}
	role, err := ui.Directory.RoleIn(ctx, d.Org.ID, actor.User.ID)
	if err != nil {
		ui.fail(w, r, err)
		return
	}
	data := &draftPageData{D: draftView{d}, Visibilities: publicVisibilities, Now: time.Now().UTC().Format("15:04"),
		Editor: role == directory.Owner || role == directory.SocialMedia, Next: d.Version + 1}
	author := false
	for i := len(vs) - 1; i >= 0; i-- {
		v := vs[i]
		author = author || v.Author.ID == actor.User.ID
		data.Versions = append(data.Versions, versionView{Version: v, Marked: markedText(v), Current: v.Number == d.Version})
	}
	isFor := d.For != nil && d.For.ID == actor.User.ID
	data.Approver = !author && (isFor || role == directory.Compliance)
	data.Officer = !author && role == directory.Compliance
	if d.Current != nil {
		data.Guard = newGuardView(d.Current.Content.Status(), "", d.Current.Findings)
		for _, f := range d.Current.Findings {
			data.TextMarked = data.TextMarked || f.Field == "status"
		}
	}
	if d.Progress != nil {
		data.Steps = stepViews(d.Progress)
	}
	for _, dec := range d.Decisions {
		data.Decisions = append(data.Decisions, decisionView{Decision: dec, Label: decisionLabels[dec.Kind]})
	}
	f = draftForm(d, f)
	data.hoist(f)
	ui.render(w, r, status, "draft", &page{Title: "Draft for " + data.D.ForLabel(), Data: data, Notice: notice, Form: f})
}

// hoist moves the errors of forms this reader is not shown to the top of
// the page, so that no refusal goes unsaid.
func (data *draftPageData) hoist(f *form) {
	d := data.D
	shown := map[string]bool{}
	if data.Editor && d.State.Open() {
		for _, k := range slices.Concat(contentFields, []string{"edit", "publish_at", "actions"}) {
			shown[k] = true
		}
	}
	if d.State.Open() {
		shown["body"], shown["decision"] = true, true
	}
	if data.Officer && d.State.Open() && d.Current != nil && d.Current.Blocking > 0 && d.Progress != nil && !d.Progress.Released {
		shown["justification"], shown["release"] = true, true
	}
	for k, m := range f.errors {
		if !shown[k] {
			delete(f.errors, k)
			if f.Error == "" {
				f.Error = m
			}
		}
	}
}

// draftForm fills the page's forms: what a failed form kept, the current
// version in the edit form, and the version the page shows for decisions
// (the one its reader has just read).
func draftForm(d *drafts.Draft, f *form) *form {
	if f == nil {
		f = &form{values: map[string]string{}, errors: map[string]string{}}
	}
	if _, posted := f.values["status"]; !posted && d.Current != nil {
		c := d.Current.Content
		f.values["kind"], f.values["title"], f.values["spoiler_text"] = string(c.Kind), c.Title, c.SpoilerText
		f.values["status"], f.values["visibility"] = c.Text, string(c.Visibility)
	}
	if _, posted := f.values["publish_at"]; !posted && !d.PublishAt.IsZero() && d.State.Open() {
		f.values["publish_at"] = d.PublishAt.UTC().Format(scheduleLayout)
	}
	v := strconv.Itoa(d.Version)
	f.values["version"], f.values["base_version"] = v, v
	return f
}

func stepViews(p *drafts.Progress) []stepView {
	names := func(ps []drafts.Person) string {
		var out []string
		for _, x := range ps {
			out = append(out, x.Name)
		}
		return strings.Join(out, ", ")
	}
	var out []stepView
	for _, sp := range p.Steps {
		label := "The clinician it speaks for"
		if sp.Step.Approver == drafts.ByCompliance {
			label = map[drafts.Rule]string{drafts.Any: "Any compliance officer", drafts.All: "Every compliance officer"}[sp.Step.Rule]
		}
		out = append(out, stepView{StepProgress: sp, Label: label, ApprovedBy: names(sp.ApprovedBy), WaitingFor: names(sp.WaitingFor)})
	}
	return out
}

// markedText is a version's text with the guard's findings in it marked,
// for the history (the current version has the full "guard" section).
func markedText(v *drafts.Version) template.HTML {
	var fs []publish.Finding
	for _, f := range v.Findings {
		if f.Field == "status" {
			fs = append(fs, f)
		}
	}
	return markField("", v.Content.Text, fs).Marked
}

// failBeside records err on f and moves what belongs to the form used
// beside it: fields renamed for this page, and an error of no field to
// fallback ("" keeps it at the top of the page).
func failBeside(f *form, err error, fallback string, rename map[string]string) int {
	status := f.fail(err)
	for from, to := range rename {
		if m, ok := f.errors[from]; ok {
			delete(f.errors, from)
			if _, shown := f.errors[to]; !shown {
				f.errors[to] = m
			}
		}
	}
	if fallback != "" && f.Error != "" {
		if _, shown := f.errors[fallback]; !shown {
			f.errors[fallback] = f.Error
		}
		f.Error = ""
	}
	return status
}

// draftFailed shows the draft again with the refusal beside the form that
// was used, or the error page when there is no draft to show.
func (ui *UI) draftFailed(w http.ResponseWriter, r *http.Request, id int64, f *form, err error, fallback string,
	rename map[string]string, notice string) {
	status := failBeside(f, err, fallback, rename)
	if status >= 500 || status == http.StatusNotFound || status == http.StatusUnauthorized {
		ui.fail(w, r, err)
		return
	}
	ui.draftPage(w, r, id, status, f, notice)
}

func draftID(r *http.Request) int64 {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id
}

func toDraft(w http.ResponseWriter, r *http.Request, id int64, done string) {
	http.Redirect(w, r, "/drafts/"+strconv.FormatInt(id, 10)+"?done="+done+"#draft-state", http.StatusSeeOther)
}

// editDraft saves the edit form as the next version.
func (ui *UI) editDraft(w http.ResponseWriter, r *http.Request) {
	if !ui.parseForm(w, r) {
		return
	}
	id := draftID(r)
	f := newForm(r, slices.Concat(contentFields, []string{"base_version"})...)
	base, _ := strconv.Atoi(f.Value("base_version"))
	c := draftContent(f)
	// What the form does not show is carried over from the current version:
	// an edit must not quietly turn a patient story into a plain post.
	if cur, err := ui.Drafts.Get(r.Context(), actorOf(r).actor(), id); err == nil && cur.Current != nil {
		c.AuthorizationID, c.Sensitive, c.Language = cur.Current.Content.AuthorizationID, cur.Current.Content.Sensitive, cur.Current.Content.Language
	}
	if _, err := ui.Drafts.Edit(r.Context(), actorOf(r).actor(), id, base, c); err != nil {
		ui.draftFailed(w, r, id, f, err, "edit", map[string]string{"version": "edit"}, "")
		return
	}
	toDraft(w, r, id, "edited")
}

// decideDraft records a comment, approval, request for changes, rejection
// or release on the version the reader saw.
func (ui *UI) decideDraft(w http.ResponseWriter, r *http.Request) {
	if !ui.parseForm(w, r) {
		return
	}
	id := draftID(r)
	f := newForm(r, "decision", "version", "body", "justification")
	in := drafts.DecisionInput{Kind: drafts.Kind(f.Value("decision")), Body: f.Value("body")}
	in.Version, _ = strconv.Atoi(f.Value("version"))
	fallback, rename := "decision", map[string]string{"version": "decision"}
	if in.Kind == drafts.Release {
		in.Body, fallback = f.Value("justification"), "release"
		rename = map[string]string{"version": "release", "decision": "release", "body": "justification"}
	}
	if _, err := ui.Drafts.Decide(r.Context(), actorOf(r).actor(), id, in); err != nil {
		ui.draftFailed(w, r, id, f, err, fallback, rename, "")
		return
	}
	toDraft(w, r, id, string(in.Kind))
}

// scheduleDraft sets the publication time.
func (ui *UI) scheduleDraft(w http.ResponseWriter, r *http.Request) {
	if !ui.parseForm(w, r) {
		return
	}
	id := draftID(r)
	f := newForm(r, "publish_at")
	at, problem := scheduleTime(f.Value("publish_at"))
	if problem == "" && at.IsZero() {
		problem = "Choose the date and time to publish at (UTC)."
	}
	if problem != "" {
		f.errors["publish_at"] = problem
		ui.draftPage(w, r, id, http.StatusUnprocessableEntity, f, "")
		return
	}
	if _, err := ui.Drafts.Schedule(r.Context(), actorOf(r).actor(), id, at); err != nil {
		ui.draftFailed(w, r, id, f, err, "publish_at", nil, "")
		return
	}
	toDraft(w, r, id, "scheduled")
}

// draftAction runs a bodiless action (unschedule, publish now, withdraw).
func (ui *UI) draftAction(act func(context.Context, account.Actor, int64) (*drafts.Draft, error), done string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !ui.parseForm(w, r) {
			return
		}
		id := draftID(r)
		if _, err := act(r.Context(), actorOf(r).actor(), id); err != nil {
			ui.draftFailed(w, r, id, newForm(r), err, "actions", nil, "")
			return
		}
		toDraft(w, r, id, done)
	}
}

// Approval steps.

type stepsOrg struct {
	O          *directory.Organization
	Configured bool
	Error      string
	Rows       []stepRow
}

type stepRow struct {
	N                   int
	Approver, Rule, Err string
}

func (ui *UI) stepsPage(w http.ResponseWriter, r *http.Request) {
	ui.renderSteps(w, r, http.StatusOK, nil, draftNotices[r.URL.Query().Get("done")])
}

// renderSteps shows the approval steps of the organizations the user may
// configure (owners and compliance officers); f holds a failed form of the
// organization f.values["org"].
func (ui *UI) renderSteps(w http.ResponseWriter, r *http.Request, status int, f *form, notice string) {
	ctx := r.Context()
	orgs, roles, err := ui.Directory.MyOrganizations(ctx, actorOf(r).actor())
	if err != nil {
		ui.fail(w, r, err)
		return
	}
	var out []stepsOrg
	for i, o := range orgs {
		if roles[i] != directory.Owner && roles[i] != directory.Compliance {
			continue
		}
		steps, configured, err := ui.Drafts.Steps(ctx, o.ID)
		if err != nil {
			ui.fail(w, r, err)
			return
		}
		so := stepsOrg{O: o, Configured: configured}
		for n := 1; n <= drafts.MaxSteps; n++ {
			row := stepRow{N: n, Rule: string(drafts.Any)}
			if n <= len(steps) {
				row.Approver, row.Rule = string(steps[n-1].Approver), string(steps[n-1].Rule)
			}
			so.Rows = append(so.Rows, row)
		}
		if f != nil && f.Value("org") == strconv.FormatInt(o.ID, 10) {
			so.fill(f)
		}
		out = append(out, so)
	}
	ui.render(w, r, status, "draft_steps", &page{Title: "Approval steps", Data: out, Notice: notice, Form: f})
}

// fill puts a failed form's choices and errors back in the rows.
func (so *stepsOrg) fill(f *form) {
	used := 0
	for i := range so.Rows {
		row := &so.Rows[i]
		row.Approver, row.Rule = f.Value("approver_"+strconv.Itoa(row.N)), f.Value("rule_"+strconv.Itoa(row.N))
		if row.Approver != "" {
			row.Err = f.Err("steps[" + strconv.Itoa(used) + "]") // the service counts the steps given, not the rows
			used++
		}
	}
	so.Error = f.Err("steps")
	if so.Error == "" {
		so.Error = f.Error
	}
	f.Error = ""
}

func (ui *UI) saveSteps(w http.ResponseWriter, r *http.Request) {
	if !ui.parseForm(w, r) {
		return
	}
	fields := []string{}
	for n := 1; n <= drafts.MaxSteps; n++ {
		fields = append(fields, "approver_"+strconv.Itoa(n), "rule_"+strconv.Itoa(n))
	}
	f := newForm(r, append(fields, "org")...)
	orgID, _ := strconv.ParseInt(f.Value("org"), 10, 64)
	var steps []drafts.Step
	for n := 1; n <= drafts.MaxSteps; n++ {
		if a := f.Value("approver_" + strconv.Itoa(n)); a != "" {
			steps = append(steps, drafts.Step{Approver: drafts.Approver(a), Rule: drafts.Rule(f.Value("rule_" + strconv.Itoa(n)))})
		}
	}
	if err := ui.Drafts.SetSteps(r.Context(), actorOf(r).actor(), orgID, steps); err != nil {
		status := f.fail(err)
		if status >= 500 || status == http.StatusNotFound {
			ui.fail(w, r, err)
			return
		}
		ui.renderSteps(w, r, status, f, "")
		return
	}
	http.Redirect(w, r, "/drafts/steps?done=steps", http.StatusSeeOther)
}

func (ui *UI) draftRoutes(mux *http.ServeMux) {
	if ui.Drafts == nil {
		return
	}
	mux.HandleFunc("GET /drafts", ui.requireReady(ui.draftsPage))
	mux.HandleFunc("GET /drafts/new", ui.requireReady(ui.newDraftForm))
	mux.HandleFunc("POST /drafts", ui.requireReady(ui.createDraft))
	mux.HandleFunc("GET /drafts/steps", ui.requireReady(ui.stepsPage))
	mux.HandleFunc("POST /drafts/steps", ui.requireReady(ui.saveSteps))
	mux.HandleFunc("GET /drafts/{id}", ui.requireReady(ui.draft))
	mux.HandleFunc("POST /drafts/{id}/edit", ui.requireReady(ui.editDraft))
	mux.HandleFunc("POST /drafts/{id}/decisions", ui.requireReady(ui.decideDraft))
	mux.HandleFunc("POST /drafts/{id}/schedule", ui.requireReady(ui.scheduleDraft))
	mux.HandleFunc("POST /drafts/{id}/unschedule", ui.requireReady(ui.draftAction(ui.Drafts.Unschedule, "unscheduled")))
	mux.HandleFunc("POST /drafts/{id}/publish", ui.requireReady(ui.draftAction(ui.Drafts.PublishNow, "published")))
	mux.HandleFunc("POST /drafts/{id}/withdraw", ui.requireReady(ui.draftAction(ui.Drafts.Withdraw, "withdrawn")))
}
