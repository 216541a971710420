package moderation

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/rounds-health/rounds/internal/store"
)

// reportStore is the SQL of this package: one query, one method.
type reportStore struct{ db *store.DB }

const reportColumns = `id, reporter_id, target_id, category, comment, forward, state, resolution, resolution_reason,
	resolved_by, resolved_at, created_at`

func scanReport(s interface{ Scan(...any) error }) (*Report, error) {
	var r Report
	var category, state, resolution string
	var resolvedBy sql.NullInt64
	var resolvedAt, created int64
	if err := s.Scan(&r.ID, &r.ReporterID, &r.TargetID, &category, &r.Comment, &r.Forward, &state, &resolution,
		&r.ResolutionReason, &resolvedBy, &resolvedAt, &created); err != nil {
		return nil, err
	}
	r.Category, r.State, r.Resolution = Category(category), State(state), ActionKind(resolution)
	r.ResolvedBy, r.ResolvedAt, r.CreatedAt = resolvedBy.Int64, store.Millis(resolvedAt), store.Millis(created)
	return &r, nil
}

func (st reportStore) insertReport(ctx context.Context, r *Report) error {
	_, err := st.db.Exec(ctx, `INSERT INTO reports (id, reporter_id, target_id, category, comment, forward, state, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, r.ID, r.ReporterID, r.TargetID, string(r.Category), r.Comment, r.Forward,
		string(r.State), r.CreatedAt.UnixMilli())
	return err
}

func (st reportStore) addStatus(ctx context.Context, reportID, statusID int64) error {
	_, err := st.db.Exec(ctx, "INSERT INTO report_statuses (report_id, status_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
		reportID, statusID)
	return err
}

// reportsSince counts the reports reporter made at or after since, and
// returns the time of the oldest of them (to say when the next is allowed).
func (st reportStore) reportsSince(ctx context.Context, reporterID int64, since time.Time) (int, time.Time, error) {
	var n int
	var oldest int64
	err := st.db.QueryRow(ctx, `SELECT COUNT(*), COALESCE(MIN(created_at), 0) FROM reports
		WHERE reporter_id = ? AND created_at >= ?`, reporterID, since.UnixMilli()).Scan(&n, &oldest)
	return n, store.Millis(oldest), err
}

func (st reportStore) reportByID(ctx context.Context, id int64) (*Report, error) {
	r, err := scanReport(st.db.QueryRow(ctx, "SELECT "+reportColumns+" FROM reports WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return r, st.attachStatuses(ctx, []*Report{r})
}

// openReports lists open reports oldest first, after the report ID after.
func (st reportStore) openReports(ctx context.Context, after int64, limit int) ([]*Report, error) {
	return st.list(ctx, "SELECT "+reportColumns+" FROM reports WHERE state = 'open' AND id > ? ORDER BY id LIMIT ?", after, limit)
}

// resolvedReports lists resolved reports newest first, before the report ID before (0: from the newest).
func (st reportStore) resolvedReports(ctx context.Context, before int64, limit int) ([]*Report, error) {
	if before <= 0 {
		before = 1<<63 - 1
	}
	return st.list(ctx, "SELECT "+reportColumns+" FROM reports WHERE state = 'resolved' AND id < ? ORDER BY id DESC LIMIT ?",
		before, limit)
}

func (st reportStore) list(ctx context.Context, q string, args ...any) ([]*Report, error) {
	rows, err := st.db.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	var out []*Report
	for rows.Next() {
		r, err := scanReport(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, st.attachStatuses(ctx, out)
}

// attachStatuses fills each report's StatusIDs, in ID order.
func (st reportStore) attachStatuses(ctx context.Context, rs []*Report) error {
	if len(rs) == 0 {
		return nil
	}
	byID := map[int64]*Report{}
	args := make([]any, len(rs))
	for i, r := range rs {
		byID[r.ID], args[i] = r, r.ID
	}
	rows, err := st.db.Query(ctx, "SELECT report_id, status_id FROM report_statuses WHERE report_id IN ("+
		strings.TrimSuffix(strings.Repeat("?, ", len(rs)), ", ")+") ORDER BY report_id, status_id", args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var rid, sid int64
		if err := rows.Scan(&rid, &sid); err != nil {
			return err
		}
		byID[rid].StatusIDs = append(byID[rid].StatusIDs, sid)
	}
	return rows.Err()
}

const resolveSQL = `UPDATE reports SET state = 'resolved', resolution = ?, resolution_reason = ?, resolved_by = ?,
	resolved_at = ? WHERE id = ?`

// resolve records the latest action on a report, open or already resolved.
func (st reportStore) resolve(ctx context.Context, id int64, how ActionKind, reason string, by int64, at time.Time) (bool, error) {
	return st.exec(ctx, resolveSQL, string(how), reason, by, at.UnixMilli(), id)
}

// resolveOpen resolves a report only if it is still open, so that of two
// moderators dismissing and acting at once, one learns the other was
// quicker. It reports whether the report changed.
func (st reportStore) resolveOpen(ctx context.Context, id int64, how ActionKind, reason string, by int64, at time.Time) (bool, error) {
	return st.exec(ctx, resolveSQL+" AND state = 'open'", string(how), reason, by, at.UnixMilli(), id)
}

func (st reportStore) exec(ctx context.Context, q string, args ...any) (bool, error) {
	res, err := st.db.Exec(ctx, q, args...)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}
