package api_test

import (
	"net/http"
	"testing"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/testkit"
)

// newAPIPatient is a patient (whose account starts locked) with a token.
func newAPIPatient(t *testing.T, srv *testkit.Server, name string) *apiUser {
	t.Helper()
	p := testkit.NewPerson(t, srv.Accounts, name, account.Patient)
	token, err := srv.Accounts.IssueToken(t.Context(), account.CLI, name, "read write follow")
	if err != nil {
		t.Fatal(err)
	}
	return &apiUser{srv: srv, c: srv.Client(), token: token, id: jsonID(p.User.ID)}
}

// An unfavourite, an unreblog, a rejected and a withdrawn follow request
// take their notifications out of the list, as on Mastodon.
func TestNotificationsAPI_WithdrawnWhenTheActIsUndone(t *testing.T) {
	srv := testkit.Start(t)
	doc := newAPIUser(t, srv, "dr_undone", "read write follow")
	fan := newAPIUser(t, srv, "fickle_fan", "read write follow")
	steady := newAPIUser(t, srv, "steady_fan", "read write follow")
	pat := newAPIPatient(t, srv, "pat_private")

	var post struct{ ID string }
	doc.call(t, "POST", "/api/v1/statuses", `{"status":"Clinic closes early on Friday."}`, &post)
	fan.call(t, "POST", "/api/v1/statuses/"+post.ID+"/favourite", "", nil)
	fan.call(t, "POST", "/api/v1/statuses/"+post.ID+"/reblog", "", nil)
	steady.call(t, "POST", "/api/v1/statuses/"+post.ID+"/favourite", "", nil)
	fan.call(t, "POST", "/api/v1/accounts/"+pat.id+"/follow", "", nil)
	steady.call(t, "POST", "/api/v1/accounts/"+pat.id+"/follow", "", nil)

	list := func(u *apiUser) []notificationOut {
		var out []notificationOut
		if resp := u.call(t, "GET", "/api/v1/notifications", "", &out); resp.StatusCode != http.StatusOK {
			t.Fatalf("list = %d", resp.StatusCode)
		}
		return out
	}
	var before []notificationOut
	eventually(t, "the notifications of the acts", func() bool {
		before = list(doc)
		return summary(before) == "favourite/favourite steady_fan status, reblog/reblog fickle_fan status, favourite/favourite fickle_fan status" &&
			summary(list(pat)) == "follow_request/follow_request steady_fan, follow_request/follow_request fickle_fan"
	})

	for _, step := range []struct {
		who  *apiUser
		path string
	}{
		{fan, "/api/v1/statuses/" + post.ID + "/unfavourite"},
		{fan, "/api/v1/statuses/" + post.ID + "/unreblog"},
		{pat, "/api/v1/follow_requests/" + fan.id + "/reject"},
		{steady, "/api/v1/accounts/" + pat.id + "/unfollow"},
	} {
		if resp := step.who.call(t, "POST", step.path, "", nil); resp.StatusCode != http.StatusOK {
			t.Fatalf("POST %s = %d", step.path, resp.StatusCode)
		}
	}
	eventually(t, "the withdrawals", func() bool {
		return summary(list(doc)) == "favourite/favourite steady_fan status" && len(list(pat)) == 0
	})
	for _, gone := range []string{before[1].ID, before[2].ID} {
		var body map[string]any
		if resp := doc.call(t, "GET", "/api/v1/notifications/"+gone, "", &body); resp.StatusCode != http.StatusNotFound {
			t.Errorf("a withdrawn notification = %d %v; want 404", resp.StatusCode, body)
		}
	}
	var requests []map[string]any
	pat.call(t, "GET", "/api/v1/follow_requests", "", &requests)
	if len(requests) != 0 {
		t.Errorf("follow requests left = %v", requests)
	}
}
