package notify

import (
	"context"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/id"
	"github.com/rounds-health/rounds/internal/live"
	"github.com/rounds-health/rounds/internal/social"
	"github.com/rounds-health/rounds/internal/store"
)

// queueSize bounds the events waiting for the worker; past it, the writer's
// own goroutine does the work (slower for that writer, but nothing is lost).
const queueSize = 1024

// Service is the only writer of the notifications table and the publisher
// of the social service's events on the live broker.
type Service struct {
	st       notifyStore
	ids      *id.Generator
	accounts *account.Service
	social   *social.Service
	broker   live.Broker
	log      *slog.Logger
	now      func() time.Time

	mu      sync.RWMutex // guards running against the worker stopping
	running bool
	queue   chan social.Event
}

// NewService wires the notification service. Register its Listen method
// with the social service.
func NewService(db *store.DB, ids *id.Generator, accounts *account.Service, soc *social.Service, broker live.Broker,
	log *slog.Logger) *Service {
	return &Service{st: notifyStore{db}, ids: ids, accounts: accounts, social: soc, broker: broker, log: log, now: time.Now,
		queue: make(chan social.Event, queueSize)}
}

func internal(err error, what string) error {
	if err == nil || errs.As(err) != nil {
		return err
	}
	return errs.Internal(err, "%s", what)
}

var errNotFound = errs.NotFound("Record not found")

// Listen is the social.Listener. While Start's worker runs, events wait in
// its queue and the writer's request goes on at once; otherwise (command-line
// tools, or a full queue) the event is handled right here.
func (s *Service) Listen(ctx context.Context, e social.Event) {
	s.mu.RLock()
	if s.running {
		select {
		case s.queue <- e:
			s.mu.RUnlock()
			return
		default:
		}
	}
	s.mu.RUnlock()
	s.handle(context.WithoutCancel(ctx), e)
}

// Start handles queued events on a goroutine of its own, one at a time and in
// order, until ctx ends. The returned stop function ends the worker, handles
// the events still queued and returns once that is done, so call it before
// the database closes.
func (s *Service) Start(ctx context.Context) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	s.mu.Lock()
	s.running = true
	s.mu.Unlock()
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case e := <-s.queue:
				s.handle(ctx, e)
			case <-ctx.Done():
				s.mu.Lock()
				s.running = false
				s.mu.Unlock()
				for {
					select {
					case e := <-s.queue:
						s.handle(ctx, e)
					default:
						return
					}
				}
			}
		}
	}()
	return func() { cancel(); <-done }
}

// List returns a page of the recipient's notifications, newest first,
// leaving out those about statuses the recipient may no longer read and
// those from accounts blocked, muted or suspended since. The cursor bounds
// the page before they were left out.
func (s *Service) List(ctx context.Context, recipient *account.User, f Filter) ([]*Notification, Cursor, error) {
	if recipient == nil {
		return nil, Cursor{}, errs.Unauthorized("Sign in first.")
	}
	limit, err := limitOf(f.Limit)
	if err != nil {
		return nil, Cursor{}, err
	}
	var ok bool
	if f.Types, ok = known(f.Types); !ok {
		return nil, Cursor{}, nil // asked only for types that do not exist here
	}
	f.ExcludeTypes, _ = known(f.ExcludeTypes)
	rows, err := s.st.list(ctx, recipient.ID, f, limit)
	if err != nil {
		return nil, Cursor{}, internal(err, "list notifications")
	}
	var c Cursor
	if len(rows) > 0 {
		c = Cursor{Newest: rows[0].ID, Oldest: rows[len(rows)-1].ID}
	}
	out, err := s.readable(ctx, recipient.ID, rows)
	return out, c, err
}

func limitOf(n int) (int, error) {
	switch {
	case n < 0:
		return 0, errs.Invalid("limit", "limit must be a positive number.")
	case n == 0:
		return DefaultLimit, nil
	}
	return min(n, MaxLimit), nil
}

// known keeps the types that exist, adding Reply wherever Mention is, as
// the Mastodon API shows replies as mentions. ok is false when types were
// given and none of them exists.
func known(types []Type) (out []Type, ok bool) {
	for _, t := range types {
		if slices.Contains(Types, t) && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	if slices.Contains(out, Mention) && !slices.Contains(out, Reply) {
		out = append(out, Reply)
	}
	return out, len(types) == 0 || len(out) > 0
}

// Get returns one of the recipient's notifications.
func (s *Service) Get(ctx context.Context, recipient *account.User, id int64) (*Notification, error) {
	if recipient == nil {
		return nil, errs.Unauthorized("Sign in first.")
	}
	return s.get(ctx, recipient.ID, id)
}

func (s *Service) get(ctx context.Context, recipient, id int64) (*Notification, error) {
	n, err := s.st.byID(ctx, recipient, id)
	if err != nil {
		return nil, internal(err, "load notification")
	}
	if n == nil {
		return nil, errNotFound
	}
	list, err := s.readable(ctx, recipient, []*Notification{n})
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, errNotFound
	}
	return list[0], nil
}

// Dismiss removes one notification from the recipient's lists.
func (s *Service) Dismiss(ctx context.Context, recipient *account.User, id int64) error {
	if recipient == nil {
		return errs.Unauthorized("Sign in first.")
	}
	done, err := s.st.dismiss(ctx, recipient.ID, id)
	if err != nil {
		return internal(err, "dismiss notification")
	}
	if !done {
		return errNotFound
	}
	return nil
}

// Clear dismisses all of the recipient's notifications.
func (s *Service) Clear(ctx context.Context, recipient *account.User) error {
	if recipient == nil {
		return errs.Unauthorized("Sign in first.")
	}
	return internal(s.st.clear(ctx, recipient.ID), "clear notifications")
}

// UnreadCount is how many notifications the recipient has not marked read.
func (s *Service) UnreadCount(ctx context.Context, recipient *account.User) (int, error) {
	if recipient == nil {
		return 0, errs.Unauthorized("Sign in first.")
	}
	n, err := s.st.unread(ctx, recipient.ID)
	return n, internal(err, "count notifications")
}

// MarkRead marks the recipient's notifications up to and including upTo as read.
func (s *Service) MarkRead(ctx context.Context, recipient *account.User, upTo int64) error {
	if recipient == nil {
		return errs.Unauthorized("Sign in first.")
	}
	return internal(s.st.markRead(ctx, recipient.ID, upTo), "mark notifications read")
}

// readable keeps the notifications the recipient may still see, loading
// their statuses through the social visibility rule.
func (s *Service) readable(ctx context.Context, recipient int64, list []*Notification) ([]*Notification, error) {
	allowed := map[int64]bool{}
	var out []*Notification
	for _, n := range list {
		ok, seen := allowed[n.FromAccountID]
		if !seen {
			var err error
			if ok, err = s.accepts(ctx, recipient, n.FromAccountID); err != nil {
				return nil, err
			}
			allowed[n.FromAccountID] = ok
		}
		if !ok {
			continue
		}
		if n.StatusID != 0 {
			st, err := s.social.Status(ctx, social.Viewer{ID: recipient}, n.StatusID)
			if errs.Is(err, errs.KindNotFound) {
				continue
			}
			if err != nil {
				return nil, err
			}
			n.Status = st
		}
		out = append(out, n)
	}
	return out, nil
}

// accepts reports whether recipient hears from actor at all: neither blocks
// the other, the recipient does not mute the actor, and the actor is not
// suspended.
func (s *Service) accepts(ctx context.Context, recipient, actor int64) (bool, error) {
	rel, err := s.social.Relationship(ctx, recipient, actor)
	if err != nil {
		return false, err
	}
	if rel.Blocking || rel.BlockedBy || rel.Muting {
		return false, nil
	}
	u, err := s.accounts.UserByID(ctx, actor)
	if errs.Is(err, errs.KindNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return !u.Suspended, nil
}
