package guard

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file holds the word-level machinery that the policy rules share (a
// tokenizer that folds case and contractions, and a small phrase matcher
// over word classes) and the patient-relationship rules: phrases that
// confirm someone is or was a patient, in replies, and posts that single
// out one patient through specifics without naming them.
//
// Phrases are matched over words rather than with regular expressions:
// the variants ("your recent knee surgery recovery", "when you were
// admitted", "we've looked into your chart") are sequences of word
// classes, which a table of patterns says plainly and a matcher runs in
// one pass, whatever the case of the text.

// pword is one token of a text: a run of letters and digits, with the byte
// offsets of the original text it came from. Contractions become two words
// over the same bytes ("you're" is "you" "are"), so patterns need not
// spell both forms.
type pword struct {
	start, end int
	w          string // lower case, the form patterns compare
	brk        bool   // a sentence ends between this word and the previous one
	capital    bool   // began with an upper-case letter in the text
	digit      bool   // holds a digit
}

// policyWords splits text into words. It allocates only for words that were
// not already lower case.
func policyWords(text string) []pword {
	words := make([]pword, 0, len(text)/5+1)
	brk := true
	i := 0
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !isWordRune(r) && !(r == '#' && i+1 < len(text) && isASCIIDigitByte(text[i+1])) {
			if breaksSentence(text, i, r, words) {
				brk = true
			}
			i += size
			continue
		}
		end := policyWordEnd(text, i)
		words = appendPword(words, text, i, end, brk)
		brk = false
		i = end
	}
	return words
}

func isASCIIDigitByte(b byte) bool { return b >= '0' && b <= '9' }

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

func isApostrophe(r rune) bool { return r == '\'' || r == '\u2019' || r == '\u02bc' }

// policyWordEnd returns where the word starting at i ends: letters and digits,
// an apostrophe between letters, a point or colon between digits ("3.5",
// "10:30"), a percent sign after digits.
func policyWordEnd(text string, i int) int {
	j := i
	if text[j] == '#' {
		j++
	}
	for j < len(text) {
		r, size := utf8.DecodeRuneInString(text[j:])
		switch {
		case isWordRune(r):
			j += size
			continue
		case isApostrophe(r) || r == '.' || r == ':' || r == ',':
			if j > i && j+size < len(text) {
				prev, _ := utf8.DecodeLastRuneInString(text[:j])
				next, _ := utf8.DecodeRuneInString(text[j+size:])
				if isApostrophe(r) && isWordRune(prev) && unicode.IsLetter(next) {
					j += size
					continue
				}
				if !isApostrophe(r) && prev < utf8.RuneSelf && isASCIIDigitByte(byte(prev)) && next < utf8.RuneSelf && isASCIIDigitByte(byte(next)) {
					j += size
					continue
				}
			}
		case r == '%':
			if j > i && isASCIIDigitByte(text[j-1]) {
				j += size
			}
		}
		break
	}
	return j
}

// sentenceAbbreviations end with a point that does not end a sentence.
var sentenceAbbreviations = map[string]bool{
	"dr": true, "mr": true, "mrs": true, "ms": true, "mx": true, "prof": true, "st": true,
	"jr": true, "sr": true, "vs": true, "no": true, "appt": true, "dept": true, "e": true, "i": true,
	"eg": true, "ie": true, "etc": true, "approx": true, "pt": true, "pts": true,
}

// breaksSentence reports whether punctuation at text[i] ends a sentence:
// '.', '!', '?', ';', ':' and line breaks, except the point after an
// abbreviation or an initial ("Dr. Lee", "J. Smith").
func breaksSentence(text string, i int, r rune, words []pword) bool {
	switch r {
	case '!', '?', ';', ':', '\n':
		return true
	case '.':
		if n := len(words); n > 0 && words[n-1].end == i {
			last := words[n-1]
			if sentenceAbbreviations[last.w] || last.end-last.start == 1 && !last.digit {
				return false
			}
		}
		return true
	}
	return false
}

// contractionWords lists the spellings that stand for two words, with or
// without the apostrophe, and the shorthand of social media.
var contractionWords = map[string][2]string{
	"youre": {"you", "are"}, "youve": {"you", "have"}, "youll": {"you", "will"}, "youd": {"you", "would"},
	"weve": {"we", "have"},
	"dont": {"do", "not"}, "didnt": {"did", "not"}, "doesnt": {"does", "not"}, "cant": {"can", "not"},
	"cannot": {"can", "not"}, "wont": {"will", "not"}, "isnt": {"is", "not"}, "wasnt": {"was", "not"},
	"arent": {"are", "not"}, "werent": {"were", "not"}, "havent": {"have", "not"}, "hasnt": {"has", "not"},
	"couldnt": {"could", "not"}, "shouldnt": {"should", "not"}, "wouldnt": {"would", "not"},
	"im": {"i", "am"}, "ive": {"i", "have"}, "theyre": {"they", "are"},
	"u": {"you", ""}, "ur": {"your", ""}, "yr": {"your", ""}, "thx": {"thanks", ""}, "thanx": {"thanks", ""},
	"tnx": {"thanks", ""}, "pls": {"please", ""}, "plz": {"please", ""},
	"appt": {"appointment", ""}, "appts": {"appointments", ""},
}

// contractionSuffix says what the part after an apostrophe stands for.
var contractionSuffix = map[string]string{"re": "are", "ve": "have", "ll": "will", "d": "would", "m": "am", "s": "'s"}

func appendPword(words []pword, text string, start, end int, brk bool) []pword {
	raw := text[start:end]
	first, _ := utf8.DecodeRuneInString(raw)
	w := pword{start: start, end: end, brk: brk, capital: unicode.IsUpper(first), digit: strings.IndexAny(raw, "0123456789") >= 0}
	lw := foldLower(raw)
	if k := apostropheIndex(lw); k >= 0 {
		base, suffix := lw[:k], lw[k+apostropheLen(lw[k:]):]
		return appendContraction(words, w, base, suffix)
	}
	if pair, ok := contractionWords[lw]; ok {
		w.w = pair[0]
		words = append(words, w)
		if pair[1] != "" {
			w.brk, w.w = false, pair[1]
			words = append(words, w)
		}
		return words
	}
	w.w = lw
	return append(words, w)
}

func appendContraction(words []pword, w pword, base, suffix string) []pword {
	second := ""
	switch {
	case suffix == "t" && base == "can":
		second = "not"
	case suffix == "t" && base == "won":
		base, second = "will", "not"
	case suffix == "t" && strings.HasSuffix(base, "n"):
		base, second = base[:len(base)-1], "not"
	default:
		if s, ok := contractionSuffix[suffix]; ok {
			second = s
		} else {
			base += suffix // O'Brien
		}
	}
	w.w = base
	words = append(words, w)
	if second != "" {
		w.brk, w.w = false, second
		words = append(words, w)
	}
	return words
}

func apostropheIndex(s string) int {
	for i, r := range s {
		if isApostrophe(r) {
			return i
		}
	}
	return -1
}

func apostropheLen(s string) int {
	_, size := utf8.DecodeRuneInString(s)
	return size
}

// foldLower folds case without allocating when s is already lower case.
func foldLower(s string) string {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' || c >= utf8.RuneSelf {
			return strings.ToLower(s)
		}
	}
	return s
}

// stemWord folds the plural and possessive endings so that "knees" in a reply
// matches "knee" in the review.
func stemWord(w string) string {
	n := len(w)
	switch {
	case n > 4 && strings.HasSuffix(w, "ies"):
		return w[:n-3] + "y"
	case n > 4 && (strings.HasSuffix(w, "sses") || strings.HasSuffix(w, "shes") || strings.HasSuffix(w, "ches") || strings.HasSuffix(w, "xes")):
		return w[:n-2]
	case n > 3 && w[n-1] == 's' && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is"):
		return w[:n-1]
	}
	return w
}

// ctxMask is a set of contexts a rule applies in.
type ctxMask uint8

const (
	inReview ctxMask = 1 << iota
	inReply
	inComment
	inAnswer
	inPost // posts, articles, profiles, alt text

	inConversation = inReview | inReply | inComment // answering a person
	inReplies      = inConversation | inAnswer
)

func maskOf(c Context) ctxMask {
	switch c {
	case ContextReviewReply:
		return inReview
	case ContextReply:
		return inReply
	case ContextComment:
		return inComment
	case ContextAnswer:
		return inAnswer
	}
	return inPost
}

// phraseElem is one step of a phrase pattern: a word from a set, repeated
// between min and max times; a nil set is a gap of any words.
type phraseElem struct {
	words    map[string]bool
	digits   bool // any word holding a digit ("@num")
	min, max int
}

func (e phraseElem) accepts(w pword) bool {
	return e.words == nil && !e.digits || e.words[w.w] || e.digits && w.digit
}

// phrase is a compiled pattern with what a match means.
type phrase struct {
	elems []phraseElem
	scope ctxMask
	// strength: weak phrases ("your care") give way to a hypothetical
	// ("if you have questions about your care") or to a refusal to discuss
	// ("we cannot discuss your care"); normal ones give way to a
	// hypothetical only; strong ones always count.
	strength int
	kind     string
}

const (
	strengthWeak = iota
	strengthNormal
	strengthStrong
)

// phraseSet indexes phrases by the words their first element accepts.
type phraseSet struct {
	byFirst map[string][]*phrase
}

// wordClasses are the named sets patterns refer to as @name.
type wordClasses map[string][]string

// compilePhrases builds a set from patterns. A pattern is words separated
// by spaces; "a|b|@class" accepts any of those, a trailing "?" makes the
// step optional, "*" allows zero to three, "+" one to three, and "~N" skips
// up to N words of the same sentence. Patterns are constants of this
// package, so a malformed one is a programming error caught by the tests.
func compilePhrases(classes wordClasses, specs []phraseSpec) phraseSet {
	set := phraseSet{byFirst: map[string][]*phrase{}}
	for _, s := range specs {
		p := &phrase{scope: s.scope, strength: s.strength, kind: s.kind}
		for _, f := range strings.Fields(s.pattern) {
			p.elems = append(p.elems, compileElement(classes, f))
		}
		if len(p.elems) == 0 || p.elems[0].words == nil || p.elems[0].min == 0 {
			panic("guard: pattern must start with a required word: " + s.pattern)
		}
		for w := range p.elems[0].words {
			set.byFirst[w] = append(set.byFirst[w], p)
		}
	}
	return set
}

type phraseSpec struct {
	pattern  string
	scope    ctxMask
	strength int
	kind     string
}

func compileElement(classes wordClasses, f string) phraseElem {
	if f[0] == '~' {
		return phraseElem{min: 0, max: int(f[1] - '0')}
	}
	e := phraseElem{words: map[string]bool{}, min: 1, max: 1}
	switch f[len(f)-1] {
	case '?':
		e.min, f = 0, f[:len(f)-1]
	case '*':
		e.min, e.max, f = 0, 3, f[:len(f)-1]
	case '+':
		e.max, f = 3, f[:len(f)-1]
	}
	for _, alt := range strings.Split(f, "|") {
		if alt == "@num" {
			e.digits = true
			continue
		}
		if alt[0] == '@' {
			list, ok := classes[alt[1:]]
			if !ok {
				panic("guard: unknown word class " + alt)
			}
			for _, w := range list {
				e.words[w] = true
			}
			continue
		}
		e.words[alt] = true
	}
	return e
}

// phraseMatch is a phrase found at words [from, to).
type phraseMatch struct {
	from, to int
	p        *phrase
}

// find returns every phrase of the set that matches in words, for the
// contexts in scope, longest first at each position.
func (s phraseSet) find(words []pword, scope ctxMask) []phraseMatch {
	var out []phraseMatch
	for i := range words {
		best := phraseMatch{to: -1}
		for _, p := range s.byFirst[words[i].w] {
			if p.scope&scope == 0 {
				continue
			}
			if end := matchElems(p.elems, words, i, i); end > best.to {
				best = phraseMatch{from: i, to: end, p: p}
			}
		}
		if best.p != nil {
			out = append(out, best)
		}
	}
	return out
}

// matchElems matches elems against words from i (the phrase began at
// from) and returns where the match ends, or -1; each step takes as many
// words as it can and gives them back if the rest does not match. No
// phrase runs across the end of a sentence.
func matchElems(elems []phraseElem, words []pword, from, i int) int {
	if len(elems) == 0 {
		return i
	}
	e := elems[0]
	n := 0
	for n < e.max && i+n < len(words) && (i+n == from || !words[i+n].brk) && e.accepts(words[i+n]) {
		n++
	}
	for k := n; k >= e.min; k-- {
		if end := matchElems(elems[1:], words, from, i+k); end >= 0 {
			if len(elems) == 1 && k == 0 && e.words == nil && !e.digits {
				return i // a trailing gap adds nothing
			}
			return end
		}
	}
	return -1
}

// sentenceStartAt returns the index of the first word of i's sentence.
func sentenceStartAt(words []pword, i int) int {
	for i > 0 && !words[i].brk {
		i--
	}
	return i
}

// sentenceEndAt returns the index just past the last word of i's sentence.
func sentenceEndAt(words []pword, i int) int {
	i++
	for i < len(words) && !words[i].brk {
		i++
	}
	return i
}

// hypotheticalWords before a phrase in its sentence make it a condition,
// not a statement ("if you have questions about your bill").
var hypotheticalWords = map[string]bool{
	"if": true, "whether": true, "anyone": true, "anybody": true, "whenever": true, "everyone": true,
	"unless": true,
}

// hypotheticalAt reports whether the phrase at words[i] is inside a
// condition or a generalization.
func hypotheticalAt(words []pword, i int) bool {
	start := sentenceStartAt(words, i)
	if words[start].w == "should" {
		return true // "Should you have questions about your bill, ..."
	}
	for j := start; j < i; j++ {
		switch w := words[j].w; {
		case w == "any" || w == "every" || w == "all":
			// "any patient", "all patients": a generalization; "any
			// inconvenience during your stay" is not one.
			if j+1 < i && (words[j+1].w == "patient" || words[j+1].w == "patients" || words[j+1].w == "questions" || words[j+1].w == "concerns") {
				return true
			}
		case hypotheticalWords[w]:
			return true
		}
	}
	return false
}

var (
	refusalNegations = map[string]bool{"not": true, "never": true, "unable": true, "cannot": true}
	refusalVerbs     = map[string]bool{
		"discuss": true, "confirm": true, "comment": true, "share": true, "disclose": true,
		"address": true, "talk": true, "respond": true, "deny": true, "release": true, "reveal": true,
	}
)

// refusalAt reports whether the sentence of words[i] declines to discuss
// care ("we cannot discuss your care here").
func refusalAt(words []pword, i int) bool {
	neg, verb := false, false
	for j := sentenceStartAt(words, i); j < sentenceEndAt(words, i); j++ {
		neg = neg || refusalNegations[words[j].w]
		verb = verb || refusalVerbs[words[j].w]
	}
	return neg && verb
}

// relationshipClasses are the word classes of the disclosure patterns.
var relationshipClasses = wordClasses{
	// encounter: things that exist only because someone was seen.
	"encounter": strings.Fields(`visit visits appointment appointments stay stays admission admissions
		hospitalization discharge checkup checkups check consultation consultations consult consults
		session sessions exam exams examination examinations evaluation evaluations assessment
		screening screenings followup encounter encounters chart charts record records file files
		paperwork intake bill bills billing invoice invoices statement statements claim claims copay
		copays deductible balance balances refund payment payments wait waits referral referrals
		insurance coverage physical physicals`),
	// clinical: a person's health, care and results.
	"clinical": strings.Fields(`treatment treatments therapy therapies procedure procedures surgery
		surgeries operation operations diagnosis diagnoses prognosis condition conditions symptom
		symptoms injury injuries illness illnesses sickness disease diseases disorder infection
		infections pain pains recovery healing rehab rehabilitation prescription prescriptions refill
		refills rx medication medications meds medicine medicines dose dosage dosages test tests
		testing labs lab bloodwork workup imaging xray ray mri mris ct scan scans
		ultrasound ultrasounds biopsy biopsies mammogram mammograms colonoscopy endoscopy ekg ecg echo
		vaccine vaccines vaccination vaccinations shot shots injection injections infusion infusions
		cleaning cleanings filling fillings crown crowns extraction extractions implant implants braces
		dentures denture canal delivery birth labor pregnancy baby newborn stitches cast fracture
		wound incision scar cancer tumor chemo chemotherapy radiation transplant dialysis replacement
		reconstruction repair removal fusion tear sprain concussion stroke attack diabetes hernia
		cataract cataracts hearing glasses lenses contacts stent bypass catheter ivf miscarriage
		abortion sti std hiv rash acne botox filler fillers lasik mole cyst covid flu fever cough
		headache headaches migraine migraines smile`),
	"bodyStrong": strings.Fields(`knee knees hip hips shoulder shoulders spine ankle ankles wrist wrists
		elbow elbows tooth teeth gum gums molar molars jaw tonsils sinus sinuses colon prostate breast
		breasts thyroid kidney kidneys liver lung lungs bladder uterus cervix ovary ovaries pelvis
		abdomen gallbladder appendix acl mcl meniscus rotator tendon tendons ligament ligaments
		cartilage retina cornea vertebra disc disk spinal achilles`),
	"bodyWeak": strings.Fields(`back neck hand hands arm arms leg legs foot feet head heart eye eyes ear
		ears nose mouth face skin chest stomach belly side body brain blood bone bones joint joints
		muscle muscles lower upper left right`),
	"mod": strings.Fields(`recent last next previous prior first second third upcoming scheduled annual
		yearly routine initial latest most follow up new old surgical dental medical lab hospital er
		ed emergency urgent icu outpatient inpatient physical wellness well pre post op preop postop
		overnight weekly monthly daily recent cardiac orthopedic orthopaedic pediatric cosmetic laser
		total partial root wisdom blood care 's s`),
	"modRecent": strings.Fields(`recent last previous prior first latest past most`),
	"relative": strings.Fields(`mom mother mum dad father husband wife son daughter child children kid kids
		infant toddler parent parents spouse partner grandmother grandfather grandma grandpa granddaughter
		grandson sister brother aunt uncle niece nephew fiance fiancee boyfriend girlfriend`),
	"clinician": strings.Fields(`doctor doctors dr doc physician provider providers surgeon dentist
		hygienist nurse nurses np pa therapist pharmacist specialist pcp ob obgyn gyn midwife
		anesthesiologist radiologist cardiologist oncologist dermatologist orthodontist chiropractor
		optometrist ophthalmologist podiatrist psychiatrist psychologist counselor clinician practitioner`),
	"encounterVerb": strings.Fields(`came were visited arrived checked stayed called spoke`),
	"pastPassive": strings.Fields(`seen treated admitted discharged examined diagnosed prescribed billed
		charged referred operated evaluated scheduled rescheduled triaged sedated intubated here
		transferred tested vaccinated x rayed scanned sent`),
	"missed": strings.Fields(`missed cancelled canceled rescheduled skipped`),
	"didUs": strings.Fields(`treated treating examined examining admitted admitting discharged diagnosed
		billed charged operated rescheduled scheduled referred prescribed`),
	"reviewed": strings.Fields(`reviewed review reviewing checked check checking looked looking pulled
		pulling went going examined investigated investigating researched found consulted`),
	"records": strings.Fields(`records record notes note chart charts files file system documentation
		history account case visit visits care treatment appointment appointments`),
	"show": strings.Fields(`show shows showed indicate indicates indicated reflect reflects reflected
		confirm confirms confirmed state states stated say says said note notes noted`),
	"thank":      strings.Fields(`thank thanks grateful appreciate appreciated`),
	"trusting":   strings.Fields(`visiting choosing trusting entrusting`),
	"patientDet": strings.Fields(`our former loyal longtime valued`),
	"thirdParty": strings.Fields(`reviewer individual person gentleman lady woman man client customer
		family mother father parent`),
	"thirdEvent": strings.Fields(`was is has had came visited missed arrived refused left received declined
		never did`),
	"glad": strings.Fields(`glad happy pleased thrilled delighted relieved`),
	"hope": strings.Fields(`hope hoping hopefully wish wishing trust`),
	"online": strings.Fields(`website site page blog profile channel feed post booth stand table
		webpage podcast newsletter account`),
	"betterWell": strings.Fields(`better recovering healing improving`),
	"speedy":     strings.Fields(`speedy quick swift full smooth fast`),
	"liked":      strings.Fields(`had enjoyed liked loved`),
	"waitWord":   strings.Fields(`wait waited waiting`),
}

// relationshipWordClasses completes the classes: every clinical term can
// be named after "your", and any clinical or encounter word can stand
// before another ("your vasectomy consult", "your knee surgery recovery").
func relationshipWordClasses() wordClasses {
	c := wordClasses{}
	for k, v := range relationshipClasses {
		c[k] = v
	}
	c["clinical"] = append(append([]string{}, c["clinical"]...), clinicalTermList...)
	var mods []string
	for _, k := range []string{"mod", "clinical", "encounter", "bodyStrong", "bodyWeak"} {
		mods = append(mods, c[k]...)
	}
	c["mod"] = mods
	return c
}

// relationshipPhrases confirm that the person answered is, was, or is
// about to be a patient, or tell something of their care.
var relationshipPhrases = compilePhrases(relationshipWordClasses(), []phraseSpec{
	// When and while they were here.
	{"when you last|first? @encounterVerb", inReplies, strengthNormal, ""},
	{"when you last|first? saw|met|spoke with? dr|doctor|doc|our|us|nurse", inReplies, strengthNormal, ""},
	{"during|since|after|before your @modRecent? @encounter", inReplies, strengthStrong, ""},
	{"during|since|after|before your @mod* @clinical|@bodyStrong", inConversation, strengthNormal, ""},
	{"your @modRecent @mod* @encounter|@clinical", inReplies, strengthNormal, ""},
	{"your @mod* @encounter|@clinical|@bodyStrong", inConversation, strengthNormal, ""},
	{"your @mod* result|results|outcome|outcomes", inReview, strengthNormal, ""},
	{"your follow up", inConversation, strengthNormal, ""},
	{"your care|treatment|case", inReview, strengthWeak, ""},
	{"your @relative 's? @mod* @encounter|@clinical|@bodyStrong", inConversation, strengthNormal, ""},
	{"your @relative", inReview, strengthNormal, ""},
	{"your loved one", inReview, strengthNormal, ""},
	{"your @clinician", inReview, strengthNormal, ""},
	{"your care team", inReview, strengthNormal, ""},
	// What our records say.
	{"our @records @show", inReplies, strengthStrong, ""},
	{"according to|per our|the @records", inReplies, strengthStrong, ""},
	{"in|from|on our records|chart|charts|files|notes|system", inReplies, strengthStrong, ""},
	{"no record|records of", inReplies, strengthStrong, ""},
	{"@reviewed into|at|over|up|through|back? your @records|@encounter|@clinical|complaint|complaints", inReplies, strengthStrong, ""},
	{"as|am|was your @clinician", inReplies, strengthStrong, ""},
	{"as your care team|provider|providers", inReplies, strengthStrong, ""},
	// You were here, we saw you.
	{"you were|was @pastPassive", inReplies, strengthNormal, ""},
	{"you have|had been @pastPassive", inReplies, strengthNormal, ""},
	{"you were|was in|at|under our", inReplies, strengthNormal, ""},
	{"you arrived|called|phoned|emailed|messaged|complained|requested|received|underwent", inReplies, strengthNormal, ""},
	{"took|taking|take care of you", inConversation, strengthNormal, "care"},
	{"cared|caring for you", inConversation, strengthNormal, ""},
	{"pleasure|privilege|honor ~3 you", inReview, strengthNormal, ""},
	{"made|make you feel", inReview, strengthNormal, ""},
	{"remember|remembers|remembered you", inReview, strengthNormal, ""},
	{"visit|see us again", inReview, strengthNormal, ""},
	{"come back", inReview, strengthNormal, ""},
	{"@glad|sorry|@hope ~3 the @mod* @encounter|@clinical|@bodyStrong", inReview, strengthNormal, ""},
	{"congrats|congratulations on the|your ~2 @encounter|@clinical", inConversation, strengthNormal, ""},
	{"operated|worked on you", inReplies, strengthNormal, ""},
	{"gave|give|given you a|an|the|your ~1 @clinical", inConversation, strengthNormal, ""},
	{"you should|would|will have received|been", inReview, strengthNormal, ""},
	{"you are|were|have|had been? in pain|labor|recovery|surgery", inConversation, strengthNormal, ""},
	{"you are|were|have|had been? ~1 @clinical free|clear|negative|positive", inConversation, strengthNormal, ""},
	{"your ~2 journey", inReview, strengthNormal, ""},
	{"your little one|ones", inReview, strengthNormal, ""},
	{"you visited|stayed", inReplies, strengthNormal, ""},
	{"you came in|to|by|see|back", inReplies, strengthNormal, ""},
	{"you saw dr|doctor|doc|our|us|the|nurse|him|her", inReplies, strengthNormal, ""},
	{"you checked in|out", inReplies, strengthNormal, ""},
	{"you had|got|received your|an|a|the @mod* @encounter|@clinical", inConversation, strengthNormal, ""},
	{"you @liked ~3 @encounter|@clinical", inConversation, strengthNormal, "liked"},
	{"you @liked ~3 experience|time with|at|here", inConversation, strengthNormal, ""},
	{"you @missed", inReplies, strengthNormal, ""},
	{"you no showed", inReplies, strengthNormal, ""},
	{"you left without|before|against", inReplies, strengthNormal, ""},
	{"you declined|refused treatment|care|the|our|your", inReplies, strengthNormal, ""},
	{"@didUs you", inReplies, strengthNormal, ""},
	{"saw|seen you", inReview, strengthNormal, ""},
	{"your @mod* room|trip|bed", inReview, strengthNormal, ""},
	{"see|seeing you again|back|next", inReplies, strengthNormal, ""},
	{"welcome back", inConversation, strengthNormal, ""},
	{"in|under our care", inConversation, strengthNormal, ""},
	// Thanks that confirm the visit.
	{"@thank you? for @trusting", inReplies, strengthNormal, "visiting"},
	{"@thank you? for coming in|to|by|see", inReplies, strengthNormal, ""},
	{"@thank you? for letting|allowing us to? care|treat|serve|help|take|see", inReplies, strengthNormal, ""},
	{"@thank you? for being a|an|our|one ~3 patient|patients", inReplies, strengthStrong, "patient"},
	{"trusting us with your", inReplies, strengthStrong, ""},
	{"choosing us for your", inReplies, strengthStrong, ""},
	// Patients, named as such.
	{"@patientDet patient|pt", inConversation, strengthNormal, "patient"},
	{"this|the|that patient", inReview, strengthNormal, "patient"},
	{"a patient of ours|mine", inReplies, strengthNormal, ""},
	{"one of our patients", inConversation, strengthNormal, ""},
	{"you are|were|have|had ~2 a|an|our|one ~3 patient|patients|client|clients", inReplies, strengthNormal, "patient"},
	{"as a|our ~2 patient", inConversation, strengthNormal, "patient"},
	{"this|the|that @thirdParty @thirdEvent", inConversation, strengthNormal, "third"},
	{"he|she|they was|were @pastPassive", inConversation, strengthNormal, ""},
	{"he|she was|is a|an|our ~2 resident|patient|client", inConversation, strengthNormal, "patient"},
	// Wishes that show what they went through.
	{"@speedy recovery", inConversation, strengthNormal, ""},
	{"feel|feeling better", inConversation, strengthNormal, ""},
	{"get well", inConversation, strengthNormal, ""},
	{"@glad you are|were|have|had been? @betterWell", inConversation, strengthNormal, ""},
	{"@hope you are|were? feeling|recovering|healing|improving", inConversation, strengthNormal, ""},
	{"you had to wait", inConversation, strengthNormal, ""},
	{"you waited", inConversation, strengthNormal, ""},
	{"sorry ~3 @waitWord", inReview, strengthNormal, "wait"},
	{"sorry ~3 delay|delays", inReview, strengthNormal, ""},
})

// patientFollowers after "patient" make it an institution, not a person
// ("our patient portal", "the patient experience").
var patientFollowers = wordSet(strings.Fields(`experience experiences care satisfaction portal
	advocate advocates relations safety rights privacy feedback community population services service education family families
	representative liaison support coordinator navigator records information handbook survey
	surveys first centered centred focused outcomes confidentiality office team line slot slots
	forms form paperwork intake registration special specials appointment appointments visit
	visits packet orientation discount offer reviews testimonials stories story voice voices
	perspective partner partners access billing financing payment parking lounge entrance waiting
	health engagement relationship relationships`))

var onlineWords = wordSet(relationshipClasses["online"])

func wordSet(list []string) map[string]bool {
	m := make(map[string]bool, len(list))
	for _, w := range list {
		m[w] = true
	}
	return m
}

var (
	accessWords = wordSet(strings.Fields(`trouble difficulty difficulties problem problems issue issues
		hard getting booking scheduling making finding reaching`))
	waitingPlaces = wordSet(strings.Fields(`room rooms area areas list lists lounge`))
)

// patientAdjectiveMarks before "patient" make it the adjective.
var patientAdjectiveMarks = wordSet(strings.Fields(`very so more most extremely incredibly really too
	being been be remain stay`))

// relationshipExcluded reports whether a match is one of the generic uses
// its words also have.
func relationshipExcluded(words []pword, m phraseMatch) bool {
	switch m.p.kind {
	case "patient":
		if m.to-2 >= m.from && patientAdjectiveMarks[words[m.to-2].w] {
			return true // "a very patient person"
		}
		return m.to < len(words) && !words[m.to].brk && patientFollowers[words[m.to].w]
	case "care":
		// "we would love to take care of you" invites; it confirms nothing.
		return words[m.from].w == "take"
	case "liked":
		// "sorry you had trouble getting an appointment" is about access.
		for j := m.from; j < m.to; j++ {
			if accessWords[words[j].w] {
				return true
			}
		}
	case "wait":
		// "the cold waiting room" is a room.
		return m.to < len(words) && waitingPlaces[words[m.to].w]
	case "visiting":
		// "thanks for visiting our website" is not a visit.
		for j := m.to; j < len(words) && j < m.to+3 && !words[j].brk; j++ {
			if onlineWords[words[j].w] {
				return true
			}
		}
	}
	last := words[m.to-1].w
	// "thank you for letting us know" is plain thanks.
	if last == "know" {
		return true
	}
	return false
}

// findRelationship returns the phrases of text that confirm a patient
// relationship, for a reply in scope.
func findRelationship(words []pword, scope ctxMask) []phraseMatch {
	var out []phraseMatch
	for _, m := range relationshipPhrases.find(words, scope) {
		if relationshipExcluded(words, m) {
			continue
		}
		if m.p.strength < strengthStrong && hypotheticalAt(words, m.from) {
			continue
		}
		if m.p.strength == strengthWeak && refusalAt(words, m.from) {
			continue
		}
		out = append(out, m)
	}
	return mergeMatches(out)
}

// mergeMatches joins overlapping matches into one, so that a phrase is
// reported once ("your recent knee surgery" and "your knee surgery").
func mergeMatches(ms []phraseMatch) []phraseMatch {
	var out []phraseMatch
	for _, m := range ms {
		if n := len(out); n > 0 && m.from < out[n-1].to {
			if m.to > out[n-1].to {
				out[n-1].to = m.to
			}
			continue
		}
		out = append(out, m)
	}
	return out
}

// postPatientClasses describe a particular patient in a post.
var postPatientClasses = wordClasses{
	"det":     strings.Fields(`my our this the that a one`),
	"ageUnit": strings.Fields(`yo yoa yrs yr year years y`),
	"person": strings.Fields(`patient pt client resident man woman male female boy girl gentleman lady
		guy m f baby infant toddler kid child teen teenager veteran`),
	"temporal": strings.Fields(`today yesterday tonight tomorrow monday tuesday wednesday thursday friday
		saturday sunday morning afternoon evening overnight`),
	"lastThis": strings.Fields(`last this`),
	"patientMod": strings.Fields(`yo yoa y o year years yr yrs old elderly young little sweet favorite
		favourite first last new sick dying older male female teenage newborn pediatric frail`),
	"period": strings.Fields(`night week weekend month shift morning afternoon evening`),
	"place":  strings.Fields(`room rm bed bay unit floor ward`),
}

var postPatientPhrases = compilePhrases(postPatientClasses, []phraseSpec{
	{"@det @num|@patientMod* patient|pt", inPost, strengthNormal, "ref"},
	{"one of my|our patients", inPost, strengthNormal, "ref"},
	{"a|my|our|this ~4 @person i|we saw|treated|had|admitted|met|operated", inPost, strengthNormal, "ref"},
	{"had|saw|admitted|treated a ~4 patient|@person", inPost, strengthNormal, "ref"},
	{"@person in @place", inPost, strengthNormal, "ref"},
})

var postSpecificPhrases = compilePhrases(postPatientClasses, []phraseSpec{
	{"@temporal", inPost, strengthNormal, "time"},
	{"@lastThis @period", inPost, strengthNormal, "time"},
	{"@place", inPost, strengthNormal, "place"},
	{"old|yo|yoa|y", inPost, strengthNormal, "age"},
})

// findPatientInPost returns references to one particular patient in a
// post, when they come with specifics that could single that patient out
// (an age, a day, a room, an identifier). A post about patients in general
// ("a patient with diabetes should…") is left alone.
func findPatientInPost(words []pword, spans []Span) []phraseMatch {
	var out []phraseMatch
	var specific []bool // computed on the first reference found
	for _, m := range postPatientPhrases.find(words, inPost) {
		if m.p.elems[len(m.p.elems)-1].words["patient"] && m.to < len(words) && patientFollowers[words[m.to].w] {
			continue
		}
		if specific == nil {
			specific = specificWords(words)
		}
		if hasSpecifics(words, specific, spans, m) {
			out = append(out, m)
		}
	}
	return mergeMatches(out)
}

// specificWords marks the words that make a patient reference specific:
// a day or a time of day, a room or bed with its number, an age.
func specificWords(words []pword) []bool {
	specific := make([]bool, len(words))
	for _, s := range postSpecificPhrases.find(words, inPost) {
		i := s.from
		switch s.p.kind {
		case "place":
			specific[i] = i+1 < len(words) && words[i+1].digit
		case "age":
			specific[i] = i > 0 && words[i-1].digit || i > 1 && words[i-2].digit
		default:
			specific[i] = true
		}
	}
	for i, w := range words {
		if w.digit && strings.HasSuffix(w.w, "yo") {
			specific[i] = true // "94yo"
		}
	}
	return specific
}

// hasSpecifics reports whether the sentence of m, or the next one, holds
// a specific word or an identifier span.
func hasSpecifics(words []pword, specific []bool, spans []Span, m phraseMatch) bool {
	from := sentenceStartAt(words, m.from)
	to := sentenceEndAt(words, m.from)
	if to < len(words) {
		to = sentenceEndAt(words, to)
	}
	for _, s := range specific[from:to] {
		if s {
			return true
		}
	}
	lo, hi := words[from].start, words[to-1].end
	// spans are sorted and do not overlap: find the first ending after lo.
	k := sort.Search(len(spans), func(k int) bool { return spans[k].End > lo })
	for ; k < len(spans) && spans[k].Start < hi; k++ {
		if spans[k].Type != URL {
			return true
		}
	}
	return false
}

// Restated details: a reply that repeats what the review told ("sorry
// your root canal at 3pm with Dr. Lee hurt") confirms it. The review's
// specifics are collected as short word sequences (names after a title,
// identifier spans, numbers with their unit, days and months, clinical
// terms and two-word clinical phrases) and looked for in the reply.

// restatedItem is one specific of the answered text, as stemmed words.
type restatedItem struct {
	seq      []string
	clinical bool // a condition, procedure, body part or medicine
}

// restatedIndex holds the specifics of the answered text by first word.
type restatedIndex map[string][]restatedItem

func (x restatedIndex) add(seq []string, clinical bool) {
	if len(seq) == 0 {
		return
	}
	for _, it := range x[seq[0]] {
		if equalSeq(it.seq, seq) {
			return
		}
	}
	x[seq[0]] = append(x[seq[0]], restatedItem{seq: seq, clinical: clinical})
}

func equalSeq(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// restatedSpan is a run of reply words that repeats the answered text.
type restatedSpan struct {
	start, end int // byte offsets in the reply
	clinical   bool
}

// findRestated returns the runs of reply words that repeat specifics of
// the answered text. spans are the identifiers found in the answered
// text; clinicalToo says whether clinical terms count (they do when the
// answered text tells of its writer's own care).
func findRestated(reply []pword, answered string, answeredWords []pword, spans []Span, clinicalToo bool) []restatedSpan {
	index := restatedIndex{}
	collectSpanItems(index, answeredWords, spans)
	collectTitledNames(index, answeredWords)
	collectNumbers(index, answeredWords)
	collectCalendar(index, answeredWords)
	if clinicalToo {
		collectClinical(index, answeredWords)
	}
	if len(index) == 0 {
		return nil
	}
	marked := make([]int8, len(reply)) // 0 none, 1 identifier, 2 clinical
	for i := range reply {
		for _, it := range index[stemWord(reply[i].w)] {
			if !matchSeq(reply, i, it.seq) {
				continue
			}
			v := int8(1)
			if it.clinical {
				v = 2
			}
			for k := i; k < i+len(it.seq); k++ {
				if marked[k] == 0 || v == 1 {
					marked[k] = v
				}
			}
		}
	}
	return restatedRuns(reply, marked)
}

func matchSeq(words []pword, i int, seq []string) bool {
	if i+len(seq) > len(words) {
		return false
	}
	for k, s := range seq {
		if k > 0 && words[i+k].brk || stemWord(words[i+k].w) != s {
			return false
		}
	}
	return true
}

// restatedRuns joins adjacent marked words of a sentence into spans.
func restatedRuns(words []pword, marked []int8) []restatedSpan {
	var out []restatedSpan
	for i := 0; i < len(words); {
		if marked[i] == 0 {
			i++
			continue
		}
		run := restatedSpan{start: words[i].start, end: words[i].end, clinical: marked[i] == 2}
		j := i + 1
		for j < len(words) && marked[j] != 0 && !words[j].brk {
			run.end = words[j].end
			run.clinical = run.clinical && marked[j] == 2
			j++
		}
		out = append(out, run)
		i = j
	}
	return out
}

// restatedStopWords never make a specific on their own.
var restatedStopWords = wordSet(strings.Fields(`a an the and or but of to in on at for with by from
	is are was were be been am i me my we our you your he she they them his her their it its this that
	these those who what when where how not no so very just also there here 's had has have do did
	office clinic staff team doctor dr nurse care experience service visit appointment time day wait
	front desk people everyone patient patients hospital practice`))

// collectSpanItems adds the identifiers found in the answered text (names,
// dates, places…), each as its words.
func collectSpanItems(x restatedIndex, words []pword, spans []Span) {
	i := 0 // spans and words are both in text order
	for _, s := range spans {
		for i < len(words) && words[i].start < s.Start {
			i++
		}
		var seq []string
		for j := i; j < len(words) && words[j].start < s.End; j++ {
			if words[j].end <= s.End && !restatedStopWords[words[j].w] {
				seq = append(seq, stemWord(words[j].w))
			}
		}
		if len(seq) > 0 && len(seq) <= 6 {
			x.add(seq, false)
			if s.Type == Name {
				for _, part := range seq { // "Lee" alone restates "Dr. Amy Lee"
					if len(part) > 2 {
						x.add([]string{part}, false)
					}
				}
			}
		}
	}
}

var personTitles = wordSet(strings.Fields(`dr doctor doc nurse mr mrs ms miss mx prof professor np pa rn
	therapist hygienist surgeon`))

// collectTitledNames adds the one or two words after a title ("Dr. Lee",
// "nurse Kim"): staff and people named in the review.
func collectTitledNames(x restatedIndex, words []pword) {
	for i := 0; i+1 < len(words); i++ {
		if !personTitles[words[i].w] {
			continue
		}
		for k := i + 1; k < len(words) && k <= i+2 && !words[k].brk; k++ {
			w := words[k]
			if restatedStopWords[w.w] || w.digit || personTitles[w.w] || k > i+1 && !w.capital {
				break
			}
			if !w.capital && words[i].capital {
				break
			}
			x.add([]string{stemWord(w.w)}, false)
		}
	}
}

var restatedUnits = wordSet(strings.Fields(`hour hours hr hrs minute minutes min mins day days week weeks
	month months year years pm am mg mcg ml lb lbs pound pounds kg stitch stitches visit visits time
	times shot shots session sessions tooth teeth cc units unit`))

// collectNumbers adds numbers: two digits or more alone ("40", "10:30",
// "3pm"), a single digit only with its unit ("3 hours").
func collectNumbers(x restatedIndex, words []pword) {
	for i, w := range words {
		if !w.digit {
			continue
		}
		if len(w.w) >= 2 {
			x.add([]string{stemWord(w.w)}, false)
		}
		if i+1 < len(words) && restatedUnits[words[i+1].w] {
			x.add([]string{w.w, stemWord(words[i+1].w)}, false)
		}
	}
}

var (
	weekdays   = wordSet(strings.Fields(`monday tuesday wednesday thursday friday saturday sunday`))
	monthNames = wordSet(strings.Fields(`january february march april june july august september october
		november december`))
	monthShort = wordSet(strings.Fields(`jan feb mar apr may jun jul aug sep sept oct nov dec`))
)

// collectCalendar adds days of the week and months; "may" and the short
// forms only next to a number.
func collectCalendar(x restatedIndex, words []pword) {
	for i, w := range words {
		nearDigit := i > 0 && words[i-1].digit || i+1 < len(words) && words[i+1].digit
		if weekdays[w.w] || monthNames[w.w] || monthShort[w.w] && nearDigit {
			x.add([]string{w.w}, false)
		}
	}
}

// collectClinical adds clinical terms, and pairs of clinical words ("back
// pain", "blood pressure") whose words alone are too common to count.
func collectClinical(x restatedIndex, words []pword) {
	for i, w := range words {
		s := stemWord(w.w)
		strongTerm := isClinicalTerm(w.w, s)
		if strongTerm {
			x.add([]string{s}, true)
		}
		if i+1 < len(words) && !words[i+1].brk {
			n := words[i+1]
			ns := stemWord(n.w)
			nStrong := isClinicalTerm(n.w, ns)
			if (strongTerm || clinicalWeakWords[s]) && (nStrong || clinicalWeakWords[ns]) {
				x.add([]string{s, ns}, true)
			}
		}
	}
}

// clinicalTerms name conditions, procedures, body parts and medicines
// specific enough that repeating one tells what happened to someone.
var clinicalTerms = wordSet(append(clinicalTermList, relationshipClasses["bodyStrong"]...))

var clinicalTermList = strings.Fields(`diabetes diabetic cancer tumor tumour leukemia
	lymphoma melanoma asthma copd pneumonia bronchitis flu influenza covid coronavirus hiv aids
	hepatitis std sti herpes chlamydia gonorrhea syphilis hpv uti infection sepsis stroke seizure
	epilepsy migraine concussion fracture fractured broken sprain sprained tear torn dislocated
	dislocation hernia ulcer gout arthritis osteoporosis scoliosis sciatica fibromyalgia lupus
	parkinson alzheimer dementia autism adhd depression depressed anxiety bipolar schizophrenia ptsd
	ocd anorexia bulimia addiction overdose alcoholism obesity hypertension cholesterol anemia
	hypothyroidism hyperthyroidism afib arrhythmia murmur angina clot dvt embolism aneurysm cyst polyp
	mole rash eczema psoriasis acne rosacea shingles measles mumps chickenpox strep cavity gingivitis
	abscess miscarriage pregnancy pregnant ectopic infertility endometriosis pcos menopause impotence
	incontinence glaucoma cataract macular vertigo tinnitus allergy allergic anaphylaxis gallstone
	stone colitis crohn ibs celiac reflux gerd hemorrhoid constipation diarrhea nausea vomiting fever
	dehydration insomnia apnea burn bite laceration stitch suture wound bruise swelling infected coma
	paralysis paralyzed amputation injury injured whiplash sore lump
	surgery operation replacement reconstruction arthroscopy biopsy colonoscopy endoscopy mammogram
	ultrasound mri ct xray ekg ecg echocardiogram stent bypass angioplasty transplant dialysis chemo
	chemotherapy radiation mastectomy lumpectomy hysterectomy vasectomy appendectomy tonsillectomy
	csection cesarean epidural ivf abortion lasik implant crown filling extraction canal brace
	denture veneer whitening botox filler liposuction facelift rhinoplasty tummy lipo rehab splint
	sling crutch wheelchair ventilator intubation catheter iv infusion injection vaccine vaccination
	cortisone steroid anesthesia sedation physio
	insulin metformin ibuprofen tylenol advil motrin aspirin oxycodone hydrocodone vicodin percocet
	morphine fentanyl tramadol codeine xanax valium ativan klonopin adderall ritalin zoloft prozac
	lexapro wellbutrin lithium antibiotic amoxicillin penicillin prednisone ozempic wegovy mounjaro
	semaglutide tirzepatide viagra cialis suboxone methadone narcan naloxone gabapentin lyrica warfarin
	coumadin eliquis xarelto plavix levothyroxine synthroid albuterol inhaler epipen`)

// clinicalWeakWords count only in a pair with another clinical word.
var clinicalWeakWords = wordSet(append(strings.Fields(`pain test result procedure treatment therapy
	medication med prescription dose shot scan exam lab blood work bloodwork pressure sugar level
	physical heart attack root wisdom pill pills control birth`),
	relationshipClasses["bodyWeak"]...))

// clinicalSuffixes mark terms of medicine: inflammations, operations,
// scopes, and the stems of drug names.
var clinicalSuffixes = strings.Fields(`itis ectomy otomy ostomy plasty oscopy algia emia pathy mycin
	cillin olol statin sartan prazole tidine dipine formin gliptin glitazone parin triptan tinib
	lukast oxacin cycline azepam zolam xetine pramine triptyline afil codone morphone profen barbital
	caine`)

// isClinicalTerm reports whether a word (and its stem) is a specific
// clinical term.
func isClinicalTerm(w, s string) bool {
	if clinicalTerms[w] || clinicalTerms[s] {
		return true
	}
	if len(w) < 6 || w == "april" {
		return false
	}
	for _, suf := range clinicalSuffixes {
		if strings.HasSuffix(w, suf) {
			return true
		}
	}
	return strings.HasSuffix(w, "pril") || len(w) > 7 && (strings.HasSuffix(w, "oma") || strings.HasSuffix(w, "osis") && w != "diagnosis" && w != "prognosis")
}

// personalPhrases recognize a text that tells of its writer's own care.
var personalPhrases = compilePhrases(wordClasses{
	"clinical": append(append(append([]string{}, relationshipClasses["clinical"]...), relationshipClasses["encounter"]...), relationshipClasses["bodyStrong"]...),
	"body":     relationshipClasses["bodyWeak"],
	"relative": relationshipClasses["relative"],
	"event": strings.Fields(`had have got was am were are broke tore hurt injured underwent suffer
		suffered suffering take took taking went visited came waited paid received needed need
		diagnosed prescribed admitted discharged seen treated`),
}, []phraseSpec{
	{"my ~3 @clinical|@body|@relative|old|yo|baby", inReplies, strengthNormal, ""},
	{"our ~1 @relative", inReplies, strengthNormal, ""},
	{"i ~1 @event ~4 @clinical|@body", inReplies, strengthNormal, ""},
})

// tellsOwnCare reports whether the answered text is its writer's account
// of their own (or their family's) care, rather than a general remark;
// only then does repeating its clinical terms confirm anything about a
// person. A review is always such an account.
func tellsOwnCare(words []pword) bool {
	for _, m := range personalPhrases.find(words, inReplies) {
		last := words[m.to-1].w
		if last == "patient" || last == "patients" {
			continue
		}
		return true
	}
	return false
}
