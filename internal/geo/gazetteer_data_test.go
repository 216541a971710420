package geo

import (
	"bytes"
	"compress/gzip"
	"strings"
	"testing"
)

// usRegions are boxes around the states and territories the data covers; a
// point outside all of them means a swapped or mangled coordinate.
var usRegions = []struct{ minLat, maxLat, minLon, maxLon float64 }{
	{24, 50, -125, -66},      // contiguous states
	{51, 72, -180, -129},     // Alaska
	{18, 23, -161, -154},     // Hawaii
	{17.5, 18.6, -68, -64.5}, // Puerto Rico and the Virgin Islands
	{13, 21, 144, 146},       // Guam and the Northern Mariana Islands
	{-15, -13, -171, -168},   // American Samoa
}

func inUS(p Point) bool {
	for _, r := range usRegions {
		if p.Lat >= r.minLat && p.Lat <= r.maxLat && p.Lon >= r.minLon && p.Lon <= r.maxLon {
			return true
		}
	}
	return false
}

func TestEmbeddedGazetteer_CoversTheCountryWithPlausiblePoints(t *testing.T) {
	d, err := loadGazetteer()
	if err != nil {
		t.Fatal(err)
	}
	if len(d.zips) < 40000 || len(d.cities) < 25000 {
		t.Fatalf("%d ZIP codes and %d cities; the data looks truncated", len(d.zips), len(d.cities))
	}
	for zip, e := range d.zips {
		if !inUS(e.point) {
			t.Errorf("ZIP code %s is at %v, outside the US", zip, e.point)
		}
		if e.state != "" && StateName(e.state) == "" {
			t.Errorf("ZIP code %s has unknown state %q", zip, e.state)
		}
	}
	for _, c := range d.cities {
		if c.located > 0 && !inUS(c.point) {
			t.Errorf("%s, %s is at %v, outside the US", c.name, c.state, c.point)
		}
	}
}

func TestReadGazetteer_ReportsTheBadLine(t *testing.T) {
	cases := []struct{ name, csv, want string }{
		{"bad zip", "zip,city,state,lat,lon\n02114,Boston,MA,42.36,-71.06\n2114,Boston,MA,42.36,-71.06\n", "line 3"},
		{"bad number", "zip,city,state,lat,lon\n02114,Boston,MA,north,-71.06\n", "line 2"},
		{"nowhere", "zip,city,state,lat,lon\n02114,,MA,,\n", "neither a city nor a point"},
	}
	for _, c := range cases {
		_, err := readGazetteer(gzipped(t, c.csv))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want it to mention %q", c.name, err, c.want)
		}
	}
	if _, err := readGazetteer([]byte("not gzip")); err == nil {
		t.Error("reading data that is not gzip should fail")
	}
}

func TestCityKey_IgnoresPunctuationCaseAndAbbreviations(t *testing.T) {
	same := [][]string{
		{"St. Louis", "saint louis", "Saint-Louis", "ST LOUIS"},
		{"Winston-Salem", "Winston Salem", "winstonsalem"},
		{"O'Fallon", "OFallon", "o’fallon"},
		{"Ft Myers", "Fort Myers"},
		{"Mt. Vernon", "Mount Vernon"},
	}
	for _, group := range same {
		for _, s := range group[1:] {
			if cityKey(s) != cityKey(group[0]) {
				t.Errorf("cityKey(%q) = %q, cityKey(%q) = %q; want them equal", s, cityKey(s), group[0], cityKey(group[0]))
			}
		}
	}
	if squash("MT") != "mt" {
		t.Error("state codes must not be expanded like city abbreviations")
	}
}

func gzipped(t *testing.T, s string) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	if _, err := w.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
