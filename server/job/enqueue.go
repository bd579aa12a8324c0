package job

import (
	"context"
	"database/sql"
	"fmt"
	"sync"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/uptrace/bun"
)

// RunArgs are the arguments of a run's River job: only the id of the run's
// row, so the row outlives River's cleanup of finished jobs.
type RunArgs interface {
	river.JobArgs
	// RunID is the id of the run's row.
	RunID() int64
}

// inserter is a River client without a pool or workers, on River's
// database/sql driver: it only inserts jobs, in a caller's bun transaction.
var inserter = sync.OnceValues(func() (*river.Client[*sql.Tx], error) {
	return river.NewClient(riverdatabasesql.New(nil), &river.Config{})
})

// Enqueue inserts the River job that works the run args names, in tx (the
// transaction that inserted the run's row into table), and records the job
// on the row. The job exists if and only if tx commits; any started Client
// with a worker for its kind takes it after that.
func Enqueue(ctx context.Context, tx bun.Tx, table string, args RunArgs) error {
	jobID, err := insertJob(ctx, tx, args)
	if err != nil {
		return err
	}
	_, err = tx.NewUpdate().Table(table).Set("job_id = ?", jobID).Where("id = ?", args.RunID()).Exec(ctx)
	if err != nil {
		return fmt.Errorf("enqueue %s %d: %w", args.Kind(), args.RunID(), err)
	}
	return nil
}

func insertJob(ctx context.Context, tx bun.Tx, args river.JobArgs) (int64, error) {
	ins, err := inserter()
	if err != nil {
		return 0, fmt.Errorf("enqueue %s: %w", args.Kind(), err)
	}
	res, err := ins.InsertTx(ctx, tx.Tx, args, nil)
	if err != nil {
		return 0, fmt.Errorf("enqueue %s: %w", args.Kind(), err)
	}
	return res.Job.ID, nil
}
