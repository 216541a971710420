// Package social owns the social graph and what people say on it: follows
// (with requests for locked accounts), blocks and mutes; statuses (posts,
// replies, shares, articles) with their edit history, mentions, hashtags
// and favourites; and the timelines built from them.
//
// It enforces visibility everywhere it returns a status: a blocked or
// unauthorized reader never gets one, whatever path they take. New public
// words reach it only through the publish service, which runs the
// compliance guard first; social itself never decides what may be said.
package social

import "time"

// Visibility is who may read a status.
type Visibility string

const (
	Public   Visibility = "public"   // anyone, and the public timeline
	Unlisted Visibility = "unlisted" // anyone, but not the public timeline
	Private  Visibility = "private"  // followers (Mastodon's "private")
	Members  Visibility = "members"  // signed-in members of this instance (a Rounds addition)
	Direct   Visibility = "direct"   // the mentioned accounts only
)

// Visibilities lists them, widest first.
var Visibilities = []Visibility{Public, Unlisted, Members, Private, Direct}

// Kind is a short post or a long-form article.
type Kind string

const (
	Note    Kind = "note"
	Article Kind = "article"
)

// Status is a post, reply, share (reblog) or article.
type Status struct {
	ID                 int64
	AccountID          int64
	Kind               Kind
	Title              string // articles
	Summary            string // content warning for notes, summary for articles
	Source             string // what the author typed
	Content            string // sanitized HTML
	Visibility         Visibility
	Sensitive          bool
	Language           string
	InReplyToID        int64
	InReplyToAccountID int64
	ReblogOfID         int64
	Reblog             *Status // the shared status, loaded for reblogs
	RepliesCount       int
	ReblogsCount       int
	FavouritesCount    int
	Hidden             bool // hidden by a moderator
	AuthorSuspended    bool // the author's account is suspended: nobody else reads it
	Mentions           []int64
	Tags               []string
	CreatedAt          time.Time
	EditedAt           time.Time
	DeletedAt          time.Time
}

// Edit is one earlier version of a status.
type Edit struct {
	Title, Summary, Source, Content string
	Sensitive                       bool
	CreatedAt                       time.Time
}

// Relationship is how the viewer and another account relate.
type Relationship struct {
	ID         int64
	Following  bool
	Requested  bool // the viewer asked to follow a locked account
	FollowedBy bool
	Blocking   bool
	BlockedBy  bool
	Muting     bool
}

// Page selects a slice of a timeline by ID, as Mastodon does: MaxID
// returns older than it, SinceID newer than it (newest first), MinID the
// ones just after it (oldest first, then returned newest first).
type Page struct {
	MaxID, SinceID, MinID int64
	Limit                 int
}

// Paging limits.
const (
	DefaultLimit = 20
	MaxLimit     = 40
)

// Viewer is who is reading: a member, or nobody (0).
type Viewer struct {
	ID int64
}
