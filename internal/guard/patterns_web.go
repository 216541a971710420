package guard

import "strings"

// E-mail addresses, URLs, host names and IPv6 addresses.

// findEmails reports every address around an "@", before the walk, so that
// the walk can step over them.
func (s *patternScan) findEmails() {
	t := s.text
	for off := 0; off < len(t); {
		k := strings.IndexByte(t[off:], '@')
		if k < 0 {
			return
		}
		at := off + k
		a := at
		for a > 0 && emailLocalByte(t[a-1]) {
			a--
		}
		for a < at && (t[a] == '.' || t[a] == '\'') {
			a++
		}
		b, ok := emailDomainEnd(t, at+1)
		if a == at || !ok {
			off = at + 1
			continue
		}
		s.emit(a, b, Email)
		off = b
	}
}

func emailLocalByte(c byte) bool {
	return isASCIIAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-' || c == '\''
}

// domainEnd reads a host name of two or more labels at p whose last label
// is two or more letters.
func emailDomainEnd(t string, p int) (int, bool) {
	labels, last, end := 0, 0, p
	for q := p; ; {
		e := q
		for e < len(t) && (isASCIIAlnum(t[e]) || t[e] == '-') {
			e++
		}
		if e == q || t[e-1] == '-' {
			break
		}
		labels++
		last, end = q, e
		if e+1 < len(t) && t[e] == '.' && isASCIIAlnum(t[e+1]) {
			q = e + 1
			continue
		}
		break
	}
	if labels < 2 || end-last < 2 || !endsToken(t, end) {
		return 0, false
	}
	for k := last; k < end; k++ {
		if !isASCIILetter(t[k]) {
			return 0, false
		}
	}
	return end, true
}

// url matches "http://…", "https://…", "ftp://…" and "www.…" at [i,j).
func (s *patternScan) url(i, j int, lw []byte) (int, bool) {
	t := s.text
	start := j
	if string(lw) == "www" {
		if j+1 >= len(t) || t[j] != '.' || !isASCIIAlnum(t[j+1]) {
			return 0, false
		}
	} else {
		if !strings.HasPrefix(t[j:], "://") {
			return 0, false
		}
		start = j + 3
	}
	end := urlTail(t, start)
	return end, end > start+1
}

// urlEnd reads URL characters from p and gives back trailing punctuation
// that belongs to the sentence.
func urlTail(t string, p int) int {
	e := p
	open := 0
	for e < len(t) {
		c := t[e]
		if c <= ' ' || c >= 0x7f || strings.IndexByte("\"<>`{}|\\^", c) >= 0 {
			break
		}
		if c == '(' {
			open++
		}
		e++
	}
	for e > p {
		c := t[e-1]
		if strings.IndexByte(".,;:!?'*", c) >= 0 || (c == ')' && open == 0) {
			e--
			continue
		}
		break
	}
	return e
}

// host matches a bare host name such as "mychart.example.org" or
// "bit.ly/3xYz": a known generic top-level domain, or a country one when
// a path or a third label makes it plain that this is an address and not
// two words run together ("tolerated.Co").
func (s *patternScan) host(i int) (int, bool) {
	t := s.text
	if i > 0 && (t[i-1] == '@' || t[i-1] == '.' || t[i-1] == '/') {
		return 0, false
	}
	labels, last, end := 0, 0, i
	for q := i; labels < 8; {
		e := q
		for e < len(t) && (isASCIIAlnum(t[e]) || t[e] == '-') {
			e++
		}
		if e == q {
			break
		}
		labels++
		last, end = q, e
		if e+1 < len(t) && t[e] == '.' && isASCIIAlnum(t[e+1]) {
			q = e + 1
			continue
		}
		break
	}
	var buf [24]byte
	tld, ok := foldWord(&buf, t[last:end])
	if labels < 2 || !ok || end < len(t) && (inWord(t[end]) || t[end] == '@') {
		return 0, false
	}
	path := end < len(t) && (t[end] == '/' || (t[end] == ':' && end+1 < len(t) && isASCIIDigit(t[end+1])))
	switch tldKind(tld) {
	case tldGeneric:
	case tldCountry:
		if !path && labels < 3 {
			return 0, false
		}
	default:
		return 0, false
	}
	if path {
		return urlTail(t, end), true
	}
	return end, true
}

const (
	tldNone = iota
	tldGeneric
	tldCountry
)

func tldKind(w []byte) int {
	switch string(w) {
	case "com", "org", "net", "edu", "gov", "mil", "int", "io", "info", "biz", "health", "app", "dev",
		"xyz", "online", "site", "blog", "news", "care", "clinic", "hospital", "doctor", "healthcare",
		"uk", "shop", "store", "tech", "ai", "club", "live", "life", "email", "page", "link", "social":
		return tldGeneric
	case "us", "ca", "au", "de", "fr", "nl", "es", "it", "se", "no", "dk", "fi", "ch", "at", "be", "pl",
		"cz", "pt", "br", "mx", "ar", "cl", "co", "jp", "cn", "in", "ru", "ie", "nz", "za", "il", "kr",
		"tw", "hk", "sg", "eu", "me", "tv", "ly", "gl", "fm", "to", "cc", "ws", "gr", "hu", "ro", "si",
		"ee", "lt", "lv", "cy", "uy", "ph", "my", "ng", "ke", "pk", "tr", "ua", "sk", "is", "lu", "gg":
		return tldCountry
	}
	return tldNone
}

// ipv6 matches an IPv6 address at i: eight groups of up to four hex digits,
// or fewer with one "::". Clock times (10:30:00) have neither.
func (s *patternScan) ipv6(i int) (int, bool) {
	t := s.text
	p, colons, groups, double := i, 0, 0, false
	for p < len(t) {
		e := p
		for e < len(t) && e-p < 5 && (isASCIIDigit(t[e]) || (t[e]|0x20 >= 'a' && t[e]|0x20 <= 'f')) {
			e++
		}
		if e-p > 4 {
			return 0, false
		}
		if e > p {
			groups++
		}
		if e+1 < len(t) && t[e] == ':' && (hexByte(t[e+1]) || t[e+1] == ':') {
			colons++
			if t[e+1] == ':' {
				if double {
					return 0, false
				}
				double = true
				colons++
				p = e + 2
				continue
			}
			p = e + 1
			continue
		}
		p = e
		break
	}
	if !endsToken(t, p) || colons > 8 || (!double && colons != 7) || (double && groups < 2) || groups < 2 {
		return 0, false
	}
	return p, true
}

func hexByte(c byte) bool { return isASCIIDigit(c) || (c|0x20 >= 'a' && c|0x20 <= 'f') }
