package job

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/logging"
)

// Kind is one kind of job a Client works: a kind of run (RunKind) or a
// periodic task (Periodic). Domain packages describe their jobs as Kinds
// and the command wiring hands them to NewClient.
type Kind struct {
	// table is the run rows' table; empty for a periodic task.
	table, what string
	// riverKind is the kind of its River jobs.
	riverKind string
	timeout   time.Duration
	newArgs   func(id int64) RunArgs
	register  func(*river.Workers, *runner) error
	periodic  *river.PeriodicJob
}

// Spec describes a kind of run: rows in Table (with the Status columns and
// an id), worked by Work, one River job of args A per run.
type Spec[A RunArgs] struct {
	// Table holds the runs, e.g. "exports".
	Table string
	// What names a run in messages people read: "refresh", "export".
	What string
	// Timeout bounds one attempt.
	Timeout time.Duration
	// Args returns the River job arguments of run id.
	Args func(id int64) A
	// Work does one attempt.
	Work Work
}

// RunKind is the Kind for runs described by s.
func RunKind[A RunArgs](s Spec[A]) Kind {
	var args A
	return Kind{
		table:     s.Table,
		what:      s.What,
		riverKind: args.Kind(),
		timeout:   s.Timeout,
		newArgs:   func(id int64) RunArgs { return s.Args(id) },
		register: func(w *river.Workers, r *runner) error {
			return river.AddWorkerSafely(w, &runWorker[A]{r: r, spec: s})
		},
	}
}

// runWorker works the River jobs of one kind of run.
type runWorker[A RunArgs] struct {
	river.WorkerDefaults[A]
	r    *runner
	spec Spec[A]
}

func (w *runWorker[A]) Timeout(*river.Job[A]) time.Duration { return w.spec.Timeout }

func (w *runWorker[A]) Work(ctx context.Context, j *river.Job[A]) error {
	jobID := j.ID
	ctx = started(ctx, w.r, j.JobRow)
	return w.r.run(ctx, attempt{
		table: w.spec.Table, what: w.spec.What, id: j.Args.RunID(), jobID: &jobID,
		number: j.Attempt, maxAttempts: j.MaxAttempts, timeout: w.spec.Timeout,
	}, w.spec.Work)
}

// started notes that a worker has started job j: how long the job waited
// since it became available, for the metrics; and the id of the request
// that queued it (see Enqueue), which every line the work logs with the
// returned context carries.
func started(ctx context.Context, r *runner, j *rivertype.JobRow) context.Context {
	if j.AttemptedAt != nil {
		r.metrics.ObserveJobWait(j.Kind, j.AttemptedAt.Sub(j.ScheduledAt))
	}
	var meta jobMetadata
	if len(j.Metadata) > 0 && json.Unmarshal(j.Metadata, &meta) == nil && logging.SaneRequestID(meta.RequestID) {
		ctx = logging.WithRequestID(ctx, meta.RequestID)
	}
	return ctx
}

// periodicTimeout bounds one round of a periodic task.
const periodicTimeout = time.Minute

// Periodic is the Kind of a task the elected leader among the Clients
// starts every interval (and when it becomes leader): once across any
// number of instances. args travel with each round's job; work gets them.
func Periodic[A river.JobArgs](every time.Duration, args A, work func(ctx context.Context, args A) error) Kind {
	return Kind{
		what:      args.Kind(),
		riverKind: args.Kind(),
		timeout:   periodicTimeout,
		register: func(w *river.Workers, r *runner) error {
			return river.AddWorkerSafely(w, river.WorkFunc(func(ctx context.Context, j *river.Job[A]) error {
				return work(started(ctx, r, j.JobRow), j.Args)
			}))
		},
		periodic: river.NewPeriodicJob(river.PeriodicInterval(every),
			func() (river.JobArgs, *river.InsertOpts) {
				// Uniqueness by period keeps a change of leader from starting
				// two rounds in one period.
				return args, &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: every}}
			},
			&river.PeriodicJobOpts{ID: args.Kind(), RunOnStart: true}),
	}
}

// Local is a run the calling process works itself, outside the queue:
// `segments export -o FILE` writes its file here, not on whichever instance
// would take a job. Its row has no River job; it is claimed, beaten and
// finished like any other, and FAILED (there is nobody to resume it) when
// the process stops.
type Local struct {
	// Table and ID name the run's row, created QUEUED without a job.
	Table string
	ID    int64
	// What names the run in messages: "export".
	What string
	// Timeout bounds the attempt; zero for none.
	Timeout time.Duration
	// Work does the attempt, as a Spec's does.
	Work Work
}

// RunHere works l in this process and returns the attempt's error.
func RunHere(ctx context.Context, d *db.DB, cfg Config, l Local) error {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return err
	}
	r := &runner{db: d, log: cfg.Logger, heartbeat: cfg.Heartbeat, heartbeatTimeout: cfg.HeartbeatTimeout}
	if l.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, l.Timeout)
		defer cancel()
	}
	err = r.run(ctx, attempt{table: l.Table, what: l.What, id: l.ID, number: 1, maxAttempts: 1, timeout: l.Timeout}, l.Work)
	if err != nil {
		return err
	}
	var st Status
	if err := d.NewSelect().Table(l.Table).Column("state", "error").Where("id = ?", l.ID).Scan(ctx, &st.State, &st.Error); err != nil {
		return err
	}
	if st.State != Succeeded {
		msg := "it did not finish"
		if st.Error != nil {
			msg = *st.Error
		}
		return errors.New(msg)
	}
	return nil
}
