// Package audit keeps the append-only, hash-chained record of who did what,
// when and from where: sign-ins and their failures, role changes, admin
// actions and every read or write of private data.
//
// Each record's hash covers its own fields and the previous record's hash,
// and audit_head keeps the newest sequence number and hash, so altering,
// removing or reordering any record (the newest included) breaks the chain
// that Verify walks. Records never hold PHI, passwords or tokens: targets are
// identifiers, details are short fixed phrases.
package audit

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/rounds-health/rounds/internal/store"
)

// Outcomes.
const (
	Success = "success"
	Failure = "failure"
	Denied  = "denied"
)

// Event is what a caller records.
type Event struct {
	ActorID    int64  // 0 for anonymous or the system
	Actor      string // username at the time, or "system", "cli:admin"
	OnBehalfOf string // organization the actor acted for, if any
	Action     string // dotted verb, e.g. "auth.signin", "admin.set_role"
	Target     string // what was acted on, e.g. "user:123"
	ClientAddr string // filled from the context when empty
	Outcome    string // Success, Failure or Denied
	Detail     string // a short, PHI-free reason
}

// Record is a stored event with its place in the chain.
type Record struct {
	Seq int64
	At  time.Time
	Event
	PrevHash string
	Hash     string
}

// Log appends to and reads the audit log.
type Log struct {
	db  *store.DB
	now func() time.Time
}

// New returns a Log on db.
func New(db *store.DB) *Log { return &Log{db: db, now: time.Now} }

type clientKey struct{}

// WithClientAddr returns a context whose audit events record addr.
func WithClientAddr(ctx context.Context, addr string) context.Context {
	return context.WithValue(ctx, clientKey{}, addr)
}

// ClientAddr returns the client address carried by ctx.
func ClientAddr(ctx context.Context) string {
	s, _ := ctx.Value(clientKey{}).(string)
	return s
}

// Append records e. Inside a transaction it joins it, so the record commits
// or rolls back with the action it describes.
func (l *Log) Append(ctx context.Context, e Event) error {
	if e.Action == "" || e.Outcome == "" {
		return fmt.Errorf("audit: event needs an action and an outcome")
	}
	if e.ClientAddr == "" {
		e.ClientAddr = ClientAddr(ctx)
	}
	return l.db.WithTx(ctx, func(ctx context.Context) error {
		if err := l.db.Lock(ctx, "audit_log"); err != nil {
			return err
		}
		var headSeq int64
		var headHash string
		if err := l.db.QueryRow(ctx, "SELECT seq, hash FROM audit_head WHERE id = 1").Scan(&headSeq, &headHash); err != nil {
			return fmt.Errorf("audit: read head: %w", err)
		}
		r := Record{Seq: headSeq + 1, At: l.now().UTC().Truncate(time.Millisecond), Event: e, PrevHash: headHash}
		r.Hash = r.computeHash()
		if _, err := l.db.Exec(ctx, `INSERT INTO audit_log
			(seq, at, actor_id, actor, on_behalf_of, action, target, client_addr, outcome, detail, prev_hash, hash)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			r.Seq, r.At.UnixMilli(), r.ActorID, r.Actor, r.OnBehalfOf, r.Action, r.Target, r.ClientAddr,
			r.Outcome, r.Detail, r.PrevHash, r.Hash); err != nil {
			return fmt.Errorf("audit: append: %w", err)
		}
		if _, err := l.db.Exec(ctx, "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", r.Seq, r.Hash); err != nil {
			return fmt.Errorf("audit: move head: %w", err)
		}
		return nil
	})
}

// computeHash hashes the record's fields and the previous hash. JSON of a
// fixed-order array is unambiguous, unlike plain concatenation.
func (r Record) computeHash() string {
	b, _ := json.Marshal([]any{r.Seq, r.At.UnixMilli(), r.ActorID, r.Actor, r.OnBehalfOf, r.Action,
		r.Target, r.ClientAddr, r.Outcome, r.Detail, r.PrevHash})
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Filter selects records for List. Zero fields match everything.
type Filter struct {
	Actor   string // username, case-insensitive, exact
	Action  string // prefix, e.g. "auth." or "admin.set_role"
	Outcome string
	Since   time.Time
	Until   time.Time
	Before  int64 // keyset: records with seq < Before
	Limit   int
}

// List returns records matching f, newest first.
func (l *Log) List(ctx context.Context, f Filter) ([]Record, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	q := strings.Builder{}
	q.WriteString(`SELECT seq, at, actor_id, actor, on_behalf_of, action, target, client_addr, outcome, detail, prev_hash, hash
		FROM audit_log WHERE 1 = 1`)
	var args []any
	if f.Actor != "" {
		q.WriteString(" AND LOWER(actor) = ?")
		args = append(args, strings.ToLower(f.Actor))
	}
	if f.Action != "" {
		q.WriteString(" AND action LIKE ?")
		args = append(args, likePrefix(f.Action))
	}
	if f.Outcome != "" {
		q.WriteString(" AND outcome = ?")
		args = append(args, f.Outcome)
	}
	if !f.Since.IsZero() {
		q.WriteString(" AND at >= ?")
		args = append(args, f.Since.UnixMilli())
	}
	if !f.Until.IsZero() {
		q.WriteString(" AND at < ?")
		args = append(args, f.Until.UnixMilli())
	}
	if f.Before > 0 {
		q.WriteString(" AND seq < ?")
		args = append(args, f.Before)
	}
	q.WriteString(" ORDER BY seq DESC LIMIT ?")
	args = append(args, f.Limit)
	rows, err := l.db.Query(ctx, q.String(), args...)
	if err != nil {
		return nil, fmt.Errorf("audit: list: %w", err)
	}
	defer rows.Close()
	var out []Record
	for rows.Next() {
		r, err := scanRecord(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// likePrefix makes a LIKE pattern matching values that start with s. A % in
// s is dropped; an _ matches itself among others, which only widens a filter.
func likePrefix(s string) string { return strings.ReplaceAll(s, "%", "") + "%" }

type scanner interface{ Scan(...any) error }

func scanRecord(s scanner) (Record, error) {
	var r Record
	var at int64
	err := s.Scan(&r.Seq, &at, &r.ActorID, &r.Actor, &r.OnBehalfOf, &r.Action, &r.Target, &r.ClientAddr,
		&r.Outcome, &r.Detail, &r.PrevHash, &r.Hash)
	if err != nil {
		return r, fmt.Errorf("audit: scan: %w", err)
	}
	r.At = time.UnixMilli(at).UTC()
	return r, nil
}

// Break names the first record where the chain fails.
type Break struct {
	Seq    int64
	Reason string
}

func (b *Break) Error() string { return fmt.Sprintf("audit record %d: %s", b.Seq, b.Reason) }

// Verify walks the whole chain in order. It returns the number of records
// checked and, if the chain is broken, the first broken record.
func (l *Log) Verify(ctx context.Context) (int64, *Break, error) {
	var headSeq int64
	var headHash string
	if err := l.db.QueryRow(ctx, "SELECT seq, hash FROM audit_head WHERE id = 1").Scan(&headSeq, &headHash); err != nil {
		return 0, nil, fmt.Errorf("audit: read head: %w", err)
	}
	var checked int64
	prevHash, want := "", int64(1)
	const page = 1000
	for {
		rows, err := l.db.Query(ctx, `SELECT seq, at, actor_id, actor, on_behalf_of, action, target, client_addr,
			outcome, detail, prev_hash, hash FROM audit_log WHERE seq >= ? ORDER BY seq LIMIT ?`, want, page)
		if err != nil {
			return checked, nil, fmt.Errorf("audit: verify: %w", err)
		}
		n := 0
		var brk *Break
		for rows.Next() && brk == nil {
			r, err := scanRecord(rows)
			if err != nil {
				rows.Close()
				return checked, nil, err
			}
			n++
			brk = checkRecord(r, want, prevHash)
			prevHash, want = r.Hash, r.Seq+1
			checked++
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return checked, nil, err
		}
		if brk != nil {
			return checked, brk, nil
		}
		if n < page {
			break
		}
	}
	last := want - 1
	switch {
	case headSeq > last:
		return checked, &Break{Seq: last + 1, Reason: fmt.Sprintf("missing: the log ends at %d but its head says %d records were written", last, headSeq)}, nil
	case headSeq < last || headHash != prevHash:
		return checked, &Break{Seq: headSeq, Reason: "the head of the chain does not match the newest record"}, nil
	}
	return checked, nil, nil
}

func checkRecord(r Record, want int64, prevHash string) *Break {
	switch {
	case r.Seq != want:
		return &Break{Seq: want, Reason: fmt.Sprintf("missing: record %d follows record %d", r.Seq, want-1)}
	case r.PrevHash != prevHash:
		return &Break{Seq: r.Seq, Reason: "its link to the previous record does not match (a record before it was altered, or it was)"}
	case r.computeHash() != r.Hash:
		return &Break{Seq: r.Seq, Reason: "its contents do not match its hash (altered)"}
	}
	return nil
}
