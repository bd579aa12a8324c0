package segment_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/segments/segments/server/actor"
	"github.com/segments/segments/server/apperr"
	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/job"
	"github.com/segments/segments/server/segment"
)

func TestSlowSegmentTimesOutAndTheOthersAreRefreshed(t *testing.T) {
	t.Parallel()
	d, segs := seeded(t)
	ctx := auth.AsSystem(context.Background())
	slow := segs[1]
	r := segment.SlowRefresher(d, map[int64]time.Duration{slow: time.Minute}, time.Second)
	res, err := r.Refresh(ctx, segs, segment.RefreshOptions{Now: now, TimeZone: tz, StatementTimeout: 2 * time.Second})

	e, ok := apperr.As(err)
	require.True(t, ok, "%v", err)
	require.Equal(t, apperr.BadInput, e.Kind)
	require.Contains(t, e.Message, "took longer than 2s to evaluate; simplify its rule or raise REFRESH_STATEMENT_TIMEOUT")
	require.Contains(t, e.Message, "segment "+strconv.FormatInt(slow, 10)+" ")

	require.Len(t, res, len(segs)-1, "every other segment is refreshed")
	for _, x := range res {
		require.NotEqual(t, slow, x.SegmentID)
		require.Equal(t, expected(t, d, x.SegmentID), stored(t, d, x.SegmentID))
	}
	got, err := segment.NewStore(d).Get(ctx, []int64{slow})
	require.NoError(t, err)
	require.Nil(t, got[0].RefreshedAt, "the slow segment keeps its old (here: no) membership")
	require.Empty(t, stored(t, d, slow))
}

func TestDeletingASegmentCancelsItsEvaluation(t *testing.T) {
	t.Parallel()
	d, segs := seeded(t)
	ctx := auth.AsSystem(context.Background())
	slow := segs[2]
	r := segment.SlowRefresher(d, map[int64]time.Duration{slow: 10 * time.Minute}, 100*time.Millisecond)
	type outcome struct {
		res []segment.RefreshResult
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		res, err := r.Refresh(ctx, segs, segment.RefreshOptions{Now: now, TimeZone: tz})
		done <- outcome{res, err}
	}()

	// Once the slow evaluation runs, delete the segment.
	require.Eventually(t, func() bool {
		var n int
		// By wait event: the statement's text is cut at 1 kB in pg_stat_activity.
		require.NoError(t, d.Pool.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND state = 'active' AND wait_event = 'PgSleep' AND pid <> pg_backend_pid()`).Scan(&n))
		return n > 0
	}, time.Minute, 50*time.Millisecond)
	_, err := segment.NewManager(d, job.EnqueueRefresh).Delete(ctx, []int64{slow})
	require.NoError(t, err)

	var o outcome
	select {
	case o = <-done:
	case <-time.After(2 * time.Minute): // the evaluation would sleep ten
		t.Fatal("deleting the segment did not cancel its evaluation")
	}
	require.NoError(t, o.err)
	require.Len(t, o.res, len(segs)-1, "the run refreshes every other segment")
	for _, x := range o.res {
		require.NotEqual(t, slow, x.SegmentID)
		require.Equal(t, expected(t, d, x.SegmentID), stored(t, d, x.SegmentID))
	}
	require.Empty(t, stored(t, d, slow), "its membership went with it")

	// A later refresh of every active segment does not include it.
	var runID int64
	require.NoError(t, d.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) (err error) {
		runID, err = job.RequestRefresh(ctx, tx, job.RefreshRequest{By: actor.FromSchedule, Full: true})
		return err
	}))
	run, err := job.GetRun(ctx, d, runID)
	require.NoError(t, err)
	require.NotEmpty(t, run.SegmentIDs)
	require.NotContains(t, run.SegmentIDs, slow)
}
