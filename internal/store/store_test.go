package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/rounds-health/rounds/internal/store"
	"github.com/rounds-health/rounds/internal/testkit"
)

func TestMigrate_IsIdempotentAndRecordsVersions(t *testing.T) {
	db := testkit.DB(t)
	ctx := context.Background()
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("second migrate: %v", err)
	}
	ms, err := store.Migrations(db.Dialect())
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.QueryRow(ctx, "SELECT COUNT(*) FROM schema_migrations").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != len(ms) || n == 0 {
		t.Fatalf("schema_migrations has %d rows, want %d", n, len(ms))
	}
}

func TestWithTx_RollsBackOnErrorAndJoinsOuterTransaction(t *testing.T) {
	db := testkit.DB(t)
	ctx := context.Background()
	if _, err := db.Exec(ctx, "CREATE TABLE things (id BIGINT PRIMARY KEY, name TEXT NOT NULL UNIQUE)"); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := db.WithTx(ctx, func(ctx context.Context) error {
		if _, err := db.Exec(ctx, "INSERT INTO things (id, name) VALUES (?, ?)", 1, "a"); err != nil {
			return err
		}
		// A nested WithTx joins the outer one: its insert is rolled back too.
		if err := db.WithTx(ctx, func(ctx context.Context) error {
			_, err := db.Exec(ctx, "INSERT INTO things (id, name) VALUES (?, ?)", 2, "b")
			return err
		}); err != nil {
			return err
		}
		var n int
		if err := db.QueryRow(ctx, "SELECT COUNT(*) FROM things").Scan(&n); err != nil || n != 2 {
			t.Errorf("inside the transaction: %d rows, err %v; want 2", n, err)
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("WithTx returned %v, want boom", err)
	}
	var n int
	if err := db.QueryRow(ctx, "SELECT COUNT(*) FROM things").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatalf("%d rows survived a rolled-back transaction", n)
	}
}

func TestIsUniqueViolation_OnBothEngines(t *testing.T) {
	db := testkit.DB(t)
	ctx := context.Background()
	if _, err := db.Exec(ctx, "CREATE TABLE names (name TEXT PRIMARY KEY)"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(ctx, "INSERT INTO names (name) VALUES (?)", "x"); err != nil {
		t.Fatal(err)
	}
	_, err := db.Exec(ctx, "INSERT INTO names (name) VALUES (?)", "x")
	if !store.IsUniqueViolation(err) {
		t.Fatalf("duplicate insert gave %v; IsUniqueViolation should recognize it", err)
	}
	if store.IsUniqueViolation(errors.New("other")) {
		t.Fatal("IsUniqueViolation recognized an unrelated error")
	}
}

func TestOpen_RejectsUnknownDatabaseURL(t *testing.T) {
	_, err := store.Open(context.Background(), "mysql://user:secret@host/db", t.TempDir())
	if err == nil {
		t.Fatal("Open accepted a mysql URL")
	}
	if got := err.Error(); contains(got, "secret") {
		t.Fatalf("error leaks the password: %s", got)
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

func TestAfterCommit_RunsOnlyOnceTheOutermostTransactionCommits(t *testing.T) {
	db := testkit.DB(t)
	ctx := context.Background()
	var ran []string
	hook := func(name string) func(context.Context) {
		return func(ctx context.Context) {
			if store.InTx(ctx) {
				t.Errorf("%s: the hook got the finished transaction", name)
			}
			ran = append(ran, name)
		}
	}
	store.AfterCommit(ctx, hook("outside"))
	err := db.WithTx(ctx, func(ctx context.Context) error {
		return db.WithTx(ctx, func(ctx context.Context) error {
			store.AfterCommit(ctx, hook("nested"))
			if len(ran) != 1 {
				t.Errorf("a hook ran before the commit: %v", ran)
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	_ = db.WithTx(ctx, func(ctx context.Context) error {
		store.AfterCommit(ctx, hook("rolled back"))
		return errors.New("boom")
	})
	if len(ran) != 2 || ran[0] != "outside" || ran[1] != "nested" {
		t.Fatalf("hooks ran: %v; want outside, nested (and never after a rollback)", ran)
	}
}

// A snapshot reads one moment of the database: a row committed while it
// runs stays out of it, and it cannot write.
func TestWithSnapshot_ReadsOneMomentAndRefusesWrites(t *testing.T) {
	db := testkit.DB(t)
	ctx := context.Background()
	if _, err := db.Exec(ctx, "CREATE TABLE snap (id BIGINT PRIMARY KEY)"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(ctx, "INSERT INTO snap (id) VALUES (1)"); err != nil {
		t.Fatal(err)
	}
	count := func(ctx context.Context) int {
		var n int
		if err := db.QueryRow(ctx, "SELECT COUNT(*) FROM snap").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	err := db.WithSnapshot(ctx, func(sctx context.Context) error {
		if n := count(sctx); n != 1 {
			t.Errorf("first read in the snapshot: %d rows; want 1", n)
		}
		// Another writer commits meanwhile (ctx carries no transaction).
		if _, err := db.Exec(ctx, "INSERT INTO snap (id) VALUES (2)"); err != nil {
			return err
		}
		if n := count(ctx); n != 2 {
			t.Errorf("outside the snapshot: %d rows; want 2", n)
		}
		if n := count(sctx); n != 1 {
			t.Errorf("second read in the snapshot: %d rows; want still 1", n)
		}
		if _, err := db.Exec(sctx, "INSERT INTO snap (id) VALUES (3)"); err == nil {
			t.Error("a write inside the snapshot succeeded")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := count(ctx); n != 2 {
		t.Fatalf("after the snapshot: %d rows; want 2", n)
	}
}
