package guard

import (
	"bytes"
	"unicode"
	"unicode/utf8"
)

// Token kinds.
const (
	tokWord  uint8 = iota + 1 // letters, with inner apostrophes and hyphens
	tokNum                    // starts with a digit: "123", "4B", "2nd"
	tokPunct                  // one punctuation character
)

// Token shapes, from the letters' case.
const (
	shapeLower uint8 = iota + 1 // "smith"
	shapeTitle                  // "Smith", "McDonald", "O'Brien"
	shapeUpper                  // "SMITH", "A"
	shapeMixed                  // "iPhone"
)

// Token marks.
const (
	markLineStart  uint16 = 1 << iota // first token of a line
	markSentStart                     // first token of a sentence
	markPossessive                    // "Smith's": the 's is not in the token
	markSpaceAfter                    // whitespace follows
	markBlankLine                     // a blank line comes before
)

// token is one word, number or punctuation character of a text, by byte
// offsets. flags are the lexicon's flags for its lower-cased form.
type token struct {
	start, end int32
	kind       uint8
	shape      uint8
	mark       uint16
	flags      uint32
}

// tokenizer splits texts into tokens and looks every word up once. It
// keeps its buffers between texts.
type tokenizer struct {
	lex  *lexicon
	toks []token
	key  []byte
	// letter counts by case, to tell ALL-CAPS and all-lower-case texts.
	upper, lower int
	titles       int
	uppers       int // words of two or more capitals
	words        int
}

func lexASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
func lexDigit(c byte) bool       { return c >= '0' && c <= '9' }

// lexLetterAt reports whether a letter starts at i and its width.
func lexLetterAt(s string, i int) (bool, int) {
	c := s[i]
	if c < utf8.RuneSelf {
		return lexASCIILetter(c), 1
	}
	r, w := utf8.DecodeRuneInString(s[i:])
	return unicode.IsLetter(r) || unicode.Is(unicode.Mn, r), w
}

// lexApostropheAt returns the width of an apostrophe (' or ’) at i, or 0.
func lexApostropheAt(s string, i int) int {
	if i >= len(s) {
		return 0
	}
	if s[i] == '\'' {
		return 1
	}
	if s[i] == 0xE2 && i+2 < len(s) && s[i+1] == 0x80 && s[i+2] == 0x99 {
		return 3
	}
	return 0
}

func (z *tokenizer) tokenize(s string) []token {
	z.toks = z.toks[:0]
	z.upper, z.lower, z.titles, z.uppers, z.words = 0, 0, 0, 0, 0
	newlines := 0
	sentEnd := true
	for i := 0; i < len(s); {
		c := s[i]
		if c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v' {
			if c == '\n' {
				newlines++
			}
			if n := len(z.toks); n > 0 {
				z.toks[n-1].mark |= markSpaceAfter
			}
			i++
			continue
		}
		var t token
		if end := z.skipHandle(s, i); end > i {
			// @handles, #hashtags, e-mail addresses and web addresses name
			// accounts and pages, not people: they are left to the patterns.
			t = token{start: int32(i), end: int32(end), kind: tokPunct}
			if newlines > 0 || len(z.toks) == 0 {
				t.mark |= markLineStart
			}
			newlines, sentEnd = 0, false
			z.toks = append(z.toks, t)
			i = end
			continue
		}
		switch ok, w := lexLetterAt(s, i); {
		case ok:
			t = z.word(s, i)
		case lexDigit(c):
			t = z.number(s, i)
		default:
			if c == 0xC2 && i+1 < len(s) && s[i+1] == 0xA0 { // no-break space
				i += 2
				continue
			}
			t = token{start: int32(i), end: int32(i + w), kind: tokPunct}
		}
		if newlines > 0 || len(z.toks) == 0 {
			t.mark |= markLineStart
			if newlines > 1 {
				t.mark |= markBlankLine
			}
		}
		if sentEnd || newlines > 0 || len(z.toks) == 0 {
			t.mark |= markSentStart
		}
		newlines = 0
		sentEnd = lexEndsSentence(s, t)
		z.toks = append(z.toks, t)
		i = int(t.end)
		if t.mark&markPossessive != 0 {
			i += lexApostropheAt(s, i) + 1
		}
	}
	return z.toks
}

// lexEndsSentence: a full stop, question or exclamation mark, or a colon ends
// a sentence for the purpose of telling capitalized words from names. A
// full stop after one capital letter is an initial, not an end.
func lexEndsSentence(s string, t token) bool {
	if t.kind != tokPunct {
		return false
	}
	switch s[t.start] {
	case '!', '?', ':', ';':
		return true
	case '.':
		return !(t.start >= 2 && lexASCIILetter(s[t.start-1]) && (t.start < 2 || !lexASCIILetter(s[t.start-2])))
	}
	return false
}

// word reads letters, inner apostrophes ("O'Brien", "don't") and inner
// hyphens ("Mary-Kate"); a closing "'s" is marked possessive and left out.
func (z *tokenizer) word(s string, i int) token {
	t := token{start: int32(i), kind: tokWord}
	z.key = z.key[:0]
	nUpper, nLower, firstUpper, lastLower := 0, 0, false, false
	j := i
	for j < len(s) {
		if c := s[j]; c < utf8.RuneSelf && lexASCIILetter(c) {
			if c <= 'Z' {
				if j == i {
					firstUpper = true
				}
				nUpper++
				c += 'a' - 'A'
				lastLower = false
			} else {
				nLower++
				lastLower = true
			}
			z.key = append(z.key, c)
			j++
			continue
		}
		if ok, w := lexLetterAt(s, j); ok {
			r, _ := utf8.DecodeRuneInString(s[j:])
			switch {
			case unicode.IsUpper(r):
				if j == i {
					firstUpper = true
				}
				nUpper++
				lastLower = false
			case unicode.IsLower(r):
				nLower++
				lastLower = true
			}
			z.key = utf8.AppendRune(z.key, unicode.ToLower(r))
			j += w
			continue
		}
		if a := lexApostropheAt(s, j); a > 0 && j+a < len(s) {
			if ok, _ := lexLetterAt(s, j+a); ok {
				if (s[j+a] == 's' || s[j+a] == 'S') && (j+a+1 == len(s) || !lexWordByteAt(s, j+a+1)) {
					t.mark |= markPossessive
					break
				}
				j += a
				continue
			}
		}
		if s[j] == '-' && j+1 < len(s) {
			if ok, _ := lexLetterAt(s, j+1); ok {
				z.key = append(z.key, '-')
				j++
				continue
			}
		}
		if lexDigit(s[j]) {
			j++
			continue
		}
		break
	}
	t.end = int32(j)
	z.upper += nUpper
	z.lower += nLower
	z.words++
	switch {
	case nUpper == 0:
		t.shape = shapeLower
	case nLower == 0:
		t.shape = shapeUpper
		if nUpper > 1 {
			z.uppers++
		}
	case firstUpper && lastLower: // "Smith", "McDonald", not "CoNS"
		t.shape = shapeTitle
		z.titles++
	default:
		t.shape = shapeMixed
	}
	if z.lex != nil {
		t.flags = z.lex.flags(z.key)
	}
	return t
}

// roleBits are what a hyphenated word takes from its last part:
// "great-granddaughter" is a relation.
const roleBits = relateBit | titleBit | credBit | facilityBit | eponymBit | orgBit

// flags looks a key up; a hyphenated key the lexicon lacks ("Bankole-Price",
// "great-granddaughter") is judged by its parts.
func (l *lexicon) flags(key []byte) uint32 {
	if f, ok := l.words[string(key)]; ok {
		return f
	}
	if folded, ok := foldAccents(key); ok {
		// "tomás", "nadège", "fiancé": the dictionaries are unaccented. An
		// accented word takes a name's or a role's flags from its plain
		// spelling, not a word's ("Ján" is no "jan", "šárka" no "sarka").
		if f, ok := l.words[string(folded)]; ok {
			if f&(relateBit|titleBit|credBit|greetBit) != 0 {
				return f
			}
			if (firstLevel(f) > 0 || lastLevel(f) >= 2) && f&(stopBit|funcBit|stateBit) == 0 {
				return f &^ (dictBit | commonBit | 3<<wordShift)
			}
			return 0
		}
		key = folded
	}
	if bytes.IndexByte(key, '-') < 0 {
		return 0
	}
	var f uint32
	names, words, letter := false, false, false
	for part := range bytes.SplitSeq(key, []byte{'-'}) {
		if len(part) == 0 {
			continue
		}
		letter = letter || len(part) == 1
		pf := l.words[string(part)]
		f = pf & roleBits
		switch {
		case pf&(funcBit|stopBit) != 0:
			words = true // "check-in", "follow-up"
		case firstLevel(pf) >= 2 || lastLevel(pf) >= 2:
			names = true // "Holloway-Grant", "Bankole-Price"
		case wordLevel(pf) >= 2:
			words = true
		case firstLevel(pf) > 0 || lastLevel(pf) > 0:
			names = true
		case pf&(dictBit|properBit) != 0 || wordLevel(pf) > 0:
			words = true
		}
	}
	if names && !words {
		f |= 2<<firstShift | 2<<lastShift
	}
	if letter {
		f &^= facilityBit | orgBit // "P-high", "T-high": ventilator settings
	}
	return f
}

func lexWordByteAt(s string, i int) bool {
	ok, _ := lexLetterAt(s, i)
	return ok || lexDigit(s[i])
}

// number reads digits and the letters stuck to them ("4B", "2nd").
func (z *tokenizer) number(s string, i int) token {
	j := i
	for j < len(s) && (lexDigit(s[j]) || lexASCIILetter(s[j])) {
		j++
	}
	return token{start: int32(i), end: int32(j), kind: tokNum}
}

// Case modes of a text.
const (
	caseMixed = iota // ordinary prose: capitals carry meaning
	caseUpper        // ALL CAPS: no signal from case
	caseLower        // all lower case: no signal from case
)

func (z *tokenizer) caseMode() int {
	letters := z.upper + z.lower
	switch {
	case letters == 0:
		return caseMixed
	case z.upper*10 >= letters*7:
		return caseUpper
	case z.titles == 0 && z.uppers*4 < z.words, z.words >= 12 && z.titles*20 < z.words && z.uppers*4 < z.words:
		return caseLower
	}
	return caseMixed
}

// skipHandle returns where a handle, hashtag, e-mail or web address that
// starts at i ends, or i. For an e-mail address the words before the @
// already read become punctuation.
func (z *tokenizer) skipHandle(s string, i int) int {
	c := s[i]
	switch {
	case c == '@' || c == '#':
		if i+1 >= len(s) || !lexWordByteAt(s, i+1) {
			return i
		}
		for n := len(z.toks); c == '@' && n > 0 && z.toks[n-1].end == int32(i) && z.toks[n-1].mark&markSpaceAfter == 0; n-- {
			z.toks[n-1].kind = tokPunct // the local part of an e-mail address
			if n == 1 || z.toks[n-2].mark&markSpaceAfter != 0 || z.toks[n-2].end != z.toks[n-1].start {
				break
			}
		}
	case c == 'h' || c == 'w' || c == 'H' || c == 'W':
		rest := s[i:]
		if !hasPrefixFold(rest, "http://") && !hasPrefixFold(rest, "https://") && !hasPrefixFold(rest, "www.") {
			return i
		}
	default:
		return i
	}
	j := i + 1
	for j < len(s) && s[j] != ' ' && s[j] != '\n' && s[j] != '\t' && s[j] != '\r' && s[j] != ',' && s[j] != ')' && s[j] != '"' {
		j++
	}
	for j > i+1 && (s[j-1] == '.' || s[j-1] == '!' || s[j-1] == '?' || s[j-1] == ':') {
		j--
	}
	return j
}

func hasPrefixFold(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for k := 0; k < len(prefix); k++ {
		if s[k]|0x20 != prefix[k]|0x20 && s[k] != prefix[k] {
			return false
		}
	}
	return true
}

// foldAccents spells a lower-case key with Latin letters' accents removed
// ("josé" → "jose", "müller" → "muller", "łukasz" → "lukasz"); ok is false
// when the key is ASCII or holds a letter it cannot fold.
func foldAccents(key []byte) ([]byte, bool) {
	ascii := true
	for _, c := range key {
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return nil, false
	}
	out := make([]byte, 0, len(key))
	for len(key) > 0 {
		r, w := utf8.DecodeRune(key)
		key = key[w:]
		if r < utf8.RuneSelf {
			out = append(out, byte(r))
			continue
		}
		f, ok := accentFold[r]
		if !ok {
			return nil, false
		}
		out = append(out, f...)
	}
	return out, true
}

// accentFold maps the lower-case accented Latin letters of names to ASCII.
var accentFold = func() map[rune]string {
	m := map[rune]string{}
	for _, p := range []struct{ from, to string }{
		{"àáâãäåāăą", "a"}, {"çćĉċč", "c"}, {"ďđ", "d"}, {"èéêëēĕėęě", "e"}, {"ĝğġģ", "g"},
		{"ĥħ", "h"}, {"ìíîïĩīĭįı", "i"}, {"ĵ", "j"}, {"ķ", "k"}, {"ĺļľŀł", "l"}, {"ñńņňŉ", "n"},
		{"òóôõöøōŏő", "o"}, {"ŕŗř", "r"}, {"śŝşšș", "s"}, {"ţťŧț", "t"}, {"ùúûüũūŭůűų", "u"},
		{"ŵ", "w"}, {"ýÿŷ", "y"}, {"źżž", "z"},
	} {
		for _, r := range p.from {
			m[r] = p.to
		}
	}
	m['ß'], m['æ'], m['œ'], m['þ'], m['ð'] = "ss", "ae", "oe", "th", "d"
	return m
}()
