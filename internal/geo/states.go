package geo

import "strings"

// states maps USPS state and territory codes to their names.
var states = map[string]string{
	"AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
	"CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia",
	"FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois",
	"IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
	"ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota",
	"MS": "Mississippi", "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
	"NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York",
	"NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon",
	"PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota",
	"TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia",
	"WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
	"AS": "American Samoa", "GU": "Guam", "MP": "Northern Mariana Islands",
	"PR": "Puerto Rico", "VI": "U.S. Virgin Islands",
}

// stateKeys maps a normalized state code or name ("ma", "massachusetts",
// "district of columbia", "washington dc") to its code.
var stateKeys = func() map[string]string {
	m := map[string]string{}
	for code, name := range states {
		m[squash(code)] = code
		m[squash(name)] = code
	}
	m[squash("Washington DC")] = "DC"
	m[squash("D.C.")] = "DC"
	m[squash("Virgin Islands")] = "VI"
	return m
}()

// StateName is the name of the state or territory with USPS code, or "".
func StateName(code string) string { return states[strings.ToUpper(code)] }

func stateCode(s string) (string, bool) {
	code, ok := stateKeys[squash(s)]
	return code, ok
}
