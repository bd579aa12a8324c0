package csvimport

import (
	"context"
	"io"
	"time"

	"github.com/uptrace/bun"

	"github.com/segments/segments/server/bulk"

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

// orders describes the order file.
var orders = &kind{
	what:  "order",
	table: "orders",
	alias: "o",
	columns: []column{
		oID:         {"id", true},
		oCustomerID: {"customer_id", true},
		oStatus:     {"status", true},
		oGrandTotal: {"grand_total", true},
		oCreatedAt:  {"created_at", true},
	},
	staging: `customer_id bigint, status text, grand_total text, created_at timestamptz`,
	fields:  4,
	stage: func(f *lineFields, b []byte, loc *time.Location) []byte {
		cust, ok := f.id(oCustomerID)
		b = bulk.AppendInt8OrNull(b, cust, ok)
		status, ok := f.text(oStatus)
		b = appendTextOrNull(b, status, ok)
		total, ok := f.money(oGrandTotal)
		b = appendTextOrNull(b, total, ok)
		t, _ := f.time(oCreatedAt, loc)
		return bulk.AppendTime(b, t)
	},
	// The customers the orders need must stay until commit (SHARE blocks
	// customer imports and deletes, not readers), and no other import may
	// write orders meanwhile.
	locks: []string{
		`LOCK TABLE customers IN SHARE MODE`,
		`LOCK TABLE orders IN SHARE ROW EXCLUSIVE MODE`,
	},
	// Dropping the foreign key to customers locks customers exclusively
	// as well.
	bulkLocks: "customers, orders",
	// numeric equality ignores scale: 10.5 and 10.50 are the same amount.
	source: `(SELECT id, customer_id, status, grand_total::numeric(20, 4) AS grand_total, created_at FROM import_orders) x`,
	cols: func(func(int) bool) []string {
		return []string{"customer_id", "status", "grand_total", "created_at"}
	},
	explain: checkOrderCustomers,
}

// ImportOrders imports an order CSV file (docs/files.md): it inserts new
// orders and updates those whose values differ (by id). Every order's
// customer must already be in the database (import customers first). loc
// is the store's time zone, for times written without an offset (nil means
// UTC).
//
// Like ImportCustomers it is all or nothing: any bad line gives *Error
// listing every problem and changes nothing; success is one transaction
// that also bumps store_state.data_changed_at and runs onChange when
// anything changed.
// Statuses are stored as written (trimmed); rules match them ignoring case.
func ImportOrders(ctx context.Context, d *db.DB, r io.Reader, loc *time.Location, onChange ...OnChange) (Result, error) {
	return run(ctx, d, r, loc, orders, defaultOptions(onChange))
}

// checkOrderCustomers adds a problem for every order whose customer is not
// in the database.
func checkOrderCustomers(ctx context.Context, tx bun.Tx, p *problems) error {
	return p.sqlCheck(ctx, tx, `
		SELECT s.line, format('customer %s does not exist; import customers before their orders', s.customer_id), count(*) OVER ()
		  FROM import_orders s
		 WHERE s.customer_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = s.customer_id)
		 ORDER BY s.line LIMIT $1`)
}
