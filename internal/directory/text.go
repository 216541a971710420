package directory

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// normalizeText folds text to lowercase letters and digits separated by
// single spaces, without diacritics ("Núñez-García" → "nunez garcia").
// Documents and queries both pass through it, so that SQLite's FTS5 and
// PostgreSQL's 'simple' text search see the same words.
func normalizeText(s string) string {
	var b strings.Builder
	space := true
	for _, r := range norm.NFKD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r), r == '\'', r == '’', r == 'ʼ':
			continue // "O'Brien" is one word: obrien
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
			space = false
		default:
			if !space {
				b.WriteByte(' ')
				space = true
			}
		}
	}
	return strings.TrimSpace(b.String())
}

// queryStopwords carry no meaning in a directory query.
var queryStopwords = map[string]bool{"a": true, "an": true, "the": true, "of": true, "in": true, "near": true,
	"for": true, "and": true, "with": true, "dr": true, "who": true, "my": true, "me": true, "at": true, "to": true}

const maxQueryTerms = 8

// queryTerms splits a search text into at most maxQueryTerms normalized words.
func queryTerms(s string) []string {
	var out []string
	for _, w := range strings.Fields(normalizeText(s)) {
		if queryStopwords[w] || len(out) == maxQueryTerms {
			continue
		}
		out = append(out, w)
	}
	return out
}
