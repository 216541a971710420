package social

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/rounds-health/rounds/internal/store"
)

// socialStore is the SQL of this package.
type socialStore struct{ db *store.DB }

func nullID(v int64) any {
	if v == 0 {
		return nil
	}
	return v
}

// Graph.

func (st socialStore) follow(ctx context.Context, follower, followee int64, state string, at time.Time) error {
	_, err := st.db.Exec(ctx, `INSERT INTO follows (follower_id, followee_id, state, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (follower_id, followee_id) DO NOTHING`, follower, followee, state, at.UnixMilli())
	return err
}

func (st socialStore) followState(ctx context.Context, follower, followee int64) (string, error) {
	var s string
	err := st.db.QueryRow(ctx, "SELECT state FROM follows WHERE follower_id = ? AND followee_id = ?", follower, followee).Scan(&s)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return s, err
}

func (st socialStore) unfollow(ctx context.Context, follower, followee int64) error {
	_, err := st.db.Exec(ctx, "DELETE FROM follows WHERE follower_id = ? AND followee_id = ?", follower, followee)
	return err
}

// removeFollow deletes a follow or a request and returns the state it had,
// "" when there was none. It needs a transaction (a write that returns a row).
func (st socialStore) removeFollow(ctx context.Context, follower, followee int64) (string, error) {
	var s string
	err := st.db.QueryRow(ctx, "DELETE FROM follows WHERE follower_id = ? AND followee_id = ? RETURNING state", follower, followee).Scan(&s)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return s, err
}

// answerRequest turns a pending request into a follow (accept) or deletes it,
// reporting whether there was a pending request: a request answered twice at
// once is answered once, and a rejection never removes an accepted follow.
func (st socialStore) answerRequest(ctx context.Context, follower, followee int64, accept bool) (bool, error) {
	q := "DELETE FROM follows WHERE follower_id = ? AND followee_id = ? AND state = 'requested'"
	if accept {
		q = "UPDATE follows SET state = 'accepted' WHERE follower_id = ? AND followee_id = ? AND state = 'requested'"
	}
	res, err := st.db.Exec(ctx, q, follower, followee)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

func (st socialStore) pair(ctx context.Context, table, a, b string, x, y int64) (bool, error) {
	var n int
	err := st.db.QueryRow(ctx, "SELECT COUNT(*) FROM "+table+" WHERE "+a+" = ? AND "+b+" = ?", x, y).Scan(&n)
	return n > 0, err
}

func (st socialStore) block(ctx context.Context, blocker, blocked int64, at time.Time) error {
	_, err := st.db.Exec(ctx, `INSERT INTO blocks (blocker_id, blocked_id, created_at) VALUES (?, ?, ?)
		ON CONFLICT (blocker_id, blocked_id) DO NOTHING`, blocker, blocked, at.UnixMilli())
	return err
}

func (st socialStore) unblock(ctx context.Context, blocker, blocked int64) error {
	_, err := st.db.Exec(ctx, "DELETE FROM blocks WHERE blocker_id = ? AND blocked_id = ?", blocker, blocked)
	return err
}

func (st socialStore) mute(ctx context.Context, muter, muted int64, at time.Time) error {
	_, err := st.db.Exec(ctx, `INSERT INTO mutes (muter_id, muted_id, created_at) VALUES (?, ?, ?)
		ON CONFLICT (muter_id, muted_id) DO NOTHING`, muter, muted, at.UnixMilli())
	return err
}

func (st socialStore) unmute(ctx context.Context, muter, muted int64) error {
	_, err := st.db.Exec(ctx, "DELETE FROM mutes WHERE muter_id = ? AND muted_id = ?", muter, muted)
	return err
}

// blockedEitherWay reports whether a blocks b or b blocks a.
func (st socialStore) blockedEitherWay(ctx context.Context, a, b int64) (bool, error) {
	var n int
	err := st.db.QueryRow(ctx, `SELECT COUNT(*) FROM blocks WHERE (blocker_id = ? AND blocked_id = ?) OR (blocker_id = ? AND blocked_id = ?)`,
		a, b, b, a).Scan(&n)
	return n > 0, err
}

// tiesTo returns, for the viewer and each author, whether a block stands
// between them either way and the viewer's follow state ("" when none).
// Every author gets an entry in follows, so a lookup can tell "prefetched".
func (st socialStore) tiesTo(ctx context.Context, viewer int64, authors []int64) (map[int64]bool, map[int64]string, error) {
	blocks, follows := map[int64]bool{}, make(map[int64]string, len(authors))
	args := make([]any, 0, 2*len(authors)+2)
	args = append(args, viewer)
	for _, a := range authors {
		args = append(args, a)
		follows[a] = ""
	}
	in := placeholders(len(authors))
	brows, err := st.ids(ctx, `SELECT blocked_id FROM blocks WHERE blocker_id = ? AND blocked_id IN (`+in+`)`, args...)
	if err != nil {
		return nil, nil, err
	}
	brows2, err := st.ids(ctx, `SELECT blocker_id FROM blocks WHERE blocked_id = ? AND blocker_id IN (`+in+`)`, args...)
	if err != nil {
		return nil, nil, err
	}
	for _, a := range append(brows, brows2...) {
		blocks[a] = true
	}
	rows, err := st.db.Query(ctx, `SELECT followee_id, state FROM follows WHERE follower_id = ? AND followee_id IN (`+in+`)`, args...)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var a int64
		var state string
		if err := rows.Scan(&a, &state); err != nil {
			return nil, nil, err
		}
		follows[a] = state
	}
	return blocks, follows, rows.Err()
}

// count returns the one number a COUNT query selects.
func (st socialStore) count(ctx context.Context, q string, args ...any) (int, error) {
	var n int
	err := st.db.QueryRow(ctx, q, args...).Scan(&n)
	return n, err
}

// ids returns from a query over follows, newest first, keyset by created_at.
func (st socialStore) ids(ctx context.Context, q string, args ...any) ([]int64, error) {
	rows, err := st.db.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// Statuses.

const statusColumns = `id, account_id, kind, title, summary, source, content, visibility, sensitive, language,
	in_reply_to_id, in_reply_to_account_id, reblog_of_id, replies_count, reblogs_count, favourites_count, hidden,
	created_at, edited_at, deleted_at, (SELECT suspended FROM users u WHERE u.id = statuses.account_id)`

func scanStatus(s interface{ Scan(...any) error }) (*Status, error) {
	var st Status
	var kind, vis string
	var reply, replyAcct, reblog sql.NullInt64
	var created, edited, deleted int64
	if err := s.Scan(&st.ID, &st.AccountID, &kind, &st.Title, &st.Summary, &st.Source, &st.Content, &vis, &st.Sensitive,
		&st.Language, &reply, &replyAcct, &reblog, &st.RepliesCount, &st.ReblogsCount, &st.FavouritesCount, &st.Hidden,
		&created, &edited, &deleted, &st.AuthorSuspended); err != nil {
		return nil, err
	}
	st.Kind, st.Visibility = Kind(kind), Visibility(vis)
	st.InReplyToID, st.InReplyToAccountID, st.ReblogOfID = reply.Int64, replyAcct.Int64, reblog.Int64
	st.CreatedAt, st.EditedAt, st.DeletedAt = store.Millis(created), store.Millis(edited), store.Millis(deleted)
	return &st, nil
}

func (st socialStore) insertStatus(ctx context.Context, s *Status) error {
	_, err := st.db.Exec(ctx, `INSERT INTO statuses (id, account_id, kind, title, summary, source, content, visibility, sensitive,
		language, in_reply_to_id, in_reply_to_account_id, reblog_of_id, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, s.ID, s.AccountID, string(s.Kind), s.Title, s.Summary, s.Source,
		s.Content, string(s.Visibility), s.Sensitive, s.Language, nullID(s.InReplyToID), nullID(s.InReplyToAccountID),
		nullID(s.ReblogOfID), s.CreatedAt.UnixMilli())
	return err
}

func (st socialStore) updateStatusText(ctx context.Context, s *Status) error {
	_, err := st.db.Exec(ctx, `UPDATE statuses SET title = ?, summary = ?, source = ?, content = ?, sensitive = ?, edited_at = ?
		WHERE id = ?`, s.Title, s.Summary, s.Source, s.Content, s.Sensitive, s.EditedAt.UnixMilli(), s.ID)
	return err
}

func (st socialStore) insertEdit(ctx context.Context, id int64, s *Status, at time.Time) error {
	_, err := st.db.Exec(ctx, `INSERT INTO status_edits (id, status_id, title, summary, source, content, sensitive, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, id, s.ID, s.Title, s.Summary, s.Source, s.Content, s.Sensitive, at.UnixMilli())
	return err
}

func (st socialStore) edits(ctx context.Context, statusID int64) ([]Edit, error) {
	rows, err := st.db.Query(ctx, `SELECT title, summary, source, content, sensitive, created_at FROM status_edits
		WHERE status_id = ? ORDER BY id`, statusID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Edit
	for rows.Next() {
		var e Edit
		var at int64
		if err := rows.Scan(&e.Title, &e.Summary, &e.Source, &e.Content, &e.Sensitive, &at); err != nil {
			return nil, err
		}
		e.CreatedAt = store.Millis(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

func (st socialStore) markDeleted(ctx context.Context, id int64, at time.Time) error {
	_, err := st.db.Exec(ctx, "UPDATE statuses SET deleted_at = ? WHERE id = ?", at.UnixMilli(), id)
	return err
}

func (st socialStore) deleteReblogsOf(ctx context.Context, id int64) error {
	_, err := st.db.Exec(ctx, "DELETE FROM statuses WHERE reblog_of_id = ?", id)
	return err
}

func (st socialStore) deleteStatus(ctx context.Context, id int64) error {
	_, err := st.db.Exec(ctx, "DELETE FROM statuses WHERE id = ?", id)
	return err
}

// bump adds delta to a counter column of a status; column is a constant here.
func (st socialStore) bump(ctx context.Context, column string, id int64, delta int) error {
	_, err := st.db.Exec(ctx, "UPDATE statuses SET "+column+" = "+column+" + ? WHERE id = ?", delta, id)
	return err
}

func (st socialStore) statusByID(ctx context.Context, id int64) (*Status, error) {
	s, err := scanStatus(st.db.QueryRow(ctx, "SELECT "+statusColumns+" FROM statuses WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return s, err
}

func (st socialStore) reblogBy(ctx context.Context, accountID, statusID int64) (*Status, error) {
	s, err := scanStatus(st.db.QueryRow(ctx, "SELECT "+statusColumns+" FROM statuses WHERE account_id = ? AND reblog_of_id = ?",
		accountID, statusID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return s, err
}

func placeholders(n int) string { return strings.TrimSuffix(strings.Repeat("?, ", n), ", ") }

// statuses loads statuses by id with their mentions and tags, in the order of ids.
func (st socialStore) statuses(ctx context.Context, ids []int64) ([]*Status, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := st.db.Query(ctx, "SELECT "+statusColumns+" FROM statuses WHERE id IN ("+placeholders(len(ids))+")", args...)
	if err != nil {
		return nil, err
	}
	byID := map[int64]*Status{}
	for rows.Next() {
		s, err := scanStatus(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		byID[s.ID] = s
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	mrows, err := st.db.Query(ctx, "SELECT status_id, account_id FROM mentions WHERE status_id IN ("+placeholders(len(ids))+")", args...)
	if err != nil {
		return nil, err
	}
	for mrows.Next() {
		var sid, aid int64
		if err := mrows.Scan(&sid, &aid); err != nil {
			mrows.Close()
			return nil, err
		}
		if s := byID[sid]; s != nil {
			s.Mentions = append(s.Mentions, aid)
		}
	}
	mrows.Close()
	trows, err := st.db.Query(ctx, `SELECT st.status_id, t.name FROM status_tags st JOIN tags t ON t.id = st.tag_id
		WHERE st.status_id IN (`+placeholders(len(ids))+") ORDER BY t.name", args...)
	if err != nil {
		return nil, err
	}
	for trows.Next() {
		var sid int64
		var name string
		if err := trows.Scan(&sid, &name); err != nil {
			trows.Close()
			return nil, err
		}
		if s := byID[sid]; s != nil {
			s.Tags = append(s.Tags, name)
		}
	}
	trows.Close()
	out := make([]*Status, 0, len(ids))
	for _, id := range ids {
		if s := byID[id]; s != nil {
			out = append(out, s)
		}
	}
	return out, nil
}

func (st socialStore) addMention(ctx context.Context, statusID, accountID int64) error {
	_, err := st.db.Exec(ctx, "INSERT INTO mentions (status_id, account_id) VALUES (?, ?) ON CONFLICT DO NOTHING", statusID, accountID)
	return err
}

func (st socialStore) clearMentionsAndTags(ctx context.Context, statusID int64) error {
	if _, err := st.db.Exec(ctx, "DELETE FROM mentions WHERE status_id = ?", statusID); err != nil {
		return err
	}
	_, err := st.db.Exec(ctx, "DELETE FROM status_tags WHERE status_id = ?", statusID)
	return err
}

func (st socialStore) addTag(ctx context.Context, statusID, newTagID int64, name string) error {
	if _, err := st.db.Exec(ctx, "INSERT INTO tags (id, name) VALUES (?, ?) ON CONFLICT (name) DO NOTHING", newTagID, name); err != nil {
		return err
	}
	_, err := st.db.Exec(ctx, `INSERT INTO status_tags (status_id, tag_id) SELECT ?, id FROM tags WHERE name = ?
		ON CONFLICT DO NOTHING`, statusID, name)
	return err
}

func (st socialStore) favourite(ctx context.Context, accountID, statusID int64, at time.Time) (bool, error) {
	res, err := st.db.Exec(ctx, `INSERT INTO favourites (account_id, status_id, created_at) VALUES (?, ?, ?)
		ON CONFLICT (account_id, status_id) DO NOTHING`, accountID, statusID, at.UnixMilli())
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

func (st socialStore) unfavourite(ctx context.Context, accountID, statusID int64) (bool, error) {
	res, err := st.db.Exec(ctx, "DELETE FROM favourites WHERE account_id = ? AND status_id = ?", accountID, statusID)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// viewerFlags returns, for the viewer, which of ids they favourited and reblogged.
func (st socialStore) viewerFlags(ctx context.Context, viewer int64, ids []int64) (fav, reblogged map[int64]bool, err error) {
	fav, reblogged = map[int64]bool{}, map[int64]bool{}
	if viewer == 0 || len(ids) == 0 {
		return fav, reblogged, nil
	}
	args := []any{viewer}
	for _, id := range ids {
		args = append(args, id)
	}
	f, err := st.ids(ctx, "SELECT status_id FROM favourites WHERE account_id = ? AND status_id IN ("+placeholders(len(ids))+")", args...)
	if err != nil {
		return nil, nil, err
	}
	for _, id := range f {
		fav[id] = true
	}
	r, err := st.ids(ctx, "SELECT reblog_of_id FROM statuses WHERE account_id = ? AND reblog_of_id IN ("+placeholders(len(ids))+")", args...)
	if err != nil {
		return nil, nil, err
	}
	for _, id := range r {
		reblogged[id] = true
	}
	return fav, reblogged, nil
}

func (st socialStore) counts(ctx context.Context, accountID int64, c *Counts) error {
	// account_counts is kept by triggers (migration 0020).
	err := st.db.QueryRow(ctx, `SELECT statuses, followers, following, last_status_at FROM account_counts WHERE account_id = ?`,
		accountID).Scan(&c.Statuses, &c.Followers, &c.Following, &c.LastStatusAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	return err
}
