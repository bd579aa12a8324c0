package job_test

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/segments/segments/server/actor"
	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/customer"
	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/export"
	"github.com/segments/segments/server/job"
	"github.com/segments/segments/server/segment"
)

// worker is a worker process: this test binary running runWorker.
type worker struct {
	cmd  *exec.Cmd
	exit chan error
}

// startWorker starts a worker process on the database at url and waits
// until its client has started. It is stopped, if still running, when the
// test ends; its log is shown if the test failed.
func startWorker(t *testing.T, name, url, bucketDir string, grace time.Duration) *worker {
	t.Helper()
	logPath := filepath.Join(t.TempDir(), name+".log")
	logFile, err := os.Create(logPath)
	require.NoError(t, err)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(),
		workerDBEnv+"="+url,
		workerBucketEnv+"="+bucketDir,
		workerGraceEnv+"="+grace.String(),
	)
	cmd.Stderr = logFile
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	w := &worker{cmd: cmd, exit: make(chan error, 1)}
	ready := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		ok := false
		for sc.Scan() {
			if !ok && sc.Text() == workerReadyLine {
				ok = true
				ready <- true
			}
		}
		if !ok {
			ready <- false
		}
		w.exit <- cmd.Wait()
	}()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Signal(syscall.SIGTERM)
			select {
			case <-w.exit:
			case <-time.After(15 * time.Second):
				_ = cmd.Process.Kill()
				<-w.exit
			}
		}
		_ = logFile.Close()
		if t.Failed() || os.Getenv("SHOW_WORKER_LOGS") != "" { // SHOW_WORKER_LOGS=1 shows them anyway
			b, _ := os.ReadFile(logPath)
			t.Logf("log of worker %s:\n%s", name, b)
		}
	})
	select {
	case ok := <-ready:
		require.True(t, ok, "worker %s exited before starting", name)
	case <-time.After(20 * time.Second):
		t.Fatalf("worker %s did not start in 20 s", name)
	}
	return w
}

// kill ends the worker process with SIGKILL: no cleanup, no goodbye to
// PostgreSQL or River.
func (w *worker) kill(t *testing.T) {
	t.Helper()
	require.NoError(t, w.cmd.Process.Kill())
	<-w.exit
}

// terminate sends the worker SIGTERM, as a shutdown does, and waits for it
// to exit.
func (w *worker) terminate(t *testing.T) {
	t.Helper()
	require.NoError(t, w.cmd.Process.Signal(syscall.SIGTERM))
	select {
	case err := <-w.exit:
		require.NoError(t, err, "the worker stops cleanly")
	case <-time.After(30 * time.Second):
		t.Fatal("the worker did not stop within 30 s of SIGTERM")
	}
}

// snapshot reads every segment's members and the segments the run has
// committed, as of one instant.
func snapshot(t *testing.T, d *db.DB, runID int64) (members map[int64][]int64, committed []int64) {
	t.Helper()
	ctx := auth.AsSystem(context.Background())
	members = map[int64][]int64{}
	err := pgx.BeginTxFunc(ctx, d.Pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT s.id, ARRAY(SELECT customer_id FROM segment_customers sc
			WHERE sc.segment_id = s.id ORDER BY customer_id) FROM segments s`)
		if err != nil {
			return err
		}
		var id int64
		var m []int64
		if _, err := pgx.ForEachRow(rows, []any{&id, &m}, func() error {
			members[id] = slices.Clone(m)
			return nil
		}); err != nil {
			return err
		}
		rows, err = tx.Query(ctx, `SELECT DISTINCT segment_id FROM segment_refreshes WHERE run_id = $1 ORDER BY 1`, runID)
		if err != nil {
			return err
		}
		committed, err = pgx.CollectRows(rows, pgx.RowTo[int64])
		return err
	})
	require.NoError(t, err)
	return members, committed
}

// TestCrashedWorker kills a worker process (SIGKILL) in the middle of a
// refresh run and checks that every segment then has its whole old
// membership or its whole new one, and that another worker process takes
// the run up once its heartbeat stops (not after River's own rescue, hours
// later) and finishes it. The workers run with the default heartbeat, as
// `segments serve` does.
func TestCrashedWorker(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("starts and kills worker processes; about a minute")
	}

	d := seeded(t, 2000)
	ctx := auth.AsSystem(context.Background())
	url := d.Pool.Config().ConnString()
	bucketDir := t.TempDir()
	active := ids(t, d, `SELECT id FROM segments WHERE is_active ORDER BY id`)

	// The old membership, then store changes that move most segments.
	_, err := segment.NewRefresher(d).Refresh(ctx, active, segment.RefreshOptions{TimeZone: tz})
	require.NoError(t, err)
	old, _ := snapshot(t, d, 0)
	_, err = d.Pool.Exec(ctx, `
		UPDATE customers SET group_id = (SELECT id FROM customer_groups WHERE code = 'vip') WHERE id % 3 = 0;
		UPDATE customers SET country = 'SE' WHERE id % 4 = 1;
		UPDATE customers SET website_id = (SELECT id FROM websites WHERE code = 'no') WHERE id % 7 = 2;
		DELETE FROM orders WHERE id % 2 = 0`)
	require.NoError(t, err)

	// Slow each segment's write down: a kill then most likely lands while a
	// segment's new membership is written but not committed.
	fast := slowRefreshes(t, d)

	// A full run, which writes segment after segment, so a kill lands
	// between them (an incremental run writes its segments in one
	// transaction: package segment's TestIncrementalRefreshSurvivesKill
	// kills it inside that).
	a := startWorker(t, "a", url, bucketDir, time.Second)
	var runID int64
	require.NoError(t, d.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var err error
		runID, err = job.EnqueueRefresh(ctx, tx, nil, actor.FromCLI, true)
		return err
	}))
	require.Eventually(t, func() bool {
		run, err := job.GetRun(ctx, d, runID)
		return err == nil && run.State == job.Running && run.SegmentsDone >= 1
	}, 20*time.Second, 5*time.Millisecond)
	run, err := job.GetRun(ctx, d, runID)
	require.NoError(t, err)
	firstJob := *run.JobID
	a.kill(t)
	killed := time.Now()

	mid, committed := snapshot(t, d, runID)
	run, err = job.GetRun(ctx, d, runID)
	require.NoError(t, err)
	require.Equal(t, job.Running, run.State, "nothing has noticed the dead worker yet")
	require.Less(t, run.SegmentsDone, run.SegmentsTotal)
	require.NotEmpty(t, committed, "the run committed a segment before the kill")
	require.Less(t, len(committed), len(active), "the kill came before the run's end")

	// Another worker: once the run's heartbeat is older than the timeout,
	// it queues the run again under a new job and works it from the start.
	fast()
	startWorker(t, "b", url, bucketDir, time.Second)
	var queuedError string
	var takenUp time.Duration
	require.Eventually(t, func() bool {
		run, err = job.GetRun(ctx, d, runID)
		if err != nil {
			return false
		}
		if takenUp == 0 && *run.JobID != firstJob {
			takenUp = time.Since(killed)
		}
		if run.State == job.Queued && run.Error != nil {
			queuedError = *run.Error
		}
		return run.Finished()
	}, 3*time.Minute, 20*time.Millisecond)
	t.Logf("the second worker took the run up %s after the kill and finished it %s after the kill",
		takenUp.Round(100*time.Millisecond), time.Since(killed).Round(100*time.Millisecond))
	require.Equal(t, job.Succeeded, run.State, "error: %v", run.Error)
	require.Equal(t, run.SegmentsTotal, run.SegmentsDone)
	require.Nil(t, run.Error)
	require.NotEqual(t, firstJob, *run.JobID, "a new job took the run up")
	if queuedError != "" {
		require.Contains(t, queuedError, "stopped unexpectedly", "the run showed QUEUED with a plain reason while it waited")
	}
	require.Eventually(t, func() bool { return jobState(t, d, runID) == "completed" }, 10*time.Second, 10*time.Millisecond)
	require.Equal(t, "running", riverJobState(t, d, firstJob), "River itself has not rescued the dead worker's job: the heartbeat did")

	// The reference: what a refresh computes now. (Rules count days, so
	// both attempts' "now", seconds apart, give the same sets.)
	requireUpToDate(t, d, active)
	final, _ := snapshot(t, d, runID)
	changed := 0
	for _, id := range active {
		if !slices.Equal(old[id], final[id]) {
			changed++
		}
		if slices.Contains(committed, id) {
			require.Equal(t, final[id], mid[id], "segment %d, refreshed before the kill, has its whole new membership", id)
		} else {
			require.Equal(t, old[id], mid[id], "segment %d, not refreshed before the kill, has its whole old membership", id)
		}
	}
	require.GreaterOrEqual(t, changed, len(active)/2, "the store changes move most segments (%d of %d)", changed, len(active))
}

// TestExportInterruptedBySIGTERM stops a worker process with SIGTERM in the
// middle of an export, with a grace period too short for it: the export is
// handed back (QUEUED, in plain words, not FAILED), and the next worker
// process writes the whole file.
func TestExportInterruptedBySIGTERM(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("starts and stops worker processes")
	}

	d := seeded(t, 20_000)
	ctx := auth.AsSystem(context.Background())
	url := d.Pool.Config().ConnString()
	bucketDir := t.TempDir()
	segs := ids(t, d, `SELECT id FROM segments ORDER BY id`)
	_, err := segment.NewRefresher(d).Refresh(ctx, segs, segment.RefreshOptions{TimeZone: tz})
	require.NoError(t, err)
	bucket, err := export.OpenBucket(ctx, "", bucketDir)
	require.NoError(t, err)
	t.Cleanup(func() { _ = bucket.Close() })
	svc := &export.Service{DB: d, Customers: customer.NewLister(d), Bucket: bucket, Location: time.UTC, Retention: time.Hour}

	// Slow the export down: each progress report (every 10,000 rows) sleeps,
	// longer than the grace period.
	_, err = d.Pool.Exec(ctx, `
		CREATE FUNCTION test_slow_export() RETURNS trigger LANGUAGE plpgsql AS
			$$ BEGIN IF NEW.rows_written > 0 THEN PERFORM pg_sleep(1); END IF; RETURN NEW; END $$;
		CREATE TRIGGER test_slow_export BEFORE UPDATE OF rows_written ON exports
			FOR EACH ROW EXECUTE FUNCTION test_slow_export()`)
	require.NoError(t, err)

	a := startWorker(t, "a", url, bucketDir, 100*time.Millisecond)
	id, err := svc.Start(ctx, export.Request{SegmentIDs: segs, Mode: customer.Union, Format: export.FormatCSV}, actor.FromAPI)
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		e, err := export.Get(ctx, d, id)
		return err == nil && e.State == job.Running && e.RowCount != nil
	}, 30*time.Second, 5*time.Millisecond)
	e, err := export.Get(ctx, d, id)
	require.NoError(t, err)
	require.Greater(t, *e.RowCount, int64(10_000), "long enough to report progress")
	a.terminate(t)
	stopped := time.Now()

	e, err = export.Get(ctx, d, id)
	require.NoError(t, err)
	require.Equal(t, job.Queued, e.State, "handed back, not failed")
	require.NotNil(t, e.Error)
	require.Contains(t, *e.Error, "resumes on the next worker")
	require.NotContains(t, *e.Error, "context", "a plain message")
	require.Nil(t, e.FileKey)
	require.Less(t, e.RowsWritten, *e.RowCount, "it was stopped midway")

	_, err = d.Pool.Exec(ctx, `DROP TRIGGER test_slow_export ON exports`)
	require.NoError(t, err)
	startWorker(t, "b", url, bucketDir, time.Second)
	e, err = export.Wait(ctx, d, id, 2*time.Minute)
	require.NoError(t, err)
	t.Logf("the next worker finished the export %s after the first one stopped", time.Since(stopped).Round(100*time.Millisecond))
	require.Equal(t, job.Succeeded, e.State, "error: %v", e.Error)
	require.Nil(t, e.Error)
	require.Equal(t, *e.RowCount, e.RowsWritten)
	attrs, err := bucket.Attributes(ctx, *e.FileKey)
	require.NoError(t, err)
	require.Positive(t, attrs.Size)
	var attempt int
	require.NoError(t, d.Pool.QueryRow(ctx, `SELECT attempt FROM river_job WHERE id = $1`, *e.JobID).Scan(&attempt))
	require.Equal(t, 1, attempt, "the interruption used up no attempt")
}

func riverJobState(t *testing.T, d *db.DB, jobID int64) string {
	t.Helper()
	var state string
	require.NoError(t, d.Pool.QueryRow(auth.AsSystem(context.Background()), `SELECT state::text FROM river_job WHERE id = $1`, jobID).Scan(&state))
	return state
}
