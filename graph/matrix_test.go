package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/segments/segments/graph"
	"github.com/segments/segments/server/account"
	"github.com/segments/segments/server/auth"
)

// The authorization matrix: every field of Query and Mutation, read from
// the served schema, against every kind of principal, through the real
// HTTP stack (the authn gate, real sessions and API tokens). A principal
// without valid credentials gets HTTP 401 UNAUTHENTICATED; one whose role
// is below the field's @requires gets FORBIDDEN naming the role; any other
// gets through the role check (the operation may still find nothing, or
// refuse input: those are not the role's doing). A field missing from
// matrixOps fails the test, so a new field needs its row.

// matrixOp is one minimal operation using a field, with its variables;
// vars may create what the operation consumes (a segment to delete).
type matrixOp struct {
	query string
	vars  func(f *matrixFixture) map[string]any
}

// matrixFixture holds what the operations refer to.
type matrixFixture struct {
	a         *api
	svc       *account.Service
	segment   string
	other     string
	websiteID string
	runID     string
	exportID  string
	userID    string
	n         atomic.Int64
}

func (f *matrixFixture) next() int64 { return f.n.Add(1) }

// freshSegment creates a segment for an operation to consume.
func (f *matrixFixture) freshSegment() string {
	var r struct{ CreateSegment struct{ ID string } }
	f.a.ok(`mutation($in: SegmentInput!) { createSegment(input: $in) { id } }`,
		map[string]any{"in": segmentIn(f.websiteID, "matrix")}, &r)
	return r.CreateSegment.ID
}

// freshToken creates an analyst token for an operation to revoke.
func (f *matrixFixture) freshToken() string {
	t, _, err := f.svc.CreateToken(auth.AsSystem(context.Background()), account.NewToken{Name: fmt.Sprint("to revoke ", f.next()), Role: auth.Analyst})
	require.NoError(f.a.t, err)
	return strconv.FormatInt(t.ID, 10)
}

func segmentIn(websiteID, name string) map[string]any {
	return map[string]any{"name": name, "websiteIds": []string{websiteID}, "conditions": map[string]any{"conditions": []any{
		map[string]any{"customer": map[string]any{"field": "COUNTRY", "operator": "EQ", "values": []string{"SE"}}},
	}}}
}

func none(*matrixFixture) map[string]any { return nil }

var matrixOps = map[string]matrixOp{
	"Query.segments": {`{ segments(first: 1) { totalCount nodes { id name customerCount } } }`, none},
	"Query.segment": {`query($id: ID!) { segment(id: $id) { id customerCount } }`,
		func(f *matrixFixture) map[string]any { return map[string]any{"id": f.segment} }},
	"Query.segmentCustomers": {`query($ids: [ID!]!) { segmentCustomers(segmentIds: $ids, filter: {countryCodes: ["SE"]}) { totalCount } }`,
		func(f *matrixFixture) map[string]any { return map[string]any{"ids": []string{f.segment}} }},
	"Query.segmentIds": {`{ segmentIds(filter: {status: ACTIVE}) }`, none},
	"Query.previewSegmentCount": {`query($w: [ID!]!) { previewSegmentCount(websiteIds: $w, conditions: {conditions: []}) }`,
		func(f *matrixFixture) map[string]any { return map[string]any{"w": []string{f.websiteID}} }},
	"Query.segmentOverlap": {`query($ids: [ID!]!) { segmentOverlap(segmentIds: $ids) { unionCount intersectionCount regions { customerCount } } }`,
		func(f *matrixFixture) map[string]any { return map[string]any{"ids": []string{f.segment, f.other}} }},
	"Query.websites":       {`{ websites { id code } }`, none},
	"Query.customerGroups": {`{ customerGroups { id code } }`, none},
	"Query.store":          {`{ store { timeZone } }`, none},
	"Query.refreshJob": {`query($id: ID!) { refreshJob(id: $id) { id state } }`,
		func(f *matrixFixture) map[string]any { return map[string]any{"id": f.runID} }},
	"Query.exportJob": {`query($id: ID!) { exportJob(id: $id) { id state } }`,
		func(f *matrixFixture) map[string]any { return map[string]any{"id": f.exportID} }},
	"Query.viewer":      {`{ viewer { kind name role websites { code } } }`, none},
	"Query.users":       {`{ users(first: 5) { nodes { id email role } pageInfo { hasNextPage } } }`, none},
	"Query.apiTokens":   {`{ apiTokens(includeRevoked: true) { id name role } }`, none},
	"Query.auditEvents": {`{ auditEvents(first: 5) { nodes { id action principal } } }`, none},

	"Mutation.createSegment": {`mutation($in: SegmentInput!) { createSegment(input: $in) { id } }`,
		func(f *matrixFixture) map[string]any { return map[string]any{"in": segmentIn(f.websiteID, "created")} }},
	"Mutation.updateSegment": {`mutation($id: ID!, $in: SegmentPatch!) { updateSegment(id: $id, input: $in) { id } }`,
		func(f *matrixFixture) map[string]any {
			return map[string]any{"id": f.segment, "in": segmentIn(f.websiteID, "matrix target")}
		}},
	"Mutation.deleteSegments": {`mutation($ids: [ID!]!) { deleteSegments(ids: $ids) }`,
		func(f *matrixFixture) map[string]any { return map[string]any{"ids": []string{f.freshSegment()}} }},
	"Mutation.setSegmentStatus": {`mutation($ids: [ID!]!) { setSegmentStatus(ids: $ids, status: ACTIVE) { id } }`,
		func(f *matrixFixture) map[string]any { return map[string]any{"ids": []string{f.segment}} }},
	"Mutation.refreshSegmentData": {`mutation($ids: [ID!]) { refreshSegmentData(segmentIds: $ids) { id } }`,
		func(f *matrixFixture) map[string]any { return map[string]any{"ids": []string{f.segment}} }},
	"Mutation.exportSegmentCustomers": {`mutation($ids: [ID!]!) { exportSegmentCustomers(input: {segmentIds: $ids, format: CSV}) { id } }`,
		func(f *matrixFixture) map[string]any { return map[string]any{"ids": []string{f.segment}} }},
	"Mutation.createUser": {`mutation($in: CreateUserInput!) { createUser(input: $in) { id } }`,
		func(f *matrixFixture) map[string]any {
			return map[string]any{"in": map[string]any{"email": fmt.Sprintf("new%d@example.com", f.next()), "role": "ANALYST", "password": "a long enough password"}}
		}},
	"Mutation.updateUser": {`mutation($id: ID!) { updateUser(id: $id, input: {role: ANALYST}) { id } }`,
		func(f *matrixFixture) map[string]any { return map[string]any{"id": f.userID} }},
	"Mutation.changePassword": {`mutation { changePassword(current: "not the password", new: "another long password") }`, none},
	"Mutation.createApiToken": {`mutation($name: String!) { createApiToken(input: {name: $name, role: ANALYST}) { secret token { id } } }`,
		func(f *matrixFixture) map[string]any { return map[string]any{"name": fmt.Sprint("matrix ", f.next())} }},
	"Mutation.revokeApiToken": {`mutation($id: ID!) { revokeApiToken(id: $id) { id } }`,
		func(f *matrixFixture) map[string]any { return map[string]any{"id": f.freshToken()} }},
}

// credential is how a principal authenticates: the headers of its requests.
type credential struct {
	name   string
	header map[string]string
	// role is the principal's role; 0 when its credentials are not valid.
	role auth.Role
}

const matrixPassword = "correct horse battery staple"

// matrixOrigin is the test server's PUBLIC_URL origin (see newAPI), which
// a cookie-authenticated request must come from.
const matrixOrigin = "http://127.0.0.1"

func TestAuthorizationMatrix(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	ctx := auth.AsSystem(context.Background())
	svc := account.NewService(a.db)
	f := &matrixFixture{a: a, svc: svc, segment: strconv.FormatInt(a.segs[0], 10), other: strconv.FormatInt(a.segs[1], 10)}
	var websiteIDs []int64
	require.NoError(t, a.db.NewSelect().Table("websites").Column("id").Order("id").Scan(ctx, &websiteIDs))
	require.GreaterOrEqual(t, len(websiteIDs), 2)
	f.websiteID = strconv.FormatInt(websiteIDs[0], 10)
	f.runID = a.refresh(f.segment).ID
	f.exportID = a.export(map[string]any{"segmentIds": []string{f.segment}, "format": "CSV"}).ID
	target, err := svc.CreateUser(ctx, account.NewUser{Email: "target@example.com", Password: matrixPassword, Role: auth.Viewer})
	require.NoError(t, err)
	f.userID = strconv.FormatInt(target.ID, 10)

	token := func(name string, role auth.Role, websites ...int64) string {
		_, secret, err := svc.CreateToken(ctx, account.NewToken{Name: name, Role: role, Websites: websites})
		require.NoError(t, err)
		return secret
	}
	bearer := func(secret string) map[string]string { return map[string]string{"Authorization": "Bearer " + secret} }
	session := func(email string, role auth.Role) map[string]string {
		_, err := svc.CreateUser(ctx, account.NewUser{Email: email, Password: matrixPassword, Role: role})
		require.NoError(t, err)
		return signIn(t, a, email, matrixPassword).header
	}

	revoked := token("revoked", auth.Admin)
	revokedToken, err := svc.Tokens(ctx, false)
	require.NoError(t, err)
	for _, tk := range revokedToken {
		if tk.Name == "revoked" {
			_, err := svc.RevokeToken(ctx, tk.ID)
			require.NoError(t, err)
		}
	}
	expired := token("expired", auth.Admin)
	_, err = a.db.NewUpdate().Table("api_tokens").Set("expires_at = now() - interval '1 minute'").Where("name = 'expired'").Exec(ctx)
	require.NoError(t, err)
	admin := session("admin@example.com", auth.Admin) // not the last admin: disabled is disabled below
	disabled := session("disabled@example.com", auth.Admin)
	disabledUser, err := svc.UserByEmail(ctx, "disabled@example.com")
	require.NoError(t, err)
	yes := true
	_, err = svc.UpdateUser(ctx, disabledUser.ID, account.UserChange{Disabled: &yes})
	require.NoError(t, err)

	principals := []credential{
		{name: "anonymous", header: map[string]string{}},
		{name: "analyst (session)", header: session("analyst@example.com", auth.Analyst), role: auth.Analyst},
		{name: "viewer (session)", header: session("viewer@example.com", auth.Viewer), role: auth.Viewer},
		{name: "editor (token)", header: bearer(token("editor", auth.Editor)), role: auth.Editor},
		{name: "admin (session)", header: admin, role: auth.Admin},
		{name: "website-scoped viewer (token)", header: bearer(token("scoped viewer", auth.Viewer, websiteIDs[0])), role: auth.Viewer},
		{name: "website-scoped editor (token)", header: bearer(token("scoped editor", auth.Editor, websiteIDs[0])), role: auth.Editor},
		{name: "revoked token", header: bearer(revoked)},
		{name: "expired token", header: bearer(expired)},
		{name: "disabled user (session)", header: disabled},
	}

	schema := graph.NewExecutableSchema(graph.Config{}).Schema()
	var fields []string
	need := map[string]auth.Role{}
	for _, def := range []string{"Query", "Mutation"} {
		for _, fd := range schema.Types[def].Fields {
			if strings.HasPrefix(fd.Name, "__") {
				continue
			}
			name := def + "." + fd.Name
			fields = append(fields, name)
			role, err := auth.ParseRole(fd.Directives.ForName("requires").Arguments.ForName("role").Value.Raw)
			require.NoError(t, err, name)
			need[name] = role
		}
	}
	var missing []string
	for _, name := range fields {
		if _, ok := matrixOps[name]; !ok {
			missing = append(missing, name)
		}
	}
	require.Empty(t, missing, "add a row to matrixOps for each new field")
	for name := range matrixOps {
		require.Contains(t, fields, name, "matrixOps has a row for a field the schema no longer has")
	}
	slices.Sort(fields)

	for _, name := range fields {
		op := matrixOps[name]
		for _, p := range principals {
			status, _, errs := matrixPost(t, a.url, p.header, op.query, op.vars(f))
			what := fmt.Sprintf("%s as %s", name, p.name)
			switch {
			case p.role == 0:
				require.Equal(t, http.StatusUnauthorized, status, what)
				require.NotEmpty(t, errs, what)
				require.Equal(t, "UNAUTHENTICATED", errs[0].Extensions["code"], what)
			case !p.role.Includes(need[name]):
				require.Equal(t, http.StatusOK, status, what)
				require.NotEmpty(t, errs, what)
				require.Equal(t, "FORBIDDEN", errs[0].Extensions["code"], "%s: %s", what, errs[0].Message)
				require.Contains(t, errs[0].Message, fmt.Sprintf("needs the %s role", strings.ToUpper(need[name].String())), what)
			default:
				require.Equal(t, http.StatusOK, status, what)
				for _, e := range errs {
					require.NotEqual(t, "UNAUTHENTICATED", e.Extensions["code"], "%s: %s", what, e.Message)
					require.NotEqual(t, "INTERNAL", e.Extensions["code"], "%s: %s", what, e.Message)
					require.NotContains(t, e.Message, "role (you have", what)
				}
			}
		}
	}
}

// matrixPost posts one operation with the given credentials and returns
// the HTTP status, the data and the errors.
func matrixPost(t *testing.T, url string, header map[string]string, query string, vars map[string]any) (int, json.RawMessage, []gqlError) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, err := http.NewRequest(http.MethodPost, url+"/graphql", bytes.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	res, err := http.DefaultClient.Do(req.WithContext(ctx))
	require.NoError(t, err)
	defer res.Body.Close()
	var out struct {
		Data   json.RawMessage `json:"data"`
		Errors []gqlError      `json:"errors"`
	}
	require.NoError(t, json.NewDecoder(res.Body).Decode(&out), "status %d", res.StatusCode)
	return res.StatusCode, out.Data, out.Errors
}
