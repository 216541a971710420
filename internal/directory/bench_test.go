package directory_test

import (
	"context"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/directory"
	"github.com/rounds-health/rounds/internal/directory/synthetic"
	"github.com/rounds-health/rounds/internal/geo"
	"github.com/rounds-health/rounds/internal/testkit"
)

// BenchmarkSearch measures directory searches over a synthetic directory
// (ROUNDS_BENCH_CLINICIANS, default 100,000 clinicians) and reports the
// p50 and p99 latency of one search in milliseconds. The directory is built
// once; each sub-benchmark runs queries around random metropolitan areas.
//
//	go test ./internal/directory -run '^$' -bench Search -benchtime 2000x
func BenchmarkSearch(b *testing.B) {
	n := 100_000
	if v, err := strconv.Atoi(os.Getenv("ROUNDS_BENCH_CLINICIANS")); err == nil && v > 0 {
		n = v
	}
	srv := testkit.Start(b)
	ctx := context.Background()
	start := time.Now()
	if err := srv.Directory.BulkLoad(ctx, account.CLI, synthetic.Clinicians(n, 1), 2000); err != nil {
		b.Fatal(err)
	}
	b.Logf("loaded %d clinicians on %s in %s", n, srv.DB.Dialect(), time.Since(start).Round(time.Millisecond))
	common := []string{"207RC0000X", "207Q00000X", "207R00000X", "208000000X", "207N00000X", "363L00000X"}
	near := func(rng *rand.Rand) string {
		m := synthetic.Metros[rng.IntN(len(synthetic.Metros))]
		p := geo.Point{Lat: m.Center.Lat + rng.NormFloat64()*0.05, Lon: m.Center.Lon + rng.NormFloat64()*0.05}
		return strconv.FormatFloat(p.Lat, 'f', 4, 64) + "," + strconv.FormatFloat(p.Lon, 'f', 4, 64)
	}
	cases := []struct {
		name  string
		query func(rng *rand.Rand) directory.Query
	}{
		{"specialty+distance", func(rng *rand.Rand) directory.Query {
			return directory.Query{Specialty: common[rng.IntN(len(common))], Near: near(rng), RadiusKm: 10, Sort: directory.SortDistance}
		}},
		{"words+distance", func(rng *rand.Rand) directory.Query {
			return directory.Query{Text: []string{"cardiologist", "heart failure", "pediatrician", "diabetes"}[rng.IntN(4)],
				Near: near(rng), RadiusKm: 10}
		}},
		{"specialty+rating", func(rng *rand.Rand) directory.Query {
			return directory.Query{Specialty: common[rng.IntN(len(common))], Sort: directory.SortRating}
		}},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			rng := rand.New(rand.NewPCG(7, 7))
			durations := make([]time.Duration, 0, b.N)
			hits := 0
			b.ResetTimer()
			for range b.N {
				q := tc.query(rng)
				t0 := time.Now()
				r, err := srv.Directory.Search(ctx, q)
				durations = append(durations, time.Since(t0))
				if err != nil {
					b.Fatal(err)
				}
				hits += r.Total
			}
			b.StopTimer()
			slices.Sort(durations)
			pct := func(p float64) float64 {
				return float64(durations[min(len(durations)-1, int(p*float64(len(durations))))].Microseconds()) / 1000
			}
			b.ReportMetric(pct(0.50), "p50-ms")
			b.ReportMetric(pct(0.99), "p99-ms")
			b.ReportMetric(float64(hits)/float64(b.N), "matches/op")
		})
	}
}
