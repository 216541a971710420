package publish

import (
	"context"
	"fmt"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/audit"
	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/social"
)

// PublishApproved publishes in as author once the publishing workflow
// (internal/drafts) has approved it: a draft prepared for a clinician or an
// organization, published at its scheduled time. The guard runs again, as
// for every public word: a blocking finding that a compliance officer
// released for this very text (same field, place, type and words) does not
// stop it; any other blocking finding does, and nothing is stored. Call it
// inside the transaction that records the publication.
//
// A patient story (authorizationID set) publishes only while the patient's
// authorization is usable, and is linked to it in the same transaction.
func (s *Service) PublishApproved(ctx context.Context, author *account.User, in social.NewStatus, released []Finding, authorizationID, orgID int64) (*Result, error) {
	if author.Suspended {
		return nil, errs.Forbidden("This account is suspended.")
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	findings, err := s.CheckStory(ctx, author, in, authorizationID, orgID)
	if err != nil {
		return nil, err
	}
	blocking, warnings := split(findings)
	var still []Finding
	for _, f := range blocking {
		if !releasedFinding(released, f) {
			still = append(still, f)
		}
	}
	if len(still) > 0 {
		_ = s.audit.Append(ctx, audit.Event{ActorID: author.ID, Actor: author.Username, Action: "publish.blocked",
			Outcome: audit.Denied, Detail: fmt.Sprintf("%d blocking finding(s) in an approved draft", len(still))})
		return nil, &BlockedError{Findings: still}
	}
	st, err := s.social.CreateStatus(ctx, author, in)
	if err != nil {
		return nil, err
	}
	if authorizationID != 0 {
		if err := s.stories.Link(ctx, authorizationID, st.ID); err != nil {
			return nil, err
		}
	}
	return &Result{Status: st, Warnings: warnings}, nil
}

func releasedFinding(released []Finding, f Finding) bool {
	for _, r := range released {
		if r.Field == f.Field && r.Start == f.Start && r.End == f.End && r.Type == f.Type && r.Text == f.Text {
			return true
		}
	}
	return false
}
