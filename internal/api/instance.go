package api

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/rounds-health/rounds/internal/media"
	"github.com/rounds-health/rounds/internal/social"
)

// The instance as Mastodon clients read it (/api/v1/instance, /api/v2/instance).
// Values describe what Rounds does, in Mastodon's shapes: a feature Rounds
// lacks (polls, video, featured tags, push) shows as a zero limit or is left
// out, never as a promise.

const (
	instanceTitle       = "Rounds"
	instanceDescription = "A social network for healthcare: clinicians and organizations publish, patients follow and discuss."
	sourceURL           = "https://github.com/rounds-health/rounds"
	roundsVersion       = "0.1"
	// mastodonVersion is what clients parse to decide which features to use;
	// the parenthesis follows the convention of other compatible servers.
	mastodonVersion = "4.3.0 (compatible; Rounds " + roundsVersion + ")"
	// mastodonAPIVersion 1: version 2 adds grouped notifications, which Rounds does not serve.
	mastodonAPIVersion       = 1
	charactersReservedPerURL = 23
)

// supportedImageTypes are the types media.Service decodes.
var supportedImageTypes = []string{"image/jpeg", "image/png", "image/gif", "image/webp"}

func (a *API) instanceRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/instance", allowOtherOrigins(a.instanceV1))
	mux.HandleFunc("GET /api/v2/instance", allowOtherOrigins(a.instanceV2))
	a.wellKnownRoutes(mux)
	a.searchRoutes(mux)
}

// domain is the instance's host (and port, if any), from --base-url or the request.
func domain(r *http.Request) string {
	u, err := url.Parse(origin(r))
	if err != nil {
		return r.Host
	}
	return u.Host
}

// streamingURL is where Mastodon clients open /api/v1/streaming.
func streamingURL(r *http.Request) string {
	o := origin(r)
	if rest, ok := strings.CutPrefix(o, "https://"); ok {
		return "wss://" + rest
	}
	return "ws://" + strings.TrimPrefix(o, "http://")
}

type statusLimitsJSON struct {
	MaxCharacters            int `json:"max_characters"`
	MaxMediaAttachments      int `json:"max_media_attachments"`
	CharactersReservedPerURL int `json:"characters_reserved_per_url"`
}

type mediaLimitsJSON struct {
	SupportedMimeTypes  []string `json:"supported_mime_types"`
	DescriptionLimit    int      `json:"description_limit,omitempty"` // v2 only
	ImageSizeLimit      int      `json:"image_size_limit"`
	ImageMatrixLimit    int      `json:"image_matrix_limit"`
	VideoSizeLimit      int      `json:"video_size_limit"`
	VideoFrameRateLimit int      `json:"video_frame_rate_limit"`
	VideoMatrixLimit    int      `json:"video_matrix_limit"`
}

// pollLimitsJSON is all zeros: Rounds has no polls.
type pollLimitsJSON struct {
	MaxOptions             int `json:"max_options"`
	MaxCharactersPerOption int `json:"max_characters_per_option"`
	MinExpiration          int `json:"min_expiration"`
	MaxExpiration          int `json:"max_expiration"`
}

func statusLimits() statusLimitsJSON {
	return statusLimitsJSON{MaxCharacters: social.MaxNoteChars, MaxMediaAttachments: media.MaxPerStatus,
		CharactersReservedPerURL: charactersReservedPerURL}
}

func mediaLimits(withDescription bool) mediaLimitsJSON {
	m := mediaLimitsJSON{SupportedMimeTypes: supportedImageTypes, ImageSizeLimit: media.MaxBytes, ImageMatrixLimit: media.MaxPixels}
	if withDescription {
		m.DescriptionLimit = media.MaxDescription
	}
	return m
}

// instanceCounts are the numbers both versions show.
type instanceCounts struct {
	users int
	usage social.Usage
}

func (a *API) instanceCounts(r *http.Request) (instanceCounts, error) {
	users, err := a.Accounts.CountMembers(r.Context())
	if err != nil {
		return instanceCounts{}, err
	}
	usage, err := a.Social.Usage(r.Context())
	return instanceCounts{users: users, usage: usage}, err
}

// Version 2 (Mastodon 4.0 and later).

type instanceV2JSON struct {
	Domain        string            `json:"domain"`
	Title         string            `json:"title"`
	Version       string            `json:"version"`
	SourceURL     string            `json:"source_url"`
	Description   string            `json:"description"`
	Usage         instanceUsageJSON `json:"usage"`
	Thumbnail     thumbnailJSON     `json:"thumbnail"`
	Icon          []any             `json:"icon"`
	Languages     []string          `json:"languages"`
	Configuration configurationJSON `json:"configuration"`
	Registrations registrationsJSON `json:"registrations"`
	APIVersions   map[string]int    `json:"api_versions"`
	Contact       contactJSON       `json:"contact"`
	Rules         []any             `json:"rules"`
}

type instanceUsageJSON struct {
	Users struct {
		ActiveMonth int `json:"active_month"`
	} `json:"users"`
}

type thumbnailJSON struct {
	URL string `json:"url"`
}

// configurationJSON leaves out "vapid": Rounds has no Web Push, and an
// empty key would invite clients to subscribe.
type configurationJSON struct {
	URLs struct {
		Streaming      string  `json:"streaming"`
		Status         *string `json:"status"`
		About          string  `json:"about"`
		PrivacyPolicy  *string `json:"privacy_policy"`
		TermsOfService *string `json:"terms_of_service"`
	} `json:"urls"`
	Accounts struct {
		MaxFeaturedTags   int `json:"max_featured_tags"`
		MaxPinnedStatuses int `json:"max_pinned_statuses"`
	} `json:"accounts"`
	Statuses         statusLimitsJSON `json:"statuses"`
	MediaAttachments mediaLimitsJSON  `json:"media_attachments"`
	Polls            pollLimitsJSON   `json:"polls"`
	Translation      struct {
		Enabled bool `json:"enabled"`
	} `json:"translation"`
}

// registrationsJSON: sign-up is open, on the web page its url names, which
// Mastodon clients open in a browser (Rounds has no sign-up through the API).
type registrationsJSON struct {
	Enabled          bool    `json:"enabled"`
	ApprovalRequired bool    `json:"approval_required"`
	Message          *string `json:"message"`
	URL              *string `json:"url"`
}

type contactJSON struct {
	Email   string   `json:"email"`
	Account *Account `json:"account"`
}

func (a *API) instanceV2(w http.ResponseWriter, r *http.Request) {
	c, err := a.instanceCounts(r)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	o := origin(r)
	signup := o + "/signup"
	j := instanceV2JSON{Domain: domain(r), Title: instanceTitle, Version: mastodonVersion, SourceURL: sourceURL,
		Description: instanceDescription, Thumbnail: thumbnailJSON{URL: o + "/static/header.svg"}, Icon: []any{},
		Languages: []string{"en"}, Registrations: registrationsJSON{Enabled: true, URL: &signup},
		APIVersions: map[string]int{"mastodon": mastodonAPIVersion}, Rules: []any{}}
	j.Usage.Users.ActiveMonth = c.usage.ActiveMonth
	j.Configuration.URLs.Streaming, j.Configuration.URLs.About = streamingURL(r), o+"/"
	j.Configuration.Statuses, j.Configuration.MediaAttachments = statusLimits(), mediaLimits(true)
	writeJSON(w, http.StatusOK, j)
}

// Version 1 (deprecated by Mastodon 4.0, still read by many clients and libraries).

type instanceV1JSON struct {
	URI              string            `json:"uri"`
	Title            string            `json:"title"`
	ShortDescription string            `json:"short_description"`
	Description      string            `json:"description"`
	Email            string            `json:"email"`
	Version          string            `json:"version"`
	URLs             map[string]string `json:"urls"`
	Stats            struct {
		UserCount   int `json:"user_count"`
		StatusCount int `json:"status_count"`
		DomainCount int `json:"domain_count"`
	} `json:"stats"`
	Thumbnail        string   `json:"thumbnail"`
	Languages        []string `json:"languages"`
	Registrations    bool     `json:"registrations"`
	ApprovalRequired bool     `json:"approval_required"`
	InvitesEnabled   bool     `json:"invites_enabled"`
	Configuration    struct {
		Accounts struct {
			MaxFeaturedTags int `json:"max_featured_tags"`
		} `json:"accounts"`
		Statuses         statusLimitsJSON `json:"statuses"`
		MediaAttachments mediaLimitsJSON  `json:"media_attachments"`
		Polls            pollLimitsJSON   `json:"polls"`
	} `json:"configuration"`
	ContactAccount *Account `json:"contact_account"`
	Rules          []any    `json:"rules"`
}

func (a *API) instanceV1(w http.ResponseWriter, r *http.Request) {
	c, err := a.instanceCounts(r)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	j := instanceV1JSON{URI: domain(r), Title: instanceTitle, ShortDescription: instanceDescription,
		Description: instanceDescription, Version: mastodonVersion, URLs: map[string]string{"streaming_api": streamingURL(r)},
		Thumbnail: origin(r) + "/static/header.svg", Languages: []string{"en"}, Registrations: true, Rules: []any{}}
	j.Stats.UserCount, j.Stats.StatusCount = c.users, c.usage.Statuses // domain_count: no federation yet
	j.Configuration.Statuses, j.Configuration.MediaAttachments = statusLimits(), mediaLimits(false)
	writeJSON(w, http.StatusOK, j)
}
