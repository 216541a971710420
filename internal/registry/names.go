package registry

import (
	"slices"
	"strings"
	"unicode"
)

// Names in NPPES and the LEIE are upper case ASCII, typed by many hands:
// "O'BRIEN", "SMITH-JONES", "MARY ANN", "SMITH JR". A claim typed on
// Rounds is "O’Brien", "Smith Jones", "Mary". The helpers here reduce both
// to comparable tokens: letters and digits, upper case, accents folded;
// apostrophes and periods vanish, other punctuation separates words.

// nameTokens splits s into normalized words.
func nameTokens(s string) []string {
	var out []string
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			out = append(out, b.String())
			b.Reset()
		}
	}
	for _, r := range s {
		switch {
		case r == '\'' || r == '’' || r == '‘' || r == '.' || r == '`':
			// O'Brien = OBrien; J.R. = JR
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToUpper(foldAccent(r)))
		default:
			flush()
		}
	}
	flush()
	return out
}

// nameSuffixes are generational suffixes people put in the last-name field.
var nameSuffixes = []string{"JR", "SR", "II", "III", "IV"}

// lastNameKey is the comparable form of a family name: its words joined,
// without a trailing generational suffix, so "Smith-Jones", "SMITH JONES"
// and "Smith Jones Jr." agree.
func lastNameKey(s string) string {
	t := nameTokens(s)
	for len(t) > 1 && slices.Contains(nameSuffixes, t[len(t)-1]) {
		t = t[:len(t)-1]
	}
	return strings.Join(t, "")
}

// firstNameKey is the comparable form of a given name: its first word.
func firstNameKey(s string) string {
	t := nameTokens(s)
	if len(t) == 0 {
		return ""
	}
	return t[0]
}

// namesMatch reports whether a claimed first and last name fit a registry
// record's first, middle and last names. The family names must agree as
// keys; the claimed given name must start with the record's first given
// name, and any further claimed words must be, in order, the record's
// remaining given or middle names or their initials; words claimed beyond
// what the record lists are accepted, since NPPES often omits middle names.
// So "Mary", "Mary A." and "Mary Ann" all match MARY ANN (first) or
// MARY / ANN (first / middle), "Mary Ann" matches MARY; "Ann", "Maria"
// and "Mary Beth" (against MARY / ANN) do not.
func namesMatch(claimFirst, claimLast, first, middle, last string) bool {
	cl := lastNameKey(claimLast)
	if cl == "" || cl != lastNameKey(last) {
		return false
	}
	claimed := nameTokens(claimFirst)
	record := append(nameTokens(first), nameTokens(middle)...)
	if len(claimed) == 0 || len(record) == 0 || claimed[0] != record[0] {
		return false
	}
	j := 1
	for _, c := range claimed[1:] {
		if j >= len(record) {
			return true
		}
		found := false
		for ; j < len(record); j++ {
			if c == record[j] || (len(c) == 1 && strings.HasPrefix(record[j], c)) {
				found = true
				j++
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// foldAccent maps common accented Latin letters to their base letter, so
// that "José" and "JOSE" agree. Other letters pass unchanged.
func foldAccent(r rune) rune {
	if r < 0xC0 || r > 0x17F {
		return r
	}
	switch {
	case strings.ContainsRune("ÀÁÂÃÄÅĀĂĄ", r):
		return 'A'
	case strings.ContainsRune("àáâãäåāăą", r):
		return 'a'
	case strings.ContainsRune("ÇĆĈĊČ", r):
		return 'C'
	case strings.ContainsRune("çćĉċč", r):
		return 'c'
	case strings.ContainsRune("ÈÉÊËĒĔĖĘĚ", r):
		return 'E'
	case strings.ContainsRune("èéêëēĕėęě", r):
		return 'e'
	case strings.ContainsRune("ÌÍÎÏĨĪĬĮİ", r):
		return 'I'
	case strings.ContainsRune("ìíîïĩīĭįı", r):
		return 'i'
	case strings.ContainsRune("ÑŃŅŇ", r):
		return 'N'
	case strings.ContainsRune("ñńņň", r):
		return 'n'
	case strings.ContainsRune("ÒÓÔÕÖØŌŎŐ", r):
		return 'O'
	case strings.ContainsRune("òóôõöøōŏő", r):
		return 'o'
	case strings.ContainsRune("ÙÚÛÜŨŪŬŮŰŲ", r):
		return 'U'
	case strings.ContainsRune("ùúûüũūŭůűų", r):
		return 'u'
	case strings.ContainsRune("ÝŸ", r):
		return 'Y'
	case strings.ContainsRune("ýÿ", r):
		return 'y'
	case strings.ContainsRune("ŚŜŞŠ", r):
		return 'S'
	case strings.ContainsRune("śŝşš", r):
		return 's'
	case strings.ContainsRune("ŹŻŽ", r):
		return 'Z'
	case strings.ContainsRune("źżž", r):
		return 'z'
	}
	return r
}
