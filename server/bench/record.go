package main

import (
	"context"
	"sync"

	"github.com/jackc/pgx/v5"

	"github.com/segments/segments/server/db"
)

// recorder is a pgx tracer that keeps the statements run under a context
// from record, so the floor of a request is exactly the SQL it ran, however
// the server builds it (pgx or database/sql under bun).
type recorder struct {
	mu    sync.Mutex
	stmts map[*recording][]db.Stmt
}

type recording struct{}

type recordingKey struct{}

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
func (r *recorder) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}
