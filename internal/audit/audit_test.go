package audit_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/rounds-health/rounds/internal/audit"
	"github.com/rounds-health/rounds/internal/store"
	"github.com/rounds-health/rounds/internal/testkit"
)

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
	db := testkit.DB(t)
	log := audit.New(db)
	appendN(t, log, 25)
	n, brk, err := log.Verify(context.Background())
	if err != nil || brk != nil || n != 25 {
		t.Fatalf("Verify = %d, %v, %v; want 25 records, intact", n, brk, err)
	}
}

func TestAuditLog_RefusesUpdateAndDelete(t *testing.T) {
	db := testkit.DB(t)
	appendN(t, audit.New(db), 2)
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
			db := testkit.DB(t)
			log := audit.New(db)
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
	db := testkit.DB(t)
	log := audit.New(db)
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
	db := testkit.DB(t)
	log := audit.New(db)
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
	db := testkit.DB(t)
	log := audit.New(db)
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
