package api

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/notify"
	"github.com/rounds-health/rounds/internal/social"
)

// The Mastodon-compatible notifications and the streaming API.

func (a *API) notificationRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/notifications", a.auth("read:notifications", a.listNotifications))
	mux.HandleFunc("GET /api/v1/notifications/{id}", a.auth("read:notifications", a.getNotification))
	mux.HandleFunc("POST /api/v1/notifications/clear", a.auth("write:notifications", a.clearNotifications))
	mux.HandleFunc("POST /api/v1/notifications/{id}/dismiss", a.auth("write:notifications", a.dismissNotification))
	a.streamingRoutes(mux)
}

type notificationJSON struct {
	ID        string             `json:"id"`
	Type      string             `json:"type"`
	GroupKey  string             `json:"group_key"`
	CreatedAt string             `json:"created_at"`
	Account   Account            `json:"account"`
	Status    *statusJSON        `json:"status,omitempty"`
	Rounds    notificationRounds `json:"rounds"`
}

// notificationRounds carries Rounds' own type where Mastodon has none:
// "reply" (a reply that did not mention the recipient) shows as "mention".
type notificationRounds struct {
	Type string `json:"type"`
}

func mastodonType(t notify.Type) string {
	if t == notify.Reply {
		return string(notify.Mention)
	}
	return string(t)
}

// notifications renders notifications for the request's viewer.
func (a *API) notifications(r *http.Request, list []*notify.Notification) ([]notificationJSON, error) {
	var statuses []*social.Status
	for _, n := range list {
		if n.Status != nil {
			statuses = append(statuses, n.Status)
		}
	}
	rd, err := a.renderer(r, statuses)
	if err != nil {
		return nil, err
	}
	out := []notificationJSON{}
	for _, n := range list {
		from, err := rd.user(n.FromAccountID)
		if err != nil {
			return nil, err
		}
		id := strconv.FormatInt(n.ID, 10)
		j := notificationJSON{ID: id, Type: mastodonType(n.Type), GroupKey: "ungrouped-" + id, CreatedAt: mastodonTime(n.CreatedAt),
			Account: accountJSON(r, from), Rounds: notificationRounds{Type: string(n.Type)}}
		if n.Status != nil {
			s, err := rd.status(n.Status)
			if err != nil {
				return nil, err
			}
			j.Status = &s
		}
		out = append(out, j)
	}
	return out, nil
}

// notificationFilter reads Mastodon's list parameters.
func notificationFilter(r *http.Request) (notify.Filter, error) {
	p, err := pageFrom(r)
	if err != nil {
		return notify.Filter{}, err
	}
	f := notify.Filter{MaxID: p.MaxID, SinceID: p.SinceID, MinID: p.MinID, Limit: p.Limit}
	q := r.URL.Query()
	for _, t := range append(q["types[]"], q["types"]...) {
		f.Types = append(f.Types, notify.Type(t))
	}
	for _, t := range append(q["exclude_types[]"], q["exclude_types"]...) {
		f.ExcludeTypes = append(f.ExcludeTypes, notify.Type(t))
	}
	if v := q.Get("account_id"); v != "" {
		if f.FromAccountID, err = strconv.ParseInt(v, 10, 64); err != nil {
			return f, errs.Invalid("account_id", "account_id must be an account id.")
		}
	}
	return f, nil
}

func (a *API) listNotifications(w http.ResponseWriter, r *http.Request) {
	f, err := notificationFilter(r)
	var list []*notify.Notification
	var cur notify.Cursor
	if err == nil {
		list, cur, err = a.Notify.List(r.Context(), grantOf(r.Context()).user, f)
	}
	var out []notificationJSON
	if err == nil {
		out, err = a.notifications(r, list)
	}
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	if cur.Oldest != 0 {
		setLink(w, r, cur.Oldest, cur.Newest)
	}
	writeJSON(w, http.StatusOK, out)
}

// setLink sets Mastodon's Link header: the next page is older than oldest,
// the previous one newer than newest.
func setLink(w http.ResponseWriter, r *http.Request, oldest, newest int64) {
	base := origin(r) + r.URL.Path + "?"
	next, prev := url.Values{}, url.Values{}
	for k, v := range r.URL.Query() {
		if k != "max_id" && k != "since_id" && k != "min_id" {
			next[k], prev[k] = v, v
		}
	}
	next.Set("max_id", strconv.FormatInt(oldest, 10))
	prev.Set("min_id", strconv.FormatInt(newest, 10))
	w.Header().Set("Link", `<`+base+next.Encode()+`>; rel="next", <`+base+prev.Encode()+`>; rel="prev"`)
}

func (a *API) getNotification(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	var n *notify.Notification
	if err == nil {
		n, err = a.Notify.Get(r.Context(), grantOf(r.Context()).user, id)
	}
	var out []notificationJSON
	if err == nil {
		out, err = a.notifications(r, []*notify.Notification{n})
	}
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	writeJSON(w, http.StatusOK, out[0])
}

func (a *API) clearNotifications(w http.ResponseWriter, r *http.Request) {
	if err := a.Notify.Clear(r.Context(), grantOf(r.Context()).user); err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	writeJSON(w, http.StatusOK, struct{}{})
}

func (a *API) dismissNotification(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		err = a.Notify.Dismiss(r.Context(), grantOf(r.Context()).user, id)
	}
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	writeJSON(w, http.StatusOK, struct{}{})
}
