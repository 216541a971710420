package directory

import (
	"context"
	"fmt"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/audit"
	"github.com/rounds-health/rounds/internal/errs"
)

// BulkLoad writes many profiles at once, in transactions of batch profiles,
// with one audit record per batch instead of one per profile. It is for the
// operator's synthetic data (benchmarks, load tests) and imports, never for
// people editing their own profile: it checks only what the database
// enforces. IDs, slugs and creation times are filled in.
func (s *Service) BulkLoad(ctx context.Context, actor account.Actor, cs []*Clinician, batch int) error {
	if actor.User != nil && !actor.User.IsAdmin() {
		return errs.Forbidden("Only the operator can load profiles in bulk.")
	}
	if batch <= 0 {
		batch = 1000
	}
	for start := 0; start < len(cs); start += batch {
		part := cs[start:min(start+batch, len(cs))]
		err := s.db.WithTx(ctx, func(ctx context.Context) error {
			for _, c := range part {
				if err := s.bulkOne(ctx, c); err != nil {
					return err
				}
			}
			e := event(actor, "directory.bulk_load", "", audit.Success, fmt.Sprintf("%d profiles", len(part)), nil)
			return s.audit.Append(ctx, e)
		})
		if err != nil {
			return internal(err, "bulk load")
		}
	}
	return nil
}

func (s *Service) bulkOne(ctx context.Context, c *Clinician) error {
	now := s.now().UTC()
	c.ID, c.CreatedAt, c.UpdatedAt = s.ids.Next(), now, now
	if c.Status == "" {
		c.Status = Unverified
	}
	// The id keeps synthetic slugs unique without a lookup per profile.
	c.Slug = fmt.Sprintf("%s-%d", slugUnsafe.ReplaceAllString(normalizeText(c.FirstName+" "+c.LastName), "-"), c.ID)
	if err := s.st.insertClinician(ctx, c); err != nil {
		return err
	}
	if err := s.st.replaceSpecialties(ctx, c.ID, c.Specialties); err != nil {
		return err
	}
	for i := range c.Locations {
		c.Locations[i].ID = s.ids.Next()
	}
	if err := s.st.replaceClinicianLocations(ctx, c.ID, c.Locations); err != nil {
		return err
	}
	c.Specialties = labelled(c.Specialties)
	if c.Public() {
		return s.st.index(ctx, c.ID, document(c))
	}
	return nil
}
