package job_test

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river/rivertype"
	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/segments/segments/server/actor"
	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/db/dbtest"
	"github.com/segments/segments/server/job"
	"github.com/segments/segments/server/seed"
	"github.com/segments/segments/server/segment"
)

const tz = "Europe/Stockholm"

// fastRetry retries a failed job after 100 ms, so tests need not wait for
// River's default backoff.
type fastRetry struct{}

func (fastRetry) NextRetry(*rivertype.JobRow) time.Time {
	return time.Now().Add(100 * time.Millisecond)
}

// seeded returns a database with a small demo store: about a dozen
// segments, one of them inactive, none refreshed yet.
func seeded(t *testing.T, customers int) *db.DB {
	t.Helper()
	d := dbtest.New(t)
	loc, err := time.LoadLocation(tz)
	require.NoError(t, err)
	_, err = seed.Run(auth.AsSystem(context.Background()), d, seed.Options{
		Customers: customers, Orders: customers * 5, Seed: 7, Now: time.Now(), Location: loc,
	})
	require.NoError(t, err)
	return d
}

// startClient starts a job client on d, stopped when the test ends.
func startClient(t *testing.T, d *db.DB, cfg job.Config) *job.Client {
	t.Helper()
	if cfg.TimeZone == "" {
		cfg.TimeZone = tz
	}
	if cfg.RetryPolicy == nil {
		cfg.RetryPolicy = fastRetry{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	c, err := job.NewClient(d, cfg)
	require.NoError(t, err)
	require.NoError(t, c.Start(auth.AsSystem(context.Background())))
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(auth.AsSystem(context.Background()), 10*time.Second)
		defer cancel()
		require.NoError(t, c.Stop(ctx))
	})
	return c
}

func enqueue(t *testing.T, d *db.DB, ids []int64, by actor.Actor) int64 {
	t.Helper()
	var runID int64
	require.NoError(t, d.RunInTx(auth.AsSystem(context.Background()), nil, func(ctx context.Context, tx bun.Tx) error {
		var err error
		runID, err = job.EnqueueRefresh(ctx, tx, ids, by, false)
		return err
	}))
	return runID
}

func waitFinished(t *testing.T, d *db.DB, runID int64) *job.Run {
	t.Helper()
	run, err := job.WaitRun(auth.AsSystem(context.Background()), d, runID, 30*time.Second)
	require.NoError(t, err)
	require.NotNil(t, run)
	require.True(t, run.Finished(), "run %d is %s after 30 s", runID, run.State)
	return run
}

func ids(t *testing.T, d *db.DB, query string, args ...any) []int64 {
	t.Helper()
	rows, err := d.Pool.Query(auth.AsSystem(context.Background()), query, args...)
	require.NoError(t, err)
	out, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	require.NoError(t, err)
	return out
}

func count(t *testing.T, d *db.DB, query string, args ...any) int {
	t.Helper()
	var n int
	require.NoError(t, d.Pool.QueryRow(auth.AsSystem(context.Background()), query, args...).Scan(&n), query)
	return n
}

// slowRefreshes slows every segment's write down, honestly and inside its
// transaction: its last statement (the history row) sleeps 0.3 s first. A
// refresh run then takes long enough to be caught midway. fast undoes it.
func slowRefreshes(t *testing.T, d *db.DB) (fast func()) {
	t.Helper()
	ctx := auth.AsSystem(context.Background())
	_, err := d.Pool.Exec(ctx, `
		CREATE FUNCTION test_slow_refresh() RETURNS trigger LANGUAGE plpgsql AS
			$$ BEGIN PERFORM pg_sleep(0.3); RETURN NEW; END $$;
		CREATE TRIGGER test_slow_refresh BEFORE INSERT ON segment_refreshes
			FOR EACH ROW EXECUTE FUNCTION test_slow_refresh()`)
	require.NoError(t, err)
	return func() {
		_, err := d.Pool.Exec(ctx, `DROP TRIGGER test_slow_refresh ON segment_refreshes`)
		require.NoError(t, err)
	}
}

// requireUpToDate checks that the segments' stored membership is what a
// refresh computes now: a second, synchronous refresh changes nothing.
func requireUpToDate(t *testing.T, d *db.DB, segs []int64) {
	t.Helper()
	res, err := segment.NewRefresher(d).Refresh(auth.AsSystem(context.Background()), segs, segment.RefreshOptions{TimeZone: tz})
	require.NoError(t, err)
	require.Len(t, res, len(segs))
	for _, r := range res {
		require.Zero(t, r.Added, "segment %d gained members", r.SegmentID)
		require.Zero(t, r.Removed, "segment %d lost members", r.SegmentID)
	}
}

func TestEnqueueRefresh(t *testing.T) {
	t.Parallel()

	t.Run("AllActiveSegments", func(t *testing.T) {
		t.Parallel()

		d := seeded(t, 500)
		startClient(t, d, job.Config{})
		active := ids(t, d, `SELECT id FROM segments WHERE is_active ORDER BY id`)
		require.Greater(t, count(t, d, `SELECT count(*) FROM segments WHERE NOT is_active`), 0, "the demo store has an inactive segment")

		runID := enqueue(t, d, nil, actor.FromAPI)
		run := waitFinished(t, d, runID)

		require.Equal(t, job.Succeeded, run.State)
		require.Nil(t, run.Error)
		require.Equal(t, active, run.SegmentIDs)
		require.Equal(t, len(active), run.SegmentsTotal)
		require.Equal(t, run.SegmentsTotal, run.SegmentsDone)
		require.Equal(t, actor.FromAPI, run.RequestedBy)
		require.False(t, run.Full)
		require.NotNil(t, run.StartedAt)
		require.NotNil(t, run.FinishedAt)
		require.False(t, run.FinishedAt.Before(*run.StartedAt))
		require.False(t, run.StartedAt.Before(run.CreatedAt))

		require.Equal(t, active, ids(t, d, `SELECT DISTINCT segment_id FROM segment_refreshes WHERE run_id = $1 ORDER BY 1`, runID))
		require.Equal(t, active, ids(t, d, `SELECT id FROM segments WHERE refreshed_at IS NOT NULL ORDER BY id`), "only active segments are refreshed")
		require.Greater(t, count(t, d, `SELECT count(*) FROM segment_customers`), 0)
		requireUpToDate(t, d, active)
		// River records the job's completion just after the run's own row.
		require.Eventually(t, func() bool { return jobState(t, d, runID) == "completed" }, 10*time.Second, 10*time.Millisecond)
	})

	t.Run("EmptyListIsAnError", func(t *testing.T) {
		t.Parallel()

		d := dbtest.New(t)
		err := d.RunInTx(auth.AsSystem(context.Background()), nil, func(ctx context.Context, tx bun.Tx) error {
			_, err := job.EnqueueRefresh(ctx, tx, []int64{}, actor.FromAPI, false)
			return err
		})
		require.ErrorContains(t, err, "empty list")
	})

	t.Run("ExplicitSegmentsIncludeInactive", func(t *testing.T) {
		t.Parallel()

		d := seeded(t, 300)
		startClient(t, d, job.Config{})
		inactive := ids(t, d, `SELECT id FROM segments WHERE NOT is_active ORDER BY id`)
		require.NotEmpty(t, inactive)
		active := ids(t, d, `SELECT id FROM segments WHERE is_active ORDER BY id`)
		want := []int64{inactive[0], active[1], active[0]} // unsorted, a duplicate below

		runID := enqueue(t, d, append(want, active[0]), actor.FromCLI)
		run := waitFinished(t, d, runID)

		slices.Sort(want)
		require.Equal(t, job.Succeeded, run.State)
		require.Equal(t, want, run.SegmentIDs, "sorted, without duplicates")
		require.Equal(t, 3, run.SegmentsTotal)
		require.Equal(t, 3, run.SegmentsDone)
		require.Equal(t, want, ids(t, d, `SELECT id FROM segments WHERE refreshed_at IS NOT NULL ORDER BY id`))
		requireUpToDate(t, d, want)
	})

	t.Run("NoActiveSegmentsSucceedsAtOnce", func(t *testing.T) {
		t.Parallel()

		d := dbtest.New(t) // no client: the run needs no worker
		runID := enqueue(t, d, nil, actor.FromAPI)

		run, err := job.GetRun(auth.AsSystem(context.Background()), d, runID)
		require.NoError(t, err)
		require.Equal(t, job.Succeeded, run.State)
		require.Empty(t, run.SegmentIDs)
		require.Zero(t, run.SegmentsTotal)
		require.Zero(t, run.SegmentsDone)
		require.NotNil(t, run.FinishedAt)
		require.Zero(t, count(t, d, `SELECT count(*) FROM river_job`))
	})

	t.Run("RolledBack", func(t *testing.T) {
		t.Parallel()

		d := seeded(t, 100)
		ctx := auth.AsSystem(context.Background())
		tx, err := d.BeginTx(ctx, nil)
		require.NoError(t, err)
		runID, err := job.EnqueueRefresh(ctx, tx, nil, actor.FromAPI, false)
		require.NoError(t, err)
		var runs, jobs int
		require.NoError(t, db.Get(ctx, tx, `SELECT (SELECT count(*) FROM refresh_runs), (SELECT count(*) FROM river_job)`, nil, &runs, &jobs))
		require.Equal(t, 1, runs)
		require.Equal(t, 1, jobs, "the job is in the transaction")
		require.NoError(t, tx.Rollback())

		run, err := job.GetRun(ctx, d, runID)
		require.NoError(t, err)
		require.Nil(t, run)
		require.Zero(t, count(t, d, `SELECT count(*) FROM refresh_runs`))
		require.Zero(t, count(t, d, `SELECT count(*) FROM river_job`))
	})
}

func jobState(t *testing.T, d *db.DB, runID int64) string {
	t.Helper()
	var state string
	require.NoError(t, d.Pool.QueryRow(auth.AsSystem(context.Background()), `SELECT j.state::text FROM refresh_runs r
		JOIN river_job j ON j.id = r.job_id WHERE r.id = $1`, runID).Scan(&state))
	return state
}

func TestGetRun(t *testing.T) {
	t.Parallel()

	t.Run("Missing", func(t *testing.T) {
		t.Parallel()

		d := dbtest.New(t)
		run, err := job.GetRun(auth.AsSystem(context.Background()), d, 12345)
		require.NoError(t, err)
		require.Nil(t, run)
		run, err = job.WaitRun(auth.AsSystem(context.Background()), d, 12345, time.Second)
		require.NoError(t, err)
		require.Nil(t, run)
	})

	// River can end a job without its worker: it discards a job whose last
	// attempt its rescuer found dead, an operator cancels one, its cleaner
	// deletes old ones. Any client fails such runs, in plain words. The River
	// side is simulated here by SQL.
	t.Run("FollowsItsJob", func(t *testing.T) {
		t.Parallel()

		d := seeded(t, 50)
		ctx := auth.AsSystem(context.Background())
		discarded := enqueue(t, d, nil, actor.FromAPI) // no client yet: nobody works them
		cancelled := enqueue(t, d, ids(t, d, `SELECT id FROM segments ORDER BY id LIMIT 1`), actor.FromAPI)
		run, err := job.GetRun(ctx, d, discarded)
		require.NoError(t, err)
		require.Equal(t, job.Queued, run.State)
		for id, state := range map[int64]string{discarded: "discarded", cancelled: "cancelled"} {
			_, err = d.Pool.Exec(ctx, `UPDATE river_job SET state = $2, finalized_at = now(),
				errors = ARRAY['{"at": "2026-01-01T00:00:00Z", "attempt": 1, "error": "internal: context canceled"}'::jsonb]
				WHERE id = (SELECT job_id FROM refresh_runs WHERE id = $1)`, id, state)
			require.NoError(t, err)
		}
		startClient(t, d, job.Config{})
		for id, want := range map[int64]string{discarded: "gave up", cancelled: "cancelled"} {
			require.Eventually(t, func() bool {
				run, err = job.GetRun(ctx, d, id)
				return err == nil && run.State == job.Failed
			}, 20*time.Second, 10*time.Millisecond)
			require.Contains(t, *run.Error, want)
			require.NotContains(t, *run.Error, "context")
			require.NotNil(t, run.FinishedAt)
		}
	})
}

func TestRefreshFailure(t *testing.T) {
	t.Parallel()

	d := seeded(t, 100)
	ctx := auth.AsSystem(context.Background())
	// A stored rule that Compile rejects (the API's validation would not
	// let it in).
	var bad int64
	require.NoError(t, d.Pool.QueryRow(ctx, `INSERT INTO segments (name, conditions)
		VALUES ('corrupt', '{"match": "SOME", "expect": true, "conditions": []}') RETURNING id`).Scan(&bad))
	_, err := d.Pool.Exec(ctx, `INSERT INTO segment_websites SELECT $1, id FROM websites`, bad)
	require.NoError(t, err)

	// Watch the run from before its first attempt.
	runID := enqueue(t, d, []int64{bad}, actor.FromAPI)
	seen := map[job.State]string{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
			run, err := job.GetRun(ctx, d, runID)
			if err != nil || run == nil {
				continue
			}
			if run.Error != nil {
				seen[run.State] = *run.Error
			}
			if run.Finished() {
				return
			}
		}
	}()
	startClient(t, d, job.Config{})
	<-done

	run, err := job.GetRun(ctx, d, runID)
	require.NoError(t, err)
	require.Equal(t, job.Failed, run.State)
	require.NotNil(t, run.Error)
	require.Contains(t, *run.Error, "match must be ALL or ANY")
	require.NotNil(t, run.FinishedAt)
	require.Contains(t, seen, job.Queued, "QUEUED with the error while River retries")
	require.Contains(t, seen[job.Queued], "match must be ALL or ANY")

	// River records the attempt's end just after the worker returns.
	require.Eventually(t, func() bool {
		var state string
		err := d.Pool.QueryRow(ctx, `SELECT j.state::text FROM refresh_runs r JOIN river_job j ON j.id = r.job_id
			WHERE r.id = $1`, runID).Scan(&state)
		return err == nil && state == "discarded"
	}, 5*time.Second, 10*time.Millisecond)
	var attempt, maxAttempts int
	require.NoError(t, d.Pool.QueryRow(ctx, `SELECT j.attempt, j.max_attempts FROM refresh_runs r
		JOIN river_job j ON j.id = r.job_id WHERE r.id = $1`, runID).Scan(&attempt, &maxAttempts))
	require.Equal(t, 3, attempt)
	require.Equal(t, 3, maxAttempts)
}

func TestScheduledRefresh(t *testing.T) {
	t.Parallel()

	waitScheduled := func(t *testing.T, d *db.DB) int64 {
		t.Helper()
		var runID int64
		require.Eventually(t, func() bool {
			err := d.Pool.QueryRow(auth.AsSystem(context.Background()), `SELECT id FROM refresh_runs WHERE requested_by = 'schedule'
				ORDER BY id LIMIT 1`).Scan(&runID)
			return err == nil
		}, 20*time.Second, 20*time.Millisecond)
		return runID
	}

	t.Run("RefreshesActiveSegments", func(t *testing.T) {
		t.Parallel()

		d := seeded(t, 200)
		startClient(t, d, job.Config{RefreshInterval: time.Second})

		run := waitFinished(t, d, waitScheduled(t, d))
		require.Equal(t, job.Succeeded, run.State)
		require.Equal(t, actor.FromSchedule, run.RequestedBy)
		require.Equal(t, ids(t, d, `SELECT id FROM segments WHERE is_active ORDER BY id`), run.SegmentIDs)
		require.True(t, run.Full, "no full refresh of all for a week: the schedule asks for one")
		// Every second: more follow, incremental now that a full one ran.
		var next []bool
		require.Eventually(t, func() bool {
			next = nil
			err := db.Select(auth.AsSystem(context.Background()), d, &next, `SELECT full_refresh FROM refresh_runs
				WHERE requested_by = 'schedule' AND id > $1 ORDER BY id`, run.ID)
			return err == nil && len(next) >= 1
		}, 20*time.Second, 50*time.Millisecond)
		require.False(t, next[0], "a full refresh ran this week: the schedule asks for an incremental one")
	})

	t.Run("OnceAcrossClientsAndRestarts", func(t *testing.T) {
		t.Parallel()

		d := seeded(t, 50)
		// Two instances; only the leader schedules, and only when the last
		// refresh of all is an interval old.
		first := startClient(t, d, job.Config{RefreshInterval: time.Hour})
		startClient(t, d, job.Config{RefreshInterval: time.Hour})
		waitFinished(t, d, waitScheduled(t, d))

		// A restart of the leader checks again: the last refresh of all is
		// recent, so it does not run another.
		ctx, cancel := context.WithTimeout(auth.AsSystem(context.Background()), 10*time.Second)
		defer cancel()
		require.NoError(t, first.Stop(ctx))
		startClient(t, d, job.Config{RefreshInterval: time.Hour})
		time.Sleep(3 * time.Second)
		require.Equal(t, 1, count(t, d, `SELECT count(*) FROM refresh_runs WHERE requested_by = 'schedule'`))
	})

	t.Run("AskedForFullRefreshCounts", func(t *testing.T) {
		t.Parallel()

		d := seeded(t, 50)
		// A refresh of chosen segments is not a refresh of all; a refresh of
		// all active segments is, whoever asked for it (a full one here, so
		// the weekly full run is not due either).
		enqueue(t, d, ids(t, d, `SELECT id FROM segments LIMIT 1`), actor.FromAPI)
		require.NoError(t, d.RunInTx(auth.AsSystem(context.Background()), nil, func(ctx context.Context, tx bun.Tx) error {
			_, err := job.EnqueueRefresh(ctx, tx, nil, actor.FromCLI, true)
			return err
		}))
		startClient(t, d, job.Config{RefreshInterval: time.Hour})
		time.Sleep(3 * time.Second)
		require.Zero(t, count(t, d, `SELECT count(*) FROM refresh_runs WHERE requested_by = 'schedule'`))
		require.Zero(t, count(t, d, `SELECT count(*) FROM refresh_runs WHERE state <> 'SUCCEEDED'`))
	})

	// The schedule's run is full when no full refresh of all active
	// segments was asked for within a week, failed ones aside.
	type past struct {
		run job.Run
		ago time.Duration // how long ago it was created
	}
	week, day := job.FullRefreshEvery, 24*time.Hour
	for _, c := range []struct {
		name     string
		past     []past
		wantFull bool
	}{
		{"FullWithinAWeekKeepsItIncremental", []past{
			{job.Run{AllActive: true, Full: true, Status: job.Status{State: job.Succeeded}}, 6 * day},
		}, false},
		{"FullOverAWeekAgoMakesItFull", []past{
			{job.Run{AllActive: true, Full: true, Status: job.Status{State: job.Succeeded}}, week + time.Hour},
		}, true},
		{"FailedOrPartialFullDoesNotCount", []past{
			{job.Run{AllActive: true, Full: true, Status: job.Status{State: job.Failed}}, 6 * day},
			{job.Run{AllActive: false, Full: true, Status: job.Status{State: job.Succeeded}}, 6 * day},
		}, true},
		// Imports queue incremental runs of all every day: the weekly full
		// run is due all the same.
		{"FullDueDespiteARecentIncrementalRun", []past{
			{job.Run{AllActive: true, Full: true, Status: job.Status{State: job.Succeeded}}, week + time.Hour},
			{job.Run{AllActive: true, Status: job.Status{State: job.Succeeded, RequestedBy: actor.FromChange}}, time.Hour},
		}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()

			d := seeded(t, 50)
			ctx := auth.AsSystem(context.Background())
			segs := ids(t, d, `SELECT id FROM segments WHERE is_active ORDER BY id`)
			for _, p := range c.past {
				r := p.run
				r.SegmentIDs, r.SegmentsTotal, r.SegmentsDone = segs, len(segs), len(segs)
				if r.RequestedBy == (actor.Actor{}) {
					r.RequestedBy = actor.FromCLI
				}
				r.CreatedAt = time.Now().Add(-p.ago)
				finished := r.CreatedAt.Add(time.Minute)
				r.FinishedAt = &finished
				_, err := d.NewInsert().Model(&r).Exec(ctx)
				require.NoError(t, err)
			}
			// A refresh of all is due (every run above is older than the
			// interval), or the weekly full one is.
			startClient(t, d, job.Config{RefreshInterval: 24 * time.Hour})
			run := waitFinished(t, d, waitScheduled(t, d))
			require.Equal(t, job.Succeeded, run.State)
			require.Equal(t, c.wantFull, run.Full)
		})
	}
}

func TestStopHandsRunBack(t *testing.T) {
	t.Parallel()

	d := seeded(t, 200)
	ctx := auth.AsSystem(context.Background())
	fast := slowRefreshes(t, d)
	c, err := job.NewClient(d, job.Config{TimeZone: tz, RetryPolicy: fastRetry{}})
	require.NoError(t, err)
	require.NoError(t, c.Start(ctx))
	runID := enqueue(t, d, nil, actor.FromAPI)
	require.Eventually(t, func() bool {
		run, err := job.GetRun(ctx, d, runID)
		return err == nil && run.SegmentsDone >= 1
	}, 20*time.Second, 5*time.Millisecond)

	// A stop that cannot wait for the run interrupts it and hands it back.
	stopCtx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	require.NoError(t, c.Stop(stopCtx))
	run, err := job.GetRun(ctx, d, runID)
	require.NoError(t, err)
	require.Equal(t, job.Queued, run.State)
	require.NotNil(t, run.Error)
	require.Contains(t, *run.Error, "interrupted")
	require.Eventually(t, func() bool {
		var state string
		err := d.Pool.QueryRow(ctx, `SELECT j.state::text FROM refresh_runs r JOIN river_job j ON j.id = r.job_id
			WHERE r.id = $1`, runID).Scan(&state)
		return err == nil && state == "available"
	}, 5*time.Second, 10*time.Millisecond, "the job is ready for the next worker at once")

	// The next client resumes it, without having used up an attempt.
	fast()
	startClient(t, d, job.Config{})
	run = waitFinished(t, d, runID)
	require.Equal(t, job.Succeeded, run.State)
	require.Nil(t, run.Error)
	var attempt int
	require.NoError(t, d.Pool.QueryRow(ctx, `SELECT j.attempt FROM refresh_runs r JOIN river_job j ON j.id = r.job_id
		WHERE r.id = $1`, runID).Scan(&attempt))
	require.Equal(t, 1, attempt)
}

func TestRefreshStatementTimeoutFailsTheRunNamingTheSegments(t *testing.T) {
	t.Parallel()
	d := seeded(t, 100)
	ctx := context.Background()
	segs := ids(t, d, `SELECT id FROM segments ORDER BY id LIMIT 2`)
	// Hold a lock every evaluation needs: each waits for it until its
	// statement times out (the timeout counts lock waits).
	tx, err := d.Pool.Begin(ctx)
	require.NoError(t, err)
	defer func() { _ = tx.Rollback(ctx) }()
	_, err = tx.Exec(ctx, `LOCK TABLE customers IN ACCESS EXCLUSIVE MODE`)
	require.NoError(t, err)

	runID := enqueue(t, d, segs, actor.FromAPI)
	startClient(t, d, job.Config{RefreshStatementTimeout: time.Second})
	run := waitFinished(t, d, runID)
	require.Equal(t, job.Failed, run.State)
	require.NotNil(t, run.Error)
	require.Equal(t, fmt.Sprintf("segments %d, %d took longer than 1s to evaluate; simplify their rules or raise REFRESH_STATEMENT_TIMEOUT (the other segments were refreshed)", segs[0], segs[1]), *run.Error)
	// Another attempt would time out the same way: there is none.
	require.Equal(t, 1, count(t, d, `SELECT j.attempt FROM refresh_runs r JOIN river_job j ON j.id = r.job_id WHERE r.id = $1`, runID))
	require.NoError(t, tx.Rollback(ctx))
}
