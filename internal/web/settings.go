package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/middleware"
	"rsc.io/qr"
)

type settingsData struct {
	RecoveryLeft int
	CanDisable   bool
	Apps         []appView
}

func (ui *UI) settingsPage(w http.ResponseWriter, r *http.Request, status int, f *form, notice string) {
	a := actorOf(r)
	left := 0
	if a.user.TOTPEnabled {
		n, err := ui.Accounts.RecoveryCodesLeft(r.Context(), a.actor())
		if err != nil {
			ui.fail(w, r, err)
			return
		}
		left = n
	}
	apps, err := ui.authorizedApps(r)
	if err != nil {
		ui.fail(w, r, err)
		return
	}
	if f == nil {
		f = &form{values: map[string]string{"display_name": a.user.DisplayName, "bio": a.user.Bio}, errors: map[string]string{}}
	}
	ui.render(w, r, status, "settings", &page{Title: "Settings", Form: f, Notice: notice,
		Data: settingsData{RecoveryLeft: left, CanDisable: !a.user.Role.RequiresSecondFactor(), Apps: apps}})
}

func (ui *UI) settings(w http.ResponseWriter, r *http.Request) {
	notice := map[string]string{
		"profile":     "Your profile is saved.",
		"password":    "Your password is changed. Your other sessions were signed out.",
		"2fa":         "Two-factor sign-in is on.",
		"2fa-off":     "Two-factor sign-in is off.",
		"app-revoked": "The application can no longer use your account: its access is revoked.",
	}[r.URL.Query().Get("saved")]
	ui.settingsPage(w, r, http.StatusOK, nil, notice)
}

func (ui *UI) updateProfile(w http.ResponseWriter, r *http.Request) {
	if !ui.parseForm(w, r) {
		return
	}
	a := actorOf(r)
	f := newForm(r, "display_name", "bio")
	if _, err := ui.Accounts.UpdateProfile(r.Context(), a.actor(), f.Value("display_name"), f.Value("bio")); err != nil {
		ui.settingsPage(w, r, f.fail(err), f, "")
		return
	}
	http.Redirect(w, r, "/settings?saved=profile", http.StatusSeeOther)
}

func (ui *UI) changePassword(w http.ResponseWriter, r *http.Request) {
	if !ui.parseForm(w, r) {
		return
	}
	a := actorOf(r)
	f := newForm(r, "current_password", "new_password", "confirm_password")
	f.values["display_name"], f.values["bio"] = a.user.DisplayName, a.user.Bio
	var err error
	if f.Value("new_password") != f.Value("confirm_password") {
		f.errors["confirm_password"] = "The two new passwords differ; type the same password twice."
	} else {
		err = ui.Accounts.ChangePassword(r.Context(), a.actor(), a.session, f.Value("current_password"), f.Value("new_password"))
	}
	if ui.signedOutByLock(w, r, err) {
		return
	}
	if err != nil || len(f.errors) > 0 {
		status := http.StatusUnprocessableEntity
		if err != nil {
			status = f.fail(err)
		}
		f.values["current_password"], f.values["new_password"], f.values["confirm_password"] = "", "", ""
		ui.settingsPage(w, r, status, f, "")
		return
	}
	http.Redirect(w, r, "/settings?saved=password", http.StatusSeeOther)
}

type twoFactorData struct {
	Setup     account.TOTPSetup
	QR        template.HTML
	Grouped   string
	Required  bool
	Codes     []string
	Enabled   bool
	NewFromUp bool
}

func (ui *UI) twoFactorPage(w http.ResponseWriter, r *http.Request, status int, f *form) {
	a := actorOf(r)
	d := twoFactorData{Required: a.user.Role.RequiresSecondFactor(), Enabled: a.user.TOTPEnabled,
		NewFromUp: r.URL.Query().Get("new") == "1"}
	if !a.user.TOTPEnabled {
		setup, err := ui.Accounts.PendingTOTP(r.Context(), a.actor())
		if err != nil {
			ui.fail(w, r, err)
			return
		}
		d.Setup, d.QR, d.Grouped = setup, qrSVG(setup.URI), group(setup.Secret)
	}
	if f == nil {
		f = &form{}
	}
	ui.render(w, r, status, "settings_2fa", &page{Title: "Two-factor sign-in", Form: f, Data: d})
}

func (ui *UI) twoFactorSetup(w http.ResponseWriter, r *http.Request) {
	ui.twoFactorPage(w, r, http.StatusOK, nil)
}

func (ui *UI) twoFactorNewSecret(w http.ResponseWriter, r *http.Request) {
	if _, err := ui.Accounts.BeginTOTP(r.Context(), actorOf(r).actor()); err != nil {
		ui.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/settings/2fa", http.StatusSeeOther)
}

func (ui *UI) twoFactorConfirm(w http.ResponseWriter, r *http.Request) {
	if !ui.parseForm(w, r) {
		return
	}
	a := actorOf(r)
	f := newForm(r, "code")
	codes, err := ui.Accounts.ConfirmTOTP(r.Context(), a.actor(), a.session, f.Value("code"))
	if err != nil {
		f.values["code"] = ""
		ui.twoFactorPage(w, r, f.fail(err), f)
		return
	}
	// The session now counts as having passed the second factor: give it a
	// token nobody could have learned before.
	// If that fails the old token goes on working: still show the codes,
	// which are shown only once.
	if token, err := ui.Accounts.RotateSession(r.Context(), a.session); err != nil {
		ui.Log.Error("renew session after two-factor set-up", "err", err, "request_id", middleware.RequestID(r.Context()))
	} else {
		ui.setSessionCookie(w, token)
	}
	ui.render(w, r, http.StatusOK, "recovery_codes", &page{Title: "Your recovery codes", Data: codes,
		Notice: "Two-factor sign-in is on."})
}

func (ui *UI) regenerateCodes(w http.ResponseWriter, r *http.Request) {
	if !ui.parseForm(w, r) {
		return
	}
	a := actorOf(r)
	f := newForm(r, "password")
	codes, err := ui.Accounts.RegenerateRecoveryCodes(r.Context(), a.actor(), a.session, f.Value("password"))
	if ui.signedOutByLock(w, r, err) {
		return
	}
	if err != nil {
		f.values["password"] = ""
		f.errors["codes_password"] = f.errorsFor(err, "password")
		delete(f.errors, "password")
		ui.settingsPage(w, r, http.StatusUnprocessableEntity, f, "")
		return
	}
	ui.render(w, r, http.StatusOK, "recovery_codes", &page{Title: "Your new recovery codes", Data: codes,
		Notice: "Your old recovery codes no longer work."})
}

func (ui *UI) disableTwoFactor(w http.ResponseWriter, r *http.Request) {
	if !ui.parseForm(w, r) {
		return
	}
	a := actorOf(r)
	f := newForm(r, "password")
	err := ui.Accounts.DisableTOTP(r.Context(), a.actor(), a.session, f.Value("password"))
	if ui.signedOutByLock(w, r, err) {
		return
	}
	if err != nil {
		f.values["password"] = ""
		f.errors["disable_password"] = f.errorsFor(err, "password")
		delete(f.errors, "password")
		ui.settingsPage(w, r, http.StatusUnprocessableEntity, f, "")
		return
	}
	http.Redirect(w, r, "/settings?saved=2fa-off", http.StatusSeeOther)
}

// errorsFor records err on the form and returns the message for field,
// or the general message when the error names no field.
func (f *form) errorsFor(err error, field string) string {
	f.fail(err)
	if m := f.errors[field]; m != "" {
		return m
	}
	m := f.Error
	f.Error = ""
	return m
}

// qrSVG draws the otpauth URI as an inline SVG QR code: no image request,
// no script, nothing for the content security policy to allow.
func qrSVG(uri string) template.HTML {
	code, err := qr.Encode(uri, qr.M)
	if err != nil {
		return ""
	}
	const quiet = 4
	size := code.Size + 2*quiet
	var b strings.Builder
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" class="qr" role="img" aria-label="QR code for your authenticator app" viewBox="0 0 `)
	b.WriteString(strconv.Itoa(size) + " " + strconv.Itoa(size))
	b.WriteString(`" shape-rendering="crispEdges"><rect width="100%" height="100%" fill="#fff"/><path fill="#000" d="`)
	for y := 0; y < code.Size; y++ {
		for x := 0; x < code.Size; x++ {
			if code.Black(x, y) {
				b.WriteString("M" + strconv.Itoa(x+quiet) + " " + strconv.Itoa(y+quiet) + "h1v1h-1z")
			}
		}
	}
	b.WriteString(`"/></svg>`)
	return template.HTML(b.String()) // built only from numbers above
}

// group splits a secret in blocks of four for reading aloud or typing.
func group(s string) string {
	var parts []string
	for len(s) > 4 {
		parts = append(parts, s[:4])
		s = s[4:]
	}
	return strings.Join(append(parts, s), " ")
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

func templateEscape(s string) string { return template.HTMLEscapeString(s) }
