package drafts

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/audit"
	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/jobs"
	"github.com/rounds-health/rounds/internal/publish"
)

// PublishJob is the kind of the job that publishes a scheduled draft.
const PublishJob = "drafts.publish"

// LateGrace is how long after its time a scheduled draft may still go out
// (a runner busy or restarting). Later than that, it waits for a new time:
// a post about this evening must not appear tomorrow.
const LateGrace = 30 * time.Minute

type publishPayload struct {
	DraftID int64 `json:"draft_id"`
}

func when(t time.Time) string { return t.UTC().Format("2 January 2006, 15:04 UTC") }

// CheckPublishTime says whether at can be a publication time now (in the
// future, at most a year ahead), so that a form can refuse it before
// saving anything.
func (s *Service) CheckPublishTime(at time.Time) error {
	now := s.now().UTC()
	switch {
	case at.IsZero():
		return errs.Invalid("publish_at", "Give the time to publish at, like 2031-03-04T14:00:00Z.")
	case !at.After(now):
		return errs.Invalid("publish_at", "Choose a time in the future: "+when(at)+" has passed. The draft is kept as it was.")
	case at.After(now.Add(maxAhead)):
		return errs.Invalid("publish_at", "Schedule at most a year ahead.")
	}
	return nil
}

// Schedule sets the time the draft is published at, replacing any earlier
// one. The time must be in the future; the draft need not be approved yet,
// but it is published only if its approval is complete by then.
func (s *Service) Schedule(ctx context.Context, actor account.Actor, draftID int64, at time.Time) (*Draft, error) {
	u, err := user(actor)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	if err := s.CheckPublishTime(at); err != nil {
		return nil, err
	}
	var d *Draft
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if d, err = s.editable(ctx, u, draftID, "schedule"); err != nil {
			return err
		}
		if err := s.cancelSchedule(ctx, d); err != nil {
			return err
		}
		jobID, err := s.jobs.Enqueue(ctx, PublishJob, publishPayload{DraftID: d.ID}, at)
		if err != nil {
			return err
		}
		d.Schedule, d.PublishAt, d.JobID, d.ScheduleNote, d.UpdatedAt = Scheduled, at.UTC(), jobID, "", now
		if err := s.st.save(ctx, d); err != nil {
			return err
		}
		return s.audit.Append(ctx, event(u, "draft.schedule", d, audit.Success, "for "+at.UTC().Format(time.RFC3339)))
	})
	if err != nil {
		return nil, s.finish(ctx, u, "draft.schedule", d, err)
	}
	return s.get(ctx, draftID)
}

// Unschedule takes back the publication time.
func (s *Service) Unschedule(ctx context.Context, actor account.Actor, draftID int64) (*Draft, error) {
	u, err := user(actor)
	if err != nil {
		return nil, err
	}
	var d *Draft
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if d, err = s.editable(ctx, u, draftID, "unschedule"); err != nil {
			return err
		}
		if d.Schedule == NotScheduled {
			return errs.Conflict("", "This draft has no publication time.")
		}
		if err := s.cancelSchedule(ctx, d); err != nil {
			return err
		}
		d.UpdatedAt = s.now().UTC()
		if err := s.st.save(ctx, d); err != nil {
			return err
		}
		return s.audit.Append(ctx, event(u, "draft.unschedule", d, audit.Success, ""))
	})
	if err != nil {
		return nil, s.finish(ctx, u, "draft.unschedule", d, err)
	}
	return s.get(ctx, draftID)
}

// PublishNow publishes an approved draft at once.
func (s *Service) PublishNow(ctx context.Context, actor account.Actor, draftID int64) (*Draft, error) {
	u, err := user(actor)
	if err != nil {
		return nil, err
	}
	var d *Draft
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if d, err = s.editable(ctx, u, draftID, "publish"); err != nil {
			return err
		}
		_, decisions, authors, err := s.locked(ctx, draftID)
		if err != nil {
			return err
		}
		p, err := s.progress(ctx, d, decisions, authors)
		if err != nil {
			return err
		}
		if !p.Approved {
			return errs.Conflict("", "This draft is not approved yet: waiting for "+p.Waiting()+".")
		}
		return s.publish(ctx, u, d, p)
	})
	var un *unpublishable
	if errors.As(err, &un) {
		// The transaction, and with it the publish service's own record of a
		// blocked attempt, was rolled back: record the refusal here.
		if aerr := s.audit.Append(ctx, event(u, "draft.publish", d, audit.Denied, un.reason)); aerr != nil {
			return nil, internal(aerr, "audit refusal")
		}
		return nil, errs.Conflict("", un.message)
	}
	if err != nil {
		return nil, s.finish(ctx, u, "draft.publish", d, err)
	}
	return s.get(ctx, draftID)
}

// editable locks the draft for a change by its organization's editors.
func (s *Service) editable(ctx context.Context, u *account.User, draftID int64, what string) (*Draft, error) {
	d, _, _, err := s.locked(ctx, draftID)
	if err != nil {
		return nil, err
	}
	a, err := s.accessTo(ctx, u, d)
	if err != nil {
		return d, err
	}
	switch {
	case !a.read():
		return nil, errNoDraft
	case !a.edit():
		return d, refuse(errs.Forbidden("Only the owners and social-media specialists of "+d.Org.Name+" "+what+" its drafts."),
			"needs owner or social_media")
	case !d.State.Open():
		return d, errs.Conflict("", "This draft was "+string(d.State)+"; it cannot change any more.")
	}
	return d, nil
}

// cancelSchedule withdraws the draft's queued publication, if any.
func (s *Service) cancelSchedule(ctx context.Context, d *Draft) error {
	if d.JobID != 0 {
		if _, err := s.jobs.Cancel(ctx, d.JobID); err != nil {
			return err
		}
	}
	d.Schedule, d.JobID, d.ScheduleNote = NotScheduled, 0, ""
	if d.State.Open() {
		d.PublishAt = time.Time{}
	}
	return nil
}

// unpublishable is why an approved draft cannot be published now: the
// guard blocks it, the clinician's affiliation ended, an account was
// suspended. message is for the draft's staff and carries no draft text.
type unpublishable struct {
	reason  string // a code for the audit log
	message string
}

func (u *unpublishable) Error() string { return u.message }

// RunPublishJob is the PublishJob handler: at the scheduled time, the
// draft is published if its current version was fully approved by then;
// otherwise it waits for a new time, and its staff see why
// (Attention, and the draft's schedule note). Nothing is published
// silently late.
func (s *Service) RunPublishJob(ctx context.Context, j jobs.Job) error {
	var p publishPayload
	if err := j.Decode(&p); err != nil || p.DraftID == 0 {
		return jobs.Permanent(fmt.Errorf("payload of job %d is not a draft id", j.ID))
	}
	var miss *unpublishable
	var d *Draft
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		var decisions []Decision
		var authors map[int64]bool
		var err error
		if d, decisions, authors, err = s.locked(ctx, p.DraftID); err != nil {
			return err
		}
		if d.JobID != j.ID || d.Schedule != Scheduled || !d.State.Open() {
			return nil // rescheduled, withdrawn or decided since: this job is not wanted
		}
		pr, err := s.progress(ctx, d, decisions, authors)
		if err != nil {
			return err
		}
		if miss = s.missed(d, pr); miss != nil {
			return nil
		}
		return s.publish(ctx, nil, d, pr)
	})
	if errors.As(err, &miss) || (err == nil && miss != nil) {
		return s.markMissed(ctx, p.DraftID, j.ID, miss)
	}
	if errors.Is(err, errNoDraft) {
		return jobs.Permanent(fmt.Errorf("draft %d is gone", p.DraftID))
	}
	if err != nil && (j.Attempt >= j.MaxAttempts || errs.Is(err, errs.KindInvalid)) {
		// The last try, or an error no retry will cure: the draft must not
		// stay "scheduled" for a time long gone; its author is told.
		if merr := s.markMissed(ctx, p.DraftID, j.ID, &unpublishable{"error",
			"It could not be published at its time (" + errs.PublicMessage(err) + "). Choose a new time."}); merr != nil {
			return errors.Join(err, merr)
		}
		return jobs.Permanent(err)
	}
	return err
}

// missed says why a scheduled draft cannot go out at this run, or nil.
func (s *Service) missed(d *Draft, p *Progress) *unpublishable {
	now := s.now().UTC()
	approvedAt := d.ApprovedAt
	if approvedAt.IsZero() || d.State != Approved {
		approvedAt = now // approved only by a change of steps or staff seen now
	}
	switch {
	case !p.Approved:
		return &unpublishable{"not_approved", "It was not approved at its time, " + when(d.PublishAt) + ": it was waiting for " +
			p.Waiting() + ". Choose a new time once it is approved."}
	case approvedAt.After(d.PublishAt):
		return &unpublishable{"approved_late", "It was approved at " + when(approvedAt) + ", after its time, " + when(d.PublishAt) +
			"; it was not published late. Choose a new time."}
	case now.Sub(d.PublishAt) > LateGrace:
		return &unpublishable{"too_late", "Its time, " + when(d.PublishAt) + ", passed before it could be published; it was not published late. Choose a new time."}
	}
	return nil
}

// markMissed records that the scheduled publication did not happen.
func (s *Service) markMissed(ctx context.Context, draftID, jobID int64, why *unpublishable) error {
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		d, _, _, err := s.locked(ctx, draftID)
		if err != nil {
			return err
		}
		if d.JobID != jobID || d.Schedule != Scheduled {
			return nil
		}
		d.Schedule, d.JobID, d.ScheduleNote, d.UpdatedAt = NeedsNewTime, 0, why.message, s.now().UTC()
		if err := s.st.save(ctx, d); err != nil {
			return err
		}
		return s.audit.Append(ctx, event(nil, "draft.missed", d, audit.Failure, why.reason))
	})
}

// publish publishes the approved current version inside the caller's
// transaction, which holds the draft's lock: the status, its attribution,
// the draft's new state and the audit record commit together. by is the
// person publishing now, or nil for the scheduled job.
func (s *Service) publish(ctx context.Context, by *account.User, d *Draft, p *Progress) error {
	v := d.Current
	as, err := s.publisher(ctx, d, v.Author.ID)
	if err != nil {
		return err
	}
	o, err := s.dir.OrganizationRecord(ctx, d.Org.ID)
	if err != nil {
		return err
	}
	approvals, clinicianName, err := s.approvalsFor(ctx, d, p)
	if err != nil {
		return err
	}
	if d.For == nil {
		role, err := s.dir.RoleIn(ctx, d.Org.ID, as.ID)
		if err != nil {
			return err
		}
		if !(access{role: role}).edit() {
			return &unpublishable{"preparer_not_staff", v.Author.Name + ", who wrote this version, is no longer among the organization's social-media staff; edit it again, and have it approved."}
		}
	}
	var released []publish.Finding
	if p.Released {
		for _, f := range v.Findings {
			if f.Blocking {
				released = append(released, f)
			}
		}
	}
	res, err := s.pub.PublishApproved(ctx, as, v.Content.Status(), released, v.Content.AuthorizationID, d.Org.ID)
	var blocked *publish.BlockedError
	switch {
	case v.Content.AuthorizationID != 0 && errs.FieldMessage(err, "authorization_id") != "":
		return &unpublishable{"authorization", errs.FieldMessage(err, "authorization_id")}
	case errors.As(err, &blocked):
		return &unpublishable{"blocked", fmt.Sprintf("The guard now blocks %d thing(s) in it; edit it, and have it approved again.", len(blocked.Findings))}
	case errs.Is(err, errs.KindForbidden):
		return &unpublishable{"suspended", "The account it would be published from is suspended."}
	case err != nil:
		return err
	}
	now := s.now().UTC()
	prepared := v.Author
	a := &Attribution{StatusID: res.Status.ID, DraftID: d.ID, Version: v.Number, PreparedBy: prepared, OnBehalfOf: Org{ID: o.ID, Slug: o.Slug, Name: o.Name},
		Text: attributionText(prepared.Name, o.Name, clinicianName, len(approvals) > 0), CreatedAt: now}
	if err := s.st.insertAttribution(ctx, a, approvals); err != nil {
		return err
	}
	if err := s.cancelSchedule(ctx, d); err != nil {
		return err
	}
	d.State, d.StatusID, d.UpdatedAt = Published, res.Status.ID, now
	if err := s.st.save(ctx, d); err != nil {
		return err
	}
	return s.audit.Append(ctx, event(by, "draft.published", d, audit.Success, fmt.Sprintf("status:%d by user:%d, version %d",
		res.Status.ID, as.ID, v.Number)))
}

// approvalsFor lists who approved the published version for which step,
// and the clinician's name as patients read it ("Dr. Ada Quill"), which
// must still be confirmed as affiliated with the organization.
func (s *Service) approvalsFor(ctx context.Context, d *Draft, p *Progress) ([]approvalRecord, string, error) {
	var out []approvalRecord
	seen := map[int64]bool{}
	for _, sp := range p.Steps {
		for _, who := range sp.ApprovedBy {
			if !seen[who.ID] {
				seen[who.ID] = true
				out = append(out, approvalRecord{UserID: who.ID, Username: who.Username, Name: who.Name, As: sp.Step.Approver})
			}
		}
	}
	if d.For == nil {
		return out, "", nil
	}
	c, err := s.dir.AffiliatedClinician(ctx, d.Org.ID, d.For.ID)
	if err != nil {
		return nil, "", err
	}
	if c == nil {
		return nil, "", &unpublishable{"not_affiliated", d.For.Name + " is no longer confirmed as affiliated with " + d.Org.Name + "."}
	}
	name := c.DisplayName()
	for i := range out {
		if out[i].UserID == d.For.ID {
			out[i].Name = name
		}
	}
	return out, name, nil
}

// attributionText is the line under a published post.
func attributionText(prepared, org, clinician string, approved bool) string {
	switch {
	case clinician != "":
		return "Prepared by " + prepared + ", approved by " + clinician
	case approved:
		return "Prepared by " + prepared + " for " + org + ", approved by its compliance review"
	}
	return "Prepared by " + prepared + " for " + org
}

// Attributions returns the attributions of the given statuses (those
// published through the workflow), by status id, in one query: for the
// API's and the web's pages of statuses.
func (s *Service) Attributions(ctx context.Context, statusIDs []int64) (map[int64]*Attribution, error) {
	m, err := s.st.attributions(ctx, statusIDs)
	return m, internal(err, "load attributions")
}
