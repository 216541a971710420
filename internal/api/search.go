package api

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/social"
)

// GET /api/v2/search, as Mastodon answers it: accounts and hashtags for
// anyone; statuses for signed-in people only, and only those they may read.

func (a *API) searchRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v2/search", a.searchAuth(a.search))
}

// searchAuth accepts no token, or a user token with read or read:search.
// An empty "Bearer " header is no token, as for Mastodon: some client
// libraries (go-mastodon) send one when they have no token.
func (a *API) searchAuth(h http.HandlerFunc) http.HandlerFunc {
	authed := a.auth("read:search", h)
	return func(w http.ResponseWriter, r *http.Request) {
		if strings.TrimSpace(strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer")) == "" {
			h(w, r)
			return
		}
		authed(w, r)
	}
}

// searchRequest is a parsed search: what to look for and where.
type searchRequest struct {
	q                             string
	accounts, statuses, hashtags  bool
	limit, offset                 int
	accountID, maxID, minID       int64
	offsetGiven, resolveRequested bool
}

// parseSearch reads Mastodon's parameters. A missing q is Mastodon's 400;
// other bad values are 422 naming the parameter.
func parseSearch(q url.Values) (searchRequest, error) {
	s := searchRequest{q: strings.TrimSpace(q.Get("q")), offsetGiven: q.Get("offset") != "", resolveRequested: truthy(q.Get("resolve"))}
	if s.q == "" {
		return s, &httpError{http.StatusBadRequest, "param is missing or the value is empty: q"}
	}
	switch t := q.Get("type"); t {
	case "":
		s.accounts, s.statuses, s.hashtags = true, true, true
	case "accounts", "statuses", "hashtags":
		s.accounts, s.statuses, s.hashtags = t == "accounts", t == "statuses", t == "hashtags"
	default:
		return s, errs.Invalid("type", "type must be accounts, statuses or hashtags.")
	}
	for _, p := range []struct {
		name string
		dst  *int
		min  int
	}{{"limit", &s.limit, 1}, {"offset", &s.offset, 0}} {
		if v := q.Get(p.name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < p.min {
				return s, errs.Invalid(p.name, p.name+" must be a whole number of at least "+strconv.Itoa(p.min)+".")
			}
			*p.dst = n
		}
	}
	for _, p := range []struct {
		name string
		dst  *int64
	}{{"account_id", &s.accountID}, {"max_id", &s.maxID}, {"min_id", &s.minID}} {
		if v := q.Get(p.name); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n <= 0 {
				return s, errs.Invalid(p.name, p.name+" must be an id.")
			}
			*p.dst = n
		}
	}
	s.limit = min(s.limit, social.MaxLimit) // Mastodon clamps rather than refuses
	return s, nil
}

// truthy reads a boolean parameter as Rails does: anything but a false word is true.
func truthy(v string) bool {
	return v != "" && !slices.Contains([]string{"false", "0", "f", "off", "no"}, strings.ToLower(v))
}

// narrow applies Mastodon's reading of the query: "#flu" looks for hashtags
// (and, with more words, statuses), "@name" or "name@host" for accounts, and
// a signed-out search never looks at statuses.
func (s *searchRequest) narrow(signedIn bool) {
	hasAt, hasSpace := strings.Contains(s.q, "@"), strings.Contains(s.q, " ")
	if strings.HasPrefix(s.q, "#") || (hasAt && hasSpace) {
		s.accounts = false
	}
	if hasAt {
		s.hashtags = false
	}
	if !signedIn || ((strings.HasPrefix(s.q, "#") || hasAt) && !hasSpace) {
		s.statuses = false
	}
}

// accountQuery is the username or name to look for; ok is false for an
// address on another server, which Rounds cannot resolve before federation.
func accountQuery(q, localDomain string) (string, bool) {
	q = strings.TrimPrefix(q, "@")
	name, host, found := strings.Cut(q, "@")
	if !found {
		return q, true
	}
	return name, strings.EqualFold(host, localDomain)
}

type tagHistoryJSON struct {
	Day      string `json:"day"`
	Uses     string `json:"uses"`
	Accounts string `json:"accounts"`
}

type hashtagJSON struct {
	Name      string           `json:"name"`
	URL       string           `json:"url"`
	History   []tagHistoryJSON `json:"history"`
	Following *bool            `json:"following,omitempty"` // for a signed-in viewer; Rounds has no tag follows yet
}

type searchResultsJSON struct {
	Accounts []Account     `json:"accounts"`
	Statuses []statusJSON  `json:"statuses"`
	Hashtags []hashtagJSON `json:"hashtags"`
}

func (a *API) search(w http.ResponseWriter, r *http.Request) {
	s, err := parseSearch(r.URL.Query())
	if err != nil {
		a.writeSearchError(w, r, err)
		return
	}
	viewer := viewerOf(r)
	if viewer.ID == 0 && s.offsetGiven {
		writeError(w, r, a.Log, errs.Unauthorized("Search queries pagination is not supported without authentication"))
		return
	}
	if viewer.ID == 0 && s.resolveRequested {
		writeError(w, r, a.Log, errs.Unauthorized("Search queries that resolve remote resources are not supported without authentication"))
		return
	}
	if s.accountID != 0 {
		if _, err := a.Accounts.UserByID(r.Context(), s.accountID); err != nil {
			writeError(w, r, a.Log, errs.NotFound("Record not found"))
			return
		}
	}
	s.narrow(viewer.ID != 0)
	out := searchResultsJSON{Accounts: []Account{}, Statuses: []statusJSON{}, Hashtags: []hashtagJSON{}}
	for _, find := range []func(*http.Request, searchRequest, *searchResultsJSON) error{a.searchAccounts, a.searchHashtags, a.searchStatuses} {
		if err := find(r, s, &out); err != nil {
			writeError(w, r, a.Log, err)
			return
		}
	}
	writeJSON(w, http.StatusOK, out)
}

func (a *API) writeSearchError(w http.ResponseWriter, r *http.Request, err error) {
	if he, ok := err.(*httpError); ok {
		writeJSON(w, he.status, errorBody{Error: he.msg})
		return
	}
	writeError(w, r, a.Log, err)
}

func (a *API) searchAccounts(r *http.Request, s searchRequest, out *searchResultsJSON) error {
	if !s.accounts {
		return nil
	}
	name, local := accountQuery(s.q, domain(r))
	if !local {
		return nil
	}
	users, err := a.Accounts.SearchUsers(r.Context(), name, s.limit, s.offset)
	if err != nil {
		return err
	}
	for _, u := range users {
		j, err := a.fullAccount(r, u)
		if err != nil {
			return err
		}
		out.Accounts = append(out.Accounts, j)
	}
	return nil
}

func (a *API) searchHashtags(r *http.Request, s searchRequest, out *searchResultsJSON) error {
	if !s.hashtags {
		return nil
	}
	tags, err := a.Social.SearchTags(r.Context(), s.q, s.limit, s.offset)
	if err != nil {
		return err
	}
	var following *bool
	if viewerOf(r).ID != 0 {
		following = new(bool)
	}
	for _, t := range tags {
		j := hashtagJSON{Name: t.Name, URL: origin(r) + "/tags/" + url.PathEscape(t.Name), History: []tagHistoryJSON{}, Following: following}
		for _, d := range t.History {
			j.History = append(j.History, tagHistoryJSON{Day: strconv.FormatInt(d.Day.Unix(), 10),
				Uses: strconv.Itoa(d.Uses), Accounts: strconv.Itoa(d.Accounts)})
		}
		out.Hashtags = append(out.Hashtags, j)
	}
	return nil
}

func (a *API) searchStatuses(r *http.Request, s searchRequest, out *searchResultsJSON) error {
	if !s.statuses {
		return nil
	}
	list, err := a.Social.SearchStatuses(r.Context(), viewerOf(r), social.StatusQuery{Text: s.q, AccountID: s.accountID,
		MaxID: s.maxID, MinID: s.minID, Limit: s.limit, Offset: s.offset})
	if err != nil {
		return err
	}
	rd, err := a.renderer(r, list)
	if err != nil {
		return err
	}
	for _, st := range list {
		j, err := rd.status(st)
		if err != nil {
			return err
		}
		out.Statuses = append(out.Statuses, j)
	}
	return nil
}
