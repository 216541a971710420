package demo

import (
	"context"
	"time"

	"github.com/rounds-health/rounds/internal/consent"
)

// patientStories asks two patients for testimonial authorizations: June
// signs hers, and her story goes out in Dr. Osei's name, linked to it (a
// revocation would take it down); Beth has not answered yet.
func (w *workflow) patientStories(ctx context.Context) error {
	until := time.Now().UTC().AddDate(2, 0, 0)
	a, err := w.svc.Consent.Ask(ctx, w.as[specialist], w.org.ID, "healthy_at_70", consent.Request{
		Purpose:   "To share your cardiac rehab story on Rounds, under Dr. Amara Osei's name, to encourage other patients to ask about rehab.",
		Content:   "Your first name and surname, that you are a retired teacher, and that you completed cardiac rehab at Harborview and now walk every morning.",
		ExpiresAt: until,
	})
	if err != nil {
		return err
	}
	if _, err := w.svc.Consent.Sign(ctx, w.as["healthy_at_70"], a.ID, "June Whitaker", true); err != nil {
		return err
	}
	story := note("June Whitaker, a retired teacher, finished cardiac rehab with us and now walks every morning. " +
		"\"Having people around me who knew what they were doing made all the difference.\" " +
		"Every recovery is different: ask your cardiologist whether rehab is right for you. #hearthealth")
	story.AuthorizationID = a.ID
	d, err := w.create(ctx, cardiologist, story)
	if err != nil {
		return err
	}
	if d, err = w.approve(ctx, d, cardiologist, officer); err != nil {
		return err
	}
	if _, err := w.svc.Drafts.PublishNow(ctx, w.as[specialist], d.ID); err != nil {
		return err
	}
	_, err = w.svc.Consent.Ask(ctx, w.as[specialist], w.org.ID, "runner_beth", consent.Request{
		Purpose:   "To share your return to running after knee surgery on Rounds, under Dr. Samuel Adeyemi's name.",
		Content:   "Your first name, that you are a marathoner, and that you returned to running after knee surgery with Dr. Adeyemi.",
		ExpiresAt: until,
	})
	return err
}
