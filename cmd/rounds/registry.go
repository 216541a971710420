package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/app"
	"github.com/rounds-health/rounds/internal/config"
	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/registry"
	"github.com/rounds-health/rounds/internal/registry/nppesgen"
)

// shownProblems is how many skipped rows an import prints; the summary keeps more.
const shownProblems = 20

type importFunc func(*registry.Service, context.Context, io.Reader, registry.ImportOptions) (*registry.Summary, error)

// importNPPES is rounds admin import-nppes FILE.csv.
func importNPPES(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	return importFile(ctx, "import-nppes", args, stdin, stdout, stderr, (*registry.Service).ImportNPPES, nil)
}

// importExclusions is rounds admin import-exclusions FILE.csv. Once the new
// list is in, every verified clinician it names loses the badge.
func importExclusions(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	return importFile(ctx, "import-exclusions", args, stdin, stdout, stderr, (*registry.Service).ImportExclusions,
		func(a *app.App) error {
			n, err := a.Directory.ApplyExclusions(ctx, account.CLI)
			if err != nil {
				return fmt.Errorf("the list was imported, but suspending the badges of excluded clinicians failed (run the import again): %w", err)
			}
			fmt.Fprintf(stdout, "verified clinicians now on the list: %d (their badges are suspended)\n", n)
			return nil
		})
}

// importFile opens the file before the database, so that a wrong path
// fails at once, then streams it into the registry: progress on stderr
// every 100,000 rows, the summary on stdout. Skipped rows are reported,
// not fatal; a file that cannot be read or has no usable header exits 1.
func importFile(ctx context.Context, name string, args []string, stdin io.Reader, stdout, stderr io.Writer, run importFunc, after func(*app.App) error) error {
	fs := flag.NewFlagSet("rounds admin "+name, flag.ContinueOnError)
	var cfg config.Config
	cfg.Storage(fs)
	force := fs.Bool("force", false, "accept an exclusion list much shorter than the current one")
	path, err := parseWithFile(fs, args, stderr, "rounds admin "+name+" FILE.csv")
	if err != nil {
		return err
	}
	in := stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return &exitError{code: 1, msg: "cannot read the file: " + err.Error()}
		}
		defer f.Close()
		in = f
	}
	a, err := app.Open(ctx, cfg, newLogger(stderr, "warn"))
	if err != nil {
		return err
	}
	defer a.Close()
	reg := a.Registry
	source := path
	if path == "-" {
		source = "stdin"
	}
	start := time.Now()
	sum, err := run(reg, ctx, in, registry.ImportOptions{Actor: "cli", Source: source, Force: *force, Progress: func(rows int) {
		fmt.Fprintf(stderr, "%s: %d rows read, %.0f rows/s%s\n", name, rows, float64(rows)/time.Since(start).Seconds(), memory())
	}})
	if sum != nil && sum.Rows > 0 {
		printSummary(stdout, source, sum) // also when it failed: the problems say why
	}
	if err != nil {
		if e := errs.As(err); e != nil && e.Kind == errs.KindInvalid {
			return &exitError{code: 1, msg: source + ": " + e.Message}
		}
		return err
	}
	if sum.Rows == 0 {
		printSummary(stdout, source, sum)
	}
	fmt.Fprintf(stderr, "%s: done%s\n", name, memory())
	if after != nil {
		return after(a)
	}
	return nil
}

// parseWithFile parses flags and the one positional argument wherever it
// sits: rounds admin import-nppes FILE.csv --db … and --db … FILE.csv both work.
func parseWithFile(fs *flag.FlagSet, args []string, stderr io.Writer, usage string) (string, error) {
	fs.SetOutput(stderr)
	var file string
	for {
		if err := fs.Parse(args); err != nil {
			return "", &exitError{code: 2}
		}
		if fs.NArg() == 0 {
			break
		}
		if file != "" {
			return "", &exitError{code: 2, msg: fmt.Sprintf("unexpected argument %q; usage: %s", fs.Arg(0), usage)}
		}
		file, args = fs.Arg(0), fs.Args()[1:]
	}
	if file == "" {
		return "", &exitError{code: 2, msg: "name the file to import (- for standard input); usage: " + usage}
	}
	return file, nil
}

func printSummary(w io.Writer, path string, sum *registry.Summary) {
	fmt.Fprintf(w, "imported %d of %d rows from %s in %s (%.0f rows/s); skipped %d\n",
		sum.Imported, sum.Rows, path, sum.Duration.Round(time.Millisecond), sum.RowsPerSecond(), sum.Skipped)
	if len(sum.Problems) == 0 {
		return
	}
	shown := sum.Problems[:min(len(sum.Problems), shownProblems)]
	fmt.Fprintf(w, "first problems:\n")
	for _, p := range shown {
		fmt.Fprintf(w, "  line %d: %s\n", p.Line, p.Reason)
	}
	if sum.Skipped > len(shown) {
		fmt.Fprintf(w, "  … %d more skipped rows not shown\n", sum.Skipped-len(shown))
	}
}

// memory reports the process's resident and peak resident memory where the
// system says (Linux), for operators watching a long import.
func memory() string {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return ""
	}
	defer f.Close()
	var rss, peak string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, _ := strings.Cut(sc.Text(), ":")
		switch k {
		case "VmRSS":
			rss = kib(v)
		case "VmHWM":
			peak = kib(v)
		}
	}
	if rss == "" {
		return ""
	}
	return fmt.Sprintf(", RSS %s (peak %s)", rss, peak)
}

// kib turns "  123456 kB" into "121 MiB".
func kib(v string) string {
	var n int64
	if _, err := fmt.Sscanf(strings.TrimSpace(v), "%d kB", &n); err != nil {
		return strings.TrimSpace(v)
	}
	return fmt.Sprintf("%d MiB", n/1024)
}

const devUsage = `Usage:
  rounds dev gen-nppes --rows N --out FILE [--seed S] [--malformed 0.001]
      write a synthetic NPPES data file (the real header, valid NPIs, a share of malformed rows)
  rounds dev seed-directory --clinicians N [--seed S] [--data DIR] [--db URL]
      add N invented, published clinician profiles spread over US cities, for load tests
`

// devCmd holds the developer tools.
func devCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, devUsage)
		return &exitError{code: 2}
	}
	switch args[0] {
	case "gen-nppes":
		return genNPPES(ctx, args[1:], stdout, stderr)
	case "seed-directory":
		return seedDirectory(ctx, args[1:], stdout, stderr)
	case "-h", "--help", "help":
		fmt.Fprint(stdout, devUsage)
		return nil
	}
	fmt.Fprintf(stderr, "rounds dev: unknown command %q\n\n%s", args[0], devUsage)
	return &exitError{code: 2}
}

func genNPPES(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("rounds dev gen-nppes", flag.ContinueOnError)
	fs.SetOutput(stderr)
	rows := fs.Int("rows", 0, "data rows to write")
	out := fs.String("out", "", "file to write (- for standard output)")
	seed := fs.Int64("seed", 1, "random seed: the same seed writes the same file")
	malformed := fs.Float64("malformed", 0.001, "share of rows the importer must skip, 0 to 1")
	if err := fs.Parse(args); err != nil {
		return &exitError{code: 2}
	}
	switch {
	case fs.NArg() > 0:
		return &exitError{code: 2, msg: fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	case *rows < 1 || *rows > 100_000_000:
		return &exitError{code: 2, msg: "--rows: give a number of rows from 1 to 100000000"}
	case *out == "":
		return &exitError{code: 2, msg: "--out: name the file to write"}
	case *malformed < 0 || *malformed > 1:
		return &exitError{code: 2, msg: "--malformed: give a share from 0 to 1"}
	}
	opts := nppesgen.DefaultOptions(*rows, *seed)
	opts.Malformed = *malformed
	start := time.Now()
	w, report := stdout, stderr
	var f *os.File
	if *out != "-" {
		var err error
		if f, err = os.Create(*out); err != nil {
			return &exitError{code: 1, msg: err.Error()}
		}
		w, report = f, stdout
	}
	st, err := opts.Write(w)
	if f != nil {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", *out, err)
	}
	fmt.Fprintf(report, "wrote %d rows to %s in %s: %d individuals, %d organizations, %d deactivated, %d malformed\n",
		st.Rows, *out, time.Since(start).Round(time.Millisecond), st.Individuals, st.Organizations, st.Deactivated, st.Malformed)
	return nil
}
