package social

import "context"

// setHidden changes a live status's hidden flag and reports whether it
// changed: of two moderators acting at once, only one changes it.
func (st socialStore) setHidden(ctx context.Context, id int64, hidden bool) (bool, error) {
	res, err := st.db.Exec(ctx, "UPDATE statuses SET hidden = ? WHERE id = ? AND hidden <> ? AND deleted_at = 0", hidden, id, hidden)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}
