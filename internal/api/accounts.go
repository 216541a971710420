package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/rounds-health/rounds/internal/account"
)

// Account is Mastodon's Account entity, with Rounds' healthcare fields in
// an extra "rounds" object that Mastodon clients ignore.
type Account struct {
	ID             string        `json:"id"`
	Username       string        `json:"username"`
	Acct           string        `json:"acct"`
	DisplayName    string        `json:"display_name"`
	Locked         bool          `json:"locked"`
	Bot            bool          `json:"bot"`
	Discoverable   bool          `json:"discoverable"`
	Group          bool          `json:"group"`
	CreatedAt      string        `json:"created_at"`
	Note           string        `json:"note"`
	URL            string        `json:"url"`
	Avatar         string        `json:"avatar"`
	AvatarStatic   string        `json:"avatar_static"`
	Header         string        `json:"header"`
	HeaderStatic   string        `json:"header_static"`
	FollowersCount int           `json:"followers_count"`
	FollowingCount int           `json:"following_count"`
	StatusesCount  int           `json:"statuses_count"`
	LastStatusAt   *string       `json:"last_status_at"`
	Emojis         []any         `json:"emojis"`
	Fields         []any         `json:"fields"`
	Source         *Source       `json:"source,omitempty"`
	Rounds         RoundsAccount `json:"rounds"`
}

// Source is the editable profile, returned to its owner only.
type Source struct {
	Note      string `json:"note"`
	Privacy   string `json:"privacy"`
	Sensitive bool   `json:"sensitive"`
	Language  string `json:"language"`
	Fields    []any  `json:"fields"`
}

// RoundsAccount carries the healthcare fields.
type RoundsAccount struct {
	Role     string `json:"role"`
	Verified bool   `json:"verified"`
}

func accountJSON(r *http.Request, u *account.User) Account {
	origin := origin(r)
	avatar := origin + "/static/avatar.svg"
	return Account{
		ID: strconv.FormatInt(u.ID, 10), Username: u.Username, Acct: u.Username, DisplayName: u.DisplayName,
		Discoverable: u.Role != account.Patient, CreatedAt: u.CreatedAt.UTC().Truncate(24 * time.Hour).Format("2006-01-02T15:04:05.000Z"),
		Note: htmlParagraph(u.Bio), URL: origin + "/@" + u.Username, Avatar: avatar, AvatarStatic: avatar,
		Header: origin + "/static/header.svg", HeaderStatic: origin + "/static/header.svg",
		Emojis: []any{}, Fields: []any{}, Rounds: RoundsAccount{Role: string(u.Role), Verified: u.Verified},
	}
}

func (a *API) verifyCredentials(w http.ResponseWriter, r *http.Request) {
	u := grantOf(r.Context()).user
	acc := accountJSON(r, u)
	acc.Source = &Source{Note: u.Bio, Privacy: "public", Language: "en", Fields: []any{}}
	writeJSON(w, http.StatusOK, acc)
}

func (a *API) updateCredentials(w http.ResponseWriter, r *http.Request) {
	p, ok := a.params(w, r)
	if !ok {
		return
	}
	u := grantOf(r.Context()).user
	name, note := u.DisplayName, u.Bio
	if v, ok := p["display_name"]; ok {
		name = v
	}
	if v, ok := p["note"]; ok {
		note = v
	}
	updated, err := a.Accounts.UpdateProfile(r.Context(), account.Actor{User: u, Via: "api"}, name, note)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	acc := accountJSON(r, updated)
	acc.Source = &Source{Note: updated.Bio, Privacy: "public", Language: "en", Fields: []any{}}
	writeJSON(w, http.StatusOK, acc)
}
