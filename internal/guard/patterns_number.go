package guard

// Numbers with a fixed shape: SSN, phone and fax, IPv4, card numbers,
// ages over 89, long identifying numbers.

// ssn matches 123-45-6789.
func (s *patternScan) ssn(i, j int) (int, bool) {
	if j-i != 3 || j >= len(s.text) || s.text[j] != '-' {
		return 0, false
	}
	return ssnShape(s.text, i, '-')
}

// ssnShape matches three, two and four digits joined by sep, starting at i.
func ssnShape(t string, i int, sep byte) (int, bool) {
	p := i
	for n, want := range [3]int{3, 2, 4} {
		e := skipDigits(t, p)
		if e-p != want {
			return 0, false
		}
		if n < 2 {
			if e >= len(t) || t[e] != sep {
				return 0, false
			}
			e++
		}
		p = e
	}
	if !endsToken(t, p) || (p+1 < len(t) && t[p] == '-' && isASCIIDigit(t[p+1])) {
		return 0, false
	}
	return p, true
}

// usPhone matches North American numbers: 617-555-1212, 617.555.1212,
// 617 555-1212, 1-800-555-1212, 1 (800) 555-1212, and seven-digit 555-1212
// where nothing says it is a range; an extension may follow.
func (s *patternScan) usPhone(i, j int) (int, bool) {
	t := s.text
	if j+1 >= len(t) {
		return 0, false
	}
	sep := t[j]
	if sep != '-' && sep != '.' && sep != ' ' {
		return 0, false
	}
	var end int
	var ok bool
	switch j - i {
	case 1:
		if t[i] != '1' {
			return 0, false
		}
		if t[j+1] == '(' {
			end, ok = parenPhone(t, j+1)
		} else if e := skipDigits(t, j+1); e-j-1 == 3 {
			end, ok = s.tenDigits(j+1, e)
		}
	case 3:
		end, ok = s.tenDigits(i, j)
		if !ok {
			end, ok = s.sevenDigits(i, j)
		}
		if !ok && (t[i:j] == "001" || t[i:j] == "011") {
			if e := skipDigits(t, j+1); e-j-1 == 3 && e+1 < len(t) {
				end, ok = s.tenDigits(j+1, e) // 001-518-640-0854
			}
		}
	}
	if !ok {
		return 0, false
	}
	return s.extension(end), true
}

// tenDigits matches 617-555-1212 and its dotted and spaced forms, the area
// code at [i,j).
func (s *patternScan) tenDigits(i, j int) (int, bool) {
	t := s.text
	if j >= len(t) {
		return 0, false // the area code ends the text ("… 1 100")
	}
	s1 := t[j]
	k := j + 1
	m := skipDigits(t, k)
	if m-k != 3 || m+1 >= len(t) {
		return 0, false
	}
	s2 := t[m]
	if s2 != s1 && !(s1 == ' ' && s2 == '-') {
		return 0, false
	}
	e := skipDigits(t, m+1)
	if e-m-1 != 4 || !phoneEnds(t, e) || (e+1 < len(t) && (t[e] == '-' || t[e] == '/') && isASCIIDigit(t[e+1])) {
		return 0, false
	}
	if s1 == ' ' && s2 == ' ' {
		if _, cue := s.phoneCue(i, e); !cue && (t[i] < '2' || t[k] < '2' || s.measureBefore(i)) {
			return 0, false
		}
	}
	return e, true
}

// sevenDigits matches a local number 555-1212. With a phone word before it
// any separator will do; without one only a dash, and only when the number
// is not a range of measurements ("UO 100-1200", "250-1000 mL").
func (s *patternScan) sevenDigits(i, j int) (int, bool) {
	t := s.text
	e := skipDigits(t, j+1)
	if e-j-1 != 4 || !phoneEnds(t, e) {
		return 0, false
	}
	if e+1 < len(t) && (t[e] == '-' || t[e] == '/' || t[e] == '.') && isASCIIDigit(t[e+1]) {
		return 0, false
	}
	if _, cue := s.phoneCue(i, e); cue {
		return e, true
	}
	if t[j] != '-' || t[i] < '2' || s.measureBefore(i) || s.unitAfter(e) || (i > 0 && t[i-1] == '$') {
		return 0, false
	}
	return e, true
}

// hospitalExtension matches an in-house number written "5-1234" after a
// phone word: "page him at 5-1234", "call 4-7721".
func (s *patternScan) hospitalExtension(i, j int) (int, bool) {
	t := s.text
	if j-i != 1 || j+5 > len(t) || t[j] != '-' || t[i] == '0' {
		return 0, false
	}
	e := skipDigits(t, j+1)
	if e-j-1 != 4 || !endsToken(t, e) || (e+1 < len(t) && (t[e] == '-' || t[e] == '/' || t[e] == '.') && isASCIIDigit(t[e+1])) {
		return 0, false
	}
	if s.unitAfter(e) || s.measureBefore(i) {
		return 0, false
	}
	_, cue := s.phoneCue(i, e)
	return e, cue
}

// phoneEnds reports that a phone number may end at e: a token ends, or an
// extension is glued on ("x123").
func phoneEnds(t string, e int) bool {
	return endsToken(t, e) || (e+1 < len(t) && (t[e] == 'x' || t[e] == 'X') && isASCIIDigit(t[e+1]))
}

// parenPhone matches (617) 555-1212, (617)555-1212, (617) 555 1212.
func parenPhone(t string, i int) (int, bool) {
	if i+5 > len(t) || t[i] != '(' {
		return 0, false
	}
	e := skipDigits(t, i+1)
	if e-i-1 != 3 || e >= len(t) || t[e] != ')' {
		return 0, false
	}
	k := e + 1
	if k < len(t) && (t[k] == ' ' || t[k] == '-') {
		k++
	}
	m := skipDigits(t, k)
	if m-k != 3 || m >= len(t) {
		return 0, false
	}
	if t[m] == '-' || t[m] == '.' || t[m] == ' ' {
		m++
	}
	end := skipDigits(t, m)
	if end-m != 4 || !phoneEnds(t, end) {
		return 0, false
	}
	return end, true
}

func (s *patternScan) paren(i int) int {
	if end, ok := parenPhone(s.text, i); ok {
		return s.emit(i, s.extension(end), s.phoneType(i, end))
	}
	if end, ok := s.parenGroups(i); ok {
		return s.emit(i, s.extension(end), s.phoneType(i, end))
	}
	return i + 1
}

// parenGroups matches other area-code forms after a phone word: "(08) 8747
// 6301", "(64) 3591-3246".
func (s *patternScan) parenGroups(i int) (int, bool) {
	t := s.text
	e := skipDigits(t, i+1)
	if e-i-1 < 1 || e-i-1 > 4 || e+2 >= len(t) || t[e] != ')' {
		return 0, false
	}
	p, digits, end := e+1, e-i-1, 0
	if t[p] == ' ' || t[p] == '-' {
		p++
	}
	for groups := 0; groups < 4; groups++ {
		g := skipDigits(t, p)
		if g-p < 2 {
			break
		}
		digits += g - p
		end = g
		if g+1 < len(t) && (t[g] == ' ' || t[g] == '-') && isASCIIDigit(t[g+1]) {
			p = g + 1
			continue
		}
		break
	}
	if end == 0 || digits < 7 || digits > 13 || !phoneEnds(t, end) {
		return 0, false
	}
	_, cue := s.phoneCue(i, end)
	return end, cue
}

// plus matches an international number: "+1 617 555 1212", "+44 20 7946
// 0958", "+46 (0)8 928 571 38", "+447700 900123".
func (s *patternScan) plus(i int) int {
	t := s.text
	if wordBefore(t, i) || i+1 >= len(t) || !isASCIIDigit(t[i+1]) {
		return i + 1
	}
	p, digits, end := i+1, 0, 0
	for groups := 0; groups < 8 && p < len(t); groups++ {
		if t[p] == '(' {
			e := skipDigits(t, p+1)
			if e-p-1 < 1 || e-p-1 > 4 || e >= len(t) || t[e] != ')' {
				break
			}
			digits += e - p - 1
			p = e + 1
			if p < len(t) && t[p] == ' ' {
				p++
			}
			continue
		}
		e := skipDigits(t, p)
		if e == p || e-p > 12 {
			break
		}
		digits += e - p
		end = e
		if e+1 < len(t) && (t[e] == ' ' || t[e] == '-' || t[e] == '.') && (isASCIIDigit(t[e+1]) || t[e+1] == '(') {
			p = e + 1
			continue
		}
		break
	}
	if digits < 8 || digits > 15 || end == 0 || !phoneEnds(t, end) {
		return i + 1
	}
	return s.emit(i, s.extension(end), s.phoneType(i, end))
}

// extension extends a phone number over "x123", " ext. 123", " extension 12".
func (s *patternScan) extension(end int) int {
	t := s.text
	p := end
	if p < len(t) && t[p] == ',' {
		p++
	}
	p = skipBlanks(t, p, 2)
	e := skipLetters(t, p)
	var buf [24]byte
	w, ok := foldWord(&buf, t[p:e])
	if !ok {
		return end
	}
	switch string(w) {
	case "x", "ext", "extn", "extension":
	default:
		return end
	}
	if e < len(t) && (t[e] == '.' || t[e] == ':') {
		e++
	}
	e = skipBlanks(t, e, 2)
	d := skipDigits(t, e)
	if d-e < 1 || d-e > 6 || !endsToken(t, d) {
		return end
	}
	return d
}

// groupedPhone matches numbers written in groups the way many countries
// do ("0490 75 40 81", "07700 900 123", "03.93.92.16.85") when they start
// with a trunk 0 or follow a phone word, and bare ten- or eleven-digit
// runs after a phone word.
// clockHHMM reports four digits that read as a 24-hour clock time.
func clockHHMM(d string) bool {
	return len(d) == 4 && smallInt(d[:2]) <= 23 && smallInt(d[2:]) <= 59 && (d[2] == '0' || d[2] == '3' || d[2:] == "15" || d[2:] == "45")
}

func (s *patternScan) groupedPhone(i, j int) (int, bool) {
	t := s.text
	p, digits, groups, end := i, 0, 0, 0
	for groups < 6 {
		e := skipDigits(t, p)
		if e-p < 2 || e-p > 8 && groups > 0 {
			break
		}
		digits += e - p
		groups++
		end = e
		if e+1 < len(t) && (t[e] == ' ' || t[e] == '-' || t[e] == '.') && isASCIIDigit(t[e+1]) {
			p = e + 1
			continue
		}
		break
	}
	most := 13
	if i+1 < len(t) && t[i] == '0' && (t[i+1] == '0' || t[i+1] == '1' && i+2 < len(t) && t[i+2] == '1') {
		most = 16 // the international prefix: "011 44 20 7946 0321"
	}
	if groups < 2 || digits < 8 || digits > most || !phoneEnds(t, end) || s.unitAfter(end) {
		return 0, false
	}
	if groups == 2 && end-i == 9 && t[i+4] == '-' && clockHHMM(t[i:i+4]) && clockHHMM(t[i+5:end]) {
		return 0, false // a shift, "1900-0700", not a number to call
	}
	if _, cue := s.phoneCue(i, end); cue {
		return s.extension(end), true
	}
	if t[i] != '0' || groups < 3 || digits < 9 || s.measureBefore(i) {
		return 0, false
	}
	return s.extension(end), true
}

// ipv4 matches a dotted quad whose parts are all below 256.
func (s *patternScan) ipv4(i, j int) (int, bool) {
	t := s.text
	p := i
	for part := 0; part < 4; part++ {
		e := skipDigits(t, p)
		if e == p || e-p > 3 || smallInt(t[p:e]) > 255 {
			return 0, false
		}
		if part < 3 {
			if e+1 >= len(t) || t[e] != '.' {
				return 0, false
			}
			e++
		}
		p = e
	}
	if !endsToken(t, p) || (p+1 < len(t) && t[p] == '.' && isASCIIDigit(t[p+1])) {
		return 0, false
	}
	return p, true
}

// cardGroups matches card numbers written in groups: 4111 1111 1111 1111,
// 4111-1111-1111-1111, 3782 822463 10005.
func (s *patternScan) cardGroups(i, j int) (int, bool) {
	t := s.text
	if j-i != 4 || j+1 >= len(t) || (t[j] != ' ' && t[j] != '-') {
		return 0, false
	}
	sep := t[j]
	var lens [6]int
	p, n, digits, end := i, 0, 0, 0
	for n < len(lens) {
		e := skipDigits(t, p)
		if e == p {
			break
		}
		lens[n] = e - p
		digits += e - p
		n++
		end = e
		if e+1 < len(t) && t[e] == sep && isASCIIDigit(t[e+1]) {
			p = e + 1
			continue
		}
		break
	}
	if !endsToken(t, end) || digits < 13 || digits > 19 {
		return 0, false
	}
	fours := lens[0] == 4 && lens[1] == 4 && lens[2] == 4 && (n == 4 && lens[3] == 4 || n == 5 && lens[3] == 4 && lens[4] <= 3)
	amex := n == 3 && lens[0] == 4 && lens[1] == 6 && (lens[2] == 5 || lens[2] == 4)
	return end, fours || amex
}

// ageNumber matches an age over 89: "92 yo", "92yo", "92 y/o", "92-year-old",
// "92 years old", "92M", "in her 90s". The span is the number.
func (s *patternScan) ageNumber(i, j int) (int, int, bool) {
	t := s.text
	if j-i < 2 || j-i > 3 {
		return 0, 0, false
	}
	v := smallInt(t[i:j])
	if v < 90 || v > 125 {
		return 0, 0, false
	}
	if end, ok := s.decade(i, j, v); ok {
		return i, end, true
	}
	if ordinalSuffixAt(t, j) {
		var buf [24]byte
		w, _ := followingWord(t, j+2, &buf)
		if string(w) == "birthday" || string(w) == "bday" || string(w) == "b" {
			return i, j, true
		}
		// "happy 95th to my grandma": a birthday without the word.
		w, _ = precedingWord(t, i, &buf)
		return i, j + 2, string(w) == "happy"
	}
	return i, j, s.ageMarker(i, j) || s.agePhrase(i, j)
}

// agePhrase reads the prose around an old person's age: "turned 96",
// "my mom is 94", "she's 90", "dad (91!!)". A measurement in the same
// place ("HR is 94", "glucose was 99") is left alone.
func (s *patternScan) agePhrase(i, end int) bool {
	t := s.text
	if end < len(t) && (t[end] == '/' || t[end] == '%' || t[end] == '.' && end+1 < len(t) && isASCIIDigit(t[end+1])) {
		return false
	}
	if s.unitAfter(end) {
		return false
	}
	var buf [24]byte
	if i > 0 && t[i-1] == '(' {
		w, at := precedingWord(t, i, &buf)
		// "great aunt Oksana (92)": after an elder or a capitalized name
		return isElder(w) || len(w) >= 3 && isASCIIUpper(t[at]) && !isMeasureCue(w) && !isDateCue(w) && end < len(t) && t[end] == ')'
	}
	w, at := precedingWord(t, i, &buf)
	if i >= 2 && t[i-1] == ' ' && t[i-2] == ',' && end < len(t) && t[end] == ',' && len(w) >= 3 && isElder(w) &&
		string(w) != "he" && string(w) != "she" && string(w) != "her" && string(w) != "him" {
		return true // "Pt's sister, ninety-one, came in"
	}
	if i >= 2 && t[i-1] == ' ' && t[i-2] == ',' && end < len(t) && t[end] == ',' && len(w) >= 3 &&
		isASCIIUpper(t[at]) && !isMeasureCue(w) && !isDateCue(w) {
		// "his wife Mildred, 94, cannot visit": an age set off after a name.
		if m, _, _ := monthNamed(w); m == 0 {
			return true
		}
	}
	switch string(w) {
	case "turns", "turned", "turning", "turn", "reached", "reaches", "reaching", "celebrated",
		"celebrates", "celebrating", "lived", "living":
		return true
	case "at":
		return s.lifeEventBefore(at)
	case "to":
		// "lived to 99", "made it to 101"
		v, _ := precedingWord(t, at, &buf)
		switch string(v) {
		case "lived", "lives", "live", "living", "it", "survived":
			return true
		}
		return false
	case "of":
		// "a sweet lady of 99"
		v, _ := precedingWord(t, at, &buf)
		return isElder(v) && string(v) != "her" && string(v) != "him" && string(v) != "law" && string(v) != "great"
	case "m":
		// "I'm 92"
		subject, _ := precedingWord(t, skipApostropheBack(t, at), &buf)
		return string(subject) == "i"
	case "is", "was", "s", "be", "being", "now", "nearly", "almost":
		if string(w) == "s" && at > 0 {
			at = skipApostropheBack(t, at)
		}
		subject, k := precedingWord(t, at, &buf)
		if string(subject) == "is" || string(subject) == "was" || string(subject) == "s" {
			subject, k = precedingWord(t, skipApostropheBack(t, k), &buf)
		}
		if isElder(subject) || (titleCased(t[k:k+len(subject)]) && !isMeasureCue(subject)) {
			return true
		}
		// "my halmoni is 98": someone of mine, not something measured.
		owner, _ := precedingWord(t, k, &buf)
		return (string(owner) == "my" || string(owner) == "our" || isElder(owner) && string(owner) != "he" && string(owner) != "she") &&
			!isMeasureCue(subject) && !isDateCue(subject) && len(subject) > 2 && !s.unitAfter(end)
	}
	return false
}

// skipApostropheBack steps back over ' or ’ ending at at.
func skipApostropheBack(t string, at int) int {
	if at < 1 {
		return at
	}
	if t[at-1] == '\'' {
		return at - 1
	}
	if at >= 3 && t[at-3:at] == "\u2019" {
		return at - 3
	}
	return at
}

// lifeEventBefore looks up to six words back for what an age "at 97"
// follows: a death, a retirement, a still-going life.
func (s *patternScan) lifeEventBefore(at int) bool {
	var buf [24]byte
	for n := 0; n < 6; n++ {
		var w []byte
		w, at = precedingWord(s.text, at, &buf)
		switch string(w) {
		case "died", "passed", "lost", "death", "dying", "retired", "married", "still", "even", "away":
			return true
		case "":
			return false
		}
	}
	return false
}

// isElder lists who an age in prose is usually about.
func isElder(w []byte) bool {
	switch string(w) {
	case "mom", "mother", "mum", "mam", "ma", "mama", "dad", "father", "pa", "papa", "pop", "pops",
		"grandma", "grandmother", "grandpa", "grandfather", "granny", "gran", "grandad", "granddad",
		"nana", "nanna", "nan", "abuela", "abuelo", "aunt", "auntie", "uncle", "wife", "husband", "she",
		"he", "patient", "pt", "grandparent", "friend", "neighbor", "neighbour", "lady", "man", "woman",
		"gentleman", "resident", "client", "who", "sister", "brother", "cousin", "law", "great", "her",
		"him", "mil", "fil", "oma", "opa", "bubbe", "zayde", "lola", "lolo", "nonna", "nonno", "yiayia":
		return true
	}
	return false
}

// decade matches "90s" or "90's" after "in her (early|mid|late)" or "aged".
func (s *patternScan) decade(i, j, v int) (int, bool) {
	t := s.text
	end := j
	switch {
	case v%10 != 0:
		return 0, false
	case j < len(t) && toLowerASCII(t[j]) == 's' && endsToken(t, j+1):
		end = j + 1
	case j+1 < len(t) && t[j] == '\'' && toLowerASCII(t[j+1]) == 's' && endsToken(t, j+2):
		end = j + 2
	default:
		return 0, false
	}
	return end, s.decadeCue(i)
}

// decadeCue reads "in her early", "in his", "aged" before a decade.
func (s *patternScan) decadeCue(i int) bool {
	var buf [24]byte
	w, at := precedingWord(s.text, i, &buf)
	switch string(w) {
	case "early", "mid", "late", "upper", "lower":
		w, at = precedingWord(s.text, at, &buf)
	}
	switch string(w) {
	case "her", "his", "their", "my", "your", "our":
		w, _ = precedingWord(s.text, at, &buf)
	}
	switch string(w) {
	case "in", "aged", "age", "into":
		return true
	}
	return false
}

// ageMarker reads what makes a number an age: yo, y/o, y.o., yr old,
// -year-old, years old, years of age, and M or F glued to the number.
func (s *patternScan) ageMarker(i, j int) bool {
	t := s.text
	p := j
	if p < len(t) && (t[p] == '-' || t[p] == ' ') {
		p = skipBlanks(t, p+1, 1)
	}
	e := skipLetters(t, p)
	var buf [24]byte
	w, ok := foldWord(&buf, t[p:e])
	if !ok || e == p {
		return false
	}
	switch string(w) {
	case "yo", "yom", "yof", "yowm", "yowf", "yobm", "yobf", "yrs", "yr", "yoa", "yold", "yearold":
		return true
	case "y":
		return endsToken(t, e) || (e+1 < len(t) && (t[e] == '/' || t[e] == '.') && toLowerASCII(t[e+1]) == 'o')
	case "year", "years":
		if end, ok := s.followedBy(e, "old"); ok && end > 0 {
			return true
		}
		if end, ok := s.followedBy(e, "of"); ok {
			_, ok = s.followedBy(end, "age")
			return ok
		}
	case "m":
		return p == j
	case "f":
		return p == j && !s.temperatureBefore(i)
	}
	return false
}

// temperatureBefore reads "T", "temp", "Tmax", "febrile" before a number,
// so that 99F is a temperature, not a woman of 99.
func (s *patternScan) temperatureBefore(i int) bool {
	var buf [24]byte
	w, _ := precedingWord(s.text, i, &buf)
	switch string(w) {
	case "t", "temp", "temps", "temperature", "tmax", "tm", "tc", "febrile", "afebrile", "fever", "to", "at", "of":
		return true
	}
	return false
}

// digitCode judges the rest of a digit-led token: codes mixing digits and
// letters, eight-digit dates (20210304), phone numbers written solid after
// a phone word, card numbers that pass Luhn, and other runs of seven or
// more digits (an identifying number unless a unit follows).
func (s *patternScan) digitCode(i, j int) (int, Type, bool) {
	t := s.text
	r := skipAlnum(t, i)
	if r > j {
		ty, ok := codeTypeOf(t[i:r])
		return r, ty, ok && endsToken(t, r)
	}
	nd := j - i
	if (nd == 10 || (nd == 11 && t[i] == '1')) && j < len(t) && t[j] == '-' {
		if ty, cue := s.phoneCue(i, j); cue {
			return j, ty, true // 3660170548-Fax
		}
	}
	if end, ok := s.dashedID(i); ok {
		return end, ID, true
	}
	if nd < 7 || !endsToken(t, j) || s.unitAfter(j) || (i > 0 && t[i-1] == '$') ||
		(j+1 < len(t) && t[j] == '.' && isASCIIDigit(t[j+1])) {
		return 0, "", false
	}
	if nd == 8 && validYear(t[i:i+4]) && validMonth(smallInt(t[i+4:i+6])) && validDay(smallInt(t[i+6:j])) {
		return j, Date, true
	}
	if nd == 10 || (nd == 11 && t[i] == '1') {
		if ty, cue := s.phoneCue(i, j); cue {
			return j, ty, true
		}
	}
	if nd >= 13 && nd <= 19 && luhnValid(t[i:j]) {
		return j, Account, true
	}
	return j, ID, true
}

// dashedID matches identifiers in dashed groups ("123-4567-890",
// "12-3456789") that no date, phone or SSN shape took.
func (s *patternScan) dashedID(i int) (int, bool) {
	t := s.text
	p, groups, digits, longest, end := i, 0, 0, 0, 0
	for groups < 8 {
		e := skipAlnum(t, p)
		if e == p {
			break
		}
		for k := p; k < e; k++ {
			if isASCIIDigit(t[k]) {
				digits++
			}
		}
		longest = max(longest, e-p)
		groups++
		end = e
		if e+1 < len(t) && t[e] == '-' && isASCIIAlnum(t[e+1]) && holdsDigitAt(t, e+1) {
			p = e + 1
			continue
		}
		break
	}
	if groups < 2 || digits < 7 || (groups == 2 && longest < 6) || !endsToken(t, end) || s.unitAfter(end) {
		return 0, false
	}
	return end, true
}

// holdsDigitAt reports a digit in the alphanumeric run at p.
func holdsDigitAt(t string, p int) bool {
	for ; p < len(t) && isASCIIAlnum(t[p]); p++ {
		if isASCIIDigit(t[p]) {
			return true
		}
	}
	return false
}
