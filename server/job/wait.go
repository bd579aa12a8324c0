package job

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/segments/segments/server/db"
)

// Get reads run id into a new T, the bun model of a run table (Run,
// export.Export); nil, nil when there is no such run.
func Get[T any, P interface {
	*T
	Finished() bool
}](ctx context.Context, d *db.DB, id int64) (P, error) {
	run := P(new(T))
	err := d.NewSelect().Model(run).Where("id = ?", id).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %T %d: %w", run, id, err)
	}
	return run, nil
}

// Wait reads run id (as Get does) until it is finished or maxWait has
// passed, and returns it as it then is (nil when there is no such run). The
// mutations use it so that small refreshes and exports come back finished;
// the command line waits in rounds of it, printing progress.
func Wait[T any, P interface {
	*T
	Finished() bool
}](ctx context.Context, d *db.DB, id int64, maxWait time.Duration) (P, error) {
	deadline := time.Now().Add(maxWait)
	delay := 10 * time.Millisecond
	for {
		run, err := Get[T, P](ctx, d, id)
		if err != nil || run == nil || run.Finished() {
			return run, err
		}
		left := time.Until(deadline)
		if left <= 0 {
			return run, nil
		}
		t := time.NewTimer(min(delay, left))
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
		delay = min(2*delay, 250*time.Millisecond)
	}
}
