package social

import (
	"context"
	"strings"
	"time"
)

// readableBy is canSee written as SQL, for a signed-in viewer (bound six
// times): the viewer's own statuses; otherwise not hidden, and public,
// unlisted or members, or followers-only to a mentioned account or an
// accepted follower, or direct to a mentioned account; never from an author
// who blocks the viewer or whom the viewer blocks or mutes.
const readableBy = ` AND (s.account_id = ? OR (s.hidden = FALSE AND (s.visibility IN ('public', 'unlisted', 'members')
	OR (s.visibility IN ('private', 'direct') AND EXISTS (SELECT 1 FROM mentions mn WHERE mn.status_id = s.id AND mn.account_id = ?))
	OR (s.visibility = 'private' AND EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = ? AND f.followee_id = s.account_id
		AND f.state = 'accepted')))))` + notMutedOrBlocked

// searchStatusIDs returns, newest first, up to limit ids of the original
// statuses viewer may read whose title, content warning and text contain
// every word (lower case, letters and digits only, so no LIKE wildcard can
// be among them), by authorID if set, older than before and newer than
// after when those are set.
//
// SQLite's LOWER folds ASCII letters only, so on SQLite an upper-case
// non-ASCII letter in a status does not match its lower-case form.
func (st socialStore) searchStatusIDs(ctx context.Context, viewer int64, words []string, authorID, before, after int64, limit int) ([]int64, error) {
	q := `SELECT s.id FROM statuses s WHERE s.deleted_at = 0 AND s.reblog_of_id IS NULL` + readableBy
	args := []any{viewer, viewer, viewer, viewer, viewer, viewer}
	for _, w := range words {
		q += ` AND LOWER(s.title || ' ' || s.summary || ' ' || s.source) LIKE ?`
		args = append(args, "%"+w+"%")
	}
	for _, f := range []struct {
		cond string
		v    int64
	}{{" AND s.account_id = ?", authorID}, {" AND s.id < ?", before}, {" AND s.id > ?", after}} {
		if f.v > 0 {
			q += f.cond
			args = append(args, f.v)
		}
	}
	return st.ids(ctx, q+" ORDER BY s.id DESC LIMIT ?", append(args, limit)...)
}

// tagLikeEscaper makes a tag prefix match itself in LIKE … ESCAPE '\':
// "covid_19" must not match "covid119".
var tagLikeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// searchTags returns the tags starting with prefix (lower case, as tags are
// stored) that a public or unlisted status, neither deleted nor
// hidden, uses, shortest first.
func (st socialStore) searchTags(ctx context.Context, prefix string, limit, offset int) ([]Tag, error) {
	rows, err := st.db.Query(ctx, `SELECT t.id, t.name FROM tags t WHERE t.name LIKE ? ESCAPE '\'
		AND EXISTS (SELECT 1 FROM status_tags stt JOIN statuses s ON s.id = stt.status_id WHERE stt.tag_id = t.id
			AND s.visibility IN ('public', 'unlisted') AND s.deleted_at = 0 AND s.hidden = FALSE)
		ORDER BY LENGTH(t.name), t.name LIMIT ? OFFSET ?`, tagLikeEscaper.Replace(prefix)+"%", limit, offset)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Tag
	for rows.Next() {
		var t Tag
		if err := rows.Scan(&t.ID, &t.Name); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

type tagDayKey struct {
	tagID int64
	day   int64 // Unix seconds of the day's UTC midnight
}

const dayMillis = 86_400_000 // the divisor in tagUses' SQL

// tagUses counts, per tag and UTC day since since, the public and unlisted
// statuses, neither deleted nor hidden, that use each tag and their distinct authors.
func (st socialStore) tagUses(ctx context.Context, tagIDs []int64, since time.Time) (map[tagDayKey]TagDay, error) {
	args := []any{since.UnixMilli()}
	for _, id := range tagIDs {
		args = append(args, id)
	}
	rows, err := st.db.Query(ctx, `SELECT stt.tag_id, s.created_at / 86400000, COUNT(*), COUNT(DISTINCT s.account_id)
		FROM status_tags stt JOIN statuses s ON s.id = stt.status_id
		WHERE s.created_at >= ? AND s.visibility IN ('public', 'unlisted') AND s.deleted_at = 0 AND s.hidden = FALSE
		AND stt.tag_id IN (`+placeholders(len(tagIDs))+`)
		GROUP BY stt.tag_id, s.created_at / 86400000`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[tagDayKey]TagDay{}
	for rows.Next() {
		var tagID, day int64
		var d TagDay
		if err := rows.Scan(&tagID, &day, &d.Uses, &d.Accounts); err != nil {
			return nil, err
		}
		out[tagDayKey{tagID, day * dayMillis / 1000}] = d
	}
	return out, rows.Err()
}
