package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/social"
	"github.com/rounds-health/rounds/internal/testkit"
)

func TestCompose_RefusedPostKeepsTheTextAndShowsTheError(t *testing.T) {
	srv := testkit.Start(t)
	doc := testkit.NewPerson(t, srv.Accounts, "dr_writer", account.Clinician)
	c := srv.Client()
	srv.SignIn(t, c, doc)
	long := strings.Repeat("word ", 120) // 600 characters
	resp, body := srv.PostForm(t, c, "/statuses", url.Values{"status": {long}, "visibility": {"public"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="status-err"`) ||
		!strings.Contains(body, "at most 500 characters") || !strings.Contains(body, strings.TrimSpace(long)) {
		t.Fatalf("an over-long post = %d; want 422 with the text kept and the error beside it", resp.StatusCode)
	}
	resp, body = srv.PostForm(t, c, "/statuses", url.Values{"status": {"Preview me #flu"}, "visibility": {"public"}, "preview": {"1"}})
	if resp.StatusCode != 200 || !strings.Contains(body, `class="mention hashtag"`) || !strings.Contains(body, "Preview me #flu</textarea>") {
		t.Fatalf("preview = %d", resp.StatusCode)
	}
	resp, _ = srv.PostForm(t, c, "/statuses", url.Values{"status": {"Flu clinic Saturday #flu"}, "visibility": {"public"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish = %d", resp.StatusCode)
	}
	_, body = srv.Get(t, c, "/home")
	if !strings.Contains(body, "Flu clinic Saturday") {
		t.Fatal("the post is not on the author's home timeline")
	}
	_, body = srv.Get(t, srv.Client(), "/@dr_writer")
	if !strings.Contains(body, "Flu clinic Saturday") || !strings.Contains(body, "1 posts") {
		t.Fatal("the post is not on the public profile")
	}
	_, body = srv.Get(t, srv.Client(), "/tags/flu")
	if !strings.Contains(body, "Flu clinic Saturday") {
		t.Fatal("the post is not on its hashtag page")
	}
}

func TestThread_RendersRepliesInOrderAndFollowFromProfile(t *testing.T) {
	srv := testkit.Start(t)
	doc := testkit.NewPerson(t, srv.Accounts, "dr_thread", account.Clinician)
	fan := testkit.NewPerson(t, srv.Accounts, "fan_thread", account.Clinician)
	dc, fc := srv.Client(), srv.Client()
	srv.SignIn(t, dc, doc)
	srv.SignIn(t, fc, fan)
	resp, _ := srv.PostForm(t, fc, "/accounts/dr_thread/follow", url.Values{})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("follow = %d", resp.StatusCode)
	}
	srv.PostForm(t, dc, "/statuses", url.Values{"status": {"Root post"}, "visibility": {"public"}})
	list, err := srv.Social.Account(t.Context(), social.Viewer{}, doc.User.ID, social.Page{}, social.AccountOptions{})
	if err != nil || len(list) != 1 {
		t.Fatalf("the root post: %v, %v", list, err)
	}
	root := list[0]
	for _, reply := range []string{"First reply", "Second reply"} {
		resp, _ := srv.PostForm(t, fc, "/statuses", url.Values{"status": {reply}, "visibility": {"public"}, "in_reply_to_id": {itoa(root.ID)}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("reply = %d", resp.StatusCode)
		}
	}
	_, body := srv.Get(t, srv.Client(), "/@dr_thread/"+itoa(root.ID))
	i, j, k := strings.Index(body, "Root post"), strings.Index(body, "First reply"), strings.Index(body, "Second reply")
	if i < 0 || !(i < j && j < k) {
		t.Fatalf("thread order: root %d, first %d, second %d", i, j, k)
	}
	_, body = srv.Get(t, fc, "/home")
	if !strings.Contains(body, "Root post") {
		t.Fatal("the follower's home lacks the followed clinician's post")
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
