package directory

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/audit"
	"github.com/rounds-health/rounds/internal/errs"
)

// Policy is an organization's compliance policy.
type Policy struct {
	// ClaimsNeedApproval holds posts that make claims (guaranteed outcomes,
	// superlatives, testimonials without typicality) for a compliance
	// officer instead of publishing them with a warning.
	ClaimsNeedApproval bool
}

// OrgPolicy returns an organization's policy (the default when none is set).
func (s *Service) OrgPolicy(ctx context.Context, orgID int64) (Policy, error) {
	var p Policy
	err := s.db.QueryRow(ctx, "SELECT claims_need_approval FROM org_policies WHERE org_id = ?", orgID).Scan(&p.ClaimsNeedApproval)
	if errors.Is(err, sql.ErrNoRows) {
		return Policy{}, nil
	}
	return p, internal(err, "load policy")
}

// SetOrgPolicy changes the policy; owners and compliance officers may.
func (s *Service) SetOrgPolicy(ctx context.Context, actor account.Actor, slug string, p Policy) error {
	o, err := s.orgForStaff(ctx, actor, slug, Member)
	if err != nil {
		return err
	}
	if !actor.User.IsAdmin() {
		role, err := s.st.memberRole(ctx, o.ID, actor.User.ID)
		if err != nil {
			return internal(err, "load membership")
		}
		if role != Owner && role != Compliance {
			_ = s.audit.Append(ctx, event(actor, "org.policy", "org:"+o.Slug, audit.Denied, "needs owner or compliance", o))
			return errs.Forbidden("Only an owner or a compliance officer of " + o.Name + " can change its compliance policy.")
		}
	}
	return internal(s.db.WithTx(ctx, func(ctx context.Context) error {
		if _, err := s.db.Exec(ctx, `INSERT INTO org_policies (org_id, claims_need_approval, updated_by, updated_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (org_id) DO UPDATE SET claims_need_approval = excluded.claims_need_approval,
			updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
			o.ID, p.ClaimsNeedApproval, actor.User.ID, s.now().UnixMilli()); err != nil {
			return err
		}
		return s.audit.Append(ctx, event(actor, "org.policy", "org:"+o.Slug, audit.Success,
			fmt.Sprintf("claims_need_approval=%t", p.ClaimsNeedApproval), o))
	}), "set policy")
}
