package customer_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/apperr"
	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/customer"
	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/db/dbtest"
	"github.com/segments/segments/server/page"
	"github.com/segments/segments/server/seed"
	"github.com/segments/segments/server/segment"
)

// demoStore seeds a small demo store and refreshes its segments.
func demoStore(t *testing.T) (*db.DB, []int64) {
	t.Helper()
	d := dbtest.New(t)
	return d, seedDemo(t, d)
}

// seedDemo seeds d as demoStore does and returns its segments' ids.
func seedDemo(t *testing.T, d *db.DB) []int64 {
	t.Helper()
	ctx := auth.AsSystem(context.Background())
	now := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	res, err := seed.Run(ctx, d, seed.Options{Customers: 400, Orders: 1500, Seed: 7, Now: now, Location: time.UTC})
	require.NoError(t, err)
	_, err = segment.NewRefresher(d).Refresh(ctx, res.SegmentIDs, segment.RefreshOptions{Now: now, TimeZone: "UTC"})
	require.NoError(t, err)
	return res.SegmentIDs
}

// members reads membership straight from the table and combines it in Go.
func members(t *testing.T, d *db.DB, ids []int64, mode customer.Mode) []int64 {
	t.Helper()
	rows, err := d.Pool.Query(auth.AsSystem(context.Background()), `SELECT segment_id, customer_id FROM segment_customers WHERE segment_id = ANY($1)`, ids)
	require.NoError(t, err)
	count := map[int64]int{}
	var sid, cid int64
	_, err = pgx.ForEachRow(rows, []any{&sid, &cid}, func() error { count[cid]++; return nil })
	require.NoError(t, err)
	var out []int64
	for c, n := range count {
		if mode == customer.Union || n == len(ids) {
			out = append(out, c)
		}
	}
	slices.Sort(out)
	return out
}

// order is the expected order of the given customers under a sort, written
// as one plain ORDER BY: the keyset pages must concatenate to exactly this.
func order(t *testing.T, d *db.DB, ids []int64, o customer.Order) []int64 {
	t.Helper()
	dir, nulls := "ASC", "NULLS LAST"
	if o.Desc {
		dir, nulls = "DESC", "NULLS FIRST"
	}
	col := map[customer.OrderField]string{
		customer.OrderID:            "c.id",
		customer.OrderName:          `c.last_name COLLATE "segments_store" %[1]s, c.first_name COLLATE "segments_store"`,
		customer.OrderEmail:         `c.email COLLATE "segments_store"`,
		customer.OrderGroup:         `g.name COLLATE "segments_store"`,
		customer.OrderPhone:         `c.phone COLLATE "segments_store"`,
		customer.OrderZip:           `c.zip COLLATE "segments_store"`,
		customer.OrderCountry:       `c.country`,
		customer.OrderRegion:        `c.region COLLATE "segments_store"`,
		customer.OrderCustomerSince: `c.created_at`,
	}[o.Field]
	sql := fmt.Sprintf(`SELECT c.id FROM customers c JOIN customer_groups g ON g.id = c.group_id
		WHERE c.id = ANY($1) ORDER BY `+col+` %[1]s %[2]s, c.id %[1]s`, dir, nulls)
	rows, err := d.Pool.Query(auth.AsSystem(context.Background()), sql, ids)
	require.NoError(t, err)
	out, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	require.NoError(t, err)
	return out
}

func ptr[T any](v T) *T { return &v }

// walk pages through a whole listing forwards or backwards and checks each
// page's pageInfo against its position.
func walk(t *testing.T, l *customer.Lister, q customer.Query, size int, backward bool) []int64 {
	t.Helper()
	ctx := auth.AsSystem(context.Background())
	var all []int64
	var cursor *string
	for pages := 0; ; pages++ {
		require.Less(t, pages, 1000, "pagination does not end")
		args := page.Args{First: &size, After: cursor}
		if backward {
			args = page.Args{Last: &size, Before: cursor}
		}
		p, err := l.List(ctx, q, args)
		require.NoError(t, err)
		ids := make([]int64, len(p.Customers))
		for i, c := range p.Customers {
			ids[i] = c.ID
		}
		if backward {
			all = append(ids, all...)
			require.Equal(t, cursor != nil, p.Info.HasNextPage, "hasNextPage going backwards")
			if !p.Info.HasPreviousPage {
				return all
			}
			cursor = &p.Cursors[0]
		} else {
			all = append(all, ids...)
			require.Equal(t, cursor != nil, p.Info.HasPreviousPage, "hasPreviousPage going forwards")
			if !p.Info.HasNextPage {
				return all
			}
			require.Len(t, p.Customers, size, "a page before the last is full")
			cursor = &p.Cursors[len(p.Cursors)-1]
		}
	}
}

func TestPaginationWalksEverySortBothWays(t *testing.T) {
	t.Parallel()
	d, segs := demoStore(t)
	l := customer.NewLister(d)
	// The biggest segments, so that pages have ties and NULLs.
	var big []int64
	require.NoError(t, d.Pool.QueryRow(auth.AsSystem(context.Background()),
		`SELECT array_agg(id) FROM (SELECT id FROM segments ORDER BY customer_count DESC, id LIMIT 2) s`).Scan(&big))
	sets := []struct {
		ids  []int64
		mode customer.Mode
	}{
		{big[:1], customer.Union},
		{big, customer.Union},
		{big, customer.Intersection},
		{segs, customer.Union},
	}
	fields := []customer.OrderField{customer.OrderID, customer.OrderName, customer.OrderEmail, customer.OrderGroup,
		customer.OrderPhone, customer.OrderZip, customer.OrderCountry, customer.OrderRegion, customer.OrderCustomerSince}
	for _, set := range sets {
		want := members(t, d, set.ids, set.mode)
		require.NotEmpty(t, want)
		for _, f := range fields {
			for _, desc := range []bool{false, true} {
				name := fmt.Sprintf("%v/%s/%s/desc=%v", set.ids, set.mode, f, desc)
				t.Run(name, func(t *testing.T) {
					t.Parallel()
					o := customer.Order{Field: f, Desc: desc}
					q := customer.Query{SegmentIDs: set.ids, Mode: set.mode, Order: o}
					expected := order(t, d, want, o)
					require.Equal(t, expected, walk(t, l, q, 37, false), "forwards")
					require.Equal(t, expected, walk(t, l, q, 37, true), "backwards")
					n, err := l.Count(auth.AsSystem(context.Background()), q)
					require.NoError(t, err)
					require.EqualValues(t, len(want), n)
				})
			}
		}
	}
}

func TestKeptCountsFollowRefreshes(t *testing.T) {
	t.Parallel()
	d, segs := demoStore(t)
	l := customer.NewLister(d)
	ctx := auth.AsSystem(context.Background())
	q := customer.Query{SegmentIDs: segs[:3], Mode: customer.Union}
	n, err := l.Count(ctx, q)
	require.NoError(t, err)
	require.EqualValues(t, len(members(t, d, segs[:3], customer.Union)), n)

	// Change the store and refresh: the kept count must not survive.
	_, err = d.Pool.Exec(ctx, `DELETE FROM orders WHERE customer_id % 2 = 0`)
	require.NoError(t, err)
	_, err = segment.NewRefresher(d).Refresh(ctx, segs, segment.RefreshOptions{TimeZone: "UTC"})
	require.NoError(t, err)
	want := members(t, d, segs[:3], customer.Union)
	n, err = l.Count(ctx, q)
	require.NoError(t, err)
	require.EqualValues(t, len(want), n)

	// A refresh drops counts kept for a day without use.
	_, err = d.Pool.Exec(ctx, `UPDATE segment_set_counts SET computed_at = now() - interval '2 days'`)
	require.NoError(t, err)
	_, err = segment.NewRefresher(d).Refresh(ctx, segs[:1], segment.RefreshOptions{TimeZone: "UTC"})
	require.NoError(t, err)
	var kept int
	require.NoError(t, d.Pool.QueryRow(ctx, `SELECT count(*) FROM segment_set_counts`).Scan(&kept))
	require.Zero(t, kept)

	inter := customer.Query{SegmentIDs: segs[:2], Mode: customer.Intersection}
	n, err = l.Count(ctx, inter)
	require.NoError(t, err)
	require.EqualValues(t, len(members(t, d, segs[:2], customer.Intersection)), n)
}

func TestFiltersNarrowTheListing(t *testing.T) {
	t.Parallel()
	d, segs := demoStore(t)
	l := customer.NewLister(d)
	ctx := auth.AsSystem(context.Background())
	all := members(t, d, segs, customer.Union)

	var swedes []int64
	rows, err := d.Pool.Query(ctx, `SELECT id FROM customers WHERE country = 'SE' AND id = ANY($1) ORDER BY id`, all)
	require.NoError(t, err)
	swedes, err = pgx.CollectRows(rows, pgx.RowTo[int64])
	require.NoError(t, err)
	require.NotEmpty(t, swedes)

	q := customer.Query{SegmentIDs: segs, Filter: customer.Filter{CountryCodes: []string{"se"}}}
	require.Equal(t, swedes, walk(t, l, q, 50, false), "country codes match ignoring case")
	n, err := l.Count(ctx, q)
	require.NoError(t, err)
	require.EqualValues(t, len(swedes), n)

	// Text filters contain, ignoring case, Unicode included.
	var email, last string
	require.NoError(t, d.Pool.QueryRow(ctx, `SELECT email, last_name FROM customers WHERE id = $1`, all[0]).Scan(&email, &last))
	p, err := l.List(ctx, customer.Query{SegmentIDs: segs, Filter: customer.Filter{Email: email[1 : len(email)-1], Name: strings.ToUpper(last)}}, page.Args{})
	require.NoError(t, err)
	require.Contains(t, ids(p), all[0])

	// A cursor from one filter does not continue another.
	p, err = l.List(ctx, q, page.Args{First: ptr(1)})
	require.NoError(t, err)
	_, err = l.List(ctx, customer.Query{SegmentIDs: segs}, page.Args{After: &p.Cursors[0]})
	requireKind(t, err, apperr.BadInput)
}

func TestBadQueriesAreRejected(t *testing.T) {
	t.Parallel()
	d, segs := demoStore(t)
	l := customer.NewLister(d)
	ctx := auth.AsSystem(context.Background())
	_, err := l.List(ctx, customer.Query{}, page.Args{})
	requireKind(t, err, apperr.BadInput)
	_, err = l.List(ctx, customer.Query{SegmentIDs: []int64{segs[0], 999999}}, page.Args{})
	requireKind(t, err, apperr.NotFound)
	require.ErrorContains(t, err, "999999")
	_, err = l.List(ctx, customer.Query{SegmentIDs: segs, Filter: customer.Filter{CountryCodes: []string{"XX"}}}, page.Args{})
	requireKind(t, err, apperr.BadInput)
	many := make([]int64, segment.MaxIDs+1)
	for i := range many {
		many[i] = int64(i + 1)
	}
	_, err = l.List(ctx, customer.Query{SegmentIDs: many}, page.Args{})
	requireKind(t, err, apperr.BadInput)
	// Duplicates are ignored, so the same query binds the same cursors.
	p, err := l.List(ctx, customer.Query{SegmentIDs: []int64{segs[0], segs[0]}}, page.Args{First: ptr(1)})
	require.NoError(t, err)
	if len(p.Cursors) > 0 {
		_, err = l.List(ctx, customer.Query{SegmentIDs: []int64{segs[0]}}, page.Args{After: &p.Cursors[0]})
		require.NoError(t, err)
	}
}

func requireKind(t *testing.T, err error, kind apperr.Kind) {
	t.Helper()
	e, ok := apperr.As(err)
	require.True(t, ok, "want a %s error, got %v", kind, err)
	require.Equal(t, kind, e.Kind, e.Message)
}

func ids(p customer.Page) []int64 {
	out := make([]int64, len(p.Customers))
	for i, c := range p.Customers {
		out[i] = c.ID
	}
	return out
}
