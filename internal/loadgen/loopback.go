package loadgen

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/rounds-health/rounds/internal/app"
	"github.com/rounds-health/rounds/internal/errs"
)

// checkLoopback refuses a target that is not this machine: loadgen sends
// thousands of requests a second and must never be pointed at someone
// else's server. Names other than localhost are refused even when they
// resolve to a loopback address.
func checkLoopback(ctx context.Context, raw string) (*url.URL, error) {
	bad := func(why string) error {
		return errs.Invalid("url", fmt.Sprintf("%q: %s; loadgen only drives a server on this machine "+
			"(http://127.0.0.1:PORT, http://localhost:PORT or http://[::1]:PORT).", raw, why))
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return nil, bad("not an address")
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, bad("use http or https")
	}
	if u.User != nil || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return nil, bad("give the server's origin only, without credentials, path or query")
	}
	host := u.Hostname()
	if strings.EqualFold(host, "localhost") {
		addrs, err := net.DefaultResolver.LookupIPAddr(ctx, host)
		if err != nil || len(addrs) == 0 {
			return nil, bad("localhost does not resolve here")
		}
		for _, a := range addrs {
			if !a.IP.IsLoopback() {
				return nil, bad("localhost resolves to " + a.IP.String() + ", which is not a loopback address")
			}
		}
	} else if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return nil, bad("not a loopback address")
	}
	u.Path = ""
	return u, nil
}

// ServeLoopback serves a on a random loopback port until stop is called.
// The server and the load clients then share the process and its CPUs.
func ServeLoopback(ctx context.Context, a *app.App) (baseURL string, stop func() error, err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- a.Serve(ctx, ln) }()
	return "http://" + ln.Addr().String(), func() error {
		cancel()
		return <-done
	}, nil
}
