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
	follows, err := s.timeline(ctx, viewer, p, `SELECT s.id FROM statuses s WHERE s.deleted_at = 0 AND s.hidden = FALSE
		AND (s.account_id = ? OR (s.visibility <> 'direct' AND s.account_id IN
			(SELECT followee_id FROM follows WHERE follower_id = ? AND state = 'accepted')))`+notMutedOrBlocked,
		viewer.ID, viewer.ID, viewer.ID, viewer.ID, viewer.ID)
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
