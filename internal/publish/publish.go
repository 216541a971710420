// Package publish is the one door every public word goes through: posts,
// replies, articles and their edits, whoever writes them and through
// whichever interface (web composer, Mastodon API). It decides whether the
// actor may publish, runs the compliance guard on the text, and only then
// asks the social service to store the status, auditing the attempt.
//
// The guard arrives with the compliance issue; until then Guard is nil and
// nothing is blocked. The hook is here so that no write path can be added
// that skips it.
package publish

import (
	"context"
	"fmt"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/audit"
	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/media"
	"github.com/rounds-health/rounds/internal/social"
)

// Finding is something the guard noticed in a text.
type Finding struct {
	Start, End  int    // byte offsets into the text
	Type        string // NAME, DATE, PHONE, CLAIM, PATIENT_RELATIONSHIP…
	Explanation string // plain words for the author
	Blocking    bool   // for this author and context, publication must stop
}

// Guard checks public words. Context names where the text goes
// ("post", "reply", "article", "profile", "review-reply"…).
type Guard interface {
	Check(ctx context.Context, author *account.User, text, context string) ([]Finding, error)
}

// Service publishes statuses.
type Service struct {
	social *social.Service
	media  *media.Service
	audit  *audit.Log
	guard  Guard
}

// NewService wires publishing; guard may be nil until the compliance guard exists.
func NewService(s *social.Service, images *media.Service, log *audit.Log, guard Guard) *Service {
	return &Service{social: s, media: images, audit: log, guard: guard}
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
	if s.guard == nil {
		return nil, nil
	}
	var all []Finding
	for _, text := range []string{in.Title, in.Summary, in.Text} {
		if text == "" {
			continue
		}
		fs, err := s.guard.Check(ctx, author, text, where)
		if err != nil {
			return nil, errs.Internal(err, "guard")
		}
		all = append(all, fs...)
	}
	// Alt text is public words too.
	if len(in.MediaIDs) > 0 {
		images, err := s.media.ForAttach(ctx, author, in.MediaIDs)
		if err != nil {
			return nil, err
		}
		for _, img := range images {
			if img.Description == "" {
				continue
			}
			fs, err := s.guard.Check(ctx, author, img.Description, "alt-text")
			if err != nil {
				return nil, errs.Internal(err, "guard")
			}
			all = append(all, fs...)
		}
	}
	return all, nil
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
	findings, err := s.check(ctx, u, in, "edit")
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
