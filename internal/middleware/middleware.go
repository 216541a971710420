// Package middleware holds the HTTP layers every request passes through:
// request IDs, structured access logs without PHI, panic recovery, security
// headers, body limits and cross-origin protection.
//
// It knows nothing of accounts or domains. Access logs name the route
// pattern, never the raw path or query, because paths carry tokens and
// usernames and queries carry search text.
package middleware

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/rounds-health/rounds/internal/audit"
)

type requestIDKey struct{}

// RequestID returns the request's ID carried by ctx.
func RequestID(ctx context.Context) string {
	s, _ := ctx.Value(requestIDKey{}).(string)
	return s
}

// Chain wraps h in layers, the first listed outermost.
func Chain(h http.Handler, layers ...func(http.Handler) http.Handler) http.Handler {
	for i := len(layers) - 1; i >= 0; i-- {
		h = layers[i](h)
	}
	return h
}

// WithRequestID gives every request a fresh ID, in the context and in the
// X-Request-Id response header, so a user's report can be found in the log.
// An incoming X-Request-Id is not trusted: it could forge log lines.
func WithRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b := make([]byte, 8)
		_, _ = rand.Read(b)
		rid := hex.EncodeToString(b)
		w.Header().Set("X-Request-Id", rid)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), requestIDKey{}, rid)))
	})
}

// WithClientAddr puts the client's address in the context for the audit log.
// Rounds does not trust X-Forwarded-For: a proxy in front must be configured
// to pass the peer address, a later option.
func WithClientAddr(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host, _, err := net.SplitHostPort(r.RemoteAddr)
		if err != nil {
			host = r.RemoteAddr
		}
		next.ServeHTTP(w, r.WithContext(audit.WithClientAddr(r.Context(), host)))
	})
}

type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(b)
	r.bytes += int64(n)
	return n, err
}

// Flush lets streaming responses (server-sent events) through the recorder.
func (r *recorder) Flush() {
	if f, ok := r.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

type routeKey struct{}

// RecordRoute wraps the router so that Logging, outside the layers that copy
// the request, learns which route pattern matched.
func RecordRoute(mux http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mux.ServeHTTP(w, r)
		if p, ok := r.Context().Value(routeKey{}).(*string); ok {
			*p = r.Pattern
		}
	})
}

// Logging writes one JSON line per request: method, route pattern, status,
// size, duration and request ID. No path values, query, body or headers.
func Logging(log *slog.Logger) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			rec := &recorder{ResponseWriter: w}
			route := ""
			next.ServeHTTP(rec, r.WithContext(context.WithValue(r.Context(), routeKey{}, &route)))
			if route == "" {
				route = "unmatched"
			}
			if rec.status == 0 {
				rec.status = http.StatusOK
			}
			log.LogAttrs(r.Context(), levelFor(rec.status), "request",
				slog.String("request_id", RequestID(r.Context())),
				slog.String("method", r.Method),
				slog.String("route", route),
				slog.Int("status", rec.status),
				slog.Int64("bytes", rec.bytes),
				slog.Duration("duration", time.Since(start)))
		})
	}
}

func levelFor(status int) slog.Level {
	if status >= 500 {
		return slog.LevelError
	}
	return slog.LevelInfo
}

// Recover turns a panic into a 500 with no detail for the client; the stack
// goes to the log with the request ID.
func Recover(log *slog.Logger) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			defer func() {
				if v := recover(); v != nil {
					if v == http.ErrAbortHandler {
						panic(v)
					}
					log.Error("panic", "request_id", RequestID(r.Context()), "panic", v, "stack", string(debug.Stack()))
					http.Error(w, "Something went wrong on our side. Please try again. (request "+RequestID(r.Context())+")",
						http.StatusInternalServerError)
				}
			}()
			next.ServeHTTP(w, r)
		})
	}
}

// SecurityHeaders sets a strict content security policy (no inline script,
// no third-party anything), forbids framing, and sets HSTS when served over TLS.
func SecurityHeaders(tls bool) func(http.Handler) http.Handler {
	const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
		"connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			h := w.Header()
			h.Set("Content-Security-Policy", csp)
			h.Set("X-Content-Type-Options", "nosniff")
			h.Set("X-Frame-Options", "DENY")
			h.Set("Referrer-Policy", "same-origin")
			h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
			h.Set("Cross-Origin-Opener-Policy", "same-origin")
			if tls || r.TLS != nil {
				h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
			}
			next.ServeHTTP(w, r)
		})
	}
}

// LimitBody caps request bodies at max bytes, or at the limit given for an
// exact path (uploads); readers past it get an error the handlers turn into 413.
func LimitBody(max int64, byPath map[string]int64) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			limit := max
			if l, ok := byPath[r.URL.Path]; ok {
				limit = l
			}
			if r.ContentLength > limit {
				if strings.HasPrefix(r.URL.Path, "/api/") {
					w.Header().Set("Content-Type", "application/json; charset=utf-8")
					w.WriteHeader(http.StatusRequestEntityTooLarge)
					_, _ = w.Write([]byte(`{"error":"The request body is too large."}` + "\n"))
					return
				}
				http.Error(w, "The request body is too large.", http.StatusRequestEntityTooLarge)
				return
			}
			r.Body = http.MaxBytesReader(w, r.Body, limit)
			next.ServeHTTP(w, r)
		})
	}
}

// CrossOrigin rejects state-changing browser requests from other origins
// (Go's http.CrossOriginProtection, which reads Sec-Fetch-Site and Origin).
// The JSON API is exempt: it accepts only bearer tokens, never cookies, so a
// cross-origin page cannot act with a visitor's credentials there, and
// browser-based Mastodon clients on other origins must be able to call it.
func CrossOrigin(bypass ...string) func(http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	for _, p := range bypass {
		cop.AddInsecureBypassPattern(p)
	}
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "This request came from another site and was refused. Reload the page and try again.", http.StatusForbidden)
	}))
	return cop.Handler
}

type baseURLKey struct{}

// WithBaseURL records the public address (--base-url) for links that must
// be absolute: canonical URLs, sitemaps, API entities. Without it, links use
// the request's Host header, which a client controls.
func WithBaseURL(base string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if base != "" {
				r = r.WithContext(context.WithValue(r.Context(), baseURLKey{}, base))
			}
			next.ServeHTTP(w, r)
		})
	}
}

// Origin is the public scheme and host for r: --base-url, or the request's own.
func Origin(r *http.Request) string {
	if b, ok := r.Context().Value(baseURLKey{}).(string); ok {
		return strings.TrimRight(b, "/")
	}
	if r.TLS != nil {
		return "https://" + r.Host
	}
	return "http://" + r.Host
}

// CORS lets web clients on other sites call the JSON API and the OAuth
// token endpoints. Those authenticate with bearer tokens or client
// credentials only, never cookies, so any origin may call them without
// credentials; preflight requests are answered here.
func CORS(prefixes ...string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			match := false
			for _, p := range prefixes {
				match = match || strings.HasPrefix(r.URL.Path, p)
			}
			if !match || r.Header.Get("Origin") == "" {
				next.ServeHTTP(w, r)
				return
			}
			h := w.Header()
			h.Set("Access-Control-Allow-Origin", "*")
			h.Set("Access-Control-Expose-Headers", "Link, X-Request-Id, Retry-After")
			if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
				h.Set("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS")
				h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type, Idempotency-Key")
				h.Set("Access-Control-Max-Age", "3600")
				w.WriteHeader(http.StatusNoContent)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}
