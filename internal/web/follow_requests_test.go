package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/notify"
	"github.com/rounds-health/rounds/internal/testkit"
)

// waitFor polls until done, for what the notification worker does after a
// request has returned.
func waitFor(t *testing.T, what string, done func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !done(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("still waiting after 5 s for %s", what)
		}
	}
}

func TestFollowRequests_LockedAccountAcceptsAndRejectsFromTheWeb(t *testing.T) {
	srv := testkit.Start(t)
	pat := testkit.NewPerson(t, srv.Accounts, "pat_locked", account.Patient)
	keen := testkit.NewPerson(t, srv.Accounts, "dr_keen", account.Clinician)
	nosy := testkit.NewPerson(t, srv.Accounts, "dr_nosy", account.Clinician)
	for _, p := range []*testkit.Person{keen, nosy} {
		if _, err := srv.Social.Follow(t.Context(), p.User, pat.User.ID); err != nil {
			t.Fatal(err)
		}
	}
	if resp, _ := srv.Get(t, srv.Client(), "/follow_requests"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("the requests page signed out = %d; want a redirect to sign in", resp.StatusCode)
	}
	pc := srv.Client()
	srv.SignIn(t, pc, pat)
	_, body := srv.Get(t, pc, "/notifications")
	if !strings.Contains(body, `href="/follow_requests" id="follow-requests-link"`) || !strings.Contains(body, "2 waiting for your answer") {
		t.Errorf("the notifications page does not lead to the 2 requests:\n%s", body)
	}
	if !strings.Contains(body, `id="requests-link"`) {
		t.Error("the navigation has no follow requests link while 2 wait")
	}
	resp, body := srv.Get(t, pc, "/follow_requests")
	for _, want := range []string{`action="/follow_requests/dr_keen/accept"`, `action="/follow_requests/dr_keen/reject"`,
		`action="/follow_requests/dr_nosy/accept"`} {
		if resp.StatusCode != 200 || !strings.Contains(body, want) {
			t.Fatalf("the requests page = %d, lacks %s\n%s", resp.StatusCode, want, body)
		}
	}

	resp, _ = srv.PostForm(t, pc, "/follow_requests/dr_keen/accept", url.Values{})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/follow_requests?done=accepted" {
		t.Fatalf("accept = %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, body = srv.Get(t, pc, resp.Header.Get("Location"))
	if !strings.Contains(body, "They now follow you") || strings.Contains(body, "/follow_requests/dr_keen/") {
		t.Errorf("after accepting, the page still offers dr_keen or says nothing:\n%s", body)
	}
	// htmx gets the answer in place of the request.
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/follow_requests/dr_nosy/reject", strings.NewReader(""))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("HX-Request", "true")
	resp, body = srv.Do(t, pc, req)
	if resp.StatusCode != 200 || !strings.Contains(body, "@dr_nosy</a>\nwill not follow you") || strings.Contains(body, "<html") {
		t.Fatalf("an htmx rejection = %d; want the answer alone\n%s", resp.StatusCode, body)
	}
	resp, body = srv.Do(t, pc, req.Clone(t.Context()))
	if resp.StatusCode != 200 || !strings.Contains(body, "has not asked to follow you") {
		t.Errorf("rejecting twice through htmx = %d; want the reason in place\n%s", resp.StatusCode, body)
	}
	if resp, _ := srv.PostForm(t, pc, "/follow_requests/dr_nosy/accept", url.Values{}); resp.StatusCode != http.StatusNotFound {
		t.Errorf("accepting a rejected request = %d; want 404", resp.StatusCode)
	}

	for who, want := range map[*testkit.Person]bool{keen: true, nosy: false} {
		rel, err := srv.Social.Relationship(t.Context(), pat.User.ID, who.User.ID)
		if err != nil || rel.FollowedBy != want {
			t.Errorf("%s follows the patient = %v (%v); want %v", who.User.Username, rel.FollowedBy, err, want)
		}
	}
	_, body = srv.Get(t, pc, "/follow_requests")
	if !strings.Contains(body, `id="no-requests"`) || strings.Contains(body, `id="requests-link"`) {
		t.Errorf("with every request answered the page still lists one, or the navigation still links it:\n%s", body)
	}
	waitFor(t, "the rejected request's notification to go", func() bool {
		list, _, err := srv.Notify.List(t.Context(), pat.User, notify.Filter{})
		return err == nil && len(list) == 1 && list[0].Type == notify.Follow && list[0].FromAccountID == keen.User.ID
	})
}

func TestFollowRequests_AnswersNeedTheOwnerAndTheSameOrigin(t *testing.T) {
	srv := testkit.Start(t)
	pat := testkit.NewPerson(t, srv.Accounts, "pat_guarded", account.Patient)
	fan := testkit.NewPerson(t, srv.Accounts, "dr_asking", account.Clinician)
	other := testkit.NewPerson(t, srv.Accounts, "pat_other", account.Patient)
	if _, err := srv.Social.Follow(t.Context(), fan.User, pat.User.ID); err != nil {
		t.Fatal(err)
	}
	pc, oc := srv.Client(), srv.Client()
	srv.SignIn(t, pc, pat)
	srv.SignIn(t, oc, other)
	cases := []struct {
		name   string
		client *http.Client
		origin string
		path   string
		status int
	}{
		{"someone else answering", oc, srv.URL, "/follow_requests/dr_asking/accept", http.StatusNotFound},
		{"an unknown account", pc, srv.URL, "/follow_requests/nobody_at_all/accept", http.StatusNotFound},
		{"a form from another site", pc, "https://evil.example", "/follow_requests/dr_asking/accept", http.StatusForbidden},
		{"signed out", srv.Client(), srv.URL, "/follow_requests/dr_asking/accept", http.StatusSeeOther},
	}
	for _, tc := range cases {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+tc.path, strings.NewReader(""))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", tc.origin)
		if tc.origin != srv.URL {
			req.Header.Set("Sec-Fetch-Site", "cross-site")
		}
		if resp, _ := srv.Do(t, tc.client, req); resp.StatusCode != tc.status {
			t.Errorf("%s = %d; want %d", tc.name, resp.StatusCode, tc.status)
		}
	}
	if n, err := srv.Social.FollowRequestCount(t.Context(), pat.User); err != nil || n != 1 {
		t.Errorf("pending after the refused answers = %d, %v; want the request still there", n, err)
	}
}
