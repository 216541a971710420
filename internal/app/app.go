// Package app wires Rounds together: configuration → database → services →
// HTTP handler, and starts and stops the server. It holds no business rule.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"time"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/api"
	"github.com/rounds-health/rounds/internal/archive"
	"github.com/rounds-health/rounds/internal/audit"
	"github.com/rounds-health/rounds/internal/compliance"
	"github.com/rounds-health/rounds/internal/config"
	"github.com/rounds-health/rounds/internal/consent"
	"github.com/rounds-health/rounds/internal/directory"
	"github.com/rounds-health/rounds/internal/drafts"
	"github.com/rounds-health/rounds/internal/geo"
	"github.com/rounds-health/rounds/internal/guard"
	"github.com/rounds-health/rounds/internal/id"
	"github.com/rounds-health/rounds/internal/jobs"
	"github.com/rounds-health/rounds/internal/keyset"
	"github.com/rounds-health/rounds/internal/live"
	"github.com/rounds-health/rounds/internal/media"
	"github.com/rounds-health/rounds/internal/middleware"
	"github.com/rounds-health/rounds/internal/moderation"
	"github.com/rounds-health/rounds/internal/notify"
	"github.com/rounds-health/rounds/internal/publish"
	"github.com/rounds-health/rounds/internal/registry"
	"github.com/rounds-health/rounds/internal/social"
	"github.com/rounds-health/rounds/internal/store"
	"github.com/rounds-health/rounds/internal/web"
)

// maxBody caps request bodies everywhere; uploads get their own limit later.
const maxBody = 1 << 20

// maxUpload is the body limit of the routes that take an image.
const maxUpload = media.MaxBytes + 1<<20

// App is a running Rounds: its database, services and HTTP handler.
type App struct {
	Config     config.Config
	Log        *slog.Logger
	DB         *store.DB
	IDs        *id.Generator
	Keys       *keyset.Keyset
	Audit      *audit.Log
	Accounts   *account.Service
	Registry   *registry.Service
	Directory  *directory.Service
	Media      *media.Service
	Social     *social.Service
	Publish    *publish.Service
	Compliance *compliance.Policy
	Consent    *consent.Service
	Live       *live.Hub
	Notify     *notify.Service
	Moderation *moderation.Service
	Jobs       *jobs.Queue     // the durable job queue; Serve runs it
	Drafts     *drafts.Service // the publishing workflow (issue 6)
	Archive    *archive.Service
	Handler    http.Handler
}

// Open connects to the database, migrates it and builds the services. It is
// what every command uses; only serve also builds the HTTP handler.
func Open(ctx context.Context, cfg config.Config, log *slog.Logger) (*App, error) {
	db, err := store.Open(ctx, cfg.DB, cfg.DataDir)
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	keys, err := keyset.Load(cfg.DataDir)
	if err != nil {
		db.Close()
		return nil, err
	}
	a := &App{Config: cfg, Log: log, DB: db, IDs: &id.Generator{}, Keys: keys, Audit: audit.New(db, keys.DeriveKey(audit.KeyLabel))}
	a.Accounts = account.NewService(db, a.Audit, keys, a.IDs, account.Config{IdleTimeout: cfg.IdleTimeout})
	a.Registry = registry.NewService(db, a.Audit, a.IDs)
	a.Directory = directory.NewService(db, a.Audit, a.Accounts, a.Registry, geo.NewGazetteer(), a.IDs)
	if a.Media, err = media.NewService(db, filepath.Join(cfg.DataDir, "media"), a.IDs); err != nil {
		db.Close()
		return nil, err
	}
	a.Social = social.NewService(db, a.Audit, a.Accounts, a.Media, a.IDs)
	a.Compliance = compliance.New(guard.Default(), a.Directory, a.Audit)
	a.Accounts.SetTextCheck(a.Compliance.CheckFields)
	a.Consent = consent.NewService(db, a.IDs, a.Audit, a.Accounts, a.Directory, a.Social)
	a.Publish = publish.NewService(publish.Deps{DB: db, IDs: a.IDs, Accounts: a.Accounts, Social: a.Social, Media: a.Media,
		Audit: a.Audit, Guard: a.Compliance, Officers: a.Compliance, Stories: a.Consent})
	a.Live = live.NewHub(live.DefaultBuffer)
	a.Notify = notify.NewService(db, a.IDs, a.Accounts, a.Social, a.Live, log)
	a.Social.Listen(a.Notify.Listen)
	a.Moderation = moderation.NewService(db, a.Audit, a.Accounts, a.Social, a.IDs)
	// The publishing workflow (issue 6): drafts, approvals, scheduled publication through the job queue.
	a.Jobs = jobs.New(db, a.IDs, log)
	a.Drafts = drafts.NewService(drafts.Deps{DB: db, IDs: a.IDs, Accounts: a.Accounts, Directory: a.Directory,
		Publish: a.Publish, Jobs: a.Jobs, Audit: a.Audit, Log: log})
	a.Jobs.Handle(drafts.PublishJob, a.Drafts.RunPublishJob)
	a.Archive = archive.NewService(db, a.IDs, a.Directory, a.Drafts, a.Social, a.Audit)
	return a, nil
}

// New opens the app and builds its HTTP handler.
func New(ctx context.Context, cfg config.Config, log *slog.Logger) (*App, error) {
	a, err := Open(ctx, cfg, log)
	if err != nil {
		return nil, err
	}
	ui, err := web.New(web.Deps{Accounts: a.Accounts, Directory: a.Directory, Media: a.Media, Social: a.Social, Publish: a.Publish,
		Notify: a.Notify, Live: a.Live,
		Moderation: a.Moderation, Consent: a.Consent, Drafts: a.Drafts, Audit: a.Audit, Log: log, Secure: cfg.TLS()})
	if err != nil {
		a.Close()
		return nil, fmt.Errorf("templates: %w", err)
	}
	mux := http.NewServeMux()
	ui.Routes(mux)
	api.New(api.Deps{Accounts: a.Accounts, Directory: a.Directory, Media: a.Media, Social: a.Social, Publish: a.Publish,
		Notify: a.Notify, Moderation: a.Moderation, Live: a.Live, Drafts: a.Drafts, Archive: a.Archive, Log: log}).Routes(mux)
	mux.HandleFunc("GET /healthz", a.healthz)
	mux.HandleFunc("/", ui.NotFound)
	a.Handler = middleware.Chain(middleware.RecordRoute(mux),
		middleware.WithRequestID,
		middleware.Logging(log),
		middleware.Recover(log),
		middleware.SecurityHeaders(cfg.TLS()),
		middleware.WithClientAddr,
		middleware.WithBaseURL(cfg.BaseURL),
		middleware.CORS("/api/", "/oauth/token", "/oauth/revoke", "/.well-known/", "/nodeinfo/"),
		middleware.CrossOrigin("/api/", "/oauth/token", "/oauth/revoke"),
		middleware.LimitBody(maxBody, map[string]int64{"/api/v1/media": maxUpload, "/api/v2/media": maxUpload, "/statuses": maxUpload}),
	)
	return a, nil
}

// Close releases the database.
func (a *App) Close() error { return a.DB.Close() }

func (a *App) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if err := a.DB.Ping(ctx); err != nil {
		a.Log.Error("healthz: database does not answer", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("database unavailable\n"))
		return
	}
	_, _ = w.Write([]byte("ok\n"))
}

// Serve answers HTTP on ln until ctx is done, then shuts down gracefully,
// giving requests in flight up to 10 seconds.
func (a *App) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           a.Handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(a.Log.Handler(), slog.LevelWarn),
	}
	// Idle sessions are refused anyway; sweeping keeps the table small.
	go a.everyMinute(ctx, "expire idle sessions", a.Accounts.ExpireIdleSessions)
	// Patient stories whose testimonial authorization reached its end date come down.
	go a.everyMinute(ctx, "end expired authorizations", func(ctx context.Context) (int64, error) {
		n, err := a.Consent.EndExpired(ctx)
		return int64(n), err
	})
	stopNotify := a.Notify.Start(ctx) // handles what is queued before returning, so before the database closes
	defer stopNotify()
	stopJobs := a.Jobs.Start(ctx) // stops before notify (defers run last-first): a job's events still reach it
	defer stopJobs()
	srv.RegisterOnShutdown(a.Live.Close) // open streams end instead of holding the shutdown up
	errc := make(chan error, 1)
	go func() {
		if a.Config.TLS() {
			errc <- srv.ServeTLS(ln, a.Config.TLSCert, a.Config.TLSKey)
		} else {
			errc <- srv.Serve(ln)
		}
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// everyMinute runs sweep once a minute until ctx ends, logging what it
// did: the housekeeping the server does on its own.
func (a *App) everyMinute(ctx context.Context, what string, sweep func(context.Context) (int64, error)) {
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if n, err := sweep(ctx); err != nil && ctx.Err() == nil {
				a.Log.Error(what, "err", err)
			} else if n > 0 {
				a.Log.Info(what, "count", n)
			}
		}
	}
}
