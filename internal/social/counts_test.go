package social_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/social"
)

// The profile counters are kept by triggers; after any mix of posts,
// deletions, shares, follows, requests, answers and blocks they must equal
// a plain count.
func TestAccountCounts_MatchACountAfterEveryKindOfChange(t *testing.T) {
	ctx := context.Background()
	names := []string{"doc_a", "doc_b", "doc_c", "pat_d", "pat_e"} // patients are locked: follows become requests
	r := newRig(t, names...)
	rng := rand.New(rand.NewPCG(7, 11))
	var mine []*social.Status
	for i := range 300 {
		a, b := names[rng.IntN(len(names))], names[rng.IntN(len(names))]
		ua, ub := r.users[a], r.users[b]
		switch rng.IntN(9) {
		case 0, 1:
			mine = append(mine, r.post(t, a, fmt.Sprintf("note %d", i), social.Public, 0))
		case 2:
			if len(mine) > 0 {
				st := mine[rng.IntN(len(mine))]
				author, err := r.accounts.UserByID(ctx, st.AccountID)
				if err != nil {
					t.Fatal(err)
				}
				_, _ = r.svc.DeleteStatus(ctx, author, st.ID)
			}
		case 3:
			if len(mine) > 0 {
				_, _ = r.svc.Reblog(ctx, ua, mine[rng.IntN(len(mine))].ID)
			}
		case 4:
			if len(mine) > 0 {
				_, _ = r.svc.Unreblog(ctx, ua, mine[rng.IntN(len(mine))].ID)
			}
		case 5:
			_, _ = r.svc.Follow(ctx, ua, ub.ID)
		case 6:
			_, _ = r.svc.Unfollow(ctx, ua, ub.ID)
		case 7:
			_, _ = r.svc.AnswerFollowRequest(ctx, ub, ua.ID, rng.IntN(2) == 0)
		case 8:
			if rng.IntN(3) == 0 {
				_, _ = r.svc.Block(ctx, ua, ub.ID)
			} else {
				_, _ = r.svc.Unblock(ctx, ua, ub.ID)
			}
		}
	}
	r.checkCounts(t, names)
}

// Two people following each other at the same moment, and bulk loads
// running side by side, change the same counters from several
// transactions; on PostgreSQL they once locked counter rows in opposite
// orders and deadlocked. Every write must succeed and the counters add up.
func TestAccountCounts_ConcurrentWritesNeitherDeadlockNorDrift(t *testing.T) {
	ctx := context.Background()
	names := []string{"doc_a", "doc_b", "doc_c", "doc_d", "doc_e", "doc_f"}
	r := newRig(t, names...)
	var wg sync.WaitGroup
	errc := make(chan error, 1000)
	for round := range 4 {
		for i, a := range names {
			for _, b := range names[i+1:] {
				ua, ub := r.users[a], r.users[b]
				wg.Add(2)
				go func() {
					defer wg.Done()
					if round%2 == 0 {
						_, err := r.svc.Follow(ctx, ua, ub.ID)
						errc <- err
					} else {
						_, err := r.svc.Unfollow(ctx, ua, ub.ID)
						errc <- err
					}
				}()
				go func() {
					defer wg.Done()
					if round%2 == 0 {
						_, err := r.svc.Follow(ctx, ub, ua.ID)
						errc <- err
					} else {
						_, err := r.svc.Unfollow(ctx, ub, ua.ID)
						errc <- err
					}
				}()
			}
		}
		wg.Wait()
	}
	// Bulk loads: each batch touches every account, in a different order.
	base := time.Now().Add(-time.Hour)
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var edges []social.FollowEdge
			for i := range names {
				for j := range names {
					a, b := names[(i+w)%len(names)], names[(j+2*w)%len(names)]
					if a != b {
						edges = append(edges, social.FollowEdge{Follower: r.users[a].ID, Followee: r.users[b].ID, At: base})
					}
				}
			}
			errc <- r.svc.BulkFollow(ctx, account.CLI, edges, len(edges))
		}()
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		if err != nil {
			t.Error(err)
		}
	}
	r.checkCounts(t, names)
}

func (r *rig) checkCounts(t *testing.T, names []string) {
	t.Helper()
	ctx := context.Background()
	for _, n := range names {
		id := r.users[n].ID
		got, err := r.svc.AccountCounts(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		var want social.Counts
		if err := r.db.QueryRow(ctx, `SELECT
			(SELECT COUNT(*) FROM follows WHERE followee_id = ? AND state = 'accepted'),
			(SELECT COUNT(*) FROM follows WHERE follower_id = ? AND state = 'accepted'),
			(SELECT COUNT(*) FROM statuses WHERE account_id = ? AND deleted_at = 0),
			(SELECT COALESCE(MAX(created_at), 0) FROM statuses WHERE account_id = ? AND deleted_at = 0)`,
			id, id, id, id).Scan(&want.Followers, &want.Following, &want.Statuses, &want.LastStatusAt); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("%s: counters %+v, counted %+v", n, got, want)
		}
	}
}
