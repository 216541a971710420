package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strings"

	"github.com/rounds-health/rounds/internal/app"
	"github.com/rounds-health/rounds/internal/config"
	"github.com/rounds-health/rounds/internal/demo"
)

func newLogger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	_ = l.UnmarshalText([]byte(strings.ToUpper(level)))
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l}))
}

func serve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg config.Config
	fs := flag.NewFlagSet("rounds serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg.Server(fs)
	if err := fs.Parse(args); err != nil {
		return &exitError{code: 2}
	}
	if err := cfg.Validate(); err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	log := newLogger(stderr, cfg.LogLevel)
	a, err := app.New(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer a.Close()
	if cfg.Demo {
		res, err := demo.Seed(ctx, demo.Services{Accounts: a.Accounts, Directory: a.Directory, Registry: a.Registry,
			Social: a.Social, Publish: a.Publish, Drafts: a.Drafts, Consent: a.Consent}, os.Getenv("ROUNDS_DEMO_PASSWORD"))
		if err != nil {
			return err
		}
		if res.Created > 0 {
			// Shown once on the operator's terminal, never through the logger.
			fmt.Fprintf(stdout, "demo: created %d accounts; each has the password %s (administrator: %s)\n",
				res.Created, res.Password, res.Admin)
		}
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	scheme := "http"
	if cfg.TLS() {
		scheme = "https"
	}
	engine := a.DB.Dialect().String()
	log.Info("rounds is listening", "url", scheme+"://"+ln.Addr().String(), "database", engine)
	fmt.Fprintf(stdout, "Rounds is listening on %s://%s (%s)\n", scheme, ln.Addr(), engine)
	return a.Serve(ctx, ln)
}
