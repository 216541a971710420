package api

import (
	"net/http"
	"strconv"

	"github.com/rounds-health/rounds/internal/directory"
	"github.com/rounds-health/rounds/internal/errs"
)

// Organization management for its staff, and affiliations.

type orgBody struct {
	Name        string `json:"name"`
	Kind        string `json:"kind"`
	Description string `json:"description"`
	Website     string `json:"website"`
	LogoURL     string `json:"logo_url"`
	Phone       string `json:"phone"`
	Published   *bool  `json:"published"`
}

func (b orgBody) input() directory.OrgInput {
	return directory.OrgInput{Name: b.Name, Kind: directory.OrgKind(b.Kind), Description: b.Description, Website: b.Website,
		LogoURL: b.LogoURL, Phone: b.Phone}
}

// updateOrganization changes the fields given; the others keep their value.
func (a *API) updateOrganization(w http.ResponseWriter, r *http.Request) {
	o, err := a.orgByParam(r)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	b := orgBody{Name: o.Name, Kind: string(o.Kind), Description: o.Description, Website: o.Website, LogoURL: o.LogoURL, Phone: o.Phone}
	if !a.decodeJSON(w, r, &b) {
		return
	}
	published := o.Published
	if b.Published != nil {
		published = *b.Published
	}
	o, err = a.Directory.UpdateOrganization(r.Context(), actorOf(r), o.Slug, b.input(), published)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	writeJSON(w, http.StatusOK, toOrgJSON(r, o))
}

func (a *API) removeLocation(w http.ResponseWriter, r *http.Request) {
	o, err := a.orgByParam(r)
	if err == nil {
		var id int64
		if id, err = strconv.ParseInt(r.PathValue("location_id"), 10, 64); err != nil {
			err = errs.NotFound("This organization has no such location.")
		} else {
			err = a.Directory.RemoveLocation(r.Context(), actorOf(r), o.Slug, id)
		}
	}
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{})
}

type staffJSON struct {
	AccountID   string `json:"account_id"`
	Username    string `json:"username"`
	DisplayName string `json:"display_name"`
	Role        string `json:"role"`
}

func (a *API) listStaff(w http.ResponseWriter, r *http.Request) {
	o, err := a.orgByParam(r)
	var staff []directory.StaffMember
	if err == nil {
		staff, err = a.Directory.Staff(r.Context(), actorOf(r), o.Slug)
	}
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	out := []staffJSON{}
	for _, m := range staff {
		out = append(out, staffJSON{AccountID: strconv.FormatInt(m.UserID, 10), Username: m.Username, DisplayName: m.DisplayName, Role: string(m.Role)})
	}
	writeJSON(w, http.StatusOK, out)
}

func (a *API) setStaff(w http.ResponseWriter, r *http.Request) {
	var b struct {
		Role string `json:"role"`
	}
	if !a.decodeJSON(w, r, &b) {
		return
	}
	o, err := a.orgByParam(r)
	if err == nil {
		err = a.Directory.SetMember(r.Context(), actorOf(r), o.Slug, r.PathValue("username"), directory.MemberRole(b.Role))
	}
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	a.listStaff(w, r)
}

func (a *API) removeStaff(w http.ResponseWriter, r *http.Request) {
	o, err := a.orgByParam(r)
	if err == nil {
		err = a.Directory.RemoveMember(r.Context(), actorOf(r), o.Slug, r.PathValue("username"))
	}
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	a.listStaff(w, r)
}

type affiliationOrgJSON struct {
	ClinicianID   string `json:"clinician_id"`
	ClinicianSlug string `json:"clinician_slug"`
	ClinicianName string `json:"clinician_name"`
	Title         string `json:"title,omitempty"`
	Confirmed     bool   `json:"confirmed"`
}

// listAffiliations: confirmed ones for everyone; pending requests too for the staff.
func (a *API) listAffiliations(w http.ResponseWriter, r *http.Request) {
	o, err := a.orgByParam(r)
	var affs []directory.Affiliation
	if err == nil {
		affs, err = a.Directory.OrgAffiliations(r.Context(), actorOf(r), o.Slug)
	}
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	out := []affiliationOrgJSON{}
	for _, af := range affs {
		out = append(out, affiliationOrgJSON{ClinicianID: strconv.FormatInt(af.ClinicianID, 10), ClinicianSlug: af.ClinicianSlug,
			ClinicianName: af.ClinicianName, Title: af.Title, Confirmed: af.Confirmed})
	}
	writeJSON(w, http.StatusOK, out)
}

func (a *API) affiliationAction(w http.ResponseWriter, r *http.Request, confirm bool) {
	o, err := a.orgByParam(r)
	if err == nil {
		var id int64
		if id, err = strconv.ParseInt(r.PathValue("clinician_id"), 10, 64); err != nil {
			err = errs.NotFound("There is no such affiliation.")
		} else if confirm {
			err = a.Directory.ConfirmAffiliation(r.Context(), actorOf(r), o.Slug, id)
		} else {
			err = a.Directory.EndAffiliation(r.Context(), actorOf(r), o.Slug, id)
		}
	}
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	a.listAffiliations(w, r)
}

func (a *API) confirmAffiliation(w http.ResponseWriter, r *http.Request) {
	a.affiliationAction(w, r, true)
}
func (a *API) endAffiliation(w http.ResponseWriter, r *http.Request) {
	a.affiliationAction(w, r, false)
}

func (a *API) requestAffiliation(w http.ResponseWriter, r *http.Request) {
	var b struct {
		Organization string `json:"organization"` // id or slug
		Title        string `json:"title"`
	}
	if !a.decodeJSON(w, r, &b) {
		return
	}
	slug := b.Organization
	if id, err := strconv.ParseInt(b.Organization, 10, 64); err == nil {
		o, err := a.Directory.OrganizationByID(r.Context(), actorOf(r), id)
		if err != nil {
			writeError(w, r, a.Log, errs.Invalid("organization", "No organization has this id."))
			return
		}
		slug = o.Slug
	}
	if err := a.Directory.RequestAffiliation(r.Context(), actorOf(r), slug, b.Title); err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	c, err := a.Directory.MyProfile(r.Context(), actorOf(r))
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	writeJSON(w, http.StatusAccepted, toClinicianJSON(r, c))
}
