package store

import "database/sql"

// Scanner is what a store's scanX function reads one record from: a
// *sql.Row or *sql.Rows. An alias, so that functions declared with the
// literal interface type fit it.
type Scanner = interface{ Scan(dest ...any) error }

// Collect reads every row of a query with scan and closes the rows: the
// usual tail of a store method that lists records,
//
//	rows, err := st.db.Query(ctx, q, args...)
//	return store.Collect(rows, err, scanThing)
func Collect[T any](rows *sql.Rows, err error, scan func(Scanner) (T, error)) ([]T, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
