package graph_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/export"
)

const patch = `mutation($id: ID!, $in: SegmentPatch!) { updateSegment(id: $id, input: $in) { ` + segmentFields + ` } }`

func TestUpdateSegmentIsAPatch(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	all := a.websiteIDs("se", "no", "intl")
	var c struct{ CreateSegment segmentResult }
	a.ok(create, map[string]any{"in": map[string]any{"name": "Swedes", "description": "from Sweden", "websiteIds": all,
		"conditions": map[string]any{"conditions": []any{map[string]any{"customer": map[string]any{"field": "COUNTRY", "operator": "EQ", "values": []string{"SE"}}}}}}}, &c)
	id := c.CreateSegment.ID
	a.refresh(id)
	membership := `SELECT count(*) * 1000003 + COALESCE(sum(customer_id), 0) FROM segment_customers WHERE segment_id = $1`
	ruleVersion := `SELECT rule_version FROM segments WHERE id = $1`
	runs := `SELECT count(*) FROM refresh_runs`
	members, version, runsBefore := a.count(membership, id), a.count(ruleVersion, id), a.count(runs)

	// A new name alone: description, rule, websites and membership stay,
	// and no refresh is enqueued.
	var u struct{ UpdateSegment segmentResult }
	a.ok(patch, map[string]any{"id": id, "in": map[string]any{"name": "Swedish customers"}}, &u)
	require.Equal(t, "Swedish customers", u.UpdateSegment.Name)
	require.Equal(t, "from Sweden", *u.UpdateSegment.Description, "an omitted description is kept")
	require.Equal(t, c.CreateSegment.Conditions, u.UpdateSegment.Conditions)
	require.Len(t, u.UpdateSegment.Websites, 3)
	require.False(t, u.UpdateSegment.MembershipStale)
	require.Equal(t, members, a.count(membership, id), "membership untouched")
	require.Equal(t, version, a.count(ruleVersion, id), "rule untouched")
	require.Equal(t, runsBefore, a.count(runs), "no refresh run enqueued")

	// description: null clears it; status alone is no rule change either.
	a.ok(patch, map[string]any{"id": id, "in": map[string]any{"description": nil, "status": "INACTIVE"}}, &u)
	require.Nil(t, u.UpdateSegment.Description)
	require.Equal(t, "INACTIVE", u.UpdateSegment.Status)
	require.Equal(t, "Swedish customers", u.UpdateSegment.Name)
	require.Equal(t, runsBefore, a.count(runs))

	// null for any other field is refused, one error per field.
	errs := a.do(patch, map[string]any{"id": id, "in": map[string]any{"name": nil, "status": nil, "websiteIds": nil, "conditions": nil}}, nil)
	var fields []any
	for _, e := range errs {
		require.Equal(t, "BAD_USER_INPUT", e.Extensions["code"], e.Message)
		fields = append(fields, e.Extensions["field"])
	}
	require.Equal(t, []any{"name", "status", "websiteIds", "conditions"}, fields)

	// What is given is checked as createSegment checks it.
	errs = a.do(patch, map[string]any{"id": id, "in": map[string]any{"name": " ", "conditions": map[string]any{"conditions": []any{
		map[string]any{"customer": map[string]any{"field": "COUNTRY", "operator": "BETWEEN", "values": []string{"SE"}}}}}}}, nil)
	require.Len(t, errs, 2, "%v", errs)
	require.Equal(t, "name", errs[0].Extensions["field"])
	require.Equal(t, "conditions", errs[1].Extensions["field"])
	require.Equal(t, "conditions[0]", errs[1].Extensions["condition"])
	require.Equal(t, version, a.count(ruleVersion, id), "a refused patch changes nothing")

	// A new rule makes membership stale and enqueues a refresh.
	a.ok(patch, map[string]any{"id": id, "in": map[string]any{"conditions": map[string]any{"conditions": []any{
		map[string]any{"customer": map[string]any{"field": "COUNTRY", "operator": "EQ", "values": []string{"NO"}}}}}}}, &u)
	require.Equal(t, version+1, a.count(ruleVersion, id))
	require.Equal(t, runsBefore+1, a.count(runs))
	require.Equal(t, "Swedish customers", u.UpdateSegment.Name)

	a.fails(patch, map[string]any{"id": "999999", "in": map[string]any{"name": "x"}}, "NOT_FOUND")
}

type overlapResult struct {
	Segments                      []struct{ ID, Name string }
	UnionCount, IntersectionCount int
	Pairs                         []struct {
		SegmentIds                    []string
		IntersectionCount, UnionCount int
	}
	Regions []struct {
		SegmentIds, ExcludedSegmentIds []string
		CustomerCount                  int
	}
}

const overlapQuery = `query($ids: [ID!]!) { segmentOverlap(segmentIds: $ids) { segments { id name websites { code } }
	unionCount intersectionCount pairs { segmentIds intersectionCount unionCount }
	regions { segmentIds excludedSegmentIds customerCount } } }`

// total is segmentCustomers' totalCount for these arguments.
func total(t *testing.T, do func(string, map[string]any) (json.RawMessage, []gqlError), ids []string, mode string, exclude []string) int {
	t.Helper()
	data, errs := do(`query($ids: [ID!]!, $mode: SegmentSetMode, $ex: [ID!]) {
		segmentCustomers(segmentIds: $ids, mode: $mode, excludeSegmentIds: $ex) { totalCount } }`,
		map[string]any{"ids": ids, "mode": mode, "ex": exclude})
	require.Empty(t, errs)
	var r struct{ SegmentCustomers struct{ TotalCount int } }
	require.NoError(t, json.Unmarshal(data, &r))
	return r.SegmentCustomers.TotalCount
}

// checkOverlap checks every number of an overlap against the drill-down
// the same principal gets.
func checkOverlap(t *testing.T, do func(string, map[string]any) (json.RawMessage, []gqlError), segs []string) overlapResult {
	t.Helper()
	data, errs := do(overlapQuery, map[string]any{"ids": segs})
	require.Empty(t, errs)
	var r struct{ SegmentOverlap overlapResult }
	require.NoError(t, json.Unmarshal(data, &r))
	o := r.SegmentOverlap
	require.Len(t, o.Segments, len(segs))
	for i, s := range o.Segments {
		require.Equal(t, segs[i], s.ID, "segments in the order asked")
	}
	require.Equal(t, total(t, do, segs, "UNION", nil), o.UnionCount)
	require.Equal(t, total(t, do, segs, "INTERSECTION", nil), o.IntersectionCount)
	require.Len(t, o.Pairs, len(segs)*(len(segs)-1)/2)
	for _, p := range o.Pairs {
		require.Equal(t, total(t, do, p.SegmentIds, "INTERSECTION", nil), p.IntersectionCount, "pair %v", p.SegmentIds)
		require.Equal(t, total(t, do, p.SegmentIds, "UNION", nil), p.UnionCount, "pair %v", p.SegmentIds)
	}
	sum := 0
	for _, reg := range o.Regions {
		require.Positive(t, reg.CustomerCount)
		require.Len(t, append(append([]string{}, reg.SegmentIds...), reg.ExcludedSegmentIds...), len(segs))
		require.Equal(t, total(t, do, reg.SegmentIds, "INTERSECTION", reg.ExcludedSegmentIds), reg.CustomerCount,
			"region %v without %v", reg.SegmentIds, reg.ExcludedSegmentIds)
		sum += reg.CustomerCount
	}
	require.Equal(t, o.UnionCount, sum, "the regions partition the union")
	return o
}

func TestSegmentOverlapRegionsAreDrillDowns(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	require.GreaterOrEqual(t, len(a.segs), 4)
	segs := ids(a.segs[:3])
	admin := func(q string, vars map[string]any) (json.RawMessage, []gqlError) {
		var raw json.RawMessage
		errs := a.do(q, vars, &raw)
		return raw, errs
	}
	o := checkOverlap(t, admin, segs)
	require.Greater(t, len(o.Regions), 1)
	require.Positive(t, o.UnionCount)
	// Duplicates are dropped; the order asked is kept.
	rev := []string{segs[2], segs[0], segs[2]}
	checkOverlap(t, admin, rev[:2])
	data, errs := admin(overlapQuery, map[string]any{"ids": rev})
	require.Empty(t, errs)
	require.Contains(t, string(data), fmt.Sprintf(`"segments":[{"id":"%s"`, segs[2]))

	// A principal of one website counts only its members there.
	se := a.websiteIDs("se")
	seID, _ := strconv.ParseInt(se[0], 10, 64)
	scoped := a.as(auth.Analyst, seID)
	so := checkOverlap(t, scoped, segs)
	require.Less(t, so.UnionCount, o.UnionCount)
	require.Equal(t, a.count(`SELECT count(DISTINCT customer_id) FROM segment_customers WHERE segment_id = ANY($1::bigint[]) AND website_id = $2`,
		a.segs[:3], seID), so.UnionCount)

	// The segments' fields load together, not per segment.
	n := len(a.segs)
	if n > 10 {
		n = 10
	}
	run := func(k int) func() { return func() { a.ok(overlapQuery, map[string]any{"ids": ids(a.segs[:k])}, nil) } }
	require.Equal(t, a.statements(run(2)), a.statements(run(n)), "statements for 2 vs %d segments", n)

	e := a.fails(overlapQuery, map[string]any{"ids": segs[:1]}, "BAD_USER_INPUT")
	require.Contains(t, e.Message, "2 to 10")
	eleven := make([]string, 11)
	for i := range eleven {
		eleven[i] = strconv.Itoa(900_000 + i)
	}
	a.fails(overlapQuery, map[string]any{"ids": eleven}, "BAD_USER_INPUT")
	e = a.fails(overlapQuery, map[string]any{"ids": []string{segs[0], "999999"}}, "NOT_FOUND")
	require.Contains(t, e.Message, "999999")
}

func TestExcludeSegmentIds(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	in, out := ids(a.segs[:2]), ids(a.segs[2:4])
	want := a.count(`SELECT count(DISTINCT customer_id) FROM segment_customers m WHERE segment_id = ANY($1::bigint[])
		AND NOT EXISTS (SELECT 1 FROM segment_customers x WHERE x.segment_id = ANY($2::bigint[]) AND x.customer_id = m.customer_id)`,
		a.segs[:2], a.segs[2:4])
	require.Positive(t, want)
	admin := func(q string, vars map[string]any) (json.RawMessage, []gqlError) {
		var raw json.RawMessage
		errs := a.do(q, vars, &raw)
		return raw, errs
	}
	require.Equal(t, want, total(t, admin, in, "UNION", out))
	require.Less(t, want, total(t, admin, in, "UNION", nil))
	require.Equal(t, total(t, admin, in, "UNION", nil), total(t, admin, in, "UNION", []string{}), "an empty list excludes nothing")

	order := map[string]any{"field": "EMAIL", "direction": "DESC"}
	rows := a.drillDownExcluding(in, out, "UNION", order, nil)
	require.Len(t, rows, want, "every page, nothing excluded listed")
	filter := map[string]any{"countryCodes": []string{"SE", "NO"}}
	filtered := a.drillDownExcluding(in, out, "UNION", order, filter)
	require.NotEmpty(t, filtered)

	// Segment.customers takes it too.
	var s struct {
		Segment struct{ Customers struct{ TotalCount int } }
	}
	a.ok(`query($id: ID!, $ex: [ID!]) { segment(id: $id) { customers(excludeSegmentIds: $ex) { totalCount } } }`,
		map[string]any{"id": in[0], "ex": out}, &s)
	require.Equal(t, total(t, admin, in[:1], "UNION", out), s.Segment.Customers.TotalCount)

	// The export writes exactly those rows.
	e := a.export(map[string]any{"segmentIds": in, "excludeSegmentIds": out, "format": "CSV", "orderBy": order, "filter": filter})
	require.Equal(t, len(filtered), e.RowsWritten)
	code, _, body := get(t, *e.URL)
	require.Equal(t, http.StatusOK, code)
	records, err := csv.NewReader(bytes.NewReader(body[3:])).ReadAll()
	require.NoError(t, err)
	require.Equal(t, export.Columns, records[0])
	for _, row := range records[1:] {
		for i := range row {
			row[i] = export.UnescapeCSVCell(row[i])
		}
	}
	require.Equal(t, filtered, records[1:])

	// A cursor belongs to its exclusions.
	const q = `query($ids: [ID!]!, $ex: [ID!], $after: String) { segmentCustomers(segmentIds: $ids, excludeSegmentIds: $ex, first: 5, after: $after) {
		pageInfo { endCursor } } }`
	var p struct {
		SegmentCustomers struct{ PageInfo struct{ EndCursor string } }
	}
	a.ok(q, map[string]any{"ids": in, "ex": out}, &p)
	cur := p.SegmentCustomers.PageInfo.EndCursor
	a.ok(q, map[string]any{"ids": in, "ex": out, "after": cur}, nil)
	e2 := a.fails(q, map[string]any{"ids": in, "ex": out[:1], "after": cur}, "BAD_USER_INPUT")
	require.Contains(t, e2.Message, "cursor")
	a.fails(q, map[string]any{"ids": in, "after": cur}, "BAD_USER_INPUT")

	// Excluding a combined segment, an unknown one or more than 100 is refused.
	e2 = a.fails(q, map[string]any{"ids": in, "ex": []string{in[1]}}, "BAD_USER_INPUT")
	require.Contains(t, e2.Message, in[1])
	a.fails(q, map[string]any{"ids": in, "ex": []string{"999999"}}, "NOT_FOUND")
	many := make([]string, 101)
	for i := range many {
		many[i] = strconv.Itoa(900_000 + i)
	}
	a.fails(q, map[string]any{"ids": in, "ex": many}, "BAD_USER_INPUT")
	a.fails(exportMutation, map[string]any{"in": map[string]any{"segmentIds": in, "excludeSegmentIds": in[:1], "format": "CSV"}}, "BAD_USER_INPUT")
}

func TestSegmentIdsAreTheGridsSelectAll(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	for _, filter := range []map[string]any{nil, {"status": "ACTIVE"}, {"name": "e"}, {"websiteIds": a.websiteIDs("no")}, {"customerCountMin": 10}} {
		var r struct {
			SegmentIds []string
			Segments   struct{ Nodes []struct{ ID string } }
		}
		a.ok(`query($f: SegmentFilter) { segmentIds(filter: $f) segments(filter: $f, first: 200) { nodes { id } } }`, map[string]any{"f": filter}, &r)
		want := []string{}
		for _, n := range r.Segments.Nodes {
			want = append(want, n.ID)
		}
		require.Equal(t, want, r.SegmentIds, "filter %v", filter)
	}
	a.fails(`{ segmentIds(filter: {idMin: 5, idMax: 4}) }`, nil, "BAD_USER_INPUT")
	// One statement, however many segments match (the gate's token check
	// aside).
	base := a.statements(func() { a.ok(`{ __typename }`, nil, nil) })
	require.Equal(t, base+1, a.statements(func() { a.ok(`{ segmentIds }`, nil, nil) }))
}

func TestMassMutationsTakeAThousandIds(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	var many []string
	rows, err := a.db.Pool.Query(context.Background(), `WITH s AS (INSERT INTO segments (name, conditions)
		SELECT 'mass ' || i, '{"match":"ALL","expect":true,"conditions":[{"customer":{"field":"EMAIL","operator":"EQ","values":["nobody@example.com"]}}]}'
		FROM generate_series(1, 1000) i RETURNING id),
		w AS (INSERT INTO segment_websites (segment_id, website_id) SELECT id, (SELECT min(id) FROM websites) FROM s)
		SELECT id::text FROM s ORDER BY id`)
	require.NoError(t, err)
	for rows.Next() {
		var id string
		require.NoError(t, rows.Scan(&id))
		many = append(many, id)
	}
	require.NoError(t, rows.Err())
	require.Len(t, many, 1000)
	tooMany := append([]string{strconv.FormatInt(a.segs[0], 10)}, many...)

	const status = `mutation($ids: [ID!]!) { setSegmentStatus(ids: $ids, status: INACTIVE) { id status } }`
	var s struct{ SetSegmentStatus []struct{ ID, Status string } }
	a.ok(status, map[string]any{"ids": many}, &s)
	require.Len(t, s.SetSegmentStatus, 1000)
	a.fails(status, map[string]any{"ids": tooMany}, "BAD_USER_INPUT")
	const refresh = `mutation($ids: [ID!]) { refreshSegmentData(segmentIds: $ids) { id segmentsTotal segments { id } } }`
	a.fails(refresh, map[string]any{"ids": tooMany}, "BAD_USER_INPUT")
	var r struct {
		RefreshSegmentData struct {
			SegmentsTotal int
			Segments      []struct{ ID string }
		}
	}
	a.ok(refresh, map[string]any{"ids": many}, &r)
	require.Equal(t, 1000, r.RefreshSegmentData.SegmentsTotal, "one run refreshes the thousand")
	require.Len(t, r.RefreshSegmentData.Segments, 1000)
	const del = `mutation($ids: [ID!]!) { deleteSegments(ids: $ids) }`
	a.fails(del, map[string]any{"ids": tooMany}, "BAD_USER_INPUT")
	withUnknown := append(append([]string{}, many[1:]...), "999999999")
	a.fails(del, map[string]any{"ids": withUnknown}, "NOT_FOUND")
	require.Equal(t, 1000, a.count(`SELECT count(*) FROM segments WHERE name LIKE 'mass %'`), "nothing deleted")
	// Drill-downs stay at 100.
	a.fails(`query($ids: [ID!]!) { segmentCustomers(segmentIds: $ids) { totalCount } }`, map[string]any{"ids": many[:101]}, "BAD_USER_INPUT")

	var d struct{ DeleteSegments []string }
	a.ok(del, map[string]any{"ids": many}, &d)
	require.Len(t, d.DeleteSegments, 1000)
	require.Zero(t, a.count(`SELECT count(*) FROM segments WHERE name LIKE 'mass %'`))
}

const preview = `query($w: [ID!]!, $c: ConditionGroupInput!) { previewSegmentCount(websiteIds: $w, conditions: $c) }`

func TestPreviewSegmentCount(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	se := a.websiteIDs("se")
	swedes := map[string]any{"conditions": []any{map[string]any{"customer": map[string]any{"field": "COUNTRY", "operator": "EQ", "values": []string{"se"}}}}}
	var r struct{ PreviewSegmentCount int }
	a.ok(preview, map[string]any{"w": se, "c": swedes}, &r)
	require.Equal(t, a.count(`SELECT count(*) FROM customers c JOIN websites w ON w.id = c.website_id WHERE w.code = 'se' AND c.country = 'SE'`), r.PreviewSegmentCount)

	// Its errors are createSegment's.
	errs := a.do(preview, map[string]any{"w": []string{}, "c": map[string]any{"conditions": []any{map[string]any{"group": map[string]any{"conditions": []any{
		map[string]any{"orders": map[string]any{"measure": "ORDER_COUNT", "operator": "IN", "values": []string{"1"}}}}}}}}}, nil)
	require.Len(t, errs, 2, "%v", errs)
	require.Equal(t, "websiteIds", errs[0].Extensions["field"])
	require.Equal(t, "conditions", errs[1].Extensions["field"])
	require.Equal(t, "conditions[0].conditions[0]", errs[1].Extensions["condition"])
	require.Equal(t, "BAD_USER_INPUT", errs[1].Extensions["code"])

	// A website outside the principal's is NOT_FOUND, as an unknown one.
	seID, _ := strconv.ParseInt(se[0], 10, 64)
	_, errs = a.as(auth.Editor, seID)(preview, map[string]any{"w": a.websiteIDs("no"), "c": swedes})
	require.NotEmpty(t, errs)
	require.Equal(t, "NOT_FOUND", errs[0].Extensions["code"], errs[0].Message)
	require.Equal(t, "websiteIds", errs[0].Extensions["field"])
	a.fails(preview, map[string]any{"w": []string{"999999"}, "c": swedes}, "NOT_FOUND")
}

// TestPreviewStopsAtTheRequestTimeout: a preview that cannot finish within
// REQUEST_STATEMENT_TIMEOUT answers TIMEOUT and its statement is cancelled.
func TestPreviewStopsAtTheRequestTimeout(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	url := timeoutServer(t, a, time.Second)
	// Another session locks the orders: the count waits on them.
	timesOut(t, a, url, "orders", preview, map[string]any{"w": a.websiteIDs("se"),
		"c": map[string]any{"conditions": []any{map[string]any{"orders": map[string]any{"measure": "ORDER_COUNT", "operator": "GT", "values": []string{"1"}}}}}})
}

func TestIssue9FieldsArePriced(t *testing.T) {
	t.Parallel()
	idList := func(n int) string {
		s := make([]string, n)
		for i := range s {
			s[i] = strconv.Quote(strconv.Itoa(i + 1))
		}
		return "[" + strings.Join(s, ", ") + "]"
	}
	// A preview evaluates a rule over the whole store: two fit in an
	// operation, three do not.
	p := `previewSegmentCount(websiteIds: ["1"], conditions: {conditions: []})`
	refused(t, "{ a: "+p+" b: "+p+" c: "+p+" }", "COMPLEXITY_LIMIT_EXCEEDED", "the operation costs 30030")
	// An overlap's segments are priced by the ids asked for.
	o := `segmentOverlap(segmentIds: ` + idList(10) + `) { segments { customers { totalCount } } }`
	refused(t, "{ a: "+o+" b: "+o+" c: "+o+" }", "COMPLEXITY_LIMIT_EXCEEDED", "the operation costs 33")

	// A 1,000-id mass mutation is within every limit (this handler has no
	// database: it fails later, not on a limit).
	for _, q := range []string{
		`mutation { setSegmentStatus(ids: ` + idList(1000) + `, status: ACTIVE) { id name status customerCount websites { code } } }`,
		`mutation { deleteSegments(ids: ` + idList(1000) + `) }`,
		`mutation { refreshSegmentData(segmentIds: ` + idList(1000) + `) { id state segments { id name } } }`,
	} {
		errs, _ := query(t, q)
		for _, e := range errs {
			require.Nil(t, e.Extensions["reason"], e.Message)
		}
	}
}
