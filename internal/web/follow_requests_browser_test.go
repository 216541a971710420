package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/moderation"
	"github.com/rounds-health/rounds/internal/social"
	"github.com/rounds-health/rounds/internal/testkit"
)

// TestBrowser_PatientAnswersFollowRequestsAndReportsAPost: a patient
// follows the navigation link to two follow requests, accepts one and
// rejects the other in place (htmx, under the strict CSP), then reports a
// clinician's post from its Report link; the report reaches the queue.
func TestBrowser_PatientAnswersFollowRequestsAndReportsAPost(t *testing.T) {
	srv := testkit.Start(t)
	ctx := t.Context()
	pat := testkit.NewPerson(t, srv.Accounts, "pat_browser", account.Patient)
	kind := testkit.NewPerson(t, srv.Accounts, "dr_kind", account.Clinician)
	pushy := testkit.NewPerson(t, srv.Accounts, "dr_pushy", account.Clinician)
	mod := testkit.NewPerson(t, srv.Accounts, "mod_browser", account.Moderator)
	for _, p := range []*testkit.Person{kind, pushy} {
		if _, err := srv.Social.Follow(ctx, p.User, pat.User.ID); err != nil {
			t.Fatal(err)
		}
	}
	st, err := srv.Social.CreateStatus(ctx, pushy.User, social.NewStatus{Text: "Saw a patient of mine at the shops today", Visibility: social.Public})
	if err != nil {
		t.Fatal(err)
	}

	b := testkit.Browser(t)
	do(t, b, "sign in and open the requests from the navigation",
		chromedp.Navigate(srv.URL+"/signin"),
		chromedp.WaitVisible(css("#username")),
		chromedp.SendKeys(css("#username"), "pat_browser"),
		chromedp.SendKeys(css("#password"), testkit.Password),
		chromedp.Click(css(`form[action="/signin"] button[type=submit]`)),
		chromedp.WaitVisible(css("#requests-link")),
		chromedp.Click(css("#requests-link")),
		chromedp.WaitVisible(css("#request-dr_kind")),
	)
	do(t, b, "accept and reject in place",
		chromedp.Click(css(`#request-dr_kind form[action$="/accept"] button`)),
		chromedp.WaitVisible(css(`#request-dr_kind [role=status]`)),
		chromedp.Click(css(`#request-dr_pushy form[action$="/reject"] button`)),
		chromedp.WaitVisible(css(`#request-dr_pushy [role=status]`)),
	)
	if got := text(t, b, "#follow-requests"); !strings.Contains(got, "@dr_kind now follows you") || !strings.Contains(got, "@dr_pushy will not follow you") {
		t.Errorf("after answering, the list reads %q", got)
	}
	if loc, _ := chromedp.Run(b, chromedp.Location()); !strings.HasSuffix(loc, "/follow_requests") {
		t.Errorf("the page moved to %s; htmx answers in place", loc)
	}
	for who, want := range map[*testkit.Person]bool{kind: true, pushy: false} {
		if rel, err := srv.Social.Relationship(ctx, pat.User.ID, who.User.ID); err != nil || rel.FollowedBy != want {
			t.Errorf("%s follows = %v (%v); want %v", who.User.Username, rel.FollowedBy, err, want)
		}
	}

	do(t, b, "report the post from its link",
		chromedp.Navigate(srv.URL+"/@dr_pushy/"+itoa(st.ID)),
		chromedp.WaitVisible(css(`#status-`+itoa(st.ID)+` a[href^="/report?"]`)),
		chromedp.Click(css(`#status-`+itoa(st.ID)+` a[href^="/report?"]`)),
		chromedp.WaitVisible(css(`input[name=category][value=phi]`)),
		chromedp.Click(css(`input[name=category][value=phi]`)),
		chromedp.SendKeys(css("#comment"), "Talks about meeting a patient"),
		chromedp.Click(css(`form[action="/report"] button[type=submit]`)),
		chromedp.WaitVisible(css(`p.notice`)),
	)
	if got := text(t, b, "p.notice"); !strings.Contains(got, "Your report is with the moderators") {
		t.Errorf("after reporting the page says %q", got)
	}
	items, err := srv.Moderation.Queue(ctx, account.Actor{User: mod.User, Via: "web"}, moderation.QueueFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 1 || items[0].Category != moderation.PHI || items[0].TargetID != pushy.User.ID ||
		len(items[0].StatusIDs) != 1 || items[0].StatusIDs[0] != st.ID || items[0].Comment != "Talks about meeting a patient" {
		t.Fatalf("the queue holds %+v; want the patient's report of the post", items)
	}
}
