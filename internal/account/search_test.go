package account_test

import (
	"context"
	"slices"
	"testing"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/testkit"
)

func TestSearchUsers_PrefixesOfUsernamesAndDisplayNames(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	for _, u := range []struct {
		name, display string
		role          account.Role
	}{
		{"amara", "Amara Okafor", account.Clinician},
		{"amarantha", "", account.Clinician},
		{"okafor_clinic", "Okafor Family Clinic", account.Staff},
		{"drxsmith", "Sam Smith", account.Clinician}, // "dr_" must not match "drx"
		{"dr_jones", "Pat Jones", account.Clinician},
		{"patient_okafor", "Ada Okafor", account.Patient},
		{"suspended_amara", "Amara Again", account.Clinician},
	} {
		if _, err := r.svc.CreateUser(ctx, account.CLI, account.NewUser{Username: u.name, Email: u.name + "@example.org",
			Password: testkit.Password, DisplayName: u.display, Role: u.role, AgeAttested: true}); err != nil {
			t.Fatal(err)
		}
	}
	gone, _ := r.svc.UserByUsername(ctx, "suspended_amara")
	if err := r.svc.SetSuspended(ctx, account.CLI, gone.ID, true, "test fixture"); err != nil {
		t.Fatal(err)
	}
	find := func(q string, limit, offset int) []string {
		t.Helper()
		us, err := r.svc.SearchUsers(ctx, q, limit, offset)
		if err != nil {
			t.Fatalf("search %q: %v", q, err)
		}
		var out []string
		for _, u := range us {
			out = append(out, u.Username)
		}
		return out
	}
	cases := []struct {
		q             string
		limit, offset int
		want          []string
	}{
		{"AMARA", 0, 0, []string{"amara", "amarantha"}},      // exact first; the suspended one never
		{"okafor", 0, 0, []string{"okafor_clinic", "amara"}}, // username, then display-name words; not the patient
		{"@Okafor Fam", 0, 0, []string{"okafor_clinic"}},     // a display name's words
		{"dr_", 0, 0, []string{"dr_jones"}},                  // "_" is not a wildcard
		{"%", 0, 0, nil},                                     // nor "%"
		{"patient_okafor", 0, 0, []string{"patient_okafor"}}, // a patient by exact username only
		{"patient_oka", 0, 0, nil},
		{"ada", 0, 0, nil},
		{"amara", 1, 1, []string{"amarantha"}},
		{"   ", 0, 0, nil},
	}
	for _, tc := range cases {
		if got := find(tc.q, tc.limit, tc.offset); !slices.Equal(got, tc.want) {
			t.Errorf("search %q (limit %d, offset %d) = %v; want %v", tc.q, tc.limit, tc.offset, got, tc.want)
		}
	}
	if _, err := r.svc.SearchUsers(ctx, "a\x00", 0, 0); !errs.Is(err, errs.KindInvalid) {
		t.Errorf("a control character = %v; want a refusal", err)
	}
	if n, err := r.svc.CountMembers(ctx); err != nil || n != 6 {
		t.Errorf("members = %d, %v; want 6 (the suspended account left out)", n, err)
	}
}
