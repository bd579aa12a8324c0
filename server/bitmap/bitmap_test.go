package bitmap_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/segments/segments/server/actor"
	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/bitmap"
	"github.com/segments/segments/server/customer"
	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/db/dbtest"
	"github.com/segments/segments/server/erasure"
	"github.com/segments/segments/server/rule"
	"github.com/segments/segments/server/segment"
)

// cities are the values of the rules' one field: each segment holds the
// customers of some cities, so changing a customer's city moves it into
// and out of segments.
const cities = 8

// store is a small store of three websites, its customers spread over
// them, and segments on cities; most cover every website, one only the
// first.
type store struct {
	d        *db.DB
	rnd      *rand.Rand
	websites []int64
	segs     []int64
	nextID   int64
}

func newStore(t *testing.T, seed uint64) *store {
	t.Helper()
	ctx := auth.AsSystem(context.Background())
	s := &store{d: dbtest.New(t), rnd: rand.New(rand.NewPCG(seed, 1))}
	require.NoError(t, db.Select(ctx, s.d, &s.websites, `INSERT INTO websites (code, name) VALUES ('a', 'A'), ('b', 'B'), ('c', 'C') RETURNING id`))
	slices.Sort(s.websites)
	_, err := db.Exec(ctx, s.d, `INSERT INTO customer_groups (code, name) VALUES ('general', 'General')`)
	require.NoError(t, err)
	s.add(t, 300)
	m := segment.NewManager(s.d, func(context.Context, bun.Tx, []int64, actor.Actor, bool) (int64, error) { return 0, nil })
	for i := range 7 {
		var in []string
		for c := range cities {
			if s.rnd.IntN(3) == 0 || c == i {
				in = append(in, fmt.Sprint("c", c))
			}
		}
		websites := s.websites
		if i == 0 {
			websites = s.websites[:1]
		}
		id, err := m.Create(ctx, segment.Input{Name: fmt.Sprint("Cities ", i), Active: true, WebsiteIDs: websites,
			Conditions: rule.Group{Match: rule.MatchAll, Expect: true, Conditions: []rule.Condition{
				{Customer: &rule.CustomerCondition{Field: rule.FieldCity, Operator: rule.OpIn, Values: in}},
			}}})
		require.NoError(t, err)
		s.segs = append(s.segs, id)
	}
	s.refresh(t)
	return s
}

// add imports n new customers in random cities on random websites.
func (s *store) add(t *testing.T, n int) {
	t.Helper()
	for range n {
		s.nextID++
		_, err := db.Exec(auth.AsSystem(context.Background()), s.d, `INSERT INTO customers (id, website_id, group_id, email, first_name, last_name, created_at, city)
			VALUES ($1, $2, (SELECT id FROM customer_groups), $3, 'First', 'Last', now(), $4)`,
			s.nextID, s.websites[s.rnd.IntN(3)], fmt.Sprintf("c%d@example.com", s.nextID), fmt.Sprint("c", s.rnd.IntN(cities)))
		require.NoError(t, err)
	}
}

// churn changes the store so that the next refresh adds, removes and
// moves members: new customers, customers in another city, customers on
// another website (members of the segments of every website stay members,
// on the other website).
func (s *store) churn(t *testing.T) {
	t.Helper()
	ctx := auth.AsSystem(context.Background())
	s.add(t, 20)
	for id := int64(1); id <= s.nextID; id++ {
		switch s.rnd.IntN(10) {
		case 0:
			_, err := db.Exec(ctx, s.d, `UPDATE customers SET city = $2 WHERE id = $1`, id, fmt.Sprint("c", s.rnd.IntN(cities)))
			require.NoError(t, err)
		case 1:
			_, err := db.Exec(ctx, s.d, `UPDATE customers SET website_id = $2 WHERE id = $1`, id, s.websites[s.rnd.IntN(3)])
			require.NoError(t, err)
		}
	}
	_, err := db.Exec(ctx, s.d, `UPDATE store_state SET data_changed_at = clock_timestamp()`)
	require.NoError(t, err)
}

// refresh refreshes every segment, incrementally after a first refresh
// (only the customers changed since are compared), or in full.
func (s *store) refresh(t *testing.T) { s.refreshAll(t, false) }

func (s *store) refreshAll(t *testing.T, full bool) {
	t.Helper()
	_, err := segment.NewRefresher(s.d).Refresh(auth.AsSystem(context.Background()), s.segs,
		segment.RefreshOptions{Now: time.Now(), TimeZone: "UTC", Full: full})
	require.NoError(t, err)
}

// erase deletes n random customers that are members of some segment.
func (s *store) erase(t *testing.T, n int) {
	t.Helper()
	ctx := auth.AsSystem(context.Background())
	var ids []string
	require.NoError(t, db.Select(ctx, s.d, &ids, `SELECT DISTINCT customer_id::text FROM segment_customers ORDER BY 1`))
	s.rnd.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
	res, err := erasure.Customers(ctx, s.d, strings.NewReader(strings.Join(ids[:n], "\n")+"\n"))
	require.NoError(t, err)
	require.EqualValues(t, n, res.Deleted)
}

// scopes are the principals counts are compared for: every website, and
// limited to one or two.
func (s *store) scopes() []context.Context {
	as := func(ws ...int64) context.Context {
		return auth.With(context.Background(), &auth.Principal{Kind: auth.User, ID: 1, Name: "u@example.com", Role: auth.Analyst, Websites: ws})
	}
	return []context.Context{as(), as(s.websites[0]), as(s.websites[1], s.websites[2])}
}

// query is a random combination: up to four segments, either mode, up to
// two more excluded, with or without a website filter.
func (s *store) query() customer.Query {
	ids := slices.Clone(s.segs)
	s.rnd.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
	n := 1 + s.rnd.IntN(4)
	q := customer.Query{SegmentIDs: ids[:n], Mode: customer.Union}
	if s.rnd.IntN(2) == 0 {
		q.Mode = customer.Intersection
	}
	if x := s.rnd.IntN(3); x > 0 {
		q.Exclude = ids[n : n+x]
	}
	switch s.rnd.IntN(3) {
	case 1:
		q.Filter.WebsiteIDs = []int64{s.websites[1]}
	case 2:
		q.Filter.WebsiteIDs = []int64{s.websites[0], s.websites[2]}
	}
	if n == 1 && len(q.Exclude) == 0 && len(q.Filter.WebsiteIDs) == 0 {
		// The stored count answers that one, not the bitmaps.
		q.Exclude = ids[1:2]
	}
	return q
}

// requireSameCounts compares random counts and overlaps answered from
// bitmaps (counts, store) with SQL's (without bitmaps), in every scope,
// and that the bitmaps answered them.
func (s *store) requireSameCounts(t *testing.T, counts *customer.Lister, overlaps *segment.Store, cache *bitmap.Cache) {
	t.Helper()
	sqlCounts := customer.NewLister(s.d).WithBitmaps(nil)
	sqlOverlaps := segment.NewStore(s.d).WithBitmaps(nil)
	for range 12 {
		q := s.query()
		for _, ctx := range s.scopes() {
			served := cache.Stats().Served
			want, err := sqlCounts.Count(ctx, q)
			if err != nil {
				// A segment the scope does not see: the same error.
				_, got := counts.Count(ctx, q)
				require.EqualError(t, got, err.Error())
				continue
			}
			got, err := counts.Count(ctx, q)
			require.NoError(t, err)
			require.Equal(t, want, got, "%+v in scope %v", q, auth.ScopeOf(ctx))
			require.Equal(t, served+1, cache.Stats().Served, "%+v: counted from bitmaps", q)
		}
	}
	for range 4 {
		ids := slices.Clone(s.segs[1:])
		s.rnd.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
		ids = ids[:2+s.rnd.IntN(len(ids)-1)]
		for _, ctx := range s.scopes() {
			want, err := sqlOverlaps.Overlap(ctx, ids)
			require.NoError(t, err)
			served := cache.Stats().Served
			got, err := overlaps.Overlap(ctx, ids)
			require.NoError(t, err)
			require.Equal(t, want, got, "overlap of %v in scope %v", ids, auth.ScopeOf(ctx))
			require.Equal(t, served+1, cache.Stats().Served, "overlap of %v: from bitmaps", ids)
		}
	}
}

// TestBitmapCountsEqualSQL: counts and overlaps from bitmaps equal SQL's
// for random combinations, scopes and website filters after refreshes
// that add, remove and move members, and after an erasure, one instance's
// cache following every change. The refreshes are incremental and full.
func TestBitmapCountsEqualSQL(t *testing.T) {
	t.Parallel()
	s := newStore(t, 1)
	cache := bitmap.NewCache(0)
	counts := customer.NewLister(s.d).WithBitmaps(cache)
	overlaps := segment.NewStore(s.d).WithBitmaps(cache)
	s.requireSameCounts(t, counts, overlaps, cache)
	for _, full := range []bool{false, true, false} {
		s.churn(t)
		s.refreshAll(t, full)
		s.requireSameCounts(t, counts, overlaps, cache)
	}
	s.erase(t, 25)
	s.requireSameCounts(t, counts, overlaps, cache)
	// Every bitmap is its segment's membership, website by website.
	ctx := auth.AsSystem(context.Background())
	for _, id := range s.segs {
		segs, ok, _, err := cache.Get(ctx, db.Reader{DB: s.d}, []int64{id})
		require.NoError(t, err)
		require.True(t, ok)
		for _, w := range s.websites {
			var want []uint64
			require.NoError(t, db.Select(ctx, s.d, &want, `SELECT customer_id FROM segment_customers WHERE segment_id = $1 AND website_id = $2 ORDER BY 1`, id, w))
			require.Equal(t, want, segs[0].MemberIDs([]int64{w}), "segment %d website %d", id, w)
		}
	}
}

// TestInstanceThatMissedARefresh: an instance that loaded a segment's
// bitmaps and heard nothing of the refresh that changed them counts the
// new members, not the ones it kept.
func TestInstanceThatMissedARefresh(t *testing.T) {
	t.Parallel()
	s := newStore(t, 2)
	ctx := auth.AsSystem(context.Background())
	first, second := bitmap.NewCache(0), bitmap.NewCache(0)
	one := customer.NewLister(s.d).WithBitmaps(first)
	two := customer.NewLister(s.d).WithBitmaps(second)
	sqlCounts := customer.NewLister(s.d).WithBitmaps(nil)
	q := customer.Query{SegmentIDs: s.segs[1:4], Mode: customer.Union}
	before, err := one.Count(ctx, q)
	require.NoError(t, err)
	_, err = two.Count(ctx, q)
	require.NoError(t, err)
	loaded := first.Stats().Loaded

	// Everyone moves to a city of none of the segments.
	_, err = db.Exec(ctx, s.d, `UPDATE customers SET city = 'elsewhere' WHERE id % 2 = 0`)
	require.NoError(t, err)
	s.refresh(t)
	want, err := sqlCounts.Count(ctx, q)
	require.NoError(t, err)
	require.Less(t, want, before)
	for _, l := range []*customer.Lister{one, two} {
		got, err := l.Count(ctx, q)
		require.NoError(t, err)
		require.Equal(t, want, got)
	}
	require.Equal(t, loaded+3, first.Stats().Loaded, "the changed segments loaded again")
	require.Equal(t, int64(2), first.Stats().Served)

	// Nothing changed: nothing loaded.
	s.refresh(t)
	_, err = one.Count(ctx, q)
	require.NoError(t, err)
	require.Equal(t, loaded+3, first.Stats().Loaded, "an unchanged refresh keeps the bitmaps' version")
}

// TestSegmentWithoutBitmaps: a segment not refreshed since bitmaps exist
// (or whose bitmaps disagree with its count) is counted in SQL, right,
// until its next refresh gives it bitmaps.
func TestSegmentWithoutBitmaps(t *testing.T) {
	t.Parallel()
	s := newStore(t, 3)
	ctx := auth.AsSystem(context.Background())
	// As the migration leaves a segment refreshed before it.
	_, err := db.Exec(ctx, s.d, `UPDATE segments SET bitmap_version = NULL WHERE id = $1`, s.segs[2])
	require.NoError(t, err)
	_, err = db.Exec(ctx, s.d, `DELETE FROM segment_bitmaps WHERE segment_id = $1`, s.segs[2])
	require.NoError(t, err)
	cache := bitmap.NewCache(0)
	counts := customer.NewLister(s.d).WithBitmaps(cache)
	overlaps := segment.NewStore(s.d).WithBitmaps(cache)
	sqlCounts := customer.NewLister(s.d).WithBitmaps(nil)
	sqlOverlaps := segment.NewStore(s.d).WithBitmaps(nil)
	check := func(fromBitmaps bool) {
		t.Helper()
		for _, q := range []customer.Query{
			{SegmentIDs: s.segs[1:4], Mode: customer.Union},
			{SegmentIDs: s.segs[2:4], Mode: customer.Intersection},
			{SegmentIDs: s.segs[3:5], Exclude: s.segs[2:3]},
		} {
			served := cache.Stats().Served
			want, err := sqlCounts.Count(ctx, q)
			require.NoError(t, err)
			got, err := counts.Count(ctx, q)
			require.NoError(t, err)
			require.Equal(t, want, got, "%+v", q)
			require.Equal(t, fromBitmaps, cache.Stats().Served > served, "%+v from bitmaps", q)
		}
		want, err := sqlOverlaps.Overlap(ctx, s.segs[1:4])
		require.NoError(t, err)
		got, err := overlaps.Overlap(ctx, s.segs[1:4])
		require.NoError(t, err)
		require.Equal(t, want, got)
	}
	check(false)
	s.refresh(t)
	check(true)

	// Membership written behind the bitmaps' back (nothing does, but an
	// older binary might): they disagree with the stored count and are
	// not trusted.
	_, err = db.Exec(ctx, s.d, `WITH gone AS (DELETE FROM segment_customers WHERE segment_id = $1
			AND customer_id = (SELECT min(customer_id) FROM segment_customers WHERE segment_id = $1) RETURNING website_id)
		UPDATE segments SET customer_count = customer_count - 1 WHERE id = $1`, s.segs[2])
	require.NoError(t, err)
	_, err = db.Exec(ctx, s.d, `UPDATE segments SET bitmap_version = nextval('segment_bitmap_versions') WHERE id = $1`, s.segs[2])
	require.NoError(t, err)
	check(false)
	// The next full refresh (an incremental one does not look at that
	// member) makes them agree again.
	s.refreshAll(t, true)
	check(true)

	// A refresh by a binary that knows nothing of bitmaps (during a
	// rolling upgrade): a member moved to another city is removed, its
	// count and history written, the bitmaps left as they were.
	_, err = db.Exec(ctx, s.d, `WITH moved AS (UPDATE customers SET city = 'elsewhere'
			WHERE id = (SELECT min(customer_id) FROM segment_customers WHERE segment_id = $1) RETURNING id),
		gone AS (DELETE FROM segment_customers m USING moved WHERE m.segment_id = $1 AND m.customer_id = moved.id RETURNING m.website_id),
		per_website AS (UPDATE segment_website_counts w SET customer_count = w.customer_count - 1 FROM gone
			WHERE w.segment_id = $1 AND w.website_id = gone.website_id),
		counted AS (UPDATE segments SET customer_count = customer_count - 1 WHERE id = $1 RETURNING id, rule_version, customer_count)
		INSERT INTO segment_refreshes (segment_id, rule_version, finished_at, duration_ms, customer_count, added, removed)
		SELECT id, rule_version, clock_timestamp(), 1, customer_count, 0, 1 FROM counted`, s.segs[2])
	require.NoError(t, err)
	check(false)
	// The next refresh, which changes nothing, builds them again.
	s.refresh(t)
	check(true)
}

// TestRegions: the Venn regions of random sets are those counted one
// member at a time: from 2 to 16 segments (both blocks of the transpose),
// members packed or spread over a million ids (the words split between
// goroutines) and past 2^32 (a second half of the ids).
func TestRegions(t *testing.T) {
	t.Parallel()
	rnd := rand.New(rand.NewPCG(4, 4))
	for round := range 30 {
		n := 2 + rnd.IntN(bitmap.MaxRegionSegments-1)
		member := map[uint64]uint64{}
		sets := make([][]uint64, n)
		ids := make([]uint64, 0, 3000)
		for id := uint64(1); id < 3000; id++ {
			switch round % 3 {
			case 0:
				ids = append(ids, id)
			case 1:
				ids = append(ids, 1+rnd.Uint64N(1<<20))
			default:
				ids = append(ids, 1+rnd.Uint64N(1<<20)+rnd.Uint64N(2)<<32)
			}
		}
		slices.Sort(ids)
		for _, id := range slices.Compact(ids) {
			for i := range n {
				if rnd.IntN(3) == 0 {
					member[id] |= 1 << i
					sets[i] = append(sets[i], id)
				}
			}
		}
		want := map[uint64]int64{}
		for _, mask := range member {
			want[mask]++
		}
		segs := make([]*bitmap.Segment, n)
		for i, ids := range sets {
			segs[i] = bitmap.NewSegment(int64(i+1), 1, map[int64][]uint64{1: ids})
		}
		got := map[uint64]int64{}
		for _, r := range bitmap.Regions(segs, nil) {
			got[r.Mask] = r.Count
		}
		require.Equal(t, want, got)
	}
}
