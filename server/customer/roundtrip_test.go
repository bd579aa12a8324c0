package customer_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/apperr"
	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/catalog"
	"github.com/segments/segments/server/change/changetest"
	"github.com/segments/segments/server/customer"
	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/db/dbtest"
	"github.com/segments/segments/server/page"
)

// statementCounter counts the statements a pool sends.
type statementCounter struct{ n atomic.Int64 }

func (c *statementCounter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	c.n.Add(1)
	return ctx
}

func (c *statementCounter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// countedStore is demoStore on a pool that counts its statements.
func countedStore(t *testing.T) (*db.DB, []int64, *statementCounter) {
	t.Helper()
	ctx := auth.AsSystem(context.Background())
	cfg, err := pgxpool.ParseConfig(dbtest.URL(t))
	require.NoError(t, err)
	counter := &statementCounter{}
	cfg.ConnConfig.Tracer = counter
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	require.NoError(t, err)
	d := db.FromPool(pool)
	t.Cleanup(d.Close)
	return d, seedDemo(t, d), counter
}

// A drill-down page — the segment check, its rows and hasPreviousPage — is
// one statement, first page or deep, in every sort and combination, for a
// principal of every website and for one limited to some (the groups and
// websites come from the server's catalog cache).
func TestAPageIsOneStatement(t *testing.T) {
	t.Parallel()
	d, segs, counter := countedStore(t)
	// As the server lists: groups and websites from its catalog cache,
	// which the first page reads and later pages keep.
	l := customer.NewLister(d).WithCatalog(catalog.NewCache(d, changetest.Listen(t, d)))
	one := 1
	_, err := l.List(auth.AsSystem(context.Background()), customer.Query{SegmentIDs: segs[:1]}, page.Args{First: &one})
	require.NoError(t, err)
	var websites []int64
	require.NoError(t, db.Select(auth.AsSystem(context.Background()), d, &websites, `SELECT id FROM websites ORDER BY id LIMIT 1`))
	principals := map[string]context.Context{
		"system": auth.AsSystem(context.Background()),
		"scoped": auth.With(context.Background(), &auth.Principal{Kind: auth.User, ID: 1, Role: auth.Viewer, Websites: websites}),
	}
	size := 5
	for who, ctx := range principals {
		for _, q := range []customer.Query{
			{SegmentIDs: segs[:1]},
			{SegmentIDs: segs[:1], Order: customer.Order{Field: customer.OrderName}},
			{SegmentIDs: segs[:1], Order: customer.Order{Field: customer.OrderPhone}},
			{SegmentIDs: segs[:1], Order: customer.Order{Field: customer.OrderZip, Desc: true}},
			{SegmentIDs: segs[:1], Order: customer.Order{Field: customer.OrderGroup}},
			{SegmentIDs: segs[:2], Mode: customer.Union},
			{SegmentIDs: segs[:2], Mode: customer.Intersection, Order: customer.Order{Field: customer.OrderName}},
			{SegmentIDs: segs[:1], Exclude: segs[1:2]},
		} {
			label := fmt.Sprintf("%s %v %s %v", who, q.SegmentIDs, q.Mode, q.Order)
			before := counter.n.Load()
			first, err := l.List(ctx, q, page.Args{First: &size})
			require.NoError(t, err, label)
			require.Equal(t, int64(1), counter.n.Load()-before, "first page: %s", label)
			if len(first.Cursors) == 0 {
				continue
			}
			before = counter.n.Load()
			next, err := l.List(ctx, q, page.Args{First: &size, After: &first.Cursors[len(first.Cursors)-1]})
			require.NoError(t, err, label)
			require.Equal(t, int64(1), counter.n.Load()-before, "next page: %s", label)
			require.True(t, next.Info.HasPreviousPage, label)
			before = counter.n.Load()
			back, err := l.List(ctx, q, page.Args{Last: &size, Before: &first.Cursors[0]})
			require.NoError(t, err, label)
			require.Equal(t, int64(1), counter.n.Load()-before, "backwards: %s", label)
			require.Empty(t, back.Customers, label)
			require.True(t, back.Info.HasNextPage, label)
			require.False(t, back.Info.HasPreviousPage, label)
		}
	}
}

// An unknown segment is NOT_FOUND naming it, alone, next to a known one in
// a union or an intersection, or excluded.
func TestUnknownSegmentIsNamed(t *testing.T) {
	t.Parallel()
	d, segs, _ := countedStore(t)
	l := customer.NewLister(d)
	ctx := auth.AsSystem(context.Background())
	for _, q := range []customer.Query{
		{SegmentIDs: []int64{999_999}},
		{SegmentIDs: []int64{segs[0], 999_999}, Mode: customer.Union},
		{SegmentIDs: []int64{999_999, segs[0]}, Mode: customer.Intersection, Order: customer.Order{Field: customer.OrderGroup}},
		{SegmentIDs: []int64{segs[0]}, Exclude: []int64{999_999}},
	} {
		p, err := l.List(ctx, q, page.Args{})
		e, ok := apperr.As(err)
		require.True(t, ok, "%+v: %v", q, err)
		require.Equal(t, apperr.NotFound, e.Kind, "%+v", q)
		require.Contains(t, err.Error(), "segment 999999 does not exist", "%+v", q)
		require.Empty(t, p.Customers)
	}
	p, err := l.List(ctx, customer.Query{SegmentIDs: []int64{segs[0], 999_998, 999_999}}, page.Args{})
	require.Empty(t, p.Customers)
	require.ErrorContains(t, err, "segments 999998, 999999 do not exist")
}
