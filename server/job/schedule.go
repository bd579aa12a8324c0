package job

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/uptrace/bun"

	"github.com/segments/segments/server/actor"
	"github.com/segments/segments/server/db"
)

const kindSchedule = "refresh_schedule"

// scheduleLock is the advisory lock key that serialises decisions about the
// scheduled refresh.
const scheduleLock int64 = 0x5e6d_2e7a_0002

// scheduleArgs are the arguments of the periodic job that starts scheduled
// refreshes: the configured interval travels with the job, so whichever
// instance works it decides the same way.
type scheduleArgs struct {
	// Every is how often the leader enqueues this job.
	Every time.Duration `json:"every"`
	// Interval is how often every active segment is refreshed.
	Interval time.Duration `json:"interval"`
}

func (scheduleArgs) Kind() string { return kindSchedule }

// scheduleWorker enqueues a refresh of every active segment ("schedule")
// when the last refresh of all of them (scheduled or asked for) is
// Interval old, or there has been none. Checking the refresh_runs table,
// rather than trusting the periodic job's own timing, keeps the schedule
// across restarts and leader changes. It also reconciles unfinished runs
// whose jobs moved on without their workers.
type scheduleWorker struct {
	river.WorkerDefaults[scheduleArgs]

	log  *slog.Logger
	db   *db.DB
	pool *pgxpool.Pool
}

func (w *scheduleWorker) Timeout(*river.Job[scheduleArgs]) time.Duration { return time.Minute }

func (w *scheduleWorker) Work(ctx context.Context, job *river.Job[scheduleArgs]) error {
	if err := reconcileUnfinished(ctx, w.pool); err != nil {
		w.log.WarnContext(ctx, "reconcile refresh runs", "err", err)
	}
	interval := job.Args.Interval
	if interval <= 0 {
		return nil
	}
	// Due when the last full refresh is older than the interval, less half
	// a check period, so a refresh starts within half a period of its time
	// and the schedule does not drift.
	due := interval - job.Args.Every/2
	var runID int64
	err := w.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := db.Exec(ctx, tx, `SELECT pg_advisory_xact_lock($1)`, scheduleLock); err != nil {
			return err
		}
		var recent bool
		if err := db.Get(ctx, tx, `SELECT EXISTS (SELECT 1 FROM refresh_runs
			WHERE all_active AND created_at > now() - make_interval(secs => $1))`, []any{due.Seconds()}, &recent); err != nil {
			return err
		}
		if !recent {
			var err error
			if runID, err = EnqueueRefresh(ctx, tx, nil, actor.FromSchedule); err != nil {
				return err
			}
		}
		// River completes the job once Work returns. Should this
		// instance die before that, the job's retry finds the run just
		// committed (recent, under the same lock) and enqueues nothing.
		return nil
	})
	if err != nil {
		return fmt.Errorf("scheduled refresh: %w", err)
	}
	if runID != 0 {
		w.log.InfoContext(ctx, "scheduled refresh enqueued", "run", runID)
	}
	return nil
}
