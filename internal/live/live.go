// Package live carries live events (a new status, a notification, a
// deletion) to the streams that are open right now: server-sent events and
// WebSocket connections. A stream is only a name ("user:42", "public:local",
// "hashtag:flu") and a message only an event name and opaque bytes; the
// package knows nothing of who may read what. Callers decide that before
// they publish, and again when they deliver.
//
// Delivery is best effort and at most once. A subscriber that does not keep
// up is dropped rather than waited for, so one slow client can never hold up
// a publisher or the other subscribers; its stream ends and the client
// reconnects, as streaming clients do.
//
// Callers depend on Broker, not on Hub, so that Redis pub/sub can take the
// in-process hub's place when several servers share the load.
package live

import (
	"context"
	"errors"
)

// Message is one event on one stream. Data is shared by every subscriber
// that receives the message and must not be modified.
type Message struct {
	Stream string // the stream it was published on
	Event  string // what happened, e.g. "update", "notification", "delete"
	Data   []byte
}

// Errors that end a subscription, reported by Subscription.Err.
var (
	ErrSlow   = errors.New("live: the subscriber fell behind and was dropped")
	ErrClosed = errors.New("live: the hub is closed")
)

// Broker is a publish/subscribe service for named streams.
type Broker interface {
	// Publish sends m to the current subscribers of m.Stream without
	// waiting for any of them. Nobody listening is not an error.
	Publish(ctx context.Context, m Message) error
	// Subscribe listens to streams until ctx ends or the subscription is
	// closed, whichever comes first.
	Subscribe(ctx context.Context, streams ...string) (Subscription, error)
	// Active lists the streams whose names start with prefix and that have
	// at least one subscriber, so that a publisher can skip the work of
	// preparing messages nobody would receive.
	Active(ctx context.Context, prefix string) ([]string, error)
}

// Subscription is one subscriber's view of the broker.
type Subscription interface {
	// C delivers the messages; it is closed when the subscription ends.
	C() <-chan Message
	// Add and Remove change the streams listened to.
	Add(ctx context.Context, streams ...string) error
	Remove(ctx context.Context, streams ...string) error
	// Err says why C was closed: nil after Close, ErrSlow, ErrClosed, or
	// the context's error.
	Err() error
	// Close ends the subscription; calling it again does nothing.
	Close()
}
