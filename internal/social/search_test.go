package social_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/social"
	"github.com/rounds-health/rounds/internal/testkit"
)

func (r *rig) search(t *testing.T, viewer, text string) []int64 {
	t.Helper()
	list, err := r.svc.SearchStatuses(context.Background(), r.viewer(viewer), social.StatusQuery{Text: text})
	if err != nil {
		t.Fatalf("search %q as %q: %v", text, viewer, err)
	}
	return ids(list)
}

// Search is one more read path: it must never show a status to someone
// the visibility rule keeps it from, whatever words they try.
func TestSearchStatuses_OnlyWhatTheViewerMayRead(t *testing.T) {
	r := newRig(t, "doc", "fan", "stranger", "mentioned", "blocker", "blocked", "muter")
	ctx := context.Background()
	for _, n := range []string{"fan", "blocker", "blocked", "muter"} {
		if _, err := r.svc.Follow(ctx, r.users[n], r.users["doc"].ID); err != nil {
			t.Fatal(err)
		}
	}
	pub := r.post(t, "doc", "Flu shots today", social.Public, 0)
	unlisted := r.post(t, "doc", "Flu clinic hours", social.Unlisted, 0)
	members := r.post(t, "doc", "Flu numbers for members", social.Members, 0)
	private := r.post(t, "doc", "Flu plans for followers", social.Private, 0)
	direct := r.post(t, "doc", "@mentioned your flu test is back", social.Direct, 0)
	own := r.post(t, "stranger", "My flu diary", social.Private, 0)
	for _, step := range []struct {
		fn            func(context.Context, *account.User, int64) (social.Relationship, error)
		actor, target string
	}{{r.svc.Block, "blocker", "doc"}, {r.svc.Block, "doc", "blocked"}, {r.svc.Mute, "muter", "doc"}} {
		if _, err := step.fn(ctx, r.users[step.actor], r.users[step.target].ID); err != nil {
			t.Fatal(err)
		}
	}
	all := []int64{pub.ID, unlisted.ID, members.ID, private.ID, direct.ID}
	cases := []struct {
		viewer string
		want   []int64 // newest first
	}{
		{"", nil}, // full-text search is for signed-in people, as on Mastodon
		{"stranger", []int64{own.ID, members.ID, unlisted.ID, pub.ID}},
		{"fan", []int64{private.ID, members.ID, unlisted.ID, pub.ID}},
		{"mentioned", []int64{direct.ID, members.ID, unlisted.ID, pub.ID}},
		{"doc", []int64{direct.ID, private.ID, members.ID, unlisted.ID, pub.ID}},
		{"blocker", nil},
		{"blocked", nil},
		{"muter", nil},
	}
	for _, tc := range cases {
		got := r.search(t, tc.viewer, "FLU")
		if !slices.Equal(got, tc.want) {
			t.Errorf("%q searching flu = %v; want %v (of %v)", tc.viewer, got, tc.want, all)
		}
	}

	mod, err := r.accounts.CreateUser(ctx, account.CLI, account.NewUser{Username: "moddy", Email: "moddy@example.org",
		Password: testkit.Password, Role: account.Moderator, AgeAttested: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.svc.SetHidden(ctx, mod, pub.ID, true, "test"); err != nil {
		t.Fatal(err)
	}
	if _, err := r.svc.DeleteStatus(ctx, r.users["doc"], unlisted.ID); err != nil {
		t.Fatal(err)
	}
	if got := r.search(t, "stranger", "flu"); slices.Contains(got, pub.ID) || slices.Contains(got, unlisted.ID) {
		t.Errorf("after hiding and deleting, the stranger finds %v", got)
	}
	if got := r.search(t, "doc", "flu"); !slices.Contains(got, pub.ID) || slices.Contains(got, unlisted.ID) {
		t.Errorf("the author finds %v; want the hidden status kept for them, the deleted one gone", got)
	}
}

func TestSearchStatuses_WordsStartWords(t *testing.T) {
	r := newRig(t, "doc", "reader")
	flu := r.post(t, "doc", "Flu season: get the #FluShot", social.Public, 0)
	influenza := r.post(t, "doc", "Influenza, explained", social.Public, 0)
	both := r.post(t, "doc", "Flu and influenza are one disease", social.Public, 0)
	cases := []struct {
		text string
		want []int64
	}{
		{"flu", []int64{both.ID, flu.ID}}, // not "influenza"
		{"influ", []int64{both.ID, influenza.ID}},
		{"flushot", []int64{flu.ID}}, // inside a hashtag
		{"flu disease", []int64{both.ID}},
		{"  FLU, Season!  ", []int64{flu.ID}},
		{"%", nil}, // no word at all; no LIKE wildcard reaches SQL
		{"_", nil},
		{"measles", nil},
	}
	for _, tc := range cases {
		if got := r.search(t, "reader", tc.text); !slices.Equal(got, tc.want) {
			t.Errorf("search %q = %v; want %v", tc.text, got, tc.want)
		}
	}
}

func TestSearchStatuses_PagingAuthorAndBadInput(t *testing.T) {
	r := newRig(t, "doc", "other", "reader")
	ctx := context.Background()
	var posts []int64
	for range 5 {
		posts = append(posts, r.post(t, "doc", "Vaccine update", social.Public, 0).ID)
	}
	otherPost := r.post(t, "other", "Vaccine myths", social.Public, 0)
	slices.Reverse(posts) // newest first
	q := func(sq social.StatusQuery) []int64 {
		t.Helper()
		sq.Text = "vaccine"
		list, err := r.svc.SearchStatuses(ctx, r.viewer("reader"), sq)
		if err != nil {
			t.Fatal(err)
		}
		return ids(list)
	}
	if got := q(social.StatusQuery{Limit: 2, Offset: 1}); !slices.Equal(got, []int64{posts[0], posts[1]}) {
		t.Errorf("limit 2 offset 1 = %v; want %v", got, posts[:2])
	}
	if got := q(social.StatusQuery{AccountID: r.users["other"].ID}); !slices.Equal(got, []int64{otherPost.ID}) {
		t.Errorf("account_id = %v", got)
	}
	if got := q(social.StatusQuery{MaxID: posts[1], MinID: posts[4]}); !slices.Equal(got, posts[2:4]) {
		t.Errorf("between = %v; want %v", got, posts[2:4])
	}
	if got := q(social.StatusQuery{Limit: 1000}); len(got) != 6 {
		t.Errorf("a large limit = %d results", len(got))
	}
	for _, bad := range []social.StatusQuery{{Text: "x", Limit: -1}, {Text: "x", Offset: -1}, {Text: "bad\x00text"},
		{Text: strings.Repeat("a", social.MaxSearchChars+1)}} {
		if _, err := r.svc.SearchStatuses(ctx, r.viewer("reader"), bad); !errs.Is(err, errs.KindInvalid) {
			t.Errorf("%+v = %v; want a refusal", bad, err)
		}
	}
}

// A hashtag used only where some people may not look stays unlisted: its
// name alone can say too much ("#hivstatus" in a direct message).
func TestSearchTags_OnlyPublicTagsWithHistory(t *testing.T) {
	r := newRig(t, "doc", "fan", "patient_pat")
	ctx := context.Background()
	r.post(t, "doc", "#Cardio tips", social.Public, 0)
	r.post(t, "doc", "More #cardio", social.Unlisted, 0)
	r.post(t, "fan", "#cardio for me too", social.Public, 0)
	r.post(t, "doc", "#cardiology talk", social.Public, 0)
	r.post(t, "doc", "#cardio_rehab starts", social.Public, 0)
	r.post(t, "doc", "@patient_pat #cardiomyopathy results", social.Direct, 0)
	r.post(t, "doc", "#cardiacarrest drill", social.Private, 0)
	gone := r.post(t, "doc", "#cardiox oops", social.Public, 0)
	if _, err := r.svc.DeleteStatus(ctx, r.users["doc"], gone.ID); err != nil {
		t.Fatal(err)
	}
	names := func(q string) []string {
		t.Helper()
		tags, err := r.svc.SearchTags(ctx, q, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, tg := range tags {
			out = append(out, tg.Name)
		}
		return out
	}
	cases := []struct {
		q    string
		want []string
	}{
		{"#CARD", []string{"cardio", "cardiology", "cardio_rehab"}},
		{"cardio_", []string{"cardio_rehab"}}, // "_" is not a wildcard
		{"cardiom", nil},
		{"cardiac", nil},
		{"card io", nil},
		{"#", nil},
	}
	for _, tc := range cases {
		if got := names(tc.q); !slices.Equal(got, tc.want) {
			t.Errorf("tags %q = %v; want %v", tc.q, got, tc.want)
		}
	}
	tags, err := r.svc.SearchTags(ctx, "cardio", 1, 0)
	if err != nil || len(tags) != 1 || len(tags[0].History) != 7 {
		t.Fatalf("cardio = %+v, %v; want one tag with seven days", tags, err)
	}
	today := tags[0].History[0]
	if today.Uses != 3 || today.Accounts != 2 || !today.Day.Equal(time.Now().UTC().Truncate(24*time.Hour)) {
		t.Errorf("today = %+v; want 3 uses by 2 accounts", today)
	}
	if yesterday := tags[0].History[1]; yesterday.Uses != 0 || !yesterday.Day.Equal(today.Day.AddDate(0, 0, -1)) {
		t.Errorf("yesterday = %+v", yesterday)
	}
}

func TestUsage_CountsStatusesAndActiveAccounts(t *testing.T) {
	r := newRig(t, "doc", "fan", "quiet")
	ctx := context.Background()
	r.post(t, "doc", "one", social.Public, 0)
	r.post(t, "doc", "two", social.Private, 0)
	gone := r.post(t, "fan", "three", social.Public, 0)
	if _, err := r.svc.DeleteStatus(ctx, r.users["fan"], gone.ID); err != nil {
		t.Fatal(err)
	}
	u, err := r.svc.Usage(ctx)
	if err != nil || u.Statuses != 2 || u.ActiveMonth != 2 || u.ActiveHalfyear != 2 {
		t.Fatalf("usage = %+v, %v; want 2 statuses, 2 active accounts", u, err)
	}
}
