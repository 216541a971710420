package social

import (
	"context"

	"github.com/rounds-health/rounds/internal/store"
)

// EventType names what happened on the graph or to a status.
type EventType string

const (
	EventStatus        EventType = "status"         // a new status (for timelines and streaming)
	EventMention       EventType = "mention"        // a status mentions Recipient
	EventReply         EventType = "reply"          // a reply to Recipient's status (Mastodon folds it into mention)
	EventFollow        EventType = "follow"         // Actor follows Recipient
	EventFollowRequest EventType = "follow_request" // Actor asked to follow Recipient
	EventFavourite     EventType = "favourite"      // Actor favourited Recipient's status
	EventReblog        EventType = "reblog"         // Actor shared Recipient's status
	EventDelete        EventType = "delete"         // a status was deleted
	EventUpdate        EventType = "update"         // a status was edited

	// Undoings: whatever told Recipient of the original act is withdrawn.
	EventUnfavourite      EventType = "unfavourite"       // Actor took back a favourite of Recipient's status
	EventUnreblog         EventType = "unreblog"          // Actor took back a share of Recipient's status
	EventRequestWithdrawn EventType = "request_withdrawn" // Actor withdrew a request to follow Recipient
	EventRequestRejected  EventType = "request_rejected"  // Actor rejected Recipient's request to follow them
)

// Event is what the social service tells its listeners after a change has
// committed: notifications, live timelines, search indexing. Listeners must
// apply visibility themselves when they show a status to someone.
type Event struct {
	Type      EventType
	ActorID   int64 // who did it
	Recipient int64 // whom it concerns (0 for EventStatus, EventDelete, EventUpdate)
	StatusID  int64
}

// Listener receives events. It runs after the change committed, in the
// request's goroutine, and must be quick (queue work, do not do it).
type Listener func(ctx context.Context, e Event)

// Listen adds a listener; call it while wiring, before serving.
func (s *Service) Listen(l Listener) { s.listeners = append(s.listeners, l) }

// emit tells the listeners once the change has committed: a status
// written inside a caller's transaction (a held draft released, a scheduled
// draft published) is only announced when readers can load it.
func (s *Service) emit(ctx context.Context, es ...Event) {
	store.AfterCommit(ctx, func(ctx context.Context) {
		for _, e := range es {
			for _, l := range s.listeners {
				l(ctx, e)
			}
		}
	})
}
