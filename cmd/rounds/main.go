// Command rounds runs the Rounds server and its operator tools.
//
//	rounds serve [--addr 127.0.0.1:8080] [--data ./data] [--db postgres://…] [--demo]
//	rounds admin create-user --username U --email E --role R   (password on stdin)
//	rounds admin set-role --username U --role R
//	rounds admin token --username U --scopes "read write follow"
//	rounds admin reset-link --username U
//	rounds audit verify
//	rounds dev gen-nppes --rows N --out FILE
//	rounds loadgen [--accounts N] [--posts N] [--url http://127.0.0.1:PORT] [--skip-build]
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// exitError carries a specific exit code out of a command.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

const usage = `Rounds — an open-source social network for healthcare.

Usage:
  rounds serve            run the server (see rounds serve -h)
  rounds admin COMMAND    create-user, set-role, token, reset-link, import-nppes, import-exclusions (see rounds admin -h)
  rounds audit verify     check the audit log's hash chain; exits 1 naming the first broken record
  rounds dev gen-nppes    write a synthetic NPPES file for tests and benchmarks (see rounds dev -h)
  rounds phi COMMAND      scan (JSON Lines in, PHI spans out), check, eval (see rounds phi -h)
  rounds loadgen          build a synthetic network and measure a server under load (see rounds loadgen -h)
`

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "serve":
		err = serve(ctx, args[1:], stdout, stderr)
	case "admin":
		err = admin(ctx, args[1:], stdin, stdout, stderr)
	case "audit":
		err = auditCmd(ctx, args[1:], stdout, stderr)
	case "dev":
		err = devCmd(ctx, args[1:], stdout, stderr)
	case "loadgen":
		err = loadgenCmd(ctx, args[1:], stdout, stderr)
	case "phi":
		err = phiCmd(ctx, args[1:], stdin, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "rounds: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	if err != nil {
		var ee *exitError
		if errors.As(err, &ee) {
			if ee.msg != "" {
				fmt.Fprintln(stderr, "rounds:", ee.msg)
			}
			return ee.code
		}
		fmt.Fprintln(stderr, "rounds:", err)
		return 1
	}
	return 0
}
