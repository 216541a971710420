package drafts

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/audit"
	"github.com/rounds-health/rounds/internal/directory"
	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/id"
	"github.com/rounds-health/rounds/internal/jobs"
	"github.com/rounds-health/rounds/internal/publish"
	"github.com/rounds-health/rounds/internal/social"
	"github.com/rounds-health/rounds/internal/store"
)

// Service is the only writer of the workflow's tables.
type Service struct {
	db       *store.DB
	st       draftStore
	ids      *id.Generator
	accounts *account.Service
	dir      *directory.Service
	pub      *publish.Service
	jobs     *jobs.Queue
	audit    *audit.Log
	log      *slog.Logger
	now      func() time.Time
}

// Deps are what the workflow needs.
type Deps struct {
	DB        *store.DB
	IDs       *id.Generator
	Accounts  *account.Service
	Directory *directory.Service
	Publish   *publish.Service
	Jobs      *jobs.Queue
	Audit     *audit.Log
	Log       *slog.Logger
}

// NewService wires the workflow. Register RunPublishJob with the queue
// under PublishJob.
func NewService(d Deps) *Service {
	return &Service{db: d.DB, st: draftStore{d.DB}, ids: d.IDs, accounts: d.Accounts, dir: d.Directory, pub: d.Publish,
		jobs: d.Jobs, audit: d.Audit, log: d.Log, now: time.Now}
}

// Limits.
const (
	MaxBody  = 2000 // characters in a comment or decision
	maxList  = 100
	maxAhead = 366 * 24 * time.Hour // how far ahead a publication may be scheduled
)

func internal(err error, what string) error {
	if err == nil || errs.As(err) != nil {
		return err
	}
	var r *refusal
	var u *unpublishable
	if errors.As(err, &r) || errors.As(err, &u) {
		return err
	}
	return errs.Internal(err, "%s", what)
}

var errNoDraft = errs.NotFound("No such draft, or it is not yours to see.")

// refusal is a client error that is also audited as denied; it travels out
// of the transaction it was found in, so that the record survives the
// rollback.
type refusal struct {
	err    error
	detail string // PHI-free
}

func (r *refusal) Error() string { return r.err.Error() }
func (r *refusal) Unwrap() error { return r.err }

func refuse(err error, detail string) error { return &refusal{err: err, detail: detail} }

// user is the signed-in, unsuspended actor.
func user(actor account.Actor) (*account.User, error) {
	if actor.User == nil {
		return nil, errs.Unauthorized("Sign in first.")
	}
	if actor.User.Suspended {
		return nil, errs.Forbidden("This account is suspended.")
	}
	return actor.User, nil
}

// event is an audit event by u (nil: the system, running a job) on a draft,
// on behalf of its organization.
func event(u *account.User, action string, d *Draft, outcome, detail string) audit.Event {
	e := audit.Event{Actor: "system", Action: action, Target: fmt.Sprintf("draft:%d", d.ID), OnBehalfOf: "org:" + d.Org.Slug,
		Outcome: outcome, Detail: detail}
	if u != nil {
		e.ActorID, e.Actor = u.ID, u.Username
	}
	return e
}

// finish audits a refusal found inside a transaction (after its rollback)
// and returns the client's error.
func (s *Service) finish(ctx context.Context, u *account.User, action string, d *Draft, err error) error {
	var r *refusal
	if errors.As(err, &r) {
		if d != nil {
			_ = s.audit.Append(ctx, event(u, action, d, audit.Denied, r.detail))
		}
		return r.err
	}
	return internal(err, action)
}

// access is what someone may do with one organization's drafts.
type access struct {
	role  directory.MemberRole
	isFor bool // the clinician the draft speaks for
}

func (a access) edit() bool { return a.role == directory.Owner || a.role == directory.SocialMedia }
func (a access) read() bool { return a.edit() || a.role == directory.Compliance || a.isFor }

func (s *Service) accessTo(ctx context.Context, u *account.User, d *Draft) (access, error) {
	role, err := s.dir.RoleIn(ctx, d.Org.ID, u.ID)
	if err != nil {
		return access{}, err
	}
	return access{role: role, isFor: d.For != nil && d.For.ID == u.ID}, nil
}

// NewDraft is what a specialist starts a draft with.
type NewDraft struct {
	OrgID   int64
	For     string // the clinician's username; "" for the organization itself
	Content Content
}

// normalize validates the content as a status would be, and refuses what is
// not a publication.
func (c *Content) normalize() error {
	ns := c.Status()
	if err := ns.Validate(); err != nil {
		return err
	}
	if ns.Visibility == social.Direct {
		return errs.Invalid("visibility", "A direct message is not a publication: choose public, unlisted, members or private.")
	}
	c.Kind, c.Title, c.SpoilerText, c.Text, c.Visibility = ns.Kind, ns.Title, ns.Summary, ns.Text, ns.Visibility
	return nil
}

// check runs the guard on content for the account that will publish it.
func (s *Service) check(ctx context.Context, publishAs *account.User, orgID int64, c Content) ([]publish.Finding, int, error) {
	fs, err := s.pub.CheckStory(ctx, publishAs, c.Status(), c.AuthorizationID, orgID)
	if err != nil {
		return nil, 0, err
	}
	blocking := 0
	for _, f := range fs {
		if f.Blocking {
			blocking++
		}
	}
	return fs, blocking, nil
}

// Create starts a draft: owners and social-media specialists of the
// organization, for the organization or for a clinician whose affiliation
// it confirmed. The guard runs on it at once; its findings are kept with
// the version.
func (s *Service) Create(ctx context.Context, actor account.Actor, in NewDraft) (*Draft, error) {
	u, err := user(actor)
	if err != nil {
		return nil, err
	}
	o, err := s.dir.OrganizationRecord(ctx, in.OrgID)
	if err != nil {
		return nil, err
	}
	if o == nil {
		return nil, errs.NotFound("No organization has this id.")
	}
	now := s.now().UTC()
	d := &Draft{ID: s.ids.Next(), Org: Org{ID: o.ID, Slug: o.Slug, Name: o.Name}, Author: person(u.ID, u.Username, u.DisplayName),
		State: InReview, Version: 1, Schedule: NotScheduled, CreatedAt: now, UpdatedAt: now}
	role, err := s.dir.RoleIn(ctx, o.ID, u.ID)
	if err != nil {
		return nil, err
	}
	if a := (access{role: role}); !a.edit() {
		_ = s.audit.Append(ctx, event(u, "draft.create", d, audit.Denied, "needs owner or social_media"))
		return nil, errs.Forbidden("Only the owners and social-media specialists of " + o.Name + " prepare its posts.")
	}
	publishAs := u
	if in.For != "" {
		if publishAs, err = s.clinicianFor(ctx, o, in.For); err != nil {
			return nil, err
		}
		p := person(publishAs.ID, publishAs.Username, publishAs.DisplayName)
		d.For = &p
	}
	if err := in.Content.normalize(); err != nil {
		return nil, err
	}
	findings, blocking, err := s.check(ctx, publishAs, in.OrgID, in.Content)
	if err != nil {
		return nil, err
	}
	v := &Version{DraftID: d.ID, Number: 1, Author: d.Author, Content: in.Content, Findings: findings, Blocking: blocking, CreatedAt: now}
	d.Current = v
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.st.insertDraft(ctx, d); err != nil {
			return err
		}
		if err := s.st.insertVersion(ctx, v); err != nil {
			return err
		}
		if err := s.settle(ctx, d, nil, map[int64]bool{u.ID: true}); err != nil {
			return err
		}
		return s.audit.Append(ctx, event(u, "draft.create", d, audit.Success, fmt.Sprintf("version 1 %s; %d finding(s), %d blocking",
			forWhom(d), len(findings), blocking)))
	})
	if err != nil {
		return nil, internal(err, "create draft")
	}
	return d, nil
}

func forWhom(d *Draft) string {
	if d.For == nil {
		return "for the organization"
	}
	return fmt.Sprintf("for user:%d", d.For.ID)
}

// clinicianFor finds the clinician a draft speaks for: an account with a
// clinician profile whose affiliation with o is confirmed.
func (s *Service) clinicianFor(ctx context.Context, o *directory.Organization, username string) (*account.User, error) {
	notAffiliated := errs.Invalid("for", "@"+username+" is not a clinician confirmed as affiliated with "+o.Name+
		"; its drafts speak for the organization or for its confirmed clinicians.")
	cu, err := s.accounts.UserByUsername(ctx, username)
	if errs.Is(err, errs.KindNotFound) {
		return nil, notAffiliated
	}
	if err != nil {
		return nil, err
	}
	c, err := s.dir.AffiliatedClinician(ctx, o.ID, cu.ID)
	if err != nil {
		return nil, err
	}
	if c == nil {
		return nil, notAffiliated
	}
	return cu, nil
}

// publisher is the account a draft is published from: the clinician it
// speaks for, or, for the organization's own posts, whoever wrote the
// version (staff act as themselves on behalf of the organization).
func (s *Service) publisher(ctx context.Context, d *Draft, versionAuthor int64) (*account.User, error) {
	if d.For != nil {
		return s.accounts.UserByID(ctx, d.For.ID)
	}
	return s.accounts.UserByID(ctx, versionAuthor)
}

// Edit saves new content as the next version. Every approval, request for
// changes and release of the versions before is voided (they stay in the
// history, marked); the draft is reviewed again. base is the version the
// editor started from (0: the current one); a draft changed since is
// refused rather than overwritten.
func (s *Service) Edit(ctx context.Context, actor account.Actor, draftID int64, base int, c Content) (*Draft, error) {
	u, err := user(actor)
	if err != nil {
		return nil, err
	}
	d, err := s.st.draft(ctx, draftID)
	if err != nil || d == nil {
		return nil, notFound(err)
	}
	a, err := s.accessTo(ctx, u, d)
	if err != nil {
		return nil, err
	}
	switch {
	case !a.read():
		return nil, errNoDraft
	case !a.edit():
		_ = s.audit.Append(ctx, event(u, "draft.edit", d, audit.Denied, "needs owner or social_media"))
		return nil, errs.Forbidden("Only the owners and social-media specialists of " + d.Org.Name + " edit its drafts; comment or request changes instead.")
	case !d.State.Open():
		return nil, errs.Conflict("", "This draft was "+string(d.State)+"; it cannot change any more.")
	}
	if err := c.normalize(); err != nil {
		return nil, err
	}
	if c == d.Current.Content {
		return nil, errs.Invalid("status", fmt.Sprintf("This is what version %d says already; change something first.", d.Version))
	}
	publishAs := u
	if d.For != nil {
		if publishAs, err = s.accounts.UserByID(ctx, d.For.ID); err != nil {
			return nil, err
		}
	}
	findings, blocking, err := s.check(ctx, publishAs, d.Org.ID, c)
	if err != nil {
		return nil, err
	}
	seen := d.Version
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		d, decisions, authors, err := s.locked(ctx, draftID)
		if err != nil {
			return err
		}
		if d.Version != seen || (base != 0 && base != d.Version) {
			from := base
			if from == 0 {
				from = seen
			}
			return errs.Conflict("version", fmt.Sprintf("The draft changed while you edited it: you started from version %d, and it is at version %d now. Read version %d and edit that.",
				from, d.Version, d.Version))
		}
		if !d.State.Open() {
			return errs.Conflict("", "This draft was "+string(d.State)+"; it cannot change any more.")
		}
		now := s.now().UTC()
		voided := 0
		for _, dec := range decisions {
			if !dec.Voided() && (dec.Kind == Approve || dec.Kind == RequestChanges || dec.Kind == Release) {
				voided++
			}
		}
		d.Version++
		v := &Version{DraftID: d.ID, Number: d.Version, Author: person(u.ID, u.Username, u.DisplayName), Content: c,
			Findings: findings, Blocking: blocking, CreatedAt: now}
		d.Current, d.UpdatedAt, authors[u.ID] = v, now, true
		if err := s.st.insertVersion(ctx, v); err != nil {
			return err
		}
		if err := s.st.voidDecisions(ctx, d.ID, d.Version, now); err != nil {
			return err
		}
		if err := s.settle(ctx, d, decisions, authors); err != nil {
			return err
		}
		return s.audit.Append(ctx, event(u, "draft.edit", d, audit.Success, fmt.Sprintf("version %d; %d decision(s) voided; %d finding(s), %d blocking",
			d.Version, voided, len(findings), blocking)))
	})
	if err != nil {
		return nil, s.finish(ctx, u, "draft.edit", d, err)
	}
	return s.get(ctx, draftID)
}

func notFound(err error) error {
	if err != nil {
		return internal(err, "load draft")
	}
	return errNoDraft
}

// locked takes the draft's lock inside the caller's transaction and loads
// it with its decisions and the people who wrote a version of it.
func (s *Service) locked(ctx context.Context, draftID int64) (*Draft, []Decision, map[int64]bool, error) {
	ok, err := s.st.lock(ctx, draftID)
	if err != nil {
		return nil, nil, nil, err
	}
	if !ok {
		return nil, nil, nil, errNoDraft
	}
	d, err := s.st.draft(ctx, draftID)
	if err != nil || d == nil {
		return nil, nil, nil, notFound(err)
	}
	decisions, err := s.st.decisions(ctx, draftID)
	if err != nil {
		return nil, nil, nil, err
	}
	authors, err := s.st.authors(ctx, draftID)
	if err != nil {
		return nil, nil, nil, err
	}
	return d, decisions, authors, nil
}

// settle recomputes the draft's review state from its decisions on the
// current version and saves the draft. approved_at records when the current
// version became fully approved: the scheduled publication compares it with
// its time.
func (s *Service) settle(ctx context.Context, d *Draft, decisions []Decision, authors map[int64]bool) error {
	if d.State.Open() {
		p, err := s.progress(ctx, d, decisions, authors)
		if err != nil {
			return err
		}
		was := d.State
		switch {
		case p.ChangesRequested:
			d.State = ChangesRequested
		case p.Approved:
			d.State = Approved
		default:
			d.State = InReview
		}
		if d.State == Approved && (was != Approved || d.ApprovedAt.IsZero()) {
			d.ApprovedAt = s.now().UTC()
		} else if d.State != Approved {
			d.ApprovedAt = time.Time{}
		}
		d.Progress = p
	}
	return s.st.save(ctx, d)
}

// Withdraw gives a draft up for good; its scheduled publication is cancelled.
func (s *Service) Withdraw(ctx context.Context, actor account.Actor, draftID int64) (*Draft, error) {
	u, err := user(actor)
	if err != nil {
		return nil, err
	}
	var d *Draft
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		var err error
		if d, _, _, err = s.locked(ctx, draftID); err != nil {
			return err
		}
		a, err := s.accessTo(ctx, u, d)
		if err != nil {
			return err
		}
		switch {
		case !a.read():
			return errNoDraft
		case !a.edit():
			return refuse(errs.Forbidden("Only the owners and social-media specialists of "+d.Org.Name+" withdraw its drafts; an approver rejects one instead."),
				"needs owner or social_media")
		case !d.State.Open():
			return errs.Conflict("", "This draft was "+string(d.State)+" already.")
		}
		if err := s.cancelSchedule(ctx, d); err != nil {
			return err
		}
		d.State, d.ApprovedAt, d.UpdatedAt = Withdrawn, time.Time{}, s.now().UTC()
		if err := s.st.save(ctx, d); err != nil {
			return err
		}
		return s.audit.Append(ctx, event(u, "draft.withdraw", d, audit.Success, fmt.Sprintf("at version %d", d.Version)))
	})
	if err != nil {
		return nil, s.finish(ctx, u, "draft.withdraw", d, err)
	}
	return s.get(ctx, draftID)
}

// Get returns a draft with its decisions and where it stands on every
// step, for its organization's staff and the clinician it speaks for. Each
// read is audited: drafts may hold what the guard stopped.
func (s *Service) Get(ctx context.Context, actor account.Actor, draftID int64) (*Draft, error) {
	u, err := user(actor)
	if err != nil {
		return nil, err
	}
	d, err := s.get(ctx, draftID)
	if err != nil {
		return nil, err
	}
	if err := s.mayRead(ctx, u, d); err != nil {
		return nil, err
	}
	if err := s.audit.Append(ctx, event(u, "draft.read", d, audit.Success, fmt.Sprintf("version %d", d.Version))); err != nil {
		return nil, err
	}
	return d, nil
}

// mayRead refuses, as if the draft did not exist, anyone who may not read it.
func (s *Service) mayRead(ctx context.Context, u *account.User, d *Draft) error {
	a, err := s.accessTo(ctx, u, d)
	if err != nil {
		return err
	}
	if !a.read() {
		return errNoDraft
	}
	return nil
}

// get loads a draft with its decisions and progress, without access checks.
func (s *Service) get(ctx context.Context, draftID int64) (*Draft, error) {
	d, err := s.st.draft(ctx, draftID)
	if err != nil || d == nil {
		return nil, notFound(err)
	}
	if d.Decisions, err = s.st.decisions(ctx, draftID); err != nil {
		return nil, internal(err, "load decisions")
	}
	authors, err := s.st.authors(ctx, draftID)
	if err != nil {
		return nil, internal(err, "load versions")
	}
	if d.State.Open() {
		if d.Progress, err = s.progress(ctx, d, d.Decisions, authors); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// Versions lists every version of a draft, oldest first, with the guard's
// findings on each.
func (s *Service) Versions(ctx context.Context, actor account.Actor, draftID int64) ([]*Version, error) {
	u, err := user(actor)
	if err != nil {
		return nil, err
	}
	d, err := s.st.draft(ctx, draftID)
	if err != nil || d == nil {
		return nil, notFound(err)
	}
	if err := s.mayRead(ctx, u, d); err != nil {
		return nil, err
	}
	vs, err := s.st.versions(ctx, "v.draft_id = ?", draftID)
	if err != nil {
		return nil, internal(err, "load versions")
	}
	if err := s.audit.Append(ctx, event(u, "draft.versions.read", d, audit.Success, fmt.Sprintf("%d version(s)", len(vs)))); err != nil {
		return nil, err
	}
	return vs, nil
}

// List returns the drafts the actor may read (newest first): those of the
// organizations where they are an owner, social-media specialist or
// compliance officer, and those that speak for them.
func (s *Service) List(ctx context.Context, actor account.Actor, f Filter) ([]*Draft, error) {
	u, err := user(actor)
	if err != nil {
		return nil, err
	}
	cond, args, err := s.readable(ctx, u)
	if err != nil {
		return nil, err
	}
	if f.OrgID != 0 {
		cond += " AND d.org_id = ?"
		args = append(args, f.OrgID)
	}
	if f.State != "" {
		cond += " AND d.state = ?"
		args = append(args, string(f.State))
	}
	list, err := s.st.drafts(ctx, cond, maxList, args...)
	if err != nil {
		return nil, internal(err, "list drafts")
	}
	if len(list) > 0 {
		if err := s.audit.Append(ctx, audit.Event{ActorID: u.ID, Actor: u.Username, Action: "drafts.read", Outcome: audit.Success,
			Detail: fmt.Sprintf("%d draft(s) listed", len(list))}); err != nil {
			return nil, err
		}
	}
	return list, nil
}

// readable is the SQL condition for the drafts u may read.
func (s *Service) readable(ctx context.Context, u *account.User) (string, []any, error) {
	orgs, roles, err := s.dir.MyOrganizations(ctx, account.Actor{User: u})
	if err != nil {
		return "", nil, err
	}
	cond, args := "(d.for_user_id = ?", []any{u.ID}
	for i, o := range orgs {
		if (access{role: roles[i]}).read() {
			cond += " OR d.org_id = ?"
			args = append(args, o.ID)
		}
	}
	return cond + ")", args, nil
}

// Attention lists what waits for the actor: drafts of organizations they
// prepare posts for that need them (changes requested, or a scheduled time
// that passed without publication), and drafts they could approve now.
// This is how authors learn that a scheduled post did not go out.
func (s *Service) Attention(ctx context.Context, actor account.Actor) (toFix, toReview []*Draft, err error) {
	u, err := user(actor)
	if err != nil {
		return nil, nil, err
	}
	orgs, roles, err := s.dir.MyOrganizations(ctx, account.Actor{User: u})
	if err != nil {
		return nil, nil, err
	}
	fixCond, fixArgs := "d.state IN ('in_review', 'changes_requested', 'approved') AND (d.state = 'changes_requested' OR d.schedule = 'needs_new_time') AND d.org_id IN (0", []any{}
	reviewCond, reviewArgs := "d.state IN ('in_review', 'changes_requested') AND (d.for_user_id = ? OR d.org_id IN (0", []any{u.ID}
	for i, o := range orgs {
		switch a := (access{role: roles[i]}); {
		case a.edit():
			fixCond += ", ?"
			fixArgs = append(fixArgs, o.ID)
		case a.role == directory.Compliance:
			reviewCond += ", ?"
			reviewArgs = append(reviewArgs, o.ID)
		}
	}
	if toFix, err = s.st.drafts(ctx, fixCond+")", maxList, fixArgs...); err != nil {
		return nil, nil, internal(err, "list drafts")
	}
	candidates, err := s.st.drafts(ctx, reviewCond+"))", maxList, reviewArgs...)
	if err != nil {
		return nil, nil, internal(err, "list drafts")
	}
	for _, d := range candidates {
		full, err := s.get(ctx, d.ID)
		if err != nil {
			return nil, nil, err
		}
		if full.Progress != nil && full.Progress.canApprove(u.ID) {
			toReview = append(toReview, full)
		}
	}
	if n := len(toFix) + len(toReview); n > 0 {
		if err := s.audit.Append(ctx, audit.Event{ActorID: u.ID, Actor: u.Username, Action: "drafts.read", Outcome: audit.Success,
			Detail: fmt.Sprintf("%d draft(s) waiting", n)}); err != nil {
			return nil, nil, err
		}
	}
	return toFix, toReview, nil
}
