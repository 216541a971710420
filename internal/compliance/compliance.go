// Package compliance decides what the guard's findings mean for an author.
// The guard (internal/guard) finds identifiers, patient-relationship
// disclosures and claims in a text; compliance knows who is writing — a
// clinician or an organization's staff, whose blocking findings stop
// publication, or a patient, who is warned and may go on — and which public
// facts the author may repeat (their own name, their organization's
// published phone number and address). It is the publish service's Guard
// and Officers, and the check behind profile and organization text.
package compliance

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/audit"
	"github.com/rounds-health/rounds/internal/directory"
	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/guard"
	"github.com/rounds-health/rounds/internal/publish"
)

// Policy applies the guard to authors.
type Policy struct {
	detector *guard.Detector
	dir      *directory.Service
	audit    *audit.Log
}

// New builds the policy over a detector and the directory; blocked profile
// and organization texts are recorded in log (nil: not recorded).
func New(d *guard.Detector, dir *directory.Service, log *audit.Log) *Policy {
	return &Policy{detector: d, dir: dir, audit: log}
}

// warnsOnly reports whether the author's findings only warn: patients speak
// for themselves and may publish what they choose about themselves.
func warnsOnly(author *account.User) bool { return author.Role == account.Patient }

// Check runs the guard on one text for author.
func (p *Policy) Check(ctx context.Context, author *account.User, t publish.Text) ([]publish.Finding, error) {
	return p.check(ctx, author, t, t.Allowed)
}

// check is Check with extra public terms the text may repeat.
func (p *Policy) check(ctx context.Context, author *account.User, t publish.Text, extra []string) ([]publish.Finding, error) {
	allowed := extra
	claimsHeld := "" // an organization whose policy holds claims for approval
	if p.dir != nil {
		pres, err := p.dir.PresenceOf(ctx, author)
		if err != nil {
			return nil, err
		}
		allowed = append(allowed, pres.Terms...)
		for _, o := range pres.Orgs {
			if o.Policy.ClaimsNeedApproval && claimsHeld == "" {
				claimsHeld = o.Name
			}
		}
	} else {
		allowed = append(allowed, author.DisplayName, author.Username)
	}
	rep := p.detector.Check(t.Body, guard.Options{Context: guard.Context(t.Where), Answering: t.Answering, Allowed: allowed})
	out := make([]publish.Finding, 0, len(rep.Findings))
	for _, f := range rep.Findings {
		if f.Type == guard.Claim && warnsOnly(author) {
			continue // claims rules are for clinicians' and organizations' marketing, not a patient's own story
		}
		pf := publish.Finding{Start: f.Start, End: f.End, Type: string(f.Type), Text: f.Text, Explanation: f.Explanation,
			Blocking: f.Blocking, NeedsApproval: f.NeedsApproval}
		switch {
		case warnsOnly(author):
			pf.Blocking, pf.NeedsApproval = false, false
			pf.Explanation = patientWarning(f) + " " + f.Explanation
		case f.NeedsApproval && claimsHeld != "":
			pf.Blocking = true
			pf.Explanation += " " + claimsHeld + " asks a compliance officer to approve claims: send the post for review, or rephrase it."
		}
		out = append(out, pf)
	}
	return out, nil
}

// patientWarning says what a patient is about to publish, in their words.
func patientWarning(f guard.Finding) string {
	what := map[guard.Type]string{
		guard.Name: "a person's name", guard.Date: "a date", guard.Age: "an age over 89", guard.Location: "a place or address",
		guard.Phone: "a phone number", guard.Fax: "a fax number", guard.Email: "an email address", guard.SSN: "a Social Security number",
		guard.MRN: "a medical record number", guard.HealthPlan: "a health plan number", guard.Account: "an account number",
		guard.License: "a licence number", guard.Vehicle: "a vehicle identifier", guard.Device: "a device identifier",
		guard.URL: "a web address", guard.IP: "an IP address", guard.ID: "an identifying number",
	}[f.Type]
	if what == "" {
		return "Check this before you publish."
	}
	return "You are about to publish " + what + "."
}

// OrgsOf lists the organizations author speaks for.
func (p *Policy) OrgsOf(ctx context.Context, author *account.User) ([]publish.Org, error) {
	if p.dir == nil {
		return nil, nil
	}
	pres, err := p.dir.PresenceOf(ctx, author)
	if err != nil {
		return nil, err
	}
	out := make([]publish.Org, 0, len(pres.Orgs))
	for _, o := range pres.Orgs {
		out = append(out, publish.Org{ID: o.ID, Slug: o.Slug, Name: o.Name})
	}
	return out, nil
}

// IsComplianceOfficer reports whether userID may release the organization's held drafts.
func (p *Policy) IsComplianceOfficer(ctx context.Context, orgID, userID int64) (bool, error) {
	if p.dir == nil {
		return false, nil
	}
	return p.dir.IsComplianceOfficer(ctx, orgID, userID)
}

// CheckFields checks public profile or organization text (field name →
// text; allowed are public terms the text may repeat, such as the name
// being saved) and returns a field-level Invalid error for every field with
// a blocking finding, or nil. It is the account.TextCheck of the app.
// Patients' own profile text is theirs: only their posts get warnings.
func (p *Policy) CheckFields(ctx context.Context, author *account.User, fields map[string]string, allowed ...string) error {
	if author == nil || warnsOnly(author) {
		return nil
	}
	var problems []errs.FieldError
	for _, name := range slices.Sorted(maps.Keys(fields)) {
		fs, err := p.check(ctx, author, publish.Text{Body: fields[name], Where: string(guard.ContextProfile)}, allowed)
		if err != nil {
			return err
		}
		var msgs []string
		for _, f := range fs {
			if f.Blocking {
				msgs = append(msgs, fmt.Sprintf("%q: %s", f.Text, f.Explanation))
			}
		}
		if len(msgs) > 0 {
			problems = append(problems, errs.FieldError{Field: name,
				Message: "This text cannot be published as it is. " + strings.Join(msgs, " ")})
		}
	}
	if len(problems) > 0 && p.audit != nil {
		fields := make([]string, 0, len(problems))
		for _, f := range problems {
			fields = append(fields, f.Field)
		}
		// Which fields, never their words.
		if err := p.audit.Append(ctx, audit.Event{ActorID: author.ID, Actor: author.Username, Action: "publish.blocked",
			Outcome: audit.Denied, Detail: "profile text: " + strings.Join(fields, ", ")}); err != nil {
			return err
		}
	}
	return errs.Fields(problems...)
}
