package job

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/segments/segments/server/actor"
	"github.com/segments/segments/server/db"
)

// scheduleCheckEvery is how often, at most, the leader checks whether a
// scheduled refresh is due.
const scheduleCheckEvery = 5 * time.Minute

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

func (scheduleArgs) Kind() string { return "refresh_schedule" }

// FullRefreshEvery is how often the schedule runs a full refresh: when no
// full refresh of all active segments was asked for in this long (and did
// not fail), it queues one, even if an incremental run of all was recent.
// Between them, incremental runs follow what the change log saw; the
// weekly full run is the safety net for writes it cannot see (a restore, a
// bulk load with triggers off). A full run that failed — one segment
// timing out fails the run — does not count, so the next round tries again.
const FullRefreshEvery = 7 * 24 * time.Hour

// scheduleKind enqueues a refresh of every active segment ("schedule") when
// the last refresh of all of them (scheduled or asked for, full or not) is
// Interval old, or there has been none. It is incremental — customers
// crossing a rule's time thresholds since are among what an incremental
// refresh re-evaluates, so the daily run need not re-evaluate everyone —
// unless FullRefreshEvery has passed without a full one; that full run is
// queued even when the last refresh of all is recent. Checking the
// refresh_runs table, rather than trusting the periodic job's own timing,
// keeps the schedule across restarts and leader changes; the check and the
// enqueue commit together, so a retried round does not enqueue twice.
func scheduleKind(d *db.DB, cfg Config) Kind {
	every := min(cfg.RefreshInterval, scheduleCheckEvery)
	return Periodic(every, scheduleArgs{Every: every, Interval: cfg.RefreshInterval}, func(ctx context.Context, args scheduleArgs) error {
		if args.Interval <= 0 {
			return nil
		}
		// Due when the last refresh of all is older than the interval, less
		// half a check period, so a refresh starts within half a period of
		// its time and the schedule does not drift.
		due := args.Interval - args.Every/2
		var runID int64
		err := d.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			if _, err := db.Exec(ctx, tx, `SELECT pg_advisory_xact_lock($1)`, scheduleLock); err != nil {
				return err
			}
			recent, err := tx.NewSelect().Model((*Run)(nil)).Where("all_active").
				Where("created_at > now() - make_interval(secs => ?)", due.Seconds()).Exists(ctx)
			if err != nil {
				return err
			}
			// The weekly full run is due whatever else ran: with imports
			// queueing incremental runs every day, the last refresh of all
			// is always recent.
			fullRecently, err := tx.NewSelect().Model((*Run)(nil)).Where("all_active AND full_refresh").
				Where("state <> ?", Failed).
				Where("created_at > now() - make_interval(secs => ?)", FullRefreshEvery.Seconds()).Exists(ctx)
			if err != nil || recent && fullRecently {
				return err
			}
			runID, err = RequestRefresh(ctx, tx, RefreshRequest{By: actor.FromSchedule, Full: !fullRecently})
			return err
		})
		if err != nil {
			return fmt.Errorf("scheduled refresh: %w", err)
		}
		if runID != 0 {
			cfg.Logger.InfoContext(ctx, "scheduled refresh enqueued", "run", runID)
		}
		return nil
	})
}
