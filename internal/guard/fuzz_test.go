package guard

import (
	"testing"
	"unicode/utf8"
)

// FuzzScan: whatever the text, Scan returns sorted, non-overlapping spans on
// character boundaries whose Text is the slice it names, and never panics
// (it runs on every public word and on multi-gigabyte exports).
func FuzzScan(f *testing.F) {
	for _, s := range []string{"", "MY visit 1 a 1 100", "Pt John Smith seen 3/14/2021, call (617) 555-0199",
		"1 100", "001-518", "1 (", "SSN 123-45-6789", "www.", "DOB: 1/2/", "92 yo", "é 1 555-", "\xff\xfe 617-555-0199"} {
		f.Add(s)
	}
	d := Default()
	f.Fuzz(func(t *testing.T, text string) {
		spans := d.Scan(text)
		end := 0
		for _, sp := range spans {
			if sp.Start < end || sp.End <= sp.Start || sp.End > len(text) {
				t.Fatalf("bad span %+v after %d in %q", sp, end, text)
			}
			if sp.Text != text[sp.Start:sp.End] {
				t.Fatalf("span text %q is not text[%d:%d] of %q", sp.Text, sp.Start, sp.End, text)
			}
			if utf8.ValidString(text) && (!utf8.RuneStart(text[sp.Start]) || sp.End < len(text) && !utf8.RuneStart(text[sp.End])) {
				t.Fatalf("span %+v splits a character in %q", sp, text)
			}
			end = sp.End
		}
		_ = d.Check(text, Options{Context: ContextReviewReply, Answering: text})
	})
}
