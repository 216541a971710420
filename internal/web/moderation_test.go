package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/audit"
	"github.com/rounds-health/rounds/internal/social"
	"github.com/rounds-health/rounds/internal/testkit"
)

func TestReportForm_MemberReportsAPostWithErrorsBesideTheFields(t *testing.T) {
	srv := testkit.Start(t)
	doc := testkit.NewPerson(t, srv.Accounts, "dr_careless", account.Clinician)
	pat := testkit.NewPerson(t, srv.Accounts, "pat_watchful", account.Patient)
	st, err := srv.Social.CreateStatus(t.Context(), doc.User, social.NewStatus{Text: "Guess who I treated today", Visibility: social.Public})
	if err != nil {
		t.Fatal(err)
	}
	c := srv.Client()
	if resp, _ := srv.Get(t, c, "/report?account=dr_careless"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the report form signed out = %d; want a redirect to sign in", resp.StatusCode)
	}
	srv.SignIn(t, c, pat)
	resp, body := srv.Get(t, c, "/report?account=dr_careless&status="+itoa(st.ID))
	if resp.StatusCode != 200 || !strings.Contains(body, "Guess who I treated today") || !strings.Contains(body, `name="status" value="`+itoa(st.ID)+`"`) ||
		!strings.Contains(body, "Discloses patient information") {
		t.Fatalf("report form = %d\n%s", resp.StatusCode, body)
	}
	if resp, _ := srv.Get(t, c, "/report?account=nobody_here"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("reporting an unknown account = %d", resp.StatusCode)
	}
	form := url.Values{"account": {"dr_careless"}, "status": {itoa(st.ID)}, "category": {"gossip"}, "comment": {"Names a patient of hers"}}
	resp, body = srv.PostForm(t, c, "/report", form)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="category-err"`) ||
		!strings.Contains(body, "Names a patient of hers</textarea>") {
		t.Fatalf("a bad category = %d; want 422 with the error beside the field and the comment kept\n%s", resp.StatusCode, body)
	}
	form.Set("category", "phi")
	resp, _ = srv.PostForm(t, c, "/report", form)
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), "sent=1") {
		t.Fatalf("a good report = %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, body = srv.Get(t, c, resp.Header.Get("Location"))
	if !strings.Contains(body, "Your report is with the moderators") {
		t.Error("no confirmation after reporting")
	}
	resp, body = srv.PostForm(t, c, "/report", url.Values{"account": {"pat_watchful"}, "category": {"spam"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "You cannot report yourself") {
		t.Errorf("reporting oneself = %d", resp.StatusCode)
	}
}

func TestReportQueue_ModeratorHidesWithAReasonAndOthersAreRefused(t *testing.T) {
	srv := testkit.Start(t)
	doc := testkit.NewPerson(t, srv.Accounts, "dr_leaky", account.Clinician)
	pat := testkit.NewPerson(t, srv.Accounts, "pat_reporter", account.Patient)
	mod := testkit.NewPerson(t, srv.Accounts, "mod_web", account.Moderator)
	st, err := srv.Social.CreateStatus(t.Context(), doc.User, social.NewStatus{Text: "Room 12 has the flu, poor Mr. Smith", Visibility: social.Public})
	if err != nil {
		t.Fatal(err)
	}
	pc := srv.Client()
	srv.SignIn(t, pc, pat)
	resp, _ := srv.PostForm(t, pc, "/report", url.Values{"account": {"dr_leaky"}, "status": {itoa(st.ID)}, "category": {"phi"},
		"comment": {"Names a patient"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("report = %d", resp.StatusCode)
	}
	if resp, _ := srv.Get(t, pc, "/moderation/reports"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a patient opening the queue = %d; want 403", resp.StatusCode)
	}
	mc := srv.Client()
	srv.SignIn(t, mc, mod)
	resp, body := srv.Get(t, mc, "/moderation/reports")
	if resp.StatusCode != 200 || !strings.Contains(body, "Room 12 has the flu") || !strings.Contains(body, "Names a patient") ||
		!strings.Contains(body, "@pat_reporter") {
		t.Fatalf("queue = %d\n%s", resp.StatusCode, body)
	}
	m := regexp.MustCompile(`id="report-(\d+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no report on the queue page")
	}
	id := m[1]
	resp, _ = srv.PostForm(t, pc, "/moderation/reports/"+id+"/hide_status", url.Values{"reason": {"x"}})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("a patient acting = %d; want 403", resp.StatusCode)
	}
	resp, body = srv.PostForm(t, mc, "/moderation/reports/"+id+"/hide_status", url.Values{"reason": {""}, "status_id": {itoa(st.ID)}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="reason-`+id+`-err"`) {
		t.Fatalf("hiding without a reason = %d; want 422 with the error beside the reason\n%s", resp.StatusCode, body)
	}
	resp, _ = srv.PostForm(t, mc, "/moderation/reports/"+id+"/hide_status", url.Values{"reason": {"Identifies a patient"}, "status_id": {itoa(st.ID)}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("hiding = %d", resp.StatusCode)
	}
	_, body = srv.Get(t, mc, resp.Header.Get("Location"))
	if !strings.Contains(body, "hidden from everyone but its author") || !strings.Contains(body, "No open reports") {
		t.Errorf("after hiding, the queue page says:\n%s", body)
	}
	if resp, _ := srv.Get(t, pc, "/@dr_leaky/"+itoa(st.ID)); resp.StatusCode != http.StatusNotFound {
		t.Errorf("the hidden post for the reporter = %d; want 404", resp.StatusCode)
	}
	dc := srv.Client()
	srv.SignIn(t, dc, doc)
	if resp, body := srv.Get(t, dc, "/@dr_leaky/"+itoa(st.ID)); resp.StatusCode != 200 || !strings.Contains(body, "Room 12") {
		t.Errorf("the hidden post for its author = %d", resp.StatusCode)
	}
	_, body = srv.Get(t, mc, "/moderation/reports?state=resolved")
	if !strings.Contains(body, "Identifies a patient") || !strings.Contains(body, "Restore this post") {
		t.Errorf("the resolved report lacks its reason or the restore button:\n%s", body)
	}
	resp, body = srv.PostForm(t, mc, "/moderation/reports/"+id+"/restore_status", url.Values{"state": {"resolved"}, "status_id": {itoa(st.ID)}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="reason-`+id+`-err"`) {
		t.Errorf("restoring from the resolved tab without a reason = %d; want the error beside that report's reason", resp.StatusCode)
	}
	resp, _ = srv.PostForm(t, mc, "/moderation/reports/"+id+"/suspend", url.Values{"reason": {"Repeated disclosures"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("suspending = %d", resp.StatusCode)
	}
	if resp, _ := srv.Get(t, dc, "/home"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("the suspended clinician's session still works: %d", resp.StatusCode)
	}
	recs, err := srv.Audit.List(t.Context(), audit.Filter{Actor: "mod_web", Action: "moderation."})
	if err != nil {
		t.Fatal(err)
	}
	var details []string
	for _, r := range recs {
		details = append(details, r.Action+" "+r.Detail)
	}
	all := strings.Join(details, "\n")
	for _, want := range []string{"moderation.hide_status reason: Identifies a patient", "moderation.suspend_account sessions ended, API tokens revoked; reason: Repeated disclosures"} {
		if !strings.Contains(all, want) {
			t.Errorf("audit log lacks %q:\n%s", want, all)
		}
	}
}
