package api

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/drafts"
	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/media"
	"github.com/rounds-health/rounds/internal/publish"
	"github.com/rounds-health/rounds/internal/social"
)

// The Mastodon-compatible statuses, timelines and relationships.

func (a *API) socialRoutes(mux *http.ServeMux) {
	mux.HandleFunc("POST /api/v1/statuses", a.auth("write:statuses", a.postStatus))
	mux.HandleFunc("GET /api/v1/statuses/{id}", a.optionalAuth(a.getStatus))
	mux.HandleFunc("PUT /api/v1/statuses/{id}", a.auth("write:statuses", a.editStatus))
	mux.HandleFunc("DELETE /api/v1/statuses/{id}", a.auth("write:statuses", a.deleteStatus))
	mux.HandleFunc("GET /api/v1/statuses/{id}/context", a.optionalAuth(a.statusContext))
	mux.HandleFunc("GET /api/v1/statuses/{id}/history", a.optionalAuth(a.statusHistory))
	mux.HandleFunc("GET /api/v1/statuses/{id}/source", a.auth("read:statuses", a.statusSource))
	for verb, fn := range map[string]func(context.Context, *account.User, int64) (*social.Status, error){
		"favourite": a.Social.Favourite, "unfavourite": a.Social.Unfavourite, "reblog": a.Social.Reblog, "unreblog": a.Social.Unreblog,
	} {
		scope := "write:favourites"
		if strings.Contains(verb, "reblog") {
			scope = "write:statuses"
		}
		mux.HandleFunc("POST /api/v1/statuses/{id}/"+verb, a.auth(scope, a.statusAction(fn)))
	}
	mux.HandleFunc("GET /api/v1/timelines/home", a.auth("read:statuses", a.homeTimeline))
	mux.HandleFunc("GET /api/v1/timelines/public", a.optionalAuth(a.publicTimeline))
	mux.HandleFunc("GET /api/v1/timelines/tag/{hashtag}", a.optionalAuth(a.tagTimeline))
	mux.HandleFunc("GET /api/v1/accounts/lookup", a.optionalAuth(a.lookupAccount))
	mux.HandleFunc("GET /api/v1/accounts/relationships", a.auth("read:follows", a.relationships))
	mux.HandleFunc("GET /api/v1/accounts/{id}", a.optionalAuth(a.getAccount))
	mux.HandleFunc("GET /api/v1/accounts/{id}/statuses", a.optionalAuth(a.accountStatuses))
	mux.HandleFunc("GET /api/v1/accounts/{id}/followers", a.optionalAuth(a.followList(a.Social.Followers)))
	mux.HandleFunc("GET /api/v1/accounts/{id}/following", a.optionalAuth(a.followList(a.Social.Following)))
	for verb, fn := range map[string]func(context.Context, *account.User, int64) (social.Relationship, error){
		"follow": a.Social.Follow, "unfollow": a.Social.Unfollow, "block": a.Social.Block, "unblock": a.Social.Unblock,
		"mute": a.Social.Mute, "unmute": a.Social.Unmute,
	} {
		scope := "follow"
		if strings.Contains(verb, "block") {
			scope = "write:blocks"
		} else if strings.Contains(verb, "mute") {
			scope = "write:mutes"
		}
		mux.HandleFunc("POST /api/v1/accounts/{id}/"+verb, a.auth(scope, a.relationshipAction(fn)))
	}
	mux.HandleFunc("GET /api/v1/follow_requests", a.auth("read:follows", a.followRequests))
	mux.HandleFunc("POST /api/v1/follow_requests/{id}/authorize", a.auth("follow", a.answerRequest(true)))
	mux.HandleFunc("POST /api/v1/follow_requests/{id}/reject", a.auth("follow", a.answerRequest(false)))
}

// optionalAuth authenticates a bearer token when one is sent; without one
// the request reads as an anonymous visitor.
func (a *API) optionalAuth(h http.HandlerFunc) http.HandlerFunc {
	authed := a.auth("read", h)
	return func(w http.ResponseWriter, r *http.Request) {
		// Some clients send "Bearer " with no token when they have none.
		if strings.TrimSpace(strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer")) == "" {
			r.Header.Del("Authorization")
			h(w, r)
			return
		}
		authed(w, r)
	}
}

func viewerOf(r *http.Request) social.Viewer {
	if u := grantOf(r.Context()).user; u != nil {
		return social.Viewer{ID: u.ID}
	}
	return social.Viewer{}
}

func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, errs.NotFound("Record not found")
	}
	return id, nil
}

// Status JSON.

type mentionJSON struct {
	ID       string `json:"id"`
	Username string `json:"username"`
	URL      string `json:"url"`
	Acct     string `json:"acct"`
}

type tagJSON struct {
	Name string `json:"name"`
	URL  string `json:"url"`
}

type statusJSON struct {
	ID                 string        `json:"id"`
	CreatedAt          string        `json:"created_at"`
	InReplyToID        *string       `json:"in_reply_to_id"`
	InReplyToAccountID *string       `json:"in_reply_to_account_id"`
	Sensitive          bool          `json:"sensitive"`
	SpoilerText        string        `json:"spoiler_text"`
	Visibility         string        `json:"visibility"`
	Language           *string       `json:"language"`
	URI                string        `json:"uri"`
	URL                string        `json:"url"`
	RepliesCount       int           `json:"replies_count"`
	ReblogsCount       int           `json:"reblogs_count"`
	FavouritesCount    int           `json:"favourites_count"`
	EditedAt           *string       `json:"edited_at"`
	Favourited         bool          `json:"favourited"`
	Reblogged          bool          `json:"reblogged"`
	Muted              bool          `json:"muted"`
	Bookmarked         bool          `json:"bookmarked"`
	Content            string        `json:"content"`
	Text               *string       `json:"text,omitempty"`
	Reblog             *statusJSON   `json:"reblog"`
	Account            Account       `json:"account"`
	MediaAttachments   []any         `json:"media_attachments"`
	Mentions           []mentionJSON `json:"mentions"`
	Tags               []tagJSON     `json:"tags"`
	Emojis             []any         `json:"emojis"`
	Card               any           `json:"card"`
	Poll               any           `json:"poll"`
	Rounds             statusRounds  `json:"rounds"`
	Warnings           []findingJSON `json:"rounds_warnings,omitempty"`
}

// statusRounds carries what Mastodon has no field for.
type statusRounds struct {
	Kind       string `json:"kind"`
	Title      string `json:"title,omitempty"`
	Visibility string `json:"visibility"`
	// Attribution: a post published through the publishing workflow (issue 6, drafts.go).
	Attribution *attributionJSON `json:"attribution,omitempty"`
}

// findingJSON is one guard finding: which text (status, spoiler_text,
// title, media:<id>), the byte offsets in it, the type and what to do.
type findingJSON struct {
	Field         string `json:"field"`
	Start         int    `json:"start"`
	End           int    `json:"end"`
	Type          string `json:"type"`
	Text          string `json:"text"`
	Explanation   string `json:"explanation"`
	Blocking      bool   `json:"blocking"`
	NeedsApproval bool   `json:"needs_approval"`
}

func mastodonTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

func idString(v int64) *string {
	if v == 0 {
		return nil
	}
	s := strconv.FormatInt(v, 10)
	return &s
}

// renderer builds status JSON for one request, caching accounts.
type renderer struct {
	a        *API
	r        *http.Request
	accounts map[int64]*account.User
	fav, rb  map[int64]bool
	media    map[int64][]*media.Attachment
	loaded   map[int64]bool                // statuses whose images are in media (possibly none)
	credits  map[int64]*drafts.Attribution // issue 6: who prepared and approved, for the statuses in loaded
}

// renderer loads, in a few queries for the whole list, what rendering needs:
// the viewer's favourites and shares, the images and the authors and
// mentioned accounts.
func (a *API) renderer(r *http.Request, list []*social.Status) (*renderer, error) {
	rd := &renderer{a: a, r: r, loaded: map[int64]bool{}}
	var ids, people []int64
	for _, s := range list {
		for _, x := range []*social.Status{s, s.Reblog} {
			if x == nil {
				continue
			}
			ids = append(ids, x.ID)
			rd.loaded[x.ID] = true
			people = append(append(people, x.AccountID), x.Mentions...)
		}
	}
	var err error
	if rd.fav, rd.rb, err = a.Social.Flags(r.Context(), viewerOf(r), ids); err != nil {
		return nil, err
	}
	if rd.media, err = a.Media.ForStatuses(r.Context(), ids); err != nil {
		return nil, err
	}
	if rd.credits, err = a.attributions(r, ids); err != nil { // issue 6
		return nil, err
	}
	slices.Sort(people)
	rd.accounts, err = a.Accounts.UsersByIDs(r.Context(), slices.Compact(people))
	return rd, err
}

// attributions loads the workflow's attributions of a page of statuses (issue 6).
func (a *API) attributions(r *http.Request, ids []int64) (map[int64]*drafts.Attribution, error) {
	if a.Drafts == nil {
		return map[int64]*drafts.Attribution{}, nil
	}
	return a.Drafts.Attributions(r.Context(), ids)
}

func (rd *renderer) user(id int64) (*account.User, error) {
	if u, ok := rd.accounts[id]; ok {
		return u, nil
	}
	u, err := rd.a.Accounts.UserByID(rd.r.Context(), id)
	if err != nil {
		return nil, err
	}
	rd.accounts[id] = u
	return u, nil
}

func (rd *renderer) status(s *social.Status) (statusJSON, error) {
	u, err := rd.user(s.AccountID)
	if err != nil {
		return statusJSON{}, err
	}
	o := origin(rd.r)
	vis := string(s.Visibility)
	if s.Visibility == social.Members {
		vis = "private" // Mastodon clients know four values; "rounds.visibility" says members
	}
	j := statusJSON{ID: strconv.FormatInt(s.ID, 10), CreatedAt: mastodonTime(s.CreatedAt), InReplyToID: idString(s.InReplyToID),
		InReplyToAccountID: idString(s.InReplyToAccountID), Sensitive: s.Sensitive, SpoilerText: s.Summary, Visibility: vis,
		URI: o + "/@" + u.Username + "/" + strconv.FormatInt(s.ID, 10), URL: o + "/@" + u.Username + "/" + strconv.FormatInt(s.ID, 10),
		RepliesCount: s.RepliesCount, ReblogsCount: s.ReblogsCount, FavouritesCount: s.FavouritesCount,
		Favourited: rd.fav[s.ID], Reblogged: rd.rb[s.ID], Content: absolutize(s.Content, o), Account: accountJSON(rd.r, u),
		MediaAttachments: []any{}, Mentions: []mentionJSON{}, Tags: []tagJSON{}, Emojis: []any{},
		Rounds: statusRounds{Kind: string(s.Kind), Title: s.Title, Visibility: string(s.Visibility)}}
	if s.Language != "" {
		j.Language = &s.Language
	}
	if !s.EditedAt.IsZero() {
		e := mastodonTime(s.EditedAt)
		j.EditedAt = &e
	}
	for _, m := range s.Mentions {
		mu, err := rd.user(m)
		if err != nil {
			continue
		}
		j.Mentions = append(j.Mentions, mentionJSON{ID: strconv.FormatInt(mu.ID, 10), Username: mu.Username, Acct: mu.Username, URL: o + "/@" + mu.Username})
	}
	for _, t := range s.Tags {
		j.Tags = append(j.Tags, tagJSON{Name: t, URL: o + "/tags/" + url.PathEscape(t)})
	}
	if !rd.loaded[s.ID] {
		// loaded lazily for statuses rendered outside the first batch (a delete's answer)
		if m, err := rd.a.Media.ForStatuses(rd.r.Context(), []int64{s.ID}); err == nil {
			rd.media[s.ID], rd.loaded[s.ID] = m[s.ID], true
		}
		if c, err := rd.a.attributions(rd.r, []int64{s.ID}); err == nil {
			rd.credits[s.ID] = c[s.ID]
		}
	}
	if c := rd.credits[s.ID]; c != nil {
		j.Rounds.Attribution = toAttributionJSON(c)
	}
	for _, m := range rd.media[s.ID] {
		j.MediaAttachments = append(j.MediaAttachments, toMediaJSON(rd.r, m))
	}
	if s.Reblog != nil {
		inner, err := rd.status(s.Reblog)
		if err != nil {
			return j, err
		}
		j.Reblog, j.Content = &inner, ""
	}
	return j, nil
}

// absolutize makes the relative links in stored content absolute, as clients expect.
func absolutize(html, origin string) string {
	html = strings.ReplaceAll(html, `href="/@`, `href="`+origin+`/@`)
	return strings.ReplaceAll(html, `href="/tags/`, `href="`+origin+`/tags/`)
}

func (a *API) writeStatuses(w http.ResponseWriter, r *http.Request, list []*social.Status) {
	rd, err := a.renderer(r, list)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	out := []statusJSON{}
	for _, s := range list {
		j, err := rd.status(s)
		if err != nil {
			writeError(w, r, a.Log, err)
			return
		}
		out = append(out, j)
	}
	writeJSON(w, http.StatusOK, out)
}

func (a *API) writeStatus(w http.ResponseWriter, r *http.Request, status int, s *social.Status, warnings []publish.Finding) {
	rd, err := a.renderer(r, []*social.Status{s})
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	j, err := rd.status(s)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	for _, f := range warnings {
		j.Warnings = append(j.Warnings, toFindingJSON(f))
	}
	writeJSON(w, status, j)
}

// newStatus reads Mastodon's status parameters (JSON, form or multipart).
func newStatus(p map[string]string) (social.NewStatus, error) {
	in := social.NewStatus{Text: p["status"], Summary: p["spoiler_text"], Visibility: social.Visibility(p["visibility"]),
		Language: p["language"], Title: p["title"], Kind: social.Kind(p["kind"])}
	for _, v := range strings.Split(p["media_ids"], ",") {
		if v = strings.TrimSpace(v); v == "" {
			continue
		}
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return in, errs.Invalid("media_ids", "media_ids are the ids that POST /api/v2/media returned.")
		}
		in.MediaIDs = append(in.MediaIDs, id)
	}
	in.Sensitive = p["sensitive"] == "true" || p["sensitive"] == "1"
	if v := p["in_reply_to_id"]; v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return in, errs.Invalid("in_reply_to_id", "in_reply_to_id must be a status id.")
		}
		in.InReplyToID = id
	}
	return in, nil
}

// writePublishError answers a refused publication; blocked ones list the findings.
func (a *API) writePublishError(w http.ResponseWriter, r *http.Request, err error) {
	var blocked *publish.BlockedError
	if errors.As(err, &blocked) {
		first := blocked.Findings[0]
		writeJSON(w, http.StatusUnprocessableEntity, map[string]any{
			"error":    "Validation failed: this text cannot be published as it is: " + first.Explanation,
			"findings": findingsJSON(blocked.Findings),
			// The draft is not stored; a compliance officer of one of these
			// organizations can release it (POST /api/rounds/v1/holds).
			"release_by": a.releaseOrgs(r)})
		return
	}
	writeError(w, r, a.Log, err)
}

func (a *API) postStatus(w http.ResponseWriter, r *http.Request) {
	p, ok := a.params(w, r)
	if !ok {
		return
	}
	in, err := newStatus(p)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	var res *publish.Result
	if v := p["authorization_id"]; v != "" {
		// A Rounds extension: a patient story relying on the patient's signed authorization.
		story, perr := strconv.ParseInt(v, 10, 64)
		if perr != nil {
			writeError(w, r, a.Log, errs.Invalid("authorization_id", "authorization_id is the id of a signed testimonial authorization."))
			return
		}
		res, err = a.Publish.SubmitStory(r.Context(), actorOf(r), in, story)
	} else {
		res, err = a.Publish.Submit(r.Context(), actorOf(r), in)
	}
	if err != nil {
		a.writePublishError(w, r, err)
		return
	}
	a.writeStatus(w, r, http.StatusOK, res.Status, res.Warnings)
}

func (a *API) editStatus(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	p, ok := a.params(w, r)
	if !ok {
		return
	}
	in, err := newStatus(p)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	res, err := a.Publish.Edit(r.Context(), actorOf(r), id, in)
	if err != nil {
		a.writePublishError(w, r, err)
		return
	}
	a.writeStatus(w, r, http.StatusOK, res.Status, res.Warnings)
}

func (a *API) getStatus(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		var s *social.Status
		if s, err = a.Social.Status(r.Context(), viewerOf(r), id); err == nil {
			a.writeStatus(w, r, http.StatusOK, s, nil)
			return
		}
	}
	writeError(w, r, a.Log, err)
}

func (a *API) deleteStatus(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		var s *social.Status
		if s, err = a.Social.DeleteStatus(r.Context(), grantOf(r.Context()).user, id); err == nil {
			rd, rerr := a.renderer(r, nil)
			if rerr == nil {
				j, rerr := rd.status(s)
				if rerr == nil {
					j.Text = &s.Source // Mastodon returns the source so that clients can "delete and redraft"
					writeJSON(w, http.StatusOK, j)
					return
				}
			}
			err = rerr
		}
	}
	writeError(w, r, a.Log, err)
}

func (a *API) statusSource(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		var s *social.Status
		if s, err = a.Social.Status(r.Context(), viewerOf(r), id); err == nil && s.AccountID == viewerOf(r).ID {
			writeJSON(w, http.StatusOK, map[string]string{"id": strconv.FormatInt(s.ID, 10), "text": s.Source, "spoiler_text": s.Summary})
			return
		} else if err == nil {
			err = errs.Forbidden("This is not your post.")
		}
	}
	writeError(w, r, a.Log, err)
}

func (a *API) statusContext(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	anc, desc, err := a.Social.Context(r.Context(), viewerOf(r), id)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	rd, err := a.renderer(r, append(append([]*social.Status{}, anc...), desc...))
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	out := map[string][]statusJSON{"ancestors": {}, "descendants": {}}
	for key, list := range map[string][]*social.Status{"ancestors": anc, "descendants": desc} {
		for _, s := range list {
			j, err := rd.status(s)
			if err != nil {
				writeError(w, r, a.Log, err)
				return
			}
			out[key] = append(out[key], j)
		}
	}
	writeJSON(w, http.StatusOK, out)
}

func (a *API) statusHistory(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	s, err := a.Social.Status(r.Context(), viewerOf(r), id)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	edits, err := a.Social.History(r.Context(), viewerOf(r), id)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	u, err := a.Accounts.UserByID(r.Context(), s.AccountID)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	type version struct {
		Content     string  `json:"content"`
		SpoilerText string  `json:"spoiler_text"`
		Sensitive   bool    `json:"sensitive"`
		CreatedAt   string  `json:"created_at"`
		Account     Account `json:"account"`
		Media       []any   `json:"media_attachments"`
		Emojis      []any   `json:"emojis"`
	}
	out := []version{}
	for _, e := range edits {
		out = append(out, version{absolutize(e.Content, origin(r)), e.Summary, e.Sensitive, mastodonTime(e.CreatedAt), accountJSON(r, u), []any{}, []any{}})
	}
	at := s.EditedAt
	if at.IsZero() {
		at = s.CreatedAt
	}
	out = append(out, version{absolutize(s.Content, origin(r)), s.Summary, s.Sensitive, mastodonTime(at), accountJSON(r, u), []any{}, []any{}})
	writeJSON(w, http.StatusOK, out)
}

func (a *API) statusAction(fn func(context.Context, *account.User, int64) (*social.Status, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r)
		if err == nil {
			var s *social.Status
			if s, err = fn(r.Context(), grantOf(r.Context()).user, id); err == nil {
				a.writeStatus(w, r, http.StatusOK, s, nil)
				return
			}
		}
		writeError(w, r, a.Log, err)
	}
}

// Timelines.

// pageFrom reads max_id, since_id, min_id and limit.
func pageFrom(r *http.Request) (social.Page, error) {
	var p social.Page
	q := r.URL.Query()
	for name, dst := range map[string]*int64{"max_id": &p.MaxID, "since_id": &p.SinceID, "min_id": &p.MinID} {
		if v := q.Get(name); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 0 {
				return p, errs.Invalid(name, name+" must be a status id.")
			}
			*dst = n
		}
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return p, errs.Invalid("limit", "limit must be a positive whole number.")
		}
		p.Limit = n
	}
	return p, nil
}

// writeTimeline answers with a page of statuses and Mastodon's Link header.
func (a *API) writeTimeline(w http.ResponseWriter, r *http.Request, list []*social.Status, err error) {
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	if len(list) > 0 {
		base := origin(r) + r.URL.Path + "?"
		q := r.URL.Query()
		q.Del("max_id")
		q.Del("since_id")
		q.Del("min_id")
		next, prev := url.Values{}, url.Values{}
		for k, v := range q {
			next[k], prev[k] = v, v
		}
		next.Set("max_id", strconv.FormatInt(list[len(list)-1].ID, 10))
		prev.Set("min_id", strconv.FormatInt(list[0].ID, 10))
		w.Header().Set("Link", `<`+base+next.Encode()+`>; rel="next", <`+base+prev.Encode()+`>; rel="prev"`)
	}
	a.writeStatuses(w, r, list)
}

func (a *API) homeTimeline(w http.ResponseWriter, r *http.Request) {
	p, err := pageFrom(r)
	var list []*social.Status
	if err == nil {
		list, err = a.Social.Home(r.Context(), viewerOf(r), p)
	}
	a.writeTimeline(w, r, list, err)
}

func (a *API) publicTimeline(w http.ResponseWriter, r *http.Request) {
	p, err := pageFrom(r)
	var list []*social.Status
	if err == nil {
		list, err = a.Social.Public(r.Context(), viewerOf(r), p)
	}
	a.writeTimeline(w, r, list, err)
}

func (a *API) tagTimeline(w http.ResponseWriter, r *http.Request) {
	p, err := pageFrom(r)
	var list []*social.Status
	if err == nil {
		list, err = a.Social.Tag(r.Context(), viewerOf(r), r.PathValue("hashtag"), p)
	}
	a.writeTimeline(w, r, list, err)
}

func (a *API) accountStatuses(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	var p social.Page
	if err == nil {
		p, err = pageFrom(r)
	}
	var list []*social.Status
	if err == nil {
		q := r.URL.Query()
		list, err = a.Social.Account(r.Context(), viewerOf(r), id, p, social.AccountOptions{
			ExcludeReplies: q.Get("exclude_replies") == "true", ExcludeReblogs: q.Get("exclude_reblogs") == "true"})
	}
	a.writeTimeline(w, r, list, err)
}

// Accounts and relationships.

func (a *API) fullAccount(r *http.Request, u *account.User) (Account, error) {
	j := accountJSON(r, u)
	c, err := a.Social.AccountCounts(r.Context(), u.ID)
	if err != nil {
		return j, err
	}
	j.FollowersCount, j.FollowingCount, j.StatusesCount, j.Locked = c.Followers, c.Following, c.Statuses, u.Locked
	if c.LastStatusAt > 0 {
		d := time.UnixMilli(c.LastStatusAt).UTC().Format("2006-01-02")
		j.LastStatusAt = &d
	}
	return j, nil
}

func (a *API) getAccount(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	var u *account.User
	if err == nil {
		u, err = a.Accounts.UserByID(r.Context(), id)
	}
	if err == nil && u.Suspended {
		err = errs.NotFound("Record not found")
	}
	var j Account
	if err == nil {
		j, err = a.fullAccount(r, u)
	}
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	writeJSON(w, http.StatusOK, j)
}

func (a *API) lookupAccount(w http.ResponseWriter, r *http.Request) {
	acct := strings.TrimPrefix(r.URL.Query().Get("acct"), "@")
	if i := strings.Index(acct, "@"); i >= 0 {
		if acct[i+1:] != r.Host {
			writeError(w, r, a.Log, errs.NotFound("Record not found"))
			return
		}
		acct = acct[:i]
	}
	u, err := a.Accounts.UserByUsername(r.Context(), acct)
	if err == nil && u.Suspended {
		err = errs.NotFound("Record not found")
	}
	var j Account
	if err == nil {
		j, err = a.fullAccount(r, u)
	}
	if err != nil {
		writeError(w, r, a.Log, errs.NotFound("Record not found"))
		return
	}
	writeJSON(w, http.StatusOK, j)
}

func (a *API) followList(fn func(context.Context, int64, int) ([]int64, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r)
		if err == nil {
			_, err = a.Accounts.UserByID(r.Context(), id)
		}
		limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
		var ids []int64
		if err == nil {
			ids, err = fn(r.Context(), id, limit)
		}
		a.writeAccounts(w, r, ids, err)
	}
}

// writeAccounts answers with the accounts behind ids, or with err.
func (a *API) writeAccounts(w http.ResponseWriter, r *http.Request, ids []int64, err error) {
	out := []Account{}
	for _, id := range ids {
		if err != nil {
			break
		}
		var u *account.User
		if u, err = a.Accounts.UserByID(r.Context(), id); err == nil {
			out = append(out, accountJSON(r, u))
		}
	}
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

type relationshipJSON struct {
	ID                  string `json:"id"`
	Following           bool   `json:"following"`
	ShowingReblogs      bool   `json:"showing_reblogs"`
	Notifying           bool   `json:"notifying"`
	FollowedBy          bool   `json:"followed_by"`
	Blocking            bool   `json:"blocking"`
	BlockedBy           bool   `json:"blocked_by"`
	Muting              bool   `json:"muting"`
	MutingNotifications bool   `json:"muting_notifications"`
	Requested           bool   `json:"requested"`
	DomainBlocking      bool   `json:"domain_blocking"`
	Endorsed            bool   `json:"endorsed"`
	Note                string `json:"note"`
	Languages           []any  `json:"languages"`
}

func toRelationshipJSON(rel social.Relationship) relationshipJSON {
	return relationshipJSON{ID: strconv.FormatInt(rel.ID, 10), Following: rel.Following, ShowingReblogs: rel.Following,
		FollowedBy: rel.FollowedBy, Blocking: rel.Blocking, BlockedBy: rel.BlockedBy, Muting: rel.Muting,
		MutingNotifications: rel.Muting, Requested: rel.Requested, Languages: []any{}}
}

func (a *API) relationshipAction(fn func(context.Context, *account.User, int64) (social.Relationship, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r)
		var rel social.Relationship
		if err == nil {
			rel, err = fn(r.Context(), grantOf(r.Context()).user, id)
		}
		if err != nil {
			writeError(w, r, a.Log, err)
			return
		}
		writeJSON(w, http.StatusOK, toRelationshipJSON(rel))
	}
}

func (a *API) relationships(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	ids := append(q["id[]"], q["id"]...)
	if len(ids) > 100 {
		writeError(w, r, a.Log, errs.Invalid("id", "Ask for at most 100 accounts at once."))
		return
	}
	out := []relationshipJSON{}
	for _, s := range ids {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			continue
		}
		rel, err := a.Social.Relationship(r.Context(), viewerOf(r).ID, id)
		if err != nil {
			writeError(w, r, a.Log, err)
			return
		}
		out = append(out, toRelationshipJSON(rel))
	}
	writeJSON(w, http.StatusOK, out)
}

func (a *API) followRequests(w http.ResponseWriter, r *http.Request) {
	limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
	ids, err := a.Social.FollowRequests(r.Context(), grantOf(r.Context()).user, limit)
	a.writeAccounts(w, r, ids, err)
}

func (a *API) answerRequest(accept bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r)
		var rel social.Relationship
		if err == nil {
			rel, err = a.Social.AnswerFollowRequest(r.Context(), grantOf(r.Context()).user, id, accept)
		}
		if err != nil {
			writeError(w, r, a.Log, err)
			return
		}
		writeJSON(w, http.StatusOK, toRelationshipJSON(rel))
	}
}
