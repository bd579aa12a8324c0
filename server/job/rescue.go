package job

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/segments/segments/server/db"
)

// watch looks after the runs of every kind until ctx ends, every heartbeat:
// it takes up runs whose worker died and fails runs whose River job is gone.
// Every Client does it, so a run is taken up whichever instances survive.
func (c *Client) watch(ctx context.Context) {
	t := time.NewTicker(c.runner.heartbeat)
	defer t.Stop()
	for {
		for _, k := range c.kinds {
			if k.table == "" {
				continue
			}
			if _, err := c.runner.rescue(ctx, k); err != nil && ctx.Err() == nil {
				c.runner.log.WarnContext(ctx, "take up abandoned runs", "table", k.table, "err", err)
			}
			if err := c.runner.reconcile(ctx, k); err != nil && ctx.Err() == nil {
				c.runner.log.WarnContext(ctx, "follow the runs' jobs", "table", k.table, "err", err)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// maxTakeovers is how many times a run's worker may die before the run is
// given up, so a run that kills its workers (out of memory, say) does not
// go round for ever.
const maxTakeovers = 3

// rescue takes up the runs of kind k whose heartbeat is older than the
// heartbeat timeout: their worker died (kill -9, a lost machine). Each gets
// a new River job, and the run's row names it, so the old job, should River
// ever retry it, finds the run no longer its own and does nothing. A run the
// command line was working itself is FAILED: nobody else can finish it; so
// is a run whose worker died for the maxTakeovers-th time.
func (r *runner) rescue(ctx context.Context, k Kind) (int, error) {
	var taken []struct {
		ID        int64  `bun:"id"`
		JobID     *int64 `bun:"job_id"`
		Takeovers int    `bun:"takeovers"`
	}
	err := r.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		err := tx.NewSelect().Table(k.table).Column("id", "job_id", "takeovers").
			Where("state = ?", Running).
			Where("COALESCE(heartbeat_at, started_at, created_at) < now() - make_interval(secs => ?)", r.heartbeatTimeout.Seconds()).
			Order("id").Limit(100).For("UPDATE SKIP LOCKED").
			Scan(ctx, &taken)
		if err != nil {
			return err
		}
		for _, t := range taken {
			q := tx.NewUpdate().Table(k.table).Set("heartbeat_at = NULL").Where("id = ?", t.ID)
			switch {
			case t.JobID == nil:
				q = q.Set("state = ?", Failed).Set("finished_at = now()").
					Set("error = ?", fmt.Sprintf("The %s stopped: the command running it ended unexpectedly.", k.what))
			case t.Takeovers+1 >= maxTakeovers:
				q = q.Set("state = ?", Failed).Set("finished_at = now()").
					Set("error = ?", fmt.Sprintf("The %s was given up: the server running it stopped unexpectedly %d times.", k.what, maxTakeovers))
			default:
				jobID, err := insertJob(ctx, tx, k.newArgs(t.ID))
				if err != nil {
					return err
				}
				q = q.Set("state = ?", Queued).Set("job_id = ?", jobID).Set("takeovers = takeovers + 1").
					Set("error = ?", fmt.Sprintf("The server running this %s stopped unexpectedly; another one takes it up.", k.what))
			}
			if _, err := q.Exec(ctx); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	for _, t := range taken {
		r.log.WarnContext(ctx, "took up a run whose worker stopped", "table", k.table, "run", t.ID, "old_job", t.JobID)
	}
	return len(taken), nil
}

// reconcile fails the unfinished runs of kind k whose River job ended
// without its worker recording why: discarded or cancelled by River, or
// deleted.
func (r *runner) reconcile(ctx context.Context, k Kind) error {
	var lost []struct {
		ID    int64   `bun:"id"`
		JobID int64   `bun:"job_id"`
		State *string `bun:"job_state"`
	}
	// River's table is read by hand: it has no bun model of ours.
	err := db.Select(ctx, r.db, &lost, `SELECT r.id, r.job_id, j.state::text AS job_state
		FROM `+k.table+` r LEFT JOIN river_job j ON j.id = r.job_id
		WHERE r.state IN ('QUEUED', 'RUNNING') AND r.job_id IS NOT NULL
		  AND (j.id IS NULL OR j.state IN ('discarded', 'cancelled'))`)
	if err != nil {
		return err
	}
	for _, l := range lost {
		msg := fmt.Sprintf("The %s's job left the queue without a result.", k.what)
		if l.State != nil && *l.State == "cancelled" {
			msg = fmt.Sprintf("The %s was cancelled.", k.what)
		} else if l.State != nil {
			msg = fmt.Sprintf("The %s gave up after its last attempt failed.", k.what)
		}
		_, err := r.db.NewUpdate().Table(k.table).
			Set("state = ?", Failed).Set("finished_at = now()").Set("heartbeat_at = NULL").
			Set("error = COALESCE(error, ?)", msg).
			Where("id = ?", l.ID).Where("job_id = ?", l.JobID).Where("state IN (?, ?)", Queued, Running).
			Exec(ctx)
		if err != nil {
			return err
		}
		r.log.WarnContext(ctx, "run's job ended without it", "table", k.table, "run", l.ID, "job", l.JobID, "job_state", l.State)
	}
	return nil
}
