package directory

import "strings"

// Language is a language a clinician speaks with patients.
type Language struct {
	Code string // ISO 639-1 where one exists; "ase" for American Sign Language
	Name string
}

// Languages patients most often look for in the United States, in the
// order forms show them.
var Languages = []Language{
	{"en", "English"}, {"es", "Spanish"}, {"zh", "Chinese"}, {"yue", "Cantonese"}, {"vi", "Vietnamese"},
	{"tl", "Tagalog"}, {"ar", "Arabic"}, {"fr", "French"}, {"ko", "Korean"}, {"ru", "Russian"}, {"ht", "Haitian Creole"},
	{"pt", "Portuguese"}, {"de", "German"}, {"hi", "Hindi"}, {"ur", "Urdu"}, {"bn", "Bengali"}, {"pa", "Punjabi"},
	{"gu", "Gujarati"}, {"fa", "Persian"}, {"pl", "Polish"}, {"it", "Italian"}, {"ja", "Japanese"}, {"el", "Greek"},
	{"he", "Hebrew"}, {"am", "Amharic"}, {"so", "Somali"}, {"sw", "Swahili"}, {"yo", "Yoruba"}, {"uk", "Ukrainian"},
	{"hmn", "Hmong"}, {"km", "Khmer"}, {"ne", "Nepali"}, {"ase", "American Sign Language"},
}

// LanguageByCode returns the language with code, or false.
func LanguageByCode(code string) (Language, bool) {
	for _, l := range Languages {
		if l.Code == code {
			return l, true
		}
	}
	return Language{}, false
}

// parseLanguage accepts a code ("es") or a name ("Spanish", "spanish").
func parseLanguage(s string) (Language, bool) {
	s = strings.TrimSpace(s)
	for _, l := range Languages {
		if strings.EqualFold(l.Code, s) || strings.EqualFold(l.Name, s) {
			return l, true
		}
	}
	return Language{}, false
}

// LanguageNames returns the names of codes, for display.
func LanguageNames(codes []string) []string {
	out := make([]string, 0, len(codes))
	for _, c := range codes {
		if l, ok := LanguageByCode(c); ok {
			out = append(out, l.Name)
		}
	}
	return out
}
