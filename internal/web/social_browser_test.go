package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/social"
	"github.com/rounds-health/rounds/internal/testkit"
)

// TestBrowser_ReplyThreadRendersInOrder: a clinician posts, two people reply
// (one to the other), and the thread page shows them in reading order; a
// reply written in the browser lands in its place.
func TestBrowser_ReplyThreadRendersInOrder(t *testing.T) {
	srv := testkit.Start(t)
	ctx := t.Context()
	doc := testkit.NewPerson(t, srv.Accounts, "dr_threads", account.Clinician)
	ann := testkit.NewPerson(t, srv.Accounts, "ann_asks", account.Patient)
	post := func(p *testkit.Person, text string, replyTo int64) *social.Status {
		res, err := srv.Publish.Submit(ctx, account.Actor{User: p.User}, social.NewStatus{Text: text, InReplyToID: replyTo})
		if err != nil {
			t.Fatal(err)
		}
		return res.Status
	}
	root := post(doc, "Root: flu shots Saturday", 0)
	q := post(ann, "Question: walk-ins welcome?", root.ID)
	post(doc, "Answer: yes, until noon", q.ID)
	post(ann, "Second question: parking?", root.ID)

	b := testkit.Browser(t)
	do(t, b, "sign in",
		chromedp.Navigate(srv.URL+"/signin"),
		chromedp.WaitVisible(css("#username")),
		chromedp.SendKeys(css("#username"), "ann_asks"),
		chromedp.SendKeys(css("#password"), testkit.Password),
		chromedp.Click(css(`form[action="/signin"] button[type=submit]`)),
		chromedp.WaitVisible(css(`header a[href="/settings"]`)),
		chromedp.Navigate(srv.URL+"/@dr_threads/"+itoa(root.ID)),
		chromedp.WaitVisible(css("#thread")),
		chromedp.SendKeys(css("#status"), "Third: thank you!"),
		chromedp.Click(css(`#publish-button`)),
		chromedp.WaitVisible(css(`.focus a.author[href="/@ann_asks"]`)), // the new reply's own page
		chromedp.Navigate(srv.URL+"/@dr_threads/"+itoa(root.ID)),
		// the root's own page: it is the focus there (the reply's page has it as an ancestor)
		chromedp.WaitVisible(css(".focus #status-"+itoa(root.ID))),
	)
	thread := text(t, b, "#thread")
	order := []string{"Root: flu shots Saturday", "Question: walk-ins welcome?", "Answer: yes, until noon", "Second question: parking?", "Third: thank you!"}
	last := -1
	for _, s := range order {
		i := strings.Index(thread, s)
		if i <= last {
			t.Fatalf("thread order broken at %q:\n%s", s, thread)
		}
		last = i
	}
}
