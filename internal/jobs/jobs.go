// Package jobs is the durable job queue: work that must happen later (a
// scheduled post at its time) or again until it succeeds, kept in the
// database so that it survives restarts and is shared by every server.
//
// A service enqueues a job inside the transaction of the change that needs
// it (store.WithTx carries it in the context), so the job exists exactly
// when the change does. Each server runs the queue (Start); a runner claims
// one due job at a time — PostgreSQL with FOR UPDATE SKIP LOCKED, SQLite
// through its single writer — under a lease, runs the handler registered
// for the job's kind, and records the outcome: done, retried later with a
// growing delay, or failed with the error kept for operators.
//
// Jobs never carry PHI: payloads hold identifiers, and handlers return
// errors without user text, because both are stored as they are.
// The package knows nothing of domains.
package jobs

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/rounds-health/rounds/internal/id"
	"github.com/rounds-health/rounds/internal/store"
)

// States of a job.
const (
	Queued    = "queued"
	Running   = "running"
	Done      = "done"
	Failed    = "failed"
	Cancelled = "cancelled"
)

// Job is a claimed job as its handler sees it.
type Job struct {
	ID          int64
	Kind        string
	Payload     json.RawMessage
	RunAt       time.Time // when it was due
	Attempt     int       // 1 on the first run
	MaxAttempts int
}

// Decode reads the payload into v.
func (j Job) Decode(v any) error { return json.Unmarshal(j.Payload, v) }

// Handler does a job. A nil error marks it done; an error retries it later
// (up to its attempts) unless wrapped by Permanent. Handlers must be safe to
// run again for the same job: a runner that dies after the work but before
// recording it leaves the job to be claimed again when its lease ends.
type Handler func(ctx context.Context, j Job) error

// permanent marks an error that retrying cannot fix.
type permanent struct{ err error }

func (p permanent) Error() string { return p.err.Error() }
func (p permanent) Unwrap() error { return p.err }

// Permanent wraps err so that the job fails at once instead of retrying.
func Permanent(err error) error { return permanent{err} }

// Record is a stored job, for inspection.
type Record struct {
	ID         int64
	Kind       string
	State      string
	RunAt      time.Time
	Attempts   int
	LastError  string
	FinishedAt time.Time
}

// Defaults.
const (
	DefaultMaxAttempts = 5
	DefaultLease       = 5 * time.Minute // a handler gets a little less than this
	DefaultPoll        = time.Second
	keepFinished       = 7 * 24 * time.Hour // done and cancelled jobs, then purged
	maxErrorBytes      = 500
)

// Queue enqueues jobs and runs them.
type Queue struct {
	db       *store.DB
	ids      *id.Generator
	log      *slog.Logger
	handlers map[string]Handler
	now      func() time.Time
	lease    time.Duration
	poll     time.Duration
	backoff  func(attempt int) time.Duration
	wake     chan struct{}
}

// New returns a queue on db. Register handlers with Handle before Start.
func New(db *store.DB, ids *id.Generator, log *slog.Logger) *Queue {
	return &Queue{db: db, ids: ids, log: log, handlers: map[string]Handler{}, now: time.Now, lease: DefaultLease,
		poll: DefaultPoll, backoff: Backoff, wake: make(chan struct{}, 1)}
}

// Backoff is the default delay before attempt n+1 after attempt n failed:
// 30 seconds, doubling, at most an hour.
func Backoff(attempt int) time.Duration {
	d := 30 * time.Second
	for i := 1; i < attempt && d < time.Hour; i++ {
		d *= 2
	}
	return min(d, time.Hour)
}

// Handle registers the handler of kind; call it while wiring, before Start.
func (q *Queue) Handle(kind string, h Handler) { q.handlers[kind] = h }

// WithClock returns a queue sharing q's database and handlers whose idea of
// now is clock: tests and simulations drive RunDue at chosen times.
func (q *Queue) WithClock(clock func() time.Time) *Queue {
	c := *q
	c.now = clock
	return &c
}

// WithBackoff returns a queue like q that waits backoff(n) after attempt n fails.
func (q *Queue) WithBackoff(backoff func(attempt int) time.Duration) *Queue {
	c := *q
	c.backoff = backoff
	return &c
}

// Enqueue adds a job of kind, due at runAt, with payload as JSON (identifiers
// only). Call it with the context of the transaction that needs the job.
func (q *Queue) Enqueue(ctx context.Context, kind string, payload any, runAt time.Time) (int64, error) {
	body, err := json.Marshal(payload)
	if err != nil {
		return 0, fmt.Errorf("job payload: %w", err)
	}
	jobID := q.ids.Next()
	if _, err := q.db.Exec(ctx, `INSERT INTO jobs (id, kind, payload, run_at, max_attempts, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		jobID, kind, string(body), runAt.UnixMilli(), DefaultMaxAttempts, q.now().UnixMilli()); err != nil {
		return 0, fmt.Errorf("enqueue %s: %w", kind, err)
	}
	if !runAt.After(q.now()) {
		store.AfterCommit(ctx, func(context.Context) { q.nudge() })
	}
	return jobID, nil
}

func (q *Queue) nudge() {
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// Cancel withdraws a queued job. It reports false when the job is no longer
// queued (running, finished or unknown): its handler must check for itself
// that its work is still wanted.
func (q *Queue) Cancel(ctx context.Context, jobID int64) (bool, error) {
	res, err := q.db.Exec(ctx, "UPDATE jobs SET state = 'cancelled', finished_at = ? WHERE id = ? AND state = 'queued'",
		q.now().UnixMilli(), jobID)
	if err != nil {
		return false, fmt.Errorf("cancel job: %w", err)
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// Get returns a stored job.
func (q *Queue) Get(ctx context.Context, jobID int64) (*Record, error) {
	var r Record
	var runAt, finished int64
	err := q.db.QueryRow(ctx, "SELECT id, kind, state, run_at, attempts, last_error, finished_at FROM jobs WHERE id = ?", jobID).
		Scan(&r.ID, &r.Kind, &r.State, &runAt, &r.Attempts, &r.LastError, &finished)
	if err != nil {
		return nil, fmt.Errorf("load job %d: %w", jobID, err)
	}
	r.RunAt = time.UnixMilli(runAt).UTC()
	if finished != 0 {
		r.FinishedAt = time.UnixMilli(finished).UTC()
	}
	return &r, nil
}

// RunDue runs the jobs due now, one after another, until none is left; it
// returns how many it ran. It stops claiming when ctx ends; a job already
// running finishes first.
func (q *Queue) RunDue(ctx context.Context) (int, error) {
	n := 0
	for ctx.Err() == nil {
		j, claim, err := q.claim(ctx)
		if err != nil {
			return n, err
		}
		if j == nil {
			return n, nil
		}
		q.run(ctx, j, claim)
		n++
	}
	return n, nil
}

// dueSQL selects the oldest due job of a known kind, or one whose runner's
// lease ended; %s are the kinds' placeholders. claimSQL takes it (%s: and
// PostgreSQL's row lock, so that concurrent runners each take another row).
const (
	dueSQL = `SELECT id FROM jobs WHERE kind IN (%s)
		AND ((state = 'queued' AND run_at <= ?) OR (state = 'running' AND locked_until <= ?))
		ORDER BY run_at, id LIMIT 1`
	claimSQL = `UPDATE jobs SET state = 'running', attempts = attempts + 1, locked_until = ?, claim = ?
	WHERE id = (` + dueSQL + `%s)
	RETURNING id, kind, payload, run_at, attempts, max_attempts`
)

func (q *Queue) claim(ctx context.Context) (*Job, string, error) {
	if len(q.handlers) == 0 {
		return nil, "", nil
	}
	now := q.now()
	kinds := slices.Sorted(maps.Keys(q.handlers))
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(kinds)), ", ")
	due := make([]any, 0, len(kinds)+2)
	for _, k := range kinds {
		due = append(due, k)
	}
	due = append(due, now.UnixMilli(), now.UnixMilli())
	// A read first: an idle queue costs one indexed query on a reader, not
	// a write transaction (on SQLite, the database's one writer) per poll.
	var next int64
	err := q.db.QueryRow(ctx, fmt.Sprintf(dueSQL, marks), due...).Scan(&next)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", nil
	}
	if err != nil {
		return nil, "", fmt.Errorf("look for due jobs: %w", err)
	}
	lock := ""
	if q.db.Dialect() == store.Postgres {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	token := newToken()
	args := append([]any{now.Add(q.lease).UnixMilli(), token}, due...)
	var j Job
	var payload string
	var runAt int64
	err = q.db.WithTx(ctx, func(ctx context.Context) error {
		return q.db.QueryRow(ctx, fmt.Sprintf(claimSQL, marks, lock), args...).Scan(&j.ID, &j.Kind, &payload, &runAt, &j.Attempt, &j.MaxAttempts)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", nil
	}
	if err != nil {
		return nil, "", fmt.Errorf("claim a job: %w", err)
	}
	j.Payload, j.RunAt = json.RawMessage(payload), time.UnixMilli(runAt).UTC()
	return &j, token, nil
}

func newToken() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// run calls the handler of a claimed job and records what came of it.
func (q *Queue) run(ctx context.Context, j *Job, claim string) {
	if j.Attempt > j.MaxAttempts {
		q.finish(ctx, j, claim, Failed, "gave up: the last attempt did not finish within its lease")
		return
	}
	hctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), q.lease*9/10)
	err := call(hctx, q.handlers[j.Kind], *j)
	cancel()
	var perm permanent
	switch {
	case err == nil:
		q.finish(ctx, j, claim, Done, "")
	case errors.As(err, &perm) || j.Attempt >= j.MaxAttempts:
		q.log.Error("job failed", "kind", j.Kind, "job", j.ID, "attempt", j.Attempt, "err", err)
		q.finish(ctx, j, claim, Failed, err.Error())
	default:
		q.log.Warn("job will be retried", "kind", j.Kind, "job", j.ID, "attempt", j.Attempt, "err", err)
		q.retry(ctx, j, claim, err.Error())
	}
}

// call runs h, turning a panic into an error so that one bad job cannot
// stop the runner.
func call(ctx context.Context, h Handler, j Job) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("handler panicked: %v", p)
		}
	}()
	return h(ctx, j)
}

// record writes the outcome of a claim, unless the lease ended and another
// runner claimed the job since (its claim token differs).
func (q *Queue) record(ctx context.Context, j *Job, query string, args ...any) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	res, err := q.db.Exec(ctx, query, args...)
	if err != nil {
		q.log.Error("job outcome not recorded", "kind", j.Kind, "job", j.ID, "err", err)
		return
	}
	if n, _ := res.RowsAffected(); n == 0 {
		q.log.Warn("job outcome not recorded: its lease ended and it was claimed again", "kind", j.Kind, "job", j.ID)
	}
}

func (q *Queue) finish(ctx context.Context, j *Job, claim, state, errText string) {
	q.record(ctx, j, `UPDATE jobs SET state = ?, last_error = ?, finished_at = ?, locked_until = 0, claim = ''
		WHERE id = ? AND claim = ?`, state, clip(errText), q.now().UnixMilli(), j.ID, claim)
}

func (q *Queue) retry(ctx context.Context, j *Job, claim, errText string) {
	q.record(ctx, j, `UPDATE jobs SET state = 'queued', run_at = ?, last_error = ?, locked_until = 0, claim = ''
		WHERE id = ? AND claim = ?`, q.now().Add(q.backoff(j.Attempt)).UnixMilli(), clip(errText), j.ID, claim)
}

func clip(s string) string {
	if len(s) > maxErrorBytes {
		s = s[:maxErrorBytes]
	}
	return strings.ToValidUTF8(s, "")
}

// Purge deletes done and cancelled jobs finished before t; failed ones stay
// for operators to read.
func (q *Queue) Purge(ctx context.Context, before time.Time) (int64, error) {
	res, err := q.db.Exec(ctx, "DELETE FROM jobs WHERE state IN ('done', 'cancelled') AND finished_at < ?", before.UnixMilli())
	if err != nil {
		return 0, fmt.Errorf("purge jobs: %w", err)
	}
	return res.RowsAffected()
}

// Start runs due jobs every poll interval (and at once when a job is
// enqueued due now) until ctx ends. The returned stop function stops
// claiming, waits for the job in hand and returns; call it before the
// database closes.
func (q *Queue) Start(ctx context.Context) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(q.poll)
		defer t.Stop()
		var purged time.Time
		for {
			if _, err := q.RunDue(ctx); err != nil && ctx.Err() == nil {
				q.log.Warn("jobs: run due", "err", err)
			}
			if now := q.now(); now.Sub(purged) > time.Hour && ctx.Err() == nil {
				if _, err := q.Purge(ctx, now.Add(-keepFinished)); err != nil && ctx.Err() == nil {
					q.log.Warn("jobs: purge", "err", err)
				}
				purged = now
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			case <-q.wake:
			}
		}
	}()
	return func() { cancel(); <-done }
}
