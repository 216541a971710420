package drafts

import (
	"context"
	"fmt"
	"strings"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/audit"
	"github.com/rounds-health/rounds/internal/directory"
	"github.com/rounds-health/rounds/internal/errs"
)

// MaxSteps bounds an organization's approval steps.
const MaxSteps = 4

// Steps returns the organization's approval steps and whether it chose
// them (false: DefaultSteps apply).
func (s *Service) Steps(ctx context.Context, orgID int64) ([]Step, bool, error) {
	o, err := s.dir.OrganizationRecord(ctx, orgID)
	if err != nil {
		return nil, false, err
	}
	if o == nil {
		return nil, false, errs.NotFound("No organization has this id.")
	}
	return s.stepsOf(ctx, orgID)
}

// validateSteps checks a configuration: one to MaxSteps steps, each by the
// clinician or the compliance officers with "any" or "all", and exactly one
// clinician step, because nothing is published in a clinician's name
// without their approval (an organization's own drafts skip that step).
func validateSteps(steps []Step) error {
	if len(steps) == 0 || len(steps) > MaxSteps {
		return errs.Invalid("steps", fmt.Sprintf("Give between 1 and %d approval steps.", MaxSteps))
	}
	clinician, compliance := 0, 0
	for i, st := range steps {
		field := fmt.Sprintf("steps[%d]", i)
		switch st.Approver {
		case ByClinician:
			clinician++
		case ByCompliance:
			compliance++
		default:
			return errs.Invalid(field, `Each step is approved by "clinician" (the clinician the draft speaks for) or "compliance" (the compliance officers).`)
		}
		if st.Rule != Any && st.Rule != All {
			return errs.Invalid(field, `Each step needs "any" (one approver is enough) or "all" (every approver must approve).`)
		}
	}
	if compliance == 0 {
		return errs.Invalid("steps", `Include a "compliance" step: the organization's own posts skip the clinician step and would otherwise need no approval at all.`)
	}
	if clinician != 1 {
		return errs.Invalid("steps", `Include exactly one "clinician" step: nothing is published in a clinician's name without their approval. The organization's own posts skip it.`)
	}
	return nil
}

// SetSteps replaces the organization's approval steps; its owners and
// compliance officers may. Drafts under review are evaluated again at once.
func (s *Service) SetSteps(ctx context.Context, actor account.Actor, orgID int64, steps []Step) error {
	u, err := user(actor)
	if err != nil {
		return err
	}
	o, err := s.dir.OrganizationRecord(ctx, orgID)
	if err != nil {
		return err
	}
	if o == nil {
		return errs.NotFound("No organization has this id.")
	}
	ev := audit.Event{ActorID: u.ID, Actor: u.Username, Action: "drafts.steps", Target: fmt.Sprintf("org:%d", o.ID),
		OnBehalfOf: "org:" + o.Slug}
	role, err := s.dir.RoleIn(ctx, o.ID, u.ID)
	if err != nil {
		return err
	}
	if role != directory.Owner && role != directory.Compliance {
		ev.Outcome, ev.Detail = audit.Denied, "needs owner or compliance"
		_ = s.audit.Append(ctx, ev)
		return errs.Forbidden("Only an owner or a compliance officer of " + o.Name + " can change its approval steps.")
	}
	if err := validateSteps(steps); err != nil {
		return err
	}
	var names []string
	for _, st := range steps {
		names = append(names, string(st.Approver)+"/"+string(st.Rule))
	}
	ev.Outcome, ev.Detail = audit.Success, strings.Join(names, ", ")
	return internal(s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.st.replaceSteps(ctx, o.ID, steps, u.ID, s.now().UTC()); err != nil {
			return err
		}
		if err := s.resettle(ctx, o.ID); err != nil {
			return err
		}
		return s.audit.Append(ctx, ev)
	}), "set approval steps")
}

// resettle evaluates the organization's open drafts again.
func (s *Service) resettle(ctx context.Context, orgID int64) error {
	open, err := s.st.drafts(ctx, "d.org_id = ? AND d.state IN ('in_review', 'changes_requested', 'approved')", 1000, orgID)
	if err != nil {
		return err
	}
	for _, d := range open {
		d, decisions, authors, err := s.locked(ctx, d.ID)
		if err != nil {
			return err
		}
		if err := s.settle(ctx, d, decisions, authors); err != nil {
			return err
		}
	}
	return nil
}
