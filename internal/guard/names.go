package guard

import (
	"bytes"
	"strings"
	"sync"
)

// lexicon holds the name and place dictionaries: every token's flags (first
// name, surname, word frequency, curated roles) and the place names.
type lexicon struct {
	words       map[string]uint32
	places      map[string]lexPlace
	placeStarts map[string]int8 // first word of a multi-word place → most words
	pool        sync.Pool       // *lexScan, to reuse token buffers
}

// loadLexicon decodes the embedded dictionaries. They are compiled in, so
// a failure is a broken build (the package tests load them), like a
// regexp.MustCompile on a constant.
func loadLexicon() *lexicon {
	l, err := readLexicon()
	if err != nil {
		panic("guard: " + err.Error())
	}
	return l
}

// scan finds personal names and geographic units smaller than a state.
func (l *lexicon) scan(text string) []Span {
	if l == nil || len(text) == 0 {
		return nil
	}
	s, _ := l.pool.Get().(*lexScan)
	if s == nil {
		s = &lexScan{z: tokenizer{lex: l}, lex: l}
	}
	s.reset(text)
	s.findPlaces()
	s.findNames()
	spans := s.spans()
	s.text, s.out = "", nil // the pool keeps buffers, not the caller's text
	l.pool.Put(s)
	return spans
}

// Token labels.
const (
	labName   uint8 = 1 << iota // part of a personal name
	labLoc                      // part of a place
	labForced                   // named by a title or relation: no eponym check
	labNot                      // a state or country: neither name nor PHI place
)

// Name classes of a single token, before context.
const (
	clsNone   uint8 = iota // not a name
	clsUnk                 // unknown word: a name only with strong context
	clsCand                // a name or a word: a name with some context
	clsStrong              // a name unless context says otherwise
)

type lexScan struct {
	lex   *lexicon
	z     tokenizer
	text  string
	toks  []token
	mode  int
	label []uint8
	cls   []uint8
	key   []byte
	out   []Span
}

func (s *lexScan) reset(text string) {
	s.text = text
	s.toks = s.z.tokenize(text)
	s.mode = s.z.caseMode()
	n := len(s.toks)
	s.label = growLabels(s.label, n)
	s.cls = growLabels(s.cls, n)
	for i := range s.toks {
		s.cls[i] = s.nameClass(i)
	}
	s.out = nil
}

func growLabels(b []uint8, n int) []uint8 {
	if cap(b) < n {
		return make([]uint8, n)
	}
	b = b[:n]
	clear(b)
	return b
}

func (s *lexScan) word(i int) string { return s.text[s.toks[i].start:s.toks[i].end] }

func (s *lexScan) isWord(i int) bool { return i >= 0 && i < len(s.toks) && s.toks[i].kind == tokWord }

func (s *lexScan) flag(i int, bit uint32) bool {
	return i >= 0 && i < len(s.toks) && s.toks[i].kind == tokWord && s.toks[i].flags&bit != 0
}

func (s *lexScan) punct(i int, c byte) bool {
	return i >= 0 && i < len(s.toks) && s.toks[i].kind == tokPunct && s.text[s.toks[i].start] == c
}

// joined: token i+1 follows token i on the same line, with at most spaces.
func (s *lexScan) joined(i int) bool {
	return i >= 0 && i+1 < len(s.toks) && s.toks[i+1].mark&markLineStart == 0
}

// capital: in prose, the token is capitalized; without case, any word is.
func (s *lexScan) capital(i int) bool {
	if s.mode != caseMixed {
		return true
	}
	sh := s.toks[i].shape
	return sh == shapeTitle || sh == shapeUpper
}

// initial is one capital letter, like the J of "J. Smith"; in text
// without case it needs its full stop.
func (s *lexScan) initial(i int) bool {
	t := s.toks[i]
	if t.kind != tokWord || t.end-t.start != 1 || t.shape != shapeUpper {
		return false
	}
	if (t.start > 0 && s.text[t.start-1] == '/') || (int(t.end) < len(s.text) && s.text[t.end] == '/') {
		return false // "D/W", "S/P", "W/": shorthand, not an initial
	}
	if s.mode != caseMixed || s.text[t.start] == 'I' || s.text[t.start] == 'A' {
		return s.punct(i+1, '.') && s.toks[i].mark&markSpaceAfter == 0
	}
	return true
}

// strongName: the token is a common first name or surname and hardly ever
// an ordinary word.
func strongName(f uint32) bool {
	fn, sn := firstLevel(f), lastLevel(f)
	return (fn >= 2 || sn >= 2) && wordLevel(f) == 0 && f&commonBit == 0 &&
		(f&dictBit == 0 || f&properBit != 0) && (cityLevel(f) < 3 || fn == 3)
}

func (s *lexScan) nameClass(i int) uint8 {
	t := s.toks[i]
	if t.kind != tokWord {
		return clsNone
	}
	f := t.flags
	if f&(funcBit|stateBit|stopBit|titleBit|credBit|eponymBit|relateBit|greetBit) != 0 {
		return clsNone
	}
	n := t.end - t.start
	named := firstLevel(f) > 0 || lastLevel(f) > 0
	unknown := f&(dictBit|properBit) == 0 && wordLevel(f) == 0 && !lexHasDigit(s.word(i))
	if unknown && !named && n >= 6 && (drugLike(s.lowerKey(s.key[:0], i)) || clinicalTerm(s.lowerKey(s.key[:0], i))) {
		return clsNone // "Ceftaroline", "Ondansetron", "CHOLANGITIS", "DISCONTINUITY"
	}
	if s.mode != caseMixed {
		// Without case, a surname that is also a dictionary word ("STATES",
		// "WALKER") needs context; first names rarely are words.
		switch {
		case named && strongName(f) && n >= 3 && (f&dictBit == 0 || firstLevel(f) >= 2 || s.mode == caseLower):
			return clsStrong
		case named:
			return clsCand
		case unknown && n >= 2:
			return clsUnk
		}
		return clsNone
	}
	switch t.shape {
	case shapeLower:
		// "met with sarah": only names that are no word at all; not
		// shorthand such as "pan-cx'd".
		if firstLevel(f) >= 2 && strongName(f) && f&dictBit == 0 && !lexHasHyphen(s.word(i)) {
			return clsStrong
		}
		return clsNone
	case shapeMixed:
		if prefixedSurname(s.word(i)) {
			return clsUnk // "DeLUCA", "McDONALD", "MacINTYRE"
		}
		return clsNone
	case shapeUpper:
		// In prose a word in capitals is an abbreviation ("RISS", "CAM")
		// more often than a name: it needs context.
		if lexHasHyphen(s.word(i)) || (n <= 3 && !named) {
			return clsNone // "SVG-OM", "CAM-ICU"
		}
		if named {
			return clsCand
		}
		return clsUnk
	}
	switch {
	case !named && unknown:
		return clsUnk
	case !named:
		return clsNone
	case strongName(f):
		return clsStrong
	case t.mark&markSentStart != 0 || wordLevel(f) >= 2 || f&commonBit != 0 || cityLevel(f) == 3:
		return clsCand
	case f&dictBit != 0 && f&properBit == 0 && wordLevel(f) >= 1:
		return clsCand // "Wisdom", "Labor": capitalized words more than names
	}
	return clsStrong
}

// findNames labels the tokens of personal names: strong names alone, other
// candidates when context (a title, a relation, a neighbouring name) says so.
func (s *lexScan) findNames() {
	for i := range s.toks {
		if s.label[i]&(labLoc|labName) != 0 {
			continue
		}
		if s.cls[i] == clsStrong && s.label[i] == 0 {
			s.label[i] |= labName
		}
		f := s.toks[i].flags
		switch {
		case f&titleBit != 0 && s.titleAt(i):
			s.afterTitle(i)
			if f&relateBit != 0 {
				s.afterRelation(i) // "sister august": a relation too
			}
		case f&(relateBit|greetBit) != 0,
			f&titleBit != 0 && s.mode == caseMixed && s.toks[i].shape == shapeLower:
			// "nurse Tomás", "chaplain Moira": in prose a lower-case title
			// names the capitalized word after it, as a relation does.
			s.afterRelation(i)
		case f&weakRelBit != 0:
			if s.mode != caseMixed {
				s.afterWeakRelation(i)
			}
			s.afterPersonVerb(i)
		case f&credBit != 0:
			s.beforeCredential(i)
			s.afterCredential(i)
			if i+1 < len(s.toks) && s.label[i+1] == 0 && nurseCredential(s.word(i)) &&
				(s.mode != caseLower || s.isWord(i+1) && s.toks[i+1].flags&dictBit == 0) {
				s.afterRelation(i) // "CHARGE RN FIONNUALA": the nurse's name after her credential
			}
		default:
			s.afterName(i)
		}
		if s.cls[i] == clsCand && s.toks[i].mark&markPossessive != 0 && s.mode == caseMixed &&
			s.toks[i].shape == shapeTitle && wordLevel(s.toks[i].flags) < 3 {
			s.label[i] |= labName
		}
	}
	s.prose()
	s.afterRolePunct()
	s.pets()
	s.signature()
	s.personVerbs()
	s.nicknames()
	s.spread()
	s.dropEponyms()
	s.remember()
}

// personVerbs: an unknown capitalized word before a verb people do ("Luiza
// is from", "Tomomi spent", "Shovda says") or after one ("says
// Hartvigsson", "calls me Aantje") is a name.
func (s *lexScan) personVerbs() {
	if s.mode != caseMixed {
		s.awareAfter()
		return
	}
	s.awareAfter()
	for i := range s.toks {
		f := s.toks[i].flags
		rare := s.cls[i] == clsUnk || (s.cls[i] == clsCand && wordLevel(f) == 0 && f&(commonBit|dictBit) == 0)
		if !rare || s.label[i] != 0 || s.toks[i].shape != shapeTitle || s.toks[i].end-s.toks[i].start < 3 {
			continue
		}
		if j := i + 1; s.joined(i) && s.isWord(j) && personVerb(s.word(j)) {
			s.label[i] |= labName
			continue
		}
		p := i - 1
		if s.isWord(p) && (s.word(p) == "me" || s.word(p) == "him" || s.word(p) == "her") && p > 0 {
			p-- // "calls me Aantje", "named him Frank"
		}
		if s.isWord(p) && s.joined(p) && speechVerb(s.word(p)) {
			s.label[i] |= labName
		}
	}
}

// nicknames: a word in quotes after "called", "named", "goes by" or
// "aka" is what someone is called: `asks to be called "Chip"`.
func (s *lexScan) nicknames() {
	for i := 1; i+2 < len(s.toks); i++ {
		if s.toks[i].kind != tokPunct || s.text[s.toks[i].start] != '"' || !s.isWord(i+1) || s.label[i+1] != 0 {
			continue
		}
		j := i + 1
		if s.toks[j+1].kind != tokPunct || s.text[s.toks[j+1].start] != '"' {
			continue
		}
		if f := s.toks[j].flags; f&(funcBit|stopBit|titleBit|credBit|relateBit) != 0 || !s.capital(j) ||
			(s.mode == caseMixed && s.toks[j].shape == shapeLower) || s.toks[j].end-s.toks[j].start < 2 {
			continue
		}
		if s.punct(i-1, '(') && i >= 2 && (s.label[i-2]&labName != 0 || s.isWord(i-2) && kin(s.lowerKey(s.key[:0], i-2))) {
			s.label[j] |= labName | labForced // `son Wojciech ("Wojtek")`
			continue
		}
		switch string(s.lowerKey(s.key[:0], i-1)) {
		case "called", "call", "calls", "named", "nicknamed", "aka", "by", "prefers", "is", "goes":
			s.label[j] |= labName | labForced // `states name is "Skip"`
		default:
			if s.flag(i-1, relateBit) && kin(s.lowerKey(s.key[:0], i-1)) {
				s.label[j] |= labName | labForced // `friend "Tiny"`
			}
		}
	}
}

// awareAfter: in notes, a word no dictionary knows before "aware",
// "notified" or "paged" is the clinician told: "Szczepanski aware",
// "NWACHUKWU NOTIFIED". Services and their shorthand ("NEUROSURG AWARE")
// are not.
func (s *lexScan) awareAfter() {
	for i := 0; i+1 < len(s.toks); i++ {
		if s.cls[i] != clsUnk || s.label[i] != 0 || !s.joined(i) || !s.isWord(i+1) {
			continue
		}
		switch string(s.lowerKey(s.key[:0], i+1)) {
		case "aware", "notified", "paged", "informed":
		default:
			continue
		}
		t := s.toks[i]
		n := t.end - t.start
		if s.mode == caseMixed && t.shape != shapeTitle || n < 5 || s.mode != caseMixed && n < 6 {
			continue
		}
		k := s.lowerKey(s.key[:0], i)
		if drugLike(k) || hospitalService(k) || serviceShorthand(k) {
			continue
		}
		s.label[i] |= labName
	}
}

// serviceShorthand: abbreviated names of hospital services and teams.
func serviceShorthand(k []byte) bool {
	switch string(k) {
	case "neurosurg", "nsurg", "cardsurg", "ctsurg", "cardiol", "cards", "pulm", "ortho", "nephro", "uro",
		"ophtho", "plastics", "vasc", "thoracic", "micu", "sicu", "ccu", "csru", "tsicu", "nightfloat",
		"covering", "coverage", "housestaff", "anesth", "rheum", "gyn", "onc", "hemeonc", "gastro", "neuro",
		"neurology", "surgery", "medicine", "psych", "security", "pharmacy", "nutrition", "dietary":
		return true
	}
	return false
}

func personVerb(w string) bool {
	switch w {
	case "says", "said", "shouted", "told", "asked", "spent", "lives", "lived", "works",
		"worked", "wrote", "began", "thinks", "loves", "likes", "wants", "replied",
		"smiled", "laughed", "cried", "died", "passed", "married", "graduated":
		return true
	}
	return false
}

func speechVerb(w string) bool {
	switch w {
	case "says", "said", "asked", "replied", "wrote", "call", "calls", "called", "named", "thanked", "met":
		return true
	}
	return false
}

// remember labels the other mentions of a name found once: a patient
// named by "wife Mary" or "Dr. Oyelaran" is often named again alone.
func (s *lexScan) remember() {
	var seen map[string]bool
	for i := range s.toks {
		if s.label[i]&labName == 0 || s.toks[i].kind != tokWord || s.toks[i].end-s.toks[i].start < 3 {
			continue
		}
		if s.cls[i] != clsUnk && s.cls[i] != clsStrong && s.label[i]&labForced == 0 {
			continue
		}
		if f := s.toks[i].flags; f&(funcBit|stopBit) != 0 {
			continue
		} else if f&commonBit != 0 || wordLevel(f) >= 2 {
			// "sister Heaven ... updated Heaven": a word that is also a
			// name, remembered only capitalized inside a sentence of prose.
			if s.label[i]&labForced == 0 || s.mode == caseMixed && s.toks[i].shape != shapeTitle {
				continue
			}
			if seen == nil {
				seen = map[string]bool{}
			}
			seen[string(s.lowerKey(s.key[:0], i))] = false
			continue
		}
		if seen == nil {
			seen = map[string]bool{}
		}
		seen[string(s.lowerKey(s.key[:0], i))] = true
	}
	if seen == nil {
		return
	}
	for i := range s.toks {
		if s.label[i] != 0 || s.toks[i].kind != tokWord {
			continue
		}
		if f := s.toks[i].flags; !s.capital(i) && (f&(dictBit|commonBit|funcBit|stopBit) != 0 || wordLevel(f) > 0 ||
			s.toks[i].end-s.toks[i].start < 4) {
			continue // a name written again in lower case counts only if it is no word: "philippa is hcp"
		}
		if f := s.toks[i].flags; s.mode == caseMixed && s.toks[i].shape == shapeLower && (f&dictBit != 0 || wordLevel(f) > 0) {
			continue // "Will" named once does not make every "will" a name
		}
		if sure, ok := seen[string(s.lowerKey(s.key[:0], i))]; ok && (sure ||
			s.toks[i].shape == shapeTitle && s.toks[i].mark&markSentStart == 0 && !s.flag(i-1, funcBit) ||
			s.capital(i) && s.personVerbAfter(i)) {
			s.label[i] |= labName
		}
	}
}

// afterRolePunct: a name glued to a role or service by punctuation:
// "dtr->Roberta", "MD:Okafor", "son-Tony", "ortho/Kaminski", "vasc:
// Petrossian; pain svc: Okada", "husband(Phil)".
func (s *lexScan) afterRolePunct() {
	for i := 2; i < len(s.toks); i++ {
		if s.label[i] != 0 || !s.isWord(i) || !s.capital(i) {
			continue
		}
		t := s.toks[i]
		if s.mode == caseMixed && t.shape != shapeTitle || t.end-t.start < 3 ||
			t.flags&(funcBit|stopBit|stateBit|titleBit|relateBit|credBit|eponymBit|facilityBit|genericBit|greetBit) != 0 {
			continue
		}
		if !(s.cls[i] == clsUnk || s.cls[i] == clsStrong || s.cls[i] == clsCand && wordLevel(t.flags) < 2 && t.flags&commonBit == 0) {
			continue
		}
		p := i - 1
		for p > 0 && s.toks[p].kind == tokPunct && i-p <= 2 {
			c := s.text[s.toks[p].start]
			if c != ':' && c != '-' && c != '>' && c != '(' && c != '/' {
				break
			}
			p--
		}
		if p == i-1 || !s.isWord(p) {
			continue
		}
		k := s.lowerKey(s.key[:0], p)
		f := s.toks[p].flags
		if (f&(relateBit|titleBit|credBit) != 0 || kin(k)) && string(k) != "pt" && string(k) != "patient" {
			s.label[i] |= labName | labForced
			continue
		}
		// After a service ("vasc: Petrossian", "ortho/Kaminski") only a
		// word no dictionary knows, and not a section's first word
		// ("ID: AFEB", "GI: bland").
		n := t.end - t.start
		if s.cls[i] != clsUnk || n < 5 || s.mode != caseMixed && n < 6 || s.toks[p].mark&markLineStart != 0 ||
			p > 0 && (s.punct(p-1, '.') || s.punct(p-1, '\n')) {
			continue
		}
		if hospitalService(k) || serviceShorthand(k) {
			s.label[i] |= labName | labForced
			continue
		}
		switch string(k) {
		case "svc", "res", "vasc", "renal", "cards", "pain", "ho", "pgy", "team":
			s.label[i] |= labName | labForced
		}
	}
}

// pets: the name of a pet is not a person's: "my cat Duchess", "2 dogs
// (Max and Sunny)", "parrot Mr. Bojangles".
func (s *lexScan) pets() {
	for i := range s.toks {
		if !s.isWord(i) {
			continue
		}
		switch string(s.lowerKey(s.key[:0], i)) {
		case "cat", "cats", "dog", "dogs", "parrot", "bird", "puppy", "kitten", "pet", "pets", "horse", "pup",
			"kitty", "parakeet", "rabbit", "hamster":
		default:
			continue
		}
		// up to six tokens on: the names, "and", brackets, quotes, a title
		for k := i + 1; k < len(s.toks) && k <= i+6; k++ {
			if s.toks[k].kind == tokWord {
				w := string(s.lowerKey(s.key[:0], k))
				if w == "and" || w == "mr" || w == "mrs" || w == "miss" || w == "named" {
					continue
				}
				if s.label[k]&labName == 0 || !s.capital(k) {
					break
				}
				s.label[k] &^= labName | labForced
				continue
			}
			if s.toks[k].kind == tokNum {
				break
			}
			if c := s.text[s.toks[k].start]; c != '(' && c != ')' && c != '"' && c != '.' && c != ',' {
				break
			}
		}
	}
}

// personVerbAfter: a verb only a person does right after token i: "GRACE
// STATES", "Dot states", "PRICE ALSO WANTS".
func (s *lexScan) personVerbAfter(i int) bool {
	j := i + 1
	if s.isWord(j) && s.joined(i) && strings.EqualFold(s.word(j), "also") {
		j++
	}
	if !s.isWord(j) || !s.joined(j-1) {
		return false
	}
	switch string(s.lowerKey(s.key[:0], j)) {
	case "states", "stated", "says", "said", "wants", "wanted", "asks", "asked", "agrees", "agreed", "reports",
		"reported", "called", "calls", "visited", "drove", "brought", "requests", "requested", "feels", "prefers",
		"declined", "refuses", "refused", "understands", "verbalized", "verbalizes", "aware", "notified", "updated":
		return true
	}
	return false
}

// titleAt: "Dr", "Mrs." and the like before a name; in prose a lower-case
// "miss" or "sister" is a word.
func (s *lexScan) titleAt(i int) bool {
	if s.label[i]&labLoc != 0 {
		return false
	}
	if s.mode == caseMixed && s.toks[i].shape == shapeLower {
		w := s.word(i)
		return w == "dr" || w == "mr" || w == "mrs" || w == "ms"
	}
	if clinicalTitle(s.lowerKey(s.key[:0], i)) {
		// "SR" (sinus rhythm), "FR" (French gauge), "LT" (left), "COL"
		// (colon): a title only as "Sr.", "Fr.", "Lt.", "Col.".
		return s.toks[i].shape == shapeTitle && s.punct(i+1, '.')
	}
	return true
}

// clinicalTitle: abbreviated titles that are also clinical shorthand.
func clinicalTitle(k []byte) bool {
	switch string(k) {
	case "sr", "sra", "dra", "fr", "lt", "col", "capt", "sgt", "det":
		return true
	}
	return false
}

// weakTitle: titles that are also everyday nouns ("nurse life", "sister
// hospital", "the attending note"): without case, a common word after them
// is no name.
func weakTitle(k []byte) bool {
	switch string(k) {
	case "nurse", "sister", "miss", "attending", "doctor", "officer", "judge", "coach", "captain",
		"chaplain", "deputy", "commander":
		return true
	}
	return false
}

// notPerson: words a title stands before that name no one: "Dr. Google".
func notPerson(k []byte) bool {
	switch string(k) {
	case "google", "internet", "webmd", "chatgpt", "pepper", "who", "youtube", "tiktok":
		return true
	}
	return false
}

// nameWord: after a title, which words belong to the name.
func (s *lexScan) nameWord(j int) bool {
	if !s.isWord(j) || s.label[j]&labLoc != 0 {
		return false
	}
	if s.initial(j) {
		return true
	}
	if notPerson(s.lowerKey(s.key[:0], j)) {
		return false
	}
	if s.mode == caseMixed {
		sh := s.toks[j].shape
		if sh == shapeLower {
			return s.lowerName(j) // "dr smith"
		}
		return sh == shapeTitle || (sh == shapeUpper && s.toks[j].flags&(stopBit|credBit) == 0)
	}
	return s.cls[j] != clsNone
}

// lowerName: a name written in lower case in prose, after a title or a
// relation ("dr smith", "wife mary"): a dictionary name that is rarely a word.
func (s *lexScan) lowerName(j int) bool {
	f := s.toks[j].flags
	return (firstLevel(f) > 0 || lastLevel(f) > 0) && wordLevel(f) <= 1 &&
		f&(funcBit|stopBit|commonBit|stateBit|relateBit|titleBit|credBit|eponymBit) == 0 &&
		s.toks[j].end-s.toks[j].start >= 3
}

// prose finds names that only prose gives away: a first name that is also
// a word, capitalized inside a sentence ("since we lost Faith", "asks for
// Frank"), one that opens a sentence and says where the person is from
// ("Rich from the billing dept", "pat from church"), and one spoken to
// after thanks or love ("thank u Rich", "love you Will").
func (s *lexScan) prose() {
	if s.mode != caseMixed {
		return
	}
	for i := range s.toks {
		if s.label[i] != 0 || s.toks[i].kind != tokWord {
			continue
		}
		t := s.toks[i]
		f := t.flags
		if s.andI(i) {
			s.label[i] |= labName
			continue
		}
		if firstLevel(f) < 2 || t.end-t.start < 3 || f&(funcBit|stopBit|stateBit|eponymBit|titleBit|credBit|relateBit|
			facilityBit|genericBit|streetBit|greetBit|weakRelBit) != 0 {
			continue
		}
		switch {
		case t.shape == shapeTitle && t.mark&markSentStart == 0 && s.isWord(i-1) && s.joined(i-1) &&
			s.toks[i-1].shape == shapeLower && wordLevel(f) < 3 && !(s.isWord(i+1) && s.joined(i) && s.capital(i+1)):
			// inside a sentence, after a lower-case word, not starting a
			// capitalized run (a place, a title, a brand)
			s.label[i] |= labName
		case (t.mark&markSentStart != 0 || i == 0) && t.shape == shapeTitle && s.isWord(i+1) && s.joined(i) &&
			s.toks[i+1].shape == shapeTitle && s.label[i+1] == 0 && s.cls[i+1] == clsUnk && s.toks[i+1].end-s.toks[i+1].start >= 4:
			s.mark(i, i+1, labName) // "Hope Delacroix you are a LEGEND"
		case (t.mark&markSentStart != 0 || i == 0) && s.isWord(i+1) && s.joined(i) && strings.EqualFold(s.word(i+1), "from") &&
			s.isWord(i+2) && s.joined(i+1):
			switch string(s.lowerKey(s.key[:0], i+2)) {
			case "my", "the", "our", "church", "work", "school", "his", "her", "next", "down", "across", "group":
				s.label[i] |= labName
			}
		case i >= 2 && s.joined(i-1) && s.joined(i-2) && s.isWord(i-1) && s.isWord(i-2) && (t.shape == shapeTitle || wordLevel(f) < 2):
			you, verb := s.word(i-1), s.word(i-2)
			if (strings.EqualFold(you, "you") || strings.EqualFold(you, "u") || strings.EqualFold(you, "ya")) &&
				(strings.EqualFold(verb, "thank") || strings.EqualFold(verb, "love") || strings.EqualFold(verb, "miss") || strings.EqualFold(verb, "bless")) &&
				(i+1 >= len(s.toks) || !s.isWord(i+1) || !s.joined(i)) {
				s.label[i] |= labName
			}
		}
	}
}

// andI: "Oluwaseun and I got married", "me and Tigist": a capitalized
// word beside "and I" or "me and" is a person, unless it is a word anyone
// writes in capitals (a place, a month, a title).
func (s *lexScan) andI(i int) bool {
	t := s.toks[i]
	if t.shape != shapeTitle || t.end-t.start < 3 || t.flags&(funcBit|stopBit|stateBit|titleBit|relateBit|facilityBit|genericBit|greetBit) != 0 ||
		wordLevel(t.flags) >= 2 && firstLevel(t.flags) < 2 {
		return false
	}
	if s.isWord(i+2) && s.joined(i) && s.joined(i+1) && strings.EqualFold(s.word(i+1), "and") && s.word(i+2) == "I" {
		return true
	}
	return i >= 2 && s.joined(i-1) && s.joined(i-2) && strings.EqualFold(s.word(i-1), "and") && strings.EqualFold(s.word(i-2), "me")
}

// titleNameShape: after a doctor's title, a surname with a particle
// ("al-Hashimi", "el-Amin", "van-Dyke") or a lone initial standing for the
// name ("dr k is the only one").
func (s *lexScan) titleNameShape(i, j int) bool {
	switch string(s.lowerKey(s.key[:0], i)) {
	case "dr", "doctor", "dra":
	default:
		return false
	}
	w := s.word(j)
	if h := strings.IndexByte(w, '-'); h > 0 && h < 4 && h+1 < len(w) && isUpperByte(w[h+1]) {
		switch strings.ToLower(w[:h]) {
		case "al", "el", "ul", "bin", "ben", "ibn", "abu", "van", "von", "de", "di", "da", "du", "le", "la", "st":
			return true
		}
	}
	if len(w) == 1 && isLetterByte(w[0]) && !s.punct(j+1, '.') && s.isWord(j+1) && s.joined(j) && s.toks[j+1].shape == shapeLower {
		return true
	}
	return false
}

func isUpperByte(c byte) bool  { return c >= 'A' && c <= 'Z' }
func isLetterByte(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// nurseCredential: credentials written before a name as a job ("RN Dana").
func nurseCredential(w string) bool {
	switch w {
	case "RN", "LPN", "RRT", "CNA", "rn", "lpn", "rrt", "cna", "Rn":
		return true
	}
	return false
}

// initialName labels "J. OKWUOSA" at j: an initial with its period and a
// surname that is no everyday word, after a relation or title.
func (s *lexScan) initialName(j int) bool {
	t := s.toks[j]
	if t.end-t.start != 1 || !s.capital(j) || !s.punct(j+1, '.') || !s.isWord(j+2) || !s.capital(j+2) {
		return false
	}
	f := s.toks[j+2].flags
	if f&(funcBit|stopBit|stateBit|relateBit|titleBit|credBit|eponymBit) != 0 || s.toks[j+2].end-s.toks[j+2].start < 3 {
		return false
	}
	if c := s.cls[j+2]; c == clsNone || (c == clsCand && wordLevel(f) >= 2) {
		return false
	}
	s.mark(j, j+2, labName)
	s.label[j+2] |= labForced
	return true
}

// lowerRoleName: a lower-case name after a relation, title or job: a word
// that is no word at all ("chaplain ogunleye", "np quiñones"), or, after a
// relative, a first name that is also a word ("granddaughter faith",
// "daughter-in-law joy") unless a verb reading follows ("daughter hope to").
func (s *lexScan) lowerRoleName(i, j int) bool {
	key := s.lowerKey(s.key[:0], i)
	isKin := kin(key) || bytes.HasSuffix(key, []byte("-in-law"))
	role := isKin || staffRole(key) || s.toks[i].flags&(titleBit|credBit) != 0
	if !role || string(key) == "pt" || string(key) == "patient" || s.toks[i].mark&markPossessive != 0 {
		return false // "son's epipen" belongs to him
	}
	t := s.toks[j]
	f := t.flags
	n := t.end - t.start
	if f&(funcBit|stopBit|stateBit|relateBit|titleBit|credBit|eponymBit|weakRelBit|greetBit) != 0 || lexHasDigit(s.word(j)) || lexHasHyphen(s.word(j)) {
		return false
	}
	k := s.lowerKey(s.key[:0], j)
	if f&(dictBit|commonBit|properBit) == 0 && wordLevel(f) == 0 && n >= 4 && !drugLike(k) && !clinicalTerm(k) &&
		!hospitalService(k) && !serviceShorthand(k) {
		return true
	}
	if !isKin || firstLevel(f) < 2 || n < 3 || wordLevel(f) >= 3 {
		return false
	}
	if s.isWord(j+1) && s.joined(j) {
		switch string(s.lowerKey(s.key[:0], j+1)) {
		case "to", "that", "for", "you", "it", "the", "a", "and":
			return false // "daughter hope to visit", "wife bill for"
		}
	}
	return true
}

// lowerTitled: in prose, after a lower-case "dr" or "mrs" (the only
// lower-case titles titleAt takes), a lower-case word that is a name or no
// word at all: "dr mwangi", "dr gold".
func (s *lexScan) lowerTitled(j int) bool {
	f := s.toks[j].flags
	if f&(funcBit|stopBit|stateBit|relateBit|titleBit|credBit|eponymBit|weakRelBit) != 0 || s.toks[j].end-s.toks[j].start < 3 || lexHasDigit(s.word(j)) {
		return false
	}
	if f&(dictBit|properBit) == 0 && wordLevel(f) == 0 {
		return !drugLike(s.lowerKey(s.key[:0], j))
	}
	return (firstLevel(f) >= 2 || lastLevel(f) >= 2) && f&dictBit == 0 || lastLevel(f) == 3 || firstLevel(f) == 3
}

func (s *lexScan) afterTitle(i int) {
	j := i + 1
	if s.punct(j, '.') {
		j++
	}
	if j >= len(s.toks) || !s.joined(j-1) {
		return
	}
	if s.isWord(j) && weakTitle(s.lowerKey(s.key[:0], i)) {
		// "nurse life", "NURSE PRACTITIONER", "Chaplain Services": an
		// everyday word is no name.
		f := s.toks[j].flags
		if wordLevel(f) >= 2 && firstLevel(f) < 2 && s.cls[j] != clsStrong {
			return
		}
		if f&dictBit != 0 && f&properBit == 0 && firstLevel(f) == 0 && lastLevel(f) == 0 {
			return
		}
	}
	if s.mode == caseMixed && s.isWord(j) && s.toks[j].shape == shapeLower && s.label[j] == 0 && !s.lowerName(j) && s.lowerTitled(j) {
		s.label[j] |= labName | labForced // "dr mwangi", "dr gold told me"
		return
	}
	if s.isWord(j) && s.label[j] == 0 && s.titleNameShape(i, j) {
		s.label[j] |= labName | labForced // "dr al-Hashimi", "Dr. K"
		return
	}
	for n := 0; n < 3 && s.nameWord(j); n++ {
		s.label[j] |= labName | labForced
		if s.initial(j) && s.punct(j+1, '.') {
			j++
		}
		if !s.joined(j) {
			break
		}
		j++
	}
}

// afterRelation: "wife Mary", "patient John Smith", "Hi Sarah", "named X".
func (s *lexScan) afterRelation(i int) {
	j := i + 1
	if s.punct(j, ',') || s.punct(j, ':') || s.punct(j, '-') {
		j++
	}
	if s.punct(j, '(') && s.punct(j+2, ')') && s.isWord(j+1) && s.label[j+1] == 0 && s.toks[i].flags&relateBit != 0 {
		// "wife (Hope)", "daughter (mary)": a name in brackets after a
		// relation, whatever its case, unless it is a function word.
		f := s.toks[j+1].flags
		if f&(funcBit|titleBit|credBit|relateBit|stateBit) == 0 && s.toks[j+1].kind == tokWord &&
			(firstLevel(f) >= 1 || s.cls[j+1] == clsUnk) && s.toks[j+1].end-s.toks[j+1].start >= 2 {
			s.label[j+1] |= labName | labForced
		}
		return
	}
	if !s.isWord(j) || !s.joined(j-1) || s.label[j] != 0 {
		return
	}
	if s.relationName(i, j) {
		return
	}
	if s.initialName(j) {
		return // "SON J. OKWUOSA", "wife M. Alvarez"
	}
	if !s.capital(j) {
		if s.lowerName(j) && firstLevel(s.toks[j].flags) >= 2 && s.toks[i].flags&relateBit != 0 {
			s.label[j] |= labName | labForced // "wife mary"
		} else if f := s.toks[j].flags; f&stopBit != 0 && f&funcBit == 0 && firstLevel(f) >= 2 && s.toks[j].end-s.toks[j].start >= 4 &&
			kin(s.lowerKey(s.key[:0], i)) && !(j+1 < len(s.toks) && s.toks[j+1].kind == tokNum) {
			s.label[j] |= labName | labForced // "wife april at bedside", but not "son may"
		} else if s.lowerRoleName(i, j) {
			s.label[j] |= labName | labForced // "chaplain ogunleye", "granddaughter faith (7 yo)"
		}
		return
	}
	t := s.toks[j]
	c, n := s.cls[j], t.end-t.start
	if staffRole(s.lowerKey(s.key[:0], i)) {
		// "interpreter Fátima", "aide Nadège", but not "Interpreter
		// Services", "TECH DREW LABS": after a job, only a word that is
		// hardly an everyday one.
		f := t.flags
		if !(c == clsStrong || (c == clsUnk && n >= 3) ||
			(c == clsCand && wordLevel(f) <= 1 && f&commonBit == 0 && (f&dictBit == 0 || f&properBit != 0)) ||
			(c == clsCand && s.mode == caseMixed && t.shape == shapeTitle && firstLevel(f) >= 2)) {
			return // but "sponsor Dusty", "my tech Ray"
		}
	}
	if s.mode == caseMixed {
		if t.shape != shapeTitle && !(t.shape == shapeUpper && n >= 4) {
			return // "pt's IP", "wife RN"
		}
		// "wife June", "daughter May", but not "son May 3".
		if c == clsNone && t.flags&(stopBit|funcBit) != 0 && firstLevel(t.flags) >= 2 && !(j+1 < len(s.toks) && s.toks[j+1].kind == tokNum) {
			c = clsCand
		}
	} else if c == clsCand && (wordLevel(t.flags) >= 2 || t.flags&(commonBit|dictBit) != 0) && firstLevel(t.flags) < 2 {
		return // "PT WORKS AS", "PT STATES", but "GIRLFRIEND DESTINY"
	} else if c == clsNone && t.flags&stopBit != 0 && t.flags&funcBit == 0 && firstLevel(t.flags) >= 2 &&
		kin(s.lowerKey(s.key[:0], i)) && !(j+1 < len(s.toks) && s.toks[j+1].kind == tokNum) {
		c = clsCand // "SISTER AUGUST", "daughter june", but not "son may"
	}
	if c >= clsCand || (c == clsUnk && n >= 3) {
		s.label[j] |= labName | labForced
	}
}

// relationName reads the shapes after a relation that name someone whatever
// the word: "WIFE MAY MAY COME IN" (a modal said twice: the first is her
// name), "son bill said", "wife sunny notified" (a verb people do next),
// "SISTER IS FAITH", "BABY GIRL ADEBAYO".
func (s *lexScan) relationName(i, j int) bool {
	if s.toks[i].flags&relateBit == 0 {
		return false
	}
	rel := s.lowerKey(s.key[:0], i)
	if string(rel) == "baby" {
		// "BABY GIRL ADEBAYO", "baby boy Nguyen": a newborn's name.
		if w := strings.ToLower(s.word(j)); (w == "girl" || w == "boy") && s.joined(j) && s.isWord(j+1) && s.label[j+1] == 0 {
			if f := s.toks[j+1].flags; f&(funcBit|stopBit|relateBit|titleBit|credBit) == 0 && s.capital(j+1) &&
				(s.mode != caseMixed || s.toks[j+1].shape != shapeLower) && s.toks[j+1].end-s.toks[j+1].start >= 2 {
				s.label[j+1] |= labName | labForced
			}
			return true // "BABY GIRL IN NICU": no name, and "GIRL" is none
		}
		return false
	}
	isKin := kin(rel)
	f := s.toks[j].flags
	n := s.toks[j].end - s.toks[j].start
	if isKin && f&funcBit != 0 && firstLevel(f) >= 1 && s.joined(j) && s.isWord(j+1) && s.word(j) == s.word(j+1) {
		s.label[j] |= labName | labForced
		return true
	}
	if isKin && (s.word(j) == "is" || s.word(j) == "IS") && s.joined(j) && s.isWord(j+1) && s.label[j+1] == 0 {
		k := j + 1
		if g := s.toks[k].flags; firstLevel(g) >= 2 && g&(funcBit|stopBit|stateBit|relateBit|titleBit|credBit) == 0 &&
			(s.mode != caseMixed || s.toks[k].shape == shapeTitle) {
			s.label[k] |= labName | labForced
			return true
		}
		return false
	}
	if f&funcBit != 0 && isKin && firstLevel(f) >= 1 && f&(stateBit|titleBit|credBit|relateBit) == 0 && s.joined(j) && s.isWord(j+1) &&
		(personNext(s.lowerKey(s.key[:0], j+1)) || s.cameIn(j+1)) {
		s.label[j] |= labName | labForced // "WIFE MAY CALLED", "son will visited": a modal before no verb
		return true
	}
	if f&(funcBit|stopBit|stateBit|titleBit|credBit|relateBit|eponymBit) != 0 || n < 3 || lexHasDigit(s.word(j)) {
		return false
	}
	if s.mode == caseMixed && s.toks[j].shape != shapeLower && s.toks[j].shape != shapeTitle {
		return false
	}
	unknown := f&(dictBit|properBit) == 0 && wordLevel(f) == 0
	if !(firstLevel(f) >= 2 || (isKin && (firstLevel(f) >= 1 || unknown) && wordLevel(f) <= 1)) {
		return false
	}
	if !isKin && !staffRole(rel) {
		return false // "pt rich said"
	}
	if !s.joined(j) || !s.isWord(j+1) || !personNext(s.lowerKey(s.key[:0], j+1)) {
		return false
	}
	s.label[j] |= labName | labForced
	return true
}

// cameIn: "in to visit", "in from Ohio", "at bedside", "here": where a
// visitor is, which no modal verb comes before ("WIFE MAY IN TO VISIT").
func (s *lexScan) cameIn(k int) bool {
	w := strings.ToLower(s.word(k))
	if w == "here" {
		return true
	}
	if (w != "in" && w != "at") || !s.joined(k) || !s.isWord(k+1) {
		return false
	}
	switch strings.ToLower(s.word(k + 1)) {
	case "to", "from", "today", "tonight", "bedside", "this":
		return true
	}
	return false
}

// personNext: verbs a relative or a clinician does, after their name.
func personNext(k []byte) bool {
	switch string(k) {
	case "said", "says", "called", "calls", "phoned", "visited", "visiting", "notified", "updated",
		"aware", "stated", "states", "asked", "asks", "wants", "requests", "requested", "reports",
		"reported", "brought", "came", "left", "spoke", "following", "consented", "agrees", "agreed",
		"arrived", "arriving", "drove", "flew":
		return true
	}
	return false
}

// staffRole: jobs named before a person ("interpreter", "aide", "SW"),
// which are also the first words of services ("Interpreter Services").
func staffRole(k []byte) bool {
	switch string(k) {
	case "interpreter", "translator", "sponsor", "aide", "sitter", "counselor", "counsellor",
		"coordinator", "dietitian", "dietician", "pharmacist", "landlord", "landlady", "tech",
		"technician", "manager", "worker", "sw", "cm", "preceptor", "doula", "midwife", "housemate",
		"companion", "nanny", "babysitter", "liaison", "advocate", "chaplain", "imam", "hygienist", "receptionist",
		"reception", "stocker", "cashier", "phlebotomist", "scheduler":
		return true
	}
	return false
}

// kin: relations by family or household, after which a first name that
// is also a month or a clinical word is still a name.
func kin(k []byte) bool {
	switch string(k) {
	case "wife", "husband", "son", "daughter", "dtr", "dau", "mother", "father", "mom", "dad", "sister",
		"brother", "niece", "nephew", "aunt", "uncle", "cousin", "grandson", "granddaughter",
		"grandmother", "grandfather", "girlfriend", "boyfriend", "fiance", "fiancee", "partner", "spouse",
		"stepson", "stepdaughter", "sis", "bro", "gf", "bf", "friend", "neighbor", "neighbour", "twin":
		return true
	}
	return false
}

// afterName: "My name is Rubija", "Name: Kamila Červinková", "last name? X".
func (s *lexScan) afterName(i int) {
	w := s.word(i)
	if w != "name" && w != "Name" && w != "NAME" && w != "names" {
		return
	}
	j := i + 1
	if s.isWord(j) && (s.word(j) == "is" || s.word(j) == "IS" || s.word(j) == "was" || s.word(j) == "WAS") || s.punct(j, ':') || s.punct(j, '?') {
		k := j + 1
		if s.isWord(k) && s.toks[k].shape == shapeLower && s.joined(j) && s.label[k] == 0 {
			// "my name is krithika": lower case is no evidence here.
			if f := s.toks[k].flags; s.cls[k] == clsUnk || (f&(funcBit|stopBit) == 0 && wordLevel(f) < 2 && (firstLevel(f) > 0 || lastLevel(f) > 0)) {
				s.label[k] |= labName | labForced
			}
			return
		}
		s.afterRelation(j)
	}
}

func lexHasDigit(w string) bool {
	for k := 0; k < len(w); k++ {
		if lexDigit(w[k]) {
			return true
		}
	}
	return false
}

// afterWeakRelation: without case, "spoke with JOHN" needs a real name.
func (s *lexScan) afterWeakRelation(i int) {
	if w := s.word(i); w == "for" || w == "FOR" {
		return // "TO OR FOR BURR HOLES"
	}
	j := i + 1
	if !s.isWord(j) || !s.joined(i) || s.label[j] != 0 || s.cls[j] != clsCand {
		return
	}
	f := s.toks[j].flags
	if (firstLevel(f) >= 2 || lastLevel(f) >= 2) && wordLevel(f) <= 2 && f&commonBit == 0 {
		s.label[j] |= labName
	}
}

// afterPersonVerb: after a verb of reaching a person ("paged", "notified",
// "per", "spoke with", "d/w"), an unknown word is a clinician's name:
// "paged Oyelaran", "PER TZANAKAKIS", "spoke with nwachukwu".
func (s *lexScan) afterPersonVerb(i int) {
	j := i + 1
	if !s.isWord(j) || !s.joined(i) || s.label[j] != 0 {
		return
	}
	if g := s.toks[j].flags; s.cls[j] != clsUnk && !(s.cls[j] == clsCand && wordLevel(g) == 0 && g&(dictBit|commonBit) == 0) {
		return
	}
	t := s.toks[j]
	n := t.end - t.start
	switch {
	case s.mode == caseMixed && (t.shape != shapeTitle || isASCIIUpper(s.text[t.start+1])):
		return // "per ARDSnet"
	case s.mode == caseUpper && n < 5, s.mode == caseLower && n < 5, n < 3:
		return // "PER HO", "WITH MVI"
	}
	if drugLike(s.lowerKey(s.key[:0], j)) {
		return
	}
	b := s.lowerKey(s.key[:0], i)
	isW := len(b) == 1 && b[0] == 'w'
	switch string(b) {
	case "per", "paged", "notified", "informed", "contacted", "told", "asked", "met", "dw", "called":
	case "with", "to", "w":
		// "spoke with", "discussed with", "talked to", "d/w": with a verb of
		// speaking before it.
		p := i - 1
		if isW {
			if !s.punct(p, '/') || !s.isWord(p-1) || (s.word(p-1) != "d" && s.word(p-1) != "D") {
				return
			}
			break
		}
		if !s.isWord(p) || !s.joined(p) {
			return
		}
		switch string(s.lowerKey(s.key[:0], p)) {
		case "spoke", "speak", "spoken", "talked", "talk", "discussed", "discuss", "reviewed", "review",
			"met", "consulted", "conferred", "signed", "handed", "report", "reported", "given":
		default:
			return
		}
	default:
		return
	}
	s.label[j] |= labName | labForced
}

// drugLike: an unknown word spelled like a drug's generic name
// ("ceftaroline", "daptomycin", "ondansetron"), which is no person.
func drugLike(k []byte) bool {
	w := string(k)
	if len(w) < 6 {
		return false
	}
	for _, suf := range drugSuffixes {
		if strings.HasSuffix(w, suf) {
			return true
		}
	}
	return false
}

// prefixedSurname: a surname with a particle written in mixed case, the
// rest in capitals: "DeLUCA", "McDONALD", "LaFLEUR", "MacINTYRE", "VanDYKE".
func prefixedSurname(w string) bool {
	for _, p := range []string{"Mac", "Mc", "De", "Di", "Da", "La", "Le", "Van", "Von", "Du", "St", "O'"} {
		if len(w) >= len(p)+3 && w[:len(p)] == p {
			rest := w[len(p):]
			for k := 0; k < len(rest); k++ {
				if rest[k] < 'A' || rest[k] > 'Z' {
					return false
				}
			}
			return true
		}
	}
	return false
}

// clinicalTerm: an unknown word built like a medical term ("cholangitis",
// "pancolectomy", "discontinuity") is neither a name nor a place.
func clinicalTerm(k []byte) bool {
	w := string(k)
	if len(w) < 7 {
		return false
	}
	for _, suf := range termSuffixes {
		if strings.HasSuffix(w, suf) {
			return true
		}
	}
	return false
}

var termSuffixes = []string{
	"itis", "osis", "oses", "emia", "aemia", "ectomy", "otomy", "ostomy", "plasty", "pathy", "algia",
	"ology", "ologist", "ologists", "scopy", "graphy", "gram", "penia", "philia", "plegia", "paresis",
	"trophy", "uria", "rrhea", "rrhage", "cele", "oma", "omas", "iasis", "tinuity", "ality", "ivity",
	"ization", "isation", "ectasis", "megaly", "lysis",
}

var drugSuffixes = []string{
	"mycin", "micin", "cillin", "cycline", "floxacin", "oxacin", "conazole", "prazole", "azole",
	"pril", "sartan", "olol", "alol", "dipine", "statin", "tidine", "parin", "xaban", "gatran",
	"ximab", "zumab", "umab", "tinib", "ciclib", "ovir", "navir", "zepam", "zolam", "azine", "triptan",
	"olone", "sone", "lukast", "gliptin", "glutide", "gliflozin", "dronate", "profen", "fenac",
	"coxib", "codone", "morphone", "caine", "curium", "curonium", "terol", "tropium", "afil",
	"semide", "thiazide", "phylline", "barbital", "etam", "gabalin", "oxetine", "faxine",
	"triptyline", "ipramine", "peridol", "apine", "idone", "setron", "teplase", "kinase", "penem",
	"bactam", "taroline", "cef", "sulfa", "vastatin", "lol", "mab", "nib", "parinux", "dopa",
	"amine", "trexate", "platin", "rubicin", "taxel", "mustine", "tecan", "pentin", "quine",
	"dronabinol", "zosin", "azosin", "sterone", "estradiol", "thyroxine", "insulin", "ase",
}

// beforeCredential: "John Smith, MD", "SMITH RN".
func (s *lexScan) beforeCredential(i int) {
	if s.toks[i].shape == shapeLower && s.mode == caseMixed {
		return
	}
	j := i - 1
	comma := s.punct(j, ',')
	if comma {
		j--
	}
	if s.word(i) == "DO" && !comma {
		return
	}
	for n := 0; n < 3 && j >= 0 && s.isWord(j) && s.joined(j) && s.label[j]&(labLoc|labNot) == 0; n++ {
		if c := s.cls[j]; c == clsNone && !s.initial(j) {
			break
		}
		if s.mode == caseMixed && s.toks[j].shape != shapeTitle && !s.initial(j) {
			break // "OPAT RN": an abbreviation, not a name
		}
		s.label[j] |= labName | labForced
		j--
		if s.punct(j, '.') && j > 0 && s.initial(j-1) {
			j--
		}
	}
}

// afterCredential: "RN Oluwaseun", "NP Adeyemi" name the clinician after
// the credential.
func (s *lexScan) afterCredential(i int) {
	if (s.toks[i].shape != shapeUpper && s.toks[i].shape != shapeMixed) || s.word(i) == "DO" || s.word(i) == "PA" {
		return
	}
	j := i + 1
	if !s.isWord(j) || !s.joined(i) || s.label[j] != 0 {
		return
	}
	if s.mode == caseMixed && s.toks[j].shape != shapeTitle {
		return
	}
	if c := s.cls[j]; c == clsStrong || c == clsUnk || (c == clsCand && s.mode == caseMixed) {
		s.label[j] |= labName | labForced
	}
}

// signature: a line that is only a name, after a dash ("- Sarah") or after
// a sign-off line ("Thanks,").
func (s *lexScan) signature() {
	for i := range s.toks {
		if s.toks[i].mark&markLineStart == 0 {
			continue
		}
		j := i
		dash := s.punct(j, '-') || (s.toks[j].kind == tokPunct && s.text[s.toks[j].start] == 0xE2)
		if dash {
			j++
		}
		if !dash && !(i > 1 && s.flag(i-2, greetBit) && s.punct(i-1, ',')) {
			continue
		}
		if s.isWord(j) && s.cls[j] >= clsCand && s.label[j] == 0 {
			s.label[j] |= labName
		}
	}
	s.initialsAtEnd()
}

// initialsAtEnd: a note signed with initials after a dash or an arrow,
// "-kf", "-->JKR", "->MK, RN", "->J.B.", "--jd/rn": the last words of the
// text.
func (s *lexScan) initialsAtEnd() {
	last := -1
	for k := len(s.toks) - 1; k >= 0; k-- {
		if s.isWord(k) {
			last = k
			break
		}
	}
	if last < 0 {
		return
	}
	// step back over a trailing credential: ", RN", "/rn"
	if nurseCredential(s.word(last)) || strings.EqualFold(s.word(last), "md") {
		k := last - 1
		for k >= 0 && s.toks[k].kind == tokPunct && (s.punct(k, ',') || s.punct(k, '/')) {
			k--
		}
		if k < 0 || !s.isWord(k) {
			return
		}
		last = k
	}
	first := last
	// "J.B.": letters and periods
	for first >= 2 && s.punct(first-1, '.') && s.isWord(first-2) && len(s.word(first-2)) == 1 {
		first -= 2
	}
	w := s.word(first)
	if first == last && (len(w) < 2 || len(w) > 3 || s.label[first] != 0) {
		return
	}
	p := first - 1
	if p < 0 || s.toks[p].kind != tokPunct {
		return
	}
	if c := s.text[s.toks[p].start]; c != '-' && c != '>' {
		return
	}
	for k := first; k <= last; k++ {
		if s.isWord(k) {
			s.label[k] |= labName
		}
	}
}

// spread extends names to their neighbours: "Hope Jones", "J. Smith",
// "Szabina J Gelencsér", "John Kowalczyk".
func (s *lexScan) spread() {
	for pass := 0; pass < 2; pass++ {
		for i := range s.toks {
			if s.label[i]&labName == 0 {
				continue
			}
			s.extend(i, i+1, i)
		}
		for i := len(s.toks) - 1; i >= 0; i-- {
			if s.label[i]&labName == 0 {
				continue
			}
			s.extend(i, i-1, i-1)
		}
	}
	s.lists()
	s.listsBack()
	if s.mode != caseMixed {
		return
	}
	s.firstLast()
	s.upperPair()
	// Two unknown capitalized words in a row, or around an initial, in
	// prose: "Krisztián Szöllösy", "Faina D. Yefremova".
	for i := 0; i+1 < len(s.toks); i++ {
		if s.cls[i] != clsUnk || s.label[i] != 0 || !s.joined(i) || s.toks[i].shape != shapeTitle {
			continue
		}
		j := i + 1
		if s.initial(j) {
			if s.punct(j+1, '.') {
				j++
			}
			if !s.joined(j) {
				continue
			}
			j++
		}
		if j < len(s.toks) && s.cls[j] == clsUnk && s.label[j] == 0 && s.toks[j].shape == shapeTitle {
			for k := i; k <= j; k++ {
				if s.isWord(k) {
					s.label[k] |= labName
				}
			}
		}
	}
}

// listsBack: "Gaetane, Hannah, Anthony": an unknown capitalized word
// before a comma or "and" and a name is one too.
func (s *lexScan) listsBack() {
	for k := len(s.toks) - 1; k >= 2; k-- {
		if s.label[k]&labName == 0 || s.toks[k].kind != tokWord {
			continue
		}
		j := k - 1
		if !s.punct(j, ',') && !(s.isWord(j) && (s.word(j) == "and" || s.word(j) == "AND")) {
			continue
		}
		i := j - 1
		if !s.isWord(i) || !s.joined(i) || !s.joined(j) || s.label[i] != 0 || s.cls[i] != clsUnk || !s.capital(i) ||
			(s.mode == caseMixed && s.toks[i].shape != shapeTitle) || s.toks[i].end-s.toks[i].start < 3 {
			continue
		}
		s.label[i] |= labName
	}
}

// lists: names named together, "daughters Greta and Ingrid", "Okwuosa,
// Chidinma", "SMITH, JOHN": after a name that context or the dictionary
// vouches for, a capitalized candidate after "and" or a comma is one too.
func (s *lexScan) lists() {
	for i := 0; i+2 < len(s.toks); i++ {
		if s.label[i]&labName == 0 || (s.label[i]&labForced == 0 && s.cls[i] != clsStrong) {
			continue
		}
		j := i + 1
		if !s.punct(j, ',') && !s.punct(j, '&') && !(s.isWord(j) && (s.word(j) == "and" || s.word(j) == "AND")) {
			continue
		}
		k := j + 1
		if !s.joined(i) || !s.joined(j) || !s.isWord(k) || s.label[k]&(labLoc|labNot) != 0 || !s.capital(k) {
			continue
		}
		if s.mode == caseMixed && s.toks[k].shape != shapeTitle && !(s.toks[k].shape == shapeUpper && s.toks[i].shape == shapeUpper) {
			continue
		}
		c := s.cls[k]
		g := s.toks[k].flags
		if c == clsStrong || (c == clsCand && (s.mode == caseMixed || firstLevel(g) >= 2 || (wordLevel(g) == 0 && g&(dictBit|commonBit) == 0))) ||
			(c == clsUnk && s.toks[k].end-s.toks[k].start >= 3) {
			s.label[k] |= labName | s.label[i]&labForced
			// "Okwuosa, Chidinma", "SMITH, JOHN": one name, surname first,
			// when it is not a list ("Hannah, Anthony and Derek").
			if s.punct(j, ',') && (i == 0 || s.label[i-1]&labName == 0) && !s.punct(i-1, ',') &&
				!s.punct(k+1, ',') && !(s.isWord(k+1) && (s.word(k+1) == "and" || s.word(k+1) == "AND")) &&
				firstLevel(s.toks[k].flags) >= firstLevel(s.toks[i].flags) {
				s.label[j] |= labName
			}
		}
	}
}

// upperPair: in prose, "DELACROIX, EMMANUEL" or "SMITH JOHN" written in
// capitals, a surname and a first name, as on a name band or a header.
func (s *lexScan) upperPair() {
	for i := 0; i+2 < len(s.toks); i++ {
		j := i + 1
		if s.punct(j, ',') {
			j++
		}
		a, b := s.toks[i], s.toks[j]
		if a.kind != tokWord || b.kind != tokWord || a.shape != shapeUpper || b.shape != shapeUpper ||
			a.end-a.start < 3 || b.end-b.start < 3 || !s.joined(i) || !s.joined(j-1) ||
			s.label[i] != 0 || s.label[j] != 0 || s.cls[i] == clsNone || s.cls[j] == clsNone {
			continue
		}
		if firstLevel(b.flags) >= 2 || firstLevel(a.flags) >= 2 {
			for k := i; k <= j; k++ {
				s.label[k] |= labName
			}
		}
	}
}

// firstLast: two capitalized candidates, a first name then a surname that
// is not an everyday word, make a name: "Mark Brown", "Will Smith".
func (s *lexScan) firstLast() {
	for i := 0; i+1 < len(s.toks); i++ {
		j := i + 1
		if s.cls[i] != clsCand || s.label[i] != 0 || s.label[j] != 0 || !s.joined(i) ||
			s.toks[i].shape != shapeTitle || s.toks[j].shape != shapeTitle || s.cls[j] < clsCand {
			continue
		}
		f, g := s.toks[i].flags, s.toks[j].flags
		if firstLevel(f) >= 2 && lastLevel(g) >= 2 && wordLevel(g) <= 1 && (g&dictBit == 0 || g&properBit != 0) {
			s.label[i] |= labName
			s.label[j] |= labName
		}
	}
}

// extend labels token j, a neighbour of name token i, when it can be part
// of the same name; gap is the token before the join between them.
func (s *lexScan) extend(i, j, gap int) {
	if j < 0 || j >= len(s.toks) {
		return
	}
	if s.punct(j, '.') && j > 0 && j < i && s.initial(j-1) {
		// "J. Smith": step over the full stop to the initial.
		gap, j = j-1, j-1
	}
	if !s.joined(gap) || !s.isWord(j) || s.label[j] != 0 {
		return
	}
	if j > i && s.initial(i) && s.punct(i+1, '.') {
		return
	}
	switch {
	case s.initial(j):
		s.label[j] |= labName
	case s.cls[j] == clsCand || s.cls[j] == clsStrong:
		if f := s.toks[j].flags; s.mode != caseMixed && s.cls[j] == clsCand && wordLevel(f) >= 2 &&
			!(firstLevel(f) >= 2 && wordLevel(f) <= 2 && f&commonBit == 0) {
			return // without case, "MARY RE PLAN", "SMITH AWARE": an everyday word ends the name
		}
		if s.capital(j) {
			s.label[j] |= labName
		}
	case s.cls[j] == clsUnk:
		if s.mode == caseMixed || s.toks[j].end-s.toks[j].start >= 4 {
			s.label[j] |= labName
		}
	}
}

// dropEponyms unlabels names used for diseases, signs, devices and
// organizations: "Parkinson's disease", "Foley catheter", "Smith College".
func (s *lexScan) dropEponyms() {
	for i := 0; i < len(s.toks); {
		if s.label[i]&labName == 0 {
			i++
			continue
		}
		j, forced := i, false
		for j < len(s.toks) && (s.label[j]&labName != 0 || (s.punct(j, '.') && j+1 < len(s.toks) && s.label[j+1]&labName != 0)) {
			forced = forced || s.label[j]&labForced != 0
			j++
		}
		next := j
		if s.punct(next, '-') || s.punct(next, '\'') {
			next++ // "Guillain-Barre", "Graves' disease"
		}
		// "Hunt-Hess 3", "Braden 16": a score, not a person.
		if !forced && j == i+1 && next < len(s.toks) && s.toks[next].kind == tokNum && s.joined(i) {
			s.label[i] &^= labName
			i = j
			continue
		}
		f := uint32(0)
		if s.isWord(next) && s.joined(next-1) {
			f = s.toks[next].flags
		}
		// "Swan Ganz", "Cheyne Stokes": a name before an eponym is one too.
		drop := !forced && (f&eponymBit != 0 || (f&stopBit != 0 && s.toks[next].shape != shapeLower && firstLevel(f) == 0))
		if f&orgBit != 0 && s.capital(next) && (s.mode != caseMixed || s.toks[next].shape != shapeLower) {
			drop = true
		}
		if drop {
			for k := i; k < j; k++ {
				s.label[k] &^= labName | labForced
			}
		}
		i = j
	}
}

// spans turns labelled tokens into spans: neighbouring tokens of one label
// make one span; an initial keeps its full stop.
func (s *lexScan) spans() []Span {
	for i := 0; i < len(s.toks); {
		lab := s.label[i] & (labName | labLoc)
		if lab == 0 {
			i++
			continue
		}
		start, end := s.toks[i].start, s.toks[i].end
		j := i + 1
		for j < len(s.toks) {
			if s.label[j]&lab != 0 && (s.joined(j-1) || s.toks[j].kind == tokPunct) {
				end = s.toks[j].end
				j++
				continue
			}
			if s.punct(j, '.') && s.initial(j-1) && lab == labName {
				end = s.toks[j].end
				j++
				continue
			}
			break
		}
		typ := Name
		if lab == labLoc {
			typ = Location
			if last := s.toks[j-1]; last.mark&markPossessive != 0 && s.label[j-1]&labForced != 0 {
				end += int32(lexApostropheAt(s.text, int(end)) + 1)
			}
		}
		s.out = append(s.out, Span{Start: int(start), End: int(end), Type: typ, Text: s.text[start:end]})
		i = j
	}
	return s.out
}

func lexHasHyphen(w string) bool {
	for k := 0; k < len(w); k++ {
		if w[k] == '-' {
			return true
		}
	}
	return false
}
