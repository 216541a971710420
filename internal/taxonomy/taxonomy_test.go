package taxonomy_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/taxonomy"
)

func codes(ss []taxonomy.Specialty) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = s.Code
	}
	return out
}

func TestAll_EveryCodeHasTheNUCCShapeAndIsUnique(t *testing.T) {
	all := taxonomy.All()
	if n := len(all); n < 120 || n > 200 {
		t.Fatalf("vocabulary has %d specialties, want a curated 120-200", n)
	}
	shape := regexp.MustCompile(`^[0-9]{3}[0-9A-Z]{6}X$`)
	seen := map[string]bool{}
	for _, s := range all {
		if !shape.MatchString(s.Code) {
			t.Errorf("%q is not shaped like a NUCC code", s.Code)
		}
		if seen[s.Code] {
			t.Errorf("%s appears twice", s.Code)
		}
		seen[s.Code] = true
		if s.Grouping == "" || s.Classification == "" || s.DisplayName == "" || len(s.Terms) == 0 {
			t.Errorf("%s is missing NUCC names or search terms: %+v", s.Code, s)
		}
		if s.Kind.Label() == string(s.Kind) {
			t.Errorf("%s has kind %q with no label", s.Code, s.Kind)
		}
	}
}

// The codes the rest of Rounds and its fixtures rely on, with NUCC's names.
func TestByCode_KnowsTheCoreSpecialties(t *testing.T) {
	cases := []struct {
		code, classification, specialization string
		kind                                 taxonomy.Kind
	}{
		{"207RC0000X", "Internal Medicine", "Cardiovascular Disease", taxonomy.Physician},
		{"207Q00000X", "Family Medicine", "", taxonomy.Physician},
		{"207X00000X", "Orthopaedic Surgery", "", taxonomy.Physician},
		{"2080P0205X", "Pediatrics", "Pediatric Endocrinology", taxonomy.Physician},
		{"207N00000X", "Dermatology", "", taxonomy.Physician},
		{"363L00000X", "Nurse Practitioner", "", taxonomy.NursePractitioner},
		{"363LF0000X", "Nurse Practitioner", "Family", taxonomy.NursePractitioner},
		{"363A00000X", "Physician Assistant", "", taxonomy.PhysicianAssistant},
		{"163W00000X", "Registered Nurse", "", taxonomy.Nurse},
		{"103T00000X", "Psychologist", "", taxonomy.Psychologist},
		{"1041C0700X", "Social Worker", "Clinical", taxonomy.SocialWorker},
		{"122300000X", "Dentist", "", taxonomy.Dentist},
		{"183500000X", "Pharmacist", "", taxonomy.Pharmacist},
		{"225100000X", "Physical Therapist", "", taxonomy.Therapist},
		{"111N00000X", "Chiropractor", "", taxonomy.Chiropractor},
		{"152W00000X", "Optometrist", "", taxonomy.Optometrist},
		{"213E00000X", "Podiatrist", "", taxonomy.Podiatrist},
		{"133V00000X", "Dietitian, Registered", "", taxonomy.Dietitian},
		{"367A00000X", "Advanced Practice Midwife", "", taxonomy.Midwife},
	}
	for _, c := range cases {
		s, ok := taxonomy.ByCode(c.code)
		if !ok {
			t.Errorf("ByCode(%s) found nothing", c.code)
			continue
		}
		if s.Classification != c.classification || s.Specialization != c.specialization || s.Kind != c.kind {
			t.Errorf("ByCode(%s) = %q / %q (%s), want %q / %q (%s)", c.code,
				s.Classification, s.Specialization, s.Kind, c.classification, c.specialization, c.kind)
		}
	}
}

func TestByCode_AcceptsSpacesAndLowerCaseButReturnsTheCanonicalCode(t *testing.T) {
	s, ok := taxonomy.ByCode(" 207rc0000x ")
	if !ok || s.Code != "207RC0000X" {
		t.Fatalf("ByCode(lower case) = %q, %v", s.Code, ok)
	}
}

func TestAll_ReturnsACopyCallersCannotCorrupt(t *testing.T) {
	first := taxonomy.All()
	first[0].Code = "XXX"
	first[0].Terms[0] = "changed"
	again := taxonomy.All()
	if again[0].Code == "XXX" || again[0].Terms[0] == "changed" {
		t.Fatal("All exposes the shared vocabulary")
	}
}

func TestValidate_NamesTheFirstUnknownCode(t *testing.T) {
	cases := []struct {
		name  string
		codes []string
		bad   string // "" when valid
	}{
		{"none", nil, ""},
		{"known", []string{"207RC0000X", "363L00000X"}, ""},
		{"unknown", []string{"207RC0000X", "999Z00000X", "ABC"}, "999Z00000X"},
		{"empty code", []string{""}, `""`},
		{"not a code at all", []string{"cardiology"}, "cardiology"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := taxonomy.Validate(c.codes...)
			if c.bad == "" {
				if err != nil {
					t.Fatalf("Validate(%v) = %v", c.codes, err)
				}
				return
			}
			if !errs.Is(err, errs.KindInvalid) {
				t.Fatalf("Validate(%v) = %v, want an invalid-field error", c.codes, err)
			}
			msg := errs.FieldMessage(err, "specialties")
			if !strings.Contains(msg, c.bad) || !strings.Contains(msg, "207RC0000X for cardiology") {
				t.Fatalf("message %q should name %s and show an example", msg, c.bad)
			}
		})
	}
}

func TestMatch_FindsSpecialtiesFromPatientWords(t *testing.T) {
	cases := []struct {
		query string
		want  string // a code the result must include
		first bool   // and put first
	}{
		{"cardiologist", "207RC0000X", true},
		{"Cardiologists", "207RC0000X", true},
		{"heart doctor", "207RC0000X", true},
		{"heart", "207RC0000X", false},
		{"cardiology", "207RC0000X", false},
		{"cardio", "207RC0000X", false},
		{"skin", "207N00000X", false},
		{"dermatologist", "207N00000X", true},
		{"kids doctor", "208000000X", true},
		{"children's doctor", "208000000X", true},
		{"pediatrician", "208000000X", true},
		{"OB-GYN", "207V00000X", true},
		{"obgyn", "207V00000X", true},
		{"gynecologist", "207V00000X", false},
		{"ENT", "207Y00000X", true},
		{"foot doctor", "213E00000X", true},
		{"nurse practitioner", "363L00000X", true},
		{"NP", "363L00000X", true},
		{"physician assistant", "363A00000X", true},
		{"dentist", "122300000X", true},
		{"braces", "1223X0400X", true},
		{"therapist", "101Y00000X", false},
		{"psychiatrist", "2084P0800X", true},
		{"physical therapy", "225100000X", true},
		{"207RC0000X", "207RC0000X", true},
		{"Dr. Heart", "207RC0000X", false},
	}
	for _, c := range cases {
		got := codes(taxonomy.Match(c.query))
		if !slices.Contains(got, c.want) {
			t.Errorf("Match(%q) = %v, want it to include %s", c.query, got, c.want)
			continue
		}
		if c.first && got[0] != c.want {
			t.Errorf("Match(%q) puts %s first, want %s", c.query, got[0], c.want)
		}
	}
}

func TestMatch_RequiresEveryWordAndFourLettersForAPrefix(t *testing.T) {
	cases := []string{
		"", "   ", "the", "?!", "car", "heart plumber", "cardiologist boston", "zzzz",
		strings.Repeat("heart ", 1000),
	}
	for _, q := range cases {
		got := taxonomy.Match(q)
		if q == strings.Repeat("heart ", 1000) {
			continue // only checks that a long query does not hang or panic
		}
		if len(got) != 0 {
			t.Errorf("Match(%q) = %v, want nothing", q, codes(got))
		}
	}
}

func TestMatch_DoesNotConfuseUnrelatedSpecialties(t *testing.T) {
	cases := []struct{ query, notWant string }{
		{"skin", "207RC0000X"},
		{"heart doctor", "207N00000X"},
		{"dentist", "207RC0000X"},
		{"ent", "122300000X"}, // "dentist" contains "ent" but does not start with it
	}
	for _, c := range cases {
		if got := codes(taxonomy.Match(c.query)); slices.Contains(got, c.notWant) {
			t.Errorf("Match(%q) = %v, should not include %s", c.query, got, c.notWant)
		}
	}
}

func TestLabel_IsReadable(t *testing.T) {
	cases := map[string]string{
		"207RC0000X": "Cardiovascular Disease Physician",
		"207WX0110X": "Pediatric Ophthalmology and Strabismus Specialist Physician", // NUCC doubles "Physician"
		"363L00000X": "Nurse Practitioner",
	}
	for code, want := range cases {
		s, _ := taxonomy.ByCode(code)
		if got := s.Label(); got != want {
			t.Errorf("%s.Label() = %q, want %q", code, got, want)
		}
	}
}

func BenchmarkMatch(b *testing.B) {
	for b.Loop() {
		taxonomy.Match("kids heart doctor")
	}
}
