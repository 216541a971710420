package api

import (
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/errs"
)

// Discovery documents for other servers and for clients that start from an
// address like @amara@rounds.example: WebFinger (RFC 7033), host-meta
// (RFC 6415) and NodeInfo 2.0. They live outside /api/ and are public.

func (a *API) wellKnownRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /.well-known/webfinger", allowOtherOrigins(a.webfinger))
	mux.HandleFunc("GET /.well-known/host-meta", allowOtherOrigins(hostMeta))
	mux.HandleFunc("GET /.well-known/nodeinfo", allowOtherOrigins(nodeInfoLinks))
	mux.HandleFunc("GET /nodeinfo/2.0", allowOtherOrigins(a.nodeInfo))
}

// writeDocument answers with v as JSON of the given media type.
func writeDocument(w http.ResponseWriter, contentType string, v any) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Cache-Control", "public, max-age=180")
	_ = json.NewEncoder(w).Encode(v)
}

// WebFinger.

type jrdLink struct {
	Rel  string `json:"rel"`
	Type string `json:"type,omitempty"`
	Href string `json:"href"`
}

type jrdJSON struct {
	Subject string    `json:"subject"`
	Aliases []string  `json:"aliases"`
	Links   []jrdLink `json:"links"`
}

// resourceUser reads a WebFinger resource naming an account: acct:name@host,
// name@host, or a profile URL https://host/@name. ok is false for anything else.
func resourceUser(resource string) (name, host string, ok bool) {
	if strings.HasPrefix(resource, "https://") || strings.HasPrefix(resource, "http://") {
		u, err := url.Parse(resource)
		if err != nil || u.Host == "" {
			return "", "", false
		}
		name, ok = strings.CutPrefix(u.Path, "/@")
		return name, u.Host, ok && name != "" && !strings.Contains(name, "/")
	}
	name, host, ok = strings.Cut(strings.TrimPrefix(resource, "acct:"), "@")
	return name, host, ok && name != "" && host != "" && !strings.Contains(name, ":") && !strings.ContainsAny(host, "@/ ")
}

func (a *API) webfinger(w http.ResponseWriter, r *http.Request) {
	name, host, ok := resourceUser(strings.TrimSpace(r.URL.Query().Get("resource")))
	if !ok {
		writeJSON(w, http.StatusBadRequest, errorBody{Error: "Give the resource as acct:username@host."})
		return
	}
	var u *account.User
	var err error
	if strings.EqualFold(host, domain(r)) {
		u, err = a.Accounts.UserByUsername(r.Context(), name)
	}
	if err != nil && !errs.Is(err, errs.KindNotFound) {
		writeError(w, r, a.Log, err)
		return
	}
	if u == nil || u.Suspended { // unknown here, or on another server
		writeError(w, r, a.Log, errs.NotFound("Record not found"))
		return
	}
	o := origin(r)
	profile, apiAccount := o+"/@"+u.Username, o+"/api/v1/accounts/"+strconv.FormatInt(u.ID, 10)
	writeDocument(w, "application/jrd+json; charset=utf-8", jrdJSON{
		Subject: "acct:" + u.Username + "@" + domain(r),
		Aliases: []string{profile, apiAccount},
		Links: []jrdLink{
			{Rel: "http://webfinger.net/rel/profile-page", Type: "text/html", Href: profile},
			// Not application/activity+json: there is no ActivityPub actor
			// until federation, and fediverse servers look for that type only.
			{Rel: "self", Type: "application/json", Href: apiAccount},
		},
	})
}

// hostMeta points older clients at WebFinger.
func hostMeta(w http.ResponseWriter, r *http.Request) {
	var tmpl strings.Builder
	_ = xml.EscapeText(&tmpl, []byte(origin(r)+"/.well-known/webfinger?resource={uri}"))
	w.Header().Set("Content-Type", "application/xrd+xml; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=180")
	_, _ = w.Write([]byte(xml.Header + `<XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0">` + "\n" +
		`  <Link rel="lrdd" template="` + tmpl.String() + `"/>` + "\n</XRD>\n"))
}

// NodeInfo.

const nodeInfoSchema = "http://nodeinfo.diaspora.software/ns/schema/2.0"

func nodeInfoLinks(w http.ResponseWriter, r *http.Request) {
	writeDocument(w, "application/json; charset=utf-8", map[string][]map[string]string{
		"links": {{"rel": nodeInfoSchema, "href": origin(r) + "/nodeinfo/2.0"}},
	})
}

type nodeInfoJSON struct {
	Version  string `json:"version"`
	Software struct {
		Name    string `json:"name"`
		Version string `json:"version"`
	} `json:"software"`
	Protocols []string `json:"protocols"` // none until federation
	Services  struct {
		Inbound  []string `json:"inbound"`
		Outbound []string `json:"outbound"`
	} `json:"services"`
	OpenRegistrations bool `json:"openRegistrations"`
	Usage             struct {
		Users struct {
			Total          int `json:"total"`
			ActiveMonth    int `json:"activeMonth"`
			ActiveHalfyear int `json:"activeHalfyear"`
		} `json:"users"`
		LocalPosts int `json:"localPosts"`
	} `json:"usage"`
	Metadata map[string]string `json:"metadata"`
}

func (a *API) nodeInfo(w http.ResponseWriter, r *http.Request) {
	c, err := a.instanceCounts(r)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	j := nodeInfoJSON{Version: "2.0", Protocols: []string{}, OpenRegistrations: true,
		Metadata: map[string]string{"nodeName": instanceTitle, "nodeDescription": instanceDescription}}
	j.Software.Name, j.Software.Version = "rounds", roundsVersion
	j.Services.Inbound, j.Services.Outbound = []string{}, []string{}
	j.Usage.Users.Total, j.Usage.Users.ActiveMonth, j.Usage.Users.ActiveHalfyear = c.users, c.usage.ActiveMonth, c.usage.ActiveHalfyear
	j.Usage.LocalPosts = c.usage.Statuses
	writeDocument(w, `application/json; profile="`+nodeInfoSchema+`#"; charset=utf-8`, j)
}
