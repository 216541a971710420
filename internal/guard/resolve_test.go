package guard

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// at builds a span over the first occurrence of part in text.
func at(text, part string, ty Type) Span {
	i := strings.Index(text, part)
	if i < 0 {
		panic("no " + part + " in " + text)
	}
	return Span{Start: i, End: i + len(part), Type: ty}
}

func rendered(spans []Span) []string {
	var out []string
	for _, s := range spans {
		out = append(out, string(s.Type)+" "+s.Text)
	}
	return out
}

func TestResolve_ChoosesBetweenOverlappingSpans(t *testing.T) {
	for _, c := range []struct {
		name  string
		text  string
		spans func(string) []Span
		want  []string
	}{
		{
			"an e-mail swallows the name inside it",
			"write to john.smith@example.com today",
			func(s string) []Span {
				return []Span{at(s, "john", Name), at(s, "smith", Name), at(s, "john.smith@example.com", Email)}
			},
			[]string{"EMAIL john.smith@example.com"},
		},
		{
			"a URL swallows a host that looks like a name",
			"see https://drjones.example.org/bio",
			func(s string) []Span {
				return []Span{at(s, "https://drjones.example.org/bio", URL), at(s, "jones", Name)}
			},
			[]string{"URL https://drjones.example.org/bio"},
		},
		{
			"a street address beats the name inside it",
			"lives at 22 Foss Terrace now",
			func(s string) []Span {
				return []Span{at(s, "Foss", Name), at(s, "22 Foss Terrace", Location)}
			},
			[]string{"LOCATION 22 Foss Terrace"},
		},
		{
			"a date beats the name May",
			"seen May 3 by Dr. Ray",
			func(s string) []Span {
				return []Span{at(s, "May", Name), at(s, "May 3", Date), at(s, "Ray", Name)}
			},
			[]string{"DATE May 3", "NAME Ray"},
		},
		{
			"for one span, the more specific type wins",
			"June came",
			func(s string) []Span {
				return []Span{at(s, "June", Name), at(s, "June", Date)}
			},
			[]string{"DATE June"},
		},
		{
			"a labelled number beats an unlabelled one",
			"MRN 1234567",
			func(s string) []Span {
				return []Span{at(s, "1234567", ID), at(s, "1234567", MRN)}
			},
			[]string{"MRN 1234567"},
		},
		{
			"crossing spans: the weaker is cut back, not lost",
			"daughter Smith May 3 called",
			func(s string) []Span {
				return []Span{at(s, "Smith May", Name), at(s, "May 3", Date)}
			},
			[]string{"NAME Smith", "DATE May 3"},
		},
		{
			"crossing spans: a weaker later span keeps its own part",
			"call 617-555-1212 Boston",
			func(s string) []Span {
				return []Span{at(s, "617-555-1212", Phone), at(s, "1212 Boston", Location)}
			},
			[]string{"PHONE 617-555-1212", "LOCATION Boston"},
		},
		{
			"a remainder of punctuation only is dropped",
			"call 617-555-1212.",
			func(s string) []Span {
				return []Span{at(s, "617-555-1212", Phone), at(s, "1212.", ID)}
			},
			[]string{"PHONE 617-555-1212"},
		},
	} {
		got := rendered(resolve(c.text, c.spans(c.text)))
		if !slices.Equal(got, c.want) {
			t.Errorf("%s:\n got  %q\n want %q", c.name, got, c.want)
		}
	}
}

func TestResolve_KeepsSpansOnCharacterBoundaries(t *testing.T) {
	text := "Zoë Ünal café"
	// offsets cutting into ë, Ü and é are moved outward
	spans := []Span{
		{Start: 0, End: 3, Type: Name},   // "Zo" + first byte of ë
		{Start: 6, End: 8, Type: Name},   // second byte of Ü ...
		{Start: 15, End: 99, Type: Name}, // past the end
		{Start: 5, End: 5, Type: Name},   // empty
	}
	got := resolve(text, spans)
	want := []string{"NAME Zoë", "NAME Ün", "NAME é"}
	if r := rendered(got); !slices.Equal(r, want) {
		t.Errorf("got %q, want %q", r, want)
	}
	for _, s := range got {
		if !utf8.ValidString(s.Text) {
			t.Errorf("span %+v cuts a character", s)
		}
	}
}

func TestResolve_ReturnsSortedDisjointSpansWithText(t *testing.T) {
	text := strings.Repeat("Marguerite called 617-555-0192 on 3/4 — café ✓ ", 8)
	types := []Type{Name, Location, Date, Phone, ID, Email, Age}
	r := rand.New(rand.NewPCG(1, 2))
	for round := 0; round < 200; round++ {
		var spans []Span
		for n := r.IntN(30); n > 0; n-- {
			a := r.IntN(len(text))
			b := a + 1 + r.IntN(20)
			spans = append(spans, Span{Start: a, End: b, Type: types[r.IntN(len(types))]})
		}
		got := resolve(text, spans)
		for k, s := range got {
			if s.Start < 0 || s.End > len(text) || s.Start >= s.End {
				t.Fatalf("round %d: bad span %+v", round, s)
			}
			if s.Text != text[s.Start:s.End] || !utf8.ValidString(s.Text) {
				t.Fatalf("round %d: span %+v has the wrong text", round, s)
			}
			if k > 0 && got[k-1].End > s.Start {
				t.Fatalf("round %d: %+v overlaps %+v", round, got[k-1], s)
			}
		}
	}
}
