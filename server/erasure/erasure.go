package erasure

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/segments/segments/server/bitmap"
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
// deleted anyone, and takes the erased members out of their segments'
// stored counts, in all and per website, and out of their bitmaps (kept
// counts of combined segments are stamped with data_changed_at, so they
// are counted again when next asked). When it deleted anyone it runs
// onChange in that transaction too (csvimport.OnChange: with
// REFRESH_ON_CHANGE, a refresh request).
func Customers(ctx context.Context, d *db.DB, r io.Reader, onChange ...csvimport.OnChange) (Result, error) {
	res, err := deleteCustomers(ctx, d, r, onChange)
	var ie *csvimport.Error
	switch {
	case errors.As(err, &ie):
		ie.Undone = "deleted"
	case err != nil:
		err = fmt.Errorf("delete customers: %w", err)
	}
	return res, err
}

func deleteCustomers(ctx context.Context, d *db.DB, r io.Reader, onChange []csvimport.OnChange) (Result, error) {
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
	// The members' own rows go with them (ON DELETE CASCADE); their
	// segments' counts, here. A refresh's write of a segment holds
	// customers in SHARE mode, so no refresh counts these members anew
	// meanwhile.
	if _, err := db.Exec(ctx, tx, `WITH gone AS (
			SELECT sc.segment_id, sc.website_id, count(*) AS n FROM segment_customers sc
			WHERE sc.customer_id IN (SELECT id FROM erase_customers) GROUP BY sc.segment_id, sc.website_id),
		per_website AS (UPDATE segment_website_counts w SET customer_count = w.customer_count - g.n
			FROM gone g WHERE w.segment_id = g.segment_id AND w.website_id = g.website_id)
		UPDATE segments s SET customer_count = s.customer_count - t.n
		FROM (SELECT segment_id, sum(n)::bigint AS n FROM gone GROUP BY segment_id) t WHERE s.id = t.segment_id`); err != nil {
		return res, err
	}
	// A website left without members has no count row, as a refresh
	// leaves it (the table is a row per segment and website: small).
	if _, err := db.Exec(ctx, tx, `DELETE FROM segment_website_counts WHERE customer_count = 0`); err != nil {
		return res, err
	}
	// And their bitmaps, read from the same rows before they cascade away.
	if err := bitmap.Erased(ctx, tx, `SELECT id FROM erase_customers`); err != nil {
		return res, err
	}
	if res.Deleted, err = db.Exec(ctx, tx, `DELETE FROM customers c USING (SELECT DISTINCT id FROM erase_customers) s WHERE c.id = s.id`); err != nil {
		return res, err
	}
	if res.Deleted > 0 {
		if err := catalog.MarkDataChanged(ctx, tx); err != nil {
			return res, err
		}
		for _, fn := range onChange {
			if err := fn(ctx, tx); err != nil {
				return res, err
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return res, fmt.Errorf("commit: %w", err)
	}
	return res, nil
}
