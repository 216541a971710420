// Package consent holds patients' HIPAA authorizations for testimonials
// (45 CFR 164.508): an organization asks a patient in Rounds for permission
// to publish the patient's story, saying what would be published, for what
// purpose and until when; the patient signs or declines, and may revoke at
// any time. A patient-story post must rely on a signed, unexpired
// authorization for an organization its author speaks for; when the
// authorization is revoked or expires, its posts are taken down and the
// organization is alerted.
//
// The texts of an authorization are private to the patient and the
// organization's staff; audit records name the authorization, never its text.
package consent

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/audit"
	"github.com/rounds-health/rounds/internal/directory"
	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/id"
	"github.com/rounds-health/rounds/internal/input"
	"github.com/rounds-health/rounds/internal/social"
	"github.com/rounds-health/rounds/internal/store"
)

// State is where an authorization stands.
type State string

const (
	Requested State = "requested"
	Signed    State = "signed"
	Declined  State = "declined"
	Revoked   State = "revoked"
	Expired   State = "expired" // signed, and past its end (computed)
)

// Authorization is one patient's permission to one organization.
type Authorization struct {
	ID              int64
	OrgID           int64
	OrgSlug         string
	OrgName         string
	PatientID       int64
	PatientUsername string
	Purpose         string
	Content         string
	ExpiresAt       time.Time
	State           State
	Signature       string
	SignedAt        time.Time
	RevokedAt       time.Time
	EndedAt         time.Time // its posts were taken down
	CreatedAt       time.Time
	Statuses        []int64 // posts that rely on it
}

// Usable reports whether a post may rely on the authorization at now.
func (a *Authorization) Usable(now time.Time) bool {
	return a.State == Signed && now.Before(a.ExpiresAt)
}

// Request is what an organization asks a patient to authorize.
type Request struct {
	Purpose   string
	Content   string
	ExpiresAt time.Time
}

// Alert is something an organization's owners and compliance officers must know.
type Alert struct {
	ID        int64
	OrgID     int64
	Kind      string
	Body      string
	CreatedAt time.Time
}

// Service keeps authorizations.
type Service struct {
	db       *store.DB
	ids      *id.Generator
	audit    *audit.Log
	accounts *account.Service
	dir      *directory.Service
	social   *social.Service
	now      func() time.Time
}

// NewService wires the authorizations.
func NewService(db *store.DB, ids *id.Generator, log *audit.Log, accounts *account.Service, dir *directory.Service, soc *social.Service) *Service {
	return &Service{db: db, ids: ids, audit: log, accounts: accounts, dir: dir, social: soc, now: time.Now}
}

// SetClock replaces the clock (tests of expiry).
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// MaxTerm is the longest authorization Rounds accepts: HIPAA asks for an
// end date; a testimonial that outlives five years should be asked again.
const MaxTerm = 5 * 365 * 24 * time.Hour

func textField(field, label, v string, min, max int) *errs.FieldError {
	n := utf8.RuneCountInString(strings.TrimSpace(v))
	switch {
	case n < min:
		return &errs.FieldError{Field: field, Message: fmt.Sprintf("Say %s in at least %d characters; the patient signs exactly this.", label, min)}
	case n > max:
		return &errs.FieldError{Field: field, Message: fmt.Sprintf("Keep %s to %d characters.", label, max)}
	case input.Problem(v) != "":
		return &errs.FieldError{Field: field, Message: input.Problem(v)}
	}
	return nil
}

// staffRole checks that actor runs org in one of the roles that may ask for
// or see authorizations (owner, social-media specialist, compliance officer).
func (s *Service) staffRole(ctx context.Context, actor account.Actor, orgID int64) error {
	if actor.User == nil {
		return errs.Unauthorized("Sign in first.")
	}
	role, err := s.dir.RoleIn(ctx, orgID, actor.User.ID)
	if err != nil {
		return err
	}
	if role != directory.Owner && role != directory.SocialMedia && role != directory.Compliance {
		return errs.Forbidden("Only an organization's owners, social-media specialists and compliance officers handle its authorizations.")
	}
	return nil
}

// Ask records an organization's request to a patient.
func (s *Service) Ask(ctx context.Context, actor account.Actor, orgID int64, patientUsername string, r Request) (*Authorization, error) {
	if err := s.staffRole(ctx, actor, orgID); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	var fs []errs.FieldError
	for _, f := range []*errs.FieldError{textField("purpose", "the purpose", r.Purpose, 10, 1000),
		textField("content", "what would be published", r.Content, 10, 2000)} {
		if f != nil {
			fs = append(fs, *f)
		}
	}
	switch {
	case !r.ExpiresAt.After(now):
		fs = append(fs, errs.FieldError{Field: "expires_at", Message: "The authorization must end in the future."})
	case r.ExpiresAt.Sub(now) > MaxTerm:
		fs = append(fs, errs.FieldError{Field: "expires_at", Message: "An authorization lasts five years at most; ask again later."})
	}
	patient, err := s.accounts.UserByUsername(ctx, patientUsername)
	if err == nil && patient.Role == account.Patient {
		// A patient who blocked the asker (or was blocked) is not asked: the
		// same answer as for an unknown username, so a block stays private.
		if rel, rerr := s.social.Relationship(ctx, actor.User.ID, patient.ID); rerr != nil {
			return nil, rerr
		} else if rel.Blocking || rel.BlockedBy {
			err = errs.NotFound("blocked")
		}
	}
	if err != nil || patient.Role != account.Patient {
		fs = append(fs, errs.FieldError{Field: "patient", Message: "Give the username of a patient account on Rounds."})
	}
	if err := errs.Fields(fs...); err != nil {
		return nil, err
	}
	a := &Authorization{ID: s.ids.Next(), OrgID: orgID, PatientID: patient.ID, PatientUsername: patient.Username,
		Purpose: strings.TrimSpace(r.Purpose), Content: strings.TrimSpace(r.Content), ExpiresAt: r.ExpiresAt.UTC(),
		State: Requested, CreatedAt: now}
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if _, err := s.db.Exec(ctx, `INSERT INTO authorizations (id, org_id, patient_id, requested_by, purpose, content, expires_at, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, a.ID, orgID, patient.ID, actor.User.ID, a.Purpose, a.Content,
			a.ExpiresAt.UnixMilli(), now.UnixMilli()); err != nil {
			return errs.Internal(err, "request authorization")
		}
		return s.record(ctx, actor, "consent.request", a, audit.Success, "")
	})
	if err != nil {
		return nil, err
	}
	return s.byID(ctx, a.ID)
}

// ForPatient lists the patient's authorizations, newest first.
func (s *Service) ForPatient(ctx context.Context, actor account.Actor) ([]*Authorization, error) {
	if actor.User == nil {
		return nil, errs.Unauthorized("Sign in first.")
	}
	return s.list(ctx, "a.patient_id = ?", actor.User.ID)
}

// ForOrg lists an organization's authorizations for its staff.
func (s *Service) ForOrg(ctx context.Context, actor account.Actor, orgID int64) ([]*Authorization, error) {
	if err := s.staffRole(ctx, actor, orgID); err != nil {
		return nil, err
	}
	list, err := s.list(ctx, "a.org_id = ?", orgID)
	if err != nil {
		return nil, err
	}
	return list, s.recordRead(ctx, actor.User, orgID, "consent.list", len(list))
}

// recordRead audits a read of an organization's authorizations: who they
// name is private, so every list a staff member sees leaves a record (the
// count, never the names).
func (s *Service) recordRead(ctx context.Context, u *account.User, orgID int64, action string, n int) error {
	return s.appendFor(ctx, u, orgID, audit.Event{Action: action, Target: fmt.Sprintf("org:%d", orgID), Outcome: audit.Success,
		Detail: fmt.Sprintf("%d authorization(s)", n)})
}

// UsableFor lists the authorizations a post by author may rely on now:
// signed, unexpired, for an organization the author speaks for.
func (s *Service) UsableFor(ctx context.Context, author *account.User) ([]*Authorization, error) {
	pres, err := s.dir.PresenceOf(ctx, author)
	if err != nil {
		return nil, err
	}
	var out []*Authorization
	now := s.now()
	for _, o := range pres.Orgs {
		if s.staffRole(ctx, account.Actor{User: author}, o.ID) != nil {
			continue // clinicians and plain members see no patient's authorization
		}
		list, err := s.list(ctx, "a.org_id = ? AND a.state = 'signed'", o.ID)
		if err != nil {
			return nil, err
		}
		n := len(out)
		for _, a := range list {
			if a.Usable(now) {
				out = append(out, a)
			}
		}
		if len(out) > n {
			if err := s.recordRead(ctx, author, o.ID, "consent.list_usable", len(out)-n); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// Sign is the patient's signature: their full name typed, and their
// acknowledgement of the right to revoke.
func (s *Service) Sign(ctx context.Context, actor account.Actor, id int64, signature string, understood bool) (*Authorization, error) {
	a, err := s.patientsOwn(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if a.State != Requested {
		return nil, errs.Conflict("", "This authorization was already "+string(a.State)+".")
	}
	now := s.now().UTC()
	signature = strings.TrimSpace(signature)
	var fs []errs.FieldError
	if n := utf8.RuneCountInString(signature); n < 3 || n > 200 || input.Problem(signature) != "" {
		fs = append(fs, errs.FieldError{Field: "signature", Message: "Type your full legal name to sign."})
	}
	if !understood {
		fs = append(fs, errs.FieldError{Field: "understood", Message: "Confirm that you understand you may revoke this authorization at any time."})
	}
	if !now.Before(a.ExpiresAt) {
		fs = append(fs, errs.FieldError{Field: "expires_at", Message: "This request has already passed its end date; the organization must ask again."})
	}
	if err := errs.Fields(fs...); err != nil {
		return nil, err
	}
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.setState(ctx, a.ID, Requested, "state = 'signed', signature = ?, signed_at = ?", signature, now.UnixMilli()); err != nil {
			return err
		}
		return s.record(ctx, actor, "consent.sign", a, audit.Success, "")
	})
	if err != nil {
		return nil, err
	}
	return s.byID(ctx, id)
}

// Decline refuses a request.
func (s *Service) Decline(ctx context.Context, actor account.Actor, id int64) error {
	a, err := s.patientsOwn(ctx, actor, id)
	if err != nil {
		return err
	}
	if a.State != Requested {
		return errs.Conflict("", "This authorization was already "+string(a.State)+".")
	}
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.setState(ctx, a.ID, Requested, "state = 'declined'"); err != nil {
			return err
		}
		return s.record(ctx, actor, "consent.decline", a, audit.Success, "")
	})
}

// Revoke ends a signed authorization now: its posts are taken down and the
// organization is alerted.
func (s *Service) Revoke(ctx context.Context, actor account.Actor, id int64) error {
	a, err := s.patientsOwn(ctx, actor, id)
	if err != nil {
		return err
	}
	if a.State != Signed {
		return errs.Conflict("", "Only a signed authorization can be revoked; this one is "+string(a.State)+".")
	}
	now := s.now().UTC()
	if err := s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.setState(ctx, a.ID, Signed, "state = 'revoked', revoked_at = ?", now.UnixMilli()); err != nil {
			return err
		}
		return s.record(ctx, actor, "consent.revoke", a, audit.Success, "")
	}); err != nil {
		return err
	}
	return s.takeDown(ctx, a.ID, "revoked by the patient")
}

// EndExpired takes down the posts of authorizations whose end has passed;
// the server runs it every minute. It returns how many ended.
func (s *Service) EndExpired(ctx context.Context) (int, error) {
	now := s.now().UTC()
	// Revoked ones whose take-down did not finish (a crash in between) are
	// taken down here too.
	list, err := s.list(ctx, "a.ended_at = 0 AND (a.state = 'revoked' OR (a.state = 'signed' AND a.expires_at <= ?))", now.UnixMilli())
	if err != nil {
		return 0, err
	}
	for _, a := range list {
		why := "expired"
		if a.State == Revoked {
			why = "revoked by the patient"
		}
		if err := s.takeDown(ctx, a.ID, why); err != nil {
			return 0, err
		}
	}
	return len(list), nil
}

// takeDown deletes the posts that rely on the authorization, then marks it
// ended and alerts its organization. The posts are read afresh (a story
// linked a moment ago is included); deletion goes through the social
// service as the post's author, so timelines and streams drop it. If a
// post cannot be deleted the authorization stays unended, and the sweep
// tries again.
func (s *Service) takeDown(ctx context.Context, id int64, why string) error {
	a, err := s.byID(ctx, id)
	if err != nil {
		return err
	}
	if !a.EndedAt.IsZero() {
		return nil
	}
	var gone int
	for _, sid := range a.Statuses {
		author, err := s.authorOf(ctx, sid)
		if err != nil {
			return err
		}
		if author == nil {
			continue // deleted already
		}
		if _, err := s.social.DeleteStatus(ctx, author, sid); err != nil {
			return fmt.Errorf("take down status %d: %w", sid, err)
		}
		gone++
	}
	now := s.now().UTC()
	body := fmt.Sprintf("The testimonial authorization of @%s (%q) was %s; %d post(s) relying on it were taken down.",
		a.PatientUsername, shorten(a.Purpose, 80), why, gone)
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		res, err := s.db.Exec(ctx, "UPDATE authorizations SET ended_at = ? WHERE id = ? AND ended_at = 0", now.UnixMilli(), a.ID)
		if err != nil {
			return errs.Internal(err, "end authorization")
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil // another server ended it a moment ago
		}
		if _, err := s.db.Exec(ctx, "INSERT INTO org_alerts (id, org_id, kind, body, created_at) VALUES (?, ?, ?, ?, ?)",
			s.ids.Next(), a.OrgID, "authorization_ended", body, now.UnixMilli()); err != nil {
			return errs.Internal(err, "alert organization")
		}
		return s.audit.Append(ctx, audit.Event{Actor: "system", Action: "consent.takedown", Target: fmt.Sprintf("authorization:%d", a.ID),
			OnBehalfOf: "org:" + a.OrgSlug, Outcome: audit.Success, Detail: fmt.Sprintf("%s; %d post(s) taken down", why, gone)})
	})
}

// authorOf finds the account that wrote a live status, or nil.
func (s *Service) authorOf(ctx context.Context, statusID int64) (*account.User, error) {
	var authorID int64
	err := s.db.QueryRow(ctx, "SELECT account_id FROM statuses WHERE id = ? AND deleted_at = 0", statusID).Scan(&authorID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, errs.Internal(err, "load post")
	}
	return s.accounts.UserByID(ctx, authorID)
}

func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}

// Usable returns the authorization a post by author may rely on, or a
// field error saying why not (for the "authorization_id" field).
func (s *Service) Usable(ctx context.Context, author *account.User, id int64) (*Authorization, error) {
	a, err := s.byID(ctx, id)
	if err != nil {
		return nil, errs.Invalid("authorization_id", "No such authorization: a patient story needs the patient's signed authorization.")
	}
	pres, err := s.dir.PresenceOf(ctx, author)
	if err != nil {
		return nil, err
	}
	speaks := false
	for _, o := range pres.Orgs {
		speaks = speaks || o.ID == a.OrgID
	}
	now := s.now()
	switch {
	case !speaks:
		// The same words as for an id that does not exist: others' authorizations are private.
		return nil, errs.Invalid("authorization_id", "No such authorization: a patient story needs the patient's signed authorization.")
	case a.State == Requested:
		return nil, errs.Invalid("authorization_id", "The patient has not signed this authorization yet.")
	case a.State == Declined:
		return nil, errs.Invalid("authorization_id", "The patient declined this authorization.")
	case a.State == Revoked:
		return nil, errs.Invalid("authorization_id", "The patient revoked this authorization on "+a.RevokedAt.Format("January 2, 2006")+".")
	case !a.Usable(now):
		return nil, errs.Invalid("authorization_id", "This authorization expired on "+a.ExpiresAt.Format("January 2, 2006")+"; ask the patient for a new one.")
	}
	return a, nil
}

// Permit is publish.Stories: the authorization must be usable by author;
// the name the patient signed with may appear in the story.
func (s *Service) Permit(ctx context.Context, author *account.User, id, orgID int64) ([]string, error) {
	a, err := s.Usable(ctx, author, id)
	if err != nil {
		return nil, err
	}
	if orgID != 0 && a.OrgID != orgID {
		return nil, errs.Invalid("authorization_id", "No such authorization: a patient story needs the patient's signed authorization.")
	}
	return append(strings.Fields(a.Signature), a.Signature, a.PatientUsername), nil
}

// Link records that a status relies on an authorization, inside the
// transaction that creates the status. It checks the authorization again
// under a row lock (PostgreSQL; SQLite's writer is exclusive already), so a
// revocation either waits for the link and then takes the post down, or
// commits first and the link — and the post with it — is refused.
func (s *Service) Link(ctx context.Context, authorizationID, statusID int64) error {
	lock := ""
	if s.db.Dialect() == store.Postgres {
		lock = " FOR UPDATE"
	}
	var state string
	var expires, ended int64
	err := s.db.QueryRow(ctx, "SELECT state, expires_at, ended_at FROM authorizations WHERE id = ?"+lock, authorizationID).
		Scan(&state, &expires, &ended)
	if err != nil {
		return errs.Invalid("authorization_id", "No such authorization: a patient story needs the patient's signed authorization.")
	}
	if state != string(Signed) || ended != 0 || s.now().UnixMilli() >= expires {
		return errs.Invalid("authorization_id", "The patient's authorization ended a moment ago; the story was not published.")
	}
	if _, err := s.db.Exec(ctx, "INSERT INTO authorized_statuses (authorization_id, status_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
		authorizationID, statusID); err != nil {
		return errs.Internal(err, "link authorization")
	}
	return nil
}

// Alerts lists an organization's alerts for its staff, newest first.
func (s *Service) Alerts(ctx context.Context, actor account.Actor, orgID int64) ([]Alert, error) {
	if err := s.staffRole(ctx, actor, orgID); err != nil {
		return nil, err
	}
	rows, err := s.db.Query(ctx, "SELECT id, org_id, kind, body, created_at FROM org_alerts WHERE org_id = ? ORDER BY id DESC LIMIT 100", orgID)
	if err != nil {
		return nil, errs.Internal(err, "load alerts")
	}
	defer rows.Close()
	var out []Alert
	for rows.Next() {
		var a Alert
		var at int64
		if err := rows.Scan(&a.ID, &a.OrgID, &a.Kind, &a.Body, &at); err != nil {
			return nil, errs.Internal(err, "load alerts")
		}
		a.CreatedAt = time.UnixMilli(at).UTC()
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, errs.Internal(err, "load alerts")
	}
	return out, nil
}

func (s *Service) patientsOwn(ctx context.Context, actor account.Actor, id int64) (*Authorization, error) {
	if actor.User == nil {
		return nil, errs.Unauthorized("Sign in first.")
	}
	a, err := s.byID(ctx, id)
	if err != nil || a.PatientID != actor.User.ID {
		return nil, errs.NotFound("Record not found")
	}
	return a, nil
}

func (s *Service) setState(ctx context.Context, id int64, from State, set string, args ...any) error {
	res, err := s.db.Exec(ctx, "UPDATE authorizations SET "+set+" WHERE id = ? AND state = ?", append(args, id, string(from))...)
	if err != nil {
		return errs.Internal(err, "update authorization")
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errs.Conflict("", "This authorization changed a moment ago; reload the page.")
	}
	return nil
}

func (s *Service) record(ctx context.Context, actor account.Actor, action string, a *Authorization, outcome, detail string) error {
	return s.appendFor(ctx, actor.User, a.OrgID, audit.Event{Action: action, Target: fmt.Sprintf("authorization:%d", a.ID),
		Outcome: outcome, Detail: detail})
}

// appendFor audits e as done by u (nil: the system) on behalf of the organization.
func (s *Service) appendFor(ctx context.Context, u *account.User, orgID int64, e audit.Event) error {
	if u != nil {
		e.ActorID, e.Actor = u.ID, u.Username
	}
	if o, err := s.dir.OrganizationRecord(ctx, orgID); err == nil && o != nil {
		e.OnBehalfOf = "org:" + o.Slug
	}
	return s.audit.Append(ctx, e)
}

const columns = `a.id, a.org_id, o.slug, o.name, a.patient_id, u.username, a.purpose, a.content, a.expires_at, a.state,
	a.signature, a.signed_at, a.revoked_at, a.ended_at, a.created_at`

func (s *Service) byID(ctx context.Context, id int64) (*Authorization, error) {
	list, err := s.list(ctx, "a.id = ?", id)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, errs.NotFound("Record not found")
	}
	return list[0], nil
}

// list loads authorizations where cond (a constant of this file) holds,
// with the statuses that rely on each.
func (s *Service) list(ctx context.Context, cond string, args ...any) ([]*Authorization, error) {
	rows, err := s.db.Query(ctx, "SELECT "+columns+` FROM authorizations a JOIN organizations o ON o.id = a.org_id
		JOIN users u ON u.id = a.patient_id WHERE `+cond+" ORDER BY a.id DESC LIMIT 500", args...)
	if err != nil {
		return nil, errs.Internal(err, "load authorizations")
	}
	var out []*Authorization
	for rows.Next() {
		var a Authorization
		var state string
		var exp, signed, revoked, ended, created int64
		if err := rows.Scan(&a.ID, &a.OrgID, &a.OrgSlug, &a.OrgName, &a.PatientID, &a.PatientUsername, &a.Purpose, &a.Content,
			&exp, &state, &a.Signature, &signed, &revoked, &ended, &created); err != nil {
			rows.Close()
			return nil, errs.Internal(err, "load authorizations")
		}
		a.State, a.ExpiresAt, a.CreatedAt = State(state), store.Millis(exp), store.Millis(created)
		a.SignedAt, a.RevokedAt, a.EndedAt = store.Millis(signed), store.Millis(revoked), store.Millis(ended)
		if a.State == Signed && !s.now().Before(a.ExpiresAt) {
			a.State = Expired
		}
		out = append(out, &a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, errs.Internal(err, "load authorizations")
	}
	for _, a := range out {
		srows, err := s.db.Query(ctx, "SELECT status_id FROM authorized_statuses WHERE authorization_id = ? ORDER BY status_id", a.ID)
		if err != nil {
			return nil, errs.Internal(err, "load authorized posts")
		}
		for srows.Next() {
			var sid int64
			if err := srows.Scan(&sid); err != nil {
				srows.Close()
				return nil, errs.Internal(err, "load authorized posts")
			}
			a.Statuses = append(a.Statuses, sid)
		}
		srows.Close()
	}
	return out, nil
}
