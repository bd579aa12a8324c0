package job

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/uptrace/bun"

	"github.com/segments/segments/server/logging"
	"github.com/segments/segments/server/trace"
)

// RunArgs are the arguments of a run's River job: only the id of the run's
// row, so the row outlives River's cleanup of finished jobs.
type RunArgs interface {
	river.JobArgs
	// RunID is the id of the run's row.
	RunID() int64
}

// jobMetadata is what this package keeps in a River job's metadata.
type jobMetadata struct {
	// RequestID is the id of the request that queued the job.
	RequestID string `json:"request_id,omitempty"`
	// Traceparent and Tracestate are the trace context of the request
	// that queued the job, when traces are on: the job's span links to it
	// (package trace, otelriver reads these keys).
	Traceparent string `json:"traceparent,omitempty"`
	Tracestate  string `json:"tracestate,omitempty"`
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
	var opts *river.InsertOpts
	// The request's id goes with its job, for the worker's log lines, and
	// so does its trace context, for the job's span.
	m := jobMetadata{RequestID: logging.RequestID(ctx)}
	tc := map[string]string{}
	trace.Inject(ctx, tc)
	m.Traceparent, m.Tracestate = tc["traceparent"], tc["tracestate"]
	if m != (jobMetadata{}) {
		meta, err := json.Marshal(m)
		if err != nil {
			return 0, fmt.Errorf("enqueue %s: %w", args.Kind(), err)
		}
		opts = &river.InsertOpts{Metadata: meta}
	}
	res, err := ins.InsertTx(ctx, tx.Tx, args, opts)
	if err != nil {
		return 0, fmt.Errorf("enqueue %s: %w", args.Kind(), err)
	}
	return res.Job.ID, nil
}
