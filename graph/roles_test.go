package graph_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/account"
	"github.com/segments/segments/server/auth"
)

// as returns a request function acting with a new API token of role.
func (a *api) as(role auth.Role, websites ...int64) func(query string, vars map[string]any) (json.RawMessage, []gqlError) {
	a.t.Helper()
	_, secret, err := account.NewService(a.db).CreateToken(auth.AsSystem(context.Background()),
		account.NewToken{Name: role.String() + " " + strconv.Itoa(len(websites)), Role: role, Websites: websites})
	require.NoError(a.t, err)
	return func(query string, vars map[string]any) (json.RawMessage, []gqlError) {
		a.t.Helper()
		status, data, errs := matrixPost(a.t, a.url, map[string]string{"Authorization": "Bearer " + secret}, query, vars)
		require.Equal(a.t, http.StatusOK, status)
		return data, errs
	}
}

// TestAnalystsSeeCountsNotPeople: an analyst gets a drill-down's totalCount
// and pageInfo, filtered by website, group and country, but no customer
// rows and no filter that could single out a person; a viewer gets both.
func TestAnalystsSeeCountsNotPeople(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	analyst, viewer := a.as(auth.Analyst), a.as(auth.Viewer)
	seg := []string{strconv.FormatInt(a.segs[0], 10)}
	se := a.websiteIDs("se")

	count := `query($ids: [ID!]!, $f: CustomerFilter) { segmentCustomers(segmentIds: $ids, filter: $f) {
		totalCount pageInfo { hasNextPage } } }`
	for _, filter := range []map[string]any{
		nil,
		{"websiteIds": se, "countryCodes": []string{"SE"}, "groupIds": []string{"1"}},
		{"email": nil, "name": "", "ids": []string{}}, // empty fields do not filter
	} {
		data, errs := analyst(count, map[string]any{"ids": seg, "f": filter})
		require.Empty(t, errs, "%v", filter)
		vdata, verrs := viewer(count, map[string]any{"ids": seg, "f": filter})
		require.Empty(t, verrs)
		require.JSONEq(t, string(vdata), string(data), "the analyst's count is the viewer's")
	}

	one := map[string]any{"id": seg[0]}
	list := map[string]any{"ids": seg}
	for _, tc := range []struct {
		q    string
		vars map[string]any
	}{
		{`query($ids: [ID!]!) { segmentCustomers(segmentIds: $ids) { nodes { email } } }`, list},
		{`query($ids: [ID!]!) { segmentCustomers(segmentIds: $ids) { edges { node { id } } } }`, list},
		{`query($id: ID!) { segment(id: $id) { customers { nodes { name } } } }`, one},
		{`query($id: ID!) { segment(id: $id) { customers(filter: {email: "@"}) { totalCount } } }`, one},
		{`query($ids: [ID!]!) { segmentCustomers(segmentIds: $ids, filter: {name: "a"}) { totalCount } }`, list},
		{`query($ids: [ID!]!) { segmentCustomers(segmentIds: $ids, filter: {ids: ["1"]}) { totalCount } }`, list},
		{`query($ids: [ID!]!) { segmentCustomers(segmentIds: $ids, filter: {zip: "1"}) { totalCount } }`, list},
	} {
		data, errs := analyst(tc.q, tc.vars)
		require.NotEmpty(t, errs, tc.q)
		require.Equal(t, "FORBIDDEN", errs[0].Extensions["code"], "%s: %s", tc.q, errs[0].Message)
		require.Contains(t, errs[0].Message, "needs the VIEWER role (you have ANALYST)")
		require.NotContains(t, string(data), "@", "no customer data in the answer")
		_, errs = viewer(tc.q, tc.vars)
		require.Empty(t, errs, tc.q)
	}
}

// TestAuditLogRecordsWhoDidWhat does what an editor does with segments
// through the API, downloads the export by its link, and reads the log back
// as an admin: each action is there, newest first, with the editor as
// principal, the download by "link", and no filter value in the details.
func TestAuditLogRecordsWhoDidWhat(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	editor, admin := a.as(auth.Editor), a.as(auth.Admin)
	se := a.websiteIDs("se")
	okAs := func(do func(string, map[string]any) (json.RawMessage, []gqlError), q string, vars map[string]any, out any) {
		t.Helper()
		data, errs := do(q, vars)
		require.Empty(t, errs, q)
		if out != nil {
			require.NoError(t, json.Unmarshal(data, out))
		}
	}
	var c struct{ CreateSegment struct{ ID string } }
	okAs(editor, `mutation($in: SegmentInput!) { createSegment(input: $in) { id } }`, map[string]any{"in": segmentIn(se[0], "audited")}, &c)
	id := c.CreateSegment.ID
	okAs(editor, `mutation($id: ID!, $in: SegmentPatch!) { updateSegment(id: $id, input: $in) { id } }`,
		map[string]any{"id": id, "in": segmentIn(se[0], "audited, renamed")}, nil)
	okAs(editor, `mutation($id: ID!) { setSegmentStatus(ids: [$id], status: INACTIVE) { id } }`, map[string]any{"id": id}, nil)
	okAs(editor, `mutation($id: ID!) { refreshSegmentData(segmentIds: [$id]) { id } }`, map[string]any{"id": id}, nil)
	const secret = "ann.secret@example.com"
	var e struct{ ExportSegmentCustomers exportResult }
	okAs(editor, exportMutation, map[string]any{"in": map[string]any{"segmentIds": []string{id}, "format": "CSV",
		"filter": map[string]any{"email": secret, "countryCodes": []string{"SE"}}}}, &e)
	require.Equal(t, "SUCCEEDED", e.ExportSegmentCustomers.State)
	status, _, _ := get(t, *e.ExportSegmentCustomers.URL)
	require.Equal(t, http.StatusOK, status)
	okAs(editor, `mutation($id: ID!) { deleteSegments(ids: [$id]) }`, map[string]any{"id": id}, nil)
	// A refused change records nothing: the event is in the change's
	// transaction.
	_, errs := editor(`mutation($ids: [ID!]!) { deleteSegments(ids: $ids) }`,
		map[string]any{"ids": []string{strconv.FormatInt(a.segs[0], 10), "999999"}})
	require.Equal(t, "NOT_FOUND", errs[0].Extensions["code"])

	type event struct {
		Action, Principal, PrincipalName, Details, ClientAddress string
		SubjectIds                                               []string
	}
	var who struct{ Viewer struct{ Name string } }
	okAs(editor, `{ viewer { name } }`, nil, &who)
	read := func(filter map[string]any, first int, after *string) (events []event, end *string, more bool) {
		var r struct {
			AuditEvents struct {
				Nodes    []event
				PageInfo struct {
					HasNextPage bool
					EndCursor   *string
				}
			}
		}
		okAs(admin, `query($f: AuditFilter, $first: Int, $after: String) { auditEvents(filter: $f, first: $first, after: $after) {
			nodes { action principal principalName details clientAddress subjectIds } pageInfo { hasNextPage endCursor } } }`,
			map[string]any{"f": filter, "first": first, "after": after}, &r)
		return r.AuditEvents.Nodes, r.AuditEvents.PageInfo.EndCursor, r.AuditEvents.PageInfo.HasNextPage
	}

	var editorToken string
	require.NoError(t, a.db.NewSelect().Table("api_tokens").ColumnExpr("'token:' || id").Where("name = 'editor 0'").Scan(context.Background(), &editorToken))
	byEditor := map[string]any{"principal": editorToken}
	var actions []string
	var after *string
	for {
		page, end, more := read(byEditor, 2, after)
		for _, ev := range page {
			actions = append(actions, ev.Action)
			require.Equal(t, who.Viewer.Name, ev.PrincipalName)
			require.NotEmpty(t, ev.ClientAddress)
			require.NotContains(t, ev.Details, secret, "a filter's value is personal: only its field is recorded")
			if ev.Action == "export_created" {
				var d map[string]any
				require.NoError(t, json.Unmarshal([]byte(ev.Details), &d))
				require.Equal(t, []any{"countryCodes", "email"}, d["filter"])
				require.Equal(t, "CSV", d["format"])
				require.Equal(t, []string{e.ExportSegmentCustomers.ID}, ev.SubjectIds)
			}
		}
		if !more {
			break
		}
		after = end
	}
	require.Equal(t, []string{"segment_deleted", "export_created", "refresh_requested", "segment_status_changed",
		"segment_updated", "segment_created"}, actions, "newest first")

	downloads, _, _ := read(map[string]any{"actions": []string{"export_downloaded"}}, 10, nil)
	require.Len(t, downloads, 1)
	require.Equal(t, "link", downloads[0].Principal, "a download link is a bearer link: whoever holds it")
	require.Equal(t, []string{e.ExportSegmentCustomers.ID}, downloads[0].SubjectIds)
	require.NotEmpty(t, downloads[0].ClientAddress)
}
