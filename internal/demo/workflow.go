package demo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/directory"
	"github.com/rounds-health/rounds/internal/drafts"
	"github.com/rounds-health/rounds/internal/publish"
	"github.com/rounds-health/rounds/internal/social"
)

// The organization and people of the workflow.
const (
	workflowOrg  = "harborview-heart-institute"
	specialist   = "harborview_tessa"
	officer      = "harborview_marcus"
	cardiologist = "dr_amara_osei"
	surgeon      = "dr_samuel_adeyemi"
)

// workflow is the cast of the demo's publishing workflow.
type workflow struct {
	svc Services
	org *directory.Organization
	as  map[string]account.Actor // by username
}

// seedWorkflow shows the publishing workflow at Harborview Heart Institute:
// its owner names a social-media specialist and a compliance officer and
// sets the approval steps; the officer makes claims need approval; the
// specialist's drafts stand at each stage a newcomer should see — one in
// review whose first version the guard stopped, one published with its
// attribution, one approved and scheduled, a patient story resting on a
// signed authorization — and a clinician's boast waits in the officer's
// queue of held posts. Everything is done by the person who would do it, so
// the audit log tells the same story. Two-factor sign-in is left to the
// person who signs in, as for every demo account.
func seedWorkflow(ctx context.Context, svc Services) error {
	w := &workflow{svc: svc, as: map[string]account.Actor{}}
	for _, name := range []string{"harborview_social", specialist, officer, cardiologist, surgeon, "healthy_at_70", "runner_beth"} {
		u, err := svc.Accounts.UserByUsername(ctx, name)
		if err != nil {
			return err
		}
		w.as[name] = account.Actor{User: u, Via: "demo"}
	}
	var err error
	if w.org, err = svc.Directory.Organization(ctx, w.as["harborview_social"], workflowOrg); err != nil {
		return err
	}
	for _, step := range []struct {
		what string
		run  func(context.Context) error
	}{
		{"staff and policy", w.setUp},
		{"published draft", w.publishedDraft},
		{"draft in review", w.draftInReview},
		{"scheduled draft", w.scheduledDraft},
		{"patient stories", w.patientStories},
		{"held post", w.heldPost},
	} {
		if err := step.run(ctx); err != nil {
			return fmt.Errorf("%s: %w", step.what, err)
		}
	}
	return nil
}

// setUp is the organization's configuration: its owner staffs the workflow
// and chooses the steps (the clinician, then compliance); the compliance
// officer makes claims need approval.
func (w *workflow) setUp(ctx context.Context) error {
	owner := w.as["harborview_social"]
	if err := w.svc.Directory.SetMember(ctx, owner, w.org.Slug, specialist, directory.SocialMedia); err != nil {
		return err
	}
	if err := w.svc.Directory.SetMember(ctx, owner, w.org.Slug, officer, directory.Compliance); err != nil {
		return err
	}
	steps := []drafts.Step{{Approver: drafts.ByClinician, Rule: drafts.Any}, {Approver: drafts.ByCompliance, Rule: drafts.Any}}
	if err := w.svc.Drafts.SetSteps(ctx, owner, w.org.ID, steps); err != nil {
		return err
	}
	return w.svc.Directory.SetOrgPolicy(ctx, w.as[officer], w.org.Slug, directory.Policy{ClaimsNeedApproval: true})
}

func note(text string) drafts.Content {
	return drafts.Content{Kind: social.Note, Text: text, Visibility: social.Public}
}

// create starts a draft as the specialist, for a clinician ("" for the
// organization itself).
func (w *workflow) create(ctx context.Context, forWhom string, c drafts.Content) (*drafts.Draft, error) {
	return w.svc.Drafts.Create(ctx, w.as[specialist], drafts.NewDraft{OrgID: w.org.ID, For: forWhom, Content: c})
}

// approve has each approver approve the draft's current version, in step order.
func (w *workflow) approve(ctx context.Context, d *drafts.Draft, approvers ...string) (*drafts.Draft, error) {
	for _, name := range approvers {
		var err error
		if d, err = w.svc.Drafts.Decide(ctx, w.as[name], d.ID, drafts.DecisionInput{Kind: drafts.Approve, Version: d.Version}); err != nil {
			return nil, fmt.Errorf("approval by %s: %w", name, err)
		}
	}
	return d, nil
}

// publishedDraft goes all the way: prepared for Dr. Osei, approved by her
// and by compliance, published at once, with its attribution under it.
func (w *workflow) publishedDraft(ctx context.Context) error {
	d, err := w.create(ctx, cardiologist, note("Salt hides in bread, soups and sauces more than in the salt shaker. "+
		"Reading labels for sodium is one of the simplest things you can do for your blood pressure. #hearthealth #hypertension"))
	if err != nil {
		return err
	}
	if d, err = w.approve(ctx, d, cardiologist, officer); err != nil {
		return err
	}
	_, err = w.svc.Drafts.PublishNow(ctx, w.as[specialist], d.ID)
	return err
}

// draftInReview is the draft a clinician finds waiting: its first version
// named a patient and the day of her discharge, which the guard blocks;
// compliance asked for changes, the specialist wrote a second version, and
// Dr. Osei's approval is pending.
func (w *workflow) draftInReview(ctx context.Context) error {
	d, err := w.create(ctx, cardiologist, note("Congratulations to Margaret Holloway, who finished our cardiac rehab program on March 3! "+
		"Evening sessions now run on Tuesdays and Thursdays. #hearthealth"))
	if err != nil {
		return err
	}
	if _, err := w.svc.Drafts.Decide(ctx, w.as[officer], d.ID, drafts.DecisionInput{Kind: drafts.RequestChanges, Version: d.Version,
		Body: "Version 1 names a patient and the day she finished rehab: that is PHI without her authorization. Speak of the program instead."}); err != nil {
		return err
	}
	if d, err = w.svc.Drafts.Edit(ctx, w.as[specialist], d.ID, d.Version, note("Congratulations to everyone finishing our cardiac rehab program this season! "+
		"Evening sessions now run on Tuesdays and Thursdays; ask your cardiologist whether rehab fits your recovery. #hearthealth")); err != nil {
		return err
	}
	_, err = w.svc.Drafts.Decide(ctx, w.as[specialist], d.ID, drafts.DecisionInput{Kind: drafts.Comment,
		Body: "Removed the name and the date. Dr. Osei, could you approve this version?"})
	return err
}

// scheduledDraft is the organization's own post, approved by compliance
// (the clinician step does not apply) and scheduled for tomorrow at 9:00
// UTC, when the server's job queue publishes it.
func (w *workflow) scheduledDraft(ctx context.Context) error {
	d, err := w.create(ctx, "", note("Join us for a free heart-health talk in the main campus atrium: what your blood pressure "+
		"and cholesterol numbers mean, and questions answered by our cardiologists. #hearthealth"))
	if err != nil {
		return err
	}
	if d, err = w.approve(ctx, d, officer); err != nil {
		return err
	}
	now := time.Now().UTC()
	_, err = w.svc.Drafts.Schedule(ctx, w.as[specialist], d.ID, time.Date(now.Year(), now.Month(), now.Day()+1, 9, 0, 0, 0, time.UTC))
	return err
}

// heldPost is what the claims policy does: Dr. Adeyemi's post boasts, the
// guard blocks it for Harborview, and he sends it to the compliance
// officer, whose queue of held posts it waits in.
func (w *workflow) heldPost(ctx context.Context) error {
	in := social.NewStatus{Kind: social.Note, Visibility: social.Public,
		Text: "Knee pain keeping you off the trails? Our sports medicine team is the best in Boston. #running #sportsmedicine"}
	_, err := w.svc.Publish.Submit(ctx, w.as[surgeon], in)
	var blocked *publish.BlockedError
	if !errors.As(err, &blocked) {
		return fmt.Errorf("the guard did not hold the claim (%v)", err)
	}
	_, err = w.svc.Publish.RequestRelease(ctx, w.as[surgeon], in, w.org.ID, "Our patient survey backs this up; can it go out as it is?")
	return err
}
