package score

import (
	"sort"
	"unicode"
	"unicode/utf8"
)

// Measure is a way of deciding whether a reported span matches a gold one.
type Measure int

// The measures, from the strictest.
const (
	// Strict: same type, same start and end.
	Strict Measure = iota
	// Overlap: same type, at least one byte in common.
	Overlap
	// AnyType: at least one byte in common, whatever the types. It answers
	// "was the identifier caught at all", which is what a leak is about,
	// and is how the deid study counted.
	AnyType
	numMeasures
)

// Measures lists every measure, strictest first.
var Measures = []Measure{Strict, Overlap, AnyType}

func (m Measure) String() string {
	switch m {
	case Strict:
		return "strict"
	case Overlap:
		return "overlap"
	case AnyType:
		return "any-type overlap"
	}
	return "unknown"
}

// Count tallies identifiers of one type under one measure. Recall is
// Found/Gold; precision is Correct/Pred. They are counted apart because
// one reported span may cover two gold ones or the reverse.
type Count struct {
	Gold    int `json:"gold"`
	Found   int `json:"found"`
	Pred    int `json:"reported"`
	Correct int `json:"correct"`
}

// Recall is the share of gold identifiers found; 1 when there were none.
func (c Count) Recall() float64 { return ratio(c.Found, c.Gold) }

// Precision is the share of reported identifiers that are real; 1 when
// nothing was reported.
func (c Count) Precision() float64 { return ratio(c.Correct, c.Pred) }

// F1 is the harmonic mean of recall and precision.
func (c Count) F1() float64 {
	r, p := c.Recall(), c.Precision()
	if r+p == 0 {
		return 0
	}
	return 2 * r * p / (r + p)
}

func (c *Count) add(o Count) {
	c.Gold += o.Gold
	c.Found += o.Found
	c.Pred += o.Pred
	c.Correct += o.Correct
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// Score accumulates counts over documents. The zero value is ready.
type Score struct {
	Docs   int
	tables [numMeasures]map[string]*Count
	// Tokens counts words (runs of letters and digits) instead of spans,
	// any type: a gold word is found when a reported span touches it. It
	// shows how much of a long identifier leaks when only part is caught.
	Tokens Count
}

// Add scores one document's reported spans against its gold spans.
func (s *Score) Add(text string, gold, pred []Span) {
	s.Docs++
	for m := range numMeasures {
		for _, g := range gold {
			c := s.count(m, g.Type)
			c.Gold++
			if matchesAny(m, g, pred) {
				c.Found++
			}
		}
		for _, p := range pred {
			c := s.count(m, p.Type)
			c.Pred++
			if matchesAny(m, p, gold) {
				c.Correct++
			}
		}
	}
	s.Tokens.add(countTokens(text, gold, pred))
}

// Merge adds another score's counts to s.
func (s *Score) Merge(o *Score) {
	s.Docs += o.Docs
	for m := range numMeasures {
		for t, c := range o.tables[m] {
			s.count(m, t).add(*c)
		}
	}
	s.Tokens.add(o.Tokens)
}

func (s *Score) count(m Measure, typ string) *Count {
	if s.tables[m] == nil {
		s.tables[m] = map[string]*Count{}
	}
	c := s.tables[m][typ]
	if c == nil {
		c = &Count{}
		s.tables[m][typ] = c
	}
	return c
}

// ByType returns the count of one type under a measure.
func (s *Score) ByType(m Measure, typ string) Count {
	if c := s.tables[m][typ]; c != nil {
		return *c
	}
	return Count{}
}

// Total sums every type under a measure.
func (s *Score) Total(m Measure) Count {
	var t Count
	for _, c := range s.tables[m] {
		t.add(*c)
	}
	return t
}

// Types lists the types seen in gold or reported spans, most frequent
// in gold first.
func (s *Score) Types() []string {
	tab := s.tables[Strict]
	types := make([]string, 0, len(tab))
	for t := range tab {
		types = append(types, t)
	}
	sort.Slice(types, func(i, j int) bool {
		a, b := tab[types[i]], tab[types[j]]
		if a.Gold != b.Gold {
			return a.Gold > b.Gold
		}
		if a.Pred != b.Pred {
			return a.Pred > b.Pred
		}
		return types[i] < types[j]
	})
	return types
}

func matches(m Measure, a, b Span) bool {
	switch m {
	case Strict:
		return a.Type == b.Type && a.Start == b.Start && a.End == b.End
	case Overlap:
		return a.Type == b.Type && overlaps(a, b)
	default:
		return overlaps(a, b)
	}
}

func matchesAny(m Measure, a Span, others []Span) bool {
	for _, b := range others {
		if matches(m, a, b) {
			return true
		}
	}
	return false
}

func overlaps(a, b Span) bool { return a.Start < b.End && b.Start < a.End }

// countTokens counts words touched by gold and by reported spans.
func countTokens(text string, gold, pred []Span) Count {
	var c Count
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRuneInString(text[i:])
		if !isWordRune(r) {
			i += n
			continue
		}
		j := i + n
		for j < len(text) {
			r, n := utf8.DecodeRuneInString(text[j:])
			if !isWordRune(r) {
				break
			}
			j += n
		}
		w := Span{Start: i, End: j}
		inGold, inPred := anyOverlap(w, gold), anyOverlap(w, pred)
		if inGold {
			c.Gold++
			if inPred {
				c.Found++
			}
		}
		if inPred {
			c.Pred++
			if inGold {
				c.Correct++
			}
		}
		i = j
	}
	return c
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

func anyOverlap(a Span, spans []Span) bool {
	for _, b := range spans {
		if overlaps(a, b) {
			return true
		}
	}
	return false
}
