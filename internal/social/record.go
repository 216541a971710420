package social

import (
	"context"
	"time"
)

// Records returns statuses whatever their visibility — hidden and deleted
// ones too, as they were written — each with its earlier versions: what an
// organization's archive keeps of the posts published in its name.
// Callers authorize the reader and audit the reading.
func (s *Service) Records(ctx context.Context, ids []int64) ([]*Status, map[int64][]Edit, error) {
	list, err := s.st.statuses(ctx, ids)
	if err != nil {
		return nil, nil, internal(err, "load statuses")
	}
	edits := map[int64][]Edit{}
	for _, st := range list {
		es, err := s.st.edits(ctx, st.ID)
		if err != nil {
			return nil, nil, internal(err, "load history")
		}
		edits[st.ID] = es
	}
	return list, edits, nil
}

// RecordIDsBy pages through the ids of the statuses an account wrote since
// a time, deleted and hidden ones too (not shares, not direct messages:
// those are correspondence, not publication), oldest first, after afterID.
func (s *Service) RecordIDsBy(ctx context.Context, author int64, since time.Time, afterID int64, limit int) ([]int64, error) {
	ids, err := s.st.ids(ctx, `SELECT id FROM statuses WHERE account_id = ? AND id > ? AND created_at >= ?
		AND reblog_of_id IS NULL AND visibility <> 'direct' ORDER BY id LIMIT ?`, author, afterID, since.UnixMilli(), limit)
	return ids, internal(err, "list records")
}

// PurgeDeleted removes for good the statuses after afterID (up to limit
// of them) deleted before the cutoff, with their history, mentions, tags
// and favourites — except those keep protects and those the publishing
// workflow or a held draft refers to. It returns how many went, how many
// were kept back, and the last id it looked at (0 when none was left).
func (s *Service) PurgeDeleted(ctx context.Context, before time.Time, keep func(authorID int64) bool, afterID int64, limit int) (purged, kept int, last int64, err error) {
	rows, err := s.db.Query(ctx, `SELECT s.id, s.account_id FROM statuses s WHERE s.id > ? AND s.deleted_at > 0 AND s.deleted_at < ?
		AND NOT EXISTS (SELECT 1 FROM drafts d WHERE d.status_id = s.id)
		AND NOT EXISTS (SELECT 1 FROM held_posts h WHERE h.status_id = s.id) ORDER BY s.id LIMIT ?`, afterID, before.UnixMilli(), limit)
	if err != nil {
		return 0, 0, 0, internal(err, "find deleted statuses")
	}
	var ids []int64
	for rows.Next() {
		var id, author int64
		if err := rows.Scan(&id, &author); err != nil {
			rows.Close()
			return 0, 0, 0, internal(err, "find deleted statuses")
		}
		last = id
		if keep(author) {
			kept++
			continue
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, 0, 0, internal(err, "find deleted statuses")
	}
	for _, id := range ids {
		if err := s.db.WithTx(ctx, func(ctx context.Context) error {
			if _, err := s.db.Exec(ctx, "DELETE FROM status_edits WHERE status_id = ?", id); err != nil {
				return err
			}
			_, err := s.db.Exec(ctx, "DELETE FROM statuses WHERE id = ? AND deleted_at > 0", id)
			return err
		}); err != nil {
			return purged, kept, last, internal(err, "purge status")
		}
		purged++
	}
	return purged, kept, last, nil
}
