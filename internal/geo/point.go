// Package geo owns places and distances for directory search: parsing
// coordinates a person typed, great-circle distances, the bounding box a
// distance query can use on an index, and a US gazetteer that turns
// "Boston, MA" or "02114" into a point.
//
// It works offline from data compiled into the binary and never calls a
// geocoding service: what a patient searches for stays on the server.
package geo

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/rounds-health/rounds/internal/errs"
)

// EarthRadiusKm is the mean radius of the Earth (IUGG), the sphere Distance
// and Box work on. The sphere is off by at most 0.5% from the ellipsoid, far
// less than the size of a neighbourhood.
const EarthRadiusKm = 6371.0088

// field is the request parameter the errors of this package are about.
const field = "near"

// Point is a position in decimal degrees, north and east positive.
type Point struct{ Lat, Lon float64 }

// String formats p the way ParsePoint reads it.
func (p Point) String() string {
	return strconv.FormatFloat(p.Lat, 'f', -1, 64) + "," + strconv.FormatFloat(p.Lon, 'f', -1, 64)
}

// ParsePoint reads "latitude,longitude" in decimal degrees, such as
// "42.36,-71.06" or "42.36, -71.06". Errors are field errors on "near" that
// say what was wrong.
func ParsePoint(s string) (Point, error) {
	parts := strings.Split(s, ",")
	if len(parts) != 2 {
		return Point{}, errs.Invalid(field, fmt.Sprintf(
			"Coordinates must be latitude,longitude in decimal degrees, like 42.36,-71.06; got %q", strings.TrimSpace(s)))
	}
	lat, err := coordinate("Latitude", parts[0], 90)
	if err != nil {
		return Point{}, err
	}
	lon, err := coordinate("Longitude", parts[1], 180)
	if err != nil {
		return Point{}, err
	}
	return Point{Lat: lat, Lon: lon}, nil
}

func coordinate(name, s string, limit float64) (float64, error) {
	s = strings.TrimSpace(s)
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, errs.Invalid(field, fmt.Sprintf("%s must be a number in decimal degrees, like 42.36; got %q", name, s))
	}
	if v < -limit || v > limit {
		return 0, errs.Invalid(field, fmt.Sprintf("%s must be between -%g and %g; got %s",
			name, limit, limit, strconv.FormatFloat(v, 'f', -1, 64)))
	}
	return v, nil
}

// Distance is the great-circle distance between a and b in kilometres, by the
// haversine formula, which stays accurate for short distances.
func Distance(a, b Point) float64 {
	φ1, φ2 := radians(a.Lat), radians(b.Lat)
	dφ, dλ := φ2-φ1, radians(b.Lon-a.Lon)
	h := math.Sin(dφ/2)*math.Sin(dφ/2) + math.Cos(φ1)*math.Cos(φ2)*math.Sin(dλ/2)*math.Sin(dλ/2)
	return 2 * EarthRadiusKm * math.Asin(math.Min(1, math.Sqrt(h)))
}

// Box returns the smallest latitude/longitude box that holds every point
// within km of center, for a first, index-friendly filter before Distance.
// Latitudes are clamped to ±90. When the circle reaches a pole, or the box
// would cross the ±180° meridian, the longitude range is the whole -180..180:
// a single range cannot express the wrap, and a wider filter only costs a few
// more rows for Distance to discard. A negative km is taken as 0.
func Box(center Point, km float64) (minLat, maxLat, minLon, maxLon float64) {
	r := math.Max(km, 0) / EarthRadiusKm // angular radius
	dLat := degrees(r)
	minLat, maxLat = center.Lat-dLat, center.Lat+dLat
	if minLat <= -90 || maxLat >= 90 || r >= math.Pi/2 {
		return math.Max(minLat, -90), math.Min(maxLat, 90), -180, 180
	}
	// The meridians tangent to the circle: asin(sin r / cos φ), which is wider
	// than r / cos φ away from the equator.
	ratio := math.Sin(r) / math.Cos(radians(center.Lat))
	if ratio >= 1 { // rounding at the edge of the pole case above
		return minLat, maxLat, -180, 180
	}
	dLon := degrees(math.Asin(ratio))
	minLon, maxLon = center.Lon-dLon, center.Lon+dLon
	if minLon < -180 || maxLon > 180 {
		return minLat, maxLat, -180, 180
	}
	return minLat, maxLat, minLon, maxLon
}

func radians(deg float64) float64 { return deg * math.Pi / 180 }
func degrees(rad float64) float64 { return rad * 180 / math.Pi }
