// Package api is the JSON API. Paths, parameters, JSON shapes and the error
// shape {"error": "…"} follow the Mastodon client API wherever Rounds and
// Mastodon overlap; healthcare capabilities live under /api/rounds/v1.
//
// The API authenticates with bearer tokens only, never the session cookie,
// which is why it is exempt from the cross-origin check (see middleware).
// Handlers are thin: authenticate, parse, call one service method, render.
package api

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/archive"
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

// Deps are what the API needs.
type Deps struct {
	Accounts   *account.Service
	Directory  *directory.Service
	Media      *media.Service
	Social     *social.Service
	Publish    *publish.Service
	Notify     *notify.Service
	Moderation *moderation.Service
	Live       live.Broker
	Drafts     *drafts.Service // the publishing workflow; may be nil in tests of other packages
	Archive    *archive.Service
	Log        *slog.Logger
}

// API serves the JSON endpoints.
type API struct{ Deps }

// New returns the API.
func New(d Deps) *API { return &API{Deps: d} }

// Routes registers the API's routes on mux.
func (a *API) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/accounts/verify_credentials", a.auth("read:accounts", a.verifyCredentials))
	mux.HandleFunc("PATCH /api/v1/accounts/update_credentials", a.auth("write:accounts", a.updateCredentials))
	a.oauthRoutes(mux)
	a.roundsRoutes(mux)
	a.socialRoutes(mux)
	a.mediaRoutes(mux)
	a.notificationRoutes(mux)
	a.reportRoutes(mux)
	a.instanceRoutes(mux) // also /.well-known/… and /nodeinfo/2.0, outside /api/
	mux.HandleFunc("/api/", a.notFound)
}

func (a *API) notFound(w http.ResponseWriter, r *http.Request) {
	writeError(w, r, a.Log, errs.NotFound("Record not found"))
}

type grantKey struct{}

type grant struct {
	token *account.Token
	user  *account.User
}

func grantOf(ctx context.Context) grant { g, _ := ctx.Value(grantKey{}).(grant); return g }

// auth requires a bearer token with scope and a user behind it.
func (a *API) auth(scope string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		bearer, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok {
			writeError(w, r, a.Log, errs.Unauthorized("The access token is missing."))
			return
		}
		t, u, err := a.Accounts.AuthenticateToken(r.Context(), strings.TrimSpace(bearer))
		if err != nil {
			writeError(w, r, a.Log, err)
			return
		}
		if u == nil {
			writeError(w, r, a.Log, errs.Forbidden("This action needs a token for a user, not an application."))
			return
		}
		if !t.HasScope(scope) {
			writeError(w, r, a.Log, errs.Forbidden("This action is outside the requested scopes."))
			return
		}
		h(w, r.WithContext(context.WithValue(r.Context(), grantKey{}, grant{token: t, user: u})))
	}
}

// writeJSON answers with v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// errorBody is Mastodon's error shape, with the field problems added as
// "details" (Mastodon's own validation errors use the same key).
type errorBody struct {
	Error       string                       `json:"error"`
	Description string                       `json:"error_description,omitempty"`
	Details     map[string][]errorFieldEntry `json:"details,omitempty"`
}

type errorFieldEntry struct {
	Error       string `json:"error"`
	Description string `json:"description"`
}

// writeError maps err once to a status and Mastodon's error body.
func writeError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	status := errs.Status(err)
	if status >= 500 {
		log.Error("api request failed", "err", err, "request_id", middleware.RequestID(r.Context()))
	}
	body := errorBody{Error: errs.PublicMessage(err)}
	if e := errs.As(err); e != nil {
		if len(e.Fields) > 0 {
			body.Details = map[string][]errorFieldEntry{}
			for _, f := range e.Fields {
				body.Details[f.Field] = append(body.Details[f.Field], errorFieldEntry{Error: "ERR_INVALID", Description: f.Message})
			}
			body.Error = "Validation failed: " + e.Fields[0].Message
		}
		if e.RetryAfter > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(int(e.RetryAfter/time.Second)+1))
		}
	}
	writeJSON(w, status, body)
}

// httpError is a request problem found before any service is called.
type httpError struct {
	status int
	msg    string
}

func (e *httpError) Error() string { return e.msg }

// readParams reads a JSON, urlencoded or multipart body into a flat map of
// strings, as Mastodon accepts all three. Problems answer 400, 413 or 415.
func readParams(r *http.Request) (map[string]string, error) {
	out := map[string]string{}
	ct := r.Header.Get("Content-Type")
	if ct == "" && r.ContentLength == 0 {
		return out, nil
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return nil, &httpError{http.StatusUnsupportedMediaType, "The Content-Type header is not valid."}
	}
	switch mt {
	case "application/json":
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
			switch v := v.(type) {
			case string:
				out[k] = v
			case json.Number:
				out[k] = v.String()
			case bool:
				out[k] = strconv.FormatBool(v)
			case nil:
			case []any: // Mastodon's list parameters (media_ids, status_ids…): joined with commas
				var parts []string
				for _, x := range v {
					switch x := x.(type) {
					case string:
						parts = append(parts, x)
					case json.Number:
						parts = append(parts, x.String())
					default:
						return nil, &httpError{http.StatusBadRequest, "The list " + strconv.Quote(k) + " must hold strings or numbers."}
					}
				}
				out[strings.TrimSuffix(k, "[]")] = strings.Join(parts, ",")
			default:
				return nil, &httpError{http.StatusBadRequest, "The field " + strconv.Quote(k) + " must be a string, number or boolean."}
			}
		}
	case "application/x-www-form-urlencoded", "multipart/form-data":
		if err := r.ParseMultipartForm(8 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				return nil, &httpError{http.StatusRequestEntityTooLarge, "The request body is too large."}
			}
			return nil, &httpError{http.StatusBadRequest, "The form body could not be read."}
		}
		for k, v := range r.PostForm {
			switch {
			case strings.HasSuffix(k, "[]"): // media_ids[]=1&media_ids[]=2
				out[strings.TrimSuffix(k, "[]")] = strings.Join(v, ",")
			case len(v) > 0:
				out[k] = v[0]
			}
		}
	default:
		return nil, &httpError{http.StatusUnsupportedMediaType, "Send the body as application/json, application/x-www-form-urlencoded or multipart/form-data."}
	}
	return out, nil
}

func jsonProblem(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return "syntax error at byte " + strconv.FormatInt(syn.Offset, 10) + "."
	case errors.As(err, &typ):
		return "expected an object."
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "the body is empty or ends early."
	}
	return "it could not be parsed."
}

// params reads the body, answering the request itself on failure.
func (a *API) params(w http.ResponseWriter, r *http.Request) (map[string]string, bool) {
	p, err := readParams(r)
	if err != nil {
		var he *httpError
		if errors.As(err, &he) {
			writeJSON(w, he.status, errorBody{Error: he.msg})
		} else {
			writeError(w, r, a.Log, err)
		}
		return nil, false
	}
	return p, true
}
