package seed

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/uptrace/bun"

	"github.com/segments/segments/server/actor"
	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/bulk"
	"github.com/segments/segments/server/catalog"
	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/segment"
)

// Default sizes for `segments seed` (and `make run`).
const (
	DefaultCustomers = 10_000
	DefaultOrders    = 50_000
)

// ErrStoreNotEmpty is returned (wrapped) by Run when the store already has
// customers.
var ErrStoreNotEmpty = errors.New("store is not empty")

// Options says how much demo data Run generates and from which random
// seed. The same options give the same rows.
type Options struct {
	// Customers and Orders are the exact numbers of rows to create.
	Customers, Orders int
	// Seed is the deterministic random seed.
	Seed int64
	// Now anchors the data: customers sign up and orders are placed in the
	// three years before it. Zero means time.Now().
	Now time.Time
	// Location is the store's time zone; it shapes the time of day of orders
	// and the dates in the demo segments' rules. Nil means UTC.
	Location *time.Location
}

// Result reports what Run created.
type Result struct {
	Websites       int           // demo websites created or reused
	CustomerGroups int           // demo customer groups created or reused
	Customers      int64         // customers created
	Orders         int64         // orders created
	Segments       int           // demo segments created
	SegmentIDs     []int64       // their ids, in creation order
	CustomersTime  time.Duration // time spent loading customers
	OrdersTime     time.Duration // time spent loading orders
	IndexTime      time.Duration // time spent building indexes and checking foreign keys
	Elapsed        time.Duration // the whole seed, ANALYZE included
}

// Run fills an empty store with demo data: 3 websites (se, no, intl), 4
// customer groups (general, wholesale, retailer, vip; existing rows with
// those codes are reused), opts.Customers customers with ids 1..N and
// their addresses, opts.Orders orders with ids 1..M, and about a dozen demo
// segments (one inactive; added to any segments already there). It refuses
// (ErrStoreNotEmpty) a store that already has customers.
//
// The store data is written in one transaction that locks customers and
// orders for its duration and bumps store_state.data_changed_at; then the
// tables are analyzed and the demo segments created, each in its own
// transaction, through segment.Manager (should one fail, the data stays
// and the error names the segment). It does not refresh the segments: the
// caller does.
func Run(ctx context.Context, d *db.DB, opts Options) (Result, error) {
	res, err := run(ctx, d, opts)
	if err != nil {
		err = fmt.Errorf("seed: %w", err)
	}
	return res, err
}

func run(ctx context.Context, d *db.DB, opts Options) (Result, error) {
	began := time.Now()
	var res Result
	if opts.Customers < 0 || opts.Orders < 0 {
		return res, fmt.Errorf("customers (%d) and orders (%d) must not be negative", opts.Customers, opts.Orders)
	}
	if opts.Orders > 0 && opts.Customers == 0 {
		return res, fmt.Errorf("%d orders need at least one customer", opts.Orders)
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	if opts.Location == nil {
		opts.Location = time.UTC
	}

	conn, err := d.Conn(ctx)
	if err != nil {
		return res, err
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return res, err
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit

	// Refuse a store in use before taking any lock on it.
	if err := checkEmpty(ctx, tx); err != nil {
		return res, err
	}
	// A large seed runs for a while: no statement timeout. Index builds
	// sort in memory with enough maintenance_work_mem (and get parallel
	// workers), as does ordering the orders by date with work_mem; JIT
	// would only add compile time to the foreign-key checks.
	for _, stmt := range []string{
		`SET LOCAL statement_timeout = 0`,
		`SET LOCAL lock_timeout = '30s'`,
		`SET LOCAL jit = off`,
		`SELECT set_config('maintenance_work_mem', '512MB', true)
		  WHERE pg_size_bytes(current_setting('maintenance_work_mem')) < pg_size_bytes('512MB')`,
		`SELECT set_config('work_mem', '256MB', true)
		  WHERE pg_size_bytes(current_setting('work_mem')) < pg_size_bytes('256MB')`,
		// The load suspends the indexes of customers and orders (below), so
		// nobody may use those tables until it commits; a concurrent seed
		// or import waits, then finds the store filled.
		`LOCK TABLE customers, orders IN ACCESS EXCLUSIVE MODE`,
	} {
		if _, err := db.Exec(ctx, tx, stmt); err != nil {
			return res, err
		}
	}
	if err := checkEmpty(ctx, tx); err != nil {
		return res, err
	}

	ws := make([]catalog.Website, len(seedWebsites))
	for i, w := range seedWebsites {
		ws[i] = catalog.Website{Code: w.code, Name: w.name}
	}
	websiteIDs, err := catalog.EnsureWebsites(ctx, tx, ws)
	if err != nil {
		return res, err
	}
	gs := make([]catalog.CustomerGroup, len(seedGroups))
	for i, g := range seedGroups {
		gs[i] = catalog.CustomerGroup{Code: g.code, Name: g.name}
	}
	groupIDs, err := catalog.EnsureCustomerGroups(ctx, tx, gs)
	if err != nil {
		return res, err
	}
	res.Websites, res.CustomerGroups = len(websiteIDs), len(groupIDs)

	// The store is empty and the tables locked, so nobody sees the indexes
	// gone; the definitions come from the catalog, so the schema is
	// identical afterwards.
	restore, err := bulk.SuspendIndexes(ctx, tx, []string{"customers", "orders"})
	if err != nil {
		return res, err
	}

	// The change log incremental refresh reads would hold every customer:
	// skip it, and have every segment (one refreshed while the store was
	// empty, say) evaluated in full next instead.
	if _, err := db.Exec(ctx, tx, `SET LOCAL segments.skip_change_log = 'on';
		UPDATE segments SET refreshed_snapshot = NULL WHERE refreshed_snapshot IS NOT NULL`); err != nil {
		return res, err
	}
	t := time.Now()
	res.Customers, err = bulk.Copy(ctx, conn,
		`COPY customers (id, website_id, group_id, email, first_name, last_name, created_at, phone, zip, country, region, city)
		 FROM STDIN (FORMAT binary)`, bulk.NewReader(newCustomerRows(newSeedGen(opts, websiteIDs, groupIDs))))
	if err != nil {
		return res, fmt.Errorf("copy customers: %w", err)
	}
	res.CustomersTime = time.Since(t)

	// A store takes its orders over time, so its table holds them by date
	// and one customer's orders lie on as many pages as it has orders. The
	// generator makes them customer by customer: loaded into a scratch
	// table first and written by date, they lie as a store's do, and what
	// reads a customer's orders is tried on that layout (at 5M orders, 5 s
	// more than copying them straight in).
	t = time.Now()
	if _, err := db.Exec(ctx, tx, `CREATE TEMP TABLE seed_orders (LIKE orders) ON COMMIT DROP`); err != nil {
		return res, err
	}
	res.Orders, err = bulk.Copy(ctx, conn, `COPY seed_orders (id, customer_id, status, grand_total, created_at) FROM STDIN (FORMAT binary)`,
		bulk.NewReader(newOrderRows(newSeedGen(opts, websiteIDs, groupIDs), uint64(opts.Orders))))
	if err != nil {
		return res, fmt.Errorf("copy orders: %w", err)
	}
	if _, err := db.Exec(ctx, tx, `INSERT INTO orders (id, customer_id, status, grand_total, created_at)
		SELECT id, customer_id, status, grand_total, created_at FROM seed_orders ORDER BY created_at, id`); err != nil {
		return res, fmt.Errorf("write orders by date: %w", err)
	}
	res.OrdersTime = time.Since(t)

	t = time.Now()
	if err := restore.Run(ctx, tx); err != nil {
		return res, err
	}
	res.IndexTime = time.Since(t)

	if err := catalog.MarkDataChanged(ctx, tx); err != nil {
		return res, err
	}
	if err := tx.Commit(); err != nil {
		return res, fmt.Errorf("commit: %w", err)
	}
	if _, err := db.Exec(ctx, conn, `ANALYZE websites, customer_groups, customers, orders`); err != nil {
		return res, fmt.Errorf("analyze: %w", err)
	}

	ids, err := createSegments(ctx, d, opts, websiteIDs)
	if err != nil {
		return res, err
	}
	res.Segments, res.SegmentIDs = len(ids), ids
	if _, err := db.Exec(ctx, conn, `ANALYZE segments, segment_websites`); err != nil {
		return res, fmt.Errorf("analyze: %w", err)
	}
	res.Elapsed = time.Since(began)
	return res, nil
}

func checkEmpty(ctx context.Context, tx bun.Tx) error {
	hasCustomers, err := tx.NewSelect().Table("customers").Exists(ctx)
	if err != nil {
		return err
	}
	if hasCustomers {
		return fmt.Errorf("%w: it already has customers; seed only a new, empty database", ErrStoreNotEmpty)
	}
	return nil
}

// noRefresh schedules nothing: Run leaves refreshing to its caller.
func noRefresh(context.Context, bun.Tx, []int64, actor.Actor, bool) (int64, error) { return 0, nil }

// createSegments creates the demo segments through the segment package,
// which validates each, and returns their ids in creation order.
func createSegments(ctx context.Context, d *db.DB, opts Options, websiteIDs []int64) ([]int64, error) {
	byCode := map[string]int64{}
	for i, w := range seedWebsites {
		byCode[w.code] = websiteIDs[i]
	}
	m := segment.NewManager(d, noRefresh)
	// The demo store is the system's own work, on every website.
	ctx = auth.AsSystem(ctx)
	var ids []int64
	for _, s := range seedSegments(opts.Now, opts.Location) {
		var webs []int64
		for _, w := range seedWebsites {
			if s.websites == nil || slices.Contains(s.websites, w.code) {
				webs = append(webs, byCode[w.code])
			}
		}
		id, err := m.Create(ctx, segment.Input{Name: s.name, Description: &s.description, Active: s.active,
			WebsiteIDs: webs, Conditions: s.rule})
		if err != nil {
			return nil, fmt.Errorf("segment %q: %w", s.name, err)
		}
		ids = append(ids, id)
	}
	return ids, nil
}
