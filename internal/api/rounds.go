package api

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/rounds-health/rounds/internal/account"
	"github.com/rounds-health/rounds/internal/directory"
	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/middleware"
	"github.com/rounds-health/rounds/internal/taxonomy"
)

// route is one endpoint of the healthcare API. The list below registers
// the handlers, and a test checks it against the OpenAPI document.
type route struct {
	method, path string
	scope        string // "" for public endpoints
	handler      func(*API) http.HandlerFunc
}

var roundsRoutes = []route{
	{"GET", "/api/rounds/v1/clinicians", "", func(a *API) http.HandlerFunc { return a.searchClinicians }},
	{"GET", "/api/rounds/v1/clinicians/{id}", "", func(a *API) http.HandlerFunc { return a.getClinician }},
	{"GET", "/api/rounds/v1/organizations", "", func(a *API) http.HandlerFunc { return a.listOrganizations }},
	{"POST", "/api/rounds/v1/organizations", "write", func(a *API) http.HandlerFunc { return a.createOrganization }},
	{"GET", "/api/rounds/v1/organizations/{id}", "", func(a *API) http.HandlerFunc { return a.getOrganization }},
	{"POST", "/api/rounds/v1/organizations/{id}/locations", "write", func(a *API) http.HandlerFunc { return a.addLocation }},
	{"PATCH", "/api/rounds/v1/organizations/{id}", "write", func(a *API) http.HandlerFunc { return a.updateOrganization }},
	{"DELETE", "/api/rounds/v1/organizations/{id}/locations/{location_id}", "write", func(a *API) http.HandlerFunc { return a.removeLocation }},
	{"GET", "/api/rounds/v1/organizations/{id}/staff", "read", func(a *API) http.HandlerFunc { return a.listStaff }},
	{"PUT", "/api/rounds/v1/organizations/{id}/staff/{username}", "write", func(a *API) http.HandlerFunc { return a.setStaff }},
	{"DELETE", "/api/rounds/v1/organizations/{id}/staff/{username}", "write", func(a *API) http.HandlerFunc { return a.removeStaff }},
	{"GET", "/api/rounds/v1/organizations/{id}/affiliations", "", func(a *API) http.HandlerFunc { return a.listAffiliations }},
	{"POST", "/api/rounds/v1/organizations/{id}/affiliations/{clinician_id}/confirm", "write", func(a *API) http.HandlerFunc { return a.confirmAffiliation }},
	{"DELETE", "/api/rounds/v1/organizations/{id}/affiliations/{clinician_id}", "write", func(a *API) http.HandlerFunc { return a.endAffiliation }},
	{"POST", "/api/rounds/v1/profile/affiliations", "write", func(a *API) http.HandlerFunc { return a.requestAffiliation }},
	{"GET", "/api/rounds/v1/specialties", "", func(a *API) http.HandlerFunc { return a.listSpecialties }},
	{"GET", "/api/rounds/v1/profile", "read", func(a *API) http.HandlerFunc { return a.getProfile }},
	{"PUT", "/api/rounds/v1/profile", "write", func(a *API) http.HandlerFunc { return a.putProfile }},
	{"POST", "/api/rounds/v1/profile/verification", "write", func(a *API) http.HandlerFunc { return a.submitVerification }},
	{"GET", "/api/rounds/v1/verifications", "read", func(a *API) http.HandlerFunc { return a.verificationQueue }},
	{"POST", "/api/rounds/v1/verifications/{id}", "write", func(a *API) http.HandlerFunc { return a.reviewVerification }},
	{"GET", "/api/rounds/v1/organizations/{id}/policy", "", func(a *API) http.HandlerFunc { return a.getPolicy }},
	{"PUT", "/api/rounds/v1/organizations/{id}/policy", "write", func(a *API) http.HandlerFunc { return a.putPolicy }},
	{"POST", "/api/rounds/v1/statuses/check", "write", func(a *API) http.HandlerFunc { return a.checkDraft }},
	{"GET", "/api/rounds/v1/holds", "read", func(a *API) http.HandlerFunc { return a.listHolds }},
	{"POST", "/api/rounds/v1/holds", "write", func(a *API) http.HandlerFunc { return a.requestRelease }},
	{"POST", "/api/rounds/v1/holds/{id}/release", "write", func(a *API) http.HandlerFunc { return a.releaseHold }},
	{"POST", "/api/rounds/v1/holds/{id}/decline", "write", func(a *API) http.HandlerFunc { return a.declineHold }},
	{"POST", "/api/rounds/v1/holds/{id}/withdraw", "write", func(a *API) http.HandlerFunc { return a.withdrawHold }},
	// The publishing workflow (issue 6): drafts.go.
	{"GET", "/api/rounds/v1/drafts", "read", func(a *API) http.HandlerFunc { return a.listDrafts }},
	{"POST", "/api/rounds/v1/drafts", "write", func(a *API) http.HandlerFunc { return a.createDraft }},
	{"GET", "/api/rounds/v1/drafts/attention", "read", func(a *API) http.HandlerFunc { return a.draftsAttention }},
	{"GET", "/api/rounds/v1/drafts/{id}", "read", func(a *API) http.HandlerFunc { return a.getDraft }},
	{"PUT", "/api/rounds/v1/drafts/{id}", "write", func(a *API) http.HandlerFunc { return a.editDraft }},
	{"GET", "/api/rounds/v1/drafts/{id}/versions", "read", func(a *API) http.HandlerFunc { return a.draftVersions }},
	{"POST", "/api/rounds/v1/drafts/{id}/decisions", "write", func(a *API) http.HandlerFunc { return a.decideDraft }},
	{"PUT", "/api/rounds/v1/drafts/{id}/schedule", "write", func(a *API) http.HandlerFunc { return a.scheduleDraft }},
	{"DELETE", "/api/rounds/v1/drafts/{id}/schedule", "write", func(a *API) http.HandlerFunc { return a.unscheduleDraft }},
	{"POST", "/api/rounds/v1/drafts/{id}/publish", "write", func(a *API) http.HandlerFunc { return a.publishDraft }},
	{"POST", "/api/rounds/v1/drafts/{id}/withdraw", "write", func(a *API) http.HandlerFunc { return a.withdrawDraft }},
	{"GET", "/api/rounds/v1/organizations/{id}/approval_steps", "", func(a *API) http.HandlerFunc { return a.getApprovalSteps }},
	{"PUT", "/api/rounds/v1/organizations/{id}/approval_steps", "write", func(a *API) http.HandlerFunc { return a.putApprovalSteps }},
	{"GET", "/api/rounds/v1/organizations/{id}/archive", "read", func(a *API) http.HandlerFunc { return a.exportArchive }}, // archive.go
	{"GET", "/api/rounds/v1/organizations/{id}/legal_holds", "read", func(a *API) http.HandlerFunc { return a.listLegalHolds }},
	{"POST", "/api/rounds/v1/organizations/{id}/legal_holds", "write", func(a *API) http.HandlerFunc { return a.placeLegalHold }},
	{"POST", "/api/rounds/v1/organizations/{id}/legal_holds/{hold_id}/lift", "write", func(a *API) http.HandlerFunc { return a.liftLegalHold }},
}

func (a *API) roundsRoutes(mux *http.ServeMux) {
	for _, rt := range roundsRoutes {
		h := rt.handler(a)
		if rt.scope != "" {
			h = a.auth(rt.scope, h)
		} else {
			h = a.optionalAuth(h) // public, but a token shows its owner more (pending requests, own drafts)
		}
		mux.HandleFunc(rt.method+" "+rt.path, h)
	}
	mux.HandleFunc("GET /api/openapi.json", serveOpenAPI)
}

func actorOf(r *http.Request) account.Actor {
	return account.Actor{User: grantOf(r.Context()).user, Via: "api"}
}

// decodeJSON reads a JSON object body into dst, refusing unknown fields,
// other content types and trailing data with specific messages.
func (a *API) decodeJSON(w http.ResponseWriter, r *http.Request, dst any) bool {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "application/json" {
		writeJSON(w, http.StatusUnsupportedMediaType, errorBody{Error: "Send the body as application/json."})
		return false
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		var tooBig *http.MaxBytesError
		var typ *json.UnmarshalTypeError
		status, msg := http.StatusBadRequest, "The request body is not valid JSON: "+jsonProblem(err)
		switch {
		case errors.As(err, &tooBig):
			status, msg = http.StatusRequestEntityTooLarge, "The request body is too large."
		case errors.As(err, &typ):
			msg = "The field " + strconv.Quote(typ.Field) + " must be " + jsonKind(typ.Type.Kind().String()) + "."
			status = http.StatusUnprocessableEntity
		case strings.HasPrefix(err.Error(), "json: unknown field"):
			msg = "Unknown field " + strings.TrimPrefix(err.Error(), "json: unknown field ") + "; see /api/openapi.json."
			status = http.StatusUnprocessableEntity
		}
		writeJSON(w, status, errorBody{Error: msg})
		return false
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		writeJSON(w, http.StatusBadRequest, errorBody{Error: "The request body has data after the JSON object."})
		return false
	}
	return true
}

func jsonKind(k string) string {
	switch k {
	case "slice":
		return "an array"
	case "struct", "map":
		return "an object"
	case "bool":
		return "true or false"
	case "string":
		return "a string"
	}
	return "a number"
}

// Clinicians.

type specialtyJSON struct {
	Code    string `json:"code"`
	Label   string `json:"label"`
	Primary bool   `json:"primary,omitempty"`
}

type addressJSON struct {
	Street     string `json:"street"`
	City       string `json:"city"`
	State      string `json:"state"`
	PostalCode string `json:"postal_code"`
}

type locationJSON struct {
	ID        string      `json:"id"`
	Name      string      `json:"name"`
	Address   addressJSON `json:"address"`
	Phone     string      `json:"phone"`
	Hours     string      `json:"hours,omitempty"`
	Latitude  float64     `json:"latitude"`
	Longitude float64     `json:"longitude"`
}

type checkJSON struct {
	Name   string    `json:"name"`
	Passed bool      `json:"passed"`
	Detail string    `json:"detail"`
	At     time.Time `json:"at"`
	By     string    `json:"by"`
}

type verificationJSON struct {
	Status     string      `json:"status"`
	Label      string      `json:"label"`
	VerifiedBy string      `json:"verified_by,omitempty"`
	VerifiedAt *time.Time  `json:"verified_at,omitempty"`
	Note       string      `json:"note,omitempty"`
	Checks     []checkJSON `json:"checks"`
}

type affiliationJSON struct {
	OrganizationID string `json:"organization_id"`
	Slug           string `json:"slug"`
	Name           string `json:"name"`
	Title          string `json:"title,omitempty"`
	Confirmed      bool   `json:"confirmed"`
}

type languageJSON struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

type licenseJSON struct {
	State  string `json:"state"`
	Number string `json:"number"`
}

type clinicianJSON struct {
	ID           string            `json:"id"`
	Slug         string            `json:"slug"`
	URL          string            `json:"url"`
	Name         string            `json:"name"`
	DisplayName  string            `json:"display_name"`
	FirstName    string            `json:"first_name"`
	LastName     string            `json:"last_name"`
	Credentials  string            `json:"credentials"`
	Bio          string            `json:"bio"`
	PhotoURL     string            `json:"photo_url"`
	NPI          string            `json:"npi"`
	Accepting    bool              `json:"accepting_new_patients"`
	Published    bool              `json:"published"`
	Languages    []languageJSON    `json:"languages"`
	Conditions   []string          `json:"conditions"`
	Specialties  []specialtyJSON   `json:"specialties"`
	Locations    []locationJSON    `json:"locations"`
	Affiliations []affiliationJSON `json:"affiliations"`
	Verification verificationJSON  `json:"verification"`
	Rating       ratingJSON        `json:"rating"`
	DistanceKm   *float64          `json:"distance_km,omitempty"`
	License      *licenseJSON      `json:"license,omitempty"`
}

type ratingJSON struct {
	Average float64 `json:"average"`
	Count   int     `json:"count"`
}

func origin(r *http.Request) string { return middleware.Origin(r) }

func locationsJSON(ls []directory.Location) []locationJSON {
	out := []locationJSON{}
	for _, l := range ls {
		out = append(out, locationJSON{ID: strconv.FormatInt(l.ID, 10), Name: l.Name, Phone: l.Phone, Hours: l.Hours,
			Address:  addressJSON{Street: l.Street, City: l.City, State: l.State, PostalCode: l.PostalCode},
			Latitude: l.Point.Lat, Longitude: l.Point.Lon})
	}
	return out
}

func toClinicianJSON(r *http.Request, c *directory.Clinician) clinicianJSON {
	j := clinicianJSON{ID: strconv.FormatInt(c.ID, 10), Slug: c.Slug, URL: origin(r) + "/clinicians/" + c.Slug, Name: c.Name(),
		DisplayName: c.DisplayName(), FirstName: c.FirstName, LastName: c.LastName, Credentials: c.Credentials, Bio: c.Bio,
		PhotoURL: c.PhotoURL, NPI: c.NPI, Accepting: c.AcceptingNew, Published: c.Published, Languages: []languageJSON{},
		Conditions: append([]string{}, c.Conditions...), Specialties: []specialtyJSON{}, Locations: locationsJSON(c.Locations),
		Affiliations: []affiliationJSON{}, Rating: ratingJSON{Average: c.RatingAvg, Count: c.RatingCount},
		Verification: verificationJSON{Status: string(c.Status), Label: c.Status.Label(), VerifiedBy: c.VerifiedBy,
			Note: c.StatusNote, Checks: []checkJSON{}}}
	if !c.VerifiedAt.IsZero() {
		t := c.VerifiedAt
		j.Verification.VerifiedAt = &t
	}
	for _, ch := range c.Checks {
		j.Verification.Checks = append(j.Verification.Checks, checkJSON(ch))
	}
	for _, code := range c.Languages {
		if l, ok := directory.LanguageByCode(code); ok {
			j.Languages = append(j.Languages, languageJSON{Code: l.Code, Name: l.Name})
		}
	}
	for _, s := range c.Specialties {
		j.Specialties = append(j.Specialties, specialtyJSON{Code: s.Code, Label: s.Label, Primary: s.Primary})
	}
	for _, a := range c.Affiliations {
		j.Affiliations = append(j.Affiliations, affiliationJSON{OrganizationID: strconv.FormatInt(a.OrgID, 10), Slug: a.OrgSlug,
			Name: a.OrgName, Title: a.Title, Confirmed: a.Confirmed})
	}
	if c.LicenseNumber != "" {
		j.License = &licenseJSON{State: c.LicenseState, Number: c.LicenseNumber}
	}
	return j
}

type searchJSON struct {
	Total    int             `json:"total"`
	Page     int             `json:"page"`
	PerPage  int             `json:"per_page"`
	Place    *placeJSON      `json:"place,omitempty"`
	RadiusKm float64         `json:"radius_km,omitempty"`
	Results  []clinicianJSON `json:"results"`
}

type placeJSON struct {
	Name      string  `json:"name"`
	Latitude  float64 `json:"latitude"`
	Longitude float64 `json:"longitude"`
}

func (a *API) searchClinicians(w http.ResponseWriter, r *http.Request) {
	q, err := directory.QueryFromValues(r.URL.Query())
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	res, err := a.Directory.Search(r.Context(), q)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	out := searchJSON{Total: res.Total, Page: res.Page, PerPage: res.PerPage, Results: []clinicianJSON{}}
	if res.Place != nil {
		out.Place = &placeJSON{Name: res.Place.Name, Latitude: res.Place.Point.Lat, Longitude: res.Place.Point.Lon}
		out.RadiusKm = res.RadiusKm
	}
	for _, h := range res.Hits {
		j := toClinicianJSON(r, h.Clinician)
		if h.DistanceKm >= 0 {
			d := h.DistanceKm
			j.DistanceKm = &d
		}
		out.Results = append(out.Results, j)
	}
	var links []string
	if res.Page < res.Pages() {
		links = append(links, `<`+origin(r)+"/api/rounds/v1/clinicians?"+res.Query.WithPage(res.Page+1).Values().Encode()+`>; rel="next"`)
	}
	if res.Page > 1 {
		links = append(links, `<`+origin(r)+"/api/rounds/v1/clinicians?"+res.Query.WithPage(res.Page-1).Values().Encode()+`>; rel="prev"`)
	}
	if len(links) > 0 {
		w.Header().Set("Link", strings.Join(links, ", "))
	}
	writeJSON(w, http.StatusOK, out)
}

// clinicianByParam finds a clinician by numeric id or slug.
func (a *API) getClinician(w http.ResponseWriter, r *http.Request) {
	var c *directory.Clinician
	var err error
	if id, perr := strconv.ParseInt(r.PathValue("id"), 10, 64); perr == nil {
		c, err = a.Directory.ClinicianByID(r.Context(), actorOf(r), id)
	} else {
		c, err = a.Directory.Clinician(r.Context(), actorOf(r), r.PathValue("id"))
	}
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	writeJSON(w, http.StatusOK, toClinicianJSON(r, c))
}

func (a *API) listSpecialties(w http.ResponseWriter, r *http.Request) {
	type spec struct {
		Code           string   `json:"code"`
		Label          string   `json:"label"`
		Grouping       string   `json:"grouping"`
		Classification string   `json:"classification"`
		Specialization string   `json:"specialization,omitempty"`
		Terms          []string `json:"terms"`
	}
	out := []spec{}
	for _, s := range taxonomy.All() {
		out = append(out, spec{Code: s.Code, Label: s.Label(), Grouping: s.Grouping, Classification: s.Classification,
			Specialization: s.Specialization, Terms: append([]string{}, s.Terms...)})
	}
	w.Header().Set("Cache-Control", "public, max-age=3600")
	writeJSON(w, http.StatusOK, out)
}

// Profile (the token's clinician).

type profileBody struct {
	FirstName      string         `json:"first_name"`
	LastName       string         `json:"last_name"`
	Credentials    string         `json:"credentials"`
	Bio            string         `json:"bio"`
	PhotoURL       string         `json:"photo_url"`
	NPI            string         `json:"npi"`
	Specialties    []string       `json:"specialties"`
	Languages      []string       `json:"languages"`
	Conditions     []string       `json:"conditions"`
	Accepting      bool           `json:"accepting_new_patients"`
	Published      bool           `json:"published"`
	LicenseState   string         `json:"license_state"`
	LicenseNumber  string         `json:"license_number"`
	Locations      []locationBody `json:"locations"`
	OrgLocationIDs []json.Number  `json:"organization_location_ids"`
}

type locationBody struct {
	Name        string `json:"name"`
	Street      string `json:"street"`
	City        string `json:"city"`
	State       string `json:"state"`
	PostalCode  string `json:"postal_code"`
	Phone       string `json:"phone"`
	Hours       string `json:"hours"`
	Coordinates string `json:"coordinates"`
}

func (l locationBody) input() directory.LocationInput { return directory.LocationInput(l) }

func (a *API) getProfile(w http.ResponseWriter, r *http.Request) {
	c, err := a.Directory.MyProfile(r.Context(), actorOf(r))
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	if c == nil {
		writeError(w, r, a.Log, errs.NotFound("You have no clinician profile yet; PUT one."))
		return
	}
	writeJSON(w, http.StatusOK, toClinicianJSON(r, c))
}

func (a *API) putProfile(w http.ResponseWriter, r *http.Request) {
	var b profileBody
	if !a.decodeJSON(w, r, &b) {
		return
	}
	in := directory.ProfileInput{FirstName: b.FirstName, LastName: b.LastName, Credentials: b.Credentials, Bio: b.Bio,
		PhotoURL: b.PhotoURL, NPI: b.NPI, Specialties: b.Specialties, Languages: b.Languages, Conditions: b.Conditions,
		AcceptingNew: b.Accepting, Published: b.Published, LicenseState: b.LicenseState, LicenseNumber: b.LicenseNumber}
	for _, l := range b.Locations {
		in.Locations = append(in.Locations, l.input())
	}
	for _, n := range b.OrgLocationIDs {
		id, err := n.Int64()
		if err != nil {
			writeError(w, r, a.Log, errs.Invalid("organization_location_ids", "Location ids are whole numbers."))
			return
		}
		in.OrgLocationIDs = append(in.OrgLocationIDs, id)
	}
	c, err := a.Directory.SaveProfile(r.Context(), actorOf(r), in)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	writeJSON(w, http.StatusOK, toClinicianJSON(r, c))
}

func (a *API) submitVerification(w http.ResponseWriter, r *http.Request) {
	c, err := a.Directory.SubmitForVerification(r.Context(), actorOf(r))
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	writeJSON(w, http.StatusAccepted, toClinicianJSON(r, c))
}

func (a *API) verificationQueue(w http.ResponseWriter, r *http.Request) {
	cs, err := a.Directory.VerificationQueue(r.Context(), actorOf(r))
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	out := []clinicianJSON{}
	for _, c := range cs {
		out = append(out, toClinicianJSON(r, c))
	}
	writeJSON(w, http.StatusOK, out)
}

func (a *API) reviewVerification(w http.ResponseWriter, r *http.Request) {
	var b struct {
		Decision string `json:"decision"`
		Note     string `json:"note"`
	}
	if !a.decodeJSON(w, r, &b) {
		return
	}
	if b.Decision != "approve" && b.Decision != "reject" {
		writeError(w, r, a.Log, errs.Invalid("decision", `The decision is "approve" or "reject".`))
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		writeError(w, r, a.Log, errs.NotFound("No such clinician."))
		return
	}
	c, err := a.Directory.Review(r.Context(), actorOf(r), id, directory.Decision{Approve: b.Decision == "approve", Note: b.Note})
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	writeJSON(w, http.StatusOK, toClinicianJSON(r, c))
}

// Organizations.

type organizationJSON struct {
	ID          string         `json:"id"`
	Slug        string         `json:"slug"`
	URL         string         `json:"url"`
	Name        string         `json:"name"`
	Kind        string         `json:"kind"`
	Description string         `json:"description"`
	Website     string         `json:"website"`
	LogoURL     string         `json:"logo_url"`
	Phone       string         `json:"phone"`
	Locations   []locationJSON `json:"locations"`
}

func toOrgJSON(r *http.Request, o *directory.Organization) organizationJSON {
	return organizationJSON{ID: strconv.FormatInt(o.ID, 10), Slug: o.Slug, URL: origin(r) + "/organizations/" + o.Slug,
		Name: o.Name, Kind: string(o.Kind), Description: o.Description, Website: o.Website, LogoURL: o.LogoURL,
		Phone: o.Phone, Locations: locationsJSON(o.Locations)}
}

func (a *API) listOrganizations(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	page, perPage := 1, directory.DefaultPerPage
	for name, dst := range map[string]*int{"page": &page, "per_page": &perPage} {
		if s := q.Get(name); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil {
				writeError(w, r, a.Log, errs.Invalid(name, name+" must be a whole number."))
				return
			}
			*dst = n
		}
	}
	orgs, err := a.Directory.Organizations(r.Context(), q.Get("q"), page, perPage)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	out := []organizationJSON{}
	for _, o := range orgs {
		out = append(out, toOrgJSON(r, o))
	}
	writeJSON(w, http.StatusOK, out)
}

func (a *API) orgByParam(r *http.Request) (*directory.Organization, error) {
	if id, err := strconv.ParseInt(r.PathValue("id"), 10, 64); err == nil {
		return a.Directory.OrganizationByID(r.Context(), actorOf(r), id)
	}
	return a.Directory.Organization(r.Context(), actorOf(r), r.PathValue("id"))
}

func (a *API) getOrganization(w http.ResponseWriter, r *http.Request) {
	o, err := a.orgByParam(r)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	writeJSON(w, http.StatusOK, toOrgJSON(r, o))
}

func (a *API) createOrganization(w http.ResponseWriter, r *http.Request) {
	var b struct {
		Name        string `json:"name"`
		Kind        string `json:"kind"`
		Description string `json:"description"`
		Website     string `json:"website"`
		LogoURL     string `json:"logo_url"`
		Phone       string `json:"phone"`
	}
	if !a.decodeJSON(w, r, &b) {
		return
	}
	o, err := a.Directory.CreateOrganization(r.Context(), actorOf(r), directory.OrgInput{Name: b.Name,
		Kind: directory.OrgKind(b.Kind), Description: b.Description, Website: b.Website, LogoURL: b.LogoURL, Phone: b.Phone})
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	writeJSON(w, http.StatusCreated, toOrgJSON(r, o))
}

func (a *API) addLocation(w http.ResponseWriter, r *http.Request) {
	var b locationBody
	if !a.decodeJSON(w, r, &b) {
		return
	}
	o, err := a.orgByParam(r)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	if _, err := a.Directory.AddLocation(r.Context(), actorOf(r), o.Slug, b.input()); err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	o, err = a.Directory.Organization(r.Context(), actorOf(r), o.Slug)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	writeJSON(w, http.StatusCreated, toOrgJSON(r, o))
}
