package guard

import "testing"

// claimsIn returns the texts of the claim findings of a post.
func claimsIn(t *testing.T, text string) []string {
	t.Helper()
	var out []string
	for _, f := range Default().Check(text, Options{Context: ContextPost}).Findings {
		if f.Type != Claim {
			continue
		}
		if f.Blocking || !f.NeedsApproval {
			t.Errorf("claim %q: blocking=%v needs_approval=%v; claims never block and always need approval", f.Text, f.Blocking, f.NeedsApproval)
		}
		out = append(out, f.Text)
	}
	return out
}

func TestCheck_FlagsPromisesAndBoastsAsClaims(t *testing.T) {
	tests := []struct{ text, want string }{
		{"We guarantee results!", "guarantee"},
		{"Results guaranteed or your money back.", "guaranteed"},
		{"100% success rate on every implant.", "100% success"},
		{"Our laser is 100 percent effective.", "100 percent effective"},
		{"We boast a 98% success rate.", "98% success"},
		{"A cure rate of 95% in our hands.", ""},
		{"Our program cures diabetes.", "cures"},
		{"Dr. Patel cured my back pain!", "cured"},
		{"Voted best doctor in Springfield.", "best doctor"},
		{"The best orthopedic surgeon in the state.", "best orthopedic surgeon"},
		{"THE BEST DENTIST IN TOWN", "BEST DENTIST"},
		{"#1 dentist in Austin.", "#1 dentist"},
		{"We are the number one clinic for knees.", "number one clinic"},
		{"Top-rated care, close to home.", "Top-rated"},
		{"Risk-free consultation and a painless procedure.", "Risk-free"},
		{"No side effects, ever.", "No side effects"},
		{"A miracle treatment for migraines.", "miracle"},
		{"Permanent results in one visit.", "Permanent results"},
		{"This clinically proven therapy works.", "clinically proven"},
		{"It works every time.", "works every time"},
		{"Jane lost 40 lbs in 3 months!", "lost 40 lbs"},
		{"Mark is off all his meds after our program!", "off all his meds"},
		{"Pain free after just 3 sessions!", "Pain free"},
		{"Walking again after just 2 weeks!", "Walking again"},
		{"no more migraines!!", "no more migraines"},
	}
	for _, tc := range tests {
		got := claimsIn(t, tc.text)
		if len(got) == 0 {
			if tc.want != "" {
				t.Errorf("%q: no claim, want %q", tc.text, tc.want)
			}
			continue
		}
		if tc.want != "" && !containsPrefix(got, tc.want) {
			t.Errorf("%q: claims %q, want one starting %q", tc.text, got, tc.want)
		}
	}
}

func TestCheck_HonestStatementsAreNotClaims(t *testing.T) {
	for _, text := range []string{
		"There is no cure for the common cold.",
		"No treatment is guaranteed, and we will talk through the risks.",
		"We cannot guarantee any outcome.",
		"Researchers are working toward a cure for ALS.",
		"Cure rates in studies were 95%.",
		"We do our best for every patient. Best wishes!",
		"For best results, take it with food.",
		"Best practices for hand hygiene.",
		"We guarantee your privacy.",
		"The procedure carries a small risk of infection.",
		"Individual results vary; most patients improve within weeks.",
		"Happy Thanksgiving from all of us!",
		"No surgery is risk-free, and no surgery is painless.",
	} {
		if got := claimsIn(t, text); len(got) > 0 {
			t.Errorf("%q: claims %q, want none", text, got)
		}
	}
}

func TestCheck_TestimonialWithTypicalityContextIsNotAClaim(t *testing.T) {
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"Jane lost 40 lbs in 3 months!", true},
		{"Jane lost 40 lbs in 3 months! Results may vary.", false},
		{"Jane lost 40 lbs in 3 months. Individual results vary.", false},
		{"Jane lost 40 lbs in 3 months (not typical).", false},
		{"In our study, patients lost 10 lbs on average.", false},
		{"Back to running within 6 weeks!", true},
		{"Back to running within 6 weeks! Your results may differ.", false},
	} {
		got := len(claimsIn(t, tc.text)) > 0
		if got != tc.want {
			t.Errorf("%q: claim = %v, want %v", tc.text, got, tc.want)
		}
	}
}

func TestCheck_ClaimsAreCheckedInRepliesToo(t *testing.T) {
	r := Default().Check("Thanks! We are the best clinic in town.", Options{Context: ContextReply})
	found := false
	for _, f := range r.Findings {
		found = found || f.Type == Claim
	}
	if !found || r.Blocked() {
		t.Fatalf("a claim in a reply: found=%v blocked=%v, want found and not blocked", found, r.Blocked())
	}
}

func containsPrefix(list []string, prefix string) bool {
	for _, s := range list {
		if len(s) >= len(prefix) && s[:len(prefix)] == prefix {
			return true
		}
	}
	return false
}
