package input

import "testing"

func TestProblem(t *testing.T) {
	for s, bad := range map[string]bool{
		"Dr. Núñez-García\nLine two\tTab": false, "Heart 💓 health": false,
		"nul\x00byte": true, "bell\a": true, "\xff\xfe": true, "evil\u202eexe.txt": true, "iso\u2066late": true,
	} {
		if got := Problem(s) != ""; got != bad {
			t.Errorf("Problem(%q) = %v; want %v", s, got, bad)
		}
	}
}
