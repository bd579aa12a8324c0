package job_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/segments/segments/server/actor"
	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/job"
	"github.com/segments/segments/server/segment/scopetest"
)

func TestScopeLeakRefreshRuns(t *testing.T) {
	t.Parallel()
	st := scopetest.New(t)
	ctx := auth.AsSystem(context.Background())
	request := func(ids ...int64) int64 {
		t.Helper()
		var id int64
		require.NoError(t, st.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) (err error) {
			id, err = job.EnqueueRefresh(ctx, tx, ids, actor.Actor{Kind: actor.User, ID: 8}, false)
			return err
		}))
		return id
	}
	mixed := request(st.OnlyB, st.MixedAB)
	_, err := st.DB.ExecContext(ctx, `UPDATE refresh_runs SET state = 'FAILED', finished_at = now(), segments_done = 1,
		error = 'refresh segment 2: boom' WHERE id = ?`, mixed)
	require.NoError(t, err)
	hidden := request(st.OnlyB)

	a := scopetest.As(st.ScopedA(7))
	run, err := job.GetRun(a, st.DB, mixed)
	require.NoError(t, err)
	require.Equal(t, []int64{st.MixedAB}, run.SegmentIDs, "only the segments website a sees")
	require.Equal(t, 1, run.SegmentsTotal)
	require.Equal(t, 0, run.SegmentsDone, "the segment done was the hidden one")
	require.NotContains(t, *run.Error, "segment 2")

	run, err = job.GetRun(a, st.DB, hidden)
	require.NoError(t, err)
	require.Nil(t, run, "a run of hidden segments only is as an unknown run")
	run, err = job.GetRun(context.Background(), st.DB, mixed)
	require.NoError(t, err)
	require.Nil(t, run, "no principal, no run")

	run, err = job.GetRun(scopetest.As(st.Everyone(8)), st.DB, mixed)
	require.NoError(t, err)
	require.Equal(t, []int64{st.OnlyB, st.MixedAB}, run.SegmentIDs)
	require.Equal(t, 2, run.SegmentsTotal)
	require.Equal(t, "refresh segment 2: boom", *run.Error)
}
