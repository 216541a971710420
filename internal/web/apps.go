package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/rounds-health/rounds/internal/errs"
)

// The "Authorized apps" section of the settings page: the OAuth
// applications holding tokens for the person, each with a Revoke button.
// The account service revokes and audits.

// appView is one authorized application as the settings page shows it.
type appView struct {
	ID           int64
	Name         string
	Website      string
	Scopes       string
	AuthorizedAt time.Time
	LastUsedAt   time.Time
}

// authorizedApps loads the person's authorized applications for the page.
func (ui *UI) authorizedApps(r *http.Request) ([]appView, error) {
	apps, err := ui.Accounts.AuthorizedApps(r.Context(), actorOf(r).actor())
	if err != nil {
		return nil, err
	}
	out := make([]appView, 0, len(apps))
	for _, a := range apps {
		out = append(out, appView{ID: a.ID, Name: a.Name, Website: a.Website, Scopes: strings.Join(a.Scopes, " "),
			AuthorizedAt: a.AuthorizedAt, LastUsedAt: a.LastUsedAt})
	}
	return out, nil
}

// revokeApp takes back the person's consent from one application.
func (ui *UI) revokeApp(w http.ResponseWriter, r *http.Request) {
	if !ui.parseForm(w, r) {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		ui.fail(w, r, errs.NotFound("This application has no access to your account."))
		return
	}
	if _, err := ui.Accounts.RevokeApp(r.Context(), actorOf(r).actor(), id); err != nil {
		ui.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/settings?saved=app-revoked#apps-h", http.StatusSeeOther)
}
