package notify_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/audit"
	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/id"
	"github.com/rounds-health/rounds/internal/keyset"
	"github.com/rounds-health/rounds/internal/live"
	"github.com/rounds-health/rounds/internal/media"
	"github.com/rounds-health/rounds/internal/notify"
	"github.com/rounds-health/rounds/internal/social"
	"github.com/rounds-health/rounds/internal/testkit"
)

type rig struct {
	social *social.Service
	notify *notify.Service
	hub    *live.Hub
	users  map[string]*account.User
}

// newRig builds the services on a fresh database. Without Start, the
// notify service handles each event before the social call returns, so
// tests can look at the outcome at once.
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
	r := &rig{social: social.NewService(db, log, accounts, images, ids), hub: live.NewHub(64), users: map[string]*account.User{}}
	r.notify = notify.NewService(db, ids, accounts, r.social, r.hub, testkit.Logger())
	r.social.Listen(r.notify.Listen)
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
	st, err := r.social.CreateStatus(context.Background(), r.users[author], social.NewStatus{Text: text, Visibility: vis, InReplyToID: replyTo})
	if err != nil {
		t.Fatalf("post by %s: %v", author, err)
	}
	return st
}

func (r *rig) do(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func (r *rig) follow(t *testing.T, who, whom string) {
	t.Helper()
	_, err := r.social.Follow(context.Background(), r.users[who], r.users[whom].ID)
	r.do(t, who+" follows "+whom, err)
}

// seen renders a recipient's notifications as "type from status" lines, newest first.
func (r *rig) seen(t *testing.T, recipient string, f notify.Filter) []string {
	t.Helper()
	list, _, err := r.notify.List(context.Background(), r.users[recipient], f)
	if err != nil {
		t.Fatalf("list %s: %v", recipient, err)
	}
	names := map[int64]string{}
	for n, u := range r.users {
		names[u.ID] = n
	}
	var out []string
	for _, n := range list {
		line := string(n.Type) + " " + names[n.FromAccountID]
		if n.Status != nil {
			line += fmt.Sprintf(" %d", n.Status.ID)
		}
		out = append(out, line)
	}
	return out
}

func want(t *testing.T, got []string, want ...string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Fatalf("notifications:\n got  %q\n want %q", got, want)
	}
}

func TestNotify_FollowRequestMentionReplyFavouriteReblog(t *testing.T) {
	r := newRig(t, "doc", "fan", "pat")
	ctx := context.Background()
	r.follow(t, "fan", "doc")
	r.follow(t, "fan", "pat") // locked: a request
	want(t, r.seen(t, "pat", notify.Filter{}), "follow_request fan")
	_, err := r.social.AnswerFollowRequest(ctx, r.users["pat"], r.users["fan"].ID, true)
	r.do(t, "accept", err)
	want(t, r.seen(t, "pat", notify.Filter{}), "follow fan") // the answered request is gone

	post := r.post(t, "doc", "Flu clinic opens Monday.", social.Public, 0)
	reply := r.post(t, "fan", "Is it walk-in?", social.Public, post.ID)                    // a reply, no mention
	mentionReply := r.post(t, "fan", "@doc and for children?", social.Public, post.ID)     // a reply that mentions: one mention
	mention := r.post(t, "fan", "Thanks to @doc for the clear answers.", social.Public, 0) // a mention
	_, err = r.social.Favourite(ctx, r.users["fan"], post.ID)
	r.do(t, "favourite", err)
	_, err = r.social.Reblog(ctx, r.users["fan"], post.ID)
	r.do(t, "reblog", err)
	want(t, r.seen(t, "doc", notify.Filter{}),
		fmt.Sprintf("reblog fan %d", post.ID),
		fmt.Sprintf("favourite fan %d", post.ID),
		fmt.Sprintf("mention fan %d", mention.ID),
		fmt.Sprintf("mention fan %d", mentionReply.ID),
		fmt.Sprintf("reply fan %d", reply.ID),
		"follow fan")
}

func TestNotify_NeverForOneself(t *testing.T) {
	r := newRig(t, "doc")
	ctx := context.Background()
	post := r.post(t, "doc", "Note to self, @doc: order more vaccine.", social.Public, 0)
	r.post(t, "doc", "Follow-up to my own post.", social.Public, post.ID)
	_, err := r.social.Favourite(ctx, r.users["doc"], post.ID)
	r.do(t, "favourite", err)
	_, err = r.social.Reblog(ctx, r.users["doc"], post.ID)
	r.do(t, "reblog", err)
	want(t, r.seen(t, "doc", notify.Filter{}))
}

func TestNotify_NotFromBlockedOrMutedAccounts(t *testing.T) {
	r := newRig(t, "doc", "troll", "pest", "fan")
	ctx := context.Background()
	post := r.post(t, "doc", "Clinic hours changed.", social.Public, 0)
	_, err := r.social.Mute(ctx, r.users["doc"], r.users["pest"].ID)
	r.do(t, "mute", err)
	r.follow(t, "pest", "doc")
	r.post(t, "pest", "@doc hello again", social.Public, 0)
	r.post(t, "pest", "Another reply.", social.Public, post.ID)
	_, err = r.social.Favourite(ctx, r.users["pest"], post.ID)
	r.do(t, "favourite", err)
	// troll acts first, then is blocked: what came before disappears too.
	r.post(t, "troll", "@doc you again", social.Public, 0)
	r.follow(t, "troll", "doc")
	_, err = r.social.Block(ctx, r.users["doc"], r.users["troll"].ID)
	r.do(t, "block", err)
	r.post(t, "troll", "@doc can you hear me", social.Public, 0)
	r.follow(t, "fan", "doc")
	want(t, r.seen(t, "doc", notify.Filter{}), "follow fan")
	// Unmuting does not bring back what was never stored, but lets new ones through.
	_, err = r.social.Unmute(ctx, r.users["doc"], r.users["pest"].ID)
	r.do(t, "unmute", err)
	m := r.post(t, "pest", "@doc last try", social.Public, 0)
	want(t, r.seen(t, "doc", notify.Filter{}), fmt.Sprintf("mention pest %d", m.ID), "follow fan")
}

func TestNotify_NotAboutStatusesTheRecipientCannotRead(t *testing.T) {
	r := newRig(t, "doc", "fan")
	post := r.post(t, "doc", "Open question for everyone.", social.Public, 0)
	// A followers-only reply: doc does not follow fan, so may not read it.
	r.post(t, "fan", "Replying for my followers only.", social.Private, post.ID)
	want(t, r.seen(t, "doc", notify.Filter{}))
	// Deleting a status takes its notifications with it.
	m := r.post(t, "fan", "@doc see this", social.Public, 0)
	want(t, r.seen(t, "doc", notify.Filter{}), fmt.Sprintf("mention fan %d", m.ID))
	_, err := r.social.DeleteStatus(context.Background(), r.users["fan"], m.ID)
	r.do(t, "delete", err)
	want(t, r.seen(t, "doc", notify.Filter{}))
}

func TestNotify_ListPagesFiltersDismissesAndClears(t *testing.T) {
	r := newRig(t, "doc", "a_fan", "b_fan", "c_fan")
	ctx := context.Background()
	post := r.post(t, "doc", "Ask me anything.", social.Public, 0)
	r.follow(t, "a_fan", "doc")
	reply := r.post(t, "b_fan", "A question.", social.Public, post.ID)
	mention := r.post(t, "c_fan", "@doc another question", social.Public, 0)
	_, err := r.social.Favourite(ctx, r.users["c_fan"], post.ID)
	r.do(t, "favourite", err)

	all, _, err := r.notify.List(ctx, r.users["doc"], notify.Filter{})
	r.do(t, "list", err)
	if len(all) != 4 {
		t.Fatalf("%d notifications; want 4", len(all))
	}
	page, cur, err := r.notify.List(ctx, r.users["doc"], notify.Filter{Limit: 2})
	r.do(t, "page 1", err)
	if len(page) != 2 || page[0].ID != all[0].ID || cur.Oldest != all[1].ID || cur.Newest != all[0].ID {
		t.Fatalf("page 1 = %v, cursor %+v", page, cur)
	}
	page, _, err = r.notify.List(ctx, r.users["doc"], notify.Filter{Limit: 2, MaxID: cur.Oldest})
	r.do(t, "page 2", err)
	if len(page) != 2 || page[0].ID != all[2].ID || page[1].ID != all[3].ID {
		t.Fatalf("page 2 = %v", page)
	}
	page, _, err = r.notify.List(ctx, r.users["doc"], notify.Filter{Limit: 1, MinID: all[3].ID})
	r.do(t, "min_id", err)
	if len(page) != 1 || page[0].ID != all[2].ID {
		t.Fatalf("min_id page = %v; want the one just after", page)
	}
	want(t, r.seen(t, "doc", notify.Filter{Types: []notify.Type{notify.Mention}}), // replies count as mentions
		fmt.Sprintf("mention c_fan %d", mention.ID), fmt.Sprintf("reply b_fan %d", reply.ID))
	want(t, r.seen(t, "doc", notify.Filter{ExcludeTypes: []notify.Type{notify.Favourite, notify.Mention}}), "follow a_fan")
	want(t, r.seen(t, "doc", notify.Filter{Types: []notify.Type{"poll"}}))
	want(t, r.seen(t, "doc", notify.Filter{FromAccountID: r.users["a_fan"].ID}), "follow a_fan")
	if _, _, err := r.notify.List(ctx, r.users["doc"], notify.Filter{Limit: -1}); !errs.Is(err, errs.KindInvalid) {
		t.Fatalf("a negative limit = %v", err)
	}

	if _, err := r.notify.Get(ctx, r.users["a_fan"], all[0].ID); !errs.Is(err, errs.KindNotFound) {
		t.Fatalf("reading someone else's notification = %v", err)
	}
	if err := r.notify.Dismiss(ctx, r.users["a_fan"], all[0].ID); !errs.Is(err, errs.KindNotFound) {
		t.Fatalf("dismissing someone else's notification = %v", err)
	}
	if n, _ := r.notify.UnreadCount(ctx, r.users["doc"]); n != 4 {
		t.Fatalf("unread = %d", n)
	}
	r.do(t, "mark read", r.notify.MarkRead(ctx, r.users["doc"], all[2].ID))
	if n, _ := r.notify.UnreadCount(ctx, r.users["doc"]); n != 2 {
		t.Fatalf("unread after marking the oldest two = %d", n)
	}
	r.do(t, "dismiss", r.notify.Dismiss(ctx, r.users["doc"], all[0].ID))
	if _, err := r.notify.Get(ctx, r.users["doc"], all[0].ID); !errs.Is(err, errs.KindNotFound) {
		t.Fatalf("a dismissed notification = %v", err)
	}
	r.do(t, "clear", r.notify.Clear(ctx, r.users["doc"]))
	want(t, r.seen(t, "doc", notify.Filter{}))
}

func TestNotify_WorkerHandlesQueuedEventsBeforeStopping(t *testing.T) {
	r := newRig(t, "doc", "fan")
	stop := r.notify.Start(context.Background())
	r.follow(t, "fan", "doc")
	m := r.post(t, "fan", "@doc hello", social.Public, 0)
	stop()
	want(t, r.seen(t, "doc", notify.Filter{}), fmt.Sprintf("mention fan %d", m.ID), "follow fan")
}
