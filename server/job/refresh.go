package job

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/segment"
)

const kindRefresh = "refresh_run"

// refreshMaxAttempts is how many times a refresh run is tried.
const refreshMaxAttempts = 3

// writeTimeout bounds the bookkeeping a worker does after its context has
// ended (a timeout, a shutdown).
const writeTimeout = 10 * time.Second

// refreshArgs are a refresh job's arguments: only the run's id, so the run
// outlives River's cleanup of the job.
type refreshArgs struct {
	RunID int64 `json:"run_id"`
}

func (refreshArgs) Kind() string { return kindRefresh }

func (refreshArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: refreshMaxAttempts}
}

// refreshWorker works a refresh run: one attempt of segment.Refresher over
// the run's segments, keeping the run's state and progress.
type refreshWorker struct {
	river.WorkerDefaults[refreshArgs]

	log      *slog.Logger
	db       *db.DB
	pool     *pgxpool.Pool
	timeZone string
	timeout  time.Duration
}

func (w *refreshWorker) Timeout(*river.Job[refreshArgs]) time.Duration { return w.timeout }

func (w *refreshWorker) Work(ctx context.Context, job *river.Job[refreshArgs]) error {
	now := time.Now()
	id := job.Args.RunID
	var ids []int64
	err := w.pool.QueryRow(ctx, `UPDATE refresh_runs SET state = 'RUNNING', segments_done = 0,
		started_at = COALESCE(started_at, now()) WHERE id = $1 AND state IN ('QUEUED', 'RUNNING')
		RETURNING segment_ids`, id).Scan(&ids)
	if errors.Is(err, pgx.ErrNoRows) {
		// Deleted, or finished already (by an earlier attempt that River
		// took for dead): nothing to do.
		w.log.WarnContext(ctx, "refresh run is missing or finished; skipping its job", "run", id, "job", job.ID)
		return nil
	}
	if err != nil {
		return w.fail(ctx, job, fmt.Errorf("start refresh run %d: %w", id, err))
	}
	runID := id
	err = w.refresh(ctx, ids, segment.RefreshOptions{
		Now:      now,
		TimeZone: w.timeZone,
		RunID:    &runID,
		Progress: func(done, _ int) {
			if _, err := w.pool.Exec(ctx, `UPDATE refresh_runs SET segments_done = $2
				WHERE id = $1 AND state = 'RUNNING'`, id, done); err != nil && ctx.Err() == nil {
				w.log.WarnContext(ctx, "record refresh progress", "run", id, "err", err)
			}
		},
	})
	if err == nil {
		// The run's success and the job's completion commit together.
		err = pgx.BeginFunc(ctx, w.pool, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, `UPDATE refresh_runs SET state = 'SUCCEEDED', error = NULL,
				segments_done = segments_total, finished_at = now() WHERE id = $1`, id); err != nil {
				return err
			}
			_, err := river.JobCompleteTx[*riverpgxv5.Driver](ctx, tx, job)
			return err
		})
		if err == nil {
			w.log.InfoContext(ctx, "refresh run succeeded", "run", id, "segments", len(ids), "took", time.Since(now).Round(time.Millisecond))
			return nil
		}
		err = fmt.Errorf("finish refresh run %d: %w", id, err)
	}
	return w.fail(ctx, job, err)
}

// fail records a failed attempt: QUEUED with the error while River will
// retry, FAILED after the last attempt. A worker interrupted by its client
// stopping hands the run back without using up an attempt.
func (w *refreshWorker) fail(ctx context.Context, job *river.Job[refreshArgs], err error) error {
	id := job.Args.RunID
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), writeTimeout)
	defer cancel()
	remote := errors.Is(context.Cause(ctx), river.ErrJobCancelledRemotely)
	if errors.Is(ctx.Err(), context.Canceled) && !remote {
		const msg = "interrupted: the worker stopped; the refresh resumes when a worker starts"
		if _, werr := w.pool.Exec(wctx, `UPDATE refresh_runs SET state = 'QUEUED', error = $2
			WHERE id = $1 AND state = 'RUNNING'`, id, msg); werr != nil {
			w.log.ErrorContext(wctx, "record interrupted refresh run", "run", id, "err", werr)
		}
		w.log.InfoContext(wctx, "refresh run interrupted; handing it back", "run", id)
		return river.JobSnooze(0)
	}
	msg := err.Error()
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		msg = fmt.Sprintf("refresh timed out after %s (%v)", w.timeout, err)
	}
	state := StateQueued
	if job.Attempt >= job.MaxAttempts || remote {
		state = StateFailed
	}
	if _, werr := w.pool.Exec(wctx, `UPDATE refresh_runs SET state = $2, error = $3,
		finished_at = CASE WHEN $2 = 'FAILED' THEN now() END
		WHERE id = $1 AND state IN ('QUEUED', 'RUNNING')`, id, state, msg); werr != nil {
		w.log.ErrorContext(wctx, "record failed refresh run", "run", id, "err", werr)
	}
	w.log.WarnContext(wctx, "refresh run attempt failed", "run", id, "attempt", job.Attempt, "of", job.MaxAttempts, "state", state, "err", msg)
	return errors.New(msg)
}

// refresh runs the refresher, turning a panic into an error so the run's
// state is recorded like any other failure.
func (w *refreshWorker) refresh(ctx context.Context, ids []int64, opts segment.RefreshOptions) (err error) {
	defer func() {
		if p := recover(); p != nil {
			w.log.ErrorContext(ctx, "refresh panicked", "run", *opts.RunID, "panic", p, "stack", string(debug.Stack()))
			err = fmt.Errorf("refresh panicked: %v", p)
		}
	}()
	_, err = segment.NewRefresher(w.db).Refresh(ctx, ids, opts)
	return err
}
