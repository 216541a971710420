package api

import (
	"encoding/json"
	"errors"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/middleware"
)

// The OAuth 2 endpoints a Mastodon client uses to register and obtain
// tokens: POST /api/v1/apps, POST /oauth/token, POST /oauth/revoke, and
// GET /api/v1/apps/verify_credentials. The consent page, /oauth/authorize,
// is a web page (internal/web). Token and revocation answers use the
// error shape of RFC 6749 §5.2, {"error": code, "error_description": …}.

// oauthRoutes registers the OAuth endpoints. /oauth/token and /oauth/revoke
// are exempt from the cross-origin check (internal/app): clients on any
// origin call them with their own credentials, never a cookie.
func (a *API) oauthRoutes(mux *http.ServeMux) {
	mux.HandleFunc("POST /api/v1/apps", allowOtherOrigins(a.registerApp))
	mux.HandleFunc("GET /api/v1/apps/verify_credentials", allowOtherOrigins(a.verifyAppCredentials))
	mux.HandleFunc("POST /oauth/token", allowOtherOrigins(a.token))
	mux.HandleFunc("POST /oauth/revoke", allowOtherOrigins(a.revoke))
	for _, p := range []string{"/api/v1/apps", "/api/v1/apps/verify_credentials", "/oauth/token", "/oauth/revoke"} {
		mux.HandleFunc("OPTIONS "+p, preflight)
	}
}

// Application is Mastodon's Application entity; on registration it is the
// CredentialApplication, with the client secret shown this once.
type Application struct {
	ID                    string   `json:"id"`
	Name                  string   `json:"name"`
	Website               *string  `json:"website"`
	Scopes                []string `json:"scopes"`
	RedirectURI           string   `json:"redirect_uri"` // deprecated by Mastodon 4.3: the URIs joined by newlines
	RedirectURIs          []string `json:"redirect_uris"`
	VapidKey              string   `json:"vapid_key"`
	ClientID              string   `json:"client_id,omitempty"`
	ClientSecret          string   `json:"client_secret,omitempty"`
	ClientSecretExpiresAt *int64   `json:"client_secret_expires_at,omitempty"`
}

func applicationJSON(app *account.App) Application {
	out := Application{ID: strconv.FormatInt(app.ID, 10), Name: app.Name, Scopes: app.Scopes,
		RedirectURI: strings.Join(app.RedirectURIs, "\n"), RedirectURIs: app.RedirectURIs}
	if app.Website != "" {
		out.Website = &app.Website
	}
	return out
}

// allowOtherOrigins lets browser-based clients on other origins read the
// answer. These endpoints never read cookies, so any origin may call them.
func allowOtherOrigins(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		h(w, r)
	}
}

// preflight answers a CORS preflight for the OAuth endpoints.
func preflight(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Allow-Methods", "GET, POST")
	h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type")
	h.Set("Access-Control-Max-Age", "86400")
	w.WriteHeader(http.StatusNoContent)
}

func (a *API) registerApp(w http.ResponseWriter, r *http.Request) {
	v, err := readValues(r)
	if err != nil {
		a.writeBodyError(w, r, err)
		return
	}
	app, secret, err := a.Accounts.RegisterApp(r.Context(), account.NewApp{
		Name: v.Get("client_name"), Website: v.Get("website"),
		RedirectURIs: append(v["redirect_uris"], v["redirect_uris[]"]...),
		Scopes:       strings.Join(append(v["scopes"], v["scopes[]"]...), " "),
	})
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	out := applicationJSON(app)
	var never int64
	out.ClientID, out.ClientSecret, out.ClientSecretExpiresAt = app.ClientID, secret, &never
	writeJSON(w, http.StatusOK, out)
}

// verifyAppCredentials answers with the app of any token issued to one,
// with or without a user behind it and whatever its scopes, as Mastodon 4.3 does.
func (a *API) verifyAppCredentials(w http.ResponseWriter, r *http.Request) {
	bearer, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		writeError(w, r, a.Log, errs.Unauthorized("The access token is missing."))
		return
	}
	t, _, err := a.Accounts.AuthenticateToken(r.Context(), strings.TrimSpace(bearer))
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	app, err := a.Accounts.AppOf(r.Context(), t)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	writeJSON(w, http.StatusOK, applicationJSON(app))
}

// tokenJSON is Mastodon's Token entity.
type tokenJSON struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	Scope       string `json:"scope"`
	CreatedAt   int64  `json:"created_at"`
}

func (a *API) token(w http.ResponseWriter, r *http.Request) {
	v, err := readValues(r)
	if err != nil {
		a.writeOAuthBodyError(w, err)
		return
	}
	c, err := clientOf(r, v)
	if err != nil {
		a.writeOAuthError(w, r, err, c.basic)
		return
	}
	issued, err := a.Accounts.GrantToken(r.Context(), account.TokenRequest{
		GrantType: v.Get("grant_type"), ClientID: c.id, ClientSecret: c.secret,
		Code: v.Get("code"), RedirectURI: v.Get("redirect_uri"), CodeVerifier: v.Get("code_verifier"), Scope: v.Get("scope"),
	})
	if err != nil {
		a.writeOAuthError(w, r, err, c.basic)
		return
	}
	w.Header().Set("Pragma", "no-cache")
	writeJSON(w, http.StatusOK, tokenJSON{AccessToken: issued.AccessToken, TokenType: "Bearer",
		Scope: strings.Join(issued.Scopes, " "), CreatedAt: issued.CreatedAt.Unix()})
}

func (a *API) revoke(w http.ResponseWriter, r *http.Request) {
	v, err := readValues(r)
	if err != nil {
		a.writeOAuthBodyError(w, err)
		return
	}
	c, err := clientOf(r, v)
	if err == nil {
		err = a.Accounts.RevokeOAuthToken(r.Context(), c.id, c.secret, v.Get("token"))
	}
	if err != nil {
		a.writeOAuthError(w, r, err, c.basic)
		return
	}
	writeJSON(w, http.StatusOK, struct{}{})
}

// client is how a request to the token or revocation endpoint
// authenticates its client.
type client struct {
	id, secret string
	basic      bool // sent in the Authorization header
}

// clientOf reads the client's credentials from HTTP Basic authentication
// (RFC 6749 §2.3.1, each part form-encoded) or from the body, never both.
func clientOf(r *http.Request, v url.Values) (client, error) {
	user, pass, ok := r.BasicAuth()
	if !ok {
		return client{id: v.Get("client_id"), secret: v.Get("client_secret")}, nil
	}
	c := client{basic: true}
	var err1, err2 error
	c.id, err1 = url.QueryUnescape(user)
	c.secret, err2 = url.QueryUnescape(pass)
	switch {
	case err1 != nil || err2 != nil:
		return c, &account.OAuthError{Code: "invalid_client", Description: "Client authentication failed: the Authorization header is not valid."}
	case v.Get("client_secret") != "":
		return c, &account.OAuthError{Code: "invalid_request", Description: "Authenticate the client one way only: the Authorization header or client_secret in the body."}
	case v.Get("client_id") != "" && v.Get("client_id") != c.id:
		return c, &account.OAuthError{Code: "invalid_request", Description: "The client_id in the body differs from the one in the Authorization header."}
	}
	return c, nil
}

// oauthStatus is the HTTP status for an OAuth error code (RFC 6749 §5.2,
// RFC 7009 §2.2.1 as Mastodon answers it).
func oauthStatus(code string) int {
	switch code {
	case "invalid_client":
		return http.StatusUnauthorized
	case "unauthorized_client":
		return http.StatusForbidden
	}
	return http.StatusBadRequest
}

// writeOAuthError answers with the OAuth error shape. Other errors keep
// their status; their body names no internal cause.
func (a *API) writeOAuthError(w http.ResponseWriter, r *http.Request, err error, basic bool) {
	var oe *account.OAuthError
	if !errors.As(err, &oe) {
		status := errs.Status(err)
		code := "invalid_request"
		if status >= 500 {
			a.Log.Error("oauth request failed", "err", err, "request_id", middleware.RequestID(r.Context()))
			code = "server_error"
		}
		if e := errs.As(err); e != nil && e.RetryAfter > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(int(e.RetryAfter.Seconds())+1))
		}
		writeJSON(w, status, errorBody{Error: code, Description: errs.PublicMessage(err)})
		return
	}
	status := oauthStatus(oe.Code)
	if status == http.StatusUnauthorized && basic {
		w.Header().Set("WWW-Authenticate", `Basic realm="Rounds", charset="UTF-8"`)
	}
	w.Header().Set("Pragma", "no-cache")
	writeJSON(w, status, errorBody{Error: oe.Code, Description: oe.Description})
}

// writeOAuthBodyError answers a body that could not be read, in the OAuth shape.
func (a *API) writeOAuthBodyError(w http.ResponseWriter, err error) {
	status, msg := http.StatusBadRequest, "The request body could not be read."
	var he *httpError
	if errors.As(err, &he) {
		status, msg = he.status, he.msg
	}
	writeJSON(w, status, errorBody{Error: "invalid_request", Description: msg})
}

// writeBodyError answers a body that could not be read, in Mastodon's shape.
func (a *API) writeBodyError(w http.ResponseWriter, r *http.Request, err error) {
	var he *httpError
	if errors.As(err, &he) {
		writeJSON(w, he.status, errorBody{Error: he.msg})
		return
	}
	writeError(w, r, a.Log, err)
}

// readValues reads a JSON, urlencoded or multipart body like readParams,
// but keeps every value of a repeated field and accepts JSON arrays of
// strings: Mastodon takes redirect_uris as a string or an array.
func readValues(r *http.Request) (url.Values, error) {
	out := url.Values{}
	ct := r.Header.Get("Content-Type")
	if ct == "" && r.ContentLength == 0 {
		return out, nil
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return nil, &httpError{http.StatusUnsupportedMediaType, "The Content-Type header is not valid."}
	}
	if mt != "application/json" {
		p, err := readParams(r) // the form cases, with their errors
		if err != nil {
			return nil, err
		}
		if len(p) > 0 {
			out = r.PostForm
		}
		return out, nil
	}
	var raw map[string]any
	dec := json.NewDecoder(r.Body)
	dec.UseNumber()
	if err := dec.Decode(&raw); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, &httpError{http.StatusRequestEntityTooLarge, "The request body is too large."}
		}
		return nil, &httpError{http.StatusBadRequest, "The request body is not valid JSON: " + jsonProblem(err)}
	}
	for k, v := range raw {
		items, isList := v.([]any)
		if !isList {
			items = []any{v}
		}
		for _, item := range items {
			s, ok := jsonScalar(item)
			if !ok {
				return nil, &httpError{http.StatusBadRequest, "The field " + strconv.Quote(k) + " must be a string, number, boolean or an array of strings."}
			}
			if item != nil {
				out.Add(k, s)
			}
		}
	}
	return out, nil
}

func jsonScalar(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case json.Number:
		return v.String(), true
	case bool:
		return strconv.FormatBool(v), true
	case nil:
		return "", true
	}
	return "", false
}
