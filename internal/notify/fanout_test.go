package notify_test

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"testing"

	"github.com/rounds-health/rounds/internal/live"
	"github.com/rounds-health/rounds/internal/notify"
	"github.com/rounds-health/rounds/internal/social"
)

// reader is an open stream and the person reading it.
type reader struct {
	r      *rig
	viewer social.Viewer
	sub    live.Subscription
}

// open subscribes name's user stream plus any shared streams; "" reads anonymously.
func (r *rig) open(t *testing.T, name string, shared ...string) *reader {
	t.Helper()
	var v social.Viewer
	streams := shared
	if name != "" {
		v = social.Viewer{ID: r.users[name].ID}
		streams = append([]string{notify.UserStream(v.ID)}, shared...)
	}
	sub, err := r.hub.Subscribe(t.Context(), streams...)
	if err != nil {
		t.Fatal(err)
	}
	return &reader{r: r, viewer: v, sub: sub}
}

// got drains what has arrived and renders what the reader would be shown,
// as "stream event id" lines.
func (rd *reader) got(t *testing.T) []string {
	t.Helper()
	var out []string
	for {
		select {
		case m := <-rd.sub.C():
			d, ok, err := rd.r.notify.Deliver(context.Background(), rd.viewer, m)
			if err != nil {
				t.Fatal(err)
			}
			if !ok {
				continue
			}
			stream := m.Stream
			if stream == notify.UserStream(rd.viewer.ID) {
				stream = "user"
			}
			var id int64
			switch {
			case d.Status != nil:
				id = d.Status.ID
			case d.Notification != nil:
				id = d.Notification.StatusID
			default:
				id = d.StatusID
			}
			out = append(out, fmt.Sprintf("%s %s %d", stream, d.Event, id))
		default:
			return out
		}
	}
}

func line(stream, event string, id int64) string {
	return stream + " " + event + " " + strconv.FormatInt(id, 10)
}

func expect(t *testing.T, who string, got []string, want ...string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Fatalf("%s's stream:\n got  %q\n want %q", who, got, want)
	}
}

func TestLive_PrivateStatusReachesFollowersButNotThePublicStream(t *testing.T) {
	r := newRig(t, "doc", "fan", "stranger")
	r.follow(t, "fan", "doc")
	doc, fan := r.open(t, "doc"), r.open(t, "fan")
	stranger, anon := r.open(t, "stranger", notify.PublicStream), r.open(t, "", notify.PublicStream, notify.TagStream("flu"))

	private := r.post(t, "doc", "For my followers: #flu clinic is full.", social.Private, 0)
	expect(t, "doc", doc.got(t), line("user", "update", private.ID))
	expect(t, "fan", fan.got(t), line("user", "update", private.ID))
	expect(t, "stranger", stranger.got(t))
	expect(t, "anonymous", anon.got(t))

	public := r.post(t, "doc", "Everyone: #flu shots are in.", social.Public, 0)
	expect(t, "fan", fan.got(t), line("user", "update", public.ID))
	expect(t, "stranger", stranger.got(t), line("public:local", "update", public.ID))
	expect(t, "anonymous", anon.got(t), line("public:local", "update", public.ID), line("hashtag:flu", "update", public.ID))

	members := r.post(t, "doc", "Members only.", social.Members, 0)
	expect(t, "fan", fan.got(t), line("user", "update", members.ID))
	expect(t, "anonymous", anon.got(t))

	dm := r.post(t, "doc", "@stranger your results are ready.", social.Direct, 0)
	expect(t, "stranger", stranger.got(t), line("user", "update", dm.ID), line("user", "notification", dm.ID))
	expect(t, "fan", fan.got(t))

	_, err := r.social.DeleteStatus(context.Background(), r.users["doc"], public.ID)
	r.do(t, "delete", err)
	expect(t, "fan", fan.got(t), line("user", "delete", public.ID))
	expect(t, "anonymous", anon.got(t), line("hashtag:flu", "delete", public.ID), line("public:local", "delete", public.ID))
}

func TestLive_BlockedAccountsStatusNeverReachesTheBlocker(t *testing.T) {
	r := newRig(t, "doc", "troll", "pest", "other")
	ctx := context.Background()
	r.follow(t, "doc", "pest")
	_, err := r.social.Block(ctx, r.users["doc"], r.users["troll"].ID)
	r.do(t, "block", err)
	_, err = r.social.Mute(ctx, r.users["doc"], r.users["pest"].ID)
	r.do(t, "mute", err)
	doc := r.open(t, "doc", notify.PublicStream, notify.TagStream("flu"))

	r.post(t, "troll", "Public words from a blocked account #flu", social.Public, 0)
	r.post(t, "troll", "@doc a mention from a blocked account", social.Public, 0)
	r.post(t, "pest", "Public words from a muted account I follow #flu", social.Public, 0)
	ok := r.post(t, "other", "Public words from someone else #flu", social.Public, 0)
	expect(t, "doc", doc.got(t), line("public:local", "update", ok.ID), line("hashtag:flu", "update", ok.ID))

	// Blocking the other way round hides too: troll blocked by doc reads nothing of doc's.
	troll := r.open(t, "troll", notify.PublicStream)
	mine := r.post(t, "doc", "Public words of the blocker", social.Public, 0)
	expect(t, "troll", troll.got(t))
	expect(t, "doc", doc.got(t), line("user", "update", mine.ID), line("public:local", "update", mine.ID))
}

func TestLive_EditsReachTheSameStreams(t *testing.T) {
	r := newRig(t, "doc", "fan")
	r.follow(t, "fan", "doc")
	fan := r.open(t, "fan")
	post := r.post(t, "doc", "Clinic opens at 9.", social.Private, 0)
	_, err := r.social.EditStatus(context.Background(), r.users["doc"], post.ID, social.NewStatus{Text: "Clinic opens at 10."})
	r.do(t, "edit", err)
	expect(t, "fan", fan.got(t), line("user", "update", post.ID), line("user", "status.update", post.ID))
}

func TestLive_ManyFollowersStillReachTheConnectedOnes(t *testing.T) {
	names := []string{"doc", "stranger"}
	for i := range 85 { // more than one page of followers
		names = append(names, fmt.Sprintf("fan_%02d", i))
	}
	r := newRig(t, names...)
	for _, n := range names[2:] {
		r.follow(t, n, "doc")
	}
	first, last, stranger := r.open(t, "fan_00"), r.open(t, "fan_84"), r.open(t, "stranger")
	post := r.post(t, "doc", "To all my followers.", social.Private, 0)
	expect(t, "fan_00", first.got(t), line("user", "update", post.ID))
	expect(t, "fan_84", last.got(t), line("user", "update", post.ID))
	expect(t, "stranger", stranger.got(t))
}

func TestDeliver_RefusesOtherPeoplesStreams(t *testing.T) {
	r := newRig(t, "doc", "fan")
	m := r.post(t, "fan", "@doc hello", social.Public, 0)
	list, _, err := r.notify.List(context.Background(), r.users["doc"], notify.Filter{})
	if err != nil || len(list) != 1 {
		t.Fatalf("list = %v, %v", list, err)
	}
	msg := live.Message{Stream: notify.UserStream(r.users["doc"].ID), Event: notify.EventNotification,
		Data: []byte(strconv.FormatInt(list[0].ID, 10))}
	for _, v := range []social.Viewer{{ID: r.users["fan"].ID}, {}} {
		if _, ok, err := r.notify.Deliver(context.Background(), v, msg); ok || err != nil {
			t.Fatalf("viewer %d got doc's notification (%v)", v.ID, err)
		}
	}
	if d, ok, err := r.notify.Deliver(context.Background(), social.Viewer{ID: r.users["doc"].ID}, msg); !ok || err != nil ||
		d.Notification.Status.ID != m.ID {
		t.Fatalf("doc's own notification = %+v, %v, %v", d, ok, err)
	}
}
