package db

import (
	"context"
	"sync"

	"github.com/uptrace/bun"
	"golang.org/x/sync/semaphore"
)

// A share bounds how many connections the work of one context holds at
// once: a GraphQL request with many aliased fields resolves them
// concurrently, and without a bound one request could take the whole pool
// while every other client waits. A statement waits for a free slot of its
// request's share before it takes a connection from the pool, and gives the
// slot back when it is done; a transaction holds one slot from BEGIN to
// COMMIT or ROLLBACK, and its statements take no more.
//
// Every bun query (builder, NewRaw, transactions) is counted by a query
// hook, and [Select], [Get], [Rows] and [Exec] count their own statements.
// [Query] is for streams inside a transaction (exports, imports) and takes
// none of its own. Work whose context has no share (jobs, the command line) is not
// bounded here.
type share struct {
	sem *semaphore.Weighted
}

type shareKey struct{}

// heldKey marks the context of a transaction that holds a slot.
type heldKey struct{}

// WithShare returns ctx with a share of n connections (at least 1) for the
// statements run with it or a context derived from it.
func WithShare(ctx context.Context, n int) context.Context {
	return context.WithValue(ctx, shareKey{}, &share{sem: semaphore.NewWeighted(int64(max(n, 1)))})
}

// acquire waits for a slot of ctx's share, if it has one that this
// statement does not already hold, and returns the function that gives it
// back (safe to call more than once).
func acquire(ctx context.Context) (func(), error) {
	s, ok := ctx.Value(shareKey{}).(*share)
	if !ok || ctx.Value(heldKey{}) != nil {
		return func() {}, nil
	}
	if err := s.sem.Acquire(ctx, 1); err != nil {
		return nil, err
	}
	return sync.OnceFunc(func() { s.sem.Release(1) }), nil
}

// shareHook counts bun's statements against their context's share.
type shareHook struct{}

type releaseKey struct{}

var _ bun.QueryHook = shareHook{}

// BeforeQuery takes a slot; bun's hooks cannot fail, so a context ended
// while waiting goes on without one and its statement fails on that
// context. A BEGIN marks the context bun hands to the transaction's
// statements, and to its COMMIT or ROLLBACK, as holding the slot.
func (shareHook) BeforeQuery(ctx context.Context, e *bun.QueryEvent) context.Context {
	if ctx.Value(heldKey{}) != nil {
		if e.Query == "COMMIT" || e.Query == "ROLLBACK" {
			return ctx // its AfterQuery gives back the BEGIN's slot
		}
		return context.WithValue(ctx, releaseKey{}, func() {})
	}
	release, err := acquire(ctx)
	if err != nil {
		return ctx
	}
	ctx = context.WithValue(ctx, releaseKey{}, release)
	if e.Query == "BEGIN" {
		ctx = context.WithValue(ctx, heldKey{}, true)
	}
	return ctx
}

// AfterQuery gives the slot back after a statement, after a BEGIN that
// failed, and after the COMMIT or ROLLBACK that ends a transaction.
func (shareHook) AfterQuery(ctx context.Context, e *bun.QueryEvent) {
	release, ok := ctx.Value(releaseKey{}).(func())
	if !ok || (e.Query == "BEGIN" && e.Err == nil) {
		return
	}
	release()
}
