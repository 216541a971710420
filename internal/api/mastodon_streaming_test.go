package api_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mattn/go-mastodon"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/notify"
	"github.com/rounds-health/rounds/internal/testkit"
)

// nextEvent waits for the next event of interest on a go-mastodon stream,
// passing over the client's own reconnection notices.
func nextEvent(t *testing.T, events chan mastodon.Event) mastodon.Event {
	t.Helper()
	timeout := time.After(5 * time.Second)
	for {
		select {
		case e, ok := <-events:
			if !ok {
				t.Fatal("the stream ended")
			}
			if _, isErr := e.(*mastodon.ErrorEvent); !isErr {
				return e
			}
		case <-timeout:
			t.Fatal("no event within 5 s")
		}
	}
}

func describe(e mastodon.Event) string {
	switch e := e.(type) {
	case *mastodon.UpdateEvent:
		return "update " + string(e.Status.ID)
	case *mastodon.NotificationEvent:
		s := "notification " + e.Notification.Type + " from " + e.Notification.Account.Username
		if e.Notification.Status != nil {
			s += " on " + string(e.Notification.Status.ID)
		}
		return s
	case *mastodon.DeleteEvent:
		return "delete " + string(e.ID)
	}
	return fmt.Sprintf("%T", e)
}

func expectEvent(t *testing.T, who string, events chan mastodon.Event, want string) {
	t.Helper()
	if got := describe(nextEvent(t, events)); got != want {
		t.Fatalf("%s's stream: %q; want %q", who, got, want)
	}
}

// TestGoMastodon_NotificationsAndStreaming drives notifications and both
// streaming transports through github.com/mattn/go-mastodon: the doctor
// listens over server-sent events (StreamingUser), the patient over the
// WebSocket (StreamingWSUser); both see new statuses and notifications live,
// and the doctor reads them back with GetNotifications.
func TestGoMastodon_NotificationsAndStreaming(t *testing.T) {
	srv := testkit.Start(t)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	client := func(name string) (*mastodon.Client, mastodon.ID) {
		p := testkit.NewPerson(t, srv.Accounts, name, account.Clinician)
		token, err := srv.Accounts.IssueToken(ctx, account.CLI, name, "read write follow")
		if err != nil {
			t.Fatal(err)
		}
		return mastodon.NewClient(&mastodon.Config{Server: srv.URL, AccessToken: token}), mastodon.ID(fmt.Sprint(p.User.ID))
	}
	doc, docID := client("dr_live")
	fan, fanID := client("live_fan")

	sse, err := doc.StreamingUser(ctx)
	if err != nil {
		t.Fatal(err)
	}
	waitActive(t, srv, notify.UserStream(mustInt(t, docID)))
	ws, err := fan.NewWSClient().StreamingWSUser(ctx)
	if err != nil {
		t.Fatal(err)
	}
	waitActive(t, srv, notify.UserStream(mustInt(t, fanID)))

	if _, err := fan.AccountFollow(ctx, docID); err != nil {
		t.Fatal(err)
	}
	expectEvent(t, "doc (SSE)", sse, "notification follow from live_fan")
	post, err := doc.PostStatus(ctx, &mastodon.Toot{Status: "Flu shots are in. #vaccines", Visibility: "public"})
	if err != nil {
		t.Fatal(err)
	}
	expectEvent(t, "doc (SSE)", sse, "update "+string(post.ID))
	expectEvent(t, "fan (WebSocket)", ws, "update "+string(post.ID))

	reply, err := fan.PostStatus(ctx, &mastodon.Toot{Status: "@dr_live Walk-ins too?", InReplyToID: post.ID, Visibility: "public"})
	if err != nil {
		t.Fatal(err)
	}
	expectEvent(t, "fan (WebSocket)", ws, "update "+string(reply.ID))
	expectEvent(t, "doc (SSE)", sse, "notification mention from live_fan on "+string(reply.ID))
	if _, err := fan.Favourite(ctx, post.ID); err != nil {
		t.Fatal(err)
	}
	expectEvent(t, "doc (SSE)", sse, "notification favourite from live_fan on "+string(post.ID))
	if _, err := doc.AccountFollow(ctx, fanID); err != nil {
		t.Fatal(err)
	}
	expectEvent(t, "fan (WebSocket)", ws, "notification follow from dr_live")

	ns, err := doc.GetNotifications(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, n := range ns {
		got = append(got, n.Type+" "+n.Account.Username)
	}
	if strings.Join(got, ", ") != "favourite live_fan, mention live_fan, follow live_fan" || ns[1].Status.ID != reply.ID {
		t.Fatalf("GetNotifications = %v", got)
	}
	if err := doc.DismissNotification(ctx, ns[0].ID); err != nil {
		t.Fatal(err)
	}
	if ns, err = doc.GetNotifications(ctx, nil); err != nil || len(ns) != 2 {
		t.Fatalf("after dismissing one: %d, %v", len(ns), err)
	}

	if err := doc.DeleteStatus(ctx, post.ID); err != nil {
		t.Fatal(err)
	}
	expectEvent(t, "fan (WebSocket)", ws, "delete "+string(post.ID))
	if err := doc.ClearNotifications(ctx); err != nil {
		t.Fatal(err)
	}
	if ns, err = doc.GetNotifications(ctx, nil); err != nil || len(ns) != 0 {
		t.Fatalf("after clearing: %d, %v", len(ns), err)
	}
}

func mustInt(t *testing.T, id mastodon.ID) int64 {
	t.Helper()
	var n int64
	if _, err := fmt.Sscan(string(id), &n); err != nil {
		t.Fatal(err)
	}
	return n
}
