package guard

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"strconv"
	"strings"
)

// lexiconTSV and placesTSV are built by lexicon_gen.go; data/README.md
// says from what.
var (
	//go:embed data/lexicon.tsv.gz
	lexiconTSV []byte
	//go:embed data/places.tsv.gz
	placesTSV []byte
)

// Lexicon flag layout, shared with lexicon_gen.go.
const (
	firstShift = 0 // 2 bits: first-name level (Social Security baby names, 1990 census)
	lastShift  = 2 // 2 bits: surname level (1990 census rank)
	wordShift  = 4 // 2 bits: how common the word is in lower case (SUBTLEX-US)
	properBit  = 1 << 6
	dictBit    = 1 << 7
	cityShift  = 8 // 2 bits: US city level by ZIP-code count
	// Bits set from the curated lists in lexicon_words.go.
	stopBit     = 1 << 10 // never a name on its own: medical term, abbreviation, month
	commonBit   = 1 << 11 // a name that is also an everyday word: "Mark", "Brown"
	stateBit    = 1 << 12 // a US state or a country: not PHI
	funcBit     = 1 << 13 // a function word: "will", "may", "and"
	relateBit   = 1 << 14 // a name often follows: "wife", "patient", "named"
	streetBit   = 1 << 15 // a street suffix: "St", "Avenue"
	titleBit    = 1 << 16 // a title before a name: "Dr", "Mrs"
	credBit     = 1 << 17 // a credential after a name: "MD", "RN"
	greetBit    = 1 << 18 // a greeting before a name: "Hi", "Dear", "Thanks"
	eponymBit   = 1 << 19 // a name before it is an eponym: "disease", "catheter"
	placePrep   = 1 << 20 // a place often follows: "in", "from", "near"
	facilityBit = 1 << 21 // heads a facility name: "Hospital", "Clinic"
	genericBit  = 1 << 22 // does not name a facility alone: "General", "Memorial"
	orgBit      = 1 << 23 // a name before it names an organization: "University"
	weakRelBit  = 1 << 24 // a name may follow: "per", "with", "by"
)

func firstLevel(f uint32) int { return int(f>>firstShift) & 3 }
func lastLevel(f uint32) int  { return int(f>>lastShift) & 3 }
func wordLevel(f uint32) int  { return int(f>>wordShift) & 3 }
func cityLevel(f uint32) int  { return int(f>>cityShift) & 3 }

// Place kinds in places.tsv.gz.
const (
	placeCity    = 'c' // a US city or town
	placeForeign = 'w' // a capital city abroad
	placeCountry = 'n' // a country: not PHI
)

type lexPlace struct {
	kind byte
	size int32 // ZIP codes of a US city
}

func readLexicon() (*lexicon, error) {
	l := &lexicon{
		words:       make(map[string]uint32, 380000),
		places:      make(map[string]lexPlace, 20000),
		placeStarts: make(map[string]int8, 3000),
	}
	err := eachLine(lexiconTSV, func(line []byte) error {
		k, v, ok := bytes.Cut(line, []byte{'\t'})
		if !ok {
			return fmt.Errorf("no tab in %q", line)
		}
		f, err := strconv.ParseUint(string(v), 10, 16)
		if err != nil {
			return err
		}
		l.words[string(k)] = uint32(f)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("lexicon data: %w", err)
	}
	err = eachLine(placesTSV, func(line []byte) error {
		parts := bytes.Split(line, []byte{'\t'})
		if len(parts) != 3 || len(parts[1]) != 1 {
			return fmt.Errorf("bad place %q", line)
		}
		n, err := strconv.Atoi(string(parts[2]))
		if err != nil {
			return err
		}
		name := string(parts[0])
		l.places[name] = lexPlace{kind: parts[1][0], size: int32(n)}
		if sp := strings.IndexByte(name, ' '); sp > 0 {
			words := int8(strings.Count(name, " ") + 1)
			l.placeStarts[name[:sp]] = max(l.placeStarts[name[:sp]], words)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("places data: %w", err)
	}
	l.addCurated()
	return l, nil
}

func eachLine(gz []byte, fn func([]byte) error) error {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return err
	}
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		if err := fn(sc.Bytes()); err != nil {
			return err
		}
	}
	return sc.Err()
}
