package job

import (
	"context"

	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/metric"
)

// queueStates are the states of River jobs not yet finished.
var queueStates = []string{"available", "scheduled", "retryable", "running"}

// QueueDepth counts River's jobs that are waiting or running, by kind and
// state (available, scheduled, retryable, running): what the metrics
// sample on each scrape. Every kind this client works is listed in every
// state, zero when there is none, so a dashboard sees zeros rather than no
// series; kinds only other instances work appear when they have jobs.
// Finished jobs are left out (River deletes them after a day).
func (c *Client) QueueDepth(ctx context.Context) ([]metric.Depth, error) {
	rows, err := db.Query(ctx, c.runner.db, `SELECT kind, state::text, count(*) FROM river_job
		WHERE state IN ('available', 'scheduled', 'retryable', 'running') GROUP BY kind, state`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	type key struct{ kind, state string }
	counts := map[key]int64{}
	for rows.Next() {
		var k key
		var n int64
		if err := rows.Scan(&k.kind, &k.state, &n); err != nil {
			return nil, err
		}
		counts[k] = n
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, k := range c.kinds {
		for _, st := range queueStates {
			if _, ok := counts[key{k.riverKind, st}]; !ok {
				counts[key{k.riverKind, st}] = 0
			}
		}
	}
	out := make([]metric.Depth, 0, len(counts))
	for k, n := range counts {
		out = append(out, metric.Depth{Kind: k.kind, State: k.state, Jobs: n})
	}
	return out, nil
}
