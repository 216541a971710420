package drafts

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/rounds-health/rounds/internal/store"
)

// draftStore holds the workflow's SQL; only Service calls it.
type draftStore struct{ db *store.DB }

func unixMS(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func nullable(v int64) any {
	if v == 0 {
		return nil
	}
	return v
}

func person(id int64, username, display string) Person {
	p := Person{ID: id, Username: username, Name: display}
	if p.Name == "" {
		p.Name = username
	}
	return p
}

const draftSelect = `SELECT d.id, d.org_id, o.slug, o.name, d.author_id, au.username, au.display_name,
	COALESCE(d.for_user_id, 0), COALESCE(fu.username, ''), COALESCE(fu.display_name, ''),
	d.state, d.version, d.approved_at, d.schedule, d.publish_at, COALESCE(d.job_id, 0), d.schedule_note,
	COALESCE(d.status_id, 0), d.created_at, d.updated_at
	FROM drafts d JOIN organizations o ON o.id = d.org_id JOIN users au ON au.id = d.author_id
	LEFT JOIN users fu ON fu.id = d.for_user_id`

func scanDraft(s interface{ Scan(...any) error }) (*Draft, error) {
	var d Draft
	var authorName, authorDisplay, forName, forDisplay, state, schedule string
	var forID, approved, publishAt, created, updated int64
	if err := s.Scan(&d.ID, &d.Org.ID, &d.Org.Slug, &d.Org.Name, &d.Author.ID, &authorName, &authorDisplay,
		&forID, &forName, &forDisplay, &state, &d.Version, &approved, &schedule, &publishAt, &d.JobID, &d.ScheduleNote,
		&d.StatusID, &created, &updated); err != nil {
		return nil, err
	}
	d.Author = person(d.Author.ID, authorName, authorDisplay)
	if forID != 0 {
		p := person(forID, forName, forDisplay)
		d.For = &p
	}
	d.State, d.Schedule = State(state), Schedule(schedule)
	d.ApprovedAt, d.PublishAt, d.CreatedAt, d.UpdatedAt = store.Millis(approved), store.Millis(publishAt), store.Millis(created), store.Millis(updated)
	return &d, nil
}

// draft loads one draft with its current version, or nil.
func (st draftStore) draft(ctx context.Context, id int64) (*Draft, error) {
	d, err := scanDraft(st.db.QueryRow(ctx, draftSelect+" WHERE d.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	vs, err := st.versions(ctx, "v.draft_id = ? AND v.version = ?", d.ID, d.Version)
	if err != nil {
		return nil, err
	}
	if len(vs) == 1 {
		d.Current = vs[0]
	}
	return d, nil
}

// drafts lists drafts where cond (a constant of this package) holds, newest
// first, with their current versions.
func (st draftStore) drafts(ctx context.Context, cond string, limit int, args ...any) ([]*Draft, error) {
	rows, err := st.db.Query(ctx, draftSelect+" WHERE "+cond+" ORDER BY d.id DESC LIMIT ?", append(args, limit)...)
	out, err := store.Collect(rows, err, scanDraft)
	if err != nil || len(out) == 0 {
		return out, err
	}
	byKey := make(map[[2]int64]*Draft, len(out))
	for _, d := range out {
		byKey[[2]int64{d.ID, int64(d.Version)}] = d
	}
	var where []string
	var vargs []any
	for _, d := range out {
		where = append(where, "(v.draft_id = ? AND v.version = ?)")
		vargs = append(vargs, d.ID, d.Version)
	}
	vs, err := st.versions(ctx, strings.Join(where, " OR "), vargs...)
	if err != nil {
		return nil, err
	}
	for _, v := range vs {
		if d := byKey[[2]int64{v.DraftID, int64(v.Number)}]; d != nil {
			d.Current = v
		}
	}
	return out, nil
}

// draftsAscending pages through an organization's drafts in id order.
func (st draftStore) draftsAscending(ctx context.Context, orgID, after int64, limit int) ([]*Draft, error) {
	rows, err := st.db.Query(ctx, draftSelect+" WHERE d.org_id = ? AND d.id > ? ORDER BY d.id LIMIT ?", orgID, after, limit)
	return store.Collect(rows, err, scanDraft)
}

func (st draftStore) insertDraft(ctx context.Context, d *Draft) error {
	var forID int64
	if d.For != nil {
		forID = d.For.ID
	}
	_, err := st.db.Exec(ctx, `INSERT INTO drafts (id, org_id, author_id, for_user_id, state, version, approved_at, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, d.ID, d.Org.ID, d.Author.ID, nullable(forID), string(d.State), d.Version,
		unixMS(d.ApprovedAt), d.CreatedAt.UnixMilli(), d.UpdatedAt.UnixMilli())
	return err
}

// save writes the draft's changing columns.
func (st draftStore) save(ctx context.Context, d *Draft) error {
	_, err := st.db.Exec(ctx, `UPDATE drafts SET state = ?, version = ?, approved_at = ?, schedule = ?, publish_at = ?, job_id = ?,
		schedule_note = ?, status_id = ?, updated_at = ? WHERE id = ?`, string(d.State), d.Version, unixMS(d.ApprovedAt),
		string(d.Schedule), unixMS(d.PublishAt), nullable(d.JobID), d.ScheduleNote, nullable(d.StatusID), d.UpdatedAt.UnixMilli(), d.ID)
	return err
}

// lock takes the draft's row lock for the rest of the transaction
// (PostgreSQL; SQLite's writer transaction is exclusive already), so that
// decisions, edits and the publication of one draft happen one at a time.
func (st draftStore) lock(ctx context.Context, id int64) (bool, error) {
	res, err := st.db.Exec(ctx, "UPDATE drafts SET updated_at = updated_at WHERE id = ?", id)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

func (st draftStore) insertVersion(ctx context.Context, v *Version) error {
	content, err := json.Marshal(v.Content)
	if err != nil {
		return err
	}
	findings, err := json.Marshal(v.Findings)
	if err != nil {
		return err
	}
	_, err = st.db.Exec(ctx, `INSERT INTO draft_versions (draft_id, version, author_id, content, findings, blocking, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, v.DraftID, v.Number, v.Author.ID, string(content), string(findings), v.Blocking,
		v.CreatedAt.UnixMilli())
	return err
}

// versions loads versions where cond (a constant of this package) holds, oldest first.
func (st draftStore) versions(ctx context.Context, cond string, args ...any) ([]*Version, error) {
	rows, err := st.db.Query(ctx, `SELECT v.draft_id, v.version, v.author_id, u.username, u.display_name, v.content, v.findings,
		v.blocking, v.created_at FROM draft_versions v JOIN users u ON u.id = v.author_id WHERE `+cond+
		" ORDER BY v.draft_id, v.version", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Version
	for rows.Next() {
		var v Version
		var username, display, content, findings string
		var created int64
		if err := rows.Scan(&v.DraftID, &v.Number, &v.Author.ID, &username, &display, &content, &findings, &v.Blocking,
			&created); err != nil {
			return nil, err
		}
		v.Author, v.CreatedAt = person(v.Author.ID, username, display), store.Millis(created)
		if err := errors.Join(json.Unmarshal([]byte(content), &v.Content), json.Unmarshal([]byte(findings), &v.Findings)); err != nil {
			return nil, err
		}
		out = append(out, &v)
	}
	return out, rows.Err()
}

func (st draftStore) insertDecision(ctx context.Context, d *Decision) error {
	_, err := st.db.Exec(ctx, `INSERT INTO draft_decisions (id, draft_id, version, actor_id, kind, body, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, d.ID, d.DraftID, d.Version, d.Actor.ID, string(d.Kind), d.Body, d.CreatedAt.UnixMilli())
	return err
}

// voidDecisions marks the approvals, requests for changes and releases of
// versions before version as voided by it.
func (st draftStore) voidDecisions(ctx context.Context, draftID int64, version int, at time.Time) error {
	_, err := st.db.Exec(ctx, `UPDATE draft_decisions SET voided_at = ?, voided_by_version = ?
		WHERE draft_id = ? AND version < ? AND voided_at = 0 AND kind IN ('approve', 'request_changes', 'release')`,
		at.UnixMilli(), version, draftID, version)
	return err
}

// decisions loads a draft's decisions, oldest first.
func (st draftStore) decisions(ctx context.Context, draftID int64) ([]Decision, error) {
	rows, err := st.db.Query(ctx, `SELECT d.id, d.draft_id, d.version, d.actor_id, u.username, u.display_name, d.kind, d.body,
		d.voided_at, d.voided_by_version, d.created_at FROM draft_decisions d JOIN users u ON u.id = d.actor_id
		WHERE d.draft_id = ? ORDER BY d.id`, draftID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Decision
	for rows.Next() {
		var d Decision
		var username, display, kind string
		var voided, created int64
		if err := rows.Scan(&d.ID, &d.DraftID, &d.Version, &d.Actor.ID, &username, &display, &kind, &d.Body, &voided,
			&d.VoidedByVersion, &created); err != nil {
			return nil, err
		}
		d.Actor, d.Kind, d.VoidedAt, d.CreatedAt = person(d.Actor.ID, username, display), Kind(kind), store.Millis(voided), store.Millis(created)
		out = append(out, d)
	}
	return out, rows.Err()
}

// authors lists who wrote a version of the draft.
func (st draftStore) authors(ctx context.Context, draftID int64) (map[int64]bool, error) {
	rows, err := st.db.Query(ctx, "SELECT DISTINCT author_id FROM draft_versions WHERE draft_id = ?", draftID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out[id] = true
	}
	return out, rows.Err()
}

// Approval steps.

func (st draftStore) steps(ctx context.Context, orgID int64) ([]Step, error) {
	rows, err := st.db.Query(ctx, "SELECT approver, rule FROM approval_steps WHERE org_id = ? ORDER BY position", orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Step
	for rows.Next() {
		var s Step
		var approver, rule string
		if err := rows.Scan(&approver, &rule); err != nil {
			return nil, err
		}
		s.Approver, s.Rule = Approver(approver), Rule(rule)
		out = append(out, s)
	}
	return out, rows.Err()
}

func (st draftStore) replaceSteps(ctx context.Context, orgID int64, steps []Step, by int64, at time.Time) error {
	if _, err := st.db.Exec(ctx, "DELETE FROM approval_steps WHERE org_id = ?", orgID); err != nil {
		return err
	}
	for i, s := range steps {
		if _, err := st.db.Exec(ctx, `INSERT INTO approval_steps (org_id, position, approver, rule, updated_by, updated_at)
			VALUES (?, ?, ?, ?, ?, ?)`, orgID, i+1, string(s.Approver), string(s.Rule), by, at.UnixMilli()); err != nil {
			return err
		}
	}
	return nil
}

// Attributions.

type approvalRecord struct {
	UserID   int64    `json:"user_id"`
	Username string   `json:"username"`
	Name     string   `json:"name"`
	As       Approver `json:"as"`
}

func (st draftStore) insertAttribution(ctx context.Context, a *Attribution, approvals []approvalRecord) error {
	js, err := json.Marshal(approvals)
	if err != nil {
		return err
	}
	_, err = st.db.Exec(ctx, `INSERT INTO status_attributions (status_id, draft_id, version, prepared_by, prepared_name, org_id,
		approvals, text, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, a.StatusID, a.DraftID, a.Version, a.PreparedBy.ID,
		a.PreparedBy.Name, a.OnBehalfOf.ID, string(js), a.Text, a.CreatedAt.UnixMilli())
	return err
}

func (st draftStore) attributions(ctx context.Context, statusIDs []int64) (map[int64]*Attribution, error) {
	out := map[int64]*Attribution{}
	if len(statusIDs) == 0 {
		return out, nil
	}
	args := make([]any, len(statusIDs))
	for i, id := range statusIDs {
		args[i] = id
	}
	rows, err := st.db.Query(ctx, `SELECT a.status_id, a.draft_id, a.version, a.prepared_by, u.username, a.prepared_name,
		a.org_id, o.slug, o.name, a.approvals, a.text, a.created_at FROM status_attributions a
		JOIN users u ON u.id = a.prepared_by JOIN organizations o ON o.id = a.org_id
		WHERE a.status_id IN (`+strings.TrimSuffix(strings.Repeat("?, ", len(args)), ", ")+")", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var a Attribution
		var approvals string
		var created int64
		if err := rows.Scan(&a.StatusID, &a.DraftID, &a.Version, &a.PreparedBy.ID, &a.PreparedBy.Username, &a.PreparedBy.Name,
			&a.OnBehalfOf.ID, &a.OnBehalfOf.Slug, &a.OnBehalfOf.Name, &approvals, &a.Text, &created); err != nil {
			return nil, err
		}
		var recs []approvalRecord
		if err := json.Unmarshal([]byte(approvals), &recs); err != nil {
			return nil, err
		}
		for _, r := range recs {
			if r.As == ByClinician {
				a.ApprovedBy = append(a.ApprovedBy, Person{ID: r.UserID, Username: r.Username, Name: r.Name})
			}
		}
		a.CreatedAt = store.Millis(created)
		out[a.StatusID] = &a
	}
	return out, rows.Err()
}
