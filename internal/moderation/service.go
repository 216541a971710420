package moderation

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/audit"
	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/id"
	"github.com/rounds-health/rounds/internal/input"
	"github.com/rounds-health/rounds/internal/social"
	"github.com/rounds-health/rounds/internal/store"
)

// rateWindow is the window over which ReportsPerHour counts.
const rateWindow = time.Hour

// Service is the only writer of the reports tables.
type Service struct {
	db       *store.DB
	st       reportStore
	audit    *audit.Log
	accounts *account.Service
	social   *social.Service
	ids      *id.Generator
	now      func() time.Time
}

// NewService wires the moderation service.
func NewService(db *store.DB, log *audit.Log, accounts *account.Service, soc *social.Service, ids *id.Generator) *Service {
	return &Service{db: db, st: reportStore{db}, audit: log, accounts: accounts, social: soc, ids: ids, now: time.Now}
}

// SetClock replaces the clock, for tests of the rate limit.
func (s *Service) SetClock(now func() time.Time) { s.now = now }

func internal(err error, what string) error {
	if err == nil || errs.As(err) != nil {
		return err
	}
	return errs.Internal(err, "%s", what)
}

func event(u *account.User, action, target, outcome, detail string) audit.Event {
	return audit.Event{ActorID: u.ID, Actor: u.Username, Action: action, Target: target, Outcome: outcome, Detail: detail}
}

func reportTarget(id int64) string { return "report:" + strconv.FormatInt(id, 10) }

// validate normalizes a new report and checks what it can without the database.
func (in *NewReport) validate() error {
	if in.Category == "" {
		in.Category = Other
	}
	in.Comment = strings.TrimSpace(in.Comment)
	var fs []errs.FieldError
	add := func(f, m string) { fs = append(fs, errs.FieldError{Field: f, Message: m}) }
	if in.TargetID <= 0 {
		add("account_id", "Say which account you are reporting.")
	}
	if !in.Category.Known() {
		add("category", "Choose a category: phi (discloses patient information), spam, violation, legal or other.")
	}
	if p := input.Problem(in.Comment); p != "" {
		add("comment", p)
	} else if n := utf8.RuneCountInString(in.Comment); n > MaxCommentChars {
		add("comment", fmt.Sprintf("Keep the comment to %d characters; this one has %d.", MaxCommentChars, n))
	}
	var ids []int64
	for _, id := range in.StatusIDs {
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	in.StatusIDs = ids
	if len(ids) > MaxStatusesPerReport {
		add("status_ids", fmt.Sprintf("Choose at most %d posts for one report.", MaxStatusesPerReport))
	}
	return errs.Fields(fs...)
}

// Report sends a member's report about an account, and optionally some of
// its posts, to the moderators. Nobody reports themselves; the posts must
// be the account's and readable by the reporter; a reporter sends at most
// ReportsPerHour reports an hour. Forward is accepted but nothing is
// forwarded (Rounds does not federate yet).
func (s *Service) Report(ctx context.Context, actor account.Actor, in NewReport) (*Report, error) {
	reporter := actor.User
	if reporter == nil {
		return nil, errs.Unauthorized("Sign in first.")
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	if in.TargetID == reporter.ID {
		return nil, errs.Invalid("account_id", "You cannot report yourself.")
	}
	target, err := s.accounts.UserByID(ctx, in.TargetID)
	if err != nil {
		return nil, err
	}
	if target.Suspended {
		return nil, errs.NotFound("No such account.")
	}
	if err := s.checkStatuses(ctx, reporter, target, in.StatusIDs); err != nil {
		return nil, err
	}
	r := &Report{ID: s.ids.Next(), ReporterID: reporter.ID, TargetID: target.ID, StatusIDs: in.StatusIDs,
		Category: in.Category, Comment: in.Comment, State: Open, CreatedAt: s.now().UTC()}
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		// Serialize one reporter's reports so that parallel requests cannot all pass the count.
		if err := s.db.Lock(ctx, "reports:"+strconv.FormatInt(reporter.ID, 10)); err != nil {
			return err
		}
		if err := s.checkRate(ctx, reporter.ID); err != nil {
			return err
		}
		if err := s.st.insertReport(ctx, r); err != nil {
			return err
		}
		for _, sid := range r.StatusIDs {
			if err := s.st.addStatus(ctx, r.ID, sid); err != nil {
				return err
			}
		}
		// The comment stays out of the log: it may describe a patient.
		return s.audit.Append(ctx, event(reporter, "moderation.report", fmt.Sprintf("user:%d", target.ID), audit.Success,
			fmt.Sprintf("%s category=%s statuses=%d", reportTarget(r.ID), r.Category, len(r.StatusIDs))))
	})
	if err != nil {
		return nil, internal(err, "save report")
	}
	return r, nil
}

// checkStatuses refuses posts that are not the target's or that the
// reporter cannot read: a report must not reveal that a post exists.
func (s *Service) checkStatuses(ctx context.Context, reporter, target *account.User, ids []int64) error {
	for _, sid := range ids {
		st, err := s.social.Status(ctx, social.Viewer{ID: reporter.ID}, sid)
		if errs.Is(err, errs.KindNotFound) {
			return errs.Invalid("status_ids", fmt.Sprintf("Post %d does not exist or is not visible to you.", sid))
		}
		if err != nil {
			return err
		}
		if st.AccountID != target.ID {
			return errs.Invalid("status_ids", fmt.Sprintf("Post %d is not by @%s; report each account on its own.", sid, target.Username))
		}
	}
	return nil
}

func (s *Service) checkRate(ctx context.Context, reporterID int64) error {
	now := s.now()
	n, oldest, err := s.st.reportsSince(ctx, reporterID, now.Add(-rateWindow))
	if err != nil {
		return err
	}
	if n < ReportsPerHour {
		return nil
	}
	wait := max(oldest.Add(rateWindow).Sub(now), time.Second)
	return errs.TooMany(fmt.Sprintf("You have sent %d reports in the last hour, the most we accept; you can send another in %d minutes. "+
		"The moderators have your earlier reports.", n, int(wait.Minutes())+1), wait)
}

// moderator returns the acting moderator, or records the refusal in the audit log.
func (s *Service) moderator(ctx context.Context, actor account.Actor, action, target string) (*account.User, error) {
	u := actor.User
	if u == nil {
		return nil, errs.Unauthorized("Sign in first.")
	}
	if !u.IsModerator() {
		if err := s.audit.Append(ctx, event(u, action, target, audit.Denied, "not permitted")); err != nil {
			return nil, internal(err, "audit denial")
		}
		return nil, errs.Forbidden("Reports are handled by moderators and administrators.")
	}
	return u, nil
}

// Queue returns a page of reports with the accounts and posts they name,
// for moderators and administrators only. Each reading is audited, since
// reports hold private posts and what members say about others.
func (s *Service) Queue(ctx context.Context, actor account.Actor, f QueueFilter) ([]*Item, error) {
	mod, err := s.moderator(ctx, actor, "moderation.read_reports", "")
	if err != nil {
		return nil, err
	}
	limit := f.Limit
	if limit <= 0 {
		limit = DefaultQueueLimit
	}
	limit = min(limit, MaxQueueLimit)
	var rs []*Report
	switch f.State {
	case "", Open:
		f.State = Open
		rs, err = s.st.openReports(ctx, f.Cursor, limit)
	case Resolved:
		rs, err = s.st.resolvedReports(ctx, f.Cursor, limit)
	default:
		return nil, errs.Invalid("state", "Choose open or resolved reports.")
	}
	if err != nil {
		return nil, internal(err, "list reports")
	}
	items, err := s.items(ctx, mod, rs)
	if err != nil {
		return nil, err
	}
	detail := fmt.Sprintf("state=%s reports=%d", f.State, len(rs))
	if len(rs) > 0 {
		detail += fmt.Sprintf(" ids=%d..%d", rs[0].ID, rs[len(rs)-1].ID)
	}
	if err := s.audit.Append(ctx, event(mod, "moderation.read_reports", "", audit.Success, detail)); err != nil {
		return nil, internal(err, "audit queue read")
	}
	return items, nil
}

// items loads the people and posts the reports name.
func (s *Service) items(ctx context.Context, mod *account.User, rs []*Report) ([]*Item, error) {
	users := map[int64]*account.User{}
	user := func(id int64) (*account.User, error) {
		if id == 0 {
			return nil, nil
		}
		if u, ok := users[id]; ok {
			return u, nil
		}
		u, err := s.accounts.UserByID(ctx, id)
		users[id] = u
		return u, err
	}
	var statusIDs []int64
	for _, r := range rs {
		statusIDs = append(statusIDs, r.StatusIDs...)
	}
	sts, err := s.social.StatusesForModeration(ctx, mod, statusIDs)
	if err != nil {
		return nil, err
	}
	byID := map[int64]*social.Status{}
	for _, st := range sts {
		byID[st.ID] = st
	}
	out := make([]*Item, 0, len(rs))
	for _, r := range rs {
		it := &Item{Report: r}
		var err error
		if it.Reporter, err = user(r.ReporterID); err != nil {
			return nil, err
		}
		if it.Target, err = user(r.TargetID); err != nil {
			return nil, err
		}
		if it.ResolvedBy, err = user(r.ResolvedBy); err != nil && !errs.Is(err, errs.KindNotFound) {
			return nil, err
		}
		for _, sid := range r.StatusIDs {
			if st := byID[sid]; st != nil {
				it.Statuses = append(it.Statuses, st)
			}
		}
		out = append(out, it)
	}
	return out, nil
}

// auditAction names an action in the audit log.
func auditAction(k ActionKind) string {
	switch k {
	case Suspend:
		return "moderation.suspend_account"
	case Unsuspend:
		return "moderation.unsuspend_account"
	case Dismiss:
		return "moderation.dismiss_report"
	}
	return "moderation." + string(k)
}

// Act carries out a moderator's decision on a report and records it on the
// report: hide or restore the reported posts (or one of them), suspend or
// reinstate the account, or dismiss the report. A reason is required; the
// social and account services check the moderator's role again, make the
// change and audit it with the reason. Dismissing needs an open report;
// the other actions may follow an earlier one (hide, then suspend; or undo).
func (s *Service) Act(ctx context.Context, actor account.Actor, reportID int64, a Action) (*Report, error) {
	if !slices.Contains(ActionKinds, a.Kind) {
		return nil, errs.Invalid("action", "Choose an action: hide_status, restore_status, suspend, unsuspend or dismiss.")
	}
	mod, err := s.moderator(ctx, actor, auditAction(a.Kind), reportTarget(reportID))
	if err != nil {
		return nil, err
	}
	reason, err := account.ModerationReason(a.Reason)
	if err != nil {
		return nil, err
	}
	r, err := s.st.reportByID(ctx, reportID)
	if err != nil {
		return nil, internal(err, "load report")
	}
	if r == nil {
		return nil, errs.NotFound("No such report.")
	}
	if a.Kind == Dismiss && r.State != Open {
		return nil, errs.Conflict("", "This report is already resolved; reload the queue.")
	}
	// The change commits with its own audit record before the report is
	// updated, so that a refusal by the owning service (a moderator
	// suspending an administrator) stays in the log too.
	var done string
	switch a.Kind {
	case HideStatus, RestoreStatus:
		var ids []int64
		ids, err = s.setHidden(ctx, mod, r, a.StatusID, a.Kind == HideStatus, reason)
		done = "status:" + joinIDs(ids)
	case Suspend, Unsuspend:
		err = s.accounts.SetSuspended(ctx, account.Actor{User: mod, Via: actor.Via}, r.TargetID, a.Kind == Suspend, reason)
		done = fmt.Sprintf("user:%d", r.TargetID)
	}
	if err != nil {
		return nil, err
	}
	return s.resolve(ctx, mod, r, a.Kind, reason, done)
}

// resolve records the action on the report, with its audit record.
func (s *Service) resolve(ctx context.Context, mod *account.User, r *Report, how ActionKind, reason, done string) (*Report, error) {
	now := s.now().UTC()
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		resolve := s.st.resolve
		if how == Dismiss {
			resolve = s.st.resolveOpen
		}
		changed, err := resolve(ctx, r.ID, how, reason, mod.ID, now)
		if err != nil {
			return err
		}
		if !changed {
			return errs.Conflict("", "Another moderator resolved this report a moment ago; reload the queue.")
		}
		if how == Dismiss {
			return s.audit.Append(ctx, event(mod, auditAction(how), reportTarget(r.ID), audit.Success, "reason: "+reason))
		}
		return s.audit.Append(ctx, event(mod, "moderation.resolve_report", reportTarget(r.ID), audit.Success,
			fmt.Sprintf("%s %s", how, done)))
	})
	if err != nil {
		return nil, internal(err, "resolve report")
	}
	r.State, r.Resolution, r.ResolutionReason, r.ResolvedBy, r.ResolvedAt = Resolved, how, reason, mod.ID, now
	return r, nil
}

// setHidden hides or restores one of the report's posts, or all of them
// (those not already so), and returns the ones it changed.
func (s *Service) setHidden(ctx context.Context, mod *account.User, r *Report, statusID int64, hidden bool, reason string) ([]int64, error) {
	ids := r.StatusIDs
	if statusID != 0 {
		if !slices.Contains(r.StatusIDs, statusID) {
			return nil, errs.Invalid("status_id", "This post is not part of the report.")
		}
		ids = []int64{statusID}
	}
	if len(ids) == 0 {
		return nil, errs.Invalid("action", "This report names no posts: suspend the account or dismiss the report.")
	}
	if len(ids) > 1 {
		sts, err := s.social.StatusesForModeration(ctx, mod, ids)
		if err != nil {
			return nil, err
		}
		ids = nil
		for _, st := range sts {
			if st.Hidden != hidden && st.DeletedAt.IsZero() {
				ids = append(ids, st.ID)
			}
		}
		if len(ids) == 0 {
			state := "visible"
			if hidden {
				state = "hidden"
			}
			return nil, errs.Conflict("", "The reported posts are already "+state+" (or deleted by their author).")
		}
	}
	for _, sid := range ids {
		if _, err := s.social.SetHidden(ctx, mod, sid, hidden, reason); err != nil {
			return nil, err
		}
	}
	return ids, nil
}

func joinIDs(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, ",")
}
