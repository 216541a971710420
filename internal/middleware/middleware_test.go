package middleware

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestLogging_NamesRouteNeverPathValuesOrQuery(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, nil))
	mux := http.NewServeMux()
	mux.HandleFunc("GET /reset/{token}", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusTeapot) })
	h := Chain(RecordRoute(mux), WithRequestID, Logging(log), WithClientAddr)
	req := httptest.NewRequest("GET", "/reset/SECRET-TOKEN?q=Jane+Doe+diabetes", nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	line := buf.String()
	if !strings.Contains(line, `"route":"GET /reset/{token}"`) || !strings.Contains(line, `"status":418`) {
		t.Fatalf("log line lacks route or status: %s", line)
	}
	for _, leak := range []string{"SECRET-TOKEN", "Jane", "diabetes"} {
		if strings.Contains(line, leak) {
			t.Fatalf("log line leaks %q: %s", leak, line)
		}
	}
	if rid := rec.Header().Get("X-Request-Id"); rid == "" || !strings.Contains(line, rid) {
		t.Fatal("the request ID is not in the response header and the log")
	}
}

func TestRecover_HidesPanicFromClient(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, nil))
	h := Chain(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("db password is hunter2") }),
		WithRequestID, Recover(log))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	if rec.Code != 500 || strings.Contains(rec.Body.String(), "hunter2") || strings.Contains(rec.Body.String(), "goroutine") {
		t.Fatalf("panic answer = %d %q", rec.Code, rec.Body.String())
	}
}

func TestSecurityHeaders_HSTSOnlyUnderTLS(t *testing.T) {
	ok := http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})
	for _, tls := range []bool{false, true} {
		rec := httptest.NewRecorder()
		SecurityHeaders(tls)(ok).ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
		if got := rec.Header().Get("Strict-Transport-Security") != ""; got != tls {
			t.Errorf("tls=%v: HSTS present = %v", tls, got)
		}
		if rec.Header().Get("X-Frame-Options") != "DENY" {
			t.Error("framing allowed")
		}
	}
}

func TestLimitBody_AnswersTheAPIInJSON(t *testing.T) {
	reached := false
	h := LimitBody(10, nil)(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { reached = true }))
	cases := []struct {
		path, ctype, body string
	}{
		{"/api/v1/accounts/update_credentials", "application/json", `{"error":"The request body is too large."}`},
		{"/signin", "text/plain", "The request body is too large."},
	}
	for _, tc := range cases {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("POST", tc.path, strings.NewReader(strings.Repeat("x", 11))))
		if rec.Code != http.StatusRequestEntityTooLarge || !strings.HasPrefix(rec.Header().Get("Content-Type"), tc.ctype) ||
			strings.TrimSpace(rec.Body.String()) != tc.body {
			t.Errorf("POST %s with 11 bytes = %d %s %q; want 413 %s %q", tc.path, rec.Code, rec.Header().Get("Content-Type"), rec.Body.String(), tc.ctype, tc.body)
		}
	}
	if reached {
		t.Fatal("a body over the limit reached the handler")
	}
}

func TestCORS_APIOnlyAndPreflight(t *testing.T) {
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(200) })
	h := CORS("/api/")(ok)
	req := httptest.NewRequest("OPTIONS", "/api/v1/statuses", nil)
	req.Header.Set("Origin", "https://elk.example")
	req.Header.Set("Access-Control-Request-Method", "POST")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusNoContent || rec.Header().Get("Access-Control-Allow-Origin") != "*" ||
		!strings.Contains(rec.Header().Get("Access-Control-Allow-Headers"), "Authorization") {
		t.Fatalf("preflight = %d %v", rec.Code, rec.Header())
	}
	req = httptest.NewRequest("GET", "/settings", nil)
	req.Header.Set("Origin", "https://elk.example")
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Header().Get("Access-Control-Allow-Origin") != "" {
		t.Fatal("CORS headers on a page that uses the session cookie")
	}
}
