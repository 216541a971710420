package web

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/audit"
	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/middleware"
)

type auditData struct {
	Records []audit.Record
	Filter  url.Values
	Next    string // query string of the next (older) page, or ""
}

const auditPageSize = 50

func (ui *UI) auditLog(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := audit.Filter{Actor: q.Get("actor"), Action: q.Get("action"), Outcome: q.Get("outcome"), Limit: auditPageSize}
	fm := &form{values: map[string]string{"actor": f.Actor, "action": f.Action, "outcome": f.Outcome,
		"since": q.Get("since"), "until": q.Get("until")}, errors: map[string]string{}}
	if v := q.Get("since"); v != "" {
		t, err := time.Parse("2006-01-02", v)
		if err != nil {
			fm.errors["since"] = "Use a date like 2026-11-24."
		}
		f.Since = t
	}
	if v := q.Get("until"); v != "" {
		t, err := time.Parse("2006-01-02", v)
		if err != nil {
			fm.errors["until"] = "Use a date like 2026-11-24."
		}
		f.Until = t.Add(24 * time.Hour) // the whole day
	}
	if v := q.Get("before"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			ui.fail(w, r, errs.Invalid("before", "The page marker is not valid."))
			return
		}
		f.Before = n
	}
	switch f.Outcome {
	case "", audit.Success, audit.Failure, audit.Denied:
	default:
		fm.errors["outcome"] = "Choose success, failure or denied."
	}
	if len(fm.errors) > 0 {
		ui.render(w, r, http.StatusUnprocessableEntity, "admin_audit", &page{Title: "Audit log", Form: fm, Data: auditData{}})
		return
	}
	// Reading the audit log is itself an access to private data: record it.
	a := actorOf(r)
	if err := ui.Audit.Append(r.Context(), audit.Event{ActorID: a.user.ID, Actor: a.user.Username, Action: "admin.read_audit",
		Outcome: audit.Success}); err != nil {
		ui.fail(w, r, errs.Internal(err, "audit read"))
		return
	}
	recs, err := ui.Audit.List(r.Context(), f)
	if err != nil {
		ui.fail(w, r, errs.Internal(err, "list audit"))
		return
	}
	d := auditData{Records: recs, Filter: q}
	if len(recs) == auditPageSize {
		next := url.Values{}
		for k, v := range q {
			next[k] = v
		}
		next.Set("before", strconv.FormatInt(recs[len(recs)-1].Seq, 10))
		d.Next = next.Encode()
	}
	part := "layout.html"
	if r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-Target") == "audit-results" {
		part = "results"
	}
	ui.renderPart(w, r, http.StatusOK, "admin_audit", part, &page{Title: "Audit log", Form: fm, Data: d})
}

type usersData struct {
	Users     []*account.User
	Roles     []account.Role
	ResetLink string
	ResetFor  string
}

func (ui *UI) usersPage(w http.ResponseWriter, r *http.Request, status int, f *form, d usersData, notice string) {
	q := r.URL.Query()
	users, err := ui.Accounts.AdminListUsers(r.Context(), actorOf(r).actor(), account.UserFilter{Query: q.Get("q"), Limit: 100})
	if err != nil {
		ui.fail(w, r, err)
		return
	}
	d.Users, d.Roles = users, account.Roles
	if f == nil {
		f = &form{values: map[string]string{"q": q.Get("q")}, errors: map[string]string{}}
	}
	ui.render(w, r, status, "admin_users", &page{Title: "Accounts", Form: f, Data: d, Notice: notice})
}

func (ui *UI) adminUsers(w http.ResponseWriter, r *http.Request) {
	ui.usersPage(w, r, http.StatusOK, nil, usersData{}, "")
}

func (ui *UI) adminSetRole(w http.ResponseWriter, r *http.Request) {
	if !ui.parseForm(w, r) {
		return
	}
	role, _ := account.ParseRole(r.PostFormValue("role"))
	u, err := ui.Accounts.SetRole(r.Context(), actorOf(r).actor(), r.PathValue("username"), role)
	if err != nil {
		f := &form{values: map[string]string{}, errors: map[string]string{}}
		ui.usersPage(w, r, f.fail(err), f, usersData{}, "")
		return
	}
	ui.usersPage(w, r, http.StatusOK, nil, usersData{}, "@"+u.Username+" is now "+u.Role.Label()+". Their sessions were ended.")
}

func (ui *UI) adminResetLink(w http.ResponseWriter, r *http.Request) {
	if !ui.parseForm(w, r) {
		return
	}
	name := r.PathValue("username")
	token, err := ui.Accounts.IssueResetLink(r.Context(), actorOf(r).actor(), name)
	if err != nil {
		f := &form{values: map[string]string{}, errors: map[string]string{}}
		ui.usersPage(w, r, f.fail(err), f, usersData{}, "")
		return
	}
	link := requestOrigin(r) + "/reset/" + token
	ui.usersPage(w, r, http.StatusOK, nil, usersData{ResetLink: link, ResetFor: name}, "")
}

func requestOrigin(r *http.Request) string { return middleware.Origin(r) }
