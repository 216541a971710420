package registry_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/rounds-health/rounds/internal/registry"
	"github.com/rounds-health/rounds/internal/registry/nppesgen"
)

// BenchmarkImportNPPES imports a generated 20,000-row file into a fresh
// database per iteration. The 1,000,000-row figures in docs/PERFORMANCE.md
// come from the command line; this is the quick check for changes.
func BenchmarkImportNPPES(b *testing.B) {
	const rows = 20_000
	var file bytes.Buffer
	if err := nppesgen.Write(&file, rows, 1); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(file.Len()))
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		r := newRig(b)
		b.StartTimer()
		sum, err := r.reg.ImportNPPES(context.Background(), bytes.NewReader(file.Bytes()), registry.ImportOptions{})
		if err != nil || sum.Rows != rows {
			b.Fatalf("import: %+v, %v", sum, err)
		}
	}
	b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
}
