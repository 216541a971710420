package registry_test

import (
	"testing"

	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/registry"
)

func TestValidateNPI_SaysWhyANumberIsRejected(t *testing.T) {
	for _, tc := range []struct {
		npi  string
		want string // the field message, "" when valid
	}{
		{"1234567893", ""},
		{"1003000126", ""}, // a real, published NPI
		{"1245319599", ""},
		{"1234567890", "NPI 1234567890 fails its check digit: NPIs have 10 digits and a valid Luhn check digit (computed with the 80840 prefix)."},
		{"1003000127", "NPI 1003000127 fails its check digit: NPIs have 10 digits and a valid Luhn check digit (computed with the 80840 prefix)."},
		{"123456789", "NPI must be exactly 10 digits; got 9."},
		{"12345678931", "NPI must be exactly 10 digits; got 11."},
		{"12345-7893", `NPI may contain digits only; "12345-7893" has "-".`},
		{"12345678 3", `NPI may contain digits only; "12345678 3" has " ".`},
		{"", "Enter the 10-digit NPI."},
	} {
		t.Run(tc.npi, func(t *testing.T) {
			err := registry.ValidateNPI(tc.npi)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("ValidateNPI(%q) = %v, want nil", tc.npi, err)
				}
				return
			}
			if !errs.Is(err, errs.KindInvalid) {
				t.Fatalf("ValidateNPI(%q) = %v, want an errs.Invalid", tc.npi, err)
			}
			if got := errs.FieldMessage(err, "npi"); got != tc.want {
				t.Fatalf("ValidateNPI(%q) says %q on field npi, want %q", tc.npi, got, tc.want)
			}
		})
	}
}

func TestNPICheckDigit_EveryWrongDigitIsCaught(t *testing.T) {
	// Changing the check digit of a valid NPI to any other digit must fail.
	for _, npi := range []string{"1234567893", "1003000126", "1245319599"} {
		for d := byte('0'); d <= '9'; d++ {
			candidate := npi[:9] + string(d)
			err := registry.ValidateNPI(candidate)
			if (d == npi[9]) != (err == nil) {
				t.Errorf("ValidateNPI(%s) = %v", candidate, err)
			}
		}
		if got := registry.NPICheckDigit(npi[:9]); got != npi[9] {
			t.Errorf("NPICheckDigit(%s) = %c, want %c", npi[:9], got, npi[9])
		}
	}
}
