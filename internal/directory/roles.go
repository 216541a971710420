package directory

import (
	"context"
	"time"

	"github.com/rounds-health/rounds/internal/store"
)

// What other services (the publishing workflow) ask of an organization's
// people: who holds which role, who its compliance officers are, and
// whether a clinician's affiliation is confirmed. These read the records
// as they are, without a viewer: callers decide what to show to whom.

// RoleIn returns userID's staff role in the organization, or "" for none.
func (s *Service) RoleIn(ctx context.Context, orgID, userID int64) (MemberRole, error) {
	role, err := s.st.memberRole(ctx, orgID, userID)
	return role, internal(err, "load membership")
}

// ComplianceOfficerIDs lists the user ids of the organization's compliance officers.
func (s *Service) ComplianceOfficerIDs(ctx context.Context, orgID int64) ([]int64, error) {
	rows, err := s.db.Query(ctx, "SELECT user_id FROM org_members WHERE org_id = ? AND role = 'compliance' ORDER BY user_id", orgID)
	if err != nil {
		return nil, internal(err, "list compliance officers")
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, internal(err, "list compliance officers")
		}
		out = append(out, id)
	}
	return out, internal(rows.Err(), "list compliance officers")
}

// OrganizationRecord returns an organization by id, published or not,
// without its locations; nil when there is none.
func (s *Service) OrganizationRecord(ctx context.Context, id int64) (*Organization, error) {
	o, err := s.st.orgBy(ctx, "id", id)
	return o, internal(err, "load organization")
}

// AffiliatedClinician returns the clinician profile of userID when its
// affiliation with the organization is confirmed by the organization, or
// nil.
func (s *Service) AffiliatedClinician(ctx context.Context, orgID, userID int64) (*Clinician, error) {
	c, err := s.st.clinicianBy(ctx, "user_id", userID)
	if err != nil || c == nil {
		return nil, internal(err, "load profile")
	}
	status, err := s.st.affiliationStatus(ctx, c.ID, orgID)
	if err != nil || status != "confirmed" {
		return nil, internal(err, "load affiliation")
	}
	return c, nil
}

// PeopleOf lists the user ids who speak for the organization: its staff and
// the clinicians whose affiliation it confirmed. Their statuses are the
// organization's record.
func (s *Service) PeopleOf(ctx context.Context, orgID int64) ([]int64, error) {
	rows, err := s.db.Query(ctx, `SELECT user_id FROM org_members WHERE org_id = ?
		UNION SELECT c.user_id FROM affiliations a JOIN clinicians c ON c.id = a.clinician_id
		WHERE a.org_id = ? AND a.status = 'confirmed' AND c.user_id IS NOT NULL AND c.user_id <> 0`, orgID, orgID)
	if err != nil {
		return nil, internal(err, "list the organization's people")
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, internal(err, "list the organization's people")
		}
		out = append(out, id)
	}
	return out, internal(rows.Err(), "list the organization's people")
}

// Person is one of the people who speak for an organization, since when.
type Person struct {
	UserID int64
	Since  time.Time // joined the staff, or the affiliation was confirmed
}

// MembersOf lists the organization's people with the time each joined.
func (s *Service) MembersOf(ctx context.Context, orgID int64) ([]Person, error) {
	rows, err := s.db.Query(ctx, `SELECT user_id, created_at FROM org_members WHERE org_id = ?
		UNION ALL SELECT c.user_id, a.confirmed_at FROM affiliations a JOIN clinicians c ON c.id = a.clinician_id
		WHERE a.org_id = ? AND a.status = 'confirmed' AND c.user_id IS NOT NULL AND c.user_id <> 0`, orgID, orgID)
	if err != nil {
		return nil, internal(err, "list the organization's people")
	}
	defer rows.Close()
	var out []Person
	for rows.Next() {
		var m Person
		var since int64
		if err := rows.Scan(&m.UserID, &since); err != nil {
			return nil, internal(err, "list the organization's people")
		}
		m.Since = store.Millis(since)
		out = append(out, m)
	}
	return out, internal(rows.Err(), "list the organization's people")
}
