package social

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/rounds-health/rounds/internal/store"
)

// Rows per multi-row INSERT: at most 4,000 bound values per statement, far
// under SQLite's 32,766 and PostgreSQL's 65,535, and the same statement text
// for every full chunk so that PostgreSQL's statement cache serves it.
const (
	followRows = 1000 // 4 values each
	statusRows = 500  // 8 values each
)

// valuesList returns "(?, ?, …), (?, ?, …)…": rows tuples of cols placeholders.
func valuesList(rows, cols int) string {
	tuple := "(" + placeholders(cols) + ")"
	return strings.TrimSuffix(strings.Repeat(tuple+", ", rows), ", ")
}

// lockCounters takes the profile counter rows of accounts, in account
// order, before a bulk write changes them. A bulk transaction runs several
// INSERT statements, each of which updates counters in account order; two
// of them side by side (or one beside a person's follow) would otherwise
// hold counters from their first statement and wait for each other's in
// the next. SQLite has one writer and needs nothing.
func (st socialStore) lockCounters(ctx context.Context, accounts []int64) error {
	if st.db.Dialect() != store.Postgres || len(accounts) == 0 {
		return nil
	}
	ids := slices.Clone(accounts)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	for lo := 0; lo < len(ids); lo += followRows {
		part := ids[lo:min(lo+followRows, len(ids))]
		args := make([]any, len(part))
		for i, id := range part {
			args[i] = id
		}
		rows, err := st.db.Query(ctx, `SELECT account_id FROM account_counts WHERE account_id IN (`+
			placeholders(len(part))+`) ORDER BY account_id FOR UPDATE`, args...)
		if err != nil {
			return err
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

func (st socialStore) insertFollows(ctx context.Context, fs []FollowEdge) error {
	// Rows in key order, so that two bulk writes with common follows meet
	// on the primary key in the same order rather than deadlock.
	fs = slices.Clone(fs)
	slices.SortFunc(fs, func(a, b FollowEdge) int {
		return cmp.Or(cmp.Compare(a.Follower, b.Follower), cmp.Compare(a.Followee, b.Followee))
	})
	accounts := make([]int64, 0, 2*len(fs))
	for _, f := range fs {
		accounts = append(accounts, f.Follower, f.Followee)
	}
	if err := st.lockCounters(ctx, accounts); err != nil {
		return err
	}
	for lo := 0; lo < len(fs); lo += followRows {
		part := fs[lo:min(lo+followRows, len(fs))]
		args := make([]any, 0, 4*len(part))
		for _, f := range part {
			args = append(args, f.Follower, f.Followee, "accepted", f.At.UnixMilli())
		}
		if _, err := st.db.Exec(ctx, `INSERT INTO follows (follower_id, followee_id, state, created_at) VALUES `+
			valuesList(len(part), 4)+` ON CONFLICT (follower_id, followee_id) DO NOTHING`, args...); err != nil {
			return err
		}
	}
	return nil
}

func (st socialStore) insertStatuses(ctx context.Context, ss []*Status) error {
	accounts := make([]int64, len(ss))
	for i, s := range ss {
		accounts[i] = s.AccountID
	}
	if err := st.lockCounters(ctx, accounts); err != nil {
		return err
	}
	for lo := 0; lo < len(ss); lo += statusRows {
		part := ss[lo:min(lo+statusRows, len(ss))]
		args := make([]any, 0, 8*len(part))
		for _, s := range part {
			args = append(args, s.ID, s.AccountID, string(s.Kind), s.Source, s.Content, string(s.Visibility), s.Language,
				s.CreatedAt.UnixMilli())
		}
		if _, err := st.db.Exec(ctx, `INSERT INTO statuses (id, account_id, kind, source, content, visibility, language, created_at)
			VALUES `+valuesList(len(part), 8), args...); err != nil {
			return err
		}
	}
	return nil
}

// degrees counts follows both ways and statuses per account. Each count is
// one pass over an index (follows' primary key, follows_followee,
// statuses_account); deleted statuses are counted to stay on the index.
func (st socialStore) degrees(ctx context.Context) ([]Degree, error) {
	by := map[int64]*Degree{}
	get := func(id int64) *Degree {
		d := by[id]
		if d == nil {
			d = &Degree{AccountID: id}
			by[id] = d
		}
		return d
	}
	for _, c := range []struct {
		q   string
		dst func(*Degree) *int
	}{
		{"SELECT follower_id, COUNT(*) FROM follows WHERE state = 'accepted' GROUP BY follower_id", func(d *Degree) *int { return &d.Following }},
		{"SELECT followee_id, COUNT(*) FROM follows WHERE state = 'accepted' GROUP BY followee_id", func(d *Degree) *int { return &d.Followers }},
		{"SELECT account_id, COUNT(*) FROM statuses GROUP BY account_id", func(d *Degree) *int { return &d.Statuses }},
	} {
		if err := st.idCounts(ctx, c.q, func(id int64, n int) { *c.dst(get(id)) = n }); err != nil {
			return nil, err
		}
	}
	out := make([]Degree, 0, len(by))
	for _, d := range by {
		out = append(out, *d)
	}
	slices.SortFunc(out, func(a, b Degree) int { return cmp.Compare(a.AccountID, b.AccountID) })
	return out, nil
}

// idCounts runs a query of (id, count) rows.
func (st socialStore) idCounts(ctx context.Context, q string, each func(id int64, n int)) error {
	rows, err := st.db.Query(ctx, q)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return err
		}
		each(id, n)
	}
	return rows.Err()
}

func (st socialStore) allFollowing(ctx context.Context, accountID int64) ([]int64, error) {
	return st.ids(ctx, "SELECT followee_id FROM follows WHERE follower_id = ? AND state = 'accepted' ORDER BY followee_id", accountID)
}
