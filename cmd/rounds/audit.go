package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/rounds-health/rounds/internal/audit"
	"github.com/rounds-health/rounds/internal/config"
	"github.com/rounds-health/rounds/internal/keyset"
	"github.com/rounds-health/rounds/internal/store"
)

const auditUsage = `Usage: rounds audit verify [--data DIR] [--db URL]
Exits 0 when the chain is intact, 1 naming the first broken record, and 2 when
there is no Rounds database or keyset where --data and --db point.
`

func auditCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "verify" {
		fmt.Fprint(stderr, auditUsage)
		return &exitError{code: 2}
	}
	var cfg config.Config
	fs := flag.NewFlagSet("rounds audit verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg.Storage(fs)
	if err := fs.Parse(args[1:]); err != nil {
		return &exitError{code: 2}
	}
	if fs.NArg() > 0 {
		return &exitError{code: 2, msg: fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	}
	log, closeDB, err := openAuditLog(ctx, cfg)
	if err != nil {
		return err
	}
	defer closeDB()
	n, brk, err := log.Verify(ctx)
	if err != nil {
		return err
	}
	if brk != nil {
		return &exitError{code: 1, msg: fmt.Sprintf("audit chain BROKEN at record %d: %s (%d records checked)", brk.Seq, brk.Reason, n)}
	}
	fmt.Fprintf(stdout, "audit chain intact: %d records verified\n", n)
	return nil
}

// openAuditLog opens the audit log of an existing installation. Unlike
// app.Open it creates, migrates and writes nothing: a mistyped --data must
// be reported as such, never answered with a fresh, empty and "intact" log.
func openAuditLog(ctx context.Context, cfg config.Config) (*audit.Log, func() error, error) {
	if cfg.DB == "" {
		path := filepath.Join(cfg.DataDir, "rounds.db")
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			return nil, nil, &exitError{code: 2, msg: fmt.Sprintf("no database at %s; give the --data directory the server uses (nothing was created)", path)}
		} else if err != nil {
			return nil, nil, err
		}
	}
	keys, err := keyset.LoadExisting(cfg.DataDir)
	if err != nil {
		return nil, nil, &exitError{code: 2, msg: err.Error() + " The audit log cannot be checked without the keyset it was written with."}
	}
	db, err := store.Open(ctx, cfg.DB, cfg.DataDir)
	if err != nil {
		return nil, nil, err
	}
	var n int
	if err := db.QueryRow(ctx, "SELECT COUNT(*) FROM audit_head").Scan(&n); err != nil {
		db.Close()
		return nil, nil, &exitError{code: 2, msg: "the database has no audit log; is it the one the server uses? (" + err.Error() + ")"}
	}
	return audit.New(db, keys.DeriveKey(audit.KeyLabel)), db.Close, nil
}
