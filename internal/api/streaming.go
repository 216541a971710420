package api

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/live"
	"github.com/rounds-health/rounds/internal/notify"
	"github.com/rounds-health/rounds/internal/social"
)

// Mastodon's streaming API: server-sent events on GET /api/v1/streaming/…
// and a WebSocket on GET /api/v1/streaming. Each open stream subscribes to
// the live broker; every message is resolved for the stream's reader by the
// notify service (which applies the visibility rule, blocks and mutes) and
// rendered in the same JSON as the REST API.

const (
	heartbeatEvery = 15 * time.Second // SSE comment or WebSocket ping
	writeWait      = 10 * time.Second // a client that cannot take a write this long is gone
	recheckEvery   = time.Minute      // a revoked token or suspended account loses its streams
)

func (a *API) streamingRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/streaming/health", a.streamingHealth)
	mux.HandleFunc("GET /api/v1/streaming", a.streaming)
	mux.HandleFunc("GET /api/v1/streaming/{stream...}", a.streaming)
}

func (a *API) streamingHealth(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write([]byte("OK"))
}

// channel is one stream as a client names it ("user", "hashtag" with a
// tag…) and the broker stream that carries it.
type channel struct {
	name, tag string
	stream    string // "" carries nothing (public:remote: Rounds has no remote statuses)
	only      string // deliver only this event ("notification" for user:notification)
}

// label is the "stream" field of a WebSocket message, as Mastodon sends it.
func (c channel) label() []string {
	if c.tag != "" {
		return []string{c.name, c.tag}
	}
	return []string{c.name}
}

func (c channel) key() string { return c.name + "\x00" + c.tag }

// carries reports whether a broker message belongs on this channel.
func (c channel) carries(m live.Message) bool {
	return c.stream != "" && c.stream == m.Stream && (c.only == "" || c.only == m.Event)
}

// streamAuth is who reads a stream and the token they came with.
type streamAuth struct {
	grant
	secret string
}

func (s streamAuth) viewer() social.Viewer {
	if s.user != nil {
		return social.Viewer{ID: s.user.ID}
	}
	return social.Viewer{}
}

// tokenOf finds the access token where Mastodon clients put it: the
// Authorization header, the access_token parameter, or (for browsers'
// WebSocket, which cannot set headers) Sec-WebSocket-Protocol.
func tokenOf(r *http.Request) (secret string, viaProtocol bool) {
	if b, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
		return strings.TrimSpace(b), false
	}
	if t := r.URL.Query().Get("access_token"); t != "" {
		return t, false
	}
	p, _, _ := strings.Cut(r.Header.Get("Sec-WebSocket-Protocol"), ",")
	return strings.TrimSpace(p), p != ""
}

// authenticate checks the token if there is one; without one the reader is
// anonymous and may only open public streams.
func (a *API) authenticate(ctx context.Context, secret string) (streamAuth, error) {
	if secret == "" {
		return streamAuth{}, nil
	}
	t, u, err := a.Accounts.AuthenticateToken(ctx, secret)
	if err != nil {
		return streamAuth{}, err
	}
	return streamAuth{grant: grant{token: t, user: u}, secret: secret}, nil
}

// stillValid re-checks the token of a long-lived stream.
func (a *API) stillValid(ctx context.Context, auth streamAuth) bool {
	if auth.secret == "" {
		return true
	}
	_, _, err := a.Accounts.AuthenticateToken(ctx, auth.secret)
	return err == nil
}

// channelFor resolves a stream name for the reader.
func channelFor(auth streamAuth, name, tag string) (channel, error) {
	needs := func(scope string) error {
		if auth.token != nil && !auth.token.HasScope(scope) {
			return errs.Forbidden("This stream is outside the requested scopes.")
		}
		return nil
	}
	switch name {
	case "user", "user:notification":
		if auth.user == nil {
			return channel{}, errs.Unauthorized("This stream needs an access token for a user.")
		}
		c := channel{name: name, stream: notify.UserStream(auth.user.ID)}
		scope := "read:statuses"
		if name == "user:notification" {
			c.only, scope = notify.EventNotification, "read:notifications"
		}
		return c, needs(scope)
	case "public", "public:local":
		return channel{name: name, stream: notify.PublicStream}, needs("read:statuses")
	case "public:remote":
		return channel{name: name}, needs("read:statuses")
	case "hashtag", "hashtag:local":
		tag = strings.TrimPrefix(strings.TrimSpace(tag), "#")
		if tag == "" || len(tag) > 100 {
			return channel{}, errs.Invalid("tag", "Give a hashtag with tag=, like tag=hearthealth.")
		}
		return channel{name: name, tag: tag, stream: notify.TagStream(tag)}, needs("read:statuses")
	}
	return channel{}, errs.Invalid("stream", "Unknown stream type; Rounds streams user, user:notification, public, public:local, public:remote, hashtag and hashtag:local.")
}

// streaming answers both transports: a WebSocket upgrade, or server-sent
// events for the stream named in the path (/api/v1/streaming/public/local)
// or the stream parameter.
func (a *API) streaming(w http.ResponseWriter, r *http.Request) {
	secret, viaProtocol := tokenOf(r)
	auth, err := a.authenticate(r.Context(), secret)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	r = r.WithContext(context.WithValue(r.Context(), grantKey{}, auth.grant))
	if isWebSocket(r) {
		a.serveWebSocket(w, r, auth, viaProtocol)
		return
	}
	name := strings.ReplaceAll(strings.Trim(r.PathValue("stream"), "/"), "/", ":")
	if name == "" {
		name = r.URL.Query().Get("stream")
	}
	if name == "" {
		// Mastodon answers this way when streaming is on the same host,
		// which is how clients discover that it is.
		writeError(w, r, a.Log, errs.NotFound("Record not found"))
		return
	}
	c, err := channelFor(auth, name, r.URL.Query().Get("tag"))
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	a.serveSSE(w, r, auth, c)
}

// subscribe opens a broker subscription, answering the request itself when
// the server is shutting down.
func (a *API) subscribe(w http.ResponseWriter, r *http.Request, streams ...string) (live.Subscription, bool) {
	sub, err := a.Live.Subscribe(r.Context(), streams...)
	if errors.Is(err, live.ErrClosed) {
		w.Header().Set("Retry-After", "5")
		writeJSON(w, http.StatusServiceUnavailable, errorBody{Error: "The server is restarting; reconnect in a few seconds."})
		return nil, false
	}
	if err != nil {
		writeError(w, r, a.Log, err)
		return nil, false
	}
	return sub, true
}

// rendered is a live message ready for a reader.
type rendered struct {
	event   string
	payload []byte
}

// render resolves m for the reader of r and renders its payload; ok is
// false when the reader must not get it. A message that cannot be rendered
// is logged and skipped rather than ending the stream.
func (a *API) render(r *http.Request, viewer social.Viewer, m live.Message) (rendered, bool) {
	d, ok, err := a.Notify.Deliver(r.Context(), viewer, m)
	if err != nil || !ok {
		if err != nil && r.Context().Err() == nil {
			a.Log.Warn("streaming: message not delivered", "event", m.Event, "err", err)
		}
		return rendered{}, false
	}
	var v any
	switch {
	case d.Status != nil:
		var rd *renderer
		if rd, err = a.renderer(r, []*social.Status{d.Status}); err == nil {
			v, err = rd.status(d.Status)
		}
	case d.Notification != nil:
		var list []notificationJSON
		if list, err = a.notifications(r, []*notify.Notification{d.Notification}); err == nil {
			v = list[0]
		}
	default:
		return rendered{event: d.Event, payload: strconv.AppendInt(nil, d.StatusID, 10)}, true
	}
	var b []byte
	if err == nil {
		b, err = json.Marshal(v)
	}
	if err != nil {
		if r.Context().Err() == nil {
			a.Log.Warn("streaming: message not rendered", "event", m.Event, "err", err)
		}
		return rendered{}, false
	}
	return rendered{event: d.Event, payload: b}, true
}

// serveSSE streams server-sent events until the client goes, the token
// stops working, or the server shuts down (the broker closes).
func (a *API) serveSSE(w http.ResponseWriter, r *http.Request, auth streamAuth, c channel) {
	var streams []string
	if c.stream != "" {
		streams = append(streams, c.stream)
	}
	sub, ok := a.subscribe(w, r, streams...)
	if !ok {
		return
	}
	defer sub.Close()
	out := startSSE(w)
	if out.comment(")") != nil {
		return
	}
	a.pumpSSE(r, out, sub, func(m live.Message) (rendered, bool) {
		if !c.carries(m) {
			return rendered{}, false
		}
		return a.render(r, auth.viewer(), m)
	}, func() bool { return a.stillValid(r.Context(), auth) }, heartbeatEvery)
}

// pumpSSE writes messages and heartbeats until the stream ends.
func (a *API) pumpSSE(r *http.Request, out sse, sub live.Subscription, resolve func(live.Message) (rendered, bool),
	valid func() bool, every time.Duration) {
	beat := time.NewTicker(every)
	defer beat.Stop()
	recheck := time.NewTicker(recheckEvery)
	defer recheck.Stop()
	for {
		var err error
		select {
		case <-r.Context().Done():
			return
		case m, open := <-sub.C():
			if !open {
				return // dropped as too slow, or shutting down: the client reconnects
			}
			if msg, ok := resolve(m); ok {
				err = out.event(msg)
			}
		case <-beat.C:
			err = out.comment("thump")
		case <-recheck.C:
			if !valid() {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// sse writes server-sent events, each flushed at once.
type sse struct {
	w  http.ResponseWriter
	rc *http.ResponseController
}

// startSSE sends the headers. A server write timeout, meant for ordinary
// responses, would cut the stream off: each write gets a deadline of its own
// instead. (The read timeout does not apply once the request is read.)
func startSSE(w http.ResponseWriter) sse {
	rc := http.NewResponseController(w)
	_ = rc.SetWriteDeadline(time.Now().Add(writeWait))
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // a buffering proxy would hold events back
	w.WriteHeader(http.StatusOK)
	return sse{w: w, rc: rc}
}

func (s sse) write(b []byte) error {
	_ = s.rc.SetWriteDeadline(time.Now().Add(writeWait))
	if _, err := s.w.Write(b); err != nil {
		return err
	}
	return s.rc.Flush()
}

func (s sse) comment(text string) error { return s.write([]byte(":" + text + "\n\n")) }

// event writes one event; JSON never contains a raw newline, so one data line holds it.
func (s sse) event(m rendered) error {
	b := make([]byte, 0, len(m.payload)+len(m.event)+16)
	b = append(append(append(b, "event: "...), m.event...), "\ndata: "...)
	b = append(append(b, m.payload...), "\n\n"...)
	return s.write(b)
}
