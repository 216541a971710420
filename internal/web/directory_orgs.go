package web

import (
	"net/http"
	"strconv"

	"github.com/rounds-health/rounds/internal/directory"
)

var orgFields = []string{"name", "kind", "description", "website", "logo_url", "phone", "published"}

type orgFormData struct {
	O            *directory.Organization
	Kinds        []directory.OrgKind
	Roles        []directory.MemberRole
	Staff        []directory.StaffMember
	Affiliations []directory.Affiliation
	Policy       directory.Policy
}

func (ui *UI) myOrganizations(w http.ResponseWriter, r *http.Request) {
	orgs, roles, err := ui.Directory.MyOrganizations(r.Context(), actorOf(r).actor())
	if err != nil {
		ui.fail(w, r, err)
		return
	}
	type row struct {
		O    *directory.Organization
		Role directory.MemberRole
	}
	rows := make([]row, len(orgs))
	for i := range orgs {
		rows[i] = row{orgs[i], roles[i]}
	}
	ui.render(w, r, http.StatusOK, "org_mine", &page{Title: "My organizations", Data: rows})
}

func (ui *UI) orgNewForm(w http.ResponseWriter, r *http.Request) {
	f := &form{values: map[string]string{"kind": string(directory.Hospital)}, errors: map[string]string{}}
	ui.render(w, r, http.StatusOK, "org_new", &page{Title: "Add your organization", Form: f, Data: orgFormData{Kinds: directory.OrgKinds}})
}

func orgInput(f *form) directory.OrgInput {
	return directory.OrgInput{Name: f.Value("name"), Kind: directory.OrgKind(f.Value("kind")), Description: f.Value("description"),
		Website: f.Value("website"), LogoURL: f.Value("logo_url"), Phone: f.Value("phone")}
}

func (ui *UI) orgCreate(w http.ResponseWriter, r *http.Request) {
	if !ui.parseForm(w, r) {
		return
	}
	f := newForm(r, orgFields...)
	o, err := ui.Directory.CreateOrganization(r.Context(), actorOf(r).actor(), orgInput(f))
	if err != nil {
		ui.render(w, r, f.fail(err), "org_new", &page{Title: "Add your organization", Form: f, Data: orgFormData{Kinds: directory.OrgKinds}})
		return
	}
	http.Redirect(w, r, "/organizations/"+o.Slug+"/manage?done=created", http.StatusSeeOther)
}

// orgManagePage renders the owner's page; f, when given, holds a failed
// form's input and errors (its fields are named per form: name, loc_*, member_*).
func (ui *UI) orgManagePage(w http.ResponseWriter, r *http.Request, status int, f *form, notice string) {
	actor := actorOf(r).actor()
	slug := r.PathValue("slug")
	staff, err := ui.Directory.Staff(r.Context(), actor, slug)
	if err != nil {
		ui.fail(w, r, err)
		return
	}
	o, err := ui.Directory.Organization(r.Context(), actor, slug)
	if err != nil {
		ui.fail(w, r, err)
		return
	}
	affs, err := ui.Directory.OrgAffiliations(r.Context(), actor, slug)
	if err != nil {
		ui.fail(w, r, err)
		return
	}
	policy, err := ui.Directory.OrgPolicy(r.Context(), o.ID)
	if err != nil {
		ui.fail(w, r, err)
		return
	}
	if f == nil {
		f = &form{values: map[string]string{}, errors: map[string]string{}}
	}
	if _, posted := f.values["name"]; !posted {
		f.values["name"], f.values["kind"], f.values["description"] = o.Name, string(o.Kind), o.Description
		f.values["website"], f.values["logo_url"], f.values["phone"] = o.Website, o.LogoURL, o.Phone
		if o.Published {
			f.values["published"] = "on"
		}
	}
	ui.render(w, r, status, "org_manage", &page{Title: "Manage " + o.Name, Form: f, Notice: notice,
		Data: orgFormData{O: o, Kinds: directory.OrgKinds, Roles: directory.MemberRoles, Staff: staff, Affiliations: affs, Policy: policy}})
}

func (ui *UI) orgManage(w http.ResponseWriter, r *http.Request) {
	notice := map[string]string{"created": "Your organization is listed. Add its locations next.", "saved": "Saved."}[r.URL.Query().Get("done")]
	ui.orgManagePage(w, r, http.StatusOK, nil, notice)
}

// orgAction runs one owner action from a form and shows the page again,
// with the error beside the form's fields or a confirmation.
func (ui *UI) orgAction(fields []string, act func(r *http.Request, f *form) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !ui.parseForm(w, r) {
			return
		}
		f := newForm(r, fields...)
		if err := act(r, f); err != nil {
			status := f.fail(err)
			if status >= 500 {
				ui.fail(w, r, err)
				return
			}
			ui.orgManagePage(w, r, status, f, "")
			return
		}
		http.Redirect(w, r, "/organizations/"+r.PathValue("slug")+"/manage?done=saved", http.StatusSeeOther)
	}
}

func (ui *UI) orgRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /organizations/mine", ui.requireReady(ui.myOrganizations))
	mux.HandleFunc("GET /organizations/new", ui.requireReady(ui.orgNewForm))
	mux.HandleFunc("POST /organizations/new", ui.requireReady(ui.orgCreate))
	mux.HandleFunc("GET /organizations/{slug}/manage", ui.requireReady(ui.orgManage))
	mux.HandleFunc("POST /organizations/{slug}/manage/details", ui.requireReady(ui.orgAction(orgFields, func(r *http.Request, f *form) error {
		_, err := ui.Directory.UpdateOrganization(r.Context(), actorOf(r).actor(), r.PathValue("slug"), orgInput(f), f.Value("published") == "on")
		return err
	})))
	locFields := []string{"loc_name", "loc_street", "loc_city", "loc_state", "loc_postal_code", "loc_phone", "loc_hours", "loc_coordinates"}
	mux.HandleFunc("POST /organizations/{slug}/manage/locations", ui.requireReady(ui.orgAction(locFields, func(r *http.Request, f *form) error {
		_, err := ui.Directory.AddLocation(r.Context(), actorOf(r).actor(), r.PathValue("slug"), directory.LocationInput{
			Name: f.Value("loc_name"), Street: f.Value("loc_street"), City: f.Value("loc_city"), State: f.Value("loc_state"),
			PostalCode: f.Value("loc_postal_code"), Phone: f.Value("loc_phone"), Hours: f.Value("loc_hours"),
			Coordinates: f.Value("loc_coordinates")})
		return prefixFields(err, "loc_")
	})))
	mux.HandleFunc("POST /organizations/{slug}/manage/locations/{id}/delete", ui.requireReady(ui.orgAction(nil, func(r *http.Request, f *form) error {
		id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
		return ui.Directory.RemoveLocation(r.Context(), actorOf(r).actor(), r.PathValue("slug"), id)
	})))
	mux.HandleFunc("POST /organizations/{slug}/manage/policy", ui.requireReady(ui.orgAction([]string{"claims_need_approval"}, func(r *http.Request, f *form) error {
		return ui.Directory.SetOrgPolicy(r.Context(), actorOf(r).actor(), r.PathValue("slug"),
			directory.Policy{ClaimsNeedApproval: f.Value("claims_need_approval") != ""})
	})))
	mux.HandleFunc("POST /organizations/{slug}/manage/staff", ui.requireReady(ui.orgAction([]string{"member_username", "member_role"}, func(r *http.Request, f *form) error {
		return prefixFields(ui.Directory.SetMember(r.Context(), actorOf(r).actor(), r.PathValue("slug"), f.Value("member_username"),
			directory.MemberRole(f.Value("member_role"))), "member_")
	})))
	mux.HandleFunc("POST /organizations/{slug}/manage/staff/{username}/delete", ui.requireReady(ui.orgAction(nil, func(r *http.Request, f *form) error {
		return ui.Directory.RemoveMember(r.Context(), actorOf(r).actor(), r.PathValue("slug"), r.PathValue("username"))
	})))
	mux.HandleFunc("POST /organizations/{slug}/manage/affiliations/{id}/confirm", ui.requireReady(ui.orgAction(nil, func(r *http.Request, f *form) error {
		id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
		return ui.Directory.ConfirmAffiliation(r.Context(), actorOf(r).actor(), r.PathValue("slug"), id)
	})))
	mux.HandleFunc("POST /organizations/{slug}/manage/affiliations/{id}/end", ui.requireReady(ui.orgAction(nil, func(r *http.Request, f *form) error {
		id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
		return ui.Directory.EndAffiliation(r.Context(), actorOf(r).actor(), r.PathValue("slug"), id)
	})))
}

// prefixFields renames an error's fields so that they land beside the
// right form on a page with several forms.
func prefixFields(err error, prefix string) error {
	if e := errsAs(err); e != nil {
		for i := range e.Fields {
			e.Fields[i].Field = prefix + e.Fields[i].Field
		}
	}
	return err
}

// Moderation.

type queueData struct{ Queue []*directory.Clinician }

func (ui *UI) verificationQueue(w http.ResponseWriter, r *http.Request) {
	ui.queuePage(w, r, http.StatusOK, nil, map[string]string{"approved": "Verified.", "rejected": "Marked as not verified."}[r.URL.Query().Get("done")])
}

func (ui *UI) queuePage(w http.ResponseWriter, r *http.Request, status int, f *form, notice string) {
	q, err := ui.Directory.VerificationQueue(r.Context(), actorOf(r).actor())
	if err != nil {
		ui.fail(w, r, err)
		return
	}
	if f == nil {
		f = &form{values: map[string]string{}, errors: map[string]string{}}
	}
	ui.render(w, r, status, "moderation_verifications", &page{Title: "Verification queue", Form: f, Notice: notice, Data: queueData{Queue: q}})
}

func (ui *UI) verificationDecide(w http.ResponseWriter, r *http.Request) {
	if !ui.parseForm(w, r) {
		return
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	f := newForm(r, "note", "decision")
	approve := f.Value("decision") == "approve"
	if _, err := ui.Directory.Review(r.Context(), actorOf(r).actor(), id, directory.Decision{Approve: approve, Note: f.Value("note")}); err != nil {
		status := f.fail(err)
		if status >= 500 || status == http.StatusNotFound {
			ui.fail(w, r, err)
			return
		}
		f.values["for"] = r.PathValue("id")
		ui.queuePage(w, r, status, f, "")
		return
	}
	done := "rejected"
	if approve {
		done = "approved"
	}
	http.Redirect(w, r, "/moderation/verifications?done="+done, http.StatusSeeOther)
}
