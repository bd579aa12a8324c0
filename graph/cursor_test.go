package graph_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Cursors of a page sorted by email hand out no email, and an edited or
// foreign cursor is the client's mistake (BAD_USER_INPUT), not INTERNAL.
func TestCursorsAreOpaqueAndChecked(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	const q = `query($ids: [ID!]!, $mode: SegmentSetMode, $after: String) {
		segmentCustomers(segmentIds: $ids, mode: $mode, first: 40, after: $after, orderBy: {field: EMAIL}) {
			totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id email } } } }`
	type page struct {
		SegmentCustomers struct {
			TotalCount int
			PageInfo   struct {
				HasNextPage bool
				EndCursor   *string
			}
			Edges []struct {
				Cursor string
				Node   struct{ ID, Email string }
			}
		}
	}
	vars := func(after *string) map[string]any {
		return map[string]any{"ids": ids(a.segs), "mode": "UNION", "after": after}
	}
	seen := map[string]bool{}
	var cursors []string
	var after *string
	var total int
	for {
		var p page
		a.ok(q, vars(after), &p)
		total = p.SegmentCustomers.TotalCount
		for _, e := range p.SegmentCustomers.Edges {
			require.False(t, seen[e.Node.ID], "customer %s twice", e.Node.ID)
			seen[e.Node.ID] = true
			local, _, _ := strings.Cut(strings.ToLower(e.Node.Email), "@")
			require.NotContains(t, strings.ToLower(e.Cursor), local, "the cursor shows the email")
			cursors = append(cursors, e.Cursor)
		}
		if !p.SegmentCustomers.PageInfo.HasNextPage {
			break
		}
		after = p.SegmentCustomers.PageInfo.EndCursor
	}
	require.Len(t, seen, total, "paging by encrypted cursors is still exact")

	cur := cursors[len(cursors)/2]
	edited := "A"
	if cur[10] == 'A' {
		edited = "B"
	}
	for _, bad := range []string{
		cur[:len(cur)-1],
		cur[:10] + edited + cur[11:],
		cur + "A",
		"eyJiIjoieCIsInYiOlsiYUBiLmMiLCIxIl19", // the readable cursors of before
	} {
		e := a.fails(q, vars(&bad), "BAD_USER_INPUT")
		require.Contains(t, e.Message, "cursor is not valid for this query")
	}
	// The same cursor with another mode is another query.
	v := vars(&cur)
	v["mode"] = "INTERSECTION"
	e := a.fails(q, v, "BAD_USER_INPUT")
	require.Contains(t, e.Message, "cursor is not valid for this query")
}
