package web

import (
	"net/http"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/directory"
	"github.com/rounds-health/rounds/internal/errs"
)

type homeData struct {
	Clinicians    *directory.Results
	Organizations []*directory.Organization
	Members       int
}

func (ui *UI) home(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	clinicians, err := ui.Directory.Search(ctx, directory.Query{Verified: true, PerPage: 9})
	if err != nil {
		ui.fail(w, r, err)
		return
	}
	orgs, err := ui.Directory.Organizations(ctx, "", 1, 6)
	if err != nil {
		ui.fail(w, r, err)
		return
	}
	n, err := ui.Accounts.CountUsers(ctx)
	if err != nil {
		ui.fail(w, r, err)
		return
	}
	p := &page{Title: "Healthcare, in the open", Data: homeData{Clinicians: clinicians, Organizations: orgs, Members: n},
		Meta: &pageMeta{Canonical: ui.absURL(r, "/"), OGType: "website",
			Description: "Find verified clinicians and the hospitals and clinics they work at; follow them, ask, share and choose."}}
	switch r.URL.Query().Get("notice") {
	case "welcome":
		p.Notice = "Welcome to Rounds. Your account is ready."
	case "signedout":
		p.Notice = "You are signed out."
	}
	ui.render(w, r, http.StatusOK, "home", p)
}

var signupFields = []string{"username", "email", "display_name", "password", "role", "age"}

func (ui *UI) signupForm(w http.ResponseWriter, r *http.Request) {
	f := &form{values: map[string]string{"role": string(account.Patient)}, errors: map[string]string{}}
	ui.render(w, r, http.StatusOK, "signup", &page{Title: "Create your account", Form: f, Data: account.SelfServiceRoles})
}

func (ui *UI) signup(w http.ResponseWriter, r *http.Request) {
	if !ui.parseForm(w, r) {
		return
	}
	f := newForm(r, signupFields...)
	role, _ := account.ParseRole(f.Value("role"))
	// One call creates the account and its session: a failure leaves neither.
	_, _, token, err := ui.Accounts.SignUp(r.Context(), account.NewUser{
		Username: f.Value("username"), Email: f.Value("email"), Password: f.Value("password"),
		DisplayName: f.Value("display_name"), Role: role, AgeAttested: f.Value("age") == "yes",
	}, r.UserAgent())
	if err != nil {
		f.values["password"] = "" // never echo a password back
		setRetryAfter(w, err)
		status := f.fail(err)
		ui.render(w, r, status, "signup", &page{Title: "Create your account", Form: f, Data: account.SelfServiceRoles})
		return
	}
	ui.setSessionCookie(w, token)
	if role.RequiresSecondFactor() {
		http.Redirect(w, r, "/settings/2fa?new=1", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/?notice=welcome", http.StatusSeeOther)
}

// checkUsername answers the sign-up form's live check (htmx) with a short
// message fragment.
func (ui *UI) checkUsername(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("username")
	msg := ""
	if name != "" {
		if _, err := ui.Accounts.UserByUsername(r.Context(), name); err == nil {
			msg = "This username is taken."
		}
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write([]byte(templateEscape(msg)))
}

// startSession signs in and sets the cookie; it returns what the new
// session must do next.
func (ui *UI) startSession(w http.ResponseWriter, r *http.Request, username, password string) (account.Stage, error) {
	sess, u, token, err := ui.Accounts.SignIn(r.Context(), account.Credentials{
		Username: username, Password: password, UserAgent: r.UserAgent()})
	if err != nil {
		return 0, err
	}
	ui.setSessionCookie(w, token)
	return account.StageOf(u, sess), nil
}

func (ui *UI) signinForm(w http.ResponseWriter, r *http.Request) {
	if a := actorOf(r); a != nil {
		ui.redirectForStage(w, r, account.StageOf(a.user, a.session))
		return
	}
	f := &form{values: map[string]string{"next": safeNext(r.URL.Query().Get("next"))}, errors: map[string]string{}}
	p := &page{Title: "Sign in", Form: f}
	switch {
	case r.URL.Query().Get("expired") == "1":
		p.Notice = "You were signed out after a period without activity, to protect your account. Sign in again."
	case r.URL.Query().Get("reset") == "1":
		p.Notice = "Your password is changed. Sign in with it now."
	}
	ui.render(w, r, http.StatusOK, "signin", p)
}

func (ui *UI) signin(w http.ResponseWriter, r *http.Request) {
	if !ui.parseForm(w, r) {
		return
	}
	f := newForm(r, "username", "password", "next")
	stage, err := ui.startSession(w, r, f.Value("username"), f.Value("password"))
	if err != nil {
		f.values["password"] = ""
		setRetryAfter(w, err)
		ui.render(w, r, f.fail(err), "signin", &page{Title: "Sign in", Form: f})
		return
	}
	next := safeNext(f.Value("next"))
	switch stage {
	case account.StageSecondFactor:
		http.Redirect(w, r, "/signin/2fa?next="+urlQueryEscape(next), http.StatusSeeOther)
	case account.StageEnroll:
		http.Redirect(w, r, "/settings/2fa", http.StatusSeeOther)
	default:
		http.Redirect(w, r, next, http.StatusSeeOther)
	}
}

func (ui *UI) secondFactorForm(w http.ResponseWriter, r *http.Request) {
	f := &form{values: map[string]string{"next": safeNext(r.URL.Query().Get("next"))}, errors: map[string]string{}}
	ui.render(w, r, http.StatusOK, "signin_2fa", &page{Title: "Two-factor sign-in", Form: f})
}

func (ui *UI) secondFactor(w http.ResponseWriter, r *http.Request) {
	if !ui.parseForm(w, r) {
		return
	}
	a := actorOf(r)
	f := newForm(r, "code", "next")
	token, err := ui.Accounts.VerifySecondFactor(r.Context(), a.session, a.user, f.Value("code"))
	if err != nil {
		if ui.signedOutByLock(w, r, err) {
			return
		}
		f.values["code"] = ""
		ui.render(w, r, f.fail(err), "signin_2fa", &page{Title: "Two-factor sign-in", Form: f})
		return
	}
	// The session has a new token now; the one from before the code is dead.
	ui.setSessionCookie(w, token)
	http.Redirect(w, r, safeNext(f.Value("next")), http.StatusSeeOther)
}

func (ui *UI) signout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		if err := ui.Accounts.SignOut(r.Context(), c.Value); err != nil {
			ui.fail(w, r, err)
			return
		}
	}
	ui.clearSessionCookie(w)
	http.Redirect(w, r, "/?notice=signedout", http.StatusSeeOther)
}

func (ui *UI) resetForm(w http.ResponseWriter, r *http.Request) {
	u, err := ui.Accounts.ResetUser(r.Context(), r.PathValue("token"))
	if err != nil {
		ui.fail(w, r, err)
		return
	}
	ui.render(w, r, http.StatusOK, "reset", &page{Title: "Choose a new password", Data: u, Form: &form{}})
}

func (ui *UI) reset(w http.ResponseWriter, r *http.Request) {
	if !ui.parseForm(w, r) {
		return
	}
	f := newForm(r, "password", "confirm")
	token := r.PathValue("token")
	if f.Value("password") != f.Value("confirm") {
		f.errors["confirm"] = "The two passwords differ; type the same password twice."
		u, err := ui.Accounts.ResetUser(r.Context(), token)
		if err != nil {
			ui.fail(w, r, err)
			return
		}
		ui.render(w, r, http.StatusUnprocessableEntity, "reset", &page{Title: "Choose a new password", Data: u, Form: f})
		return
	}
	u, err := ui.Accounts.ResetPassword(r.Context(), token, f.Value("password"))
	if err != nil {
		if errs.Is(err, errs.KindNotFound) {
			ui.fail(w, r, err)
			return
		}
		u, _ = ui.Accounts.ResetUser(r.Context(), token)
		ui.render(w, r, f.fail(err), "reset", &page{Title: "Choose a new password", Data: u, Form: f})
		return
	}
	ui.clearSessionCookie(w)
	_ = u
	http.Redirect(w, r, "/signin?reset=1", http.StatusSeeOther)
}
