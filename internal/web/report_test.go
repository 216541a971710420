package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/moderation"
	"github.com/rounds-health/rounds/internal/social"
	"github.com/rounds-health/rounds/internal/testkit"
)

// Report links are on other people's posts and profiles for signed-in
// members, and nowhere else.
func TestReportLinks_OnOthersPostsAndProfilesOnly(t *testing.T) {
	srv := testkit.Start(t)
	doc := testkit.NewPerson(t, srv.Accounts, "dr_reportable", account.Clinician)
	pat := testkit.NewPerson(t, srv.Accounts, "pat_reader", account.Patient)
	st, err := srv.Social.CreateStatus(t.Context(), doc.User, social.NewStatus{Text: "A post to report", Visibility: social.Public})
	if err != nil {
		t.Fatal(err)
	}
	postLink := `href="/report?account=dr_reportable&amp;status=` + itoa(st.ID) + `"`
	profileLink := `href="/report?account=dr_reportable"`
	pc, dc := srv.Client(), srv.Client()
	srv.SignIn(t, pc, pat)
	srv.SignIn(t, dc, doc)
	cases := []struct {
		name   string
		client *http.Client
		path   string
		link   string
		shown  bool
	}{
		{"a member on the post's page", pc, "/@dr_reportable/" + itoa(st.ID), postLink, true},
		{"a member on the public timeline", pc, "/public", postLink, true},
		{"a member on the profile", pc, "/@dr_reportable", profileLink, true},
		{"the author on their own post", dc, "/@dr_reportable/" + itoa(st.ID), "/report?", false},
		{"the author on their own profile", dc, "/@dr_reportable", "/report?", false},
		{"a visitor on the post's page", srv.Client(), "/@dr_reportable/" + itoa(st.ID), "/report?", false},
		{"a visitor on the profile", srv.Client(), "/@dr_reportable", "/report?", false},
	}
	for _, tc := range cases {
		resp, body := srv.Get(t, tc.client, tc.path)
		if resp.StatusCode != 200 || strings.Contains(body, tc.link) != tc.shown {
			t.Errorf("%s: %d, report link shown = %v; want %v", tc.name, resp.StatusCode, !tc.shown, tc.shown)
		}
	}
}

// Reporting an account from its profile offers its latest posts to
// include; what is sent lands in the moderators' queue as chosen.
func TestReportForm_AccountReportOffersRecentPostsAndReachesTheQueue(t *testing.T) {
	srv := testkit.Start(t)
	doc := testkit.NewPerson(t, srv.Accounts, "dr_spammy", account.Clinician)
	pat := testkit.NewPerson(t, srv.Accounts, "pat_annoyed", account.Patient)
	mod := testkit.NewPerson(t, srv.Accounts, "mod_queue", account.Moderator)
	post := func(text string, vis social.Visibility) *social.Status {
		st, err := srv.Social.CreateStatus(t.Context(), doc.User, social.NewStatus{Text: text, Visibility: vis})
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	first := post("Buy my supplements", social.Public)
	second := post("Buy them now", social.Public)
	hidden := post("Followers only", social.Private) // pat does not follow: never offered

	c := srv.Client()
	srv.SignIn(t, c, pat)
	resp, body := srv.Get(t, c, "/report?account=dr_spammy&status="+itoa(second.ID))
	if resp.StatusCode != 200 {
		t.Fatalf("report form = %d", resp.StatusCode)
	}
	for _, tc := range []struct {
		st   *social.Status
		want string
	}{
		{second, `name="status" value="` + itoa(second.ID) + `" checked`},
		{first, `name="status" value="` + itoa(first.ID) + `" aria-describedby`},
	} {
		if !strings.Contains(body, tc.want) {
			t.Errorf("the form lacks %s", tc.want)
		}
	}
	if strings.Contains(body, "Followers only") || strings.Contains(body, itoa(hidden.ID)) {
		t.Error("the form offers a post the reporter cannot read")
	}
	if i, j := strings.Index(body, "Buy them now"), strings.Index(body, "Buy my supplements"); i < 0 || j < i {
		t.Error("the post the reporter came from is not first")
	}

	send := func(form url.Values) {
		t.Helper()
		if resp, body := srv.PostForm(t, c, "/report", form); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("report %v = %d\n%s", form, resp.StatusCode, body)
		}
	}
	send(url.Values{"account": {"dr_spammy"}, "category": {"spam"}, "comment": {"Sells things"}})
	send(url.Values{"account": {"dr_spammy"}, "category": {"violation"}, "status": {itoa(first.ID), itoa(second.ID)}})
	resp, body = srv.PostForm(t, c, "/report", url.Values{"account": {"dr_spammy"}, "category": {"spam"}, "status": {itoa(hidden.ID)}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "does not exist or is not visible to you") {
		t.Errorf("reporting a post one cannot read = %d; want 422 saying so", resp.StatusCode)
	}

	items, err := srv.Moderation.Queue(t.Context(), account.Actor{User: mod.User, Via: "web"}, moderation.QueueFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range items {
		slices.Sort(it.StatusIDs)
		got = append(got, fmt.Sprintf("%s by %s about %s: %v %q", it.Category, it.Reporter.Username, it.Target.Username, it.StatusIDs, it.Comment))
	}
	want := []string{ // oldest first, as moderators work through it
		`spam by pat_annoyed about dr_spammy: [] "Sells things"`,
		fmt.Sprintf("violation by pat_annoyed about dr_spammy: %v \"\"", []int64{first.ID, second.ID}),
	}
	if !slices.Equal(got, want) {
		t.Errorf("the queue:\n got  %q\n want %q", got, want)
	}
}
