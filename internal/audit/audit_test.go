package audit_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/rounds-health/rounds/internal/audit"
	"github.com/rounds-health/rounds/internal/store"
	"github.com/rounds-health/rounds/internal/testkit"
)

// testKey stands for the key the app derives from the keyset in --data.
var testKey = []byte("an audit key of thirty-two bytes")

func newLog(t *testing.T) (*store.DB, *audit.Log) {
	t.Helper()
	db := testkit.DB(t)
	return db, audit.New(db, testKey)
}

func appendN(t *testing.T, log *audit.Log, n int) {
	t.Helper()
	for i := 1; i <= n; i++ {
		err := log.Append(context.Background(), audit.Event{ActorID: int64(i), Actor: fmt.Sprintf("user%d", i),
			Action: "auth.signin", Target: fmt.Sprintf("user:%d", i), Outcome: audit.Success, ClientAddr: "127.0.0.1"})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// dropAppendOnlyGuards removes the triggers, as an attacker with database
// access could, so that tests can tamper with rows.
func dropAppendOnlyGuards(t *testing.T, db *store.DB) {
	t.Helper()
	stmts := []string{"DROP TRIGGER audit_log_no_update", "DROP TRIGGER audit_log_no_delete"}
	if db.Dialect() == store.Postgres {
		stmts = []string{"DROP TRIGGER audit_log_no_change ON audit_log"}
	}
	for _, s := range stmts {
		if _, err := db.Exec(context.Background(), s); err != nil {
			t.Fatal(err)
		}
	}
}

func TestVerify_IntactChain(t *testing.T) {
	_, log := newLog(t)
	appendN(t, log, 25)
	n, brk, err := log.Verify(context.Background())
	if err != nil || brk != nil || n != 25 {
		t.Fatalf("Verify = %d, %v, %v; want 25 records, intact", n, brk, err)
	}
}

func TestAuditLog_RefusesUpdateAndDelete(t *testing.T) {
	db, log := newLog(t)
	appendN(t, log, 2)
	ctx := context.Background()
	if _, err := db.Exec(ctx, "UPDATE audit_log SET outcome = 'failure' WHERE seq = 1"); err == nil {
		t.Error("an UPDATE of the audit log was allowed")
	}
	if _, err := db.Exec(ctx, "DELETE FROM audit_log WHERE seq = 2"); err == nil {
		t.Error("a DELETE from the audit log was allowed")
	}
}

func TestVerify_NamesFirstTamperedRecord(t *testing.T) {
	cases := []struct {
		name    string
		tamper  string
		wantSeq int64
		reason  string
	}{
		{"altered field", "UPDATE audit_log SET actor = 'someone_else' WHERE seq = 7", 7, "altered"},
		{"altered time", "UPDATE audit_log SET at = at + 1000 WHERE seq = 3", 3, "altered"},
		{"removed middle", "DELETE FROM audit_log WHERE seq = 5", 5, "missing"},
		{"removed newest", "DELETE FROM audit_log WHERE seq = 10", 10, "missing"},
		{"rehashed record", "UPDATE audit_log SET hash = 'abc' WHERE seq = 4", 4, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			db, log := newLog(t)
			appendN(t, log, 10)
			dropAppendOnlyGuards(t, db)
			if _, err := db.Exec(context.Background(), tc.tamper); err != nil {
				t.Fatal(err)
			}
			_, brk, err := log.Verify(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if brk == nil {
				t.Fatal("Verify found the tampered chain intact")
			}
			if brk.Seq != tc.wantSeq || !strings.Contains(brk.Reason, tc.reason) {
				t.Fatalf("Verify named record %d (%s); want %d (%s)", brk.Seq, brk.Reason, tc.wantSeq, tc.reason)
			}
		})
	}
}

func TestAppend_ConcurrentWritersKeepOneChain(t *testing.T) {
	_, log := newLog(t)
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- log.Append(context.Background(), audit.Event{Actor: fmt.Sprintf("w%d", i), Action: "test.concurrent", Outcome: audit.Success})
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	n, brk, err := log.Verify(context.Background())
	if err != nil || brk != nil || n != 40 {
		t.Fatalf("after concurrent appends Verify = %d, %v, %v; want 40, intact", n, brk, err)
	}
}

func TestAppend_RollsBackWithItsTransaction(t *testing.T) {
	db, log := newLog(t)
	ctx := context.Background()
	_ = db.WithTx(ctx, func(ctx context.Context) error {
		if err := log.Append(ctx, audit.Event{Action: "test.rolled_back", Outcome: audit.Success}); err != nil {
			t.Fatal(err)
		}
		return fmt.Errorf("abandon")
	})
	appendN(t, log, 1)
	n, brk, err := log.Verify(ctx)
	if err != nil || brk != nil || n != 1 {
		t.Fatalf("Verify = %d, %v, %v; want 1 record, intact", n, brk, err)
	}
}

func TestList_FiltersByActorActionAndOutcome(t *testing.T) {
	_, log := newLog(t)
	ctx := context.Background()
	for _, e := range []audit.Event{
		{Actor: "Alice", Action: "auth.signin", Outcome: audit.Success},
		{Actor: "alice", Action: "auth.signin", Outcome: audit.Failure},
		{Actor: "bob", Action: "admin.set_role", Outcome: audit.Success},
	} {
		if err := log.Append(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	got, err := log.List(ctx, audit.Filter{Actor: "ALICE"})
	if err != nil || len(got) != 2 {
		t.Fatalf("actor filter: %d records, %v; want 2", len(got), err)
	}
	got, _ = log.List(ctx, audit.Filter{Action: "auth."})
	if len(got) != 2 || got[0].Seq != 2 {
		t.Fatalf("action prefix filter: %+v; want seq 2 then 1", got)
	}
	got, _ = log.List(ctx, audit.Filter{Outcome: audit.Failure})
	if len(got) != 1 || got[0].Actor != "alice" {
		t.Fatalf("outcome filter: %+v", got)
	}
	got, _ = log.List(ctx, audit.Filter{Before: 2})
	if len(got) != 1 || got[0].Seq != 1 {
		t.Fatalf("keyset paging: %+v", got)
	}
}

// unkeyedHash is what someone with write access to the database can
// compute without the key: the chain's old, plain SHA-256 construction.
func unkeyedHash(r audit.Record) string {
	b, _ := json.Marshal([]any{r.Seq, r.At.UnixMilli(), r.ActorID, r.Actor, r.OnBehalfOf, r.Action,
		r.Target, r.ClientAddr, r.Outcome, r.Detail, r.PrevHash})
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func mustExec(t *testing.T, db *store.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.Exec(context.Background(), q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func recordAt(t *testing.T, log *audit.Log, seq int64) audit.Record {
	t.Helper()
	recs, err := log.List(context.Background(), audit.Filter{Before: seq + 1, Limit: 1})
	if err != nil || len(recs) != 1 || recs[0].Seq != seq {
		t.Fatalf("record %d: %v, %v", seq, recs, err)
	}
	return recs[0]
}

// An insider with write access to the database, but not to the keyset in
// --data, tries to hide what the newest records say.
func TestVerify_CatchesRewritesMadeWithoutTheKey(t *testing.T) {
	cases := []struct {
		name    string
		tamper  func(t *testing.T, db *store.DB, log *audit.Log)
		wantSeq int64
	}{
		{"re-attribute a record and recompute every later hash and the head", func(t *testing.T, db *store.DB, log *audit.Log) {
			prev := recordAt(t, log, 6).Hash
			for seq := int64(7); seq <= 10; seq++ {
				r := recordAt(t, log, seq)
				if seq == 7 {
					r.Actor = "someone_else"
				}
				r.PrevHash = prev
				r.Hash = unkeyedHash(r)
				mustExec(t, db, "UPDATE audit_log SET actor = ?, prev_hash = ?, hash = ? WHERE seq = ?", r.Actor, r.PrevHash, r.Hash, seq)
				prev = r.Hash
			}
			mustExec(t, db, "UPDATE audit_head SET hash = ? WHERE id = 1", prev)
		}, 7},
		{"delete the newest records and point the head at the last one left", func(t *testing.T, db *store.DB, log *audit.Log) {
			last := recordAt(t, log, 7)
			mustExec(t, db, "DELETE FROM audit_log WHERE seq > 7")
			mustExec(t, db, "UPDATE audit_head SET seq = 7, hash = ? WHERE id = 1", last.Hash)
		}, 7},
		{"delete the newest records and reuse the link the next record held", func(t *testing.T, db *store.DB, log *audit.Log) {
			link := recordAt(t, log, 8).PrevHash
			mustExec(t, db, "DELETE FROM audit_log WHERE seq > 7")
			mustExec(t, db, "UPDATE audit_head SET seq = 7, hash = ? WHERE id = 1", link)
		}, 7},
		{"delete the newest records; the server appends again afterwards", func(t *testing.T, db *store.DB, log *audit.Log) {
			link := recordAt(t, log, 8).PrevHash
			mustExec(t, db, "DELETE FROM audit_log WHERE seq > 7")
			mustExec(t, db, "UPDATE audit_head SET seq = 7, hash = ? WHERE id = 1", link)
			appendN(t, log, 2) // records 8 and 9 are new, chained onto the forged head
		}, 8},
		{"re-chain every record with another key", func(t *testing.T, db *store.DB, _ *audit.Log) {
			other := audit.New(db, []byte("a different key, also 32 bytes.."))
			mustExec(t, db, "DELETE FROM audit_log")
			mustExec(t, db, "UPDATE audit_head SET seq = 0, hash = '' WHERE id = 1")
			appendN(t, other, 10)
		}, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			db, log := newLog(t)
			appendN(t, log, 10)
			dropAppendOnlyGuards(t, db)
			tc.tamper(t, db, log)
			_, brk, err := log.Verify(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if brk == nil {
				t.Fatal("Verify found the rewritten chain intact")
			}
			if brk.Seq != tc.wantSeq {
				t.Fatalf("Verify named record %d (%s); want %d", brk.Seq, brk.Reason, tc.wantSeq)
			}
		})
	}
}

func TestVerify_NeedsTheKey(t *testing.T) {
	db, log := newLog(t)
	appendN(t, log, 3)
	if _, _, err := audit.New(db, nil).Verify(context.Background()); err == nil {
		t.Fatal("Verify ran without a key")
	}
	if err := audit.New(db, []byte("short")).Append(context.Background(), audit.Event{Action: "x", Outcome: audit.Success}); err == nil {
		t.Fatal("Append wrote a record under a short key")
	}
}

// The server keeps writing while an operator runs rounds audit verify:
// records appended meanwhile are not part of that run and must never make
// an intact chain look broken.
func TestVerify_IntactWhileTheServerAppends(t *testing.T) {
	_, log := newLog(t)
	ctx := context.Background()
	appendN(t, log, 1100) // more than one page of the walk
	stop := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		for {
			select {
			case <-stop:
				done <- nil
				return
			default:
			}
			if err := log.Append(ctx, audit.Event{Action: "test.during_verify", Outcome: audit.Success}); err != nil {
				done <- err
				return
			}
		}
	}()
	var last int64
	for range 10 {
		n, brk, err := log.Verify(ctx)
		if err != nil || brk != nil {
			close(stop)
			<-done
			t.Fatalf("Verify while appending = %d, %v, %v; want intact", n, brk, err)
		}
		if n < last {
			t.Fatalf("Verify checked %d records after checking %d", n, last)
		}
		last = n
	}
	close(stop)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if last <= 1100 {
		t.Logf("no append landed during the runs (checked %d)", last)
	}
}

func TestAppend_CapsOversizedFields(t *testing.T) {
	_, log := newLog(t)
	ctx := context.Background()
	huge := strings.Repeat("é", 450_000) // 900 KB typed into a form field
	if err := log.Append(ctx, audit.Event{Actor: huge, Action: "auth.signin", Target: "\xff\xfe not UTF-8", Outcome: audit.Failure, Detail: huge}); err != nil {
		t.Fatal(err)
	}
	r := recordAt(t, log, 1)
	if len(r.Actor) > 100 || len(r.Detail) > 500 || !utf8.ValidString(r.Actor) || !utf8.ValidString(r.Detail) || !utf8.ValidString(r.Target) {
		t.Fatalf("stored actor %d bytes, target %d, detail %d (valid UTF-8: %v)", len(r.Actor), len(r.Target), len(r.Detail), utf8.ValidString(r.Actor))
	}
	if _, brk, err := log.Verify(ctx); err != nil || brk != nil {
		t.Fatalf("Verify = %v, %v", brk, err)
	}
}
