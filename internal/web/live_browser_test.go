package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/social"
	"github.com/rounds-health/rounds/internal/testkit"
)

// TestBrowser_FollowedClinicianPostAppearsLive: a patient follows a
// clinician from the profile page, opens the home timeline, and the
// clinician's new post appears on it without a reload.
func TestBrowser_FollowedClinicianPostAppearsLive(t *testing.T) {
	srv := testkit.Start(t)
	doc := testkit.NewPerson(t, srv.Accounts, "dr_live", account.Clinician)
	testkit.NewPerson(t, srv.Accounts, "pat_live", account.Patient)
	b := testkit.Browser(t)
	do(t, b, "sign in and follow",
		chromedp.Navigate(srv.URL+"/signin"),
		chromedp.WaitVisible(css("#username")),
		chromedp.SendKeys(css("#username"), "pat_live"),
		chromedp.SendKeys(css("#password"), testkit.Password),
		chromedp.Click(css(`form[action="/signin"] button[type=submit]`)),
		chromedp.WaitVisible(css(`header a[href="/settings"]`)),
		chromedp.Navigate(srv.URL+"/@dr_live"),
		chromedp.WaitVisible(css("#follow")),
		chromedp.Click(css("#follow")),
		chromedp.WaitVisible(css("#unfollow")),
		chromedp.Navigate(srv.URL+"/home"),
		chromedp.WaitVisible(css(`#timeline[data-kind="home"]`)),
	)
	// The page says when its live stream is subscribed.
	do(t, b, "live stream open", chromedp.WaitReady(css("body[data-live-ready]")))
	res, err := srv.Publish.Submit(t.Context(), account.Actor{User: doc.User}, social.NewStatus{Text: "Live: flu clinic open until 6 pm"})
	if err != nil {
		t.Fatal(err)
	}
	do(t, b, "see it arrive", chromedp.WaitVisible(css("#status-"+itoa(res.Status.ID))))
	if got := text(t, b, "#timeline"); !strings.Contains(got, "Live: flu clinic open until 6 pm") {
		t.Fatalf("timeline = %q", got)
	}
	loc, _ := chromedp.Run(b, chromedp.Location())
	if !strings.HasSuffix(loc, "/home") {
		t.Fatalf("the page moved to %s; the post must arrive without navigation", loc)
	}
}
