package guard

import (
	"sort"
	"unicode/utf8"
)

// resolve merges the spans of the pattern scanner and the lexicon into one
// list sorted by start, without overlaps, each with its Text.
//
// A span that contains another wins (an e-mail over the name inside it, a
// street address over a name, "May 3" over the name "May"). For equal spans
// the more specific type wins. Where two spans cross, the more specific
// one is kept whole and the other is cut back to the part outside it, so
// that neither identifier is lost. Offsets are moved onto UTF-8 character
// boundaries, outward, so a span never splits a character.
func resolve(text string, spans []Span) []Span {
	spans = alignSpans(text, spans)
	for {
		var cut []Span
		spans, cut = sweepOverlaps(text, spans)
		if len(cut) == 0 {
			break
		}
		spans = append(spans, cut...)
	}
	for k := range spans {
		spans[k].Text = text[spans[k].Start:spans[k].End]
	}
	return spans
}

// normalize clamps spans to the text, aligns them on character boundaries
// and drops empty ones.
func alignSpans(text string, spans []Span) []Span {
	out := spans[:0]
	for _, s := range spans {
		s.Start = max(0, min(s.Start, len(text)))
		s.End = max(0, min(s.End, len(text)))
		for s.Start > 0 && s.Start < len(text) && !utf8.RuneStart(text[s.Start]) {
			s.Start--
		}
		for s.End < len(text) && s.End > 0 && !utf8.RuneStart(text[s.End]) {
			s.End++
		}
		if s.End > s.Start {
			out = append(out, s)
		}
	}
	return out
}

// sweep sorts spans and walks them once. It returns the spans kept and the
// remainders of crossing spans that lost, to be merged in another sweep.
func sweepOverlaps(text string, spans []Span) (kept, cut []Span) {
	sort.SliceStable(spans, func(i, j int) bool {
		a, b := spans[i], spans[j]
		if a.Start != b.Start {
			return a.Start < b.Start
		}
		if a.End != b.End {
			return a.End > b.End
		}
		return typeRank(a.Type) > typeRank(b.Type)
	})
	out := spans[:0]
	for _, s := range spans {
		n := len(out)
		if n == 0 || s.Start >= out[n-1].End {
			out = append(out, s)
			continue
		}
		last := &out[n-1]
		if s.End <= last.End {
			continue // contained, or equal and ranked lower by the sort
		}
		// s crosses last: last.Start <= s.Start < last.End < s.End
		if typeRank(s.Type) > typeRank(last.Type) {
			if rest, ok := trimRemainder(text, Span{Start: last.Start, End: s.Start, Type: last.Type}); ok {
				last.End = rest.End
			} else {
				out = out[:n-1]
			}
			out = append(out, s)
			continue
		}
		if rest, ok := trimRemainder(text, Span{Start: last.End, End: s.End, Type: s.Type}); ok {
			cut = append(cut, rest)
		}
	}
	return out, cut
}

// trim shrinks a remainder to its letters and digits; a remainder with
// none is dropped.
func trimRemainder(text string, s Span) (Span, bool) {
	for s.Start < s.End && !inWord(text[s.Start]) {
		s.Start++
	}
	for s.End > s.Start && !inWord(text[s.End-1]) {
		s.End--
	}
	return s, s.End > s.Start
}

// rank orders types by how specific their evidence is: a shape with a
// checkable structure beats a labelled number, which beats a date or a
// dictionary word, which beats an unlabelled long number.
func typeRank(t Type) int {
	switch t {
	case Email, URL:
		return 9
	case IP, SSN:
		return 8
	case Phone, Fax:
		return 7
	case MRN, HealthPlan, Account, License, Vehicle, Device:
		return 6
	case Date, Age:
		return 5
	case Name:
		return 4
	case Location:
		return 3
	case ID:
		return 2
	}
	return 1
}
