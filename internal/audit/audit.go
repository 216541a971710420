// Package audit keeps the append-only, hash-chained record of who did what,
// when and from where: sign-ins and their failures, role changes, admin
// actions and every read or write of private data.
//
// Each record's hash is an HMAC-SHA256, keyed by a key derived from the
// keyset in --data (never stored in the database), over its own fields and
// a link to the head of the chain before it. audit_head keeps the newest
// sequence number and a MAC of it and of the newest record's hash. So
// altering, removing or reordering any record, or truncating the newest
// ones and rewriting the head, breaks the chain that Verify walks, and
// someone with write access to the database alone cannot recompute it.
// Records never hold PHI, passwords or tokens: targets are identifiers,
// details are short fixed phrases.
package audit

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

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

// KeyLabel is the label under which the audit log's key is derived from
// the keyset: keys.DeriveKey(audit.KeyLabel).
const KeyLabel = "audit-log"

// Log appends to and reads the audit log.
type Log struct {
	db  *store.DB
	key []byte
	now func() time.Time
}

// New returns a Log on db whose chain is keyed by key, from
// keyset.DeriveKey(KeyLabel). Verify needs the same key. A key shorter than
// 32 bytes would let anyone recompute the chain: Append and Verify refuse it.
func New(db *store.DB, key []byte) *Log { return &Log{db: db, key: key, now: time.Now} }

const minKeyLen = 32

var errNoKey = fmt.Errorf("audit: the log's key is missing or shorter than %d bytes", minKeyLen)

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
	if len(l.key) < minKeyLen {
		return errNoKey
	}
	if e.ClientAddr == "" {
		e.ClientAddr = ClientAddr(ctx)
	}
	e.clip()
	return l.db.WithTx(ctx, func(ctx context.Context) error {
		if err := l.db.Lock(ctx, "audit_log"); err != nil {
			return err
		}
		var headSeq int64
		var headHash string
		if err := l.db.QueryRow(ctx, "SELECT seq, hash FROM audit_head WHERE id = 1").Scan(&headSeq, &headHash); err != nil {
			return fmt.Errorf("audit: read head: %w", err)
		}
		r := Record{Seq: headSeq + 1, At: l.now().UTC().Truncate(time.Millisecond), Event: e, PrevHash: l.link(headHash)}
		r.Hash = l.recordHash(r)
		if _, err := l.db.Exec(ctx, `INSERT INTO audit_log
			(seq, at, actor_id, actor, on_behalf_of, action, target, client_addr, outcome, detail, prev_hash, hash)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			r.Seq, r.At.UnixMilli(), r.ActorID, r.Actor, r.OnBehalfOf, r.Action, r.Target, r.ClientAddr,
			r.Outcome, r.Detail, r.PrevHash, r.Hash); err != nil {
			return fmt.Errorf("audit: append: %w", err)
		}
		if _, err := l.db.Exec(ctx, "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", r.Seq, l.headMAC(r.Seq, r.Hash)); err != nil {
			return fmt.Errorf("audit: move head: %w", err)
		}
		return nil
	})
}

// Field caps: an event is a few identifiers and a short phrase. A caller
// that passes more (a pasted document as a username) must not grow the
// append-only table without bound.
const (
	maxShort  = 100 // actor, on_behalf_of, action, client_addr, outcome
	maxTarget = 200
	maxDetail = 500
)

func (e *Event) clip() {
	e.Actor, e.OnBehalfOf, e.Action = clip(e.Actor, maxShort), clip(e.OnBehalfOf, maxShort), clip(e.Action, maxShort)
	e.ClientAddr, e.Outcome = clip(e.ClientAddr, maxShort), clip(e.Outcome, maxShort)
	e.Target, e.Detail = clip(e.Target, maxTarget), clip(e.Detail, maxDetail)
}

// clip cuts s to at most n bytes of valid UTF-8 without splitting a
// character: PostgreSQL refuses invalid text, and a refused record would
// fail the action it records.
func clip(s string, n int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// mac is HMAC-SHA256 under the log's key of parts as a JSON array: JSON of
// a fixed-order array is unambiguous, unlike plain concatenation.
func (l *Log) mac(parts ...any) string {
	b, _ := json.Marshal(parts)
	m := hmac.New(sha256.New, l.key)
	m.Write(b)
	return hex.EncodeToString(m.Sum(nil))
}

// recordHash covers the record's fields and its link to the chain before it.
func (l *Log) recordHash(r Record) string {
	return l.mac("record", r.Seq, r.At.UnixMilli(), r.ActorID, r.Actor, r.OnBehalfOf, r.Action,
		r.Target, r.ClientAddr, r.Outcome, r.Detail, r.PrevHash)
}

// headMAC is what audit_head holds for the chain ending at seq with hash.
// It is kept only there, and overwritten by every append, so a record's
// hash read from the table is not enough to make an older head valid.
func (l *Log) headMAC(seq int64, hash string) string {
	if seq == 0 {
		return ""
	}
	return l.mac("head", seq, hash)
}

// link is the prev_hash of the record appended after head: a one-way
// function of the head, so that reading the table does not reveal a head
// value that would make a truncated chain look whole.
func (l *Log) link(head string) string {
	if head == "" {
		return ""
	}
	return l.mac("link", head)
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

// Verify walks the chain in order, up to the head as it was when Verify
// began: records appended while it runs are left for the next run, so a
// server writing meanwhile never makes an intact chain look broken. It
// returns the number of records checked and, if the chain is broken, the
// first broken record.
func (l *Log) Verify(ctx context.Context) (int64, *Break, error) {
	if len(l.key) < minKeyLen {
		return 0, nil, errNoKey
	}
	var headSeq int64
	var headHash string
	if err := l.db.QueryRow(ctx, "SELECT seq, hash FROM audit_head WHERE id = 1").Scan(&headSeq, &headHash); err != nil {
		return 0, nil, fmt.Errorf("audit: read head: %w", err)
	}
	var checked int64
	prevHash, want := "", int64(1)
	const page = 1000
	for want <= headSeq {
		// Records up to headSeq were committed before the head moved past
		// them, and never change: reading them later sees the same rows.
		rows, err := l.db.Query(ctx, `SELECT seq, at, actor_id, actor, on_behalf_of, action, target, client_addr,
			outcome, detail, prev_hash, hash FROM audit_log WHERE seq >= ? AND seq <= ? ORDER BY seq LIMIT ?`, want, headSeq, page)
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
			brk = l.checkRecord(r, want, prevHash)
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
	case headHash != l.headMAC(last, prevHash):
		return checked, &Break{Seq: headSeq, Reason: "the head of the chain does not match the newest record (records after it were removed, or the head was rewritten)"}, nil
	}
	return checked, nil, nil
}

func (l *Log) checkRecord(r Record, want int64, prevHash string) *Break {
	switch {
	case r.Seq != want:
		return &Break{Seq: want, Reason: fmt.Sprintf("missing: record %d follows record %d", r.Seq, want-1)}
	case !hmac.Equal([]byte(r.PrevHash), []byte(l.link(l.headMAC(r.Seq-1, prevHash)))):
		return &Break{Seq: r.Seq, Reason: "its link to the previous record does not match (a record before it was altered, or it was)"}
	case !hmac.Equal([]byte(r.Hash), []byte(l.recordHash(r))):
		return &Break{Seq: r.Seq, Reason: "its contents do not match its hash (altered)"}
	}
	return nil
}
