package notify_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/rounds-health/rounds/internal/notify"
	"github.com/rounds-health/rounds/internal/social"
)

// Taking back a favourite or a share, withdrawing a follow request or
// having it rejected removes the notification it caused, as Mastodon does,
// and nothing else.
func TestNotify_WithdrawnWhenTheActIsUndone(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name      string
		recipient string
		act       func(t *testing.T, r *rig) []string // returns the notifications the recipient should still have
	}{
		{"unfavourite removes that favourite only", "doc", func(t *testing.T, r *rig) []string {
			first := r.post(t, "doc", "First clinic note.", social.Public, 0)
			second := r.post(t, "doc", "Second clinic note.", social.Public, 0)
			for _, fav := range []struct {
				who string
				st  *social.Status
			}{{"fan", first}, {"fan", second}, {"other", first}} {
				_, err := r.social.Favourite(ctx, r.users[fav.who], fav.st.ID)
				r.do(t, fav.who+" favourites", err)
			}
			_, err := r.social.Unfavourite(ctx, r.users["fan"], first.ID)
			r.do(t, "unfavourite", err)
			return []string{fmt.Sprintf("favourite other %d", first.ID), fmt.Sprintf("favourite fan %d", second.ID)}
		}},
		{"unfavourite through a share of the status", "doc", func(t *testing.T, r *rig) []string {
			post := r.post(t, "doc", "Shared and liked.", social.Public, 0)
			share, err := r.social.Reblog(ctx, r.users["other"], post.ID)
			r.do(t, "reblog", err)
			_, err = r.social.Favourite(ctx, r.users["fan"], share.ID)
			r.do(t, "favourite the share", err)
			_, err = r.social.Unfavourite(ctx, r.users["fan"], share.ID)
			r.do(t, "unfavourite the share", err)
			return []string{fmt.Sprintf("reblog other %d", post.ID)}
		}},
		{"unreblog removes the share, sharing again notifies again", "doc", func(t *testing.T, r *rig) []string {
			post := r.post(t, "doc", "Worth sharing.", social.Public, 0)
			_, err := r.social.Reblog(ctx, r.users["fan"], post.ID)
			r.do(t, "reblog", err)
			_, err = r.social.Favourite(ctx, r.users["fan"], post.ID)
			r.do(t, "favourite", err)
			_, err = r.social.Unreblog(ctx, r.users["fan"], post.ID)
			r.do(t, "unreblog", err)
			want(t, r.seen(t, "doc", notify.Filter{}), fmt.Sprintf("favourite fan %d", post.ID))
			_, err = r.social.Reblog(ctx, r.users["fan"], post.ID)
			r.do(t, "reblog again", err)
			return []string{fmt.Sprintf("reblog fan %d", post.ID), fmt.Sprintf("favourite fan %d", post.ID)}
		}},
		{"deleting one's share is taking it back", "doc", func(t *testing.T, r *rig) []string {
			post := r.post(t, "doc", "Shared, then not.", social.Public, 0)
			share, err := r.social.Reblog(ctx, r.users["fan"], post.ID)
			r.do(t, "reblog", err)
			_, err = r.social.DeleteStatus(ctx, r.users["fan"], share.ID)
			r.do(t, "delete the share", err)
			return nil
		}},
		{"a withdrawn follow request", "pat", func(t *testing.T, r *rig) []string {
			r.follow(t, "fan", "pat")
			r.follow(t, "other", "pat")
			_, err := r.social.Unfollow(ctx, r.users["fan"], r.users["pat"].ID)
			r.do(t, "withdraw", err)
			return []string{"follow_request other"}
		}},
		{"a rejected follow request", "pat", func(t *testing.T, r *rig) []string {
			r.follow(t, "fan", "pat")
			r.follow(t, "other", "pat")
			_, err := r.social.AnswerFollowRequest(ctx, r.users["pat"], r.users["fan"].ID, false)
			r.do(t, "reject", err)
			return []string{"follow_request other"}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, "doc", "fan", "other", "pat")
			rest := tc.act(t, r)
			want(t, r.seen(t, tc.recipient, notify.Filter{}), rest...)
			if n, err := r.notify.UnreadCount(ctx, r.users[tc.recipient]); err != nil || n != len(rest) {
				t.Errorf("unread = %d, %v; want %d: a withdrawn notification must not count", n, err, len(rest))
			}
		})
	}
}
