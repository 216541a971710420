package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/directory/synthetic"
)

// seedDirectory adds synthetic clinicians for load tests and benchmarks.
func seedDirectory(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("rounds dev seed-directory", flag.ContinueOnError)
	n := fs.Int("clinicians", 10000, "how many profiles to add")
	seed := fs.Uint64("seed", 1, "random seed: the same seed makes the same profiles")
	a, err := openForCLI(ctx, fs, args, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	if *n < 1 || *n > 10_000_000 {
		return &exitError{code: 2, msg: "--clinicians: give a number from 1 to 10,000,000"}
	}
	start := time.Now()
	if err := a.Directory.BulkLoad(ctx, account.CLI, synthetic.Clinicians(*n, *seed), 2000); err != nil {
		return err
	}
	d := time.Since(start)
	fmt.Fprintf(stdout, "added %d synthetic clinicians in %s (%.0f profiles/s)\n", *n, d.Round(time.Millisecond), float64(*n)/d.Seconds())
	return nil
}
