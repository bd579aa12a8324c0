package customer_test

import (
	"context"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/apperr"
	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/customer"
	"github.com/segments/segments/server/page"
	"github.com/segments/segments/server/segment/scopetest"
)

// Exclusions leave out the members of other segments, in pages both ways,
// in every order, in counts and in Each (exports), within the scope.
func TestExcludeLeavesOutOtherSegmentsMembers(t *testing.T) {
	t.Parallel()
	st := scopetest.New(t)
	l := customer.NewLister(st.DB)
	sys := auth.AsSystem(context.Background())
	onlyC := slices.Clone(st.Customers[st.C])
	slices.Sort(onlyC)

	for _, q := range []customer.Query{
		{SegmentIDs: []int64{st.All}, Exclude: []int64{st.MixedAB}},
		{SegmentIDs: []int64{st.All}, Exclude: []int64{st.OnlyA, st.OnlyB}},
		{SegmentIDs: []int64{st.All, st.OnlyA}, Mode: customer.Union, Exclude: []int64{st.MixedAB}},
		{SegmentIDs: []int64{st.All}, Exclude: []int64{st.MixedAB}, Order: customer.Order{Field: customer.OrderEmail, Desc: true}},
		{SegmentIDs: []int64{st.All}, Exclude: []int64{st.MixedAB}, Order: customer.Order{Field: customer.OrderGroup}},
	} {
		got := walkAs(t, l, sys, q)
		slices.Sort(got)
		require.Equal(t, onlyC, got, "%+v", q)
		n, err := l.Count(sys, q)
		require.NoError(t, err)
		require.Equal(t, int64(len(onlyC)), n)
		var each []int64
		require.NoError(t, l.Each(sys, st.DB, q, func(c customer.Customer) error { each = append(each, c.ID); return nil }))
		slices.Sort(each)
		require.Equal(t, onlyC, each)
	}

	// An empty list excludes nothing, and its cursors are those of no list.
	first := 2
	plain, err := l.List(sys, customer.Query{SegmentIDs: []int64{st.All}}, page.Args{First: &first})
	require.NoError(t, err)
	none, err := l.List(sys, customer.Query{SegmentIDs: []int64{st.All}, Exclude: []int64{}}, page.Args{First: &first})
	require.NoError(t, err)
	require.Equal(t, plain.Customers, none.Customers)
	_, err = l.List(sys, customer.Query{SegmentIDs: []int64{st.All}, Exclude: []int64{st.OnlyA}}, page.Args{First: &first, After: &plain.Cursors[1]})
	e, _ := apperr.As(err)
	require.Equal(t, apperr.BadInput, e.Kind, "a cursor of another exclude list")

	// A segment both combined and excluded is refused.
	_, err = l.Count(sys, customer.Query{SegmentIDs: []int64{st.All, st.OnlyA}, Exclude: []int64{st.OnlyA}})
	e, _ = apperr.As(err)
	require.Equal(t, apperr.BadInput, e.Kind)

	// A scoped principal excludes only segments it sees, and counts only
	// its own website's customers.
	a := scopetest.As(st.ScopedA(7))
	_, hidden := l.Count(a, customer.Query{SegmentIDs: []int64{st.All}, Exclude: []int64{st.OnlyB}})
	_, unknown := l.Count(a, customer.Query{SegmentIDs: []int64{st.All}, Exclude: []int64{999_999}})
	scopetest.SameAsUnknown(t, hidden, st.OnlyB, unknown, 999_999)
	n, err := l.Count(a, customer.Query{SegmentIDs: []int64{st.All}, Exclude: []int64{st.MixedAB}})
	require.NoError(t, err)
	require.Zero(t, n, "a's customers are all in MixedAB")
	n, err = l.Count(a, customer.Query{SegmentIDs: []int64{st.MixedAB}, Exclude: []int64{st.All}})
	require.NoError(t, err)
	require.Zero(t, n)
}
