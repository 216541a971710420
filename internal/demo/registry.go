package demo

import (
	"context"
	"strings"

	"github.com/rounds-health/rounds/internal/registry"
)

// seedRegistry imports a tiny NPPES-format file with the demo clinicians,
// so that their verification shows a registry match as real data would.
// It goes through the same importer as `rounds admin import-nppes`.
func seedRegistry(ctx context.Context, reg *registry.Service) error {
	cols := []string{registry.ColNPI, registry.ColEntityType, registry.ColReplacementNPI, registry.ColOrganizationName,
		registry.ColLastName, registry.ColFirstName, registry.ColMiddleName, registry.ColNamePrefix, registry.ColNameSuffix,
		registry.ColCredential, registry.ColPracticeLine1, registry.ColPracticeLine2, registry.ColPracticeCity,
		registry.ColPracticeState, registry.ColPracticePostal, registry.ColPracticePhone, registry.ColEnumerationDate,
		registry.ColLastUpdateDate, registry.ColDeactivationCode, registry.ColDeactivationDate, registry.ColReactivationDate}
	for n := 1; n <= registry.TaxonomySlots; n++ {
		cols = append(cols, registry.ColTaxonomyCode(n), registry.ColLicenseNumber(n), registry.ColLicenseState(n), registry.ColPrimarySwitch(n))
	}
	var b strings.Builder
	writeRow := func(vals map[string]string) {
		for i, c := range cols {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(`"` + vals[c] + `"`)
		}
		b.WriteByte('\n')
	}
	header := map[string]string{}
	for _, c := range cols {
		header[c] = c
	}
	writeRow(header)
	for _, p := range profiles {
		writeRow(map[string]string{registry.ColNPI: p.npiStem + string(registry.NPICheckDigit(p.npiStem)),
			registry.ColEntityType: "1", registry.ColLastName: strings.ToUpper(p.last), registry.ColFirstName: strings.ToUpper(p.first),
			registry.ColCredential: strings.Split(p.creds, ",")[0], registry.ColPracticeCity: "BOSTON", registry.ColPracticeState: "MA",
			registry.ColTaxonomyCode(1): p.specialties[0], registry.ColPrimarySwitch(1): "Y",
			registry.ColLicenseNumber(1): "MA-" + p.npiStem[5:], registry.ColLicenseState(1): "MA"})
	}
	_, err := reg.ImportNPPES(ctx, strings.NewReader(b.String()), registry.ImportOptions{Actor: "demo", Source: "demo registry"})
	return err
}
