package social_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/social"
)

// record collects the events the service emits, as "type actor→recipient"
// lines ("type actor" for events that concern nobody in particular).
func (r *rig) record() *[]string {
	var got []string
	names := map[int64]string{}
	for n, u := range r.users {
		names[u.ID] = n
	}
	r.svc.Listen(func(_ context.Context, e social.Event) {
		line := fmt.Sprintf("%s %s→%s", e.Type, names[e.ActorID], names[e.Recipient])
		if e.Recipient == 0 {
			line = fmt.Sprintf("%s %s", e.Type, names[e.ActorID])
		}
		got = append(got, line)
	})
	return &got
}

// Undoing an act emits the event that lets listeners withdraw what the act
// caused; undoing what was never done emits nothing.
func TestEvents_UndoingAnActTellsListeners(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name string
		act  func(t *testing.T, r *rig)
		want []string
	}{
		{"unfavourite", func(t *testing.T, r *rig) {
			post := r.post(t, "doc", "Favourite me.", social.Public, 0)
			r.must(t, "favourite")(r.svc.Favourite(ctx, r.users["fan"], post.ID))
			r.must(t, "unfavourite")(r.svc.Unfavourite(ctx, r.users["fan"], post.ID))
			r.must(t, "unfavourite again")(r.svc.Unfavourite(ctx, r.users["fan"], post.ID))
		}, []string{"status doc", "favourite fan→doc", "unfavourite fan→doc"}},
		{"unfavouriting one's own post", func(t *testing.T, r *rig) {
			post := r.post(t, "doc", "My own.", social.Public, 0)
			r.must(t, "favourite")(r.svc.Favourite(ctx, r.users["doc"], post.ID))
			r.must(t, "unfavourite")(r.svc.Unfavourite(ctx, r.users["doc"], post.ID))
		}, []string{"status doc"}},
		{"unreblog removes the share from timelines too", func(t *testing.T, r *rig) {
			post := r.post(t, "doc", "Share me.", social.Public, 0)
			r.must(t, "reblog")(r.svc.Reblog(ctx, r.users["fan"], post.ID))
			r.must(t, "unreblog")(r.svc.Unreblog(ctx, r.users["fan"], post.ID))
			r.must(t, "unreblog again")(r.svc.Unreblog(ctx, r.users["fan"], post.ID))
		}, []string{"status doc", "reblog fan→doc", "status fan", "unreblog fan→doc", "delete fan"}},
		{"withdrawing a follow request", func(t *testing.T, r *rig) {
			r.follow(t, "fan", "pat")
			r.follow(t, "fan", "doc")
			r.unfollow(t, "fan", "pat")
			r.unfollow(t, "fan", "doc") // an accepted follow: nothing to withdraw
		}, []string{"follow_request fan→pat", "follow fan→doc", "request_withdrawn fan→pat"}},
		{"rejecting a follow request", func(t *testing.T, r *rig) {
			r.follow(t, "fan", "pat")
			if _, err := r.svc.AnswerFollowRequest(ctx, r.users["pat"], r.users["fan"].ID, false); err != nil {
				t.Fatal(err)
			}
		}, []string{"follow_request fan→pat", "request_rejected pat→fan"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, "doc", "fan", "pat")
			got := r.record()
			tc.act(t, r)
			if !slices.Equal(*got, tc.want) {
				t.Errorf("events:\n got  %q\n want %q", *got, tc.want)
			}
		})
	}
}

// A follow request is answered once: answering it again, or answering a
// follow that was never a request, finds nothing, and a rejection never
// removes a follow already accepted.
func TestAnswerFollowRequest_OnlyPendingRequests(t *testing.T) {
	ctx := context.Background()
	r := newRig(t, "fan", "pat", "doc")
	r.follow(t, "fan", "pat")
	if n, err := r.svc.FollowRequestCount(ctx, r.users["pat"]); err != nil || n != 1 {
		t.Fatalf("pending = %d, %v; want 1", n, err)
	}
	rel, err := r.svc.AnswerFollowRequest(ctx, r.users["pat"], r.users["fan"].ID, true)
	if err != nil || !rel.FollowedBy {
		t.Fatalf("accept = %+v, %v", rel, err)
	}
	if _, err := r.svc.AnswerFollowRequest(ctx, r.users["pat"], r.users["fan"].ID, false); !errs.Is(err, errs.KindNotFound) {
		t.Fatalf("rejecting an accepted follower = %v; want not found", err)
	}
	if rel, _ := r.svc.Relationship(ctx, r.users["pat"].ID, r.users["fan"].ID); !rel.FollowedBy {
		t.Fatal("rejecting after accepting removed the follow")
	}
	if _, err := r.svc.AnswerFollowRequest(ctx, r.users["pat"], r.users["doc"].ID, true); !errs.Is(err, errs.KindNotFound) {
		t.Fatalf("accepting a request never made = %v; want not found", err)
	}
	if n, _ := r.svc.FollowRequestCount(ctx, r.users["pat"]); n != 0 {
		t.Fatalf("pending after answering = %d", n)
	}
}

func (r *rig) must(t *testing.T, what string) func(*social.Status, error) {
	t.Helper()
	return func(_ *social.Status, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
}

func (r *rig) follow(t *testing.T, who, whom string) {
	t.Helper()
	if _, err := r.svc.Follow(context.Background(), r.users[who], r.users[whom].ID); err != nil {
		t.Fatalf("%s follows %s: %v", who, whom, err)
	}
}

func (r *rig) unfollow(t *testing.T, who, whom string) {
	t.Helper()
	if _, err := r.svc.Unfollow(context.Background(), r.users[who], r.users[whom].ID); err != nil {
		t.Fatalf("%s unfollows %s: %v", who, whom, err)
	}
}
