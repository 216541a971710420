// Package web is the server-rendered user interface: html/template pages,
// vendored htmx and CSS under go:embed, and the handlers behind them.
//
// Handlers are thin: find the actor, parse the form, call one service
// method, render. Business rules live in the services; the JSON API calls
// the same methods, so the two can never disagree. Pages work without
// JavaScript; htmx only makes some of them quicker.
package web

import (
	"bytes"
	"embed"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/audit"
	"github.com/rounds-health/rounds/internal/consent"
	"github.com/rounds-health/rounds/internal/directory"
	"github.com/rounds-health/rounds/internal/drafts"
	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/live"
	"github.com/rounds-health/rounds/internal/media"
	"github.com/rounds-health/rounds/internal/middleware"
	"github.com/rounds-health/rounds/internal/moderation"
	"github.com/rounds-health/rounds/internal/notify"
	"github.com/rounds-health/rounds/internal/publish"
	"github.com/rounds-health/rounds/internal/social"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// Deps are what the UI needs.
type Deps struct {
	Accounts   *account.Service
	Directory  *directory.Service
	Media      *media.Service
	Notify     *notify.Service
	Live       live.Broker
	Social     *social.Service
	Publish    *publish.Service
	Moderation *moderation.Service
	Consent    *consent.Service
	Drafts     *drafts.Service // the publishing workflow: drafts pages, attributions under posts
	Audit      *audit.Log
	Log        *slog.Logger
	Secure     bool   // set the Secure flag on cookies (served over TLS)
	SiteName   string // "Rounds" unless configured
}

// UI serves the web pages.
type UI struct {
	Deps
	pages map[string]*template.Template
}

// New parses the templates and returns the UI.
func New(d Deps) (*UI, error) {
	if d.SiteName == "" {
		d.SiteName = "Rounds"
	}
	ui := &UI{Deps: d, pages: map[string]*template.Template{}}
	names, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		return nil, err
	}
	// Each page is parsed with the layout and the partials (files named _*.html).
	shared := []string{"templates/layout.html"}
	for _, n := range names {
		if strings.HasPrefix(n, "templates/_") {
			shared = append(shared, n)
		}
	}
	for _, n := range names {
		base := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if base == "layout" || strings.HasPrefix(base, "_") {
			continue
		}
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFiles, append(shared, n)...)
		if err != nil {
			return nil, err
		}
		ui.pages[base] = t
	}
	return ui, nil
}

var funcs = template.FuncMap{
	"fmtTime": func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05 UTC") },
	"fmtDate": func(t time.Time) string { return t.UTC().Format("January 2, 2006") },
	"isoTime": func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	"visLabel": func(v social.Visibility) string {
		return map[social.Visibility]string{social.Public: "Public", social.Unlisted: "Public, not in public timelines",
			social.Members: "Members of Rounds", social.Private: "Followers only", social.Direct: "Mentioned people only"}[v]
	},
	// statusArgs gives the status template the page-level facts it needs.
	"statusArgs": func(v statusView, p *page) statusArgs {
		return statusArgs{statusView: v, Viewer: p.User != nil && p.Stage == account.StageReady, Next: p.Path}
	},
	"checkName": func(name string) string {
		return map[string]string{"npi": "NPI", "registry": "NPI registry", "exclusions": "Exclusion list", "license": "License"}[name]
	},
	// field bundles what the "input" and "textarea" templates need.
	"field": func(f *form, name, label, hint, typ string) fieldArgs {
		if typ == "" {
			typ = "text"
		}
		return fieldArgs{Form: f, Name: name, Label: label, Hint: hint, Type: typ}
	},
	"roleLabel": func(r account.Role) string { return r.Label() },
}

// Routes registers the UI's routes on mux.
func (ui *UI) Routes(mux *http.ServeMux) {
	static, _ := fs.Sub(staticFiles, "static")
	mux.Handle("GET /static/", http.StripPrefix("/static/", cacheStatic(http.FileServerFS(static))))
	mux.HandleFunc("GET /{$}", ui.withUser(ui.home))
	mux.HandleFunc("GET /signup", ui.withUser(ui.signupForm))
	mux.HandleFunc("POST /signup", ui.withUser(ui.signup))
	mux.HandleFunc("GET /signup/check-username", ui.checkUsername)
	mux.HandleFunc("GET /signin", ui.withUser(ui.signinForm))
	mux.HandleFunc("POST /signin", ui.withUser(ui.signin))
	mux.HandleFunc("GET /signin/2fa", ui.requireStage(account.StageSecondFactor, ui.secondFactorForm))
	mux.HandleFunc("POST /signin/2fa", ui.requireStage(account.StageSecondFactor, ui.secondFactor))
	mux.HandleFunc("POST /signout", ui.signout)
	mux.HandleFunc("GET /settings", ui.requireReady(ui.settings))
	mux.HandleFunc("POST /settings/profile", ui.requireReady(ui.updateProfile))
	mux.HandleFunc("POST /settings/password", ui.requireReady(ui.changePassword))
	mux.HandleFunc("GET /settings/2fa", ui.requireStage(account.StageEnroll, ui.twoFactorSetup))
	mux.HandleFunc("POST /settings/2fa", ui.requireStage(account.StageEnroll, ui.twoFactorConfirm))
	mux.HandleFunc("POST /settings/2fa/new-secret", ui.requireStage(account.StageEnroll, ui.twoFactorNewSecret))
	mux.HandleFunc("POST /settings/2fa/recovery-codes", ui.requireReady(ui.regenerateCodes))
	mux.HandleFunc("POST /settings/2fa/disable", ui.requireReady(ui.disableTwoFactor))
	mux.HandleFunc("GET /oauth/authorize", ui.authorizePage)
	mux.HandleFunc("POST /oauth/authorize", ui.requireReady(ui.authorizeDecision))
	mux.HandleFunc("GET /reset/{token}", ui.withUser(ui.resetForm))
	mux.HandleFunc("POST /reset/{token}", ui.withUser(ui.reset))
	mux.HandleFunc("GET /media/{file}", ui.mediaFile)
	mux.HandleFunc("GET /events", ui.requireReady(ui.events))
	mux.HandleFunc("GET /notifications", ui.requireReady(ui.notifications))
	mux.HandleFunc("GET /directory", ui.withUser(ui.directoryPage))
	mux.HandleFunc("GET /clinicians/{slug}", ui.withUser(ui.clinicianPage))
	mux.HandleFunc("GET /organizations/{slug}", ui.withUser(ui.organizationPage))
	mux.HandleFunc("GET /robots.txt", ui.robots)
	mux.HandleFunc("GET /sitemap.xml", ui.sitemapIndex)
	mux.HandleFunc("GET /{file}", ui.sitemapOrNotFound)
	mux.HandleFunc("GET /settings/clinician", ui.requireReady(ui.profileEdit))
	mux.HandleFunc("POST /settings/clinician", ui.requireReady(ui.profileSave))
	mux.HandleFunc("POST /settings/clinician/verify", ui.requireReady(ui.profileSubmit))
	mux.HandleFunc("POST /settings/clinician/affiliation", ui.requireReady(ui.profileAffiliate))
	ui.orgRoutes(mux)
	ui.socialRoutes(mux)
	ui.followRequestRoutes(mux)
	ui.draftRoutes(mux)
	mux.HandleFunc("POST /settings/apps/{id}/revoke", ui.requireReady(ui.revokeApp))
	mux.HandleFunc("GET /moderation/verifications", ui.requireReady(ui.verificationQueue))
	mux.HandleFunc("POST /moderation/verifications/{id}", ui.requireReady(ui.verificationDecide))
	ui.moderationRoutes(mux)
	mux.HandleFunc("GET /admin/audit", ui.requireAdmin(ui.auditLog))
	mux.HandleFunc("GET /admin/users", ui.requireAdmin(ui.adminUsers))
	mux.HandleFunc("POST /admin/users/{username}/role", ui.requireAdmin(ui.adminSetRole))
	mux.HandleFunc("POST /admin/users/{username}/reset-link", ui.requireAdmin(ui.adminResetLink))
}

// NotFound renders the 404 page for routes nobody claimed (after trying
// the /@name/123 addresses of threads).
func (ui *UI) NotFound(w http.ResponseWriter, r *http.Request) {
	if ui.atPath(w, r) {
		return
	}
	ui.render(w, r, http.StatusNotFound, "error", &page{Title: "Page not found",
		Notice: "There is no page at this address. Check the link, or start again from the home page."})
}

func errsAs(err error) *errs.Error { return errs.As(err) }

func cacheStatic(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		h.ServeHTTP(w, r)
	})
}

// page is what every template receives.
type page struct {
	Path        string    // the page's own path and query, for forms that return here
	Meta        *pageMeta // public pages: canonical URL, Open Graph, JSON-LD
	Title       string
	SiteName    string
	User        *account.User
	Stage       account.Stage
	IdleSeconds int // signed-in pages return to sign-in after this, as the server will have logged off
	Unread      int // unread notifications, for the badge
	Requests    int // follow requests waiting for an answer, beside the badge
	Notice      string
	Form        *form
	Data        any
}

// statusArgs is one status for the "status" template.
type statusArgs struct {
	statusView
	Viewer bool   // signed in and may act: show the buttons
	Next   string // where buttons return to
}

// fieldArgs is one form field for the shared field templates.
type fieldArgs struct {
	Form                    *form
	Name, Label, Hint, Type string
}

// pageMeta is what search engines and link previews read from a public page.
type pageMeta struct {
	Canonical   string // absolute URL
	Description string
	OGType      string // "website", "profile"
	Image       string // absolute URL, optional
	JSONLD      template.JS
	NoIndex     bool
}

// form keeps what the user typed and the problems to show beside each field.
type form struct {
	values map[string]string
	errors map[string]string
	Error  string // a problem not tied to one field
}

func newForm(r *http.Request, fields ...string) *form {
	f := &form{values: map[string]string{}, errors: map[string]string{}}
	for _, k := range fields {
		f.values[k] = r.PostFormValue(k)
	}
	return f
}

// Value returns what the user typed in field.
func (f *form) Value(field string) string {
	if f == nil {
		return ""
	}
	return f.values[field]
}

// Err returns the problem with field, or "".
func (f *form) Err(field string) string {
	if f == nil {
		return ""
	}
	return f.errors[field]
}

// fail records err on the form: field errors beside their fields, anything
// else at the top. It returns the HTTP status to answer with.
func (f *form) fail(err error) int {
	e := errs.As(err)
	if e != nil && len(e.Fields) > 0 {
		for _, fe := range e.Fields {
			if _, shown := f.errors[fe.Field]; !shown {
				f.errors[fe.Field] = fe.Message
			}
		}
	} else {
		f.Error = errs.PublicMessage(err)
	}
	return errs.Status(err)
}

func (ui *UI) render(w http.ResponseWriter, r *http.Request, status int, name string, p *page) {
	ui.renderPart(w, r, status, name, "layout.html", p)
}

// renderPart executes one named template of a page: the whole page through
// its layout, or a fragment that htmx swaps in.
func (ui *UI) renderPart(w http.ResponseWriter, r *http.Request, status int, name, part string, p *page) {
	t, ok := ui.pages[name]
	if !ok {
		ui.Log.Error("missing template", "name", name, "request_id", middleware.RequestID(r.Context()))
		http.Error(w, "Something went wrong on our side.", http.StatusInternalServerError)
		return
	}
	p.SiteName = ui.SiteName
	if p.Path == "" {
		p.Path = r.URL.RequestURI()
	}
	if a := actorOf(r); a != nil {
		p.User, p.Stage = a.user, account.StageOf(a.user, a.session)
		p.IdleSeconds = int(ui.Accounts.Config().IdleTimeout.Seconds()) + 5
		if p.Stage == account.StageReady && ui.Notify != nil {
			p.Unread = ui.unread(r, a.user)
			p.Requests = ui.pendingRequests(r, a.user)
		}
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, part, p); err != nil {
		ui.Log.Error("render", "template", name, "err", err, "request_id", middleware.RequestID(r.Context()))
		http.Error(w, "Something went wrong on our side.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// fail renders the error page for err (not-found, forbidden, internal).
func (ui *UI) fail(w http.ResponseWriter, r *http.Request, err error) {
	status := errs.Status(err)
	if status >= 500 {
		ui.Log.Error("request failed", "err", err, "request_id", middleware.RequestID(r.Context()))
	}
	title := http.StatusText(status)
	ui.render(w, r, status, "error", &page{Title: title, Notice: errs.PublicMessage(err)})
}

// parseForm reads a urlencoded or multipart form, answering 413 or 415 itself.
func (ui *UI) parseForm(w http.ResponseWriter, r *http.Request) bool {
	ct := r.Header.Get("Content-Type")
	if !strings.HasPrefix(ct, "application/x-www-form-urlencoded") && !strings.HasPrefix(ct, "multipart/form-data") {
		ui.render(w, r, http.StatusUnsupportedMediaType, "error", &page{Title: "Unsupported form",
			Notice: "This page takes a form submission (application/x-www-form-urlencoded or multipart/form-data)."})
		return false
	}
	var err error
	if strings.HasPrefix(ct, "multipart/") {
		err = r.ParseMultipartForm(1 << 20)
	} else {
		err = r.ParseForm()
	}
	if err != nil {
		status, msg := http.StatusBadRequest, "The form could not be read; reload the page and try again."
		if strings.Contains(err.Error(), "too large") {
			status, msg = http.StatusRequestEntityTooLarge, "The form is too large."
		}
		ui.render(w, r, status, "error", &page{Title: "Form not accepted", Notice: msg})
		return false
	}
	return true
}

// mediaFile serves an uploaded image: only files the media service stored
// (re-encoded), with their own type and no sniffing.
func (ui *UI) mediaFile(w http.ResponseWriter, r *http.Request) {
	f, mime, err := ui.Media.File(r.PathValue("file"))
	if err != nil {
		ui.fail(w, r, err)
		return
	}
	defer f.Close()
	w.Header().Set("Content-Type", mime)
	w.Header().Set("Cache-Control", "public, max-age=604800, immutable")
	w.Header().Set("Content-Disposition", "inline")
	http.ServeContent(w, r, "", time.Time{}, f)
}
