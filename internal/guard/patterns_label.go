package guard

// Keywords: a month, a holiday, an age word, a URL scheme, or a label
// that announces an identifier ("MRN: 1234567", "Member ID XJ4-55621",
// "DEA# AB1234563").

// keyword dispatches a lower-cased word at [i,j). ok means the word was
// handled and the walk goes on at end.
func (s *patternScan) keyword(i, j int, lw []byte) (int, bool) {
	if mon, amb, abbr := monthNamed(lw); mon != 0 {
		if end, ok := s.monthDate(i, j, mon, amb, abbr); ok {
			return s.emit(i, end, Date), true
		}
		return j, true
	}
	switch string(lw) {
	case "http", "https", "ftp", "sftp", "www":
		if end, ok := s.url(i, j, lw); ok {
			return s.emit(i, end, URL), true
		}
		return j, true
	case "age", "aged", "ages":
		if start, end, ok := s.ageAfterLabel(j); ok {
			s.emit(start, end, Age)
			return end, true
		}
		return j, true
	case "nonagenarian", "nonagenarians", "centenarian", "centenarians", "supercentenarian":
		return s.emit(i, j, Age), true
	case "ninety", "nineties":
		if end, ok := s.ageInWords(i, j, lw); ok {
			return s.emit(i, end, Age), true
		}
		return j, true
	case "one", "a":
		if end, ok := s.hundredAge(i, j); ok {
			return s.emit(i, end, Age), true
		}
	}
	if end, ok := s.holiday(i, j, lw); ok {
		return s.emit(i, end, Date), true
	}
	return s.label(j, lw)
}

// ageAfterLabel reads "age 92", "aged: 95", "age of 101", "aged 90s".
func (s *patternScan) ageAfterLabel(j int) (int, int, bool) {
	t := s.text
	p := j
	for step := 0; step < 3; step++ {
		p = skipBlanks(t, p, 2)
		if p < len(t) && (t[p] == ':' || t[p] == '=' || t[p] == '~') {
			p++
			continue
		}
		e := skipLetters(t, p)
		var buf [24]byte
		w, _ := foldWord(&buf, t[p:e])
		switch string(w) {
		case "of", "is", "was", "about", "approximately", "approx", "at", "over", "nearly":
			p = e
			continue
		}
		break
	}
	e := skipDigits(t, p)
	if e-p < 2 || e-p > 3 {
		return 0, 0, false
	}
	v := smallInt(t[p:e])
	if v < 90 || v > 125 {
		return 0, 0, false
	}
	if end, ok := s.decade(p, e, v); ok {
		return p, end, true
	}
	if e < len(t) && isASCIILetter(t[e]) && !s.ageMarker(p, e) {
		return 0, 0, false
	}
	return p, e, true
}

// ageInWords reads "ninety-two year old", "ninety yo", "in her nineties".
func (s *patternScan) ageInWords(i, j int, lw []byte) (int, bool) {
	t := s.text
	if string(lw) == "nineties" {
		return j, s.decadeCue(i)
	}
	end := j
	if j+1 < len(t) && (t[j] == '-' || t[j] == ' ') {
		e := skipLetters(t, j+1)
		var buf [24]byte
		w, _ := foldWord(&buf, t[j+1:e])
		switch string(w) {
		case "one", "two", "three", "four", "five", "six", "seven", "eight", "nine":
			end = e
		}
	}
	if s.ageMarker(i, end) || s.agePhrase(i, end) {
		return end, true
	}
	var buf [24]byte
	w, _ := precedingWord(t, i, &buf)
	return end, string(w) == "aged" || string(w) == "age"
}

// hundredAge reads "one hundred and two years old", "turned a hundred":
// an age of a hundred or more in words, at [i, j) the "one" or "a".
func (s *patternScan) hundredAge(i, j int) (int, bool) {
	t := s.text
	end, ok := s.followedBy(j, "hundred")
	if !ok {
		return 0, false
	}
	p := end
	if e, ok := s.followedBy(p, "and"); ok {
		p = e
	}
	var buf [24]byte
	if w, e := followingWord(t, p, &buf); e > p {
		switch string(w) {
		case "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
			"twelve", "thirteen", "fourteen", "fifteen":
			end = e
		}
	}
	if s.ageMarker(i, end) || s.agePhrase(i, end) {
		return end, true
	}
	w, _ := precedingWord(t, i, &buf)
	return end, string(w) == "aged" || string(w) == "age"
}

// labelSpec describes what a label announces.
type labelSpec struct {
	typ Type
	// intro says how the value must be introduced after the label:
	// anyhow, by ":" or a filler, or (strict, for everyday words such as
	// "plan", "unit", "patient") by "#", "no", "number" or "id".
	intro introNeed
	// min is the least count of letters and digits in the value.
	min int
	// at is where the label's words end.
	at int
}

type introNeed uint8

const (
	introAny    introNeed = iota // "MRN 1234567"
	introColon                   // "Member: XJ455621", "Member ID XJ455621"
	introFiller                  // "Unit No 123456", "Plan # 55621"
)

// label reads a label starting with lw and ending at j, then its value.
func (s *patternScan) label(j int, lw []byte) (int, bool) {
	spec, ok := s.labelAt(j, lw)
	if !ok {
		return 0, false
	}
	vs, ve, ok := s.labelValue(spec)
	if !ok {
		return 0, false
	}
	return s.emit(vs, ve, spec.typ), true
}

func (s *patternScan) labelAt(j int, lw []byte) (labelSpec, bool) {
	strong := func(t Type, min int) (labelSpec, bool) { return labelSpec{typ: t, min: min, at: j}, true }
	weak := func(t Type, min int) (labelSpec, bool) {
		return labelSpec{typ: t, intro: introColon, min: min, at: j}, true
	}
	strict := func(t Type, min int) (labelSpec, bool) {
		return labelSpec{typ: t, intro: introFiller, min: min, at: j}, true
	}
	switch string(lw) {
	case "mrn", "mrno", "mrun", "emrn":
		return strong(MRN, 3)
	case "medrec":
		return weak(MRN, 4)
	case "mr", "record", "chart", "unit", "hospital", "hosp":
		return strict(MRN, 4)
	case "patient", "pt", "pat":
		return strict(MRN, 5)
	case "medical":
		return s.labelPhrase(j, "record", MRN, introColon, 4)
	case "ssn", "ssno":
		return strong(SSN, 4)
	case "ss":
		return strict(SSN, 4)
	case "social":
		return s.labelPhrase(j, "security", SSN, introAny, 4)
	case "soc":
		return s.labelPhrase(j, "sec", SSN, introAny, 4)
	case "member", "subscriber", "policy", "insurance", "beneficiary", "insured", "enrollee":
		return weak(HealthPlan, 4)
	case "group", "grp", "ins", "plan", "payer", "payor":
		return strict(HealthPlan, 4)
	case "medicare", "medicaid", "medi", "tricare", "masshealth", "champus":
		return strong(HealthPlan, 6)
	case "hicn", "mbi", "hic":
		return strong(HealthPlan, 4)
	case "account", "accounts", "acct", "acc", "acnt", "iban":
		return strong(Account, 4)
	case "card", "billing", "routing", "bank", "checking", "savings", "cc":
		return strict(Account, 4)
	case "claim", "claims":
		return weak(Account, 4)
	case "license", "licence", "lic", "licensure":
		if spec, ok := s.labelPhrase(j, "plate", Vehicle, introAny, 3); ok {
			return spec, true
		}
		return strong(License, 4)
	case "driver", "drivers":
		if spec, ok := s.labelPhrase(s.possessive(j), "license", License, introAny, 4); ok {
			return spec, true
		}
		return s.labelPhrase(s.possessive(j), "licence", License, introAny, 4)
	case "dea":
		return strong(License, 4)
	case "dl", "cdl", "certificate", "cert", "certification", "registration", "permit":
		return strict(License, 4)
	case "npi", "upin":
		// a clinician's NPI is public, but the development sets mark it as
		// a licence number: report it, the author's own may be allowed
		return strong(License, 5)
	case "vin":
		return strong(Vehicle, 6)
	case "plate":
		return strong(Vehicle, 3)
	case "tag":
		return strict(Vehicle, 3)
	case "serial", "imei", "udi", "meid", "esn":
		return strong(Device, 3)
	case "sn":
		return weak(Device, 3)
	case "s":
		if j+1 < len(s.text) && s.text[j] == '/' && toLowerASCII(s.text[j+1]) == 'n' && endsToken(s.text, j+2) {
			return labelSpec{typ: Device, min: 3, at: j + 2}, true
		}
	case "device", "model", "lot", "implant", "pacemaker", "defibrillator", "pump":
		return strict(Device, 3)
	case "id", "ident", "identifier", "identification", "passport", "uid", "guid":
		return strong(ID, 3)
	case "case", "auth", "authorization", "authorisation", "ticket", "ref", "reference", "confirmation", "conf", "accession", "encounter",
		"enc", "requisition", "req", "specimen", "tracking", "booking", "reservation", "invoice",
		"transaction", "csn", "fin", "har", "taxpayer", "ein", "tin", "itin", "docket":
		return weak(ID, 4)
	case "visit", "order", "file", "employee", "emp", "badge", "control", "student", "voter", "tax",
		"incident", "report", "referral", "bag", "property", "locker", "interpreter":
		return strict(ID, 4)
	case "pager", "pgr", "beeper", "bpr", "ext", "pg":
		return strong(Phone, 4)
	}
	return labelSpec{}, false
}

// labelPhrase matches a second label word (record, security, plate) after
// the first, with an optional plural, and gives the label it completes.
func (s *patternScan) labelPhrase(j int, second string, t Type, intro introNeed, min int) (labelSpec, bool) {
	end, ok := s.followedBy(j, second)
	if !ok {
		end, ok = s.followedBy(j, second+"s")
	}
	if !ok {
		return labelSpec{}, false
	}
	if end < len(s.text) && s.text[end] == '.' {
		end++
	}
	return labelSpec{typ: t, intro: intro, min: min, at: end}, true
}

// labelValue reads the value after a label: fillers ("#", ":", "no.",
// "number", "id", "is") then one token of letters and digits, which may
// hold dashes, dots and slashes ("XJ4-55621") or be written in groups of
// digits ("1234 5678 9012").
func (s *patternScan) labelValue(spec labelSpec) (int, int, bool) {
	t := s.text
	p, colon, filler := s.skipFillers(spec.at)
	// a label of everyday words needs its introduction, unless the value
	// is plainly a number of record ("group 0012248")
	unintroduced := (spec.intro == introColon && !colon && !filler) || (spec.intro == introFiller && !filler)
	if (unintroduced && spec.typ == Phone) || s.dateAt(p) {
		return 0, 0, false
	}
	if spec.typ == SSN {
		for _, sep := range [2]byte{'-', ' '} {
			if e, ok := ssnShape(t, p, sep); ok {
				return p, e, true
			}
		}
	}
	if spec.typ == Account {
		if e, ok := s.iban(p); ok {
			return p, e, true
		}
	}
	if spec.typ == Phone {
		if e, ok := s.usPhone(p, skipDigits(t, p)); ok {
			return p, e, true
		}
	}
	e, digits, alnum := idTokenAt(t, p)
	if digits == 0 || alnum < spec.min || s.unitAfter(e) || plainDecimal(t[p:e]) ||
		(unintroduced && (digits < 6 || skipAlnum(t, p) != e)) {
		return 0, 0, false
	}
	return p, e, true
}

// dateAt reports a date starting at p, which no label makes a number of
// record ("report 04-Jun-2021").
func (s *patternScan) dateAt(p int) bool {
	j := skipDigits(s.text, p)
	if j == p {
		return false
	}
	_, ok := s.numericDate(p, j)
	if !ok {
		_, ok = s.dayMonth(p, j)
	}
	return ok
}

// skipFillers steps over what stands between a label and its value and
// reports whether a colon or a filler ("#", "no", "number", "id")
// introduced the value.
func (s *patternScan) skipFillers(p int) (at int, colon, filler bool) {
	t := s.text
	for step := 0; step < 5; step++ {
		p = skipBlanks(t, p, 3)
		if p >= len(t) {
			break
		}
		switch c := t[p]; {
		case c == ':' || c == '=':
			colon = true
			p++
			continue
		case c == '#':
			filler = true
			p++
			continue
		case c == '.' || c == '-' || c == '(' || c == ')':
			p++
			continue
		case isASCIILetter(c):
			e := skipLetters(t, p)
			var buf [24]byte
			w, _ := foldWord(&buf, t[p:e])
			if endsToken(t, e) || t[e] == '#' {
				switch string(w) {
				case "no", "nr", "nbr", "num", "number", "numbers", "id", "ids", "code", "ident":
					filler = true
					p = e
					continue
				case "is", "was", "of":
					p = e
					continue
				}
			}
		}
		break
	}
	return p, colon, filler
}

// isDecimal reports a plain decimal number such as 98.6: a measurement.
func plainDecimal(v string) bool {
	dot := false
	for k := 0; k < len(v); k++ {
		switch {
		case v[k] == '.' && !dot:
			dot = true
		case !isASCIIDigit(v[k]):
			return false
		}
	}
	return dot
}

// idToken reads an identifier value at p and counts its digits and its
// letters and digits.
func idTokenAt(t string, p int) (end, digits, alnum int) {
	end = p
	solid := true // only digits so far: groups of digits may be spaced
	for groups := 0; groups < 8; groups++ {
		g := end
		for end < len(t) && isASCIIAlnum(t[end]) {
			if isASCIIDigit(t[end]) {
				digits++
			} else {
				solid = false
			}
			alnum++
			end++
		}
		n := end - g
		if n == 0 {
			break
		}
		if end+1 < len(t) && (t[end] == '-' || t[end] == '.') && isASCIIAlnum(t[end+1]) {
			end++
			continue
		}
		if solid && n >= 3 && n <= 6 && end+1 < len(t) && t[end] == ' ' {
			ne := skipDigits(t, end+1)
			if k := ne - end - 1; k >= 3 && k <= 6 && endsToken(t, ne) {
				end++
				continue
			}
		}
		break
	}
	if end > p && !endsToken(t, end) {
		return end, 0, 0 // runs into a word of another script
	}
	return end, digits, alnum
}
