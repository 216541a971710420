package geo

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/rounds-health/rounds/internal/errs"
)

// Place is a US city or ZIP code with a point to measure distances from.
type Place struct {
	Name  string // city, e.g. "Boston"; empty for coordinates and for the few ZIP codes with no USPS city
	State string // USPS state code, e.g. "MA"; empty for coordinates
	ZIP   string // the five-digit ZIP code when the place is one
	Point Point
}

// String is the place for people: "Boston, MA", "Boston, MA 02114", or the
// coordinates when the place is only a point.
func (p Place) String() string {
	var parts []string
	if p.Name != "" {
		parts = append(parts, p.Name)
	}
	if p.State != "" {
		parts = append(parts, p.State)
	}
	s := strings.Join(parts, ", ")
	if p.ZIP != "" {
		s = strings.TrimSpace(s + " " + p.ZIP)
	}
	if s == "" {
		return p.Point.String()
	}
	return s
}

// Gazetteer resolves US city names and ZIP codes to points, from data
// compiled into the binary (data/README.md says where it comes from). It
// loads that data on first use, once; share one Gazetteer between requests.
// The zero value is ready to use and safe for concurrent use.
type Gazetteer struct {
	once sync.Once
	data *gazetteerData
	err  error
}

// NewGazetteer returns a Gazetteer that will load its data on first use.
func NewGazetteer() *Gazetteer { return &Gazetteer{} }

// Load loads the data now rather than on the first lookup, so that a server
// can pay the cost at start-up and fail early if the data is damaged.
func (g *Gazetteer) Load() error {
	g.once.Do(func() { g.data, g.err = loadGazetteer() })
	return g.err
}

var (
	zipPattern        = regexp.MustCompile(`^([0-9]{5})(-[0-9]{4})?$`)
	coordinatePattern = regexp.MustCompile(`^[-+0-9.\s]*,[-+0-9.,\s]*$`)
)

// Lookup finds a place by ZIP code ("02114", "02114-2696") or by city, with
// or without its state: "Boston", "boston, ma", "Boston, Massachusetts",
// "Springfield IL", "St. Louis". A city name without a state that several
// states share resolves to the city with the most ZIP codes that have a
// Census area (a proxy for size, since the data has no population), then
// the most ZIP codes of any kind.
func (g *Gazetteer) Lookup(query string) (Place, bool) {
	if g.Load() != nil {
		return Place{}, false
	}
	q := strings.TrimSpace(query)
	words := strings.Fields(q)
	if len(words) == 0 {
		return Place{}, false
	}
	if m := zipPattern.FindStringSubmatch(words[len(words)-1]); m != nil {
		return g.data.zip(m[1])
	}
	if i := strings.LastIndex(q, ","); i >= 0 {
		state, ok := stateCode(q[i+1:])
		if !ok {
			return Place{}, false
		}
		return g.data.city(q[:i], state)
	}
	if p, ok := g.data.city(q, ""); ok {
		return p, true
	}
	// "Boston MA", "Boston Massachusetts", "Charleston West Virginia": the
	// longest state name first, so "West Virginia" is not read as "Virginia".
	for n := min(3, len(words)-1); n >= 1; n-- {
		state, ok := stateCode(strings.Join(words[len(words)-n:], " "))
		if !ok {
			continue
		}
		if p, ok := g.data.city(strings.Join(words[:len(words)-n], " "), state); ok {
			return p, true
		}
	}
	return Place{}, false
}

// Resolve turns what a person typed after "near" into a place: coordinates
// ("42.36,-71.06"), a ZIP code or a city. Its errors are field errors on
// "near" that say what to type instead.
func (g *Gazetteer) Resolve(near string) (Place, error) {
	s := strings.TrimSpace(near)
	if s == "" {
		return Place{}, errs.Invalid(field,
			`Enter a place: a city and state like "Boston, MA", a ZIP code, or coordinates like 42.36,-71.06`)
	}
	if coordinatePattern.MatchString(s) {
		p, err := ParsePoint(s)
		if err != nil {
			return Place{}, err
		}
		return Place{Point: p}, nil
	}
	if p, ok := g.Lookup(s); ok {
		return p, nil
	}
	if err := g.Load(); err != nil {
		return Place{}, errs.Internal(err, "load gazetteer")
	}
	return Place{}, errs.Invalid(field, fmt.Sprintf(
		`We could not find the place %q; try a city and state like "Boston, MA", a ZIP code, or coordinates like 42.36,-71.06`,
		clip(s, 80)))
}

// abbreviations are spelled out in city names, as USPS spells most of them.
var abbreviations = map[string]string{"st": "saint", "ste": "sainte", "ft": "fort", "mt": "mount"}

// cityKey is the form city names are compared in: lower case, letters and
// digits only, apostrophes dropped, common abbreviations spelled out. "St.
// Louis", "saint louis" and "Saint-Louis" are one key, as are "Winston-Salem"
// and "Winston Salem", and "O'Fallon" and "OFallon". It runs for every city
// while the gazetteer loads, hence one pass and one allocation.
func cityKey(s string) string { return key(s, true) }

// squash is cityKey without the abbreviations, for state codes such as MT.
func squash(s string) string { return key(s, false) }

func key(s string, expand bool) string {
	buf := make([]byte, 0, len(s)+8)
	start := 0 // where the current word begins in buf
	endWord := func() {
		if long, ok := abbreviations[string(buf[start:])]; ok && expand {
			buf = append(buf[:start], long...)
		}
		start = len(buf)
	}
	for _, r := range s {
		switch {
		case r == '\'' || r == '’':
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			buf = utf8.AppendRune(buf, unicode.ToLower(r))
		default:
			endWord()
		}
	}
	endWord()
	return string(buf)
}

func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
