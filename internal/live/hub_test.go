package live_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/rounds-health/rounds/internal/live"
)

func receive(t *testing.T, s live.Subscription) live.Message {
	t.Helper()
	select {
	case m, ok := <-s.C():
		if !ok {
			t.Fatalf("the subscription ended: %v", s.Err())
		}
		return m
	case <-time.After(2 * time.Second):
		t.Fatal("no message within 2 s")
	}
	return live.Message{}
}

func nothingWaiting(t *testing.T, s live.Subscription) {
	t.Helper()
	select {
	case m := <-s.C():
		t.Fatalf("unexpected message %+v", m)
	default:
	}
}

func TestHub_DeliversOnlyTheStreamsSubscribedTo(t *testing.T) {
	h := live.NewHub(8)
	ctx := t.Context()
	alice, _ := h.Subscribe(ctx, "user:1", "public:local")
	bob, _ := h.Subscribe(ctx, "user:2")
	_ = h.Publish(ctx, live.Message{Stream: "user:1", Event: "notification", Data: []byte("7")})
	_ = h.Publish(ctx, live.Message{Stream: "public:local", Event: "update", Data: []byte("8")})
	_ = h.Publish(ctx, live.Message{Stream: "hashtag:flu", Event: "update", Data: []byte("9")})
	if m := receive(t, alice); m.Stream != "user:1" || m.Event != "notification" || string(m.Data) != "7" {
		t.Fatalf("first message = %+v", m)
	}
	if m := receive(t, alice); m.Stream != "public:local" || string(m.Data) != "8" {
		t.Fatalf("second message = %+v", m)
	}
	nothingWaiting(t, alice)
	nothingWaiting(t, bob)
}

func TestHub_SlowSubscriberIsDroppedAndNeverBlocksPublishers(t *testing.T) {
	h := live.NewHub(2)
	ctx := t.Context()
	slow, _ := h.Subscribe(ctx, "public:local")
	fast, _ := h.Subscribe(ctx, "public:local")
	publish := func(i int) {
		_ = h.Publish(ctx, live.Message{Stream: "public:local", Event: "update", Data: fmt.Appendf(nil, "%d", i)})
	}
	for i := range 2 {
		publish(i)
		receive(t, fast) // fast keeps up with these; slow never reads
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 2; i < 10; i++ {
			publish(i)
		}
	}()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		t.Fatal("Publish waited for a slow subscriber")
	}
	n := 0
	for range slow.C() {
		n++
	}
	if n != 2 || !errors.Is(slow.Err(), live.ErrSlow) {
		t.Fatalf("the slow subscriber got %d messages and ended with %v; want its 2 buffered and ErrSlow", n, slow.Err())
	}
	if active, _ := h.Active(ctx, "public:"); len(active) != 0 {
		t.Fatalf("after both were dropped, active streams = %v", active)
	}
}

func TestHub_ContextEndUnsubscribes(t *testing.T) {
	h := live.NewHub(8)
	ctx, cancel := context.WithCancel(t.Context())
	s, _ := h.Subscribe(ctx, "user:1", "user:2")
	other, _ := h.Subscribe(t.Context(), "user:2", "hashtag:flu")
	active, _ := h.Active(t.Context(), "user:")
	slices.Sort(active)
	if !slices.Equal(active, []string{"user:1", "user:2"}) {
		t.Fatalf("active user streams = %v", active)
	}
	cancel()
	if _, ok := <-s.C(); ok || !errors.Is(s.Err(), context.Canceled) {
		t.Fatalf("after cancel the channel is open or Err = %v", s.Err())
	}
	active, _ = h.Active(t.Context(), "user:")
	if !slices.Equal(active, []string{"user:2"}) {
		t.Fatalf("after cancel, active user streams = %v; want user:2 only", active)
	}
	if err := s.Add(t.Context(), "user:3"); err == nil {
		t.Fatal("Add on an ended subscription succeeded")
	}
	other.Close()
	if other.Err() != nil {
		t.Fatalf("Err after Close = %v; want nil", other.Err())
	}
	if active, _ = h.Active(t.Context(), ""); len(active) != 0 {
		t.Fatalf("after Close, active = %v", active)
	}
}

func TestHub_AddAndRemoveStreams(t *testing.T) {
	h := live.NewHub(8)
	ctx := t.Context()
	s, _ := h.Subscribe(ctx)
	_ = s.Add(ctx, "hashtag:flu", "hashtag:rsv")
	_ = h.Publish(ctx, live.Message{Stream: "hashtag:rsv", Event: "update"})
	if m := receive(t, s); m.Stream != "hashtag:rsv" {
		t.Fatalf("message = %+v", m)
	}
	_ = s.Remove(ctx, "hashtag:rsv")
	_ = h.Publish(ctx, live.Message{Stream: "hashtag:rsv", Event: "update"})
	nothingWaiting(t, s)
	if active, _ := h.Active(ctx, "hashtag:"); !slices.Equal(active, []string{"hashtag:flu"}) {
		t.Fatalf("active = %v", active)
	}
}

func TestHub_CloseEndsEverySubscription(t *testing.T) {
	h := live.NewHub(8)
	a, _ := h.Subscribe(t.Context(), "user:1")
	b, _ := h.Subscribe(t.Context(), "user:1", "public:local")
	idle, _ := h.Subscribe(t.Context()) // no stream yet, as a WebSocket before its first subscribe
	h.Close()
	if err := idle.Add(t.Context(), "user:1"); !errors.Is(err, live.ErrClosed) {
		t.Fatalf("Add after Close = %v", err)
	}
	for i, s := range []live.Subscription{a, b, idle} {
		select {
		case _, ok := <-s.C():
			if ok || !errors.Is(s.Err(), live.ErrClosed) {
				t.Fatalf("subscription %d after Close: open channel or Err = %v", i, s.Err())
			}
		case <-time.After(time.Second):
			t.Fatalf("subscription %d still open after Close", i)
		}
	}
	if _, err := h.Subscribe(t.Context(), "user:1"); !errors.Is(err, live.ErrClosed) {
		t.Fatalf("Subscribe after Close = %v", err)
	}
	if err := h.Publish(t.Context(), live.Message{Stream: "user:1"}); !errors.Is(err, live.ErrClosed) {
		t.Fatalf("Publish after Close = %v", err)
	}
}

// TestHub_ConcurrentUse is for the race detector: publishers, subscribers
// coming and going, slow readers being dropped and Close, all at once.
func TestHub_ConcurrentUse(t *testing.T) {
	h := live.NewHub(4)
	ctx := t.Context()
	var wg sync.WaitGroup
	for p := range 4 {
		wg.Go(func() {
			for i := range 500 {
				_ = h.Publish(ctx, live.Message{Stream: fmt.Sprintf("user:%d", i%5), Event: "update", Data: []byte{byte(p)}})
				_, _ = h.Active(ctx, "user:")
			}
		})
	}
	for r := range 8 {
		wg.Go(func() {
			for i := range 50 {
				sctx, cancel := context.WithCancel(ctx)
				s, err := h.Subscribe(sctx, fmt.Sprintf("user:%d", (r+i)%5))
				if err != nil {
					cancel()
					return
				}
				_ = s.Add(ctx, "public:local")
				for range r % 3 { // some read, some never do and get dropped
					select {
					case <-s.C():
					default:
					}
				}
				_ = s.Remove(ctx, "public:local")
				if i%2 == 0 {
					s.Close()
				}
				cancel()
				_ = s.Err()
			}
		})
	}
	wg.Wait()
	h.Close()
}
