package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/errs"
)

const sessionCookie = "rounds_session"

type actorKey struct{}

type webActor struct {
	user    *account.User
	session *account.Session
	token   string
}

func actorOf(r *http.Request) *webActor {
	a, _ := r.Context().Value(actorKey{}).(*webActor)
	return a
}

// actor is the service-level actor for the signed-in user.
func (a *webActor) actor() account.Actor { return account.Actor{User: a.user, Via: "web"} }

func (ui *UI) setSessionCookie(w http.ResponseWriter, token string) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true,
		Secure: ui.Secure, SameSite: http.SameSiteLaxMode})
}

func (ui *UI) clearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: ui.Secure, SameSite: http.SameSiteLaxMode})
}

// loadActor authenticates the session cookie. An expired session clears the
// cookie and reports why, for the sign-in page to say.
func (ui *UI) loadActor(w http.ResponseWriter, r *http.Request) (*http.Request, string) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return r, ""
	}
	sess, u, err := ui.Accounts.Authenticate(r.Context(), c.Value)
	if err != nil {
		ui.clearSessionCookie(w)
		if errs.Is(err, errs.KindUnauthorized) {
			return r, errs.PublicMessage(err)
		}
		ui.Log.Error("authenticate", "err", err)
		return r, ""
	}
	a := &webActor{user: u, session: sess, token: c.Value}
	return r.WithContext(context.WithValue(r.Context(), actorKey{}, a)), ""
}

// withUser loads the signed-in user, if any, and calls h.
func (ui *UI) withUser(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r, _ = ui.loadActor(w, r)
		h(w, r)
	}
}

// requireStage lets through sessions at stage, or ready ones when stage is
// StageEnroll (set-up pages stay open after enrolment). Others go where
// their stage sends them.
func (ui *UI) requireStage(stage account.Stage, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r, why := ui.loadActor(w, r)
		a := actorOf(r)
		if a == nil {
			ui.toSignIn(w, r, why)
			return
		}
		got := account.StageOf(a.user, a.session)
		if got == stage || (stage == account.StageEnroll && got == account.StageReady) {
			h(w, r)
			return
		}
		ui.redirectForStage(w, r, got)
	}
}

// requireReady lets through sessions that may act.
func (ui *UI) requireReady(h http.HandlerFunc) http.HandlerFunc {
	return ui.requireStage(account.StageReady, h)
}

// requireAdmin lets through administrators whose session may act, and
// records other attempts in the audit log.
func (ui *UI) requireAdmin(h http.HandlerFunc) http.HandlerFunc {
	return ui.requireReady(func(w http.ResponseWriter, r *http.Request) {
		a := actorOf(r)
		if !a.user.IsAdmin() {
			ui.fail(w, r, ui.Accounts.DenyAdmin(r.Context(), a.actor(), r.Pattern))
			return
		}
		h(w, r)
	})
}

func (ui *UI) redirectForStage(w http.ResponseWriter, r *http.Request, s account.Stage) {
	switch s {
	case account.StageSecondFactor:
		http.Redirect(w, r, "/signin/2fa", http.StatusSeeOther)
	case account.StageEnroll:
		http.Redirect(w, r, "/settings/2fa", http.StatusSeeOther)
	default:
		http.Redirect(w, r, "/", http.StatusSeeOther)
	}
}

func (ui *UI) toSignIn(w http.ResponseWriter, r *http.Request, why string) {
	q := url.Values{}
	if r.Method == http.MethodGet {
		q.Set("next", r.URL.RequestURI())
	}
	if why != "" {
		q.Set("expired", "1")
	}
	http.Redirect(w, r, "/signin?"+q.Encode(), http.StatusSeeOther)
}

// signedOutByLock handles err when it is a lock (too many wrong passwords
// or codes), which has ended the session: it clears the cookie and shows
// the sign-in page with the lock's message. It reports whether it answered.
func (ui *UI) signedOutByLock(w http.ResponseWriter, r *http.Request, err error) bool {
	if !errs.Is(err, errs.KindTooMany) {
		return false
	}
	ui.clearSessionCookie(w)
	setRetryAfter(w, err)
	f := &form{values: map[string]string{"next": "/"}, errors: map[string]string{}}
	status := f.fail(err)
	signedOut := r.WithContext(context.WithValue(r.Context(), actorKey{}, (*webActor)(nil)))
	ui.render(w, signedOut, status, "signin", &page{Title: "Sign in", Form: f})
	return true
}

// setRetryAfter tells the client when to come back, for errors that say.
func setRetryAfter(w http.ResponseWriter, err error) {
	if e := errs.As(err); e != nil && e.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(e.RetryAfter.Seconds())+1))
	}
}

// safeNext returns next if it is a path on this site, else "/": no open
// redirects. Browsers drop tabs and newlines from URLs and read "\" as "/",
// so "/\t/evil.example" and "/\\evil.example" would leave the site: any
// control character or backslash, raw or percent-encoded, is refused, and
// the path must start with exactly one "/".
func safeNext(next string) string {
	if next == "" || strings.ContainsFunc(next, unsafeInURL) {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" ||
		!strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") || strings.ContainsFunc(u.Path, unsafeInURL) {
		return "/"
	}
	return next
}

func unsafeInURL(r rune) bool { return r == '\\' || unicode.IsControl(r) }
