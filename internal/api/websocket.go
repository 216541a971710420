package api

import (
	"bufio"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"time"

	"github.com/gorilla/websocket"

	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/live"
)

// Mastodon's multiplexed WebSocket: streams named in the query (stream=,
// tag=) or subscribed and unsubscribed with {"type":"subscribe",
// "stream":"hashtag","tag":"flu"}; each event is {"stream":["hashtag","flu"],
// "event":"update","payload":"<JSON as a string>"}.

const (
	pongWait        = 3 * heartbeatEvery // nothing from the client this long (not even a pong): it is gone
	maxClientFrame  = 4 << 10
	maxWSChannels   = 50
	closeWaitOnExit = time.Second
)

func isWebSocket(r *http.Request) bool { return websocket.IsWebSocketUpgrade(r) }

// hijacker lets the WebSocket library take the connection over through the
// middleware's response recorder, which offers it only through Unwrap.
type hijacker struct{ http.ResponseWriter }

func (h hijacker) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return http.NewResponseController(h.ResponseWriter).Hijack()
}

type wsRequest struct {
	Type   string `json:"type"`
	Stream string `json:"stream"`
	Tag    string `json:"tag"`
}

type wsEvent struct {
	Stream  []string `json:"stream"`
	Event   string   `json:"event"`
	Payload string   `json:"payload"`
}

type wsError struct {
	Error  string `json:"error"`
	Status int    `json:"status"`
}

// wsConn is one WebSocket connection; only run's goroutine writes to it.
type wsConn struct {
	a        *API
	r        *http.Request
	auth     streamAuth
	conn     *websocket.Conn
	sub      live.Subscription
	channels map[string]channel
}

func (a *API) serveWebSocket(w http.ResponseWriter, r *http.Request, auth streamAuth, viaProtocol bool) {
	var first []channel
	if name := r.URL.Query().Get("stream"); name != "" {
		c, err := channelFor(auth, name, r.URL.Query().Get("tag"))
		if err != nil {
			writeError(w, r, a.Log, err) // refused before the upgrade, with Mastodon's status and message
			return
		}
		first = append(first, c)
	}
	sub, ok := a.subscribe(w, r)
	if !ok {
		return
	}
	defer sub.Close()
	// Bearer tokens, never cookies, authenticate here, so a page on another
	// origin gains nothing from opening the socket: any origin may.
	up := websocket.Upgrader{ReadBufferSize: 1024, WriteBufferSize: 4096, CheckOrigin: func(*http.Request) bool { return true }}
	if viaProtocol {
		up.Subprotocols = []string{auth.secret} // the browser requires the offered protocol back
	}
	conn, err := up.Upgrade(hijacker{w}, r, nil)
	if err != nil {
		return // the library has answered the request
	}
	defer conn.Close()
	ws := &wsConn{a: a, r: r, auth: auth, conn: conn, sub: sub, channels: map[string]channel{}}
	for _, c := range first {
		_ = ws.subscribeTo(c) // if the broker closed meanwhile, run says so to the client
	}
	ws.run()
}

// run writes events and pings until the client goes, the token stops
// working, or the server shuts down.
func (ws *wsConn) run() {
	ctx, cancel := context.WithCancel(ws.r.Context())
	defer cancel()
	requests := make(chan wsRequest)
	go ws.read(ctx, cancel, requests)
	ping := time.NewTicker(heartbeatEvery)
	defer ping.Stop()
	recheck := time.NewTicker(recheckEvery)
	defer recheck.Stop()
	for {
		var err error
		select {
		case <-ctx.Done():
			return
		case req := <-requests:
			err = ws.apply(req)
		case m, open := <-ws.sub.C():
			if !open {
				code, why := websocket.CloseServiceRestart, "The server is restarting."
				if ws.sub.Err() == live.ErrSlow {
					code, why = websocket.CloseTryAgainLater, "Events came faster than they were read."
				}
				ws.close(code, why)
				return
			}
			err = ws.deliver(m)
		case <-ping.C:
			err = ws.conn.WriteControl(websocket.PingMessage, nil, time.Now().Add(writeWait))
		case <-recheck.C:
			if !ws.a.stillValid(ctx, ws.auth) {
				ws.close(websocket.ClosePolicyViolation, "The access token is no longer valid.")
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// read passes the client's subscribe and unsubscribe requests to run;
// a read error (the client left, or sent nothing for pongWait) ends it all.
func (ws *wsConn) read(ctx context.Context, cancel context.CancelFunc, out chan<- wsRequest) {
	defer cancel()
	c := ws.conn
	c.SetReadLimit(maxClientFrame)
	_ = c.SetReadDeadline(time.Now().Add(pongWait))
	c.SetPongHandler(func(string) error { return c.SetReadDeadline(time.Now().Add(pongWait)) })
	for {
		_, data, err := c.ReadMessage()
		if err != nil {
			return
		}
		_ = c.SetReadDeadline(time.Now().Add(pongWait))
		var req wsRequest
		if json.Unmarshal(data, &req) != nil {
			req = wsRequest{Type: "invalid"}
		}
		select {
		case out <- req:
		case <-ctx.Done():
			return
		}
	}
}

func (ws *wsConn) apply(req wsRequest) error {
	switch req.Type {
	case "subscribe", "unsubscribe":
		c, err := channelFor(ws.auth, req.Stream, req.Tag)
		if err != nil {
			return ws.sendError(err)
		}
		if req.Type == "subscribe" {
			return ws.subscribeTo(c)
		}
		return ws.unsubscribe(c)
	}
	return ws.sendError(errs.Invalid("type", `Send {"type":"subscribe","stream":"user"}, or "unsubscribe".`))
}

func (ws *wsConn) subscribeTo(c channel) error {
	if _, dup := ws.channels[c.key()]; dup {
		return nil
	}
	if len(ws.channels) >= maxWSChannels {
		return ws.sendError(errs.Invalid("stream", "Subscribe to at most 50 streams on one connection."))
	}
	ws.channels[c.key()] = c
	if c.stream == "" {
		return nil
	}
	return ws.sub.Add(ws.r.Context(), c.stream)
}

func (ws *wsConn) unsubscribe(c channel) error {
	delete(ws.channels, c.key())
	for _, other := range ws.channels {
		if other.stream == c.stream {
			return nil // still needed by another channel (user and user:notification share one)
		}
	}
	if c.stream == "" {
		return nil
	}
	return ws.sub.Remove(ws.r.Context(), c.stream)
}

// deliver renders m once for the reader and sends it on every channel that carries it.
func (ws *wsConn) deliver(m live.Message) error {
	var labels [][]string
	for _, c := range ws.channels {
		if c.carries(m) {
			labels = append(labels, c.label())
		}
	}
	if len(labels) == 0 {
		return nil
	}
	msg, ok := ws.a.render(ws.r, ws.auth.viewer(), m)
	if !ok {
		return nil
	}
	for _, l := range labels {
		if err := ws.write(wsEvent{Stream: l, Event: msg.event, Payload: string(msg.payload)}); err != nil {
			return err
		}
	}
	return nil
}

func (ws *wsConn) sendError(err error) error {
	return ws.write(wsError{Error: errs.PublicMessage(err), Status: errs.Status(err)})
}

func (ws *wsConn) write(v any) error {
	_ = ws.conn.SetWriteDeadline(time.Now().Add(writeWait))
	return ws.conn.WriteJSON(v)
}

func (ws *wsConn) close(code int, why string) {
	_ = ws.conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, why), time.Now().Add(closeWaitOnExit))
}
