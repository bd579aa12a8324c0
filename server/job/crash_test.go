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

	"github.com/segments/segments/server/db"
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
func startWorker(t *testing.T, name, url string, refreshTimeout, rescueAfter time.Duration) *worker {
	t.Helper()
	logPath := filepath.Join(t.TempDir(), name+".log")
	logFile, err := os.Create(logPath)
	require.NoError(t, err)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(),
		workerDBEnv+"="+url,
		workerRefreshTimeout+"="+refreshTimeout.String(),
		workerRescueAfterEnv+"="+rescueAfter.String(),
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

// snapshot reads every segment's members and the segments the run has
// committed, as of one instant.
func snapshot(t *testing.T, d *db.DB, runID int64) (members map[int64][]int64, committed []int64) {
	t.Helper()
	ctx := context.Background()
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
// membership or its whole new one, and that a new worker process picks the
// run up once River takes the old one for dead, and finishes it.
func TestCrashedWorker(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("starts and kills worker processes; about 30 s")
	}

	d := seeded(t, 2000)
	ctx := context.Background()
	url := d.Pool.Config().ConnString()
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

	// Slow each segment's write down, honestly and inside its transaction:
	// every segment's last statement (its history row) sleeps first. A kill
	// then most likely lands while a segment's new membership is written but
	// not committed.
	_, err = d.Pool.Exec(ctx, `
		CREATE FUNCTION test_slow_refresh() RETURNS trigger LANGUAGE plpgsql AS
			$$ BEGIN PERFORM pg_sleep(0.3); RETURN NEW; END $$;
		CREATE TRIGGER test_slow_refresh BEFORE INSERT ON segment_refreshes
			FOR EACH ROW EXECUTE FUNCTION test_slow_refresh()`)
	require.NoError(t, err)

	a := startWorker(t, "a", url, 30*time.Second, time.Minute)
	runID := enqueue(t, d, nil, job.RequestedByCLI)
	require.Eventually(t, func() bool {
		run, err := job.GetRun(ctx, d.Pool, runID)
		return err == nil && run.State == job.StateRunning && run.SegmentsDone >= 1
	}, 20*time.Second, 5*time.Millisecond)
	a.kill(t)
	killed := time.Now()

	mid, committed := snapshot(t, d, runID)
	run, err := job.GetRun(ctx, d.Pool, runID)
	require.NoError(t, err)
	require.Equal(t, job.StateRunning, run.State, "nothing has noticed the dead worker yet")
	require.Less(t, run.SegmentsDone, run.SegmentsTotal)
	require.NotEmpty(t, committed, "the run committed a segment before the kill")
	require.Less(t, len(committed), len(active), "the kill came before the run's end")

	// A new worker: River's rescuer (on whichever client leads) takes the
	// job for dead once RescueStuckJobsAfter has passed since its attempt
	// began, and schedules a retry, which a worker runs from the start.
	_, err = d.Pool.Exec(ctx, `DROP TRIGGER test_slow_refresh ON segment_refreshes`)
	require.NoError(t, err)
	startWorker(t, "b", url, 2*time.Second, 3*time.Second)
	var queuedError string
	require.Eventually(t, func() bool {
		run, err = job.GetRun(ctx, d.Pool, runID)
		if err != nil {
			return false
		}
		if run.State == job.StateQueued && run.Error != nil {
			queuedError = *run.Error
		}
		return run.Finished()
	}, 45*time.Second, 20*time.Millisecond)
	t.Logf("the second worker finished the run %s after the kill", time.Since(killed).Round(100*time.Millisecond))
	require.Equal(t, job.StateSucceeded, run.State, "error: %v", run.Error)
	require.Equal(t, run.SegmentsTotal, run.SegmentsDone)
	require.Nil(t, run.Error)
	require.Contains(t, queuedError, "rescued", "the run showed QUEUED with River's reason while it waited for its retry")
	require.Equal(t, "completed", jobState(t, d, runID))
	var attempt int
	require.NoError(t, d.Pool.QueryRow(ctx, `SELECT j.attempt FROM refresh_runs r JOIN river_job j ON j.id = r.job_id
		WHERE r.id = $1`, runID).Scan(&attempt))
	require.Equal(t, 2, attempt)

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
