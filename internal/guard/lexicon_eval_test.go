package guard

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestLexicon_DevSetFigures measures names and places on the shared
// development sets. It only reports (the official evaluation lives
// elsewhere); run it with GUARD_EVAL=1, and GUARD_EVAL_DUMP=file to list
// misses and false alarms.
func TestLexicon_DevSetFigures(t *testing.T) {
	if os.Getenv("GUARD_EVAL") == "" {
		t.Skip("set GUARD_EVAL=1 to measure on the shared development sets")
	}
	dir := os.Getenv("GUARD_EVAL_DIR")
	if dir == "" {
		dir = "../../../shared/data/phi"
	}
	lex := loadLexicon()
	var dump strings.Builder
	for _, set := range []struct {
		name string
		docs func(string) ([]lexEvalDoc, error)
		file string
	}{
		{"presidio", lexReadPresidio, "presidio_synth_v2.json"},
		{"wnut17", lexReadWNUT, "wnut17_dev.conll"},
		{"clinical", lexReadMarked, "testdata/clinical_notes.txt"},
		{"social", lexReadMarked, "testdata/social_posts.txt"},
		{"replies", lexReadMarked, "testdata/review_replies.txt"},
	} {
		path := filepath.Join(dir, set.file)
		if strings.HasPrefix(set.file, "testdata/") {
			path = set.file
		}
		docs, err := set.docs(path)
		if err != nil {
			t.Skipf("no development data: %v", err)
		}
		for _, typ := range []Type{Name, Location} {
			fmt.Fprintf(&dump, "## %s %s\n", set.name, typ)
			m := lexEvaluate(lex, docs, typ, &dump)
			t.Logf("%-8s %-8s recall %.3f (%d/%d)  precision %.3f (%d/%d)  any-type precision %.3f",
				set.name, typ, m.recall(), m.found, m.gold, m.precision(), m.right, m.predicted, m.anyPrecision())
		}
	}
	if out := os.Getenv("GUARD_EVAL_DUMP"); out != "" {
		if err := os.WriteFile(out, []byte(dump.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

type lexEvalDoc struct {
	text string
	gold []Span // Type is Name or Location; others are kept as ID to mean "other entity"
}

type lexMetrics struct{ gold, found, predicted, right, anyRight int }

func (m lexMetrics) recall() float64       { return lexRatio(m.found, m.gold) }
func (m lexMetrics) precision() float64    { return lexRatio(m.right, m.predicted) }
func (m lexMetrics) anyPrecision() float64 { return lexRatio(m.anyRight, m.predicted) }

func lexRatio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func lexOverlaps(a, b Span) bool { return a.Start < b.End && b.Start < a.End }

// lexEvaluate counts a gold span found when a predicted span of its type
// lexOverlaps it, and a predicted span right when it lexOverlaps a gold span of
// its type.
func lexEvaluate(lex *lexicon, docs []lexEvalDoc, typ Type, dump *strings.Builder) lexMetrics {
	var m lexMetrics
	for _, d := range docs {
		pred := lex.scan(d.text)
		for _, g := range d.gold {
			if g.Type != typ {
				continue
			}
			m.gold++
			hit := false
			for _, p := range pred {
				if p.Type == typ && lexOverlaps(p, g) {
					hit = true
				}
			}
			if hit {
				m.found++
			} else {
				fmt.Fprintf(dump, "MISS %s %q in %q\n", typ, g.Text, lexClip(d.text))
			}
		}
		for _, p := range pred {
			if p.Type != typ {
				continue
			}
			m.predicted++
			right, anyRight := false, false
			for _, g := range d.gold {
				if lexOverlaps(p, g) {
					anyRight = true
					right = right || g.Type == typ
				}
			}
			if right {
				m.right++
			} else {
				fmt.Fprintf(dump, "FALSE %s %q in %q\n", typ, p.Text, lexClip(d.text))
			}
			if anyRight {
				m.anyRight++
			}
		}
	}
	return m
}

func lexClip(s string) string {
	if len(s) > 160 {
		return s[:160]
	}
	return s
}

// lexReadPresidio converts the character offsets of presidio_synth_v2.json to
// byte offsets. Countries and US states are left out of the gold: they are
// not PHI.
func lexReadPresidio(path string) ([]lexEvalDoc, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var rows []struct {
		Text  string `json:"full_text"`
		Spans []struct {
			Type  string `json:"entity_type"`
			Value string `json:"entity_value"`
			Start int    `json:"start_position"`
			End   int    `json:"end_position"`
		} `json:"spans"`
	}
	if err := json.Unmarshal(data, &rows); err != nil {
		return nil, err
	}
	docs := make([]lexEvalDoc, 0, len(rows))
	for _, r := range rows {
		byteAt := lexCharToByte(r.Text)
		d := lexEvalDoc{text: r.Text}
		for _, sp := range r.Spans {
			typ := ID
			switch sp.Type {
			case "PERSON":
				typ = Name
			case "STREET_ADDRESS", "GPE", "ZIP_CODE":
				typ = Location
				if sp.Type == "GPE" && notPHIPlace(sp.Value) {
					continue
				}
			}
			d.gold = append(d.gold, Span{Start: byteAt[sp.Start], End: byteAt[sp.End], Type: typ, Text: sp.Value})
		}
		docs = append(docs, d)
	}
	return docs, nil
}

// notPHIPlace: a country or a state, by the lexicon's own lists.
func notPHIPlace(v string) bool {
	lex := sharedEvalLexicon()
	k := strings.ToLower(strings.TrimSpace(v))
	if p, ok := lex.places[k]; ok && p.kind == placeCountry {
		return true
	}
	if multiWordStates[k] || lexStateCodes[strings.ToUpper(k)] {
		return true
	}
	return !strings.Contains(k, " ") && lex.words[k]&stateBit != 0
}

var lexEvalShared *lexicon

func sharedEvalLexicon() *lexicon {
	if lexEvalShared == nil {
		lexEvalShared = loadLexicon()
	}
	return lexEvalShared
}

func lexCharToByte(s string) []int {
	at := make([]int, 0, len(s)+1)
	for i := range s {
		at = append(at, i)
	}
	return append(at, len(s))
}

// lexReadWNUT joins each document's tokens with spaces.
func lexReadWNUT(path string) ([]lexEvalDoc, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var docs []lexEvalDoc
	var b strings.Builder
	var cur lexEvalDoc
	var open *Span
	flush := func() {
		if open != nil {
			open.Text = b.String()[open.Start:open.End]
			if open.Type != Location || !notPHIPlace(open.Text) {
				cur.gold = append(cur.gold, *open)
			}
			open = nil
		}
	}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.TrimSpace(line) == "" {
			flush()
			if b.Len() > 0 {
				cur.text = b.String()
				docs = append(docs, cur)
			}
			cur, b = lexEvalDoc{}, strings.Builder{}
			continue
		}
		tok, tag, _ := strings.Cut(line, "\t")
		if !utf8.ValidString(tok) {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		start := b.Len()
		b.WriteString(tok)
		typ := ID
		switch strings.TrimPrefix(strings.TrimPrefix(tag, "B-"), "I-") {
		case "person":
			typ = Name
		case "location":
			typ = Location
		}
		switch {
		case strings.HasPrefix(tag, "I-") && open != nil:
			open.End = b.Len()
		case strings.HasPrefix(tag, "B-"):
			flush()
			open = &Span{Start: start, End: b.Len(), Type: typ}
		default:
			flush()
		}
	}
	flush()
	if b.Len() > 0 {
		cur.text = b.String()
		docs = append(docs, cur)
	}
	return docs, sc.Err()
}

// lexReadMarked reads notes marked up as [[TYPE|words]], one note after
// each "### ID" line.
func lexReadMarked(path string) ([]lexEvalDoc, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var docs []lexEvalDoc
	for _, note := range strings.Split(string(data), "\n### ")[1:] {
		_, body, _ := strings.Cut(note, "\n")
		var b strings.Builder
		var d lexEvalDoc
		for {
			i := strings.Index(body, "[[")
			if i < 0 {
				b.WriteString(body)
				break
			}
			b.WriteString(body[:i])
			j := strings.Index(body[i:], "]]")
			typ, words, _ := strings.Cut(body[i+2:i+j], "|")
			start := b.Len()
			b.WriteString(words)
			d.gold = append(d.gold, Span{Start: start, End: b.Len(), Type: Type(typ), Text: words})
			body = body[i+j+2:]
		}
		d.text = b.String()
		docs = append(docs, d)
	}
	return docs, nil
}
