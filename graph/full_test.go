package graph_test

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestRefreshSegmentDataFull checks that refreshSegmentData's full argument
// reaches the run (its row, its RefreshJob and the audit event); what the
// run then passes to the refresher is tested in server/job.
func TestRefreshSegmentDataFull(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	const q = `mutation($ids: [ID!], $full: Boolean) { refreshSegmentData(segmentIds: $ids, full: $full) { id state full } }`
	type answer struct {
		RefreshSegmentData struct {
			ID    string
			State string
			Full  bool
		}
	}
	ids := []string{strconv.FormatInt(a.segs[0], 10)}
	for _, c := range []struct {
		name string
		vars map[string]any
		full bool
	}{
		{"Full", map[string]any{"ids": ids, "full": true}, true},
		{"Default", map[string]any{"ids": ids}, false},
		{"Null", map[string]any{"ids": ids, "full": nil}, false},
		{"False", map[string]any{"full": false}, false},
	} {
		var r answer
		a.ok(q, c.vars, &r)
		run := r.RefreshSegmentData
		require.Equal(t, c.full, run.Full, c.name)
		require.Equal(t, "SUCCEEDED", run.State, c.name)
		require.Equal(t, 1, a.count(`SELECT count(*) FROM refresh_runs WHERE id = $1::bigint AND full_refresh = $2`, run.ID, c.full), c.name)
		require.Equal(t, 1, a.count(`SELECT count(*) FROM audit_events WHERE action = 'refresh_requested'
			AND details->>'run' = $1 AND (details->>'full')::boolean = $2`, run.ID, c.full), c.name)
	}
	a.fails(`mutation { refreshSegmentData(full: "yes") { id } }`, nil, "BAD_USER_INPUT")
}
