package social_test

import (
	"context"
	"maps"
	"slices"
	"testing"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/social"
	"github.com/rounds-health/rounds/internal/testkit"
)

func (r *rig) moderator(t *testing.T, name string) *account.User {
	t.Helper()
	u, err := r.accounts.CreateUser(context.Background(), account.CLI, account.NewUser{Username: name, Email: name + "@example.org",
		Password: testkit.Password, Role: account.Moderator, AgeAttested: true})
	if err != nil {
		t.Fatal(err)
	}
	r.users[name] = u
	return u
}

// sees reports where viewer finds st: by its id, in the thread of root,
// and on the home, public, hashtag and author's timelines.
func (r *rig) sees(t *testing.T, viewer string, st *social.Status, root int64, tag string) map[string]bool {
	t.Helper()
	ctx := context.Background()
	v := r.viewer(viewer)
	has := func(list []*social.Status) bool {
		return slices.ContainsFunc(list, func(s *social.Status) bool { return s.ID == st.ID || s.Reblog != nil && s.Reblog.ID == st.ID })
	}
	out := map[string]bool{}
	_, err := r.svc.Status(ctx, v, st.ID)
	out["status"] = err == nil
	_, desc, err := r.svc.Context(ctx, v, root)
	if err != nil {
		t.Fatal(err)
	}
	out["context"] = has(desc)
	for name, list := range map[string]func() ([]*social.Status, error){
		"home":   func() ([]*social.Status, error) { return r.svc.Home(ctx, v, social.Page{}) },
		"public": func() ([]*social.Status, error) { return r.svc.Public(ctx, v, social.Page{}) },
		"tag":    func() ([]*social.Status, error) { return r.svc.Tag(ctx, v, tag, social.Page{}) },
		"account": func() ([]*social.Status, error) {
			return r.svc.Account(ctx, v, st.AccountID, social.Page{}, social.AccountOptions{})
		},
	} {
		got, err := list()
		if err != nil && !(name == "home" && viewer == "") {
			t.Fatalf("%s: %v", name, err)
		}
		out[name] = has(got)
	}
	return out
}

func TestSetHidden_GoneForOthersEverywhereButNotForItsAuthor(t *testing.T) {
	r := newRig(t, "doc", "fan")
	mod := r.moderator(t, "mod")
	ctx := context.Background()
	if _, err := r.svc.Follow(ctx, r.users["fan"], r.users["doc"].ID); err != nil {
		t.Fatal(err)
	}
	root := r.post(t, "fan", "Any tips? #sleep", social.Public, 0)
	reply := r.post(t, "doc", "Patient in bed 4 sleeps well #sleep", social.Public, root.ID)
	if _, err := r.svc.Reblog(ctx, r.users["fan"], reply.ID); err != nil {
		t.Fatal(err)
	}
	everywhere := map[string]bool{"status": true, "context": true, "home": true, "public": true, "tag": true, "account": true}
	for _, v := range []string{"fan", "doc"} {
		if got := r.sees(t, v, reply, root.ID, "sleep"); !maps.Equal(got, everywhere) {
			t.Fatalf("before hiding, %s sees %v", v, got)
		}
	}
	st, err := r.svc.SetHidden(ctx, mod, reply.ID, true, "Describes a patient")
	if err != nil || !st.Hidden {
		t.Fatalf("hide = %+v, %v", st, err)
	}
	nowhere := map[string]bool{"status": false, "context": false, "home": false, "public": false, "tag": false, "account": false}
	for _, v := range []string{"fan", "mod", ""} {
		got := r.sees(t, v, reply, root.ID, "sleep")
		if v == "" {
			got["home"] = false // no home timeline without signing in
		}
		if !maps.Equal(got, nowhere) {
			t.Errorf("after hiding, %q sees %v; want nothing", v, got)
		}
	}
	// Its author still reads it, in its thread and on their profile; the
	// timelines of everyone's posts (home included) leave it out.
	authorView := map[string]bool{"status": true, "context": true, "home": false, "public": false, "tag": false, "account": true}
	if got := r.sees(t, "doc", reply, root.ID, "sleep"); !maps.Equal(got, authorView) {
		t.Errorf("after hiding, its author sees %v; want %v", got, authorView)
	}
	if _, err := r.svc.Favourite(ctx, r.users["fan"], reply.ID); !errs.Is(err, errs.KindNotFound) {
		t.Errorf("favouriting a hidden post: %v", err)
	}
	if _, err := r.svc.SetHidden(ctx, mod, reply.ID, false, "Reviewed: no patient is identifiable"); err != nil {
		t.Fatal(err)
	}
	if got := r.sees(t, "fan", reply, root.ID, "sleep"); !maps.Equal(got, everywhere) {
		t.Errorf("after restoring, fan sees %v", got)
	}
}

func TestSetHidden_Rules(t *testing.T) {
	r := newRig(t, "doc", "other")
	mod := r.moderator(t, "mod")
	ctx := context.Background()
	st := r.post(t, "doc", "A post", social.Public, 0)
	own := r.post(t, "mod", "The moderator's own post", social.Public, 0)
	gone := r.post(t, "doc", "Deleted by its author", social.Public, 0)
	if _, err := r.svc.DeleteStatus(ctx, r.users["doc"], gone.ID); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		actor  *account.User
		id     int64
		hidden bool
		reason string
		want   errs.Kind
	}{
		{"signed out", nil, st.ID, true, "x", errs.KindUnauthorized},
		{"a clinician", r.users["other"], st.ID, true, "x", errs.KindForbidden},
		{"the author", r.users["doc"], st.ID, true, "x", errs.KindForbidden},
		{"no reason", mod, st.ID, true, " ", errs.KindInvalid},
		{"one's own post", mod, own.ID, true, "x", errs.KindForbidden},
		{"a deleted post", mod, gone.ID, true, "x", errs.KindNotFound},
		{"no such post", mod, 12345, true, "x", errs.KindNotFound},
		{"restoring a visible post", mod, st.ID, false, "x", errs.KindConflict},
		{"hiding", mod, st.ID, true, "Spam", -1},
		{"hiding again", mod, st.ID, true, "Spam", errs.KindConflict},
	}
	for _, tc := range cases {
		_, err := r.svc.SetHidden(ctx, tc.actor, tc.id, tc.hidden, tc.reason)
		if tc.want == -1 {
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
			}
			continue
		}
		if !errs.Is(err, tc.want) {
			t.Errorf("%s: %v; want kind %d", tc.name, err, tc.want)
		}
	}
	if _, err := r.svc.StatusesForModeration(ctx, r.users["other"], []int64{st.ID}); !errs.Is(err, errs.KindForbidden) {
		t.Errorf("a clinician reading posts for moderation: %v", err)
	}
	list, err := r.svc.StatusesForModeration(ctx, mod, []int64{st.ID, gone.ID})
	if err != nil || len(list) != 2 || !list[0].Hidden || list[1].DeletedAt.IsZero() {
		t.Errorf("moderator reads the hidden and the deleted post: %v, %v", list, err)
	}
}
