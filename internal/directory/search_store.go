package directory

import (
	"context"
	"strings"

	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/geo"
)

// box is a latitude/longitude rectangle around a place.
type box struct{ minLat, maxLat, minLon, maxLon float64 }

// filterSQL builds "FROM … WHERE …" for q, with its arguments. With a box,
// it starts from the practice locations inside it (alias l), one row per
// location, so that the database can use the (lat, lon) index and every
// other filter in the same query.
func (st dirStore) filterSQL(q Query, bx *box) (string, []any, bool) {
	var b strings.Builder
	var args []any
	if bx != nil {
		b.WriteString(" FROM clinician_locations l JOIN clinicians c ON c.id = l.clinician_id")
	} else {
		b.WriteString(" FROM clinicians c")
	}
	if q.Specialty != "" {
		// (clinician_id, code) is the key: one row per clinician.
		b.WriteString(" JOIN clinician_specialties s ON s.clinician_id = c.id AND s.code = ?")
		args = append(args, q.Specialty)
	}
	terms := queryTerms(q.Text)
	if len(terms) > 0 {
		sub, subArgs := st.textMatch(terms)
		b.WriteString(" JOIN (" + sub + ") t ON t.id = c.id")
		args = append(args, subArgs...)
	}
	b.WriteString(" WHERE " + publicClinician)
	if bx != nil {
		b.WriteString(" AND l.lat BETWEEN ? AND ? AND l.lon BETWEEN ? AND ?")
		args = append(args, bx.minLat, bx.maxLat, bx.minLon, bx.maxLon)
	}
	if q.Language != "" {
		b.WriteString(" AND c.languages LIKE ?")
		args = append(args, "%,"+q.Language+",%")
	}
	if q.Accepting {
		b.WriteString(" AND c.accepting_new = TRUE")
	}
	if q.Verified {
		b.WriteString(" AND c.status = 'verified'")
	}
	if q.Org != "" {
		b.WriteString(` AND EXISTS (SELECT 1 FROM affiliations a JOIN organizations o ON o.id = a.org_id
			WHERE a.clinician_id = c.id AND a.status = 'confirmed' AND o.slug = ?)`)
		args = append(args, q.Org)
	}
	return b.String(), args, len(terms) > 0
}

func orderSQL(sort string, _ bool) string {
	switch {
	case sort == SortRating:
		return " ORDER BY c.rating_avg DESC, c.rating_count DESC, c.sort_name, c.id"
	case sort == SortName:
		return " ORDER BY c.sort_name, c.id"
	}
	// Relevance: every word must match (the full-text join); among the
	// matches, verified clinicians first, then the best rated. The engines'
	// own ranks (bm25, ts_rank) differ, so they do not order: both engines
	// return the same page.
	return " ORDER BY CASE WHEN c.status = 'verified' THEN 0 ELSE 1 END, c.rating_avg DESC, c.sort_name, c.id"
}

// searchPage returns the number of matches of q and the ids of its page, in order.
func (st dirStore) searchPage(ctx context.Context, q Query) (int, []int64, error) {
	from, args, text := st.filterSQL(q, nil)
	var total int
	if err := st.db.QueryRow(ctx, "SELECT COUNT(*)"+from, args...).Scan(&total); err != nil {
		return 0, nil, err
	}
	if total == 0 || (q.Page-1)*q.PerPage >= total {
		return total, nil, nil
	}
	rows, err := st.db.Query(ctx, "SELECT c.id"+from+orderSQL(q.Sort, text)+" LIMIT ? OFFSET ?",
		append(args, q.PerPage, (q.Page-1)*q.PerPage)...)
	if err != nil {
		return 0, nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return 0, nil, err
		}
		ids = append(ids, id)
	}
	return total, ids, rows.Err()
}

// candidate is a practice location near the place with its clinician's sort keys.
type candidate struct {
	id     int64
	point  geo.Point
	rank   float64
	rating float64
	count  int
	name   string
	status string
}

// searchCandidates returns every practice location in bx whose clinician
// passes q's filters.
func (st dirStore) searchCandidates(ctx context.Context, q Query, bx box) ([]candidate, error) {
	from, args, text := st.filterSQL(q, &bx)
	rankCol := "0"
	if text {
		rankCol = "t.rank"
	}
	rows, err := st.db.Query(ctx, "SELECT c.id, l.lat, l.lon, "+rankCol+", c.rating_avg, c.rating_count, c.sort_name, c.status"+from+
		" LIMIT ?", append(args, maxNearRows+1)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var all []candidate
	for rows.Next() {
		var r candidate
		if err := rows.Scan(&r.id, &r.point.Lat, &r.point.Lon, &r.rank, &r.rating, &r.count, &r.name, &r.status); err != nil {
			return nil, err
		}
		all = append(all, r)
	}
	if len(all) > maxNearRows {
		return nil, errs.Invalid("radius", "Too many clinicians match around this place; choose a smaller radius or a specialty.")
	}
	return all, rows.Err()
}

// maxNearRows bounds the practice locations one search near a place may weigh.
const maxNearRows = 20000
