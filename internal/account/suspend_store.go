package account

import (
	"context"
	"time"
)

// setSuspended changes the suspended flag and reports whether it changed:
// of two moderators acting at once, only one changes it.
func (st accountStore) setSuspended(ctx context.Context, userID int64, suspended bool, at time.Time) (bool, error) {
	res, err := st.db.Exec(ctx, "UPDATE users SET suspended = ?, updated_at = ? WHERE id = ? AND suspended <> ?",
		suspended, at.UnixMilli(), userID, suspended)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}
