package main

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/app"
	"github.com/rounds-health/rounds/internal/config"
	"github.com/rounds-health/rounds/internal/consent"
	"github.com/rounds-health/rounds/internal/demo"
	"github.com/rounds-health/rounds/internal/drafts"
	"github.com/rounds-health/rounds/internal/social"
	"github.com/rounds-health/rounds/internal/store"
	"github.com/rounds-health/rounds/internal/testkit"
)

// cli runs the rounds command in-process against cfg's database.
func cli(t *testing.T, cfg config.Config, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	args = append(args, "--data", cfg.DataDir)
	if cfg.DB != "" {
		args = append(args, "--db", cfg.DB)
	}
	code := run(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestAdminCLI_CreateUserTokenAndRole(t *testing.T) {
	cfg := testkit.Config(t)
	code, out, errOut := cli(t, cfg, testkit.Password+"\n", "admin", "create-user", "--username", "Ops_Lead", "--email", "ops@example.org", "--role", "admin")
	if code != 0 || !strings.Contains(out, "created @Ops_Lead (admin)") {
		t.Fatalf("create-user = %d %q %q", code, out, errOut)
	}
	code, _, errOut = cli(t, cfg, "short\n", "admin", "create-user", "--username", "weak_one", "--email", "weak@example.org")
	if code != 1 || !strings.Contains(errOut, "--password: Use at least 12 characters") {
		t.Fatalf("weak password = %d %q", code, errOut)
	}
	code, _, errOut = cli(t, cfg, "", "admin", "create-user", "--username", "no_pw", "--email", "x@example.org")
	if code != 2 || !strings.Contains(errOut, "standard input") {
		t.Fatalf("no password = %d %q", code, errOut)
	}
	code, out, errOut = cli(t, cfg, "", "admin", "token", "--username", "ops_lead", "--scopes", "read write follow")
	if code != 0 {
		t.Fatalf("token = %d %q", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	token := lines[len(lines)-1]

	// The token works against a server on the same database, with no 2FA step.
	srv := testkit.Start(t, func(c *config.Config) { c.DataDir, c.DB = cfg.DataDir, cfg.DB })
	req, _ := http.NewRequest("GET", srv.URL+"/api/v1/accounts/verify_credentials", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, body := srv.Do(t, srv.Client(), req)
	if resp.StatusCode != 200 || !strings.Contains(body, `"username":"Ops_Lead"`) {
		t.Fatalf("the CLI token against the API = %d %s", resp.StatusCode, body)
	}

	code, out, _ = cli(t, cfg, "", "admin", "set-role", "--username", "ops_lead", "--role", "moderator")
	if code != 0 || !strings.Contains(out, "is now moderator") {
		t.Fatalf("set-role = %d %q", code, out)
	}
	code, _, errOut = cli(t, cfg, "", "admin", "set-role", "--username", "ops_lead", "--role", "king")
	if code != 1 || !strings.Contains(errOut, "--role: Choose one of") {
		t.Fatalf("unknown role = %d %q", code, errOut)
	}
	code, out, _ = cli(t, cfg, "", "admin", "reset-link", "--username", "ops_lead", "--base-url", "https://rounds.example.org/")
	if code != 0 || !strings.Contains(out, "https://rounds.example.org/reset/") {
		t.Fatalf("reset-link = %d %q", code, out)
	}
}

func TestAuditVerify_FailsAndNamesTamperedRecord(t *testing.T) {
	cfg := testkit.Config(t)
	for _, name := range []string{"first_user", "second_user", "third_user"} {
		if code, _, errOut := cli(t, cfg, testkit.Password+"\n", "admin", "create-user", "--username", name, "--email", name+"@example.org"); code != 0 {
			t.Fatal(errOut)
		}
	}
	code, out, errOut := cli(t, cfg, "", "audit", "verify")
	if code != 0 || !strings.Contains(out, "intact: 3 records") {
		t.Fatalf("verify on an intact chain = %d %q %q", code, out, errOut)
	}
	db, err := store.Open(context.Background(), cfg.DB, cfg.DataDir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	drop := []string{"DROP TRIGGER audit_log_no_update"}
	if db.Dialect() == store.Postgres {
		drop = []string{"DROP TRIGGER audit_log_no_change ON audit_log"}
	}
	for _, s := range append(drop, "UPDATE audit_log SET target = 'user:999' WHERE seq = 2") {
		if _, err := db.Exec(context.Background(), s); err != nil {
			t.Fatal(err)
		}
	}
	code, _, errOut = cli(t, cfg, "", "audit", "verify")
	if code != 1 || !strings.Contains(errOut, "BROKEN at record 2") {
		t.Fatalf("verify after tampering = %d %q; want exit 1 naming record 2", code, errOut)
	}
}

func TestRun_UnknownCommandsAndFlags(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"frobnicate"}, nil, &out, &errOut); code != 2 || !strings.Contains(errOut.String(), "unknown command") {
		t.Fatalf("unknown command = %d %q", code, errOut.String())
	}
	errOut.Reset()
	if code := run(context.Background(), []string{"serve", "--idle-timeout", "5s"}, nil, &out, &errOut); code != 2 || !strings.Contains(errOut.String(), "idle-timeout") {
		t.Fatalf("bad idle timeout = %d %q", code, errOut.String())
	}
}

// lineWriter hands each written line to a channel, so a test can wait for
// the server's "listening" line.
type lineWriter struct{ lines chan string }

func (w lineWriter) Write(p []byte) (int, error) {
	for _, l := range strings.Split(strings.TrimSpace(string(p)), "\n") {
		select {
		case w.lines <- l:
		default:
		}
	}
	return len(p), nil
}

func TestServe_DemoHealthzAndGracefulShutdown(t *testing.T) {
	cfg := testkit.Config(t)
	args := []string{"serve", "--addr", "127.0.0.1:0", "--data", cfg.DataDir, "--demo", "--log-level", "error"}
	if cfg.DB != "" {
		args = append(args, "--db", cfg.DB)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := lineWriter{lines: make(chan string, 10)}
	done := make(chan int, 1)
	go func() { done <- run(ctx, args, nil, out, &bytes.Buffer{}) }()
	var url string
	for url == "" {
		select {
		case l := <-out.lines:
			if _, after, ok := strings.Cut(l, "listening on "); ok {
				url = strings.Fields(after)[0]
			}
		case code := <-done:
			t.Fatalf("serve exited early with %d", code)
		}
	}
	resp, err := http.Get(url + "/healthz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("healthz = %v, %v", resp, err)
	}
	resp.Body.Close()
	resp, err = http.Get(url + "/")
	if err != nil {
		t.Fatal(err)
	}
	var page bytes.Buffer
	_, _ = page.ReadFrom(resp.Body)
	resp.Body.Close()
	if !strings.Contains(page.String(), "Dr. Amara Osei") || !strings.Contains(page.String(), "Harborview Heart Institute") {
		t.Fatal("the demo home page is not populated")
	}
	cancel() // what SIGINT/SIGTERM do through signal.NotifyContext
	if code := <-done; code != 0 {
		t.Fatalf("serve exited with %d after shutdown", code)
	}
	checkDemoWorkflow(t, cfg)
}

// checkDemoWorkflow opens the demo's database again and checks that the
// publishing workflow stands where a visitor should find it, as the
// specialist who prepared the drafts sees it; then that a second --demo
// leaves the filled database alone.
func checkDemoWorkflow(t *testing.T, cfg config.Config) {
	ctx := context.Background()
	a, err := app.Open(ctx, cfg, testkit.Logger())
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	u, err := a.Accounts.UserByUsername(ctx, "harborview_tessa")
	if err != nil {
		t.Fatalf("the demo has no social-media specialist: %v", err)
	}
	tessa := account.Actor{User: u, Via: "test"}

	inReview, err := a.Drafts.List(ctx, tessa, drafts.Filter{State: drafts.InReview})
	if err != nil || len(inReview) != 1 || inReview[0].Version != 2 {
		t.Fatalf("drafts in review = %v, %v; want one at version 2", inReview, err)
	}
	vs, err := a.Drafts.Versions(ctx, tessa, inReview[0].ID)
	if err != nil || len(vs) != 2 || vs[0].Blocking == 0 || vs[1].Blocking != 0 {
		t.Fatalf("versions of the draft in review = %v, %v; want version 1 blocked by the guard and version 2 clean", vs, err)
	}

	published, err := a.Drafts.List(ctx, tessa, drafts.Filter{State: drafts.Published})
	if err != nil || len(published) == 0 {
		t.Fatalf("published drafts = %v, %v", published, err)
	}
	var ids []int64
	for _, d := range published {
		ids = append(ids, d.StatusID)
	}
	attrs, err := a.Drafts.Attributions(ctx, ids)
	if err != nil || len(attrs) != len(ids) {
		t.Fatalf("attributions of %v = %v, %v", ids, attrs, err)
	}
	for id, at := range attrs {
		if !strings.HasPrefix(at.Text, "Prepared by Tessa Morgan, approved by Dr. Amara Osei") {
			t.Errorf("status %d is attributed %q", id, at.Text)
		}
	}

	approved, err := a.Drafts.List(ctx, tessa, drafts.Filter{State: drafts.Approved})
	if err != nil || len(approved) != 1 || approved[0].Schedule != drafts.Scheduled || !approved[0].PublishAt.After(time.Now()) {
		t.Fatalf("approved drafts = %v, %v; want one scheduled in the future", approved, err)
	}

	org, err := a.Directory.Organization(ctx, account.Actor{}, "harborview-heart-institute")
	if err != nil {
		t.Fatal(err)
	}
	auths, err := a.Consent.ForOrg(ctx, tessa, org.ID)
	if err != nil {
		t.Fatal(err)
	}
	var signedLive, pending int
	for _, au := range auths {
		switch au.State {
		case consent.Signed:
			for _, sid := range au.Statuses {
				if _, err := a.Social.Status(ctx, social.Viewer{}, sid); err == nil {
					signedLive++
				}
			}
		case consent.Requested:
			pending++
		}
	}
	if signedLive != 1 || pending != 1 {
		t.Fatalf("authorizations: %d signed with a live story, %d waiting for the patient; want 1 and 1", signedLive, pending)
	}

	res, err := demo.Seed(ctx, demo.Services{Accounts: a.Accounts, Directory: a.Directory, Registry: a.Registry, Social: a.Social,
		Publish: a.Publish, Drafts: a.Drafts, Consent: a.Consent}, "")
	if err != nil || res.Created != 0 {
		t.Fatalf("a second demo on the filled database = %+v, %v; want nothing done", res, err)
	}
}

// A mistyped --data must not be answered with a fresh, empty, "intact" log.
func TestAuditVerify_RefusesWhereThereIsNoDatabase(t *testing.T) {
	typo := filepath.Join(t.TempDir(), "typo")
	cfg := testkit.Config(t)
	args := []string{"audit", "verify", "--data", typo}
	if cfg.DB != "" {
		args = append(args, "--db", cfg.DB) // an empty PostgreSQL schema
	}
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, nil, &out, &errOut)
	if code != 2 || strings.Contains(out.String(), "intact") || !strings.Contains(errOut.String(), "typo") {
		t.Fatalf("verify with --data %s = %d %q %q; want exit 2 naming the path", typo, code, out.String(), errOut.String())
	}
	if _, err := os.Stat(typo); !os.IsNotExist(err) {
		t.Fatalf("verify created %s (%v)", typo, err)
	}
	if cfg.DB != "" {
		// The keyset is there but the database is empty: still no log to check.
		if code, _, _ := cli(t, cfg, testkit.Password+"\n", "admin", "create-user", "--username", "someone", "--email", "someone@example.org"); code != 0 {
			t.Fatal("create-user failed")
		}
		other := testkit.Config(t)
		out.Reset()
		errOut.Reset()
		code := run(context.Background(), []string{"audit", "verify", "--data", cfg.DataDir, "--db", other.DB}, nil, &out, &errOut)
		if code != 2 || !strings.Contains(errOut.String(), "no audit log") {
			t.Fatalf("verify against an empty database = %d %q %q; want exit 2", code, out.String(), errOut.String())
		}
	}
}
