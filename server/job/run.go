package job

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// A run's states, as stored in refresh_runs.state and named by the GraphQL
// enum JobState.
const (
	StateFailed    = "FAILED"
	StateQueued    = "QUEUED"
	StateRunning   = "RUNNING"
	StateSucceeded = "SUCCEEDED"
)

// Run is one refresh run, as GetRun reads it.
type Run struct {
	ID int64
	// CreatedAt is when the run was requested.
	CreatedAt time.Time
	// Error is the last attempt's error: set on a FAILED run, and on a
	// QUEUED or RUNNING one that is being retried; nil once SUCCEEDED.
	Error *string
	// FinishedAt is set once the run is SUCCEEDED or FAILED.
	FinishedAt *time.Time
	// RequestedBy says who asked: "api", "cli", "schedule", ...
	RequestedBy string
	// SegmentIDs are the segments the run refreshes, sorted; some may have
	// been deleted since.
	SegmentIDs []int64
	// SegmentsDone counts the segments written by the current attempt;
	// SegmentsTotal is len(SegmentIDs).
	SegmentsDone, SegmentsTotal int
	// StartedAt is when a worker first took the run.
	StartedAt *time.Time
	// State is one of StateQueued, StateRunning, StateSucceeded, StateFailed.
	State string
}

// Finished reports whether the run is SUCCEEDED or FAILED.
func (r *Run) Finished() bool { return r.State == StateSucceeded || r.State == StateFailed }

// GetRun returns the run with the given id, or nil, nil when there is none.
// A run whose River job has moved on without its worker (a worker that died
// and was rescued, a job discarded or cancelled) is brought in line with the
// job first.
func GetRun(ctx context.Context, pool *pgxpool.Pool, id int64) (*Run, error) {
	run, job, err := readRun(ctx, pool, id, false)
	if err != nil || run == nil {
		return run, err
	}
	if _, _, ok := reconciled(run, job); !ok {
		return run, nil
	}
	return reconcile(ctx, pool, id)
}

// WaitRun polls the run until it is SUCCEEDED or FAILED or maxWait has
// passed, and returns it as it then is (nil, nil when there is no such run).
// A mutation uses it so that small refreshes come back finished.
func WaitRun(ctx context.Context, pool *pgxpool.Pool, id int64, maxWait time.Duration) (*Run, error) {
	deadline := time.Now().Add(maxWait)
	delay := 10 * time.Millisecond
	for {
		run, err := GetRun(ctx, pool, id)
		if err != nil || run == nil || run.Finished() {
			return run, err
		}
		left := time.Until(deadline)
		if left <= 0 {
			return run, nil
		}
		t := time.NewTimer(min(delay, left))
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
		delay = min(2*delay, 500*time.Millisecond)
	}
}

// jobInfo is what a run's reconciliation needs of its River job.
type jobInfo struct {
	// Exists is false when the job has been deleted (or the run has none).
	Exists    bool
	LastError *string
	// Linked is whether the run has a job at all.
	Linked bool
	State  string
}

type querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

const runColumns = `r.id, r.state, r.segment_ids, r.segments_done, r.segments_total, r.error,
	r.requested_by, r.created_at, r.started_at, r.finished_at`

// readRun reads a run and its River job. With lock, it locks the run first
// and reads the job in a later statement, so the job's state is no older
// than the lock.
func readRun(ctx context.Context, q querier, id int64, lock bool) (*Run, jobInfo, error) {
	var run Run
	var jobID *int64
	var job jobInfo
	sql := `SELECT ` + runColumns + `, r.job_id FROM refresh_runs r WHERE r.id = $1`
	if lock {
		sql += ` FOR UPDATE`
	}
	err := q.QueryRow(ctx, sql, id).Scan(&run.ID, &run.State, &run.SegmentIDs, &run.SegmentsDone,
		&run.SegmentsTotal, &run.Error, &run.RequestedBy, &run.CreatedAt, &run.StartedAt, &run.FinishedAt, &jobID)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, job, nil
	}
	if err != nil {
		return nil, job, fmt.Errorf("read refresh run %d: %w", id, err)
	}
	job.Linked = jobID != nil
	if !job.Linked || run.Finished() {
		return &run, job, nil
	}
	// errors is an array of JSON objects, the last attempt's last.
	err = q.QueryRow(ctx, `SELECT state::text, errors[array_upper(errors, 1)] ->> 'error' FROM river_job WHERE id = $1`,
		*jobID).Scan(&job.State, &job.LastError)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
	case err != nil:
		return nil, job, fmt.Errorf("read refresh run %d's job: %w", id, err)
	default:
		job.Exists = true
	}
	return &run, job, nil
}

// reconciled says what an unfinished run's state should be given its River
// job's, when the two disagree in a way only a missing worker explains.
func reconciled(run *Run, job jobInfo) (state string, errMsg *string, ok bool) {
	if run.Finished() || !job.Linked {
		return "", nil, false
	}
	msg := func(fallback string) *string {
		if job.LastError != nil && *job.LastError != "" {
			return job.LastError
		}
		if run.Error != nil {
			return run.Error
		}
		return &fallback
	}
	switch {
	case !job.Exists:
		return StateFailed, msg("the run's job is gone without a result"), true
	case job.State == "discarded":
		return StateFailed, msg("the run's job was discarded"), true
	case job.State == "cancelled":
		return StateFailed, msg("the run's job was cancelled"), true
	case run.State == StateRunning && job.State != "running" && job.State != "completed":
		// The attempt ended without its worker (it died and River rescued
		// the job): the job waits for its next attempt.
		return StateQueued, msg("the worker stopped"), true
	}
	return "", nil, false
}

// reconcile brings one run in line with its River job, under the run's row
// lock (which a worker changing the run also takes), and returns the run.
func reconcile(ctx context.Context, pool *pgxpool.Pool, id int64) (*Run, error) {
	var out *Run
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		run, job, err := readRun(ctx, tx, id, true)
		if err != nil || run == nil {
			out = run
			return err
		}
		state, errMsg, ok := reconciled(run, job)
		if ok {
			if _, err := tx.Exec(ctx, `UPDATE refresh_runs SET state = $2, error = $3,
				finished_at = CASE WHEN $2 = 'FAILED' THEN now() END WHERE id = $1`, id, state, errMsg); err != nil {
				return err
			}
			run.State, run.Error = state, errMsg
			if state == StateFailed {
				if err := tx.QueryRow(ctx, `SELECT finished_at FROM refresh_runs WHERE id = $1`, id).Scan(&run.FinishedAt); err != nil {
					return err
				}
			}
		}
		out = run
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reconcile refresh run %d: %w", id, err)
	}
	return out, nil
}

// reconcileUnfinished reconciles every unfinished run whose job has moved on
// without its worker.
func reconcileUnfinished(ctx context.Context, pool *pgxpool.Pool) error {
	rows, err := pool.Query(ctx, `SELECT r.id FROM refresh_runs r LEFT JOIN river_job j ON j.id = r.job_id
		WHERE r.state IN ('QUEUED', 'RUNNING') AND r.job_id IS NOT NULL
		  AND (j.id IS NULL OR j.state IN ('discarded', 'cancelled')
		       OR (r.state = 'RUNNING' AND j.state NOT IN ('running', 'completed')))
		ORDER BY r.id`)
	if err != nil {
		return fmt.Errorf("find runs to reconcile: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return fmt.Errorf("find runs to reconcile: %w", err)
	}
	for _, id := range ids {
		if _, err := reconcile(ctx, pool, id); err != nil {
			return err
		}
	}
	return nil
}
