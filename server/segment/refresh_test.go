package segment_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/db/dbtest"
	"github.com/segments/segments/server/seed"
	"github.com/segments/segments/server/segment"
)

const tz = "Europe/Stockholm"

var now = time.Date(2026, 11, 29, 22, 30, 0, 0, time.UTC) // already the 30th in Stockholm

func seeded(t *testing.T) (*db.DB, []int64) {
	t.Helper()
	d := dbtest.New(t)
	loc, _ := time.LoadLocation(tz)
	res, err := seed.Run(auth.AsSystem(context.Background()), d, seed.Options{Customers: 500, Orders: 2500, Seed: 11, Now: now, Location: loc})
	require.NoError(t, err)
	return d, res.SegmentIDs
}

func refresh(t *testing.T, d *db.DB, ids []int64) map[int64]segment.RefreshResult {
	t.Helper()
	res, err := segment.NewRefresher(d).Refresh(auth.AsSystem(context.Background()), ids, segment.RefreshOptions{Now: now, TimeZone: tz})
	require.NoError(t, err)
	out := map[int64]segment.RefreshResult{}
	for _, r := range res {
		out[r.SegmentID] = r
	}
	return out
}

func stored(t *testing.T, d *db.DB, id int64) []int64 {
	t.Helper()
	rows, err := d.Pool.Query(auth.AsSystem(context.Background()), `SELECT customer_id FROM segment_customers WHERE segment_id = $1 ORDER BY 1`, id)
	require.NoError(t, err)
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	require.NoError(t, err)
	return ids
}

// expected evaluates a segment's rule in Go over every customer of its
// websites at now: the reference the SQL refresh must match.
func expected(t *testing.T, d *db.DB, id int64) []int64 {
	t.Helper()
	loc, err := time.LoadLocation(tz)
	require.NoError(t, err)
	return reference(t, d, []int64{id}, now, loc)[id]
}

// TestRefreshMatchesTheReferenceEvaluator holds a first refresh of the demo
// segments to the reference evaluator: on a store just loaded, and on one
// vacuumed, whose orders the measures then read from their index, customer
// after customer, instead of a hash table (see measure).
func TestRefreshMatchesTheReferenceEvaluator(t *testing.T) {
	t.Parallel()
	for _, vacuumed := range []bool{false, true} {
		t.Run(fmt.Sprintf("vacuumed=%v", vacuumed), func(t *testing.T) {
			t.Parallel()
			d, segs := seeded(t)
			if vacuumed {
				// An autovacuum worker analyzing the new store holds back
				// what a vacuum may mark visible to all: vacuum again.
				ctx := auth.AsSystem(context.Background())
				for try := 0; ; try++ {
					_, err := d.Pool.Exec(ctx, `VACUUM orders`)
					require.NoError(t, err)
					visible, err := segment.OrdersVacuumed(ctx, d)
					require.NoError(t, err)
					if visible {
						break
					}
					require.Less(t, try, 100, "the vacuum set the visibility map")
					time.Sleep(100 * time.Millisecond)
				}
			}
			res := refresh(t, d, segs)
			nonEmpty := 0
			for _, id := range segs {
				want := expected(t, d, id)
				require.Equal(t, want, stored(t, d, id), "segment %d", id)
				require.EqualValues(t, len(want), res[id].CustomerCount)
				require.EqualValues(t, len(want), res[id].Added)
				if len(want) > 0 {
					nonEmpty++
				}
			}
			require.Greater(t, nonEmpty, len(segs)/2, "the demo segments select customers")
		})
	}
}

func TestRefreshWritesOnlyTheDifference(t *testing.T) {
	t.Parallel()
	d, segs := seeded(t)
	ctx := auth.AsSystem(context.Background())
	refresh(t, d, segs)
	before := map[int64][]int64{}
	for _, id := range segs {
		before[id] = stored(t, d, id)
	}

	// Nothing changed: nothing is written.
	for id, r := range refresh(t, d, segs) {
		require.Zero(t, r.Added, "segment %d", id)
		require.Zero(t, r.Removed, "segment %d", id)
	}

	// Change the store: a third of the customers move to Sweden and lose their orders.
	_, err := d.Pool.Exec(ctx, `UPDATE customers SET country = 'SE' WHERE id % 3 = 0`)
	require.NoError(t, err)
	_, err = d.Pool.Exec(ctx, `DELETE FROM orders WHERE customer_id % 3 = 0`)
	require.NoError(t, err)
	// And some move to another website (members stay members there).
	_, err = d.Pool.Exec(ctx, `UPDATE customers SET website_id = (SELECT min(id) FROM websites) WHERE id % 5 = 0`)
	require.NoError(t, err)
	res := refresh(t, d, segs)
	changed := 0
	for _, id := range segs {
		after := stored(t, d, id)
		require.Equal(t, expected(t, d, id), after, "segment %d", id)
		added, removed := diff(before[id], after)
		require.EqualValues(t, added, res[id].Added, "segment %d added", id)
		require.EqualValues(t, removed, res[id].Removed, "segment %d removed", id)
		changed += added + removed
	}
	require.NotZero(t, changed)
	var stray int
	require.NoError(t, d.Pool.QueryRow(ctx, `SELECT count(*) FROM segment_customers sc JOIN customers c ON c.id = sc.customer_id
		WHERE sc.website_id <> c.website_id`).Scan(&stray))
	require.Zero(t, stray, "members' websites follow their customers")

	// History: three refreshes per segment; per-website counts add up.
	for _, id := range segs {
		var n, sum, count int64
		require.NoError(t, d.Pool.QueryRow(ctx, `SELECT count(*) FROM segment_refreshes WHERE segment_id = $1`, id).Scan(&n))
		require.EqualValues(t, 3, n)
		require.NoError(t, d.Pool.QueryRow(ctx, `SELECT COALESCE(sum(customer_count), 0) FROM segment_website_counts WHERE segment_id = $1`, id).Scan(&sum))
		require.NoError(t, d.Pool.QueryRow(ctx, `SELECT customer_count FROM segments WHERE id = $1`, id).Scan(&count))
		require.Equal(t, count, sum)
		require.EqualValues(t, len(stored(t, d, id)), count)
	}
}

func TestStaleUntilRefreshed(t *testing.T) {
	t.Parallel()
	d, segs := seeded(t)
	ctx := auth.AsSystem(context.Background())
	s := segment.NewStore(d)
	get := func() segment.Segment {
		got, err := s.Get(ctx, segs[:1])
		require.NoError(t, err)
		require.Len(t, got, 1)
		return got[0]
	}
	require.True(t, get().Stale, "never refreshed")
	_, err := segment.NewRefresher(d).Refresh(ctx, segs[:1], segment.RefreshOptions{TimeZone: tz})
	require.NoError(t, err)
	require.False(t, get().Stale)
	_, err = d.Pool.Exec(ctx, `UPDATE segments SET rule_version = rule_version + 1 WHERE id = $1`, segs[0])
	require.NoError(t, err)
	require.True(t, get().Stale, "the rule changed")
	_, err = segment.NewRefresher(d).Refresh(ctx, segs[:1], segment.RefreshOptions{TimeZone: tz})
	require.NoError(t, err)
	require.False(t, get().Stale)
	_, err = d.Pool.Exec(ctx, `UPDATE store_state SET data_changed_at = now() + interval '1 second'`)
	require.NoError(t, err)
	require.True(t, get().Stale, "store data changed after the refresh")
}

func diff(before, after []int64) (added, removed int) {
	for _, id := range after {
		if !slices.Contains(before, id) {
			added++
		}
	}
	for _, id := range before {
		if !slices.Contains(after, id) {
			removed++
		}
	}
	return added, removed
}
