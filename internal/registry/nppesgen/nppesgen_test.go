package nppesgen_test

import (
	"bytes"
	"encoding/csv"
	"io"
	"testing"

	"github.com/rounds-health/rounds/internal/registry"
	"github.com/rounds-health/rounds/internal/registry/nppesgen"
)

func TestHeader_HasThePublishedColumns(t *testing.T) {
	h := nppesgen.Header()
	if len(h) != 330 {
		t.Fatalf("%d columns, want the 330 of the published layout", len(h))
	}
	seen := map[string]bool{}
	for _, c := range h {
		if seen[c] {
			t.Fatalf("column %q twice", c)
		}
		seen[c] = true
	}
	for _, c := range []string{"NPI", "Entity Type Code", "Provider Last Name (Legal Name)", "Healthcare Provider Taxonomy Code_15",
		"Provider License Number State Code_1", "Other Provider Identifier Issuer_50", "Healthcare Provider Taxonomy Group_15", "Certification Date"} {
		if !seen[c] {
			t.Errorf("no column %q", c)
		}
	}
}

func TestWrite_IsDeterministicWithValidUniqueNPIs(t *testing.T) {
	var a, b, c bytes.Buffer
	opts := nppesgen.DefaultOptions(2000, 11)
	opts.Malformed = 0
	st, err := opts.Write(&a)
	if err != nil {
		t.Fatal(err)
	}
	if err := nppesgen.Write(&b, 2000, 11); err != nil {
		t.Fatal(err)
	}
	if err := nppesgen.Write(&c, 2000, 12); err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(b.Bytes(), c.Bytes()) {
		t.Error("different seeds wrote the same file")
	}
	if st.Malformed != 0 || st.Individuals+st.Organizations+st.Deactivated != 2000 || st.Organizations < 300 || st.Deactivated == 0 {
		t.Fatalf("stats %+v", st)
	}
	var again bytes.Buffer
	if _, err := opts.Write(&again); err != nil || !bytes.Equal(a.Bytes(), again.Bytes()) {
		t.Fatal("the same options wrote two different files")
	}
	r := csv.NewReader(&a)
	if _, err := r.Read(); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		npi := rec[0]
		if err := registry.ValidateNPI(npi); err != nil || (npi[0] != '1' && npi[0] != '2') || seen[npi] {
			t.Fatalf("NPI %q: %v (seen before: %v)", npi, err, seen[npi])
		}
		seen[npi] = true
	}
	if len(seen) != 2000 {
		t.Fatalf("%d rows", len(seen))
	}
}
