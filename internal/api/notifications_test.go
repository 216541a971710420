package api_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/testkit"
)

// apiUser is a fixture account with a token, speaking JSON to the server.
type apiUser struct {
	srv   *testkit.Server
	c     *http.Client
	token string
	id    string
}

func newAPIUser(t *testing.T, srv *testkit.Server, name, scopes string) *apiUser {
	t.Helper()
	p := testkit.NewPerson(t, srv.Accounts, name, account.Clinician)
	token, err := srv.Accounts.IssueToken(t.Context(), account.CLI, name, scopes)
	if err != nil {
		t.Fatal(err)
	}
	return &apiUser{srv: srv, c: srv.Client(), token: token, id: jsonID(p.User.ID)}
}

func jsonID(id int64) string {
	b, _ := json.Marshal(id)
	return string(b)
}

// call sends a request and decodes the JSON answer into out (if not nil).
func (u *apiUser) call(t *testing.T, method, path, body string, out any) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(method, u.srv.URL+path, strings.NewReader(body))
	if u.token != "" {
		req.Header.Set("Authorization", "Bearer "+u.token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, raw := u.srv.Do(t, u.c, req)
	if out != nil {
		if err := json.Unmarshal([]byte(raw), out); err != nil {
			t.Fatalf("%s %s: %v in %s", method, path, err, raw)
		}
	}
	return resp
}

type notificationOut struct {
	ID      string `json:"id"`
	Type    string `json:"type"`
	Account struct {
		ID       string `json:"id"`
		Username string `json:"username"`
	} `json:"account"`
	Status *struct {
		ID string `json:"id"`
	} `json:"status"`
	Rounds struct {
		Type string `json:"type"`
	} `json:"rounds"`
	Error string `json:"error"`
}

func summary(list []notificationOut) string {
	var parts []string
	for _, n := range list {
		s := n.Type + "/" + n.Rounds.Type + " " + n.Account.Username
		if n.Status != nil {
			s += " status"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}

// eventually waits for what the notification worker does after a request returns.
func eventually(t *testing.T, what string, done func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !done(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("still waiting after 5 s for %s", what)
		}
	}
}

func TestNotificationsAPI_ListPageFilterDismissClear(t *testing.T) {
	srv := testkit.Start(t)
	doc := newAPIUser(t, srv, "dr_notified", "read write follow")
	fan := newAPIUser(t, srv, "notifying_fan", "read write follow")
	narrow := newAPIUser(t, srv, "dr_narrow", "read:statuses")

	var post struct{ ID string }
	doc.call(t, "POST", "/api/v1/statuses", `{"status":"Ask me about flu shots."}`, &post)
	fan.call(t, "POST", "/api/v1/accounts/"+doc.id+"/follow", "", nil)
	fan.call(t, "POST", "/api/v1/statuses", `{"status":"Are they free?","in_reply_to_id":"`+post.ID+`"}`, nil)
	fan.call(t, "POST", "/api/v1/statuses", `{"status":"Thank you @dr_notified"}`, nil)
	fan.call(t, "POST", "/api/v1/statuses/"+post.ID+"/favourite", "", nil)

	var all []notificationOut
	eventually(t, "four notifications", func() bool {
		all = nil
		doc.call(t, "GET", "/api/v1/notifications", "", &all)
		return len(all) == 4
	})
	if got := summary(all); got != "favourite/favourite notifying_fan status, mention/mention notifying_fan status, "+
		"mention/reply notifying_fan status, follow/follow notifying_fan" {
		t.Fatalf("notifications = %s", got)
	}
	var page []notificationOut
	resp := doc.call(t, "GET", "/api/v1/notifications?limit=2", "", &page)
	link := resp.Header.Get("Link")
	if len(page) != 2 || !strings.Contains(link, "max_id="+all[1].ID) || !strings.Contains(link, "min_id="+all[0].ID) {
		t.Fatalf("page = %s, Link = %s", summary(page), link)
	}
	page = nil
	doc.call(t, "GET", "/api/v1/notifications?limit=2&max_id="+all[1].ID, "", &page)
	if len(page) != 2 || page[0].ID != all[2].ID {
		t.Fatalf("the next page = %s", summary(page))
	}
	for query, want := range map[string]string{
		"types[]=follow":  "follow/follow notifying_fan",
		"types[]=mention": "mention/mention notifying_fan status, mention/reply notifying_fan status",
		"exclude_types[]=mention&exclude_types[]=favourite": "follow/follow notifying_fan",
		"account_id=" + doc.id:                              "",
	} {
		var got []notificationOut
		doc.call(t, "GET", "/api/v1/notifications?"+query, "", &got)
		if summary(got) != want {
			t.Errorf("?%s = %q; want %q", query, summary(got), want)
		}
	}

	var one notificationOut
	if resp := doc.call(t, "GET", "/api/v1/notifications/"+all[3].ID, "", &one); resp.StatusCode != 200 || one.Type != "follow" {
		t.Fatalf("one notification = %d %+v", resp.StatusCode, one)
	}
	cases := []struct {
		name         string
		who          *apiUser
		method, path string
		status       int
	}{
		{"someone else's notification", fan, "GET", "/api/v1/notifications/" + all[0].ID, 404},
		{"dismissing someone else's", fan, "POST", "/api/v1/notifications/" + all[0].ID + "/dismiss", 404},
		{"a token without read:notifications", narrow, "GET", "/api/v1/notifications", 403},
		{"no token", &apiUser{srv: srv, c: srv.Client()}, "GET", "/api/v1/notifications", 401},
		{"a bad limit", doc, "GET", "/api/v1/notifications?limit=x", 422},
		{"dismiss", doc, "POST", "/api/v1/notifications/" + all[0].ID + "/dismiss", 200},
		{"a dismissed notification", doc, "GET", "/api/v1/notifications/" + all[0].ID, 404},
		{"clear", doc, "POST", "/api/v1/notifications/clear", 200},
		{"a cleared notification", doc, "GET", "/api/v1/notifications/" + all[3].ID, 404},
	}
	for _, tc := range cases {
		var body map[string]any
		if resp := tc.who.call(t, tc.method, tc.path, "", &body); resp.StatusCode != tc.status {
			t.Errorf("%s: %d %v; want %d", tc.name, resp.StatusCode, body, tc.status)
		}
	}
	var left []notificationOut
	doc.call(t, "GET", "/api/v1/notifications", "", &left)
	if len(left) != 0 {
		t.Fatalf("after clear: %s", summary(left))
	}
}
