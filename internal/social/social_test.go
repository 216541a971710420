package social_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/audit"
	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/id"
	"github.com/rounds-health/rounds/internal/keyset"
	"github.com/rounds-health/rounds/internal/media"
	"github.com/rounds-health/rounds/internal/social"
	"github.com/rounds-health/rounds/internal/store"
	"github.com/rounds-health/rounds/internal/testkit"
)

type rig struct {
	db       *store.DB
	svc      *social.Service
	accounts *account.Service
	users    map[string]*account.User
}

func newRig(t *testing.T, names ...string) *rig {
	t.Helper()
	db := testkit.DB(t)
	keys, err := keyset.Load(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	log := audit.New(db, keys.DeriveKey(audit.KeyLabel))
	ids := &id.Generator{}
	accounts := account.NewService(db, log, keys, ids, account.Config{})
	images, err := media.NewService(db, t.TempDir(), ids)
	if err != nil {
		t.Fatal(err)
	}
	r := &rig{db: db, svc: social.NewService(db, log, accounts, images, ids), accounts: accounts, users: map[string]*account.User{}}
	for _, n := range names {
		role := account.Clinician
		if strings.HasPrefix(n, "pat") {
			role = account.Patient // patients start locked
		}
		u, err := accounts.CreateUser(context.Background(), account.CLI, account.NewUser{Username: n, Email: n + "@example.org",
			Password: testkit.Password, Role: role, AgeAttested: true})
		if err != nil {
			t.Fatal(err)
		}
		r.users[n] = u
	}
	return r
}

func (r *rig) post(t *testing.T, author, text string, vis social.Visibility, replyTo int64) *social.Status {
	t.Helper()
	st, err := r.svc.CreateStatus(context.Background(), r.users[author], social.NewStatus{Text: text, Visibility: vis, InReplyToID: replyTo})
	if err != nil {
		t.Fatalf("post by %s: %v", author, err)
	}
	return st
}

func (r *rig) viewer(name string) social.Viewer {
	if name == "" {
		return social.Viewer{}
	}
	return social.Viewer{ID: r.users[name].ID}
}

func ids(list []*social.Status) []int64 {
	var out []int64
	for _, s := range list {
		out = append(out, s.ID)
	}
	return out
}

func TestVisibility_EnforcedOnEveryReadPath(t *testing.T) {
	r := newRig(t, "doc", "fan", "stranger", "mentioned")
	ctx := context.Background()
	if _, err := r.svc.Follow(ctx, r.users["fan"], r.users["doc"].ID); err != nil {
		t.Fatal(err)
	}
	pub := r.post(t, "doc", "Public news #hearthealth", social.Public, 0)
	members := r.post(t, "doc", "For members", social.Members, 0)
	private := r.post(t, "doc", "For followers", social.Private, 0)
	direct := r.post(t, "doc", "Hi @mentioned", social.Direct, 0)
	cases := []struct {
		viewer string
		sees   []int64
	}{
		{"", []int64{pub.ID}},
		{"stranger", []int64{pub.ID, members.ID}},
		{"fan", []int64{pub.ID, members.ID, private.ID}},
		{"mentioned", []int64{pub.ID, members.ID, direct.ID}},
		{"doc", []int64{pub.ID, members.ID, private.ID, direct.ID}},
	}
	for _, tc := range cases {
		for _, st := range []*social.Status{pub, members, private, direct} {
			_, err := r.svc.Status(ctx, r.viewer(tc.viewer), st.ID)
			want := slices.Contains(tc.sees, st.ID)
			if (err == nil) != want {
				t.Errorf("viewer %q reading %q: err %v; want visible=%v", tc.viewer, st.Source, err, want)
			}
		}
		acct, err := r.svc.Account(ctx, r.viewer(tc.viewer), r.users["doc"].ID, social.Page{}, social.AccountOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range ids(acct) {
			if !slices.Contains(tc.sees, id) || id == direct.ID {
				t.Errorf("viewer %q: the account timeline shows status %d", tc.viewer, id)
			}
		}
	}
	home, _ := r.svc.Home(ctx, r.viewer("fan"), social.Page{})
	if got := ids(home); !slices.Equal(got, []int64{private.ID, members.ID, pub.ID}) {
		t.Errorf("fan's home = %v; want private, members, public", got)
	}
	home, _ = r.svc.Home(ctx, r.viewer("mentioned"), social.Page{})
	if got := ids(home); !slices.Equal(got, []int64{direct.ID}) {
		t.Errorf("mentioned's home = %v; want the direct message only", got)
	}
	public, _ := r.svc.Public(ctx, r.viewer(""), social.Page{})
	tag, _ := r.svc.Tag(ctx, r.viewer(""), "#HeartHealth", social.Page{})
	if !slices.Equal(ids(public), []int64{pub.ID}) || !slices.Equal(ids(tag), []int64{pub.ID}) {
		t.Errorf("public = %v, tag = %v; want the public status only", ids(public), ids(tag))
	}
}

func TestBlocks_HideBothWaysEverywhere(t *testing.T) {
	r := newRig(t, "doc", "troll")
	ctx := context.Background()
	r.svc.Follow(ctx, r.users["troll"], r.users["doc"].ID)
	pub := r.post(t, "doc", "Hello #news", social.Public, 0)
	trollPost := r.post(t, "troll", "Reply", social.Public, pub.ID)
	if _, err := r.svc.Block(ctx, r.users["doc"], r.users["troll"].ID); err != nil {
		t.Fatal(err)
	}
	if rel, _ := r.svc.Relationship(ctx, r.users["troll"].ID, r.users["doc"].ID); rel.Following || !rel.BlockedBy {
		t.Fatalf("after the block: %+v; want no follow and blocked_by", rel)
	}
	if _, err := r.svc.Status(ctx, r.viewer("troll"), pub.ID); !errs.Is(err, errs.KindNotFound) {
		t.Errorf("the blocked account read the status: %v", err)
	}
	if _, err := r.svc.Follow(ctx, r.users["troll"], r.users["doc"].ID); !errs.Is(err, errs.KindForbidden) {
		t.Errorf("the blocked account followed again: %v", err)
	}
	if _, err := r.svc.CreateStatus(ctx, r.users["troll"], social.NewStatus{Text: "again", InReplyToID: pub.ID}); errs.FieldMessage(err, "in_reply_to_id") == "" {
		t.Errorf("the blocked account replied: %v", err)
	}
	_, desc, _ := r.svc.Context(ctx, r.viewer("doc"), pub.ID)
	if len(desc) != 0 {
		t.Errorf("the blocked account's reply shows in the thread: %v", ids(desc))
	}
	for name, tl := range map[string]func() ([]*social.Status, error){
		"public": func() ([]*social.Status, error) { return r.svc.Public(ctx, r.viewer("doc"), social.Page{}) },
		"tag":    func() ([]*social.Status, error) { return r.svc.Tag(ctx, r.viewer("troll"), "news", social.Page{}) },
		"home":   func() ([]*social.Status, error) { return r.svc.Home(ctx, r.viewer("troll"), social.Page{}) },
	} {
		list, err := tl()
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range list {
			if s.ID == pub.ID && name != "public" || s.ID == trollPost.ID && name == "public" {
				t.Errorf("%s timeline shows %d across the block", name, s.ID)
			}
		}
	}
}

func TestFollowRequests_ForLockedAccounts(t *testing.T) {
	r := newRig(t, "doc", "patient_ann")
	ctx := context.Background()
	rel, err := r.svc.Follow(ctx, r.users["doc"], r.users["patient_ann"].ID)
	if err != nil || rel.Following || !rel.Requested {
		t.Fatalf("following a locked patient = %+v, %v; want a request", rel, err)
	}
	if _, err := r.svc.Follow(ctx, r.users["doc"], r.users["doc"].ID); errs.FieldMessage(err, "id") == "" {
		t.Errorf("following oneself = %v", err)
	}
	reqs, _ := r.svc.FollowRequests(ctx, r.users["patient_ann"], 0)
	if !slices.Equal(reqs, []int64{r.users["doc"].ID}) {
		t.Fatalf("requests = %v", reqs)
	}
	if _, err := r.svc.AnswerFollowRequest(ctx, r.users["patient_ann"], r.users["doc"].ID, true); err != nil {
		t.Fatal(err)
	}
	if rel, _ := r.svc.Relationship(ctx, r.users["doc"].ID, r.users["patient_ann"].ID); !rel.Following {
		t.Fatal("the accepted request did not become a follow")
	}
}

func TestStatuses_BadInputRefusedWithoutRows(t *testing.T) {
	r := newRig(t, "doc")
	ctx := context.Background()
	for _, tc := range []struct {
		in    social.NewStatus
		field string
	}{
		{social.NewStatus{Text: "  "}, "status"},
		{social.NewStatus{Text: strings.Repeat("a", 501)}, "status"},
		{social.NewStatus{Text: "x", Visibility: "secret"}, "visibility"},
		{social.NewStatus{Text: "no one mentioned", Visibility: social.Direct}, "visibility"},
		{social.NewStatus{Text: "x", InReplyToID: 12345}, "in_reply_to_id"},
		{social.NewStatus{Text: "body", Kind: social.Article}, "title"},
	} {
		_, err := r.svc.CreateStatus(ctx, r.users["doc"], tc.in)
		if errs.FieldMessage(err, tc.field) == "" {
			t.Errorf("CreateStatus(%+v) = %v; want a message on %q", tc.in, err, tc.field)
		}
	}
	if list, _ := r.svc.Account(ctx, r.viewer("doc"), r.users["doc"].ID, social.Page{}, social.AccountOptions{}); len(list) != 0 {
		t.Fatalf("refused statuses left %d rows", len(list))
	}
	gone := r.post(t, "doc", "soon deleted", social.Public, 0)
	if _, err := r.svc.DeleteStatus(ctx, r.users["doc"], gone.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := r.svc.CreateStatus(ctx, r.users["doc"], social.NewStatus{Text: "late", InReplyToID: gone.ID}); errs.FieldMessage(err, "in_reply_to_id") == "" {
		t.Errorf("a reply to a deleted status = %v", err)
	}
}

func TestThreads_RepliesFavouritesReblogsEditsAndPaging(t *testing.T) {
	r := newRig(t, "doc", "fan")
	ctx := context.Background()
	root := r.post(t, "doc", "Root by @fan with https://example.org/x?a=1&b=2 #Cardio", social.Public, 0)
	if !strings.Contains(root.Content, `class="u-url mention"`) || !strings.Contains(root.Content, `href="https://example.org/x?a=1&amp;b=2"`) ||
		!strings.Contains(root.Content, `rel="tag"`) || !slices.Equal(root.Tags, []string{"cardio"}) {
		t.Fatalf("rendered = %s tags %v", root.Content, root.Tags)
	}
	a := r.post(t, "fan", "first reply", social.Public, root.ID)
	b := r.post(t, "doc", "reply to reply", social.Public, a.ID)
	c := r.post(t, "fan", "second reply", social.Public, root.ID)
	anc, desc, err := r.svc.Context(ctx, r.viewer(""), b.ID)
	if err != nil || !slices.Equal(ids(anc), []int64{root.ID, a.ID}) {
		t.Fatalf("ancestors = %v, %v", ids(anc), err)
	}
	_, desc, _ = r.svc.Context(ctx, r.viewer(""), root.ID)
	if !slices.Equal(ids(desc), []int64{a.ID, b.ID, c.ID}) {
		t.Fatalf("thread order = %v; want a, b (reply to a), c", ids(desc))
	}
	if st, _ := r.svc.Favourite(ctx, r.users["fan"], root.ID); st.FavouritesCount != 1 {
		t.Fatalf("favourites = %d", st.FavouritesCount)
	}
	r.svc.Favourite(ctx, r.users["fan"], root.ID) // twice counts once
	rb, err := r.svc.Reblog(ctx, r.users["fan"], root.ID)
	if err != nil || rb.ReblogOfID != root.ID {
		t.Fatalf("reblog = %+v, %v", rb, err)
	}
	got, _ := r.svc.Status(ctx, r.viewer(""), root.ID)
	if got.FavouritesCount != 1 || got.ReblogsCount != 1 || got.RepliesCount != 2 {
		t.Fatalf("counts = fav %d reblog %d replies %d", got.FavouritesCount, got.ReblogsCount, got.RepliesCount)
	}
	if _, err := r.svc.EditStatus(ctx, r.users["fan"], root.ID, social.NewStatus{Text: "hijack"}); !errs.Is(err, errs.KindForbidden) {
		t.Fatalf("someone else edited the status: %v", err)
	}
	if _, err := r.svc.EditStatus(ctx, r.users["doc"], root.ID, social.NewStatus{Text: "Root, corrected"}); err != nil {
		t.Fatal(err)
	}
	hist, _ := r.svc.History(ctx, r.viewer(""), root.ID)
	if len(hist) != 1 || !strings.HasPrefix(hist[0].Source, "Root by @fan") {
		t.Fatalf("history = %+v", hist)
	}
	// Keyset paging over the account timeline of fan: c, rb, a (newest first).
	all, _ := r.svc.Account(ctx, r.viewer(""), r.users["fan"].ID, social.Page{}, social.AccountOptions{})
	if len(all) != 3 {
		t.Fatalf("fan's timeline has %d", len(all))
	}
	page1, _ := r.svc.Account(ctx, r.viewer(""), r.users["fan"].ID, social.Page{Limit: 2}, social.AccountOptions{})
	page2, _ := r.svc.Account(ctx, r.viewer(""), r.users["fan"].ID, social.Page{Limit: 2, MaxID: page1[1].ID}, social.AccountOptions{})
	newer, _ := r.svc.Account(ctx, r.viewer(""), r.users["fan"].ID, social.Page{Limit: 1, MinID: all[2].ID}, social.AccountOptions{})
	if !slices.Equal(ids(append(page1, page2...)), ids(all)) || !slices.Equal(ids(newer), []int64{all[1].ID}) {
		t.Fatalf("paging: %v + %v vs %v; min_id gave %v", ids(page1), ids(page2), ids(all), ids(newer))
	}
	if _, err := r.svc.DeleteStatus(ctx, r.users["doc"], root.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := r.svc.Status(ctx, r.viewer("fan"), rb.ID); !errs.Is(err, errs.KindNotFound) {
		t.Fatal("a share outlived the deleted original")
	}
}

func TestArticles_MarkdownRenderedSafely(t *testing.T) {
	r := newRig(t, "doc")
	st, err := r.svc.CreateStatus(context.Background(), r.users["doc"], social.NewStatus{Kind: social.Article, Title: "Flu season",
		Text: "# What to know\n\n**Get vaccinated** at [our clinic](https://example.org).\n\n<script>alert(1)</script>\n\n[bad](javascript:alert(1))"})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<h1>What to know</h1>", "<strong>Get vaccinated</strong>", `<a href="https://example.org">our clinic</a>`} {
		if !strings.Contains(st.Content, want) {
			t.Errorf("article HTML lacks %q:\n%s", want, st.Content)
		}
	}
	for _, bad := range []string{"<script>", "javascript:"} {
		if strings.Contains(st.Content, bad) {
			t.Errorf("article HTML contains %q:\n%s", bad, st.Content)
		}
	}
}
