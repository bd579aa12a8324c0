package customer_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/customer"
	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/db/dbtest"
	"github.com/segments/segments/server/page"
)

// localeNames are the last names of localeStore, shuffled.
var localeNames = []string{"Östen", "Zeta", "Ärlig", "Adam", "Åkesson", "Berg", "Öberg", "Ahlberg", "Zorn", "Åberg", "Ängel"}

// Those names in Swedish order (Å, Ä, Ö are letters after Z) and in ICU's
// root order (they sort with A and O).
var (
	swedishOrder = []string{"Adam", "Ahlberg", "Berg", "Zeta", "Zorn", "Åberg", "Åkesson", "Ängel", "Ärlig", "Öberg", "Östen"}
	rootOrder    = []string{"Åberg", "Adam", "Ahlberg", "Åkesson", "Ängel", "Ärlig", "Berg", "Öberg", "Östen", "Zeta", "Zorn"}
)

// localeStore is a store sorting by locale with n customers, their last
// names taken in turn from localeNames, all members of one segment, whose
// id it returns.
func localeStore(t *testing.T, locale string, n int) (*db.DB, int64) {
	t.Helper()
	ctx := auth.AsSystem(context.Background())
	d := dbtest.New(t)
	_, err := db.UseStoreLocale(ctx, d.DB, locale)
	require.NoError(t, err)
	var seg int64
	require.NoError(t, d.Pool.QueryRow(ctx, `WITH w AS (INSERT INTO websites (code, name) VALUES ('se', 'Sweden') RETURNING id),
		g AS (INSERT INTO customer_groups (code, name) VALUES ('general', 'General') RETURNING id),
		c AS (INSERT INTO customers (id, website_id, group_id, email, first_name, last_name, created_at)
		      SELECT i, w.id, g.id, 'c' || i || '@example.com', 'F' || (i % 7), ($1::text[])[1 + i % cardinality($1)], now()
		        FROM generate_series(1, $2) i, w, g RETURNING id, website_id),
		s AS (INSERT INTO segments (name, conditions) VALUES ('everyone', '{}') RETURNING id),
		m AS (INSERT INTO segment_customers (segment_id, customer_id, website_id) SELECT s.id, c.id, c.website_id FROM s, c)
		SELECT id FROM s`, localeNames, n).Scan(&seg))
	_, err = d.Pool.Exec(ctx, `ANALYZE`)
	require.NoError(t, err)
	return d, seg
}

// lastNames lists the distinct last names of the customers, in order.
func lastNames(t *testing.T, d *db.DB, ids []int64) []string {
	t.Helper()
	rows, err := d.Pool.Query(auth.AsSystem(context.Background()), `SELECT last_name FROM customers c JOIN unnest($1::bigint[]) WITH ORDINALITY x(id, n) ON x.id = c.id ORDER BY x.n`, ids)
	require.NoError(t, err)
	all, err := pgx.CollectRows(rows, pgx.RowTo[string])
	require.NoError(t, err)
	var out []string
	for _, n := range all {
		if len(out) == 0 || out[len(out)-1] != n {
			out = append(out, n)
		}
	}
	return out
}

func TestNameSortFollowsTheStoreLocale(t *testing.T) {
	t.Parallel()
	ctx := auth.AsSystem(context.Background())
	d, seg := localeStore(t, "sv-SE", 2000)
	l := customer.NewLister(d)
	all := members(t, d, []int64{seg}, customer.Union)
	require.Len(t, all, 2000)

	for _, desc := range []bool{false, true} {
		q := customer.Query{SegmentIDs: []int64{seg}, Order: customer.Order{Field: customer.OrderName, Desc: desc}}
		want := order(t, d, all, q.Order)
		// Pages never skip nor repeat a customer across the letters, either way.
		require.Equal(t, want, walk(t, l, q, 13, false), "forwards, desc=%v", desc)
		require.Equal(t, want, walk(t, l, q, 13, true), "backwards, desc=%v", desc)
		names := append([]string(nil), swedishOrder...)
		if desc {
			slices.Reverse(names)
		}
		require.Equal(t, names, lastNames(t, d, want), "Å, Ä, Ö after Z, desc=%v", desc)
	}

	// The first page is an index range scan on the collated name index,
	// not a sort of the segment.
	q := customer.Query{SegmentIDs: []int64{seg}, Order: customer.Order{Field: customer.OrderName}}
	size := 20
	stmts, err := l.PageSQL(ctx, q, page.Args{First: &size})
	require.NoError(t, err)
	require.Len(t, stmts, 1)
	plan := explain(t, d, stmts[0])
	require.Contains(t, plan, "Index Scan using customers_name on customers", plan)
	require.NotContains(t, plan, "Sort", plan)

	// The export's stream reads the same order.
	var streamed []int64
	require.NoError(t, l.Each(ctx, d, q, func(c customer.Customer) error { streamed = append(streamed, c.ID); return nil }))
	require.Equal(t, order(t, d, all, q.Order), streamed)

	// Switching the locale on the existing database rebuilds the index, and
	// the next sort follows the new locale. (Serve switches at startup,
	// before its first query: here too the lister runs on new connections.
	// On a connection from before the switch, a prepared statement that
	// returns collated text fails once, then pgx prepares it again.)
	ch, err := db.UseStoreLocale(ctx, d.DB, "und")
	require.NoError(t, err)
	require.True(t, ch.Rebuilt)
	d, err = db.Open(ctx, d.Pool.Config().ConnString())
	require.NoError(t, err)
	t.Cleanup(d.Close)
	l = customer.NewLister(d)
	p, err := l.List(ctx, q, page.Args{First: &size})
	require.NoError(t, err)
	require.Equal(t, "Åberg", p.Customers[0].LastName)
	got := walk(t, l, q, 97, false)
	require.Equal(t, rootOrder, lastNames(t, d, got), "Å sorts with A")
	require.Equal(t, order(t, d, all, q.Order), got)
	require.Contains(t, explain(t, d, stmts[0]), "Index Scan using customers_name on customers")
}

func TestNameSortDefaultsToTheRootLocale(t *testing.T) {
	t.Parallel()
	d, seg := localeStore(t, "", 50)
	q := customer.Query{SegmentIDs: []int64{seg}, Order: customer.Order{Field: customer.OrderName}}
	got := walk(t, customer.NewLister(d), q, 7, false)
	require.Equal(t, rootOrder, lastNames(t, d, got))
}

// explain returns the plan of one statement, as text.
func explain(t *testing.T, d *db.DB, st db.Stmt) string {
	t.Helper()
	rows, err := d.Pool.Query(auth.AsSystem(context.Background()), "EXPLAIN "+st.SQL, st.Args...)
	require.NoError(t, err)
	lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
	require.NoError(t, err)
	return strings.Join(lines, "\n")
}
