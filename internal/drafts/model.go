// Package drafts is the publishing workflow of organizations: a
// social-media specialist (or an owner) prepares a post for the
// organization or for a clinician affiliated with it; every edit is a new
// version, kept forever with what the guard found in it; the draft passes
// the organization's approval steps (the clinician it speaks for,
// compliance officers; "any" or "all" of them per step), whose people
// comment, request changes, approve, reject, or — compliance officers only —
// release what the guard blocked, each decision recorded on the exact
// version it was made on; an edit voids the approvals. A scheduled draft is
// published by a job at its time through the publish service, with its
// attribution ("Prepared by Sam Lee, approved by Dr. Ada Quill"), and only
// if its approval was complete by then: otherwise it waits for a new time.
//
// It is the only writer of its tables. It never publishes anything the
// guard blocks unless a compliance officer released those very findings,
// never lets anyone approve a draft they wrote, and audits every step with
// the organization as on-behalf-of, never with the draft's words.
package drafts

import (
	"strconv"
	"time"

	"github.com/rounds-health/rounds/internal/publish"
	"github.com/rounds-health/rounds/internal/social"
)

// State is where a draft stands in review.
type State string

const (
	InReview         State = "in_review"         // waiting for approvals
	ChangesRequested State = "changes_requested" // an approver asked for changes to the current version
	Approved         State = "approved"          // every step approved the current version
	Published        State = "published"
	Rejected         State = "rejected"  // an approver refused it; final
	Withdrawn        State = "withdrawn" // its staff gave it up; final
)

// Open reports whether the draft can still change and be published.
func (s State) Open() bool { return s == InReview || s == ChangesRequested || s == Approved }

// Schedule is where a draft stands on its publication time.
type Schedule string

const (
	NotScheduled Schedule = "none"
	Scheduled    Schedule = "scheduled"
	NeedsNewTime Schedule = "needs_new_time" // its time came and it could not be published
)

// Approver is who approves a step.
type Approver string

const (
	ByClinician  Approver = "clinician"  // the clinician the draft speaks for
	ByCompliance Approver = "compliance" // the organization's compliance officers
)

// Rule is how many of a step's approvers must approve.
type Rule string

const (
	Any Rule = "any"
	All Rule = "all"
)

// Step is one approval step of an organization.
type Step struct {
	Approver Approver
	Rule     Rule
}

// DefaultSteps apply to organizations that configured none.
var DefaultSteps = []Step{{ByClinician, Any}, {ByCompliance, Any}}

// Kind is what a decision is.
type Kind string

const (
	Comment        Kind = "comment"
	RequestChanges Kind = "request_changes"
	Approve        Kind = "approve"
	Reject         Kind = "reject"
	Release        Kind = "release" // a compliance officer lets the version's blocking findings through
)

// Content is what a version says.
type Content struct {
	Kind        social.Kind       `json:"kind"`
	Title       string            `json:"title,omitempty"`
	SpoilerText string            `json:"spoiler_text,omitempty"`
	Text        string            `json:"text"`
	Visibility  social.Visibility `json:"visibility"`
	Sensitive   bool              `json:"sensitive,omitempty"`
	Language    string            `json:"language,omitempty"`
	// AuthorizationID marks a patient story: it relies on the patient's
	// signed testimonial authorization (internal/consent), checked when the
	// version is written and again when it is published.
	AuthorizationID int64 `json:"authorization_id,omitempty"`
}

// Status is the content as a status to publish.
func (c Content) Status() social.NewStatus {
	return social.NewStatus{Kind: c.Kind, Title: c.Title, Summary: c.SpoilerText, Text: c.Text, Visibility: c.Visibility,
		Sensitive: c.Sensitive, Language: c.Language}
}

// Person names someone in the workflow.
type Person struct {
	ID       int64
	Username string
	Name     string
}

// Org names the organization a draft is for or from.
type Org struct {
	ID   int64
	Slug string
	Name string
}

// Version is one version of a draft, as written.
type Version struct {
	DraftID   int64
	Number    int
	Author    Person
	Content   Content
	Findings  []publish.Finding // what the guard found, for the account that will publish it
	Blocking  int               // how many findings block publication
	CreatedAt time.Time
}

// Decision is a comment or a decision on one version.
type Decision struct {
	ID              int64
	DraftID         int64
	Version         int
	Actor           Person
	Kind            Kind
	Body            string
	VoidedAt        time.Time // set when an edit voided it
	VoidedByVersion int
	CreatedAt       time.Time
}

// Voided reports whether a later version voided the decision.
func (d Decision) Voided() bool { return !d.VoidedAt.IsZero() }

// Draft is a post in the workflow, with its current version.
type Draft struct {
	ID           int64
	Org          Org
	Author       Person  // who started it
	For          *Person // the clinician it speaks for; nil: the organization itself
	State        State
	Version      int
	Current      *Version
	ApprovedAt   time.Time
	Schedule     Schedule
	PublishAt    time.Time
	JobID        int64
	ScheduleNote string
	StatusID     int64
	CreatedAt    time.Time
	UpdatedAt    time.Time

	// Loaded by Get (not by lists).
	Decisions []Decision
	Progress  *Progress
}

// StepProgress is where one step stands on the current version.
type StepProgress struct {
	Position   int
	Step       Step
	Applies    bool     // false for the clinician step of an organization's own draft
	Satisfied  bool     // does not apply, or its rule is met
	ApprovedBy []Person // who approved the current version for it
	WaitingFor []Person // who could still approve it

	eligible []int64 // who may approve it (its approvers, less the draft's authors)
}

// Progress is where the current version stands on every step.
type Progress struct {
	Steps            []StepProgress
	ChangesRequested bool
	Blocked          bool // blocking findings that no compliance officer released
	Released         bool // a compliance officer released the blocking findings
	Approved         bool // every step satisfied, no changes requested, nothing blocked

	latest map[int64]Kind // each person's latest approval or request for changes on the current version
}

// Waiting names the first step that is not satisfied, for messages.
func (p *Progress) Waiting() string {
	if p.Blocked {
		return "the guard's blocking findings (fix them, or ask a compliance officer to release them)"
	}
	for _, s := range p.Steps {
		if !s.Satisfied {
			return stepLabel(s.Position, s.Step)
		}
	}
	if p.ChangesRequested {
		return "the changes an approver requested"
	}
	return ""
}

func stepLabel(pos int, s Step) string {
	who := "the clinician"
	if s.Approver == ByCompliance {
		who = "any compliance officer"
		if s.Rule == All {
			who = "every compliance officer"
		}
	}
	return "step " + strconv.Itoa(pos) + " (" + who + ")"
}

// Attribution says who prepared and who approved a published status.
type Attribution struct {
	StatusID   int64
	DraftID    int64
	Version    int
	PreparedBy Person
	ApprovedBy []Person // the clinician it speaks for, named in public
	OnBehalfOf Org
	Text       string // "Prepared by Sam Lee, approved by Dr. Ada Quill"
	CreatedAt  time.Time
}

// Filter selects drafts for a list.
type Filter struct {
	OrgID int64
	State State
}
