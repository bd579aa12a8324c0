package job_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/segments/segments/server/actor"
	"github.com/segments/segments/server/apperr"
	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/db/dbtest"
	"github.com/segments/segments/server/job"
)

func TestRefreshRequestsCoveredByAQueuedRun(t *testing.T) {
	t.Parallel()

	t.Run("TenClicksQueueOneRun", func(t *testing.T) {
		t.Parallel()

		d := seeded(t, 50) // no client: runs stay queued
		var wg sync.WaitGroup
		runs := make([]int64, 10)
		for i := range runs {
			wg.Go(func() { runs[i] = enqueue(t, d, nil, actor.FromAPI) })
		}
		wg.Wait()
		for _, id := range runs {
			require.Equal(t, runs[0], id, "every click gets the same run")
		}
		require.Equal(t, 1, count(t, d, `SELECT count(*) FROM refresh_runs`))
		require.Equal(t, 1, count(t, d, `SELECT count(*) FROM river_job`))
	})

	t.Run("CoveredSegments", func(t *testing.T) {
		t.Parallel()

		d := seeded(t, 50)
		ctx := auth.AsSystem(context.Background())
		active := ids(t, d, `SELECT id FROM segments WHERE is_active ORDER BY id`)
		some := enqueue(t, d, active[:2], actor.FromAPI)
		require.Equal(t, some, enqueue(t, d, active[1:2], actor.FromCLI), "a subset of a queued run's segments")
		other := enqueue(t, d, active[1:3], actor.FromAPI)
		require.NotEqual(t, some, other, "not all covered")

		all := enqueue(t, d, nil, actor.FromAPI)
		require.NotEqual(t, some, all)
		require.Greater(t, len(active), 3)
		require.Equal(t, all, enqueue(t, d, active[len(active)-1:], actor.FromAPI), "every active segment covers one")
		run, err := job.GetRun(ctx, d, all)
		require.NoError(t, err)
		require.True(t, run.AllActive)
		require.False(t, run.Full)

		// A full refresh is not covered by a run that is not; the reverse is.
		var full int64
		require.NoError(t, d.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) (err error) {
			full, err = job.RequestRefresh(ctx, tx, job.RefreshRequest{By: actor.FromSchedule, Full: true})
			return err
		}))
		require.NotEqual(t, all, full)
		run, err = job.GetRun(ctx, d, full)
		require.NoError(t, err)
		require.True(t, run.Full)
		require.Equal(t, actor.FromSchedule, run.RequestedBy)

		// A run that has started covers nothing: a new request may need the
		// data as it is now.
		_, err = d.Pool.Exec(ctx, `UPDATE refresh_runs SET state = 'RUNNING', started_at = now(), heartbeat_at = now() WHERE id <> $1`, some)
		require.NoError(t, err)
		require.Equal(t, some, enqueue(t, d, active[:1], actor.FromAPI))
		_, err = d.Pool.Exec(ctx, `UPDATE refresh_runs SET state = 'RUNNING', started_at = now(), heartbeat_at = now()`)
		require.NoError(t, err)
		require.NotContains(t, []int64{some, other, all, full}, enqueue(t, d, active[:1], actor.FromAPI))
	})
}

func TestWhoAsks(t *testing.T) {
	t.Parallel()

	d := dbtest.New(t)
	err := d.RunInTx(auth.AsSystem(context.Background()), nil, func(ctx context.Context, tx bun.Tx) error {
		_, err := job.EnqueueRefresh(ctx, tx, nil, actor.Actor{}, false)
		return err
	})
	require.ErrorContains(t, err, "not a valid actor")
}

func TestStates(t *testing.T) {
	t.Parallel()

	for s, finished := range map[job.State]bool{job.Queued: false, job.Running: false, job.Succeeded: true, job.Failed: true} {
		require.Equal(t, finished, s.Finished(), s)
		st := job.Status{State: s}
		require.Equal(t, finished, st.Finished(), s)
	}
}

// What a person sees of an attempt's error: a coded error's message, and
// never the text of an internal cancellation.
func TestMessage(t *testing.T) {
	t.Parallel()

	require.Equal(t, "segment 9 does not exist", job.Message("export", fmt.Errorf("check: %w", apperr.Missing("segment 9 does not exist"))))
	for _, err := range []error{
		fmt.Errorf("count customers: %w", context.Canceled),
		fmt.Errorf("write: %w", context.DeadlineExceeded),
	} {
		msg := job.Message("export", err)
		require.Equal(t, "The export was interrupted.", msg)
	}
	require.Equal(t, "disk full", job.Message("export", errors.New("disk full")))
}

// abandonedRun queues a refresh run that a worker then took and died
// running a minute ago, after takeovers earlier deaths.
func abandonedRun(t *testing.T, d *db.DB, takeovers int) int64 {
	t.Helper()
	runID := enqueue(t, d, nil, actor.FromAPI)
	ctx := auth.AsSystem(context.Background())
	_, err := d.Pool.Exec(ctx, `UPDATE refresh_runs SET state = 'RUNNING', started_at = now() - interval '1 minute',
		heartbeat_at = now() - interval '1 minute', takeovers = $2 WHERE id = $1`, runID, takeovers)
	require.NoError(t, err)
	// Its River job is still held by the dead worker, so no worker takes
	// it before the heartbeat check does.
	_, err = d.Pool.Exec(ctx, `UPDATE river_job SET state = 'running', attempt = 1, attempted_at = now() - interval '1 minute'
		WHERE id = (SELECT job_id FROM refresh_runs WHERE id = $1)`, runID)
	require.NoError(t, err)
	return runID
}

// A run whose heartbeat stopped is taken up under a new job; should River
// later retry the old job (its own rescue, hours on), that job finds the
// run no longer its own and leaves it alone.
func TestTakenUpRunIgnoresItsOldJob(t *testing.T) {
	t.Parallel()

	d := seeded(t, 50)
	ctx := auth.AsSystem(context.Background())
	runID := abandonedRun(t, d, 0)
	before, err := job.GetRun(ctx, d, runID)
	require.NoError(t, err)

	startClient(t, d, job.Config{Heartbeat: 100 * time.Millisecond, HeartbeatTimeout: time.Second})
	run := waitFinished(t, d, runID)
	require.Equal(t, job.Succeeded, run.State)
	require.NotEqual(t, *before.JobID, *run.JobID)

	_, err = d.Pool.Exec(ctx, `UPDATE river_job SET state = 'available', scheduled_at = now() WHERE id = $1`, *before.JobID)
	require.NoError(t, err)
	require.Eventually(t, func() bool { return riverJobState(t, d, *before.JobID) == "completed" }, 10*time.Second, 10*time.Millisecond)
	after, err := job.GetRun(ctx, d, runID)
	require.NoError(t, err)
	require.Equal(t, run.FinishedAt, after.FinishedAt, "the old job did not run it again")
	require.Equal(t, job.Succeeded, after.State)
}

// A run whose workers keep dying is given up after the third time, so it
// does not go round for ever.
func TestARunThatKeepsKillingItsWorkersIsGivenUp(t *testing.T) {
	t.Parallel()

	d := seeded(t, 50)
	runID := abandonedRun(t, d, 2)
	startClient(t, d, job.Config{Heartbeat: 100 * time.Millisecond, HeartbeatTimeout: time.Second})
	run := waitFinished(t, d, runID)
	require.Equal(t, job.Failed, run.State)
	require.Contains(t, *run.Error, "stopped unexpectedly 3 times")
}

// A worker whose run was taken from it (its heartbeat lapsed while it was
// alive, say the database was unreachable for a while) stops working it at
// its next heartbeat and changes nothing: a run is never worked twice.
func TestAWorkerThatLostItsRunStops(t *testing.T) {
	t.Parallel()

	d := seeded(t, 200)
	ctx := auth.AsSystem(context.Background())
	slowRefreshes(t, d)
	startClient(t, d, job.Config{Heartbeat: 100 * time.Millisecond, HeartbeatTimeout: 10 * time.Second})
	runID := enqueue(t, d, nil, actor.FromAPI)
	require.Eventually(t, func() bool {
		run, err := job.GetRun(ctx, d, runID)
		return err == nil && run.State == job.Running && run.SegmentsDone >= 1
	}, 20*time.Second, 5*time.Millisecond)

	// Another instance takes it up, under a job of its own (scheduled for
	// later here, so that nobody works it during the test).
	var other int64
	require.NoError(t, d.Pool.QueryRow(ctx, `INSERT INTO river_job (args, kind, max_attempts, state, scheduled_at)
		VALUES ('{}', 'refresh_run', 3, 'scheduled', now() + interval '1 hour') RETURNING id`).Scan(&other))
	_, err := d.Pool.Exec(ctx, `UPDATE refresh_runs SET state = 'QUEUED', job_id = $2, heartbeat_at = NULL WHERE id = $1`, runID, other)
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		return count(t, d, `SELECT count(*) FROM river_job j JOIN refresh_runs r ON r.id = $1
			WHERE j.kind = 'refresh_run' AND j.state = 'completed'`, runID) == 1
	}, 10*time.Second, 10*time.Millisecond, "the old worker stopped")
	written := count(t, d, `SELECT count(*) FROM segment_refreshes WHERE run_id = $1`, runID)
	time.Sleep(time.Second)
	require.Equal(t, written, count(t, d, `SELECT count(*) FROM segment_refreshes WHERE run_id = $1`, runID), "it wrote no more segments")
	run, err := job.GetRun(ctx, d, runID)
	require.NoError(t, err)
	require.Equal(t, job.Queued, run.State, "it left the run alone")
	require.Equal(t, other, *run.JobID)
	require.Less(t, written, run.SegmentsTotal)
}
