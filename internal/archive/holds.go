package archive

import (
	"context"
	"crypto/sha256"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/audit"
	"github.com/rounds-health/rounds/internal/directory"
	"github.com/rounds-health/rounds/internal/errs"
)

// LegalHold keeps an organization's record from any purge while in force.
type LegalHold struct {
	ID         int64
	OrgID      int64
	Reason     string
	PlacedBy   int64
	PlacedAt   time.Time
	LiftedBy   int64
	LiftedAt   time.Time
	LiftReason string
}

// Active reports whether the hold is in force.
func (h LegalHold) Active() bool { return h.LiftedAt.IsZero() }

// holdDecider checks that actor is an owner or compliance officer of the organization.
func (s *Service) holdDecider(ctx context.Context, actor account.Actor, orgID int64) (*directory.Organization, error) {
	return s.ownerOrCompliance(ctx, actor, orgID, "archive.legal_hold", "place or lift a legal hold")
}

func reasonError(field, reason string) error {
	if n := utf8.RuneCountInString(strings.TrimSpace(reason)); n < 10 || n > 1000 {
		return errs.Invalid(field, "Give the reason (the matter, the request) in 10 to 1,000 characters; it is kept with the hold.")
	}
	return nil
}

// PlaceHold puts the organization's record under a legal hold.
func (s *Service) PlaceHold(ctx context.Context, actor account.Actor, orgID int64, reason string) (*LegalHold, error) {
	o, err := s.holdDecider(ctx, actor, orgID)
	if err != nil {
		return nil, err
	}
	if err := reasonError("reason", reason); err != nil {
		return nil, err
	}
	h := &LegalHold{ID: s.ids.Next(), OrgID: o.ID, Reason: strings.TrimSpace(reason), PlacedBy: actor.User.ID, PlacedAt: s.now().UTC()}
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if _, err := s.db.Exec(ctx, "INSERT INTO legal_holds (id, org_id, reason, placed_by, placed_at) VALUES (?, ?, ?, ?, ?)",
			h.ID, h.OrgID, h.Reason, h.PlacedBy, h.PlacedAt.UnixMilli()); err != nil {
			return errs.Internal(err, "place legal hold")
		}
		people, err := s.dir.PeopleOf(ctx, o.ID)
		if err != nil {
			return err
		}
		for _, p := range people {
			if _, err := s.db.Exec(ctx, "INSERT INTO legal_hold_people (hold_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING", h.ID, p); err != nil {
				return errs.Internal(err, "place legal hold")
			}
		}
		return s.audit.Append(ctx, audit.Event{ActorID: actor.User.ID, Actor: actor.User.Username, Action: "archive.legal_hold",
			Target: fmt.Sprintf("legal_hold:%d", h.ID), OnBehalfOf: "org:" + o.Slug, Outcome: audit.Success,
			Detail: fmt.Sprintf("placed; reason sha256:%x kept on the hold", sha256.Sum256([]byte(h.Reason)))})
	})
	if err != nil {
		return nil, err
	}
	return h, nil
}

// LiftHold ends a legal hold; the record of it stays.
func (s *Service) LiftHold(ctx context.Context, actor account.Actor, orgID, holdID int64, reason string) error {
	o, err := s.holdDecider(ctx, actor, orgID)
	if err != nil {
		return err
	}
	if err := reasonError("reason", reason); err != nil {
		return err
	}
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		res, err := s.db.Exec(ctx, `UPDATE legal_holds SET lifted_by = ?, lifted_at = ?, lift_reason = ?
			WHERE id = ? AND org_id = ? AND lifted_at = 0`, actor.User.ID, s.now().UnixMilli(), strings.TrimSpace(reason), holdID, o.ID)
		if err != nil {
			return errs.Internal(err, "lift legal hold")
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.NotFound("This organization has no legal hold in force with this id.")
		}
		return s.audit.Append(ctx, audit.Event{ActorID: actor.User.ID, Actor: actor.User.Username, Action: "archive.legal_hold",
			Target: fmt.Sprintf("legal_hold:%d", holdID), OnBehalfOf: "org:" + o.Slug, Outcome: audit.Success,
			Detail: fmt.Sprintf("lifted; reason sha256:%x kept on the hold", sha256.Sum256([]byte(strings.TrimSpace(reason))))})
	})
}

// Holds lists an organization's legal holds, in force and lifted, newest
// first, for its owners and compliance officers.
func (s *Service) Holds(ctx context.Context, actor account.Actor, orgID int64) ([]LegalHold, error) {
	if _, err := s.holdDecider(ctx, actor, orgID); err != nil {
		return nil, err
	}
	return s.holds(ctx, "org_id = ?", orgID)
}

func (s *Service) holds(ctx context.Context, cond string, args ...any) ([]LegalHold, error) {
	rows, err := s.db.Query(ctx, `SELECT id, org_id, reason, COALESCE(placed_by, 0), placed_at, COALESCE(lifted_by, 0), lifted_at, lift_reason
		FROM legal_holds WHERE `+cond+` ORDER BY id DESC`, args...)
	if err != nil {
		return nil, errs.Internal(err, "load legal holds")
	}
	defer rows.Close()
	var out []LegalHold
	for rows.Next() {
		var h LegalHold
		var placed, lifted int64
		if err := rows.Scan(&h.ID, &h.OrgID, &h.Reason, &h.PlacedBy, &placed, &h.LiftedBy, &lifted, &h.LiftReason); err != nil {
			return nil, errs.Internal(err, "load legal holds")
		}
		h.PlacedAt = time.UnixMilli(placed).UTC()
		if lifted != 0 {
			h.LiftedAt = time.UnixMilli(lifted).UTC()
		}
		out = append(out, h)
	}
	if err := rows.Err(); err != nil {
		return nil, errs.Internal(err, "load legal holds")
	}
	return out, nil
}

// PurgeDeleted removes for good the statuses deleted before the cutoff —
// the retention an operator chooses — except those of anyone who speaks
// for an organization under a legal hold (its staff and affiliated
// clinicians) and those the publishing workflow refers to. The operator
// runs it (rounds admin purge-deleted); it is audited.
func (s *Service) PurgeDeleted(ctx context.Context, before time.Time) (purged, kept int, err error) {
	active, err := s.holds(ctx, "lifted_at = 0")
	if err != nil {
		return 0, 0, err
	}
	protected := map[int64]bool{}
	for _, h := range active {
		// Its people now, and everyone it covered when placed (who may have left since).
		people, err := s.dir.PeopleOf(ctx, h.OrgID)
		if err != nil {
			return 0, 0, err
		}
		rows, err := s.db.Query(ctx, "SELECT user_id FROM legal_hold_people WHERE hold_id = ?", h.ID)
		if err != nil {
			return 0, 0, errs.Internal(err, "load legal hold")
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return 0, 0, errs.Internal(err, "load legal hold")
			}
			people = append(people, id)
		}
		rows.Close()
		for _, p := range people {
			protected[p] = true
		}
	}
	var after int64
	for {
		p, k, last, err := s.social.PurgeDeleted(ctx, before, func(author int64) bool { return protected[author] }, after, 500)
		purged, kept = purged+p, kept+k
		if err != nil {
			return purged, kept, err
		}
		if last == 0 {
			break
		}
		after = last
	}
	err = s.audit.Append(ctx, audit.Event{Actor: "cli:admin", Action: "archive.purge", Outcome: audit.Success,
		Detail: fmt.Sprintf("deleted before %s: %d purged, %d kept under legal hold", before.UTC().Format(time.RFC3339), purged, kept)})
	return purged, kept, err
}
