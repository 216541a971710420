package guard

import (
	"slices"
	"testing"
)

func TestLexiconScan_FindsPlaces(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"street address", "Lives alone at 22 Foss Terrace, neighbor checks in.", []string{"22 Foss Terrace"}},
		{"street abbreviation", "Pt found down at 12 Partridge Ave this am.", []string{"12 Partridge Ave"}},
		{"street with unit", "Send it to 45 Elm Street Apt 4B please.", []string{"45 Elm Street Apt 4B"}},
		{"address then town", "Lives at 118 Dorset Street, Apt 3, Somerville.", []string{"118 Dorset Street, Apt 3, Somerville"}},
		{"street without number", "He lives with his daughter on Wyeth Road in town.", []string{"Wyeth Road"}},
		{"po box", "Mail goes to PO Box 1234 now.", []string{"PO Box 1234"}},
		{"dotted po box", "Mail goes to P.O. Box 77.", []string{"P.O. Box 77"}},
		{"city and state code", "Moved here from Boston, MA last year.", []string{"Boston"}},
		{"city, state and zip", "Address: 77 Quarry Hill Road, Braintree, MA 02184", []string{"77 Quarry Hill Road, Braintree, MA 02184"}},
		{"city and state name", "She grew up in Springfield, Illinois.", []string{"Springfield"}},
		{"city after preposition", "96 y/o woman from Quincy w/ hx of CHF.", []string{"Quincy"}},
		{"ambiguous city after preposition", "Pt works at a diner in Revere.", []string{"Revere"}},
		{"multi-word city", "Work note for his employer in New Bedford.", []string{"New Bedford"}},
		{"part of a big city", "Lives w/ wife in East Boston.", []string{"East Boston"}},
		{"all caps city", "GRANDSON FLYING IN FROM PHOENIX TOMORROW.", []string{"PHOENIX"}},
		{"unknown town after preposition", "I'm in Flateyri, at the conference", []string{"Flateyri"}},
		{"county", "Resident of Suffolk County since 1990.", []string{"Suffolk County"}},
		{"hospital", "Transferred from St. Mary's Hospital for ERCP.", []string{"St. Mary's Hospital"}},
		{"medical center", "Transferred from Good Samaritan Medical Center in Brockton.", []string{"Good Samaritan Medical Center", "Brockton"}},
		{"nursing home in lower case", "Admitted from Brightwater Commons nursing home w/ UTI.", []string{"Brightwater Commons"}},
		{"clinic with place", "Seen at Oak Bluffs Medical Clinic yesterday.", []string{"Oak Bluffs Medical Clinic"}},
		{"facility of a town", "Discharged home with VNA of Cape Cod.", []string{"VNA of Cape Cod"}},
		{"all caps facility", "ADMITTED FROM ED AFTER FALL AT ROSEBANK SENIOR LIVING.", []string{"ROSEBANK SENIOR LIVING"}},
		{"known hospital name", "She was seen at Beth Israel last week.", []string{"Beth Israel"}},
		{"zip code after label", "Zip code: 02114", []string{"02114"}},
		{"address after a label", "Address: 86036 Rua do Arenque 1634, Goiânia", []string{"86036 Rua do Arenque 1634, Goiânia"}},
		{"route", "She was in a car accident on Route 9 last night.", []string{"Route 9"}},
		{"saint's hospital in lower case", "finally home after 6 days at st. brendan's", []string{"st. brendan's"}},
		{"lower-case town in prose", "does anyone know a good rheumatologist near worcester? Thanks", []string{"worcester"}},
		{"town area", "anyone in the lowell area know a clinic? I need one", []string{"lowell"}},
		{"city after a verb of going", "We are moving to Denver next month.", []string{"Denver"}},
		{"ambiguous town before state", "She lives in Hope, AR with her kids.", []string{"Hope"}},
		{"hyphenated towns", "My sister is at Newton-Wellesley right now.", []string{"Newton-Wellesley"}},
		{"facility after a town", "The stroke team at Lowell General acted fast.", []string{"Lowell General"}},
		{"named ward", "Pt to transfer to Stoneman 9 when bed available.", []string{"Stoneman 9"}},
		{"saint's church without a head word", "Mass at Our Lady of Perpetual Help on Sunday.", []string{"Our Lady of Perpetual Help"}},
		{"all caps facility of ordinary words", "STAYS AT MAPLE GROVE SHELTER PER PT.", []string{"MAPLE GROVE SHELTER"}},
		{"all caps part of a city", "LIVES IN SOUTH BOSTON WITH SON.", []string{"SOUTH BOSTON"}},
		{"facility word after a description", "PCP at Lakeview Family Medicine.", []string{"Lakeview Family Medicine"}},
		{"regional hospital", "Transferred from Tobey Regional for cath.", []string{"Tobey Regional"}},
		{"unknown facility after at", "Pt was in detox at Brattlewood last month.", []string{"Brattlewood"}},
		{"mount", "Records from Mt. Auburn Hosp requested.", []string{"Mt. Auburn Hosp"}},
		{"landmark", "Found down near Quincy Station by EMS.", []string{"Quincy Station"}},
		{"landmark named by a direction", "Found down near North Station by EMS.", []string{"North Station"}},
		{"facility without a facility word", "Admitted from Willow Crest after a fall.", []string{"Willow Crest"}},
		{"saint without a possessive", "Transferred from St. Columbkille for cath.", []string{"St. Columbkille"}},
		{"bracketed kind of residence", "LIVES AT CEDAR GLEN (ALF) W/ WIFE.", []string{"CEDAR GLEN"}},
		{"state name and city", "Son flew in from Kansas City last night.", []string{"Kansas City"}},
		{"lower-case ward", "bed requested on wardell 4, report called", []string{"wardell 4"}},
		{"all caps big city after from", "DTR CALLED FROM LONDON THIS AM.", []string{"LONDON"}},
		{"mount without a full stop", "SHE WORKS AS A NURSE AT MT AUBURN.", []string{"MT AUBURN"}},
		{"name after the kind of place", "Her husband is in a nursing home, Birch Hollow, since May.", []string{"Birch Hollow"}},
		{"all caps street abbreviation after on", "LIVES ON WINSLOW PARK AVE WITH SON.", []string{"WINSLOW PARK AVE"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := lexFound(tt.text, Location); !slices.Equal(got, tt.want) {
				t.Errorf("places in %q = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestLexiconScan_LeavesStatesCountriesAndWords(t *testing.T) {
	tests := []struct {
		name string
		text string
	}{
		{"state", "Pt moved to Massachusetts from California."},
		{"state code alone", "Licensed in CA and MA."},
		{"countries", "Born in Canada, raised in the USA and Puerto Rico."},
		{"generic facility", "Transferred from outside hospital to the rehab."},
		{"department", "Follow up in Cardiology Clinic in 2 weeks."},
		{"city word as a word", "Pt is mobile with a walker; reading glasses at bedside."},
		{"person after at", "Enrico shouted at Gary: what are you doing?"},
		{"credential not a state", "Attending: Seraphina Lutz, MD"},
		{"company named for a city", "His ICD was made by Boston Scientific."},
		{"drug before state code", "Start MS Contin 15mg BID."},
		{"language before nationality", "Speaks Spanish, interpreter used."},
		{"system name", "EKG sent to MUSE for reading."},
		{"numbers are not addresses", "Gave 5 mg IV and 2 units insulin."},
		{"eponym device", "Placed in Miami collar; Hoyer lift to chair."},
		{"person's home", "We went to Sarah's house."},
		{"person after from", "They sang the verses from Faina D. Yefremova's tales."},
		{"ip address", "I keep getting address 41.173.96.26 blocked error"},
		{"doses after a drug", "Continue Lasix 20 and Baker 4? no: continue Keppra 500."},
		{"heart sounds", "MURMUR AT RUSB, RADIATES TO CAROTIDS."},
		{"ventilator settings", "Vent: APRV P-high 28, P-low 0, T-high 5.5."},
		{"a workplace is a company", "She works at Zentrix as an analyst."},
		{"a state is no landmark island", "Moved from Rhode Island last year."},
		{"hospital services", "Referred to Neurology. Sent to Radiology. Transferred to Heart Failure service."},
		{"states a patient returns to", "RETURNED TO BASELINE. TRANSFERRED TO STEPDOWN. DISCHARGED TO HOME."},
		{"rooms and bays", "Transferred to Bay 4. Returned to Room 12 after CT."},
		{"placement in brackets", "SCREENING FOR PLACEMENT (NH OR REHAB)."},
		{"incision", "STERNAL INC C/D/I. c/o inc pain at site."},
		{"doses before a title", "MG 1.7 REPLETED 2GM. DR OKORO AWARE."},
		{"country after a relation is a person", "PARTNER JORDAN CALLED TONIGHT."},
		{"person after the kind of place", "Went home, Dr. Lowe aware. Back from rehab, Maria visited."},
		{"sinus tachycardia", "HR 110 ST, ON LOPRESSOR. BP 120/70 RD."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := lexFound(tt.text, Location); len(got) > 0 {
				t.Errorf("places in %q = %q, want none", tt.text, got)
			}
		})
	}
}
