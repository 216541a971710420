package social_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/rounds-health/rounds/internal/social"
)

// The home query walks the newest statuses in windows and falls back to
// reading each followed account; with windows of a few rows every path
// runs, and every page must equal what a plain reading of the rule gives.
func TestHome_WindowedQueryMatchesTheRuleOnEveryPage(t *testing.T) {
	ctx := context.Background()
	r := newRig(t, "reader", "quiet", "busy", "other", "muted", "blocker", "stranger")
	follow := func(a, b string) {
		if _, err := r.svc.Follow(ctx, r.users[a], r.users[b].ID); err != nil {
			t.Fatal(err)
		}
	}
	follow("reader", "quiet")
	follow("reader", "busy")
	follow("reader", "muted")
	follow("reader", "blocker")
	if _, err := r.svc.Mute(ctx, r.users["reader"], r.users["muted"].ID); err != nil {
		t.Fatal(err)
	}
	// quiet posted long ago; then a flood from people the reader does not follow.
	var want []int64 // newest last while building
	want = append(want, r.post(t, "quiet", "an old note", social.Public, 0).ID)
	want = append(want, r.post(t, "quiet", "for followers", social.Private, 0).ID)
	rng := rand.New(rand.NewPCG(1, 2))
	authors := []string{"busy", "other", "muted", "blocker", "stranger", "reader"}
	for i := range 60 {
		a := authors[rng.IntN(len(authors))]
		vis := []social.Visibility{social.Public, social.Private, social.Members, social.Unlisted}[rng.IntN(4)]
		st := r.post(t, a, fmt.Sprintf("note %d by %s", i, a), vis, 0)
		if a == "busy" || a == "reader" || a == "blocker" {
			want = append(want, st.ID)
		}
	}
	if _, err := r.svc.Block(ctx, r.users["blocker"], r.users["reader"].ID); err != nil {
		t.Fatal(err)
	}
	// The block also ended the follow; the blocker's statuses leave the timeline.
	want = slices.DeleteFunc(want, func(id int64) bool {
		st, err := r.svc.Status(ctx, r.viewer("blocker"), id)
		return err == nil && st.AccountID == r.users["blocker"].ID
	})
	slices.Reverse(want) // newest first

	for _, window := range []int{1, 3, 7, 10_000} {
		social.SetHomeWindow(r.svc, window)
		t.Run(fmt.Sprintf("window=%d", window), func(t *testing.T) {
			// Walk back with max_id in pages of 7.
			var got []int64
			p := social.Page{Limit: 7}
			for {
				page, err := r.svc.Home(ctx, r.viewer("reader"), p)
				if err != nil {
					t.Fatal(err)
				}
				if len(page) == 0 {
					break
				}
				got = append(got, ids(page)...)
				p.MaxID = page[len(page)-1].ID
			}
			if !slices.Equal(got, want) {
				t.Fatalf("max_id walk:\n got %v\nwant %v", got, want)
			}
			// min_id: the statuses just after a point, newest first.
			mid := want[len(want)/2]
			page, err := r.svc.Home(ctx, r.viewer("reader"), social.Page{MinID: mid, Limit: 5})
			if err != nil {
				t.Fatal(err)
			}
			i := slices.Index(want, mid)
			if exp := want[i-5 : i]; !slices.Equal(ids(page), exp) {
				t.Fatalf("min_id page: got %v want %v", ids(page), exp)
			}
			// since_id: the newest statuses after a point.
			page, err = r.svc.Home(ctx, r.viewer("reader"), social.Page{SinceID: mid, Limit: 5})
			if err != nil {
				t.Fatal(err)
			}
			if exp := want[:5]; !slices.Equal(ids(page), exp) {
				t.Fatalf("since_id page: got %v want %v", ids(page), exp)
			}
		})
	}
}
