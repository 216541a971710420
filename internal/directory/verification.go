package directory

import (
	"context"
	"fmt"
	"strings"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/audit"
	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/registry"
	"github.com/rounds-health/rounds/internal/taxonomy"
)

func isModerator(u *account.User) bool {
	return u != nil && (u.Role == account.Moderator || u.IsAdmin())
}

func hasFailedExclusion(cs []Check) bool {
	for _, ch := range cs {
		if ch.Name == "exclusions" && !ch.Passed && strings.Contains(ch.Detail, "matched by NPI") {
			return true
		}
	}
	return false
}

func specialtyCodes(c *Clinician) []string {
	codes := make([]string, len(c.Specialties))
	for i, s := range c.Specialties {
		codes[i] = s.Code
	}
	return codes
}

// exclusionReason describes an exclusion for the clinician and reviewers.
func exclusionReason(ex *registry.Exclusion) string {
	what := "exclusion " + ex.Type
	if d := registry.ExclusionTypeDescription(ex.Type); d != "" {
		what += ": " + d
	}
	if !ex.ExcludedOn.IsZero() {
		what += ", since " + ex.ExcludedOn.Format("January 2, 2006")
	}
	if ex.MatchedBy != "" {
		what += ", matched by " + map[string]string{"npi": "NPI", "name": "name"}[ex.MatchedBy]
	}
	return "Listed on the OIG List of Excluded Individuals/Entities (" + what + "); excluded clinicians cannot be verified."
}

// SubmitForVerification runs the automatic checks on the actor's profile
// and, when they pass, puts it in the moderators' queue. An invalid NPI, a
// registry record under another name or a deactivated NPI is refused with
// the reason; an excluded clinician is refused and the refusal recorded.
func (s *Service) SubmitForVerification(ctx context.Context, actor account.Actor) (*Clinician, error) {
	c, err := s.MyProfile(ctx, actor)
	if err != nil {
		return nil, err
	}
	if c == nil {
		return nil, errs.Invalid("npi", "Create your clinician profile first.")
	}
	if c.Status == Pending || c.Status == Verified {
		return nil, errs.Conflict("", "Your profile is already "+strings.ToLower(c.Status.Label())+".")
	}
	if c.Status == Suspended || hasFailedExclusion(c.Checks) {
		return nil, errs.Forbidden("A moderator must review your profile before it can be verified again; contact the moderators.")
	}
	var fs []errs.FieldError
	if c.NPI == "" {
		fs = append(fs, errs.FieldError{Field: "npi", Message: "Enter your NPI: verification starts from it."})
	}
	if c.LicenseState == "" || c.LicenseNumber == "" {
		fs = append(fs, errs.FieldError{Field: "license_number", Message: "Enter the state and number of your license; a moderator confirms them with the state board."})
	}
	if len(c.Specialties) == 0 {
		fs = append(fs, errs.FieldError{Field: "specialties", Message: "Choose at least one specialty."})
	}
	if err := errs.Fields(fs...); err != nil {
		return nil, err
	}
	if err := registry.ValidateNPI(c.NPI); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	checks := []Check{{Name: "npi", Passed: true, At: now, By: "system",
		Detail: fmt.Sprintf("NPI %s has 10 digits and a valid check digit.", c.NPI)}}
	m, err := s.registry.Match(ctx, c.NPI, c.FirstName, c.LastName, specialtyCodes(c))
	if err != nil {
		return nil, internal(err, "match registry")
	}
	switch {
	case m.InRegistry && (!m.NameMatches || m.Deactivated):
		reason := strings.Join(m.Reasons(), " ")
		_ = s.audit.Append(ctx, event(actor, "clinician.submit_verification", fmt.Sprintf("clinician:%d", c.ID), audit.Denied, "registry mismatch", nil))
		return nil, errs.Invalid("npi", reason+" Correct your profile, or contact the moderators if the registry is out of date.")
	case m.InRegistry:
		detail := fmt.Sprintf("NPPES lists NPI %s as %s", c.NPI, m.Provider.Name())
		if len(m.Listed) > 0 {
			var labels []string
			for _, code := range m.Listed {
				if t, ok := taxonomy.ByCode(code); ok {
					labels = append(labels, t.Label()+" ("+code+")")
				}
			}
			detail += ", with " + strings.Join(labels, ", ")
		}
		checks = append(checks, Check{Name: "registry", Passed: true, At: now, By: "system", Detail: detail + "."})
	default:
		checks = append(checks, Check{Name: "registry", Passed: false, At: now, By: "system",
			Detail: fmt.Sprintf("NPI %s is not in the imported NPPES registry; the moderator checks it by hand.", c.NPI)})
	}
	ex, err := s.registry.Excluded(ctx, c.NPI, c.FirstName, c.LastName, c.LicenseState)
	if err != nil {
		return nil, internal(err, "check exclusions")
	}
	if ex != nil && ex.MatchedBy == "npi" {
		checks = append(checks, Check{Name: "exclusions", Passed: false, At: now, By: "system", Detail: exclusionReason(ex)})
		c.Status, c.Checks, c.StatusNote, c.UpdatedAt = Rejected, checks, exclusionReason(ex), now
		err := s.db.WithTx(ctx, func(ctx context.Context) error {
			if err := s.st.updateClinician(ctx, c); err != nil {
				return err
			}
			return s.audit.Append(ctx, event(actor, "clinician.submit_verification", fmt.Sprintf("clinician:%d", c.ID), audit.Denied, "excluded", nil))
		})
		if err != nil {
			return nil, internal(err, "record exclusion")
		}
		return nil, errs.Forbidden(exclusionReason(ex))
	}
	if ex != nil {
		// A match on the name alone is not proof: the moderator decides, and
		// the failed check is visible to the clinician and moderators only.
		checks = append(checks, Check{Name: "exclusions", Passed: false, At: now, By: "system",
			Detail: exclusionReason(ex) + " The moderator checks whether it is the same person."})
	} else {
		checks = append(checks, Check{Name: "exclusions", Passed: true, At: now, By: "system",
			Detail: "Not on the OIG List of Excluded Individuals/Entities as imported."})
	}
	c.Status, c.Checks, c.StatusNote, c.UpdatedAt = Pending, checks, "", now
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.st.updateClinician(ctx, c); err != nil {
			return err
		}
		return s.audit.Append(ctx, event(actor, "clinician.submit_verification", fmt.Sprintf("clinician:%d", c.ID), audit.Success, "", nil))
	})
	if err != nil {
		return nil, internal(err, "submit verification")
	}
	return c, nil
}

// VerificationQueue lists profiles waiting for a moderator, oldest first.
// Moderators and administrators only; each look is audited, since the queue
// shows license numbers.
func (s *Service) VerificationQueue(ctx context.Context, actor account.Actor) ([]*Clinician, error) {
	if !isModerator(actor.User) {
		return nil, errs.Forbidden("The verification queue is for moderators.")
	}
	cs, err := s.st.cliniciansByStatus(ctx, Pending, 200)
	if err != nil {
		return nil, internal(err, "list queue")
	}
	if err := s.audit.Append(ctx, event(actor, "moderation.read_verification_queue", "", audit.Success, "", nil)); err != nil {
		return nil, internal(err, "audit queue read")
	}
	out := make([]*Clinician, 0, len(cs))
	for _, c := range cs {
		full, err := s.complete(ctx, c, true)
		if err != nil {
			return nil, err
		}
		out = append(out, full)
	}
	return out, nil
}

// Decision is a moderator's review of a pending profile.
type Decision struct {
	Approve bool
	Note    string // for approval: how the license was confirmed; for rejection: why
}

// Review approves or rejects a pending profile. Approval re-checks the
// exclusion list and records the license confirmation with the badge.
func (s *Service) Review(ctx context.Context, actor account.Actor, clinicianID int64, d Decision) (*Clinician, error) {
	if !isModerator(actor.User) {
		return nil, errs.Forbidden("Only moderators can verify clinicians.")
	}
	d.Note = strings.TrimSpace(d.Note)
	if d.Note == "" {
		if d.Approve {
			return nil, errs.Invalid("note", "Say how you confirmed the license (e.g. “Checked on the state board's site: active, no discipline”).")
		}
		return nil, errs.Invalid("note", "Say why the profile is not verified; the clinician sees it.")
	}
	if len(d.Note) > 500 {
		return nil, errs.Invalid("note", "The note is at most 500 characters.")
	}
	c, err := s.st.clinicianBy(ctx, "id", clinicianID)
	if err != nil {
		return nil, internal(err, "load clinician")
	}
	if c == nil {
		return nil, errs.NotFound("No such clinician.")
	}
	if c.Status != Pending {
		return nil, errs.Conflict("", "This profile is not waiting for review (it is "+strings.ToLower(c.Status.Label())+").")
	}
	if actor.User.ID == c.UserID {
		return nil, errs.Forbidden("You cannot review your own profile.")
	}
	now := s.now().UTC()
	by := actor.User.Username
	if d.Approve {
		ex, err := s.registry.Excluded(ctx, c.NPI, c.FirstName, c.LastName, c.LicenseState)
		if err != nil {
			return nil, internal(err, "check exclusions")
		}
		if ex != nil && ex.MatchedBy == "npi" {
			return nil, errs.Forbidden(exclusionReason(ex))
		}
		c.Checks = append(c.Checks, Check{Name: "license", Passed: true, At: now, By: by,
			Detail: fmt.Sprintf("%s license confirmed by a moderator: %s", c.LicenseState, d.Note)})
		c.Status, c.VerifiedBy, c.VerifiedAt, c.StatusNote = Verified, by, now, ""
	} else {
		c.Status, c.StatusNote = Rejected, d.Note
	}
	c.UpdatedAt = now
	full, err := s.complete(ctx, c, true)
	if err != nil {
		return nil, err
	}
	full.Status, full.Checks, full.VerifiedBy, full.VerifiedAt, full.StatusNote = c.Status, c.Checks, c.VerifiedBy, c.VerifiedAt, c.StatusNote
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.st.updateClinician(ctx, c); err != nil {
			return err
		}
		if err := s.reindex(ctx, full); err != nil {
			return err
		}
		outcome := "approved"
		if !d.Approve {
			outcome = "rejected"
		}
		return s.audit.Append(ctx, event(actor, "moderation.review_clinician", fmt.Sprintf("clinician:%d", c.ID), audit.Success, outcome, nil))
	})
	if err != nil {
		return nil, internal(err, "review clinician")
	}
	return full, nil
}

// ApplyExclusions suspends the badge of every verified clinician that the
// exclusion list (as last imported) now names. It returns how many.
func (s *Service) ApplyExclusions(ctx context.Context, actor account.Actor) (int, error) {
	cs, err := s.st.cliniciansByStatus(ctx, Verified, 1_000_000)
	if err != nil {
		return 0, internal(err, "list verified clinicians")
	}
	n := 0
	for _, c := range cs {
		ex, err := s.registry.Excluded(ctx, c.NPI, c.FirstName, c.LastName, c.LicenseState)
		if err != nil {
			return n, internal(err, "check exclusions")
		}
		if ex == nil {
			continue
		}
		now := s.now().UTC()
		c.Checks = append(c.Checks, Check{Name: "exclusions", Passed: false, At: now, By: "system", Detail: exclusionReason(ex)})
		if ex.MatchedBy == "npi" {
			c.Status, c.StatusNote = Suspended, "Badge suspended: "+exclusionReason(ex)
		} else {
			// A name-only match goes back to a moderator rather than being announced.
			c.Status, c.StatusNote = Pending, "Back in review: "+exclusionReason(ex)
		}
		c.UpdatedAt = now
		err = s.db.WithTx(ctx, func(ctx context.Context) error {
			if err := s.st.updateClinician(ctx, c); err != nil {
				return err
			}
			return s.audit.Append(ctx, event(actor, "clinician.suspend_verification", fmt.Sprintf("clinician:%d", c.ID), audit.Success, "excluded", nil))
		})
		if err != nil {
			return n, internal(err, "suspend verification")
		}
		n++
	}
	return n, nil
}
