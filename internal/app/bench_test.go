package app_test

// Whole-server benchmarks over real loopback HTTP: a full App from
// testkit.Start, concurrent clients with kept-alive connections. They run
// only with -bench and assert nothing about time; docs/PERFORMANCE.md
// records what they measure and how to reproduce it.
//
//	go test ./internal/app -run '^$' -bench . -benchtime 3s -count 3
//
// With ROUNDS_TEST_POSTGRES set they run on PostgreSQL instead of SQLite.

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/testkit"
)

// clientsPerCPU is passed to b.SetParallelism: RunParallel starts this many
// concurrent clients per GOMAXPROCS.
const clientsPerCPU = 4

// benchClient returns a client whose pool keeps enough idle connections for
// every parallel client, so that iterations reuse connections instead of
// measuring TCP handshakes. It does not follow redirects.
func benchClient(b *testing.B) *http.Client {
	b.Helper()
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns = 64
	tr.MaxIdleConnsPerHost = 64
	b.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// drain reads and closes a response body so its connection can be reused.
func drain(resp *http.Response) {
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
}

// reportRate adds requests per second to the benchmark's output.
func reportRate(b *testing.B) {
	if s := b.Elapsed().Seconds(); s > 0 {
		b.ReportMetric(float64(b.N)/s, "req/s")
	}
}

// BenchmarkHealthz measures GET /healthz: the HTTP stack, the middleware
// chain and a database ping.
func BenchmarkHealthz(b *testing.B) {
	srv := testkit.Start(b)
	c := benchClient(b)
	target := srv.URL + "/healthz"

	b.SetParallelism(clientsPerCPU)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			resp, err := c.Get(target)
			if err != nil {
				b.Errorf("GET /healthz: %v", err)
				return
			}
			status := resp.StatusCode
			drain(resp)
			if status != http.StatusOK {
				b.Errorf("GET /healthz: status %d, want 200", status)
				return
			}
		}
	})
	b.StopTimer()
	if b.Failed() {
		b.Fatal("healthz benchmark failed")
	}
	reportRate(b)
}

// BenchmarkSignIn measures POST /signin with a right password: every
// iteration is a full password sign-in (argon2id check, session row, audit
// event), as a browser would send it.
func BenchmarkSignIn(b *testing.B) {
	srv := testkit.Start(b)
	p := testkit.NewPerson(b, srv.Accounts, "bench_user", account.Patient) // patients have no second factor
	c := benchClient(b)
	target := srv.URL + "/signin"
	body := url.Values{"username": {p.User.Username}, "password": {p.Password}}.Encode()

	b.SetParallelism(clientsPerCPU)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req, err := http.NewRequest(http.MethodPost, target, strings.NewReader(body))
			if err != nil {
				b.Errorf("new request: %v", err)
				return
			}
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Origin", srv.URL)
			req.Header.Set("Sec-Fetch-Site", "same-origin")
			resp, err := c.Do(req)
			if err != nil {
				b.Errorf("POST /signin: %v", err)
				return
			}
			status := resp.StatusCode
			drain(resp)
			if status != http.StatusSeeOther {
				b.Errorf("POST /signin: status %d, want 303", status)
				return
			}
		}
	})
	b.StopTimer()
	// Failing is only allowed from the benchmark's own goroutine, so the
	// parallel clients record errors and stop, and the benchmark fails here.
	if b.Failed() {
		b.Fatal("sign-in benchmark failed")
	}
	reportRate(b)
}
