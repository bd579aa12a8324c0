package graph_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/segments/segments/graph"
	"github.com/segments/segments/server/auth"
)

// principalHeader names, in a test request, the principal it acts as (see
// withTestPrincipal).
const principalHeader = "X-Test-Principal"

// testPrincipals are the principals a test request can act as.
var testPrincipals = map[string]*auth.Principal{
	"analyst": {Kind: auth.User, ID: 101, Name: "analyst@example.com", Email: "analyst@example.com", Role: auth.Analyst},
	"viewer":  {Kind: auth.User, ID: 102, Name: "viewer@example.com", Email: "viewer@example.com", Role: auth.Viewer},
	"editor":  {Kind: auth.Token, ID: 103, Name: "nightly export", Role: auth.Editor},
	"admin":   {Kind: auth.User, ID: 104, Name: "admin@example.com", Email: "admin@example.com", Role: auth.Admin},
}

// withTestPrincipal puts the principal a request names in principalHeader
// into its context, as the auth middleware does for real credentials:
// "anonymous" gets none, and a request without the header acts as the
// system (every website, every role).
func withTestPrincipal(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		switch name := r.Header.Get(principalHeader); name {
		case "":
			ctx = auth.AsSystem(ctx)
		case "anonymous":
		default:
			p, ok := testPrincipals[name]
			if !ok {
				http.Error(w, "unknown test principal "+name, http.StatusBadRequest)
				return
			}
			ctx = auth.With(ctx, p)
		}
		h.ServeHTTP(w, r.WithContext(ctx))
	})
}

// TestCheckRolesRefusesAFieldWithoutARole runs the startup check on small
// schemas: a Query or Mutation field without @requires is named, and a
// schema where every one has a role passes.
func TestCheckRolesRefusesAFieldWithoutARole(t *testing.T) {
	t.Parallel()
	const preamble = `
		enum Role { ANALYST VIEWER EDITOR ADMIN }
		directive @requires(role: Role!) on FIELD_DEFINITION | INPUT_FIELD_DEFINITION
		type Thing { secret: String @requires(role: ADMIN) plain: String }
	`
	load := func(body string) *ast.Schema {
		s, err := gqlparser.LoadSchema(&ast.Source{Name: "test.graphql", Input: preamble + body})
		require.NoError(t, err)
		return s
	}
	ok := load(`
		type Query { things: [Thing!]! @requires(role: ANALYST) }
		type Mutation { dropThings: Int! @requires(role: EDITOR) }
	`)
	require.NoError(t, graph.CheckRoles(ok), "fields of other types need no role")

	err := graph.CheckRoles(load(`
		type Query { things: [Thing!]! @requires(role: ANALYST) forgotten: Int }
		type Mutation { dropThings: Int! alsoForgotten: Int! @requires(role: ADMIN) }
	`))
	require.ErrorContains(t, err, "Query.forgotten, Mutation.dropThings")
	require.NotContains(t, err.Error(), "things,")
	require.NotContains(t, err.Error(), "alsoForgotten")

	// The served schema passes, or NewHandler would panic.
	require.NoError(t, graph.CheckRoles(graph.NewExecutableSchema(graph.Config{}).Schema()))
	require.NotPanics(t, func() { graph.NewHandler(&graph.Resolver{}, slog.New(slog.DiscardHandler)) })
}

// TestRequiresRefusesBeforeAnythingRuns sends requests through the real
// handler, without a database: a refused field never reaches its resolver
// (which, here, would fail with an internal error), so the answer is
// exactly the directive's.
func TestRequiresRefusesBeforeAnythingRuns(t *testing.T) {
	t.Parallel()
	h := withTestPrincipal(graph.NewHandler(&graph.Resolver{TimeZone: "UTC", BaseCurrency: "EUR"},
		slog.New(slog.NewTextHandler(io.Discard, nil))))
	send := func(as, query string) (data json.RawMessage, errs gqlErrors) {
		t.Helper()
		body, _ := json.Marshal(map[string]any{"query": query})
		req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(string(body)))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set(principalHeader, as)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		var out struct {
			Data   json.RawMessage `json:"data"`
			Errors gqlErrors       `json:"errors"`
		}
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &out))
		return out.Data, out.Errors
	}
	const store = `{ store { timeZone } }`
	for _, tc := range []struct {
		as, query, code, message string
	}{
		{"anonymous", store, "UNAUTHENTICATED", "store needs credentials: sign in, or send an API token"},
		{"analyst", `mutation { deleteSegments(ids: ["1"]) }`, "FORBIDDEN", "deleteSegments needs the EDITOR role (you have ANALYST)"},
		{"viewer", `mutation { refreshSegmentData { id } }`, "FORBIDDEN", "refreshSegmentData needs the EDITOR role (you have VIEWER)"},
		{"viewer", `{ exportJob(id: "1") { id } }`, "FORBIDDEN", "exportJob needs the EDITOR role (you have VIEWER)"},
		{"editor", `{ users { nodes { id } } }`, "FORBIDDEN", "users needs the ADMIN role (you have EDITOR)"},
		{"editor", `{ auditEvents { nodes { id } } }`, "FORBIDDEN", "auditEvents needs the ADMIN role (you have EDITOR)"},
		{"editor", `mutation { revokeApiToken(id: "1") { id } }`, "FORBIDDEN", "revokeApiToken needs the ADMIN role (you have EDITOR)"},
		{"analyst", `{ segmentCustomers(segmentIds: ["1"], filter: {email: "ann@"}) { totalCount } }`, "FORBIDDEN",
			"filter.email needs the VIEWER role (you have ANALYST): with your role, filter customers only by websiteIds, groupIds and countryCodes"},
		{"analyst", `{ segmentCustomers(segmentIds: ["1"], filter: {customerSinceFrom: "2020-01-01T00:00:00Z"}) { totalCount } }`, "FORBIDDEN",
			"filter.customerSinceFrom needs the VIEWER role (you have ANALYST)"},
		{"anonymous", `{ segmentCustomers(segmentIds: ["1"], filter: {name: "x"}) { totalCount } }`, "UNAUTHENTICATED", "needs credentials"},
	} {
		data, errs := send(tc.as, tc.query)
		require.Len(t, errs, 1, "%s: %s", tc.as, tc.query)
		require.Equal(t, tc.code, errs[0].Extensions["code"], "%s: %s: %s", tc.as, tc.query, errs[0].Message)
		require.Contains(t, errs[0].Message, tc.message)
		var fields map[string]any
		_ = json.Unmarshal(data, &fields)
		for k, v := range fields {
			require.Nil(t, v, "%s answered nothing", k)
		}
	}

	// Allowed: every role includes the ones before it.
	for _, as := range []string{"analyst", "viewer", "editor", "admin"} {
		data, errs := send(as, store)
		require.Empty(t, errs, as)
		require.JSONEq(t, `{"store": {"timeZone": "UTC"}}`, string(data))
	}
	// __typename needs no role: it reveals nothing, and the HTTP layer
	// keeps /graphql to signed-in principals anyway.
	data, errs := send("anonymous", `{ __typename }`)
	require.Empty(t, errs)
	require.JSONEq(t, `{"__typename": "Query"}`, string(data))
}
