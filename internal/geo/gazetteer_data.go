package geo

import (
	"bytes"
	"cmp"
	"compress/gzip"
	_ "embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
)

// gazetteerCSV is one row per ZIP code: zip,city,state,lat,lon, gzip-compressed.
// gen_gazetteer.go builds it; data/README.md says from what.
//
//go:embed data/gazetteer.csv.gz
var gazetteerCSV []byte

type zipEntry struct {
	city  int32 // index in cities, or -1
	state string
	point Point
}

type city struct {
	name, state string
	point       Point
	located     int // ZIP codes with a Census point
	zips        int // ZIP codes of any kind
}

type gazetteerData struct {
	zips   map[string]zipEntry
	cities []city
	byKey  map[string][]int32 // cityKey → cities, best first
}

type zipRow struct {
	zip, city, state string
	point            Point
	located          bool
}

func loadGazetteer() (*gazetteerData, error) {
	rows, err := readGazetteer(gazetteerCSV)
	if err != nil {
		return nil, fmt.Errorf("gazetteer data: %w", err)
	}
	return buildGazetteer(rows), nil
}

func readGazetteer(gz []byte) ([]zipRow, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, err
	}
	cr := csv.NewReader(zr)
	cr.FieldsPerRecord = 5
	cr.ReuseRecord = true
	if _, err := cr.Read(); err != nil {
		return nil, fmt.Errorf("header: %w", err)
	}
	rows := make([]zipRow, 0, 41000)
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return rows, nil
		}
		if err != nil {
			return nil, err
		}
		r, err := parseZipRow(rec)
		if err != nil {
			line, _ := cr.FieldPos(0)
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		rows = append(rows, r)
	}
}

func parseZipRow(rec []string) (zipRow, error) {
	r := zipRow{zip: rec[0], city: rec[1], state: rec[2]}
	if !zipPattern.MatchString(r.zip) {
		return r, fmt.Errorf("bad ZIP code %q", r.zip)
	}
	if rec[3] == "" && rec[4] == "" {
		if r.city == "" {
			return r, fmt.Errorf("ZIP code %s has neither a city nor a point", r.zip)
		}
		return r, nil
	}
	lat, err1 := strconv.ParseFloat(rec[3], 64)
	lon, err2 := strconv.ParseFloat(rec[4], 64)
	if err := errors.Join(err1, err2); err != nil {
		return r, fmt.Errorf("ZIP code %s: %w", r.zip, err)
	}
	r.point, r.located = Point{Lat: lat, Lon: lon}, true
	return r, nil
}

func buildGazetteer(rows []zipRow) *gazetteerData {
	d := &gazetteerData{zips: make(map[string]zipEntry, len(rows)), byKey: make(map[string][]int32, len(rows)/2)}
	points, unlocated := d.addRows(rows)
	for id, ps := range points {
		if len(ps) > 0 {
			d.cities[id].point, d.cities[id].located = median(ps), len(ps)
		}
	}
	d.placeAtCities(unlocated)
	for id, c := range d.cities {
		if c.located > 0 {
			k := cityKey(c.name)
			d.byKey[k] = append(d.byKey[k], int32(id))
		}
	}
	for _, ids := range d.byKey {
		slices.SortFunc(ids, d.rank)
	}
	return d
}

// addRows records every ZIP code and gathers cities: it returns, per city,
// the points of its located ZIP codes, and the ZIP codes still to be placed.
func (d *gazetteerData) addRows(rows []zipRow) (points [][]Point, unlocated []string) {
	ids := make(map[[2]string]int32, len(rows)/2)
	for _, r := range rows {
		e := zipEntry{city: -1, state: r.state, point: r.point}
		if r.city != "" {
			id, ok := ids[[2]string{r.city, r.state}]
			if !ok {
				id = int32(len(d.cities))
				ids[[2]string{r.city, r.state}] = id
				d.cities = append(d.cities, city{name: r.city, state: r.state})
				points = append(points, nil)
			}
			e.city = id
			d.cities[id].zips++
			if r.located {
				points[id] = append(points[id], r.point)
			}
		}
		if !r.located {
			unlocated = append(unlocated, r.zip)
		}
		d.zips[r.zip] = e
	}
	return points, unlocated
}

// placeAtCities gives PO-box and other ZIP codes without a Census point the
// point of their city, and drops those whose city has none.
func (d *gazetteerData) placeAtCities(zips []string) {
	for _, zip := range zips {
		e := d.zips[zip]
		if e.city < 0 || d.cities[e.city].located == 0 {
			delete(d.zips, zip)
			continue
		}
		e.point = d.cities[e.city].point
		d.zips[zip] = e
	}
}

// rank orders cities that share a name: most located ZIP codes, then most ZIP
// codes, then by state code so the order never depends on map iteration.
func (d *gazetteerData) rank(a, b int32) int {
	ca, cb := d.cities[a], d.cities[b]
	return cmp.Or(cmp.Compare(cb.located, ca.located), cmp.Compare(cb.zips, ca.zips), cmp.Compare(ca.state, cb.state))
}

// median is the component-wise median of ps: the middle of a city's ZIP code
// points, unmoved by a far-flung ZIP code the way a mean would be.
func median(ps []Point) Point {
	lats, lons := make([]float64, len(ps)), make([]float64, len(ps))
	for i, p := range ps {
		lats[i], lons[i] = p.Lat, p.Lon
	}
	return Point{Lat: middle(lats), Lon: middle(lons)}
}

func middle(v []float64) float64 {
	slices.Sort(v)
	n := len(v)
	if n%2 == 1 {
		return v[n/2]
	}
	return (v[n/2-1] + v[n/2]) / 2
}

func (d *gazetteerData) zip(code string) (Place, bool) {
	e, ok := d.zips[code]
	if !ok {
		return Place{}, false
	}
	p := Place{State: e.state, ZIP: code, Point: e.point}
	if e.city >= 0 {
		p.Name = d.cities[e.city].name
	}
	return p, true
}

// city finds name in state, or anywhere when state is "".
func (d *gazetteerData) city(name, state string) (Place, bool) {
	for _, id := range d.byKey[cityKey(name)] {
		if c := d.cities[id]; state == "" || c.state == state {
			return Place{Name: c.name, State: c.state, Point: c.point}, true
		}
	}
	return Place{}, false
}
