package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/directory"
	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/taxonomy"
)

// actorOrAnon is the signed-in actor, or an anonymous web visitor.
func actorOrAnon(r *http.Request) account.Actor {
	if a := actorOf(r); a != nil && account.StageOf(a.user, a.session) == account.StageReady {
		return a.actor()
	}
	return account.Actor{Via: "web"}
}

// Clinician profile.

type profileData struct {
	C             *directory.Clinician
	Specialties   []taxonomy.Specialty
	Languages     []directory.Language
	Chosen        map[string]bool // chosen specialty codes and languages
	Orgs          []*directory.Organization
	OrgLocations  []directory.Location
	ChosenOrgLocs map[int64]bool
}

var profileFields = []string{"first_name", "last_name", "credentials", "bio", "photo_url", "npi", "primary_specialty",
	"conditions", "license_state", "license_number", "accepting_new", "published", "loc_name", "loc_street", "loc_city",
	"loc_state", "loc_postal_code", "loc_phone", "loc_coordinates"}

// profileForm renders the profile editor. f carries what was posted (and
// its errors) when fromPost; otherwise the form shows the stored profile,
// with f's errors if any.
func (ui *UI) profileForm(w http.ResponseWriter, r *http.Request, status int, f *form, notice string, fromPost bool) {
	a := actorOf(r)
	c, err := ui.Directory.MyProfile(r.Context(), a.actor())
	if err != nil {
		ui.fail(w, r, err)
		return
	}
	d := profileData{C: c, Specialties: taxonomy.All(), Languages: directory.Languages, Chosen: map[string]bool{},
		ChosenOrgLocs: map[int64]bool{}}
	if f == nil {
		f = &form{values: map[string]string{}, errors: map[string]string{}}
	}
	if !fromPost {
		if c != nil {
			fillProfileForm(f, c, d.Chosen, d.ChosenOrgLocs)
		} else {
			f.values["first_name"], f.values["published"] = a.user.DisplayName, "on"
		}
	} else {
		for _, code := range r.PostForm["specialties"] {
			d.Chosen[code] = true
		}
		for _, l := range r.PostForm["languages"] {
			d.Chosen["lang:"+l] = true
		}
		for _, id := range r.PostForm["org_locations"] {
			n, _ := strconv.ParseInt(id, 10, 64)
			d.ChosenOrgLocs[n] = true
		}
	}
	if c != nil {
		for _, af := range c.Affiliations {
			if !af.Confirmed {
				continue
			}
			o, err := ui.Directory.Organization(r.Context(), a.actor(), af.OrgSlug)
			if err == nil {
				d.OrgLocations = append(d.OrgLocations, o.Locations...)
			}
		}
	}
	if d.Orgs, err = ui.Directory.Organizations(r.Context(), "", 1, directory.MaxPerPage); err != nil {
		ui.fail(w, r, err)
		return
	}
	ui.render(w, r, status, "profile_edit", &page{Title: "Your clinician profile", Form: f, Data: d, Notice: notice})
}

func fillProfileForm(f *form, c *directory.Clinician, chosen map[string]bool, orgLocs map[int64]bool) {
	f.values["first_name"], f.values["last_name"], f.values["credentials"] = c.FirstName, c.LastName, c.Credentials
	f.values["bio"], f.values["photo_url"], f.values["npi"] = c.Bio, c.PhotoURL, c.NPI
	f.values["conditions"] = strings.Join(c.Conditions, ", ")
	f.values["license_state"], f.values["license_number"] = c.LicenseState, c.LicenseNumber
	if c.AcceptingNew {
		f.values["accepting_new"] = "on"
	}
	if c.Published {
		f.values["published"] = "on"
	}
	for _, s := range c.Specialties {
		if s.Primary {
			f.values["primary_specialty"] = s.Code
		} else {
			chosen[s.Code] = true
		}
	}
	for _, l := range c.Languages {
		chosen["lang:"+l] = true
	}
	for _, l := range c.Locations {
		if l.OrgLocationID != 0 {
			orgLocs[l.OrgLocationID] = true
			continue
		}
		if f.values["loc_city"] == "" {
			f.values["loc_name"], f.values["loc_street"], f.values["loc_city"] = l.Name, l.Street, l.City
			f.values["loc_state"], f.values["loc_postal_code"], f.values["loc_phone"] = l.State, l.PostalCode, l.Phone
		}
	}
}

func (ui *UI) profileEdit(w http.ResponseWriter, r *http.Request) {
	notice := map[string]string{"saved": "Your profile is saved.", "submitted": "Submitted: a moderator will review your verification.",
		"affiliation": "Request sent: an owner of the organization confirms it."}[r.URL.Query().Get("done")]
	ui.profileForm(w, r, http.StatusOK, nil, notice, false)
}

func (ui *UI) profileSave(w http.ResponseWriter, r *http.Request) {
	if !ui.parseForm(w, r) {
		return
	}
	f := newForm(r, profileFields...)
	in := directory.ProfileInput{
		FirstName: f.Value("first_name"), LastName: f.Value("last_name"), Credentials: f.Value("credentials"),
		Bio: f.Value("bio"), PhotoURL: f.Value("photo_url"), NPI: f.Value("npi"),
		Languages: r.PostForm["languages"], Conditions: strings.Split(f.Value("conditions"), ","),
		AcceptingNew: f.Value("accepting_new") == "on", Published: f.Value("published") == "on",
		LicenseState: f.Value("license_state"), LicenseNumber: f.Value("license_number"),
		Locations: []directory.LocationInput{{Name: f.Value("loc_name"), Street: f.Value("loc_street"), City: f.Value("loc_city"),
			State: f.Value("loc_state"), PostalCode: f.Value("loc_postal_code"), Phone: f.Value("loc_phone"),
			Coordinates: f.Value("loc_coordinates")}},
	}
	if p := f.Value("primary_specialty"); p != "" {
		in.Specialties = append(in.Specialties, p)
	}
	in.Specialties = append(in.Specialties, r.PostForm["specialties"]...)
	for _, s := range r.PostForm["org_locations"] {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			in.OrgLocationIDs = append(in.OrgLocationIDs, n)
		}
	}
	if _, err := ui.Directory.SaveProfile(r.Context(), actorOf(r).actor(), in); err != nil {
		status := f.fail(err)
		for k, msg := range f.errors { // "locations[0].city" is shown beside the location's city field
			if rest, ok := strings.CutPrefix(k, "locations[0]."); ok {
				f.errors["loc_"+rest] = msg
			}
		}
		ui.profileForm(w, r, status, f, "", true)
		return
	}
	http.Redirect(w, r, "/settings/clinician?done=saved", http.StatusSeeOther)
}

func (ui *UI) profileSubmit(w http.ResponseWriter, r *http.Request) {
	if _, err := ui.Directory.SubmitForVerification(r.Context(), actorOf(r).actor()); err != nil {
		f := &form{values: map[string]string{}, errors: map[string]string{}}
		status := f.fail(err)
		if f.Error == "" {
			f.Error = "Verification could not start: " + errs.PublicMessage(err)
		}
		ui.profileForm(w, r, status, f, "", false)
		return
	}
	http.Redirect(w, r, "/settings/clinician?done=submitted", http.StatusSeeOther)
}

func (ui *UI) profileAffiliate(w http.ResponseWriter, r *http.Request) {
	if !ui.parseForm(w, r) {
		return
	}
	if err := ui.Directory.RequestAffiliation(r.Context(), actorOf(r).actor(), r.PostFormValue("org"), r.PostFormValue("title")); err != nil {
		ui.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/settings/clinician?done=affiliation", http.StatusSeeOther)
}
