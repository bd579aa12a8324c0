package metric_test

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/db/dbtest"
	"github.com/segments/segments/server/metric"
	"github.com/segments/segments/server/metric/metrictest"
)

// TestOperationNamesAreBounded: no client can add series without end:
// anonymous and malformed names fold, and past MaxOperationNames names
// every new one is "other" while the names already seen keep counting.
func TestOperationNamesAreBounded(t *testing.T) {
	t.Parallel()
	m := metric.New()
	m.ObserveOperation(metric.Operation{Name: "SegmentList", Type: "query", Outcome: metric.OutcomeOK, Took: time.Millisecond})
	m.ObserveOperation(metric.Operation{Name: "", Type: "query", Outcome: metric.OutcomeOK})
	m.ObserveOperation(metric.Operation{Name: "drop table;", Outcome: metric.OutcomeError, Code: "BAD_USER_INPUT"})
	for i := range metric.MaxOperationNames + 50 {
		m.ObserveOperation(metric.Operation{Name: fmt.Sprintf("Junk%d", i), Type: "query", Outcome: metric.OutcomeOK})
	}
	m.ObserveOperation(metric.Operation{Name: "SegmentList", Type: "query", Outcome: metric.OutcomePartial, Code: "NOT_FOUND"})

	s := metrictest.Serve(t, m.Handler(nil))
	const total = "segments_graphql_operations_total"
	require.EqualValues(t, 1, s.Value(total, "operation", "SegmentList", "outcome", "ok", "code", "none"))
	require.EqualValues(t, 1, s.Value(total, "operation", "SegmentList", "outcome", "partial", "code", "NOT_FOUND"))
	require.EqualValues(t, 1, s.Value(total, "operation", "anonymous"))
	require.EqualValues(t, 1, s.Value(total, "operation", "invalid", "type", "unknown", "code", "BAD_USER_INPUT"))
	require.EqualValues(t, 51, s.Value(total, "operation", "other"))
	names := map[string]bool{}
	for _, x := range s.Series(total) {
		for _, l := range x.GetLabel() {
			if l.GetName() == "operation" {
				names[l.GetValue()] = true
			}
		}
	}
	require.LessOrEqual(t, len(names), metric.MaxOperationNames+3)
	require.EqualValues(t, 2, s.Value("segments_graphql_operation_duration_seconds", "operation", "SegmentList"))
}

// TestScrapeSamplesPoolAndQueue: the pool's statistics and the queue's
// depth are read at each scrape; a queue that cannot be read leaves its
// series out and the rest of the scrape stands.
func TestScrapeSamplesPoolAndQueue(t *testing.T) {
	t.Parallel()
	d := dbtest.New(t)
	require.NoError(t, d.PingContext(context.Background()))
	m := metric.New()
	m.WatchPool(d.Pool)
	var fail atomic.Bool
	m.WatchQueue(func(ctx context.Context) ([]metric.Depth, error) {
		if fail.Load() {
			return nil, errors.New("database down")
		}
		if _, ok := ctx.Deadline(); !ok {
			return nil, errors.New("the read has no deadline")
		}
		return []metric.Depth{{Kind: "export", State: "available", Jobs: 3}, {Kind: "refresh_run", State: "running", Jobs: 1}}, nil
	})
	m.ObserveAttempt(metric.Attempt{Kind: "export", State: "succeeded", Took: 2 * time.Second, Rows: 120, Bytes: 4096})
	m.ObserveJobWait("export", 300*time.Millisecond)
	m.WatchReads(func() metric.Reads { return metric.Reads{Replica: 7, Primary: 3, Stale: 2, Failed: 1} })

	s := metrictest.Serve(t, m.Handler(nil))
	require.EqualValues(t, 7, s.Value("segments_report_reads_total", "outcome", "replica"))
	require.EqualValues(t, 3, s.Value("segments_report_reads_total", "outcome", "primary"))
	require.EqualValues(t, 2, s.Value("segments_report_reads_total", "outcome", "stale"))
	require.EqualValues(t, 1, s.Value("segments_report_reads_total", "outcome", "failed"))
	require.EqualValues(t, 3, s.Value("segments_job_queue_jobs", "kind", "export", "state", "available"))
	require.EqualValues(t, 1, s.Value("segments_job_queue_jobs", "kind", "refresh_run", "state", "running"))
	require.EqualValues(t, d.Pool.Config().MaxConns, s.Value("segments_db_pool_max_connections"))
	require.NotEmpty(t, s.Series("segments_db_pool_connections", "state", "idle"))
	require.Positive(t, s.Value("segments_db_pool_acquires_total"))
	require.EqualValues(t, 1, s.Value("segments_run_attempts_total", "kind", "export", "state", "succeeded"))
	require.EqualValues(t, 2, s.Sum("segments_run_attempt_duration_seconds", "kind", "export"))
	require.EqualValues(t, 120, s.Value("segments_run_rows_total", "kind", "export"))
	require.EqualValues(t, 4096, s.Value("segments_run_bytes_total", "kind", "export"))
	require.EqualValues(t, 1, s.Value("segments_job_wait_seconds", "kind", "export"))
	require.NotEmpty(t, s.Series("go_build_info"))
	require.NotEmpty(t, s.Series("go_goroutines"))
	require.NotEmpty(t, s.Series("process_start_time_seconds"))

	fail.Store(true)
	s = metrictest.Serve(t, m.Handler(nil))
	require.Empty(t, s.Series("segments_job_queue_jobs"))
	require.NotEmpty(t, s.Series("segments_db_pool_max_connections"))
}

// TestNilMeasuresNothing: a nil *Metrics takes every report.
func TestNilMeasuresNothing(t *testing.T) {
	t.Parallel()
	var m *metric.Metrics
	m.ObserveHTTP("/", "GET", 200, time.Second)
	m.ObserveOperation(metric.Operation{Name: "X"})
	m.ObserveAttempt(metric.Attempt{Kind: "refresh"})
	m.ObserveJobWait("export", time.Second)
	m.WatchPool(nil)
	m.WatchQueue(nil)
	m.WatchReads(nil)
	require.Equal(t, "X", m.OperationName("X"))
}
