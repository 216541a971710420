// Package moderation owns reports: members tell the moderators about an
// account or some of its posts, and moderators work through the queue,
// each decision recorded on the report and, with its reason, in the audit
// log.
//
// It never writes another domain's tables: hiding a post goes through the
// social service and suspending an account through the account service,
// which check the moderator's role again and audit the change themselves.
// A report's comment is the reporter's own words and may describe a
// patient, so it is shown to moderators only and never enters the audit log.
package moderation

import (
	"slices"
	"time"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/social"
)

// Category says what is wrong, in Mastodon's terms plus Rounds' own.
type Category string

const (
	Spam      Category = "spam"
	Legal     Category = "legal"
	Violation Category = "violation" // breaks the instance's rules
	Other     Category = "other"
	PHI       Category = "phi" // discloses a patient's information (a Rounds addition)
)

// Categories lists them in the order forms show them.
var Categories = []Category{PHI, Spam, Violation, Legal, Other}

// Known reports whether c is a category.
func (c Category) Known() bool { return slices.Contains(Categories, c) }

// Label is the category's name for people.
func (c Category) Label() string {
	switch c {
	case PHI:
		return "Discloses patient information"
	case Spam:
		return "Spam"
	case Violation:
		return "Breaks the rules"
	case Legal:
		return "Illegal content"
	case Other:
		return "Something else"
	}
	return string(c)
}

// State is where a report is in the queue.
type State string

const (
	Open     State = "open"
	Resolved State = "resolved"
)

// ActionKind is what a moderator does about a report.
type ActionKind string

const (
	HideStatus    ActionKind = "hide_status"
	RestoreStatus ActionKind = "restore_status"
	Suspend       ActionKind = "suspend"
	Unsuspend     ActionKind = "unsuspend"
	Dismiss       ActionKind = "dismiss"
)

// ActionKinds lists every action.
var ActionKinds = []ActionKind{HideStatus, RestoreStatus, Suspend, Unsuspend, Dismiss}

// Label says what the action did, for people.
func (k ActionKind) Label() string {
	switch k {
	case HideStatus:
		return "posts hidden"
	case RestoreStatus:
		return "posts restored"
	case Suspend:
		return "account suspended"
	case Unsuspend:
		return "account reinstated"
	case Dismiss:
		return "dismissed"
	}
	return string(k)
}

// Limits of a report.
const (
	MaxCommentChars      = 1000 // as Mastodon
	MaxStatusesPerReport = 20
	ReportsPerHour       = 20 // per reporter
)

// Report is one member's report about an account.
type Report struct {
	ID               int64
	ReporterID       int64
	TargetID         int64
	StatusIDs        []int64
	Category         Category
	Comment          string
	Forward          bool // to the account's home server; always false until federation
	State            State
	Resolution       ActionKind // the latest action taken on it
	ResolutionReason string
	ResolvedBy       int64
	ResolvedAt       time.Time
	CreatedAt        time.Time
}

// NewReport is what a member submits.
type NewReport struct {
	TargetID  int64
	StatusIDs []int64
	Category  Category // Other when empty
	Comment   string
	Forward   bool // accepted for Mastodon clients; nothing is forwarded
}

// Action is a moderator's decision on a report.
type Action struct {
	Kind     ActionKind
	StatusID int64 // HideStatus, RestoreStatus: one of the report's statuses; 0 for all of them
	Reason   string
}

// QueueFilter selects reports for the queue.
type QueueFilter struct {
	State  State // Open (oldest first) when empty, or Resolved (newest first)
	Cursor int64 // the last report ID of the previous page
	Limit  int
}

// Queue page sizes.
const (
	DefaultQueueLimit = 20
	MaxQueueLimit     = 100
)

// Item is a report as the queue shows it to a moderator.
type Item struct {
	*Report
	Reporter   *account.User
	Target     *account.User
	ResolvedBy *account.User    // nil while open
	Statuses   []*social.Status // the reported statuses as they are now, hidden and deleted ones included
}
