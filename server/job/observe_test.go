package job_test

import (
	"context"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/segments/segments/server/actor"
	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/job"
	"github.com/segments/segments/server/logging"
	"github.com/segments/segments/server/logging/logtest"
	"github.com/segments/segments/server/metric"
	"github.com/segments/segments/server/metric/metrictest"
)

// TestRunsAreMeasuredAndCarryTheRequestID: a refresh queued by a request
// is counted once it ends (state, duration, membership rows written, the
// job's wait), the queue's depth lists the client's kinds, and the
// worker's log lines carry the id of the request that queued it.
func TestRunsAreMeasuredAndCarryTheRequestID(t *testing.T) {
	t.Parallel()
	d := seeded(t, 300)
	m := metric.New()
	log, out := logtest.New(t, slog.LevelInfo)
	c := startClient(t, d, job.Config{Metrics: m, Logger: log})
	m.WatchQueue(c.QueueDepth)

	ctx := logging.WithRequestID(auth.AsSystem(context.Background()), "req-7f3a")
	var runID int64
	require.NoError(t, d.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var err error
		runID, err = job.EnqueueRefresh(ctx, tx, nil, actor.FromAPI, false)
		return err
	}))
	run := waitFinished(t, d, runID)
	require.Equal(t, job.Succeeded, run.State)

	s := metrictest.Serve(t, m.Handler(nil))
	require.EqualValues(t, 1, s.Value("segments_run_attempts_total", "kind", "refresh", "state", "succeeded"))
	require.EqualValues(t, 1, s.Value("segments_run_attempt_duration_seconds", "kind", "refresh", "state", "succeeded"))
	members := count(t, d, `SELECT count(*) FROM segment_customers`)
	require.Positive(t, members)
	require.EqualValues(t, members, s.Value("segments_run_rows_total", "kind", "refresh"), "a first refresh adds every member")
	require.EqualValues(t, 1, s.Value("segments_job_wait_seconds", "kind", "refresh_run"))
	for _, kind := range []string{"refresh_run"} {
		for _, state := range []string{"available", "scheduled", "retryable", "running"} {
			require.Len(t, s.Series("segments_job_queue_jobs", "kind", kind, "state", state), 1, kind+" "+state)
		}
	}
	require.Zero(t, s.Value("segments_job_queue_jobs", "kind", "refresh_run", "state", "available"))

	var done map[string]any
	for _, l := range out.Lines(t) {
		if l["msg"] == "refresh run done" {
			done = l
		}
	}
	require.NotNil(t, done, out.String())
	require.Equal(t, "req-7f3a", done["request_id"])
}
