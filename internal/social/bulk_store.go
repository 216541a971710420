package social

import (
	"cmp"
	"context"
	"slices"
	"strings"
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

func (st socialStore) insertFollows(ctx context.Context, fs []FollowEdge) error {
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
