package drafts

import (
	"context"
	"crypto/sha256"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/audit"
	"github.com/rounds-health/rounds/internal/directory"
	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/input"
	"github.com/rounds-health/rounds/internal/publish"
)

// Kinds lists the decisions, in the order forms show them.
var Kinds = []Kind{Comment, RequestChanges, Approve, Reject, Release}

// DecisionInput is a comment or a decision on a draft.
type DecisionInput struct {
	Kind Kind
	// Version is the version decided on. Required for every decision but a
	// comment (0 then means the current version): approving a version that
	// is no longer the current one is refused, never applied to the newer.
	Version int
	// Body is the comment, the changes wanted, the reason for a rejection,
	// or the justification of a release.
	Body string
}

func (in *DecisionInput) validate() error {
	if !slices.Contains(Kinds, in.Kind) {
		return errs.Invalid("decision", "The decision is comment, request_changes, approve, reject or release.")
	}
	in.Body = strings.TrimSpace(in.Body)
	if m := input.Problem(in.Body); m != "" {
		return errs.Invalid("body", m)
	}
	if utf8.RuneCountInString(in.Body) > MaxBody {
		return errs.Invalid("body", fmt.Sprintf("Keep it to %d characters.", MaxBody))
	}
	switch {
	case in.Kind == Comment && in.Body == "":
		return errs.Invalid("body", "Write the comment first.")
	case in.Kind == RequestChanges && in.Body == "":
		return errs.Invalid("body", "Say which changes you need, so that the author can make them.")
	case in.Kind == Reject && in.Body == "":
		return errs.Invalid("body", "Say why this draft must not be published; the reason is kept with it.")
	case in.Kind == Release && utf8.RuneCountInString(in.Body) < publish.MinJustification:
		return errs.Invalid("body", fmt.Sprintf("Give a justification of at least %d characters for releasing what the guard blocked; it is kept with the draft.",
			publish.MinJustification))
	case in.Kind != Comment && in.Version <= 0:
		return errs.Invalid("version", "Say which version you decided on (the draft's \"version\"), so that a later edit cannot inherit your decision.")
	}
	return nil
}

// Decide records a comment or a decision on a version of the draft:
//   - comment: anyone who may read the draft, on any version;
//   - request_changes, reject: the draft's approvers (a rejection is final);
//   - approve: an approver of the first step not yet satisfied (steps go in
//     order), when the version has no unreleased blocking findings;
//   - release: a compliance officer of the organization, with a
//     justification, lets the version's blocking findings through (the
//     rule of held drafts).
//
// Nobody decides on a draft they wrote a version of, and every decision but
// a comment must name the current version.
func (s *Service) Decide(ctx context.Context, actor account.Actor, draftID int64, in DecisionInput) (*Draft, error) {
	u, err := user(actor)
	if err != nil {
		return nil, err
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	var d *Draft
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		var decisions []Decision
		var authors map[int64]bool
		var err error
		if d, decisions, authors, err = s.locked(ctx, draftID); err != nil {
			return err
		}
		a, err := s.accessTo(ctx, u, d)
		if err != nil {
			return err
		}
		if !a.read() {
			return errNoDraft
		}
		if !d.State.Open() {
			return errs.Conflict("", "This draft was "+string(d.State)+"; there is nothing left to decide.")
		}
		if in.Version == 0 {
			in.Version = d.Version
		}
		if in.Version > d.Version {
			return errs.Invalid("version", fmt.Sprintf("This draft has no version %d; its current version is %d.", in.Version, d.Version))
		}
		if in.Kind != Comment && in.Version != d.Version {
			return refuse(errs.Conflict("version", fmt.Sprintf("The draft changed after you reviewed it: you reviewed version %d, and it is at version %d now. Read version %d and decide on it.",
				in.Version, d.Version, d.Version)), fmt.Sprintf("%s on version %d; current is %d", in.Kind, in.Version, d.Version))
		}
		p, err := s.progress(ctx, d, decisions, authors)
		if err != nil {
			return err
		}
		if err := s.allowed(d, a, authors, p, u.ID, in); err != nil {
			return err
		}
		if err := s.stillAffiliated(ctx, d, u.ID, in.Kind); err != nil {
			return err
		}
		dec := Decision{ID: s.ids.Next(), DraftID: d.ID, Version: in.Version, Actor: person(u.ID, u.Username, u.DisplayName),
			Kind: in.Kind, Body: in.Body, CreatedAt: s.now().UTC()}
		if err := s.st.insertDecision(ctx, &dec); err != nil {
			return err
		}
		d.UpdatedAt = dec.CreatedAt
		if in.Kind == Reject {
			if err := s.cancelSchedule(ctx, d); err != nil {
				return err
			}
			d.State, d.ApprovedAt = Rejected, time.Time{}
		}
		if err := s.settle(ctx, d, append(decisions, dec), authors); err != nil {
			return err
		}
		return s.audit.Append(ctx, event(u, "draft."+string(in.Kind), d, audit.Success, decisionDetail(in)))
	})
	if err != nil {
		return nil, s.finish(ctx, u, "draft."+string(in.Kind), d, err)
	}
	return s.get(ctx, draftID)
}

// decisionDetail says what was decided without the words: reasons and
// justifications are kept on the draft, their digest in the audit log.
func decisionDetail(in DecisionInput) string {
	detail := fmt.Sprintf("version %d", in.Version)
	if in.Kind == Reject || in.Kind == Release {
		detail += fmt.Sprintf("; reason sha256:%x kept on the draft", sha256.Sum256([]byte(in.Body)))
	}
	return detail
}

var errOwnDraft = errs.Forbidden("You wrote a version of this draft, and nobody approves their own words: the approval policy needs someone else to decide.")

// allowed says whether the decision may be recorded.
func (s *Service) allowed(d *Draft, a access, authors map[int64]bool, p *Progress, uid int64, in DecisionInput) error {
	if in.Kind == Comment {
		return nil
	}
	if authors[uid] {
		return refuse(errOwnDraft, string(in.Kind)+" of own draft")
	}
	switch in.Kind {
	case Approve:
		if p.Blocked {
			return errs.Invalid("version", fmt.Sprintf("Version %d has %d blocking finding(s) from the guard: fix them in a new version, or ask a compliance officer to release them.",
				d.Version, d.Current.Blocking))
		}
		if p.hasApproved(uid) {
			return errs.Conflict("", fmt.Sprintf("You approved version %d already.", d.Version))
		}
		if p.canApprove(uid) {
			return nil
		}
		if p.isApprover(uid) {
			return errs.Conflict("", "Steps are approved in order: waiting for "+p.Waiting()+" first.")
		}
		return refuse(errs.Forbidden("You are not an approver of this draft: its steps ask "+p.approvers()+"."), "approve: not an approver")
	case RequestChanges, Reject:
		if !p.isApprover(uid) {
			return refuse(errs.Forbidden("Only the draft's approvers ("+p.approvers()+") request changes or reject it; comment instead."),
				string(in.Kind)+": not an approver")
		}
	case Release:
		if a.role != directory.Compliance {
			return refuse(errs.Forbidden("Only a compliance officer of "+d.Org.Name+" can release what the guard blocked."), "release: not a compliance officer")
		}
		if d.Current.Blocking == 0 {
			return errs.Invalid("decision", fmt.Sprintf("Nothing in version %d is blocked; there is nothing to release.", d.Version))
		}
		if p.Released {
			return errs.Conflict("", fmt.Sprintf("The blocking findings of version %d were released already.", d.Version))
		}
	}
	return nil
}

// stillAffiliated refuses the clinician's approval of words published in
// their name once their affiliation with the organization is no longer
// confirmed: publishing would refuse them anyway, and an approval must not
// stand for a relationship that ended.
func (s *Service) stillAffiliated(ctx context.Context, d *Draft, uid int64, kind Kind) error {
	if kind != Approve || d.For == nil || d.For.ID != uid {
		return nil
	}
	c, err := s.dir.AffiliatedClinician(ctx, d.Org.ID, uid)
	if err != nil {
		return err
	}
	if c == nil {
		return refuse(errs.Forbidden("Your affiliation with "+d.Org.Name+" is no longer confirmed, so this draft cannot go out in your name; ask "+
			d.Org.Name+" to confirm the affiliation again, or reject the draft."), "approve: affiliation ended")
	}
	return nil
}

// stepsOf returns the organization's approval steps, or the default.
func (s *Service) stepsOf(ctx context.Context, orgID int64) ([]Step, bool, error) {
	steps, err := s.st.steps(ctx, orgID)
	if err != nil {
		return nil, false, internal(err, "load approval steps")
	}
	if len(steps) == 0 {
		return DefaultSteps, false, nil
	}
	return steps, true, nil
}

// progress evaluates the current version against the organization's steps,
// as they and its compliance officers are now. Each person's latest
// approval or request for changes on the current version counts; nobody who
// wrote a version of the draft is an approver of it.
func (s *Service) progress(ctx context.Context, d *Draft, decisions []Decision, authors map[int64]bool) (*Progress, error) {
	steps, _, err := s.stepsOf(ctx, d.Org.ID)
	if err != nil {
		return nil, err
	}
	officers, err := s.dir.ComplianceOfficerIDs(ctx, d.Org.ID)
	if err != nil {
		return nil, err
	}
	latest, released := map[int64]Kind{}, false
	for _, dec := range decisions {
		if dec.Version != d.Version || dec.Voided() {
			continue
		}
		switch dec.Kind {
		case Approve, RequestChanges:
			latest[dec.Actor.ID] = dec.Kind
		case Release:
			released = true
		}
	}
	p := &Progress{}
	for _, k := range latest {
		p.ChangesRequested = p.ChangesRequested || k == RequestChanges
	}
	blocking := d.Current != nil && d.Current.Blocking > 0
	p.Blocked, p.Released = blocking && !released, blocking && released
	people := map[int64]bool{}
	for i, st := range steps {
		sp := StepProgress{Position: i + 1, Step: st, Applies: true}
		var candidates []int64
		switch {
		case st.Approver == ByClinician && d.For == nil:
			sp.Applies = false
		case st.Approver == ByClinician:
			candidates = []int64{d.For.ID}
		default:
			candidates = officers
		}
		for _, id := range candidates {
			if !authors[id] {
				sp.eligible = append(sp.eligible, id)
				people[id] = true
			}
		}
		approved := 0
		for _, id := range sp.eligible {
			if latest[id] == Approve {
				approved++
			}
		}
		sp.Satisfied = !sp.Applies || (st.Rule == Any && approved > 0) ||
			(st.Rule == All && len(sp.eligible) > 0 && approved == len(sp.eligible))
		p.Steps = append(p.Steps, sp)
	}
	p.latest = latest
	if err := s.name(ctx, p, people); err != nil {
		return nil, err
	}
	p.Approved = !p.ChangesRequested && !p.Blocked
	for _, sp := range p.Steps {
		p.Approved = p.Approved && sp.Satisfied
	}
	return p, nil
}

// name fills in who approved each step and who it waits for.
func (s *Service) name(ctx context.Context, p *Progress, people map[int64]bool) error {
	ids := make([]int64, 0, len(people))
	for id := range people {
		ids = append(ids, id)
	}
	users, err := s.accounts.UsersByIDs(ctx, ids)
	if err != nil {
		return err
	}
	for i := range p.Steps {
		sp := &p.Steps[i]
		for _, id := range sp.eligible {
			u, ok := users[id]
			if !ok {
				continue
			}
			who := person(u.ID, u.Username, u.DisplayName)
			if p.latest[id] == Approve {
				sp.ApprovedBy = append(sp.ApprovedBy, who)
			} else if !sp.Satisfied {
				sp.WaitingFor = append(sp.WaitingFor, who)
			}
		}
	}
	return nil
}

func (p *Progress) hasApproved(uid int64) bool { return p.latest[uid] == Approve }

// isApprover reports whether uid approves some step of the draft.
func (p *Progress) isApprover(uid int64) bool {
	for _, sp := range p.Steps {
		if sp.Applies && slices.Contains(sp.eligible, uid) {
			return true
		}
	}
	return false
}

// canApprove reports whether uid's approval would count now: they approve a
// step whose earlier steps are all satisfied, and have not approved this
// version yet.
func (p *Progress) canApprove(uid int64) bool {
	if p.hasApproved(uid) || p.Blocked {
		return false
	}
	for _, sp := range p.Steps {
		if sp.Applies && slices.Contains(sp.eligible, uid) {
			return true
		}
		if !sp.Satisfied {
			return false
		}
	}
	return false
}

// approvers names the steps' approvers for messages.
func (p *Progress) approvers() string {
	var out []string
	for _, sp := range p.Steps {
		if sp.Applies {
			out = append(out, stepLabel(sp.Position, sp.Step))
		}
	}
	if len(out) == 0 {
		return "no one"
	}
	return strings.Join(out, ", then ")
}
