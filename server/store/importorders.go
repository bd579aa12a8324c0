package store

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/segments/segments/server/db"
)

// The order file's columns.
const (
	oID = iota
	oCustomerID
	oStatus
	oGrandTotal
	oCreatedAt
)

var orderColumns = []column{
	oID:         {"id", true},
	oCustomerID: {"customer_id", true},
	oStatus:     {"status", true},
	oGrandTotal: {"grand_total", true},
	oCreatedAt:  {"created_at", true},
}

// ImportOrders imports an order CSV file (see DESIGN §6 and the README):
// it inserts new orders and updates those whose values differ (by id).
// Every order's customer must already be in the database (import customers
// first). loc is the store's time zone, for times written without an offset
// (nil means UTC).
//
// Like ImportCustomers it is all or nothing: any bad line gives
// *ImportError listing every problem and changes nothing; success is one
// transaction that also bumps store_state.data_changed_at when anything
// changed. Statuses are stored as written (trimmed); rules match them
// ignoring case.
func ImportOrders(ctx context.Context, d *db.DB, r io.Reader, loc *time.Location) (ImportResult, error) {
	return importOrders(ctx, d, r, loc, defaultImportOptions())
}

func importOrders(ctx context.Context, d *db.DB, r io.Reader, loc *time.Location, opts importOptions) (ImportResult, error) {
	res, err := runOrderImport(ctx, d, r, loc, opts)
	return outcome("import orders", res, err)
}

func runOrderImport(ctx context.Context, d *db.DB, r io.Reader, loc *time.Location, opts importOptions) (ImportResult, error) {
	began := time.Now()
	var res ImportResult
	if loc == nil {
		loc = time.UTC
	}
	var p problems
	cr, _, err := newCSVReader(r)
	if err != nil {
		return res, err
	}
	idx, ok, err := readHeader(cr, orderColumns, &p, "order")
	if err != nil {
		return res, err
	}
	if !ok {
		return res, p.err(r, "")
	}

	conn, tx, err := beginImport(ctx, d)
	if err != nil {
		return res, err
	}
	defer conn.Release()
	defer tx.Rollback(ctx) //nolint:errcheck // a no-op after Commit

	if _, err := tx.Exec(ctx, `CREATE TEMP TABLE import_orders (
		line bigint NOT NULL, id bigint, customer_id bigint, status text, grand_total text, created_at timestamptz) ON COMMIT DROP`); err != nil {
		return res, err
	}
	f := lineFields{idx: idx, cols: orderColumns, p: &p}
	src := &stagedRows{cr: cr, fields: countPresent(idx), p: &p}
	src.row = func(b []byte, line int, rec []string) []byte {
		f.rec, f.line = rec, line
		b = appendFieldCount(b, 6)
		b = appendInt8(b, int64(line))
		id, ok := f.id(oID)
		if ok {
			src.sawID(id)
		}
		b = appendInt8OrNull(b, id, ok)
		cust, ok := f.id(oCustomerID)
		b = appendInt8OrNull(b, cust, ok)
		status, ok := f.text(oStatus)
		b = appendTextOrNull(b, status, ok)
		total, ok := f.money(oGrandTotal)
		b = appendTextOrNull(b, total, ok)
		t, _ := f.time(oCreatedAt, loc)
		return appendTime(b, t)
	}
	if err := stage(ctx, tx, src, `COPY import_orders FROM STDIN (FORMAT binary)`); err != nil {
		return res, err
	}
	res.Rows = src.rows

	// The customers the orders need must stay until commit (SHARE blocks
	// customer imports and deletes, not readers), and no other import may
	// write orders meanwhile.
	for _, stmt := range []string{
		`LOCK TABLE customers IN SHARE MODE`,
		`LOCK TABLE orders IN SHARE ROW EXCLUSIVE MODE`,
	} {
		if _, err := tx.Exec(ctx, stmt); err != nil {
			return res, err
		}
	}
	if src.unsorted {
		if err := checkDuplicateIDs(ctx, tx, &p, "import_orders", "order"); err != nil {
			return res, err
		}
	}
	if p.total > 0 { // the file fails anyway: list all its problems
		if err := checkOrderCustomers(ctx, tx, &p); err != nil {
			return res, err
		}
		return res, p.err(r, "")
	}

	const source = `(SELECT id, customer_id, status, grand_total::numeric(20, 4) AS grand_total, created_at FROM import_orders) x`
	// numeric equality ignores scale: 10.5 and 10.50 are the same amount.
	const changed = `(o.customer_id, o.status, o.grand_total, o.created_at) IS DISTINCT FROM (x.customer_id, x.status, x.grand_total, x.created_at)`
	// How many rows are new and changed decides how to write them. Into
	// an empty table every row is new, and the join is not needed.
	toInsert, toUpdate, existing, err := planUpsert(ctx, tx, "orders o", source, changed, res.Rows)
	if err != nil {
		return res, err
	}
	write := func() error {
		var restore []string
		if useBulk(opts, toInsert, toUpdate, existing) {
			// Dropping the foreign key to customers locks customers
			// exclusively as well: take both locks under lockForBulk's
			// timeout.
			ok, err := lockForBulk(ctx, tx, "customers, orders")
			if err != nil {
				return err
			}
			if ok {
				if restore, err = suspendIndexes(ctx, tx, []string{"orders"}); err != nil {
					return err
				}
				res.RebuiltIndexes = true
			}
		}
		if toUpdate > 0 {
			tag, err := tx.Exec(ctx, `UPDATE orders o SET customer_id = x.customer_id, status = x.status,
				grand_total = x.grand_total, created_at = x.created_at
				FROM `+source+` WHERE o.id = x.id AND `+changed)
			if err != nil {
				return err
			}
			res.Updated = tag.RowsAffected()
		}
		if toInsert > 0 {
			tag, err := tx.Exec(ctx, `INSERT INTO orders (id, customer_id, status, grand_total, created_at)
				SELECT x.id, x.customer_id, x.status, x.grand_total, x.created_at FROM `+source+`
				WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.id = x.id)`)
			if err != nil {
				return err
			}
			res.Inserted = tag.RowsAffected()
		}
		for _, stmt := range restore {
			if _, err := tx.Exec(ctx, stmt); err != nil {
				return fmt.Errorf("rebuild index or constraint (%s): %w", stmt, err)
			}
		}
		return nil
	}
	if err := writeOrExplain(ctx, tx, &p, r, write, func() error { return checkOrderCustomers(ctx, tx, &p) }); err != nil {
		return res, err
	}
	if res.Inserted+res.Updated > 0 {
		if err := bumpDataChanged(ctx, tx); err != nil {
			return res, err
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return res, fmt.Errorf("commit: %w", err)
	}
	analyzeAfter(ctx, conn, "orders", res.Inserted+res.Updated, existing+res.Inserted)
	res.Took = time.Since(began)
	return res, nil
}

// checkOrderCustomers adds a problem for every order whose customer is not
// in the database.
func checkOrderCustomers(ctx context.Context, tx pgx.Tx, p *problems) error {
	return p.sqlCheck(ctx, tx, `
		SELECT s.line, format('customer %s does not exist; import customers before their orders', s.customer_id), count(*) OVER ()
		  FROM import_orders s
		 WHERE s.customer_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = s.customer_id)
		 ORDER BY s.line LIMIT $1`)
}
