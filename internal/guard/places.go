package guard

import "strings"

// findPlaces labels the tokens of places smaller than a state: street
// addresses, PO boxes, cities and towns, ZIP codes, counties and
// health-care facilities. States and countries are not PHI and stay
// unlabelled.
func (s *lexScan) findPlaces() {
	// Addresses and facilities first: they contain town names ("Codman
	// Square Health Center", "Partridge MS Center") that must not be
	// taken alone.
	for i := range s.toks {
		if s.label[i] != 0 {
			continue
		}
		t := s.toks[i]
		if t.kind == tokNum {
			s.streetAddress(i)
			continue
		}
		if t.kind != tokWord {
			continue
		}
		switch {
		case s.addressAfterLabel(i):
		case s.poBox(i):
		case s.route(i):
		case t.flags&facilityBit != 0 && s.facility(i):
		case s.county(i):
		}
	}
	for i := range s.toks {
		if s.label[i] != 0 || s.toks[i].kind != tokWord {
			continue
		}
		switch f := s.toks[i].flags; {
		case f&placePrep != 0 && s.originPlace(i):
		case f&placePrep != 0 && s.residence(i):
		case f&placePrep != 0 && s.atNamedPlace(i):
		case s.featurePlace(i):
		case s.cityOfCountry(i):
		case s.facilityAcronym(i):
		case s.ourLady(i):
		case s.mountPlace(i):
		case s.ward(i):
		case s.saintPlace(i):
		case f&streetBit != 0 && s.onStreet(i):
		case f&streetBit != 0 && s.namedStreet(i):
		case s.branchFacility(i):
		case s.knownFacility(i):
		default:
			s.city(i)
		}
	}
	s.describedPlaces()
	s.zipCodes()
}

func (s *lexScan) mark(from, to int, lab uint8) {
	for k := from; k <= to && k < len(s.toks); k++ {
		s.label[k] |= lab
	}
}

// lowerKey is token i in lower case without apostrophes, appended to buf.
func (s *lexScan) lowerKey(buf []byte, i int) []byte {
	w := s.word(i)
	for k := 0; k < len(w); k++ {
		c := w[k]
		switch {
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		case c == '\'':
			continue
		}
		buf = append(buf, c)
	}
	return buf
}

// streetAddress: "123 Main St", "45 Elm Street Apt 4B", "7 W. 5th Ave".
func (s *lexScan) streetAddress(i int) {
	if n := s.toks[i].end - s.toks[i].start; n > 6 || !lexDigit(s.text[s.toks[i].start]) {
		return
	}
	if st := s.toks[i].start; st > 0 && (s.text[st-1] == '.' || s.text[st-1] == '/') {
		return // "MG 1.7 REPLETED", "3/4": a value, not a house number
	}
	j, words := i+1, 0
	for ; j < len(s.toks) && words < 5 && s.joined(j-1); j++ {
		t := s.toks[j]
		if t.kind == tokPunct {
			if s.text[t.start] == '.' && words > 0 {
				continue
			}
			return
		}
		if t.kind == tokWord && t.flags&streetBit != 0 && words > 0 {
			if w := s.word(j); len(w) <= 2 {
				// "2GM. DR OKONKWO": "Dr" or "St" before a capitalized name
				// is a title or a saint, not the street.
				n := j + 1
				if s.punct(n, '.') {
					n++
				}
				if s.isWord(n) && s.joined(n-1) && s.capital(n) && s.toks[n].flags&(funcBit|stopBit) == 0 {
					return
				}
			}
			end := j
			if s.punct(j+1, '.') {
				end = j + 1
			}
			end = s.addressTail(s.unit(end))
			s.mark(i, end, labLoc)
			return
		}
		if t.kind == tokWord && (!s.capital(j) || lexHasDigit(s.word(j)) && !ordinalWord(s.word(j))) {
			return // "2GM": a dose, not a street name
		}
		if t.kind == tokWord && t.flags&(funcBit|stopBit) != 0 && !lexDirection(s.word(j)) {
			return
		}
		words++
	}
}

func lexDirection(w string) bool {
	switch w {
	case "N", "S", "E", "W", "NE", "NW", "SE", "SW", "North", "South", "East", "West",
		"NORTH", "SOUTH", "EAST", "WEST", "n", "s", "e", "w":
		return true
	}
	return false
}

// unit extends an address over "Apt 4B", "Suite 200", "Unit 3", "#5".
func (s *lexScan) unit(end int) int {
	j := end + 1
	if s.punct(j, ',') {
		j++
	}
	if j >= len(s.toks) {
		return end
	}
	switch {
	case s.punct(j, '#'):
	case s.isWord(j):
		switch string(s.lowerKey(s.key[:0], j)) {
		case "apt", "apartment", "suite", "ste", "unit", "fl", "floor", "room", "rm", "bldg", "building", "no":
		default:
			return end
		}
	default:
		return end
	}
	j++
	if s.punct(j, '.') {
		j++
	}
	if s.punct(j, '#') {
		j++
	}
	if j < len(s.toks) && (s.toks[j].kind == tokNum || (s.isWord(j) && s.toks[j].end-s.toks[j].start <= 2)) {
		return j
	}
	return end
}

// poBox: "PO Box 123", "P.O. Box 123".
func (s *lexScan) poBox(i int) bool {
	w := s.word(i)
	if w != "PO" && w != "P" && w != "Po" && w != "po" && w != "p" {
		return false
	}
	j := i + 1
	for j < len(s.toks) && (s.punct(j, '.') || (s.isWord(j) && (s.word(j) == "O" || s.word(j) == "o"))) {
		j++
	}
	if !s.isWord(j) || (s.word(j) != "Box" && s.word(j) != "BOX" && s.word(j) != "box") {
		return false
	}
	if j+1 < len(s.toks) && s.toks[j+1].kind == tokNum {
		s.mark(i, j+1, labLoc)
		return true
	}
	return false
}

// county: "Suffolk County", "Orleans Parish".
func (s *lexScan) county(i int) bool {
	w := s.word(i)
	switch w {
	case "County", "COUNTY", "Parish", "PARISH", "Borough", "BOROUGH", "county":
	default:
		return false
	}
	start := s.nameBefore(i)
	if start == i {
		return false
	}
	s.mark(start, i, labLoc)
	return true
}

// nameBefore walks back from head over the words that name a place ("Beth
// Israel" before "Hospital") and returns the first; head when there are none
// or they only describe ("Outside Hospital").
func (s *lexScan) nameBefore(head int) int {
	start := s.wordsBefore(head)
	if start < head && !s.specific(start, head) {
		return head
	}
	return start
}

// wordsBefore walks back from head over the capitalized words (in text
// without case, the words that are no ordinary words) before it.
func (s *lexScan) wordsBefore(head int) int {
	start := head
	for j := head - 1; j >= 0 && head-j <= 5 && s.joined(j); j-- {
		if s.punct(j, '.') && j > 0 && (s.word(j-1) == "St" || s.word(j-1) == "ST" || s.word(j-1) == "Mt" || s.word(j-1) == "MT" || s.initial(j-1)) {
			continue
		}
		if s.punct(j, '-') || s.punct(j, '&') {
			continue
		}
		if !s.isWord(j) || s.label[j]&^labNot != 0 {
			break
		}
		f := s.toks[j].flags
		if s.mode == caseMixed {
			if !s.capital(j) {
				if s.word(j) == "and" && j > 0 && s.capital(j-1) {
					continue
				}
				break
			}
			if f&(funcBit|placePrep|relateBit) != 0 && f&genericBit == 0 && s.toks[j].mark&markSentStart != 0 {
				break
			}
		} else if f&(funcBit|placePrep) != 0 && f&genericBit == 0 {
			break
		} else if f&(dictBit|properBit) != 0 && wordLevel(f) >= 2 && f&genericBit == 0 &&
			firstLevel(f) == 0 && lastLevel(f) == 0 && cityLevel(f) == 0 && f&stateBit == 0 {
			break
		}
		start = j
	}
	for start < head && (s.punct(start, '-') || s.punct(start, '&') || s.word(start) == "and" || s.word(start) == "of" || s.word(start) == "the" || s.word(start) == "The") {
		start++
	}
	return start
}

// specific: at least one word in [from, to) names something rather than
// describing it ("Outside Hospital", "the Rehab" do not).
func (s *lexScan) specific(from, to int) bool {
	if s.mode != caseMixed {
		// "PINE HAVEN SHELTER", "CEDAR CREST REHAB": in capitals, two words
		// that are both names or towns name a place, though each is also
		// an ordinary word.
		named := 0
		for k := from; k < to; k++ {
			if f := s.toks[k].flags; s.isWord(k) && f&(genericBit|funcBit|stopBit|stateBit) == 0 &&
				(firstLevel(f) > 0 || lastLevel(f) > 0 || cityLevel(f) > 0) {
				named++
			}
		}
		if named >= 2 {
			return true
		}
	}
	for k := from; k < to; k++ {
		if !s.isWord(k) {
			continue
		}
		f := s.toks[k].flags
		if f&(genericBit|funcBit|stopBit) != 0 {
			continue
		}
		named := (firstLevel(f) > 0 || lastLevel(f) > 0 || cityLevel(f) > 0 || f&stateBit != 0) &&
			(s.mode == caseMixed || (wordLevel(f) <= 1 && f&commonBit == 0))
		if s.mode == caseMixed {
			// A capitalized word names something, unless it is an
			// ordinary word that only starts a sentence.
			if s.toks[k].mark&markSentStart == 0 || named || f&properBit != 0 || (f&dictBit == 0 && wordLevel(f) == 0) {
				return true
			}
			continue
		}
		if named || f&properBit != 0 || (s.mode == caseUpper && f&dictBit == 0 && wordLevel(f) == 0) {
			return true
		}
		// "ST MARYS": a possessive written without its apostrophe.
		if w := s.word(k); len(w) > 3 && (w[len(w)-1] == 's' || w[len(w)-1] == 'S') {
			if g := s.lex.words[string(s.lowerKey(s.key[:0], k)[:len(w)-1])]; firstLevel(g) > 0 || lastLevel(g) > 0 {
				return true
			}
		}
	}
	return false
}

// facility: "St. Mary's Hospital", "Beth Israel Deaconess Medical Center",
// "Mayo Clinic", "VNA of Cape Cod", "Hebrew Rehab".
func (s *lexScan) facility(head int) bool {
	w := string(s.lowerKey(s.key[:0], head))
	if s.mode == caseMixed && s.toks[head].shape == shapeLower && !strongHeads[w] {
		return false
	}
	end := head
	// The head may run on: "Medical Center", "Nursing Home", "Health System".
	for end+1 < len(s.toks) && s.joined(end) && s.isWord(end+1) && (s.capital(end+1) || s.toks[head].shape == shapeLower) {
		nw := string(s.lowerKey(s.key[:0], end+1))
		g := s.toks[end+1].flags
		if g&facilityBit == 0 && nw != "home" && nw != "system" && nw != "group" && nw != "facility" && nw != "care" && nw != "hospital" {
			// "Elmhurst Gardens Assisted Living": a describing word
			// before another facility word.
			if g&genericBit == 0 || !s.capital(end+1) || s.toks[end+1].shape == shapeLower || !s.flag(end+2, facilityBit) || !s.joined(end+1) {
				break
			}
		}
		end++
	}
	if s.punct(end+1, '.') && s.toks[end].mark&markSpaceAfter == 0 {
		switch w := string(s.lowerKey(s.key[:0], end)); w {
		case "co", "inc", "corp", "ltd", "llc":
			end++ // "Atlantic Fish Co."
		}
	}
	switch w {
	case "inc", "co", "corp", "llc":
		// "Atlantic Fish Inc": a company suffix after a capitalized name in
		// prose; in notes "INC" and "inc" are the incision.
		if s.mode != caseMixed || s.toks[head].shape == shapeLower {
			return false
		}
	case "medical", "veterinary", "gardens":
		// "Kingsbury Medical", "Brookside Veterinary": capitalized, after a name.
		if end == head && (s.toks[head].shape == shapeLower || head == 0 || !s.joined(head-1) || !s.specific(head-1, head)) {
			return false
		}
	case "nursing", "senior", "assisted", "urgent":
		// "medical history", "nursing note" are no facility; "Saugus
		// Shore Skilled Nursing" is.
		if p := head - 1; end == head && !(p >= 0 && s.capital(head) && s.isWord(p) && s.capital(p) && s.toks[p].flags&genericBit != 0) {
			return false
		}
	case "general", "childrens", "children", "memorial", "er", "ed", "high", "comprehensive", "medicine", "dental", "va", "regional":
		// "Lowell General", "Boston Children's", "Tufts ER", "Riverside
		// Family Medicine": only right after a name, and capitalized.
		if !s.capital(head) || s.toks[head].shape == shapeLower || head == 0 || !s.joined(head-1) {
			return false
		}
		if w == "children" && s.toks[head].mark&markPossessive == 0 {
			return false
		}
		if st := s.wordsBefore(head); st == head || !s.specific(st, head) {
			return false
		}
	case "living", "care":
		// "Senior Living", "Urgent Care", not "independent living".
		if p := head - 1; p < 0 || !s.isWord(p) || s.toks[p].flags&genericBit == 0 || !s.capital(p) {
			return false
		}
	case "station", "island", "beach", "airport", "harbor", "harbour", "pier", "stadium", "arena":
		// Landmarks: "South Station", "Castle Island", "Revere Beach";
		// capitalized, right after the name, and not "Rhode Island".
		if s.toks[head].shape == shapeLower || head == 0 || !s.joined(head-1) || !s.capital(head-1) {
			return false
		}
		if k := strings.ToLower(s.word(head-1)) + " " + strings.ToLower(s.word(head)); multiWordStates[k] {
			return false
		}
		if lexDirection(s.word(head-1)) && len(s.word(head-1)) > 2 {
			s.mark(head-1, head, labLoc) // "South Station", "North Beach"
			return true
		}
	}
	raw := s.wordsBefore(head)
	start := raw
	if start < head && !s.specific(start, head) {
		start = head
		if p := head - 1; s.mode != caseMixed && s.isWord(p) && s.joined(p) && s.label[p] == 0 && w != "house" && w != "office" &&
			w != "offices" && w != "care" && w != "living" && w != "services" && w != "co" && w != "inc" {
			// "HOPE LODGE", "GRACE HOUSE" in capitals: a first name or a
			// surname right before the facility word names it.
			if g := s.toks[p].flags; (firstLevel(g) >= 2 || lastLevel(g) >= 2) && g&(genericBit|funcBit|stopBit|relateBit|titleBit|credBit|stateBit) == 0 &&
				!hospitalService(s.lowerKey(s.key[:0], p)) {
				start = p
			}
		}
	}
	// "Hospital of the University of Pennsylvania", "VNA of Boston",
	// "Children's Hospital of Philadelphia".
	if j := end + 1; s.joined(end) && s.isWord(j) && (s.word(j) == "of" || s.word(j) == "OF") {
		k := j + 1
		if s.isWord(k) && (s.word(k) == "the" || s.word(k) == "THE") {
			k++
		}
		dir := s.isWord(k) && lexDirection(s.word(k)) && len(s.word(k)) > 2 && s.joined(k) && s.isWord(k+1) && s.capital(k+1) &&
			s.toks[k+1].flags&(funcBit|stopBit) == 0 // "Hospice of the North Shore"
		if s.isWord(k) && s.capital(k) && s.toks[k].flags&funcBit == 0 && (dir || s.specific(k, k+1)) {
			first := k
			for k+1 < len(s.toks) && s.joined(k) && s.isWord(k+1) && s.capital(k+1) && s.toks[k+1].flags&funcBit == 0 && s.mode == caseMixed {
				k++
			}
			if s.mode == caseMixed && s.toks[head].shape == shapeLower {
				// "the Hawthorne Street clinic of Eastfield Community
				// Health": two names around a description.
				if start < head {
					s.mark(start, head-1, labLoc)
				}
				s.mark(first, k, labLoc)
				return true
			}
			s.mark(raw, k, labLoc)
			return true
		}
	}
	if start == head {
		return false
	}
	if s.mode == caseMixed && s.toks[head].shape == shapeLower {
		// "Brightwater Commons nursing home": the name, not the description.
		end = head - 1
	}
	s.mark(start, end, labLoc)
	return true
}

// branchFacility: a hospital system's branch named by its quarter, in any
// case: "Mercy West", "baptist east", "Memorial Southeast".
func (s *lexScan) branchFacility(i int) bool {
	if !s.joined(i) || !s.isWord(i+1) {
		return false
	}
	switch string(s.lowerKey(s.key[:0], i)) {
	case "mercy", "baptist", "methodist", "memorial", "presbyterian", "providence", "adventist", "lutheran",
		"regional", "general", "sinai", "kaiser", "childrens":
	default:
		return false
	}
	switch string(s.lowerKey(s.key[:0], i+1)) {
	case "north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest", "central",
		"downtown", "midtown", "uptown", "northside", "southside", "eastside", "westside":
	default:
		return false
	}
	if s.capital(i) != s.capital(i+1) {
		return false // "general west of the river" is prose; a name is cased alike
	}
	s.mark(i, i+1, labLoc)
	return true
}

// knownFacility: hospitals often named without a facility word.
func (s *lexScan) knownFacility(i int) bool {
	if !s.capital(i) {
		return false
	}
	buf := s.lowerKey(s.key[:0], i)
	if knownFacilities[string(buf)] {
		end := i
		if s.joined(i) && s.isWord(i+1) && (s.word(i+1) == "and" || s.word(i+1) == "&") && s.isWord(i+2) && s.capital(i+2) && s.toks[i+2].shape != shapeLower {
			end = i + 2 // "Brigham and Women's"
		}
		s.mark(i, end, labLoc)
		s.label[end] |= labForced
		return true
	}
	if s.joined(i) && s.isWord(i+1) && s.capital(i+1) {
		buf = append(buf, ' ')
		buf = s.lowerKey(buf, i+1)
		if knownFacilities[string(buf)] {
			s.mark(i, i+1, labLoc)
			return true
		}
	}
	s.key = buf[:0]
	return false
}

// placeAt finds the longest gazetteer place starting at token i: its last
// token and the place, or -1.
func (s *lexScan) placeAt(i int) (int, lexPlace) {
	buf := s.lowerKey(s.key[:0], i)
	best, bestPlace := -1, lexPlace{}
	if p, ok := s.lex.places[string(buf)]; ok {
		best, bestPlace = i, p
	}
	most := int(s.lex.placeStarts[string(buf)])
	j := i
	for n := 2; n <= most; n++ {
		j++
		if s.punct(j, '.') && n == 2 { // "St. Louis"
			j++
		}
		if !s.isWord(j) || !s.joined(j-1) {
			break
		}
		buf = append(buf, ' ')
		buf = s.lowerKey(buf, j)
		if p, ok := s.lex.places[string(buf)]; ok {
			best, bestPlace = j, p
		}
	}
	s.key = buf[:0]
	return best, bestPlace
}

// city: a gazetteer place followed by a state ("Boston, MA"), after a
// place word ("lives in Hope"), or a large city on its own ("Chicago").
func (s *lexScan) city(i int) {
	f := s.toks[i].flags
	if !s.capital(i) {
		s.lowerCity(i)
		return
	}
	if lexHasHyphen(s.word(i)) && s.hyphenatedPlace(i) {
		return
	}
	if f&stateBit != 0 && s.joined(i) && s.isWord(i+1) && s.capital(i+1) && s.toks[i+1].shape != shapeLower && s.label[i+1] == 0 {
		switch strings.ToLower(s.word(i + 1)) {
		case "city", "springs", "falls", "heights":
			s.mark(i, i+1, labLoc) // "Colorado Springs", "Kansas City"
			return
		}
	}
	if f&stateBit != 0 && !s.longerPlace(i) {
		s.label[i] |= labNot // "Massachusetts", "American": not PHI, not a name
		if st := s.stateAfter(i - 1); st == i && s.isWord(i+1) && s.joined(i) {
			s.label[i+1] |= labNot // "New York", "Rhode Island"
		}
		return
	}
	end, p := s.placeAt(i)
	if end >= 0 && p.kind == placeCountry {
		if end == i && firstLevel(f) >= 2 && s.isWord(i-1) && s.joined(i-1) && s.toks[i-1].flags&(relateBit|titleBit) != 0 {
			return // "PARTNER JORDAN", "Dr. Chad": a person
		}
		if !(s.isWord(i-1) && s.joined(i-1) && firstLevel(s.toks[i-1].flags) >= 2 && s.capital(i-1) && end == i) {
			s.mark(i, end, labNot) // but "Larissa Montenegro" is a person
		}
		return
	}
	if st := s.stateAfter(i - 1); st == i {
		s.label[i] |= labNot
		if !lexStateCodes[s.word(i)] && s.toks[i].flags&stateBit == 0 {
			s.label[i+1] |= labNot // "New York"
		}
		return
	}
	if f&(funcBit|stopBit) != 0 && end <= i {
		return
	}
	for k := i; k <= end; k++ {
		if s.mode == caseMixed && (!s.isWord(k) || !s.capital(k)) && !s.punct(k, '.') {
			return
		}
	}
	common := end <= i && (wordLevel(f) >= 2 || f&commonBit != 0 || (f&dictBit != 0 && f&properBit == 0))
	if end < 0 && s.unknownAfterPrep(i) {
		return
	}
	if st := s.stateAfter(max(end, i)); st >= 0 {
		comma := s.punct(max(end, i)+1, ',')
		switch {
		case end < 0 && (s.mode != caseMixed || ambiguousStates[s.word(st)] || s.cls[i] == clsNone):
			return
		case (s.word(st) == "MD" || s.word(st) == "PA" || s.word(st) == "DO") && s.cls[i] != clsNone && s.isWord(i-1) && s.cls[i-1] != clsNone:
			return // "Seraphina Lutz, MD"
		case end < 0:
			end = i
		case !comma && end == i && (common || ambiguousStates[s.word(st)]):
			return // "Start MS Contin", "Speaks Spanish"
		}
		s.mark(i, end, labLoc)
		return
	}
	// "East Boston", "South Chicago": a part of a city.
	if d := s.word(i); d == "East" || d == "West" || d == "North" || d == "South" || d == "Greater" ||
		(s.mode == caseUpper && (d == "EAST" || d == "WEST" || d == "NORTH" || d == "SOUTH")) {
		if e, q := s.placeAt(i + 1); e == i+1 && q.size >= 15 && s.joined(i) {
			s.mark(i, e, labLoc)
			return
		}
	}
	if end < 0 {
		return
	}
	if s.joined(end) && s.flag(end+1, eponymBit) {
		return // "Miami collar"
	}
	if s.areaAround(i, end) {
		s.mark(i, end, labLoc) // "the Lowell area"
		return
	}
	// After an address: "118 Dorset Street, Apt 3, Somerville".
	if s.punct(i-1, ',') && i >= 2 && s.label[i-2]&labLoc != 0 && !common && s.addressEndsAt(i-2) {
		s.mark(i-1, end, labLoc)
		return
	}
	// "Boston Scientific", "Chicago Bulls": a city inside a longer name.
	if i > 0 && s.joined(i-1) && s.label[i-1]&labLoc != 0 && s.toks[i-1].kind == tokWord {
		s.mark(i, end, labLoc) // "Hanger Clinic Braintree"
		return
	}
	if s.mode == caseMixed && ((s.joined(end) && s.isWord(end+1) && s.capital(end+1) && s.toks[end+1].flags&(stateBit|stopBit) == 0) ||
		(i > 0 && s.joined(i-1) && s.isWord(i-1) && s.capital(i-1) && s.toks[i-1].mark&markSentStart == 0)) {
		return
	}
	fn := firstLevel(f)
	if s.mode == caseMixed && end == i && s.toks[i].shape != shapeTitle {
		return // "Sent to MUSE": a system, not a town
	}
	if s.placePrepAt(i-1) && s.joined(i-1) {
		if end == i && hospitalService(s.lowerKey(s.key[:0], i)) {
			return // "discharged to Home", "lives at Home"
		}
		// "shouted at Gary", "said to Logan": after "at" and "to" a first
		// name is a person.
		weak := s.word(i-1) == "at" || s.word(i-1) == "to" || s.word(i-1) == "AT" || s.word(i-1) == "TO"
		switch {
		case end > i:
		case s.toks[end].mark&markPossessive != 0 && fn >= 1:
			return // "went to Sarah's"
		case weak && fn >= 2 && !(p.size >= 15 && fn <= 2) && !(s.motionBefore(i-1) && (p.size >= 15 || fn < 3)):
			return // but "went to Boston", "moving to Denver"
		case s.mode != caseMixed && common && (wordLevel(f) >= 2 || f&commonBit != 0) &&
			!(wordLevel(f) == 0 && f&dictBit == 0 && p.size >= 5 && !weak):
			return // "FROM HOPE", but "CALLED FROM LONDON"

		}
		s.mark(i, end, labLoc)
		return
	}

	big := p.size >= 15 || (end > i && (p.size >= 3 || s.mode == caseMixed)) || p.kind == placeForeign
	if big && !common && fn < 3 && (end > i || s.mode == caseMixed || f&dictBit == 0) {
		s.mark(i, end, labLoc)
	}
}

// stateAfter: the token of a state after a place ending at token end
// ("Boston, MA", "Springfield Illinois"), or -1.
func (s *lexScan) stateAfter(end int) int {
	j := end + 1
	if s.punct(j, ',') {
		j++
	}
	if !s.isWord(j) || !s.joined(j-1) {
		return -1
	}
	w := s.word(j)
	if len(w) == 2 && lexStateCodes[w] {
		return j
	}
	if s.toks[j].flags&stateBit != 0 && s.capital(j) && usStateNames[string(s.lowerKey(s.key[:0], j))] {
		return j
	}
	if s.isWord(j+1) && s.joined(j) && s.capital(j+1) {
		switch w {
		case "New", "NEW", "North", "NORTH", "South", "SOUTH", "West", "WEST", "Rhode", "RHODE", "District", "DISTRICT":
			k := s.lowerKey(s.key[:0], j)
			k = append(k, ' ')
			k = s.lowerKey(k, j+1)
			s.key = k[:0]
			if multiWordStates[string(k)] {
				return j
			}
		}
	}
	return -1
}

// zipCodes labels five-digit ZIP codes after a state or a labelled city,
// or after "zip".
func (s *lexScan) zipCodes() {
	for i, t := range s.toks {
		if t.kind != tokNum || t.end-t.start != 5 || s.label[i] != 0 {
			continue
		}
		w := s.word(i)
		if !lexAllDigits(w) {
			continue
		}
		p := i - 1
		if s.punct(p, ',') {
			p--
		}
		ok := false
		switch {
		case p >= 0 && s.isWord(p) && len(s.word(p)) == 2 && lexStateCodes[s.word(p)]:
			ok = true
		case p >= 0 && s.isWord(p) && (s.toks[p].flags&stateBit != 0 || s.label[p]&labLoc != 0):
			ok = true
		case p >= 0 && s.isWord(p) && (s.word(p) == "zip" || s.word(p) == "Zip" || s.word(p) == "ZIP" || s.word(p) == "code" || s.word(p) == "zipcode"):
			ok = true
		case p >= 1 && s.isWord(p) && strings.EqualFold(s.word(p), "is") && s.isWord(p-1) && strings.EqualFold(s.word(p-1), "zip"):
			ok = true // "pt's zip is 02130"
		case p >= 1 && s.punct(p, ':') && s.isWord(p-1):
			pw := s.word(p - 1)
			ok = pw == "zip" || pw == "Zip" || pw == "ZIP" || pw == "code" || pw == "Code"
		case p >= 0 && s.isWord(p) && !s.punct(i+1, '/') && !s.punct(i+1, '-'):
			// "near 46218", "anyone in 60614": a ZIP code as a place.
			switch strings.ToLower(s.word(p)) {
			case "near", "around", "in", "from", "within", "outside":
				ok = (w[0] != '0' || w[1] != '0') && (!s.isWord(i+1) || !countNoun(s.lowerKey(s.key[:0], i+1)))
			}
		}
		if !ok {
			continue
		}
		end := i
		if s.punct(i+1, '-') && i+2 < len(s.toks) && s.toks[i+2].kind == tokNum && s.toks[i+2].end-s.toks[i+2].start == 4 {
			end = i + 2
		}
		s.mark(i, end, labLoc)
	}
}

// countNoun: what a five-digit number counts ("in 10000 patients"), so it
// is no ZIP code.
func countNoun(k []byte) bool {
	switch string(k) {
	case "patients", "people", "persons", "steps", "dollars", "calories", "units", "mg", "mcg", "ml", "miles",
		"feet", "ft", "lbs", "pounds", "years", "times", "cases", "deaths", "users", "members", "followers",
		"views", "words", "births", "adults", "children", "women", "men", "visits", "admissions", "per", "of", "to":
		return true
	}
	return false
}

func lexAllDigits(w string) bool {
	for k := 0; k < len(w); k++ {
		if !lexDigit(w[k]) {
			return false
		}
	}
	return len(w) > 0
}

// strongHeads name a facility even in lower case after a capitalized name:
// "the Hawthorne Street clinic", "Brightwater Commons nursing home".
var strongHeads = map[string]bool{
	"hospital": true, "clinic": true, "nursing": true, "rehab": true, "dialysis": true,
	"shelter": true, "church": true, "school": true, "pharmacy": true, "hospice": true,
	"infirmary": true, "parish": true, "synagogue": true, "mosque": true, "temple": true,
}

// namedStreet: a street without a number, "on Elm Street", "Wyeth Road",
// "CVS on Centre St".
func (s *lexScan) namedStreet(i int) bool {
	f := s.toks[i].flags
	if f&streetBit == 0 || i == 0 || !s.joined(i-1) || !s.isWord(i-1) || s.label[i-1] != 0 {
		return false
	}
	w := s.word(i)
	abbrev := len(w) <= 4 && w != "Road" && w != "ROAD" && w != "Lane" && w != "LANE" && w != "Way" && w != "WAY"
	if s.mode == caseMixed {
		if s.toks[i].shape == shapeLower || (abbrev && s.toks[i].shape != shapeTitle) {
			return false
		}
	} else if abbrev {
		switch w {
		case "AVE", "RD", "BLVD", "LN", "PKWY", "TER", "ave", "rd", "blvd", "ln", "pkwy":
			// "LIVES ON CHESTNUT HILL AVE": after "on", "off" or "at" only.
			abbrevOK := false
			for j := i - 1; j >= 0 && i-j <= 4 && s.isWord(j) && s.joined(j); j-- {
				if k := strings.ToLower(s.word(j)); k == "on" || k == "off" || k == "at" {
					abbrevOK = j < i-1
					break
				}
			}
			if !abbrevOK {
				return false
			}
		default:
			return false
		}
	}
	if next := i + 1; abbrev && (w == "St" || w == "Dr" || w == "ST" || w == "DR") {
		if s.punct(next, '.') {
			next++
		}
		if s.isWord(next) && s.capital(next) && s.joined(next-1) {
			return false // "St Mary's", "Dr. Smith"
		}
	}
	start := i
	for j := i - 1; j >= 0 && i-j <= 3 && s.isWord(j) && s.joined(j) && s.label[j] == 0; j-- {
		g := s.toks[j].flags
		if !s.capital(j) || g&(funcBit|placePrep|relateBit|stopBit) != 0 && !lexDirection(s.word(j)) {
			break
		}
		if s.mode != caseMixed && g&(dictBit|properBit) != 0 && wordLevel(g) >= 2 && firstLevel(g) == 0 && lastLevel(g) == 0 {
			break
		}
		start = j
	}
	if start == i || !s.specific(start, i) {
		return false
	}
	end := i
	if s.punct(i+1, '.') && abbrev {
		end = i + 1
	}
	s.mark(start, s.addressTail(s.unit(end)), labLoc)
	return true
}

// onStreet: "on" or "off" a street named by one word or an ordinal, in any
// case: "the cvs on main st", "ON RT 9" aside, "on 4th St", "off bell rd".
func (s *lexScan) onStreet(i int) bool {
	n := i - 1
	if n < 1 || !s.joined(n) || !s.joined(n-1) || s.label[n] != 0 || !s.isWord(n-1) {
		return false
	}
	switch string(s.lowerKey(s.key[:0], n-1)) {
	case "on", "off":
	default:
		return false
	}
	t := s.toks[n]
	w := s.word(n)
	switch {
	case t.kind == tokNum:
		// an ordinal: "4th", "21st"
		if !ordinalWord(w) {
			return false
		}
	case t.kind == tokWord:
		if t.flags&(funcBit|stopBit|titleBit|relateBit|credBit|stateBit) != 0 || len(w) < 3 {
			return false
		}
	default:
		return false
	}
	k := string(s.lowerKey(s.key[:0], i))
	switch k {
	case "st", "street", "rd", "road", "ave", "avenue", "blvd", "boulevard", "ln", "lane", "dr", "drive", "pkwy", "parkway", "hwy", "highway":
	default:
		return false
	}
	if (k == "st" || k == "dr") && s.isWord(i+1) && s.joined(i) && s.capital(i+1) && s.toks[i+1].shape == shapeTitle {
		return false // "on St Mary's", "on Dr. Smith's list"
	}
	s.mark(n, i, labLoc)
	return true
}

// addressTail extends an address that ends at token end over the town,
// state and ZIP code written after it: ", Braintree, MA 02184". The gold
// convention is one span from number to ZIP.
func (s *lexScan) addressTail(end int) int {
	j := end + 1
	if s.punct(j, ',') {
		j++
	}
	if !s.isWord(j) || !s.capital(j) || s.toks[j].flags&(funcBit|stopBit) != 0 {
		return end
	}
	townEnd, p := s.placeAt(j)
	if townEnd < 0 {
		// A town the gazetteer lacks still counts before a state.
		townEnd = j
		for townEnd+1 < len(s.toks) && townEnd-j < 2 && s.joined(townEnd) && s.isWord(townEnd+1) && s.capital(townEnd+1) &&
			!lexStateCodes[s.word(townEnd+1)] {
			townEnd++
		}
		if s.stateAfter(townEnd) < 0 {
			return end
		}
	} else if p.kind == placeCountry {
		return end
	}
	end = townEnd
	if st := s.stateAfter(townEnd); st >= 0 {
		end = st
		if s.isWord(st+1) && s.joined(st) && multiWordStates[strings.ToLower(s.word(st)+" "+s.word(st+1))] {
			end = st + 1
		}
		if z := end + 1; z < len(s.toks) && s.toks[z].kind == tokNum && s.toks[z].end-s.toks[z].start == 5 && lexAllDigits(s.word(z)) {
			end = z
			if s.punct(z+1, '-') && z+2 < len(s.toks) && s.toks[z+2].kind == tokNum && s.toks[z+2].end-s.toks[z+2].start == 4 {
				end = z + 2
			}
		}
	}
	return end
}

// unknownAfterPrep: an unknown capitalized word after "in", "from",
// "near" is a town the gazetteer lacks ("from Lagos", "in Flateyri").
func (s *lexScan) unknownAfterPrep(i int) bool {
	f := s.toks[i].flags
	weakName := s.cls[i] == clsCand && firstLevel(f) == 0 && lastLevel(f) <= 1 && wordLevel(f) == 0 && f&dictBit == 0
	if (s.cls[i] != clsUnk && !weakName) || !s.flag(i-1, placePrep) || !s.joined(i-1) || s.toks[i].mark&markSentStart != 0 {
		return false
	}
	if hospitalService(s.lowerKey(s.key[:0], i)) {
		return false // "transferred to STEPDOWN", "sent to Pre-op"
	}
	if w := s.word(i - 1); (w == "at" || w == "AT") && s.personAt(i-1) || (w == "to" || w == "TO") && !s.goesTo(i-1) {
		return false
	}
	if sh := s.toks[i].shape; sh != shapeTitle && !(s.mode == caseUpper && s.toks[i].end-s.toks[i].start >= 4) {
		return false
	}
	if w := s.word(i - 1); (w == "at" || w == "AT") && s.mode == caseUpper && s.toks[i].end-s.toks[i].start < 5 {
		return false // "MURMUR AT RUSB", "AT NOC"
	}
	end := i
	if s.joined(i) && s.isWord(i+1) && s.cls[i+1] == clsUnk && s.capital(i+1) {
		end = i + 1
	}
	// "from Faina D. Yefremova's": an initial or a possessive means a person.
	if s.toks[end].mark&markPossessive != 0 || (s.isWord(end+1) && s.joined(end) && s.initial(end+1)) {
		return false
	}
	s.mark(i, end, labLoc)
	return true
}

// lowerCity: in prose, a town written in lower case after "in", "near",
// "from" ("near worcester") or as "the lowell area".
func (s *lexScan) lowerCity(i int) {
	if s.mode != caseMixed || s.toks[i].flags&(funcBit|stopBit|stateBit) != 0 {
		return
	}
	end, p := s.placeAt(i)
	if end < 0 || p.kind != placeCity {
		return
	}
	f := s.toks[i].flags
	if end == i && (wordLevel(f) > 0 || f&commonBit != 0 || (f&dictBit != 0 && f&properBit == 0)) {
		return
	}
	prep := s.flag(i-1, placePrep) && s.joined(i-1) && s.word(i-1) != "at" && s.word(i-1) != "to" &&
		(firstLevel(f) < 3 || p.size >= 15 || end > i)
	if prep || s.areaAround(i, end) {
		s.mark(i, end, labLoc)
	}
}

// hyphenatedPlace: "Newton-Wellesley", two towns, names a place.
func (s *lexScan) hyphenatedPlace(i int) bool {
	if s.isWord(i-1) && s.joined(i-1) && firstLevel(s.toks[i-1].flags) >= 2 {
		return false // "Patricia Holloway-Grant"
	}
	w := s.word(i)
	n := 0
	for part := range strings.SplitSeq(w, "-") {
		k := strings.ToLower(part)
		if _, ok := s.lex.places[k]; !ok || len(part) < 3 || firstLevel(s.lex.words[k]) == 3 {
			return false
		}
		n++
	}
	if n < 2 {
		return false
	}
	s.mark(i, i, labLoc)
	return true
}

// saintPlace: "St. Brendan's", "Saint Elizabeth's", "ST MARYS": a
// hospital or parish named for a saint.
func (s *lexScan) saintPlace(i int) bool {
	w := s.word(i)
	if w != "St" && w != "st" && w != "ST" && w != "Saint" && w != "saint" && w != "SAINT" {
		return false
	}
	j := i + 1
	if s.punct(j, '.') {
		j++
	}
	if !s.isWord(j) || !s.joined(j-1) || s.label[j] != 0 {
		return false
	}
	if s.joined(j) && s.flag(j+1, facilityBit) {
		return false // "St. Mary's Hospital": the facility takes it whole
	}
	f := s.toks[j].flags
	named := firstLevel(f) > 0 || lastLevel(f) > 0
	possessive := s.toks[j].mark&markPossessive != 0
	if s.mode != caseMixed && !possessive {
		// "ST MARYS": the possessive without its apostrophe.
		k := s.lowerKey(s.key[:0], j)
		if len(k) < 4 || k[len(k)-1] != 's' {
			return false
		}
		g := s.lex.words[string(k[:len(k)-1])]
		named, possessive = firstLevel(g) > 0 || lastLevel(g) > 0, true
		s.key = k[:0]
	}
	if !named || !possessive || (s.mode == caseMixed && s.toks[j].shape == shapeLower && s.toks[i].shape != shapeLower) {
		return false
	}
	s.mark(i, j, labLoc)
	s.label[j] |= labForced // the span keeps the 's: "St. Brendan's"
	return true
}

// route: "Route 9", "I-95", "Interstate 90".
func (s *lexScan) route(i int) bool {
	switch s.word(i) {
	case "Route", "ROUTE", "Rte", "RTE", "Interstate", "Highway", "HWY", "Hwy":
	case "I":
		// "on I-95", "the I-90 exit"
		if s.punct(i+1, '-') && i+2 < len(s.toks) && s.toks[i+2].kind == tokNum && s.joined(i) && s.joined(i+1) &&
			len(s.word(i+2)) <= 3 && lexAllDigits(s.word(i+2)) {
			s.mark(i, i+2, labLoc)
			return true
		}
		return false
	default:
		return false
	}
	if j := i + 1; s.joined(i) && j < len(s.toks) && s.toks[j].kind == tokNum {
		s.mark(i, j, labLoc)
		return true
	}
	return false
}

// longerPlace: a town whose name starts with a country's, "Jamaica Plain".
func (s *lexScan) longerPlace(i int) bool {
	end, p := s.placeAt(i)
	return end > i && p.kind == placeCity
}

// motionBefore: a verb of going before the preposition at token prep,
// "went to", "moving to", "flew into": what follows is a place.
func (s *lexScan) motionBefore(prep int) bool {
	if !s.isWord(prep-1) || !s.joined(prep-1) {
		return false
	}
	switch strings.ToLower(s.word(prep - 1)) {
	case "went", "go", "goes", "going", "gone", "moved", "move", "moves", "moving", "drive", "drove",
		"driving", "flew", "fly", "flying", "travel", "traveled", "travelled", "traveling", "back",
		"headed", "heading", "return", "returned", "returning", "relocated", "relocating", "commute",
		"commutes", "came", "come", "coming", "trip", "road", "welcome", "arrived", "got":
		return true
	}
	return false
}

// addressAfterLabel: after "address:", "address is", "lives at", whatever
// starts with a house number up to the end of the line is an address, in
// any country's format ("Address: 86036 Rua do Arenque 1634, Goiânia").
func (s *lexScan) addressAfterLabel(i int) bool {
	w := s.word(i)
	j := i + 1
	switch w {
	case "address", "Address", "ADDRESS":
		if !s.punct(j, ':') && !(s.isWord(j) && s.word(j) == "is") {
			return false
		}
		j++
	case "lives", "live", "living", "located", "resides", "reside", "LIVES":
		if !s.isWord(j) || (s.word(j) != "at" && s.word(j) != "AT") {
			return false
		}
		j++
	default:
		return false
	}
	if j >= len(s.toks) || s.toks[j].kind != tokNum || !s.joined(j-1) || s.label[j] != 0 {
		return false
	}
	end := j
	for k := j + 1; k < len(s.toks) && k-j < 14 && s.toks[k].mark&markLineStart == 0; k++ {
		t := s.toks[k]
		if t.kind == tokPunct {
			c := s.text[t.start]
			if c != ',' && c != '.' && c != '-' && c != '#' && c != '/' {
				break
			}
			if c == '.' && (k+1 >= len(s.toks) || s.toks[k+1].kind != tokNum) {
				break
			}
			continue
		}
		if t.kind == tokWord && !s.capital(k) && s.mode == caseMixed && t.flags&funcBit == 0 && t.end-t.start > 3 {
			break
		}
		if t.kind == tokWord && t.flags&stateBit != 0 && t.flags&funcBit == 0 && !lexStateCodes[s.word(k)] {
			continue // "Brazil": in the address, but the span may end before it
		}
		end = k
	}
	s.mark(j, end, labLoc)
	return true
}

// areaAround: "the lowell area", "the Fall River region".
func (s *lexScan) areaAround(i, end int) bool {
	if !s.isWord(i-1) || !s.isWord(end+1) {
		return false
	}
	before, after := strings.ToLower(s.word(i-1)), strings.ToLower(s.word(end+1))
	return before == "the" && (after == "area" || after == "region")
}

// addressEndsAt: the place that ends at token k is a street address (its
// run starts with a house number), so a town after it belongs to it.
func (s *lexScan) addressEndsAt(k int) bool {
	for k >= 0 && s.label[k]&labLoc != 0 {
		if s.toks[k].kind == tokNum && (k == 0 || s.label[k-1]&labLoc == 0) {
			return true
		}
		k--
	}
	return false
}

// personAt: the "at" at token k follows a verb aimed at a person ("looked
// at", "yelled at", "mad at"), so an unknown word after it is a name; any
// other "at" ("seen at", "detox at", "works at") points to a place.
func (s *lexScan) personAt(k int) bool {
	if !s.isWord(k-1) || !s.joined(k-1) {
		return false
	}
	switch string(s.lowerKey(s.key[:0], k-1)) {
	case "look", "looks", "looked", "looking", "stare", "stared", "staring", "glance", "glanced",
		"yell", "yelled", "yelling", "shout", "shouted", "shouting", "scream", "screamed", "screaming",
		"smile", "smiled", "smiling", "laugh", "laughed", "laughing", "grin", "grinned", "wave", "waved",
		"point", "pointed", "swear", "swore", "swearing", "mad", "angry", "upset", "annoyed", "frustrated",
		"snap", "snapped", "lash", "lashed", "swung", "swing", "spit", "throw", "threw", "aimed", "directed",
		"good", "great", "better", "best", "bad",
		// a workplace is a company, which is not PHI: "works at Teradata"
		"work", "works", "worked", "working", "employed", "employee", "job", "jobs", "intern",
		"internship", "interview", "interviewed", "hired", "career", "position", "shares", "stock":
		return true
	}
	return false
}

// goesTo: the "to" at token k ends a move or a referral ("transferred
// to", "went to", "referred to"), so what follows is a place.
func (s *lexScan) goesTo(k int) bool {
	if s.motionBefore(k) {
		return true
	}
	if !s.isWord(k-1) || !s.joined(k-1) {
		return false
	}
	switch string(s.lowerKey(s.key[:0], k-1)) {
	case "c":
		// "d/c to Youville"
		p := int(s.toks[k-1].start)
		return p >= 2 && s.text[p-1] == '/' && (s.text[p-2] == 'd' || s.text[p-2] == 'D')
	case "transfer", "transferred", "transferring", "sent", "send", "discharged", "discharge", "dc", "referred",
		"refer", "referral", "admitted", "admit", "readmitted", "accepted", "taken", "brought", "transported":
		return true
	}
	return false
}

// ourLady: "Our Lady of Lourdes", "OUR LADY OF THE SNOWS": a church, a
// school or a hospital.
func (s *lexScan) ourLady(i int) bool {
	if w := s.word(i); w != "Our" && w != "OUR" || !s.joined(i) || !s.isWord(i+1) {
		return false
	}
	if w := s.word(i + 1); w != "Lady" && w != "LADY" || !s.joined(i+1) || !s.isWord(i+2) {
		return false
	}
	if w := s.word(i + 2); w != "of" && w != "OF" || !s.joined(i+2) {
		return false
	}
	k := i + 3
	if s.isWord(k) && (s.word(k) == "the" || s.word(k) == "THE") && s.joined(k) {
		k++
	}
	if !s.isWord(k) || !s.capital(k) || s.label[k] != 0 {
		return false
	}
	for n := 0; n < 3 && s.joined(k) && s.isWord(k+1) && s.capital(k+1) && s.label[k+1] == 0 &&
		s.toks[k+1].flags&funcBit == 0; n++ {
		k++
	}
	s.mark(i, k, labLoc)
	return true
}

// ward: a hospital ward named for a benefactor and numbered by floor,
// "transfer to Farr 7", "on Baker 4": a surname after "to", "on", "from"
// or "at", then a floor of one or two digits that no unit follows.
func (s *lexScan) ward(i int) bool {
	t := s.toks[i]
	f := t.flags
	if lastLevel(f) == 0 || i+1 >= len(s.toks) || s.toks[i+1].kind != tokNum ||
		t.shape != shapeTitle && !(t.shape == shapeUpper && s.mode != caseMixed) && !(t.shape == shapeLower && s.mode == caseLower) ||
		t.end-t.start < 3 || f&(funcBit|stopBit|stateBit|eponymBit|titleBit|credBit|relateBit|streetBit|facilityBit) != 0 ||
		(f&dictBit != 0 && f&properBit == 0) || hospitalService(s.lowerKey(s.key[:0], i)) {
		return false // but "Bay 4", "Room 12"
	}
	p := i - 1
	if s.punct(p, '>') || s.punct(p, '(') && s.isWord(i+2) && s.joined(i+1) && strings.EqualFold(s.word(i+2), "bed") {
		p = -1 // "MICU -> Tuttle 9", "(Whitcomb 3 bed requested)"
	} else if s.punct(p, '(') && s.isWord(p-1) && s.joined(p-1) {
		p-- // "call out to floor (Stoneman 6)"
	}
	if p >= 0 {
		if !s.isWord(p) || !s.joined(p) || !s.joined(i) || s.label[i] != 0 {
			return false
		}
		switch string(s.lowerKey(s.key[:0], p)) {
		case "to", "on", "from", "at", "onto", "floor", "unit":
		default:
			return false
		}
	} else if !s.joined(i) || s.label[i] != 0 {
		return false
	}
	n := i + 1
	if n >= len(s.toks) || s.toks[n].kind != tokNum {
		return false
	}
	num := s.word(n)
	d := 0
	for d < len(num) && lexDigit(num[d]) {
		d++
	}
	if d == 0 || d > 2 || len(num)-d > 1 || smallInt(num[:d]) == 0 || smallInt(num[:d]) > 20 {
		return false
	}
	if e := s.toks[n].end; int(e) < len(s.text) && (s.text[e] == '.' || s.text[e] == '/' || s.text[e] == '-' || s.text[e] == '%' || s.text[e] == ':') &&
		int(e)+1 < len(s.text) && lexDigit(s.text[e+1]) {
		return false // "Lasix 2.5", "Baker 3/4"
	}
	if s.isWord(n+1) && s.joined(n) && isUnitWord(s.lowerKey(s.key[:0], n+1)) {
		return false
	}
	s.mark(i, n, labLoc)
	return true
}

// mountPlace: "Mount Auburn", "Mt. Sinai", "MOUNT AUBURN": a mountain, a
// town or the hospital named for it; "Mt" alone is a name's initial only
// in a signature.
func (s *lexScan) mountPlace(i int) bool {
	w := s.word(i)
	j := i + 1
	switch w {
	case "Mount", "MOUNT":
	case "Mt", "MT":
		if !s.punct(j, '.') && w == "MT" && !(s.flag(i-1, placePrep) && s.joined(i-1) && s.joined(i) && s.isWord(j) &&
			s.toks[j].end-s.toks[j].start >= 4 && (cityLevel(s.toks[j].flags) > 0 || lastLevel(s.toks[j].flags) > 0 || firstLevel(s.toks[j].flags) > 0)) {
			return false // "MT": music therapy, a state code; but "AT MT AUBURN"
		}
	default:
		return false
	}
	if s.punct(j, '.') {
		j++
	}
	if !s.isWord(j) || !s.joined(j-1) || s.label[j] != 0 || !s.capital(j) || (s.mode == caseMixed && s.toks[j].shape == shapeLower) {
		return false
	}
	if f := s.toks[j].flags; f&(funcBit|stopBit|titleBit|relateBit) != 0 {
		return false
	}
	end := j
	for end+1 < len(s.toks) && s.joined(end) && s.isWord(end+1) && s.flag(end+1, facilityBit) && s.capital(end+1) {
		end++ // "Mount Auburn Hospital", "Mt. Sinai Medical Center"
	}
	s.mark(i, end, labLoc)
	return true
}

// ordinalWord: "5th", "21st", "2ND": a numbered street.
func ordinalWord(w string) bool {
	n := len(w)
	if n < 3 || !lexDigit(w[0]) {
		return false
	}
	switch strings.ToLower(w[n-2:]) {
	case "st", "nd", "rd", "th":
		return lexAllDigits(w[:n-2])
	}
	return false
}

// originPlace: after a verb of admission, transfer or residence and "from",
// "to" or "at", capitalized words name where the patient came from or goes:
// "transferred from St. Elsewhere", "lives at Sunrise", "ADMITTED FROM THE
// FAIRWAYS". Rooms, units and homes ("from ED", "to floor", "from home")
// are shorthand or ordinary words and stay out.
func (s *lexScan) originPlace(prep int) bool {
	if s.mode == caseLower || !s.joined(prep) || !s.isWord(prep-1) || !s.joined(prep-1) {
		return false
	}
	switch strings.ToLower(s.word(prep)) {
	case "from", "to", "at":
	default:
		return false
	}
	if !originVerb(s.lowerKey(s.key[:0], prep-1)) {
		return false
	}
	k := prep + 1
	if s.isWord(k) && s.label[k] == 0 && s.ward(k) {
		return true // "transfer to Stoneman 9"
	}
	if s.isWord(k) && strings.EqualFold(s.word(k), "the") && s.joined(k) {
		k++
	}
	first, last, specific := k, -1, false
	for n := 0; n < 4 && k < len(s.toks); n++ {
		if n > 0 && !s.joined(k-1) {
			break
		}
		if s.punct(k, '.') && k > first && strings.EqualFold(s.word(k-1), "st") {
			k++
			continue
		}
		ok, spec := s.placeRunWord(k, n == 0)
		if !ok {
			break
		}
		specific = specific || spec
		last = k
		k++
	}
	if last < 0 || !specific {
		return false
	}
	if n := last + 1; s.isWord(n) && s.joined(last) && hospitalService(s.lowerKey(s.key[:0], n)) {
		return false // "transferred to Heart Failure service"
	}
	if last == first {
		f := s.toks[first].flags
		if f&facilityBit != 0 || drugLike(s.lowerKey(s.key[:0], first)) {
			return false // "to Rehab", "from Clinic"
		}
		if s.mode == caseMixed && s.toks[first].shape == shapeUpper {
			return false // "sent to MUSE", "from OSH": shorthand
		}
		if s.mode != caseMixed && f&(dictBit|properBit) == 0 && firstLevel(f) == 0 && lastLevel(f) == 0 && cityLevel(f) == 0 &&
			s.toks[first].end-s.toks[first].start < 6 {
			return false // "ACCEPTED AT LTAC": shorthand
		}
		if firstLevel(f) == 3 && cityLevel(f) == 0 && (s.toks[first].mark&markPossessive != 0 || !strings.EqualFold(s.word(prep), "from")) {
			return false // "went to Sarah's", "talked to Maria"
		}
		if e, p := s.placeAt(first); e == first && p.kind == placeCountry {
			return false
		}
	}
	s.mark(first, last, labLoc)
	return true
}

// placePrepAt reports a preposition of place at token k, "out of" included
// ("fishing boats out of Gloucester").
func (s *lexScan) placePrepAt(k int) bool {
	if s.flag(k, placePrep) {
		return true
	}
	return s.isWord(k) && strings.EqualFold(s.word(k), "of") && k > 0 && s.joined(k-1) && s.isWord(k-1) &&
		(strings.EqualFold(s.word(k-1), "out") || strings.EqualFold(s.word(k-1), "resident") || strings.EqualFold(s.word(k-1), "native"))
}

// residence: where someone was born, lives or moved, named after "in",
// "from" or "to" in capitals of its own: "born in Cork", "lives in
// Chinatown", "at home in Fields Corner". In prose a capitalized run there
// is a place even when its words are dictionary words; in capitals only
// words that are no dictionary word or are in the gazetteer count.
func (s *lexScan) residence(prep int) bool {
	if s.mode == caseLower || !s.joined(prep) || !s.isWord(prep-1) || !s.joined(prep-1) {
		return false
	}
	switch string(s.lowerKey(s.key[:0], prep)) {
	case "in", "from", "to":
	default:
		return false
	}
	switch string(s.lowerKey(s.key[:0], prep-1)) {
	case "born", "lives", "lived", "living", "live", "raised", "resides", "reside", "residing", "moved",
		"relocated", "home":
	case "up":
		if !s.isWord(prep-2) || !s.joined(prep-2) {
			return false
		}
		if w := string(s.lowerKey(s.key[:0], prep-2)); w != "grew" && w != "grown" && w != "growing" {
			return false // "follow up in Cardiology Clinic"
		}
	default:
		return false
	}
	first, last := prep+1, -1
	if s.stateAfter(prep) == first {
		return false // "moved from Rhode Island"
	}
	for k := first; k < len(s.toks) && k < first+3; k++ {
		if k > first && !s.joined(k-1) {
			break
		}
		t := s.toks[k]
		if t.kind != tokWord || s.label[k] != 0 || !s.capital(k) ||
			t.flags&(stateBit|stopBit|funcBit|titleBit|relateBit|credBit|eponymBit|greetBit) != 0 {
			break
		}
		if s.mode == caseMixed && t.shape != shapeTitle {
			break
		}
		if s.mode != caseMixed && t.flags&dictBit != 0 && cityLevel(t.flags) == 0 {
			break
		}
		if e, p := s.placeAt(k); e >= k && p.kind == placeCountry {
			break
		}
		last = k
	}
	if last < 0 {
		return false
	}
	generic := true
	for k := first; k <= last; k++ {
		generic = generic && s.toks[k].flags&(genericBit|facilityBit) != 0
	}
	if generic {
		return false // "lives in Assisted Living"
	}
	s.mark(first, last, labLoc)
	return true
}

// cityOfCountry: a town abroad written with its country, "Cork, Ireland",
// "Praia, Cape Verde": the town is a place even when no list knows it.
func (s *lexScan) cityOfCountry(i int) bool {
	t := s.toks[i]
	if !s.capital(i) || s.mode == caseMixed && t.shape != shapeTitle || t.end-t.start < 3 ||
		t.flags&(funcBit|stopBit|stateBit|titleBit|relateBit|credBit|eponymBit|facilityBit|genericBit) != 0 {
		return false
	}
	if !s.punct(i+1, ',') || !s.isWord(i+2) || !s.joined(i+1) {
		return false
	}
	if e, p := s.placeAt(i + 2); e < i+2 || p.kind != placeCountry {
		return false
	}
	if e, p := s.placeAt(i); e >= i && p.kind == placeCountry {
		return false // a list of countries
	}
	s.mark(i, i, labLoc)
	return true
}

// facilityAcronym: a hospital's initials after "at", "from" or "to", or in
// brackets after a facility: "mom remains at MVH", "transferred from
// Shawmut Medical Ctr (SMC)", "d/c'd home w/ HVNA". Initials ending in H
// (hospital), MC (medical center) or VNA.
func (s *lexScan) facilityAcronym(i int) bool {
	t := s.toks[i]
	w := s.word(i)
	if t.shape != shapeUpper || len(w) < 3 || len(w) > 6 || s.label[i] != 0 || t.flags&(stateBit|stopBit|funcBit) != 0 {
		return false
	}
	if !strings.HasSuffix(w, "H") && !strings.HasSuffix(w, "MC") && !strings.HasSuffix(w, "VNA") {
		return false
	}
	switch w {
	case "ICH", "SAH", "BPH", "LVH", "RVH", "PPH", "HTH", "DOH", "CHH", "TSH", "LDH", "ACTH", "FSH", "PTH", "ADH", "GH", "MCH", "VNA":
		return false // conditions and hormones
	}
	if s.punct(i-1, '(') && s.punct(i+1, ')') && i >= 2 && s.label[i-2]&labLoc != 0 {
		s.mark(i, i, labLoc)
		return true
	}
	if !s.isWord(i-1) || !s.joined(i-1) {
		return false
	}
	switch string(s.lowerKey(s.key[:0], i-1)) {
	case "at", "from", "to", "w", "with", "by":
		s.mark(i, i, labLoc)
		return true
	}
	return false
}

// featurePlace: a neighbourhood or area named by a geographic feature word
// after one or two capitalized words, after a preposition of place or
// "the": "from the North End", "near FIELDS CORNER", "up from Cape Cod",
// "in Back Bay". Marks the run; i is the first word after the preposition.
func (s *lexScan) featurePlace(i int) bool {
	p := i - 1
	if s.isWord(p) && strings.EqualFold(s.word(p), "the") && s.joined(p) {
		p--
	}
	if !s.isWord(p) || !s.joined(p) || !(s.placePrepAt(p) || s.flag(p, placePrep)) {
		return false
	}
	for n := 1; n <= 2; n++ {
		h := i + n
		if h >= len(s.toks) || !s.joined(h-1) || !s.isWord(h) {
			return false
		}
		ok := true
		for k := i; k <= h; k++ {
			t := s.toks[k]
			if s.label[k] != 0 || !s.capital(k) || (s.mode == caseMixed && t.shape != shapeTitle) ||
				t.flags&(funcBit|stopBit|stateBit|titleBit|relateBit|credBit|eponymBit) != 0 {
				ok = false
				break
			}
		}
		if !ok {
			return false
		}
		switch string(s.lowerKey(s.key[:0], h)) {
		case "end", "corner", "square", "hill", "hills", "heights", "village", "point", "falls", "harbor", "harbour",
			"beach", "bay", "plain", "plains", "crossing", "landing", "junction", "cove", "neck", "grove", "ridge",
			"valley", "springs", "cod", "vineyard", "highlands", "terrace", "gardens", "meadows", "estates":
			if s.isWord(h+1) && s.joined(h) && s.capital(h+1) && s.toks[h+1].flags&facilityBit == 0 {
				return false // a longer name: leave it to the facility and street rules
			}
			s.mark(i, h, labLoc)
			return true
		}
	}
	return false
}

// atNamedPlace: in prose, "at" before a run of two to four capitalized
// words names a place even without a facility word: "at Palmetto Heart",
// "at Autumn Ridge", "at Lakewood Baptist", "at Westview Middle".
func (s *lexScan) atNamedPlace(prep int) bool {
	if s.mode != caseMixed || !strings.EqualFold(s.word(prep), "at") || !s.joined(prep) {
		return false
	}
	first, last := prep+1, -1
	for k := first; k < len(s.toks) && k < first+4; k++ {
		if k == first+1 && s.punct(k, '.') && strings.EqualFold(s.word(first), "st") && s.isWord(k+1) && s.toks[k+1].shape == shapeTitle {
			continue // "at St. Stanislaus"
		}
		if k > first && !s.joined(k-1) {
			break
		}
		t := s.toks[k]
		if t.kind != tokWord || s.label[k] != 0 || t.shape != shapeTitle ||
			t.flags&(stateBit|stopBit|funcBit|titleBit|relateBit|credBit|eponymBit|greetBit) != 0 {
			break
		}
		last = k
	}
	if last <= first {
		return false
	}
	if s.isWord(last+1) && s.joined(last) && s.capital(last+1) {
		return false // a longer capitalized run: a title or a sentence in capitals
	}
	f0, f1 := s.toks[first].flags, s.toks[first+1].flags
	if last == first+1 && firstLevel(f0) >= 2 && lastLevel(f1) >= 1 && wordLevel(f1) < 2 {
		return false // "at Maria Lopez": a person
	}
	s.mark(first, last, labLoc)
	return true
}

// originVerb: verbs of admission, transfer, referral and residence before
// "from", "to" or "at".
func originVerb(k []byte) bool {
	switch string(k) {
	case "admitted", "admit", "readmitted", "transferred", "transfer", "transferring", "tx", "txd", "xfer",
		"xferred", "arrived", "arrives", "returned", "return", "returning", "discharged", "discharge", "dc",
		"dcd", "accepted", "lives", "living", "lived", "resides", "resided", "resident", "referred", "sent",
		"screened", "placement":
		return true
	}
	return false
}

// placeRunWord judges token k as a word of a facility's or a place's name
// written without a facility word: capitalized in prose; in capitals, no
// everyday word or shorthand. spec: it names rather than describes.
func (s *lexScan) placeRunWord(k int, first bool) (ok, spec bool) {
	if !s.isWord(k) || s.label[k] != 0 {
		return false, false
	}
	t := s.toks[k]
	f := t.flags
	w := s.word(k)
	if first && numberWord(strings.ToLower(w)) && s.joined(k) && s.isWord(k+1) && s.capital(k+1) &&
		(s.mode != caseMixed || t.shape == shapeTitle) && s.toks[k+1].flags&(funcBit|stopBit) == 0 {
		return true, false // "Seven Hills", "THREE RIVERS"
	}
	if f&(funcBit|stopBit|relateBit|titleBit|credBit|weakRelBit) != 0 || lexHasDigit(w) || lexHasHyphen(w) ||
		hospitalService(s.lowerKey(s.key[:0], k)) {
		return false, false
	}
	saint := strings.EqualFold(w, "st") || strings.EqualFold(w, "saint") || strings.EqualFold(w, "mt")
	if f&stateBit != 0 && !(first && saint) {
		return false, false
	}
	named := firstLevel(f) > 0 || lastLevel(f) > 0 || cityLevel(f) > 0
	if s.mode == caseMixed {
		if t.shape != shapeTitle && !(t.shape == shapeUpper && t.end-t.start >= 3) {
			return false, false
		}
	} else if !saint && (t.end-t.start < 4 || wordLevel(f) >= 3 || wordLevel(f) == 2 && !named) {
		return false, false
	}
	spec = f&genericBit == 0 && !saint && f&streetBit == 0
	if s.mode != caseMixed && spec {
		// In capitals, one word at least must be a name, a town or no
		// dictionary word: "THE FAIRWAYS", "KINDRED", not "BASELINE".
		spec = firstLevel(f) > 0 || lastLevel(f) > 0 || cityLevel(f) > 0 || f&properBit != 0 || f&dictBit == 0
	}
	return true, spec
}

// hospitalService: departments, services, units and rooms of a hospital,
// and the states a patient returns to; none names a place of its own:
// "referred to Neurology", "sent to Radiology", "RETURNED TO BASELINE".
func hospitalService(k []byte) bool {
	w := string(k)
	for _, suf := range []string{"ology", "oscopy", "surgery", "iatry", "iatrics", "opedics", "therapy", "graphy"} {
		if strings.HasSuffix(w, suf) {
			return true
		}
	}
	switch w {
	case "medicine", "surgery", "lab", "labs", "laboratory", "cath", "step", "stepdown", "down", "unit", "units",
		"room", "rm", "bay", "bed", "beds", "floor", "home", "baseline", "placement", "service", "services",
		"social", "work", "physical", "occupational", "speech", "interventional", "acute", "subacute",
		"recovery", "holding", "triage", "ward", "pharmacy", "nutrition", "anesthesia", "transplant",
		"trauma", "burn", "labor", "delivery", "emergency", "intensive", "critical", "telemetry", "tele",
		"observation", "obs", "pre-op", "post-op", "procedure", "procedures", "imaging", "vascular", "internal", "palliative",
		"comfort", "chair", "commode", "bathroom", "shower", "hallway", "hall", "sleep", "normal", "sinus",
		"rhythm", "isolation", "morgue", "treatment", "pulmonary", "cardiac", "medical", "surgical", "neuro",
		"pediatric", "pediatrics", "geriatric", "geriatrics", "oncology", "hematology", "preop", "postop",
		"nursing", "care", "team", "icu", "clinic", "dialysis", "infusion", "wound", "ostomy", "pain",
		"echo", "xray", "scan", "scanner", "ultrasound", "mri", "operating", "recovering", "waiting", "lobby",
		"short", "stay", "case", "management", "risk", "high", "low", "main", "level", "ltac", "ltach", "snf",
		"alf", "nh", "ecf", "ltc", "ltcf", "irf", "sar", "hotel", "motel", "va", "department", "dept":
		return true
	}
	return false
}

func numberWord(w string) bool {
	switch w {
	case "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "twin":
		return true
	}
	return false
}

// describedPlaces: a name before a bracketed kind of residence, "SEVEN
// HILLS (NH IN GROTON)", "Park Place (assisted living)": a facility. The
// bracket vouches for it, so in capitals everyday words may name it, as
// long as one of them is a name, a town or a rare word.
func (s *lexScan) describedPlaces() {
	if s.mode == caseLower {
		return // without capitals nothing marks where a name starts
	}
	for p := 2; p+1 < len(s.toks); p++ {
		if !s.punct(p, '(') || !s.isWord(p+1) || !s.joined(p-1) {
			continue
		}
		switch string(s.lowerKey(s.key[:0], p+1)) {
		case "nh", "snf", "alf", "ltac", "ltach", "rehab", "nursing", "assisted", "facility", "group", "hospice",
			"rest", "memory", "skilled", "adult", "senior", "shelter", "dialysis":
		default:
			continue
		}
		first, namey := -1, false
		for k, n := p-1, 0; k >= 0 && n < 4; k, n = k-1, n+1 {
			if n > 0 && !s.joined(k) {
				break
			}
			if !s.isWord(k) || s.label[k] != 0 {
				break
			}
			t := s.toks[k]
			f := t.flags
			w := s.word(k)
			if n > 0 && numberWord(strings.ToLower(w)) && (s.mode != caseMixed || t.shape == shapeTitle) {
				first = k // "Seven Hills"
				break
			}
			if f&(funcBit|stopBit|relateBit|titleBit|credBit|weakRelBit|stateBit) != 0 || lexHasDigit(w) || lexHasHyphen(w) ||
				hospitalService(s.lowerKey(s.key[:0], k)) ||
				t.end-t.start < 3 || !s.capital(k) || (s.mode == caseMixed && t.shape != shapeTitle) {
				break
			}
			if f&genericBit == 0 && (firstLevel(f) > 0 || lastLevel(f) > 0 || cityLevel(f) > 0 || wordLevel(f) <= 1) {
				namey = true
			}
			first = k
		}
		if first >= 0 && namey {
			s.mark(first, p-1, labLoc)
		}
	}
	// "in a nursing home, Cedar View", "at rehab (Oakwood)": the name after
	// the kind of place.
	for p := 1; p+1 < len(s.toks); p++ {
		if !s.punct(p, ',') && !s.punct(p, '(') || !s.isWord(p-1) || !s.joined(p-1) || !s.joined(p) {
			continue
		}
		switch string(s.lowerKey(s.key[:0], p-1)) {
		case "home", "rehab", "facility", "nh", "snf", "alf", "ltac", "ltach", "hospice", "shelter":
			if w := strings.ToLower(s.word(p - 1)); w == "home" && !(s.isWord(p-2) && strings.EqualFold(s.word(p-2), "nursing")) {
				continue // "went home, Dr. Smith aware"
			}
		default:
			continue
		}
		k, last, spec := p+1, -1, false
		for n := 0; n < 3 && k < len(s.toks); n, k = n+1, k+1 {
			if n > 0 && !s.joined(k-1) {
				break
			}
			ok, sp := s.placeRunWord(k, n == 0)
			if !ok || s.cls[k] == clsStrong && n == 0 && s.mode == caseMixed && firstLevel(s.toks[k].flags) >= 2 {
				break // "at rehab, Maria visited": a person
			}
			spec = spec || sp
			last = k
		}
		if last >= 0 && spec && !(s.isWord(last+1) && s.joined(last) && personVerb(strings.ToLower(s.word(last+1)))) {
			s.mark(p+1, last, labLoc)
		}
	}
}
