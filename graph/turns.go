package graph

import (
	"context"
	"net/http"
	"runtime"
	"time"

	"golang.org/x/sync/semaphore"
)

// Turns: at most RequestConcurrency GraphQL requests run at once, and the
// others wait their turn in arrival order. Without it, under more requests
// than the CPUs can serve, every request shares the CPUs with every other
// (and gqlgen's goroutine per list element with all of theirs), so all of
// them finish late together: at 32 concurrent clients on 2 cores, a
// drill-down page's p99 was 360 ms against a p50 of 74 ms. Served in turn,
// p99 came down to about 110–130 ms at the same throughput.
//
// A turn is held for the whole request, database waits included, so a few
// slow requests (a first totalCount of a large union, an export waiting
// EXPORT_WAIT for its file) could hold every turn. A request therefore
// waits at most turnWait for one and then runs anyway: turns order the
// ordinary load; they never stop the server answering.
const turnWait = 250 * time.Millisecond

// DefaultRequestConcurrency is two requests per CPU, and at least four: a
// drill-down page spends about a quarter of its time waiting for
// PostgreSQL, so two per CPU keep the CPUs busy (four and eight per 2
// CPUs gave the same throughput; the fewer, the lower the p99).
func DefaultRequestConcurrency() int { return max(4, 2*runtime.GOMAXPROCS(0)) }

// inTurn serves next's requests n at a time (n < 1: all at once), each
// waiting at most wait for its turn.
func inTurn(n int, wait time.Duration, next http.Handler) http.Handler {
	if n < 1 {
		return next
	}
	turns := semaphore.NewWeighted(int64(n)) // waiters are served in order
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), wait)
		err := turns.Acquire(ctx, 1)
		cancel()
		if err == nil {
			defer turns.Release(1)
		}
		next.ServeHTTP(w, r)
	})
}
