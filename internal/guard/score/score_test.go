package score

import (
	"bytes"
	"strings"
	"testing"
)

func TestParseMarkup_GivesByteOffsetsOfPlainText(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		text  string
		spans []Span
	}{
		{"no markup", "BP 120/80, HR 88", "BP 120/80, HR 88", nil},
		{"one name", "seen by [[NAME|Dr Okafor]] today", "seen by Dr Okafor today",
			[]Span{{8, 17, "NAME", "Dr Okafor"}}},
		{"multibyte before span", "café ☕ [[NAME|Zoë]] [[DATE|3/4]]", "café ☕ Zoë 3/4",
			[]Span{{10, 14, "NAME", "Zoë"}, {15, 18, "DATE", "3/4"}}},
		{"adjacent spans", "[[NAME|Ann]][[NAME|Lee]]", "AnnLee",
			[]Span{{0, 3, "NAME", "Ann"}, {3, 6, "NAME", "Lee"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text, spans, err := ParseMarkup(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if text != tt.text {
				t.Fatalf("text = %q, want %q", text, tt.text)
			}
			if len(spans) != len(tt.spans) {
				t.Fatalf("spans = %v, want %v", spans, tt.spans)
			}
			for i, s := range spans {
				if s != tt.spans[i] || text[s.Start:s.End] != s.Text {
					t.Errorf("span %d = %+v, want %+v", i, s, tt.spans[i])
				}
			}
		})
	}
}

func TestParseMarkup_RejectsMalformedMarkup(t *testing.T) {
	for _, in := range []string{
		"[[NAME|open",
		"close]] only",
		"[[name|lower type]]",
		"[[NAME]]",
		"[[NAME|]]",
		"[[NAME|a [[DATE|b]]]]",
	} {
		if _, _, err := ParseMarkup(in); err == nil {
			t.Errorf("ParseMarkup(%q) succeeded; want an error", in)
		}
	}
}

func TestReadMarkup_SplitsDocumentsOnHeaders(t *testing.T) {
	in := "header for people\n### a\nline one [[NAME|Ines]]\nline two\n\n### b\n[[DATE|Jan 5]]\n"
	docs, err := ReadMarkup(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 2 || docs[0].ID != "a" || docs[1].ID != "b" {
		t.Fatalf("docs = %+v", docs)
	}
	if docs[0].Text != "line one Ines\nline two" {
		t.Errorf("first text = %q", docs[0].Text)
	}
	if g := docs[1].Gold; len(g) != 1 || g[0].Start != 0 || g[0].End != 5 {
		t.Errorf("second gold = %+v", g)
	}
}

func TestReadJSONL_RejectsOffsetsThatMissTheirText(t *testing.T) {
	tests := []struct {
		name, in string
		ok       bool
	}{
		{"good", `{"id":"1","text":"call Ana","phi":[{"start":5,"end":8,"type":"NAME","text":"Ana"}]}`, true},
		{"wrong text", `{"id":"1","text":"call Ana","phi":[{"start":4,"end":8,"type":"NAME","text":"Ana"}]}`, false},
		{"past the end", `{"id":"1","text":"call Ana","phi":[{"start":5,"end":9,"type":"NAME"}]}`, false},
		{"no type", `{"id":"1","text":"call Ana","phi":[{"start":5,"end":8}]}`, false},
		{"not json", `{"id":`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadJSONL(strings.NewReader(tt.in + "\n"))
			if (err == nil) != tt.ok {
				t.Fatalf("err = %v, want ok=%v", err, tt.ok)
			}
		})
	}
}

func TestScore_CountsEachMeasure(t *testing.T) {
	// "Ana Diaz seen 3/4 at Mercy"
	text := "Ana Diaz seen 3/4 at Mercy"
	gold := []Span{{0, 8, "NAME", ""}, {14, 17, "DATE", ""}, {21, 26, "LOCATION", ""}}
	pred := []Span{
		{0, 3, "NAME", ""},      // partial name: overlap, not strict
		{14, 17, "DATE", ""},    // exact
		{21, 26, "NAME", ""},    // caught as the wrong type
		{9, 13, "LOCATION", ""}, // "seen": spurious
	}
	var s Score
	s.Add(text, gold, pred)
	tests := []struct {
		m    Measure
		want Count
	}{
		{Strict, Count{Gold: 3, Found: 1, Pred: 4, Correct: 1}},
		{Overlap, Count{Gold: 3, Found: 2, Pred: 4, Correct: 2}},
		{AnyType, Count{Gold: 3, Found: 3, Pred: 4, Correct: 3}},
	}
	for _, tt := range tests {
		if got := s.Total(tt.m); got != tt.want {
			t.Errorf("%s total = %+v, want %+v", tt.m, got, tt.want)
		}
	}
	if got := s.ByType(AnyType, "LOCATION"); got != (Count{Gold: 1, Found: 1, Pred: 1, Correct: 0}) {
		t.Errorf("any-type LOCATION = %+v: recall goes by the gold type, precision by the reported type", got)
	}
	// Words: Ana Diaz 3 4 Mercy are gold (5); reported touch Ana 3 4 Mercy seen (5); Diaz leaks.
	if want := (Count{Gold: 5, Found: 4, Pred: 5, Correct: 4}); s.Tokens != want {
		t.Errorf("tokens = %+v, want %+v", s.Tokens, want)
	}
}

func TestScore_MergeAddsUp(t *testing.T) {
	var a, b, all Score
	a.Add("Ana", []Span{{0, 3, "NAME", ""}}, nil)
	b.Add("Bo", nil, []Span{{0, 2, "NAME", ""}})
	all.Merge(&a)
	all.Merge(&b)
	if got := all.Total(AnyType); got != (Count{Gold: 1, Found: 0, Pred: 1, Correct: 0}) || all.Docs != 2 {
		t.Fatalf("merged = %+v over %d docs", got, all.Docs)
	}
}

func TestCount_RatiosWithNothingToCount(t *testing.T) {
	var c Count
	if c.Recall() != 1 || c.Precision() != 1 {
		t.Fatalf("empty count: recall %v precision %v, want 1 and 1", c.Recall(), c.Precision())
	}
	c = Count{Gold: 4, Found: 3, Pred: 6, Correct: 3}
	if r, p := c.Recall(), c.Precision(); r != 0.75 || p != 0.5 {
		t.Fatalf("recall %v precision %v", r, p)
	}
	if f := c.F1(); f < 0.5999 || f > 0.6001 {
		t.Fatalf("F1 = %v, want 0.6", f)
	}
}

func TestDiff_NamesEachKindOfMistake(t *testing.T) {
	gold := []Span{{0, 8, "NAME", ""}, {10, 13, "DATE", ""}, {20, 25, "LOCATION", ""}, {30, 33, "PHONE", ""}}
	pred := []Span{{0, 3, "NAME", ""}, {10, 13, "AGE", ""}, {20, 25, "LOCATION", ""}, {40, 44, "NAME", ""}}
	var kinds []string
	for _, m := range Diff(gold, pred) {
		kinds = append(kinds, m.Kind)
	}
	if got := strings.Join(kinds, ","); got != "boundary,type,missed,spurious" {
		t.Fatalf("kinds = %s", got)
	}
}

func TestWriteTable_ShowsEveryMeasureAndType(t *testing.T) {
	var s Score
	s.Add("Ana on 3/4", []Span{{0, 3, "NAME", ""}, {7, 10, "DATE", ""}}, []Span{{0, 3, "NAME", ""}})
	var b bytes.Buffer
	if err := WriteTable(&b, "tiny", &s); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"tiny: 1 documents", "strict", "overlap", "any-type overlap", "NAME", "DATE", "ALL", "0.500"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}

func TestWriteMarkdown_OneRowPerTypeAndTotals(t *testing.T) {
	var s Score
	s.Add("Ana on 3/4", []Span{{0, 3, "NAME", ""}, {7, 10, "DATE", ""}}, []Span{{0, 3, "NAME", ""}})
	var b bytes.Buffer
	if err := WriteMarkdown(&b, "tiny", &s); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"**tiny** (1 documents)",
		"| NAME | 1 | 1 | 1.000 | 1.000 | 1.000 | 1.000 | 1.000 | 1.000 |",
		"| DATE | 1 | 0 | 0.000 | - | 0.000 | - | 0.000 | - |",
		"| **all** | 2 | 1 | 0.500 | 1.000 | 0.500 | 1.000 | 0.500 | 1.000 |",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown lacks %q:\n%s", want, out)
		}
	}
}

func TestWriteSummary_OneRowPerSet(t *testing.T) {
	var a, b Score
	a.Add("Ana", []Span{{0, 3, "NAME", ""}}, []Span{{0, 3, "NAME", ""}})
	b.Add("on 3/4", []Span{{3, 6, "DATE", ""}}, nil)
	var out bytes.Buffer
	if err := WriteSummary(&out, []Set{{"a.txt", &a}, {"b.txt", &b}}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"| a.txt | 1 | 1 | 1.000 | 1.000 | 1.000 | 1.000 |",
		"| b.txt | 1 | 1 | 0.000 | - | 0.000 | - |",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, out.String())
		}
	}
}
