package api

import (
	"net/http"
	"strconv"

	"github.com/rounds-health/rounds/internal/directory"
	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/publish"
)

// The compliance endpoints: check a draft without publishing, hand a
// blocked draft to a compliance officer, and the officers' decisions.

func toFindingJSON(f publish.Finding) findingJSON {
	return findingJSON{Field: f.Field, Start: f.Start, End: f.End, Type: f.Type, Text: f.Text, Explanation: f.Explanation,
		Blocking: f.Blocking, NeedsApproval: f.NeedsApproval}
}

func findingsJSON(fs []publish.Finding) []findingJSON {
	out := make([]findingJSON, 0, len(fs))
	for _, f := range fs {
		out = append(out, toFindingJSON(f))
	}
	return out
}

type holdJSON struct {
	ID            string        `json:"id"`
	State         string        `json:"state"`
	Author        string        `json:"author"`
	Organization  holdOrgJSON   `json:"organization"`
	Status        string        `json:"status"`
	SpoilerText   string        `json:"spoiler_text"`
	Title         string        `json:"title"`
	Visibility    string        `json:"visibility"`
	InReplyToID   *string       `json:"in_reply_to_id"`
	Findings      []findingJSON `json:"findings"`
	Note          string        `json:"note"`
	Justification string        `json:"justification"`
	StatusID      *string       `json:"status_id"`
	CreatedAt     string        `json:"created_at"`
	DecidedAt     *string       `json:"decided_at"`
}

type holdOrgJSON struct {
	ID   string `json:"id"`
	Slug string `json:"slug"`
	Name string `json:"name"`
}

func toHoldJSON(h *publish.Hold) holdJSON {
	j := holdJSON{ID: strconv.FormatInt(h.ID, 10), State: string(h.State), Author: h.Author,
		Organization: holdOrgJSON{ID: strconv.FormatInt(h.OrgID, 10), Slug: h.OrgSlug, Name: h.OrgName},
		Status:       h.Draft.Text, SpoilerText: h.Draft.Summary, Title: h.Draft.Title, Visibility: string(h.Draft.Visibility),
		InReplyToID: idString(h.Draft.InReplyToID), Findings: findingsJSON(h.Findings), Note: h.Note,
		Justification: h.Justification, StatusID: idString(h.StatusID), CreatedAt: mastodonTime(h.CreatedAt)}
	if !h.DecidedAt.IsZero() {
		d := mastodonTime(h.DecidedAt)
		j.DecidedAt = &d
	}
	return j
}

// checkDraft runs the guard on a draft and publishes nothing.
func (a *API) checkDraft(w http.ResponseWriter, r *http.Request) {
	p, ok := a.params(w, r)
	if !ok {
		return
	}
	in, err := newStatus(p)
	if err == nil {
		err = in.Validate()
	}
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	fs, err := a.Publish.Check(r.Context(), actorOf(r), in)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	blocked := false
	for _, f := range fs {
		blocked = blocked || f.Blocking
	}
	writeJSON(w, http.StatusOK, map[string]any{"blocked": blocked, "findings": findingsJSON(fs)})
}

// requestRelease hands a blocked draft to the compliance officers of org_id.
func (a *API) requestRelease(w http.ResponseWriter, r *http.Request) {
	p, ok := a.params(w, r)
	if !ok {
		return
	}
	in, err := newStatus(p)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	if p["authorization_id"] != "" {
		writeError(w, r, a.Log, errs.Invalid("authorization_id", "A patient story cannot be sent for release: remove what the guard found instead."))
		return
	}
	org, err := strconv.ParseInt(p["org_id"], 10, 64)
	if err != nil {
		writeError(w, r, a.Log, errs.Invalid("org_id", "org_id is the id of an organization you belong to."))
		return
	}
	h, err := a.Publish.RequestRelease(r.Context(), actorOf(r), in, org, p["note"])
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	writeJSON(w, http.StatusCreated, toHoldJSON(h))
}

// listHolds returns the caller's own held drafts and those waiting for
// them as a compliance officer.
func (a *API) listHolds(w http.ResponseWriter, r *http.Request) {
	mine, review, err := a.Publish.Holds(r.Context(), actorOf(r))
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	out := map[string][]holdJSON{"mine": {}, "review": {}}
	for _, h := range mine {
		out["mine"] = append(out["mine"], toHoldJSON(h))
	}
	for _, h := range review {
		out["review"] = append(out["review"], toHoldJSON(h))
	}
	writeJSON(w, http.StatusOK, out)
}

func holdID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return 0, errs.NotFound("Record not found")
	}
	return id, nil
}

// holdDecision reads a held draft's id and the officer's justification,
// then runs decide and writes what it answers.
func (a *API) holdDecision(decide func(r *http.Request, id int64, justification string) (any, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := holdID(r)
		if err != nil {
			writeError(w, r, a.Log, err)
			return
		}
		p, ok := a.params(w, r)
		if !ok {
			return
		}
		out, err := decide(r, id, p["justification"])
		if err != nil {
			writeError(w, r, a.Log, err)
			return
		}
		if res, ok := out.(*publish.Result); ok {
			a.writeStatus(w, r, http.StatusOK, res.Status, nil)
			return
		}
		writeJSON(w, http.StatusOK, out)
	}
}

// releaseHold publishes a held draft (compliance officers of its organization).
func (a *API) releaseHold(w http.ResponseWriter, r *http.Request) {
	a.holdDecision(func(r *http.Request, id int64, why string) (any, error) {
		return a.Publish.Release(r.Context(), actorOf(r), id, why)
	})(w, r)
}

// declineHold refuses a held draft (compliance officers of its organization).
func (a *API) declineHold(w http.ResponseWriter, r *http.Request) {
	a.holdDecision(func(r *http.Request, id int64, why string) (any, error) {
		h, err := a.Publish.Decline(r.Context(), actorOf(r), id, why)
		if err != nil {
			return nil, err
		}
		return toHoldJSON(h), nil
	})(w, r)
}

// withdrawHold takes back one's own held draft.
func (a *API) withdrawHold(w http.ResponseWriter, r *http.Request) {
	id, err := holdID(r)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	if err := a.Publish.Withdraw(r.Context(), actorOf(r), id); err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{})
}

// releaseOrgs lists the organizations whose compliance officers could
// release the caller's blocked draft.
func (a *API) releaseOrgs(r *http.Request) []holdOrgJSON {
	out := []holdOrgJSON{}
	orgs, err := a.Publish.ReleaseOrgs(r.Context(), actorOf(r))
	if err != nil {
		return out
	}
	for _, o := range orgs {
		out = append(out, holdOrgJSON{ID: strconv.FormatInt(o.ID, 10), Slug: o.Slug, Name: o.Name})
	}
	return out
}

type policyJSON struct {
	ClaimsNeedApproval bool `json:"claims_need_approval"`
}

// getPolicy returns an organization's compliance policy.
func (a *API) getPolicy(w http.ResponseWriter, r *http.Request) {
	o, err := a.orgByParam(r)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	p, err := a.Directory.OrgPolicy(r.Context(), o.ID)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	writeJSON(w, http.StatusOK, policyJSON{ClaimsNeedApproval: p.ClaimsNeedApproval})
}

// putPolicy sets it (owners and compliance officers).
func (a *API) putPolicy(w http.ResponseWriter, r *http.Request) {
	o, err := a.orgByParam(r)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	var b policyJSON
	if !a.decodeJSON(w, r, &b) {
		return
	}
	if err := a.Directory.SetOrgPolicy(r.Context(), actorOf(r), o.Slug, directory.Policy{ClaimsNeedApproval: b.ClaimsNeedApproval}); err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	writeJSON(w, http.StatusOK, b)
}
