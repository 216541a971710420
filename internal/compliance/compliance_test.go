package compliance_test

import (
	"context"
	"strings"
	"testing"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/audit"
	"github.com/rounds-health/rounds/internal/directory"
	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/publish"
	"github.com/rounds-health/rounds/internal/testkit"
)

func blockingTypes(fs []publish.Finding) []string {
	var out []string
	for _, f := range fs {
		if f.Blocking {
			out = append(out, f.Type)
		}
	}
	return out
}

func TestCheck_BlocksProfessionalsWarnsPatientsAndAllowsTheirOwnPublicFacts(t *testing.T) {
	srv := testkit.Start(t)
	ctx := context.Background()
	clinic := testkit.Organization(t, srv, "cp", "Cedar Point Clinic") // its phone: (617) 555-0142
	doc, profile := testkit.Clinician(t, srv, testkit.ClinicianSpec{Username: "dr_ada_quill", First: "Ada", Last: "Quill",
		Specialties: []string{"207Q00000X"}, City: "Boston", State: "MA", Zip: "02114", NPIStem: 5151})
	clinic.Affiliate(t, srv, doc, profile)
	pat := testkit.NewPerson(t, srv.Accounts, "pat_plain", account.Patient)
	post := func(who *testkit.Person, text string) []publish.Finding {
		t.Helper()
		fs, err := srv.Compliance.Check(ctx, who.User, publish.Text{Body: text, Where: "post"})
		if err != nil {
			t.Fatal(err)
		}
		return fs
	}
	cases := []struct {
		name     string
		who      *testkit.Person
		text     string
		blocking string // a type that must block, "" for none
	}{
		{"the clinic's published number", doc, "Questions? Call Cedar Point Clinic at (617) 555-0142.", ""},
		{"the clinician's own name", doc, "Dr. Ada Quill here: flu shots are in this week.", ""},
		{"another phone number", doc, "Call me on my cell, 617-555-0199.", "PHONE"},
		{"a patient's name and a date", doc, "Great to see Harold Finch walking again after his hip surgery on April 2.", "NAME"},
		{"a patient's own phone number", pat, "Call me on my cell, 617-555-0199.", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := blockingTypes(post(c.who, c.text))
			if c.blocking == "" && len(got) > 0 || c.blocking != "" && !strings.Contains(strings.Join(got, ","), c.blocking) {
				t.Fatalf("blocking findings %v; want %q", got, c.blocking)
			}
		})
	}
	fs := post(pat, "Call me on my cell, 617-555-0199.")
	if len(fs) == 0 || !strings.HasPrefix(fs[0].Explanation, "You are about to publish a phone number") {
		t.Fatalf("a patient's warning = %+v", fs)
	}
}

func TestCheck_ClaimsWaitForApprovalWhenTheOrganizationsPolicySaysSo(t *testing.T) {
	srv := testkit.Start(t)
	ctx := context.Background()
	clinic := testkit.Organization(t, srv, "cl", "Clearwater Clinic")
	writer := testkit.NewPerson(t, srv.Accounts, "cl_writer", account.Staff)
	clinic.AddStaff(t, srv, writer, directory.SocialMedia)
	claim := "Our surgeons guarantee results: a 100% success rate, the best doctors in the state!"
	check := func() []publish.Finding {
		fs, err := srv.Compliance.Check(ctx, writer.User, publish.Text{Body: claim, Where: "post"})
		if err != nil {
			t.Fatal(err)
		}
		return fs
	}
	var claims int
	for _, f := range check() {
		if f.Type == "CLAIM" {
			claims++
			if f.Blocking || !f.NeedsApproval {
				t.Fatalf("without a policy a claim = %+v; want a non-blocking finding that needs approval", f)
			}
		}
	}
	if claims == 0 {
		t.Fatalf("no claim found in %q", claim)
	}
	if err := srv.Directory.SetOrgPolicy(ctx, account.Actor{User: writer.User}, clinic.Slug, directory.Policy{ClaimsNeedApproval: true}); errs.As(err) == nil ||
		errs.As(err).Kind != errs.KindForbidden {
		t.Fatalf("a social-media specialist set the policy: %v", err)
	}
	if err := srv.Directory.SetOrgPolicy(ctx, account.Actor{User: clinic.Officer.User}, clinic.Slug, directory.Policy{ClaimsNeedApproval: true}); err != nil {
		t.Fatal(err)
	}
	for _, f := range check() {
		if f.Type == "CLAIM" && (!f.Blocking || !strings.Contains(f.Explanation, "Clearwater Clinic asks a compliance officer")) {
			t.Fatalf("with the policy a claim = %+v; want blocking with the reason", f)
		}
	}
}

func TestProfileText_GuardedForProfessionalsWithFieldErrors(t *testing.T) {
	srv := testkit.Start(t)
	ctx := context.Background()
	doc := testkit.NewPerson(t, srv.Accounts, "dr_bio", account.Clinician)
	_, err := srv.Accounts.UpdateProfile(ctx, account.Actor{User: doc.User}, "Dr. Bio", "Ask for me, or text my patient Jenny Alvarez at 617-555-0123 for a reference.")
	if msg := errs.FieldMessage(err, "bio"); !strings.Contains(msg, "617-555-0123") {
		t.Fatalf("a bio with a patient's name and number = %v; want a bio field error quoting it", err)
	}
	recs, _ := srv.Audit.List(ctx, audit.Filter{Action: "publish.blocked"})
	if len(recs) != 1 || recs[0].Actor != "dr_bio" || !strings.Contains(recs[0].Detail, "bio") || strings.Contains(recs[0].Detail, "555") {
		t.Fatalf("the blocked bio's audit record = %+v", recs)
	}
	if _, err := srv.Accounts.UpdateProfile(ctx, account.Actor{User: doc.User}, "Dr. Bio", "Family physician; I love helping people stay well."); err != nil {
		t.Fatalf("a safe bio: %v", err)
	}
	owner := testkit.NewPerson(t, srv.Accounts, "org_maker", account.Staff)
	_, err = srv.Directory.CreateOrganization(ctx, account.Actor{User: owner.User}, directory.OrgInput{Name: "Lakeside Clinic",
		Kind: directory.Clinic, Phone: "(617) 555-0100", Description: "Call Lakeside Clinic at (617) 555-0100. Last week we treated John Carter for a broken arm."})
	if errs.FieldMessage(err, "description") == "" {
		t.Fatalf("an organization description naming a patient = %v; want a description field error", err)
	}
}

// One's own public facts are allowed in posts only as what they are: a
// display name cannot smuggle a phone number into the allowed terms.
func TestAllowedTerms_ADisplayNameCannotCarryOtherIdentifiers(t *testing.T) {
	srv := testkit.Start(t)
	ctx := context.Background()
	doc := testkit.NewPerson(t, srv.Accounts, "dr_smuggle", account.Clinician)
	_, err := srv.Accounts.UpdateProfile(ctx, account.Actor{User: doc.User}, "Marjorie Kowalczyk 617-555-0199", "")
	if errs.FieldMessage(err, "display_name") == "" {
		t.Fatalf("a display name with a phone number = %v; want a display_name field error", err)
	}
	u, err := srv.Accounts.UpdateProfile(ctx, account.Actor{User: doc.User}, "Marjorie Kowalczyk", "")
	if err != nil {
		t.Fatalf("a plain display name: %v", err)
	}
	fs, err := srv.Compliance.Check(ctx, u, publish.Text{Body: "Congratulations to Marjorie Kowalczyk, reach her at 617-555-0199.", Where: "post"})
	if err != nil {
		t.Fatal(err)
	}
	if got := blockingTypes(fs); !strings.Contains(strings.Join(got, ","), "PHONE") {
		t.Fatalf("blocking findings %v; the phone number must still block", got)
	}
}
