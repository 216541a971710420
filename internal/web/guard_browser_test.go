package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/social"
	"github.com/rounds-health/rounds/internal/testkit"
)

// TestBrowser_GuardHighlightsANameAndADateTheClinicianEditsThemOutAndPublishes
// is the compliance issue's browser journey: the composer keeps the draft,
// marks the patient's name and the date in place, and publishes the edited
// text.
func TestBrowser_GuardHighlightsANameAndADateTheClinicianEditsThemOutAndPublishes(t *testing.T) {
	srv := testkit.Start(t)
	doc := testkit.NewPerson(t, srv.Accounts, "dr_careful", account.Clinician)
	b := testkit.Browser(t)
	do(t, b, "sign in",
		chromedp.Navigate(srv.URL+"/signin"),
		chromedp.WaitVisible(css("#username")),
		chromedp.SendKeys(css("#username"), "dr_careful"),
		chromedp.SendKeys(css("#password"), testkit.Password),
		chromedp.Click(css(`form[action="/signin"] button[type=submit]`)),
		chromedp.WaitVisible(css("#code")),
		chromedp.SendKeys(css("#code"), doc.NextCode(t)),
		chromedp.Click(css(`form[action="/signin/2fa"] button[type=submit]`)),
		chromedp.WaitVisible(css(`header a[href="/settings"]`)),
	)
	leaky := "So glad Maria Gonzalez is walking again after her knee replacement on March 3!"
	do(t, b, "compose a post that names a patient and a date",
		chromedp.Navigate(srv.URL+"/home"),
		chromedp.WaitVisible(css("#status")),
		chromedp.SendKeys(css("#status"), leaky),
		// As the clinician types, the guard marks the name and the date in place.
		chromedp.WaitVisible(css(`#guard-live mark[data-type="NAME"]`)),
		chromedp.WaitVisible(css(`#guard-live mark[data-type="DATE"]`)),
		// Publishing anyway is refused, with the same marks and the draft kept.
		chromedp.Click(css("#publish-button")),
		chromedp.WaitVisible(css(`#form-error`)),
		chromedp.WaitVisible(css(`#guard mark[data-type="NAME"]`)),
		chromedp.WaitVisible(css(`#guard mark[data-type="DATE"]`)),
	)
	if name := text(t, b, `#guard mark[data-type="NAME"]`); !strings.Contains(name, "Gonzalez") {
		t.Errorf("the name highlighted is %q", name)
	}
	if date := text(t, b, `#guard mark[data-type="DATE"]`); !strings.Contains(date, "March 3") {
		t.Errorf("the date highlighted is %q", date)
	}
	kept, err := chromedp.Run(b, chromedp.Value(css("#status")))
	if err != nil || kept != leaky {
		t.Fatalf("the composer kept %q", kept)
	}
	if n := statusesBy(t, srv, doc); n != 0 {
		t.Fatalf("%d statuses published while the guard blocked", n)
	}
	safe := "So glad to see patients walking again after knee replacement. Movement is medicine!"
	do(t, b, "edit them out and publish",
		chromedp.SetValue(css("#status"), safe),
		chromedp.Click(css("#publish-button")),
		chromedp.WaitVisible(css(`article.status`)),
	)
	if feed := text(t, b, "main"); !strings.Contains(feed, "Movement is medicine!") || strings.Contains(feed, "Gonzalez") {
		t.Fatalf("after publishing the home timeline reads:\n%s", feed)
	}
	if n := statusesBy(t, srv, doc); n != 1 {
		t.Fatalf("%d statuses published; want 1", n)
	}
}

func statusesBy(t *testing.T, srv *testkit.Server, p *testkit.Person) int {
	t.Helper()
	list, err := srv.Social.Account(context.Background(), social.Viewer{ID: p.User.ID}, p.User.ID, social.Page{}, social.AccountOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return len(list)
}
