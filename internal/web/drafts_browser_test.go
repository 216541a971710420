package web_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/rounds-health/rounds/internal/testkit"
)

// TestBrowser_SpecialistDraftsForAClinicianWhoApprovesAndItGoesOutAtItsTimeWithAttribution
// is the publishing workflow's journey: a social-media specialist drafts a
// post for a physician, the guard marks the patient's name in it, the
// specialist edits it out and schedules the post a few minutes ahead; the
// physician approves it, then the compliance officer; when the job queue
// reaches the scheduled time the post appears on the physician's profile
// with "Prepared by Sam Lee, approved by Dr. Ada Quill".
func TestBrowser_SpecialistDraftsForAClinicianWhoApprovesAndItGoesOutAtItsTimeWithAttribution(t *testing.T) {
	srv, org, writer, doc := newClinicWithWriter(t)
	b := testkit.Browser(t)

	signInBrowser(t, b, srv, writer)
	do(t, b, "draft a post for the physician that names a patient",
		chromedp.Navigate(srv.URL+"/drafts"),
		chromedp.Click(css("#new-draft")),
		chromedp.WaitVisible(css("#status")),
		chromedp.SetValue(css("#for"), "dr_quill"),
		chromedp.SendKeys(css("#status"), namesPatient),
		chromedp.Click(css("#save-draft")),
		chromedp.WaitVisible(css(`#guard mark[data-type="NAME"]`)),
	)
	if name := text(t, b, `#guard mark[data-type="NAME"]`); !strings.Contains(name, "Maria Gonzalez") {
		t.Fatalf("the name marked is %q", name)
	}
	loc, err := chromedp.Run(b, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	draftURL := loc[:strings.Index(loc, "?")]
	id := draftURL[strings.LastIndex(draftURL, "/")+1:]

	at := time.Now().Add(10 * time.Minute).UTC().Truncate(time.Minute)
	do(t, b, "edit the name out and schedule the post",
		chromedp.SetValue(css("#status"), cleanDraft),
		chromedp.Click(css("#edit-button")),
		chromedp.WaitVisible(css("#version-2")),
		chromedp.SetValue(css("#publish_at"), at.Format("2006-01-02T15:04")),
		chromedp.Click(css("#schedule-button")),
		chromedp.WaitVisible(css(`#draft-schedule[data-schedule="scheduled"]`)),
	)
	if n := count(t, b, `#guard mark[data-type="NAME"], #guard .finding-blocking`); n != 0 {
		t.Fatalf("version 2 still has %d name or blocking mark(s)", n)
	}
	signOutBrowser(t, b)

	signInBrowser(t, b, srv, doc)
	do(t, b, "the physician finds the draft waiting and approves it",
		chromedp.Navigate(srv.URL+"/drafts"),
		chromedp.Click(css(`#to-review a[href="/drafts/`+id+`"]`)),
		chromedp.WaitVisible(css("#approve-button")),
		chromedp.Click(css("#approve-button")),
		chromedp.WaitVisible(css(`.draft-decisions li[data-kind="approve"]`)),
	)
	signOutBrowser(t, b)

	signInBrowser(t, b, srv, org.Officer)
	do(t, b, "the compliance officer approves it",
		chromedp.Navigate(draftURL),
		chromedp.Click(css("#approve-button")),
		chromedp.WaitVisible(css(`#draft-state[data-state="approved"]`)),
	)
	if n := statusesBy(t, srv, doc); n != 0 {
		t.Fatalf("%d statuses published before the scheduled time", n)
	}

	// The server's own runner lives in real time, ten minutes short of the
	// job; a runner whose clock has reached the time publishes it.
	ran, err := srv.Jobs.WithClock(func() time.Time { return at.Add(time.Minute) }).RunDue(context.Background())
	if err != nil || ran != 1 {
		t.Fatalf("the job queue ran %d job(s) at the scheduled time: %v", ran, err)
	}
	do(t, b, "the post is on the physician's profile with its attribution",
		chromedp.Navigate(srv.URL+"/@dr_quill"),
		chromedp.WaitVisible(css("article.status .attribution")),
	)
	post := text(t, b, "article.status")
	if !strings.Contains(post, "Movement is medicine!") || strings.Contains(post, "Gonzalez") {
		t.Fatalf("the published post reads:\n%s", post)
	}
	if line := text(t, b, "article.status .attribution"); line != "Prepared by Sam Lee, approved by Dr. Ada Quill" {
		t.Fatalf("the line under the post is %q", line)
	}
	do(t, b, "the draft says it was published",
		chromedp.Navigate(draftURL),
		chromedp.WaitVisible(css(`#draft-state[data-state="published"]`)),
		chromedp.WaitVisible(css("#published-link")),
	)
}

func signInBrowser(t *testing.T, b context.Context, srv *testkit.Server, p *testkit.Person) {
	t.Helper()
	do(t, b, "sign in as "+p.User.Username,
		chromedp.Navigate(srv.URL+"/signin"),
		chromedp.WaitVisible(css("#username")),
		chromedp.SendKeys(css("#username"), p.User.Username),
		chromedp.SendKeys(css("#password"), p.Password),
		chromedp.Click(css(`form[action="/signin"] button[type=submit]`)),
		chromedp.WaitVisible(css("#code")),
		chromedp.SendKeys(css("#code"), p.NextCode(t)),
		chromedp.Click(css(`form[action="/signin/2fa"] button[type=submit]`)),
		chromedp.WaitVisible(css(`header a[href="/drafts"]`)),
	)
}

func signOutBrowser(t *testing.T, b context.Context) {
	t.Helper()
	do(t, b, "sign out",
		chromedp.Click(css(`header form[action="/signout"] button`)),
		chromedp.WaitVisible(css(`header a[href="/signin"]`)),
	)
}

func count(t *testing.T, b context.Context, sel string) int {
	t.Helper()
	n, err := chromedp.Run(b, chromedp.Evaluate[int]("document.querySelectorAll("+strconv.Quote(sel)+").length"))
	if err != nil {
		t.Fatalf("count %s: %v", sel, err)
	}
	return n
}
