package jobs_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rounds-health/rounds/internal/id"
	"github.com/rounds-health/rounds/internal/jobs"
	"github.com/rounds-health/rounds/internal/store"
	"github.com/rounds-health/rounds/internal/testkit"
)

// clock is a settable time for driving RunDue.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

var t0 = time.Date(2031, 3, 4, 9, 0, 0, 0, time.UTC)

type payload struct {
	N int `json:"n"`
}

func newQueue(t *testing.T, db *store.DB) (*jobs.Queue, *clock) {
	c := &clock{t: t0}
	return jobs.New(db, &id.Generator{}, testkit.Logger()).WithClock(c.now), c
}

func TestRunDue_RunsDueJobsInOrderAndLeavesLaterOnes(t *testing.T) {
	ctx := context.Background()
	q, c := newQueue(t, testkit.DB(t))
	var ran []int
	q.Handle("test.record", func(ctx context.Context, j jobs.Job) error {
		var p payload
		if err := j.Decode(&p); err != nil {
			return err
		}
		ran = append(ran, p.N)
		return nil
	})
	for _, j := range []struct {
		n  int
		at time.Duration
	}{{3, 2 * time.Minute}, {1, 0}, {2, time.Minute}, {4, time.Hour}} {
		if _, err := q.Enqueue(ctx, "test.record", payload{j.n}, t0.Add(j.at)); err != nil {
			t.Fatal(err)
		}
	}
	c.set(t0.Add(5 * time.Minute))
	if n, err := q.RunDue(ctx); err != nil || n != 3 {
		t.Fatalf("RunDue = %d, %v; want the 3 due jobs", n, err)
	}
	if len(ran) != 3 || ran[0] != 1 || ran[1] != 2 || ran[2] != 3 {
		t.Fatalf("ran %v; want 1, 2, 3 in due order, and not the job due in an hour", ran)
	}
	if n, _ := q.RunDue(ctx); n != 0 {
		t.Fatalf("a done job ran again (%d)", n)
	}
	c.set(t0.Add(time.Hour))
	if n, _ := q.RunDue(ctx); n != 1 || ran[3] != 4 {
		t.Fatalf("the later job did not run at its time: %v", ran)
	}
}

func TestEnqueue_JoinsTheCallersTransaction(t *testing.T) {
	ctx := context.Background()
	db := testkit.DB(t)
	q, _ := newQueue(t, db)
	ran := 0
	q.Handle("test.count", func(context.Context, jobs.Job) error { ran++; return nil })
	boom := errors.New("the change failed")
	err := db.WithTx(ctx, func(ctx context.Context) error {
		if _, err := q.Enqueue(ctx, "test.count", nil, t0); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	if n, _ := q.RunDue(ctx); n != 0 || ran != 0 {
		t.Fatalf("a job enqueued in a rolled-back transaction ran (%d)", ran)
	}
}

// Two servers on one database: every job runs exactly once.
func TestRunDue_TwoRunnersClaimEachJobOnce(t *testing.T) {
	ctx := context.Background()
	cfg := testkit.Config(t)
	var dbs [2]*store.DB
	for i := range dbs {
		db, err := store.Open(ctx, cfg.DB, cfg.DataDir)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		dbs[i] = db
	}
	var mu sync.Mutex
	runs := map[int]int{}
	handler := func(ctx context.Context, j jobs.Job) error {
		var p payload
		_ = j.Decode(&p)
		time.Sleep(2 * time.Millisecond) // let the other runner try to take it meanwhile
		mu.Lock()
		runs[p.N]++
		mu.Unlock()
		return nil
	}
	var runners [2]*jobs.Queue
	for i := range runners {
		runners[i], _ = newQueue(t, dbs[i])
		runners[i].Handle("test.once", handler)
	}
	const total = 40
	for n := range total {
		if _, err := runners[0].Enqueue(ctx, "test.once", payload{n}, t0); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	counts := make([]int, len(runners))
	for i, r := range runners {
		wg.Go(func() {
			n, err := r.RunDue(ctx)
			if err != nil {
				t.Errorf("runner %d: %v", i, err)
			}
			counts[i] = n
		})
	}
	wg.Wait()
	if counts[0]+counts[1] != total || len(runs) != total {
		t.Fatalf("runners ran %v jobs, %d distinct; want %d in all", counts, len(runs), total)
	}
	for n, k := range runs {
		if k != 1 {
			t.Errorf("job %d ran %d times", n, k)
		}
	}
}

func TestRunDue_RetriesWithBackoffThenRecordsTheFailure(t *testing.T) {
	ctx := context.Background()
	q, c := newQueue(t, testkit.DB(t))
	attempts := 0
	q.Handle("test.flaky", func(context.Context, jobs.Job) error {
		attempts++
		return errors.New("the registry did not answer")
	})
	jobID, err := q.Enqueue(ctx, "test.flaky", nil, t0)
	if err != nil {
		t.Fatal(err)
	}
	at := t0
	for i := 1; i <= jobs.DefaultMaxAttempts; i++ {
		if n, err := q.RunDue(ctx); n != 1 || err != nil {
			t.Fatalf("attempt %d: RunDue = %d, %v", i, n, err)
		}
		r, err := q.Get(ctx, jobID)
		if err != nil {
			t.Fatal(err)
		}
		if r.Attempts != i || !strings.Contains(r.LastError, "did not answer") {
			t.Fatalf("after attempt %d: %+v", i, r)
		}
		if i < jobs.DefaultMaxAttempts {
			if r.State != jobs.Queued || !r.RunAt.Equal(at.Add(jobs.Backoff(i))) {
				t.Fatalf("attempt %d: state %s, next run %v; want queued at +%v", i, r.State, r.RunAt, jobs.Backoff(i))
			}
			if n, _ := q.RunDue(ctx); n != 0 {
				t.Fatalf("attempt %d: retried before its backoff", i)
			}
			at = r.RunAt
			c.set(at)
		} else if r.State != jobs.Failed || r.FinishedAt.IsZero() {
			t.Fatalf("after the last attempt: %+v; want failed", r)
		}
	}
	c.set(at.Add(24 * time.Hour))
	if n, _ := q.RunDue(ctx); n != 0 || attempts != jobs.DefaultMaxAttempts {
		t.Fatalf("a failed job ran again: %d attempts", attempts)
	}
}

func TestRunDue_PermanentErrorsAndPanicsAreRecorded(t *testing.T) {
	ctx := context.Background()
	q, _ := newQueue(t, testkit.DB(t))
	q.Handle("test.permanent", func(context.Context, jobs.Job) error {
		return jobs.Permanent(errors.New("draft 12 no longer exists"))
	})
	q.Handle("test.panic", func(context.Context, jobs.Job) error { panic("nil map") })
	perm, _ := q.Enqueue(ctx, "test.permanent", nil, t0)
	pan, _ := q.Enqueue(ctx, "test.panic", nil, t0)
	if _, err := q.RunDue(ctx); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		id     int64
		state  string
		errHas string
	}{
		{"permanent error fails at once", perm, jobs.Failed, "no longer exists"},
		{"a panic is retried like an error", pan, jobs.Queued, "panicked: nil map"},
	}
	for _, tt := range tests {
		r, err := q.Get(ctx, tt.id)
		if err != nil {
			t.Fatal(err)
		}
		if r.State != tt.state || r.Attempts != 1 || !strings.Contains(r.LastError, tt.errHas) {
			t.Errorf("%s: %+v", tt.name, r)
		}
	}
}

func TestRunDue_ReclaimsAJobWhoseRunnerDied(t *testing.T) {
	ctx := context.Background()
	db := testkit.DB(t)
	q, c := newQueue(t, db)
	ran := 0
	q.Handle("test.lease", func(context.Context, jobs.Job) error { ran++; return nil })
	jobID, _ := q.Enqueue(ctx, "test.lease", nil, t0)
	// A runner claimed it and died: running, lease until t0+5m.
	if _, err := db.Exec(ctx, "UPDATE jobs SET state = 'running', attempts = 1, locked_until = ?, claim = 'dead' WHERE id = ?",
		t0.Add(jobs.DefaultLease).UnixMilli(), jobID); err != nil {
		t.Fatal(err)
	}
	if n, _ := q.RunDue(ctx); n != 0 {
		t.Fatal("a job was taken from a runner whose lease holds")
	}
	c.set(t0.Add(jobs.DefaultLease))
	if n, _ := q.RunDue(ctx); n != 1 || ran != 1 {
		t.Fatalf("the job was not reclaimed after its lease (%d)", n)
	}
	if r, _ := q.Get(ctx, jobID); r.State != jobs.Done || r.Attempts != 2 {
		t.Fatalf("after reclaim: %+v", r)
	}
}

func TestCancel_WithdrawsOnlyAQueuedJob(t *testing.T) {
	ctx := context.Background()
	q, _ := newQueue(t, testkit.DB(t))
	ran := 0
	q.Handle("test.cancel", func(context.Context, jobs.Job) error { ran++; return nil })
	jobID, _ := q.Enqueue(ctx, "test.cancel", nil, t0)
	if ok, err := q.Cancel(ctx, jobID); !ok || err != nil {
		t.Fatalf("Cancel = %v, %v", ok, err)
	}
	if ok, _ := q.Cancel(ctx, jobID); ok {
		t.Fatal("a cancelled job was cancelled again")
	}
	if n, _ := q.RunDue(ctx); n != 0 || ran != 0 {
		t.Fatal("a cancelled job ran")
	}
	if n, err := q.Purge(ctx, t0.Add(time.Hour)); n != 1 || err != nil {
		t.Fatalf("Purge = %d, %v", n, err)
	}
}

func TestStart_RunsAJobEnqueuedDueNow(t *testing.T) {
	ctx := context.Background()
	q := jobs.New(testkit.DB(t), &id.Generator{}, testkit.Logger())
	done := make(chan struct{})
	q.Handle("test.now", func(context.Context, jobs.Job) error { close(done); return nil })
	stop := q.Start(ctx)
	defer stop()
	if _, err := q.Enqueue(ctx, "test.now", nil, time.Now()); err != nil {
		t.Fatal(err)
	}
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the running queue did not run a due job")
	}
}
