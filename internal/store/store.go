// Package store opens the database (an embedded SQLite file by default, or
// PostgreSQL), runs migrations and carries transactions in the context.
//
// Every query in Rounds is written once, with ? placeholders, and runs on both
// engines: store rewrites placeholders for PostgreSQL. Domain packages own
// their SQL; store knows nothing of domains.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver
)

// Dialect names the database engine behind a DB.
type Dialect int

const (
	SQLite Dialect = iota
	Postgres
)

func (d Dialect) String() string {
	if d == Postgres {
		return "postgres"
	}
	return "sqlite"
}

// DB is the application's database: a writer pool and a reader pool.
// On SQLite the writer pool holds one connection whose transactions begin
// IMMEDIATE, so writers queue instead of failing; readers run in parallel
// under WAL. On PostgreSQL both pools are the same.
type DB struct {
	dialect Dialect
	writer  *sql.DB
	reader  *sql.DB
	rebinds sync.Map // query string → rewritten for PostgreSQL
	stmts   stmtCache
}

// stmtCache keeps prepared read statements by query text. SQLite parses and
// plans a statement on every unprepared call, which costs more than running
// a short indexed query; database/sql re-prepares a cached statement on each
// pooled connection on first use. Bounded, because queries with IN lists
// have one text per list length.
type stmtCache struct {
	mu sync.RWMutex
	m  map[string]*sql.Stmt
}

const (
	maxCachedStmts = 512
	maxCachedArgs  = 48 // a page of statuses (40) and its viewer fit; longer IN lists are prepared per call
)

func (c *stmtCache) get(ctx context.Context, pool *sql.DB, query string) *sql.Stmt {
	c.mu.RLock()
	st, full := c.m[query], len(c.m) >= maxCachedStmts
	c.mu.RUnlock()
	if st != nil || full || strings.Count(query, "?") > maxCachedArgs {
		return st // long IN lists have one text per length: not worth a slot each
	}
	// Prepare outside the lock: it may wait for a free reader connection,
	// and every read would wait behind it.
	st, err := pool.PrepareContext(ctx, query)
	if err != nil {
		return nil // the unprepared call reports the error
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if prev := c.m[query]; prev != nil {
		st.Close() // another reader prepared it meanwhile
		return prev
	}
	if c.m == nil {
		c.m = map[string]*sql.Stmt{}
	}
	c.m[query] = st
	return st
}

func (c *stmtCache) close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var err error
	for q, st := range c.m {
		err = errors.Join(err, st.Close())
		delete(c.m, q)
	}
	return err
}

// Open connects to url, or to the SQLite file rounds.db in dataDir when url is
// empty. dataDir is created if missing.
func Open(ctx context.Context, url, dataDir string) (*DB, error) {
	if strings.HasPrefix(url, "postgres://") || strings.HasPrefix(url, "postgresql://") {
		return openPostgres(ctx, url)
	}
	if url != "" {
		return nil, fmt.Errorf("unsupported --db %q: use a postgres:// URL, or leave it empty for SQLite in --data", redactURL(url))
	}
	return openSQLite(ctx, dataDir)
}

func openSQLite(ctx context.Context, dataDir string) (*DB, error) {
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	path := filepath.Join(dataDir, "rounds.db")
	// busy_timeout comes first so that the pragmas after it wait for locks.
	base := "file:" + path + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)" +
		"&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(ON)"
	writer, err := sql.Open("sqlite", base+"&_txlock=immediate")
	if err != nil {
		return nil, err
	}
	writer.SetMaxOpenConns(1)
	writer.SetMaxIdleConns(1)
	writer.SetConnMaxLifetime(0)
	reader, err := sql.Open("sqlite", base+"&_pragma=query_only(ON)")
	if err != nil {
		writer.Close()
		return nil, err
	}
	reader.SetMaxOpenConns(8)
	reader.SetMaxIdleConns(8)
	db := &DB{dialect: SQLite, writer: writer, reader: reader}
	if err := db.Ping(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return db, nil
}

func openPostgres(ctx context.Context, url string) (*DB, error) {
	pool, err := sql.Open("pgx", url)
	if err != nil {
		return nil, err
	}
	pool.SetMaxOpenConns(20)
	pool.SetMaxIdleConns(20)
	db := &DB{dialect: Postgres, writer: pool, reader: pool}
	if err := db.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("connect to %s: %w", redactURL(url), err)
	}
	return db, nil
}

// Dialect reports the engine.
func (db *DB) Dialect() Dialect { return db.dialect }

// Ping checks that both pools answer.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.writer.PingContext(ctx); err != nil {
		return err
	}
	if db.reader != db.writer {
		return db.reader.PingContext(ctx)
	}
	return nil
}

// Close closes both pools.
func (db *DB) Close() error {
	err := db.stmts.close()
	err = errors.Join(err, db.writer.Close())
	if db.reader != db.writer {
		err = errors.Join(err, db.reader.Close())
	}
	return err
}

type txKey struct{}

// afterKey carries the functions AfterCommit queued on the outermost transaction.
type afterKey struct{}

// WithTx runs fn in a transaction carried by the context it receives. If ctx
// already carries one, fn joins it, so service methods compose inside or
// outside a larger transaction. fn's error rolls everything back.
func (db *DB) WithTx(ctx context.Context, fn func(ctx context.Context) error) error {
	if _, ok := ctx.Value(txKey{}).(*sql.Tx); ok {
		return fn(ctx)
	}
	tx, err := db.writer.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	after := new([]func(context.Context))
	if err := fn(context.WithValue(context.WithValue(ctx, txKey{}, tx), afterKey{}, after)); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	for _, f := range *after {
		f(ctx) // ctx carries no transaction: the one fn ran in is over
	}
	return nil
}

// WithSnapshot runs fn in a read-only transaction so that everything fn
// reads comes from one moment of the database (an export that must not mix
// rows from before and after a concurrent write). On SQLite the transaction
// runs on a reader connection and its snapshot starts with the first read;
// on PostgreSQL it is REPEATABLE READ. Writes inside fn fail. If ctx
// already carries a transaction, fn joins it.
func (db *DB) WithSnapshot(ctx context.Context, fn func(ctx context.Context) error) error {
	if InTx(ctx) {
		return fn(ctx)
	}
	var opts *sql.TxOptions
	if db.dialect == Postgres {
		opts = &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}
	}
	tx, err := db.reader.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("begin snapshot: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // read-only: nothing to keep
	return fn(context.WithValue(ctx, txKey{}, tx))
}

// AfterCommit runs f once the transaction ctx carries has committed (its
// outermost WithTx), or at once when ctx carries none; never if it rolls
// back. f receives a context without the transaction. Services use it to
// tell listeners of a change only when the change is there to be read,
// however deeply their write was nested in a caller's transaction.
func AfterCommit(ctx context.Context, f func(context.Context)) {
	if after, ok := ctx.Value(afterKey{}).(*[]func(context.Context)); ok && InTx(ctx) {
		*after = append(*after, f)
		return
	}
	f(ctx)
}

// InTx reports whether ctx carries a transaction.
func InTx(ctx context.Context) bool {
	_, ok := ctx.Value(txKey{}).(*sql.Tx)
	return ok
}

// Exec runs a statement in the context's transaction, or on the writer pool.
func (db *DB) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	q := db.rebind(query)
	if tx, ok := ctx.Value(txKey{}).(*sql.Tx); ok {
		return tx.ExecContext(ctx, q, args...)
	}
	return db.writer.ExecContext(ctx, q, args...)
}

// Query runs a query in the context's transaction, or on the reader pool.
func (db *DB) Query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	q := db.rebind(query)
	if tx, ok := ctx.Value(txKey{}).(*sql.Tx); ok {
		return tx.QueryContext(ctx, q, args...)
	}
	if st := db.readStmt(ctx, q); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return db.reader.QueryContext(ctx, q, args...)
}

// QueryRow runs a one-row query in the context's transaction, or on the reader pool.
func (db *DB) QueryRow(ctx context.Context, query string, args ...any) *sql.Row {
	q := db.rebind(query)
	if tx, ok := ctx.Value(txKey{}).(*sql.Tx); ok {
		return tx.QueryRowContext(ctx, q, args...)
	}
	if st := db.readStmt(ctx, q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return db.reader.QueryRowContext(ctx, q, args...)
}

// readStmt returns a cached prepared statement for a read on SQLite (pgx
// caches statements per connection itself), or nil.
func (db *DB) readStmt(ctx context.Context, query string) *sql.Stmt {
	if db.dialect != SQLite {
		return nil
	}
	return db.stmts.get(ctx, db.reader, query)
}

// Lock takes a transaction-scoped lock named name, serializing writers that
// must see each other's rows (the audit chain). On SQLite the writer
// transaction is already exclusive, so it only checks that a transaction is open.
func (db *DB) Lock(ctx context.Context, name string) error {
	if !InTx(ctx) {
		return errors.New("store.Lock needs a transaction")
	}
	if db.dialect == Postgres {
		_, err := db.Exec(ctx, "SELECT pg_advisory_xact_lock(hashtext(?))", name)
		return err
	}
	return nil
}

// rebind rewrites ? placeholders to $1, $2… for PostgreSQL. Queries never
// contain a literal question mark; user text always travels as an argument.
func (db *DB) rebind(query string) string {
	if db.dialect != Postgres || !strings.Contains(query, "?") {
		return query
	}
	if q, ok := db.rebinds.Load(query); ok {
		return q.(string)
	}
	var b strings.Builder
	b.Grow(len(query) + 8)
	n := 0
	for i := 0; i < len(query); i++ {
		if query[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(query[i])
	}
	q := b.String()
	db.rebinds.Store(query, q)
	return q
}

// IsUniqueViolation reports whether err is a unique-constraint failure.
func IsUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code == "23505"
	}
	return strings.Contains(err.Error(), "UNIQUE constraint failed")
}

// redactURL hides a password in a database URL before it reaches a message.
func redactURL(u string) string {
	at := strings.LastIndex(u, "@")
	scheme := strings.Index(u, "://")
	if at < 0 || scheme < 0 {
		return u
	}
	creds := u[scheme+3 : at]
	if i := strings.Index(creds, ":"); i >= 0 {
		return u[:scheme+3] + creds[:i] + ":***" + u[at:]
	}
	return u
}
