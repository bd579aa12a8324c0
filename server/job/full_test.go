package job_test

import (
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/segments/segments/server/actor"
	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/job"
	"github.com/segments/segments/server/segment"
)

// TestRunsPassTheirFullFlagToTheRefresher checks that what was asked, full
// or incremental, is what the worker asks of segment.Refresher, and that
// dedup never turns a full request into an incremental run.
func TestRunsPassTheirFullFlagToTheRefresher(t *testing.T) {
	t.Parallel()

	d := seeded(t, 50) // no client yet: runs stay queued
	ctx := auth.AsSystem(context.Background())
	request := func(ids []int64, full bool) int64 {
		t.Helper()
		var id int64
		require.NoError(t, d.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) (err error) {
			id, err = job.RequestRefresh(ctx, tx, job.RefreshRequest{IDs: ids, By: actor.FromAPI, Full: full})
			return err
		}))
		return id
	}
	active := ids(t, d, `SELECT id FROM segments WHERE is_active ORDER BY id`)

	incremental := request(active[:1], false)
	full := request(active[:1], true)
	require.NotEqual(t, incremental, full, "a full request does not join a queued incremental run")
	require.Equal(t, full, request(active[:1], true), "a full request joins a queued full run")
	require.Contains(t, []int64{incremental, full}, request(active[:1], false), "an incremental request joins a queued run")
	onlyFull := request(active[1:2], true)
	require.Equal(t, onlyFull, request(active[1:2], false), "an incremental request joins a queued full run")
	require.Equal(t, 1, count(t, d, `SELECT count(*) FROM refresh_runs WHERE id = $1 AND NOT full_refresh`, incremental))
	require.Equal(t, 2, count(t, d, `SELECT count(*) FROM refresh_runs WHERE full_refresh`))

	var mu sync.Mutex
	asked := map[int64]segment.RefreshOptions{}
	cfg := job.Config{}
	job.WatchRefresh(&cfg, func(_ []int64, opts segment.RefreshOptions) {
		mu.Lock()
		defer mu.Unlock()
		asked[*opts.RunID] = opts
	})
	startClient(t, d, cfg)
	for _, id := range []int64{incremental, full, onlyFull} {
		run := waitFinished(t, d, id)
		require.Equal(t, job.Succeeded, run.State)
		mu.Lock()
		opts, ok := asked[id]
		mu.Unlock()
		require.True(t, ok, "run %d reached the refresher", id)
		require.Equal(t, run.Full, opts.Full, "run %d", id)
		require.Equal(t, tz, opts.TimeZone)
	}
	require.False(t, asked[incremental].Full)
	require.True(t, asked[full].Full)
	require.True(t, asked[onlyFull].Full)
}
