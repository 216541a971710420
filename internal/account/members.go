package account

import (
	"context"

	"github.com/rounds-health/rounds/internal/errs"
)

// CountMembers returns how many accounts are not suspended: the instance's
// public user count, as Mastodon counts it.
func (s *Service) CountMembers(ctx context.Context) (int, error) {
	n, err := s.st.countUnsuspendedUsers(ctx)
	if err != nil {
		return 0, errs.Internal(err, "count members")
	}
	return n, nil
}

func (st accountStore) countUnsuspendedUsers(ctx context.Context) (int, error) {
	var n int
	err := st.db.QueryRow(ctx, "SELECT COUNT(*) FROM users WHERE suspended = FALSE").Scan(&n)
	return n, err
}
