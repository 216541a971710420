package loadgen_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/id"
	"github.com/rounds-health/rounds/internal/loadgen"
	"github.com/rounds-health/rounds/internal/social"
	"github.com/rounds-health/rounds/internal/testkit"
)

// TestBuildAndRun_SmallNetwork builds a small network and drives the whole
// server with every scenario for a second each: every response must pass
// its checks (home pages show only followed accounts, account pages only
// the author, posts come back as the poster's). On PostgreSQL with
// ROUNDS_TEST_POSTGRES set.
func TestBuildAndRun_SmallNetwork(t *testing.T) {
	srv := testkit.Start(t)
	ctx := context.Background()
	// With --skip-build on an empty database the run says what to do.
	if _, err := loadgen.Run(ctx, srv.App, loadgen.RunConfig{URL: srv.URL, Duration: time.Second}); !errs.Is(err, errs.KindNotFound) {
		t.Fatalf("run on an empty database: %v, want a message to build first", err)
	}
	b, err := loadgen.Build(ctx, srv.App, loadgen.BuildConfig{Accounts: 200, Posts: 2000, Seed: 7})
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	if b.Accounts.Rows != 200 || b.Statuses.Rows != 2000 || b.Follows.Rows < 200*10 {
		t.Fatalf("built %d accounts, %d follows, %d statuses; want 200, at least 2,000, 2,000", b.Accounts.Rows, b.Follows.Rows, b.Statuses.Rows)
	}
	if _, err := loadgen.Build(ctx, srv.App, loadgen.BuildConfig{Accounts: 200, Posts: 2000}); !errs.Is(err, errs.KindConflict) {
		t.Fatalf("a second build on the same database: %v, want a conflict naming --skip-build", err)
	}
	checkPowerLaw(t, srv)
	checkHomeShowsFollowed(t, srv)
	checkBulkPathsRefuse(t, srv)

	rep, err := loadgen.Run(ctx, srv.App, loadgen.RunConfig{URL: srv.URL, Clients: 4, Duration: time.Second, Readers: 30, Posters: 5})
	if err != nil {
		if rep != nil {
			for _, r := range rep.Results {
				t.Logf("%s: %v", r.Scenario, r.ErrorSamples)
			}
		}
		t.Fatalf("run: %v", err)
	}
	if rep.Errors != 0 || len(rep.Results) != len(loadgen.Scenarios) {
		t.Fatalf("run: %d errors, %d scenarios", rep.Errors, len(rep.Results))
	}
	for _, r := range rep.Results {
		if r.Requests < 5 || r.ReqPerS <= 0 || r.P50 <= 0 || r.P50 > r.P99 || r.P99 > r.Max {
			t.Errorf("%s: %d requests, %.0f/s, p50 %s, p99 %s, max %s: not a measurement", r.Scenario, r.Requests, r.ReqPerS, r.P50, r.P99, r.Max)
		}
	}
	if rep.Network.Statuses < 2000 || rep.Network.Follows != b.Follows.Rows || rep.HomeRatio <= 0 {
		t.Errorf("run saw %+v and ratio %.3f; want the network just built", rep.Network, rep.HomeRatio)
	}
	var live int
	if err := srv.DB.QueryRow(ctx, "SELECT COUNT(*) FROM oauth_tokens WHERE revoked_at IS NULL").Scan(&live); err != nil || live != 0 {
		t.Errorf("%d tokens still live after the run (%v); loadgen must revoke its tokens", live, err)
	}
}

// checkPowerLaw: a few authors write much more than most, and status IDs
// carry their creation time in the past months.
func checkPowerLaw(t *testing.T, srv *testkit.Server) {
	t.Helper()
	ctx := context.Background()
	ds, err := srv.Social.Degrees(ctx)
	if err != nil {
		t.Fatal(err)
	}
	most, followedMost := 0, 0
	for _, d := range ds {
		most, followedMost = max(most, d.Statuses), max(followedMost, d.Followers)
	}
	if mean := 2000 / 200; most < 10*mean {
		t.Errorf("the busiest author wrote %d statuses, the mean is %d: not a power law", most, mean)
	}
	if followedMost < 100 {
		t.Errorf("the most followed account has %d followers of 200: not a power law", followedMost)
	}
	var oldest, newest int64
	if err := srv.DB.QueryRow(ctx, "SELECT MIN(id), MAX(id) FROM statuses").Scan(&oldest, &newest); err != nil {
		t.Fatal(err)
	}
	if age := time.Since(id.Time(oldest)); age < 150*24*time.Hour || age > 181*24*time.Hour {
		t.Errorf("the oldest status is %s old; want them spread over 180 days", age.Round(time.Hour))
	}
	if age := time.Since(id.Time(newest)); age < time.Hour || age > 7*24*time.Hour {
		t.Errorf("the newest status is %s old; want it recent but in the past", age.Round(time.Minute))
	}
}

// checkHomeShowsFollowed reads one account's home timeline with a token of
// its own: a full page, all by accounts it follows.
func checkHomeShowsFollowed(t *testing.T, srv *testkit.Server) {
	t.Helper()
	ctx := context.Background()
	u, err := srv.Accounts.UserByUsername(ctx, loadgen.Username(0))
	if err != nil {
		t.Fatal(err)
	}
	following, err := srv.Social.AllFollowing(ctx, u.ID)
	if err != nil || len(following) == 0 {
		t.Fatalf("@%s follows %d accounts (%v)", u.Username, len(following), err)
	}
	follows := map[string]bool{strconv.FormatInt(u.ID, 10): true}
	for _, f := range following {
		follows[strconv.FormatInt(f, 10)] = true
	}
	tok, err := srv.Accounts.IssueToken(ctx, account.CLI, u.Username, "read")
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/v1/timelines/home?limit=20", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, body := srv.Do(t, srv.Client(), req)
	if n, err := srv.Accounts.RevokeTokens(ctx, account.CLI, []string{tok}); n != 1 || err != nil {
		t.Fatalf("RevokeTokens revoked %d of 1: %v", n, err)
	}
	var page []struct {
		ID      string `json:"id"`
		Account struct {
			ID string `json:"id"`
		} `json:"account"`
	}
	if err := json.Unmarshal([]byte(body), &page); resp.StatusCode != http.StatusOK || err != nil {
		t.Fatalf("home: %d %v %.200s", resp.StatusCode, err, body)
	}
	if len(page) != 20 {
		t.Fatalf("home of @%s, who follows %d accounts, has %d statuses; want a full page", u.Username, len(following), len(page))
	}
	for _, s := range page {
		if !follows[s.Account.ID] {
			t.Errorf("home of @%s shows status %s by account %s, which it does not follow", u.Username, s.ID, s.Account.ID)
		}
	}
}

// checkBulkPathsRefuse: the bulk paths are the operator's alone, and keep
// status IDs in their creation millisecond.
func checkBulkPathsRefuse(t *testing.T, srv *testkit.Server) {
	t.Helper()
	ctx := context.Background()
	u, err := srv.Accounts.UserByUsername(ctx, loadgen.Username(1))
	if err != nil {
		t.Fatal(err)
	}
	person := account.Actor{User: u, Via: "api"}
	if _, err := srv.Accounts.BulkCreateUsers(ctx, person, []account.BulkUser{{Username: "lgx", Email: "lgx@loadgen.invalid",
		Role: account.Patient}}, loadgen.Password, 0); !errs.Is(err, errs.KindForbidden) {
		t.Errorf("BulkCreateUsers by @%s: %v, want forbidden", u.Username, err)
	}
	if err := srv.Social.BulkFollow(ctx, person, []social.FollowEdge{{Follower: u.ID, Followee: u.ID - 1}}, 0); !errs.Is(err, errs.KindForbidden) {
		t.Errorf("BulkFollow by @%s: %v, want forbidden", u.Username, err)
	}
	at := time.Now().Add(-time.Hour)
	for _, tc := range []struct {
		name  string
		actor account.Actor
		st    social.BulkStatus
		kind  errs.Kind
	}{
		{"by a person", person, social.BulkStatus{ID: id.FloorOf(at), AccountID: u.ID, Text: "hello", CreatedAt: at}, errs.KindForbidden},
		{"id from another time", account.CLI, social.BulkStatus{ID: id.FloorOf(at.Add(-time.Hour)), AccountID: u.ID, Text: "hello", CreatedAt: at}, errs.KindInvalid},
		{"with a hashtag", account.CLI, social.BulkStatus{ID: id.FloorOf(at), AccountID: u.ID, Text: "hello #cardiology", CreatedAt: at}, errs.KindInvalid},
	} {
		if err := srv.Social.BulkStatuses(ctx, tc.actor, []social.BulkStatus{tc.st}, 0); !errs.Is(err, tc.kind) {
			t.Errorf("BulkStatuses %s: %v, want kind %d", tc.name, err, tc.kind)
		}
	}
}
