package main

import (
	"context"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/segments/segments/server/db"
)

// recorder is a pgx tracer that keeps the statements run under a context
// from record, so the floor of a request is exactly the SQL it ran, however
// the server builds it (pgx or database/sql under bun).
type recorder struct {
	mu    sync.Mutex
	stmts map[*recording][]db.Stmt
	timed map[*timedRun][]timedStmt
}

type recording struct{}

type recordingKey struct{}

// timedRun collects the statements, timed, run under a context from time.
type timedRun struct{}

type timingKey struct{}

// timedStmt is one statement a timing kept: its text, the backend it ran
// on, when it started and how long it took.
type timedStmt struct {
	sql   string
	pid   uint32
	start time.Time
	took  time.Duration
}

type timedStartKey struct{}

// time returns a context whose statements are timed, on whichever session
// they run (a second session of the refresh takes its context from it),
// and a function that returns them in the order they ended.
func (r *recorder) time(ctx context.Context) (context.Context, func() []timedStmt) {
	t := &timedRun{}
	r.mu.Lock()
	if r.timed == nil {
		r.timed = map[*timedRun][]timedStmt{}
	}
	r.timed[t] = nil
	r.mu.Unlock()
	return context.WithValue(ctx, timingKey{}, t), func() []timedStmt {
		r.mu.Lock()
		defer r.mu.Unlock()
		out := r.timed[t]
		delete(r.timed, t)
		return out
	}
}

// record returns a context whose statements are kept, and a function that
// returns them, in the order they started.
func (r *recorder) record(ctx context.Context) (context.Context, func() []db.Stmt) {
	rec := &recording{}
	r.mu.Lock()
	if r.stmts == nil {
		r.stmts = map[*recording][]db.Stmt{}
	}
	r.stmts[rec] = nil
	r.mu.Unlock()
	return context.WithValue(ctx, recordingKey{}, rec), func() []db.Stmt {
		r.mu.Lock()
		defer r.mu.Unlock()
		out := r.stmts[rec]
		delete(r.stmts, rec)
		return out
	}
}

// TraceQueryStart implements pgx.QueryTracer.
func (r *recorder) TraceQueryStart(ctx context.Context, _ *pgx.Conn, data pgx.TraceQueryStartData) context.Context {
	if _, ok := ctx.Value(timingKey{}).(*timedRun); ok {
		ctx = context.WithValue(ctx, timedStartKey{}, timedStmt{sql: data.SQL, start: time.Now()})
	}
	if rec, ok := ctx.Value(recordingKey{}).(*recording); ok {
		r.mu.Lock()
		if _, live := r.stmts[rec]; live {
			r.stmts[rec] = append(r.stmts[rec], db.Stmt{SQL: data.SQL, Args: values(data.Args)})
		}
		r.mu.Unlock()
	}
	return ctx
}

// values drops the options pgx takes among a query's leading arguments
// (database/sql passes result formats that way), keeping the parameters.
func values(args []any) []any {
	i := 0
loop:
	for ; i < len(args); i++ {
		switch args[i].(type) {
		case pgx.QueryExecMode, pgx.QueryResultFormats, pgx.QueryResultFormatsByOID, pgx.QueryRewriter:
		default:
			break loop
		}
	}
	return append([]any(nil), args[i:]...)
}

// TraceQueryEnd implements pgx.QueryTracer.
func (r *recorder) TraceQueryEnd(ctx context.Context, conn *pgx.Conn, _ pgx.TraceQueryEndData) {
	t, ok := ctx.Value(timingKey{}).(*timedRun)
	st, started := ctx.Value(timedStartKey{}).(timedStmt)
	if !ok || !started {
		return
	}
	st.pid, st.took = conn.PgConn().PID(), time.Since(st.start)
	r.mu.Lock()
	if _, live := r.timed[t]; live {
		r.timed[t] = append(r.timed[t], st)
	}
	r.mu.Unlock()
}
