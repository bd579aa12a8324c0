package segment_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/csvimport"
	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/db/dbtest"
	"github.com/segments/segments/server/erasure"
	"github.com/segments/segments/server/rule"
	"github.com/segments/segments/server/seed"
	"github.com/segments/segments/server/segment"
)

// timeRules are rules whose verdicts move with the calendar: order windows
// of a day, a week and a month, days since the last order and since signup
// (equalities and bounds), negated groups, one fixed-date rule, and rules
// whose customer fields decide some customers whatever their orders.
var timeRules = []string{
	`{"match":"ALL","expect":true,"conditions":[{"orders":{"measure":"ORDER_COUNT","operator":"GTE","values":["1"],"withinDays":1}}]}`,
	`{"match":"ALL","expect":true,"conditions":[{"orders":{"measure":"ORDER_COUNT","operator":"GTE","values":["2"],"withinDays":7}}]}`,
	`{"match":"ALL","expect":true,"conditions":[{"orders":{"measure":"SALES_TOTAL","operator":"GT","values":["300"],"withinDays":30,"statuses":["complete"]}}]}`,
	`{"match":"ALL","expect":true,"conditions":[{"orders":{"measure":"DAYS_SINCE_LAST_ORDER","operator":"GT","values":["3"]}}]}`,
	`{"match":"ALL","expect":true,"conditions":[{"orders":{"measure":"DAYS_SINCE_LAST_ORDER","operator":"EQ","values":["2"]}}]}`,
	`{"match":"ALL","expect":true,"conditions":[{"orders":{"measure":"DAYS_SINCE_LAST_ORDER","operator":"BETWEEN","values":["1","5"],"withinDays":10}}]}`,
	`{"match":"ALL","expect":true,"conditions":[{"customer":{"field":"DAYS_SINCE_SIGNUP","operator":"LTE","values":["2"]}}]}`,
	`{"match":"ANY","expect":false,"conditions":[{"customer":{"field":"DAYS_SINCE_SIGNUP","operator":"LT","values":["20"]}},{"orders":{"measure":"ORDER_COUNT","operator":"EQ","values":["0"],"withinDays":3}}]}`,
	`{"match":"ALL","expect":true,"conditions":[{"customer":{"field":"COUNTRY","operator":"IN","values":["SE","NO"]}},{"orders":{"measure":"ORDER_COUNT","operator":"LT","values":["3"],"withinDays":14}}]}`,
	`{"match":"ALL","expect":true,"conditions":[{"customer":{"field":"CUSTOMER_SINCE","operator":"GTE","values":["2026-03-20"]}}]}`,
	`{"match":"ALL","expect":true,"conditions":[{"customer":{"field":"GROUP","operator":"EQ","values":["wholesale"]}}]}`,
	// Customer fields that decide some verdicts whatever the orders, with
	// days since the last order counted over every order, over some
	// statuses, and beside a window.
	`{"match":"ANY","expect":true,"conditions":[{"customer":{"field":"GROUP","operator":"EQ","values":["wholesale"]}},{"orders":{"measure":"DAYS_SINCE_LAST_ORDER","operator":"LTE","values":["2"]}}]}`,
	`{"match":"ALL","expect":true,"conditions":[{"customer":{"field":"COUNTRY","operator":"NEQ","values":["SE"]}},{"orders":{"measure":"DAYS_SINCE_LAST_ORDER","operator":"GTE","values":["2"],"statuses":["complete"]}},{"orders":{"measure":"ORDER_COUNT","operator":"GTE","values":["2"]}}]}`,
	`{"match":"ALL","expect":true,"conditions":[{"orders":{"measure":"DAYS_SINCE_LAST_ORDER","operator":"GT","values":["1"]}},{"orders":{"measure":"ORDER_COUNT","operator":"GTE","values":["1"],"withinDays":5}}]}`,
	// Each operator turns on its own day (rule.Thresholds).
	`{"match":"ALL","expect":true,"conditions":[{"orders":{"measure":"DAYS_SINCE_LAST_ORDER","operator":"GTE","values":["2"]}}]}`,
	`{"match":"ANY","expect":true,"conditions":[{"customer":{"field":"DAYS_SINCE_SIGNUP","operator":"GTE","values":["3"]}},{"customer":{"field":"DAYS_SINCE_SIGNUP","operator":"LT","values":["1"]}}]}`,
}

// addTimeRules adds a segment for each of timeRules and returns their ids:
// on every website, or (spread) on the odd, the even or every website in
// turn.
func addTimeRules(t *testing.T, d *db.DB, spread bool) []int64 {
	t.Helper()
	var ids []int64
	for i, r := range timeRules {
		sites := 2 // every website
		if spread {
			sites = i % 3
		}
		var id int64
		require.NoError(t, d.Pool.QueryRow(auth.AsSystem(context.Background()), `WITH s AS (INSERT INTO segments (name, conditions) VALUES ($1, $2) RETURNING id),
			w AS (INSERT INTO segment_websites (segment_id, website_id) SELECT s.id, w.id FROM s, websites w WHERE w.id % 2 = $3 OR $3 = 2)
			SELECT id FROM s`, fmt.Sprintf("time rule %d", i), r, sites).Scan(&id))
		ids = append(ids, id)
	}
	return ids
}

// TestIncrementalRefreshMatchesFullEvaluation runs random sequences of
// imports, updates, orders moving between customers, deletions, erasures,
// rule edits and clock advances (across the night Stockholm's clocks go
// forward), each followed by an incremental refresh, and holds every
// segment's membership, counts per website and history against the plain-Go
// reference evaluator after every step; every few steps a full refresh
// must then find nothing to change. INCREMENTAL_SEED replays a run.
func TestIncrementalRefreshMatchesFullEvaluation(t *testing.T) {
	t.Parallel()
	seedN := uint64(time.Now().UnixNano())
	if s := os.Getenv("INCREMENTAL_SEED"); s != "" {
		var err error
		seedN, err = strconv.ParseUint(s, 10, 64)
		require.NoError(t, err)
	}
	t.Logf("INCREMENTAL_SEED=%d", seedN)
	rng := rand.New(rand.NewPCG(seedN, 12))
	const zone = "Europe/Stockholm"
	loc, err := time.LoadLocation(zone)
	require.NoError(t, err)
	clock := time.Date(2026, 3, 27, 21, 0, 0, 0, loc)

	d := dbtest.New(t)
	ctx := auth.AsSystem(context.Background())
	res, err := seed.Run(ctx, d, seed.Options{Customers: 300, Orders: 1500, Seed: int64(seedN % 1000), Now: clock, Location: loc})
	require.NoError(t, err)
	ids := slices.Clone(res.SegmentIDs)
	ids = append(ids, addTimeRules(t, d, true)...)
	slices.Sort(ids)

	refreshAt := func(which []int64, opts segment.RefreshOptions) map[int64]segment.RefreshResult {
		t.Helper()
		opts.Now, opts.TimeZone = clock, zone
		res, err := segment.NewRefresher(d).Refresh(ctx, which, opts)
		require.NoError(t, err)
		out := map[int64]segment.RefreshResult{}
		for _, r := range res {
			out[r.SegmentID] = r
		}
		require.Len(t, out, len(which))
		return out
	}
	members := map[int64][]int64{}
	for _, r := range refreshAt(ids, segment.RefreshOptions{}) {
		require.False(t, r.Incremental, "a first refresh evaluates everyone")
	}

	var nextID int64 = 1_000_000
	incremental, refreshes := 0, 0
	for step := range 14 {
		var did []string
		for range 1 + rng.IntN(3) {
			did = append(did, mutate(t, d, rng, clock, &nextID))
		}
		switch rng.IntN(4) {
		case 0: // the same day
			clock = clock.Add(time.Duration(rng.IntN(90)) * time.Minute)
		case 1, 2: // a day or so
			clock = clock.Add(time.Duration(20+rng.IntN(10)) * time.Hour)
		case 3: // days
			clock = clock.AddDate(0, 0, 2+rng.IntN(5))
		}
		if rng.IntN(5) == 0 {
			// A rule edit: that segment is evaluated in full.
			id := ids[rng.IntN(len(ids))]
			_, err := d.Pool.Exec(ctx, `UPDATE segments SET conditions = $2, rule_version = rule_version + 1 WHERE id = $1`,
				id, timeRules[rng.IntN(len(timeRules))])
			require.NoError(t, err)
			did = append(did, fmt.Sprintf("edited segment %d", id))
		}
		msg := fmt.Sprintf("step %d at %s after %s", step, clock.Format(time.DateTime), strings.Join(did, ", "))
		// An erasure takes members out itself; the refresh adds and
		// removes the rest.
		for _, id := range ids {
			members[id] = stored(t, d, id)
		}
		// Often only some segments: the others keep an older last refresh,
		// so later runs hold segments last refreshed on different days, each
		// with its own day ranges.
		which := ids
		if step%4 != 3 && rng.IntN(2) == 0 {
			which = nil
			for _, id := range ids {
				if rng.IntN(2) == 0 {
					which = append(which, id)
				}
			}
			if len(which) == 0 {
				which = ids[:1]
			}
			msg += fmt.Sprintf(" (refreshing %d of %d segments)", len(which), len(ids))
		}
		got := refreshAt(which, segment.RefreshOptions{})
		want := reference(t, d, which, clock, loc)
		for _, id := range which {
			refreshes++
			now := stored(t, d, id)
			require.Equal(t, want[id], now, "%s: segment %d", msg, id)
			r := got[id]
			if r.Incremental {
				incremental++
			}
			added, removed := setDiff(members[id], now)
			require.EqualValues(t, len(now), r.CustomerCount, "%s: segment %d count", msg, id)
			require.Equal(t, []int64{int64(added), int64(removed)}, []int64{r.Added, r.Removed}, "%s: segment %d history", msg, id)
			requireHistoryMatches(t, d, id, r, msg)
		}
		requireCountsMatch(t, d, msg)
		if step%4 == 3 {
			// A full evaluation of the same store finds nothing to change.
			for id, r := range refreshAt(ids, segment.RefreshOptions{Full: true}) {
				require.False(t, r.Incremental)
				require.Zero(t, r.Added+r.Removed, "%s: full refresh of segment %d after incremental ones", msg, id)
			}
		}
	}
	require.Greater(t, incremental, refreshes/2, "most refreshes were incremental")
}

// mutate makes one random change to the store, as imports, edits and
// erasures do, and says what it did.
func mutate(t *testing.T, d *db.DB, rng *rand.Rand, clock time.Time, nextID *int64) string {
	t.Helper()
	ctx := auth.AsSystem(context.Background())
	exec := func(sql string, args ...any) {
		t.Helper()
		_, err := d.Pool.Exec(ctx, sql, args...)
		require.NoError(t, err)
	}
	some := func() int64 {
		var id int64
		require.NoError(t, d.Pool.QueryRow(ctx, `SELECT id FROM customers ORDER BY id OFFSET $1 LIMIT 1`, rng.IntN(250)).Scan(&id))
		return id
	}
	at := func() time.Time { // around the clock: past days, today, the future
		return clock.Add(time.Duration(rng.IntN(24*12)-24*9) * time.Hour)
	}
	switch rng.IntN(8) {
	case 7:
		// Rules compare group codes: renaming one changes its customers.
		exec(`UPDATE customer_groups SET code = CASE code WHEN 'wholesale' THEN 'wholesale-old' ELSE 'wholesale' END
			WHERE code IN ('wholesale', 'wholesale-old')`)
		return "renamed a group's code"
	case 0:
		*nextID++
		exec(`INSERT INTO customers (id, website_id, group_id, email, first_name, last_name, created_at, country)
			SELECT $1, (SELECT min(id) FROM websites), (SELECT max(id) FROM customer_groups), $3, 'New', 'Customer', $2, 'SE'`,
			*nextID, at(), fmt.Sprintf("n%d@example.com", *nextID))
		exec(`INSERT INTO orders (id, customer_id, status, grand_total, created_at) VALUES ($1, $1, 'complete', 400, $2)`, *nextID, at())
		return "imported a customer with an order"
	case 1:
		exec(`UPDATE customers SET country = $2, group_id = (SELECT id FROM customer_groups ORDER BY id OFFSET $3 LIMIT 1) WHERE id = $1`,
			some(), []string{"SE", "NO", "DK", "DE"}[rng.IntN(4)], rng.IntN(3))
		return "updated a customer"
	case 2:
		exec(`UPDATE customers SET website_id = (SELECT id FROM websites ORDER BY random() LIMIT 1) WHERE id = $1`, some())
		return "moved a customer to a website"
	case 3:
		*nextID++
		exec(`INSERT INTO orders (id, customer_id, status, grand_total, created_at) VALUES ($1, $2, $3, $4, $5)`,
			*nextID, some(), []string{"complete", "Complete", "pending"}[rng.IntN(3)], rng.IntN(500), at())
		return "imported an order"
	case 4:
		exec(`UPDATE orders SET customer_id = $2 WHERE id = (SELECT id FROM orders ORDER BY id OFFSET $1 LIMIT 1)`, rng.IntN(1000), some())
		return "moved an order to another customer"
	case 5:
		exec(`DELETE FROM orders WHERE id = (SELECT id FROM orders ORDER BY id OFFSET $1 LIMIT 1)`, rng.IntN(1000))
		return "deleted an order"
	default:
		_, err := erasure.Customers(ctx, d, strings.NewReader(fmt.Sprintln(some())))
		require.NoError(t, err)
		return "erased a customer"
	}
}

// reference evaluates every segment's rule in Go over every customer of its
// websites at now.
func reference(t *testing.T, d *db.DB, ids []int64, now time.Time, loc *time.Location) map[int64][]int64 {
	t.Helper()
	ctx := auth.AsSystem(context.Background())
	rows, err := d.Pool.Query(ctx, `SELECT c.id, c.website_id, c.group_id, w.code, g.code, c.email, c.first_name, c.last_name,
		c.phone, c.zip, c.country, c.region, c.city, c.created_at
		FROM customers c JOIN websites w ON w.id = c.website_id JOIN customer_groups g ON g.id = c.group_id`)
	require.NoError(t, err)
	customers, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (rule.Customer, error) {
		var c rule.Customer
		err := r.Scan(&c.ID, &c.WebsiteID, &c.GroupID, &c.WebsiteCode, &c.GroupCode, &c.Email, &c.FirstName, &c.LastName,
			&c.Phone, &c.Zip, &c.Country, &c.Region, &c.City, &c.CreatedAt)
		return c, err
	})
	require.NoError(t, err)
	orders := map[int64][]rule.Order{}
	rows, err = d.Pool.Query(ctx, `SELECT customer_id, status, grand_total::text, created_at FROM orders`)
	require.NoError(t, err)
	var cid int64
	var o rule.Order
	var total string
	_, err = pgx.ForEachRow(rows, []any{&cid, &o.Status, &total, &o.CreatedAt}, func() error {
		r, ok := new(big.Rat).SetString(total)
		require.True(t, ok)
		o.GrandTotal = r
		orders[cid] = append(orders[cid], o)
		return nil
	})
	require.NoError(t, err)
	out := map[int64][]int64{}
	for _, id := range ids {
		var raw []byte
		var websites []int64
		require.NoError(t, d.Pool.QueryRow(ctx, `SELECT conditions, ARRAY(SELECT website_id FROM segment_websites WHERE segment_id = s.id)
			FROM segments s WHERE id = $1`, id).Scan(&raw, &websites))
		var g rule.Group
		require.NoError(t, json.Unmarshal(raw, &g))
		in := []int64{}
		for _, c := range customers {
			if slices.Contains(websites, c.WebsiteID) && rule.Eval(&g, c, orders[c.ID], now, loc) {
				in = append(in, c.ID)
			}
		}
		slices.Sort(in)
		out[id] = in
	}
	return out
}

// setDiff counts the ids of after not in before, and of before not in after.
func setDiff(before, after []int64) (added, removed int) {
	for _, id := range after {
		if _, ok := slices.BinarySearch(before, id); !ok {
			added++
		}
	}
	for _, id := range before {
		if _, ok := slices.BinarySearch(after, id); !ok {
			removed++
		}
	}
	return added, removed
}

// requireCountsMatch holds every segment's stored counts, in all and per
// website, against its members.
func requireCountsMatch(t *testing.T, d *db.DB, msg string) {
	t.Helper()
	ctx := auth.AsSystem(context.Background())
	rows, err := d.Pool.Query(ctx, `SELECT s.id, s.customer_count, (SELECT count(*) FROM segment_customers sc WHERE sc.segment_id = s.id),
		COALESCE((SELECT jsonb_object_agg(website_id, customer_count) FROM segment_website_counts c WHERE c.segment_id = s.id), '{}')::text,
		COALESCE((SELECT jsonb_object_agg(website_id, n) FROM (SELECT website_id, count(*) AS n FROM segment_customers sc
			WHERE sc.segment_id = s.id GROUP BY website_id) x), '{}')::text
		FROM segments s`)
	require.NoError(t, err)
	var id, count, members int64
	var perWebsite, counted string
	_, err = pgx.ForEachRow(rows, []any{&id, &count, &members, &perWebsite, &counted}, func() error {
		require.Equal(t, members, count, "%s: segment %d's count", msg, id)
		require.JSONEq(t, counted, perWebsite, "%s: segment %d's counts per website", msg, id)
		return nil
	})
	require.NoError(t, err)
}

// requireHistoryMatches holds segment id's latest history rows to its
// refresh r and its stored membership: the refresh's row has r's numbers,
// and its rows per website cover every website of the segment and every
// website with members, with the members there now, and changes that add
// up to r's (a customer who moved website left one and joined another).
func requireHistoryMatches(t *testing.T, d *db.DB, id int64, r segment.RefreshResult, msg string) {
	t.Helper()
	ctx := auth.AsSystem(context.Background())
	var count, added, removed, addedIn, removedIn int64
	var perWebsite, members string
	require.NoError(t, d.Pool.QueryRow(ctx, `WITH r AS (SELECT * FROM segment_refreshes WHERE segment_id = $1 ORDER BY finished_at DESC, id DESC LIMIT 1)
		SELECT r.customer_count, r.added, r.removed,
			(SELECT COALESCE(sum(added), 0) FROM segment_refresh_websites w WHERE w.refresh_id = r.id),
			(SELECT COALESCE(sum(removed), 0) FROM segment_refresh_websites w WHERE w.refresh_id = r.id),
			(SELECT COALESCE(jsonb_object_agg(website_id, customer_count), '{}') FROM segment_refresh_websites w WHERE w.refresh_id = r.id)::text,
			(SELECT COALESCE(jsonb_object_agg(website_id, n), '{}') FROM (
				SELECT website_id, 0 AS n FROM segment_websites WHERE segment_id = $1 AND website_id NOT IN (SELECT website_id FROM segment_customers WHERE segment_id = $1)
				UNION ALL SELECT website_id, count(*) FROM segment_customers WHERE segment_id = $1 GROUP BY website_id) x)::text
		FROM r`, id).Scan(&count, &added, &removed, &addedIn, &removedIn, &perWebsite, &members))
	require.Equal(t, []int64{r.CustomerCount, r.Added, r.Removed}, []int64{count, added, removed}, "%s: segment %d's history row", msg, id)
	require.Equal(t, r.Added-r.Removed, addedIn-removedIn, "%s: segment %d's changes per website", msg, id)
	// Websites members left are listed with 0 too: compare those listed
	// with members or of the segment.
	var listed map[string]int64
	require.NoError(t, json.Unmarshal([]byte(perWebsite), &listed))
	var want map[string]int64
	require.NoError(t, json.Unmarshal([]byte(members), &want))
	for w, n := range want {
		require.Equal(t, n, listed[w], "%s: segment %d's history on website %s", msg, id, w)
	}
	for w, n := range listed {
		require.Equal(t, want[w], n, "%s: segment %d's history on website %s", msg, id, w)
	}
}

// TestIncrementalRefreshFollowsImports holds incremental refresh to what
// the import pipeline writes: a re-imported customer with a new country, an
// order re-imported under another customer (both customers change), a new
// order; and a re-import that changes nothing logs nothing.
func TestIncrementalRefreshFollowsImports(t *testing.T) {
	t.Parallel()
	d, segs := seeded(t)
	ctx := auth.AsSystem(context.Background())
	loc, err := time.LoadLocation(tz)
	require.NoError(t, err)
	refresh(t, d, segs)

	logged := func() int64 {
		var n int64
		require.NoError(t, d.Pool.QueryRow(ctx, `SELECT count(*) FROM customer_changes`).Scan(&n))
		return n
	}
	customerCSV := func(where string) string {
		var b strings.Builder
		b.WriteString("id,website,group,email,first_name,last_name,phone,zip,country,region,city,created_at\n")
		rows, err := d.Pool.Query(ctx, `SELECT c.id, w.code, g.code, c.email, c.first_name, c.last_name, COALESCE(c.phone, ''), COALESCE(c.zip, ''),
			`+where+`, COALESCE(c.region, ''), COALESCE(c.city, ''), to_char(c.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
			FROM customers c JOIN websites w ON w.id = c.website_id JOIN customer_groups g ON g.id = c.group_id ORDER BY c.id LIMIT 40`)
		require.NoError(t, err)
		defer rows.Close()
		for rows.Next() {
			var id int64
			var f [11]string
			require.NoError(t, rows.Scan(&id, &f[0], &f[1], &f[2], &f[3], &f[4], &f[5], &f[6], &f[7], &f[8], &f[9], &f[10]))
			fmt.Fprintf(&b, "%d,%s\n", id, strings.Join(f[:], ","))
		}
		require.NoError(t, rows.Err())
		return b.String()
	}

	// The same rows again: nothing changes, nothing is logged.
	before := logged()
	_, err = csvimport.ImportCustomers(ctx, d, strings.NewReader(customerCSV(`COALESCE(c.country::text, '')`)), loc)
	require.NoError(t, err)
	require.Equal(t, before, logged(), "an unchanged re-import logs no change")

	// Forty customers move to Sweden; an order moves to another customer;
	// a new order is placed today.
	_, err = csvimport.ImportCustomers(ctx, d, strings.NewReader(customerCSV(`'SE'`)), loc)
	require.NoError(t, err)
	var orderID, from, to int64
	require.NoError(t, d.Pool.QueryRow(ctx, `SELECT o.id, o.customer_id, (SELECT max(id) FROM customers) FROM orders o ORDER BY o.id LIMIT 1`).Scan(&orderID, &from, &to))
	orders := fmt.Sprintf("id,customer_id,status,grand_total,created_at\n%d,%d,complete,9000.00,%s\n%d,%d,complete,10.00,%s\n",
		orderID, to, now.Add(-time.Hour).UTC().Format(time.RFC3339), 90_000_000, from, now.Add(-time.Hour).UTC().Format(time.RFC3339))
	_, err = csvimport.ImportOrders(ctx, d, strings.NewReader(orders), loc)
	require.NoError(t, err)

	var candidates []int64
	require.NoError(t, d.Pool.QueryRow(ctx, `SELECT array_agg(DISTINCT customer_id ORDER BY customer_id) FROM customer_changes`).Scan(&candidates))
	require.Contains(t, candidates, from, "the order's old customer")
	require.Contains(t, candidates, to, "the order's new customer")

	res := refresh(t, d, segs)
	want := reference(t, d, segs, now, loc)
	for _, id := range segs {
		require.True(t, res[id].Incremental, "segment %d", id)
		require.Equal(t, want[id], stored(t, d, id), "segment %d", id)
	}
	requireCountsMatch(t, d, "after imports")
}

// TestTruncateMakesTheNextRefreshFull: TRUNCATE logs no changes, so it
// makes every segment forget its snapshot, and the next refresh is full.
func TestTruncateMakesTheNextRefreshFull(t *testing.T) {
	t.Parallel()
	d, segs := seeded(t)
	ctx := auth.AsSystem(context.Background())
	refresh(t, d, segs)
	_, err := d.Pool.Exec(ctx, `TRUNCATE orders`)
	require.NoError(t, err)
	loc, err := time.LoadLocation(tz)
	require.NoError(t, err)
	res := refresh(t, d, segs)
	want := reference(t, d, segs, now, loc)
	for _, id := range segs {
		require.False(t, res[id].Incremental, "segment %d", id)
		require.Equal(t, want[id], stored(t, d, id), "segment %d", id)
	}
}

// TestPruneChangesWithoutRefreshes: the periodic prune keeps what a segment
// refreshed within the week has not seen, and empties the log when no
// segment was; a refresh after that evaluates in full and misses nothing.
func TestPruneChangesWithoutRefreshes(t *testing.T) {
	t.Parallel()
	d, segs := seeded(t)
	ctx := auth.AsSystem(context.Background())
	refresh(t, d, segs)
	// A change the last refresh did not see: an order for a customer.
	_, err := d.Pool.Exec(ctx, `INSERT INTO orders (id, customer_id, status, grand_total, created_at)
		SELECT max(o.id) + 1, min(c.id), 'complete', 9000, $1 FROM orders o, customers c`, now.Add(-time.Hour))
	require.NoError(t, err)
	logged := func() int {
		var n int
		require.NoError(t, d.Pool.QueryRow(ctx, `SELECT count(*) FROM customer_changes`).Scan(&n))
		return n
	}
	require.Positive(t, logged())

	// A day later the segments' snapshots are a week's: the change stays.
	require.NoError(t, segment.PruneChanges(ctx, d, now.Add(24*time.Hour)))
	require.Positive(t, logged())

	// Eight days later no segment was refreshed within the week: all goes,
	// up to the oldest transaction still running in the cluster (other
	// tests' databases share it), which soon is past the order's.
	later := now.Add(8 * 24 * time.Hour)
	require.Eventually(t, func() bool {
		require.NoError(t, segment.PruneChanges(ctx, d, later))
		return logged() == 0
	}, 30*time.Second, 100*time.Millisecond)

	// The next refresh cannot trust the log, evaluates every customer, and
	// finds the order.
	res, err := segment.NewRefresher(d).Refresh(ctx, segs, segment.RefreshOptions{Now: later, TimeZone: tz})
	require.NoError(t, err)
	loc, err := time.LoadLocation(tz)
	require.NoError(t, err)
	want := reference(t, d, segs, later, loc)
	for _, r := range res {
		require.False(t, r.Incremental, "segment %d", r.SegmentID)
		require.Equal(t, want[r.SegmentID], stored(t, d, r.SegmentID), "segment %d", r.SegmentID)
	}
}

// TestErasureDuringRefresh: customers erased after a refresh evaluated
// them (and, incremental, read their stored memberships), before it writes,
// are neither counted out twice nor added back — incremental or full.
func TestErasureDuringRefresh(t *testing.T) {
	t.Parallel()
	for _, full := range []bool{false, true} {
		t.Run(fmt.Sprintf("full=%v", full), func(t *testing.T) {
			t.Parallel()
			d, segs := seeded(t)
			ctx := auth.AsSystem(context.Background())
			refresh(t, d, segs)
			// Members of a segment who stop matching it (the refresh reads
			// them as stored members to remove) and start matching others
			// (members to add).
			var gone []int64
			require.NoError(t, db.Select(ctx, d, &gone, `SELECT sc.customer_id FROM segment_customers sc JOIN segments s ON s.id = sc.segment_id
				WHERE s.name = 'Nordic customers' ORDER BY sc.customer_id LIMIT 5`))
			require.NotEmpty(t, gone)
			_, err := d.Pool.Exec(ctx, `UPDATE customers SET country = 'DE' WHERE id = ANY($1)`, gone)
			require.NoError(t, err)

			r := segment.NewRefresher(d)
			var once sync.Once
			segment.BeforeWrite(r, func(int64) {
				once.Do(func() {
					var ids strings.Builder
					for _, id := range gone {
						fmt.Fprintln(&ids, id)
					}
					_, err := erasure.Customers(ctx, d, strings.NewReader(ids.String()))
					require.NoError(t, err)
				})
			})
			res, err := r.Refresh(ctx, segs, segment.RefreshOptions{Now: now, TimeZone: tz, Full: full})
			require.NoError(t, err)
			loc, err := time.LoadLocation(tz)
			require.NoError(t, err)
			want := reference(t, d, segs, now, loc)
			for _, x := range res {
				require.Equal(t, !full, x.Incremental, "segment %d", x.SegmentID)
				require.Equal(t, want[x.SegmentID], stored(t, d, x.SegmentID), "segment %d", x.SegmentID)
			}
			requireCountsMatch(t, d, "after an erasure during the refresh")
		})
	}
}

// TestIncrementalRefreshThatRacedAnEdit: a rule edited after an
// incremental refresh evaluated the candidates, before it writes, is
// evaluated again, in full and under the segment's lock; the other
// segments are written incrementally.
func TestIncrementalRefreshThatRacedAnEdit(t *testing.T) {
	t.Parallel()
	d, segs := seeded(t)
	ctx := auth.AsSystem(context.Background())
	loc, err := time.LoadLocation(tz)
	require.NoError(t, err)
	refresh(t, d, segs)

	edited := segs[0]
	b, err := json.Marshal(rule.Group{Match: rule.MatchAll, Expect: true, Conditions: []rule.Condition{
		{Orders: &rule.OrderCondition{Measure: rule.MeasureOrderCount, Operator: rule.OpGte, Values: []string{"2"}, WithinDays: ptr(400)}},
	}})
	require.NoError(t, err)
	r := segment.NewRefresher(d)
	var once sync.Once
	segment.BeforeWrite(r, func(int64) {
		once.Do(func() {
			_, err := d.Pool.Exec(ctx, `UPDATE segments SET conditions = $2, rule_version = rule_version + 1 WHERE id = $1`, edited, b)
			require.NoError(t, err)
		})
	})
	later := now.Add(24 * time.Hour)
	res, err := r.Refresh(ctx, segs, segment.RefreshOptions{Now: later, TimeZone: tz})
	require.NoError(t, err)
	require.Len(t, res, len(segs))
	want := reference(t, d, segs, later, loc)
	for _, x := range res {
		require.Equal(t, x.SegmentID != edited, x.Incremental, "segment %d", x.SegmentID)
		require.Equal(t, want[x.SegmentID], stored(t, d, x.SegmentID), "segment %d", x.SegmentID)
		requireHistoryMatches(t, d, x.SegmentID, x, "after an edit during the refresh")
	}
	requireCountsMatch(t, d, "after an edit during the refresh")
}

// TestIncrementalRefreshBeyondTheBits refreshes more segments, each with a
// window of its own, than a candidate's bit masks tell apart (62
// windows in need, 62 day ranges in ranges): past that, every candidate
// measures every window and the later ranges share a bit, which must cost
// time only. A day, another day and a week later, the incremental
// refreshes must equal the reference evaluator.
func TestIncrementalRefreshBeyondTheBits(t *testing.T) {
	t.Parallel()
	const zone = "Europe/Stockholm"
	loc, err := time.LoadLocation(zone)
	require.NoError(t, err)
	clock := time.Date(2026, 5, 4, 12, 0, 0, 0, loc)
	d := dbtest.New(t)
	ctx := auth.AsSystem(context.Background())
	_, err = seed.Run(ctx, d, seed.Options{Customers: 400, Orders: 4000, Seed: 7, Now: clock, Location: loc})
	require.NoError(t, err)
	var ids []int64
	for days := 1; days <= 70; days++ {
		r := fmt.Sprintf(`{"match":"ALL","expect":true,"conditions":[{"orders":{"measure":"ORDER_COUNT","operator":"GTE","values":["%d"],"withinDays":%d}}]}`,
			1+days/20, days)
		var id int64
		require.NoError(t, d.Pool.QueryRow(ctx, `WITH s AS (INSERT INTO segments (name, conditions) VALUES ($1, $2) RETURNING id),
			w AS (INSERT INTO segment_websites (segment_id, website_id) SELECT s.id, w.id FROM s, websites w)
			SELECT id FROM s`, fmt.Sprintf("%d days", days), r).Scan(&id))
		ids = append(ids, id)
	}
	refresh := func() []segment.RefreshResult {
		t.Helper()
		res, err := segment.NewRefresher(d).Refresh(ctx, ids, segment.RefreshOptions{Now: clock, TimeZone: zone})
		require.NoError(t, err)
		require.Len(t, res, len(ids))
		return res
	}
	refresh()
	var changes int64
	for _, step := range []time.Duration{24 * time.Hour, 24 * time.Hour, 7 * 24 * time.Hour} {
		clock = clock.Add(step)
		res := refresh()
		want := reference(t, d, ids, clock, loc)
		for _, r := range res {
			require.True(t, r.Incremental, "segment %d at %s", r.SegmentID, clock)
			require.Equal(t, want[r.SegmentID], stored(t, d, r.SegmentID), "segment %d at %s", r.SegmentID, clock)
			changes += r.Added + r.Removed
		}
	}
	require.Positive(t, changes, "days passing moved customers across the windows' edges")
}
