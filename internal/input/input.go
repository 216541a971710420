// Package input holds the checks every piece of text typed by a person
// passes at the edge of a domain: valid UTF-8, no NUL or other control
// characters (tabs and line breaks aside), no bidirectional overrides that
// can disguise what a public text says. Services call it from their
// validation; it knows nothing of domains.
package input

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Problem returns why s is not acceptable text, or "".
func Problem(s string) string {
	if !utf8.ValidString(s) {
		return "This text is not valid UTF-8; retype it or paste it as plain text."
	}
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
		case unicode.IsControl(r):
			return "This text contains invisible control characters; retype it or paste it as plain text."
		case r >= '\u202a' && r <= '\u202e', r >= '\u2066' && r <= '\u2069':
			return "This text contains bidirectional override characters, which can disguise what it says; remove them."
		}
	}
	return ""
}

// NameWords keeps the words of a name: no word with a digit, an "@", a "/"
// or a ":" (a display name carrying a phone number or a link yields only
// the name).
func NameWords(s string) string {
	var words []string
	for _, w := range strings.Fields(s) {
		if !strings.ContainsAny(w, "0123456789@/:") {
			words = append(words, w)
		}
	}
	return strings.Join(words, " ")
}
