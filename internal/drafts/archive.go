package drafts

import "context"

// Record is everything the workflow kept of one draft: every version with
// the guard's findings, every decision (voided ones too) and, once
// published, its attribution.
type Record struct {
	Draft       *Draft
	Versions    []*Version
	Decisions   []Decision
	Attribution *Attribution
}

const recordPage = 100

// Records calls fn with the record of every draft of the organization,
// oldest first, whatever its state. It reads private drafts without a
// viewer: the archive authorizes the reader and audits the reading.
func (s *Service) Records(ctx context.Context, orgID int64, fn func(Record) error) error {
	var after int64
	for {
		page, err := s.st.draftsAscending(ctx, orgID, after, recordPage)
		if err != nil {
			return internal(err, "load drafts")
		}
		for _, d := range page {
			r := Record{Draft: d}
			if r.Versions, err = s.st.versions(ctx, "v.draft_id = ?", d.ID); err != nil {
				return internal(err, "load versions")
			}
			if r.Decisions, err = s.st.decisions(ctx, d.ID); err != nil {
				return internal(err, "load decisions")
			}
			if d.StatusID != 0 {
				credits, err := s.st.attributions(ctx, []int64{d.StatusID})
				if err != nil {
					return internal(err, "load attribution")
				}
				r.Attribution = credits[d.StatusID]
			}
			if err := fn(r); err != nil {
				return err
			}
			after = d.ID
		}
		if len(page) < recordPage {
			return nil
		}
	}
}
