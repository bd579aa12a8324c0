package segment_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/segments/segments/server/actor"
	"github.com/segments/segments/server/apperr"
	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/rule"
	"github.com/segments/segments/server/segment"
	"github.com/segments/segments/server/segment/scopetest"
)

// enqueued counts the refreshes a Manager schedules.
func enqueued(n *int) segment.Enqueue {
	return func(context.Context, bun.Tx, []int64, actor.Actor, bool) (int64, error) {
		*n++
		return int64(*n), nil
	}
}

func websiteIDs(t *testing.T, d *db.DB) []int64 {
	t.Helper()
	var ids []int64
	require.NoError(t, d.NewSelect().Table("websites").Column("id").Order("id").Scan(auth.AsSystem(context.Background()), &ids))
	return ids
}

func TestUpdateChangesOnlyWhatThePatchSets(t *testing.T) {
	t.Parallel()
	d, segs := seeded(t)
	refresh(t, d, segs[:1])
	ctx := auth.AsSystem(context.Background())
	runs := 0
	m := segment.NewManager(d, enqueued(&runs))
	store := segment.NewStore(d)
	get := func() segment.Segment {
		t.Helper()
		got, err := store.Get(ctx, segs[:1])
		require.NoError(t, err)
		require.Len(t, got, 1)
		return got[0]
	}
	before, members := get(), stored(t, d, segs[0])
	require.NotEmpty(t, members)

	// A new name and description: rule, websites, status and membership
	// stay, and no refresh is scheduled.
	name, desc := "  Renamed  ", "Now with a description"
	require.NoError(t, m.Update(ctx, segs[0], segment.Patch{Name: &name, Description: &desc}))
	after := get()
	require.Equal(t, "Renamed", after.Name)
	require.Equal(t, desc, *after.Description)
	require.Equal(t, before.Conditions, after.Conditions)
	require.Equal(t, before.WebsiteIDs, after.WebsiteIDs)
	require.Equal(t, before.Active, after.Active)
	require.Equal(t, before.RuleVersion, after.RuleVersion, "the rule version is kept")
	require.Equal(t, before.Stale, after.Stale, "staleness unchanged")
	require.Equal(t, members, stored(t, d, segs[0]), "membership untouched")
	require.Zero(t, runs, "renaming enqueues no refresh")

	// A blank description clears it; a status change alone is no rule change.
	blank, inactive := "", false
	require.NoError(t, m.Update(ctx, segs[0], segment.Patch{Description: &blank, Active: &inactive}))
	after = get()
	require.Nil(t, after.Description)
	require.False(t, after.Active)
	require.Equal(t, "Renamed", after.Name, "an omitted name is kept")
	require.Equal(t, before.RuleVersion, after.RuleVersion)
	require.Zero(t, runs)

	// The same rule again is no change either.
	same := before.Conditions
	require.NoError(t, m.Update(ctx, segs[0], segment.Patch{Conditions: &same}))
	require.Equal(t, before.RuleVersion, get().RuleVersion)
	require.Zero(t, runs)

	// A new rule makes membership stale and schedules a refresh.
	g := countryRule("DK")
	require.NoError(t, m.Update(ctx, segs[0], segment.Patch{Conditions: &g}))
	after = get()
	require.Equal(t, before.RuleVersion+1, after.RuleVersion)
	require.True(t, after.Stale)
	require.Equal(t, 1, runs)

	// New websites likewise.
	ws := websiteIDs(t, d)[:1]
	if slicesEqual(ws, after.WebsiteIDs) {
		ws = websiteIDs(t, d)[1:2]
	}
	require.NoError(t, m.Update(ctx, segs[0], segment.Patch{WebsiteIDs: &ws}))
	require.Equal(t, ws, get().WebsiteIDs)
	require.Equal(t, 2, runs)

	// What the patch sets is checked as Create checks it, all at once, and
	// a refused patch changes nothing.
	empty, bad := "  ", rule.Group{Match: rule.MatchAll, Expect: true, Conditions: []rule.Condition{
		{Customer: &rule.CustomerCondition{Field: rule.FieldCountry, Operator: rule.OpBetween, Values: []string{"SE"}}}}}
	none := []int64{}
	err := m.Update(ctx, segs[0], segment.Patch{Name: &empty, WebsiteIDs: &none, Conditions: &bad})
	e, ok := apperr.As(err)
	require.True(t, ok, "%v", err)
	require.Equal(t, apperr.BadInput, e.Kind)
	var fields []string
	for _, p := range e.Problems {
		fields = append(fields, p.Field)
	}
	require.Equal(t, []string{"name", "websiteIds", "conditions"}, fields)
	require.Equal(t, "conditions[0]", e.Problems[2].Condition)
	require.Equal(t, "Renamed", get().Name)
	require.Equal(t, 2, runs)
}

func slicesEqual(a, b []int64) bool { return fmt.Sprint(a) == fmt.Sprint(b) }

// randomRule draws a rule over the seeded store's fields and orders, some
// nested, negated or windowed.
func randomRule(r *rand.Rand, depth int) rule.Group {
	g := rule.Group{Match: rule.MatchAll, Expect: r.IntN(4) != 0}
	if r.IntN(2) == 0 {
		g.Match = rule.MatchAny
	}
	for range 1 + r.IntN(3) {
		var c rule.Condition
		switch k := r.IntN(7); {
		case k == 0 && depth < 3:
			sub := randomRule(r, depth+1)
			c.Group = &sub
		case k <= 1:
			c.Customer = &rule.CustomerCondition{Field: rule.FieldCountry, Operator: rule.OpIn, Values: []string{"SE", "NO", "DK", "GB"}[:1+r.IntN(4)]}
		case k == 2:
			c.Customer = &rule.CustomerCondition{Field: rule.FieldGroup, Operator: rule.OpNeq, Values: []string{[]string{"general", "vip", "retailer"}[r.IntN(3)]}}
		case k == 3:
			c.Customer = &rule.CustomerCondition{Field: rule.FieldDaysSinceSignup, Operator: rule.OpGt, Values: []string{strconv.Itoa(r.IntN(700))}}
		case k == 4:
			c.Orders = &rule.OrderCondition{Measure: rule.MeasureOrderCount, Operator: rule.OpGte, Values: []string{strconv.Itoa(1 + r.IntN(6))}}
		case k == 5:
			days := 30 + r.IntN(365)
			c.Orders = &rule.OrderCondition{Measure: rule.MeasureSalesTotal, Operator: rule.OpGt, Values: []string{strconv.Itoa(r.IntN(3000))}, WithinDays: &days}
		default:
			c.Orders = &rule.OrderCondition{Measure: rule.MeasureDaysSinceLastOrder, Operator: rule.OpLt, Values: []string{strconv.Itoa(10 + r.IntN(300))},
				Statuses: []string{"complete", "processing"}[:1+r.IntN(2)]}
		}
		g.Conditions = append(g.Conditions, c)
	}
	return g
}

// TestPreviewCountsWhatARefreshFinds is differential: for random rules on
// random websites, the preview's count is the member count of a segment
// created with the same rule and refreshed at the same moment, and the one
// the Go reference evaluator finds.
func TestPreviewCountsWhatARefreshFinds(t *testing.T) {
	t.Parallel()
	d, _ := seeded(t)
	ctx := auth.AsSystem(context.Background())
	m := segment.NewManager(d, func(context.Context, bun.Tx, []int64, actor.Actor, bool) (int64, error) { return 0, nil })
	all := websiteIDs(t, d)
	r := rand.New(rand.NewPCG(9, 9))
	counts := map[int64]bool{}
	for i := range 12 {
		g := randomRule(r, 1)
		ws := all[:1+r.IntN(len(all))]
		n, err := m.Preview(ctx, ws, g, now, tz)
		require.NoError(t, err, "rule %d", i)
		id, err := m.Create(ctx, segment.Input{Name: fmt.Sprint("preview ", i), Active: true, WebsiteIDs: ws, Conditions: g})
		require.NoError(t, err, "rule %d", i)
		res := refresh(t, d, []int64{id})
		require.Equal(t, res[id].CustomerCount, n, "rule %d: preview vs refresh", i)
		require.Equal(t, len(expected(t, d, id)), int(n), "rule %d: preview vs reference evaluator", i)
		counts[n] = true
	}
	require.GreaterOrEqual(t, len(counts), 4, "the rules select sets of different sizes")
}

func TestPreviewChecksItsInput(t *testing.T) {
	t.Parallel()
	st := scopetest.New(t)
	m := segment.NewManager(st.DB, func(context.Context, bun.Tx, []int64, actor.Actor, bool) (int64, error) { return 0, nil })
	a := scopetest.As(st.ScopedA(7))
	every := scopetest.EveryCustomer()

	n, err := m.Preview(a, []int64{st.A}, every, time.Now(), tz)
	require.NoError(t, err)
	var onA int64
	require.NoError(t, st.DB.Pool.QueryRow(context.Background(), `SELECT count(*) FROM customers WHERE website_id = $1`, st.A).Scan(&onA))
	require.Equal(t, onA, n, "a rule every customer matches counts every customer of the websites")

	// A website outside the scope is as unknown as one that does not exist.
	_, hidden := m.Preview(a, []int64{st.A, st.B}, every, time.Now(), tz)
	_, unknown := m.Preview(a, []int64{st.A, 999_999}, every, time.Now(), tz)
	scopetest.SameAsUnknown(t, hidden, st.B, unknown, 999_999)
	e, _ := apperr.As(hidden)
	require.Equal(t, apperr.NotFound, e.Kind)
	require.Equal(t, "websiteIds", e.Problems[0].Field)

	// The rule gets the problems createSegment's gets.
	bad := rule.Group{Match: rule.MatchAll, Expect: true, Conditions: []rule.Condition{{Group: &rule.Group{Match: rule.MatchAny, Expect: true,
		Conditions: []rule.Condition{{Customer: &rule.CustomerCondition{Field: rule.FieldGroup, Operator: rule.OpEq, Values: []string{"nosuchgroup"}}}}}}}}
	_, perr := m.Preview(a, []int64{st.A}, bad, time.Now(), tz)
	_, cerr := m.Create(a, segment.Input{Name: "x", Active: true, WebsiteIDs: []int64{st.A}, Conditions: bad})
	pe, _ := apperr.As(perr)
	ce, _ := apperr.As(cerr)
	require.Equal(t, apperr.BadInput, pe.Kind)
	require.Equal(t, ce.Problems, pe.Problems)
	require.Equal(t, "conditions[0].conditions[0]", pe.Problems[0].Condition)
	_, err = m.Preview(a, nil, every, time.Now(), tz)
	e, _ = apperr.As(err)
	require.Equal(t, apperr.BadInput, e.Kind)
	require.Equal(t, "websiteIds", e.Problems[0].Field)

	// A cancelled request cancels the count.
	cctx, cancel := context.WithCancel(a)
	cancel()
	_, err = m.Preview(cctx, []int64{st.A}, every, time.Now(), tz)
	require.ErrorIs(t, err, context.Canceled)
}

func TestIDsIsEveryMatchingSegmentUpToTheLimit(t *testing.T) {
	t.Parallel()
	st := scopetest.New(t)
	store := segment.NewStore(st.DB)
	sys := auth.AsSystem(context.Background())
	active := true
	for _, f := range []segment.Filter{{}, {Active: &active}, {Name: "a"}, {WebsiteIDs: []int64{st.B}}} {
		for _, ctx := range []context.Context{sys, scopetest.As(st.ScopedA(7))} {
			got, err := store.IDs(ctx, f)
			require.NoError(t, err)
			want := ids(listAll(t, store, ctx, f, segment.Order{Field: segment.OrderID}))
			if want == nil {
				want = []int64{}
			}
			require.Equal(t, want, got, "filter %+v", f)
		}
	}
	_, err := store.IDs(sys, segment.Filter{IDMin: ptr[int64](5), IDMax: ptr[int64](4)})
	e, _ := apperr.As(err)
	require.Equal(t, apperr.BadInput, e.Kind)

	// Past 10,000 the filter must be narrowed.
	_, err = st.DB.Pool.Exec(context.Background(), `WITH s AS (INSERT INTO segments (name, conditions)
		SELECT 'many ' || i, '{"match":"ALL","expect":true,"conditions":[]}' FROM generate_series(1, $1) i RETURNING id)
		INSERT INTO segment_websites (segment_id, website_id) SELECT id, $2 FROM s`, segment.MaxListIDs, st.A)
	require.NoError(t, err)
	_, err = store.IDs(sys, segment.Filter{})
	e, _ = apperr.As(err)
	require.Equal(t, apperr.BadInput, e.Kind)
	require.Contains(t, e.Message, "narrow the filter")
	got, err := store.IDs(sys, segment.Filter{Name: "many"})
	require.NoError(t, err)
	require.Len(t, got, segment.MaxListIDs)
}

func TestMassChangesTakeAThousandIDs(t *testing.T) {
	t.Parallel()
	st := scopetest.New(t)
	ctx := auth.AsSystem(context.Background())
	runs := 0
	m := segment.NewManager(st.DB, enqueued(&runs))
	var many []int64
	require.NoError(t, db.Select(ctx, st.DB, &many, `WITH s AS (INSERT INTO segments (name, conditions)
		SELECT 'mass ' || i, '{"match":"ALL","expect":true,"conditions":[]}' FROM generate_series(1, $1) i RETURNING id),
		w AS (INSERT INTO segment_websites (segment_id, website_id) SELECT id, $2 FROM s)
		SELECT id FROM s ORDER BY id`, segment.MaxMassIDs, st.A))
	require.Len(t, many, segment.MaxMassIDs)
	tooMany := append([]int64{st.OnlyA}, many...)

	changed, err := m.SetStatus(ctx, many, false)
	require.NoError(t, err)
	require.Equal(t, many, changed)
	_, err = m.SetStatus(ctx, tooMany, true)
	e, _ := apperr.As(err)
	require.Equal(t, apperr.BadInput, e.Kind)
	_, err = m.Refresh(ctx, tooMany, actor.FromAPI, false)
	e, _ = apperr.As(err)
	require.Equal(t, apperr.BadInput, e.Kind)
	_, err = m.Delete(ctx, tooMany)
	e, _ = apperr.As(err)
	require.Equal(t, apperr.BadInput, e.Kind)

	// One unknown id among a thousand: nothing changes.
	withUnknown := append(append([]int64{}, many[1:]...), 999_999_999)
	_, err = m.SetStatus(ctx, withUnknown, true)
	e, _ = apperr.As(err)
	require.Equal(t, apperr.NotFound, e.Kind)
	require.Contains(t, e.Message, "999999999")
	_, err = m.Delete(ctx, withUnknown)
	e, _ = apperr.As(err)
	require.Equal(t, apperr.NotFound, e.Kind)
	var left int
	require.NoError(t, st.DB.Pool.QueryRow(ctx, `SELECT count(*) FROM segments WHERE id = ANY($1) AND NOT is_active`, many).Scan(&left))
	require.Equal(t, segment.MaxMassIDs, left, "nothing deleted or activated")

	_, err = m.Refresh(ctx, many, actor.FromAPI, false)
	require.NoError(t, err)
	require.Equal(t, 1, runs, "one run for a thousand segments")
	deleted, err := m.Delete(ctx, many)
	require.NoError(t, err)
	require.Len(t, deleted, segment.MaxMassIDs)
}

func TestOverlapCountsEachVennRegion(t *testing.T) {
	t.Parallel()
	st := scopetest.New(t)
	store := segment.NewStore(st.DB)
	n := int64(scopetest.PerWebsite)
	// a's customers are in all three, b's in MixedAB and All, c's in All.
	o, err := store.Overlap(auth.AsSystem(context.Background()), []int64{st.OnlyA, st.MixedAB, st.All, st.OnlyA})
	require.NoError(t, err)
	require.Equal(t, []int64{st.OnlyA, st.MixedAB, st.All}, o.SegmentIDs, "as asked, duplicates dropped")
	require.Equal(t, 3*n, o.Union)
	require.Equal(t, n, o.Intersection)
	require.Equal(t, []segment.PairOverlap{
		{SegmentIDs: [2]int64{st.OnlyA, st.MixedAB}, Intersection: n, Union: 2 * n},
		{SegmentIDs: [2]int64{st.OnlyA, st.All}, Intersection: n, Union: 3 * n},
		{SegmentIDs: [2]int64{st.MixedAB, st.All}, Intersection: 2 * n, Union: 3 * n},
	}, o.Pairs)
	require.Equal(t, []segment.Region{
		{In: []int64{st.All}, Out: []int64{st.OnlyA, st.MixedAB}, Count: n},
		{In: []int64{st.MixedAB, st.All}, Out: []int64{st.OnlyA}, Count: n},
		{In: []int64{st.OnlyA, st.MixedAB, st.All}, Out: []int64{}, Count: n},
	}, o.Regions)

	// A principal of website a sees a's customers only.
	a := scopetest.As(st.ScopedA(7))
	o, err = store.Overlap(a, []int64{st.MixedAB, st.All})
	require.NoError(t, err)
	require.Equal(t, n, o.Union)
	require.Equal(t, []segment.Region{{In: []int64{st.MixedAB, st.All}, Out: []int64{}, Count: n}}, o.Regions)
	_, hidden := store.Overlap(a, []int64{st.All, st.OnlyB})
	_, unknown := store.Overlap(a, []int64{st.All, 999_999})
	scopetest.SameAsUnknown(t, hidden, st.OnlyB, unknown, 999_999)

	for _, ids := range [][]int64{{st.All}, {st.All, st.All}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}} {
		_, err := store.Overlap(a, ids)
		e, _ := apperr.As(err)
		require.Equal(t, apperr.BadInput, e.Kind, "%v", ids)
	}
}
