package guard

import "unicode/utf8"

// scanPatterns finds the identifiers that have a shape: dates, ages over
// 89, phone and fax numbers, e-mail, SSN, record/plan/account/licence
// numbers, vehicle and device identifiers, URLs, IP addresses.
//
// It walks the text once, left to right. At each token start it tries the
// shapes that can begin there, cheapest rejection first, and reads the
// surrounding words only for a candidate. Plain prose therefore costs one
// pass plus one keyword switch per word; no regular expressions, no
// per-byte allocation.
func scanPatterns(text string) []Span {
	s := patternScan{text: text, lastEnd: -1}
	s.findEmails()
	s.walk()
	return s.spans
}

// patternScan holds one walk over a text.
type patternScan struct {
	text  string
	spans []Span
	// lastEnd is where the last emitted span ended, so that a separator
	// right after a span ("3/4-3/5") does not make the next number look
	// like the tail of a range.
	lastEnd int
}

// lastType is the type of the last span emitted, or "".
func (s *patternScan) lastType() Type {
	if len(s.spans) == 0 {
		return ""
	}
	return s.spans[len(s.spans)-1].Type
}

func (s *patternScan) emit(start, end int, t Type) int {
	s.spans = append(s.spans, Span{Start: start, End: end, Type: t, Text: s.text[start:end]})
	s.lastEnd = end
	return end
}

// walk visits every token start once. E-mail addresses, found first, are
// stepped over so that their parts are not read as names of hosts or
// long numbers.
func (s *patternScan) walk() {
	t := s.text
	emails := len(s.spans)
	e := 0
	for i := 0; i < len(t); {
		for e < emails && s.spans[e].End <= i {
			e++
		}
		if e < emails && s.spans[e].Start <= i {
			i = s.spans[e].End
			continue
		}
		c := t[i]
		switch {
		case isASCIIDigit(c):
			i = s.number(i)
		case isASCIILetter(c):
			i = s.word(i)
		case c == '(':
			i = s.paren(i)
		case c == '+':
			i = s.plus(i)
		case c == '#':
			i = s.hash(i)
		case c >= utf8.RuneSelf:
			i = skipWord(t, i)
		default:
			i++
		}
	}
}

// number tries the shapes that start with a digit.
func (s *patternScan) number(i int) int {
	t := s.text
	j := skipDigits(t, i)
	if s.continues(i) {
		return skipWord(t, j)
	}
	if end, ok := s.numericDate(i, j); ok {
		return s.emit(i, end, Date)
	}
	if end, ok := s.ssn(i, j); ok {
		return s.emit(i, end, SSN)
	}
	if end, ok := s.usPhone(i, j); ok {
		return s.emit(i, end, s.phoneType(i, end))
	}
	if end, ok := s.hospitalExtension(i, j); ok {
		return s.emit(i, end, s.phoneType(i, end))
	}
	if end, ok := s.ipv4(i, j); ok {
		return s.emit(i, end, IP)
	}
	if end, ok := s.cardGroups(i, j); ok {
		return s.emit(i, end, Account)
	}
	if end, ok := s.dayMonth(i, j); ok {
		return s.emit(i, end, Date)
	}
	if end, ok := s.ordinalDate(i, j); ok {
		return s.emit(s.articleBefore(i), end, Date)
	}
	if start, end, ok := s.ageNumber(i, j); ok {
		s.emit(start, end, Age)
		return end
	}
	if end, ok := s.groupedPhone(i, j); ok {
		return s.emit(i, end, s.phoneType(i, end))
	}
	if end, ok := s.ipv6(i); ok {
		return s.emit(i, end, IP)
	}
	if end, ty, ok := s.digitCode(i, j); ok {
		return s.emit(i, end, ty)
	}
	return skipWord(t, j)
}

// continues reports whether the digits at i are the tail of something
// already judged: the decimals of 7.35, the minutes of 10:30, the second
// half of 120/80 or 2-3, the thousands of 1,000.
func (s *patternScan) continues(i int) bool {
	t := s.text
	if i < 2 || i-1 == s.lastEnd {
		return false
	}
	switch t[i-1] {
	case '.', ':', '/', '-', ',':
		return isASCIIDigit(t[i-2])
	}
	return false
}

// word tries the shapes that start with a letter: keywords (months,
// holidays, labels, ages, URL schemes), host names and letter-led codes.
// bloodUnit reads an ISBT 128 donation number as blood banks print it:
// a letter and four digits (the facility), two (the year), six (the
// serial), "W0419 05 331872"; the spaces may be missing.
func (s *patternScan) bloodUnit(i, j int) (int, bool) {
	t := s.text
	if j-i != 5 || !isASCIILetter(t[i]) || !lexAllDigits(t[i+1:j]) {
		return 0, false
	}
	p := j
	if p < len(t) && t[p] == ' ' {
		p++
	}
	q := skipDigits(t, p)
	if q-p != 2 {
		return 0, false
	}
	if q < len(t) && t[q] == ' ' {
		q++
	}
	e := skipDigits(t, q)
	if e-q != 6 || !endsToken(t, e) {
		return 0, false
	}
	return e, true
}

func (s *patternScan) word(i int) int {
	t := s.text
	j := skipWord(t, i)
	if i >= 2 && (t[i-1] == '.' || t[i-1] == '/') && isASCIIAlnum(t[i-2]) && i-1 != s.lastEnd {
		// the tail of a dotted host or a path already passed
		return j
	}
	var buf [24]byte
	lw, ok := foldWord(&buf, t[i:j])
	if !ok {
		return j
	}
	if holdsDigit(lw) {
		if end, ok := s.bloodUnit(i, j); ok {
			return s.emit(i, end, ID)
		}
		return s.letterCode(i, j)
	}
	if end, ok := s.keyword(i, j, lw); ok {
		return end
	}
	if j < len(t)-1 && t[j] == '.' && isASCIIAlnum(t[j+1]) {
		if end, ok := s.host(i); ok {
			return s.emit(i, end, URL)
		}
	}
	if j < len(t) && t[j] == ':' && allHex(lw) {
		if end, ok := s.ipv6(i); ok {
			return s.emit(i, end, IP)
		}
	}
	return j
}

// letterCode judges a token that starts with a letter and holds digits:
// IBAN, DEA number, Medicare beneficiary identifier, VIN, IPv6, or a
// long alphanumeric code.
func (s *patternScan) letterCode(i, j int) int {
	t := s.text
	if end, ok := s.internalExtension(i, j); ok {
		return s.emit(i, end, s.phoneType(i, end))
	}
	if j < len(t) && t[j] == ':' {
		if end, ok := s.ipv6(i); ok {
			return s.emit(i, end, IP)
		}
	}
	if end, ok := s.iban(i); ok {
		return s.emit(i, end, Account)
	}
	if ty, ok := codeTypeOf(t[i:j]); ok && endsToken(t, j) {
		return s.emit(i, j, ty)
	}
	return j
}

// internalExtension matches a hospital extension written "x4-5678".
func (s *patternScan) internalExtension(i, j int) (int, bool) {
	t := s.text
	if t[i] != 'x' && t[i] != 'X' || j-i > 3 || j+5 > len(t) || t[j] != '-' || skipDigits(t, i+1) != j {
		return 0, false
	}
	e := skipDigits(t, j+1)
	return e, e-j-1 == 4 && endsToken(t, e)
}

// hash takes "#123456": a number sign before five or more digits is some
// record's number even without a label.
func (s *patternScan) hash(i int) int {
	t := s.text
	k := i + 1
	if k < len(t) && t[k] == ' ' {
		k++
	}
	j := skipDigits(t, k)
	if j-k >= 5 && endsToken(t, j) && !s.unitAfter(j) && !wordBefore(t, i) {
		return s.emit(k, j, ID)
	}
	return i + 1
}

func isASCIIDigit(c byte) bool  { return c-'0' < 10 }
func isASCIILetter(c byte) bool { return (c|0x20)-'a' < 26 }
func isASCIIAlnum(c byte) bool  { return isASCIIDigit(c) || isASCIILetter(c) }
func isASCIIUpper(c byte) bool  { return c-'A' < 26 }

func inWord(c byte) bool { return isASCIIAlnum(c) || c >= utf8.RuneSelf }

func toLowerASCII(c byte) byte {
	if isASCIIUpper(c) {
		return c + 'a' - 'A'
	}
	return c
}

func skipDigits(t string, i int) int {
	for i < len(t) && isASCIIDigit(t[i]) {
		i++
	}
	return i
}

func skipAlnum(t string, i int) int {
	for i < len(t) && isASCIIAlnum(t[i]) {
		i++
	}
	return i
}

func skipLetters(t string, i int) int {
	for i < len(t) && isASCIILetter(t[i]) {
		i++
	}
	return i
}

// wordEnd skips letters, digits and any non-ASCII bytes (letters of other
// scripts belong to the word they sit in).
func skipWord(t string, i int) int {
	for i < len(t) && inWord(t[i]) {
		i++
	}
	return i
}

func endsToken(t string, j int) bool { return j >= len(t) || !inWord(t[j]) }

func wordBefore(t string, i int) bool { return i > 0 && inWord(t[i-1]) }

func skipBlanks(t string, i, max int) int {
	for n := 0; i < len(t) && n < max && (t[i] == ' ' || t[i] == '\t'); n++ {
		i++
	}
	return i
}

// lowerASCII lower-cases a short ASCII word into buf; it refuses long or
// non-ASCII words, which no keyword matches.
func foldWord(buf *[24]byte, w string) ([]byte, bool) {
	if len(w) > len(buf) {
		return nil, false
	}
	for k := 0; k < len(w); k++ {
		if w[k] >= utf8.RuneSelf {
			return nil, false
		}
		buf[k] = toLowerASCII(w[k])
	}
	return buf[:len(w)], true
}

func holdsDigit(w []byte) bool {
	for _, c := range w {
		if isASCIIDigit(c) {
			return true
		}
	}
	return false
}

func allHex(w []byte) bool {
	for _, c := range w {
		if !isASCIIDigit(c) && (c < 'a' || c > 'f') {
			return false
		}
	}
	return len(w) > 0
}

// atoi reads a short run of ASCII digits; callers bound the length.
func smallInt(s string) int {
	n := 0
	for k := 0; k < len(s); k++ {
		n = n*10 + int(s[k]-'0')
	}
	return n
}

// equalFold reports whether s equals the lower-case ASCII word w, ignoring
// case.
func foldEquals(s, w string) bool {
	if len(s) != len(w) {
		return false
	}
	for k := 0; k < len(s); k++ {
		if toLowerASCII(s[k]) != w[k] {
			return false
		}
	}
	return true
}
