package guard

import "strings"

// Dates: every element of a date tied to a person except a bare year
// (Safe Harbor). Numeric shapes are judged with their neighbours, since
// clinical text is full of look-alikes: 120/80, 5/5 strength, 2/2
// (secondary to), 1/2 tab, pain 7/10, PS 10/5, 2-3 days.

// numericDate matches 3/4, 03/04/21, 3-4-2021, 2021-03-04, 03.04.2021,
// 12/2020 and, with context, 3-4.
func (s *patternScan) numericDate(i, j int) (int, bool) {
	t := s.text
	if j+1 >= len(t) {
		return 0, false
	}
	sep := t[j]
	if sep != '/' && sep != '-' && sep != '.' {
		return 0, false
	}
	k := j + 1
	m := skipDigits(t, k)
	if m == k || m-k > 4 || j-i > 4 {
		return 0, false
	}
	if m+1 < len(t) && t[m] == sep && isASCIIDigit(t[m+1]) {
		p := skipDigits(t, m+1)
		if p+1 < len(t) && (t[p] == '/' || t[p] == '-' || t[p] == '.') && isASCIIDigit(t[p+1]) {
			return 0, false // a fourth part: an address, a version, a list
		}
		if !endsToken(t, p) || !validDate3(t[i:j], t[k:m], t[m+1:p]) {
			return 0, false
		}
		return p, true
	}
	if sep == '.' {
		// "admitted 10.17": a dotted month and day only after a date cue
		if m-k == 2 && j-i <= 2 && endsToken(t, m) && (m >= len(t) || t[m] != '.' || m+1 >= len(t) || !isASCIIDigit(t[m+1])) &&
			validMonth(smallInt(t[i:j])) && validDay(smallInt(t[k:m])) && s.dateCueBefore(i) && !s.measureBefore(i) {
			return m, true
		}
		return 0, false
	}
	if m < len(t) && (inWord(t[m]) || t[m] == '/' || (sep == '-' && t[m] == '-' && m+1 < len(t) && isASCIIDigit(t[m+1]))) {
		return 0, false
	}
	return m, s.validDate2(i, j, m)
}

// dateRangeAfter reports that the date a/b ending at m, with its
// separator at j, starts a range of dates written the same way and running
// forward: "6/2-6/9", "12/28-1/3".
func (s *patternScan) dateRangeAfter(j, m int) bool {
	t := s.text
	if t[j] != '/' || m+3 >= len(t) || t[m] != '-' || !isASCIIDigit(t[m+1]) {
		return false
	}
	a := skipDigits(t, m+1)
	if a-m-1 > 2 || a+1 >= len(t) || t[a] != '/' {
		return false
	}
	b := skipDigits(t, a+1)
	if b == a+1 || b-a-1 > 2 || !endsToken(t, b) || (b < len(t) && (t[b] == '/' || t[b] == '-')) {
		return false
	}
	i := j
	for i > 0 && isASCIIDigit(t[i-1]) {
		i--
	}
	m1, d1 := smallInt(t[i:j]), smallInt(t[j+1:m])
	m2, d2 := smallInt(t[m+1:a]), smallInt(t[a+1:b])
	if !validMonth(m2) || !validDay(d2) {
		return false
	}
	return m2 > m1 || (m2 == m1 && d2 > d1) || (m1 == 12 && m2 == 1)
}

// settingBefore reports a ventilator, blood-pressure or scale label
// before i, whose paired values run in ranges too: "PS 10/5-8/5",
// "BP 110/60-120/70".
func (s *patternScan) settingBefore(i int) bool {
	var buf [24]byte
	w, _ := precedingWord(s.text, i, &buf)
	switch string(w) {
	case "bp", "nbp", "nibp", "abp", "sbp", "ps", "psv", "peep", "cpap", "bipap", "ac", "simv", "imv",
		"vent", "settings", "strength", "str", "pain", "motor", "grip", "score", "scores":
		return true
	}
	return false
}

func validDate3(a, b, c string) bool {
	if len(a) == 4 {
		return validYear(a) && len(b) <= 2 && len(c) <= 2 && validMonth(smallInt(b)) && validDay(smallInt(c))
	}
	if len(a) > 2 || len(b) > 2 || (len(c) != 2 && len(c) != 4) {
		return false
	}
	if len(c) == 4 && !validYear(c) {
		return false
	}
	va, vb := smallInt(a), smallInt(b)
	return (validMonth(va) && validDay(vb)) || (validDay(va) && validMonth(vb))
}

// validDate2 judges a two-part date a/b or a-b ending at m, where look-alikes
// abound; a date cue before it ("on", "DOB") or a year or time after it
// settles most doubts.
func (s *patternScan) validDate2(i, j, m int) bool {
	t := s.text
	a, b := t[i:j], t[j+1:m]
	if len(b) == 4 {
		return len(a) <= 2 && t[j] == '/' && validMonth(smallInt(a)) && validYear(b) && !s.measureBefore(i)
	}
	if len(a) > 2 || len(b) > 2 {
		return false
	}
	va, vb := smallInt(a), smallInt(b)
	monthDay := validMonth(va) && validDay(vb)
	dayMonth := validDay(va) && validMonth(vb)
	if !monthDay && !dayMonth {
		return false
	}
	hard, soft := s.blockAfter(m)
	if hard {
		return false
	}
	if (vb == 5 || vb == 10) && va <= vb && t[j] == '/' && s.ratingAfter(m) {
		return false // "2/5 stars"
	}
	if t[j] == '-' && i >= 2 && s.lastEnd >= 0 && s.lastEnd >= i-2 && s.lastType() == Date && va > vb {
		return false // "Oct 5 9-2": the hours of a dated event
	}
	if s.dateCueBefore(i) {
		return true
	}
	if (vb == 5 || vb == 10) && va <= vb && t[j] == '/' && textEndsAt(t, m) {
		return false // "Dr. Moreau seemed rushed though. 4/5": a review's score
	}
	switch {
	case vb == 10 && va <= 10 && (va == 10 || s.near(i, m, painWords)): // pain 7/10
		return false
	case vb == 5 && va <= 5 && (va == 5 || s.near(i, m, strengthWords)): // strength 4/5
		return false
	case va == 2 && vb == 2: // 2/2: secondary to
		return false
	case t[j] == '-' && isShift(va, vb): // nursing shifts: 3-11, 11-7, 7-3
		return false
	case s.timeAfter(m), s.clockBefore(i):
		return true
	case soft, !monthDay:
		return false
	case s.dateRangeAfter(j, m) && !s.settingBefore(i):
		return true // a range of dates: Vanco 6/2-6/9
	case s.givenBefore(i) && (vb > 8 || va > vb):
		return true // "Hep B given 5/30", but "given 1/2 tab"
	case s.measureBefore(i):
		return false
	case s.eventBefore(i) && !s.settingBefore(i):
		return true // CABG 12-6 w/ Dr. X; PICC placed 9/3
	case va < vb && i >= 2 && t[i-1] == ' ' && isASCIIDigit(t[i-2]): // 1 1/2
		return false
	case i > 0 && (t[i-1] == '~' || t[i-1] == '<' || t[i-1] == '>' || t[i-1] == '$' || t[i-1] == '.'):
		return false
	}
	if t[j] == '-' {
		// 3-4 is a range before a word ("3-4 L", "2-3 more"); a date stands
		// before punctuation, a line end or a time.
		var buf [24]byte
		if w, _ := followingWord(t, m, &buf); w != nil && isASCIILetter(w[0]) && !(isEventWord(w) && (va > vb || vb > 12)) {
			return false // but "12-6 CXR showed", not "2-3 cath attempts"
		}
	}
	return true
}

// givenBefore: "given" right before i (a vaccine or a dose given on a day).
func (s *patternScan) givenBefore(i int) bool {
	var buf [24]byte
	w, _ := precedingWord(s.text, i, &buf)
	return string(w) == "given" || string(w) == "administered" || string(w) == "rec'd" || string(w) == "received"
}

// textEndsAt reports that nothing but punctuation, spaces and symbols
// (emoji) follows m: the last word of a post.
func textEndsAt(t string, m int) bool {
	for k := m; k < len(t); k++ {
		c := t[k]
		if isASCIILetter(c) || isASCIIDigit(c) {
			return false
		}
	}
	return true
}

// ratingAfter: "stars" or "star" after a score: "3/5 stars".
func (s *patternScan) ratingAfter(m int) bool {
	var buf [24]byte
	w, _ := followingWord(s.text, m, &buf)
	return string(w) == "stars" || string(w) == "star"
}

// near reports a word of the family in the 48 bytes before [i,m) or the
// 24 after it, on the same line: "STRENGTH 5/5 UPPER, 4/5 LOWER".
func (s *patternScan) near(i, m int, family wordFamily) bool {
	t := s.text
	lo, hi := max(0, i-48), min(len(t), m+24)
	if nl := strings.LastIndexByte(t[lo:i], '\n'); nl >= 0 {
		lo += nl + 1
	}
	if nl := strings.IndexByte(t[m:hi], '\n'); nl >= 0 {
		hi = m + nl
	}
	var buf [24]byte
	for _, r := range [2][2]int{{lo, i}, {m, hi}} {
		for p := r[0]; p < r[1]; {
			if !isASCIILetter(t[p]) {
				p++
				continue
			}
			e := min(skipLetters(t, p), r[1])
			if w, ok := foldWord(&buf, t[p:e]); ok && family.has(w) {
				return true
			}
			p = e
		}
	}
	return false
}

// wordFamily names a family of context words for near.
type wordFamily uint8

const (
	painWords wordFamily = iota
	strengthWords
)

func (f wordFamily) has(w []byte) bool {
	if f == painWords {
		return isPainWord(w)
	}
	return isStrengthWord(w)
}

func isPainWord(w []byte) bool {
	switch string(w) {
	case "pain", "pains", "cp", "discomfort", "ha", "headache", "rates", "rated", "rating", "rate",
		"scale", "level", "severity", "score", "sore", "soreness", "ache", "aching", "cramping",
		"hurts", "hurt", "painful", "incisional", "abd", "back", "chest", "denies", "reports", "c",
		"nausea", "anxiety", "dyspnea", "sob", "vas", "nrs", "intensity", "medicated", "relief":
		return true
	}
	return false
}

func isStrengthWord(w []byte) bool {
	switch string(w) {
	case "strength", "str", "motor", "power", "grip", "ue", "le", "bue", "ble", "rue", "lue", "rle",
		"lle", "uex", "lex", "deltoid", "deltoids", "bicep", "biceps", "tricep", "triceps", "quad",
		"quads", "hip", "hips", "knee", "knees", "ankle", "ankles", "flexion", "extension", "flexors",
		"extensors", "df", "pf", "ehl", "wrist", "finger", "fingers", "hand", "hands", "arm", "arms",
		"leg", "legs", "extremities", "bilat", "bilaterally", "throughout", "symmetric", "weakness",
		"mae", "neuro", "reflexes", "pulses", "hamstrings", "abduction", "adduction", "dorsiflexion",
		"plantarflexion", "ip", "hf", "ke", "kf", "ef", "ee", "upper", "lower", "proximal", "distal":
		return true
	}
	return false
}

func isShift(a, b int) bool {
	switch [2]int{a, b} {
	case [2]int{3, 11}, [2]int{11, 7}, [2]int{7, 3}, [2]int{7, 7}, [2]int{7, 11}, [2]int{11, 11}:
		return true
	}
	return false
}

// timeAfter reports a year or a clock time after a date: "3/4 2021",
// "3/4 at 10:30". A bare 1400 proves nothing: "pain 7/10 at 0300".
func (s *patternScan) timeAfter(m int) bool {
	t := s.text
	k := skipBlanks(t, m, 2)
	if k == m {
		return false
	}
	if k+2 < len(t) && foldEquals(t[k:k+2], "at") && !inWord(t[k+2]) {
		k = skipBlanks(t, k+2, 2)
	}
	e := skipDigits(t, k)
	switch {
	case e-k == 4 && endsToken(t, e):
		return validYear(t[k:e])
	case (e-k == 1 || e-k == 2) && e+2 < len(t) && t[e] == ':' && isASCIIDigit(t[e+1]) && isASCIIDigit(t[e+2]):
		return true
	}
	return false
}

// clockBefore reports "at 2200 3/17", "@ 0915 12-2": a clock time after
// "at" just before a date.
func (s *patternScan) clockBefore(i int) bool {
	t := s.text
	e := i
	for e > 0 && t[e-1] == ' ' {
		e--
	}
	if e == i || e < 4 {
		return false
	}
	k := e - 4
	if !isASCIIDigit(t[k]) || skipDigits(t, k) != e || (k > 0 && (isASCIIDigit(t[k-1]) || inWord(t[k-1]))) {
		return false
	}
	if h, mm := smallInt(t[k:k+2]), smallInt(t[k+2:e]); h > 23 || mm > 59 {
		return false
	}
	var buf [24]byte
	w, at := precedingWord(t, k, &buf)
	if w == nil && at > 0 && t[at-1] == '@' {
		return true
	}
	return string(w) == "at"
}

// yearAfter reads an optional ", 2021" or " '21" after a day.
func (s *patternScan) yearAfter(end int) (int, bool) {
	t := s.text
	p := end
	if p < len(t) && t[p] == ',' {
		p++
	}
	p = skipBlanks(t, p, 2)
	if p == end {
		return end, false
	}
	if p < len(t) && t[p] == '\'' {
		e := skipDigits(t, p+1)
		if e-p == 3 && endsToken(t, e) {
			return e, true
		}
		return end, false
	}
	e := skipDigits(t, p)
	if e-p == 4 && validYear(t[p:e]) && endsToken(t, e) {
		return e, true
	}
	return end, false
}

func validMonth(v int) bool { return v >= 1 && v <= 12 }
func validDay(v int) bool   { return v >= 1 && v <= 31 }

// isYear accepts four digits from 1800 to 2199: surrogate and shifted
// dates in de-identified corpora run well past today.
func validYear(y string) bool {
	if len(y) != 4 {
		return false
	}
	v := smallInt(y)
	return v >= 1800 && v <= 2199
}

// articleBefore extends an ordinal date back over its "the".
func (s *patternScan) articleBefore(i int) int {
	t := s.text
	if i >= 4 && t[i-1] == ' ' && foldEquals(t[i-4:i-1], "the") && !wordBefore(t, i-4) {
		return i - 4
	}
	return i
}

// ordinalSuffixAt reports st/nd/rd/th (any case) at j, ending a word.
func ordinalSuffixAt(t string, j int) bool {
	if j+2 > len(t) || !endsToken(t, j+2) {
		return false
	}
	a, b := toLowerASCII(t[j]), toLowerASCII(t[j+1])
	return (a == 's' && b == 't') || (a == 'n' && b == 'd') || (a == 'r' && b == 'd') || (a == 't' && b == 'h')
}

// dayMonth matches a day before its month: "3 March 2021", "3rd of March",
// "03-Mar-2021", "3-MAR-21".
func (s *patternScan) dayMonth(i, j int) (int, bool) {
	t := s.text
	if j-i > 2 || !validDay(smallInt(t[i:j])) {
		return 0, false
	}
	p, ord := j, ordinalSuffixAt(t, j)
	if ord {
		p += 2
	}
	q, dash, of := s.monthLead(p)
	if q == p {
		return 0, false
	}
	me := skipLetters(t, q)
	var buf [24]byte
	lw, ok := foldWord(&buf, t[q:me])
	if !ok || me == q || !endsToken(t, me) {
		return 0, false
	}
	mon, amb, abbr := monthNamed(lw)
	if mon == 0 {
		return 0, false
	}
	end := me
	if abbr && end+1 < len(t) && t[end] == '.' && (t[end+1] == ' ' || t[end+1] == ',') {
		if ye, ok := s.yearAfter(end + 1); ok {
			return ye, true
		}
	}
	if dash && end+2 < len(t) && t[end] == '-' && isASCIIDigit(t[end+1]) {
		e := skipDigits(t, end+1)
		if (e-end-1 == 2 || validYear(t[end+1:e])) && endsToken(t, e) {
			return e, true
		}
	}
	ye, year := s.yearAfter(end)
	if !year {
		ye, year = s.shortYearAfter(end)
	}
	if amb && !ord && !of && !year && !(isASCIIUpper(t[q]) && !isASCIIUpper(t[q+1])) {
		return 0, false
	}
	if year {
		end = ye
	}
	return end, true
}

// shortYearAfter reads the two-digit year of "3 MAR 21".
func (s *patternScan) shortYearAfter(end int) (int, bool) {
	t := s.text
	p := skipBlanks(t, end, 1)
	e := skipDigits(t, p)
	if p == end || e-p != 2 || !endsToken(t, e) || s.unitAfter(e) || (e < len(t) && (t[e] == ':' || t[e] == '/' || t[e] == '.' && e+1 < len(t) && isASCIIDigit(t[e+1]))) {
		return end, false
	}
	return e, true
}

// monthLead skips what may stand between a day and its month: a dash, or
// blanks with an optional "of". It returns p when nothing fits.
func (s *patternScan) monthLead(p int) (q int, dash, of bool) {
	t := s.text
	if p < len(t) && t[p] == '-' {
		return p + 1, true, false
	}
	q = skipBlanks(t, p, 2)
	if q == p {
		return p, false, false
	}
	if q+3 < len(t) && foldEquals(t[q:q+2], "of") && t[q+2] == ' ' {
		return skipBlanks(t, q+2, 2), false, true
	}
	return q, false, false
}

// ordinalDate matches a lone day ordinal used as a date: "on the 12th",
// "by the 3rd."; "the 3rd time", "2nd floor" are not dates.
func (s *patternScan) ordinalDate(i, j int) (int, bool) {
	t := s.text
	if j-i > 2 || !validDay(smallInt(t[i:j])) || !ordinalSuffixAt(t, j) {
		return 0, false
	}
	var buf [24]byte
	w, at := precedingWord(t, i, &buf)
	if string(w) == "the" {
		w, _ = precedingWord(t, at, &buf)
		if w != nil && !isDateCue(w) && string(w) != "of" && string(w) != "till" && !(isDayVerb(w) && ordinalEnds(t, j+2)) {
			return 0, false
		}
	} else if !isDateCue(w) && !isEventWord(w) {
		return 0, false // but "trached 12th, peg 13th"
	}
	n, _ := followingWord(t, j+2, &buf)
	if isOrdinalNoun(n) {
		return 0, false
	}
	return j + 2, true
}

// isDayVerb lists words a bare "the 17th" follows as a day of the month
// when nothing comes after it: "her bday is the 5th", "flying out the
// 17th", "back in the 3rd".
func isDayVerb(w []byte) bool {
	switch string(w) {
	case "is", "was", "s", "out", "in", "back", "home", "leave", "leaving", "fly", "flying", "arrive", "for", "planned",
		"arriving", "arrives", "moving", "move", "wedding", "party", "surgery", "procedure", "appt":
		return true
	}
	return false
}

// ordinalEnds reports whether nothing but punctuation follows the ordinal
// ending at e up to the end of its clause: "(her bday is the 5th)".
func ordinalEnds(t string, e int) bool {
	for e < len(t) && t[e] == ' ' {
		e++
	}
	if e >= len(t) {
		return true
	}
	switch t[e] {
	case '.', ',', ')', '!', '?', ';', '\n', '-':
		return true
	}
	var buf [24]byte
	n, _ := followingWord(t, e, &buf)
	return string(n) == "and" || string(n) == "so" || string(n) == "but" || string(n) == "if"
}

// isOrdinalNoun lists what a counted ordinal stands before: "the 3rd time",
// "the 2nd floor", "the 5th ICS".
func isOrdinalNoun(w []byte) bool {
	switch string(w) {
	case "time", "times", "floor", "fl", "day", "dose", "doses", "grade", "degree", "line", "rib", "ribs",
		"ventricle", "finger", "toe", "digit", "ics", "icsi", "intercostal", "nerve", "cranial",
		"trimester", "generation", "year", "week", "month", "cycle", "round", "opinion", "attempt",
		"place", "street", "st", "ave", "avenue", "unit", "child", "baby", "pregnancy", "visit",
		"admission", "hospitalization", "episode", "shift", "session", "treatment", "course",
		"birthday", "anniversary", "period", "percentile", "edition", "century", "party", "person",
		"hour", "hr", "stage", "try", "set", "bag", "liter", "most", "largest", "one", "ones", "lumbar",
		"cervical", "thoracic", "metatarsal", "metacarpal", "mtp", "mcp", "pip", "dip", "layer",
		"position", "row", "seat", "bed", "room", "wave", "heart", "sound", "sounds", "dimension",
		"dose's", "booster", "vaccine", "shot", "injection", "infusion", "surgery", "procedure", "fx",
		"fracture", "decade", "division", "class", "string", "tier", "order", "level", "look":
		return true
	}
	return false
}

// monthDate handles a month name at [i,j): "March 3, 2021", "Mar. 3rd",
// "MAY 3", "Jan 2020", "in June". lw is the lower-cased name.
func (s *patternScan) monthDate(i, j int, mon int, amb, abbr bool) (int, bool) {
	t := s.text
	k := j
	if abbr && k < len(t) && t[k] == '.' {
		k++
	}
	p := skipBlanks(t, k, 3)
	if p < len(t) && t[p] == ',' {
		p = skipBlanks(t, p+1, 2)
	}
	if p == k && p+1 < len(t) && t[p] == '-' && isASCIIDigit(t[p+1]) {
		p++
	}
	if p > k && p < len(t) && isASCIIDigit(t[p]) {
		q := skipDigits(t, p)
		if q-p == 4 && validYear(t[p:q]) && endsToken(t, q) {
			return q, true // Jan 2020
		}
		if q-p <= 2 && validDay(smallInt(t[p:q])) {
			return s.monthDay(i, j, p, q, amb)
		}
	}
	if end, ok := s.monthOfYear(j); ok {
		return end, true
	}
	return j, s.bareMonth(i, j, amb, abbr)
}

// monthDay finishes "March 3", with the day at [p,q).
func (s *patternScan) monthDay(i, j, p, q int, amb bool) (int, bool) {
	t := s.text
	end, ord := q, ordinalSuffixAt(t, q)
	if ord {
		end += 2
	}
	if !endsToken(t, end) {
		return 0, false // "may 3x daily"
	}
	ye, year := s.yearAfter(end)
	if year {
		return ye, true
	}
	hard, soft := s.blockAfter(end)
	if !ord && (hard || (amb && soft)) { // "Aug 9 in" may be inches; "Aug 9th in" is not
		return 0, false
	}
	if !amb || ord || titleCased(t[i:j]) || s.dateCueBefore(i) {
		return end, true
	}
	// an ambiguous month ("may", "MARCH", "dec") after a subject is a verb:
	// "you may 3", "pt may 2".
	var buf [24]byte
	w, _ := precedingWord(t, i, &buf)
	return end, !isSubject(w)
}

func isSubject(w []byte) bool {
	switch string(w) {
	case "i", "you", "u", "we", "they", "he", "she", "it", "pt", "patient", "which", "who", "that",
		"this", "one", "family", "wife", "husband", "son", "daughter", "mother", "father", "nurse",
		"md", "doctor", "dr", "team", "rn", "staff", "there", "what", "and", "or", "but", "also",
		"still", "then", "so", "dose", "doses", "o2", "fio2", "peep", "to", "rate", "will", "should":
		return true
	}
	return false
}

// monthOfYear matches the tail of "March of 2021".
func (s *patternScan) monthOfYear(j int) (int, bool) {
	t := s.text
	p := skipBlanks(t, j, 2)
	if p == j || p+3 >= len(t) || !foldEquals(t[p:p+2], "of") || t[p+2] != ' ' {
		return 0, false
	}
	p = skipBlanks(t, p+2, 2)
	e := skipDigits(t, p)
	if e-p == 4 && validYear(t[p:e]) && endsToken(t, e) {
		return e, true
	}
	return 0, false
}

// bareMonth decides whether a month name with no day or year is still a
// date: a full, unambiguous name in capitals or after "in", "since"...;
// an abbreviation or an ambiguous name ("May", "March") only when
// capitalised and after such a word.
func (s *patternScan) bareMonth(i, j int, amb, abbr bool) bool {
	t := s.text
	capital := isASCIIUpper(t[i])
	var buf [24]byte
	w, _ := precedingWord(t, i, &buf)
	prep := isMonthPrep(w) || isDateCue(w)
	if amb && !abbr && !capital && strongMonthPrep(w) {
		// "since march", "until may": no verb follows these words.
		n, _ := followingWord(t, j, &buf)
		return !isVerbAfterMonth(n)
	}
	if amb || abbr {
		return capital && prep && !(abbr && j < len(t) && t[j] == '.' && j+1 < len(t) && isASCIIAlnum(t[j+1]))
	}
	return capital || prep
}

// strongMonthPrep: words after which "may" or "march" is hardly a verb.
func strongMonthPrep(w []byte) bool {
	switch string(w) {
	case "since", "until", "till", "til", "thru", "through", "during", "early", "mid", "late", "last",
		"next", "in":
		return true
	}
	return false
}

// isVerbAfterMonth: what follows "may" the verb ("in may be", "since may
// not"), so that the month reading is wrong.
func isVerbAfterMonth(w []byte) bool {
	switch string(w) {
	case "be", "been", "have", "not", "also", "need", "want", "get", "go", "come", "take", "make",
		"help", "cause", "lead", "result", "show", "seem", "feel", "look", "require", "include", "affect",
		"still", "well", "only", "just", "even", "never", "or", "as", "on", "into", "down", "up",
		"past", "forward", "along", "toward", "towards", "out":
		return true
	}
	return false
}

func isMonthPrep(w []byte) bool {
	switch string(w) {
	case "in", "of", "since", "until", "by", "during", "early", "late", "mid", "this", "last", "next",
		"from", "through", "thru", "till", "before", "after", "end", "beginning", "start", "around",
		"throughout", "past", "every", "each":
		return true
	}
	return false
}

func titleCased(w string) bool {
	if len(w) < 2 || !isASCIIUpper(w[0]) {
		return false
	}
	for k := 1; k < len(w); k++ {
		if isASCIIUpper(w[k]) {
			return false
		}
	}
	return true
}

// monthOf returns the month number of a lower-cased name or abbreviation
// (0 if none), whether the word is also common English ("may", "march",
// "mar", "dec" for decreased), and whether it is an abbreviation.
func monthNamed(w []byte) (mon int, amb, abbr bool) {
	switch string(w) {
	case "january":
		return 1, false, false
	case "jan":
		return 1, false, true
	case "february":
		return 2, false, false
	case "feb":
		return 2, false, true
	case "march":
		return 3, true, false
	case "mar":
		return 3, true, true
	case "april":
		return 4, false, false
	case "apr":
		return 4, false, true
	case "may":
		return 5, true, false
	case "june":
		return 6, false, false
	case "jun":
		return 6, false, true
	case "july":
		return 7, false, false
	case "jul":
		return 7, false, true
	case "august":
		return 8, false, false
	case "aug":
		return 8, false, true
	case "september":
		return 9, false, false
	case "sep", "sept":
		return 9, false, true
	case "october":
		return 10, false, false
	case "oct":
		return 10, false, true
	case "november":
		return 11, false, false
	case "nov":
		return 11, false, true
	case "december":
		return 12, false, false
	case "dec":
		return 12, true, true
	}
	return 0, false, false
}

// holiday matches a holiday used as a date: "Christmas", "Christmas Eve",
// "New Year's Day", "Labor Day", "Fourth of July"; not "Christmas tree".
func (s *patternScan) holiday(i, j int, lw []byte) (int, bool) {
	end, ok := s.holidayPhrase(j, lw)
	if !ok {
		return 0, false
	}
	var buf [24]byte
	if w, _ := followingWord(s.text, end, &buf); isHolidayNoun(w) {
		return 0, false
	}
	if w, _ := precedingWord(s.text, i, &buf); string(w) == "every" || string(w) == "each" {
		return 0, false // a habit, not a date
	}
	return end, true
}

func (s *patternScan) holidayPhrase(j int, lw []byte) (int, bool) {
	switch string(lw) {
	case "christmas", "xmas", "thanksgiving", "easter", "halloween", "hanukkah", "chanukah",
		"kwanzaa", "passover", "diwali", "ramadan", "tet", "eid", "purim", "sukkot", "navratri", "vesak", "nowruz":
		if end, ok := s.followedBy(j, "eve"); ok {
			return end, true
		}
		if end, ok := s.followedBy(j, "day"); ok {
			return end, true
		}
		return j, true
	case "independence", "memorial", "labor", "labour", "veterans", "veteran", "presidents",
		"president", "columbus", "boxing", "mothers", "mother", "fathers", "father", "valentines",
		"valentine", "mlk", "patriots", "juneteenth":
		return s.followedBy(s.possessive(j), "day")
	case "new":
		end, ok := s.followedBy(j, "year")
		if !ok {
			end, ok = s.followedBy(j, "years")
		}
		if !ok {
			return 0, false
		}
		pe := s.possessive(end)
		if e, ok := s.followedBy(pe, "day"); ok {
			return e, true
		}
		if e, ok := s.followedBy(pe, "eve"); ok {
			return e, true
		}
		if pe == end && !isASCIIUpper(s.text[j-3]) {
			return 0, false // "a new year"
		}
		return pe, true
	case "st", "saint":
		p := j
		if p < len(s.text) && s.text[p] == '.' {
			p++
		}
		if end, ok := s.followedBy(p, "patrick"); ok {
			return s.followedBy(s.possessive(end), "day")
		}
	case "good":
		return s.followedBy(j, "friday")
	case "leap":
		return s.followedBy(j, "day")
	case "yom":
		return s.followedBy(j, "kippur")
	case "rosh":
		return s.followedBy(j, "hashanah")
	case "fourth":
		if end, ok := s.followedBy(j, "of"); ok {
			return s.followedBy(end, "july")
		}
	}
	return 0, false
}

// possessive steps over 's, s' or ’s after a word ending at j.
func (s *patternScan) possessive(j int) int {
	t := s.text
	switch {
	case j+1 < len(t) && t[j] == '\'' && toLowerASCII(t[j+1]) == 's' && endsToken(t, j+2):
		return j + 2
	case j+3 < len(t) && t[j:j+3] == "\u2019" && toLowerASCII(t[j+3]) == 's' && endsToken(t, j+4):
		return j + 4
	case j < len(t) && t[j] == '\'':
		return j + 1
	case j < len(t) && toLowerASCII(t[j]) == 's' && endsToken(t, j+1):
		return j + 1
	}
	return j
}

// followedBy matches one blank-separated word (any case) after j.
func (s *patternScan) followedBy(j int, w string) (int, bool) {
	t := s.text
	p := j
	if p < len(t) && t[p] == '-' {
		p++
	} else {
		p = skipBlanks(t, p, 2)
	}
	if p == j || p+len(w) > len(t) || !foldEquals(t[p:p+len(w)], w) || !endsToken(t, p+len(w)) {
		return 0, false
	}
	return p + len(w), true
}

func isHolidayNoun(w []byte) bool {
	switch string(w) {
	case "tree", "trees", "card", "cards", "gift", "gifts", "present", "presents", "party", "parties",
		"dinner", "music", "song", "songs", "carol", "carols", "lights", "decorations", "shopping",
		"spirit", "sweater", "cookies", "cookie", "movie", "movies", "special", "egg", "eggs", "bunny",
		"costume", "costumes", "candy", "story", "stories", "list", "wish", "miracle", "market",
		"parade", "sale", "sales", "ornament", "ornaments", "cactus", "lily", "play", "pageant":
		return true
	}
	return false
}
