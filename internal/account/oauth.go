package account

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"math"
	"net"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/rounds-health/rounds/internal/audit"
	"github.com/rounds-health/rounds/internal/errs"
)

// OAuth 2 as Mastodon clients speak it (RFC 6749, with PKCE from RFC 7636
// and revocation from RFC 7009): apps register themselves, a signed-in
// person grants an app some scopes, and the app trades the one-time code
// for a bearer token in oauth_tokens, the table `rounds admin token` uses.
// Client secrets, codes and tokens are stored as SHA-256 hashes only and
// never reach the audit log.

// OOB is the redirect URI of an app that has the person copy the code
// instead of receiving it ("out of band").
const OOB = "urn:ietf:wg:oauth:2.0:oob"

const (
	codeTTL       = 10 * time.Minute
	codeRetention = 24 * time.Hour // used codes are kept this long past expiry to catch replays

	maxAppName      = 100
	maxRedirectURIs = 10
	maxURILength    = 2000

	appsPerAddr   = 25 // registrations one address may make per appsWindow
	appsWindow    = 5 * time.Minute
	defaultScopes = "read"
)

// App is a registered OAuth 2 client.
type App struct {
	ID           int64
	Name         string
	Website      string
	RedirectURIs []string
	Scopes       []string
	ClientID     string
	CreatedAt    time.Time
}

// NewApp is what an app registers with.
type NewApp struct {
	Name         string
	Website      string
	RedirectURIs []string // each entry may hold several URIs separated by newlines
	Scopes       string   // space-separated; "read" when empty
}

// OAuthError is a refusal with the error code of RFC 6749 that clients act
// on. At the authorization endpoint, RedirectURI is set once the client and
// the redirect URI are verified: the client then hears of the error there
// (§4.1.2.1). Without it, the person is told and the client is never
// contacted, so an unregistered address can never receive a redirect.
type OAuthError struct {
	Code        string // invalid_request, invalid_client, invalid_grant, invalid_scope, unauthorized_client, …
	Description string // what went wrong and what to do, for people
	RedirectURI string
	State       string
}

func (e *OAuthError) Error() string { return e.Code + ": " + e.Description }

// Redirect is the address that reports the error to the client, or "".
func (e *OAuthError) Redirect() string {
	if e.RedirectURI == "" || e.RedirectURI == OOB {
		return ""
	}
	return RedirectWith(e.RedirectURI, withState(url.Values{"error": {e.Code}, "error_description": {e.Description}}, e.State))
}

func oauthErr(code, format string, args ...any) *OAuthError {
	return &OAuthError{Code: code, Description: fmt.Sprintf(format, args...)}
}

// RedirectWith appends params to uri's query, keeping the query the client
// registered exactly as it was.
func RedirectWith(uri string, params url.Values) string {
	sep := "?"
	if strings.Contains(uri, "?") {
		sep = "&"
	}
	return uri + sep + params.Encode()
}

func withState(v url.Values, state string) url.Values {
	if state != "" {
		v.Set("state", state)
	}
	return v
}

// RegisterApp registers an OAuth client and returns it with its secret,
// which is shown this once: only its hash is kept. Anyone may register, so
// registrations count against the client's address.
func (s *Service) RegisterApp(ctx context.Context, in NewApp) (*App, string, error) {
	a, err := in.validate()
	if err != nil {
		return nil, "", err
	}
	_, lo, err := s.reserve(ctx, throttle{key: "apps:" + audit.ClientAddr(ctx), limit: appsPerAddr, window: appsWindow, lock: appsWindow})
	if err != nil {
		return nil, "", err
	}
	if lo != nil {
		wait := max(lo.until.Sub(s.now()), time.Second)
		mins := int(math.Ceil(wait.Minutes()))
		return nil, "", errs.TooMany(fmt.Sprintf("Too many applications were registered from your network address. Try again in %d minute%s.", mins, plural(mins)), wait)
	}
	a.ID, a.ClientID, a.CreatedAt = s.ids.Next(), newToken(), s.now().UTC()
	secret := newToken()
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.st.insertApp(ctx, a, hashSecret(secret)); err != nil {
			return err
		}
		return s.audit.Append(ctx, audit.Event{Actor: "api", Action: "oauth.register_app", Target: appTarget(a.ID),
			Outcome: audit.Success, Detail: fmt.Sprintf("scopes=%s redirect_uris=%d", strings.Join(a.Scopes, " "), len(a.RedirectURIs))})
	})
	if err != nil {
		return nil, "", errs.Internal(err, "register app")
	}
	return a, secret, nil
}

func appTarget(id int64) string { return fmt.Sprintf("app:%d", id) }

func (in NewApp) validate() (*App, error) {
	a := &App{Name: strings.TrimSpace(in.Name), Website: strings.TrimSpace(in.Website)}
	var fs []errs.FieldError
	add := func(field, msg string) { fs = append(fs, errs.FieldError{Field: field, Message: msg}) }
	switch {
	case a.Name == "":
		add("client_name", "Give the application a name (client_name).")
	case utf8.RuneCountInString(a.Name) > maxAppName:
		add("client_name", fmt.Sprintf("Application names are at most %d characters.", maxAppName))
	case strings.ContainsFunc(a.Name, unicode.IsControl):
		add("client_name", "The application name cannot contain control characters or line breaks.")
	}
	if a.Website != "" {
		if u, err := url.Parse(a.Website); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(a.Website) > maxURILength {
			add("website", fmt.Sprintf("The website must be an absolute http or https address of at most %d characters, like https://app.example.", maxURILength))
		}
	}
	uris, msg := parseRedirectURIs(in.RedirectURIs)
	if msg != "" {
		add("redirect_uris", msg)
	}
	a.RedirectURIs = uris
	scopes := in.Scopes
	if strings.TrimSpace(scopes) == "" {
		scopes = defaultScopes
	}
	sc, err := ParseScopes(scopes)
	if err != nil {
		add("scopes", errs.FieldMessage(err, "scopes"))
	}
	a.Scopes = sc
	if err := errs.Fields(fs...); err != nil {
		return nil, err
	}
	return a, nil
}

// parseRedirectURIs splits and checks the redirect URIs, returning a
// message for the first problem.
func parseRedirectURIs(in []string) ([]string, string) {
	var uris []string
	for _, entry := range in {
		for _, u := range strings.Split(entry, "\n") {
			if u = strings.TrimSpace(u); u != "" && !slices.Contains(uris, u) {
				uris = append(uris, u)
			}
		}
	}
	if len(uris) == 0 {
		return nil, "Give at least one redirect URI (redirect_uris), or " + OOB + " to have people copy the code into your app."
	}
	if len(uris) > maxRedirectURIs {
		return nil, fmt.Sprintf("An application may register at most %d redirect URIs.", maxRedirectURIs)
	}
	for _, u := range uris {
		if msg := redirectURIProblem(u); msg != "" {
			return nil, msg
		}
	}
	return uris, ""
}

// webHost is a host (with port) that is safe to repeat in a URL or a
// content security policy: a name, an IPv4 address or a bracketed IPv6 one.
var webHost = regexp.MustCompile(`^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:[0-9]{1,5})?$`)

// unsafeSchemes would run code or read local data when followed.
var unsafeSchemes = []string{"javascript", "vbscript", "data", "file", "blob", "about", "filesystem", "view-source",
	"mailto", "tel", "sms", "ftp", "ws", "wss"}

// redirectURIProblem checks one redirect URI: https anywhere, http only to
// this machine (RFC 8252 §7.3), a private scheme for native apps (§7.1), or
// the out-of-band URN. Never a fragment (RFC 6749 §3.1.2).
func redirectURIProblem(raw string) string {
	if raw == OOB {
		return ""
	}
	bad := func(why string) string { return fmt.Sprintf("The redirect URI %q %s", clipText(raw, 80), why) }
	if len(raw) > maxURILength {
		return bad(fmt.Sprintf("is longer than %d characters.", maxURILength))
	}
	if strings.ContainsFunc(raw, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) || r == '\\' }) {
		return bad("contains spaces, control characters or backslashes.")
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" {
		return bad("must be an absolute URI, like https://app.example/callback or com.example.app:/callback.")
	}
	if strings.Contains(raw, "#") {
		return bad("must not contain a fragment (#…).")
	}
	if u.User != nil {
		return bad("must not contain a user name or password.")
	}
	scheme := strings.ToLower(u.Scheme)
	switch {
	case scheme == "https" || scheme == "http":
		if !webHost.MatchString(u.Host) {
			return bad("must name a host, like https://app.example/callback.")
		}
		if scheme == "http" && !isLoopback(u.Hostname()) {
			return bad("uses http, which is allowed only for this machine (localhost, 127.0.0.1 or [::1]); use https.")
		}
	case slices.Contains(unsafeSchemes, scheme):
		return bad(fmt.Sprintf("uses the %s: scheme, which cannot receive an authorization code.", scheme))
	}
	return ""
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func clipText(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// redirectMatches reports whether the redirect URI of a request is one the
// app registered: the same string, except that a loopback IP address may
// come with any port, as native apps pick a free one (RFC 8252 §7.3).
func (a *App) redirectMatches(given string) bool {
	if given == "" {
		return false
	}
	if slices.Contains(a.RedirectURIs, given) {
		return true
	}
	g, err := url.Parse(given)
	if err != nil || g.Scheme != "http" || net.ParseIP(g.Hostname()) == nil || !net.ParseIP(g.Hostname()).IsLoopback() {
		return false
	}
	for _, r := range a.RedirectURIs {
		ru, err := url.Parse(r)
		if err == nil && ru.Scheme == g.Scheme && ru.Hostname() == g.Hostname() && ru.Path == g.Path &&
			ru.RawQuery == g.RawQuery && ru.User == nil && g.User == nil && g.Fragment == "" {
			return true
		}
	}
	return false
}

// grants reports whether the app may be granted scope: it registered the
// scope or its parent ("read" covers "read:statuses").
func (a *App) grants(scope string) bool { return (&Token{Scopes: a.Scopes}).HasScope(scope) }

// AuthRequest is an authorization request as a client sends it to
// /oauth/authorize, and as the consent form sends it back.
type AuthRequest struct {
	ResponseType        string
	ClientID            string
	RedirectURI         string
	Scope               string
	State               string
	CodeChallenge       string
	CodeChallengeMethod string
}

// Consent is a verified authorization request, ready to put to the person.
type Consent struct {
	App         *App
	RedirectURI string
	Scopes      []string
	State       string
	Challenge   string // PKCE S256 challenge, or ""
}

// pkceChallenge is an S256 challenge: base64url of a SHA-256, unpadded.
var pkceChallenge = regexp.MustCompile(`^[A-Za-z0-9_-]{43}$`)

// pkceVerifier is a code verifier (RFC 7636 §4.1).
var pkceVerifier = regexp.MustCompile(`^[A-Za-z0-9._~-]{43,128}$`)

// CheckAuthorization verifies an authorization request for the signed-in
// actor. An unknown client, a redirect URI the app did not register and
// scopes beyond the app's (or, for others than administrators, admin
// scopes) are told to the person; the remaining problems carry the
// verified redirect URI for the client to hear of them.
func (s *Service) CheckAuthorization(ctx context.Context, actor Actor, req AuthRequest) (*Consent, error) {
	if actor.User == nil {
		return nil, errs.Unauthorized("Sign in first.")
	}
	if req.ClientID == "" {
		return nil, oauthErr("invalid_client", "The link does not say which application asks (client_id is missing). Go back to the app and start again.")
	}
	app, _, err := s.st.appByClientID(ctx, req.ClientID)
	if err != nil {
		return nil, errs.Internal(err, "load app")
	}
	if app == nil {
		return nil, oauthErr("invalid_client", "No application is registered here with this client_id. Go back to the app and start again; if it keeps happening, tell the app's makers.")
	}
	if req.RedirectURI == "" {
		return nil, oauthErr("invalid_request", "The link does not say where to return to (redirect_uri is missing). Go back to %s and start again.", app.Name)
	}
	if !app.redirectMatches(req.RedirectURI) {
		return nil, oauthErr("invalid_request", "%s asked to return to an address it did not register (the redirect_uri does not match). Nothing was sent there. Go back to the app and start again, or tell its makers.", app.Name)
	}
	c := &Consent{App: app, RedirectURI: req.RedirectURI, State: req.State}
	if c.Scopes, err = s.consentScopes(actor.User, app, req.Scope); err != nil {
		return nil, err
	}
	redirectable := func(code, format string, args ...any) error {
		e := oauthErr(code, format, args...)
		e.RedirectURI, e.State = req.RedirectURI, req.State
		return e
	}
	switch {
	case req.ResponseType == "":
		return nil, redirectable("invalid_request", "response_type is missing; use response_type=code.")
	case req.ResponseType != "code":
		return nil, redirectable("unsupported_response_type", "Only response_type=code is supported.")
	case req.CodeChallenge == "" && req.CodeChallengeMethod != "":
		return nil, redirectable("invalid_request", "code_challenge_method was given without a code_challenge.")
	case req.CodeChallenge != "" && req.CodeChallengeMethod != "S256":
		return nil, redirectable("invalid_request", "code_challenge_method must be S256; the plain method is not supported.")
	case req.CodeChallenge != "" && !pkceChallenge.MatchString(req.CodeChallenge):
		return nil, redirectable("invalid_request", "code_challenge must be the unpadded base64url SHA-256 of the code verifier (43 characters).")
	}
	c.Challenge = req.CodeChallenge
	return c, nil
}

// consentScopes returns the scopes a request asks for ("read" when none),
// refusing any the app did not register and admin scopes for people who
// are not administrators.
func (s *Service) consentScopes(u *User, app *App, scope string) ([]string, error) {
	if strings.TrimSpace(scope) == "" {
		scope = defaultScopes
	}
	sc, err := ParseScopes(scope)
	if err != nil {
		return nil, oauthErr("invalid_scope", "%s asked for access this server does not know: %s", app.Name, errs.FieldMessage(err, "scopes"))
	}
	for _, x := range sc {
		if !app.grants(x) {
			return nil, oauthErr("invalid_scope", "%s asked for more access (%s) than it registered (%s). Nothing was granted; tell the app's makers.",
				app.Name, x, strings.Join(app.Scopes, " "))
		}
		if isAdminScope(x) && !u.IsAdmin() {
			return nil, oauthErr("invalid_scope", "%s asked for administrator access (%s), which only administrators can grant. Nothing was granted.", app.Name, x)
		}
	}
	return sc, nil
}

// Grant is an issued authorization code.
type Grant struct {
	App  *App
	Code string // shown to the person when the app redirects out of band
	// RedirectTo is the redirect URI with the code and state, or "" out of band.
	RedirectTo string
}

// Authorize grants the actor's consent to an authorization request,
// checked again in full: the form that carries it back is not trusted. It
// issues a code for 10 minutes and one use, bound to the app, the redirect
// URI, the scopes, the person and the PKCE challenge.
func (s *Service) Authorize(ctx context.Context, actor Actor, req AuthRequest) (*Grant, error) {
	c, err := s.CheckAuthorization(ctx, actor, req)
	if err != nil {
		return nil, err
	}
	code := newToken()
	now := s.now()
	ac := &authCode{ID: s.ids.Next(), AppID: c.App.ID, UserID: actor.User.ID, RedirectURI: c.RedirectURI, Scopes: c.Scopes,
		Challenge: c.Challenge, ExpiresAt: now.Add(codeTTL)}
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.st.deleteCodesExpiredBefore(ctx, now.Add(-codeRetention)); err != nil {
			return err
		}
		if err := s.st.insertCode(ctx, ac, hashSecret(code), now); err != nil {
			return err
		}
		pkce := "none"
		if c.Challenge != "" {
			pkce = "S256"
		}
		return s.audit.Append(ctx, actor.event("oauth.authorize", appTarget(c.App.ID), audit.Success,
			fmt.Sprintf("code:%d scopes=%s pkce=%s", ac.ID, strings.Join(c.Scopes, " "), pkce)))
	})
	if err != nil {
		return nil, errs.Internal(err, "issue authorization code")
	}
	g := &Grant{App: c.App, Code: code}
	if c.RedirectURI != OOB {
		g.RedirectTo = RedirectWith(c.RedirectURI, withState(url.Values{"code": {code}}, c.State))
	}
	return g, nil
}

// DenyAuthorization records that the actor refused an authorization
// request and returns where to tell the client (error=access_denied), or
// "" out of band.
func (s *Service) DenyAuthorization(ctx context.Context, actor Actor, req AuthRequest) (*App, string, error) {
	c, err := s.CheckAuthorization(ctx, actor, req)
	if err != nil {
		return nil, "", err
	}
	if err := s.audit.Append(ctx, actor.event("oauth.authorize", appTarget(c.App.ID), audit.Denied,
		"refused by the user; scopes="+strings.Join(c.Scopes, " "))); err != nil {
		return nil, "", errs.Internal(err, "audit denied authorization")
	}
	e := &OAuthError{Code: "access_denied", Description: "The user refused to authorize the application.", RedirectURI: c.RedirectURI, State: c.State}
	return c.App, e.Redirect(), nil
}

// TokenRequest is what a client sends to the token endpoint.
type TokenRequest struct {
	GrantType    string
	ClientID     string
	ClientSecret string // "" for a public client, which must then use PKCE
	Code         string
	RedirectURI  string
	CodeVerifier string
	Scope        string // client_credentials only; "read" when empty
}

// IssuedToken is a new access token, shown to the client once.
type IssuedToken struct {
	AccessToken string
	Scopes      []string
	CreatedAt   time.Time
}

// GrantToken answers the token endpoint: authorization_code (with PKCE
// when the code has a challenge; public clients must use it) and
// client_credentials (an app token with no user). The password grant is
// not supported: people type passwords only into Rounds itself.
func (s *Service) GrantToken(ctx context.Context, req TokenRequest) (*IssuedToken, error) {
	switch req.GrantType {
	case "authorization_code", "client_credentials":
	case "":
		return nil, s.oauthRefusal(ctx, "", oauthErr("invalid_request", "grant_type is missing; use authorization_code or client_credentials."))
	case "password":
		return nil, s.oauthRefusal(ctx, "", oauthErr("unsupported_grant_type",
			"The password grant is not supported: people sign in on this server only. Use the authorization_code grant with PKCE."))
	default:
		return nil, s.oauthRefusal(ctx, "", oauthErr("unsupported_grant_type", "Supported grant types are authorization_code and client_credentials."))
	}
	app, err := s.authenticateClient(ctx, req.ClientID, req.ClientSecret)
	if err != nil {
		return nil, err
	}
	if req.GrantType == "client_credentials" {
		if req.ClientSecret == "" {
			return nil, s.oauthRefusal(ctx, appTarget(app.ID), oauthErr("invalid_client", "The client_credentials grant needs the client_secret."))
		}
		return s.grantClientCredentials(ctx, app, req.Scope)
	}
	return s.exchangeCode(ctx, app, req)
}

// authenticateClient finds the app by client_id and checks its secret;
// with no secret it is a public client, identified only.
func (s *Service) authenticateClient(ctx context.Context, clientID, secret string) (*App, error) {
	if clientID == "" {
		return nil, s.oauthRefusal(ctx, "", oauthErr("invalid_client", "Client authentication failed: client_id is missing."))
	}
	app, secretHash, err := s.st.appByClientID(ctx, clientID)
	if err != nil {
		return nil, errs.Internal(err, "load app")
	}
	if app == nil {
		return nil, s.oauthRefusal(ctx, "", oauthErr("invalid_client", "Client authentication failed: unknown client."))
	}
	if secret != "" && subtle.ConstantTimeCompare([]byte(hashSecret(secret)), []byte(secretHash)) != 1 {
		return nil, s.oauthRefusal(ctx, appTarget(app.ID), oauthErr("invalid_client", "Client authentication failed: the client_secret is wrong."))
	}
	return app, nil
}

func (s *Service) grantClientCredentials(ctx context.Context, app *App, scope string) (*IssuedToken, error) {
	if strings.TrimSpace(scope) == "" {
		scope = defaultScopes
	}
	sc, err := ParseScopes(scope)
	if err != nil {
		return nil, s.oauthRefusal(ctx, appTarget(app.ID), oauthErr("invalid_scope", "%s", errs.FieldMessage(err, "scopes")))
	}
	for _, x := range sc {
		if !app.grants(x) || isAdminScope(x) {
			return nil, s.oauthRefusal(ctx, appTarget(app.ID), oauthErr("invalid_scope",
				"The scope %s is not available to this application without a user; it registered %s.", x, strings.Join(app.Scopes, " ")))
		}
	}
	token, tokenID, now := newToken(), s.ids.Next(), s.now()
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.st.insertToken(ctx, tokenID, hashSecret(token), app.ID, 0, strings.Join(sc, " "), now); err != nil {
			return err
		}
		return s.audit.Append(ctx, audit.Event{Actor: appTarget(app.ID), Action: "oauth.token", Target: fmt.Sprintf("token:%d", tokenID),
			Outcome: audit.Success, Detail: fmt.Sprintf("grant=client_credentials %s scopes=%s", appTarget(app.ID), strings.Join(sc, " "))})
	})
	if err != nil {
		return nil, errs.Internal(err, "issue app token")
	}
	return &IssuedToken{AccessToken: token, Scopes: sc, CreatedAt: now}, nil
}

// exchangeCode trades an authorization code for a token, once. A code
// presented again revokes the token issued from it (RFC 6749 §4.1.2):
// someone else has it.
func (s *Service) exchangeCode(ctx context.Context, app *App, req TokenRequest) (*IssuedToken, error) {
	switch {
	case req.Code == "":
		return nil, s.oauthRefusal(ctx, appTarget(app.ID), oauthErr("invalid_request", "code is missing."))
	case req.RedirectURI == "":
		return nil, s.oauthRefusal(ctx, appTarget(app.ID), oauthErr("invalid_request", "redirect_uri is missing; send the one used in the authorization request."))
	case req.ClientSecret == "" && req.CodeVerifier == "":
		return nil, s.oauthRefusal(ctx, appTarget(app.ID), oauthErr("invalid_client",
			"Client authentication failed: send the client_secret, or use PKCE (code_challenge, then code_verifier)."))
	}
	var out *IssuedToken
	var refusal *OAuthError
	var target string
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		var err error
		out, refusal, target, err = s.redeemCode(ctx, app, req)
		return err
	})
	if err != nil {
		return nil, errs.Internal(err, "exchange authorization code")
	}
	if refusal != nil {
		return nil, s.oauthRefusal(ctx, target, refusal)
	}
	return out, nil
}

// invalidGrant is what a client hears about any code it cannot use: it
// learns nothing about why, which only the code's owner should know.
const invalidGrant = "The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client."

// redeemCode runs in exchangeCode's transaction. A refusal is returned,
// not failed, so that the revocation of a replayed code's token commits.
func (s *Service) redeemCode(ctx context.Context, app *App, req TokenRequest) (*IssuedToken, *OAuthError, string, error) {
	refuse := func(why string) *OAuthError { return oauthErr("invalid_grant", "%s", invalidGrant+" ("+why+")") }
	c, err := s.st.codeByHash(ctx, hashSecret(req.Code))
	if err != nil {
		return nil, nil, "", err
	}
	if c == nil {
		return nil, refuse("unknown code"), appTarget(app.ID), nil
	}
	target := fmt.Sprintf("code:%d", c.ID)
	now := s.now()
	switch {
	case c.AppID != app.ID:
		return nil, refuse("issued to another client"), target, nil
	case c.Used:
		return nil, refuse("already used"), target, s.revokeReplayed(ctx, c, app)
	case now.After(c.ExpiresAt):
		return nil, refuse("expired"), target, nil
	case c.RedirectURI != req.RedirectURI:
		return nil, refuse("redirect_uri differs from the authorization request"), target, nil
	case c.Challenge == "" && req.CodeVerifier != "":
		return nil, refuse("code_verifier sent, but the authorization request had no code_challenge"), target, nil
	case c.Challenge != "" && req.CodeVerifier == "":
		return nil, oauthErr("invalid_request", "code_verifier is missing: the authorization request had a code_challenge."), target, nil
	case c.Challenge != "" && !verifierMatches(req.CodeVerifier, c.Challenge):
		return nil, refuse("code_verifier does not match the code_challenge"), target, nil
	}
	won, err := s.st.useCode(ctx, c.ID, now)
	if err != nil {
		return nil, nil, "", err
	}
	if !won { // another exchange took it a moment ago
		if c.TokenID, err = s.st.codeTokenID(ctx, c.ID); err != nil {
			return nil, nil, "", err
		}
		return nil, refuse("already used"), target, s.revokeReplayed(ctx, c, app)
	}
	u, err := s.st.userByID(ctx, c.UserID)
	if err != nil {
		return nil, nil, "", err
	}
	if u == nil || u.Suspended {
		return nil, refuse("the account is unavailable"), target, nil
	}
	scopes := c.Scopes
	if !u.IsAdmin() {
		scopes = slices.DeleteFunc(slices.Clone(scopes), isAdminScope)
	}
	token, tokenID := newToken(), s.ids.Next()
	if err := s.st.insertToken(ctx, tokenID, hashSecret(token), app.ID, u.ID, strings.Join(scopes, " "), now); err != nil {
		return nil, nil, "", err
	}
	if err := s.st.setCodeToken(ctx, c.ID, tokenID); err != nil {
		return nil, nil, "", err
	}
	err = s.audit.Append(ctx, audit.Event{ActorID: u.ID, Actor: u.Username, Action: "oauth.token", Target: fmt.Sprintf("token:%d", tokenID),
		Outcome: audit.Success, Detail: fmt.Sprintf("grant=authorization_code %s code:%d scopes=%s", appTarget(app.ID), c.ID, strings.Join(scopes, " "))})
	if err != nil {
		return nil, nil, "", err
	}
	return &IssuedToken{AccessToken: token, Scopes: scopes, CreatedAt: now}, nil, "", nil
}

// revokeReplayed revokes the token issued from a code presented again and
// audits it, once: later replays find nothing left to revoke.
func (s *Service) revokeReplayed(ctx context.Context, c *authCode, app *App) error {
	if c.TokenID == 0 {
		return nil
	}
	revoked, err := s.st.revokeToken(ctx, c.TokenID, s.now())
	if err != nil || !revoked {
		return err
	}
	return s.audit.Append(ctx, audit.Event{Actor: appTarget(app.ID), Action: "oauth.revoke", Target: fmt.Sprintf("token:%d", c.TokenID),
		Outcome: audit.Success, Detail: fmt.Sprintf("code:%d presented again; the token issued from it is revoked", c.ID)})
}

func verifierMatches(verifier, challenge string) bool {
	if !pkceVerifier.MatchString(verifier) {
		return false
	}
	sum := sha256.Sum256([]byte(verifier))
	return subtle.ConstantTimeCompare([]byte(base64.RawURLEncoding.EncodeToString(sum[:])), []byte(challenge)) == 1
}

// RevokeOAuthToken revokes token for the client (RFC 7009). A token that is
// unknown or already revoked is not an error; a token issued to another
// client, or by the operator, is.
func (s *Service) RevokeOAuthToken(ctx context.Context, clientID, secret, token string) error {
	app, err := s.authenticateClient(ctx, clientID, secret)
	if err != nil {
		return err
	}
	if token == "" {
		return s.oauthRefusal(ctx, appTarget(app.ID), oauthErr("invalid_request", "token is missing."))
	}
	t, _, err := s.st.tokenByHash(ctx, hashSecret(token))
	if err != nil {
		return errs.Internal(err, "load token")
	}
	if t == nil {
		return nil
	}
	if t.AppID != app.ID {
		return s.oauthRefusal(ctx, fmt.Sprintf("token:%d", t.ID), oauthErr("unauthorized_client", "You are not authorized to revoke this token."))
	}
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		revoked, err := s.st.revokeToken(ctx, t.ID, s.now())
		if err != nil || !revoked {
			return err
		}
		return s.audit.Append(ctx, audit.Event{Actor: appTarget(app.ID), Action: "oauth.revoke", Target: fmt.Sprintf("token:%d", t.ID),
			Outcome: audit.Success, Detail: fmt.Sprintf("revoked by its client; %s", tokenHolder(t))})
	})
	if err != nil {
		return errs.Internal(err, "revoke token")
	}
	return nil
}

// tokenHolder names whom a token acts for, for the audit log.
func tokenHolder(t *Token) string {
	if t.UserID == 0 {
		return "app token, no user"
	}
	return "for " + userTarget(t.UserID)
}

// AppOf returns the app a token was issued to.
func (s *Service) AppOf(ctx context.Context, t *Token) (*App, error) {
	if t.AppID == 0 {
		return nil, errs.NotFound("This token was not issued to an application.")
	}
	a, err := s.st.appByID(ctx, t.AppID)
	if err != nil {
		return nil, errs.Internal(err, "load app")
	}
	if a == nil {
		return nil, errs.NotFound("This token's application no longer exists.")
	}
	return a, nil
}

// oauthRefusal audits a refused OAuth request and returns e. Only the
// first refusal from a client address in each failure window is written:
// the rest are counted, so a misbehaving client cannot flood the log.
func (s *Service) oauthRefusal(ctx context.Context, target string, e *OAuthError) error {
	counts, _, err := s.reserve(ctx, throttle{key: "oauth:" + audit.ClientAddr(ctx), limit: math.MaxInt32,
		window: s.cfg.FailureWindow, lock: s.cfg.FailureWindow})
	if err != nil {
		return err
	}
	if counts[0].failures == 1 {
		err := s.audit.Append(context.WithoutCancel(ctx), audit.Event{Actor: "api", Action: "oauth.refused", Target: target, Outcome: audit.Failure,
			Detail: e.Code + "; further refusals from this address in the next " + humanDuration(s.cfg.FailureWindow) + " are counted, not logged"})
		if err != nil {
			return errs.Internal(err, "audit refused oauth request")
		}
	}
	return e
}
