package job

import (
	"context"
	"time"
)

// Wait reads a run with get until it is finished or maxWait has passed,
// and returns it as it then is (nil when get finds no run). The mutations
// use it so that small refreshes and exports come back finished; the
// command line waits in rounds of it, printing progress.
func Wait[T any, P interface {
	*T
	Finished() bool
}](ctx context.Context, maxWait time.Duration, get func(context.Context) (P, error)) (P, error) {
	deadline := time.Now().Add(maxWait)
	delay := 10 * time.Millisecond
	for {
		run, err := get(ctx)
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
