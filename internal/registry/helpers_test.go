package registry_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/rounds-health/rounds/internal/app"
	"github.com/rounds-health/rounds/internal/audit"
	"github.com/rounds-health/rounds/internal/registry"
	"github.com/rounds-health/rounds/internal/registry/nppesgen"
	"github.com/rounds-health/rounds/internal/store"
	"github.com/rounds-health/rounds/internal/testkit"
)

// rig is a registry service on a fresh database of the engine under test,
// with the app's audit log (built as the app builds it, keyed by the keyset).
type rig struct {
	reg *registry.Service
	log *audit.Log
	db  *store.DB
}

func newRig(t testing.TB) *rig {
	t.Helper()
	a, err := app.Open(context.Background(), testkit.Config(t), testkit.Logger())
	if err != nil {
		t.Fatalf("open app: %v", err)
	}
	t.Cleanup(func() { a.Close() })
	return &rig{reg: registry.NewService(a.DB, a.Audit, a.IDs), log: a.Audit, db: a.DB}
}

// auditRecords returns the audit records for action, newest first.
func (r *rig) auditRecords(t *testing.T, action string) []audit.Record {
	t.Helper()
	recs, err := r.log.List(context.Background(), audit.Filter{Action: action})
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// row is one NPPES record given by column name; other columns are empty.
type row map[string]string

// individual is a well-formed entity type 1 row.
func individual(npi, first, last string) row {
	return row{registry.ColNPI: npi, registry.ColEntityType: "1", registry.ColFirstName: first, registry.ColLastName: last,
		registry.ColEnumerationDate: "05/23/2005", registry.ColLastUpdateDate: "07/08/2022",
		registry.ColTaxonomyCode(1): "207Q00000X", registry.ColPrimarySwitch(1): "Y"}
}

func (r row) with(kv ...string) row {
	out := row{}
	for k, v := range r {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i]] = kv[i+1]
	}
	return out
}

// nppesCSV writes rows under the real header, every field quoted like the
// published file. A row's "_fields" entry, if any, truncates it to that many
// fields; "_raw" replaces the whole line.
func nppesCSV(t *testing.T, header []string, rows ...row) string {
	t.Helper()
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	if err := w.Write(header); err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if raw, ok := r["_raw"]; ok {
			w.Flush()
			b.WriteString(raw + "\n")
			continue
		}
		rec := make([]string, len(header))
		for i, h := range header {
			rec[i] = r[h]
		}
		if n, ok := r["_fields"]; ok {
			rec = rec[:atoi(t, n)]
		}
		if err := w.Write(rec); err != nil {
			t.Fatal(err)
		}
	}
	w.Flush()
	return b.String()
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			t.Fatalf("not a number: %q", s)
		}
		n = n*10 + int(c-'0')
	}
	return n
}

func importNPPES(t *testing.T, r *rig, file string, batch int) *registry.Summary {
	t.Helper()
	sum, err := r.reg.ImportNPPES(context.Background(), strings.NewReader(file), registry.ImportOptions{BatchSize: batch, Source: "/tmp/npidata_pfile_test.csv"})
	if err != nil {
		t.Fatalf("ImportNPPES: %v (summary %+v)", err, sum)
	}
	return sum
}

func provider(t *testing.T, r *rig, npi string) *registry.Provider {
	t.Helper()
	p, err := r.reg.Provider(context.Background(), npi)
	if err != nil {
		t.Fatalf("Provider(%s): %v", npi, err)
	}
	return p
}

// validNPI returns a valid NPI built on the nine digits given.
func validNPI(first9 string) string { return first9 + string(registry.NPICheckDigit(first9)) }

var header = nppesgen.Header()
