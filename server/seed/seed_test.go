package seed_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/bulk/bulktest"
	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/db/dbtest"
	"github.com/segments/segments/server/rule"
	"github.com/segments/segments/server/seed"
)

var seedNow = time.Date(2026, 11, 29, 15, 4, 5, 0, time.UTC)

func smallSeed(n int64) seed.Options {
	stockholm, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		stockholm = time.FixedZone("CET", 3600)
	}
	return seed.Options{Customers: 500, Orders: 2000, Seed: n, Now: seedNow, Location: stockholm}
}

func count(t *testing.T, d *db.DB, query string, args ...any) int64 {
	t.Helper()
	var n int64
	require.NoError(t, d.Pool.QueryRow(auth.AsSystem(context.Background()), query, args...).Scan(&n), query)
	return n
}

func TestSeedSmallStore(t *testing.T) {
	t.Parallel()
	ctx := auth.AsSystem(context.Background())
	d := dbtest.New(t)
	opts := smallSeed(42)
	_, err := d.Pool.Exec(ctx, `COMMENT ON INDEX customers_name IS 'by name';
		COMMENT ON CONSTRAINT orders_customer_id_fkey ON orders IS 'orders''s customer'`)
	require.NoError(t, err)
	before := bulktest.Schema(t, d)
	require.Contains(t, before, "index customers_pkey")
	require.Contains(t, before, "constraint segment_customers_customer_id_fkey")
	require.Contains(t, before, "comment=by name")
	var changedBefore time.Time
	require.NoError(t, d.Pool.QueryRow(ctx, `SELECT data_changed_at FROM store_state`).Scan(&changedBefore))

	res, err := seed.Run(ctx, d, opts)
	require.NoError(t, err)
	require.EqualValues(t, 500, res.Customers)
	require.EqualValues(t, 2000, res.Orders)
	require.Equal(t, 3, res.Websites)
	require.Equal(t, 4, res.CustomerGroups)
	require.Len(t, res.SegmentIDs, res.Segments)

	require.Equal(t, before, bulktest.Schema(t, d), "indexes and constraints are restored exactly")

	require.EqualValues(t, 500, count(t, d, `SELECT count(*) FROM customers`))
	require.EqualValues(t, 2000, count(t, d, `SELECT count(*) FROM orders`))
	require.EqualValues(t, 3, count(t, d, `SELECT count(*) FROM websites WHERE (code, name) IN
		(('se', 'Sweden Store'), ('no', 'Norway Store'), ('intl', 'International Store'))`))
	require.EqualValues(t, 4, count(t, d, `SELECT count(*) FROM customer_groups WHERE (code, name) IN
		(('general', 'General'), ('wholesale', 'Wholesale'), ('retailer', 'Retailer'), ('vip', 'VIP'))`))
	require.EqualValues(t, 500, count(t, d, `SELECT max(id) FROM customers`), "customer ids are 1..N")
	require.EqualValues(t, 2000, count(t, d, `SELECT max(id) FROM orders`), "order ids are 1..N")

	// Emails: unique per website (and overall), lower-case ASCII.
	require.Zero(t, count(t, d, `SELECT count(*) FROM (SELECT 1 FROM customers GROUP BY website_id, lower(email) HAVING count(*) > 1) x`))
	require.EqualValues(t, 500, count(t, d, `SELECT count(DISTINCT email) FROM customers`))
	require.Zero(t, count(t, d, `SELECT count(*) FROM customers WHERE email !~ '^[a-z0-9._-]+[0-9]+@[a-z0-9.-]+\.[a-z]+$'`))

	// Times: customers in the 3 years before Now; orders after their
	// customer signed up and not after Now.
	require.Zero(t, count(t, d, `SELECT count(*) FROM customers WHERE created_at < $1::timestamptz - interval '3 years' OR created_at > $1`, seedNow))
	require.Zero(t, count(t, d, `SELECT count(*) FROM orders o JOIN customers c ON c.id = o.customer_id
		WHERE o.created_at <= c.created_at OR o.created_at > $1`, seedNow))
	require.Positive(t, count(t, d, `SELECT count(*) FROM customers WHERE created_at > $1::timestamptz - interval '30 days'`, seedNow),
		"some customers are new")

	// Unicode names, Nordic and others.
	require.Positive(t, count(t, d, `SELECT count(*) FROM customers WHERE first_name || last_name ~ '[åäöÅÄÖ]'`))
	require.Positive(t, count(t, d, `SELECT count(*) FROM customers WHERE first_name || last_name ~ '[øæØÆ]'`))
	require.Positive(t, count(t, d, `SELECT count(*) FROM customers WHERE first_name || last_name ~ '[^[:ascii:]]' AND country NOT IN ('SE', 'NO', 'DK', 'FI', 'IS')`))

	// Addresses: countries weighted per website, local phone formats,
	// optional fields sometimes NULL (never '').
	require.Positive(t, count(t, d, `SELECT count(*) FROM customers c JOIN websites w ON w.id = c.website_id
		WHERE w.code = 'se' AND c.country = 'SE'`))
	require.Greater(t, count(t, d, `SELECT count(DISTINCT country) FROM customers`), int64(6))
	require.Zero(t, count(t, d, `SELECT count(*) FROM customers WHERE country = 'SE' AND phone !~ '^\+46 [0-9 ]+$'`))
	require.Zero(t, count(t, d, `SELECT count(*) FROM customers WHERE country = 'SE' AND zip !~ '^[1-9][0-9]{2} [0-9]{2}$'`))
	require.Zero(t, count(t, d, `SELECT count(*) FROM customers WHERE country = 'NO' AND (phone !~ '^\+47 [49][0-9]{2} [0-9]{2} [0-9]{3}$' OR zip !~ '^[0-9]{4}$')`))
	require.Zero(t, count(t, d, `SELECT count(*) FROM customers WHERE country = 'US' AND phone !~ '^\+1 [0-9]{3}-[0-9]{3}-[0-9]{4}$'`))
	for _, col := range []string{"phone", "zip", "region", "city", "country"} {
		require.Positive(t, count(t, d, fmt.Sprintf(`SELECT count(*) FROM customers WHERE %s IS NULL`, col)), "some %s NULL", col)
		require.Positive(t, count(t, d, fmt.Sprintf(`SELECT count(*) FROM customers WHERE %s IS NOT NULL`, col)), "most %s set", col)
	}
	require.Zero(t, count(t, d, `SELECT count(*) FROM customers WHERE country IS NULL AND (phone IS NOT NULL OR zip IS NOT NULL OR region IS NOT NULL OR city IS NOT NULL)`))

	// Orders: tidy statuses, money with two decimals, customers without
	// orders and a few heavy buyers.
	require.Zero(t, count(t, d, `SELECT count(*) FROM orders WHERE status NOT IN ('complete', 'processing', 'pending', 'canceled', 'closed')`))
	require.Greater(t, count(t, d, `SELECT count(*) FROM orders WHERE status = 'complete'`), int64(1000))
	require.EqualValues(t, 5, count(t, d, `SELECT count(DISTINCT status) FROM orders`))
	require.Zero(t, count(t, d, `SELECT count(*) FROM orders WHERE grand_total <= 0 OR grand_total <> round(grand_total, 2)`))
	require.Positive(t, count(t, d, `SELECT count(*) FROM customers c WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id)`))
	require.Positive(t, count(t, d, `SELECT count(*) FROM (SELECT 1 FROM orders GROUP BY customer_id HAVING count(*) >= 20) x`))

	// Demo segments: valid rule trees, websites, one inactive.
	require.GreaterOrEqual(t, res.Segments, 10)
	require.EqualValues(t, res.Segments, count(t, d, `SELECT count(*) FROM segments`))
	require.EqualValues(t, 1, count(t, d, `SELECT count(*) FROM segments WHERE NOT is_active`))
	require.Zero(t, count(t, d, `SELECT count(*) FROM segments s WHERE NOT EXISTS (SELECT 1 FROM segment_websites w WHERE w.segment_id = s.id)`))
	require.Positive(t, count(t, d, `SELECT count(*) FROM (SELECT 1 FROM segment_websites GROUP BY segment_id HAVING count(*) = 3) x`))
	require.Positive(t, count(t, d, `SELECT count(*) FROM (SELECT 1 FROM segment_websites GROUP BY segment_id HAVING count(*) = 1 OR count(*) = 2) x`))

	rows, err := d.Pool.Query(ctx, `SELECT name, conditions FROM segments ORDER BY id`)
	require.NoError(t, err)
	defer rows.Close()
	var sawFalse, sawAny, sawWithin, sawStatuses bool
	names := map[string]bool{}
	for rows.Next() {
		var name string
		var raw []byte
		require.NoError(t, rows.Scan(&name, &raw))
		names[name] = true
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		var g rule.Group
		require.NoError(t, dec.Decode(&g), name)
		again, err := json.Marshal(g)
		require.NoError(t, err)
		require.JSONEq(t, string(raw), string(again), "%s: stored JSON is exactly the rule.Group shape", name)
		walk(t, name, g, 1, func(g rule.Group) {
			sawFalse = sawFalse || !g.Expect
			sawAny = sawAny || g.Match == rule.MatchAny
		}, func(o *rule.OrderCondition) {
			sawWithin = sawWithin || o.WithinDays != nil
			sawStatuses = sawStatuses || len(o.Statuses) > 0
		})
	}
	require.NoError(t, rows.Err())
	require.True(t, sawFalse && sawAny && sawWithin && sawStatuses, "the demo rules use FALSE and ANY groups, withinDays and statuses")
	for _, n := range []string{"Swedish wholesale customers with 3+ orders in the last year", "VIP customers", "Nordic customers", "Gmail users", "Customers without orders"} {
		require.True(t, names[n], n)
	}
	// The Gmail rule matches what the data has.
	require.Positive(t, count(t, d, `SELECT count(*) FROM customers WHERE email LIKE '%@gmail.%'`))

	var changedAfter time.Time
	require.NoError(t, d.Pool.QueryRow(ctx, `SELECT data_changed_at FROM store_state`).Scan(&changedAfter))
	require.True(t, changedAfter.After(changedBefore), "store_state.data_changed_at bumped")
	require.Positive(t, count(t, d, `SELECT reltuples::bigint FROM pg_class WHERE oid = 'orders'::regclass`), "tables analyzed")
}

// walk checks the shape of a rule tree (every condition has exactly one of
// group, customer, orders; values are present and canonical) and calls
// onGroup and onOrders on its nodes.
func walk(t *testing.T, path string, g rule.Group, depth int, onGroup func(rule.Group), onOrders func(*rule.OrderCondition)) {
	t.Helper()
	require.LessOrEqual(t, depth, 5, path)
	require.Contains(t, []rule.Match{rule.MatchAll, rule.MatchAny}, g.Match, path)
	require.NotNil(t, g.Conditions, path)
	onGroup(g)
	for i, c := range g.Conditions {
		p := fmt.Sprintf("%s.conditions[%d]", path, i)
		set := 0
		if c.Group != nil {
			set++
			walk(t, p, *c.Group, depth+1, onGroup, onOrders)
		}
		if c.Customer != nil {
			set++
			require.NotNil(t, c.Customer.Values, p)
			switch c.Customer.Field {
			case rule.FieldCountry:
				for _, v := range c.Customer.Values {
					require.Regexp(t, `^[A-Z]{2}$`, v, p)
				}
			case rule.FieldGroup, rule.FieldWebsite:
				for _, v := range c.Customer.Values {
					require.Contains(t, []string{"general", "wholesale", "retailer", "vip", "se", "no", "intl"}, v, p)
				}
			case rule.FieldCustomerSince:
				for _, v := range c.Customer.Values {
					_, err := time.Parse(time.DateOnly, v)
					require.NoError(t, err, p)
				}
			}
		}
		if c.Orders != nil {
			set++
			require.NotEmpty(t, c.Orders.Values, p)
			onOrders(c.Orders)
		}
		require.Equal(t, 1, set, "%s: exactly one of group, customer, orders", p)
	}
}

func checksum(t *testing.T, d *db.DB) string {
	t.Helper()
	var s string
	require.NoError(t, d.Pool.QueryRow(auth.AsSystem(context.Background()), `
		SELECT concat_ws(' ',
		  (SELECT md5(string_agg(concat_ws('|', c.id, w.code, g.code, c.email, c.first_name, c.last_name,
		           extract(epoch FROM c.created_at), c.phone, c.zip, c.country, c.region, c.city), E'\n' ORDER BY c.id))
		     FROM customers c JOIN websites w ON w.id = c.website_id JOIN customer_groups g ON g.id = c.group_id),
		  (SELECT md5(string_agg(concat_ws('|', id, customer_id, status, grand_total, extract(epoch FROM created_at)), E'\n' ORDER BY id))
		     FROM orders),
		  (SELECT md5(string_agg(concat_ws('|', s.id, s.name, s.description, s.is_active, s.conditions::text,
		           (SELECT string_agg(w.code, ',' ORDER BY w.code) FROM segment_websites sw JOIN websites w ON w.id = sw.website_id WHERE sw.segment_id = s.id)),
		           E'\n' ORDER BY s.id))
		     FROM segments s))`).Scan(&s))
	return s
}

func TestSeedIsDeterministic(t *testing.T) {
	t.Parallel()
	ctx := auth.AsSystem(context.Background())
	sums := make([]string, 3)
	for i, n := range []int64{7, 7, 8} {
		d := dbtest.New(t)
		_, err := seed.Run(ctx, d, smallSeed(n))
		require.NoError(t, err)
		sums[i] = checksum(t, d)
	}
	require.Equal(t, sums[0], sums[1], "same options, same rows")
	require.NotEqual(t, sums[0], sums[2], "another seed, other rows")
}

func TestSeedRefusesNonEmptyStore(t *testing.T) {
	t.Parallel()
	ctx := auth.AsSystem(context.Background())

	t.Run("seeded", func(t *testing.T) {
		t.Parallel()
		d := dbtest.New(t)
		opts := smallSeed(1)
		_, err := seed.Run(ctx, d, opts)
		require.NoError(t, err)
		before := checksum(t, d)
		_, err = seed.Run(ctx, d, opts)
		require.ErrorIs(t, err, seed.ErrStoreNotEmpty)
		require.ErrorContains(t, err, "already has customers")
		require.Equal(t, before, checksum(t, d), "nothing changed")
	})

	t.Run("one customer", func(t *testing.T) {
		t.Parallel()
		d := dbtest.New(t)
		_, err := d.Pool.Exec(ctx, `
			WITH w AS (INSERT INTO websites (code, name) VALUES ('se', 'Sverige') RETURNING id),
			     g AS (INSERT INTO customer_groups (code, name) VALUES ('general', 'General') RETURNING id)
			INSERT INTO customers (id, website_id, group_id, email, first_name, last_name, created_at)
			SELECT 1, w.id, g.id, 'asa@example.se', 'Åsa', 'Ångström', now() FROM w, g`)
		require.NoError(t, err)
		_, err = seed.Run(ctx, d, smallSeed(1))
		require.ErrorIs(t, err, seed.ErrStoreNotEmpty)
		require.EqualValues(t, 1, count(t, d, `SELECT count(*) FROM customers`))
		require.Zero(t, count(t, d, `SELECT count(*) FROM segments`))
		require.EqualValues(t, 1, count(t, d, `SELECT count(*) FROM websites`))
	})

	t.Run("segments only", func(t *testing.T) {
		t.Parallel()
		d := dbtest.New(t)
		_, err := d.Pool.Exec(ctx, `INSERT INTO segments (name, conditions) VALUES ('Mine', '{"match":"ALL","expect":true,"conditions":[]}')`)
		require.NoError(t, err)
		res, err := seed.Run(ctx, d, smallSeed(1))
		require.NoError(t, err, "segments without customers do not make a store non-empty")
		require.EqualValues(t, 1+res.Segments, count(t, d, `SELECT count(*) FROM segments`), "the demo segments are added")
		require.EqualValues(t, 1, count(t, d, `SELECT count(*) FROM segments WHERE name = 'Mine'`))
	})
}

func TestSeedReusesExistingWebsitesAndGroups(t *testing.T) {
	t.Parallel()
	ctx := auth.AsSystem(context.Background())
	d := dbtest.New(t)
	_, err := d.Pool.Exec(ctx, `INSERT INTO websites (code, name) VALUES ('b2b', 'Trade'), ('se', 'Sverige')`)
	require.NoError(t, err)
	res, err := seed.Run(ctx, d, seed.Options{Customers: 50, Orders: 100, Seed: 3, Now: seedNow})
	require.NoError(t, err)
	require.Equal(t, 3, res.Websites)
	require.EqualValues(t, 4, count(t, d, `SELECT count(*) FROM websites`))
	require.EqualValues(t, 1, count(t, d, `SELECT count(*) FROM websites WHERE code = 'se' AND name = 'Sverige'`), "an existing website keeps its name")
	require.Zero(t, count(t, d, `SELECT count(*) FROM customers c JOIN websites w ON w.id = c.website_id WHERE w.code = 'b2b'`))
	require.EqualValues(t, 50, count(t, d, `SELECT count(*) FROM customers`))
	require.EqualValues(t, 100, count(t, d, `SELECT count(*) FROM orders`))
}

func TestSeedOptions(t *testing.T) {
	t.Parallel()
	ctx := auth.AsSystem(context.Background())
	d := dbtest.New(t)

	_, err := seed.Run(ctx, d, seed.Options{Customers: -1})
	require.ErrorContains(t, err, "must not be negative")
	_, err = seed.Run(ctx, d, seed.Options{Orders: 10})
	require.ErrorContains(t, err, "need at least one customer")

	// A tiny store still gets exactly the orders asked for, and zero Now
	// and Location mean now and UTC.
	res, err := seed.Run(ctx, d, seed.Options{Customers: 1, Orders: 7, Seed: 5})
	require.NoError(t, err)
	require.EqualValues(t, 1, res.Customers)
	require.EqualValues(t, 7, count(t, d, `SELECT count(*) FROM orders WHERE customer_id = 1 AND created_at <= now()`))
}
