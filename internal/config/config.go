// Package config reads the settings shared by every rounds command: flags,
// with ROUNDS_* environment variables as fallbacks.
package config

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// Config is what the app needs to start.
type Config struct {
	Addr        string        // listen address
	DataDir     string        // SQLite file and keyset
	DB          string        // postgres:// URL; empty means SQLite in DataDir
	Demo        bool          // fill an empty database with a demo network
	IdleTimeout time.Duration // automatic log-off
	TLSCert     string
	TLSKey      string
	LogLevel    string
	BaseURL     string // public address, for canonical URLs and links; empty: each request's host
}

// TLS reports whether the server terminates TLS itself.
func (c Config) TLS() bool { return c.TLSCert != "" && c.TLSKey != "" }

// env returns ROUNDS_<name> or def.
func env(name, def string) string {
	if v, ok := os.LookupEnv("ROUNDS_" + name); ok && v != "" {
		return v
	}
	return def
}

// Storage registers the flags every command needs to reach the database.
func (c *Config) Storage(fs *flag.FlagSet) {
	fs.StringVar(&c.DataDir, "data", env("DATA", "./data"), "data directory: SQLite file and keys (env ROUNDS_DATA)")
	fs.StringVar(&c.DB, "db", env("DB", ""), "database URL; postgres://… uses PostgreSQL, empty uses SQLite in --data (env ROUNDS_DB)")
}

// Server registers the flags of rounds serve.
func (c *Config) Server(fs *flag.FlagSet) {
	c.Storage(fs)
	fs.StringVar(&c.Addr, "addr", env("ADDR", "127.0.0.1:8080"), "listen address (env ROUNDS_ADDR)")
	demo, _ := strconv.ParseBool(env("DEMO", "false"))
	fs.BoolVar(&c.Demo, "demo", demo, "fill an empty database with a demo network (env ROUNDS_DEMO)")
	idle, err := time.ParseDuration(env("IDLE_TIMEOUT", "15m"))
	if err != nil {
		idle = 15 * time.Minute
	}
	fs.DurationVar(&c.IdleTimeout, "idle-timeout", idle, "sign out sessions idle this long (env ROUNDS_IDLE_TIMEOUT)")
	fs.StringVar(&c.TLSCert, "tls-cert", env("TLS_CERT", ""), "TLS certificate file; with --tls-key serves HTTPS (env ROUNDS_TLS_CERT)")
	fs.StringVar(&c.TLSKey, "tls-key", env("TLS_KEY", ""), "TLS key file (env ROUNDS_TLS_KEY)")
	fs.StringVar(&c.BaseURL, "base-url", env("BASE_URL", ""), "public address, e.g. https://rounds.example.org, for canonical URLs and sitemaps (env ROUNDS_BASE_URL)")
	fs.StringVar(&c.LogLevel, "log-level", env("LOG_LEVEL", "info"), "debug, info, warn or error (env ROUNDS_LOG_LEVEL)")
}

// Validate checks the values a person could get wrong.
func (c Config) Validate() error {
	if c.IdleTimeout != 0 && (c.IdleTimeout < time.Minute || c.IdleTimeout > 24*time.Hour) {
		return fmt.Errorf("--idle-timeout %s: use between 1m and 24h", c.IdleTimeout)
	}
	if (c.TLSCert == "") != (c.TLSKey == "") {
		return fmt.Errorf("--tls-cert and --tls-key go together")
	}
	if c.BaseURL != "" && !strings.HasPrefix(c.BaseURL, "https://") && !strings.HasPrefix(c.BaseURL, "http://") {
		return fmt.Errorf("--base-url %q: give the full address, like https://rounds.example.org", c.BaseURL)
	}
	switch strings.ToLower(c.LogLevel) {
	case "", "debug", "info", "warn", "error":
	default:
		return fmt.Errorf("--log-level %q: use debug, info, warn or error", c.LogLevel)
	}
	return nil
}
