package web

import (
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/moderation"
	"github.com/rounds-health/rounds/internal/social"
)

// The moderators' report queue and the members' report form. Who may read
// the queue or act is decided by the moderation service, not here.

func (ui *UI) moderationRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /moderation/reports", ui.requireReady(ui.reportQueue))
	mux.HandleFunc("POST /moderation/reports/{id}/{action}", ui.requireReady(ui.reportAct))
	mux.HandleFunc("GET /report", ui.requireReady(ui.reportForm))
	mux.HandleFunc("POST /report", ui.requireReady(ui.reportSubmit))
}

// reportedStatus is a reported post as the queue shows it.
type reportedStatus struct {
	S       *social.Status
	Content template.HTML // social.render's escaped HTML, as on every page
}

type reportItem struct {
	*moderation.Item
	Posts      []reportedStatus
	AnyHidden  bool
	AnyVisible bool
}

type reportQueueData struct {
	State    moderation.State
	Cursor   string // this page's marker, for the forms to come back to it
	Items    []reportItem
	NextLink string
}

var reportDone = map[string]string{
	"hide_status":    "The post is hidden from everyone but its author.",
	"restore_status": "The post is visible again.",
	"suspend":        "The account is suspended: its sessions are ended and its tokens revoked.",
	"unsuspend":      "The account is reinstated.",
	"dismiss":        "The report is dismissed.",
}

func (ui *UI) reportQueue(w http.ResponseWriter, r *http.Request) {
	ui.reportQueuePage(w, r, http.StatusOK, nil, reportDone[r.URL.Query().Get("done")])
}

// reportQueuePage renders the queue; f, when given, holds a failed action's
// reason and error, shown beside the report it was for.
func (ui *UI) reportQueuePage(w http.ResponseWriter, r *http.Request, status int, f *form, notice string) {
	q := r.URL.Query()
	filter := moderation.QueueFilter{State: moderation.State(q.Get("state"))}
	if v := q.Get("cursor"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			ui.fail(w, r, errs.Invalid("cursor", "The page marker is not valid."))
			return
		}
		filter.Cursor = n
	}
	items, err := ui.Moderation.Queue(r.Context(), actorOf(r).actor(), filter)
	if err != nil {
		ui.fail(w, r, err)
		return
	}
	d := reportQueueData{State: moderation.Open, Cursor: q.Get("cursor")}
	if filter.State == moderation.Resolved {
		d.State = moderation.Resolved
	}
	for _, it := range items {
		ri := reportItem{Item: it}
		for _, st := range it.Statuses {
			shown := st
			if st.Reblog != nil {
				shown = st.Reblog
			}
			ri.Posts = append(ri.Posts, reportedStatus{S: st, Content: template.HTML(shown.Content)})
			if st.DeletedAt.IsZero() {
				ri.AnyHidden = ri.AnyHidden || st.Hidden
				ri.AnyVisible = ri.AnyVisible || !st.Hidden
			}
		}
		d.Items = append(d.Items, ri)
	}
	if len(items) == moderation.DefaultQueueLimit {
		next := url.Values{"state": {string(d.State)}, "cursor": {strconv.FormatInt(items[len(items)-1].ID, 10)}}
		d.NextLink = "/moderation/reports?" + next.Encode()
	}
	if f == nil {
		f = &form{values: map[string]string{}, errors: map[string]string{}}
	}
	ui.render(w, r, status, "moderation_reports", &page{Title: "Reports", Form: f, Notice: notice, Data: d})
}

func (ui *UI) reportAct(w http.ResponseWriter, r *http.Request) {
	if !ui.parseForm(w, r) {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		ui.fail(w, r, errs.NotFound("No such report."))
		return
	}
	f := newForm(r, "reason", "status_id")
	a := moderation.Action{Kind: moderation.ActionKind(r.PathValue("action")), Reason: f.Value("reason")}
	a.StatusID, _ = strconv.ParseInt(f.Value("status_id"), 10, 64)
	if _, err := ui.Moderation.Act(r.Context(), actorOf(r).actor(), id, a); err != nil {
		status := f.fail(err)
		if status >= 500 || status == http.StatusNotFound || status == http.StatusForbidden || status == http.StatusUnauthorized {
			ui.fail(w, r, err)
			return
		}
		// Only the reason is a field of the form; other problems go at the top.
		for field, msg := range f.errors {
			if field != "reason" {
				f.Error = msg
				delete(f.errors, field)
			}
		}
		f.values["for"] = r.PathValue("id")
		// Show the page the form was on, where the report and its reason field are.
		r.URL.RawQuery = url.Values{"state": {r.PostFormValue("state")}, "cursor": {r.PostFormValue("cursor")}}.Encode()
		ui.reportQueuePage(w, r, status, f, "")
		return
	}
	http.Redirect(w, r, "/moderation/reports?done="+url.QueryEscape(string(a.Kind)), http.StatusSeeOther)
}

// The members' report form.

// recentToOffer is how many of the account's latest posts the form offers
// to include besides those the reporter came from.
const recentToOffer = 10

type reportFormData struct {
	Target     *account.User
	Posts      []reportPost // the posts chosen, then the account's latest ones to choose from
	Categories []moderation.Category
	Sent       bool
}

// reportPost is a post the reporter may include, ticked when chosen.
type reportPost struct {
	statusView
	Chosen bool
}

// reportTarget loads the account being reported and the posts to show:
// the chosen ones (kept only if the reporter can read them and they are
// the account's), then its latest posts the reporter can read. Shares are
// left out: the post shared is someone else's, reported on its own.
func (ui *UI) reportTarget(r *http.Request, username string, chosenIDs []string) (*account.User, []reportPost, error) {
	u, err := ui.Accounts.UserByUsername(r.Context(), username)
	if err != nil || u.Suspended {
		return nil, nil, errs.NotFound("There is no account with this name.")
	}
	viewer := webViewer(r)
	var list []*social.Status
	has := func(id int64) bool {
		return slices.ContainsFunc(list, func(s *social.Status) bool { return s.ID == id })
	}
	for _, v := range chosenIDs {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || has(id) {
			continue
		}
		st, err := ui.Social.Status(r.Context(), viewer, id)
		if err == nil && st.AccountID == u.ID && st.ReblogOfID == 0 {
			list = append(list, st)
		}
	}
	chosen := len(list)
	recent, err := ui.Social.Account(r.Context(), viewer, u.ID, social.Page{Limit: recentToOffer}, social.AccountOptions{ExcludeReblogs: true})
	if err != nil {
		return nil, nil, err
	}
	for _, st := range recent {
		if !has(st.ID) {
			list = append(list, st)
		}
	}
	views, err := ui.views(r.Context(), viewer, list)
	if err != nil {
		return nil, nil, err
	}
	posts := make([]reportPost, len(views))
	for i, v := range views {
		posts[i] = reportPost{statusView: v, Chosen: i < chosen}
	}
	return u, posts, nil
}

func (ui *UI) reportForm(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	u, posts, err := ui.reportTarget(r, q.Get("account"), q["status"])
	if err != nil {
		ui.fail(w, r, err)
		return
	}
	f := &form{values: map[string]string{"category": string(moderation.Other)}, errors: map[string]string{}}
	d := reportFormData{Target: u, Posts: posts, Categories: moderation.Categories, Sent: q.Get("sent") == "1"}
	notice := ""
	if d.Sent {
		notice = "Thank you. Your report is with the moderators, who will look at it."
	}
	ui.render(w, r, http.StatusOK, "report", &page{Title: "Report @" + u.Username, Form: f, Data: d, Notice: notice})
}

func (ui *UI) reportSubmit(w http.ResponseWriter, r *http.Request) {
	if !ui.parseForm(w, r) {
		return
	}
	f := newForm(r, "account", "category", "comment")
	statusIDs := r.PostForm["status"]
	u, posts, err := ui.reportTarget(r, f.Value("account"), statusIDs)
	if err != nil {
		ui.fail(w, r, err)
		return
	}
	in := moderation.NewReport{TargetID: u.ID, Category: moderation.Category(f.Value("category")), Comment: f.Value("comment")}
	for _, v := range statusIDs {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			in.StatusIDs = append(in.StatusIDs, id)
		}
	}
	if _, err := ui.Moderation.Report(r.Context(), actorOf(r).actor(), in); err != nil {
		status := f.fail(err)
		if status >= 500 {
			ui.fail(w, r, err)
			return
		}
		setRetryAfter(w, err)
		for field, msg := range f.errors {
			if field != "category" && field != "comment" {
				f.Error = msg
				delete(f.errors, field)
			}
		}
		d := reportFormData{Target: u, Posts: posts, Categories: moderation.Categories}
		ui.render(w, r, status, "report", &page{Title: "Report @" + u.Username, Form: f, Data: d})
		return
	}
	http.Redirect(w, r, "/report?"+url.Values{"account": {u.Username}, "sent": {"1"}}.Encode(), http.StatusSeeOther)
}
