package registry_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/registry"
)

func TestMatch_ComparesNameTaxonomiesAndStatusWithTheRegistry(t *testing.T) {
	r := newRig(t)
	cardiologist, retired, clinic := validNPI("400000001"), validNPI("400000002"), validNPI("400000003")
	importNPPES(t, r, nppesCSV(t, header,
		individual(cardiologist, "AMARA", "O'SEI").with(registry.ColMiddleName, "NKECHI",
			registry.ColTaxonomyCode(1), "207RC0000X", registry.ColTaxonomyCode(2), "207R00000X", registry.ColPrimarySwitch(2), "N"),
		individual(retired, "LUCAS", "MOREAU").with(registry.ColDeactivationDate, "06/30/2023"),
		row{registry.ColNPI: clinic, registry.ColEntityType: "2", registry.ColOrganizationName: "MAPLE STREET FAMILY CLINIC",
			registry.ColTaxonomyCode(1): "261QP2300X"},
	), 1000)

	for _, tc := range []struct {
		name              string
		npi, first, last  string
		codes             []string
		inRegistry, named bool
		listed, unlisted  []string
		deactivated       bool
		confirms          bool
		reason            string // a phrase Reasons must contain, "" for none
	}{
		{name: "exact claim", npi: cardiologist, first: "Amara", last: "O'Sei", codes: []string{"207RC0000X"},
			inRegistry: true, named: true, listed: []string{"207RC0000X"}, confirms: true},
		{name: "punctuation, case, middle initial, spaces in the NPI", npi: " " + cardiologist + " ", first: "amara n.", last: "Osei",
			codes: []string{"207rc0000x", "207R00000X"}, inRegistry: true, named: true, listed: []string{"207RC0000X", "207R00000X"}, confirms: true},
		{name: "a specialty the record does not list", npi: cardiologist, first: "Amara", last: "Osei", codes: []string{"208000000X"},
			inRegistry: true, named: true, unlisted: []string{"208000000X"}, reason: "does not list taxonomy 208000000X"},
		{name: "someone else's NPI", npi: cardiologist, first: "Priya", last: "Raman", codes: []string{"207RC0000X"},
			inRegistry: true, listed: []string{"207RC0000X"}, reason: "lists NPI " + cardiologist + " under AMARA NKECHI O'SEI"},
		{name: "deactivated", npi: retired, first: "Lucas", last: "Moreau", inRegistry: true, named: true, deactivated: true,
			reason: "deactivated on 2023-06-30"},
		{name: "an organization's NPI", npi: clinic, first: "Maple", last: "Clinic", inRegistry: true,
			reason: "MAPLE STREET FAMILY CLINIC (organization)"},
		{name: "not in the registry", npi: validNPI("499999999"), first: "Amara", last: "Osei", codes: []string{"207RC0000X"},
			unlisted: []string{"207RC0000X"}, reason: "not in the imported NPPES registry"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := r.reg.Match(context.Background(), tc.npi, tc.first, tc.last, tc.codes)
			if err != nil {
				t.Fatal(err)
			}
			if m.InRegistry != tc.inRegistry || m.NameMatches != tc.named || m.Deactivated != tc.deactivated ||
				!slices.Equal(m.Listed, tc.listed) || !slices.Equal(m.Unlisted, tc.unlisted) || m.Confirms() != tc.confirms {
				t.Fatalf("Match = in %v, name %v, deactivated %v, listed %v, unlisted %v, confirms %v",
					m.InRegistry, m.NameMatches, m.Deactivated, m.Listed, m.Unlisted, m.Confirms())
			}
			reasons := strings.Join(m.Reasons(), " ")
			if (tc.reason == "") != (reasons == "") || !strings.Contains(reasons, tc.reason) {
				t.Fatalf("Reasons = %q, want %q", reasons, tc.reason)
			}
		})
	}
}

func TestMatch_RefusesBadInputWithFieldMessages(t *testing.T) {
	r := newRig(t)
	for _, tc := range []struct {
		npi, first, last string
		codes            []string
		field, want      string
	}{
		{"1234567890", "Amara", "Osei", nil, "npi", "fails its check digit"},
		{"123", "Amara", "Osei", nil, "npi", "exactly 10 digits; got 3"},
		{"1234567893", "", "Osei", nil, "first_name", "first name"},
		{"1234567893", "Amara", " - ", nil, "last_name", "last name"},
		{"1234567893", "Amara", "Osei", []string{"cardiology"}, "taxonomy", `"CARDIOLOGY" is not a taxonomy code`},
	} {
		_, err := r.reg.Match(context.Background(), tc.npi, tc.first, tc.last, tc.codes)
		if !errs.Is(err, errs.KindInvalid) || !strings.Contains(errs.FieldMessage(err, tc.field), tc.want) {
			t.Errorf("Match(%q, %q, %q, %v) = %v; want %s: %q", tc.npi, tc.first, tc.last, tc.codes, err, tc.field, tc.want)
		}
	}
	if _, err := r.reg.Provider(context.Background(), "1234567890"); errs.FieldMessage(err, "npi") == "" {
		t.Errorf("Provider with a bad NPI = %v", err)
	}
	if _, err := r.reg.Provider(context.Background(), "1234567893"); !errs.Is(err, errs.KindNotFound) ||
		!strings.Contains(errs.PublicMessage(err), "not in the provider registry") {
		t.Errorf("Provider of an unknown NPI = %v", err)
	}
}
