package customer_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/customer"
	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/db/dbtest"
	pgexplain "github.com/segments/segments/server/explain"
	"github.com/segments/segments/server/page"
	"github.com/segments/segments/server/seed"
	"github.com/segments/segments/server/segment"
)

// depthCustomers is the size of the depth test's store: big enough that a
// plan reading an index from its start reads thousands of rows more at
// 90% than on the first page, small enough to seed in a few seconds.
const depthCustomers = 24_000

// withoutStatistics adds the state without statistics, which only reports:
// go test ./server/customer -run Depth -v -args -depth-without-statistics
var withoutStatistics = flag.Bool("depth-without-statistics", false, "TestPagesReadNoMoreAtDepth: also report pages read without statistics")

// TestPagesReadNoMoreAtDepth runs EXPLAIN ANALYZE of the very statement
// List runs for pages at 0%, 10%, 50%, 90% and the last page, for every
// sort of one segment and for a union and an intersection, both
// directions, and fails when a deeper page reads more rows than the first
// page: a plan that scans an index from its start (or the whole table) to
// reach the page. It does so as `segments seed` leaves the store, without
// any statistics (reported only, with -depth-without-statistics), after
// ANALYZE, each under custom and generic plans, and with the store sorting
// in Swedish.
func TestPagesReadNoMoreAtDepth(t *testing.T) {
	t.Parallel()
	for _, locale := range []string{"", "sv-SE"} {
		name := locale
		if name == "" {
			name = "root"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ctx := auth.AsSystem(context.Background())
			d := dbtest.New(t)
			if locale != "" {
				_, err := db.UseStoreLocale(ctx, d.DB, locale)
				require.NoError(t, err)
			}
			now := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
			res, err := seed.Run(ctx, d, seed.Options{Customers: depthCustomers, Orders: 3 * depthCustomers, Seed: 11, Now: now, Location: time.UTC})
			require.NoError(t, err)
			_, err = segment.NewRefresher(d).Refresh(ctx, res.SegmentIDs, segment.RefreshOptions{Now: now, TimeZone: "UTC"})
			require.NoError(t, err)
			if locale != "" {
				// A fresh pool: the switch changed the collation.
				d, err = db.Open(ctx, d.Pool.Config().ConnString())
				require.NoError(t, err)
				t.Cleanup(d.Close)
			}
			// The store locale changes only the text sorts.
			pages := depthPages(t, ctx, d, locale != "")

			states := []struct {
				name   string
				prep   func() error
				report bool // reported, not failed
			}{
				{"as seeded", func() error { return nil }, false},
				// As if ANALYZE had not run yet: the planner falls back to
				// its default selectivities. Only a superuser may do this;
				// the test's own role is not one, DATABASE_URL's may be.
				// A store is never left so (seed and refresh ANALYZE what
				// they load), and with its default estimates the planner
				// may sort what follows the cursor rather than walk an
				// index: reported, not failed (see docs/architecture.md).
				{"without statistics", func() error {
					return asServerUser(ctx, d, `DELETE FROM pg_statistic WHERE starelid = ANY (ARRAY['customers', 'orders', 'segment_customers', 'segments']::regclass[])`)
				}, true},
				{"after ANALYZE", func() error { _, err := d.Pool.Exec(ctx, `ANALYZE`); return err }, false},
			}
			for _, st := range states {
				if st.report && (locale != "" || !*withoutStatistics) {
					continue
				}
				if err := st.prep(); err != nil {
					t.Logf("state %q skipped: %v", st.name, err)
					continue
				}
				for _, mode := range []string{"force_custom_plan", "force_generic_plan"} {
					checkDepth(t, ctx, d.Pool, st.name+", "+mode, mode, pages, st.report)
				}
			}
		})
	}
}

// asServerUser runs sql in d's database as DATABASE_URL's user.
func asServerUser(ctx context.Context, d *db.DB, sql string) error {
	cfg, err := pgx.ParseConfig(os.Getenv("DATABASE_URL"))
	if err != nil {
		return err
	}
	cfg.Database = d.Pool.Config().ConnConfig.Database
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, sql)
	return err
}

// depthPage is one page statement of a listing at one depth.
type depthPage struct {
	listing string
	depth   string
	stmt    db.Stmt
	// tail is set for the last page of a listing that walks a customers
	// index in a non-ID order: proving there is no next page reads the
	// index's tail past the last member, and near the end a custom plan
	// may read the whole of a segment rather than walk. It is reported,
	// not failed (see docs/architecture.md). (Members without a phone, ZIP,
	// country or region are read from their own index, never by walking
	// the customers without one.)
	tail bool
}

// depthPages builds the page statements of every listing at every depth,
// first page first; textOnly keeps only the listings sorted by text.
func depthPages(t *testing.T, ctx context.Context, d *db.DB, textOnly bool) [][]depthPage {
	var big []int64
	require.NoError(t, d.Pool.QueryRow(ctx, `SELECT array_agg(id ORDER BY customer_count DESC, id) FROM
		(SELECT id, customer_count FROM segments WHERE is_active ORDER BY customer_count DESC, id LIMIT 2) s`).Scan(&big))
	require.Len(t, big, 2)
	var website int64
	require.NoError(t, d.Pool.QueryRow(ctx, `SELECT id FROM websites ORDER BY id LIMIT 1`).Scan(&website))
	scoped := auth.With(context.Background(), &auth.Principal{Kind: auth.User, ID: 1, Role: auth.Viewer, Websites: []int64{website}})
	type listing struct {
		ctx context.Context
		who string
		q   customer.Query
	}
	var listings []listing
	for _, f := range []customer.OrderField{customer.OrderID, customer.OrderName, customer.OrderEmail, customer.OrderGroup,
		customer.OrderPhone, customer.OrderZip, customer.OrderCountry, customer.OrderRegion, customer.OrderCustomerSince} {
		listings = append(listings, listing{ctx, "", customer.Query{SegmentIDs: big[:1], Order: customer.Order{Field: f}}})
	}
	for _, mode := range []customer.Mode{customer.Union, customer.Intersection} {
		for _, f := range []customer.OrderField{customer.OrderID, customer.OrderName, customer.OrderPhone} {
			listings = append(listings, listing{ctx, "", customer.Query{SegmentIDs: big, Mode: mode, Order: customer.Order{Field: f}}})
		}
	}
	// Exclusions and a principal limited to one website filter the walk.
	listings = append(listings,
		listing{ctx, "", customer.Query{SegmentIDs: big[:1], Exclude: big[1:], Order: customer.Order{Field: customer.OrderID}}},
		listing{scoped, "scoped ", customer.Query{SegmentIDs: big[:1], Order: customer.Order{Field: customer.OrderID}}},
		listing{scoped, "scoped ", customer.Query{SegmentIDs: big, Mode: customer.Union, Order: customer.Order{Field: customer.OrderName}}})
	l := customer.NewLister(d)
	size := 50
	var out [][]depthPage
	for _, ls := range listings {
		if textOnly && (ls.q.Order.Field == customer.OrderID || ls.q.Order.Field == customer.OrderCountry || ls.q.Order.Field == customer.OrderCustomerSince) {
			continue
		}
		q, ctx := ls.q, ls.ctx
		for _, desc := range []bool{false, true} {
			q.Order.Desc = desc
			label := fmt.Sprintf("%s%d segment(s) %s, excluding %v, %s desc=%v", ls.who, len(q.SegmentIDs), q.Mode, q.Exclude, q.Order.Field, desc)
			n, err := l.Count(ctx, q)
			require.NoError(t, err)
			require.Greater(t, n, int64(4*size), label)
			var pages []depthPage
			for _, dp := range []struct {
				name string
				row  int64
			}{{"first page", -1}, {"10%", n / 10}, {"50%", n / 2}, {"90%", n * 9 / 10}, {"last page", n - int64(size) - 1}} {
				args := page.Args{First: &size}
				if dp.row >= 0 {
					after, err := l.CursorAt(ctx, q, dp.row)
					require.NoError(t, err, label)
					args.After = &after
				}
				stmts, err := l.PageSQL(ctx, q, args)
				require.NoError(t, err, label)
				require.Len(t, stmts, 1, "one statement per page: %s", label)
				tail := dp.name == "last page" && q.Order.Field != customer.OrderID
				pages = append(pages, depthPage{label, dp.name, stmts[0], tail})
			}
			out = append(out, pages)
		}
	}
	return out
}

// checkDepth explains every page under plan cache mode mode on one
// connection and fails for a page that reads more than its listing's first
// page by more than a little.
func checkDepth(t *testing.T, ctx context.Context, pool *pgxpool.Pool, state, mode string, listings [][]depthPage, report bool) {
	t.Helper()
	conn, err := pool.Acquire(ctx)
	require.NoError(t, err)
	defer conn.Release()
	_, err = conn.Exec(ctx, "SET plan_cache_mode = "+mode)
	require.NoError(t, err)
	for _, listing := range listings {
		var first planRead
		for i, p := range listing {
			got := explainExecute(t, ctx, conn, p.stmt)
			if i == 0 {
				first = got
				continue
			}
			// Unions and non-ID sorts may read more than a page at every
			// depth, and a page past the first also asks whether rows lie
			// behind it (a few rows); what must not happen is reading more
			// the deeper the page.
			limit := 2*first.rows + 300
			if p.tail || report {
				if got.rows > limit {
					t.Logf("%s, %s, %s: read %.0f rows (the first page %.0f): %s", state, p.listing, p.depth, got.rows, first.rows, got.scans)
				}
				continue
			}
			assert.LessOrEqualf(t, got.rows, limit,
				"%s, %s, %s: read %.0f rows, the first page %.0f\nfirst page: %s\nthis page: %s\n%s",
				state, p.listing, p.depth, got.rows, first.rows, first.scans, got.scans, p.stmt.SQL)
		}
	}
}

// planRead is what one EXPLAIN ANALYZE says a statement read.
type planRead struct {
	rows  float64 // rows every table or index scan returned or filtered out
	scans string  // those scans, for the failure message
}

// explainExecute prepares st, runs it once under EXPLAIN (ANALYZE,
// BUFFERS) through EXECUTE, so the session's plan_cache_mode picks the
// plan, and sums the rows its scans read.
func explainExecute(t *testing.T, ctx context.Context, conn *pgxpool.Conn, st db.Stmt) planRead {
	t.Helper()
	_, err := conn.Exec(ctx, "PREPARE depth_page AS "+st.SQL)
	require.NoError(t, err)
	defer func() {
		_, err := conn.Exec(ctx, "DEALLOCATE depth_page")
		require.NoError(t, err)
	}()
	lits := make([]string, len(st.Args))
	for i, a := range st.Args {
		lits[i] = sqlLiteral(t, a)
	}
	var out []byte
	require.NoError(t, conn.QueryRow(ctx, "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) EXECUTE depth_page("+strings.Join(lits, ", ")+")").Scan(&out))
	plan, err := pgexplain.Parse(out)
	require.NoError(t, err)
	r := planRead{rows: plan.Root.Rows()}
	plan.Root.Walk(func(n pgexplain.Node) {
		if n.Relation != "" {
			r.scans += fmt.Sprintf("%s: %.0f; ", n.Name(), n.Read())
		}
	})
	return r
}

// sqlLiteral writes a page statement's parameter as a literal EXECUTE
// coerces to the parameter's type.
func sqlLiteral(t *testing.T, v any) string {
	t.Helper()
	var text string
	switch v := v.(type) {
	case int:
		text = strconv.Itoa(v)
	case int64:
		text = strconv.FormatInt(v, 10)
	case string:
		text = v
	case []int64:
		parts := make([]string, len(v))
		for i, x := range v {
			parts[i] = strconv.FormatInt(x, 10)
		}
		text = "{" + strings.Join(parts, ",") + "}"
	default:
		t.Fatalf("no literal for %T", v)
	}
	return "'" + strings.ReplaceAll(text, "'", "''") + "'"
}
