package erasure

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/segments/segments/server/catalog"
	"github.com/segments/segments/server/csvimport"
	"github.com/segments/segments/server/db"
)

// Result reports what Customers did.
type Result struct {
	// Deleted counts the customers deleted, each with its orders and
	// segment memberships.
	Deleted int64
	// Missing lists, sorted and once each, the ids in the file that no
	// customer has (already deleted, or never imported).
	Missing []int64
}

// Customers deletes the customers whose ids the file lists; their orders
// and segment memberships go with them (ON DELETE CASCADE). Ids no customer
// has are reported in Missing, not as an error, so the same file can be
// run twice.
//
// The file is one id per line, or a CSV file with an "id" column (see
// csvimport.StageIDs). An id that is not a positive whole number makes it
// *csvimport.Error (nothing was deleted), listing every bad line.
//
// It is one transaction that also bumps store_state.data_changed_at when it
// deleted anyone; segment counts update at the next refresh.
func Customers(ctx context.Context, d *db.DB, r io.Reader) (Result, error) {
	res, err := deleteCustomers(ctx, d, r)
	var ie *csvimport.Error
	switch {
	case errors.As(err, &ie):
		ie.Undone = "deleted"
	case err != nil:
		err = fmt.Errorf("delete customers: %w", err)
	}
	return res, err
}

func deleteCustomers(ctx context.Context, d *db.DB, r io.Reader) (Result, error) {
	var res Result
	conn, tx, err := csvimport.Begin(ctx, d)
	if err != nil {
		return res, err
	}
	defer conn.Close()
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit

	if err := csvimport.StageIDs(ctx, conn, tx, r, "erase_customers"); err != nil {
		return res, err
	}
	// Imports of customers wait until this commits, so an id reported
	// missing is not imported halfway through.
	if _, err := db.Exec(ctx, tx, `LOCK TABLE customers IN SHARE ROW EXCLUSIVE MODE`); err != nil {
		return res, err
	}
	if err := db.Select(ctx, tx, &res.Missing, `SELECT DISTINCT id FROM erase_customers s
		WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = s.id) ORDER BY id`); err != nil {
		return res, err
	}
	if res.Deleted, err = db.Exec(ctx, tx, `DELETE FROM customers c USING (SELECT DISTINCT id FROM erase_customers) s WHERE c.id = s.id`); err != nil {
		return res, err
	}
	if res.Deleted > 0 {
		if err := catalog.MarkDataChanged(ctx, tx); err != nil {
			return res, err
		}
	}
	if err := tx.Commit(); err != nil {
		return res, fmt.Errorf("commit: %w", err)
	}
	return res, nil
}
