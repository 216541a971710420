package score

import (
	"fmt"
	"io"
	"strings"
)

// WriteTable prints, for each measure, one row per type (gold, found,
// reported, correct, recall, precision, F1) and a total row, then the
// word-level figures.
func WriteTable(w io.Writer, title string, s *Score) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d documents\n", title, s.Docs)
	types := s.Types()
	for _, m := range Measures {
		writeHeader(&b, m.String())
		for _, t := range types {
			writeRow(&b, "  "+t, s.ByType(m, t))
		}
		writeRow(&b, "  ALL", s.Total(m))
	}
	writeHeader(&b, "words (any type)")
	writeRow(&b, "  ALL", s.Tokens)
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteMarkdown prints the same figures as one Markdown table: a row per
// type with recall and precision under each measure, then the totals and
// the word-level figures.
func WriteMarkdown(w io.Writer, title string, s *Score) error {
	var b strings.Builder
	fmt.Fprintf(&b, "**%s** (%d documents)\n\n", title, s.Docs)
	b.WriteString("| type | gold | reported | strict R | strict P | overlap R | overlap P | any-type R | any-type P |\n")
	b.WriteString("|---|--:|--:|--:|--:|--:|--:|--:|--:|\n")
	row := func(label string, get func(Measure) Count) {
		st, ov, an := get(Strict), get(Overlap), get(AnyType)
		fmt.Fprintf(&b, "| %s | %d | %d | %s | %s | %s | %s | %s | %s |\n", label, st.Gold, st.Pred,
			pct(st.Found, st.Gold), pct(st.Correct, st.Pred), pct(ov.Found, ov.Gold), pct(ov.Correct, ov.Pred),
			pct(an.Found, an.Gold), pct(an.Correct, an.Pred))
	}
	for _, t := range s.Types() {
		row(t, func(m Measure) Count { return s.ByType(m, t) })
	}
	row("**all**", s.Total)
	t := s.Tokens
	fmt.Fprintf(&b, "| words | %d | %d | | | | | %s | %s |\n\n", t.Gold, t.Pred, pct(t.Found, t.Gold), pct(t.Correct, t.Pred))
	_, err := io.WriteString(w, b.String())
	return err
}

// Set is a named, scored development set.
type Set struct {
	Name  string
	Score *Score
}

// WriteSummary prints one Markdown row per set: documents, gold
// identifiers, strict and any-type recall and precision.
func WriteSummary(w io.Writer, sets []Set) error {
	var b strings.Builder
	b.WriteString("| set | documents | gold | strict R | strict P | any-type R | any-type P |\n")
	b.WriteString("|---|--:|--:|--:|--:|--:|--:|\n")
	for _, set := range sets {
		st, an := set.Score.Total(Strict), set.Score.Total(AnyType)
		fmt.Fprintf(&b, "| %s | %d | %d | %s | %s | %s | %s |\n", set.Name, set.Score.Docs, st.Gold,
			pct(st.Found, st.Gold), pct(st.Correct, st.Pred), pct(an.Found, an.Gold), pct(an.Correct, an.Pred))
	}
	b.WriteString("\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func writeHeader(w io.Writer, label string) {
	fmt.Fprintf(w, "%-18s %6s %6s %8s %7s %7s %9s %6s\n", label, "gold", "found", "reported", "correct", "recall", "precision", "F1")
}

func writeRow(w io.Writer, label string, c Count) {
	fmt.Fprintf(w, "%-18s %6d %6d %8d %7d %7s %9s %6s\n", label, c.Gold, c.Found, c.Pred, c.Correct,
		pct(c.Found, c.Gold), pct(c.Correct, c.Pred), f1(c))
}

func pct(a, b int) string {
	if b == 0 {
		return "-"
	}
	return fmt.Sprintf("%.3f", float64(a)/float64(b))
}

func f1(c Count) string {
	if c.Gold == 0 && c.Pred == 0 {
		return "-"
	}
	return fmt.Sprintf("%.3f", c.F1())
}

// Mismatch is one disagreement between gold and reported spans.
type Mismatch struct {
	// Kind is "missed" (no reported span touches a gold one), "spurious"
	// (a reported span touches no gold one), "type" (caught, but only as
	// another type) or "boundary" (same type, different extent).
	Kind string
	Gold Span
	Pred Span
}

// Diff lists the disagreements of one document, gold order first, then
// the spurious reports.
func Diff(gold, pred []Span) []Mismatch {
	var out []Mismatch
	for _, g := range gold {
		switch {
		case matchesAny(Strict, g, pred):
		case matchesAny(Overlap, g, pred):
			out = append(out, Mismatch{Kind: "boundary", Gold: g, Pred: firstMatch(Overlap, g, pred)})
		case matchesAny(AnyType, g, pred):
			out = append(out, Mismatch{Kind: "type", Gold: g, Pred: firstMatch(AnyType, g, pred)})
		default:
			out = append(out, Mismatch{Kind: "missed", Gold: g})
		}
	}
	for _, p := range pred {
		if !matchesAny(AnyType, p, gold) {
			out = append(out, Mismatch{Kind: "spurious", Pred: p})
		}
	}
	return out
}

func firstMatch(m Measure, a Span, others []Span) Span {
	for _, b := range others {
		if matches(m, a, b) {
			return b
		}
	}
	return Span{}
}

// Format renders a mismatch on one line with the words it is about.
func (mm Mismatch) Format(text string) string {
	show := func(s Span) string {
		return fmt.Sprintf("%s %q [%d,%d)", s.Type, oneLine(text[s.Start:s.End]), s.Start, s.End)
	}
	switch mm.Kind {
	case "missed":
		return "missed    " + show(mm.Gold)
	case "spurious":
		return "spurious  " + show(mm.Pred)
	default:
		return fmt.Sprintf("%-9s gold %s, reported %s", mm.Kind, show(mm.Gold), show(mm.Pred))
	}
}

func oneLine(s string) string { return strings.ReplaceAll(s, "\n", `\n`) }
