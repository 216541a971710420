package loadgen

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/app"
	"github.com/rounds-health/rounds/internal/errs"
)

// Scenarios are what Run can measure, in the order it measures them.
// post comes last: it adds statuses, which the others would then read.
var Scenarios = []string{"healthz", "home", "account", "post"}

// RunConfig says how to drive the server.
type RunConfig struct {
	URL       string        // origin of a server on this machine and on the same database
	Clients   int           // concurrent clients, default 8
	Duration  time.Duration // measured time per scenario, default 15 s
	Warmup    time.Duration // unmeasured time before each scenario (responses still checked)
	Requests  int           // measured requests per scenario at most; 0: as many as Duration allows
	Scenarios []string      // default: all of Scenarios
	Readers   int           // accounts whose home timelines are read, default 200
	Posters   int           // accounts that post, default 50
	Seed      uint64
	Progress  io.Writer
}

// Limits that keep a run bounded whatever the flags say.
const (
	maxClients  = 1024
	maxDuration = 10 * time.Minute
	maxBody     = 4 << 20 // a timeline page is a few tens of kB
	pageLimit   = 20
)

func (c *RunConfig) defaults() error {
	if c.Clients == 0 {
		c.Clients = 8
	}
	if c.Duration == 0 {
		c.Duration = 15 * time.Second
	}
	if c.Readers == 0 {
		c.Readers = 200
	}
	if c.Posters == 0 {
		c.Posters = 50
	}
	if len(c.Scenarios) == 0 {
		c.Scenarios = Scenarios
	}
	if c.Progress == nil {
		c.Progress = io.Discard
	}
	switch {
	case c.Clients < 1 || c.Clients > maxClients:
		return errs.Invalid("clients", fmt.Sprintf("Give 1 to %d clients.", maxClients))
	case c.Duration < 0 || c.Duration > maxDuration:
		return errs.Invalid("duration", fmt.Sprintf("Give a duration up to %s per scenario.", maxDuration))
	case c.Warmup < 0 || c.Warmup > time.Minute:
		return errs.Invalid("warmup", "Give a warm-up up to 1m.")
	case c.Requests < 0:
		return errs.Invalid("requests", "Give a positive number of requests, or 0 for as many as the duration allows.")
	case c.Readers < 1 || c.Posters < 1 || c.Readers > 100_000 || c.Posters > 100_000:
		return errs.Invalid("readers", "Give 1 to 100,000 readers and posters.")
	}
	var unknown []string
	for _, s := range c.Scenarios {
		if !slices.Contains(Scenarios, s) {
			unknown = append(unknown, s)
		}
	}
	if len(unknown) > 0 {
		return errs.Invalid("scenarios", fmt.Sprintf("Unknown scenario %s; choose from %s.",
			strings.Join(unknown, ", "), strings.Join(Scenarios, ", ")))
	}
	return nil
}

// Result is one scenario's figures.
type Result struct {
	Scenario     string        `json:"scenario"`
	Requests     int           `json:"requests"`
	Errors       int           `json:"errors"`
	Seconds      float64       `json:"seconds"`
	ReqPerS      float64       `json:"requests_per_second"`
	P50          time.Duration `json:"-"`
	P90          time.Duration `json:"-"`
	P99          time.Duration `json:"-"`
	Max          time.Duration `json:"-"`
	P50ms        float64       `json:"p50_ms"`
	P90ms        float64       `json:"p90_ms"`
	P99ms        float64       `json:"p99_ms"`
	MaxMs        float64       `json:"max_ms"`
	MeanBytes    int           `json:"mean_response_bytes"`
	ErrorSamples []string      `json:"error_samples,omitempty"`
}

// Network describes the graph the run found in the database.
type Network struct {
	Accounts int `json:"accounts"` // accounts that follow, are followed or posted
	Follows  int `json:"follows"`
	Statuses int `json:"statuses"`
	Readers  int `json:"readers"`
	Posters  int `json:"posters"`
}

// RunReport is a whole run.
type RunReport struct {
	URL        string   `json:"url"`
	InProcess  bool     `json:"server_in_process"`
	Engine     string   `json:"engine"`
	Clients    int      `json:"clients"`
	Duration   float64  `json:"duration_seconds"`
	Warmup     float64  `json:"warmup_seconds"`
	Network    Network  `json:"network"`
	Results    []Result `json:"scenarios"`
	HomeRatio  float64  `json:"home_over_healthz,omitempty"`
	Errors     int      `json:"errors"`
	StartedAt  string   `json:"started_at"`
	GoMaxProcs int      `json:"gomaxprocs"`
}

// ErrRequestsFailed is returned, with the report, when any response was
// not what the scenario expects.
var ErrRequestsFailed = errors.New("requests failed")

// Run drives the server at cfg.URL with the scenarios, one after the other,
// as API clients holding bearer tokens issued for sampled accounts (revoked
// at the end). Every response is checked; the report counts the failures
// and Run returns ErrRequestsFailed if there were any.
func Run(ctx context.Context, a *app.App, cfg RunConfig) (*RunReport, error) {
	if err := cfg.defaults(); err != nil {
		return nil, err
	}
	base, err := checkLoopback(ctx, cfg.URL)
	if err != nil {
		return nil, err
	}
	f, err := prepare(ctx, a, cfg)
	if err != nil {
		return nil, err
	}
	defer f.revoke(a)
	tr := &http.Transport{MaxIdleConns: cfg.Clients, MaxIdleConnsPerHost: cfg.Clients, MaxConnsPerHost: cfg.Clients,
		IdleConnTimeout: 30 * time.Second, DisableCompression: true}
	defer tr.CloseIdleConnections()
	r := &runner{cfg: cfg, base: strings.TrimSuffix(base.String(), "/"), f: f,
		http: &http.Client{Transport: tr, Timeout: 30 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	if err := r.preflight(ctx); err != nil {
		return nil, err
	}
	rep := &RunReport{URL: r.base, Engine: a.DB.Dialect().String(), Clients: cfg.Clients, Duration: cfg.Duration.Seconds(),
		Warmup: cfg.Warmup.Seconds(), Network: f.network, StartedAt: time.Now().UTC().Format(time.RFC3339),
		GoMaxProcs: runtime.GOMAXPROCS(0)}
	for _, name := range cfg.Scenarios {
		fmt.Fprintf(cfg.Progress, "scenario %s: %d clients, %s…\n", name, cfg.Clients, cfg.Duration)
		res, err := r.scenario(ctx, r.scenarioByName(name))
		if err != nil {
			return nil, err
		}
		rep.Results = append(rep.Results, res)
		rep.Errors += res.Errors
	}
	rep.HomeRatio = ratio(rep.Results, "home", "healthz")
	if rep.Errors > 0 {
		return rep, fmt.Errorf("%w: %d responses were not what the scenarios expect", ErrRequestsFailed, rep.Errors)
	}
	return rep, nil
}

func ratio(rs []Result, a, b string) float64 {
	var x, y float64
	for _, r := range rs {
		switch r.Scenario {
		case a:
			x = r.ReqPerS
		case b:
			y = r.ReqPerS
		}
	}
	if x == 0 || y == 0 {
		return 0
	}
	return x / y
}

type runner struct {
	cfg  RunConfig
	base string
	f    *fixture
	http *http.Client
}

// preflight checks that the server answers and knows the tokens, which
// it does only when it runs on the same database as loadgen.
func (r *runner) preflight(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.base+"/api/v1/accounts/verify_credentials", nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+r.f.readers[0].token)
	resp, err := r.http.Do(req)
	if err != nil {
		return fmt.Errorf("the server at %s does not answer: %w", r.base, err)
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxBody))
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("the server at %s refused a token just issued (status %d): is it running on the same --data/--db as loadgen?",
			r.base, resp.StatusCode)
	}
	return nil
}

// collector gathers one phase's outcomes from its clients.
type collector struct {
	mu        sync.Mutex
	latencies []time.Duration
	bytes     int64
	errors    int
	samples   []string
}

func (c *collector) add(lat []time.Duration, bytes int64, errs int, samples []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.latencies = append(c.latencies, lat...)
	c.bytes += bytes
	c.errors += errs
	for _, s := range samples {
		if len(c.samples) < 5 && !slices.Contains(c.samples, s) {
			c.samples = append(c.samples, s)
		}
	}
}

// scenario runs a warm-up and a measured phase of sc.
func (r *runner) scenario(ctx context.Context, sc scenario) (Result, error) {
	warm := &collector{}
	if r.cfg.Warmup > 0 {
		r.phase(ctx, sc, r.cfg.Warmup, 0, 1, warm)
	}
	meas := &collector{}
	start := time.Now()
	r.phase(ctx, sc, r.cfg.Duration, r.cfg.Requests, 2, meas)
	elapsed := time.Since(start)
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	res := summarize(sc.name, meas.latencies, elapsed)
	res.Errors = warm.errors + meas.errors
	res.ErrorSamples = append(warm.samples, meas.samples...)
	if len(meas.latencies) > 0 {
		res.MeanBytes = int(meas.bytes / int64(len(meas.latencies)))
	}
	return res, nil
}

// phase runs the clients until d has passed or limit requests were sent.
func (r *runner) phase(ctx context.Context, sc scenario, d time.Duration, limit int, stream uint64, into *collector) {
	deadline := time.Now().Add(d)
	var sent atomic.Int64
	var wg sync.WaitGroup
	for c := range r.cfg.Clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(r.cfg.Seed^stream, uint64(c)<<32|sc.id))
			var lat []time.Duration
			var bytes int64
			var failed int
			var samples []string
			for ctx.Err() == nil && time.Now().Before(deadline) {
				if limit > 0 && sent.Add(1) > int64(limit) {
					break
				}
				t, n, err := r.one(ctx, sc, rng)
				if ctx.Err() != nil {
					break
				}
				lat, bytes = append(lat, t), bytes+int64(n)
				if err != nil {
					failed++
					if len(samples) < 5 {
						samples = append(samples, err.Error())
					}
				}
			}
			into.add(lat, bytes, failed, samples)
		}()
	}
	wg.Wait()
}

// one sends one request and checks its answer; the latency covers sending
// the request and reading the whole body.
func (r *runner) one(ctx context.Context, sc scenario, rng *rand.Rand) (time.Duration, int, error) {
	req, check, err := sc.next(ctx, rng)
	if err != nil {
		return 0, 0, err
	}
	start := time.Now()
	resp, err := r.http.Do(req)
	if err != nil {
		return time.Since(start), 0, fmt.Errorf("%s: %w", sc.name, err)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	resp.Body.Close()
	t := time.Since(start)
	if err != nil {
		return t, len(body), fmt.Errorf("%s: reading the answer: %w", sc.name, err)
	}
	if resp.StatusCode != http.StatusOK {
		return t, len(body), fmt.Errorf("%s: status %d: %.200s", sc.name, resp.StatusCode, body)
	}
	if err := check(body); err != nil {
		return t, len(body), fmt.Errorf("%s: %w", sc.name, err)
	}
	return t, len(body), nil
}

// summarize computes the figures of one measured phase.
func summarize(name string, lat []time.Duration, elapsed time.Duration) Result {
	res := Result{Scenario: name, Requests: len(lat), Seconds: elapsed.Seconds()}
	if len(lat) == 0 {
		return res
	}
	slices.Sort(lat)
	res.ReqPerS = float64(len(lat)) / elapsed.Seconds()
	res.P50, res.P90, res.P99, res.Max = percentile(lat, 0.50), percentile(lat, 0.90), percentile(lat, 0.99), lat[len(lat)-1]
	ms := func(d time.Duration) float64 { return math.Round(float64(d.Microseconds())) / 1000 }
	res.P50ms, res.P90ms, res.P99ms, res.MaxMs = ms(res.P50), ms(res.P90), ms(res.P99), ms(res.Max)
	return res
}

// percentile is the nearest-rank percentile of sorted latencies.
func percentile(sorted []time.Duration, p float64) time.Duration {
	i := int(math.Ceil(p*float64(len(sorted)))) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

// revoke ends the tokens issued for the run.
func (f *fixture) revoke(a *app.App) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := a.Accounts.RevokeTokens(ctx, account.CLI, f.tokens); err != nil {
		fmt.Fprintf(f.progress, "loadgen: could not revoke the run's tokens: %v\n", err)
	}
}
