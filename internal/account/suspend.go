package account

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/rounds-health/rounds/internal/audit"
	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/input"
)

// MaxReasonChars bounds a moderator's reason. The reason is kept in the
// audit log, whose details are capped (500 bytes), so it must stay short.
const MaxReasonChars = 300

// IsModerator reports whether the user may moderate: moderators and administrators.
func (u *User) IsModerator() bool { return u != nil && (u.Role == Moderator || u.Role == Admin) }

// ModerationReason checks the reason a moderator gives for an action and
// returns it trimmed. Every moderation action needs one: it is what the
// audit log keeps to explain the action later.
func ModerationReason(reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	switch n := utf8.RuneCountInString(reason); {
	case n == 0:
		return "", errs.Invalid("reason", "Give a reason: it is kept in the audit log to explain this action.")
	case n > MaxReasonChars:
		return "", errs.Invalid("reason", fmt.Sprintf("Keep the reason to %d characters; this one has %d.", MaxReasonChars, n))
	}
	if p := input.Problem(reason); p != "" {
		return "", errs.Invalid("reason", p)
	}
	return reason, nil
}

// SetSuspended suspends an account or lifts its suspension. A suspended
// account cannot sign in or use a token, and suspending it ends its
// sessions and revokes its tokens at once. Moderators and administrators
// may suspend (and the operator's command line); nobody suspends
// themselves, and only administrators suspend moderators or administrators,
// so that one moderator cannot lock the others out. Every attempt is
// audited, with the reason.
func (s *Service) SetSuspended(ctx context.Context, actor Actor, userID int64, suspended bool, reason string) error {
	action := "moderation.unsuspend_account"
	if suspended {
		action = "moderation.suspend_account"
	}
	target := userTarget(userID)
	switch {
	case actor.User == nil && actor.Via != CLI.Via:
		return errs.Unauthorized("Sign in first.")
	case actor.User != nil && !actor.User.IsModerator():
		return s.deny(ctx, actor, action, target, "Only moderators and administrators can suspend accounts.")
	}
	reason, err := ModerationReason(reason)
	if err != nil {
		return err
	}
	u, err := s.UserByID(ctx, userID)
	if err != nil {
		return err
	}
	if actor.User != nil {
		switch {
		case actor.User.ID == u.ID:
			return s.deny(ctx, actor, action, target, "You cannot suspend or reinstate your own account.")
		case u.IsModerator() && !actor.User.IsAdmin():
			return s.deny(ctx, actor, action, target, "Only administrators can suspend or reinstate moderators and administrators.")
		}
	}
	done := "reinstated"
	if suspended {
		done = "suspended"
	}
	already := errs.Conflict("", fmt.Sprintf("@%s is already %s.", u.Username, done))
	if u.Suspended == suspended {
		return already
	}
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		changed, err := s.st.setSuspended(ctx, u.ID, suspended, s.now())
		if err != nil {
			return err
		}
		if !changed { // another moderator was quicker
			return already
		}
		detail := "reason: " + reason
		if suspended {
			if err := s.st.deleteSessionsOf(ctx, u.ID, 0); err != nil {
				return err
			}
			if err := s.st.revokeTokensOf(ctx, u.ID, s.now()); err != nil {
				return err
			}
			detail = "sessions ended, API tokens revoked; " + detail
		}
		return s.audit.Append(ctx, actor.event(action, target, audit.Success, detail))
	})
	if err != nil && errs.As(err) == nil {
		return errs.Internal(err, "set suspended")
	}
	return err
}
