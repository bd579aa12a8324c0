package job

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/riverqueue/river"
	"github.com/uptrace/bun"

	"github.com/segments/segments/server/apperr"
	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/metric"
)

// Work does one attempt of run id, the row the worker has just claimed. On
// success it may return a Finish, which records the run's results in the
// transaction that marks it SUCCEEDED. It must stop soon after ctx ends.
type Work func(ctx context.Context, id int64) (Finish, error)

// Finish records a run's results in tx, the transaction that marks it
// SUCCEEDED.
type Finish func(ctx context.Context, tx bun.Tx) error

// errLeaseLost is the cause of a worker's context when its run's heartbeat
// could not be kept: another worker may have the run by now.
var errLeaseLost = errors.New("the run's heartbeat lapsed")

// writeTimeout bounds the bookkeeping a worker does after its context has
// ended (a timeout, a shutdown).
const writeTimeout = 10 * time.Second

// runner runs attempts of runs: it claims the run's row, keeps its
// heartbeat while the work runs, and records how the attempt ended.
type runner struct {
	db  *db.DB
	log *slog.Logger
	// metrics counts every attempt that ends; nil counts nothing.
	metrics *metric.Metrics
	// heartbeat is how often a worker writes its run's heartbeat_at;
	// heartbeatTimeout is how old a heartbeat may get before the run is
	// taken for abandoned.
	heartbeat, heartbeatTimeout time.Duration
}

// attempt is one attempt at a run.
type attempt struct {
	table string
	// what names the kind of run in messages: "refresh", "export".
	what string
	id   int64
	// jobID is the River job working the attempt; nil when the command
	// line works the run itself.
	jobID               *int64
	number, maxAttempts int
	timeout             time.Duration
}

// run works one attempt of a run and returns what River should make of it:
// nil (done, or nothing to do), a snooze (handed back at shutdown) or the
// attempt's error (retried while attempts remain).
func (r *runner) run(ctx context.Context, a attempt, work Work) error {
	claimed, err := r.claim(ctx, a)
	if err != nil {
		return fmt.Errorf("claim %s %d: %w", a.what, a.id, err)
	}
	if !claimed {
		// Finished, deleted, or taken over by another job after this one's
		// worker was taken for dead: nothing to do.
		r.log.InfoContext(ctx, "run is finished or belongs to another job; skipping", "table", a.table, "run", a.id, "job", a.jobID)
		return nil
	}
	start := time.Now()
	t := &tally{}
	wctx, cancel := context.WithCancelCause(context.WithValue(ctx, tallyKey{}, t))
	defer cancel(nil)
	stop := r.keepBeating(wctx, a, cancel)
	finish, err := safely(wctx, a, work)
	stop()
	if err == nil {
		err = r.succeed(wctx, a, finish)
	}
	if err == nil {
		r.metrics.ObserveAttempt(metric.Attempt{Kind: a.what, State: "succeeded", Took: time.Since(start), Rows: t.rows.Load(), Bytes: t.bytes.Load()})
		return nil
	}
	state, next := r.fail(ctx, wctx, a, err)
	r.metrics.ObserveAttempt(metric.Attempt{Kind: a.what, State: state, Took: time.Since(start)})
	return next
}

// tally is what an attempt wrote, as its work reports it with Count.
type tally struct{ rows, bytes atomic.Int64 }

type tallyKey struct{}

// Count records that the attempt working in ctx wrote rows rows and bytes
// bytes (an export's customers and file; a refresh's membership rows
// added and removed), for the metrics of the attempt once it succeeds.
// Outside an attempt it does nothing.
func Count(ctx context.Context, rows, bytes int64) {
	if t, ok := ctx.Value(tallyKey{}).(*tally); ok {
		t.rows.Add(rows)
		t.bytes.Add(bytes)
	}
}

// safely runs work, turning a panic into an error so the attempt is
// recorded like any other failure.
func safely(ctx context.Context, a attempt, work Work) (f Finish, err error) {
	defer func() {
		if p := recover(); p != nil {
			slog.ErrorContext(ctx, "run panicked", "table", a.table, "run", a.id, "panic", p, "stack", string(debug.Stack()))
			err = fmt.Errorf("the %s stopped on an internal error", a.what)
		}
	}()
	return work(ctx, a.id)
}

// fenced restricts q to the attempt's run while this attempt holds it.
func fenced(q *bun.UpdateQuery, a attempt) *bun.UpdateQuery {
	return q.Where("id = ?", a.id).Where("job_id IS NOT DISTINCT FROM ?", a.jobID).Where("state = ?", Running)
}

// claim marks the run RUNNING for this attempt, if it is still waiting for
// it (or running under this same job, after River retried it).
func (r *runner) claim(ctx context.Context, a attempt) (bool, error) {
	res, err := r.db.NewUpdate().Table(a.table).
		Set("state = ?", Running).
		Set("started_at = COALESCE(started_at, now())").
		Set("heartbeat_at = now()").
		Where("id = ?", a.id).
		Where("job_id IS NOT DISTINCT FROM ?", a.jobID).
		Where("state IN (?, ?)", Queued, Running).
		Exec(ctx)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// keepBeating writes the run's heartbeat every r.heartbeat until stop is
// called. When the run is no longer this attempt's, or the heartbeat could
// not be written for most of the timeout (so another instance may soon take
// the run), it cancels the work with errLeaseLost: a run is never worked
// twice at once.
func (r *runner) keepBeating(ctx context.Context, a attempt, cancel context.CancelCauseFunc) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(r.heartbeat)
		defer t.Stop()
		last := time.Now()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-t.C:
			}
			res, err := fenced(r.db.NewUpdate().Table(a.table).Set("heartbeat_at = now()"), a).Exec(ctx)
			var n int64
			if err == nil {
				n, err = res.RowsAffected()
			}
			switch {
			case err == nil && n == 0:
				r.log.WarnContext(ctx, "run no longer belongs to this worker; stopping it", "table", a.table, "run", a.id)
				cancel(errLeaseLost)
				return
			case err == nil:
				last = time.Now()
			case ctx.Err() != nil:
				return
			case time.Since(last) > r.heartbeatTimeout-2*r.heartbeat:
				r.log.ErrorContext(ctx, "cannot write the run's heartbeat; stopping it", "table", a.table, "run", a.id, "err", err)
				cancel(errLeaseLost)
				return
			default:
				r.log.WarnContext(ctx, "write the run's heartbeat", "table", a.table, "run", a.id, "err", err)
			}
		}
	})
	return func() {
		close(done)
		wg.Wait()
	}
}

// succeed marks the run SUCCEEDED with its results, if this attempt still
// holds it. The work is done: a shutdown arriving now does not undo it.
func (r *runner) succeed(ctx context.Context, a attempt, finish Finish) error {
	if cause := context.Cause(ctx); errors.Is(cause, errLeaseLost) {
		return cause
	}
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), writeTimeout)
	defer cancel()
	return r.db.RunInTx(wctx, nil, func(ctx context.Context, tx bun.Tx) error {
		res, err := fenced(tx.NewUpdate().Table(a.table).
			Set("state = ?", Succeeded).
			Set("error = NULL").
			Set("heartbeat_at = NULL").
			Set("finished_at = now()"), a).Exec(ctx)
		if err != nil {
			return fmt.Errorf("finish %s %d: %w", a.what, a.id, err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return errLeaseLost
		}
		if finish == nil {
			return nil
		}
		return finish(ctx, tx)
	})
}

// fail records how an attempt ended without success and returns what River
// should make of it: a retry while attempts remain, a snooze at shutdown,
// and no retry for a cancellation or a coded error (apperr), which another
// attempt would meet again. It also returns what the attempt left the run
// in, for the metrics: failed, queued, or lost (another worker has it).
func (r *runner) fail(ctx, wctx context.Context, a attempt, err error) (string, error) {
	cause := context.Cause(wctx)
	if errors.Is(err, errLeaseLost) || errors.Is(cause, errLeaseLost) {
		// Another worker has the run, or will: leave it alone.
		r.log.WarnContext(ctx, "run taken from this worker", "table", a.table, "run", a.id)
		return "lost", nil
	}
	state, msg := Failed, ""
	var next error = err
	// final: no further attempt, whatever attempts remain.
	final := errors.Is(cause, river.ErrJobCancelledRemotely)
	switch {
	case final:
		msg = fmt.Sprintf("The %s was cancelled.", a.what)
	case errors.Is(ctx.Err(), context.Canceled) && a.jobID == nil:
		msg = fmt.Sprintf("The %s stopped: the command running it was interrupted.", a.what)
	case errors.Is(ctx.Err(), context.Canceled):
		// The client is stopping (a shutdown): hand the run back, without
		// using up an attempt, for the next worker to resume.
		state, msg = Queued, fmt.Sprintf("The %s was interrupted by a server shutting down; it resumes on the next worker.", a.what)
		next = river.JobSnooze(0)
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		msg = fmt.Sprintf("The %s did not finish within its time limit of %s.", a.what, a.timeout)
	default:
		msg = Message(a.what, err)
		if _, coded := apperr.As(err); coded && a.jobID != nil {
			// The request itself is wrong now (a segment deleted since it
			// was asked for, say): another attempt would fail the same way.
			final, next = true, river.JobCancel(err)
		}
	}
	if state == Failed && !final && a.number < a.maxAttempts {
		state = Queued
	}
	wctx2, cancel := context.WithTimeout(context.WithoutCancel(ctx), writeTimeout)
	defer cancel()
	q := fenced(r.db.NewUpdate().Table(a.table).
		Set("state = ?", state).
		Set("error = ?", msg).
		Set("heartbeat_at = NULL"), a)
	if state == Failed {
		q = q.Set("finished_at = now()")
	}
	if _, werr := q.Exec(wctx2); werr != nil {
		r.log.ErrorContext(wctx2, "record the end of an attempt", "table", a.table, "run", a.id, "err", werr)
	}
	r.log.WarnContext(wctx2, "attempt ended", "table", a.table, "run", a.id, "attempt", a.number, "of", a.maxAttempts, "state", state, "message", msg, "err", err)
	return strings.ToLower(string(state)), next
}

// Message is what the person who asked sees of err, an attempt's failure:
// a coded error's own message, never the text of an internal cancellation
// ("count customers: context canceled").
func Message(what string, err error) string {
	if e, ok := apperr.As(err); ok {
		return e.Message
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Sprintf("The %s was interrupted.", what)
	}
	return err.Error()
}
