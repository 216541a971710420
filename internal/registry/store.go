package registry

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/rounds-health/rounds/internal/store"
)

// registryStore is the SQL of this package: one query, one method.
type registryStore struct {
	db            *store.DB
	upsertFull    multiRow
	upsertDeact   multiRow
	insertExclude multiRow
}

const providerColumns = `npi, entity_type, replacement_npi, organization_name, last_name, first_name, middle_name,
	name_prefix, name_suffix, credential, primary_taxonomy, taxonomies, address_line1, address_line2, city, state,
	postal_code, phone, enumerated_on, last_updated_on, deactivation_code, deactivated_on, reactivated_on, imported_at`

// A row from the file replaces everything the registry knew about its NPI.
const upsertProviderTail = ` ON CONFLICT (npi) DO UPDATE SET entity_type = excluded.entity_type,
	replacement_npi = excluded.replacement_npi, organization_name = excluded.organization_name,
	last_name = excluded.last_name, first_name = excluded.first_name, middle_name = excluded.middle_name,
	name_prefix = excluded.name_prefix, name_suffix = excluded.name_suffix, credential = excluded.credential,
	primary_taxonomy = excluded.primary_taxonomy, taxonomies = excluded.taxonomies,
	address_line1 = excluded.address_line1, address_line2 = excluded.address_line2, city = excluded.city,
	state = excluded.state, postal_code = excluded.postal_code, phone = excluded.phone,
	enumerated_on = excluded.enumerated_on, last_updated_on = excluded.last_updated_on,
	deactivation_code = excluded.deactivation_code, deactivated_on = excluded.deactivated_on,
	reactivated_on = excluded.reactivated_on, imported_at = excluded.imported_at`

// NPPES publishes a deactivated NPI with its dates only. The registry keeps
// the names and taxonomies it had, so that a claim on a deactivated NPI is
// recognized as such rather than as unknown.
const deactivationColumns = `npi, entity_type, replacement_npi, deactivation_code, deactivated_on, reactivated_on, imported_at`

const upsertDeactivationTail = ` ON CONFLICT (npi) DO UPDATE SET replacement_npi = excluded.replacement_npi,
	deactivation_code = excluded.deactivation_code, deactivated_on = excluded.deactivated_on,
	reactivated_on = excluded.reactivated_on, imported_at = excluded.imported_at`

const exclusionColumns = `id, npi, last_name, first_name, middle_name, business_name, last_key, first_key, general,
	specialty, city, state, exclusion_type, excluded_on, reinstated_on, waiver_on, waiver_state, imported_at`

func newRegistryStore(db *store.DB) registryStore {
	return registryStore{
		db:            db,
		upsertFull:    newMultiRow("INSERT INTO registry_providers ("+providerColumns+") VALUES ", 24, upsertProviderTail),
		upsertDeact:   newMultiRow("INSERT INTO registry_providers ("+deactivationColumns+") VALUES ", 7, upsertDeactivationTail),
		insertExclude: newMultiRow("INSERT INTO registry_exclusions ("+exclusionColumns+") VALUES ", 18, ""),
	}
}

// chunkSizes are the row counts of the multi-row statements. A batch is
// written greedily with the largest that fits, so only these few distinct
// statements exist (and are prepared and cached by the driver); 256 rows
// of 24 values stay far below both engines' limits on bound parameters.
var chunkSizes = [...]int{256, 16, 1}

// multiRow is one INSERT written for each of chunkSizes rows.
type multiRow struct {
	cols int
	sql  map[int]string
}

func newMultiRow(head string, cols int, tail string) multiRow {
	m := multiRow{cols: cols, sql: map[int]string{}}
	tuple := "(" + strings.TrimSuffix(strings.Repeat("?, ", cols), ", ") + ")"
	for _, n := range chunkSizes {
		var b strings.Builder
		b.WriteString(head)
		for i := range n {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(tuple)
		}
		b.WriteString(tail)
		m.sql[n] = b.String()
	}
	return m
}

// execRows writes rows (each m.cols values) with as few statements as the
// chunk sizes allow. It runs in the context's transaction.
func (st registryStore) execRows(ctx context.Context, m multiRow, rows [][]any) error {
	args := make([]any, 0, chunkSizes[0]*m.cols)
	for len(rows) > 0 {
		n := chunkSizes[len(chunkSizes)-1]
		for _, size := range chunkSizes {
			if size <= len(rows) {
				n = size
				break
			}
		}
		args = args[:0]
		for _, r := range rows[:n] {
			args = append(args, r...)
		}
		if _, err := st.db.Exec(ctx, m.sql[n], args...); err != nil {
			return err
		}
		rows = rows[n:]
	}
	return nil
}

func (st registryStore) upsertProviders(ctx context.Context, full, deactivated [][]any) error {
	if err := st.execRows(ctx, st.upsertFull, full); err != nil {
		return err
	}
	return st.execRows(ctx, st.upsertDeact, deactivated)
}

func (st registryStore) insertExclusions(ctx context.Context, rows [][]any) error {
	return st.execRows(ctx, st.insertExclude, rows)
}

func (st registryStore) deleteExclusions(ctx context.Context) error {
	_, err := st.db.Exec(ctx, "DELETE FROM registry_exclusions")
	return err
}

func scanProvider(s interface{ Scan(...any) error }) (*Provider, error) {
	var p Provider
	var entity int
	var primary, taxonomies string
	var enumerated, updated, deactivated, reactivated sql.NullInt64
	var imported int64
	err := s.Scan(&p.NPI, &entity, &p.ReplacementNPI, &p.OrganizationName, &p.LastName, &p.FirstName, &p.MiddleName,
		&p.NamePrefix, &p.NameSuffix, &p.Credential, &primary, &taxonomies, &p.Location.Line1, &p.Location.Line2,
		&p.Location.City, &p.Location.State, &p.Location.PostalCode, &p.Location.Phone, &enumerated, &updated,
		&p.DeactivationCode, &deactivated, &reactivated, &imported)
	if err != nil {
		return nil, err
	}
	p.EntityType = EntityType(entity)
	if err := json.Unmarshal([]byte(taxonomies), &p.Taxonomies); err != nil {
		return nil, err
	}
	p.EnumeratedOn, p.LastUpdatedOn = day(enumerated), day(updated)
	p.DeactivatedOn, p.ReactivatedOn = day(deactivated), day(reactivated)
	p.ImportedAt = time.UnixMilli(imported).UTC()
	return &p, nil
}

// day turns a stored date (Unix milliseconds at UTC midnight) into a time;
// NULL is the zero time.
func day(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return time.UnixMilli(v.Int64).UTC()
}

func (st registryStore) provider(ctx context.Context, npi string) (*Provider, error) {
	p, err := scanProvider(st.db.QueryRow(ctx, "SELECT "+providerColumns+" FROM registry_providers WHERE npi = ?", npi))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return p, err
}

func (st registryStore) providersAfter(ctx context.Context, after string, limit int) ([]*Provider, error) {
	rows, err := st.db.Query(ctx, "SELECT "+providerColumns+" FROM registry_providers WHERE npi > ? ORDER BY npi LIMIT ?", after, limit)
	return store.Collect(rows, err, scanProvider)
}

func (st registryStore) countProviders(ctx context.Context) (int, error) {
	var n int
	err := st.db.QueryRow(ctx, "SELECT COUNT(*) FROM registry_providers").Scan(&n)
	return n, err
}

const exclusionSelect = `SELECT npi, last_name, first_name, middle_name, business_name, general, specialty, city, state,
	exclusion_type, excluded_on, reinstated_on, waiver_on, waiver_state FROM registry_exclusions`

func scanExclusion(s interface{ Scan(...any) error }) (*Exclusion, error) {
	var e Exclusion
	var excluded int64
	var reinstated, waiver sql.NullInt64
	err := s.Scan(&e.NPI, &e.LastName, &e.FirstName, &e.MiddleName, &e.BusinessName, &e.General, &e.Specialty,
		&e.City, &e.State, &e.Type, &excluded, &reinstated, &waiver, &e.WaiverState)
	if err != nil {
		return nil, err
	}
	e.ExcludedOn = time.UnixMilli(excluded).UTC()
	e.ReinstatedOn, e.WaiverOn = day(reinstated), day(waiver)
	return &e, nil
}

// exclusionsByNPI returns the entries listing npi that are in force at now,
// newest first.
func (st registryStore) exclusionsByNPI(ctx context.Context, npi string, now time.Time) ([]*Exclusion, error) {
	return st.exclusions(ctx, exclusionSelect+` WHERE npi = ? AND (reinstated_on IS NULL OR reinstated_on > ?)
		ORDER BY excluded_on DESC, id`, npi, now.UnixMilli())
}

// exclusionsByName returns the entries for a person's name keys that are
// in force at now, newest first.
func (st registryStore) exclusionsByName(ctx context.Context, lastKey, firstKey string, now time.Time) ([]*Exclusion, error) {
	return st.exclusions(ctx, exclusionSelect+` WHERE last_key = ? AND first_key = ?
		AND (reinstated_on IS NULL OR reinstated_on > ?) ORDER BY excluded_on DESC, id`, lastKey, firstKey, now.UnixMilli())
}

func (st registryStore) exclusions(ctx context.Context, query string, args ...any) ([]*Exclusion, error) {
	rows, err := st.db.Query(ctx, query, args...)
	return store.Collect(rows, err, scanExclusion)
}

func (st registryStore) countExclusions(ctx context.Context) (int, error) {
	var n int
	err := st.db.QueryRow(ctx, "SELECT COUNT(*) FROM registry_exclusions").Scan(&n)
	return n, err
}
