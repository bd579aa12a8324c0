package graph_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/auth"
)

// TestScopeLeakThroughTheAPI asks the API with the token of an editor
// limited to website "se" and checks nothing of the other websites shows through.
func TestScopeLeakThroughTheAPI(t *testing.T) {
	t.Parallel()
	sys := newAPI(t)
	se, no := sys.websiteIDs("se")[0], sys.websiteIDs("no")[0]
	seID, _ := strconv.ParseInt(se, 10, 64)
	scoped, tokenID := sys.withToken(t, auth.NewToken{Name: "se editor", Role: auth.Editor, Websites: []int64{seID}})

	// A segment of website no alone, made and refreshed by the system.
	var created struct{ CreateSegment struct{ ID string } }
	sys.ok(`mutation($in: SegmentInput!) { createSegment(input: $in) { id } }`, map[string]any{"in": map[string]any{
		"name": "Norway only", "websiteIds": []string{no},
		"conditions": map[string]any{"conditions": []any{map[string]any{"customer": map[string]any{"field": "EMAIL", "operator": "CONTAINS", "values": []string{"@"}}}}},
	}}, &created)
	hidden := created.CreateSegment.ID
	sys.refresh(hidden)

	// The grid: only segments with website se, counting and listing only se.
	var grid struct {
		Segments struct {
			TotalCount int
			Nodes      []struct {
				ID            string
				CustomerCount int
				Websites      []struct{ Code string }
			}
		}
	}
	scoped.ok(`{ segments(first: 200, orderBy: {field: CUSTOMER_COUNT, direction: DESC}) { totalCount nodes { id customerCount websites { code } } } }`, nil, &grid)
	require.Equal(t, sys.count(`SELECT count(DISTINCT segment_id) FROM segment_websites WHERE website_id = $1`, seID), grid.Segments.TotalCount)
	require.Len(t, grid.Segments.Nodes, grid.Segments.TotalCount)
	mixed := ""
	for i, n := range grid.Segments.Nodes {
		require.NotEqual(t, hidden, n.ID)
		require.Equal(t, []struct{ Code string }{{"se"}}, n.Websites, "segment %s lists only website se", n.ID)
		require.Equal(t, sys.count(`SELECT COALESCE(sum(customer_count), 0) FROM segment_website_counts WHERE segment_id = $1 AND website_id = $2`, n.ID, seID),
			n.CustomerCount, "segment %s counts only website se", n.ID)
		if i > 0 {
			require.GreaterOrEqual(t, grid.Segments.Nodes[i-1].CustomerCount, n.CustomerCount, "sorted by the scope's counts")
		}
		if mixed == "" && n.CustomerCount > 0 && sys.count(`SELECT count(*) FROM segment_website_counts WHERE segment_id = $1 AND website_id <> $2 AND customer_count > 0`, n.ID, seID) > 0 {
			mixed = n.ID
		}
	}
	require.NotEmpty(t, mixed, "the demo store has a segment with members on several websites")

	// segment(id) of a hidden segment is null, as of an unknown one.
	var one struct{ Segment *struct{ ID string } }
	scoped.ok(`query($id: ID!) { segment(id: $id) { id } }`, map[string]any{"id": hidden}, &one)
	require.Nil(t, one.Segment)
	sys.ok(`query($id: ID!) { segment(id: $id) { id } }`, map[string]any{"id": hidden}, &one)
	require.NotNil(t, one.Segment)

	// Drill-down of a mixed segment: website se's customers and count.
	var drill struct {
		SegmentCustomers struct {
			TotalCount int
			Nodes      []struct{ Website struct{ Code string } }
		}
	}
	scoped.ok(`query($ids: [ID!]!) { segmentCustomers(segmentIds: $ids, first: 200) { totalCount nodes { website { code } } } }`,
		map[string]any{"ids": []string{mixed}}, &drill)
	require.Equal(t, sys.count(`SELECT count(*) FROM segment_customers WHERE segment_id = $1 AND website_id = $2`, mixed, seID), drill.SegmentCustomers.TotalCount)
	require.NotEmpty(t, drill.SegmentCustomers.Nodes)
	for _, n := range drill.SegmentCustomers.Nodes {
		require.Equal(t, "se", n.Website.Code)
	}

	// Union and intersection with a hidden id: NOT_FOUND, worded as for an
	// unknown id.
	for _, mode := range []string{"UNION", "INTERSECTION"} {
		q := `query($ids: [ID!]!, $mode: SegmentSetMode) { segmentCustomers(segmentIds: $ids, mode: $mode) { totalCount } }`
		h := scoped.fails(q, map[string]any{"ids": []string{mixed, hidden}, "mode": mode}, "NOT_FOUND")
		u := scoped.fails(q, map[string]any{"ids": []string{mixed, "999999"}, "mode": mode}, "NOT_FOUND")
		require.Equal(t, strings.ReplaceAll(u.Message, "999999", "N"), strings.ReplaceAll(h.Message, hidden, "N"))
	}
	h := scoped.fails(`mutation($ids: [ID!]!) { deleteSegments(ids: $ids) }`, map[string]any{"ids": []string{hidden}}, "NOT_FOUND")
	require.Equal(t, fmt.Sprintf("segment %s does not exist", hidden), h.Message)
	scoped.fails(`mutation($ids: [ID!]!) { deleteSegments(ids: $ids) }`, map[string]any{"ids": []string{mixed}}, "FORBIDDEN")

	// websites: only se.
	var ws struct{ Websites []struct{ Code string } }
	scoped.ok(`{ websites { code } }`, nil, &ws)
	require.Equal(t, []struct{ Code string }{{"se"}}, ws.Websites)

	// refreshHistory counts website se only.
	var hist struct {
		Segment struct {
			RefreshHistory []struct{ CustomerCount, Added int }
		}
	}
	scoped.ok(`query($id: ID!) { segment(id: $id) { refreshHistory { customerCount added } } }`, map[string]any{"id": mixed}, &hist)
	require.NotEmpty(t, hist.Segment.RefreshHistory)
	require.Equal(t, drill.SegmentCustomers.TotalCount, hist.Segment.RefreshHistory[0].CustomerCount)

	// An export keeps the scope: its file holds website se's customers only.
	e := scoped.export(map[string]any{"segmentIds": []string{mixed}, "format": "CSV"})
	status, _, body := get(t, *e.URL)
	require.Equal(t, 200, status)
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\xef\xbb\xbf")))).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, drill.SegmentCustomers.TotalCount+1)
	for _, r := range rows[1:] {
		require.Equal(t, 1, sys.count(`SELECT count(*) FROM customers WHERE id = $1 AND website_id = $2`, r[0], seID), "customer %s is of website se", r[0])
	}
	// exportJob: its requester sees it; someone else's is null.
	other := sys.export(map[string]any{"segmentIds": []string{mixed}, "format": "CSV"})
	var job struct{ ExportJob *struct{ ID string } }
	scoped.ok(`query($id: ID!) { exportJob(id: $id) { id } }`, map[string]any{"id": e.ID}, &job)
	require.NotNil(t, job.ExportJob)
	scoped.ok(`query($id: ID!) { exportJob(id: $id) { id } }`, map[string]any{"id": other.ID}, &job)
	require.Nil(t, job.ExportJob)
	otherEditor, _ := sys.withToken(t, auth.NewToken{Name: "editor", Role: auth.Editor})
	otherEditor.ok(`query($id: ID!) { exportJob(id: $id) { id } }`, map[string]any{"id": e.ID}, &job)
	require.Nil(t, job.ExportJob, "another editor of every website")

	// Refreshing everything refreshes what the scope sees, recorded as its.
	var run struct {
		RefreshSegmentData struct {
			SegmentsTotal int
			Segments      []struct{ ID string }
		}
	}
	scoped.ok(`mutation { refreshSegmentData { segmentsTotal segments { id } } }`, nil, &run)
	require.Equal(t, sys.count(`SELECT count(*) FROM segments s WHERE is_active AND EXISTS (SELECT 1 FROM segment_websites sw WHERE sw.segment_id = s.id AND sw.website_id = $1)`, seID), run.RefreshSegmentData.SegmentsTotal)
	for _, s := range run.RefreshSegmentData.Segments {
		require.NotEqual(t, hidden, s.ID)
	}
	require.Equal(t, 1, sys.count(`SELECT count(*) FROM refresh_runs WHERE requested_by = $1`, fmt.Sprintf("token:%d", tokenID)))
}
