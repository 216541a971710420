package social

import (
	"context"
	"time"
)

// Usage is the instance's public numbers, for /api/v1/instance and NodeInfo.
type Usage struct {
	Statuses       int // statuses and shares not deleted
	ActiveMonth    int // accounts that posted or shared in the last 30 days
	ActiveHalfyear int // … in the last 180 days
}

// Usage counts statuses and active accounts. Rounds keeps no history of
// sign-ins (sessions are deleted when they end), so "active" means having
// posted, the part of activity that others can see anyway.
func (s *Service) Usage(ctx context.Context) (Usage, error) {
	var u Usage
	now := s.now()
	err := s.st.usage(ctx, now.AddDate(0, 0, -30), now.AddDate(0, 0, -180), &u)
	return u, internal(err, "usage")
}

func (st socialStore) usage(ctx context.Context, month, halfyear time.Time, u *Usage) error {
	return st.db.QueryRow(ctx, `SELECT
		(SELECT COUNT(*) FROM statuses WHERE deleted_at = 0),
		(SELECT COUNT(DISTINCT account_id) FROM statuses WHERE created_at >= ?),
		(SELECT COUNT(DISTINCT account_id) FROM statuses WHERE created_at >= ?)`,
		month.UnixMilli(), halfyear.UnixMilli()).Scan(&u.Statuses, &u.ActiveMonth, &u.ActiveHalfyear)
}
