package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/app"
	"github.com/rounds-health/rounds/internal/config"
	"github.com/rounds-health/rounds/internal/errs"
)

const adminUsage = `Usage:
  rounds admin create-user --username U --email E --role patient|clinician|staff|moderator|admin   (password on stdin)
  rounds admin set-role --username U --role R
  rounds admin token --username U --scopes "read write follow"   (the token is the last line of output)
  rounds admin reset-link --username U [--base-url https://rounds.example.org]
  rounds admin seed-profiles [--limit N]   (unpublished profiles from the imported NPPES registry)
  rounds admin import-nppes FILE.csv        import the NPPES data file (npidata_pfile_….csv; - reads stdin)
  rounds admin import-exclusions FILE.csv   replace the OIG exclusion list (LEIE UPDATED.csv)
  rounds admin purge-deleted --older-than 2555d   remove for good what was deleted that long ago,
                                            except under an organization's legal hold
Every command also takes --data and --db, as rounds serve does.
`

// openForCLI parses the storage flags and opens the app without a server.
func openForCLI(ctx context.Context, fs *flag.FlagSet, args []string, stderr io.Writer) (*app.App, error) {
	var cfg config.Config
	cfg.Storage(fs)
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil {
		return nil, &exitError{code: 2}
	}
	if fs.NArg() > 0 {
		return nil, &exitError{code: 2, msg: fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	}
	return app.Open(ctx, cfg, newLogger(stderr, "warn"))
}

// cliError turns a service error into a message for the terminal.
func cliError(err error) error {
	if e := errs.As(err); e != nil && e.Kind != errs.KindInternal {
		msgs := []string{}
		for _, f := range e.Fields {
			msgs = append(msgs, "--"+strings.ReplaceAll(f.Field, "_", "-")+": "+f.Message)
		}
		if len(msgs) == 0 {
			msgs = append(msgs, e.Message)
		}
		return &exitError{code: 1, msg: strings.Join(msgs, "\n       ")}
	}
	return err
}

func admin(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, adminUsage)
		return &exitError{code: 2}
	}
	fs := flag.NewFlagSet("rounds admin "+args[0], flag.ContinueOnError)
	username := fs.String("username", "", "the account's username")
	switch args[0] {
	case "import-nppes":
		return importNPPES(ctx, args[1:], stdin, stdout, stderr)
	case "import-exclusions":
		return importExclusions(ctx, args[1:], stdin, stdout, stderr)
	case "create-user":
		email := fs.String("email", "", "email address")
		role := fs.String("role", "patient", "patient, clinician, staff, moderator or admin")
		name := fs.String("display-name", "", "name to show (optional)")
		a, err := openForCLI(ctx, fs, args[1:], stderr)
		if err != nil {
			return err
		}
		defer a.Close()
		password, err := readPassword(stdin)
		if err != nil {
			return err
		}
		r, _ := account.ParseRole(*role)
		u, err := a.Accounts.CreateUser(ctx, account.CLI, account.NewUser{Username: *username, Email: *email,
			Password: password, DisplayName: *name, Role: r, AgeAttested: true})
		if err != nil {
			return cliError(err)
		}
		fmt.Fprintf(stdout, "created @%s (%s), id %d\n", u.Username, u.Role, u.ID)
	case "set-role":
		role := fs.String("role", "", "patient, clinician, staff, moderator or admin")
		a, err := openForCLI(ctx, fs, args[1:], stderr)
		if err != nil {
			return err
		}
		defer a.Close()
		u, err := a.Accounts.SetRole(ctx, account.CLI, *username, account.Role(*role))
		if err != nil {
			return cliError(err)
		}
		fmt.Fprintf(stdout, "@%s is now %s; their sessions were ended\n", u.Username, u.Role)
	case "token":
		scopes := fs.String("scopes", "read", `space-separated scopes, e.g. "read write follow"`)
		a, err := openForCLI(ctx, fs, args[1:], stderr)
		if err != nil {
			return err
		}
		defer a.Close()
		token, err := a.Accounts.IssueToken(ctx, account.CLI, *username, *scopes)
		if err != nil {
			return cliError(err)
		}
		fmt.Fprintf(stdout, "bearer token for @%s with scopes %q (keep it secret; it is shown once):\n%s\n",
			strings.TrimPrefix(*username, "@"), *scopes, token)
	case "reset-link":
		base := fs.String("base-url", "http://127.0.0.1:8080", "the address people reach Rounds at")
		a, err := openForCLI(ctx, fs, args[1:], stderr)
		if err != nil {
			return err
		}
		defer a.Close()
		token, err := a.Accounts.IssueResetLink(ctx, account.CLI, *username)
		if err != nil {
			return cliError(err)
		}
		fmt.Fprintf(stdout, "one-time reset link, valid for %s:\n%s/reset/%s\n",
			a.Accounts.Config().ResetLinkTTL, strings.TrimRight(*base, "/"), token)
	case "seed-profiles":
		limit := fs.Int("limit", 0, "create at most this many profiles (0: all)")
		a, err := openForCLI(ctx, fs, args[1:], stderr)
		if err != nil {
			return err
		}
		defer a.Close()
		n, err := a.Directory.SeedFromRegistry(ctx, account.CLI, *limit)
		if err != nil {
			return cliError(err)
		}
		fmt.Fprintf(stdout, "created %d unpublished profiles from the registry; each is listed once its clinician claims it\n", n)
	case "purge-deleted":
		olderThan := fs.String("older-than", "", "retention: purge what was deleted longer ago than this (e.g. 2555d, 72h)")
		a, err := openForCLI(ctx, fs, args[1:], stderr)
		if err != nil {
			return err
		}
		defer a.Close()
		age, err := parseAge(*olderThan)
		if err != nil {
			return &exitError{code: 2, msg: err.Error()}
		}
		purged, kept, err := a.Archive.PurgeDeleted(ctx, time.Now().Add(-age))
		if err != nil {
			return cliError(err)
		}
		fmt.Fprintf(stdout, "purged %d deleted statuses; kept %d under legal hold\n", purged, kept)
	case "-h", "--help", "help":
		fmt.Fprint(stdout, adminUsage)
	default:
		fmt.Fprintf(stderr, "rounds admin: unknown command %q\n\n%s", args[0], adminUsage)
		return &exitError{code: 2}
	}
	return nil
}

// readPassword reads the first line of stdin.
func readPassword(stdin io.Reader) (string, error) {
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password from stdin: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", &exitError{code: 2, msg: "give the password on standard input, e.g. printf '%s\\n' \"$PASSWORD\" | rounds admin create-user …"}
	}
	return line, nil
}

// parseAge reads a retention age: a Go duration, or a number of days ("2555d").
func parseAge(v string) (time.Duration, error) {
	if v == "" {
		return 0, errors.New("give --older-than, e.g. --older-than 2555d (seven years)")
	}
	if days, ok := strings.CutSuffix(v, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n < 1 {
			return 0, fmt.Errorf("--older-than %q: give a whole number of days, e.g. 2555d", v)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("--older-than %q: give days (2555d) or a duration (72h)", v)
	}
	return d, nil
}
