package web

import (
	"context"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/consent"
	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/media"
	"github.com/rounds-health/rounds/internal/publish"
	"github.com/rounds-health/rounds/internal/social"
)

// statusView is a status ready for the templates.
type statusView struct {
	S          *social.Status
	Author     *account.User
	SharedBy   *account.User // set when this is a share; S is then the original
	Content    template.HTML // rendered by social.render: escaped text and our own links
	Favourited bool
	Reblogged  bool
	Mine       bool
	Media      []*media.Attachment
	// Attribution is the line under a post published through the publishing
	// workflow ("Prepared by Sam Lee, approved by Dr. Ada Quill"), or "".
	Attribution string
}

type timelineData struct {
	Kind         string // home, public, tag, account
	Heading      string
	Statuses     []statusView
	OlderLink    string
	Profile      *profileView
	Preview      template.HTML
	Visibilities []social.Visibility
	ReplyTo      *statusView
	Thread       []statusView // ancestors, the status, descendants
	Focus        int64
	Guard        *guardView               // the compliance guard's findings on the draft in the composer
	Stories      []*consent.Authorization // authorizations a patient story by the viewer may rely on
}

type profileView struct {
	User   *account.User
	Counts social.Counts
	Rel    social.Relationship
	Self   bool
}

// views turns statuses into what the templates show, for the viewer.
func (ui *UI) views(ctx context.Context, viewer social.Viewer, list []*social.Status) ([]statusView, error) {
	var ids []int64
	for _, s := range list {
		ids = append(ids, s.ID, s.ReblogOfID)
	}
	fav, rb, err := ui.Social.Flags(ctx, viewer, ids)
	if err != nil {
		return nil, err
	}
	images, err := ui.Media.ForStatuses(ctx, ids)
	if err != nil {
		return nil, err
	}
	credits, err := ui.attributions(ctx, ids) // drafts.go
	if err != nil {
		return nil, err
	}
	users := map[int64]*account.User{}
	user := func(id int64) (*account.User, error) {
		if u, ok := users[id]; ok {
			return u, nil
		}
		u, err := ui.Accounts.UserByID(ctx, id)
		users[id] = u
		return u, err
	}
	out := make([]statusView, 0, len(list))
	for _, s := range list {
		v := statusView{S: s}
		if s.Reblog != nil {
			if v.SharedBy, err = user(s.AccountID); err != nil {
				return nil, err
			}
			v.S = s.Reblog
		}
		if v.Author, err = user(v.S.AccountID); err != nil {
			return nil, err
		}
		v.Content = template.HTML(v.S.Content) // social.render escapes all text; only its own anchors are HTML
		v.Favourited, v.Reblogged, v.Mine = fav[v.S.ID], rb[v.S.ID], v.S.AccountID == viewer.ID
		v.Media, v.Attribution = images[v.S.ID], credits[v.S.ID]
		out = append(out, v)
	}
	return out, nil
}

func webViewer(r *http.Request) social.Viewer {
	if a := actorOf(r); a != nil && account.StageOf(a.user, a.session) == account.StageReady {
		return social.Viewer{ID: a.user.ID}
	}
	return social.Viewer{}
}

func pageParams(r *http.Request) social.Page {
	q := r.URL.Query()
	p := social.Page{}
	p.MaxID, _ = strconv.ParseInt(q.Get("max_id"), 10, 64)
	return p
}

// renderTimeline shows a list of statuses with a link to older ones. An
// htmx request for the next page gets only the items (infinite scroll).
func (ui *UI) renderTimeline(w http.ResponseWriter, r *http.Request, status int, title string, d *timelineData, list []*social.Status, f *form) {
	views, err := ui.views(r.Context(), webViewer(r), list)
	if err != nil {
		ui.fail(w, r, err)
		return
	}
	d.Statuses, d.Visibilities = views, social.Visibilities
	if a := actorOf(r); d.Kind == "home" && a != nil && a.user.Role != account.Patient && ui.Consent != nil {
		if d.Stories, err = ui.Consent.UsableFor(r.Context(), a.user); err != nil {
			ui.fail(w, r, err)
			return
		}
	}
	if len(list) == social.DefaultLimit {
		q := r.URL.Query()
		q.Set("max_id", strconv.FormatInt(list[len(list)-1].ID, 10))
		d.OlderLink = r.URL.Path + "?" + q.Encode()
	}
	if f == nil {
		f = &form{values: map[string]string{"visibility": string(social.Public)}, errors: map[string]string{}}
	}
	part := "layout.html"
	if r.Header.Get("HX-Request") == "true" && r.URL.Query().Get("max_id") != "" {
		part = "items"
	}
	ui.renderPart(w, r, status, "timeline", part, &page{Title: title, Data: d, Form: f})
}

func (ui *UI) homeTimeline(w http.ResponseWriter, r *http.Request) {
	list, err := ui.Social.Home(r.Context(), webViewer(r), pageParams(r))
	if err != nil {
		ui.fail(w, r, err)
		return
	}
	ui.renderTimeline(w, r, http.StatusOK, "Home", &timelineData{Kind: "home", Heading: "Home"}, list, nil)
}

func (ui *UI) publicTimeline(w http.ResponseWriter, r *http.Request) {
	list, err := ui.Social.Public(r.Context(), webViewer(r), pageParams(r))
	if err != nil {
		ui.fail(w, r, err)
		return
	}
	ui.renderTimeline(w, r, http.StatusOK, "Public posts", &timelineData{Kind: "public", Heading: "Public posts on Rounds"}, list, nil)
}

func (ui *UI) tagTimeline(w http.ResponseWriter, r *http.Request) {
	tag := r.PathValue("tag")
	list, err := ui.Social.Tag(r.Context(), webViewer(r), tag, pageParams(r))
	if err != nil {
		ui.fail(w, r, err)
		return
	}
	ui.renderTimeline(w, r, http.StatusOK, "#"+tag, &timelineData{Kind: "tag", Heading: "#" + strings.ToLower(tag)}, list, nil)
}

func (ui *UI) profile(w http.ResponseWriter, r *http.Request) {
	u, err := ui.Accounts.UserByUsername(r.Context(), r.PathValue("username"))
	if err != nil || u.Suspended {
		ui.fail(w, r, errs.NotFound("There is no account with this name."))
		return
	}
	viewer := webViewer(r)
	list, err := ui.Social.Account(r.Context(), viewer, u.ID, pageParams(r), social.AccountOptions{})
	if err != nil {
		ui.fail(w, r, err)
		return
	}
	pv := &profileView{User: u, Self: viewer.ID == u.ID}
	if pv.Counts, err = ui.Social.AccountCounts(r.Context(), u.ID); err != nil {
		ui.fail(w, r, err)
		return
	}
	if viewer.ID != 0 {
		if pv.Rel, err = ui.Social.Relationship(r.Context(), viewer.ID, u.ID); err != nil {
			ui.fail(w, r, err)
			return
		}
	}
	ui.renderTimeline(w, r, http.StatusOK, u.Name(), &timelineData{Kind: "account", Heading: u.Name(), Profile: pv}, list, nil)
}

func (ui *UI) thread(w http.ResponseWriter, r *http.Request) {
	ui.threadPage(w, r, http.StatusOK, nil)
}

func (ui *UI) threadPage(w http.ResponseWriter, r *http.Request, status int, f *form) {
	ui.threadPageWith(w, r, status, f, nil)
}

func (ui *UI) threadPageWith(w http.ResponseWriter, r *http.Request, status int, f *form, gv *guardView) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	viewer := webViewer(r)
	st, err := ui.Social.Status(r.Context(), viewer, id)
	if err != nil {
		ui.fail(w, r, err)
		return
	}
	anc, desc, err := ui.Social.Context(r.Context(), viewer, id)
	if err != nil {
		ui.fail(w, r, err)
		return
	}
	all := append(append(anc, st), desc...)
	views, err := ui.views(r.Context(), viewer, all)
	if err != nil {
		ui.fail(w, r, err)
		return
	}
	d := &timelineData{Kind: "thread", Thread: views, Focus: st.ID, Visibilities: social.Visibilities, Guard: gv}
	for i := range views {
		if views[i].S.ID == st.ID {
			d.ReplyTo = &views[i]
		}
	}
	if f == nil {
		f = &form{values: map[string]string{"visibility": string(st.Visibility), "status": replyMentions(d.ReplyTo, viewer)},
			errors: map[string]string{}}
	}
	ui.render(w, r, status, "thread", &page{Title: "Post by " + d.ReplyTo.Author.Name(), Data: d, Form: f})
}

// replyMentions starts a reply with the author's @name, as clients do.
func replyMentions(v *statusView, viewer social.Viewer) string {
	if v == nil || v.Author.ID == viewer.ID {
		return ""
	}
	return "@" + v.Author.Username + " "
}

// composed reads the composer's fields.
func composed(f *form) social.NewStatus {
	in := social.NewStatus{Text: f.Value("status"), Visibility: social.Visibility(f.Value("visibility")),
		Summary: f.Value("spoiler_text"), Title: f.Value("title"), Kind: social.Kind(f.Value("kind"))}
	in.InReplyToID, _ = strconv.ParseInt(f.Value("in_reply_to_id"), 10, 64)
	return in
}

// composeBack shows the composer again with what was typed, the problems
// and, when the guard spoke, its findings highlighted in the text.
func (ui *UI) composeBack(w http.ResponseWriter, r *http.Request, f *form, in social.NewStatus, status int, gv *guardView) {
	if in.InReplyToID != 0 {
		r.SetPathValue("id", strconv.FormatInt(in.InReplyToID, 10))
		ui.threadPageWith(w, r, status, f, gv)
		return
	}
	list, err := ui.Social.Home(r.Context(), webViewer(r), social.Page{})
	if err != nil {
		ui.fail(w, r, err)
		return
	}
	d := &timelineData{Kind: "home", Heading: "Home", Guard: gv}
	if f.Value("preview") != "" && status == http.StatusOK {
		html, err := ui.Social.Preview(r.Context(), in.Text)
		if err != nil {
			ui.fail(w, r, err)
			return
		}
		d.Preview = template.HTML(html)
	}
	ui.renderTimeline(w, r, status, "Home", d, list, f)
}

// compose publishes from the web composer. On any refusal the page comes
// back with the text kept and the problem beside the field. "Check" runs the
// guard without publishing; a patient whose post the guard warns about sees
// the warnings first and publishes with "Publish anyway".
func (ui *UI) compose(w http.ResponseWriter, r *http.Request) {
	if !ui.parseForm(w, r) {
		return
	}
	f := newForm(r, "status", "visibility", "spoiler_text", "in_reply_to_id", "title", "kind", "preview", "alt", "check", "confirm",
		"authorization_id")
	in := composed(f)
	back := func(status int, gv *guardView) { ui.composeBack(w, r, f, in, status, gv) }
	if f.Value("preview") != "" {
		back(http.StatusOK, nil)
		return
	}
	actor := actorOf(r).actor()
	if f.Value("check") != "" || (f.Value("confirm") == "" && actor.User.Role == account.Patient) {
		if err := in.Validate(); err != nil {
			back(f.fail(err), nil)
			return
		}
		fs, err := ui.Publish.Check(r.Context(), actor, in)
		if err != nil {
			ui.fail(w, r, err)
			return
		}
		if f.Value("check") != "" || len(fs) > 0 {
			gv, err := ui.guardView(r, in, f.Value("alt"), fs)
			if err != nil {
				ui.fail(w, r, err)
				return
			}
			gv.Confirm = !gv.Blocked && len(fs) > 0
			back(http.StatusOK, gv)
			return
		}
	}
	if file, _, err := r.FormFile("image"); err == nil {
		img, err := ui.Media.Upload(r.Context(), actorOf(r).user, file, r.PostFormValue("alt"))
		file.Close()
		if err != nil {
			if fe := errs.FieldMessage(err, "file"); fe != "" {
				f.errors["image"] = fe
			} else if fe := errs.FieldMessage(err, "description"); fe != "" {
				f.errors["alt"] = fe
			} else {
				f.fail(err)
			}
			back(errs.Status(err), nil)
			return
		}
		in.MediaIDs = []int64{img.ID}
	}
	var res *publish.Result
	var err error
	if story, _ := strconv.ParseInt(f.Value("authorization_id"), 10, 64); story != 0 {
		res, err = ui.Publish.SubmitStory(r.Context(), actor, in, story)
	} else {
		res, err = ui.Publish.Submit(r.Context(), actor, in)
	}
	if err != nil {
		var blocked *publish.BlockedError
		if errors.As(err, &blocked) {
			f.Error = "This post cannot be published as it is. Edit the highlighted words, or ask a compliance officer to release it."
			gv, gerr := ui.guardView(r, in, f.Value("alt"), blocked.Findings)
			if gerr != nil {
				ui.fail(w, r, gerr)
				return
			}
			back(http.StatusUnprocessableEntity, gv)
			return
		}
		status := f.fail(err)
		if status >= 500 {
			ui.fail(w, r, err)
			return
		}
		back(status, nil)
		return
	}
	if in.InReplyToID != 0 {
		http.Redirect(w, r, "/@"+actorOf(r).user.Username+"/"+strconv.FormatInt(res.Status.ID, 10), http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/home", http.StatusSeeOther)
}

// guardView builds the composer's view of findings, with the organizations
// that could release a blocked draft.
func (ui *UI) guardView(r *http.Request, in social.NewStatus, alt string, fs []publish.Finding) (*guardView, error) {
	gv := newGuardView(in, alt, fs)
	if gv.Blocked {
		orgs, err := ui.Publish.ReleaseOrgs(r.Context(), actorOf(r).actor())
		if err != nil {
			return nil, err
		}
		gv.Orgs = orgs
	}
	return gv, nil
}

// statusButton runs a favourite/share/delete action and returns to the page.
func (ui *UI) statusButton(fn func(context.Context, *account.User, int64) (*social.Status, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !ui.parseForm(w, r) {
			return
		}
		id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if _, err := fn(r.Context(), actorOf(r).user, id); err != nil {
			ui.fail(w, r, err)
			return
		}
		http.Redirect(w, r, safeNext(r.PostFormValue("next")), http.StatusSeeOther)
	}
}

// graphButton runs a follow/block/mute action and returns to the profile.
func (ui *UI) graphButton(fn func(context.Context, *account.User, int64) (social.Relationship, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !ui.parseForm(w, r) {
			return
		}
		u, err := ui.Accounts.UserByUsername(r.Context(), r.PathValue("username"))
		if err == nil {
			_, err = fn(r.Context(), actorOf(r).user, u.ID)
		}
		if err != nil {
			ui.fail(w, r, err)
			return
		}
		http.Redirect(w, r, "/@"+url.PathEscape(u.Username), http.StatusSeeOther)
	}
}

func (ui *UI) socialRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /home", ui.requireReady(ui.homeTimeline))
	mux.HandleFunc("GET /public", ui.withUser(ui.publicTimeline))
	mux.HandleFunc("GET /tags/{tag}", ui.withUser(ui.tagTimeline))
	mux.HandleFunc("POST /statuses", ui.requireReady(ui.compose))
	ui.complianceRoutes(mux)
	mux.HandleFunc("POST /statuses/{id}/favourite", ui.requireReady(ui.statusButton(ui.Social.Favourite)))
	mux.HandleFunc("POST /statuses/{id}/unfavourite", ui.requireReady(ui.statusButton(ui.Social.Unfavourite)))
	mux.HandleFunc("POST /statuses/{id}/reblog", ui.requireReady(ui.statusButton(ui.Social.Reblog)))
	mux.HandleFunc("POST /statuses/{id}/unreblog", ui.requireReady(ui.statusButton(ui.Social.Unreblog)))
	mux.HandleFunc("POST /statuses/{id}/delete", ui.requireReady(ui.statusButton(ui.Social.DeleteStatus)))
	for _, verb := range []string{"follow", "unfollow", "block", "unblock", "mute", "unmute"} {
		fn := map[string]func(context.Context, *account.User, int64) (social.Relationship, error){
			"follow": ui.Social.Follow, "unfollow": ui.Social.Unfollow, "block": ui.Social.Block,
			"unblock": ui.Social.Unblock, "mute": ui.Social.Mute, "unmute": ui.Social.Unmute}[verb]
		mux.HandleFunc("POST /accounts/{username}/"+verb, ui.requireReady(ui.graphButton(fn)))
	}
}

// atPath serves Mastodon-style addresses, which ServeMux patterns cannot
// express because "@name" is part of a segment: /@name is a profile and
// /@name/123 a thread. It reports whether it handled the request.
func (ui *UI) atPath(w http.ResponseWriter, r *http.Request) bool {
	rest, ok := strings.CutPrefix(r.URL.Path, "/@")
	if !ok || r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	name, id, two := strings.Cut(rest, "/")
	if name == "" || strings.Contains(id, "/") {
		return false
	}
	r.SetPathValue("username", name)
	if !two {
		ui.withUser(ui.profile)(w, r)
		return true
	}
	if _, err := strconv.ParseInt(id, 10, 64); err != nil {
		return false
	}
	r.SetPathValue("id", id)
	ui.withUser(ui.thread)(w, r)
	return true
}
