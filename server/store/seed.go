package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/segments/segments/server/db"
)

// Default sizes for `segments seed` (and `make run`).
const (
	DefaultSeedCustomers = 10_000
	DefaultSeedOrders    = 50_000
)

// ErrStoreNotEmpty is returned (wrapped) by Seed when the store already has
// customers.
var ErrStoreNotEmpty = errors.New("store is not empty")

// SeedOptions says how much demo data Seed generates and from which random
// seed. The same options give the same rows.
type SeedOptions struct {
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

// SeedResult reports what Seed created.
type SeedResult struct {
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

// Seed fills an empty store with demo data: 3 websites (se, no, intl), 4
// customer groups (general, wholesale, retailer, vip; existing rows with
// those codes are reused), opts.Customers customers with ids 1..N and
// their addresses, opts.Orders orders with ids 1..M, and about a dozen demo
// segments (one inactive; added to any segments already there). It refuses
// (ErrStoreNotEmpty) a store that already has customers. Everything is
// written in one
// transaction that locks customers and orders for its duration; then the
// tables are analyzed and store_state.data_changed_at is bumped. It does
// not refresh the segments: the caller does.
func Seed(ctx context.Context, d *db.DB, opts SeedOptions) (SeedResult, error) {
	began := time.Now()
	var res SeedResult
	if opts.Customers < 0 || opts.Orders < 0 {
		return res, fmt.Errorf("seed: customers (%d) and orders (%d) must not be negative", opts.Customers, opts.Orders)
	}
	if opts.Orders > 0 && opts.Customers == 0 {
		return res, fmt.Errorf("seed: %d orders need at least one customer", opts.Orders)
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	if opts.Location == nil {
		opts.Location = time.UTC
	}

	conn, err := d.Pool.Acquire(ctx)
	if err != nil {
		return res, fmt.Errorf("seed: %w", err)
	}
	defer conn.Release()
	tx, err := conn.Begin(ctx)
	if err != nil {
		return res, fmt.Errorf("seed: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // a no-op after Commit

	// Refuse a store in use before taking any lock on it.
	if err := checkEmpty(ctx, tx); err != nil {
		return res, err
	}
	// A large seed runs for a while: no statement timeout. Index builds
	// sort in memory with enough maintenance_work_mem (and get parallel
	// workers); JIT would only add compile time to the foreign-key checks.
	for _, stmt := range []string{
		`SET LOCAL statement_timeout = 0`,
		`SET LOCAL lock_timeout = '30s'`,
		`SET LOCAL jit = off`,
		`SELECT set_config('maintenance_work_mem', '512MB', true)
		  WHERE pg_size_bytes(current_setting('maintenance_work_mem')) < pg_size_bytes('512MB')`,
		// The load suspends the indexes of customers and orders (below), so
		// nobody may use those tables until it commits; a concurrent seed
		// or import waits, then finds the store filled.
		`LOCK TABLE customers, orders IN ACCESS EXCLUSIVE MODE`,
	} {
		if _, err := tx.Exec(ctx, stmt); err != nil {
			return res, fmt.Errorf("seed: %w", err)
		}
	}
	if err := checkEmpty(ctx, tx); err != nil {
		return res, err
	}

	websiteIDs, err := upsertCodes(ctx, tx, "websites", len(seedWebsites), func(i int) (string, string) { return seedWebsites[i].code, seedWebsites[i].name })
	if err != nil {
		return res, err
	}
	groupIDs, err := upsertCodes(ctx, tx, "customer_groups", len(seedGroups), func(i int) (string, string) { return seedGroups[i].code, seedGroups[i].name })
	if err != nil {
		return res, err
	}
	res.Websites, res.CustomerGroups = len(websiteIDs), len(groupIDs)

	// Loading into indexed tables costs a btree insertion per row and index
	// (ICU comparisons for the text ones) and a foreign-key check per row;
	// building each index once with a sort after the load is several times
	// faster. The store is empty and the tables locked, so nobody sees the
	// difference, and the definitions come from the catalog, so the schema
	// is identical afterwards.
	restore, err := suspendIndexes(ctx, tx, []string{"customers", "orders"})
	if err != nil {
		return res, err
	}

	pg := tx.Conn().PgConn()
	t := time.Now()
	tag, err := pg.CopyFrom(ctx, newCopyReader(newCustomerRows(newSeedGen(opts, websiteIDs, groupIDs))),
		`COPY customers (id, website_id, group_id, email, first_name, last_name, created_at, phone, zip, country, region, city)
		 FROM STDIN (FORMAT binary)`)
	if err != nil {
		return res, fmt.Errorf("seed: copy customers: %w", err)
	}
	res.Customers, res.CustomersTime = tag.RowsAffected(), time.Since(t)

	t = time.Now()
	tag, err = pg.CopyFrom(ctx, newCopyReader(newOrderRows(newSeedGen(opts, websiteIDs, groupIDs), uint64(opts.Orders))),
		`COPY orders (id, customer_id, status, grand_total, created_at) FROM STDIN (FORMAT binary)`)
	if err != nil {
		return res, fmt.Errorf("seed: copy orders: %w", err)
	}
	res.Orders, res.OrdersTime = tag.RowsAffected(), time.Since(t)

	t = time.Now()
	for _, stmt := range restore {
		if _, err := tx.Exec(ctx, stmt); err != nil {
			return res, fmt.Errorf("seed: restore index or constraint (%s): %w", stmt, err)
		}
	}
	res.IndexTime = time.Since(t)

	ids, err := insertSeedSegments(ctx, tx, opts, websiteIDs)
	if err != nil {
		return res, err
	}
	res.Segments, res.SegmentIDs = len(ids), ids

	if _, err := tx.Exec(ctx, `UPDATE store_state SET data_changed_at = clock_timestamp()`); err != nil {
		return res, fmt.Errorf("seed: %w", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return res, fmt.Errorf("seed: commit: %w", err)
	}
	if _, err := conn.Exec(ctx, `ANALYZE websites, customer_groups, customers, orders, segments, segment_websites`); err != nil {
		return res, fmt.Errorf("seed: analyze: %w", err)
	}
	res.Elapsed = time.Since(began)
	return res, nil
}

func checkEmpty(ctx context.Context, tx pgx.Tx) error {
	var hasCustomers bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM customers)`).Scan(&hasCustomers); err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	if hasCustomers {
		return fmt.Errorf("seed: %w: it already has customers; seed only a new, empty database", ErrStoreNotEmpty)
	}
	return nil
}

// suspendIndexes drops every index of tables (primary keys and unique
// constraints included) and every foreign key from or to them, and returns
// the statements that recreate them exactly as they were: same names,
// definitions and comments, read from the catalog. Restoring runs in the
// order that works: constraints with an index, other indexes, foreign keys.
func suspendIndexes(ctx context.Context, tx pgx.Tx, tables []string) ([]string, error) {
	rows, err := tx.Query(ctx, `
		WITH t AS (SELECT unnest($1::regclass[]) AS rel)
		-- step 1: foreign keys from or to the tables
		SELECT 1 AS step, c.oid::bigint AS ord,
		       format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::regclass, c.conname) AS drop,
		       format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.conrelid::regclass, c.conname, pg_get_constraintdef(c.oid)) AS create,
		       CASE WHEN d.description IS NOT NULL THEN
		         format('COMMENT ON CONSTRAINT %I ON %s IS %L', c.conname, c.conrelid::regclass, d.description) END AS comment
		  FROM pg_constraint c
		  LEFT JOIN pg_description d ON d.classoid = 'pg_constraint'::regclass AND d.objoid = c.oid AND d.objsubid = 0
		 WHERE c.contype = 'f' AND (c.conrelid IN (SELECT rel FROM t) OR c.confrelid IN (SELECT rel FROM t))
		UNION ALL
		-- step 2: primary key, unique and exclusion constraints
		SELECT 2, c.oid::bigint,
		       format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::regclass, c.conname),
		       format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.conrelid::regclass, c.conname, pg_get_constraintdef(c.oid)),
		       CASE WHEN d.description IS NOT NULL THEN
		         format('COMMENT ON CONSTRAINT %I ON %s IS %L', c.conname, c.conrelid::regclass, d.description) END
		  FROM pg_constraint c
		  LEFT JOIN pg_description d ON d.classoid = 'pg_constraint'::regclass AND d.objoid = c.oid AND d.objsubid = 0
		 WHERE c.contype IN ('p', 'u', 'x') AND c.conrelid IN (SELECT rel FROM t)
		UNION ALL
		-- step 3: other indexes
		SELECT 3, i.indexrelid::bigint,
		       format('DROP INDEX %s', i.indexrelid::regclass),
		       pg_get_indexdef(i.indexrelid),
		       CASE WHEN d.description IS NOT NULL THEN
		         format('COMMENT ON INDEX %s IS %L', i.indexrelid::regclass, d.description) END
		  FROM pg_index i
		  LEFT JOIN pg_description d ON d.classoid = 'pg_class'::regclass AND d.objoid = i.indexrelid AND d.objsubid = 0
		 WHERE i.indrelid IN (SELECT rel FROM t)
		   AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid)
		 ORDER BY 1, 2`, tables)
	if err != nil {
		return nil, fmt.Errorf("seed: read index definitions: %w", err)
	}
	type ddl struct {
		step, ord    int64
		drop, create string
		comment      *string // NULL when there is no comment
	}
	ddls, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (ddl, error) {
		var x ddl
		err := r.Scan(&x.step, &x.ord, &x.drop, &x.create, &x.comment)
		return x, err
	})
	if err != nil {
		return nil, fmt.Errorf("seed: read index definitions: %w", err)
	}
	// Drop foreign keys first (they depend on the primary keys); recreate
	// in the opposite order.
	var restore []string
	for _, x := range ddls {
		if _, err := tx.Exec(ctx, x.drop); err != nil {
			return nil, fmt.Errorf("seed: %s: %w", x.drop, err)
		}
	}
	for _, step := range []int64{2, 3, 1} {
		for _, x := range ddls {
			if x.step != step {
				continue
			}
			restore = append(restore, x.create)
			if x.comment != nil {
				restore = append(restore, *x.comment)
			}
		}
	}
	return restore, nil
}

// upsertCodes makes sure the n (code, name) rows exist in table (keeping
// an existing row's name) and returns their ids in the same order.
func upsertCodes(ctx context.Context, tx pgx.Tx, table string, n int, row func(int) (string, string)) ([]int64, error) {
	codes, names := make([]string, n), make([]string, n)
	for i := range n {
		codes[i], names[i] = row(i)
	}
	q := fmt.Sprintf(`WITH t AS (SELECT * FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t(code, name, n))
		INSERT INTO %[1]s (code, name) SELECT code, name FROM t ORDER BY n ON CONFLICT (code) DO NOTHING`, table)
	if _, err := tx.Exec(ctx, q, codes, names); err != nil {
		return nil, fmt.Errorf("seed: insert %s: %w", table, err)
	}
	ids := make([]int64, n)
	for i, c := range codes {
		if err := tx.QueryRow(ctx, fmt.Sprintf(`SELECT id FROM %s WHERE code = $1`, table), c).Scan(&ids[i]); err != nil {
			return nil, fmt.Errorf("seed: read %s %q: %w", table, c, err)
		}
	}
	return ids, nil
}

func insertSeedSegments(ctx context.Context, tx pgx.Tx, opts SeedOptions, websiteIDs []int64) ([]int64, error) {
	byCode := map[string]int64{}
	for i, w := range seedWebsites {
		byCode[w.code] = websiteIDs[i]
	}
	var ids []int64
	for _, s := range seedSegments(opts.Now, opts.Location) {
		conds, err := json.Marshal(s.rule)
		if err != nil {
			return nil, fmt.Errorf("seed: segment %q: %w", s.name, err)
		}
		var id int64
		if err := tx.QueryRow(ctx, `INSERT INTO segments (name, description, is_active, conditions)
			VALUES ($1, $2, $3, $4) RETURNING id`, s.name, s.description, s.active, string(conds)).Scan(&id); err != nil {
			return nil, fmt.Errorf("seed: insert segment %q: %w", s.name, err)
		}
		webs := s.websites
		if webs == nil {
			for _, w := range seedWebsites {
				webs = append(webs, w.code)
			}
		}
		for _, code := range webs {
			if _, err := tx.Exec(ctx, `INSERT INTO segment_websites (segment_id, website_id) VALUES ($1, $2)`, id, byCode[code]); err != nil {
				return nil, fmt.Errorf("seed: insert segment %q websites: %w", s.name, err)
			}
		}
		ids = append(ids, id)
	}
	return ids, nil
}
