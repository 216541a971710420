package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/notify"
	"github.com/rounds-health/rounds/internal/social"
)

// events streams the signed-in person's live events to the page as
// server-sent events: new statuses for the home timeline (rendered here,
// for this reader), deletions, and the unread notification count. The page
// script (static/live.js) applies them; without JavaScript nothing is lost,
// the page just does not change until it is reloaded.
func (ui *UI) events(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "Streaming is not supported here.", http.StatusInternalServerError)
		return
	}
	a := actorOf(r)
	viewer := social.Viewer{ID: a.user.ID}
	ctx := r.Context()
	sub, err := ui.Live.Subscribe(ctx, notify.UserStream(a.user.ID))
	if err != nil {
		ui.fail(w, r, err)
		return
	}
	defer sub.Close()
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Accel-Buffering", "no")
	rc := http.NewResponseController(w)
	send := func(event string, v any) bool {
		b, _ := json.Marshal(v)
		_ = rc.SetWriteDeadline(time.Now().Add(10 * time.Second))
		if _, err := fmt.Fprintf(w, "event: %s\ndata: %s\n\n", event, b); err != nil {
			return false
		}
		flusher.Flush()
		return true
	}
	if !send("hello", map[string]int{"unread": ui.unread(r, a.user)}) {
		return
	}
	heartbeat := time.NewTicker(15 * time.Second)
	defer heartbeat.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-heartbeat.C:
			_ = rc.SetWriteDeadline(time.Now().Add(10 * time.Second))
			if _, err := fmt.Fprint(w, ": heartbeat\n\n"); err != nil {
				return
			}
			flusher.Flush()
		case m, open := <-sub.C():
			if !open {
				return
			}
			d, ok, err := ui.Notify.Deliver(ctx, viewer, m)
			if err != nil || !ok {
				continue
			}
			switch d.Event {
			case notify.EventUpdate:
				html, err := ui.statusHTML(r, viewer, d.Status)
				if err != nil {
					continue
				}
				if !send("status", map[string]string{"id": strconv.FormatInt(d.Status.ID, 10), "html": html}) {
					return
				}
			case notify.EventDelete:
				if !send("delete", map[string]string{"id": strconv.FormatInt(d.StatusID, 10)}) {
					return
				}
			case notify.EventNotification:
				if !send("notification", map[string]int{"unread": ui.unread(r, a.user)}) {
					return
				}
			}
		}
	}
}

// statusHTML renders one status as the timeline shows it, for viewer.
func (ui *UI) statusHTML(r *http.Request, viewer social.Viewer, st *social.Status) (string, error) {
	views, err := ui.views(r.Context(), viewer, []*social.Status{st})
	if err != nil || len(views) == 0 {
		return "", err
	}
	var b bytes.Buffer
	err = ui.pages["timeline"].ExecuteTemplate(&b, "status", statusArgs{statusView: views[0], Viewer: true, Next: "/home"})
	return b.String(), err
}

func (ui *UI) unread(r *http.Request, u *account.User) int {
	n, err := ui.Notify.UnreadCount(r.Context(), u)
	if err != nil {
		return 0
	}
	return n
}

type notificationsData struct {
	Items []notificationView
}

type notificationView struct {
	N      *notify.Notification
	From   *account.User
	Status *statusView
}

// notifications lists the person's notifications and marks them read.
func (ui *UI) notifications(w http.ResponseWriter, r *http.Request) {
	a := actorOf(r)
	list, _, err := ui.Notify.List(r.Context(), a.user, notify.Filter{Limit: 40})
	if err != nil {
		ui.fail(w, r, err)
		return
	}
	var d notificationsData
	viewer := social.Viewer{ID: a.user.ID}
	for _, n := range list {
		v := notificationView{N: n}
		if v.From, err = ui.Accounts.UserByID(r.Context(), n.FromAccountID); err != nil {
			continue
		}
		if n.Status != nil {
			if sv, err := ui.views(r.Context(), viewer, []*social.Status{n.Status}); err == nil && len(sv) == 1 {
				v.Status = &sv[0]
			}
		}
		d.Items = append(d.Items, v)
	}
	if len(list) > 0 {
		if err := ui.Notify.MarkRead(r.Context(), a.user, list[0].ID); err != nil {
			ui.fail(w, r, err)
			return
		}
	}
	ui.render(w, r, http.StatusOK, "notifications", &page{Title: "Notifications", Data: d})
}
