package customer_test

import (
	"context"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/apperr"
	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/customer"
	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/page"
	"github.com/segments/segments/server/segment/scopetest"
)

// walkAs lists every customer of q as ctx's principal, forwards then
// backwards, and checks both ways agree.
func walkAs(t *testing.T, l *customer.Lister, ctx context.Context, q customer.Query) []int64 {
	t.Helper()
	size := 3
	var fwd, back []int64
	var cursor *string
	for {
		p, err := l.List(ctx, q, page.Args{First: &size, After: cursor})
		require.NoError(t, err)
		for _, c := range p.Customers {
			fwd = append(fwd, c.ID)
		}
		if !p.Info.HasNextPage {
			break
		}
		cursor = &p.Cursors[len(p.Cursors)-1]
	}
	cursor = nil
	for {
		p, err := l.List(ctx, q, page.Args{Last: &size, Before: cursor})
		require.NoError(t, err)
		ids := make([]int64, len(p.Customers))
		for i, c := range p.Customers {
			ids[i] = c.ID
		}
		back = append(ids, back...)
		if !p.Info.HasPreviousPage {
			break
		}
		cursor = &p.Cursors[0]
	}
	require.Equal(t, len(fwd), len(back), "forwards and backwards agree")
	if len(fwd) > 0 {
		require.Equal(t, fwd, back, "forwards and backwards agree")
	}
	return fwd
}

func count(t *testing.T, l *customer.Lister, ctx context.Context, q customer.Query) int64 {
	t.Helper()
	n, err := l.Count(ctx, q)
	require.NoError(t, err)
	return n
}

func TestScopeLeakDrillDown(t *testing.T) {
	t.Parallel()
	st := scopetest.New(t)
	l := customer.NewLister(st.DB)
	a := scopetest.As(st.ScopedA(7))
	all := scopetest.As(st.Everyone(8))
	onlyA := st.Customers[st.A]
	sorted := func(ids ...[]int64) []int64 {
		out := slices.Concat(ids...)
		slices.Sort(out)
		return out
	}

	for _, q := range []customer.Query{
		{SegmentIDs: []int64{st.MixedAB}},
		{SegmentIDs: []int64{st.All}},
		{SegmentIDs: []int64{st.OnlyA, st.MixedAB}, Mode: customer.Union},
		{SegmentIDs: []int64{st.MixedAB, st.All}, Mode: customer.Intersection},
		{SegmentIDs: []int64{st.OnlyA, st.All}, Mode: customer.Intersection},
	} {
		for _, field := range []customer.OrderField{customer.OrderID, customer.OrderEmail, customer.OrderName, customer.OrderGroup, customer.OrderCountry} {
			q := q
			q.Order = customer.Order{Field: field}
			got := walkAs(t, l, a, q)
			require.Equal(t, onlyA, sorted(got), "%v %s: only website a's customers", q.SegmentIDs, field)
		}
		require.Equal(t, int64(len(onlyA)), count(t, l, a, q), "%v: website a's count", q.SegmentIDs)
		// Filters: website b's customers are not there to be found.
		for _, f := range []customer.Filter{
			{WebsiteIDs: []int64{st.B}},
			{Email: "b1@"},
			{IDs: st.Customers[st.B]},
			{Name: "Lastb"},
			{Phone: "+46 b"},
		} {
			q := q
			q.Filter = f
			require.Empty(t, walkAs(t, l, a, q), "%v %+v", q.SegmentIDs, f)
			require.Zero(t, count(t, l, a, q), "%v %+v", q.SegmentIDs, f)
		}
		q.Filter = customer.Filter{CountryCodes: []string{"SE"}}
		require.Equal(t, int64(len(onlyA)/2), count(t, l, a, q))
	}
	// Everyone sees both websites of the mixed segment.
	q := customer.Query{SegmentIDs: []int64{st.MixedAB}}
	require.Equal(t, sorted(st.Customers[st.A], st.Customers[st.B]), sorted(walkAs(t, l, all, q)))
	require.Equal(t, int64(2*scopetest.PerWebsite), count(t, l, all, q))

	// A hidden segment, alone or combined, is an unknown one.
	for _, mode := range []customer.Mode{customer.Union, customer.Intersection} {
		_, hidden := l.List(a, customer.Query{SegmentIDs: []int64{st.MixedAB, st.OnlyB}, Mode: mode}, page.Args{})
		_, unknown := l.List(a, customer.Query{SegmentIDs: []int64{st.MixedAB, 999_999}, Mode: mode}, page.Args{})
		scopetest.SameAsUnknown(t, hidden, st.OnlyB, unknown, 999_999)
		_, hidden = l.Count(a, customer.Query{SegmentIDs: []int64{st.OnlyB, st.MixedAB}, Mode: mode})
		_, unknown = l.Count(a, customer.Query{SegmentIDs: []int64{999_999, st.MixedAB}, Mode: mode})
		scopetest.SameAsUnknown(t, hidden, st.OnlyB, unknown, 999_999)
	}

	// A cursor of another scope does not fit.
	size := 1
	p, err := l.List(all, q, page.Args{First: &size})
	require.NoError(t, err)
	_, err = l.List(a, q, page.Args{First: &size, After: &p.Cursors[0]})
	e, ok := apperr.As(err)
	require.True(t, ok, "%v", err)
	require.Equal(t, apperr.BadInput, e.Kind)

	// Without a principal, nothing.
	_, err = l.List(context.Background(), q, page.Args{})
	e, ok = apperr.As(err)
	require.True(t, ok, "%v", err)
	require.Equal(t, apperr.NotFound, e.Kind)
}

func TestScopeLeakKeptCounts(t *testing.T) {
	t.Parallel()
	st := scopetest.New(t)
	// Kept counts are SQL's: without bitmaps (as a segment not refreshed
	// since they exist), the first two queries are kept too.
	l := customer.NewLister(st.DB).WithBitmaps(nil)
	a := scopetest.As(st.ScopedA(7))
	all := scopetest.As(st.Everyone(8))
	for _, q := range []customer.Query{
		{SegmentIDs: []int64{st.OnlyA, st.MixedAB}, Mode: customer.Union},
		{SegmentIDs: []int64{st.MixedAB, st.All}, Mode: customer.Intersection},
		{SegmentIDs: []int64{st.MixedAB}, Filter: customer.Filter{CountryCodes: []string{"SE", "NO"}}},
	} {
		// Everyone first, so a shared kept count would be found by a.
		require.Equal(t, int64(2*scopetest.PerWebsite), count(t, l, all, q), "%+v", q)
		require.Equal(t, int64(scopetest.PerWebsite), count(t, l, a, q), "%+v", q)
		require.Equal(t, int64(scopetest.PerWebsite), count(t, l, a, q), "%+v kept", q)
		require.Equal(t, int64(2*scopetest.PerWebsite), count(t, l, all, q), "%+v kept", q)
	}
	var keys int
	require.NoError(t, db.Get(auth.AsSystem(context.Background()), st.DB, `SELECT count(DISTINCT key) FROM segment_set_counts`, nil, &keys))
	require.Equal(t, 6, keys, "one kept count per query and scope")
}
