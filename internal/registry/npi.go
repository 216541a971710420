package registry

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/rounds-health/rounds/internal/errs"
)

// npiPrefix is the card issuer prefix ISO/IEC 7812 assigns to US health
// care: an NPI's check digit is the Luhn digit of 80840 followed by its
// first nine digits.
const npiPrefix = "80840"

// ValidateNPI checks that npi is ten digits whose last one is the Luhn
// check digit. The error is an errs.Invalid on field "npi" that says which
// rule failed.
func ValidateNPI(npi string) error {
	if msg := npiProblem(npi); msg != "" {
		return errs.Invalid("npi", msg)
	}
	return nil
}

// npiProblem returns why npi is not a valid NPI, or "". Import reports use
// it without allocating an error per row.
func npiProblem(npi string) string {
	if npi == "" {
		return "Enter the 10-digit NPI."
	}
	for i := 0; i < len(npi); i++ {
		if npi[i] < '0' || npi[i] > '9' {
			return fmt.Sprintf("NPI may contain digits only; %q has %q.", shorten(npi), firstNonDigit(npi))
		}
	}
	if len(npi) != 10 {
		return fmt.Sprintf("NPI must be exactly 10 digits; got %d.", len(npi))
	}
	if NPICheckDigit(npi[:9]) != npi[9] {
		return fmt.Sprintf("NPI %s fails its check digit: NPIs have 10 digits and a valid Luhn check digit (computed with the 80840 prefix).", npi)
	}
	return ""
}

// NPICheckDigit returns the check digit for the first nine digits of an NPI.
// first9 must be nine ASCII digits.
func NPICheckDigit(first9 string) byte {
	digits := npiPrefix + first9
	sum := 0
	// Luhn: double every second digit counting leftwards from the digit that
	// will sit next to the check digit.
	for i := len(digits) - 1; i >= 0; i-- {
		d := int(digits[i] - '0')
		if (len(digits)-1-i)%2 == 0 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return byte('0' + (10-sum%10)%10)
}

func firstNonDigit(s string) string {
	for _, r := range s {
		if r < '0' || r > '9' {
			return string(r)
		}
	}
	return ""
}

// shorten keeps messages readable when someone pastes a paragraph.
func shorten(s string) string {
	if utf8.RuneCountInString(s) <= 20 {
		return s
	}
	return string([]rune(s)[:20]) + "…"
}

// normalizeNPI trims what people type around an NPI.
func normalizeNPI(s string) string {
	return strings.TrimSpace(s)
}
