package social

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/input"
)

// pageSQL turns a Page into a condition on s.id, the order and the limit.
// With MinID the rows come oldest first and are reversed afterwards.
func pageSQL(p Page) (cond string, args []any, order string, limit int, reverse bool, err error) {
	limit = p.Limit
	switch {
	case limit == 0:
		limit = DefaultLimit
	case limit < 0:
		return "", nil, "", 0, false, errs.Invalid("limit", "limit must be a positive number.")
	case limit > MaxLimit:
		limit = MaxLimit // Mastodon clamps rather than refuses
	}
	order = " ORDER BY s.id DESC"
	if p.MaxID > 0 {
		cond += " AND s.id < ?"
		args = append(args, p.MaxID)
	}
	switch {
	case p.MinID > 0:
		cond += " AND s.id > ?"
		args = append(args, p.MinID)
		order, reverse = " ORDER BY s.id ASC", true
	case p.SinceID > 0:
		cond += " AND s.id > ?"
		args = append(args, p.SinceID)
	}
	return cond, args, order, limit, reverse, nil
}

// timeline runs one id query (base must select s.id FROM statuses s WHERE …)
// with paging, loads the statuses and keeps those the viewer may read.
func (s *Service) timeline(ctx context.Context, viewer Viewer, p Page, base string, args ...any) ([]*Status, error) {
	cond, pargs, order, limit, reverse, err := pageSQL(p)
	if err != nil {
		return nil, err
	}
	ids, err := s.st.ids(ctx, base+cond+order+" LIMIT ?", append(append(args, pargs...), limit)...)
	if err != nil {
		return nil, internal(err, "timeline")
	}
	return s.pageOf(ctx, viewer, ids, reverse)
}

// pageOf loads a timeline page's statuses, newest first (ids come oldest
// first when the page was read upwards, reverse), as the viewer may see them.
func (s *Service) pageOf(ctx context.Context, viewer Viewer, ids []int64, reverse bool) ([]*Status, error) {
	if reverse {
		slices.Reverse(ids)
	}
	list, err := s.st.statuses(ctx, ids)
	if err != nil {
		return nil, internal(err, "timeline")
	}
	return s.visible(ctx, viewer, list)
}

// notMutedOrBlocked excludes suspended authors, authors the viewer muted or
// blocked, and authors who blocked the viewer.
const notMutedOrBlocked = ` AND NOT EXISTS (SELECT 1 FROM users su WHERE su.id = s.account_id AND su.suspended = TRUE)
	AND NOT EXISTS (SELECT 1 FROM mutes m WHERE m.muter_id = ? AND m.muted_id = s.account_id)
	AND NOT EXISTS (SELECT 1 FROM blocks b WHERE (b.blocker_id = ? AND b.blocked_id = s.account_id)
	OR (b.blocker_id = s.account_id AND b.blocked_id = ?))`

// Home is the viewer's own statuses and those of the accounts they follow,
// newest first, plus direct messages that mention them.
func (s *Service) Home(ctx context.Context, viewer Viewer, p Page) ([]*Status, error) {
	if viewer.ID == 0 {
		return nil, errs.Unauthorized("Sign in first.")
	}
	follows, err := s.homeFollowed(ctx, viewer, p)
	if err != nil {
		return nil, err
	}
	direct, err := s.timeline(ctx, viewer, p, `SELECT s.id FROM statuses s JOIN mentions mn ON mn.status_id = s.id
		WHERE mn.account_id = ? AND s.visibility = 'direct' AND s.deleted_at = 0 AND s.account_id <> ?`+notMutedOrBlocked,
		viewer.ID, viewer.ID, viewer.ID, viewer.ID, viewer.ID)
	if err != nil {
		return nil, err
	}
	return mergeNewest(follows, direct, p), nil
}

// defaultHomeWindow is how many of the newest statuses (by primary key) one pass of
// the home query looks at; homePasses bounds the passes before falling back
// to reading each followed account's newest statuses through its index.
//
// Asking "statuses of anyone I follow, newest first" directly makes SQLite
// read and sort every status of every followed account (seconds for a
// viewer who follows busy accounts). Walking the newest rows by primary key
// and keeping those by followed accounts touches a bounded number of rows;
// viewers whose followees are quiet get the per-account fallback.
const (
	defaultHomeWindow = 2000
	homePasses        = 4
)

// homeFilter keeps, from rows aliased s, what belongs on the viewer's home
// timeline (bound: viewer ×2, then notMutedOrBlocked's three).
const homeFilter = ` AND s.deleted_at = 0 AND s.hidden = FALSE
	AND (s.account_id = ? OR (s.visibility <> 'direct' AND s.account_id IN
		(SELECT followee_id FROM follows WHERE follower_id = ? AND state = 'accepted')))` + notMutedOrBlocked

func (s *Service) homeFollowed(ctx context.Context, viewer Viewer, p Page) ([]*Status, error) {
	_, _, order, limit, reverse, err := pageSQL(p)
	if err != nil {
		return nil, err
	}
	v := viewer.ID
	lo, hi := p.SinceID, p.MaxID // exclusive bounds; 0 = open
	if p.MinID > 0 {
		lo = p.MinID
	}
	var ids []int64
	for pass := 0; pass < homePasses && len(ids) < limit; pass++ {
		cond, args := idRange(lo, hi)
		// The window is a subquery in FROM, which SQLite runs as a co-routine:
		// it stops reading as soon as the page is full. (As "s.id IN (…)" it
		// would first copy all of the window into a temporary index.)
		window := `SELECT w.id, w.account_id, w.visibility, w.deleted_at, w.hidden FROM statuses w WHERE TRUE` + cond +
			strings.ReplaceAll(order, "s.id", "w.id") + ` LIMIT ?`
		found, err := s.st.ids(ctx, `SELECT s.id FROM (`+window+`) s WHERE TRUE`+homeFilter+order+` LIMIT ?`,
			append(args, s.homeWindow, v, v, v, v, v, limit-len(ids))...)
		if err != nil {
			return nil, internal(err, "home timeline")
		}
		ids = append(ids, found...)
		if len(ids) >= limit {
			break
		}
		// Move past this window: its last id becomes the new bound.
		edge, full, err := s.windowEdge(ctx, lo, hi, order)
		if err != nil {
			return nil, internal(err, "home timeline")
		}
		if !full {
			break // the window reached the end of the table: nothing older (or newer)
		}
		if reverse {
			lo = edge
		} else {
			hi = edge
		}
		if pass == homePasses-1 {
			more, err := s.homePerAccount(ctx, viewer, lo, hi, reverse, limit-len(ids))
			if err != nil {
				return nil, err
			}
			ids = append(ids, more...)
		}
	}
	// Rows written between a window and its edge query can make windows
	// overlap: keep each status once.
	seen := make(map[int64]bool, len(ids))
	ids = slices.DeleteFunc(ids, func(id int64) bool { dup := seen[id]; seen[id] = true; return dup })
	return s.pageOf(ctx, viewer, ids, reverse)
}

// idRange is the SQL condition lo < w.id < hi (0 = open).
func idRange(lo, hi int64) (string, []any) {
	var cond string
	var args []any
	if hi > 0 {
		cond += " AND w.id < ?"
		args = append(args, hi)
	}
	if lo > 0 {
		cond += " AND w.id > ?"
		args = append(args, lo)
	}
	return cond, args
}

// windowEdge returns the last id of the window between lo and hi in order,
// and whether the window was full.
func (s *Service) windowEdge(ctx context.Context, lo, hi int64, order string) (int64, bool, error) {
	cond, args := idRange(lo, hi)
	agg := "MIN"
	if strings.Contains(order, "ASC") {
		agg = "MAX"
	}
	var edge, n int64
	err := s.st.db.QueryRow(ctx, `SELECT COALESCE(`+agg+`(id), 0), COUNT(*) FROM (SELECT w.id FROM statuses w WHERE TRUE`+cond+
		strings.ReplaceAll(order, "s.id", "w.id")+` LIMIT ?) x`, append(args, s.homeWindow)...).Scan(&edge, &n)
	return edge, n == int64(s.homeWindow), err
}

// homePerAccount reads the newest (or, with reverse, oldest) statuses of the
// viewer and each followed account within the bounds through the
// (account_id, id) index, and keeps the page's worth nearest the bound.
func (s *Service) homePerAccount(ctx context.Context, viewer Viewer, lo, hi int64, reverse bool, limit int) ([]int64, error) {
	v := viewer.ID
	followees, err := s.st.ids(ctx, `SELECT followee_id FROM follows WHERE follower_id = ? AND state = 'accepted'`, v)
	if err != nil {
		return nil, internal(err, "home timeline")
	}
	cond, args := idRange(lo, hi)
	order := " ORDER BY w.id DESC"
	if reverse {
		order = " ORDER BY w.id ASC"
	}
	var ids []int64
	for _, a := range append(followees, v) {
		q := `SELECT s.id FROM statuses s WHERE s.id IN (SELECT w.id FROM statuses w WHERE w.account_id = ?` + cond +
			` AND w.deleted_at = 0 AND w.hidden = FALSE AND (w.visibility <> 'direct' OR w.account_id = ?)` + order + ` LIMIT ?)` + homeFilter
		found, err := s.st.ids(ctx, q, append(append([]any{a}, args...), v, limit, v, v, v, v, v)...)
		if err != nil {
			return nil, internal(err, "home timeline")
		}
		ids = append(ids, found...)
	}
	slices.Sort(ids)
	if !reverse {
		slices.Reverse(ids)
	}
	return ids[:min(limit, len(ids))], nil
}

// mergeNewest merges two newest-first lists, keeping a page's worth.
func mergeNewest(a, b []*Status, p Page) []*Status {
	if len(b) == 0 {
		return a
	}
	all := append(append([]*Status{}, a...), b...)
	slices.SortFunc(all, func(x, y *Status) int {
		switch {
		case x.ID > y.ID:
			return -1
		case x.ID < y.ID:
			return 1
		}
		return 0
	})
	limit := p.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	limit = min(limit, MaxLimit)
	if len(all) > limit {
		if p.MinID > 0 {
			all = all[len(all)-limit:] // the ones just after MinID
		} else {
			all = all[:limit]
		}
	}
	return all
}

// Public is the local public timeline: public original statuses.
func (s *Service) Public(ctx context.Context, viewer Viewer, p Page) ([]*Status, error) {
	return s.timeline(ctx, viewer, p, `SELECT s.id FROM statuses s WHERE s.visibility = 'public' AND s.reblog_of_id IS NULL
		AND s.deleted_at = 0 AND s.hidden = FALSE`+notMutedOrBlocked, viewer.ID, viewer.ID, viewer.ID)
}

// Tag is the public statuses with a hashtag.
func (s *Service) Tag(ctx context.Context, viewer Viewer, tag string, p Page) ([]*Status, error) {
	tag = normalizeTag(tag)
	if tag == "" || len(tag) > 100 || input.Problem(tag) != "" || strings.ContainsAny(tag, " \x00") {
		return nil, errs.Invalid("hashtag", "Give a hashtag, like #hearthealth.")
	}
	return s.timeline(ctx, viewer, p, `SELECT s.id FROM statuses s JOIN status_tags st ON st.status_id = s.id
		JOIN tags t ON t.id = st.tag_id WHERE t.name = ? AND s.visibility = 'public' AND s.deleted_at = 0
		AND s.hidden = FALSE`+notMutedOrBlocked, tag, viewer.ID, viewer.ID, viewer.ID)
}

// AccountOptions narrow an account's timeline.
type AccountOptions struct {
	ExcludeReplies bool
	ExcludeReblogs bool
}

// Account is what viewer may read of one account's statuses, newest first.
func (s *Service) Account(ctx context.Context, viewer Viewer, accountID int64, p Page, o AccountOptions) ([]*Status, error) {
	u, err := s.accounts.UserByID(ctx, accountID)
	if err != nil {
		return nil, err
	}
	if u.Suspended && viewer.ID != accountID {
		return nil, errs.NotFound("Record not found")
	}
	vis := []string{"'public'", "'unlisted'"}
	if viewer.ID != 0 {
		vis = append(vis, "'members'")
		if blocked, err := s.st.blockedEitherWay(ctx, viewer.ID, accountID); err != nil || blocked {
			return nil, internal(err, "check block")
		}
		state, err := s.st.followState(ctx, viewer.ID, accountID)
		if err != nil {
			return nil, internal(err, "follow state")
		}
		if state == "accepted" || viewer.ID == accountID {
			vis = append(vis, "'private'")
		}
	}
	q := fmt.Sprintf(`SELECT s.id FROM statuses s WHERE s.account_id = ? AND s.deleted_at = 0 AND s.visibility IN (%s)`,
		joinComma(vis))
	if viewer.ID != accountID {
		q += " AND s.hidden = FALSE"
	}
	if o.ExcludeReplies {
		q += " AND s.in_reply_to_id IS NULL"
	}
	if o.ExcludeReblogs {
		q += " AND s.reblog_of_id IS NULL"
	}
	return s.timeline(ctx, viewer, p, q, accountID)
}

func joinComma(xs []string) string {
	out := ""
	for i, x := range xs {
		if i > 0 {
			out += ", "
		}
		out += x
	}
	return out
}
