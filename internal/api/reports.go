package api

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/moderation"
)

// Reports to the moderators, as Mastodon's POST /api/v1/reports.

func (a *API) reportRoutes(mux *http.ServeMux) {
	mux.HandleFunc("POST /api/v1/reports", a.auth("write:reports", a.createReport))
}

// reportJSON is Mastodon's Report entity. Rounds' "phi" category (a post
// that discloses patient information) is shown to Mastodon clients as
// "other", with the real one in "rounds".
type reportJSON struct {
	ID            string       `json:"id"`
	ActionTaken   bool         `json:"action_taken"`
	ActionTakenAt *string      `json:"action_taken_at"`
	Category      string       `json:"category"`
	Comment       string       `json:"comment"`
	Forwarded     bool         `json:"forwarded"`
	CreatedAt     string       `json:"created_at"`
	StatusIDs     []string     `json:"status_ids"`
	RuleIDs       []string     `json:"rule_ids"`
	TargetAccount Account      `json:"target_account"`
	Rounds        reportRounds `json:"rounds"`
}

type reportRounds struct {
	Category string `json:"category"`
}

// newReport reads Mastodon's report parameters; status_ids arrive joined
// with commas (readParams), and rule_ids are ignored: Rounds has no rule list yet.
func newReport(p map[string]string) (moderation.NewReport, error) {
	in := moderation.NewReport{Category: moderation.Category(p["category"]), Comment: p["comment"],
		Forward: p["forward"] == "true" || p["forward"] == "1"}
	id, err := strconv.ParseInt(p["account_id"], 10, 64)
	if err != nil || id <= 0 {
		return in, errs.Invalid("account_id", "account_id must be the id of the account you are reporting.")
	}
	in.TargetID = id
	for _, s := range strings.Split(p["status_ids"], ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		sid, err := strconv.ParseInt(s, 10, 64)
		if err != nil || sid <= 0 {
			return in, errs.Invalid("status_ids", "status_ids must be status ids.")
		}
		in.StatusIDs = append(in.StatusIDs, sid)
	}
	return in, nil
}

func (a *API) createReport(w http.ResponseWriter, r *http.Request) {
	p, ok := a.params(w, r)
	if !ok {
		return
	}
	in, err := newReport(p)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	rep, err := a.Moderation.Report(r.Context(), actorOf(r), in)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	target, err := a.Accounts.UserByID(r.Context(), rep.TargetID)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	writeJSON(w, http.StatusOK, toReportJSON(rep, accountJSON(r, target)))
}

func toReportJSON(rep *moderation.Report, target Account) reportJSON {
	j := reportJSON{ID: strconv.FormatInt(rep.ID, 10), ActionTaken: rep.State == moderation.Resolved,
		Category: string(rep.Category), Comment: rep.Comment, Forwarded: false, CreatedAt: mastodonTime(rep.CreatedAt),
		StatusIDs: []string{}, TargetAccount: target, Rounds: reportRounds{Category: string(rep.Category)}}
	if rep.Category == moderation.PHI {
		j.Category = string(moderation.Other) // Mastodon clients know spam, legal, violation and other
	}
	if !rep.ResolvedAt.IsZero() {
		t := mastodonTime(rep.ResolvedAt)
		j.ActionTakenAt = &t
	}
	for _, id := range rep.StatusIDs {
		j.StatusIDs = append(j.StatusIDs, strconv.FormatInt(id, 10))
	}
	return j
}
