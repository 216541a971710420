package web

import (
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/rounds-health/rounds/internal/account"
)

// The OAuth 2 consent page (/oauth/authorize): a signed-in person whose
// session may act sees which app asks for what, in plain words, and
// authorizes or denies. The rules (which apps, redirect URIs and scopes are
// acceptable; the code) are the account service's; the token endpoint is
// in internal/api. The POST goes through the cross-origin check like every
// form here.

// authorizeData is what the consent page shows and sends back.
type authorizeData struct {
	Request account.AuthRequest
	App     *account.App
	Website *url.URL
	Scopes  []scopeLine
	// ReturnTo names where the person goes afterwards; empty when the app
	// shows no page of its own and the person copies a code instead.
	ReturnTo string
}

type scopeLine struct{ Scope, Words string }

// codeData is the page that shows an out-of-band code.
type codeData struct {
	App  *account.App
	Code string
}

func authRequestOf(v url.Values) account.AuthRequest {
	return account.AuthRequest{
		ResponseType: v.Get("response_type"), ClientID: v.Get("client_id"), RedirectURI: v.Get("redirect_uri"),
		Scope: v.Get("scope"), State: v.Get("state"),
		CodeChallenge: v.Get("code_challenge"), CodeChallengeMethod: v.Get("code_challenge_method"),
	}
}

// authorizePage shows the consent page. Signed-out people sign in first
// and come back; force_login ends the current session first, so that a
// person with several accounts can choose which one to use.
func (ui *UI) authorizePage(w http.ResponseWriter, r *http.Request) {
	r, why := ui.loadActor(w, r)
	q := r.URL.Query()
	if v := q.Get("force_login"); v == "true" || v == "1" {
		ui.forceLogin(w, r, q)
		return
	}
	a := actorOf(r)
	if a == nil {
		ui.toSignIn(w, r, why)
		return
	}
	switch account.StageOf(a.user, a.session) {
	case account.StageSecondFactor:
		http.Redirect(w, r, "/signin/2fa?next="+urlQueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	case account.StageEnroll:
		http.Redirect(w, r, "/settings/2fa", http.StatusSeeOther)
		return
	}
	req := authRequestOf(q)
	c, err := ui.Accounts.CheckAuthorization(r.Context(), a.actor(), req)
	if err != nil {
		ui.authorizeFailed(w, r, err, http.StatusFound)
		return
	}
	d := authorizeData{Request: req, App: c.App, ReturnTo: returnTo(c.RedirectURI)}
	if u, err := url.Parse(c.App.Website); err == nil && c.App.Website != "" {
		d.Website = u
	}
	for _, s := range c.Scopes {
		d.Scopes = append(d.Scopes, scopeLine{Scope: s, Words: scopeWords(s)})
	}
	allowFormRedirect(w, c.RedirectURI)
	ui.render(w, r, http.StatusOK, "oauth_authorize", &page{Title: "Authorize " + c.App.Name, Data: d})
}

// forceLogin signs the current session out and sends the person to sign
// in, coming back to the same request without force_login.
func (ui *UI) forceLogin(w http.ResponseWriter, r *http.Request, q url.Values) {
	if a := actorOf(r); a != nil {
		if err := ui.Accounts.SignOut(r.Context(), a.token); err != nil {
			ui.fail(w, r, err)
			return
		}
		ui.clearSessionCookie(w)
	}
	q.Del("force_login")
	next := "/oauth/authorize?" + q.Encode()
	http.Redirect(w, r, "/signin?"+url.Values{"next": {next}}.Encode(), http.StatusSeeOther)
}

// authorizeDecision records the person's answer.
func (ui *UI) authorizeDecision(w http.ResponseWriter, r *http.Request) {
	if !ui.parseForm(w, r) {
		return
	}
	a := actorOf(r)
	req := authRequestOf(r.PostForm)
	w.Header().Set("Cache-Control", "no-store")
	switch r.PostFormValue("decision") {
	case "authorize":
		g, err := ui.Accounts.Authorize(r.Context(), a.actor(), req)
		if err != nil {
			ui.authorizeFailed(w, r, err, http.StatusSeeOther)
			return
		}
		if g.RedirectTo != "" {
			http.Redirect(w, r, g.RedirectTo, http.StatusSeeOther)
			return
		}
		ui.render(w, r, http.StatusOK, "oauth_code", &page{Title: "Your authorization code", Data: codeData{App: g.App, Code: g.Code}})
	case "deny":
		app, to, err := ui.Accounts.DenyAuthorization(r.Context(), a.actor(), req)
		if err != nil {
			ui.authorizeFailed(w, r, err, http.StatusSeeOther)
			return
		}
		if to != "" {
			http.Redirect(w, r, to, http.StatusSeeOther)
			return
		}
		ui.render(w, r, http.StatusOK, "oauth_message", &page{Title: "Access denied",
			Data: app.Name + " was not given access to your account. You can close this page."})
	default:
		ui.render(w, r, http.StatusBadRequest, "oauth_message", &page{Title: "This app cannot be authorized",
			Data: "The form did not say whether to authorize or deny. Go back to the app and start again."})
	}
}

// authorizeFailed sends an error to the client when the service verified
// where to (status is 302 after a GET, 303 after the form), and otherwise
// tells the person, never contacting an address the app did not register.
func (ui *UI) authorizeFailed(w http.ResponseWriter, r *http.Request, err error, status int) {
	var oe *account.OAuthError
	if !errors.As(err, &oe) {
		ui.fail(w, r, err)
		return
	}
	if to := oe.Redirect(); to != "" {
		http.Redirect(w, r, to, status)
		return
	}
	ui.render(w, r, http.StatusBadRequest, "oauth_message", &page{Title: "This app cannot be authorized", Data: oe.Description})
}

// returnTo names the place a redirect URI leads to, for the person.
func returnTo(redirectURI string) string {
	if redirectURI == account.OOB {
		return ""
	}
	u, err := url.Parse(redirectURI)
	if err != nil {
		return redirectURI
	}
	if u.Host != "" && (u.Scheme == "https" || u.Scheme == "http") {
		return u.Host
	}
	return "the app (" + u.Scheme + ":)"
}

// cspHost is a host with port that is safe inside a
// content security policy: no spaces, semicolons or quotes.
var cspHost = regexp.MustCompile(`^[A-Za-z0-9.:\[\]-]+$`)

// allowFormRedirect lets the consent form's answer redirect to the app.
// Browsers apply form-action to the redirect that follows a form
// submission, so the page's policy must name the app's address as well.
func allowFormRedirect(w http.ResponseWriter, redirectURI string) {
	u, err := url.Parse(redirectURI)
	if err != nil || redirectURI == account.OOB || u.Scheme == "" {
		return
	}
	source := strings.ToLower(u.Scheme) + ":"
	if u.Scheme == "https" || u.Scheme == "http" {
		if !cspHost.MatchString(u.Host) {
			return
		}
		source = strings.ToLower(u.Scheme) + "://" + u.Host
	}
	csp := w.Header().Get("Content-Security-Policy")
	if csp != "" {
		w.Header().Set("Content-Security-Policy", strings.Replace(csp, "form-action 'self'", "form-action 'self' "+source, 1))
	}
}

// scopeWords says what a scope lets an app do, for the consent page.
func scopeWords(scope string) string {
	if s, ok := scopePhrases[scope]; ok {
		return s
	}
	for _, base := range []string{"admin:read", "admin:write", "read", "write"} {
		if thing, ok := strings.CutPrefix(scope, base+":"); ok {
			name := strings.ReplaceAll(thing, "_", " ")
			if n, ok := scopeThings[thing]; ok {
				name = n
			}
			return scopeVerbs[base] + name
		}
	}
	return "Use " + scope
}

var scopePhrases = map[string]string{
	"read":                "See everything your account can see: your profile, posts, follows, notifications and messages",
	"write":               "Post, edit and delete for you, and change your profile and settings",
	"follow":              "Follow, unfollow, block and mute accounts for you",
	"push":                "Receive your notifications, to show them on your device",
	"profile":             "See your profile: username, name and role",
	"admin:read":          "See this server's administrative data: accounts, reports and settings",
	"admin:write":         "Take administrative and moderation actions on this server in your name",
	"read:accounts":       "See your profile and the accounts you can see",
	"write:accounts":      "Change your profile",
	"read:statuses":       "See the posts you can see",
	"write:statuses":      "Publish, edit and delete posts for you",
	"write:media":         "Upload pictures for you",
	"write:follows":       "Follow and unfollow accounts for you",
	"write:favourites":    "Favourite posts for you",
	"write:notifications": "Dismiss your notifications",
	"write:reports":       "Report posts and accounts for you",
	"read:search":         "Search for you",
}

var scopeVerbs = map[string]string{
	"read":        "See your ",
	"write":       "Change your ",
	"admin:read":  "See this server's administrative data on ",
	"admin:write": "Take administrative actions on ",
}

var scopeThings = map[string]string{
	"statuses":               "posts",
	"conversations":          "conversations and messages",
	"media":                  "uploaded media",
	"favourites":             "favourites",
	"canonical_email_blocks": "blocked email addresses",
	"email_domain_blocks":    "blocked email domains",
	"domain_blocks":          "blocked servers",
	"ip_blocks":              "blocked network addresses",
}
