package audit

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/segments/segments/server/db"
)

// DefaultRetention is how long events are kept unless AUDIT_RETENTION says
// otherwise: 400 days, a year and its audit season.
const DefaultRetention = 400 * 24 * time.Hour

// SweepEvery is how often the retention sweep runs (on the elected leader,
// as a periodic job: see SweepArgs).
const SweepEvery = time.Hour

// sweepBatch bounds the rows one DELETE removes, so a first sweep over years
// of events holds its locks briefly and a round cut short by its timeout
// leaves the rest to the next.
const sweepBatch = 10_000

// SweepArgs start a round of the retention sweep: the periodic job's
// arguments, carrying the retention so whichever instance works the round
// decides the same way. The command wiring schedules it with job.Periodic
// (this package cannot import job: job → segment → audit).
type SweepArgs struct {
	// Retention is how long events are kept.
	Retention time.Duration `json:"retention"`
}

// Kind names the periodic job.
func (SweepArgs) Kind() string { return "audit_cleanup" }

// Sweep deletes the events older than retention, the only deletion the log
// allows, and returns how many it deleted.
func Sweep(ctx context.Context, idb bun.IDB, retention time.Duration) (int64, error) {
	if retention <= 0 {
		return 0, fmt.Errorf("audit sweep: retention %s is not positive", retention)
	}
	var total int64
	for {
		n, err := db.Exec(ctx, idb, `DELETE FROM audit_events WHERE id IN (
			SELECT id FROM audit_events WHERE at < now() - make_interval(secs => $1) LIMIT $2)`,
			retention.Seconds(), sweepBatch)
		if err != nil {
			return total, fmt.Errorf("audit sweep: %w", err)
		}
		total += n
		if n < sweepBatch {
			return total, nil
		}
	}
}
