package main

import (
	"context"
	"flag"
	"fmt"
	"io"
)

func auditCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "verify" {
		fmt.Fprint(stderr, "Usage: rounds audit verify [--data DIR] [--db URL]\n")
		return &exitError{code: 2}
	}
	fs := flag.NewFlagSet("rounds audit verify", flag.ContinueOnError)
	a, err := openForCLI(ctx, fs, args[1:], stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	n, brk, err := a.Audit.Verify(ctx)
	if err != nil {
		return err
	}
	if brk != nil {
		return &exitError{code: 1, msg: fmt.Sprintf("audit chain BROKEN at record %d: %s (%d records checked)", brk.Seq, brk.Reason, n)}
	}
	fmt.Fprintf(stdout, "audit chain intact: %d records verified\n", n)
	return nil
}
