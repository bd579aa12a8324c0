package graph_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"
)

const segmentFields = `id name description status customerCount membershipStale websites { code }
	conditions { match expect conditions { __typename ... on CustomerCondition { field operator values }
	... on OrderCondition { measure operator values withinDays statuses } } }`

type segmentResult struct {
	ID              string
	Name            string
	Description     *string
	Status          string
	CustomerCount   int
	MembershipStale bool
	Websites        []struct{ Code string }
	Conditions      struct {
		Match      string
		Expect     bool
		Conditions []map[string]any
	}
}

type refreshResult struct {
	ID                          string
	State                       string
	SegmentsDone, SegmentsTotal int
	Error                       *string
	Full                        bool
	Segments                    []struct{ ID string }
}

func (a *api) websiteIDs(codes ...string) []string {
	a.t.Helper()
	var ids []string
	for _, c := range codes {
		var id string
		require.NoError(a.t, a.db.Pool.QueryRow(context.Background(), `SELECT id::text FROM websites WHERE code = $1`, c).Scan(&id))
		ids = append(ids, id)
	}
	return ids
}

func (a *api) count(sql string, args ...any) int {
	a.t.Helper()
	var n int
	require.NoError(a.t, a.db.Pool.QueryRow(context.Background(), sql, args...).Scan(&n))
	return n
}

func (a *api) refresh(ids ...string) refreshResult {
	a.t.Helper()
	var r struct{ RefreshSegmentData refreshResult }
	vars := map[string]any{"ids": ids}
	if ids == nil {
		vars = nil
	}
	a.ok(`mutation($ids: [ID!]) { refreshSegmentData(segmentIds: $ids) { id state segmentsDone segmentsTotal error full segments { id } } }`, vars, &r)
	require.Equal(a.t, "SUCCEEDED", r.RefreshSegmentData.State, "a small refresh finishes within the mutation's wait")
	require.False(a.t, r.RefreshSegmentData.Full, "a refresh is incremental unless full is asked")
	return r.RefreshSegmentData
}

const create = `mutation($in: SegmentInput!) { createSegment(input: $in) { ` + segmentFields + ` } }`

func TestCreateRefreshAndReadBack(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	se := a.websiteIDs("se")
	var c struct{ CreateSegment segmentResult }
	a.ok(create, map[string]any{"in": map[string]any{
		"name": "  Swedes with orders  ", "description": "", "websiteIds": append(se, se...),
		"conditions": map[string]any{"conditions": []any{
			map[string]any{"customer": map[string]any{"field": "COUNTRY", "operator": "EQ", "values": []string{"se"}}},
			map[string]any{"orders": map[string]any{"measure": "ORDER_COUNT", "operator": "GTE", "values": []string{"+01"}, "statuses": []string{" Complete ", "complete"}}},
		}},
	}}, &c)
	s := c.CreateSegment
	require.Equal(t, "Swedes with orders", s.Name, "names are trimmed")
	require.Nil(t, s.Description, "an empty description is none")
	require.Equal(t, "ACTIVE", s.Status)
	// (Staleness right after a save is tested in server/segment: here the
	// refresh enqueued with the save may already have run.)
	require.Len(t, s.Websites, 1, "duplicate website ids are ignored")
	require.Equal(t, "ALL", s.Conditions.Match)
	require.True(t, s.Conditions.Expect)
	require.Equal(t, []any{"SE"}, s.Conditions.Conditions[0]["values"], "values read back canonical")
	require.Equal(t, []any{"1"}, s.Conditions.Conditions[1]["values"])
	require.Equal(t, []any{"complete"}, s.Conditions.Conditions[1]["statuses"])

	run := a.refresh(s.ID)
	require.Equal(t, 1, run.SegmentsTotal)
	require.Equal(t, 1, run.SegmentsDone)
	want := a.count(`SELECT count(*) FROM customers c WHERE c.country = 'SE' AND c.website_id = $1::bigint
		AND EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id AND lower(o.status) = 'complete')`, se[0])
	require.Positive(t, want)
	var g struct{ Segment segmentResult }
	a.ok(`query($id: ID!) { segment(id: $id) { `+segmentFields+` } }`, map[string]any{"id": s.ID}, &g)
	require.Equal(t, want, g.Segment.CustomerCount)
	require.False(t, g.Segment.MembershipStale)

	var j struct{ RefreshJob *refreshResult }
	a.ok(`query($id: ID!) { refreshJob(id: $id) { id state segmentsDone segmentsTotal segments { id } } }`, map[string]any{"id": run.ID}, &j)
	require.Equal(t, "SUCCEEDED", j.RefreshJob.State)
	require.Equal(t, s.ID, j.RefreshJob.Segments[0].ID)
	a.ok(`{ refreshJob(id: "999999") { id } }`, nil, &j)
	require.Nil(t, j.RefreshJob)
}

func TestInvalidRulesAreRejectedWithTheirPath(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	before := a.count(`SELECT count(*) FROM segments`)
	all := a.websiteIDs("se", "no", "intl")
	leaf := func(field, op string, values ...string) map[string]any {
		return map[string]any{"customer": map[string]any{"field": field, "operator": op, "values": values}}
	}
	nest := func(depth int) map[string]any {
		g := map[string]any{"conditions": []any{leaf("EMAIL", "CONTAINS", "@")}}
		for i := 0; i < depth; i++ {
			g = map[string]any{"conditions": []any{map[string]any{"group": g}}}
		}
		return g
	}
	cases := map[string]struct {
		in   map[string]any
		want string
	}{
		"between one value": {map[string]any{"conditions": []any{leaf("EMAIL", "EQ", "a@b"),
			map[string]any{"orders": map[string]any{"measure": "SALES_TOTAL", "operator": "BETWEEN", "values": []string{"10"}}}}}, "conditions[1]"},
		"unknown country":      {map[string]any{"conditions": []any{leaf("COUNTRY", "IN", "SE", "XX")}}, "conditions[0]"},
		"bad date":             {map[string]any{"conditions": []any{leaf("CUSTOMER_SINCE", "GT", "2025-02-30")}}, "conditions[0]"},
		"operator for field":   {map[string]any{"conditions": []any{leaf("DAYS_SINCE_SIGNUP", "CONTAINS", "3")}}, "conditions[0]"},
		"unknown group code":   {map[string]any{"conditions": []any{leaf("GROUP", "EQ", "platinum")}}, "conditions[0]"},
		"two kinds in one":     {map[string]any{"conditions": []any{map[string]any{"customer": leaf("EMAIL", "EQ", "x@y")["customer"], "group": map[string]any{"conditions": []any{}}}}}, "conditions[0]"},
		"none set":             {map[string]any{"conditions": []any{map[string]any{}}}, "conditions[0]"},
		"too deep":             {nest(6), "conditions[0].conditions[0].conditions[0].conditions[0].conditions[0]"},
		"low above high":       {map[string]any{"conditions": []any{map[string]any{"orders": map[string]any{"measure": "ORDER_COUNT", "operator": "BETWEEN", "values": []string{"5", "2"}}}}}, "conditions[0]"},
		"withinDays below one": {map[string]any{"conditions": []any{map[string]any{"orders": map[string]any{"measure": "ORDER_COUNT", "operator": "GT", "values": []string{"1"}, "withinDays": 0}}}}, "conditions[0]"},
		"100,000 statuses":     {map[string]any{"conditions": []any{map[string]any{"orders": map[string]any{"measure": "ORDER_COUNT", "operator": "GT", "values": []string{"1"}, "statuses": make([]string, 100_000)}}}}, "conditions[0]"},
		"10,000-value IN":      {map[string]any{"conditions": []any{leaf("EMAIL", "EQ", "a@b"), leaf("ZIP", "IN", make([]string, 10_000)...)}}, "conditions[1]"},
	}
	for name, c := range cases {
		e := a.fails(create, map[string]any{"in": map[string]any{"name": name, "websiteIds": all, "conditions": c.in}}, "BAD_USER_INPUT")
		require.Equal(t, "conditions", e.Extensions["field"], name)
		require.Equal(t, c.want, e.Extensions["condition"], "%s: %s", name, e.Message)
	}

	// Every problem is an error of its own, in input order, each saying
	// where it is so a form can show it in place.
	errs := a.do(create, map[string]any{"in": map[string]any{"name": " ", "websiteIds": []string{"999"}, "conditions": map[string]any{
		"conditions": []any{leaf("EMAIL", "EQ", "a@b"), map[string]any{"group": map[string]any{"conditions": []any{
			leaf("COUNTRY", "IN", "XX"), leaf("CITY", "GT", "a")}}}}}}}, nil)
	type where struct{ field, condition, message string }
	var got []where
	for _, e := range errs {
		require.Equal(t, "BAD_USER_INPUT", e.Extensions["code"], e.Message)
		c, _ := e.Extensions["condition"].(string)
		got = append(got, where{e.Extensions["field"].(string), c, e.Message})
	}
	require.Equal(t, []where{
		{"name", "", "name: a segment needs a name"},
		{"websiteIds", "", "websiteIds: website 999 does not exist"},
		{"conditions", "conditions[1].conditions[0]", `conditions[1].conditions[0]: value 1: unknown country code "XX" (use an ISO 3166-1 alpha-2 code such as SE)`},
		{"conditions", "conditions[1].conditions[1]", "conditions[1].conditions[1]: operator GT does not apply to CITY (use one of EQ, NEQ, CONTAINS, NOT_CONTAINS, STARTS_WITH, IN, NOT_IN, IS_EMPTY, IS_NOT_EMPTY)"},
	}, got)

	// A problem with the rule as a whole names the field, no condition.
	many := make([]any, 201)
	for i := range many {
		many[i] = leaf("EMAIL", "CONTAINS", "@")
	}
	e := a.fails(create, map[string]any{"in": map[string]any{"name": "many", "websiteIds": all, "conditions": map[string]any{"conditions": many}}}, "BAD_USER_INPUT")
	require.Equal(t, "conditions", e.Extensions["field"])
	require.NotContains(t, e.Extensions, "condition")
	require.Equal(t, "conditions: the rule has 201 conditions; at most 200 are allowed", e.Message)
	require.Equal(t, before, a.count(`SELECT count(*) FROM segments`), "nothing was saved")
}

func TestUpdateMakesMembershipStaleUntilRefreshed(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	all := a.websiteIDs("se", "no", "intl")
	var c struct{ CreateSegment segmentResult }
	rule := func(country string) map[string]any {
		return map[string]any{"match": "ANY", "conditions": []any{map[string]any{"customer": map[string]any{"field": "COUNTRY", "operator": "EQ", "values": []string{country}}}}}
	}
	a.ok(create, map[string]any{"in": map[string]any{"name": "Norway", "websiteIds": all, "conditions": rule("NO")}}, &c)
	id := c.CreateSegment.ID
	a.refresh(id)

	update := `mutation($id: ID!, $in: SegmentPatch!) { updateSegment(id: $id, input: $in) { ` + segmentFields + ` } }`
	var u struct{ UpdateSegment segmentResult }
	a.ok(update, map[string]any{"id": id, "in": map[string]any{"name": "Norwegians", "websiteIds": all, "conditions": rule("NO")}}, &u)
	require.Equal(t, "Norwegians", u.UpdateSegment.Name)
	require.False(t, u.UpdateSegment.MembershipStale, "a new name does not change membership")

	a.ok(update, map[string]any{"id": id, "in": map[string]any{"name": "Danes", "websiteIds": all, "conditions": rule("DK")}}, &u)
	danes := a.count(`SELECT count(*) FROM customers WHERE country = 'DK'`)
	// A new rule makes the membership stale until the refresh enqueued with
	// the edit has run (it may have already).
	require.True(t, u.UpdateSegment.MembershipStale || u.UpdateSegment.CustomerCount == danes,
		"a new rule's membership is either stale or already refreshed")
	a.refresh(id)
	var g struct{ Segment segmentResult }
	a.ok(`query($id: ID!) { segment(id: $id) { `+segmentFields+` } }`, map[string]any{"id": id}, &g)
	require.False(t, g.Segment.MembershipStale)
	require.Equal(t, danes, g.Segment.CustomerCount)

	a.fails(update, map[string]any{"id": "999999", "in": map[string]any{"name": "x", "websiteIds": all, "conditions": rule("DK")}}, "NOT_FOUND")
}

func TestStatusDeleteAndRefreshAll(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	ids := ids(a.segs)
	var s struct{ SetSegmentStatus []segmentResult }
	a.ok(`mutation($ids: [ID!]!) { setSegmentStatus(ids: $ids, status: INACTIVE) { id status } }`, map[string]any{"ids": ids[:2]}, &s)
	require.Len(t, s.SetSegmentStatus, 2)
	for _, sg := range s.SetSegmentStatus {
		require.Equal(t, "INACTIVE", sg.Status)
	}
	active := a.count(`SELECT count(*) FROM segments WHERE is_active`)
	run := a.refresh()
	require.Equal(t, active, run.SegmentsTotal, "a refresh of all skips inactive segments")
	for _, sg := range run.Segments {
		require.NotContains(t, ids[:2], sg.ID)
	}
	run = a.refresh(ids[0])
	require.Equal(t, 1, run.SegmentsTotal, "explicit ids include inactive segments")

	a.fails(`mutation($ids: [ID!]!) { deleteSegments(ids: $ids) }`, map[string]any{"ids": []string{ids[0], "999999"}}, "NOT_FOUND")
	require.Equal(t, len(ids), a.count(`SELECT count(*) FROM segments`), "a failed delete deletes nothing")
	a.fails(`mutation { refreshSegmentData(segmentIds: []) { id } }`, nil, "BAD_USER_INPUT")

	var d struct{ DeleteSegments []string }
	a.ok(`mutation($ids: [ID!]!) { deleteSegments(ids: $ids) }`, map[string]any{"ids": []string{ids[1], ids[0], ids[0]}}, &d)
	require.ElementsMatch(t, ids[:2], d.DeleteSegments)
	require.Zero(t, a.count(`SELECT count(*) FROM segment_customers WHERE segment_id = ANY($1::bigint[])`, a.segs[:2]))
	var g struct{ Segment *segmentResult }
	a.ok(`query($id: ID!) { segment(id: $id) { id } }`, map[string]any{"id": ids[0]}, &g)
	require.Nil(t, g.Segment)
}

// TestGETNeverMutates sends a mutation as a GET with a valid token: GET is
// for queries only (GraphQL over HTTP), so nothing is deleted. (A GET with
// the session cookie is refused before this; see server/authn.)
func TestGETNeverMutates(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	before := a.count(`SELECT count(*) FROM segments`)
	q := url.Values{"query": {fmt.Sprintf(`mutation { deleteSegments(ids: ["%d"]) }`, a.segs[0])}}
	req, err := http.NewRequest(http.MethodGet, a.url+"/graphql?"+q.Encode(), nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+a.token)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	b, _ := io.ReadAll(resp.Body)
	require.NoError(t, resp.Body.Close())
	require.Equal(t, http.StatusNotAcceptable, resp.StatusCode, string(b))
	require.Contains(t, string(b), "only allow query operations")
	require.Equal(t, before, a.count(`SELECT count(*) FROM segments`))

	// The same query as a GET is fine.
	q = url.Values{"query": {`{ segments { totalCount } }`}}
	req, err = http.NewRequest(http.MethodGet, a.url+"/graphql?"+q.Encode(), nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+a.token)
	resp, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	require.Equal(t, http.StatusOK, resp.StatusCode)
}
