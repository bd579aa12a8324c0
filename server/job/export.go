package job

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"

	"github.com/segments/segments/server/export"
)

const kindExport = "export"

// ExportTimeout bounds an export: long enough for millions of rows, below
// DefaultRescueStuckJobsAfter.
const ExportTimeout = 2 * time.Hour

// exportArgs are an export job's arguments: only the export's id, so the
// export row outlives River's cleanup of the job.
type exportArgs struct {
	ExportID int64 `json:"export_id"`
}

func (exportArgs) Kind() string { return kindExport }

// An export is not retried: a failure is reported on the export (FAILED,
// with the reason) and the user exports again.
func (exportArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 1} }

// exportWorker writes an export's file.
type exportWorker struct {
	river.WorkerDefaults[exportArgs]
	exports *export.Service
}

func (w *exportWorker) Timeout(*river.Job[exportArgs]) time.Duration { return ExportTimeout }

func (w *exportWorker) Work(ctx context.Context, job *river.Job[exportArgs]) error {
	return w.exports.Run(ctx, job.Args.ExportID)
}

const kindExportCleanup = "export_cleanup"

// exportCleanupArgs start the periodic removal of export files past their
// retention (on the leader, so once across instances).
type exportCleanupArgs struct{}

func (exportCleanupArgs) Kind() string { return kindExportCleanup }

type exportCleanupWorker struct {
	river.WorkerDefaults[exportCleanupArgs]
	exports *export.Service
}

func (w *exportCleanupWorker) Work(ctx context.Context, _ *river.Job[exportCleanupArgs]) error {
	_, err := w.exports.DeleteExpired(ctx)
	return err
}

// EnqueueExport creates export req and its job in tx, the caller's
// transaction; any started Client with an export service works it.
func EnqueueExport(ctx context.Context, tx pgx.Tx, s *export.Service, req export.Request, requestedBy string) (int64, error) {
	id, err := s.Create(ctx, tx, req, requestedBy)
	if err != nil {
		return 0, err
	}
	ins, err := inserter()
	if err != nil {
		return 0, fmt.Errorf("enqueue export: %w", err)
	}
	if _, err := ins.InsertTx(ctx, tx, exportArgs{ExportID: id}, nil); err != nil {
		return 0, fmt.Errorf("enqueue export: %w", err)
	}
	return id, nil
}

// StartExport creates export req and its job in a transaction of its own.
func StartExport(ctx context.Context, pool *pgxpool.Pool, s *export.Service, req export.Request, requestedBy string) (id int64, err error) {
	err = pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		id, err = EnqueueExport(ctx, tx, s, req, requestedBy)
		return err
	})
	return id, err
}
