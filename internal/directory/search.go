package directory

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/geo"
	"github.com/rounds-health/rounds/internal/input"
	"github.com/rounds-health/rounds/internal/taxonomy"
)

// Sort orders of the directory.
const (
	SortRelevance = "relevance"
	SortDistance  = "distance"
	SortRating    = "rating"
	SortName      = "name"
)

// Limits of a search, so that no request can ask for more than a page a
// person can read or a radius that means "everywhere".
const (
	DefaultPerPage  = 20
	MaxPerPage      = 100
	MaxPage         = 500
	DefaultRadiusKm = 25
	MaxRadiusKm     = 500
)

// Query is a directory search. Zero fields match everything.
type Query struct {
	Text      string  // names, specialties, conditions, places, in the patient's words
	Specialty string  // a NUCC taxonomy code
	Language  string  // a language code ("es") or name ("Spanish")
	Org       string  // an organization's slug: clinicians affiliated with it
	Accepting bool    // only clinicians accepting new patients
	Verified  bool    // only verified clinicians
	Near      string  // a place ("Boston, MA"), a ZIP code or "lat,lon"
	RadiusKm  float64 // with Near; DefaultRadiusKm when zero
	Sort      string  // relevance (default), distance, rating or name
	Page      int     // from 1
	PerPage   int     // 1..MaxPerPage; DefaultPerPage when zero
}

// Hit is one clinician in the results.
type Hit struct {
	Clinician  *Clinician
	DistanceKm float64 // to the nearest practice location; -1 without Near
}

// Results is one page of a search.
type Results struct {
	Hits     []Hit
	Total    int
	Page     int
	PerPage  int
	Place    *geo.Place // what Near resolved to
	RadiusKm float64
	Query    Query // the query as normalized
}

// Pages returns the number of pages.
func (r *Results) Pages() int {
	if r.PerPage == 0 {
		return 0
	}
	return (r.Total + r.PerPage - 1) / r.PerPage
}

// normalize checks q and fills defaults; problems are field errors.
func (s *Service) normalize(q *Query) (*geo.Place, error) {
	var fs []errs.FieldError
	add := func(field, msg string) { fs = append(fs, errs.FieldError{Field: field, Message: msg}) }
	q.Text = strings.TrimSpace(q.Text)
	for f, v := range map[string]string{"q": q.Text, "near": q.Near, "org": q.Org, "language": q.Language, "specialty": q.Specialty} {
		if m := input.Problem(v); m != "" {
			add(f, m)
		}
	}
	if len(fs) > 0 {
		return nil, errs.Fields(fs...)
	}
	if len(q.Text) > 200 {
		add("q", "Search text is at most 200 characters.")
	}
	if q.Specialty != "" {
		if _, ok := taxonomy.ByCode(q.Specialty); !ok {
			add("specialty", fmt.Sprintf("Unknown specialty code %q; choose a specialty from the list.", q.Specialty))
		}
	}
	if q.Language != "" {
		if l, ok := parseLanguage(q.Language); ok {
			q.Language = l.Code
		} else {
			add("language", fmt.Sprintf("Unknown language %q; choose one from the list.", q.Language))
		}
	}
	switch {
	case q.PerPage == 0:
		q.PerPage = DefaultPerPage
	case q.PerPage < 1 || q.PerPage > MaxPerPage:
		add("per_page", fmt.Sprintf("Results per page must be between 1 and %d; got %d.", MaxPerPage, q.PerPage))
	}
	switch {
	case q.Page == 0:
		q.Page = 1
	case q.Page < 1 || q.Page > MaxPage:
		add("page", fmt.Sprintf("Page must be between 1 and %d; got %d.", MaxPage, q.Page))
	}
	if q.RadiusKm == 0 {
		q.RadiusKm = DefaultRadiusKm
	} else if math.IsNaN(q.RadiusKm) || q.RadiusKm < 0.1 || q.RadiusKm > MaxRadiusKm {
		add("radius", fmt.Sprintf("The radius must be between 0.1 and %d km.", MaxRadiusKm))
	}
	var place *geo.Place
	if q.Near = strings.TrimSpace(q.Near); q.Near != "" {
		p, err := s.places.Resolve(q.Near)
		if err != nil {
			if m := errs.FieldMessage(err, "near"); m != "" {
				add("near", m)
			} else {
				add("near", errs.PublicMessage(err))
			}
		} else {
			place = &p
		}
	}
	switch q.Sort {
	case "":
		q.Sort = SortRelevance
		if q.Near != "" && q.Text == "" {
			q.Sort = SortDistance
		}
	case SortRelevance, SortRating, SortName:
	case SortDistance:
		if q.Near == "" {
			add("sort", "Sorting by distance needs a place: fill in “near”.")
		}
	default:
		add("sort", fmt.Sprintf("Unknown sort %q; use relevance, distance, rating or name.", q.Sort))
	}
	return place, errs.Fields(fs...)
}

// Search finds published clinicians. It runs the same queries on SQLite and
// PostgreSQL: text through each engine's full-text index, filters in SQL,
// distance by a bounding box in SQL and the exact great-circle distance in Go.
func (s *Service) Search(ctx context.Context, q Query) (*Results, error) {
	place, err := s.normalize(&q)
	if err != nil {
		return nil, err
	}
	res := &Results{Page: q.Page, PerPage: q.PerPage, Place: place, RadiusKm: q.RadiusKm, Query: q}
	if place != nil {
		err = s.searchNear(ctx, q, *place, res)
	} else {
		err = s.searchAll(ctx, q, res)
	}
	if err != nil {
		if errs.As(err) != nil {
			return nil, err
		}
		return nil, errs.Internal(err, "search directory")
	}
	return res, nil
}

func (s *Service) searchAll(ctx context.Context, q Query, res *Results) error {
	total, ids, err := s.st.searchPage(ctx, q)
	if err != nil {
		return err
	}
	res.Total = total
	cs, err := s.loadFull(ctx, ids)
	if err != nil {
		return err
	}
	for _, c := range cs {
		res.Hits = append(res.Hits, Hit{Clinician: c, DistanceKm: -1})
	}
	return nil
}

// searchNear finds the practice locations in a box around the place that
// pass the filters (one query), keeps each clinician's nearest location
// within the radius, then sorts and cuts the page here, because the sort
// may involve the distance.
func (s *Service) searchNear(ctx context.Context, q Query, place geo.Place, res *Results) error {
	var bx box
	bx.minLat, bx.maxLat, bx.minLon, bx.maxLon = geo.Box(place.Point, q.RadiusKm)
	rows, err := s.st.searchCandidates(ctx, q, bx)
	if err != nil {
		return err
	}
	dist := map[int64]float64{}
	best := map[int64]candidate{}
	for _, r := range rows {
		d := geo.Distance(place.Point, r.point)
		if d > q.RadiusKm {
			continue
		}
		if old, ok := dist[r.id]; !ok || d < old {
			dist[r.id], best[r.id] = d, r
		}
	}
	all := make([]candidate, 0, len(best))
	for _, r := range best {
		all = append(all, r)
	}
	slices.SortFunc(all, func(a, b candidate) int {
		switch q.Sort {
		case SortRating:
			if a.rating != b.rating {
				return cmpFloat(b.rating, a.rating, 0, 0)
			}
			if a.count != b.count {
				return b.count - a.count
			}
		case SortName:
			if c := strings.Compare(a.name, b.name); c != 0 {
				return c
			}
			return cmpFloat(0, 0, a.id, b.id)
		case SortRelevance:
			if (a.status == string(Verified)) != (b.status == string(Verified)) {
				if a.status == string(Verified) {
					return -1
				}
				return 1
			}
		}
		return cmpFloat(dist[a.id], dist[b.id], a.id, b.id)
	})
	res.Total = len(all)
	start := (q.Page - 1) * q.PerPage
	if start >= len(all) {
		return nil
	}
	page := all[start:min(start+q.PerPage, len(all))]
	pageIDs := make([]int64, len(page))
	for i, r := range page {
		pageIDs[i] = r.id
	}
	cs, err := s.loadFull(ctx, pageIDs)
	if err != nil {
		return err
	}
	for _, c := range cs {
		res.Hits = append(res.Hits, Hit{Clinician: c, DistanceKm: math.Round(dist[c.ID]*10) / 10})
	}
	return nil
}

// cmpFloat orders by a, b, then by id for a stable order.
func cmpFloat(a, b float64, ida, idb int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	case ida < idb:
		return -1
	case ida > idb:
		return 1
	}
	return 0
}
