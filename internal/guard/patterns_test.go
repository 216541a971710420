package guard

import (
	"slices"
	"strings"
	"testing"
)

// found renders what the pattern scanner reports, in order, as
// "TYPE text" lines, so a table row reads like the text it tests.
func found(text string) []string {
	var out []string
	for _, s := range resolve(text, scanPatterns(text)) {
		out = append(out, string(s.Type)+" "+s.Text)
	}
	return out
}

type patternCase struct {
	text string
	want []string
}

func checkPatterns(t *testing.T, cases []patternCase) {
	t.Helper()
	for _, c := range cases {
		if got := found(c.text); !slices.Equal(got, c.want) {
			t.Errorf("%q\n got  %q\n want %q", c.text, got, c.want)
		}
	}
}

func TestScanPatterns_FindsDates(t *testing.T) {
	checkPatterns(t, []patternCase{
		{"Pt admitted 3/4 with CP.", []string{"DATE 3/4"}},
		{"Seen 03/04/21 and 3-4-2021.", []string{"DATE 03/04/21", "DATE 3-4-2021"}},
		{"echo 2021-03-04 normal", []string{"DATE 2021-03-04"}},
		{"dated 03.04.2021", []string{"DATE 03.04.2021"}},
		{"last seen 12/2020", []string{"DATE 12/2020"}},
		{"on 3-4 pt fell", []string{"DATE 3-4"}},
		{"Nursing note 3-4.", []string{"DATE 3-4"}},
		{"March 3, 2021 and Mar. 3rd", []string{"DATE March 3, 2021", "DATE Mar. 3rd"}},
		{"the 3rd of March", []string{"DATE 3rd of March"}},
		{"cath 04-Jun-2021, echo 3 MAR 21", []string{"DATE 04-Jun-2021", "DATE 3 MAR 21"}},
		{"ADMITTED MAY 3", []string{"DATE MAY 3"}},
		{"f/u Jan 2020", []string{"DATE Jan 2020"}},
		{"diagnosed in january", []string{"DATE january"}},
		{"surgery on may 3 at 10:30", []string{"DATE may 3"}},
		{"Family meeting on the 14th.", []string{"DATE the 14th"}},
		{"home for Christmas Eve", []string{"DATE Christmas Eve"}},
		{"over Thanksgiving she fell", []string{"DATE Thanksgiving"}},
		{"New Year's Day visit", []string{"DATE New Year's Day"}},
		{"the Fourth of July", []string{"DATE Fourth of July"}},
		{"DOB: 3/4/1950", []string{"DATE 3/4/1950"}},
		{"d/c 3/4", []string{"DATE 3/4"}},
		{"pain 7/10 since 3/4", []string{"DATE 3/4"}},
		{"born 20210304", []string{"DATE 20210304"}},
		{"Plan CABG 12-6 w/ Dr. Y", []string{"DATE 12-6"}},
		{"12-6 CXR showed improvement", []string{"DATE 12-6"}},
		{"Cefazolin 8/2-8/9, now off", []string{"DATE 8/2", "DATE 8/9"}},
		{"PICC placed 9/3, tip in SVC", []string{"DATE 9/3"}},
		{"pain since march and worse", []string{"DATE march"}},
		{"born on Leap Day", []string{"DATE Leap Day"}},
		{"last seen well at 2200 3/17", []string{"DATE 3/17"}},
		{"family meeting planned 3-27 w/ team", []string{"DATE 3-27"}},
	})
}

func TestScanPatterns_LeavesClinicalNumbersAlone(t *testing.T) {
	for _, text := range []string{
		"BP 120/80 HR 88. BP 110-130/60's. HR 120's-130's AF.",
		"Strength 5/5 bilat, 4/5 BLE. SOB 2/2 PNA. Give 1/2 tab. Pain 7/10.",
		"D5 1/2NS at 100cc/hr. 1-2L NC. RR 12-20. 2-3 days. 3-4 L NC.",
		"PS 10/5 PEEP 5. CPAP 5/5. ABG 7.36/42/98. Grade 2/6 SEM, 3/6 murmur.",
		"GCS 15, 98.6F, temp 99F, q4h, x3, 5mg, 1000000 units, 250 mcg.",
		"the 3rd time. 2nd floor. 1st degree AVB.",
		"ICP 12-18. INR goal 2-3. TOF 2/4. abx day 6/14. Nursing Note 3-11.",
		"UO 100-1200 cc. 250-1000 mL. HR 80-90s. Hct 28.1->30.2.",
		"Lytes: 140/4.0/102/24/18/1.0/110. 12.3>10.2/30.1<250.",
		"you may 3x daily. I may 2 more. may require 2 units.",
		"at 1400, 10:30, 0800, 1:1 sitter, 24/7, 10/10, 5/5 would recommend.",
		"Christmas tree in the lobby. every christmas for 11 years.",
		"EF 35%. FiO2 40%. wt 92 kg. HR is 94. glucose was 99. sats at 92%.",
		"HR in the 90s. BS 150's-200's. she walked 100 feet.",
		"Dilaudid 0.5-1mg IV q3-4h prn. gtt at 2-3mcg. vent AC 600x12.",
		"CIWA 4-6. CIWA SCORES 12-18. L rib fx 4-7. Ate 2/3 breakfast, 1/2 lunch. crackles 1/3 up.",
		"PS 10/5-8/5 trial. BP 110/60-120/70. 2-3 cath attempts. in may be able to go.",
		"pt on 3/6 sem, hx as. at 2200 BP 110/60.",
	} {
		if got := found(text); len(got) != 0 {
			t.Errorf("%q: reported %q", text, got)
		}
	}
}

func TestScanPatterns_FindsAgesOverEightyNine(t *testing.T) {
	checkPatterns(t, []patternCase{
		{"92 yo woman", []string{"AGE 92"}},
		{"a 92 y/o, 93yo, 94 y.o. man", []string{"AGE 92", "AGE 93", "AGE 94"}},
		{"pleasant 92-year-old", []string{"AGE 92"}},
		{"95 years old and 96 years of age", []string{"AGE 95", "AGE 96"}},
		{"aged 95, age: 101", []string{"AGE 95", "AGE 101"}},
		{"92M with CP, 91yoF", []string{"AGE 92", "AGE 91"}},
		{"She is in her early 90s", []string{"AGE 90s"}},
		{"a nonagenarian", []string{"AGE nonagenarian"}},
		{"my grandma turns 96 tomorrow", []string{"AGE 96"}},
		{"my mom is 94 and", []string{"AGE 94"}},
		{"dad (91!!) fell", []string{"AGE 91"}},
		{"her 100th birthday", []string{"AGE 100"}},
		{"a ninety-two year old", []string{"AGE ninety-two"}},
		{"she turned one hundred and one", []string{"AGE one hundred and one"}},
		{"45 yo man, 89 yo woman", nil},
	})
}

func TestScanPatterns_FindsPhoneAndFax(t *testing.T) {
	checkPatterns(t, []patternCase{
		{"call (617) 555-1212", []string{"PHONE (617) 555-1212"}},
		{"617-555-1212 or 617.555.1212", []string{"PHONE 617-555-1212", "PHONE 617.555.1212"}},
		{"Phone: 617 555 1212", []string{"PHONE 617 555 1212"}},
		{"reach me at 555-1212 x123", []string{"PHONE 555-1212 x123"}},
		{"page him at 5-1234, ext 2-4567", []string{"PHONE 5-1234", "PHONE 2-4567"}},
		{"345-899-3560x4587", []string{"PHONE 345-899-3560x4587"}},
		{"1-800-555-1212, +1 617 555 1212", []string{"PHONE 1-800-555-1212", "PHONE +1 617 555 1212"}},
		{"+44 20 7946 0958", []string{"PHONE +44 20 7946 0958"}},
		{"Fax: 617-555-1313", []string{"FAX 617-555-1313"}},
		{"records faxed to (617) 555-0177.", []string{"FAX (617) 555-0177"}},
		{"Tel 617-555-1212 Fax 617-555-1313", []string{"PHONE 617-555-1212", "FAX 617-555-1313"}},
		{"617-555-1313 fax", []string{"FAX 617-555-1313"}},
		{"Phone:\n467 3395", []string{"PHONE 467 3395"}},
		{"pager 4-5678", []string{"PHONE 4-5678"}},
		{"cell 6175551212", []string{"PHONE 6175551212"}},
		{"son in London: 011 44 20 7946 0321", []string{"PHONE 011 44 20 7946 0321"}},
	})
}

func TestScanPatterns_FindsLabelledNumbers(t *testing.T) {
	checkPatterns(t, []patternCase{
		{"MRN 1234567. MR# 55512.", []string{"MRN 1234567", "MRN 55512"}},
		{"Medical record number: 998877", []string{"MRN 998877"}},
		{"Unit No: 445566. Chart # 12345", []string{"MRN 445566", "MRN 12345"}},
		{"SSN 123-45-6789; SSN: 123456789", []string{"SSN 123-45-6789", "SSN 123456789"}},
		{"social security number 123 45 6789", []string{"SSN 123 45 6789"}},
		{"Member ID: XJ4-55621. Policy # 99887766", []string{"HEALTH_PLAN XJ4-55621", "HEALTH_PLAN 99887766"}},
		{"subscriber ID XKJ884120337, group 0012248", []string{"HEALTH_PLAN XKJ884120337", "HEALTH_PLAN 0012248"}},
		{"Medicare 1EG4-TE5-MK73", []string{"HEALTH_PLAN 1EG4-TE5-MK73"}},
		{"acct # AMX-220871", []string{"ACCOUNT AMX-220871"}},
		{"workers comp claim # WC-2021-448812", []string{"ACCOUNT WC-2021-448812"}},
		{"License # D1234567, DEA AB1234563", []string{"LICENSE D1234567", "LICENSE AB1234563"}},
		{"driver's license 5130634", []string{"LICENSE 5130634"}},
		{"gray sedan plate 7KTR412", []string{"VEHICLE 7KTR412"}},
		{"VIN 1HGCM82633A004352", []string{"VEHICLE 1HGCM82633A004352"}},
		{"device serial PJN604217S. S/N: 88776655", []string{"DEVICE PJN604217S", "DEVICE 88776655"}},
		{"ID #12345, case #998877, auth # PA77120934", []string{"ID 12345", "ID 998877", "ID PA77120934"}},
		{"Police report # BPD-23-118402", []string{"ID BPD-23-118402"}},
		{"ref 12345678 and 98765432", []string{"ID 12345678", "ID 98765432"}},
	})
}

func TestScanPatterns_LeavesLabelWordsInProseAlone(t *testing.T) {
	for _, text := range []string{
		"Plan: 1. Continue abx 2. Plan 2021 follow up.",
		"group therapy at 3pm, unit 5 staff, patient 2 of 4.",
		"Pt is 100% on RA. Pt was 120/80. patient no longer febrile.",
		"the case was discussed; in case of 2 more episodes.",
		"ID: afebrile, cultures pending. ID consult called.",
		"card game with 4 friends, MR 2+, mild MR.",
	} {
		if got := found(text); len(got) != 0 {
			t.Errorf("%q: reported %q", text, got)
		}
	}
}

func TestScanPatterns_ChecksCheckDigits(t *testing.T) {
	checkPatterns(t, []patternCase{
		{"VIN 1HGCM82633A004352 seen", []string{"VEHICLE 1HGCM82633A004352"}},
		{"car 1HGCM82633A004352", []string{"VEHICLE 1HGCM82633A004352"}},
		{"car 1HGCM82633A004353", []string{"ID 1HGCM82633A004353"}}, // fails the check: only a code
		{"prescriber BB1388568", []string{"LICENSE BB1388568"}},
		{"prescriber BB1388567", []string{"ID BB1388567"}},
		{"paid with 4111111111111111", []string{"ACCOUNT 4111111111111111"}},
		{"card 4111 1111 1111 1111", []string{"ACCOUNT 4111 1111 1111 1111"}},
		{"GB82 WEST 1234 5698 7654 32", []string{"ACCOUNT GB82 WEST 1234 5698 7654 32"}},
		{"gb82west12345698765432", []string{"ACCOUNT gb82west12345698765432"}},
		{"GB82 WEST 1234 5698 7654 33", nil}, // fails mod 97
		{"beneficiary 1EG4TE5MK73", []string{"HEALTH_PLAN 1EG4TE5MK73"}},
	})
}

func TestScanPatterns_FindsWebIdentifiers(t *testing.T) {
	checkPatterns(t, []patternCase{
		{"mail john.doe@example.com.", []string{"EMAIL john.doe@example.com"}},
		{"see https://example.com/a?b=1.", []string{"URL https://example.com/a?b=1"}},
		{"(https://x.org/p)", []string{"URL https://x.org/p"}},
		{"www.foo.org, mychart.example.org", []string{"URL www.foo.org", "URL mychart.example.org"}},
		{"bit.ly/3xYz", []string{"URL bit.ly/3xYz"}},
		{"IP 192.168.1.20 seen", []string{"IP 192.168.1.20"}},
		{"2001:db8::1 and fe80::1ff:fe23:4567:890a", []string{"IP 2001:db8::1", "IP fe80::1ff:fe23:4567:890a"}},
		{"tolerated.Co-signed, pt.Rest, time 10:30:45, v1.2.3", nil},
		{"999.1.1.1 and 1.2.3", nil},
	})
}

func TestScanPatterns_ReadsAllCapsAndLowerCase(t *testing.T) {
	checkPatterns(t, []patternCase{
		{"PT IS A 92 YO M ADMITTED 3/4. MRN: 00481273. CALL 617-555-0192.",
			[]string{"AGE 92", "DATE 3/4", "MRN 00481273", "PHONE 617-555-0192"}},
		{"S/P FALL 2/2 SYNCOPE. STRENGTH 5/5. FAX 617-555-1313", []string{"FAX 617-555-1313"}},
		{"surgery on march 3rd. call me 617-555-1212", []string{"DATE march 3rd", "PHONE 617-555-1212"}},
	})
}

func TestScanPatterns_GivesByteOffsetsOfUTF8Text(t *testing.T) {
	text := "Café 👋 Zoë seen 3/4 — call 617-555-1212 ✓ ünïcode@exämple.com"
	for _, s := range scanPatterns(text) {
		if text[s.Start:s.End] != s.Text {
			t.Errorf("span %+v does not cut its own text", s)
		}
	}
	if got := found(text); !slices.Equal(got, []string{"DATE 3/4", "PHONE 617-555-1212"}) {
		t.Errorf("got %q", got)
	}
}

func TestScanPatterns_SurvivesOddInput(t *testing.T) {
	for _, text := range []string{
		"", "3", "3/", "/4", "3/4/", "(617", "(617) 555-", "+", "+1", "@", "a@", "@b.com",
		"http://", "www.", "MRN", "MRN:", "SSN #", "age", "92", "92 ", "March", "3rd of",
		"::", "1::", "GB82", "\xff\xfe3/4\xff", strings.Repeat("9", 200), strings.Repeat("1/", 100),
	} {
		for _, s := range scanPatterns(text) {
			if s.Start < 0 || s.End > len(text) || s.Start >= s.End {
				t.Errorf("%q: bad span %+v", text, s)
			}
		}
	}
}

func TestScanPatterns_AllocatesPerSpanNotPerByte(t *testing.T) {
	text := strings.Repeat("Neuro: A&Ox3, MAE. CV: HR 88-96 SR. BP 118/64. K 3.4 repleted w/ 40 mEq KCl PO.\n", 500)
	allocs := testing.AllocsPerRun(5, func() { scanPatterns(text) })
	if allocs > 2 {
		t.Errorf("%.0f allocations for %d bytes without an identifier", allocs, len(text))
	}
}
