package guard

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// requireScan skips a test until the scanner finds the identifier type in
// an obvious sample, so that end-to-end policy tests start running by
// themselves when date and name detection land.
func requireScan(t *testing.T, typ Type, sample string) {
	t.Helper()
	for _, s := range Default().Scan(sample) {
		if s.Type == typ {
			return
		}
	}
	t.Skipf("the scanner does not find %s in %q yet", typ, sample)
}

func TestCheck_AcceptanceReviewReply(t *testing.T) {
	d := Default()
	blocked := d.Check("Thanks for visiting us on March 3, we hope your knee surgery recovery goes well", Options{Context: ContextReviewReply})
	if !blocked.Blocked() {
		t.Fatalf("the disclosing reply is not blocked: %+v", blocked.Findings)
	}
	if blocked.SafeReply != SafeReviewReply {
		t.Fatalf("a blocked review reply offers %q, want the safe reply", blocked.SafeReply)
	}
	for _, f := range blocked.Findings {
		if f.Explanation == "" {
			t.Errorf("finding %q has no explanation", f.Text)
		}
	}
	passed := d.Check("We take all feedback seriously; please contact our office", Options{Context: ContextReviewReply})
	if passed.Blocked() || len(passed.Findings) > 0 || passed.SafeReply != "" {
		t.Fatalf("the generic reply is flagged: %+v", passed)
	}
}

func TestCheck_AcceptanceReviewReplyReportsTheDate(t *testing.T) {
	requireScan(t, Date, "seen on March 3")
	r := Default().Check("Thanks for visiting us on March 3, we hope your knee surgery recovery goes well", Options{Context: ContextReviewReply})
	for _, f := range r.Findings {
		if f.Type == Date && f.Text == "March 3" && f.Blocking {
			return
		}
	}
	t.Fatalf("the visit date does not block: %+v", r.Findings)
}

// spanAt makes an identifier span over the first occurrence of s in text.
func spanAt(text, s string, typ Type) Span {
	i := strings.Index(text, s)
	return Span{Start: i, End: i + len(s), Type: typ, Text: s}
}

func TestIdentifierFindings_ApplyThePolicyForClinicians(t *testing.T) {
	tests := []struct {
		name         string
		typ          Type
		text         string
		scope        ctxMask
		relationship bool
		want         bool // blocking
	}{
		{"phone", Phone, "617-555-0140", inPost, false, true},
		{"fax", Fax, "617-555-0141", inPost, false, true},
		{"email", Email, "jo@example.com", inPost, false, true},
		{"ssn", SSN, "123-45-6789", inPost, false, true},
		{"record number", MRN, "MRN 889123", inPost, false, true},
		{"health plan", HealthPlan, "XYZ123456789", inPost, false, true},
		{"account", Account, "4417 1234 5678 9113", inPost, false, true},
		{"licence", License, "D1234567", inPost, false, true},
		{"vehicle", Vehicle, "7ABC123", inPost, false, true},
		{"device", Device, "SN 44-1239", inPost, false, true},
		{"ip", IP, "10.1.2.3", inPost, false, true},
		{"id", ID, "ID 4471", inPost, false, true},
		{"age", Age, "94", inPost, false, true},
		{"name", Name, "Jane Doe", inPost, false, true},
		{"street address", Location, "12 Elm St", inPost, false, true},
		{"street name", Location, "Elm Street", inPost, false, true},
		{"zip code", Location, "02139", inPost, false, true},
		{"city", Location, "Springfield", inPost, false, false},
		{"facility", Location, "Main Street clinic", inPost, false, false},
		{"url", URL, "https://example.org/x", inReview, false, false},
		{"date in a post", Date, "Oct 3", inPost, false, false},
		{"date in a post about a patient", Date, "Oct 3", inPost, true, true},
		{"date in a review reply", Date, "Oct 3", inReview, false, true},
		{"date in a reply", Date, "Oct 3", inReply, false, true},
		{"date in a comment", Date, "Oct 3", inComment, false, true},
		{"date in an answer", Date, "Oct 3", inAnswer, false, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var rel []Finding
			if tc.relationship {
				rel = []Finding{{Type: PatientRelationship}}
			}
			got := identifierFindings([]Span{{Start: 0, End: len(tc.text), Type: tc.typ, Text: tc.text}}, tc.scope, newAllowList(nil), rel)
			if len(got) != 1 {
				t.Fatalf("%d findings, want 1", len(got))
			}
			if got[0].Blocking != tc.want {
				t.Fatalf("%s %q blocking = %v, want %v", tc.typ, tc.text, got[0].Blocking, tc.want)
			}
			if got[0].Explanation == "" {
				t.Fatal("no explanation")
			}
		})
	}
}

func TestIdentifierFindings_DateNextToANameBlocksInAPost(t *testing.T) {
	text := "Jane Doe came to the flu clinic on Oct 3"
	spans := []Span{spanAt(text, "Jane Doe", Name), spanAt(text, "Oct 3", Date)}
	for _, f := range identifierFindings(spans, inPost, newAllowList(nil), nil) {
		if !f.Blocking {
			t.Errorf("%s %q does not block", f.Type, f.Text)
		}
	}
	// The author's own name does not make a date identifying.
	for _, f := range identifierFindings(spans, inPost, newAllowList([]string{"Dr. Jane Doe"}), nil) {
		if f.Type == Name {
			t.Errorf("the allowed name is reported")
		}
		if f.Type == Date && f.Blocking {
			t.Errorf("a clinic date next to the author's own name blocks")
		}
	}
}

func TestAllowList_PermitsTheAuthorsPublicTerms(t *testing.T) {
	allow := newAllowList([]string{"Dr. Amy Lee, MD", "Harbor Dental", "+1 (617) 555-0140", "info@harbor.example"})
	tests := []struct {
		span Span
		want bool
	}{
		{Span{Type: Name, Text: "Amy Lee"}, true},
		{Span{Type: Name, Text: "Dr. Lee"}, true},
		{Span{Type: Name, Text: "LEE"}, true},
		{Span{Type: Name, Text: "Amy Leeds"}, false},
		{Span{Type: Name, Text: "Jane Doe"}, false},
		{Span{Type: Location, Text: "harbor dental"}, true},
		{Span{Type: Location, Text: "HarborDental"}, true},
		{Span{Type: Phone, Text: "617.555.0140"}, true},
		{Span{Type: Phone, Text: "617-555-0199"}, false},
		{Span{Type: Email, Text: "INFO@harbor.example"}, true},
		{Span{Type: Email, Text: "jo@harbor.example"}, false},
	}
	for _, tc := range tests {
		if got := allow.permits(tc.span); got != tc.want {
			t.Errorf("permits(%s %q) = %v, want %v", tc.span.Type, tc.span.Text, got, tc.want)
		}
	}
}

func TestCheck_AllowedPhoneNumberPassesAndOthersBlock(t *testing.T) {
	requireScan(t, Phone, "call 617-555-0140 today")
	d := Default()
	text := "Please call our office at 617-555-0140."
	if r := d.Check(text, Options{Context: ContextReviewReply, Allowed: []string{"(617) 555-0140"}}); r.Blocked() {
		t.Fatalf("the office's published number blocks: %+v", r.Findings)
	}
	if r := d.Check(text, Options{Context: ContextReviewReply}); !r.Blocked() {
		t.Fatal("an unknown phone number does not block")
	}
}

func TestCheck_NamedPatientInAPostBlocks(t *testing.T) {
	requireScan(t, Name, "Mr. John Smith was seen")
	r := Default().Check("Congratulations to Mr. John Smith on finishing chemo!", Options{Context: ContextPost})
	if !r.Blocked() {
		t.Fatalf("a named patient does not block: %+v", r.Findings)
	}
}

func TestCheck_ClinicAnnouncementDateOnlyWarns(t *testing.T) {
	requireScan(t, Date, "seen on Oct 3")
	r := Default().Check("Flu shots on Oct 3 at our clinic, no appointment needed.", Options{Context: ContextPost})
	if r.Blocked() {
		t.Fatalf("a clinic announcement is blocked: %+v", r.Findings)
	}
}

func TestCheck_SafeReplyOnlyForBlockedReviewReplies(t *testing.T) {
	d := Default()
	text := "Glad your surgery went well!"
	if r := d.Check(text, Options{Context: ContextReply}); r.SafeReply != "" {
		t.Errorf("a reply (not to a review) offers a safe reply")
	}
	if r := d.Check("Thanks for the kind words!", Options{Context: ContextReviewReply}); r.SafeReply != "" {
		t.Errorf("an unblocked review reply offers a safe reply")
	}
	safe := d.Check(SafeReviewReply, Options{Context: ContextReviewReply, Answering: "My knee surgery on May 3 with Dr. Lee went badly."})
	if len(safe.Findings) > 0 {
		t.Errorf("the safe reply itself is flagged: %+v", safe.Findings)
	}
}

func TestCheck_SameTextSameReport(t *testing.T) {
	d := Default()
	text := "Dr. Lee is the best surgeon in town! Thanks for visiting us on March 3; hope your knee is better. Call 617-555-0140."
	opt := Options{Context: ContextReviewReply, Answering: "My knee surgery with Dr. Lee on March 3"}
	first := d.Check(text, opt)
	for i := 0; i < 5; i++ {
		if again := d.Check(text, opt); !reflect.DeepEqual(first, again) {
			t.Fatalf("run %d differs:\n%+v\n%+v", i, first, again)
		}
	}
	for i := 1; i < len(first.Findings); i++ {
		if first.Findings[i].Start < first.Findings[i-1].Start {
			t.Fatalf("findings are not in text order: %+v", first.Findings)
		}
	}
}

func TestReport_JSONShape(t *testing.T) {
	r := Report{Findings: []Finding{{Start: 1, End: 4, Type: Claim, Text: "abc", Explanation: "x", NeedsApproval: true}}, SafeReply: "s"}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"findings":[{"start":1,"end":4,"type":"CLAIM","text":"abc","explanation":"x","blocking":false,"needs_approval":true}],"safe_reply":"s"}`
	if string(b) != want {
		t.Fatalf("JSON\n%s\nwant\n%s", b, want)
	}
}

func FuzzCheck_FindingsPointIntoTheText(f *testing.F) {
	for _, s := range []string{
		"Thanks for visiting us on March 3, we hope your knee surgery recovery goes well",
		"WE'RE SO GLAD YOUR ROOT CANAL WENT WELL!",
		"#1 dentist. 100% success. Jane lost 40 lbs",
		"it’s 10:30 ’ ' # % ; ...",
		"\xff\xfe your visit",
		"",
	} {
		f.Add(s, "My visit on Monday with Dr. Lee")
	}
	d := Default()
	f.Fuzz(func(t *testing.T, text, answering string) {
		for _, c := range []Context{ContextReviewReply, ContextPost, ContextAnswer} {
			r := d.Check(text, Options{Context: c, Answering: answering})
			for _, fd := range r.Findings {
				if fd.Start < 0 || fd.End > len(text) || fd.Start >= fd.End || text[fd.Start:fd.End] != fd.Text {
					t.Fatalf("finding %+v does not point into %q", fd, text)
				}
				if utf8.ValidString(text) && !utf8.ValidString(fd.Text) {
					t.Fatalf("finding %+v splits a character", fd)
				}
			}
		}
	})
}

func BenchmarkCheck_ReviewReply(b *testing.B) {
	d := Default()
	text := "Hi Deborah, we're so sorry your MRI on March 12 was delayed by two hours. Dr. Kaczmarek has reviewed your chart and the results were sent to your PCP. Please call us at 617-555-0140; we take every concern seriously and want to make it right."
	opt := Options{Context: ContextReviewReply, Answering: "Waited two hours for my MRI on March 12 and nobody at the desk told me anything. Dr. Kaczmarek never called back about my results."}
	b.SetBytes(int64(len(text) + len(opt.Answering)))
	for b.Loop() {
		d.Check(text, opt)
	}
}

func BenchmarkPolicyRules_Post(b *testing.B) {
	text := strings.Repeat("Had a patient this morning who asked whether our #1 rated program really guarantees results; we reviewed the evidence together. ", 20)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		words := policyWords(text)
		findRelationship(words, inReview)
		findPatientInPost(words, nil)
		findClaims(words)
	}
}
