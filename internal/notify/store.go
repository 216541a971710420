package notify

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/rounds-health/rounds/internal/store"
)

// notifyStore is the SQL of this package, the only code that touches the
// notifications table.
type notifyStore struct{ db *store.DB }

const columns = "id, account_id, type, from_account_id, status_id, created_at, read"

func scan(row interface{ Scan(...any) error }) (*Notification, error) {
	var n Notification
	var typ string
	var status sql.NullInt64
	var created int64
	if err := row.Scan(&n.ID, &n.AccountID, &typ, &n.FromAccountID, &status, &created, &n.Read); err != nil {
		return nil, err
	}
	n.Type, n.StatusID, n.CreatedAt = Type(typ), status.Int64, time.UnixMilli(created).UTC()
	return &n, nil
}

func (st notifyStore) insert(ctx context.Context, n *Notification) error {
	var status any
	if n.StatusID != 0 {
		status = n.StatusID
	}
	_, err := st.db.Exec(ctx, `INSERT INTO notifications (id, account_id, type, from_account_id, status_id, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, n.ID, n.AccountID, string(n.Type), n.FromAccountID, status, n.CreatedAt.UnixMilli())
	return err
}

func (st notifyStore) byID(ctx context.Context, recipient, id int64) (*Notification, error) {
	n, err := scan(st.db.QueryRow(ctx, "SELECT "+columns+
		" FROM notifications WHERE id = ? AND account_id = ? AND dismissed = FALSE", id, recipient))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return n, err
}

// list returns a page of the recipient's notifications, newest first.
// types and exclude are already validated; an empty types means all.
func (st notifyStore) list(ctx context.Context, recipient int64, f Filter, limit int) ([]*Notification, error) {
	q := "SELECT " + columns + " FROM notifications WHERE account_id = ? AND dismissed = FALSE"
	args := []any{recipient}
	if len(f.Types) > 0 {
		q += " AND type IN (" + placeholders(len(f.Types)) + ")"
		args = appendTypes(args, f.Types)
	}
	if len(f.ExcludeTypes) > 0 {
		q += " AND type NOT IN (" + placeholders(len(f.ExcludeTypes)) + ")"
		args = appendTypes(args, f.ExcludeTypes)
	}
	if f.FromAccountID != 0 {
		q += " AND from_account_id = ?"
		args = append(args, f.FromAccountID)
	}
	if f.MaxID > 0 {
		q += " AND id < ?"
		args = append(args, f.MaxID)
	}
	order, reverse := " ORDER BY id DESC", false
	switch {
	case f.MinID > 0:
		q += " AND id > ?"
		args = append(args, f.MinID)
		order, reverse = " ORDER BY id ASC", true
	case f.SinceID > 0:
		q += " AND id > ?"
		args = append(args, f.SinceID)
	}
	rows, err := st.db.Query(ctx, q+order+" LIMIT ?", append(args, limit)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Notification
	for rows.Next() {
		n, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	if reverse {
		slices.Reverse(out)
	}
	return out, rows.Err()
}

func placeholders(n int) string { return strings.TrimSuffix(strings.Repeat("?, ", n), ", ") }

func appendTypes(args []any, ts []Type) []any {
	for _, t := range ts {
		args = append(args, string(t))
	}
	return args
}

func (st notifyStore) dismiss(ctx context.Context, recipient, id int64) (bool, error) {
	res, err := st.db.Exec(ctx, "UPDATE notifications SET dismissed = TRUE WHERE id = ? AND account_id = ? AND dismissed = FALSE",
		id, recipient)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

func (st notifyStore) clear(ctx context.Context, recipient int64) error {
	_, err := st.db.Exec(ctx, "UPDATE notifications SET dismissed = TRUE WHERE account_id = ? AND dismissed = FALSE", recipient)
	return err
}

// dismissRequests dismisses the follow-request notifications from one
// account once the request has been answered.
func (st notifyStore) dismissRequests(ctx context.Context, recipient, from int64) error {
	_, err := st.db.Exec(ctx, `UPDATE notifications SET dismissed = TRUE
		WHERE account_id = ? AND from_account_id = ? AND type = ? AND dismissed = FALSE`, recipient, from, string(FollowRequest))
	return err
}

// withdraw deletes recipient's notifications of type from one account, about
// statusID (0: about no status), once what they told of has been undone.
// Mastodon removes them too: an unfavourite leaves no trace of the favourite.
func (st notifyStore) withdraw(ctx context.Context, recipient, from int64, typ Type, statusID int64) error {
	q := "DELETE FROM notifications WHERE account_id = ? AND from_account_id = ? AND type = ? AND status_id IS NULL"
	args := []any{recipient, from, string(typ)}
	if statusID != 0 {
		q = "DELETE FROM notifications WHERE account_id = ? AND from_account_id = ? AND type = ? AND status_id = ?"
		args = append(args, statusID)
	}
	_, err := st.db.Exec(ctx, q, args...)
	return err
}

// deleteForStatus removes the notifications about a deleted status and
// returns their recipients.
func (st notifyStore) deleteForStatus(ctx context.Context, statusID int64) ([]int64, error) {
	rows, err := st.db.Query(ctx, "SELECT DISTINCT account_id FROM notifications WHERE status_id = ?", statusID)
	if err != nil {
		return nil, err
	}
	var recipients []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		recipients = append(recipients, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	_, err = st.db.Exec(ctx, "DELETE FROM notifications WHERE status_id = ?", statusID)
	return recipients, err
}

func (st notifyStore) unread(ctx context.Context, recipient int64) (int, error) {
	var n int
	err := st.db.QueryRow(ctx, "SELECT COUNT(*) FROM notifications WHERE account_id = ? AND dismissed = FALSE AND read = FALSE",
		recipient).Scan(&n)
	return n, err
}

func (st notifyStore) markRead(ctx context.Context, recipient, upTo int64) error {
	_, err := st.db.Exec(ctx, "UPDATE notifications SET read = TRUE WHERE account_id = ? AND id <= ? AND read = FALSE",
		recipient, upTo)
	return err
}
