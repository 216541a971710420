package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/testkit"
)

type css = chromedp.CSS

func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(css(sel), chromedp.NodeVisible))
	if err != nil {
		t.Fatalf("read %s: %v", sel, err)
	}
	return s
}

func do(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		loc, _ := chromedp.Run(ctx, chromedp.Location())
		t.Fatalf("%s (at %s): %v", what, loc, err)
	}
}

// TestBrowser_SignUpEnrollTOTPSignOutSignInWithCode is the foundation's
// journey in a real headless Chromium: a clinician signs up, is sent to set
// up two-factor sign-in, reads the key, confirms a code, sees the recovery
// codes, signs out, and signs in again with password and code.
func TestBrowser_SignUpEnrollTOTPSignOutSignInWithCode(t *testing.T) {
	srv := testkit.Start(t)
	ctx := testkit.Browser(t)
	code := func(secret string, offset time.Duration) string {
		c, err := account.TOTPCode(secret, time.Now().Add(offset))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	do(t, ctx, "sign up",
		chromedp.Navigate(srv.URL+"/signup"),
		chromedp.WaitVisible(css("#username")),
		chromedp.SendKeys(css("#username"), "dr_journey"),
		chromedp.SendKeys(css("#display_name"), "Dr. Journey"),
		chromedp.SendKeys(css("#email"), "journey@example.org"),
		chromedp.SendKeys(css("#password"), testkit.Password),
		chromedp.Click(css(`input[name=role][value=clinician]`)),
		chromedp.Click(css(`input[name=age]`)),
		chromedp.Click(css(`form[action="/signup"] button[type=submit]`)),
		chromedp.WaitVisible(css("svg.qr")),
	)
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	attr, err := chromedp.Run(ctx, chromedp.AttributeValue(css("#totp-secret"), "data-secret"))
	if err != nil || !attr.Exists || !strings.Contains(loc, "/settings/2fa") {
		t.Fatalf("after sign-up the clinician is at %s (secret found: %v, %v); want the 2FA set-up", loc, attr.Exists, err)
	}
	secret := attr.Value

	// A wrong code first: the error shows beside the field.
	do(t, ctx, "wrong code",
		chromedp.SendKeys(css("#code"), "123456"),
		chromedp.Click(css(`form[action="/settings/2fa"] button[type=submit]`)),
		chromedp.WaitVisible(css("#code-err")),
	)
	if msg := text(t, ctx, "#code-err"); !strings.Contains(msg, "does not match") {
		t.Errorf("wrong-code message = %q", msg)
	}
	do(t, ctx, "confirm code",
		chromedp.SendKeys(css("#code"), code(secret, 0)),
		chromedp.Click(css(`form[action="/settings/2fa"] button[type=submit]`)),
		chromedp.WaitVisible(css("#recovery-codes")),
	)
	if n := len(strings.Fields(text(t, ctx, "#recovery-codes"))); n != 10 {
		t.Errorf("%d recovery codes shown; want 10", n)
	}
	do(t, ctx, "sign out",
		chromedp.Click(css(`header form[action="/signout"] button`)),
		chromedp.WaitVisible(css(`header a[href="/signin"]`)),
	)
	do(t, ctx, "sign in with password",
		chromedp.Navigate(srv.URL+"/signin"),
		chromedp.WaitVisible(css("#username")),
		chromedp.SendKeys(css("#username"), "dr_journey"),
		chromedp.SendKeys(css("#password"), testkit.Password),
		chromedp.Click(css(`form[action="/signin"] button[type=submit]`)),
		chromedp.WaitVisible(css("#code")),
	)
	// The step after the one used at enrolment: a used code is never accepted twice.
	// The 2FA page already shows li.who in its header; only a session that
	// may act has the Settings link, so wait for that.
	do(t, ctx, "second factor",
		chromedp.SendKeys(css("#code"), code(secret, 30*time.Second)),
		chromedp.Click(css(`form[action="/signin/2fa"] button[type=submit]`)),
		chromedp.WaitVisible(css(`header a[href="/settings"]`)),
	)
	if h := text(t, ctx, "header.site"); !strings.Contains(h, "@dr_journey") || !strings.Contains(h, "Settings") {
		t.Fatalf("after sign-in with the code the header reads %q", h)
	}
}
