package web

import (
	"html/template"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/rounds-health/rounds/internal/publish"
	"github.com/rounds-health/rounds/internal/social"
)

// guardView is what the composer shows of the compliance guard's findings:
// each text with its findings highlighted in place, and what the author can
// do next (edit, publish anyway as a patient, or hand the draft to a
// compliance officer).
type guardView struct {
	Blocked bool
	Clean   bool // a check found nothing
	Confirm bool // a patient sees warnings and may publish anyway
	Fields  []guardField
	Orgs    []publish.Org // whose compliance officers could release a blocked draft
}

type guardField struct {
	Label    string
	Marked   template.HTML
	Findings []findingView
}

type findingView struct {
	publish.Finding
	Label string
}

var typeLabels = map[string]string{
	"NAME": "Name", "DATE": "Date", "AGE": "Age over 89", "LOCATION": "Place", "PHONE": "Phone number", "FAX": "Fax number",
	"EMAIL": "Email address", "SSN": "Social Security number", "MRN": "Medical record number", "HEALTH_PLAN": "Health plan number",
	"ACCOUNT": "Account number", "LICENSE": "Licence number", "VEHICLE": "Vehicle identifier", "DEVICE": "Device identifier",
	"URL": "Web address", "IP": "IP address", "ID": "Identifying number", "PATIENT_RELATIONSHIP": "Confirms a patient",
	"RESTATED_DETAIL": "Repeats private details", "CLAIM": "Claim",
}

// newGuardView groups findings by the text they are in.
func newGuardView(in social.NewStatus, alt string, fs []publish.Finding) *guardView {
	g := &guardView{Clean: len(fs) == 0}
	texts := map[string]struct{ label, body string }{
		"status": {"Your post", in.Text}, "spoiler_text": {"Content warning", in.Summary}, "title": {"Title", in.Title},
	}
	byField := map[string][]publish.Finding{}
	for _, f := range fs {
		g.Blocked = g.Blocked || f.Blocking
		byField[f.Field] = append(byField[f.Field], f)
	}
	for _, field := range []string{"title", "spoiler_text", "status"} {
		if len(byField[field]) > 0 {
			g.Fields = append(g.Fields, markField(texts[field].label, texts[field].body, byField[field]))
		}
	}
	for field, list := range byField {
		if strings.HasPrefix(field, "media:") {
			g.Fields = append(g.Fields, markField("Image description", alt, list))
		}
	}
	return g
}

// markField escapes text and wraps each finding in a <mark> naming its type.
func markField(label, text string, fs []publish.Finding) guardField {
	sort.Slice(fs, func(i, j int) bool { return fs[i].Start < fs[j].Start })
	var b strings.Builder
	at := 0
	gf := guardField{Label: label}
	for _, f := range fs {
		gf.Findings = append(gf.Findings, findingView{Finding: f, Label: typeLabels[f.Type]})
		if f.Start < at || f.End > len(text) || f.Start >= f.End {
			continue // overlapping or stale offsets: listed, not marked
		}
		b.WriteString(template.HTMLEscapeString(text[at:f.Start]))
		class := "finding"
		if f.Blocking {
			class += " finding-blocking"
		}
		b.WriteString(`<mark class="` + class + `" data-type="` + template.HTMLEscapeString(f.Type) + `" title="` +
			template.HTMLEscapeString(typeLabels[f.Type]) + `">`)
		b.WriteString(template.HTMLEscapeString(text[f.Start:f.End]))
		b.WriteString(`</mark>`)
		at = f.End
	}
	b.WriteString(template.HTMLEscapeString(text[at:]))
	gf.Marked = template.HTML(b.String())
	return gf
}

// holdDraft hands a blocked draft from the composer to the compliance
// officers of the chosen organization.
func (ui *UI) holdDraft(w http.ResponseWriter, r *http.Request) {
	if !ui.parseForm(w, r) {
		return
	}
	f := newForm(r, "status", "visibility", "spoiler_text", "in_reply_to_id", "title", "kind", "org_id", "note", "authorization_id")
	in := composed(f)
	if f.Value("authorization_id") != "" {
		// A held draft is released as a plain post: it would lose the link
		// that takes a story down when the patient revokes.
		f.errors["authorization_id"] = "A patient story cannot be sent for release: remove what the guard found; only the name the patient signed with may appear."
		ui.composeBack(w, r, f, in, http.StatusUnprocessableEntity, nil)
		return
	}
	org, _ := strconv.ParseInt(f.Value("org_id"), 10, 64)
	if _, err := ui.Publish.RequestRelease(r.Context(), actorOf(r).actor(), in, org, f.Value("note")); err != nil {
		status := f.fail(err)
		if status >= 500 {
			ui.fail(w, r, err)
			return
		}
		ui.composeBack(w, r, f, in, status, nil)
		return
	}
	http.Redirect(w, r, "/compliance?held=1", http.StatusSeeOther)
}

type complianceData struct {
	Mine, Review []holdView
	Held, Asked  bool
	Orgs         []orgConsent // testimonial authorizations of the organizations the user handles
}

type holdView struct {
	*publish.Hold
	Guard *guardView
}

// compliance lists the author's held drafts and, for compliance officers,
// those waiting for a decision.
func (ui *UI) compliance(w http.ResponseWriter, r *http.Request) {
	ui.compliancePage(w, r, http.StatusOK, nil)
}

func (ui *UI) compliancePage(w http.ResponseWriter, r *http.Request, status int, f *form) {
	mine, review, err := ui.Publish.Holds(r.Context(), actorOf(r).actor())
	if err != nil {
		ui.fail(w, r, err)
		return
	}
	d := &complianceData{Held: r.URL.Query().Get("held") != "", Asked: r.URL.Query().Get("asked") != ""}
	if d.Orgs, err = ui.orgConsents(r); err != nil {
		ui.fail(w, r, err)
		return
	}
	for _, h := range mine {
		d.Mine = append(d.Mine, holdView{Hold: h, Guard: newGuardView(h.Draft, "", h.Findings)})
	}
	for _, h := range review {
		d.Review = append(d.Review, holdView{Hold: h, Guard: newGuardView(h.Draft, "", h.Findings)})
	}
	if f == nil {
		f = &form{values: map[string]string{}, errors: map[string]string{}}
	}
	ui.render(w, r, status, "compliance", &page{Title: "Compliance review", Data: d, Form: f})
}

// decideHold releases or declines a held draft, or withdraws one's own.
func (ui *UI) decideHold(w http.ResponseWriter, r *http.Request) {
	if !ui.parseForm(w, r) {
		return
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	f := newForm(r, "justification")
	actor := actorOf(r).actor()
	var err error
	switch r.PathValue("decision") {
	case "release":
		_, err = ui.Publish.Release(r.Context(), actor, id, f.Value("justification"))
	case "decline":
		_, err = ui.Publish.Decline(r.Context(), actor, id, f.Value("justification"))
	case "withdraw":
		err = ui.Publish.Withdraw(r.Context(), actor, id)
	default:
		http.NotFound(w, r)
		return
	}
	if err != nil {
		f.values["hold"] = strconv.FormatInt(id, 10)
		status := f.fail(err)
		if status >= 500 {
			ui.fail(w, r, err)
			return
		}
		ui.compliancePage(w, r, status, f)
		return
	}
	http.Redirect(w, r, "/compliance", http.StatusSeeOther)
}

// liveCheck answers the composer's htmx request as the author types: the
// guard's findings, marked in the text, and nothing once the draft is clean.
// Without JavaScript the "Check" button does the same with a full page.
func (ui *UI) liveCheck(w http.ResponseWriter, r *http.Request) {
	if !ui.parseForm(w, r) {
		return
	}
	f := newForm(r, "status", "spoiler_text", "in_reply_to_id", "title", "kind", "alt")
	in := composed(f)
	d := &timelineData{}
	if in.Text != "" || in.Title != "" || in.Summary != "" {
		fs, err := ui.Publish.Check(r.Context(), actorOf(r).actor(), in)
		if err != nil {
			ui.fail(w, r, err)
			return
		}
		d.Guard = newGuardView(in, f.Value("alt"), fs)
	}
	ui.renderPart(w, r, http.StatusOK, "timeline", "guard-live", &page{Data: d, Form: f})
}

func (ui *UI) complianceRoutes(mux *http.ServeMux) {
	mux.HandleFunc("POST /statuses/check", ui.requireReady(ui.liveCheck))
	mux.HandleFunc("GET /compliance", ui.requireReady(ui.compliance))
	mux.HandleFunc("POST /statuses/hold", ui.requireReady(ui.holdDraft))
	mux.HandleFunc("POST /compliance/holds/{id}/{decision}", ui.requireReady(ui.decideHold))
	ui.consentRoutes(mux)
}
