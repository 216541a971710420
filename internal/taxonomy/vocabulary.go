package taxonomy

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
)

// specialtiesCSV is the vocabulary; data/README.md says where it comes from.
//
//go:embed data/specialties.csv
var specialtiesCSV []byte

// vocabulary is built once, while the package initializes, and never changes
// afterwards. The file is compiled in, so a parse error is a build defect that
// the tests catch; failing at start-up beats serving a partial vocabulary.
var vocabulary = mustParse(specialtiesCSV)

// codePattern is the shape of every NUCC taxonomy code: ten characters, the
// last always X.
var codePattern = regexp.MustCompile(`^[0-9]{3}[0-9A-Z]{6}X$`)

var header = []string{"code", "grouping", "classification", "specialization", "display_name", "kind", "terms"}

type index struct {
	specialties []Specialty
	byCode      map[string]int
	words       []wordSet // per specialty, for Match
}

func mustParse(data []byte) *index {
	ix, err := parse(bytes.NewReader(data))
	if err != nil {
		panic("taxonomy: embedded data/specialties.csv: " + err.Error())
	}
	return ix
}

func parse(r io.Reader) (*index, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = len(header)
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("read header: %w", err)
	}
	if !slices.Equal(head, header) {
		return nil, fmt.Errorf("header is %v, want %v", head, header)
	}
	ix := &index{byCode: map[string]int{}}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			return ix, nil
		}
		if err != nil {
			return nil, err
		}
		s, err := specialtyFrom(rec)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		if _, dup := ix.byCode[s.Code]; dup {
			return nil, fmt.Errorf("line %d: code %s appears twice", line, s.Code)
		}
		ix.byCode[s.Code] = len(ix.specialties)
		ix.specialties = append(ix.specialties, s)
		ix.words = append(ix.words, wordsOf(s))
	}
}

func specialtyFrom(rec []string) (Specialty, error) {
	s := Specialty{
		Code: rec[0], Grouping: rec[1], Classification: rec[2], Specialization: rec[3],
		DisplayName: rec[4], Kind: Kind(rec[5]),
	}
	if !codePattern.MatchString(s.Code) {
		return s, fmt.Errorf("code %q is not a NUCC taxonomy code", s.Code)
	}
	if s.Grouping == "" || s.Classification == "" || s.DisplayName == "" {
		return s, fmt.Errorf("code %s lacks its grouping, classification or display name", s.Code)
	}
	if !s.Kind.known() {
		return s, fmt.Errorf("code %s has unknown kind %q", s.Code, s.Kind)
	}
	for _, t := range strings.Split(rec[6], "|") {
		if t = strings.TrimSpace(t); t != "" {
			s.Terms = append(s.Terms, strings.ToLower(t))
		}
	}
	if len(s.Terms) == 0 {
		return s, fmt.Errorf("code %s has no search terms", s.Code)
	}
	return s, nil
}
