package registry

import "testing"

func TestNamesMatch_ToleratesCaseMiddleNamesAndPunctuation(t *testing.T) {
	type rec struct{ first, middle, last string }
	for _, tc := range []struct {
		claimFirst, claimLast string
		record                rec
		want                  bool
	}{
		{"Mary", "Smith", rec{"MARY", "", "SMITH"}, true},
		{"mary", "SMITH", rec{"MARY", "ANN", "SMITH"}, true},
		{"Mary Ann", "Smith", rec{"MARY", "ANN", "SMITH"}, true},
		{"Mary A.", "Smith", rec{"MARY", "ANN", "SMITH"}, true},
		{"Mary Ann", "Smith", rec{"MARY ANN", "", "SMITH"}, true},
		{"Mary Ann", "Smith", rec{"MARY", "", "SMITH"}, true}, // NPPES often omits middle names
		{"Mary Beth", "Smith", rec{"MARY", "ANN", "SMITH"}, false},
		{"Ann", "Smith", rec{"MARY", "ANN", "SMITH"}, false},
		{"Maria", "Smith", rec{"MARY", "", "SMITH"}, false},
		{"Mary", "Smyth", rec{"MARY", "", "SMITH"}, false},
		{"Sean", "O’Brien", rec{"SEAN", "", "O'BRIEN"}, true},
		{"Sean", "OBrien", rec{"SEAN", "", "O'BRIEN"}, true},
		{"Ana", "Smith Jones", rec{"ANA", "", "SMITH-JONES"}, true},
		{"Ana", "Smith-Jones", rec{"ANA", "", "SMITH JONES"}, true},
		{"John", "Carter Jr.", rec{"JOHN", "", "CARTER"}, true},
		{"José", "Núñez", rec{"JOSE", "", "NUNEZ"}, true},
		{"Dr. John", "Carter", rec{"JOHN", "", "CARTER"}, false}, // the prefix belongs in its own field
		{"", "Carter", rec{"JOHN", "", "CARTER"}, false},
		{"John", "", rec{"JOHN", "", "CARTER"}, false},
		{"John", "Carter", rec{"", "", ""}, false},
	} {
		got := namesMatch(tc.claimFirst, tc.claimLast, tc.record.first, tc.record.middle, tc.record.last)
		if got != tc.want {
			t.Errorf("namesMatch(%q %q vs %+v) = %v, want %v", tc.claimFirst, tc.claimLast, tc.record, got, tc.want)
		}
	}
}

func TestParseNPPESDate_RejectsImpossibleDates(t *testing.T) {
	for _, tc := range []struct {
		in   string
		ok   bool
		null bool
	}{
		{"05/23/2005", true, false},
		{"2005-05-23", true, false},
		{"", true, true},
		{"02/29/2024", true, false},
		{"02/29/2023", false, false},
		{"13/01/2020", false, false},
		{"5/23/2005", false, false},
		{"20050523", false, false},
	} {
		v, ok := parseNPPESDate(tc.in)
		if ok != tc.ok || (ok && (v == nil) != tc.null) {
			t.Errorf("parseNPPESDate(%q) = %v, %v", tc.in, v, ok)
		}
	}
}
