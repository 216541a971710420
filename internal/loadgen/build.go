package loadgen

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/app"
	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/social"
)

// BuildConfig sizes the synthetic network.
type BuildConfig struct {
	Accounts int    // default 10,000
	Posts    int    // default 1,000,000
	Days     int    // history the posts are spread over, default 180
	Seed     uint64 // the same seed builds the same network
	Batch    int    // rows per transaction, default 5,000
	Progress io.Writer
}

func (c *BuildConfig) defaults() error {
	if c.Accounts == 0 {
		c.Accounts = 10_000
	}
	if c.Posts == 0 {
		c.Posts = 1_000_000
	}
	if c.Days == 0 {
		c.Days = 180
	}
	if c.Batch <= 0 {
		c.Batch = 5000
	}
	if c.Progress == nil {
		c.Progress = io.Discard
	}
	switch {
	case c.Accounts < 10 || c.Accounts > MaxAccounts:
		return errs.Invalid("accounts", fmt.Sprintf("Give from 10 to %d accounts.", MaxAccounts))
	case c.Posts < 1 || c.Posts > 100_000_000:
		return errs.Invalid("posts", "Give from 1 to 100,000,000 posts.")
	case c.Days < 1 || c.Days > 3650:
		return errs.Invalid("days", "Spread the posts over 1 to 3,650 days.")
	case c.Batch > 100_000:
		return errs.Invalid("batch", "Give at most 100,000 rows per transaction.")
	}
	return nil
}

// Password is the password of every synthetic account. The accounts are
// for load tests; the run phase uses API tokens, never this password.
const Password = "loadgen synthetic account"

// Phase is how long one part of the build took.
type Phase struct {
	Rows     int           `json:"rows"`
	Duration time.Duration `json:"-"`
	Seconds  float64       `json:"seconds"`
	RowsPerS float64       `json:"rows_per_second"`
}

func phase(rows int, d time.Duration) Phase {
	return Phase{Rows: rows, Duration: d, Seconds: d.Seconds(), RowsPerS: float64(rows) / d.Seconds()}
}

// BuildReport says what the build wrote and how fast.
type BuildReport struct {
	Accounts Phase `json:"accounts"`
	Follows  Phase `json:"follows"`
	Statuses Phase `json:"statuses"`
	Total    Phase `json:"total"`
}

// Existing reports whether the database already holds a synthetic network.
func Existing(ctx context.Context, a *app.App) (bool, error) {
	_, err := a.Accounts.UserByUsername(ctx, Username(0))
	if errs.Is(err, errs.KindNotFound) {
		return false, nil
	}
	return err == nil, err
}

// Build writes a synthetic network directly through the services' bulk
// paths, as the operator: accounts, a power-law follow graph and public
// posts spread over the past days by a power law over authors.
func Build(ctx context.Context, a *app.App, cfg BuildConfig) (*BuildReport, error) {
	if err := cfg.defaults(); err != nil {
		return nil, err
	}
	if exists, err := Existing(ctx, a); err != nil || exists {
		if err == nil {
			err = errs.Conflict("", fmt.Sprintf("This database already holds a synthetic network (@%s exists): "+
				"measure it again with --skip-build, or build into a fresh --data or --db.", Username(0)))
		}
		return nil, err
	}
	fmt.Fprintf(cfg.Progress, "building %d accounts and %d posts on %s…\n", cfg.Accounts, cfg.Posts, a.DB.Dialect())
	nw := newNetwork(cfg.Accounts, cfg.Days, cfg.Seed, time.Now())
	var rep BuildReport
	start := time.Now()
	users, err := a.Accounts.BulkCreateUsers(ctx, account.CLI, nw.users(), Password, 2000)
	if err != nil {
		return nil, fmt.Errorf("accounts: %w", err)
	}
	nw.accounts = make([]int64, len(users))
	for i, u := range users {
		nw.accounts[i] = u.ID
	}
	rep.Accounts = phase(len(users), time.Since(start))
	fmt.Fprintf(cfg.Progress, "accounts: %d in %s (%.0f rows/s)\n", len(users), rep.Accounts.Duration.Round(time.Millisecond), rep.Accounts.RowsPerS)

	t := time.Now()
	n, err := writeFollows(ctx, a.Social, nw, cfg)
	if err != nil {
		return nil, fmt.Errorf("follows: %w", err)
	}
	rep.Follows = phase(n, time.Since(t))
	fmt.Fprintf(cfg.Progress, "follows: %d in %s (%.0f rows/s)\n", n, rep.Follows.Duration.Round(time.Millisecond), rep.Follows.RowsPerS)

	t = time.Now()
	if err := writeStatuses(ctx, a.Social, nw, cfg); err != nil {
		return nil, fmt.Errorf("statuses: %w", err)
	}
	rep.Statuses = phase(cfg.Posts, time.Since(t))
	fmt.Fprintf(cfg.Progress, "statuses: %d in %s (%.0f rows/s)\n", cfg.Posts, rep.Statuses.Duration.Round(time.Millisecond), rep.Statuses.RowsPerS)
	rep.Total = phase(len(users)+n+cfg.Posts, time.Since(start))
	return &rep, nil
}

// writers is how many batches are written at once. Two let one batch be
// prepared (rendered, its arguments built) while the other is in its
// transaction; SQLite runs the transactions one after the other anyway.
const writers = 2

// pipeline hands batches from produce to writers calling write, stopping
// at the first error.
func pipeline[T any](ctx context.Context, produce func(ctx context.Context, out chan<- []T) error,
	write func(ctx context.Context, batch []T) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ch := make(chan []T, writers)
	errc := make(chan error, writers+1)
	go func() {
		defer close(ch)
		errc <- produce(ctx, ch)
	}()
	for range writers {
		go func() {
			for b := range ch {
				if err := write(ctx, b); err != nil {
					errc <- err
					cancel()
					for range ch { // let the producer finish
					}
					return
				}
			}
			errc <- nil
		}()
	}
	var first error
	for range writers + 1 {
		if err := <-errc; err != nil && first == nil {
			first = err
		}
	}
	return first
}

// send delivers a batch unless the pipeline stopped.
func send[T any](ctx context.Context, out chan<- []T, b []T) error {
	select {
	case out <- b:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// progress prints a line every step rows; writers call add concurrently.
type progress struct {
	mu    sync.Mutex
	w     io.Writer
	what  string
	total int
	step  int
	done  int
	next  int
	start time.Time
}

func (p *progress) add(n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done += n
	if p.done >= p.next {
		of := ""
		if p.total > 0 {
			of = fmt.Sprintf("/%d", p.total)
		}
		fmt.Fprintf(p.w, "  %s: %d%s (%.0f rows/s)\n", p.what, p.done, of, float64(p.done)/time.Since(p.start).Seconds())
		p.next += p.step
	}
}

func writeFollows(ctx context.Context, soc *social.Service, nw *network, cfg BuildConfig) (int, error) {
	total := 0
	produce := func(ctx context.Context, out chan<- []social.FollowEdge) error {
		rng := rand.New(rand.NewPCG(nw.seed, 0x77686e))
		batch := make([]social.FollowEdge, 0, cfg.Batch)
		for i := range nw.n {
			for _, j := range nw.followingOf(i) {
				batch = append(batch, social.FollowEdge{Follower: nw.accounts[i], Followee: nw.accounts[j], At: nw.followedAt(rng)})
				if len(batch) == cfg.Batch {
					if err := send(ctx, out, batch); err != nil {
						return err
					}
					total += len(batch)
					batch = make([]social.FollowEdge, 0, cfg.Batch)
				}
			}
		}
		total += len(batch)
		return send(ctx, out, batch)
	}
	p := &progress{w: cfg.Progress, what: "follows", total: -1, step: 100_000, next: 100_000, start: time.Now()}
	err := pipeline(ctx, produce, func(ctx context.Context, b []social.FollowEdge) error {
		if err := soc.BulkFollow(ctx, account.CLI, b, cfg.Batch); err != nil {
			return err
		}
		p.add(len(b))
		return nil
	})
	return total, err
}

func writeStatuses(ctx context.Context, soc *social.Service, nw *network, cfg BuildConfig) error {
	times := nw.postTimes(cfg.Posts)
	produce := func(ctx context.Context, out chan<- []social.BulkStatus) error {
		rng := rand.New(rand.NewPCG(nw.seed, 0x706f7374))
		var last int64
		for lo := 0; lo < len(times); lo += cfg.Batch {
			batch := make([]social.BulkStatus, 0, min(cfg.Batch, len(times)-lo))
			for _, ms := range times[lo:min(lo+cfg.Batch, len(times))] {
				// Time-ordered IDs in the post's millisecond, as id.Generator makes them.
				sid := max(ms<<16, last+1)
				last = sid
				author := nw.byRank[draw(rng, nw.author)]
				batch = append(batch, social.BulkStatus{ID: sid, AccountID: nw.accounts[author], Text: postText(rng),
					Language: "en", CreatedAt: time.UnixMilli(ms)})
			}
			if err := send(ctx, out, batch); err != nil {
				return err
			}
		}
		return nil
	}
	p := &progress{w: cfg.Progress, what: "statuses", total: cfg.Posts, step: 100_000, next: 100_000, start: time.Now()}
	return pipeline(ctx, produce, func(ctx context.Context, b []social.BulkStatus) error {
		if err := soc.BulkStatuses(ctx, account.CLI, b, cfg.Batch); err != nil {
			return err
		}
		p.add(len(b))
		return nil
	})
}
