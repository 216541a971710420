package account

import (
	"context"
	"strings"

	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/input"
)

// Account search limits, as Mastodon's search has them.
const (
	defaultSearchLimit = 20
	maxSearchLimit     = 40
	maxSearchQuery     = 100 // longer than any username or display name: finds nobody
)

// SearchUsers finds accounts that are not suspended whose username starts
// with q or whose display name has a word starting with q, ignoring case:
// an exact username first, then other usernames, then display names.
// A leading "@" is ignored, as people type mentions. An empty q finds nobody.
//
// Patients are not discoverable: only their exact username finds them (as
// a mention needs), so that nobody can list the patients on the network by
// trying prefixes.
func (s *Service) SearchUsers(ctx context.Context, q string, limit, offset int) ([]*User, error) {
	q = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(q), "@"))
	if m := input.Problem(q); m != "" {
		return nil, errs.Invalid("q", m)
	}
	switch {
	case offset < 0:
		return nil, errs.Invalid("offset", "offset must be zero or a positive whole number.")
	case q == "", len(q) > maxSearchQuery:
		return nil, nil
	}
	if limit <= 0 {
		limit = defaultSearchLimit
	}
	us, err := s.st.searchUsers(ctx, q, min(limit, maxSearchLimit), offset)
	if err != nil {
		return nil, errs.Internal(err, "search users")
	}
	return us, nil
}

// searchUsers matches q (lower case) as a prefix of the username or of any
// space-separated word of the display name; patients by their whole username only.
func (st accountStore) searchUsers(ctx context.Context, q string, limit, offset int) ([]*User, error) {
	prefix := likeEscaper.Replace(q) + "%"
	rows, err := st.db.Query(ctx, "SELECT "+userColumns+` FROM users WHERE suspended = FALSE
		AND (username_lower LIKE ? ESCAPE '\' OR LOWER(display_name) LIKE ? ESCAPE '\' OR LOWER(display_name) LIKE ? ESCAPE '\')
		AND (role <> ? OR username_lower = ?)
		ORDER BY CASE WHEN username_lower = ? THEN 0 WHEN username_lower LIKE ? ESCAPE '\' THEN 1 ELSE 2 END, username_lower
		LIMIT ? OFFSET ?`, prefix, prefix, "% "+prefix, string(Patient), q, q, prefix, limit, offset)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}
