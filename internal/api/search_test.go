package api_test

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/testkit"
)

type searchOut struct {
	Accounts []struct {
		ID       string `json:"id"`
		Username string `json:"username"`
	} `json:"accounts"`
	Statuses []struct {
		ID      string `json:"id"`
		Content string `json:"content"`
	} `json:"statuses"`
	Hashtags []struct {
		Name    string `json:"name"`
		URL     string `json:"url"`
		History []struct {
			Day, Uses, Accounts string
		} `json:"history"`
		Following *bool `json:"following"`
	} `json:"hashtags"`
	Error string `json:"error"`
}

func (o searchOut) statusIDs() []string {
	var out []string
	for _, s := range o.Statuses {
		out = append(out, s.ID)
	}
	return out
}

func (o searchOut) usernames() []string {
	var out []string
	for _, a := range o.Accounts {
		out = append(out, a.Username)
	}
	return out
}

func TestSearchAPI_StatusesOnlyForThoseWhoMayReadThem(t *testing.T) {
	srv := testkit.Start(t)
	doc := newAPIUser(t, srv, "dr_search", "read write follow")
	fan := newAPIUser(t, srv, "fan_search", "read write follow")
	stranger := newAPIUser(t, srv, "stranger_search", "read")
	blocked := newAPIUser(t, srv, "blocked_search", "read write follow")
	anonymous := &apiUser{srv: srv, c: srv.Client()}
	var docAccount map[string]any
	doc.call(t, "GET", "/api/v1/accounts/verify_credentials", "", &docAccount)
	docID := docAccount["id"].(string)
	for _, u := range []*apiUser{fan, blocked} {
		if resp := u.call(t, "POST", "/api/v1/accounts/"+docID+"/follow", "", nil); resp.StatusCode != 200 {
			t.Fatalf("follow = %d", resp.StatusCode)
		}
	}
	var blockedAccount map[string]any
	blocked.call(t, "GET", "/api/v1/accounts/verify_credentials", "", &blockedAccount)
	doc.call(t, "POST", "/api/v1/accounts/"+blockedAccount["id"].(string)+"/block", "", nil)
	var pub, private map[string]any
	doc.call(t, "POST", "/api/v1/statuses", `{"status":"Flu shots are in #FluSeason"}`, &pub)
	doc.call(t, "POST", "/api/v1/statuses", `{"status":"Flu plans, followers only","visibility":"private"}`, &private)
	pubID, privateID := pub["id"].(string), private["id"].(string)

	search := func(u *apiUser, query string) (int, searchOut) {
		t.Helper()
		var out searchOut
		resp := u.call(t, "GET", "/api/v2/search?"+query, "", &out)
		return resp.StatusCode, out
	}
	cases := []struct {
		who      string
		u        *apiUser
		query    string
		statuses []string
		accounts []string
		tags     []string
	}{
		{"anonymous", anonymous, "q=flu", nil, nil, []string{"fluseason"}},
		{"stranger", stranger, "q=flu", []string{pubID}, nil, []string{"fluseason"}},
		{"follower", fan, "q=flu", []string{privateID, pubID}, nil, []string{"fluseason"}},
		{"blocked account", blocked, "q=flu", nil, nil, []string{"fluseason"}},
		{"author", doc, "q=flu&type=statuses", []string{privateID, pubID}, nil, nil},
		{"follower, hashtag form", fan, "q=%23flu", nil, nil, []string{"fluseason"}},
		{"follower, words with a hashtag", fan, "q=%23flu+followers", []string{privateID}, nil, nil},
		{"anonymous, accounts", anonymous, "q=DR_sea", nil, []string{"dr_search"}, nil},
		{"mention form", stranger, "q=%40fan_search", nil, []string{"fan_search"}, nil},
		{"local address", stranger, "q=fan_search%40" + url.QueryEscape(strings.TrimPrefix(srv.URL, "http://")), nil, []string{"fan_search"}, nil},
		{"foreign address", stranger, "q=fan_search%40elsewhere.example", nil, nil, nil},
		{"type=accounts", fan, "q=flu&type=accounts", nil, nil, nil},
		{"author filter", fan, "q=flu&account_id=" + docID + "&limit=1", []string{privateID}, nil, []string{"fluseason"}},
		{"display names, limit clamped", fan, "q=search&type=accounts&limit=100", nil,
			[]string{"blocked_search", "dr_search", "fan_search", "stranger_search"}, nil},
	}
	for _, tc := range cases {
		status, out := search(tc.u, tc.query)
		var tags []string
		for _, h := range out.Hashtags {
			tags = append(tags, h.Name)
		}
		if status != 200 || out.Accounts == nil || out.Statuses == nil || out.Hashtags == nil {
			t.Errorf("%s %q = %d %+v; want 200 with three arrays", tc.who, tc.query, status, out)
			continue
		}
		if !slices.Equal(out.statusIDs(), tc.statuses) || !slices.Equal(out.usernames(), tc.accounts) || !slices.Equal(tags, tc.tags) {
			t.Errorf("%s %q: statuses %v accounts %v tags %v; want %v %v %v", tc.who, tc.query,
				out.statusIDs(), out.usernames(), tags, tc.statuses, tc.accounts, tc.tags)
		}
	}

	_, out := search(fan, "q=fluseason")
	if h := out.Hashtags; len(h) != 1 || h[0].URL != srv.URL+"/tags/fluseason" || len(h[0].History) != 7 ||
		h[0].History[0].Uses != "1" || h[0].History[0].Accounts != "1" || h[0].Following == nil || *h[0].Following {
		t.Errorf("hashtag = %+v; want its URL, seven days of history and following false", h)
	}
	if _, out := search(anonymous, "q=fluseason"); len(out.Hashtags) != 1 || out.Hashtags[0].Following != nil {
		t.Errorf("anonymous hashtag = %+v; want no following field", out.Hashtags)
	}
}

// Patients are found by their exact username only: nobody can list them by
// trying prefixes.
func TestSearchAPI_PatientsNotDiscoverableByPrefix(t *testing.T) {
	srv := testkit.Start(t)
	testkit.NewPerson(t, srv.Accounts, "patient_zoe", account.Patient)
	testkit.NewPerson(t, srv.Accounts, "patient_doc", account.Clinician)
	anonymous := &apiUser{srv: srv, c: srv.Client()}
	for query, want := range map[string][]string{
		"q=patient":        {"patient_doc"},
		"q=patient_zo":     {},
		"q=patient_zoe":    {"patient_zoe"},
		"q=%40Patient_Zoe": {"patient_zoe"},
	} {
		var out searchOut
		anonymous.call(t, "GET", "/api/v2/search?type=accounts&"+query, "", &out)
		if got := out.usernames(); !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
			t.Errorf("%s = %v; want %v", query, got, want)
		}
	}
}

func TestSearchAPI_BadParametersAndAuthentication(t *testing.T) {
	srv := testkit.Start(t)
	reader := newAPIUser(t, srv, "dr_reader", "read:search")
	writer := newAPIUser(t, srv, "dr_writer", "write")
	anonymous := &apiUser{srv: srv, c: srv.Client()}
	wrongToken := &apiUser{srv: srv, c: srv.Client(), token: "not-a-token"}
	cases := []struct {
		name    string
		u       *apiUser
		query   string
		status  int
		errPart string
	}{
		{"no q", reader, "type=accounts", 400, "param is missing or the value is empty: q"},
		{"blank q", reader, "q=++", 400, "param is missing"},
		{"unknown type", reader, "q=x&type=people", 422, "type must be"},
		{"limit not a number", reader, "q=x&limit=ten", 422, "limit"},
		{"limit zero", reader, "q=x&limit=0", 422, "limit"},
		{"negative offset", reader, "q=x&offset=-1", 422, "offset"},
		{"bad account_id", reader, "q=x&account_id=abc", 422, "account_id"},
		{"unknown account_id", reader, "q=x&account_id=12345", 404, "Record not found"},
		{"control character", reader, "q=a%00b", 422, "control characters"},
		{"too long", reader, "q=" + strings.Repeat("a", 501), 422, "at most 500"},
		{"anonymous paging", anonymous, "q=x&offset=0", 401, "pagination is not supported without authentication"},
		{"anonymous resolve", anonymous, "q=x&resolve=true", 401, "resolve remote resources"},
		{"wrong token", wrongToken, "q=x", 401, ""},
		{"token without read", writer, "q=x", 403, "scopes"},
		{"signed-in resolve", reader, "q=x&resolve=true&offset=0", 200, ""},
		{"anonymous, resolve false", anonymous, "q=x&resolve=false", 200, ""},
	}
	for _, tc := range cases {
		var out searchOut
		resp := tc.u.call(t, "GET", "/api/v2/search?"+tc.query, "", &out)
		if resp.StatusCode != tc.status || !strings.Contains(out.Error, tc.errPart) || (tc.status != 200) == (out.Error == "") {
			t.Errorf("%s: %d %q; want %d containing %q", tc.name, resp.StatusCode, out.Error, tc.status, tc.errPart)
		}
	}
}
