package csvimport

import (
	"context"
	"io"
	"time"

	"github.com/segments/segments/server/db"
)

// ImportCustomersBulk and ImportOrdersBulk import with the smallest bulk
// threshold, so tests run the index-suspending load on small files.
func ImportCustomersBulk(ctx context.Context, d *db.DB, r io.Reader, loc *time.Location, onChange ...OnChange) (Result, error) {
	return run(ctx, d, r, loc, customers, options{bulkMin: 1, onChange: onChange})
}

// ImportOrdersBulk: see ImportCustomersBulk.
func ImportOrdersBulk(ctx context.Context, d *db.DB, r io.Reader, loc *time.Location, onChange ...OnChange) (Result, error) {
	return run(ctx, d, r, loc, orders, options{bulkMin: 1, onChange: onChange})
}
