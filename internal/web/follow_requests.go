package web

import (
	"net/http"
	"net/url"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/errs"
)

// Follow requests: a locked account (patients start locked) answers the
// people who asked to follow it. The social service decides what an answer
// does; here are only the page and its two buttons.

func (ui *UI) followRequestRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /follow_requests", ui.requireReady(ui.followRequests))
	mux.HandleFunc("POST /follow_requests/{username}/accept", ui.requireReady(ui.answerFollowRequest(true)))
	mux.HandleFunc("POST /follow_requests/{username}/reject", ui.requireReady(ui.answerFollowRequest(false)))
}

// followRequestLimit is how many requests the page shows (the most the
// social service returns at once); the rest appear as these are answered.
const followRequestLimit = 80

type followRequestsData struct {
	Requests []*account.User
	More     bool // there may be more than the page shows
}

// answeredRequest is what replaces a request in the list once answered
// through htmx: the answer, or why there was none.
type answeredRequest struct {
	User     *account.User
	Accepted bool
	Problem  string
}

var requestDone = map[string]string{
	"accepted": "Accepted. They now follow you and can read the posts you share with your followers.",
	"rejected": "Rejected. They are not told; they can ask again.",
}

func (ui *UI) followRequests(w http.ResponseWriter, r *http.Request) {
	a := actorOf(r)
	ids, err := ui.Social.FollowRequests(r.Context(), a.user, followRequestLimit)
	if err != nil {
		ui.fail(w, r, err)
		return
	}
	d := followRequestsData{More: len(ids) == followRequestLimit}
	for _, id := range ids {
		u, err := ui.Accounts.UserByID(r.Context(), id)
		if errs.Is(err, errs.KindNotFound) {
			continue
		}
		if err != nil {
			ui.fail(w, r, err)
			return
		}
		d.Requests = append(d.Requests, u)
	}
	ui.render(w, r, http.StatusOK, "follow_requests", &page{Title: "Follow requests", Data: d,
		Notice: requestDone[r.URL.Query().Get("done")]})
}

// answerFollowRequest accepts or rejects one request. A plain form post
// returns to the list; htmx swaps the answered request in place.
func (ui *UI) answerFollowRequest(accept bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !ui.parseForm(w, r) {
			return
		}
		u, err := ui.Accounts.UserByUsername(r.Context(), r.PathValue("username"))
		if err == nil {
			_, err = ui.Social.AnswerFollowRequest(r.Context(), actorOf(r).user, u.ID, accept)
		} else if errs.Is(err, errs.KindNotFound) {
			err = errs.NotFound("This account has not asked to follow you.")
		}
		htmx := r.Header.Get("HX-Request") == "true"
		if err != nil && (!htmx || errs.Status(err) >= 500) {
			ui.fail(w, r, err)
			return
		}
		if htmx {
			// htmx swaps only 2xx answers: a refusal (answered meanwhile,
			// in another tab) is said in place of the request instead.
			d := answeredRequest{User: u, Accepted: accept}
			if err != nil {
				d.Problem = errs.PublicMessage(err)
			}
			ui.renderPart(w, r, http.StatusOK, "follow_requests", "answered", &page{Data: d})
			return
		}
		done := "rejected"
		if accept {
			done = "accepted"
		}
		http.Redirect(w, r, "/follow_requests?"+url.Values{"done": {done}}.Encode(), http.StatusSeeOther)
	}
}

// pendingRequests is the count beside the nav link; a failure only hides it.
func (ui *UI) pendingRequests(r *http.Request, u *account.User) int {
	n, err := ui.Social.FollowRequestCount(r.Context(), u)
	if err != nil {
		return 0
	}
	return n
}
