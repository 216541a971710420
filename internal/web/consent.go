package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/rounds-health/rounds/internal/consent"
	"github.com/rounds-health/rounds/internal/publish"
)

// The patient's side of testimonial authorizations: what organizations
// asked, signing with one's full name, declining, revoking.

type authorizationsData struct {
	List []*consent.Authorization
}

func (ui *UI) authorizations(w http.ResponseWriter, r *http.Request) {
	ui.authorizationsPage(w, r, http.StatusOK, nil, map[string]string{"signed": "Signed. You may revoke it here at any time.",
		"revoked":  "Revoked. The organization was told, and the posts that relied on it were taken down.",
		"declined": "Declined. Nothing will be published."}[r.URL.Query().Get("done")])
}

func (ui *UI) authorizationsPage(w http.ResponseWriter, r *http.Request, status int, f *form, notice string) {
	list, err := ui.Consent.ForPatient(r.Context(), actorOf(r).actor())
	if err != nil {
		ui.fail(w, r, err)
		return
	}
	if f == nil {
		f = &form{values: map[string]string{}, errors: map[string]string{}}
	}
	ui.render(w, r, status, "authorizations", &page{Title: "Authorizations", Data: authorizationsData{List: list}, Form: f, Notice: notice})
}

// decideAuthorization signs, declines or revokes one of the patient's authorizations.
func (ui *UI) decideAuthorization(w http.ResponseWriter, r *http.Request) {
	if !ui.parseForm(w, r) {
		return
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	f := newForm(r, "signature", "understood")
	f.values["authorization"] = r.PathValue("id")
	actor := actorOf(r).actor()
	var err error
	done := r.PathValue("decision")
	switch done {
	case "sign":
		_, err = ui.Consent.Sign(r.Context(), actor, id, f.Value("signature"), f.Value("understood") != "")
		done = "signed"
	case "decline":
		err = ui.Consent.Decline(r.Context(), actor, id)
		done = "declined"
	case "revoke":
		err = ui.Consent.Revoke(r.Context(), actor, id)
		done = "revoked"
	default:
		http.NotFound(w, r)
		return
	}
	if err != nil {
		status := f.fail(err)
		if status >= 500 {
			ui.fail(w, r, err)
			return
		}
		ui.authorizationsPage(w, r, status, f, "")
		return
	}
	http.Redirect(w, r, "/authorizations?done="+done, http.StatusSeeOther)
}

// orgConsent is what the compliance page shows of one organization's
// authorizations, for its owners, specialists and compliance officers.
type orgConsent struct {
	Org            publish.Org
	Authorizations []*consent.Authorization
	Alerts         []consent.Alert
}

func (ui *UI) orgConsents(r *http.Request) ([]orgConsent, error) {
	orgs, err := ui.Publish.ReleaseOrgs(r.Context(), actorOf(r).actor())
	if err != nil {
		return nil, err
	}
	var out []orgConsent
	for _, o := range orgs {
		list, err := ui.Consent.ForOrg(r.Context(), actorOf(r).actor(), o.ID)
		if err != nil {
			continue // a clinician or plain member: not theirs to handle
		}
		alerts, err := ui.Consent.Alerts(r.Context(), actorOf(r).actor(), o.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, orgConsent{Org: o, Authorizations: list, Alerts: alerts})
	}
	return out, nil
}

// askAuthorization sends a patient an organization's request.
func (ui *UI) askAuthorization(w http.ResponseWriter, r *http.Request) {
	if !ui.parseForm(w, r) {
		return
	}
	f := newForm(r, "org_id", "patient", "purpose", "content", "expires_at")
	org, _ := strconv.ParseInt(f.Value("org_id"), 10, 64)
	ends, perr := time.Parse("2006-01-02", f.Value("expires_at"))
	req := consent.Request{Purpose: f.Value("purpose"), Content: f.Value("content"), ExpiresAt: ends.Add(24*time.Hour - time.Second)}
	_, err := ui.Consent.Ask(r.Context(), actorOf(r).actor(), org, f.Value("patient"), req)
	if perr != nil && f.Value("expires_at") != "" {
		f.errors["expires_at"] = "Give the end date as a date."
	}
	if err != nil || f.errors["expires_at"] != "" {
		status := http.StatusUnprocessableEntity
		if err != nil {
			status = f.fail(err)
		}
		if status >= 500 {
			ui.fail(w, r, err)
			return
		}
		ui.compliancePage(w, r, status, f)
		return
	}
	http.Redirect(w, r, "/compliance?asked=1", http.StatusSeeOther)
}

func (ui *UI) consentRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /authorizations", ui.requireReady(ui.authorizations))
	mux.HandleFunc("POST /authorizations/{id}/{decision}", ui.requireReady(ui.decideAuthorization))
	mux.HandleFunc("POST /compliance/authorizations", ui.requireReady(ui.askAuthorization))
}
