package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/directory"
	"github.com/rounds-health/rounds/internal/social"
	"github.com/rounds-health/rounds/internal/testkit"
)

func published(t *testing.T, srv *testkit.Server, p *testkit.Person) []*social.Status {
	t.Helper()
	list, err := srv.Social.Account(context.Background(), social.Viewer{ID: p.User.ID}, p.User.ID, social.Page{}, social.AccountOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// A patient is warned first and publishes with "Publish anyway".
func TestCompose_PatientSeesWarningsThenPublishesAnyway(t *testing.T) {
	srv := testkit.Start(t)
	pat := testkit.NewPerson(t, srv.Accounts, "pat_warned", account.Patient)
	c := srv.Client()
	srv.SignIn(t, c, pat)
	text := "Anyone else seeing Dr. Okonkwo? Text me at 617-555-0144, I'm in Quincy."
	resp, body := srv.PostForm(t, c, "/statuses", url.Values{"status": {text}, "visibility": {"public"}})
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `id="confirm-button"`) || !strings.Contains(body, `data-type="PHONE"`) ||
		!strings.Contains(body, "You are about to publish a phone number") {
		t.Fatalf("first submit: %d; want the warnings and a Publish anyway button\n%s", resp.StatusCode, body)
	}
	if n := len(published(t, srv, pat)); n != 0 {
		t.Fatalf("%d statuses published before the patient confirmed", n)
	}
	resp, _ = srv.PostForm(t, c, "/statuses", url.Values{"status": {text}, "visibility": {"public"}, "confirm": {"1"}})
	if resp.StatusCode != http.StatusSeeOther || len(published(t, srv, pat)) != 1 {
		t.Fatalf("publish anyway: %d", resp.StatusCode)
	}
}

// A blocked draft goes to the organization's compliance officer, who
// releases it from the compliance page with a justification.
func TestCompliancePage_WriterSendsABlockedDraftTheOfficerReleasesIt(t *testing.T) {
	srv := testkit.Start(t)
	clinic := testkit.Organization(t, srv, "wc", "Westcove Clinic")
	writer := testkit.NewPerson(t, srv.Accounts, "wc_writer", account.Staff)
	clinic.AddStaff(t, srv, writer, directory.SocialMedia)
	wc, oc := srv.Client(), srv.Client()
	srv.SignIn(t, wc, writer)
	srv.SignIn(t, oc, clinic.Officer)
	text := "Our new pediatric after-hours line: 617-555-0166."
	resp, body := srv.PostForm(t, wc, "/statuses", url.Values{"status": {text}, "visibility": {"public"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="hold-button"`) ||
		!strings.Contains(body, ">Westcove Clinic</option>") || !strings.Contains(body, "617-555-0166.</textarea>") {
		t.Fatalf("blocked post: %d; want the draft kept and the hold form\n%s", resp.StatusCode, body)
	}
	resp, _ = srv.PostForm(t, wc, "/statuses/hold", url.Values{"status": {text}, "visibility": {"public"},
		"org_id": {strconv.FormatInt(clinic.ID, 10)}, "note": {"This line is on our web site."}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/compliance?held=1" {
		t.Fatalf("hold: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, page := srv.Get(t, oc, "/compliance")
	if !strings.Contains(page, `data-type="PHONE"`) || !strings.Contains(page, "This line is on our web site.") {
		t.Fatalf("the officer's page lacks the held draft:\n%s", page)
	}
	mine, _, err := srv.Publish.Holds(context.Background(), account.Actor{User: writer.User})
	if err != nil || len(mine) != 1 {
		t.Fatalf("writer's holds: %v %v", mine, err)
	}
	id := strconv.FormatInt(mine[0].ID, 10)
	resp, body = srv.PostForm(t, oc, "/compliance/holds/"+id+"/release", url.Values{"justification": {"ok"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "at least 20 characters") {
		t.Fatalf("a release without justification: %d\n%s", resp.StatusCode, body)
	}
	resp, _ = srv.PostForm(t, wc, "/compliance/holds/"+id+"/release", url.Values{"justification": {"I am sure this is fine to publish"}})
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("the writer released their own draft: %d", resp.StatusCode)
	}
	resp, _ = srv.PostForm(t, oc, "/compliance/holds/"+id+"/release", url.Values{"justification": {"Published after-hours number, see westcove.example/contact"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("release: %d", resp.StatusCode)
	}
	if list := published(t, srv, writer); len(list) != 1 || list[0].Source != text {
		t.Fatalf("after release the writer's statuses are %v", list)
	}
}
