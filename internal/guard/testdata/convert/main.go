// Command convert turns the shared third-party PHI sets into gold files
// for `rounds phi eval`, mapped to the guard's Safe Harbor types (see
// ../README.md for the rules). Run from the repository root:
//
//	go run ./internal/guard/testdata/convert /work/shared/data/phi
//
// It writes internal/guard/testdata/presidio_synth.jsonl and wnut17_dev.jsonl.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/rounds-health/rounds/internal/guard/score"
)

const outDir = "internal/guard/testdata"

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: go run ./internal/guard/testdata/convert DIR (holding presidio_synth_v2.json and wnut17_dev.conll)")
		os.Exit(2)
	}
	dir := os.Args[1]
	if err := convertPresidio(filepath.Join(dir, "presidio_synth_v2.json"), filepath.Join(outDir, "presidio_synth.jsonl")); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := convertWNUT(filepath.Join(dir, "wnut17_dev.conll"), filepath.Join(outDir, "wnut17_dev.jsonl")); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

type presidioRecord struct {
	FullText string `json:"full_text"`
	Spans    []struct {
		Type  string `json:"entity_type"`
		Value string `json:"entity_value"`
		Start int    `json:"start_position"`
		End   int    `json:"end_position"`
	} `json:"spans"`
}

var presidioTypes = map[string]string{
	"PERSON": "NAME", "STREET_ADDRESS": "LOCATION", "ZIP_CODE": "LOCATION", "GPE": "LOCATION",
	"DATE_TIME": "DATE", "PHONE_NUMBER": "PHONE", "AGE": "AGE", "EMAIL_ADDRESS": "EMAIL",
	"US_SSN": "SSN", "IP_ADDRESS": "IP", "DOMAIN_NAME": "URL", "CREDIT_CARD": "ACCOUNT",
	"IBAN_CODE": "ACCOUNT", "US_DRIVER_LICENSE": "LICENSE", "ORGANIZATION": "LOCATION",
}

func convertPresidio(in, out string) error {
	raw, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	var recs []presidioRecord
	if err := json.Unmarshal(raw, &recs); err != nil {
		return err
	}
	var docs []score.Doc
	for i, r := range recs {
		bytePos := runeToByte(r.FullText)
		d := score.Doc{ID: fmt.Sprintf("presidio-%04d", i), Text: r.FullText}
		for _, s := range r.Spans {
			typ, keep := presidioType(s.Type, s.Value)
			if !keep {
				continue
			}
			start, end := bytePos[s.Start], bytePos[s.End]
			if d.Text[start:end] != s.Value {
				return fmt.Errorf("%s: span %q does not match the text at %d", d.ID, s.Value, s.Start)
			}
			d.Gold = append(d.Gold, score.Span{Start: start, End: end, Type: typ, Text: s.Value})
		}
		d.Gold = dropNested(d.Gold)
		docs = append(docs, d)
	}
	return writeJSONL(out, docs)
}

var (
	bareYear   = regexp.MustCompile(`^\d{4}$`)
	pureTime   = regexp.MustCompile(`(?i)^\d{1,2}(:\d{2}){1,2}\s*([ap]\.?m\.?)?$|^\d{1,2}\s*[ap]\.?m\.?$`)
	weekday    = regexp.MustCompile(`(?i)^(mon|tues|wednes|thurs|fri|satur|sun)day$`)
	healthcare = regexp.MustCompile(`(?i)hospital|clinic|medical cent|health (system|centre|center)|hospice|infirmary|nursing home|rehab`)
)

// presidioType maps a presidio entity to a guard type, or says to drop it
// because Safe Harbor does not count it as an identifier.
func presidioType(typ, value string) (string, bool) {
	v := strings.TrimSpace(value)
	switch typ {
	case "GPE":
		if isStateOrLarger(v) || v == "nan" {
			return "", false
		}
	case "DATE_TIME":
		if bareYear.MatchString(v) || pureTime.MatchString(v) || weekday.MatchString(v) {
			return "", false
		}
	case "AGE":
		if n, err := strconv.Atoi(v); err != nil || n <= 89 {
			return "", false
		}
	case "ORGANIZATION":
		if !healthcare.MatchString(v) {
			return "", false
		}
	}
	t, ok := presidioTypes[typ]
	return t, ok
}

// runeToByte maps code-point offsets (presidio's) to byte offsets.
func runeToByte(s string) []int {
	pos := make([]int, 0, utf8.RuneCountInString(s)+1)
	for i := range s {
		pos = append(pos, i)
	}
	return append(pos, len(s))
}

// dropNested keeps the outer span when one gold span holds another.
func dropNested(spans []score.Span) []score.Span {
	sort.Slice(spans, func(i, j int) bool {
		if spans[i].Start != spans[j].Start {
			return spans[i].Start < spans[j].Start
		}
		return spans[i].End > spans[j].End
	})
	out := spans[:0]
	for _, s := range spans {
		if n := len(out); n > 0 && s.Start < out[n-1].End {
			continue
		}
		out = append(out, s)
	}
	return out
}

func convertWNUT(in, out string) error {
	f, err := os.Open(in)
	if err != nil {
		return err
	}
	defer f.Close()
	var (
		docs   []score.Doc
		tokens []string
		tags   []string
	)
	flush := func() {
		if len(tokens) > 0 {
			docs = append(docs, wnutDoc(fmt.Sprintf("wnut-%04d", len(docs)), tokens, tags))
		}
		tokens, tags = nil, nil
	}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" {
			flush()
			continue
		}
		tok, tag, ok := strings.Cut(line, "\t")
		if !ok {
			return fmt.Errorf("%s: line %q has no tab", in, line)
		}
		tokens, tags = append(tokens, tok), append(tags, tag)
	}
	flush()
	if err := sc.Err(); err != nil {
		return err
	}
	return writeJSONL(out, docs)
}

// wnutDoc joins the tokens with spaces and keeps person and location
// entities; a location is kept only when it is smaller than a state.
func wnutDoc(id string, tokens, tags []string) score.Doc {
	var b strings.Builder
	starts := make([]int, len(tokens))
	for i, t := range tokens {
		if i > 0 {
			b.WriteByte(' ')
		}
		starts[i] = b.Len()
		b.WriteString(t)
	}
	d := score.Doc{ID: id, Text: b.String()}
	for i := 0; i < len(tokens); i++ {
		kind, ok := strings.CutPrefix(tags[i], "B-")
		if !ok {
			continue
		}
		j := i + 1
		for j < len(tokens) && tags[j] == "I-"+kind {
			j++
		}
		start, end := starts[i], starts[j-1]+len(tokens[j-1])
		value := d.Text[start:end]
		switch {
		case kind == "person":
			d.Gold = append(d.Gold, score.Span{Start: start, End: end, Type: "NAME", Text: value})
		case kind == "location" && !isStateOrLarger(value):
			d.Gold = append(d.Gold, score.Span{Start: start, End: end, Type: "LOCATION", Text: value})
		}
		i = j - 1
	}
	return d
}

func writeJSONL(path string, docs []score.Doc) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, d := range docs {
		if d.Gold == nil {
			d.Gold = []score.Span{}
		}
		if err := enc.Encode(d); err != nil {
			return err
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	fmt.Printf("%s: %d documents\n", path, len(docs))
	return f.Close()
}
