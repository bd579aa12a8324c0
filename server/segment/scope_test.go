package segment_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/segments/segments/server/actor"
	"github.com/segments/segments/server/apperr"
	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/erasure"
	"github.com/segments/segments/server/page"
	"github.com/segments/segments/server/segment"
	"github.com/segments/segments/server/segment/scopetest"
)

// listAll walks the whole segment list as ctx's principal, forwards, and
// returns the segments in order.
func listAll(t *testing.T, s *segment.Store, ctx context.Context, f segment.Filter, o segment.Order) []segment.Segment {
	t.Helper()
	var out []segment.Segment
	var after *string
	size := 1
	for {
		p, err := s.List(ctx, f, o, page.Args{First: &size, After: after})
		require.NoError(t, err)
		out = append(out, p.Segments...)
		if !p.Info.HasNextPage {
			return out
		}
		after = &p.Cursors[len(p.Cursors)-1]
	}
}

func ids(segs []segment.Segment) []int64 {
	out := make([]int64, len(segs))
	for i, s := range segs {
		out[i] = s.ID
	}
	return out
}

func TestScopeLeakSegmentGrid(t *testing.T) {
	t.Parallel()
	st := scopetest.New(t)
	s := segment.NewStore(st.DB)
	a := scopetest.As(st.ScopedA(7))
	all := scopetest.As(st.Everyone(8))

	// Visible: the segments with website a; each counts only a's customers
	// and lists only website a.
	got := listAll(t, s, a, segment.Filter{}, segment.Order{Field: segment.OrderID})
	require.Equal(t, []int64{st.OnlyA, st.MixedAB, st.All}, ids(got))
	for _, sg := range got {
		require.Equal(t, int64(scopetest.PerWebsite), sg.CustomerCount, "segment %d counts only website a", sg.ID)
		require.Equal(t, []int64{st.A}, sg.WebsiteIDs)
	}
	n, err := s.Count(a, segment.Filter{})
	require.NoError(t, err)
	require.Equal(t, int64(3), n)
	// The same segments for everyone: whole counts and websites.
	whole := listAll(t, s, all, segment.Filter{}, segment.Order{Field: segment.OrderID})
	require.Len(t, whole, 4)
	require.Equal(t, int64(3*scopetest.PerWebsite), whole[3].CustomerCount)

	// Filters by a hidden website find nothing, even segments that also
	// belong to it; count filters use the scope's counts.
	for _, f := range []segment.Filter{
		{WebsiteIDs: []int64{st.B}},
		{WebsiteIDs: []int64{st.C}},
		{IDs: []int64{st.OnlyB}},
		{CustomerCountMin: ptr(int64(scopetest.PerWebsite + 1))},
		{Name: "Only B"},
	} {
		require.Empty(t, listAll(t, s, a, f, segment.Order{Field: segment.OrderID}), "%+v", f)
		n, err := s.Count(a, f)
		require.NoError(t, err)
		require.Zero(t, n, "%+v", f)
	}
	require.Len(t, listAll(t, s, all, segment.Filter{CustomerCountMin: ptr(int64(scopetest.PerWebsite + 1))}, segment.Order{Field: segment.OrderID}), 2)
	require.Len(t, listAll(t, s, a, segment.Filter{CustomerCountMax: ptr(int64(scopetest.PerWebsite))}, segment.Order{Field: segment.OrderID}), 3)

	// Sorts on count and website use the scope's values: all tie, so the
	// order is by id both ways, and each page follows on with its cursor.
	for _, field := range []segment.OrderField{segment.OrderCustomerCount, segment.OrderWebsite, segment.OrderName, segment.OrderRefreshedAt} {
		for _, desc := range []bool{false, true} {
			got := ids(listAll(t, s, a, segment.Filter{}, segment.Order{Field: field, Desc: desc}))
			require.ElementsMatch(t, []int64{st.OnlyA, st.MixedAB, st.All}, got, "%s desc=%v", field, desc)
			if field != segment.OrderName && field != segment.OrderRefreshedAt {
				want := []int64{st.OnlyA, st.MixedAB, st.All}
				if desc {
					slices.Reverse(want)
				}
				require.Equal(t, want, got, "%s desc=%v", field, desc)
			}
		}
	}

	// A cursor of another scope does not fit.
	size := 1
	p, err := s.List(all, segment.Filter{}, segment.Order{Field: segment.OrderCustomerCount}, page.Args{First: &size})
	require.NoError(t, err)
	_, err = s.List(a, segment.Filter{}, segment.Order{Field: segment.OrderCustomerCount}, page.Args{First: &size, After: &p.Cursors[0]})
	e, ok := apperr.As(err)
	require.True(t, ok, "%v", err)
	require.Equal(t, apperr.BadInput, e.Kind)

	// By id: a hidden segment is not there at all.
	segs, err := s.Get(a, []int64{st.OnlyB, st.MixedAB})
	require.NoError(t, err)
	require.Equal(t, []int64{st.MixedAB}, ids(segs))
	require.Equal(t, int64(scopetest.PerWebsite), segs[0].CustomerCount)
	_, hidden := segment.CheckIDs(a, st.DB, []int64{st.OnlyA, st.OnlyB})
	_, unknown := segment.CheckIDs(a, st.DB, []int64{st.OnlyA, 999_999})
	scopetest.SameAsUnknown(t, hidden, st.OnlyB, unknown, 999_999)

	// Without a principal, nothing.
	got = listAll(t, s, context.Background(), segment.Filter{}, segment.Order{Field: segment.OrderID})
	require.Empty(t, got)
}

func TestScopeLeakRefreshHistory(t *testing.T) {
	t.Parallel()
	st := scopetest.New(t)
	ctx := auth.AsSystem(context.Background())
	// Move two customers of b to a, and erase one of a (its membership and
	// counts go with it): the next refresh adds two on a and removes two on
	// b.
	moved := st.Customers[st.B][:2]
	_, err := st.DB.ExecContext(ctx, `UPDATE customers SET website_id = ? WHERE id IN (?)`, st.A, bun.In(moved))
	require.NoError(t, err)
	_, err = erasure.Customers(ctx, st.DB, strings.NewReader(fmt.Sprintln(st.Customers[st.A][0])))
	require.NoError(t, err)
	st.Refresh(t)

	s := segment.NewStore(st.DB)
	type numbers struct{ Count, Added, Removed int64 }
	history := func(ctx context.Context, id int64) []numbers {
		h, err := s.History(ctx, []int64{id}, 10)
		require.NoError(t, err)
		var out []numbers
		for _, r := range h[id] {
			out = append(out, numbers{r.CustomerCount, r.Added, r.Removed})
		}
		return out
	}
	// Newest first.
	require.Equal(t, []numbers{{19, 0, 0}, {20, 20, 0}}, history(scopetest.As(st.Everyone(8)), st.MixedAB),
		"everyone: two moved within the segment")
	require.Equal(t, []numbers{{11, 2, 0}, {10, 10, 0}}, history(scopetest.As(st.ScopedA(7)), st.MixedAB), "website a only")
	require.Equal(t, []numbers{{8, 0, 2}, {10, 10, 0}}, history(scopetest.As(&auth.Principal{Kind: auth.User, ID: 9, Role: auth.Viewer, Websites: []int64{st.B}}), st.MixedAB), "website b only")
	require.Empty(t, history(scopetest.As(st.ScopedA(7)), st.OnlyB), "a hidden segment has no history")
	require.Empty(t, history(context.Background(), st.MixedAB), "no principal, no history")
}

func TestScopeLeakMutations(t *testing.T) {
	t.Parallel()
	st := scopetest.New(t)
	var asked []int64
	var by []actor.Actor
	m := segment.NewManager(st.DB, func(_ context.Context, _ bun.Tx, ids []int64, who actor.Actor, _ bool) (int64, error) {
		asked, by = ids, append(by, who)
		return 1, nil
	})
	a := scopetest.As(st.ScopedA(7))
	in := segment.Input{Name: "x", Active: true, WebsiteIDs: []int64{st.A}, Conditions: scopetest.EveryCustomer()}

	requireKind := func(err error, kind apperr.Kind) *apperr.Error {
		t.Helper()
		e, ok := apperr.As(err)
		require.True(t, ok, "%v", err)
		require.Equal(t, kind, e.Kind, e.Message)
		return e
	}
	// A hidden segment is unknown to every mutation; a visible one with
	// another website is refused.
	scopetest.SameAsUnknown(t, m.Update(a, st.OnlyB, in.AsPatch()), st.OnlyB, m.Update(a, 999_999, in.AsPatch()), 999_999)
	_, hidden := m.Delete(a, []int64{st.OnlyB})
	_, unknown := m.Delete(a, []int64{999_999})
	scopetest.SameAsUnknown(t, hidden, st.OnlyB, unknown, 999_999)
	_, hidden = m.SetStatus(a, []int64{st.OnlyB}, false)
	_, unknown = m.SetStatus(a, []int64{999_999}, false)
	scopetest.SameAsUnknown(t, hidden, st.OnlyB, unknown, 999_999)
	_, hidden = m.Refresh(a, []int64{st.OnlyB}, actor.FromAPI, false)
	_, unknown = m.Refresh(a, []int64{999_999}, actor.FromAPI, false)
	scopetest.SameAsUnknown(t, hidden, st.OnlyB, unknown, 999_999)

	e := requireKind(m.Update(a, st.MixedAB, in.AsPatch()), apperr.Forbidden)
	require.Contains(t, e.Message, "also belongs to websites outside your scope")
	_, err := m.Delete(a, []int64{st.OnlyA, st.MixedAB})
	requireKind(err, apperr.Forbidden)
	_, err = m.SetStatus(a, []int64{st.All}, false)
	requireKind(err, apperr.Forbidden)
	segs, err := segment.NewStore(st.DB).Get(auth.AsSystem(context.Background()), []int64{st.OnlyA, st.MixedAB, st.All})
	require.NoError(t, err)
	for _, s := range segs {
		require.True(t, s.Active, "nothing changed")
	}

	// Creating on a hidden website is as creating on an unknown one.
	_, hidden = m.Create(a, segment.Input{Name: "x", Active: true, WebsiteIDs: []int64{st.B}, Conditions: scopetest.EveryCustomer()})
	_, unknown = m.Create(a, segment.Input{Name: "x", Active: true, WebsiteIDs: []int64{999_999}, Conditions: scopetest.EveryCustomer()})
	h, u := requireKind(hidden, apperr.BadInput), requireKind(unknown, apperr.BadInput)
	require.Equal(t, strings.ReplaceAll(u.Message, "999999", "N"), strings.ReplaceAll(h.Message, fmt.Sprint(st.B), "N"))

	// What lies wholly within the scope is managed, and recorded as the
	// principal's doing.
	id, err := m.Create(a, in)
	require.NoError(t, err)
	require.Equal(t, actor.Actor{Kind: actor.User, ID: 7}, by[len(by)-1])
	require.NoError(t, m.Update(a, id, segment.Input{Name: "y", Active: true, WebsiteIDs: []int64{st.A}, Conditions: scopetest.EveryCustomer()}.AsPatch()))
	_, err = m.SetStatus(a, []int64{st.OnlyA}, false)
	require.NoError(t, err)

	// Refreshing every active segment is every active segment it sees; a
	// mixed one may be refreshed.
	_, err = m.Refresh(a, nil, actor.Actor{Kind: actor.User, ID: 7}, false)
	require.NoError(t, err)
	require.Equal(t, []int64{st.MixedAB, st.All, id}, asked)
	_, err = m.Refresh(a, []int64{st.MixedAB}, actor.Actor{Kind: actor.User, ID: 7}, false)
	require.NoError(t, err)
	_, err = m.Delete(a, []int64{id})
	require.NoError(t, err)
}
