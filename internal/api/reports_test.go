package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/mattn/go-mastodon"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/moderation"
	"github.com/rounds-health/rounds/internal/social"
	"github.com/rounds-health/rounds/internal/testkit"
)

func TestReportsAPI_MastodonShapeScopesAndErrors(t *testing.T) {
	srv := testkit.Start(t)
	ctx := context.Background()
	doc := testkit.NewPerson(t, srv.Accounts, "dr_reported", account.Clinician)
	other := testkit.NewPerson(t, srv.Accounts, "dr_bystander", account.Clinician)
	testkit.NewPerson(t, srv.Accounts, "pat_reports", account.Patient)
	token, err := srv.Accounts.IssueToken(ctx, account.CLI, "pat_reports", "read write")
	if err != nil {
		t.Fatal(err)
	}
	narrow, _ := srv.Accounts.IssueToken(ctx, account.CLI, "pat_reports", "write:reports")
	readOnly, _ := srv.Accounts.IssueToken(ctx, account.CLI, "pat_reports", "read")
	post := func(author *testkit.Person, text string, vis social.Visibility) string {
		st, err := srv.Social.CreateStatus(ctx, author.User, social.NewStatus{Text: text, Visibility: vis})
		if err != nil {
			t.Fatal(err)
		}
		return strconv.FormatInt(st.ID, 10)
	}
	bad := post(doc, "Saw Mrs. Jones from room 12 today", social.Public)
	followersOnly := post(doc, "For followers", social.Private)
	notHis := post(other, "Unrelated", social.Public)
	docID, selfID := strconv.FormatInt(doc.User.ID, 10), ""
	if me, err := srv.Accounts.UserByUsername(ctx, "pat_reports"); err == nil {
		selfID = strconv.FormatInt(me.ID, 10)
	}
	c := srv.Client()
	call := func(bearer, ctype, body string) (int, map[string]any) {
		req, _ := http.NewRequest("POST", srv.URL+"/api/v1/reports", strings.NewReader(body))
		if bearer != "" {
			req.Header.Set("Authorization", "Bearer "+bearer)
		}
		req.Header.Set("Content-Type", ctype)
		resp, raw := srv.Do(t, c, req)
		var m map[string]any
		if err := json.Unmarshal([]byte(raw), &m); err != nil {
			t.Fatalf("not JSON: %s", raw)
		}
		return resp.StatusCode, m
	}
	const jsonType, formType = "application/json", "application/x-www-form-urlencoded"

	status, m := call(token, jsonType, `{"account_id":"`+docID+`","status_ids":["`+bad+`"],"comment":"Names a patient",
		"category":"phi","forward":true,"rule_ids":["1"]}`)
	if status != 200 {
		t.Fatalf("report = %d %v", status, m)
	}
	target, _ := m["target_account"].(map[string]any)
	rounds, _ := m["rounds"].(map[string]any)
	ids, _ := m["status_ids"].([]any)
	if id, _ := m["id"].(string); id == "" || m["action_taken"] != false || m["action_taken_at"] != nil ||
		m["category"] != "other" || rounds["category"] != "phi" || m["comment"] != "Names a patient" || m["forwarded"] != false ||
		len(ids) != 1 || ids[0] != bad || target["id"] != docID || target["username"] != "dr_reported" || m["rule_ids"] != nil {
		t.Fatalf("report entity = %v", m)
	}
	if _, ok := m["created_at"].(string); !ok {
		t.Fatalf("created_at = %v", m["created_at"])
	}
	status, m = call(narrow, formType, "account_id="+docID+"&status_ids[]="+bad+"&category=spam&comment=Ads")
	if status != 200 || m["category"] != "spam" {
		t.Fatalf("form report with write:reports = %d %v", status, m)
	}

	cases := []struct {
		name, bearer, ctype, body string
		status                    int
		errPart                   string
	}{
		{"no token", "", jsonType, `{"account_id":"` + docID + `"}`, 401, "missing"},
		{"read-only token", readOnly, jsonType, `{"account_id":"` + docID + `"}`, 403, "scopes"},
		{"no account", token, jsonType, `{"comment":"x"}`, 422, "account_id"},
		{"unknown account", token, jsonType, `{"account_id":"999"}`, 404, "No such account"},
		{"oneself", token, jsonType, `{"account_id":"` + selfID + `"}`, 422, "yourself"},
		{"another account's post", token, formType, "account_id=" + docID + "&status_ids[]=" + notHis, 422, "not by @dr_reported"},
		{"a post the reporter cannot read", token, jsonType, `{"account_id":"` + docID + `","status_ids":[` + followersOnly + `]}`, 422, "not visible to you"},
		{"a malformed status id", token, formType, "account_id=" + docID + "&status_ids[]=abc", 422, "status ids"},
		{"unknown category", token, jsonType, `{"account_id":"` + docID + `","category":"rude"}`, 422, "category"},
		{"long comment", token, jsonType, `{"account_id":"` + docID + `","comment":"` + strings.Repeat("x", 1001) + `"}`, 422, "1000"},
	}
	for _, tc := range cases {
		status, m := call(tc.bearer, tc.ctype, tc.body)
		msg, _ := m["error"].(string)
		if status != tc.status || !strings.Contains(msg, tc.errPart) {
			t.Errorf("%s: %d %q; want %d containing %q", tc.name, status, msg, tc.status, tc.errPart)
		}
	}
	status, m = call(token, jsonType, `{"account_id":"`+docID+`","status_ids":["`+notHis+`"]}`)
	if details, _ := m["details"].(map[string]any); status != 422 || details["status_ids"] == nil {
		t.Errorf("field details = %d %v", status, m)
	}

	// A third-party Mastodon client files a report the same way.
	mc := mastodon.NewClient(&mastodon.Config{Server: srv.URL, AccessToken: token})
	rep, err := mc.Report(ctx, mastodon.ID(docID), []mastodon.ID{mastodon.ID(bad)}, "From go-mastodon")
	if err != nil || rep.ID == "" || rep.ActionTaken {
		t.Fatalf("go-mastodon Report = %+v, %v", rep, err)
	}

	// The moderators see the three reports; hiding the post takes it away
	// from the reporter on the API, not from its author.
	mod := account.Actor{User: testkit.Moderator(t, srv).User, Via: "test"}
	items, err := srv.Moderation.Queue(ctx, mod, moderation.QueueFilter{})
	if err != nil || len(items) != 3 || items[2].Comment != "From go-mastodon" {
		t.Fatalf("queue = %d, %v", len(items), err)
	}
	if _, err := srv.Moderation.Act(ctx, mod, items[0].ID, moderation.Action{Kind: moderation.HideStatus, Reason: "Names a patient"}); err != nil {
		t.Fatal(err)
	}
	authorToken, _ := srv.Accounts.IssueToken(ctx, account.CLI, "dr_reported", "read")
	get := func(bearer, path string) (int, string) {
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+bearer)
		resp, raw := srv.Do(t, c, req)
		return resp.StatusCode, raw
	}
	if s, _ := get(token, "/api/v1/statuses/"+bad); s != 404 {
		t.Errorf("the hidden status for the reporter = %d; want 404", s)
	}
	if s, _ := get(authorToken, "/api/v1/statuses/"+bad); s != 200 {
		t.Errorf("the hidden status for its author = %d; want 200", s)
	}
	if _, raw := get(token, "/api/v1/timelines/public"); strings.Contains(raw, `"id":"`+bad+`"`) {
		t.Error("the hidden status is on the public timeline")
	}
	if _, raw := get(token, "/api/v1/accounts/"+docID+"/statuses"); strings.Contains(raw, `"id":"`+bad+`"`) {
		t.Error("the hidden status is on its author's timeline for others")
	}
}
