package directory

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/rounds-health/rounds/internal/errs"
)

// QueryFromValues reads a search from URL parameters: q, specialty,
// language, org, accepting, verified, near, radius (km), sort, page and
// per_page. The web page and the JSON API both use it, so the two accept
// exactly the same searches.
func QueryFromValues(v url.Values) (Query, error) {
	q := Query{Text: v.Get("q"), Specialty: strings.ToUpper(strings.TrimSpace(v.Get("specialty"))),
		Language: v.Get("language"), Org: strings.TrimSpace(v.Get("org")), Near: v.Get("near"), Sort: v.Get("sort")}
	var fs []errs.FieldError
	intParam := func(name string, dst *int) {
		if s := strings.TrimSpace(v.Get(name)); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil {
				fs = append(fs, errs.FieldError{Field: name, Message: fmt.Sprintf("%s must be a whole number; got %q.", name, s)})
			}
			*dst = n
		}
	}
	boolParam := func(name string, dst *bool) {
		switch strings.ToLower(strings.TrimSpace(v.Get(name))) {
		case "", "0", "false", "off", "no":
		case "1", "true", "on", "yes":
			*dst = true
		default:
			fs = append(fs, errs.FieldError{Field: name, Message: fmt.Sprintf("%s must be true or false.", name)})
		}
	}
	intParam("page", &q.Page)
	intParam("per_page", &q.PerPage)
	boolParam("accepting", &q.Accepting)
	boolParam("verified", &q.Verified)
	if s := strings.TrimSpace(v.Get("radius")); s != "" {
		r, err := strconv.ParseFloat(s, 64)
		if err != nil {
			fs = append(fs, errs.FieldError{Field: "radius", Message: fmt.Sprintf("radius must be a number of kilometres; got %q.", s)})
		}
		q.RadiusKm = r
	}
	return q, errs.Fields(fs...)
}

// Values is the inverse of QueryFromValues, for links to other pages.
func (q Query) Values() url.Values {
	v := url.Values{}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set("q", q.Text)
	set("specialty", q.Specialty)
	set("language", q.Language)
	set("org", q.Org)
	set("near", q.Near)
	if q.Near != "" && q.RadiusKm != DefaultRadiusKm {
		set("radius", strconv.FormatFloat(q.RadiusKm, 'f', -1, 64))
	}
	if q.Accepting {
		v.Set("accepting", "true")
	}
	if q.Verified {
		v.Set("verified", "true")
	}
	set("sort", q.Sort)
	if q.PerPage != DefaultPerPage && q.PerPage != 0 {
		v.Set("per_page", strconv.Itoa(q.PerPage))
	}
	if q.Page > 1 {
		v.Set("page", strconv.Itoa(q.Page))
	}
	return v
}

// WithPage returns the query for page n.
func (q Query) WithPage(n int) Query { q.Page = n; return q }
