package api

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/drafts"
	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/social"
)

// The publishing workflow (issue 6): drafts an organization's social-media
// staff prepare for it or for its clinicians, their versions and
// decisions, scheduled publication, and the organization's approval steps.

type personJSON struct {
	ID          string `json:"id"`
	Username    string `json:"username"`
	DisplayName string `json:"display_name"`
}

func toPersonJSON(p drafts.Person) personJSON {
	return personJSON{ID: strconv.FormatInt(p.ID, 10), Username: p.Username, DisplayName: p.Name}
}

func peopleJSON(ps []drafts.Person) []personJSON {
	out := make([]personJSON, 0, len(ps))
	for _, p := range ps {
		out = append(out, toPersonJSON(p))
	}
	return out
}

// attributionJSON is statusRounds.Attribution: who prepared a post published
// through the workflow, the clinician who approved it, and for whom.
type attributionJSON struct {
	PreparedBy personJSON   `json:"prepared_by"`
	ApprovedBy []personJSON `json:"approved_by"`
	OnBehalfOf holdOrgJSON  `json:"on_behalf_of"`
	Text       string       `json:"text"`
}

func toAttributionJSON(a *drafts.Attribution) *attributionJSON {
	return &attributionJSON{PreparedBy: toPersonJSON(a.PreparedBy), ApprovedBy: peopleJSON(a.ApprovedBy),
		OnBehalfOf: holdOrgJSON{ID: strconv.FormatInt(a.OnBehalfOf.ID, 10), Slug: a.OnBehalfOf.Slug, Name: a.OnBehalfOf.Name},
		Text:       a.Text}
}

type draftContentJSON struct {
	Kind        string `json:"kind"`
	Title       string `json:"title"`
	SpoilerText string `json:"spoiler_text"`
	Status      string `json:"status"`
	Visibility  string `json:"visibility"`
	Sensitive   bool   `json:"sensitive"`
	Language    string `json:"language"`
}

func toContentJSON(c drafts.Content) draftContentJSON {
	return draftContentJSON{Kind: string(c.Kind), Title: c.Title, SpoilerText: c.SpoilerText, Status: c.Text,
		Visibility: string(c.Visibility), Sensitive: c.Sensitive, Language: c.Language}
}

type scheduleJSON struct {
	State     string  `json:"state"`
	PublishAt *string `json:"publish_at"`
	Note      string  `json:"note"`
}

type draftJSON struct {
	ID           string           `json:"id"`
	Organization holdOrgJSON      `json:"organization"`
	Author       personJSON       `json:"author"`
	For          *personJSON      `json:"for"`
	State        string           `json:"state"`
	Version      int              `json:"version"`
	PreparedBy   personJSON       `json:"prepared_by"`
	Content      draftContentJSON `json:"content"`
	Findings     []findingJSON    `json:"findings"`
	Blocking     int              `json:"blocking"`
	Schedule     scheduleJSON     `json:"schedule"`
	ApprovedAt   *string          `json:"approved_at"`
	StatusID     *string          `json:"status_id"`
	CreatedAt    string           `json:"created_at"`
	UpdatedAt    string           `json:"updated_at"`
}

type stepProgressJSON struct {
	Position   int          `json:"position"`
	Approver   string       `json:"approver"`
	Rule       string       `json:"rule"`
	Applies    bool         `json:"applies"`
	Satisfied  bool         `json:"satisfied"`
	ApprovedBy []personJSON `json:"approved_by"`
	WaitingFor []personJSON `json:"waiting_for"`
}

type progressJSON struct {
	Steps            []stepProgressJSON `json:"steps"`
	ChangesRequested bool               `json:"changes_requested"`
	Blocked          bool               `json:"blocked"`
	Released         bool               `json:"released"`
	Approved         bool               `json:"approved"`
	Waiting          string             `json:"waiting"`
}

type decisionJSON struct {
	ID              string     `json:"id"`
	Version         int        `json:"version"`
	Decision        string     `json:"decision"`
	By              personJSON `json:"by"`
	Body            string     `json:"body"`
	Voided          bool       `json:"voided"`
	VoidedByVersion *int       `json:"voided_by_version"`
	CreatedAt       string     `json:"created_at"`
}

// draftDetailJSON is one draft as GET returns it: with where it stands on
// every step (null once final) and every decision, voided ones too.
type draftDetailJSON struct {
	draftJSON
	Progress  *progressJSON  `json:"progress"`
	Decisions []decisionJSON `json:"decisions"`
}

func optTime(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := mastodonTime(t)
	return &s
}

func toDraftJSON(d *drafts.Draft) draftJSON {
	j := draftJSON{ID: strconv.FormatInt(d.ID, 10),
		Organization: holdOrgJSON{ID: strconv.FormatInt(d.Org.ID, 10), Slug: d.Org.Slug, Name: d.Org.Name},
		Author:       toPersonJSON(d.Author), State: string(d.State), Version: d.Version, Findings: []findingJSON{},
		Schedule:   scheduleJSON{State: string(d.Schedule), PublishAt: optTime(d.PublishAt), Note: d.ScheduleNote},
		ApprovedAt: optTime(d.ApprovedAt), StatusID: idString(d.StatusID), CreatedAt: mastodonTime(d.CreatedAt),
		UpdatedAt: mastodonTime(d.UpdatedAt)}
	if d.For != nil {
		p := toPersonJSON(*d.For)
		j.For = &p
	}
	if v := d.Current; v != nil {
		j.PreparedBy, j.Content, j.Findings, j.Blocking = toPersonJSON(v.Author), toContentJSON(v.Content), findingsJSON(v.Findings), v.Blocking
	}
	return j
}

func toDraftDetailJSON(d *drafts.Draft) draftDetailJSON {
	j := draftDetailJSON{draftJSON: toDraftJSON(d), Decisions: []decisionJSON{}}
	if p := d.Progress; p != nil {
		pj := &progressJSON{Steps: []stepProgressJSON{}, ChangesRequested: p.ChangesRequested, Blocked: p.Blocked,
			Released: p.Released, Approved: p.Approved, Waiting: p.Waiting()}
		for _, sp := range p.Steps {
			pj.Steps = append(pj.Steps, stepProgressJSON{Position: sp.Position, Approver: string(sp.Step.Approver),
				Rule: string(sp.Step.Rule), Applies: sp.Applies, Satisfied: sp.Satisfied, ApprovedBy: peopleJSON(sp.ApprovedBy),
				WaitingFor: peopleJSON(sp.WaitingFor)})
		}
		j.Progress = pj
	}
	for _, dec := range d.Decisions {
		dj := decisionJSON{ID: strconv.FormatInt(dec.ID, 10), Version: dec.Version, Decision: string(dec.Kind),
			By: toPersonJSON(dec.Actor), Body: dec.Body, Voided: dec.Voided(), CreatedAt: mastodonTime(dec.CreatedAt)}
		if dec.Voided() {
			v := dec.VoidedByVersion
			dj.VoidedByVersion = &v
		}
		j.Decisions = append(j.Decisions, dj)
	}
	return j
}

func draftsJSON(list []*drafts.Draft) []draftJSON {
	out := make([]draftJSON, 0, len(list))
	for _, d := range list {
		out = append(out, toDraftJSON(d))
	}
	return out
}

// draftBody is a draft's content as clients send it, with the fields of
// Mastodon's status form.
type draftBody struct {
	Organization string `json:"organization"` // id or slug; on create only
	For          string `json:"for"`          // the clinician's username; on create only
	Version      int    `json:"version"`      // the version edited; on edit only
	Kind         string `json:"kind"`
	Title        string `json:"title"`
	SpoilerText  string `json:"spoiler_text"`
	Status       string `json:"status"`
	Visibility   string `json:"visibility"`
	Sensitive    bool   `json:"sensitive"`
	Language     string `json:"language"`
	// AuthorizationID makes the draft a patient story (string or number).
	AuthorizationID json.Number `json:"authorization_id"`
}

func (b draftBody) content() drafts.Content {
	auth, err := b.AuthorizationID.Int64()
	if err != nil && b.AuthorizationID != "" {
		auth = -1 // not a number: refused as an unknown authorization
	}
	return drafts.Content{Kind: social.Kind(b.Kind), Title: b.Title, SpoilerText: b.SpoilerText, Text: b.Status,
		Visibility: social.Visibility(b.Visibility), Sensitive: b.Sensitive, Language: b.Language, AuthorizationID: auth}
}

// orgID resolves an organization given by id or slug.
func (a *API) orgID(r *http.Request, field, v string) (int64, error) {
	if v == "" {
		return 0, errs.Invalid(field, "Name the organization by its id or slug.")
	}
	if id, err := strconv.ParseInt(v, 10, 64); err == nil {
		return id, nil
	}
	o, err := a.Directory.Organization(r.Context(), actorOf(r), v)
	if err != nil {
		return 0, errs.Invalid(field, "No organization is listed as "+strconv.Quote(v)+".")
	}
	return o.ID, nil
}

func (a *API) createDraft(w http.ResponseWriter, r *http.Request) {
	var b draftBody
	if !a.decodeJSON(w, r, &b) {
		return
	}
	if b.Version != 0 {
		writeError(w, r, a.Log, errs.Invalid("version", "A new draft has no version yet; leave version out."))
		return
	}
	org, err := a.orgID(r, "organization", b.Organization)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	d, err := a.Drafts.Create(r.Context(), actorOf(r), drafts.NewDraft{OrgID: org, For: b.For, Content: b.content()})
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	full, err := a.Drafts.Get(r.Context(), actorOf(r), d.ID)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	writeJSON(w, http.StatusCreated, toDraftDetailJSON(full))
}

func (a *API) listDrafts(w http.ResponseWriter, r *http.Request) {
	var f drafts.Filter
	q := r.URL.Query()
	if v := q.Get("organization"); v != "" {
		id, err := a.orgID(r, "organization", v)
		if err != nil {
			writeError(w, r, a.Log, err)
			return
		}
		f.OrgID = id
	}
	if v := q.Get("state"); v != "" {
		switch s := drafts.State(v); s {
		case drafts.InReview, drafts.ChangesRequested, drafts.Approved, drafts.Published, drafts.Rejected, drafts.Withdrawn:
			f.State = s
		default:
			writeError(w, r, a.Log, errs.Invalid("state", "state is in_review, changes_requested, approved, published, rejected or withdrawn."))
			return
		}
	}
	list, err := a.Drafts.List(r.Context(), actorOf(r), f)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	writeJSON(w, http.StatusOK, draftsJSON(list))
}

// draftsAttention lists what waits for the caller: drafts to fix (changes
// requested, or a scheduled time missed) and drafts to review.
func (a *API) draftsAttention(w http.ResponseWriter, r *http.Request) {
	toFix, toReview, err := a.Drafts.Attention(r.Context(), actorOf(r))
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string][]draftJSON{"to_fix": draftsJSON(toFix), "to_review": draftsJSON(toReview)})
}

func (a *API) getDraft(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	d, err := a.Drafts.Get(r.Context(), actorOf(r), id)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	writeJSON(w, http.StatusOK, toDraftDetailJSON(d))
}

func (a *API) editDraft(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	var b draftBody
	if !a.decodeJSON(w, r, &b) {
		return
	}
	if b.Organization != "" || b.For != "" {
		writeError(w, r, a.Log, errs.Invalid("for", "A draft's organization and clinician are set when it is created; start a new draft instead."))
		return
	}
	d, err := a.Drafts.Edit(r.Context(), actorOf(r), id, b.Version, b.content())
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	writeJSON(w, http.StatusOK, toDraftDetailJSON(d))
}

type versionJSON struct {
	Version   int              `json:"version"`
	Author    personJSON       `json:"author"`
	Content   draftContentJSON `json:"content"`
	Findings  []findingJSON    `json:"findings"`
	Blocking  int              `json:"blocking"`
	CreatedAt string           `json:"created_at"`
}

func (a *API) draftVersions(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	vs, err := a.Drafts.Versions(r.Context(), actorOf(r), id)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	out := make([]versionJSON, 0, len(vs))
	for _, v := range vs {
		out = append(out, versionJSON{Version: v.Number, Author: toPersonJSON(v.Author), Content: toContentJSON(v.Content),
			Findings: findingsJSON(v.Findings), Blocking: v.Blocking, CreatedAt: mastodonTime(v.CreatedAt)})
	}
	writeJSON(w, http.StatusOK, out)
}

func (a *API) decideDraft(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	var b struct {
		Decision string `json:"decision"`
		Version  int    `json:"version"`
		Body     string `json:"body"`
	}
	if !a.decodeJSON(w, r, &b) {
		return
	}
	d, err := a.Drafts.Decide(r.Context(), actorOf(r), id, drafts.DecisionInput{Kind: drafts.Kind(b.Decision), Version: b.Version, Body: b.Body})
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	writeJSON(w, http.StatusOK, toDraftDetailJSON(d))
}

func (a *API) scheduleDraft(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	var b struct {
		PublishAt string `json:"publish_at"`
	}
	if !a.decodeJSON(w, r, &b) {
		return
	}
	at, err := time.Parse(time.RFC3339, b.PublishAt)
	if err != nil {
		writeError(w, r, a.Log, errs.Invalid("publish_at", "Give the time as RFC 3339 with its offset, like 2031-03-04T14:00:00Z or 2031-03-04T09:00:00-05:00."))
		return
	}
	d, err := a.Drafts.Schedule(r.Context(), actorOf(r), id, at)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	writeJSON(w, http.StatusOK, toDraftDetailJSON(d))
}

// draftAction answers a bodiless action on a draft with the draft.
func (a *API) draftAction(w http.ResponseWriter, r *http.Request,
	act func(context.Context, account.Actor, int64) (*drafts.Draft, error)) {
	id, err := pathID(r)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	d, err := act(r.Context(), actorOf(r), id)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	writeJSON(w, http.StatusOK, toDraftDetailJSON(d))
}

func (a *API) unscheduleDraft(w http.ResponseWriter, r *http.Request) {
	a.draftAction(w, r, a.Drafts.Unschedule)
}
func (a *API) publishDraft(w http.ResponseWriter, r *http.Request) {
	a.draftAction(w, r, a.Drafts.PublishNow)
}
func (a *API) withdrawDraft(w http.ResponseWriter, r *http.Request) {
	a.draftAction(w, r, a.Drafts.Withdraw)
}

type approvalStepJSON struct {
	Approver string `json:"approver"`
	Rule     string `json:"rule"`
}

type approvalStepsJSON struct {
	Steps      []approvalStepJSON `json:"steps"`
	Configured bool               `json:"configured"`
}

func (a *API) writeSteps(w http.ResponseWriter, r *http.Request, orgID int64) {
	steps, configured, err := a.Drafts.Steps(r.Context(), orgID)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	out := approvalStepsJSON{Steps: []approvalStepJSON{}, Configured: configured}
	for _, s := range steps {
		out.Steps = append(out.Steps, approvalStepJSON{Approver: string(s.Approver), Rule: string(s.Rule)})
	}
	writeJSON(w, http.StatusOK, out)
}

// getApprovalSteps returns an organization's approval steps (the default
// when it configured none).
func (a *API) getApprovalSteps(w http.ResponseWriter, r *http.Request) {
	o, err := a.orgByParam(r)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	a.writeSteps(w, r, o.ID)
}

// putApprovalSteps replaces them (owners and compliance officers).
func (a *API) putApprovalSteps(w http.ResponseWriter, r *http.Request) {
	o, err := a.orgByParam(r)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	var b struct {
		Steps []approvalStepJSON `json:"steps"`
	}
	if !a.decodeJSON(w, r, &b) {
		return
	}
	steps := make([]drafts.Step, 0, len(b.Steps))
	for _, s := range b.Steps {
		steps = append(steps, drafts.Step{Approver: drafts.Approver(s.Approver), Rule: drafts.Rule(s.Rule)})
	}
	if err := a.Drafts.SetSteps(r.Context(), actorOf(r), o.ID, steps); err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	a.writeSteps(w, r, o.ID)
}
