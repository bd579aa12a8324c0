package job

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"github.com/segments/segments/server/actor"
	"github.com/segments/segments/server/db"
)

// Who asked for a run, as recorded in Run.RequestedBy.
const (
	RequestedByAPI      = "api"
	RequestedByCLI      = "cli"
	RequestedBySchedule = "schedule"
)

// inserter is a River client without a pool or workers: it can only insert
// jobs, and only in a caller's transaction, which is all EnqueueExport
// needs; sqlInserter is the same over database/sql, for a bun transaction.
var (
	inserter = sync.OnceValues(func() (*river.Client[pgx.Tx], error) {
		return river.NewClient(riverpgxv5.New(nil), &river.Config{})
	})
	sqlInserter = sync.OnceValues(func() (*river.Client[*sql.Tx], error) {
		return river.NewClient(riverdatabasesql.New(nil), &river.Config{})
	})
)

// EnqueueRefresh creates a refresh run and its River job in tx, the
// caller's transaction, so the job exists if and only if the caller's change
// commits; it is worked once tx commits, by any started Client on the
// database. With ids nil the run covers every active segment, resolved now;
// otherwise exactly the given segments (inactive ones included; duplicates
// are dropped; the caller has checked that they exist). A run with no
// segments (no active segment exists) succeeds at once, 0 of 0, without a
// job. by says who asked.
func EnqueueRefresh(ctx context.Context, tx bun.Tx, ids []int64, by actor.Actor) (runID int64, err error) {
	if !by.Valid() {
		return 0, errors.New("enqueue refresh: who asked is not set")
	}
	requestedBy := by.String()
	all := ids == nil
	if all {
		if err := db.Get(ctx, tx, `SELECT COALESCE(array_agg(id ORDER BY id), '{}') FROM segments WHERE is_active`, nil, pgdialect.Array(&ids)); err != nil {
			return 0, fmt.Errorf("enqueue refresh: list active segments: %w", err)
		}
	} else {
		if len(ids) == 0 {
			return 0, errors.New("enqueue refresh: an empty list of segments (nil means every active segment)")
		}
		ids = slices.Clone(ids)
		slices.Sort(ids)
		ids = slices.Compact(ids)
	}
	if len(ids) == 0 {
		err := db.Get(ctx, tx, `INSERT INTO refresh_runs
			(state, segment_ids, segments_total, all_active, requested_by, started_at, finished_at)
			VALUES ('SUCCEEDED', '{}', 0, $1, $2, now(), now()) RETURNING id`, []any{all, requestedBy}, &runID)
		if err != nil {
			return 0, fmt.Errorf("enqueue refresh: %w", err)
		}
		return runID, nil
	}
	if err := db.Get(ctx, tx, `INSERT INTO refresh_runs (segment_ids, segments_total, all_active, requested_by)
		VALUES ($1, $2, $3, $4) RETURNING id`, []any{ids, len(ids), all, requestedBy}, &runID); err != nil {
		return 0, fmt.Errorf("enqueue refresh: %w", err)
	}
	ins, err := sqlInserter()
	if err != nil {
		return 0, fmt.Errorf("enqueue refresh: %w", err)
	}
	res, err := ins.InsertTx(ctx, tx.Tx, refreshArgs{RunID: runID}, nil)
	if err != nil {
		return 0, fmt.Errorf("enqueue refresh: %w", err)
	}
	if _, err := db.Exec(ctx, tx, `UPDATE refresh_runs SET job_id = $2 WHERE id = $1`, runID, res.Job.ID); err != nil {
		return 0, fmt.Errorf("enqueue refresh: %w", err)
	}
	return runID, nil
}
