package geo_test

import (
	"strings"
	"sync"
	"testing"

	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/geo"
)

// gazetteer is shared so the embedded data is decoded once for the tests.
var gazetteer = geo.NewGazetteer()

var downtownBoston = geo.Point{Lat: 42.36, Lon: -71.06}

func TestGazetteer_LoadsTheEmbeddedData(t *testing.T) {
	if err := gazetteer.Load(); err != nil {
		t.Fatal(err)
	}
}

func TestLookup_FindsBostonHoweverItIsWritten(t *testing.T) {
	cases := []struct{ query, name, zip string }{
		{"Boston, MA", "Boston", ""},
		{"boston, ma", "Boston", ""},
		{"Boston, Massachusetts", "Boston", ""},
		{"BOSTON,MA", "Boston", ""},
		{"Boston MA", "Boston", ""},
		{"boston", "Boston", ""},
		{"02114", "Boston", "02114"},
		{" 02114 ", "Boston", "02114"},
		{"02114-2696", "Boston", "02114"},
		{"Boston, MA 02114", "Boston", "02114"},
	}
	for _, c := range cases {
		p, ok := gazetteer.Lookup(c.query)
		if !ok {
			t.Errorf("Lookup(%q) found nothing", c.query)
			continue
		}
		if p.Name != c.name || p.State != "MA" || p.ZIP != c.zip {
			t.Errorf("Lookup(%q) = %+v, want %s, MA %s", c.query, p, c.name, c.zip)
		}
		if d := geo.Distance(p.Point, downtownBoston); d > 5 {
			t.Errorf("Lookup(%q) is %.1f km from downtown Boston", c.query, d)
		}
	}
}

func TestLookup_ResolvesCitiesAcrossTheCountry(t *testing.T) {
	cases := []struct {
		query, name, state string
		near               geo.Point // the city's downtown
	}{
		{"New York", "New York", "NY", geo.Point{Lat: 40.75, Lon: -73.99}},
		{"St. Louis", "Saint Louis", "MO", geo.Point{Lat: 38.63, Lon: -90.20}},
		{"saint louis, missouri", "Saint Louis", "MO", geo.Point{Lat: 38.63, Lon: -90.20}},
		{"Winston-Salem, NC", "Winston Salem", "NC", geo.Point{Lat: 36.10, Lon: -80.24}},
		{"McAllen TX", "McAllen", "TX", geo.Point{Lat: 26.20, Lon: -98.23}},
		{"Washington, DC", "Washington", "DC", geo.Point{Lat: 38.90, Lon: -77.04}},
		{"Charleston West Virginia", "Charleston", "WV", geo.Point{Lat: 38.35, Lon: -81.63}},
		{"Springfield, IL", "Springfield", "IL", geo.Point{Lat: 39.80, Lon: -89.65}},
		{"Springfield, MO", "Springfield", "MO", geo.Point{Lat: 37.21, Lon: -93.29}},
		{"San Juan, PR", "San Juan", "PR", geo.Point{Lat: 18.42, Lon: -66.06}},
		{"Honolulu", "Honolulu", "HI", geo.Point{Lat: 21.31, Lon: -157.86}},
		{"Anchorage, AK", "Anchorage", "AK", geo.Point{Lat: 61.22, Lon: -149.90}},
	}
	for _, c := range cases {
		p, ok := gazetteer.Lookup(c.query)
		if !ok || p.Name != c.name || p.State != c.state {
			t.Errorf("Lookup(%q) = %+v, %v; want %s, %s", c.query, p, ok, c.name, c.state)
			continue
		}
		if d := geo.Distance(p.Point, c.near); d > 15 {
			t.Errorf("Lookup(%q) is %.1f km from %s's downtown", c.query, d, c.name)
		}
	}
}

func TestLookup_PrefersTheBiggerCityWhenNoStateIsGiven(t *testing.T) {
	cases := []struct{ query, state string }{
		{"Portland", "OR"},
		{"Columbus", "OH"},
		{"Kansas City", "MO"},
		{"Jacksonville", "FL"},
		{"Rochester", "NY"},
		{"Aurora", "CO"},
		{"Springfield", "MA"}, // most Census ZIP areas of the Springfields; no population in the data
	}
	for _, c := range cases {
		if p, ok := gazetteer.Lookup(c.query); !ok || p.State != c.state {
			t.Errorf("Lookup(%q) = %+v, %v; want the one in %s", c.query, p, ok, c.state)
		}
	}
}

func TestLookup_FindsNothingForUnknownPlaces(t *testing.T) {
	for _, q := range []string{"", "   ", "Xyzzyville", "Boston, XX", "Boston, Texas Instruments", "00000", "1234", ",", "Boston,"} {
		if p, ok := gazetteer.Lookup(q); ok {
			t.Errorf("Lookup(%q) = %+v, want nothing", q, p)
		}
	}
}

func TestResolve_TriesCoordinatesThenPlaces(t *testing.T) {
	cases := []struct {
		near    string
		want    geo.Point
		message string // error message, "" when resolved
	}{
		{"42.36,-71.06", downtownBoston, ""},
		{" 42.36, -71.06 ", downtownBoston, ""},
		{"02114", geo.Point{Lat: 42.3637, Lon: -71.0669}, ""},
		{"Boston, MA", geo.Point{}, ""},
		{"123.4,-71.06", geo.Point{}, "Latitude must be between -90 and 90; got 123.4"},
		{"42.36,-271.06", geo.Point{}, "Longitude must be between -180 and 180; got -271.06"},
		{"42.36,,-71", geo.Point{}, "Coordinates must be latitude,longitude"},
		{"Xyz", geo.Point{}, `We could not find the place "Xyz"; try a city and state like "Boston, MA", a ZIP code, or coordinates like 42.36,-71.06`},
		{"", geo.Point{}, "Enter a place"},
	}
	for _, c := range cases {
		p, err := gazetteer.Resolve(c.near)
		if c.message == "" {
			if err != nil {
				t.Errorf("Resolve(%q) = %v", c.near, err)
			} else if c.want != (geo.Point{}) && p.Point != c.want {
				t.Errorf("Resolve(%q) = %v, want %v", c.near, p.Point, c.want)
			}
			continue
		}
		if !errs.Is(err, errs.KindInvalid) || !strings.Contains(errs.FieldMessage(err, "near"), c.message) {
			t.Errorf("Resolve(%q) = %v, want a \"near\" error containing %q", c.near, err, c.message)
		}
	}
}

func TestPlace_StringIsReadable(t *testing.T) {
	cases := []struct {
		place geo.Place
		want  string
	}{
		{geo.Place{Name: "Boston", State: "MA"}, "Boston, MA"},
		{geo.Place{Name: "Boston", State: "MA", ZIP: "02114"}, "Boston, MA 02114"},
		{geo.Place{State: "MA", ZIP: "01434"}, "MA 01434"},
		{geo.Place{Point: downtownBoston}, "42.36,-71.06"},
	}
	for _, c := range cases {
		if got := c.place.String(); got != c.want {
			t.Errorf("%+v.String() = %q, want %q", c.place, got, c.want)
		}
	}
}

func TestGazetteer_ZeroValueLoadsOnceUnderConcurrentUse(t *testing.T) {
	var g geo.Gazetteer
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, ok := g.Lookup("Boston, MA"); !ok {
				t.Error("concurrent Lookup found nothing")
			}
		}()
	}
	wg.Wait()
}

func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		if err := geo.NewGazetteer().Load(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLookup(b *testing.B) {
	if err := gazetteer.Load(); err != nil {
		b.Fatal(err)
	}
	queries := []string{"Boston, MA", "02114", "springfield", "Saint Louis Missouri", "Nowhere, ZZ"}
	for i := 0; b.Loop(); i++ {
		gazetteer.Lookup(queries[i%len(queries)])
	}
}
