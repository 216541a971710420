package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/rounds-health/rounds/internal/testkit"
)

// TestBrowser_SearchOpenProfileSeeBadge: a patient searches the directory
// for a cardiologist near a place, opens the profile and reads the
// verification badge and what was checked.
func TestBrowser_SearchOpenProfileSeeBadge(t *testing.T) {
	srv := testkit.Start(t)
	_, c := testkit.Clinician(t, srv, testkit.ClinicianSpec{Username: "dr_badge", First: "Bea", Last: "Badge",
		Specialties: []string{"207RC0000X"}, City: "Boston", State: "MA", Coordinates: "42.3601,-71.0589", NPIStem: 11,
		Accepting: true, Verify: true})
	testkit.Clinician(t, srv, testkit.ClinicianSpec{Username: "dr_far", First: "Far", Last: "Away",
		Specialties: []string{"207RC0000X"}, City: "New York", State: "NY", Coordinates: "40.7128,-74.0060", NPIStem: 12})
	ctx := testkit.Browser(t)
	do(t, ctx, "search",
		chromedp.Navigate(srv.URL+"/directory"),
		chromedp.WaitVisible(css("#near")),
		chromedp.SendKeys(css("#q"), "cardiologist"),
		chromedp.SendKeys(css("#near"), "Boston, MA"),
		chromedp.SendKeys(css("#radius"), "10"),
		chromedp.Click(css(`form.search button[type=submit]`)),
	)
	waitForURL(t, ctx, "near=")
	do(t, ctx, "results", chromedp.WaitVisible(css(`a[href="/clinicians/`+c.Slug+`"]`)))
	results := text(t, ctx, "#results")
	if !strings.Contains(results, "Dr. Bea Badge") || strings.Contains(results, "Far Away") || !strings.Contains(results, "Verified") {
		t.Fatalf("results = %q; want the Boston cardiologist only, with the badge", results)
	}
	do(t, ctx, "open profile",
		chromedp.Click(css(`a[href="/clinicians/`+c.Slug+`"]`)),
		chromedp.WaitVisible(css("#verification")),
	)
	badge := text(t, ctx, "#verification")
	for _, want := range []string{"Verified clinician", "Verified by @fixture_mod", "Exclusion list", "License", "NPI " + c.NPI} {
		if !strings.Contains(badge, want) {
			t.Errorf("the badge section lacks %q: %q", want, badge)
		}
	}
	ld, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('script[type="application/ld+json"]').textContent`))
	if err != nil || !strings.Contains(ld, `"@type":"Physician"`) {
		t.Fatalf("JSON-LD in the browser = %q, %v", ld, err)
	}
}

// waitForURL waits until the page's address contains part: a link visible
// on the page before a form's submission would otherwise satisfy a wait
// meant for the page after it.
func waitForURL(t *testing.T, ctx context.Context, part string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		loc, err := chromedp.Run(ctx, chromedp.Location())
		if err == nil && strings.Contains(loc, part) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the address never contained %q (last %q, %v)", part, loc, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
