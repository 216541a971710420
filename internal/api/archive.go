package api

import (
	"net/http"
	"strconv"

	"github.com/rounds-health/rounds/internal/archive"
	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/middleware"
)

// exportArchive streams the organization's record as JSON Lines (owners
// and compliance officers). The last line is {"type":"end",…}; a download
// without it was cut short.
func (a *API) exportArchive(w http.ResponseWriter, r *http.Request) {
	o, err := a.orgByParam(r)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	exp, err := a.Archive.Export(r.Context(), actorOf(r), o.ID)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	w.Header().Set("Content-Type", "application/x-ndjson; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+exp.Filename()+`"`)
	w.Header().Set("Cache-Control", "no-store")
	if err := exp.WriteTo(r.Context(), w); err != nil {
		a.Log.Error("archive export cut short", "err", err, "request_id", middleware.RequestID(r.Context()))
	}
}

type legalHoldJSON struct {
	ID         string  `json:"id"`
	Reason     string  `json:"reason"`
	PlacedBy   string  `json:"placed_by"`
	PlacedAt   string  `json:"placed_at"`
	Active     bool    `json:"active"`
	LiftedBy   *string `json:"lifted_by"`
	LiftedAt   *string `json:"lifted_at"`
	LiftReason string  `json:"lift_reason"`
}

func toLegalHoldJSON(h archive.LegalHold) legalHoldJSON {
	j := legalHoldJSON{ID: strconv.FormatInt(h.ID, 10), Reason: h.Reason, PlacedBy: strconv.FormatInt(h.PlacedBy, 10),
		PlacedAt: mastodonTime(h.PlacedAt), Active: h.Active(), LiftedBy: idString(h.LiftedBy), LiftReason: h.LiftReason}
	if !h.LiftedAt.IsZero() {
		t := mastodonTime(h.LiftedAt)
		j.LiftedAt = &t
	}
	return j
}

// listLegalHolds lists an organization's legal holds (owners and compliance officers).
func (a *API) listLegalHolds(w http.ResponseWriter, r *http.Request) {
	o, err := a.orgByParam(r)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	holds, err := a.Archive.Holds(r.Context(), actorOf(r), o.ID)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	out := []legalHoldJSON{}
	for _, h := range holds {
		out = append(out, toLegalHoldJSON(h))
	}
	writeJSON(w, http.StatusOK, out)
}

// placeLegalHold keeps the organization's record from any purge.
func (a *API) placeLegalHold(w http.ResponseWriter, r *http.Request) {
	o, err := a.orgByParam(r)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	var b struct {
		Reason string `json:"reason"`
	}
	if !a.decodeJSON(w, r, &b) {
		return
	}
	h, err := a.Archive.PlaceHold(r.Context(), actorOf(r), o.ID, b.Reason)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	writeJSON(w, http.StatusCreated, toLegalHoldJSON(*h))
}

// liftLegalHold ends a legal hold; its record stays.
func (a *API) liftLegalHold(w http.ResponseWriter, r *http.Request) {
	o, err := a.orgByParam(r)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	id, err := strconv.ParseInt(r.PathValue("hold_id"), 10, 64)
	if err != nil {
		writeError(w, r, a.Log, errs.NotFound("This organization has no legal hold in force with this id."))
		return
	}
	var b struct {
		Reason string `json:"reason"`
	}
	if !a.decodeJSON(w, r, &b) {
		return
	}
	if err := a.Archive.LiftHold(r.Context(), actorOf(r), o.ID, id, b.Reason); err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{})
}
