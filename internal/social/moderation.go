package social

import (
	"context"
	"fmt"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/audit"
	"github.com/rounds-health/rounds/internal/errs"
)

// What moderators may do to statuses. Decisions about reports live in the
// moderation package; the statuses stay this package's to write.

func moderationEvent(moderator *account.User, action string, statusID int64, outcome, detail string) audit.Event {
	return audit.Event{ActorID: moderator.ID, Actor: moderator.Username, Action: action,
		Target: fmt.Sprintf("status:%d", statusID), Outcome: outcome, Detail: detail}
}

// SetHidden hides a status from everyone but its author, or shows it again.
// Only moderators and administrators may, never on their own statuses
// (they delete those), and always with a reason, which the audit log keeps.
// A hidden status leaves every timeline, thread and lookup of other people
// (canSee and the timeline queries); open streams are told to drop it.
func (s *Service) SetHidden(ctx context.Context, moderator *account.User, statusID int64, hidden bool, reason string) (*Status, error) {
	action := "moderation.restore_status"
	if hidden {
		action = "moderation.hide_status"
	}
	if moderator == nil {
		return nil, errs.Unauthorized("Sign in first.")
	}
	if !moderator.IsModerator() {
		if err := s.audit.Append(ctx, moderationEvent(moderator, action, statusID, audit.Denied, "not permitted")); err != nil {
			return nil, internal(err, "audit denial")
		}
		return nil, errs.Forbidden("Only moderators and administrators can hide or restore posts.")
	}
	reason, err := account.ModerationReason(reason)
	if err != nil {
		return nil, err
	}
	st, err := s.st.statusByID(ctx, statusID)
	if err != nil {
		return nil, internal(err, "load status")
	}
	if st == nil || !st.DeletedAt.IsZero() {
		return nil, errNoStatus
	}
	if st.AccountID == moderator.ID {
		return nil, errs.Forbidden("This is your own post: delete it instead of hiding it.")
	}
	state := "visible"
	if hidden {
		state = "hidden"
	}
	already := errs.Conflict("", fmt.Sprintf("Post %d is already %s.", st.ID, state))
	if st.Hidden == hidden {
		return nil, already
	}
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		changed, err := s.st.setHidden(ctx, st.ID, hidden)
		if err != nil {
			return err
		}
		if !changed { // another moderator was quicker
			return already
		}
		return s.audit.Append(ctx, moderationEvent(moderator, action, st.ID, audit.Success, "reason: "+reason))
	})
	if err != nil {
		return nil, internal(err, "set hidden")
	}
	st.Hidden = hidden
	if hidden {
		// Streams that showed it drop it, as for a deletion. The author
		// still reads it through the API and the web pages.
		s.emit(ctx, Event{Type: EventDelete, ActorID: st.AccountID, StatusID: st.ID})
	}
	return st, nil
}

// StatusesForModeration returns statuses whatever their visibility, hidden
// and deleted ones included, with the shared status of a reblog: what a
// moderator needs to judge a report. Callers pass only the statuses a
// report names (minimum necessary) and audit the reading.
func (s *Service) StatusesForModeration(ctx context.Context, moderator *account.User, ids []int64) ([]*Status, error) {
	if !moderator.IsModerator() {
		return nil, errs.Forbidden("Only moderators and administrators can read reported posts.")
	}
	list, err := s.st.statuses(ctx, ids)
	if err != nil {
		return nil, internal(err, "load reported statuses")
	}
	for _, st := range list {
		if st.ReblogOfID == 0 {
			continue
		}
		orig, err := s.st.statuses(ctx, []int64{st.ReblogOfID})
		if err != nil {
			return nil, internal(err, "load reblogged status")
		}
		if len(orig) > 0 {
			st.Reblog = orig[0]
		}
	}
	return list, nil
}
