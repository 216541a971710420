package guard

import (
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
)

var lexTestLexicon = sync.OnceValue(loadLexicon)

// lexFound lists the texts of the spans of one type that scan finds.
func lexFound(text string, typ Type) []string {
	var out []string
	for _, s := range lexTestLexicon().scan(text) {
		if s.Type == typ {
			out = append(out, s.Text)
		}
	}
	return out
}

func TestLexiconScan_FindsPersonalNames(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"title before surname", "Updated by Dr. Oyelaran at 1400.", []string{"Oyelaran"}},
		{"title without full stop", "Seen by Dr Smith today.", []string{"Smith"}},
		{"first and last name in prose", "I met John Smith at the clinic yesterday.", []string{"John Smith"}},
		{"relation before first name", "Social: wife Marguerite in to visit.", []string{"Marguerite"}},
		{"relation before full name", "Son Desmond Achterberg is HCP.", []string{"Desmond Achterberg"}},
		{"credential after name", "Attending: Ignatius Ferreira-Lobo, MD", []string{"Ignatius Ferreira-Lobo"}},
		{"credential before name", "Report called to RN Oluwaseun at 1400.", []string{"Oluwaseun"}},
		{"initial before surname", "Discussed with J. Smith from pharmacy.", []string{"J. Smith"}},
		{"middle initial", "The verses of Faina D. Yefremova are sad.", []string{"Faina D. Yefremova"}},
		{"apostrophe surname", "Pt seen by Dr. O'Brien.", []string{"O'Brien"}},
		{"hyphenated first name", "Her sister Mary-Kate called.", []string{"Mary-Kate"}},
		{"modal said twice after a relation", "HUSBAND WILL WILL VISIT TONIGHT.", []string{"WILL"}},
		{"modal before a past tense after a relation", "WIFE MAY CALLED TWICE. SON WILL BE IN.", []string{"MAY"}},
		{"modal before a visit after a relation", "dtr may in to visit after work, son will call.", []string{"may"}},
		{"unknown word before aware", "K 3.1, Wojtaszczyk aware, repleted. NEUROSURG AWARE.", []string{"Wojtaszczyk"}},
		{"word name before a verb people do", "Pt's son art called, updated by RN.", []string{"art"}},
		{"relation is name", "BROTHER IS GRANT, SISTER IS ROSE.", []string{"GRANT", "ROSE"}},
		{"newborn", "BABY BOY OKAFOR TO NICU.", []string{"OKAFOR"}},
		{"lower-case title before unknown surname", "Pcp is dr mbatha at the clinic.", []string{"mbatha"}},
		{"quoted nickname", `Pt prefers to be called "Bunny" by staff.`, []string{"Bunny"}},
		{"lower-case month after a relation", "Pt's wife april at bedside, updated.", []string{"april"}},
		{"name before a sentence that starts with shorthand", "Report from RN Corisande. Pt stable.", []string{"Corisande"}},
		{"word name remembered inside a sentence", "Sister Heaven is HCP. Dr. Oyelaran updated Heaven at 1500.", []string{"Heaven", "Oyelaran", "Heaven"}},
		{"possessive", "We went to Sarah's house.", []string{"Sarah"}},
		{"ambiguous name after relation", "Pt lives with wife Hope and son Will.", []string{"Hope", "Will"}},
		{"month name after relation", "Pt lives with wife June in a ranch house.", []string{"June"}},
		{"ambiguous first name with surname", "Mark Brown called the unit.", []string{"Mark Brown"}},
		{"greeting", "Hi Sarah, thanks for the update!", []string{"Sarah"}},
		{"name is", "My name is Rubija", []string{"Rubija"}},
		{"lower-case social media", "me and sarah went to the game", []string{"sarah"}},
		{"lower-case names in a note", "Social: wife mary in to visit, spoke with dr smith re: plan.", []string{"mary", "smith"}},
		{"lower-case name is", "my name is krithika and i love it", []string{"krithika"}},
		{"all caps note", "PT SEEN BY DR SMITH, WIFE MARY AT BEDSIDE.", []string{"SMITH", "MARY"}},
		{"all caps relation and surname", "DAUGHTER RUTHANNE KOWALCZYK CALLED, UPDATED BY RN.", []string{"RUTHANNE KOWALCZYK"}},
		{"two unknown capitalized words", "Krisztián Szöllösy listed his top songs.", []string{"Krisztián Szöllösy"}},
		{"signature after dash", "See you at noon.\n- Priya", []string{"Priya"}},
		{"names in a list", "They had 3: Hannah, Anthony and Derek.", []string{"Hannah", "Anthony", "Derek"}},
		{"relation before two names", "FAMILY MEETING WITH DAUGHTERS GRETA AND INGRID.", []string{"GRETA", "INGRID"}},
		{"surname comma first name", "Patient Name: Okwuosa, Chidinma", []string{"Okwuosa, Chidinma"}},
		{"unknown names before credential", "Assistant: Ikechukwu Nwosu, MD.", []string{"Ikechukwu Nwosu"}},
		{"common word name after relation in capitals", "GIRLFRIEND DESTINY VISITING.", []string{"DESTINY"}},
		{"later mention of a name found once", "Dr. Nakashima aware. Nakashima wants CT head.", []string{"Nakashima", "Nakashima"}},
		{"unknown name first in a list", "They had 3: Gaetane, Hannah and Derek.", []string{"Gaetane", "Hannah", "Derek"}},
		{"unknown name before a verb people do", "Luiza spent a year abroad.", []string{"Luiza"}},
		{"unknown name after says", "\"Glad to hear it,\" says Hartvigsson.", []string{"Hartvigsson"}},
		{"capitals on a name band", "Pt name band checked: DELACROIX, EMMANUEL, DOB 03/30/1941.", []string{"DELACROIX, EMMANUEL"}},
		{"accented name after a lower-case title", "the night nurse Inés brought ice chips", []string{"Inés"}},
		{"job before a name", "Spanish interpreter Rosângela present; PharmD Obradovic called.", []string{"Rosângela", "Obradovic"}},
		{"relation abbreviation", "Lives w/ dtr Philomena in a duplex.", []string{"Philomena"}},
		{"name in brackets after a relation", "Family: husband (grant) and son (Tobiah) at bedside.", []string{"grant", "Tobiah"}},
		{"month name after a relation without case", "pt's sister april called at 2200.", []string{"april"}},
		{"name was", "Her name was Blessing and she was kind.", []string{"Blessing"}},
		{"unknown surname after paged", "Paged Adeyinka-Cole re: K 3.1, spoke with Obuya.", []string{"Adeyinka-Cole", "Obuya"}},
		{"unknown surname after per in capitals", "PER ODUNSI OK TO DIURESE.", []string{"ODUNSI"}},
		{"weak first name in a list after a relation", "BROTHERS SEAMUS AND PADRAIG AT BEDSIDE.", []string{"SEAMUS", "PADRAIG"}},
		{"name ends before everyday words without case", "SPOKE WITH DR SMITH RE PLAN.", []string{"SMITH"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := lexFound(tt.text, Name); !slices.Equal(got, tt.want) {
				t.Errorf("names in %q = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestLexiconScan_LeavesMedicalTermsAndWords(t *testing.T) {
	tests := []struct {
		name string
		text string
	}{
		{"eponym disease", "Hx of Parkinson's disease and Alzheimer's dementia."},
		{"eponym plural possessive", "Pt w/ Graves' disease s/p RAI."},
		{"eponym before disease", "Crohn disease flare, Hodgkin lymphoma in remission."},
		{"catheter", "Foley catheter draining clear yellow urine."},
		{"foley alone", "Foley d/c'd at 0600, due to void by 1400."},
		{"stain and scale", "Gram stain pending. Glasgow coma scale 15. Apgar 9."},
		{"palsy", "Presents with Bell's palsy on the left."},
		{"scores", "Braden 16. Morse fall risk high. Hunt-Hess 3."},
		{"drugs", "Given Tylenol 650 mg and Lasix 40 mg IV; coumadin held."},
		{"months and weekdays", "Seen Monday, May 3; follow up in June."},
		{"abbreviations", "PT to see in am. RN aware. BP 120/80 HR 88 NAD."},
		{"modal said twice after the patient", "pt may may not tolerate. friend may visit."},
		{"newborn without a name", "BABY GIRL IN NICU, STABLE."},
		{"appointment after a title", "dr appt tmrw, wife aware."},
		{"word after the patient", "pt rich said ok. Pt is hopeful."},
		{"all caps clinical", "NEURO: ALERT, MAE. CV: HR 88 SR. RESP: LS CLEAR. GI: ABD SOFT, +BS. GU: FOLEY DRAINING. PLAN: CONT LASIX, WILL MONITOR."},
		{"all caps nursing note", "SOCIAL: DAUGHTER CALLED, UPDATED. WIFE WILL VISIT IN AM.\nPT STATES HE WANTS TO GO HOME. PT WORKS AS A COOK.\nID: SPUTUM GRAM STAIN GNR. SWAN GANZ PLACED. FOLEY TO GRAVITY."},
		{"mixed case nursing note", "ID: Tmax 99.1. On Vanco/Levo/Flagyl. Zosyn started.\nLines: Right Subclavian Triple Lumen, Left Brachial PICC.\nEndo: covered per RISS. Lantus 20u given at HS. Braden score 14."},
		{"all caps meds", "HOME MEDS: ASA 81 MG DAILY, ATORVASTATIN 40 MG QHS, METFORMIN 1000 MG BID."},
		{"common words that are names", "Will you mark the brown bag? I hope so, and grant access."},
		{"sentence-start ambiguous word", "Grant access to the chart. May be discharged today."},
		{"capitalized ordinary words", "Capitalized words like Wisdom and Discipline are not names."},
		{"abbreviation after patient", "Logged pt's IP for troubleshooting."},
		{"relation words", "My Dad and my Mom came; the Patient's Wife called."},
		{"states and countries", "She moved from Massachusetts to Canada, then Puerto Rico."},
		{"organization after surname", "She studied at Smith College near Johnson County."},
		{"handles and hashtags", "@dr_amara_k thanks! #JohnSmith #MaryJones"},
		{"e-mail and web addresses", "Write to SzaszJanka@cuvox.de or see https://www.UEarly.se/Janka and www.Smith.com."},
		{"hyphenated words", "Thanks! Glad the new online check-in and follow-up worked."},
		{"scores named for people", "SAH Hunt-Hess 3, Burch-Wartofsky 55, Swan Ganz in place."},
		{"abbreviations in capitals in prose", "Covered per RISS. SVG-OM patent. CAM-ICU pos."},
		{"clinical verbs and sinus rhythm", "Remains in SR. Pt's wife updated. States she feels better."},
		{"job before a service", "Interpreter Services called. Chaplain Services paged. Nurse Manager aware."},
		{"everyday word after a title without case", "nurse life is charting at 0300"},
		{"devices named for people", "Geri chair x2h. Ted hose on. Ace wrap to stump. Sara Stedy to chair."},
		{"drugs spelled like drugs", "Started Ceftaroline and Daptomycin. Given Ondansetron Famotidine."},
		{"military words", "Pt is a retired Navy officer, served in the Army reserve."},
		{"not a person after a title", "Dr. Google said it was cancer."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := lexFound(tt.text, Name); len(got) > 0 {
				t.Errorf("names in %q = %q, want none", tt.text, got)
			}
		})
	}
}

func TestLexiconScan_ReturnsByteOffsets(t *testing.T) {
	text := "Café visit: Dr. Zoë Ångström-Ñúñez saw the pt."
	spans := lexTestLexicon().scan(text)
	if len(spans) != 1 {
		t.Fatalf("scan(%q) = %v, want one name", text, spans)
	}
	s := spans[0]
	if s.Type != Name || text[s.Start:s.End] != s.Text || s.Text != "Zoë Ångström-Ñúñez" {
		t.Errorf("span = %+v, want NAME \"Zoë Ångström-Ñúñez\" at its byte offsets", s)
	}
}

func TestLexiconScan_HandlesOddInput(t *testing.T) {
	for _, text := range []string{"", " ", "\n\n", "'", "Dr.", "Dr", "-", "123", "O'", "a-", "wife", "\xff\xfe", "St."} {
		for _, s := range lexTestLexicon().scan(text) {
			if s.Start < 0 || s.End > len(text) || s.Start >= s.End {
				t.Errorf("scan(%q) gave span %+v outside the text", text, s)
			}
		}
	}
}

func TestLoadLexicon_HasTheDictionaries(t *testing.T) {
	l := lexTestLexicon()
	for word, want := range map[string]func(uint32) bool{
		"john":      func(f uint32) bool { return firstLevel(f) == 3 },
		"smith":     func(f uint32) bool { return lastLevel(f) == 3 },
		"the":       func(f uint32) bool { return wordLevel(f) == 3 },
		"boston":    func(f uint32) bool { return cityLevel(f) == 3 },
		"parkinson": func(f uint32) bool { return f&stopBit != 0 },
	} {
		if !want(l.words[word]) {
			t.Errorf("flags of %q = %b, not as expected", word, l.words[word])
		}
	}
	if p, ok := l.places["new york"]; !ok || p.kind != placeCity {
		t.Errorf("places[new york] = %+v, %v; want a city", p, ok)
	}
}

func BenchmarkLexiconScan(b *testing.B) {
	data, err := os.ReadFile("testdata/clinical_notes.txt")
	if err != nil {
		b.Skip("no clinical notes:", err)
	}
	text := strings.NewReplacer("[[", "", "]]", "", "|", " ").Replace(string(data))
	l := lexTestLexicon()
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		l.scan(text)
	}
}
