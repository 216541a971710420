// Package publish is the one door every public word goes through: posts,
// replies, articles and their edits, whoever writes them and through
// whichever interface (web composer, Mastodon API). It decides whether the
// actor may publish, runs the compliance guard on the text, and only then
// asks the social service to store the status, auditing the attempt.
//
// The guard (internal/compliance over internal/guard) decides what blocks
// for whom; publish applies the decision. Blocked drafts are never stored as
// statuses: the caller keeps them, and the author may hand one to a
// compliance officer of their organization (holds.go), the only person who
// can release it.
package publish

import (
	"context"
	"fmt"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/audit"
	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/id"
	"github.com/rounds-health/rounds/internal/media"
	"github.com/rounds-health/rounds/internal/social"
	"github.com/rounds-health/rounds/internal/store"
)

// Finding is something the guard noticed in a text.
type Finding struct {
	Field         string // which text: status, spoiler_text, title, or media:<id> (alt text)
	Start, End    int    // byte offsets into that text
	Type          string // NAME, DATE, PHONE, CLAIM, PATIENT_RELATIONSHIP…
	Text          string // the words found
	Explanation   string // plain words for the author
	Blocking      bool   // for this author and context, publication must stop
	NeedsApproval bool   // an organization's policy may ask a compliance officer to approve
}

// Text is one public text to check.
type Text struct {
	Body      string
	Where     string   // post, reply, article, alt-text, profile, review-reply…
	Answering string   // the text this one replies to, if any
	Allowed   []string // public or authorized terms the text may contain (a patient story's signed name)
}

// Guard checks public words for an author: it finds, and decides for this
// author what blocks (clinicians and staff) and what only warns (patients).
type Guard interface {
	Check(ctx context.Context, author *account.User, t Text) ([]Finding, error)
}

// Service publishes statuses.
type Service struct {
	db       *store.DB
	ids      *id.Generator
	accounts *account.Service
	social   *social.Service
	media    *media.Service
	audit    *audit.Log
	guard    Guard
	officers Officers
	stories  Stories
}

// Deps are what publishing needs. Guard and Officers may be nil in tests
// of other packages: nothing is then checked, and nothing can be held.
type Deps struct {
	DB       *store.DB
	IDs      *id.Generator
	Accounts *account.Service
	Social   *social.Service
	Media    *media.Service
	Audit    *audit.Log
	Guard    Guard
	Officers Officers
	Stories  Stories // patients' testimonial authorizations; nil: patient stories cannot be published
}

// NewService wires publishing.
func NewService(d Deps) *Service {
	return &Service{db: d.DB, ids: d.IDs, accounts: d.Accounts, social: d.Social, media: d.Media, audit: d.Audit,
		guard: d.Guard, officers: d.Officers, stories: d.Stories}
}

// Result is a published status and the non-blocking findings to show the author.
type Result struct {
	Status   *social.Status
	Warnings []Finding
}

// BlockedError lists the findings that stopped a publication; the draft is
// not stored as a status (the caller keeps it).
type BlockedError struct{ Findings []Finding }

func (e *BlockedError) Error() string {
	return fmt.Sprintf("publication blocked: %d finding(s)", len(e.Findings))
}

// check runs the guard on every text of the draft.
func (s *Service) check(ctx context.Context, author *account.User, in social.NewStatus, where string) ([]Finding, error) {
	return s.checkWith(ctx, author, in, where, nil)
}

// checkWith is check with terms the author may use beyond their own public
// ones (what a patient authorized).
func (s *Service) checkWith(ctx context.Context, author *account.User, in social.NewStatus, where string, allowed []string) ([]Finding, error) {
	if s.guard == nil {
		return nil, nil
	}
	answering, err := s.answering(ctx, author, in)
	if err != nil {
		return nil, err
	}
	var all []Finding
	run := func(field, body, where string) error {
		if body == "" {
			return nil
		}
		fs, err := s.guard.Check(ctx, author, Text{Body: body, Where: where, Answering: answering, Allowed: allowed})
		if err != nil {
			return errs.Internal(err, "guard")
		}
		for i := range fs {
			fs[i].Field = field
		}
		all = append(all, fs...)
		return nil
	}
	for _, t := range []struct{ field, body string }{{"title", in.Title}, {"spoiler_text", in.Summary}, {"status", in.Text}} {
		if err := run(t.field, t.body, where); err != nil {
			return nil, err
		}
	}
	// Alt text is public words too.
	if len(in.MediaIDs) > 0 {
		images, err := s.media.ForAttach(ctx, author, in.MediaIDs)
		if err != nil {
			return nil, err
		}
		for _, img := range images {
			if err := run(fmt.Sprintf("media:%d", img.ID), img.Description, "alt-text"); err != nil {
				return nil, err
			}
		}
	}
	return all, nil
}

// answering is the text a reply answers, so that the guard can tell a reply
// that repeats the details of what it answers. Unreadable parents give "".
func (s *Service) answering(ctx context.Context, author *account.User, in social.NewStatus) (string, error) {
	if in.InReplyToID == 0 {
		return "", nil
	}
	parent, err := s.social.Status(ctx, social.Viewer{ID: author.ID}, in.InReplyToID)
	if err != nil {
		if errs.As(err) != nil && errs.As(err).Kind == errs.KindNotFound {
			return "", nil // CreateStatus gives the specific error
		}
		return "", err
	}
	return parent.Source, nil
}

// Check runs the guard on a draft without publishing anything: the
// composer's "Check" button, and the warnings a patient confirms.
func (s *Service) Check(ctx context.Context, actor account.Actor, in social.NewStatus) ([]Finding, error) {
	if actor.User == nil {
		return nil, errs.Unauthorized("Sign in first.")
	}
	return s.check(ctx, actor.User, in, where(in))
}

func split(fs []Finding) (blocking, warnings []Finding) {
	for _, f := range fs {
		if f.Blocking {
			blocking = append(blocking, f)
		} else {
			warnings = append(warnings, f)
		}
	}
	return blocking, warnings
}

func where(in social.NewStatus) string {
	switch {
	case in.Kind == social.Article:
		return "article"
	case in.InReplyToID != 0:
		return "reply"
	}
	return "post"
}

// Submit publishes a new status by the actor.
func (s *Service) Submit(ctx context.Context, actor account.Actor, in social.NewStatus) (*Result, error) {
	u := actor.User
	if u == nil {
		return nil, errs.Unauthorized("Sign in first.")
	}
	if u.Suspended {
		return nil, errs.Forbidden("This account is suspended.")
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	findings, err := s.check(ctx, u, in, where(in))
	if err != nil {
		return nil, err
	}
	blocking, warnings := split(findings)
	if len(blocking) > 0 {
		_ = s.audit.Append(ctx, audit.Event{ActorID: u.ID, Actor: u.Username, Action: "publish.blocked",
			Outcome: audit.Denied, Detail: fmt.Sprintf("%d blocking finding(s) in a %s", len(blocking), where(in))})
		return nil, &BlockedError{Findings: blocking}
	}
	st, err := s.social.CreateStatus(ctx, u, in)
	if err != nil {
		return nil, err
	}
	return &Result{Status: st, Warnings: warnings}, nil
}

// Edit replaces the text of the actor's status, through the guard again.
func (s *Service) Edit(ctx context.Context, actor account.Actor, id int64, in social.NewStatus) (*Result, error) {
	u := actor.User
	if u == nil {
		return nil, errs.Unauthorized("Sign in first.")
	}
	old, err := s.social.Status(ctx, social.Viewer{ID: u.ID}, id)
	if err != nil {
		return nil, err
	}
	in.InReplyToID = old.InReplyToID // the parent's text is what a reply answers
	if old.Kind == social.Article {
		in.Kind = social.Article
	}
	findings, err := s.check(ctx, u, in, where(in))
	if err != nil {
		return nil, err
	}
	blocking, warnings := split(findings)
	if len(blocking) > 0 {
		_ = s.audit.Append(ctx, audit.Event{ActorID: u.ID, Actor: u.Username, Action: "publish.blocked",
			Target: fmt.Sprintf("status:%d", id), Outcome: audit.Denied, Detail: fmt.Sprintf("%d blocking finding(s) in an edit", len(blocking))})
		return nil, &BlockedError{Findings: blocking}
	}
	st, err := s.social.EditStatus(ctx, u, id, in)
	if err != nil {
		return nil, err
	}
	return &Result{Status: st, Warnings: warnings}, nil
}
