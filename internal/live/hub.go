package live

import (
	"context"
	"errors"
	"strings"
	"sync"
)

// DefaultBuffer is how many messages a subscriber may have waiting before it
// is dropped as too slow.
const DefaultBuffer = 256

// errUnsubscribed marks a subscription its owner closed; Err reports nil.
var errUnsubscribed = errors.New("live: unsubscribed")

// Hub is the in-process Broker: one server's subscribers, in memory.
// Its zero value is not usable; call NewHub.
type Hub struct {
	buffer int

	mu      sync.RWMutex
	streams map[string]map[*subscription]struct{}
	subs    map[*subscription]struct{} // all of them, including those with no stream yet
	closed  bool
}

var _ Broker = (*Hub)(nil)

// NewHub returns a hub whose subscribers may fall buffer messages behind
// (DefaultBuffer if buffer < 1) before they are dropped.
func NewHub(buffer int) *Hub {
	if buffer < 1 {
		buffer = DefaultBuffer
	}
	return &Hub{buffer: buffer, streams: map[string]map[*subscription]struct{}{}, subs: map[*subscription]struct{}{}}
}

// subscription's streams and err are guarded by the hub's mutex; ch is
// closed only under the write lock, and sent on only under the read lock,
// so a send never meets a closed channel.
type subscription struct {
	hub     *Hub
	ch      chan Message
	streams map[string]struct{}
	err     error // set once, when the subscription ends
	stop    func() bool
}

// Publish delivers m to every subscriber of m.Stream that has room for it
// and drops those that do not.
func (h *Hub) Publish(_ context.Context, m Message) error {
	var slow []*subscription
	h.mu.RLock()
	if h.closed {
		h.mu.RUnlock()
		return ErrClosed
	}
	for s := range h.streams[m.Stream] {
		select {
		case s.ch <- m:
		default:
			slow = append(slow, s)
		}
	}
	h.mu.RUnlock()
	for _, s := range slow {
		h.end(s, ErrSlow)
	}
	return nil
}

// Subscribe listens to streams until ctx ends or the subscription is closed.
func (h *Hub) Subscribe(ctx context.Context, streams ...string) (Subscription, error) {
	s := &subscription{hub: h, ch: make(chan Message, h.buffer), streams: map[string]struct{}{}}
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return nil, ErrClosed
	}
	h.subs[s] = struct{}{}
	h.addLocked(s, streams)
	h.mu.Unlock()
	s.stop = context.AfterFunc(ctx, func() { h.end(s, context.Cause(ctx)) })
	return s, nil
}

// Active lists the streams starting with prefix that have subscribers.
func (h *Hub) Active(_ context.Context, prefix string) ([]string, error) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	var out []string
	for name := range h.streams {
		if strings.HasPrefix(name, prefix) {
			out = append(out, name)
		}
	}
	return out, nil
}

// Close ends every subscription (their Err reports ErrClosed) and refuses
// new ones. The server calls it when it shuts down, so that open streams
// end instead of holding the shutdown up.
func (h *Hub) Close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	for s := range h.subs {
		h.endLocked(s, ErrClosed)
	}
}

func (h *Hub) addLocked(s *subscription, streams []string) {
	for _, name := range streams {
		subs := h.streams[name]
		if subs == nil {
			subs = map[*subscription]struct{}{}
			h.streams[name] = subs
		}
		subs[s] = struct{}{}
		s.streams[name] = struct{}{}
	}
}

func (h *Hub) removeLocked(s *subscription, name string) {
	if subs := h.streams[name]; subs != nil {
		delete(subs, s)
		if len(subs) == 0 {
			delete(h.streams, name)
		}
	}
	delete(s.streams, name)
}

func (h *Hub) end(s *subscription, err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.endLocked(s, err)
}

func (h *Hub) endLocked(s *subscription, err error) {
	if s.err != nil {
		return
	}
	if err == nil {
		err = context.Canceled
	}
	s.err = err
	for name := range s.streams {
		h.removeLocked(s, name)
	}
	delete(h.subs, s)
	close(s.ch)
}

func (s *subscription) C() <-chan Message { return s.ch }

func (s *subscription) Add(_ context.Context, streams ...string) error {
	s.hub.mu.Lock()
	defer s.hub.mu.Unlock()
	if s.err != nil {
		return s.err
	}
	s.hub.addLocked(s, streams)
	return nil
}

func (s *subscription) Remove(_ context.Context, streams ...string) error {
	s.hub.mu.Lock()
	defer s.hub.mu.Unlock()
	if s.err != nil {
		return s.err
	}
	for _, name := range streams {
		s.hub.removeLocked(s, name)
	}
	return nil
}

func (s *subscription) Err() error {
	s.hub.mu.RLock()
	defer s.hub.mu.RUnlock()
	return s.errLocked()
}

func (s *subscription) errLocked() error {
	if s.err == errUnsubscribed {
		return nil
	}
	return s.err
}

func (s *subscription) Close() {
	s.stop()
	s.hub.end(s, errUnsubscribed)
}
