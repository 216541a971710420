package guard

import "strings"

// The words around a candidate decide whether "3/4" is a date or three
// quarters of a tablet, whether 555-1212 is a phone or a range. These
// helpers read one word before or after a position, lower-cased into a
// caller's buffer, and sort it into the cue families below.

// prevWord returns the word that ends before i, skipping blanks and light
// punctuation (": ( # = -"), lower-cased into buf, and where it starts.
func precedingWord(t string, i int, buf *[24]byte) ([]byte, int) {
	k := i
	for n := 0; k > 0 && n < 4; n++ {
		c := t[k-1]
		if c != ' ' && c != '\t' && c != ':' && c != '(' && c != '#' && c != '=' && c != '-' && c != '\n' && c != '\r' && c != ',' {
			break
		}
		k--
	}
	b := k
	for k > 0 && isASCIIAlnum(t[k-1]) && b-k < len(buf) {
		k--
	}
	if k == b || (k > 0 && inWord(t[k-1])) {
		return nil, b
	}
	w, _ := foldWord(buf, t[k:b])
	return w, k
}

// nextWord returns the word that starts at or after j (after at most two
// blanks), lower-cased into buf, and where it ends.
func followingWord(t string, j int, buf *[24]byte) ([]byte, int) {
	k := skipBlanks(t, j, 2)
	e := skipAlnum(t, k)
	if e == k || e-k > len(buf) {
		return nil, k
	}
	w, _ := foldWord(buf, t[k:e])
	return w, e
}

// dateCueBefore reports whether the word before i announces a date ("on",
// "since", "DOB", "admitted", a weekday).
func (s *patternScan) dateCueBefore(i int) bool {
	var buf [24]byte
	w, at := precedingWord(s.text, i, &buf)
	if string(w) == "the" {
		w, _ = precedingWord(s.text, at, &buf)
	}
	if string(w) == "c" && at >= 2 && s.text[at-1] == '/' && toLowerASCII(s.text[at-2]) == 'd' {
		return true // d/c 3/4
	}
	if i >= 2 && s.text[i-1] == '-' && i-1 == s.lastEnd && s.lastType() == Date {
		return true // the end of a range of dates: 6/2-6/9
	}
	if string(w) == "of" {
		w, _ = precedingWord(s.text, at, &buf)
		return string(w) == "as" || string(w) == "week" || string(w) == "wk" || string(w) == "date"
	}
	return isDateCue(w) || s.statusPostBefore(i)
}

// statusPostBefore reports "s/p" a few words before i on the same clause:
// "S/P CABG X4 5/16", "s/p lap RYGB 5/5" date the procedure.
func (s *patternScan) statusPostBefore(i int) bool {
	t := s.text
	if strings.HasPrefix(t[i:], "2/2") && (i+3 >= len(t) || !isASCIIDigit(t[i+3])) {
		return false // "s/p fall 2/2 syncope": secondary to
	}
	lo := max(0, i-28)
	for p := i - 1; p >= lo+2; p-- {
		switch t[p] {
		case '\n', ',', ';', '.', ':', '(':
			return false
		case '/':
			if toLowerASCII(t[p+1]) == 'p' && toLowerASCII(t[p-1]) == 's' && (p+2 >= len(t) || !isASCIILetter(t[p+2])) &&
				(p < 2 || !isASCIILetter(t[p-2])) {
				return true
			}
		}
	}
	return false
}

// eventBefore reports a procedure, test or line named before i, which
// clinical notes date without a preposition: "CABG 12-6", "PICC placed
// 9/3", "ERCP 11/15".
func (s *patternScan) eventBefore(i int) bool {
	var buf [24]byte
	w, _ := precedingWord(s.text, i, &buf)
	return isEventWord(w)
}

func isEventWord(w []byte) bool {
	switch string(w) {
	case "cabg", "cath", "pci", "ptca", "stent", "stented", "egd", "ercp", "colonoscopy", "cta", "mri",
		"mra", "cxr", "echo", "tte", "tee", "eeg", "emg", "ekg", "ecg", "surgery", "procedure", "biopsy",
		"bx", "transplant", "placed", "inserted", "removed", "replaced", "changed", "pulled", "extubated",
		"intubated", "reintubated", "trach", "tracheostomy", "peg", "picc", "tlc", "cvl", "angio", "aline",
		"ett", "ngt", "dobhoff", "swan", "cvvh", "cvvhd", "hemodialysis", "rygb", "gastrectomy", "colectomy",
		"angiogram", "paracentesis", "thoracentesis", "bronch", "bronchoscopy", "mvr", "avr", "tavr",
		"tka", "tkr", "tha", "thr", "orif", "chole", "appy", "crani", "craniotomy", "laminectomy",
		"fusion", "acdf", "turp", "dccv", "cardioversion", "ablation", "ppm", "aicd", "lvad", "ecmo",
		"ct", "scan", "us", "ultrasound", "xray", "mammogram", "dexa", "pft", "pfts", "cystoscopy",
		"lap", "laparotomy", "exlap", "whipple", "amputation", "bka", "aka", "debridement",
		"arrived", "readmitted", "returned", "married", "retired", "moved", "fell", "fall", "mvc",
		"injury", "arrest", "code", "stroke", "cva", "mi", "nstemi", "stemi", "dx", "diagnosed",
		"banding", "banded", "trached", "given", "planned", "started", "tips", "pheresis", "dialyzed":
		return true
	}
	return false
}

func isDateCue(w []byte) bool {
	switch string(w) {
	case "on", "since", "from", "until", "til", "till", "thru", "through", "by", "before", "after",
		"dated", "date", "dob", "born", "birth", "birthday", "bday", "dod", "dos", "doa",
		"admitted", "admit", "adm", "admission", "discharged", "discharge", "dc", "transferred",
		"seen", "visit", "visited", "appt", "appointment", "scheduled", "sched", "surgery", "op",
		"last", "next", "due", "starting", "started", "start", "ended", "ending", "effective",
		"expires", "expired", "exp", "expiration", "edd", "lmp", "onset", "died", "deceased", "death",
		"delivered", "dt", "thanksgiving", "christmas",
		"mon", "monday", "tue", "tues", "tuesday", "wed", "wednesday", "thu", "thur", "thurs", "thursday",
		"fri", "friday", "sat", "saturday", "sun", "sunday", "today", "yesterday", "tomorrow":
		return true
	}
	return false
}

// measureBefore reports whether the word before i labels a measurement
// whose values look like dates: "BP 110/70", "PS 10/5", "RR 12-20".
func (s *patternScan) measureBefore(i int) bool {
	var buf [24]byte
	w, at := precedingWord(s.text, i, &buf)
	if string(w) == "s" && at > 0 {
		// a plural or possessive: "CVP's 10-12", "HR’s"
		w, _ = precedingWord(s.text, skipApostropheBack(s.text, at), &buf)
	}
	return isMeasureCue(w)
}

func isMeasureCue(w []byte) bool {
	switch string(w) {
	case "bp", "nbp", "nibp", "abp", "sbp", "dbp", "map", "hr", "rr", "pr", "sat", "sats", "spo2",
		"o2", "fio2", "peep", "ps", "psv", "cpap", "bipap", "ipap", "epap", "ac", "simv", "imv", "vt",
		"tv", "rate", "vent", "settings", "strength", "str", "motor", "power", "grip", "gcs", "apgar",
		"apgars", "pain", "score", "scale", "grade", "murmur", "ratio", "ie", "cvp", "pap", "pas", "pad",
		"pcwp", "wedge", "art", "aline", "uo", "io", "o", "ins", "outs", "total", "x", "q", "temp", "tmax",
		"tc", "k", "na", "cl", "bun", "cr", "glu", "glucose", "bs", "fs", "fsbs", "wbc", "hct", "hgb",
		"plt", "inr", "ptt", "ph", "pco2", "po2", "abg", "vbg", "mg", "ca", "phos", "ck", "cpk", "trop",
		"ast", "alt", "ldh", "alb", "level", "levels", "dose", "doses", "dosage", "ratios", "rhythm",
		"bolus", "drip", "gtt", "sbt", "rsbi", "nif", "mv", "ve", "pip", "plat", "resp", "rrr", "lungs",
		"about", "approx", "approximately", "only", "took", "take", "taking", "gave", "given",
		"vs", "vitals", "range", "ranging", "between", "bet", "qty", "mmhg", "tof", "icp", "cpp", "ci",
		"co", "svr", "svo2", "scvo2", "etco2", "lactate", "lac", "ldl", "hdl", "a1c", "hba1c", "hb",
		"sodium", "potassium", "chloride", "bicarb", "hco3", "co2", "calcium", "creatinine", "weight",
		"wt", "pulse", "saturation", "sao2", "oxygen", "count", "iq", "pressure", "reading", "readings",
		"result", "results", "value", "values", "ef", "lvef", "qtc", "qrs", "fev1", "fvc", "dlco", "psa",
		"tsh", "ft4", "ferritin", "crp", "esr", "bnp", "troponin", "lipase", "amylase", "ammonia",
		"rbc", "mcv", "rdw", "anc", "cd4", "vl", "bmi", "height", "ht", "hgba1c", "cholesterol",
		"triglycerides", "tg", "egfr", "gfr", "albumin", "protein", "bilirubin", "tbili", "dbili",
		"alk", "ggt", "dig", "vanc", "vanco", "trough", "peak", "heparin", "gent", "tobra", "goal",
		"target", "day", "days", "pod", "hd", "cycle", "week", "wk", "abx", "antibiotics", "ratio's",
		"scores", "ciwa", "cows", "nihss", "nih", "cpot", "bps", "flacc", "braden", "morse", "sofa",
		"fx", "fxs", "fracture", "fractures", "rib", "ribs", "ate", "eats", "eating", "consumed",
		"finished", "drank", "crackles", "rales", "rhonchi", "wheezes", "edema", "pulses":
		return true
	}
	return false
}

// unitAfter reports whether a unit or quantity follows j: numbers with
// units are measurements, never identifiers.
func (s *patternScan) unitAfter(j int) bool {
	hard, _ := s.blockAfter(j)
	return hard
}

// blockAfter reads what follows a number. hard: a unit or dose form
// ("mg", "tab", "%"), which nothing overrides; soft: a word that usually
// follows a quantity ("times", "of", "days"), which a date cue before the
// number overrides.
func (s *patternScan) blockAfter(j int) (hard, soft bool) {
	t := s.text
	if j < len(t) && (t[j] == '%' || t[j] == '+') {
		return true, false
	}
	if j < len(t) && isASCIILetter(t[j]) {
		// an attached suffix: 5mg, 2x, 3rd is judged by the caller
		var buf [24]byte
		w, _ := foldWord(&buf, t[j:skipAlnum(t, j)])
		return isUnitWord(w) || string(w) == "x", false
	}
	k := skipBlanks(t, j, 2)
	if k < len(t) && (t[k] == '%' || t[k] == '\'' || t[k] == '"') {
		return true, false
	}
	var buf [24]byte
	w, _ := followingWord(t, j, &buf)
	if w == nil {
		return false, false
	}
	return isUnitWord(w), isQuantityWord(w)
}

func isUnitWord(w []byte) bool {
	switch string(w) {
	case "mg", "mcg", "ug", "g", "gm", "gms", "gr", "gram", "grams", "kg", "kgs", "lb", "lbs", "oz",
		"ml", "mls", "cc", "ccs", "l", "dl", "lpm", "mmhg", "mm", "cm", "m", "in", "inch", "inches", "ft",
		"bpm", "meq", "mmol", "mol", "units", "unit", "u", "iu", "mu", "mg/dl", "f", "c", "tab", "tabs",
		"tablet", "tablets", "pill", "pills", "cap", "caps", "capsule", "capsules", "puff", "puffs",
		"drop", "drops", "gtt", "gtts", "amp", "amps", "vial", "vials", "bag", "bags", "liter", "liters",
		"litre", "litres", "cup", "cups", "tsp", "tbsp", "teaspoon", "teaspoons", "tablespoon",
		"tablespoons", "ppd", "ns", "hns", "d5w", "strength", "mcg/kg", "nc", "fm", "x", "xs", "mph",
		"km", "miles", "mile", "mi", "kcal", "cal", "calories", "ng", "pg", "mosm", "sec", "secs",
		"msec", "ms", "min", "mins", "hr", "hrs", "h", "am", "pm", "beats", "breaths", "bottles",
		"bottle", "cans", "can", "glasses", "glass", "packs", "pack", "cigs", "cigarettes", "drinks",
		"beers", "shots", "doses", "dose", "sprays", "spray", "patch", "patches", "ampules", "copies",
		"cells", "cfu", "colonies", "beat", "run", "runs", "word", "words", "pvcs", "pvc", "l/min",
		"sem", "hsm", "murmur", "murmurs", "systolic", "holosystolic", "diastolic":
		return true
	}
	return false
}

func isQuantityWord(w []byte) bool {
	switch string(w) {
	case "times", "time", "hours", "hour", "minutes", "minute", "seconds", "second", "days", "day",
		"d", "wk", "wks", "week", "weeks", "mo", "mos", "month", "months", "yr", "yrs", "year", "years",
		"of", "more", "less", "per", "each", "episodes", "episode", "stools", "stool", "voids",
		"murmur", "sem", "sm", "hsm", "systolic", "holosystolic", "diastolic", "bilat", "bilaterally",
		"bl", "throughout", "ue", "le", "rue", "lue", "rle", "lle", "extremities", "pain", "scale",
		"people", "patients", "pts", "persons", "nights", "night", "way", "full", "chance", "ratio",
		"nodes", "lobes", "vessel", "vessels", "wounds", "stitches", "sutures",
		"staples", "kids", "children", "sons", "daughters", "siblings", "floors", "steps", "blocks",
		"flights", "meals", "servings", "attempts", "tries", "shifts", "items", "cases", "questions",
		"points", "vs", "off", "breakfast", "lunch", "dinner", "supper", "tray", "trays", "meal",
		"snack", "portion", "portions", "up":
		return true
	}
	return false
}

// phoneType reads the labels around a phone-shaped number at [i,end):
// the nearest before it on its line, else one just after it ("617-555-1212
// fax"); a number with neither is a phone.
func (s *patternScan) phoneType(i, end int) Type {
	if ty, ok := s.phoneCue(i, end); ok {
		return ty
	}
	return Phone
}

// phoneCue looks back up to four words (40 bytes, same line) and then one
// word ahead for a phone or fax label.
func (s *patternScan) phoneCue(i, end int) (Type, bool) {
	var buf [24]byte
	at := i
	for n := 0; n < 4 && i-at < 40; n++ {
		w, k := precedingWord(s.text, at, &buf)
		if w == nil || !sameField(s.text[k+len(w):at]) {
			break
		}
		at = k
		if ty, ok := phoneWord(w); ok {
			return ty, true
		}
	}
	p := end
	if p < len(s.text) && s.text[p] == '-' {
		p++
	}
	w, _ := followingWord(s.text, p, &buf)
	switch string(w) {
	case "fax", "f", "facsimile":
		return Fax, true
	case "office", "mobile", "cell", "home", "work", "phone", "tel", "desk", "direct", "main", "pager":
		return Phone, true
	}
	return "", false
}

// sameField reports whether the gap between a label and a value keeps them
// together: on one line, or across a line break right after a colon
// ("Phone:\n617-555-1212").
func sameField(gap string) bool {
	nl := strings.IndexByte(gap, '\n')
	return nl < 0 || strings.IndexByte(gap[:nl], ':') >= 0
}

func phoneWord(w []byte) (Type, bool) {
	switch string(w) {
	case "fax", "faxed", "faxing", "facsimile", "fx", "telefax", "f":
		return Fax, true
	case "phone", "ph", "phn", "tel", "tele", "telephone", "cell", "cellphone", "mobile", "mob",
		"pager", "pgr", "beeper", "bpr", "page", "paged", "call", "calls", "called", "text", "contact",
		"reach", "reached", "dial", "hotline", "line", "number", "numbers", "num", "no", "home",
		"work", "office", "hm", "wk", "c", "h", "w", "o", "t", "m", "voicemail", "vm", "whatsapp",
		"sms", "landline", "telephoned", "phoned", "ext", "x", "desk", "direct", "main", "registered":
		return Phone, true
	}
	return "", false
}
