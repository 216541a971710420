package publish

import (
	"context"
	"fmt"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/audit"
	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/social"
)

// Stories are patients' testimonial authorizations (internal/consent).
type Stories interface {
	// Permit checks that author may publish a patient story under the
	// authorization (signed, unexpired, for an organization the author
	// speaks for — for orgID when it is not 0) and returns the terms it
	// authorizes, such as the name the patient signed with. Its error names
	// the authorization_id field.
	Permit(ctx context.Context, author *account.User, authorizationID, orgID int64) ([]string, error)
	// Link records that a status relies on the authorization, so that its
	// revocation or expiry takes the status down.
	Link(ctx context.Context, authorizationID, statusID int64) error
}

// SubmitStory publishes a patient story: it must rely on the patient's
// signed, unexpired authorization. The guard still runs (the patient's own
// name, as signed, may appear; any other identifier is refused as usual).
func (s *Service) SubmitStory(ctx context.Context, actor account.Actor, in social.NewStatus, authorizationID int64) (*Result, error) {
	u := actor.User
	if u == nil {
		return nil, errs.Unauthorized("Sign in first.")
	}
	if u.Suspended {
		return nil, errs.Forbidden("This account is suspended.")
	}
	if s.stories == nil || authorizationID == 0 {
		return nil, errs.Invalid("authorization_id", "A patient story needs the patient's signed authorization.")
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	allowed, err := s.stories.Permit(ctx, u, authorizationID, 0)
	if err != nil {
		_ = s.audit.Append(ctx, audit.Event{ActorID: u.ID, Actor: u.Username, Action: "publish.story",
			Target: fmt.Sprintf("authorization:%d", authorizationID), Outcome: audit.Denied, Detail: "no usable authorization"})
		return nil, err
	}
	findings, err := s.checkWith(ctx, u, in, where(in), allowed)
	if err != nil {
		return nil, err
	}
	blocking, warnings := split(findings)
	if len(blocking) > 0 {
		_ = s.audit.Append(ctx, audit.Event{ActorID: u.ID, Actor: u.Username, Action: "publish.blocked",
			Outcome: audit.Denied, Detail: fmt.Sprintf("%d blocking finding(s) in a patient story", len(blocking))})
		return nil, &BlockedError{Findings: blocking}
	}
	var st *social.Status
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if st, err = s.social.CreateStatus(ctx, u, in); err != nil {
			return err
		}
		if err := s.stories.Link(ctx, authorizationID, st.ID); err != nil {
			return err
		}
		return s.audit.Append(ctx, audit.Event{ActorID: u.ID, Actor: u.Username, Action: "publish.story",
			Target: fmt.Sprintf("status:%d", st.ID), Outcome: audit.Success, Detail: fmt.Sprintf("relies on authorization:%d", authorizationID)})
	})
	if err != nil {
		return nil, err
	}
	return &Result{Status: st, Warnings: warnings}, nil
}

// CheckStory runs the guard on a draft as author would publish it, as a
// patient story when authorizationID is set: the authorization must be
// usable by author and given to orgID (any of the author's organizations
// when 0), and the name the patient signed with may appear.
func (s *Service) CheckStory(ctx context.Context, author *account.User, in social.NewStatus, authorizationID, orgID int64) ([]Finding, error) {
	var allowed []string
	if authorizationID != 0 {
		if s.stories == nil {
			return nil, errs.Invalid("authorization_id", "A patient story needs the patient's signed authorization.")
		}
		var err error
		if allowed, err = s.stories.Permit(ctx, author, authorizationID, orgID); err != nil {
			return nil, err
		}
	}
	return s.checkWith(ctx, author, in, where(in), allowed)
}
