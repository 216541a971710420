package publish

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/audit"
	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/social"
)

// Org is an organization an author speaks for.
type Org struct {
	ID   int64
	Slug string
	Name string
}

// Officers knows who speaks for which organization and who may release
// what the guard held for it.
type Officers interface {
	OrgsOf(ctx context.Context, author *account.User) ([]Org, error)
	IsComplianceOfficer(ctx context.Context, orgID, userID int64) (bool, error)
}

// HoldState is where a held draft stands.
type HoldState string

const (
	Held      HoldState = "held"
	Released  HoldState = "released"
	Declined  HoldState = "declined"
	Withdrawn HoldState = "withdrawn"
)

// Hold is a draft the guard stopped, waiting for a compliance officer.
type Hold struct {
	ID            int64
	AuthorID      int64
	Author        string // username
	OrgID         int64
	OrgSlug       string
	OrgName       string
	Draft         social.NewStatus
	Findings      []Finding
	Note          string
	State         HoldState
	DecidedBy     int64
	DecidedAt     time.Time
	Justification string
	StatusID      int64
	CreatedAt     time.Time
}

// MinJustification is the shortest reason an officer may give: a release
// overrides the guard, and the record must say why.
const MinJustification = 20

// RequestRelease hands a blocked draft to the compliance officers of orgID
// (an organization the author speaks for). A draft the guard does not block
// is refused: it can simply be published.
func (s *Service) RequestRelease(ctx context.Context, actor account.Actor, in social.NewStatus, orgID int64, note string) (*Hold, error) {
	u := actor.User
	if u == nil {
		return nil, errs.Unauthorized("Sign in first.")
	}
	if s.officers == nil {
		return nil, errs.Forbidden("Releases are not available on this server.")
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	if utf8.RuneCountInString(note) > 1000 {
		return nil, errs.Invalid("note", "Keep the note to 1,000 characters.")
	}
	orgs, err := s.officers.OrgsOf(ctx, u)
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(orgs, func(o Org) bool { return o.ID == orgID })
	if i < 0 {
		return nil, errs.Invalid("org_id", "Choose an organization you belong to; its compliance officers review the draft.")
	}
	findings, err := s.check(ctx, u, in, where(in))
	if err != nil {
		return nil, err
	}
	blocking, _ := split(findings)
	if len(blocking) == 0 {
		return nil, errs.Invalid("status", "Nothing in this draft is blocked: publish it directly.")
	}
	draft, _ := json.Marshal(in)
	fs, _ := json.Marshal(blocking)
	h := &Hold{ID: s.ids.Next(), AuthorID: u.ID, Author: u.Username, OrgID: orgID, OrgSlug: orgs[i].Slug, OrgName: orgs[i].Name, Draft: in, Findings: blocking, Note: note,
		State: Held, CreatedAt: time.Now().UTC()}
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if _, err := s.db.Exec(ctx, `INSERT INTO held_posts (id, author_id, org_id, draft, findings, note, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, h.ID, u.ID, orgID, string(draft), string(fs), note, h.CreatedAt.UnixMilli()); err != nil {
			return errs.Internal(err, "hold draft")
		}
		return s.audit.Append(ctx, audit.Event{ActorID: u.ID, Actor: u.Username, Action: "publish.held",
			Target: fmt.Sprintf("hold:%d", h.ID), OnBehalfOf: "org:" + h.OrgSlug, Outcome: audit.Success,
			Detail: fmt.Sprintf("%d blocking finding(s) sent for compliance review", len(blocking))})
	})
	if err != nil {
		return nil, err
	}
	return h, nil
}

// Holds lists what the actor may see: their own held drafts, and the drafts
// waiting for them in every organization where they are a compliance
// officer. Each officer's read of a queue is audited (drafts may hold PHI).
func (s *Service) Holds(ctx context.Context, actor account.Actor) (mine, review []*Hold, err error) {
	u := actor.User
	if u == nil {
		return nil, nil, errs.Unauthorized("Sign in first.")
	}
	if mine, err = s.holds(ctx, "h.author_id = ?", u.ID); err != nil {
		return nil, nil, err
	}
	if review, err = s.holds(ctx, `h.state = 'held' AND h.author_id <> ? AND h.org_id IN (SELECT org_id FROM org_members
		WHERE user_id = ? AND role = 'compliance')`, u.ID, u.ID); err != nil {
		return nil, nil, err
	}
	if len(review) > 0 {
		if err := s.audit.Append(ctx, audit.Event{ActorID: u.ID, Actor: u.Username, Action: "publish.holds.read",
			Outcome: audit.Success, Detail: fmt.Sprintf("%d held draft(s) shown for review", len(review))}); err != nil {
			return nil, nil, err
		}
	}
	return mine, review, nil
}

// Release publishes a held draft as its author wrote it. Only a compliance
// officer of the draft's organization may, with a justification.
func (s *Service) Release(ctx context.Context, actor account.Actor, holdID int64, justification string) (*Result, error) {
	h, err := s.decidable(ctx, actor, holdID, justification)
	if err != nil {
		return nil, err
	}
	author, err := s.accounts.UserByID(ctx, h.AuthorID)
	if err != nil {
		return nil, err
	}
	if author.Suspended {
		return nil, errs.Conflict("", "The author's account is suspended; this draft cannot be published.")
	}
	// The guard runs again: only what was held may go out. An image
	// description changed since (images stay the author's until attached)
	// or anything else the officer never saw is refused.
	now, err := s.check(ctx, author, h.Draft, where(h.Draft))
	if err != nil {
		return nil, err
	}
	for _, f := range now {
		if f.Blocking && !releasedFinding(h.Findings, f) {
			return nil, errs.Conflict("", "This draft changed since it was held (an image description, or what the guard finds in it); "+
				"decline it and ask the author to send it again.")
		}
	}
	var st *social.Status
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if st, err = s.social.CreateStatus(ctx, author, h.Draft); err != nil {
			return err
		}
		if err := s.decide(ctx, h, actor.User, Released, justification, st.ID); err != nil {
			return err
		}
		return s.audit.Append(ctx, audit.Event{ActorID: actor.User.ID, Actor: actor.User.Username, Action: "publish.released",
			Target: fmt.Sprintf("hold:%d", h.ID), OnBehalfOf: "org:" + h.OrgSlug, Outcome: audit.Success,
			Detail: fmt.Sprintf("status:%d by user:%d; justification sha256:%x kept on the hold", st.ID, h.AuthorID,
				sha256.Sum256([]byte(justification)))})
	})
	if err != nil {
		return nil, err
	}
	return &Result{Status: st}, nil
}

// Decline refuses a held draft; the author keeps it and can edit it.
func (s *Service) Decline(ctx context.Context, actor account.Actor, holdID int64, reason string) (*Hold, error) {
	h, err := s.decidable(ctx, actor, holdID, reason)
	if err != nil {
		return nil, err
	}
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.decide(ctx, h, actor.User, Declined, reason, 0); err != nil {
			return err
		}
		return s.audit.Append(ctx, audit.Event{ActorID: actor.User.ID, Actor: actor.User.Username, Action: "publish.declined",
			Target: fmt.Sprintf("hold:%d", h.ID), OnBehalfOf: "org:" + h.OrgSlug, Outcome: audit.Success,
			Detail: fmt.Sprintf("reason sha256:%x kept on the hold", sha256.Sum256([]byte(reason)))})
	})
	return h, err
}

// Withdraw takes back one's own held draft.
func (s *Service) Withdraw(ctx context.Context, actor account.Actor, holdID int64) error {
	u := actor.User
	if u == nil {
		return errs.Unauthorized("Sign in first.")
	}
	h, err := s.hold(ctx, holdID)
	if err != nil {
		return err
	}
	if h.AuthorID != u.ID {
		return errs.NotFound("Record not found")
	}
	if h.State != Held {
		return errs.Conflict("", "This draft was already "+string(h.State)+".")
	}
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.decide(ctx, h, u, Withdrawn, "", 0); err != nil {
			return err
		}
		return s.audit.Append(ctx, audit.Event{ActorID: u.ID, Actor: u.Username, Action: "publish.withdrawn",
			Target: fmt.Sprintf("hold:%d", h.ID), Outcome: audit.Success})
	})
}

// decidable loads a held draft the actor may decide on, or says why not.
// Refusals are audited: they are attempts to override the guard.
func (s *Service) decidable(ctx context.Context, actor account.Actor, holdID int64, justification string) (*Hold, error) {
	u := actor.User
	if u == nil {
		return nil, errs.Unauthorized("Sign in first.")
	}
	if s.officers == nil {
		return nil, errs.Forbidden("Releases are not available on this server.")
	}
	h, err := s.hold(ctx, holdID)
	if err != nil {
		return nil, err
	}
	ok, err := s.officers.IsComplianceOfficer(ctx, h.OrgID, u.ID)
	if err != nil {
		return nil, err
	}
	if !ok || u.ID == h.AuthorID {
		_ = s.audit.Append(ctx, audit.Event{ActorID: u.ID, Actor: u.Username, Action: "publish.release",
			Target: fmt.Sprintf("hold:%d", h.ID), OnBehalfOf: "org:" + h.OrgSlug, Outcome: audit.Denied,
			Detail: "not a compliance officer of the organization (or the author)"})
		if u.ID == h.AuthorID {
			return nil, errs.Forbidden("Another compliance officer must decide on your own draft.")
		}
		return nil, errs.NotFound("Record not found") // as for an id that does not exist: held drafts are private
	}
	if h.State != Held {
		return nil, errs.Conflict("", "This draft was already "+string(h.State)+".")
	}
	if n := utf8.RuneCountInString(strings.TrimSpace(justification)); n < MinJustification {
		return nil, errs.Invalid("justification", fmt.Sprintf("Give a justification of at least %d characters; it is kept in the audit log.", MinJustification))
	}
	return h, nil
}

func (s *Service) decide(ctx context.Context, h *Hold, by *account.User, state HoldState, why string, statusID int64) error {
	now := time.Now().UTC()
	var sid any
	if statusID != 0 {
		sid = statusID
	}
	res, err := s.db.Exec(ctx, `UPDATE held_posts SET state = ?, decided_by = ?, decided_at = ?, justification = ?, status_id = ?
		WHERE id = ? AND state = 'held'`, string(state), by.ID, now.UnixMilli(), why, sid, h.ID)
	if err != nil {
		return errs.Internal(err, "decide on held draft")
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errs.Conflict("", "Someone decided on this draft a moment ago.")
	}
	h.State, h.DecidedBy, h.DecidedAt, h.Justification, h.StatusID = state, by.ID, now, why, statusID
	return nil
}

const holdColumns = `h.id, h.author_id, u.username, h.org_id, o.slug, o.name, h.draft, h.findings, h.note, h.state, COALESCE(h.decided_by, 0),
	h.decided_at, h.justification, COALESCE(h.status_id, 0), h.created_at`

func (s *Service) hold(ctx context.Context, id int64) (*Hold, error) {
	list, err := s.holds(ctx, "h.id = ?", id)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, errs.NotFound("Record not found")
	}
	return list[0], nil
}

// holds loads held drafts where cond (a constant of this file) holds.
func (s *Service) holds(ctx context.Context, cond string, args ...any) ([]*Hold, error) {
	rows, err := s.db.Query(ctx, "SELECT "+holdColumns+` FROM held_posts h JOIN users u ON u.id = h.author_id
		JOIN organizations o ON o.id = h.org_id WHERE `+cond+" ORDER BY h.id DESC LIMIT 200", args...)
	if err != nil {
		return nil, errs.Internal(err, "load held drafts")
	}
	defer rows.Close()
	var out []*Hold
	for rows.Next() {
		var h Hold
		var draft, findings, state string
		var decided, created int64
		if err := rows.Scan(&h.ID, &h.AuthorID, &h.Author, &h.OrgID, &h.OrgSlug, &h.OrgName, &draft, &findings, &h.Note, &state, &h.DecidedBy,
			&decided, &h.Justification, &h.StatusID, &created); err != nil {
			return nil, errs.Internal(err, "load held drafts")
		}
		if err := errors.Join(json.Unmarshal([]byte(draft), &h.Draft), json.Unmarshal([]byte(findings), &h.Findings)); err != nil {
			return nil, errs.Internal(err, "decode held draft")
		}
		h.State, h.CreatedAt = HoldState(state), time.UnixMilli(created).UTC()
		if decided != 0 {
			h.DecidedAt = time.UnixMilli(decided).UTC()
		}
		out = append(out, &h)
	}
	if err := rows.Err(); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, errs.Internal(err, "load held drafts")
	}
	return out, nil
}

// ReleaseOrgs lists the organizations whose compliance officers could
// release a draft by the actor.
func (s *Service) ReleaseOrgs(ctx context.Context, actor account.Actor) ([]Org, error) {
	if actor.User == nil || s.officers == nil {
		return nil, nil
	}
	return s.officers.OrgsOf(ctx, actor.User)
}
