package taxonomy

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
)

// maxQueryRunes bounds the work one Match call can cause; no specialty name
// or search phrase comes close to it.
const maxQueryRunes = 200

// Scores of one query word against one specialty. A whole word found in the
// patient-facing terms beats one found in NUCC's names, which beats a prefix.
// A query that is a whole term or name earns a bonus on top, larger for the
// terms listed first: they say what the specialty is ("cardiologist"), later
// ones what it also covers, so the general specialty ranks above the narrow.
const (
	scoreTermWord  = 3
	scoreNameWord  = 2
	scorePrefix    = 1
	bonusPrimary   = 12 // the query is the specialty's first term
	bonusTerm      = 10 // the query is its second term; one less for each later one
	bonusMinTerm   = 5
	bonusName      = 6 // the query is one of NUCC's names for it
	minPrefixRunes = 4
)

// stopWords carry no meaning in a search for a kind of clinician.
var stopWords = map[string]bool{
	"a": true, "an": true, "the": true, "and": true, "or": true, "of": true, "for": true,
	"in": true, "on": true, "at": true, "to": true, "with": true, "my": true, "me": true,
	"near": true, "nearby": true, "find": true, "local": true,
}

// synonyms rewrite a query or vocabulary word before it is compared.
var synonyms = map[string]string{"dr": "doctor", "doc": "doctor", "docs": "doctors"}

// wordSet is what Match compares a query with, for one specialty.
type wordSet struct {
	termWords map[string]bool // words of the patient-facing terms, and their singulars
	nameWords map[string]bool // words of NUCC's names, and their singulars
	words     []string        // every word above, for prefix matches
	phrases   map[string]int  // each whole term and name, normalized, with its bonus
}

func wordsOf(s Specialty) wordSet {
	ws := wordSet{termWords: map[string]bool{}, nameWords: map[string]bool{}, phrases: map[string]int{}}
	add := func(text string, into map[string]bool, bonus int) {
		words := tokens(text)
		p := phraseOf(words)
		ws.phrases[p] = max(ws.phrases[p], bonus)
		for _, w := range words {
			into[w], into[singular(w)] = true, true
		}
	}
	for i, t := range s.Terms {
		bonus := max(bonusTerm+1-i, bonusMinTerm)
		if i == 0 {
			bonus = bonusPrimary
		}
		add(t, ws.termWords, bonus)
	}
	for _, n := range []string{s.DisplayName, s.Label(), s.Classification, s.Specialization} {
		if n != "" {
			add(n, ws.nameWords, bonusName)
		}
	}
	for w := range ws.termWords {
		ws.words = append(ws.words, w)
	}
	for w := range ws.nameWords {
		ws.words = append(ws.words, w)
	}
	slices.Sort(ws.words)
	return ws
}

// phraseOf joins words in their singular form, so "Cardiologists" is the
// phrase "cardiologist".
func phraseOf(words []string) string {
	s := make([]string, len(words))
	for i, w := range words {
		s[i] = singular(w)
	}
	return strings.Join(s, " ")
}

// Match returns the specialties a patient's word or phrase refers to, best
// first: "cardiologist", "heart doctor", "skin", "kids doctor", "OB-GYN" or a
// taxonomy code. Every word of the phrase must match a whole word, or the
// start of a word when it has at least four letters, in the specialty's names
// or search terms; case, punctuation and plural endings do not matter. An
// empty or meaningless phrase matches nothing.
func Match(term string) []Specialty {
	if s, ok := ByCode(term); ok {
		return []Specialty{s}
	}
	words := tokens(truncate(term, maxQueryRunes))
	if len(words) == 0 {
		return nil
	}
	phrase := phraseOf(words)
	type hit struct{ i, score int }
	var hits []hit
	for i, ws := range vocabulary.words {
		if score := ws.score(words, phrase); score > 0 {
			hits = append(hits, hit{i, score})
		}
	}
	slices.SortStableFunc(hits, func(a, b hit) int { return cmp.Compare(b.score, a.score) })
	out := make([]Specialty, len(hits))
	for k, h := range hits {
		out[k] = vocabulary.specialties[h.i].clone()
	}
	return out
}

func (ws wordSet) score(words []string, phrase string) int {
	total := 0
	for _, q := range words {
		best := ws.wordScore(q)
		if best == 0 {
			return 0
		}
		total += best
	}
	return total + ws.phrases[phrase]
}

func (ws wordSet) wordScore(q string) int {
	for _, v := range []string{q, singular(q)} {
		if ws.termWords[v] {
			return scoreTermWord
		}
	}
	for _, v := range []string{q, singular(q)} {
		if ws.nameWords[v] {
			return scoreNameWord
		}
	}
	if len([]rune(q)) >= minPrefixRunes {
		i, _ := slices.BinarySearch(ws.words, q)
		if i < len(ws.words) && strings.HasPrefix(ws.words[i], q) {
			return scorePrefix
		}
	}
	return 0
}

// tokens lower-cases text, drops apostrophes ("children's" is "childrens"),
// splits it at anything that is not a letter or digit, rewrites synonyms and
// drops stop words.
func tokens(text string) []string {
	text = strings.Map(func(r rune) rune {
		if r == '\'' || r == '’' {
			return -1
		}
		return unicode.ToLower(r)
	}, text)
	fields := strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	out := fields[:0]
	for _, f := range fields {
		if s, ok := synonyms[f]; ok {
			f = s
		}
		if !stopWords[f] {
			out = append(out, f)
		}
	}
	return out
}

// singular strips a plain English plural ending; it only has to agree with
// itself, since both the vocabulary and the query go through it.
func singular(w string) string {
	switch {
	case len(w) > 4 && strings.HasSuffix(w, "ies"):
		return w[:len(w)-3] + "y"
	case len(w) > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss"):
		return w[:len(w)-1]
	}
	return w
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}
