package api_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/rounds-health/rounds/internal/app"
	"github.com/rounds-health/rounds/internal/notify"
	"github.com/rounds-health/rounds/internal/testkit"
)

func waitActive(t *testing.T, srv *testkit.Server, stream string) {
	t.Helper()
	eventually(t, "a subscriber on "+stream, func() bool {
		active, _ := srv.Live.Active(t.Context(), stream)
		return slices.Contains(active, stream)
	})
}

type sseEvent struct{ name, data string }

// openSSE opens a server-sent events stream; events arrive on the channel,
// which closes when the stream ends.
func openSSE(t *testing.T, url, bearer string) (*http.Response, <-chan sseEvent) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	events := make(chan sseEvent, 32)
	go func() {
		defer close(events)
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		var e sseEvent
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				e.name = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				e.data = strings.TrimPrefix(line, "data: ")
			case line == "" && e.name != "":
				events <- e
				e = sseEvent{}
			}
		}
	}()
	return resp, events
}

func nextSSE(t *testing.T, events <-chan sseEvent) sseEvent {
	t.Helper()
	select {
	case e, ok := <-events:
		if !ok {
			t.Fatal("the stream ended")
		}
		return e
	case <-time.After(5 * time.Second):
		t.Fatal("no event within 5 s")
	}
	return sseEvent{}
}

// statusOf reads the id (and type, for notifications) of an event's payload.
func statusOf(t *testing.T, data string) (id, typ, statusID string) {
	t.Helper()
	var v struct {
		ID     string `json:"id"`
		Type   string `json:"type"`
		Status *struct {
			ID string `json:"id"`
		} `json:"status"`
	}
	if err := json.Unmarshal([]byte(data), &v); err != nil {
		t.Fatalf("payload %q: %v", data, err)
	}
	if v.Status != nil {
		statusID = v.Status.ID
	}
	return v.ID, v.Type, statusID
}

func TestStreamingAPI_ServerSentEvents(t *testing.T) {
	srv := testkit.Start(t)
	doc := newAPIUser(t, srv, "dr_streamer", "read write follow")
	fan := newAPIUser(t, srv, "stream_fan", "read write follow")
	statusesOnly := newAPIUser(t, srv, "dr_statuses_only", "read:statuses")

	resp, err := http.Get(srv.URL + "/api/v1/streaming/health")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != "OK" {
		t.Fatalf("health = %d %q", resp.StatusCode, body)
	}
	for _, tc := range []struct {
		name, path, bearer string
		status             int
	}{
		{"user stream without a token", "/api/v1/streaming/user", "", 401},
		{"a wrong token", "/api/v1/streaming/public", "nope", 401},
		{"notifications without the scope", "/api/v1/streaming/user/notification", statusesOnly.token, 403},
		{"hashtag without a tag", "/api/v1/streaming/hashtag", "", 422},
		{"an unknown stream", "/api/v1/streaming/list?list=1", doc.token, 422},
		{"no stream named (same-host discovery)", "/api/v1/streaming", "", 404},
	} {
		var out map[string]any
		if r := (&apiUser{srv: srv, c: srv.Client(), token: tc.bearer}).call(t, "GET", tc.path, "", &out); r.StatusCode != tc.status || out["error"] == "" {
			t.Errorf("%s: %d %v; want %d with an error", tc.name, r.StatusCode, out, tc.status)
		}
	}

	// The token may come as a query parameter, as older clients send it.
	userResp, user := openSSE(t, srv.URL+"/api/v1/streaming?stream=user&access_token="+doc.token, "")
	if ct := userResp.Header.Get("Content-Type"); userResp.StatusCode != 200 || !strings.HasPrefix(ct, "text/event-stream") {
		t.Fatalf("user stream = %d %s", userResp.StatusCode, ct)
	}
	_, public := openSSE(t, srv.URL+"/api/v1/streaming/public/local", "")
	_, tag := openSSE(t, srv.URL+"/api/v1/streaming/hashtag?tag=flu", fan.token)
	waitActive(t, srv, notify.PublicStream)
	waitActive(t, srv, notify.TagStream("flu"))

	fan.call(t, "POST", "/api/v1/accounts/"+doc.id+"/follow", "", nil)
	if e := nextSSE(t, user); e.name != "notification" {
		t.Fatalf("after a follow the user stream got %+v", e)
	} else if _, typ, _ := statusOf(t, e.data); typ != "follow" {
		t.Fatalf("notification type %q", typ)
	}
	var private, public1 struct{ ID string }
	doc.call(t, "POST", "/api/v1/statuses", `{"status":"Followers only #flu","visibility":"private"}`, &private)
	doc.call(t, "POST", "/api/v1/statuses", `{"status":"Everyone: #flu shots"}`, &public1)
	for _, e := range []sseEvent{nextSSE(t, user), nextSSE(t, user)} {
		if e.name != "update" {
			t.Fatalf("user stream: %+v", e)
		}
	}
	// The private status went to nobody's public or hashtag stream: the first there is the public one.
	for name, events := range map[string]<-chan sseEvent{"public": public, "hashtag": tag} {
		e := nextSSE(t, events)
		if id, _, _ := statusOf(t, e.data); e.name != "update" || id != public1.ID {
			t.Fatalf("%s stream: %s %s; want the public status %s", name, e.name, id, public1.ID)
		}
	}
	doc.call(t, "DELETE", "/api/v1/statuses/"+public1.ID, "", nil)
	if e := nextSSE(t, public); e.name != "delete" || e.data != public1.ID {
		t.Fatalf("after deleting, public stream got %+v", e)
	}
}

// wsDial opens Mastodon's WebSocket with the token as its subprotocol, the
// way browsers send it.
func wsDial(t *testing.T, srv *testkit.Server, token, query string) *websocket.Conn {
	t.Helper()
	d := websocket.Dialer{HandshakeTimeout: 5 * time.Second}
	if token != "" {
		d.Subprotocols = []string{token}
	}
	conn, resp, err := d.Dial("ws"+strings.TrimPrefix(srv.URL, "http")+"/api/v1/streaming"+query, nil)
	if err != nil {
		t.Fatalf("dial: %v (%v)", err, resp)
	}
	t.Cleanup(func() { conn.Close() })
	if token != "" && conn.Subprotocol() != token {
		t.Fatalf("the server chose subprotocol %q; a browser needs the token back", conn.Subprotocol())
	}
	return conn
}

type wsOut struct {
	Stream  []string `json:"stream"`
	Event   string   `json:"event"`
	Payload string   `json:"payload"`
	Error   string   `json:"error"`
	Status  int      `json:"status"`
}

func nextWS(t *testing.T, conn *websocket.Conn) wsOut {
	t.Helper()
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	var m wsOut
	if err := conn.ReadJSON(&m); err != nil {
		t.Fatalf("websocket read: %v", err)
	}
	return m
}

func send(t *testing.T, conn *websocket.Conn, v string) {
	t.Helper()
	if err := conn.WriteMessage(websocket.TextMessage, []byte(v)); err != nil {
		t.Fatal(err)
	}
}

func TestStreamingAPI_WebSocketSubscriptionsBlocksAndVisibility(t *testing.T) {
	srv := testkit.Start(t)
	doc := newAPIUser(t, srv, "dr_socket", "read write follow")
	fan := newAPIUser(t, srv, "socket_fan", "read write follow")
	troll := newAPIUser(t, srv, "socket_troll", "read write follow")
	doc.call(t, "POST", "/api/v1/accounts/"+troll.id+"/block", "", nil)
	doc.call(t, "POST", "/api/v1/accounts/"+fan.id+"/follow", "", nil)
	userStream := "user:" + strings.Trim(doc.id, `"`)

	conn := wsDial(t, srv, doc.token, "")
	send(t, conn, `{"type":"subscribe","stream":"nonsense"}`)
	if m := nextWS(t, conn); m.Status != 422 || !strings.Contains(m.Error, "Unknown stream") {
		t.Fatalf("a bad subscription = %+v", m)
	}
	send(t, conn, `{"type":"subscribe","stream":"hashtag","tag":"flu"}`)
	send(t, conn, `{"type":"subscribe","stream":"user:notification"}`)
	waitActive(t, srv, notify.TagStream("flu"))
	waitActive(t, srv, userStream)

	var own, flu, mention struct{ ID string }
	doc.call(t, "POST", "/api/v1/statuses", `{"status":"My own post reaches my user stream, not user:notification"}`, &own)
	fan.call(t, "POST", "/api/v1/statuses", `{"status":"Walk-in #flu clinic today"}`, &flu)
	if m := nextWS(t, conn); !slices.Equal(m.Stream, []string{"hashtag", "flu"}) || m.Event != "update" {
		t.Fatalf("hashtag event = %+v", m)
	} else if id, _, _ := statusOf(t, m.Payload); id != flu.ID {
		t.Fatalf("hashtag event for %s; want %s", id, flu.ID)
	}
	fan.call(t, "POST", "/api/v1/statuses", `{"status":"@dr_socket see you there"}`, &mention)
	m := nextWS(t, conn)
	if _, typ, sid := statusOf(t, m.Payload); !slices.Equal(m.Stream, []string{"user:notification"}) || m.Event != "notification" ||
		typ != "mention" || sid != mention.ID {
		t.Fatalf("notification event = %+v", m)
	}

	// Unsubscribing stops a stream; blocked accounts never reach the blocker.
	send(t, conn, `{"type":"unsubscribe","stream":"hashtag","tag":"flu"}`)
	send(t, conn, `{"type":"subscribe","stream":"public:local"}`)
	send(t, conn, `{"type":"subscribe","stream":"user"}`)
	eventually(t, "the hashtag stream to close", func() bool {
		active, _ := srv.Live.Active(t.Context(), "hashtag:")
		return len(active) == 0
	})
	waitActive(t, srv, notify.PublicStream)
	troll.call(t, "POST", "/api/v1/statuses", `{"status":"Blocked words #flu @dr_socket"}`, nil)
	var private, public struct{ ID string }
	fan.call(t, "POST", "/api/v1/statuses", `{"status":"For my followers #flu","visibility":"private"}`, &private)
	fan.call(t, "POST", "/api/v1/statuses", `{"status":"For everyone"}`, &public)
	var got []string
	for range 3 {
		m := nextWS(t, conn)
		id, _, _ := statusOf(t, m.Payload)
		got = append(got, strings.Join(m.Stream, ":")+" "+m.Event+" "+id)
	}
	want := []string{"user update " + private.ID, "user update " + public.ID, "public:local update " + public.ID}
	if !slices.Equal(got, want) {
		t.Fatalf("after the block:\n got  %q\n want %q", got, want)
	}
}

func TestStreaming_EndsWhenTheServerShutsDown(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	a, err := app.New(ctx, testkit.Config(t), testkit.Logger())
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- a.Serve(ctx, ln) }()
	base := "http://" + ln.Addr().String()
	_, events := openSSE(t, base+"/api/v1/streaming/public", "")
	conn, _, err := websocket.DefaultDialer.Dial("ws://"+ln.Addr().String()+"/api/v1/streaming?stream=public", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()

	cancel()
	select {
	case err := <-served:
		if err != nil {
			t.Fatalf("Serve = %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("open streams held the shutdown up")
	}
	select {
	case _, open := <-events:
		if open {
			t.Fatal("an event instead of the end of the stream")
		}
	case <-time.After(2 * time.Second):
		t.Fatal("the SSE stream is still open")
	}
	_ = conn.SetReadDeadline(time.Now().Add(2 * time.Second))
	_, _, err = conn.ReadMessage()
	var ce *websocket.CloseError
	if !errors.As(err, &ce) || ce.Code != websocket.CloseServiceRestart {
		t.Fatalf("the WebSocket ended with %v; want close code 1012", err)
	}
}
