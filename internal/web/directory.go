package web

import (
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/rounds-health/rounds/internal/directory"
	"github.com/rounds-health/rounds/internal/errs"
	"github.com/rounds-health/rounds/internal/middleware"
	"github.com/rounds-health/rounds/internal/taxonomy"
)

type directoryData struct {
	Results     *directory.Results
	Specialties []taxonomy.Specialty
	Languages   []directory.Language
	Query       directory.Query
	PrevLink    string
	NextLink    string
	Searched    bool
}

func (ui *UI) directoryPage(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	f := &form{values: map[string]string{}, errors: map[string]string{}}
	for _, k := range []string{"q", "specialty", "language", "org", "near", "radius", "sort", "accepting", "verified", "per_page"} {
		f.values[k] = v.Get(k)
	}
	d := directoryData{Specialties: taxonomy.All(), Languages: directory.Languages, Searched: len(v) > 0}
	q, err := directory.QueryFromValues(v)
	if err == nil {
		d.Query = q
		d.Results, err = ui.Directory.Search(r.Context(), q)
	}
	status := http.StatusOK
	if err != nil {
		status = f.fail(err)
		if status >= 500 {
			ui.fail(w, r, err)
			return
		}
	}
	if res := d.Results; res != nil {
		d.Query = res.Query
		if res.Page > 1 {
			d.PrevLink = "/directory?" + res.Query.WithPage(res.Page-1).Values().Encode()
		}
		if res.Page < res.Pages() {
			d.NextLink = "/directory?" + res.Query.WithPage(res.Page+1).Values().Encode()
		}
	}
	ui.render(w, r, status, "directory", &page{Title: "Find a clinician", Form: f, Data: d,
		Meta: &pageMeta{Canonical: ui.absURL(r, "/directory"), OGType: "website", NoIndex: d.Searched,
			Description: "Search verified clinicians by specialty, condition, language and distance."}})
}

// absURL makes an absolute URL on this site, from --base-url or the request.
func (ui *UI) absURL(r *http.Request, path string) string { return middleware.Origin(r) + path }

type clinicianData struct {
	C         *directory.Clinician
	Languages []string
	Private   bool // the viewer may see the license number
}

func (ui *UI) clinicianPage(w http.ResponseWriter, r *http.Request) {
	c, err := ui.Directory.Clinician(r.Context(), actorOrAnon(r), r.PathValue("slug"))
	if err != nil {
		ui.fail(w, r, err)
		return
	}
	canonical := ui.absURL(r, "/clinicians/"+c.Slug)
	desc := c.Name()
	if sp := c.PrimarySpecialty(); sp != nil {
		desc += " — " + sp.Label
	}
	if len(c.Locations) > 0 {
		desc += " in " + strings.TrimSpace(c.Locations[0].City+", "+c.Locations[0].State)
	}
	if c.IsVerified() {
		desc += ". Verified on Rounds."
	}
	ld, err := json.Marshal(clinicianLD(c, canonical, ui.absURL(r, "")))
	if err != nil {
		ui.fail(w, r, errs.Internal(err, "json-ld"))
		return
	}
	ui.render(w, r, http.StatusOK, "clinician", &page{Title: c.DisplayName(), Data: clinicianData{C: c,
		Languages: directory.LanguageNames(c.Languages), Private: c.LicenseNumber != ""},
		Meta: &pageMeta{Canonical: canonical, Description: desc, OGType: "profile", Image: c.PhotoURL,
			JSONLD: template.JS(ld), NoIndex: !c.Published}})
}

type orgData struct {
	O            *directory.Organization
	Affiliations []directory.Affiliation
	IsStaff      bool
}

func (ui *UI) organizationPage(w http.ResponseWriter, r *http.Request) {
	actor := actorOrAnon(r)
	o, err := ui.Directory.Organization(r.Context(), actor, r.PathValue("slug"))
	if err != nil {
		ui.fail(w, r, err)
		return
	}
	affs, err := ui.Directory.OrgAffiliations(r.Context(), actor, o.Slug)
	if err != nil {
		ui.fail(w, r, err)
		return
	}
	var confirmed []directory.Affiliation
	for _, a := range affs {
		if a.Confirmed {
			confirmed = append(confirmed, a)
		}
	}
	canonical := ui.absURL(r, "/organizations/"+o.Slug)
	ld, err := json.Marshal(orgLD(o, confirmed, canonical, ui.absURL(r, "")))
	if err != nil {
		ui.fail(w, r, errs.Internal(err, "json-ld"))
		return
	}
	isStaff := ui.Directory.IsStaff(r.Context(), actor, o.Slug)
	desc := o.Kind.Label()
	if len(o.Locations) > 0 {
		desc += " in " + o.Locations[0].City + ", " + o.Locations[0].State
	}
	ui.render(w, r, http.StatusOK, "organization", &page{Title: o.Name, Data: orgData{O: o, Affiliations: confirmed, IsStaff: isStaff},
		Meta: &pageMeta{Canonical: canonical, Description: desc + ". " + truncateText(o.Description, 150), OGType: "website",
			Image: o.LogoURL, JSONLD: template.JS(ld), NoIndex: !o.Published}})
}

func truncateText(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func (ui *UI) robots(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintf(w, "User-agent: *\nAllow: /\nDisallow: /settings\nDisallow: /admin\nDisallow: /moderation\n"+
		"Disallow: /signin\nDisallow: /signup\nDisallow: /reset/\nDisallow: /api/\nDisallow: /directory?\n\nSitemap: %s\n",
		ui.absURL(r, "/sitemap.xml"))
}

// sitemapIndex lists the sitemap pages; each holds SitemapPageSize URLs.
func (ui *UI) sitemapIndex(w http.ResponseWriter, r *http.Request) {
	nc, no, err := ui.Directory.SitemapCounts(r.Context())
	if err != nil {
		ui.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	b.WriteString("<sitemap><loc>" + xmlEscape(ui.absURL(r, "/sitemap-pages.xml")) + "</loc></sitemap>\n")
	for kind, n := range map[string]int{"clinicians": nc, "organizations": no} {
		for p := 1; p <= (n+directory.SitemapPageSize-1)/directory.SitemapPageSize; p++ {
			b.WriteString("<sitemap><loc>" + xmlEscape(ui.absURL(r, fmt.Sprintf("/sitemap-%s-%d.xml", kind, p))) + "</loc></sitemap>\n")
		}
	}
	b.WriteString("</sitemapindex>\n")
	_, _ = w.Write([]byte(b.String()))
}

// sitemapPage is one page of URLs: /sitemap-clinicians-3.xml.
func (ui *UI) sitemapPage(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimSuffix(strings.TrimPrefix(r.PathValue("file"), "sitemap-"), ".xml")
	var entries []directory.SitemapEntry
	prefix := ""
	switch {
	case name == "pages":
		entries = []directory.SitemapEntry{{Slug: ""}, {Slug: "directory"}}
		prefix = "/"
	default:
		kind, num, ok := strings.Cut(name, "-")
		n, err := strconv.Atoi(num)
		if !ok || err != nil || n < 1 || (kind != "clinicians" && kind != "organizations") {
			ui.NotFound(w, r)
			return
		}
		if entries, err = ui.Directory.SitemapPage(r.Context(), kind, n); err != nil {
			ui.fail(w, r, err)
			return
		}
		if len(entries) == 0 && n > 1 {
			ui.NotFound(w, r)
			return
		}
		prefix = "/" + kind + "/"
	}
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	for _, e := range entries {
		b.WriteString("<url><loc>" + xmlEscape(ui.absURL(r, prefix+e.Slug)) + "</loc>")
		if !e.Updated.IsZero() {
			b.WriteString("<lastmod>" + e.Updated.UTC().Format("2006-01-02") + "</lastmod>")
		}
		b.WriteString("</url>\n")
	}
	b.WriteString("</urlset>\n")
	_, _ = w.Write([]byte(b.String()))
}

func xmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&apos;").Replace(s)
}

// sitemapOrNotFound serves /sitemap-*.xml; any other single-segment path is not found.
func (ui *UI) sitemapOrNotFound(w http.ResponseWriter, r *http.Request) {
	if ui.atPath(w, r) {
		return
	}
	f := r.PathValue("file")
	if strings.HasPrefix(f, "sitemap-") && strings.HasSuffix(f, ".xml") {
		ui.sitemapPage(w, r)
		return
	}
	ui.withUser(ui.NotFound)(w, r)
}
