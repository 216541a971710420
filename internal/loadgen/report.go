package loadgen

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// Report is what `rounds loadgen` prints: the build (if it ran) and the run.
type Report struct {
	Build *BuildReport `json:"build,omitempty"`
	Run   *RunReport   `json:"run,omitempty"`
}

// JSON writes the report as indented JSON.
func (r *Report) JSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// Text writes the report as tables for people.
func (r *Report) Text(w io.Writer) error {
	if b := r.Build; b != nil {
		fmt.Fprintf(w, "Build: %s in total\n", b.Total.Duration.Round(time.Millisecond))
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "phase\trows\ttime\trows/s\t")
		for _, p := range []struct {
			name string
			p    Phase
		}{{"accounts", b.Accounts}, {"follows", b.Follows}, {"statuses", b.Statuses}, {"all", b.Total}} {
			fmt.Fprintf(tw, "%s\t%d\t%s\t%.0f\t\n", p.name, p.p.Rows, p.p.Duration.Round(time.Millisecond), p.p.RowsPerS)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		fmt.Fprintln(w)
	}
	run := r.Run
	if run == nil {
		return nil
	}
	where := "a separate server"
	if run.InProcess {
		where = "a server in this process (client and server share the CPUs)"
	}
	fmt.Fprintf(w, "Run: %s at %s, %s; %d clients, %s per scenario after %s of warm-up; GOMAXPROCS %d\n",
		run.Engine, run.URL, where, run.Clients, seconds(run.Duration), seconds(run.Warmup), run.GoMaxProcs)
	n := run.Network
	fmt.Fprintf(w, "Network: %d accounts, %d follows, %d statuses; tokens for %d readers and %d posters\n",
		n.Accounts, n.Follows, n.Statuses, n.Readers, n.Posters)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "scenario\trequests\terrors\treq/s\tp50 ms\tp90 ms\tp99 ms\tmax ms\tbytes\t")
	for _, s := range run.Results {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.0f\t%.2f\t%.2f\t%.2f\t%.2f\t%d\t\n", s.Scenario, s.Requests, s.Errors, s.ReqPerS,
			s.P50ms, s.P90ms, s.P99ms, s.MaxMs, s.MeanBytes)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if run.HomeRatio > 0 {
		fmt.Fprintf(w, "home req/s ÷ healthz req/s = %.4f (1/%.0f of the ceiling)\n", run.HomeRatio, 1/run.HomeRatio)
	}
	for _, s := range run.Results {
		for _, e := range s.ErrorSamples {
			fmt.Fprintf(w, "error (%s): %s\n", s.Scenario, strings.TrimSpace(e))
		}
	}
	return nil
}

func seconds(s float64) string { return time.Duration(s * float64(time.Second)).String() }
