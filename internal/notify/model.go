// Package notify owns notifications (someone followed you, asked to follow
// you, mentioned you, replied to you, favourited or shared your post; gone
// again when the favourite, share or request is taken back or refused) and
// the live fan-out of the social service's events to open streams: a new
// status to the home streams of the followers who may read it and to the
// public and hashtag streams, notifications to their recipient, deletions.
//
// It learns of changes only through social.Service.Listen and never reads
// the social tables: every visibility decision goes through the social
// service's own rule (Service.Status for a given viewer), at publish time
// and again when a message is delivered to a stream. It never notifies
// anyone of their own actions, nor of actions by accounts they block or
// mute, nor about a status they may not read.
package notify

import (
	"strconv"
	"strings"
	"time"

	"github.com/rounds-health/rounds/internal/social"
)

// Type is what a notification is about. The values are Mastodon's, plus
// Reply for a reply that does not mention its recipient (Mastodon clients
// always mention the author they reply to; the Mastodon API shows a Reply
// as a "mention", the way Mastodon itself would).
type Type string

const (
	Mention       Type = "mention"
	Reply         Type = "reply"
	Reblog        Type = "reblog"
	Favourite     Type = "favourite"
	Follow        Type = "follow"
	FollowRequest Type = "follow_request"
)

// Types lists every type, in the order a settings page would show them.
var Types = []Type{Mention, Reply, Reblog, Favourite, Follow, FollowRequest}

// Notification is one notification of one recipient.
type Notification struct {
	ID            int64
	AccountID     int64 // the recipient
	Type          Type
	FromAccountID int64
	StatusID      int64 // 0 for follows
	CreatedAt     time.Time
	Read          bool

	// Status is the status it is about, as the recipient may read it,
	// when loaded through List or Get.
	Status *social.Status
}

// Filter selects a page of notifications, as Mastodon's list does.
type Filter struct {
	MaxID, SinceID, MinID int64
	Limit                 int
	Types                 []Type // only these (Mention includes Reply)
	ExcludeTypes          []Type
	FromAccountID         int64
}

// Paging limits (Mastodon's, for notifications).
const (
	DefaultLimit = 40
	MaxLimit     = 80
)

// Cursor bounds the rows a page was cut from, before the rows the reader may
// no longer see were left out, so that the next page starts after them.
type Cursor struct {
	Newest, Oldest int64
}

// Events carried on live streams, with Mastodon's names. The message data
// is the decimal ID of the status or notification.
const (
	EventUpdate       = "update"        // a new status
	EventStatusUpdate = "status.update" // an edited status
	EventNotification = "notification"
	EventDelete       = "delete"
)

// Stream names on the live broker.
const (
	PublicStream = "public:local"
	userPrefix   = "user:"
	tagPrefix    = "hashtag:"
)

// UserStream is the stream of one account's home timeline and notifications.
func UserStream(accountID int64) string { return userPrefix + strconv.FormatInt(accountID, 10) }

// TagStream is the stream of the public statuses with a hashtag.
func TagStream(tag string) string {
	return tagPrefix + strings.ToLower(strings.TrimPrefix(strings.TrimSpace(tag), "#"))
}
