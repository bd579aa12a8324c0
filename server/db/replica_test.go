package db_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/db/dbtest"
)

// Without a replica a report read runs once, on the primary, with a
// freshness condition that always holds, and nothing is counted.
func TestReadWithoutAReplicaRunsOnThePrimary(t *testing.T) {
	t.Parallel()
	d := dbtest.New(t)
	ctx := context.Background()
	require.False(t, d.HasReplica())
	d.Changed() // no replica: nothing to forget
	runs := 0
	var standby bool
	err := d.Read(ctx, func(r db.Reader) (bool, error) {
		runs++
		require.Same(t, d, r.DB)
		require.False(t, r.Replica())
		var a db.Args
		require.Equal(t, "true", r.Fresh(&a))
		require.Empty(t, a.Values())
		return true, db.Get(ctx, r.DB, `SELECT pg_is_in_recovery()`, nil, &standby)
	})
	require.NoError(t, err)
	require.Equal(t, 1, runs, "stale means nothing on the primary")
	require.False(t, standby)
	require.Equal(t, db.ReadCounts{}, d.ReadCounts())
}
