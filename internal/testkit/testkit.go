// Package testkit is the shared test rig: a fresh database on SQLite or
// PostgreSQL, a whole App on a random loopback port, named fixtures, and a
// headless Chromium for browser journeys.
//
// Tests run on SQLite by default. With ROUNDS_TEST_POSTGRES=postgres://…
// every database a test asks for is a fresh schema on that server instead,
// so the same suite proves both engines. Under CI=true nothing that a test
// needs may be skipped: a missing backend or browser fails the test.
package testkit

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver, to create test schemas

	"github.com/rounds-health/rounds/internal/app"
	"github.com/rounds-health/rounds/internal/config"
	"github.com/rounds-health/rounds/internal/store"
)

// InCI reports whether the tests run in CI, where nothing may be skipped.
func InCI() bool { return os.Getenv("CI") == "true" }

// SkipOrFail skips the test on a developer's machine and fails it in CI.
func SkipOrFail(t testing.TB, format string, args ...any) {
	t.Helper()
	if InCI() {
		t.Fatalf("CI=true, and this test cannot run: "+format, args...)
	}
	t.Skipf("SKIPPED (would run in CI): "+format, args...)
}

// PostgresURL is the server tests use for PostgreSQL, or "".
func PostgresURL() string { return os.Getenv("ROUNDS_TEST_POSTGRES") }

// DatabaseURL returns the --db value for a fresh, empty database: "" (SQLite
// in the test's data directory) or a PostgreSQL URL whose search_path is a
// new schema, dropped when the test ends.
func DatabaseURL(t testing.TB) string {
	t.Helper()
	base := PostgresURL()
	if base == "" {
		return ""
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("ROUNDS_TEST_POSTGRES: %v", err)
	}
	t.Cleanup(func() { admin.Close() })
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "test_" + hex.EncodeToString(b)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("PostgreSQL at ROUNDS_TEST_POSTGRES does not answer: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_, _ = admin.ExecContext(ctx, "DROP SCHEMA "+schema+" CASCADE")
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("ROUNDS_TEST_POSTGRES is not a URL: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Config returns a configuration for a fresh database in a temporary directory.
func Config(t testing.TB) config.Config {
	t.Helper()
	return config.Config{DataDir: t.TempDir(), DB: DatabaseURL(t), IdleTimeout: 15 * time.Minute, LogLevel: "warn"}
}

// DB returns a fresh, migrated database.
func DB(t testing.TB) *store.DB {
	t.Helper()
	cfg := Config(t)
	db, err := store.Open(context.Background(), cfg.DB, cfg.DataDir)
	if err != nil {
		t.Fatalf("open database: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return db
}

// Logger discards logs unless ROUNDS_TEST_LOG=1.
func Logger() *slog.Logger {
	if os.Getenv("ROUNDS_TEST_LOG") == "1" {
		return slog.New(slog.NewJSONHandler(os.Stderr, nil))
	}
	return slog.New(slog.NewJSONHandler(io.Discard, nil))
}

// Server is a running App on a random loopback port.
type Server struct {
	*app.App
	URL string
}

// Start runs a whole App on a fresh database. cfgs may adjust the config.
func Start(t testing.TB, adjust ...func(*config.Config)) *Server {
	t.Helper()
	cfg := Config(t)
	for _, f := range adjust {
		f(&cfg)
	}
	ctx, cancel := context.WithCancel(context.Background())
	a, err := app.New(ctx, cfg, Logger())
	if err != nil {
		cancel()
		t.Fatalf("start app: %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		cancel()
		t.Fatalf("listen: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- a.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("server stopped with: %v", err)
		}
		a.Close()
	})
	return &Server{App: a, URL: "http://" + ln.Addr().String()}
}

// Client returns an HTTP client with its own cookie jar that does not
// follow redirects, so tests see each answer.
func (s *Server) Client() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// PostForm posts a urlencoded form the way a same-origin browser does.
func (s *Server) PostForm(t testing.TB, c *http.Client, path string, form url.Values) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, s.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", s.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return s.Do(t, c, req)
}

// Get fetches path.
func (s *Server) Get(t testing.TB, c *http.Client, path string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, s.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s.Do(t, c, req)
}

// Do sends req and returns the response with its body read.
func (s *Server) Do(t testing.TB, c *http.Client, req *http.Request) (*http.Response, string) {
	t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	return resp, string(b)
}
