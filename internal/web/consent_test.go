package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/consent"
	"github.com/rounds-health/rounds/internal/directory"
	"github.com/rounds-health/rounds/internal/testkit"
)

// The organization asks, the patient signs, the specialist publishes the
// story, the patient revokes: the story is gone and the organization sees
// why on its compliance page.
func TestTestimonials_AskSignPublishRevoke(t *testing.T) {
	srv := testkit.Start(t)
	clinic := testkit.Organization(t, srv, "tm", "Timberline Clinic")
	writer := testkit.NewPerson(t, srv.Accounts, "tm_writer", account.Staff)
	clinic.AddStaff(t, srv, writer, directory.SocialMedia)
	pat := testkit.NewPerson(t, srv.Accounts, "pat_teller", account.Patient)
	wc, pc := srv.Client(), srv.Client()
	srv.SignIn(t, wc, writer)
	srv.SignIn(t, pc, pat)

	resp, body := srv.PostForm(t, wc, "/compliance/authorizations", url.Values{"org_id": {strconv.FormatInt(clinic.ID, 10)},
		"patient": {"pat_teller"}, "purpose": {"x"}, "content": {"Your story"}, "expires_at": {"2001-01-01"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="purpose-err"`) || !strings.Contains(body, `id="expires_at-err"`) {
		t.Fatalf("a bad request: %d; want field errors\n%s", resp.StatusCode, body)
	}
	ends := time.Now().AddDate(1, 0, 0).Format("2006-01-02")
	resp, _ = srv.PostForm(t, wc, "/compliance/authorizations", url.Values{"org_id": {strconv.FormatInt(clinic.ID, 10)},
		"patient": {"pat_teller"}, "purpose": {"Share your recovery story on our Rounds page"},
		"content": {"Your first name and your story of knee rehab, in your words"}, "expires_at": {ends}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("ask: %d", resp.StatusCode)
	}
	list, _ := srv.Consent.ForPatient(context.Background(), account.Actor{User: pat.User})
	if len(list) != 1 {
		t.Fatalf("the patient has %d requests", len(list))
	}
	id := strconv.FormatInt(list[0].ID, 10)
	_, page := srv.Get(t, pc, "/authorizations")
	if !strings.Contains(page, "Your first name and your story of knee rehab") || !strings.Contains(page, "/authorizations/"+id+"/sign") {
		t.Fatalf("the patient's page:\n%s", page)
	}
	resp, body = srv.PostForm(t, pc, "/authorizations/"+id+"/sign", url.Values{"signature": {"Tamsin Oduya"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "revoke this authorization at any time") {
		t.Fatalf("signing without the acknowledgement: %d", resp.StatusCode)
	}
	resp, _ = srv.PostForm(t, pc, "/authorizations/"+id+"/sign", url.Values{"signature": {"Tamsin Oduya"}, "understood": {"1"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign: %d", resp.StatusCode)
	}
	_, home := srv.Get(t, wc, "/home")
	if !strings.Contains(home, `name="authorization_id"`) || !strings.Contains(home, "@pat_teller for Timberline Clinic") {
		t.Fatalf("the composer offers no patient story:\n%s", home)
	}
	story := "Tamsin was back on the trail four months after her knee rehab. Thank you for sharing, Tamsin!"
	resp, _ = srv.PostForm(t, wc, "/statuses", url.Values{"status": {story}, "visibility": {"public"}, "authorization_id": {id}})
	if resp.StatusCode != http.StatusSeeOther || len(published(t, srv, writer)) != 1 {
		t.Fatalf("publishing the story: %d", resp.StatusCode)
	}
	resp, _ = srv.PostForm(t, pc, "/authorizations/"+id+"/revoke", nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoke: %d", resp.StatusCode)
	}
	if n := len(published(t, srv, writer)); n != 0 {
		t.Fatalf("%d posts left after the revocation", n)
	}
	_, page = srv.Get(t, wc, "/compliance")
	if !strings.Contains(page, "revoked by the patient") || !strings.Contains(page, string(consent.Revoked)) {
		t.Fatalf("the compliance page does not tell:\n%s", page)
	}
}
