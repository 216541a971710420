package api

import (
	"bufio"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/rounds-health/rounds/internal/live"
	"github.com/rounds-health/rounds/internal/notify"
	"github.com/rounds-health/rounds/internal/social"
)

// An SSE stream outlives the server's read and write timeouts (which would
// otherwise end it after a minute in production) and sends heartbeats.
func TestSSE_OutlivesServerTimeoutsAndSendsHeartbeats(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	hub := live.NewHub(8)
	// Deletions need no database, so the notify service can stand alone here.
	a := &API{Deps: Deps{Log: log, Live: hub, Notify: notify.NewService(nil, nil, nil, nil, hub, log)}}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sub, _ := hub.Subscribe(r.Context(), notify.PublicStream)
		defer sub.Close()
		out := startSSE(w)
		a.pumpSSE(r, out, sub, func(m live.Message) (rendered, bool) { return a.render(r, social.Viewer{}, m) },
			func() bool { return true }, 50*time.Millisecond)
	}))
	srv.Config.ReadTimeout = 200 * time.Millisecond
	srv.Config.WriteTimeout = 200 * time.Millisecond
	srv.Start()
	defer srv.Close()

	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	time.Sleep(600 * time.Millisecond) // well past both timeouts
	_ = hub.Publish(t.Context(), live.Message{Stream: notify.PublicStream, Event: notify.EventDelete, Data: []byte("42")})
	lines := make(chan string)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	beats := 0
	timeout := time.After(5 * time.Second)
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("the stream ended after %d heartbeats, before the event", beats)
			}
			if l == ":thump" {
				beats++
			}
			if strings.HasPrefix(l, "data: ") {
				if l != "data: 42" || beats < 5 {
					t.Fatalf("got %q after %d heartbeats; want data: 42 after at least 5", l, beats)
				}
				return
			}
		case <-timeout:
			t.Fatalf("no event within 5 s (%d heartbeats)", beats)
		}
	}
}
