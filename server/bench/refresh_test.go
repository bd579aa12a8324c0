package main

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/db/dbtest"
	"github.com/segments/segments/server/seed"
	"github.com/segments/segments/server/segment"
)

// The hand-written refresh floor must select what the rules select, or the
// bench compares the refresh with a different workload.
func TestPlainFloorCountsEqualTheRefresh(t *testing.T) {
	t.Parallel()
	ctx := auth.AsSystem(context.Background())
	d := dbtest.New(t)
	now := time.Now()
	_, err := seed.Run(ctx, d, seed.Options{Customers: 3000, Orders: 15000, Seed: 1, Now: now, Location: time.UTC})
	require.NoError(t, err)
	b := &bench{ctx: ctx, d: d}
	ids, err := b.addExtraSegments()
	require.NoError(t, err)
	require.Len(t, ids, 20)
	res, err := refresher(d).Refresh(ctx, ids, segment.RefreshOptions{Now: now, TimeZone: "UTC"})
	require.NoError(t, err)
	ours := map[int64]int64{}
	for _, r := range res {
		ours[r.SegmentID] = r.CustomerCount
	}

	measures, segs, err := b.plainSegments(ids, now, time.UTC)
	require.NoError(t, err)
	conn, err := d.Pool.Acquire(ctx)
	require.NoError(t, err)
	defer conn.Release()
	_, err = conn.Exec(ctx, measures) // the temp table lives on this connection
	require.NoError(t, err)
	nonEmpty := 0
	for _, s := range segs {
		var n int64
		require.NoError(t, conn.QueryRow(ctx, "SELECT count(*) "+s.from()).Scan(&n))
		require.Equal(t, ours[s.id], n, "segment %d %q", s.id, s.name)
		if n > 0 {
			nonEmpty++
		}
	}
	require.Greater(t, nonEmpty, 15, "most segments have members, so equal counts mean something")
}
