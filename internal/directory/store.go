package directory

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/rounds-health/rounds/internal/store"
)

// dirStore is the SQL of the directory: one query, one method.
type dirStore struct{ db *store.DB }

func nullable(v int64) any {
	if v == 0 {
		return nil
	}
	return v
}

// Organizations.

const orgColumns = "id, slug, name, kind, description, website, logo_url, phone, published, created_at, updated_at"

func scanOrg(s interface{ Scan(...any) error }) (*Organization, error) {
	var o Organization
	var kind string
	var created, updated int64
	if err := s.Scan(&o.ID, &o.Slug, &o.Name, &kind, &o.Description, &o.Website, &o.LogoURL, &o.Phone, &o.Published,
		&created, &updated); err != nil {
		return nil, err
	}
	o.Kind, o.CreatedAt, o.UpdatedAt = OrgKind(kind), store.Millis(created), store.Millis(updated)
	return &o, nil
}

func (st dirStore) insertOrg(ctx context.Context, o *Organization, createdBy int64) error {
	_, err := st.db.Exec(ctx, `INSERT INTO organizations (id, slug, name, kind, description, website, logo_url, phone,
		published, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		o.ID, o.Slug, o.Name, string(o.Kind), o.Description, o.Website, o.LogoURL, o.Phone, o.Published, createdBy,
		o.CreatedAt.UnixMilli(), o.UpdatedAt.UnixMilli())
	return err
}

func (st dirStore) updateOrg(ctx context.Context, o *Organization) error {
	_, err := st.db.Exec(ctx, `UPDATE organizations SET name = ?, kind = ?, description = ?, website = ?, logo_url = ?,
		phone = ?, published = ?, updated_at = ? WHERE id = ?`, o.Name, string(o.Kind), o.Description, o.Website, o.LogoURL,
		o.Phone, o.Published, o.UpdatedAt.UnixMilli(), o.ID)
	return err
}

func (st dirStore) orgBy(ctx context.Context, column string, v any) (*Organization, error) {
	o, err := scanOrg(st.db.QueryRow(ctx, "SELECT "+orgColumns+" FROM organizations WHERE "+column+" = ?", v))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return o, err
}

func (st dirStore) slugTaken(ctx context.Context, table, slug string) (bool, error) {
	var n int
	err := st.db.QueryRow(ctx, "SELECT COUNT(*) FROM "+table+" WHERE slug = ?", slug).Scan(&n)
	return n > 0, err
}

// listOrgs returns published organizations by name, after the given name.
func (st dirStore) listOrgs(ctx context.Context, query string, limit, offset int) ([]*Organization, error) {
	q := "SELECT " + orgColumns + " FROM organizations WHERE published = TRUE"
	var args []any
	if query != "" {
		q += " AND LOWER(name) LIKE ?"
		args = append(args, "%"+likeEscape(strings.ToLower(query))+"%")
	}
	q += " ORDER BY name, id LIMIT ? OFFSET ?"
	args = append(args, limit, offset)
	rows, err := st.db.Query(ctx, q, args...)
	return store.Collect(rows, err, scanOrg)
}

func likeEscape(s string) string { return strings.NewReplacer("%", "", "_", "").Replace(s) }

func (st dirStore) insertOrgLocation(ctx context.Context, l *Location) error {
	_, err := st.db.Exec(ctx, `INSERT INTO org_locations (id, org_id, name, street, city, state, postal_code, phone, hours, lat, lon)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, l.ID, l.OrgID, l.Name, l.Street, l.City, l.State, l.PostalCode, l.Phone,
		l.Hours, l.Point.Lat, l.Point.Lon)
	return err
}

func (st dirStore) deleteOrgLocation(ctx context.Context, orgID, id int64) (bool, error) {
	res, err := st.db.Exec(ctx, "DELETE FROM org_locations WHERE org_id = ? AND id = ?", orgID, id)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

func scanLocations(rows *sql.Rows) ([]Location, error) {
	defer rows.Close()
	var out []Location
	for rows.Next() {
		var l Location
		var orgID sql.NullInt64
		if err := rows.Scan(&l.ID, &orgID, &l.Name, &l.Street, &l.City, &l.State, &l.PostalCode, &l.Phone, &l.Hours,
			&l.Point.Lat, &l.Point.Lon); err != nil {
			return nil, err
		}
		l.OrgID = orgID.Int64
		out = append(out, l)
	}
	return out, rows.Err()
}

func (st dirStore) orgLocations(ctx context.Context, orgID int64) ([]Location, error) {
	rows, err := st.db.Query(ctx, `SELECT id, org_id, name, street, city, state, postal_code, phone, hours, lat, lon
		FROM org_locations WHERE org_id = ? ORDER BY id`, orgID)
	if err != nil {
		return nil, err
	}
	return scanLocations(rows)
}

func (st dirStore) orgLocation(ctx context.Context, id int64) (*Location, error) {
	rows, err := st.db.Query(ctx, `SELECT id, org_id, name, street, city, state, postal_code, phone, hours, lat, lon
		FROM org_locations WHERE id = ?`, id)
	if err != nil {
		return nil, err
	}
	ls, err := scanLocations(rows)
	if err != nil || len(ls) == 0 {
		return nil, err
	}
	return &ls[0], nil
}

// Staff.

func (st dirStore) upsertMember(ctx context.Context, orgID, userID int64, role MemberRole, at time.Time) error {
	_, err := st.db.Exec(ctx, `INSERT INTO org_members (org_id, user_id, role, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (org_id, user_id) DO UPDATE SET role = excluded.role`, orgID, userID, string(role), at.UnixMilli())
	return err
}

func (st dirStore) deleteMember(ctx context.Context, orgID, userID int64) error {
	_, err := st.db.Exec(ctx, "DELETE FROM org_members WHERE org_id = ? AND user_id = ?", orgID, userID)
	return err
}

func (st dirStore) memberRole(ctx context.Context, orgID, userID int64) (MemberRole, error) {
	var role string
	err := st.db.QueryRow(ctx, "SELECT role FROM org_members WHERE org_id = ? AND user_id = ?", orgID, userID).Scan(&role)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return MemberRole(role), err
}

func (st dirStore) countOwners(ctx context.Context, orgID int64) (int, error) {
	var n int
	err := st.db.QueryRow(ctx, "SELECT COUNT(*) FROM org_members WHERE org_id = ? AND role = 'owner'", orgID).Scan(&n)
	return n, err
}

func (st dirStore) members(ctx context.Context, orgID int64) ([]StaffMember, error) {
	rows, err := st.db.Query(ctx, `SELECT m.org_id, m.user_id, u.username, u.display_name, m.role
		FROM org_members m JOIN users u ON u.id = m.user_id WHERE m.org_id = ? ORDER BY m.role, u.username_lower`, orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []StaffMember
	for rows.Next() {
		var m StaffMember
		var role string
		if err := rows.Scan(&m.OrgID, &m.UserID, &m.Username, &m.DisplayName, &role); err != nil {
			return nil, err
		}
		m.Role = MemberRole(role)
		out = append(out, m)
	}
	return out, rows.Err()
}

// orgsOf returns the organizations a user is staff of, with their role.
func (st dirStore) orgsOf(ctx context.Context, userID int64) ([]*Organization, []MemberRole, error) {
	rows, err := st.db.Query(ctx, "SELECT o."+strings.ReplaceAll(orgColumns, ", ", ", o.")+`, m.role
		FROM organizations o JOIN org_members m ON m.org_id = o.id WHERE m.user_id = ? ORDER BY o.name`, userID)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var orgs []*Organization
	var roles []MemberRole
	for rows.Next() {
		var o Organization
		var kind, role string
		var created, updated int64
		if err := rows.Scan(&o.ID, &o.Slug, &o.Name, &kind, &o.Description, &o.Website, &o.LogoURL, &o.Phone, &o.Published,
			&created, &updated, &role); err != nil {
			return nil, nil, err
		}
		o.Kind, o.CreatedAt, o.UpdatedAt = OrgKind(kind), store.Millis(created), store.Millis(updated)
		orgs, roles = append(orgs, &o), append(roles, MemberRole(role))
	}
	return orgs, roles, rows.Err()
}

// Clinicians.

const clinicianColumns = `id, user_id, slug, first_name, last_name, credentials, bio, languages, conditions, photo_url, npi,
	accepting_new, published, claimed, status, license_state, license_number, checks, verified_by, verified_at, status_note,
	rating_avg, rating_count, created_at, updated_at`

func scanClinician(s interface{ Scan(...any) error }) (*Clinician, error) {
	var c Clinician
	var userID sql.NullInt64
	var npi sql.NullString
	var langs, conds, status, checks string
	var verifiedAt, created, updated int64
	if err := s.Scan(&c.ID, &userID, &c.Slug, &c.FirstName, &c.LastName, &c.Credentials, &c.Bio, &langs, &conds,
		&c.PhotoURL, &npi, &c.AcceptingNew, &c.Published, &c.Claimed, &status, &c.LicenseState, &c.LicenseNumber, &checks,
		&c.VerifiedBy, &verifiedAt, &c.StatusNote, &c.RatingAvg, &c.RatingCount, &created, &updated); err != nil {
		return nil, err
	}
	c.UserID, c.NPI, c.Status = userID.Int64, npi.String, Status(status)
	c.Languages, c.Conditions = splitList(langs), splitList(conds)
	c.VerifiedAt, c.CreatedAt, c.UpdatedAt = store.Millis(verifiedAt), store.Millis(created), store.Millis(updated)
	if checks != "" {
		if err := json.Unmarshal([]byte(checks), &c.Checks); err != nil {
			return nil, err
		}
	}
	return &c, nil
}

// Lists are stored as ",a,b," so that one LIKE '%,a,%' finds an element on both engines.
func joinList(xs []string) string {
	if len(xs) == 0 {
		return ""
	}
	return "," + strings.Join(xs, ",") + ","
}

func splitList(s string) []string {
	var out []string
	for _, x := range strings.Split(strings.Trim(s, ","), ",") {
		if x != "" {
			out = append(out, x)
		}
	}
	return out
}

func checksJSON(cs []Check) string {
	if len(cs) == 0 {
		return ""
	}
	b, _ := json.Marshal(cs)
	return string(b)
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func (st dirStore) insertClinician(ctx context.Context, c *Clinician) error {
	_, err := st.db.Exec(ctx, `INSERT INTO clinicians (id, user_id, slug, first_name, last_name, sort_name, credentials, bio,
		languages, conditions, photo_url, npi, accepting_new, published, status, license_state, license_number, checks,
		rating_avg, rating_count, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.ID, nullable(c.UserID), c.Slug, c.FirstName, c.LastName, sortName(c), c.Credentials, c.Bio, joinList(c.Languages),
		joinList(c.Conditions), c.PhotoURL, nullString(c.NPI), c.AcceptingNew, c.Published, string(c.Status),
		c.LicenseState, c.LicenseNumber, checksJSON(c.Checks), c.RatingAvg, c.RatingCount, c.CreatedAt.UnixMilli(), c.UpdatedAt.UnixMilli())
	return err
}

func sortName(c *Clinician) string { return strings.ToLower(c.LastName + " " + c.FirstName) }

func (st dirStore) updateClinician(ctx context.Context, c *Clinician) error {
	_, err := st.db.Exec(ctx, `UPDATE clinicians SET user_id = ?, first_name = ?, last_name = ?, sort_name = ?, credentials = ?,
		bio = ?, languages = ?, conditions = ?, photo_url = ?, npi = ?, accepting_new = ?, published = ?, claimed = ?, status = ?,
		license_state = ?, license_number = ?, checks = ?, verified_by = ?, verified_at = ?, status_note = ?, updated_at = ?
		WHERE id = ?`, nullable(c.UserID), c.FirstName, c.LastName, sortName(c), c.Credentials, c.Bio, joinList(c.Languages),
		joinList(c.Conditions), c.PhotoURL, nullString(c.NPI), c.AcceptingNew, c.Published, c.Claimed, string(c.Status),
		c.LicenseState, c.LicenseNumber, checksJSON(c.Checks), c.VerifiedBy, c.VerifiedAt.UnixMilli(), c.StatusNote,
		c.UpdatedAt.UnixMilli(), c.ID)
	return err
}

func (st dirStore) clinicianBy(ctx context.Context, column string, v any) (*Clinician, error) {
	c, err := scanClinician(st.db.QueryRow(ctx, "SELECT "+clinicianColumns+" FROM clinicians WHERE "+column+" = ?", v))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return c, err
}

func (st dirStore) cliniciansByStatus(ctx context.Context, status Status, limit int) ([]*Clinician, error) {
	return st.clinicianList(ctx, "SELECT "+clinicianColumns+" FROM clinicians WHERE status = ? ORDER BY updated_at, id LIMIT ?", status, limit)
}

func (st dirStore) clinicianList(ctx context.Context, q string, args ...any) ([]*Clinician, error) {
	rows, err := st.db.Query(ctx, q, args...)
	return store.Collect(rows, err, scanClinician)
}

func (st dirStore) cliniciansByIDs(ctx context.Context, ids []int64) (map[int64]*Clinician, error) {
	out := map[int64]*Clinician{}
	if len(ids) == 0 {
		return out, nil
	}
	cs, err := st.clinicianList(ctx, "SELECT "+clinicianColumns+" FROM clinicians WHERE id IN ("+placeholders(len(ids))+")", int64Args(ids)...)
	if err != nil {
		return nil, err
	}
	for _, c := range cs {
		out[c.ID] = c
	}
	return out, nil
}

func placeholders(n int) string { return strings.TrimSuffix(strings.Repeat("?, ", n), ", ") }

func int64Args(ids []int64) []any {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return args
}

func (st dirStore) replaceSpecialties(ctx context.Context, id int64, ss []Specialty) error {
	if _, err := st.db.Exec(ctx, "DELETE FROM clinician_specialties WHERE clinician_id = ?", id); err != nil {
		return err
	}
	for _, s := range ss {
		if _, err := st.db.Exec(ctx, "INSERT INTO clinician_specialties (clinician_id, code, is_primary) VALUES (?, ?, ?)",
			id, s.Code, s.Primary); err != nil {
			return err
		}
	}
	return nil
}

// specialtiesOf loads the specialty codes of several clinicians at once.
func (st dirStore) specialtiesOf(ctx context.Context, ids []int64) (map[int64][]Specialty, error) {
	out := map[int64][]Specialty{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := st.db.Query(ctx, "SELECT clinician_id, code, is_primary FROM clinician_specialties WHERE clinician_id IN ("+
		placeholders(len(ids))+") ORDER BY clinician_id, is_primary DESC, code", int64Args(ids)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var s Specialty
		if err := rows.Scan(&id, &s.Code, &s.Primary); err != nil {
			return nil, err
		}
		out[id] = append(out[id], s)
	}
	return out, rows.Err()
}

func (st dirStore) replaceClinicianLocations(ctx context.Context, id int64, ls []Location) error {
	if _, err := st.db.Exec(ctx, "DELETE FROM clinician_locations WHERE clinician_id = ?", id); err != nil {
		return err
	}
	for _, l := range ls {
		if _, err := st.db.Exec(ctx, `INSERT INTO clinician_locations (id, clinician_id, org_id, org_location_id, name, street,
			city, state, postal_code, phone, lat, lon) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, l.ID, id, nullable(l.OrgID),
			nullable(l.OrgLocationID), l.Name, l.Street, l.City, l.State, l.PostalCode, l.Phone, l.Point.Lat, l.Point.Lon); err != nil {
			return err
		}
	}
	return nil
}

func (st dirStore) locationsOf(ctx context.Context, ids []int64) (map[int64][]Location, error) {
	out := map[int64][]Location{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := st.db.Query(ctx, `SELECT clinician_id, id, org_id, org_location_id, name, street, city, state, postal_code,
		phone, lat, lon FROM clinician_locations WHERE clinician_id IN (`+placeholders(len(ids))+`) ORDER BY clinician_id, id`,
		int64Args(ids)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var cid int64
		var l Location
		var orgID, orgLoc sql.NullInt64
		if err := rows.Scan(&cid, &l.ID, &orgID, &orgLoc, &l.Name, &l.Street, &l.City, &l.State, &l.PostalCode, &l.Phone,
			&l.Point.Lat, &l.Point.Lon); err != nil {
			return nil, err
		}
		l.OrgID, l.OrgLocationID = orgID.Int64, orgLoc.Int64
		out[cid] = append(out[cid], l)
	}
	return out, rows.Err()
}

// Affiliations.

func (st dirStore) affiliationStatus(ctx context.Context, clinicianID, orgID int64) (string, error) {
	var status string
	err := st.db.QueryRow(ctx, "SELECT status FROM affiliations WHERE clinician_id = ? AND org_id = ?", clinicianID, orgID).Scan(&status)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return status, err
}

func (st dirStore) upsertAffiliation(ctx context.Context, a Affiliation, at time.Time) error {
	_, err := st.db.Exec(ctx, `INSERT INTO affiliations (clinician_id, org_id, title, status, created_at) VALUES (?, ?, ?, 'pending', ?)
		ON CONFLICT (clinician_id, org_id) DO UPDATE SET title = excluded.title,
		status = CASE WHEN affiliations.title = excluded.title THEN affiliations.status ELSE 'pending' END`,
		a.ClinicianID, a.OrgID, a.Title, at.UnixMilli())
	return err
}

func (st dirStore) confirmAffiliation(ctx context.Context, clinicianID, orgID, by int64, at time.Time) (bool, error) {
	res, err := st.db.Exec(ctx, `UPDATE affiliations SET status = 'confirmed', confirmed_by = ?, confirmed_at = ?
		WHERE clinician_id = ? AND org_id = ?`, by, at.UnixMilli(), clinicianID, orgID)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

func (st dirStore) deleteAffiliation(ctx context.Context, clinicianID, orgID int64) (bool, error) {
	res, err := st.db.Exec(ctx, "DELETE FROM affiliations WHERE clinician_id = ? AND org_id = ?", clinicianID, orgID)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

const affiliationSelect = `SELECT a.clinician_id, a.org_id, o.slug, o.name, c.slug, c.first_name, c.last_name, c.credentials,
	a.title, a.status FROM affiliations a JOIN organizations o ON o.id = a.org_id JOIN clinicians c ON c.id = a.clinician_id`

func (st dirStore) affiliations(ctx context.Context, where string, args ...any) ([]Affiliation, error) {
	rows, err := st.db.Query(ctx, affiliationSelect+" WHERE "+where+" ORDER BY o.name, c.sort_name", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Affiliation
	for rows.Next() {
		var a Affiliation
		var first, last, creds, status string
		if err := rows.Scan(&a.ClinicianID, &a.OrgID, &a.OrgSlug, &a.OrgName, &a.ClinicianSlug, &first, &last, &creds,
			&a.Title, &status); err != nil {
			return nil, err
		}
		c := Clinician{FirstName: first, LastName: last, Credentials: creds}
		a.ClinicianName, a.Confirmed = c.Name(), status == "confirmed"
		out = append(out, a)
	}
	return out, rows.Err()
}

// Search index.

func (st dirStore) index(ctx context.Context, id int64, doc string) error {
	if st.db.Dialect() == store.Postgres {
		_, err := st.db.Exec(ctx, `INSERT INTO clinician_search (clinician_id, doc, tsv) VALUES (?, ?, to_tsvector('simple', ?))
			ON CONFLICT (clinician_id) DO UPDATE SET doc = excluded.doc, tsv = excluded.tsv`, id, doc, doc)
		return err
	}
	if _, err := st.db.Exec(ctx, "DELETE FROM clinician_search WHERE rowid = ?", id); err != nil {
		return err
	}
	_, err := st.db.Exec(ctx, "INSERT INTO clinician_search (rowid, doc) VALUES (?, ?)", id, doc)
	return err
}

func (st dirStore) unindex(ctx context.Context, id int64) error {
	col := "rowid"
	if st.db.Dialect() == store.Postgres {
		col = "clinician_id"
	}
	_, err := st.db.Exec(ctx, "DELETE FROM clinician_search WHERE "+col+" = ?", id)
	return err
}

// textMatch returns a subquery yielding (id, rank) for the clinicians whose
// document has every term as a word prefix, with its arguments. Terms are
// already normalized to lowercase letters and digits. Lower rank is better
// on both engines.
func (st dirStore) textMatch(terms []string) (string, []any) {
	q := make([]string, len(terms))
	if st.db.Dialect() == store.Postgres {
		for i, t := range terms {
			q[i] = t + ":*"
		}
		tsq := strings.Join(q, " & ")
		return `SELECT clinician_id AS id, -ts_rank(tsv, to_tsquery('simple', ?)) AS rank FROM clinician_search
			WHERE tsv @@ to_tsquery('simple', ?)`, []any{tsq, tsq}
	}
	for i, t := range terms {
		q[i] = `"` + t + `"*`
	}
	return `SELECT rowid AS id, bm25(clinician_search) AS rank FROM clinician_search WHERE clinician_search MATCH ?`,
		[]any{strings.Join(q, " AND ")}
}

// Sitemap. table is "clinicians" or "organizations", never user input.

// sitemapWhere picks the pages search engines should index: published
// organizations, and published clinicians whom Rounds has verified.
func sitemapWhere(table string) string {
	if table == "clinicians" {
		return " WHERE published = TRUE AND status = 'verified'" // verified implies listed, claimed or not
	}
	return " WHERE published = TRUE"
}

func (st dirStore) countPublished(ctx context.Context, table string) (int, error) {
	var n int
	err := st.db.QueryRow(ctx, "SELECT COUNT(*) FROM "+table+sitemapWhere(table)).Scan(&n)
	return n, err
}

func (st dirStore) publishedSlugs(ctx context.Context, table string, limit, offset int) ([]SitemapEntry, error) {
	rows, err := st.db.Query(ctx, "SELECT slug, updated_at FROM "+table+sitemapWhere(table)+" ORDER BY id LIMIT ? OFFSET ?",
		limit, offset)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []SitemapEntry
	for rows.Next() {
		var e SitemapEntry
		var updated int64
		if err := rows.Scan(&e.Slug, &updated); err != nil {
			return nil, err
		}
		e.Updated = store.Millis(updated)
		out = append(out, e)
	}
	return out, rows.Err()
}
