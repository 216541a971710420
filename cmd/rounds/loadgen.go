package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/rounds-health/rounds/internal/app"
	"github.com/rounds-health/rounds/internal/config"
	"github.com/rounds-health/rounds/internal/loadgen"
)

const loadgenUsage = `Usage: rounds loadgen [--data DIR | --db postgres://…] [flags]

Builds a synthetic network in the database (unless --skip-build), then drives
a Rounds server on this machine with concurrent API clients and reports
requests/s and latency percentiles per scenario (healthz, home, account, post).

Without --url the server runs inside this process on a random loopback port:
client and server then share the CPUs. With --url, start the server yourself
on the same --data/--db (rounds serve --log-level warn …); on a small machine
they share the CPUs all the same.

Flags:
`

// loadgenCmd is rounds loadgen: build a synthetic network, measure a server.
func loadgenCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("rounds loadgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, loadgenUsage); fs.PrintDefaults() }
	var cfg config.Config
	cfg.Storage(fs)
	var b loadgen.BuildConfig
	var r loadgen.RunConfig
	fs.IntVar(&b.Accounts, "accounts", 10_000, "synthetic accounts to build")
	fs.IntVar(&b.Posts, "posts", 1_000_000, "public posts to build, spread over the accounts by a power law")
	fs.IntVar(&b.Days, "days", 180, "days of history the posts are spread over")
	fs.IntVar(&b.Batch, "batch", 5000, "rows per transaction while building (one audit record each)")
	seed := fs.Uint64("seed", 1, "random seed: the same seed builds the same network and draws the same requests")
	skipBuild := fs.Bool("skip-build", false, "measure the network already in the database")
	buildOnly := fs.Bool("build-only", false, "build the network and stop")
	fs.StringVar(&r.URL, "url", "", "origin of a running server on the same database, on this machine (empty: serve in-process)")
	fs.IntVar(&r.Clients, "clients", 8, "concurrent clients")
	fs.DurationVar(&r.Duration, "duration", 15*time.Second, "measured time per scenario")
	fs.DurationVar(&r.Warmup, "warmup", time.Second, "unmeasured time before each scenario")
	fs.IntVar(&r.Requests, "requests", 0, "measured requests per scenario at most (0: as many as --duration allows)")
	scenarios := fs.String("scenarios", strings.Join(loadgen.Scenarios, ","), "scenarios to run, in order")
	fs.IntVar(&r.Readers, "readers", 200, "accounts whose home timelines are read (drawn by how many they follow)")
	fs.IntVar(&r.Posters, "posters", 50, "accounts that post (drawn by how much they post)")
	asJSON := fs.Bool("json", false, "print the report as JSON on stdout (progress stays on stderr)")
	logLevel := fs.String("log-level", "warn", "log level of the in-process server (info logs every request)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the run (client and in-process server) to this file")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return &exitError{code: 2}
	}
	if fs.NArg() > 0 {
		return &exitError{code: 2, msg: fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	}
	if *skipBuild && *buildOnly {
		return &exitError{code: 2, msg: "--skip-build and --build-only together leave nothing to do"}
	}
	b.Seed, r.Seed, b.Progress, r.Progress = *seed, *seed, stderr, stderr
	r.Scenarios = strings.Split(strings.ReplaceAll(*scenarios, " ", ""), ",")
	cfg.LogLevel = *logLevel

	// The handler is only needed when the server runs in this process.
	open := app.New
	if r.URL != "" || *buildOnly {
		open = app.Open
	}
	a, err := open(ctx, cfg, newLogger(stderr, *logLevel))
	if err != nil {
		return err
	}
	defer a.Close()
	var rep loadgen.Report
	if !*skipBuild {
		if rep.Build, err = loadgen.Build(ctx, a, b); err != nil {
			return cliError(err)
		}
	}
	if *cpuProfile != "" && !*buildOnly {
		stop, perr := startCPUProfile(*cpuProfile)
		if perr != nil {
			return perr
		}
		defer stop()
	}
	if !*buildOnly {
		if rep.Run, err = runLoad(ctx, a, r); err != nil && !errors.Is(err, loadgen.ErrRequestsFailed) {
			return cliError(err)
		}
	}
	out := rep.Text
	if *asJSON {
		out = rep.JSON
	}
	if werr := out(stdout); werr != nil {
		return werr
	}
	if err != nil {
		return &exitError{code: 1, msg: err.Error() + " (see the errors above)"}
	}
	return nil
}

// runLoad runs the scenarios against --url, or against the app served on
// a loopback port of this process.
func runLoad(ctx context.Context, a *app.App, r loadgen.RunConfig) (*loadgen.RunReport, error) {
	inProcess := r.URL == ""
	if inProcess {
		url, stop, err := loadgen.ServeLoopback(ctx, a)
		if err != nil {
			return nil, err
		}
		defer func() {
			if err := stop(); err != nil {
				a.Log.Warn("loadgen: in-process server stopped with an error", "err", err)
			}
		}()
		r.URL = url
	}
	rep, err := loadgen.Run(ctx, a, r)
	if rep != nil {
		rep.InProcess = inProcess
	}
	return rep, err
}

// startCPUProfile profiles this process until the returned stop is called.
func startCPUProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}
