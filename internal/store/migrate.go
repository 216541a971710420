package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migration is one numbered schema change. Files are named
// NNNN_name.sql (both engines), or NNNN_name.sqlite.sql and
// NNNN_name.postgres.sql where the engines need different statements.
// A landed migration is never edited; a change is a new number.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Migrations returns the migrations for d in order.
func Migrations(d Dialect) ([]Migration, error) {
	entries, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		return nil, err
	}
	byVersion := map[int]Migration{}
	for _, e := range entries {
		name := strings.TrimSuffix(e.Name(), ".sql")
		engine := ""
		if i := strings.LastIndex(name, "."); i >= 0 {
			name, engine = name[:i], name[i+1:]
		}
		if engine != "" && engine != d.String() {
			continue
		}
		num, label, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration file %s: name must be NNNN_name.sql", e.Name())
		}
		body, err := migrationFiles.ReadFile("migrations/" + e.Name())
		if err != nil {
			return nil, err
		}
		if prev, dup := byVersion[v]; dup && engine == "" {
			return nil, fmt.Errorf("migration %d defined twice (%s)", v, prev.Name)
		}
		byVersion[v] = Migration{Version: v, Name: label, SQL: string(body)}
	}
	out := make([]Migration, 0, len(byVersion))
	for _, m := range byVersion {
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	return out, nil
}

// Migrate applies every migration not yet applied, each in its own
// transaction. It is safe to call from several processes at once.
func (db *DB) Migrate(ctx context.Context) error {
	if _, err := db.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version BIGINT PRIMARY KEY,
		name TEXT NOT NULL,
		applied_at BIGINT NOT NULL)`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	ms, err := Migrations(db.dialect)
	if err != nil {
		return err
	}
	for _, m := range ms {
		err := db.WithTx(ctx, func(ctx context.Context) error {
			if err := db.Lock(ctx, "schema_migrations"); err != nil {
				return err
			}
			var n int
			if err := db.QueryRow(ctx, "SELECT COUNT(*) FROM schema_migrations WHERE version = ?", m.Version).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			if _, err := db.Exec(ctx, m.SQL); err != nil {
				return err
			}
			_, err := db.Exec(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
				m.Version, m.Name, time.Now().UnixMilli())
			return err
		})
		if err != nil {
			return fmt.Errorf("migration %04d_%s: %w", m.Version, m.Name, err)
		}
	}
	return nil
}
