package geo_test

import (
	"math"
	"strings"
	"testing"

	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/geo"
)

var (
	boston  = geo.Point{Lat: 42.3601, Lon: -71.0589}
	newYork = geo.Point{Lat: 40.7128, Lon: -74.0060}
)

func TestParsePoint_ReadsLatitudeCommaLongitude(t *testing.T) {
	cases := []struct {
		in   string
		want geo.Point
	}{
		{"42.36,-71.06", geo.Point{Lat: 42.36, Lon: -71.06}},
		{" 42.36 , -71.06 ", geo.Point{Lat: 42.36, Lon: -71.06}},
		{"+42.36,-71.06", geo.Point{Lat: 42.36, Lon: -71.06}},
		{"0,0", geo.Point{}},
		{"-90,180", geo.Point{Lat: -90, Lon: 180}},
		{"90,-180", geo.Point{Lat: 90, Lon: -180}},
		{"42,-71", geo.Point{Lat: 42, Lon: -71}},
	}
	for _, c := range cases {
		got, err := geo.ParsePoint(c.in)
		if err != nil || got != c.want {
			t.Errorf("ParsePoint(%q) = %v, %v; want %v", c.in, got, err, c.want)
		}
	}
}

func TestParsePoint_RejectsBadInputSayingWhy(t *testing.T) {
	cases := []struct{ in, message string }{
		{"123.4,0", "Latitude must be between -90 and 90; got 123.4"},
		{"-90.5,0", "Latitude must be between -90 and 90; got -90.5"},
		{"0,180.01", "Longitude must be between -180 and 180; got 180.01"},
		{"0,-200", "Longitude must be between -180 and 180; got -200"},
		{"", "Coordinates must be latitude,longitude"},
		{"42.36", "Coordinates must be latitude,longitude"},
		{"42.36 -71.06", "Coordinates must be latitude,longitude"},
		{"1,2,3", "Coordinates must be latitude,longitude"},
		{"north,-71.06", `Latitude must be a number in decimal degrees, like 42.36; got "north"`},
		{"42.36,", `Longitude must be a number in decimal degrees, like 42.36; got ""`},
		{"NaN,0", "Latitude must be a number"},
		{"0,Inf", "Longitude must be a number"},
		{"1e400,0", "Latitude must be a number"},
	}
	for _, c := range cases {
		_, err := geo.ParsePoint(c.in)
		if !errs.Is(err, errs.KindInvalid) {
			t.Errorf("ParsePoint(%q) = %v, want an invalid-field error", c.in, err)
			continue
		}
		if msg := errs.FieldMessage(err, "near"); !strings.Contains(msg, c.message) {
			t.Errorf("ParsePoint(%q) says %q, want it to contain %q", c.in, msg, c.message)
		}
	}
}

func TestPoint_StringRoundTrips(t *testing.T) {
	p := geo.Point{Lat: 42.3601, Lon: -71.0589}
	back, err := geo.ParsePoint(p.String())
	if err != nil || back != p {
		t.Fatalf("ParsePoint(%q) = %v, %v", p.String(), back, err)
	}
}

func TestDistance_MatchesKnownDistances(t *testing.T) {
	cases := []struct {
		name      string
		a, b      geo.Point
		km, slack float64
	}{
		{"Boston to New York", boston, newYork, 306, 5},
		{"same point", boston, boston, 0, 1e-9},
		{"one degree of latitude", geo.Point{Lat: 0, Lon: 0}, geo.Point{Lat: 1, Lon: 0}, 111.195, 0.01},
		{"antipodes", geo.Point{Lat: 0, Lon: 0}, geo.Point{Lat: 0, Lon: 180}, math.Pi * geo.EarthRadiusKm, 1e-6},
		{"across the antimeridian", geo.Point{Lat: 0, Lon: 179.5}, geo.Point{Lat: 0, Lon: -179.5}, 111.195, 0.01},
	}
	for _, c := range cases {
		ab, ba := geo.Distance(c.a, c.b), geo.Distance(c.b, c.a)
		if math.Abs(ab-c.km) > c.slack || math.Abs(ab-ba) > 1e-9 {
			t.Errorf("%s: Distance = %.3f km (reverse %.3f), want %.3f ± %g", c.name, ab, ba, c.km, c.slack)
		}
	}
}

// destination is the point km away from p on initial bearing deg, on the
// same sphere as geo.Distance.
func destination(p geo.Point, km, deg float64) geo.Point {
	φ1, λ1 := p.Lat*math.Pi/180, p.Lon*math.Pi/180
	δ, θ := km/geo.EarthRadiusKm, deg*math.Pi/180
	φ2 := math.Asin(math.Sin(φ1)*math.Cos(δ) + math.Cos(φ1)*math.Sin(δ)*math.Cos(θ))
	λ2 := λ1 + math.Atan2(math.Sin(θ)*math.Sin(δ)*math.Cos(φ1), math.Cos(δ)-math.Sin(φ1)*math.Sin(φ2))
	lon := math.Mod(λ2*180/math.Pi+540, 360) - 180
	return geo.Point{Lat: φ2 * 180 / math.Pi, Lon: lon}
}

func TestBox_HoldsEveryPointWithinTheRadius(t *testing.T) {
	centers := []struct {
		name string
		p    geo.Point
	}{
		{"Boston", boston},
		{"equator", geo.Point{Lat: 0, Lon: 0}},
		{"Anchorage", geo.Point{Lat: 61.2, Lon: -149.9}},
		{"near the north pole", geo.Point{Lat: 89.95, Lon: 10}},
		{"near the south pole", geo.Point{Lat: -89.95, Lon: -10}},
		{"east of the antimeridian", geo.Point{Lat: -17.7, Lon: 179.95}},
		{"west of the antimeridian", geo.Point{Lat: 51.9, Lon: -179.98}},
	}
	for _, c := range centers {
		for _, km := range []float64{0.5, 10, 100, 1500} {
			minLat, maxLat, minLon, maxLon := geo.Box(c.p, km)
			if minLat < -90 || maxLat > 90 || minLon < -180 || maxLon > 180 || minLat > maxLat || minLon > maxLon {
				t.Fatalf("%s %g km: box %v..%v, %v..%v is malformed", c.name, km, minLat, maxLat, minLon, maxLon)
			}
			for deg := 0.0; deg < 360; deg += 7.5 {
				q := destination(c.p, km*(1-1e-9), deg)
				if d := geo.Distance(c.p, q); math.Abs(d-km) > km*1e-6 {
					t.Fatalf("test helper is wrong: %v is %g km away, want %g", q, d, km)
				}
				if q.Lat < minLat || q.Lat > maxLat || q.Lon < minLon || q.Lon > maxLon {
					t.Errorf("%s %g km: bearing %g° lands at %v, outside box lat %.5f..%.5f lon %.5f..%.5f",
						c.name, km, deg, q, minLat, maxLat, minLon, maxLon)
				}
			}
		}
	}
}

func TestBox_IsTightAwayFromPolesAndTheAntimeridian(t *testing.T) {
	minLat, maxLat, minLon, maxLon := geo.Box(boston, 10)
	north := geo.Distance(boston, geo.Point{Lat: maxLat, Lon: boston.Lon})
	south := geo.Distance(boston, geo.Point{Lat: minLat, Lon: boston.Lon})
	if math.Abs(north-10) > 1e-6 || math.Abs(south-10) > 1e-6 {
		t.Errorf("latitude edges are %g and %g km away, want 10", north, south)
	}
	width := maxLon - minLon
	if width <= 0.2 || width > 0.26 { // 2 × 10 km at 42° N is about 0.243°
		t.Errorf("longitude span %g° is not the span of a 10 km circle at Boston", width)
	}
}

func TestBox_WidensToAllLongitudesAtThePolesAndAcrossTheAntimeridian(t *testing.T) {
	cases := []struct {
		name   string
		center geo.Point
		km     float64
		maxLat float64 // expected clamp, or 0 to skip
	}{
		{"north pole inside the circle", geo.Point{Lat: 89.99, Lon: 0}, 5, 90},
		{"south pole inside the circle", geo.Point{Lat: -89.99, Lon: 0}, 5, 0},
		{"crosses +180", geo.Point{Lat: 0, Lon: 179.99}, 5, 0},
		{"crosses -180", geo.Point{Lat: 0, Lon: -179.99}, 5, 0},
		{"half the globe", boston, 12000, 90},
	}
	for _, c := range cases {
		_, maxLat, minLon, maxLon := geo.Box(c.center, c.km)
		if minLon != -180 || maxLon != 180 {
			t.Errorf("%s: longitudes %v..%v, want -180..180", c.name, minLon, maxLon)
		}
		if c.maxLat != 0 && maxLat != c.maxLat {
			t.Errorf("%s: max latitude %v, want %v", c.name, maxLat, c.maxLat)
		}
	}
	if minLat, maxLat, minLon, maxLon := geo.Box(boston, -3); minLat != boston.Lat || maxLat != boston.Lat ||
		minLon != boston.Lon || maxLon != boston.Lon {
		t.Errorf("a negative radius should be a zero radius, got %v..%v, %v..%v", minLat, maxLat, minLon, maxLon)
	}
}
