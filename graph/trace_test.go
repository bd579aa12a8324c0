package graph_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	oteltrace "go.opentelemetry.io/otel/trace"

	"github.com/segments/segments/server/trace"
)

// tracedAPI is a real server with traces on, recording its spans in memory.
func tracedAPI(t *testing.T) (*api, *tracetest.InMemoryExporter) {
	t.Helper()
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
	t.Cleanup(func() { _ = tp.Shutdown(t.Context()) })
	a := newTracedAPI(t, trace.New(tp))
	exp.Reset()
	return a, exp
}

// postTraced posts a query to path (which may carry a query string), with
// extra headers.
func (a *api) postTraced(path, query string, vars map[string]any, header http.Header) {
	a.t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, err := http.NewRequest(http.MethodPost, a.url+path, bytes.NewReader(body))
	require.NoError(a.t, err)
	for k, v := range header {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+a.token)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(a.t, err)
	defer resp.Body.Close()
	var r struct {
		Errors []gqlError `json:"errors"`
	}
	require.NoError(a.t, json.NewDecoder(resp.Body).Decode(&r))
	require.Empty(a.t, r.Errors)
}

// spanNamed is the one span called name.
func spanNamed(t *testing.T, spans tracetest.SpanStubs, name string) tracetest.SpanStub {
	t.Helper()
	var found []tracetest.SpanStub
	for _, s := range spans {
		if s.Name == name {
			found = append(found, s)
		}
	}
	require.Len(t, found, 1, "spans called %q among %v", name, names(spans))
	return found[0]
}

func names(spans tracetest.SpanStubs) []string {
	var n []string
	for _, s := range spans {
		n = append(n, s.Name)
	}
	return n
}

func attr(s tracetest.SpanStub, key attribute.Key) (string, bool) {
	for _, a := range s.Attributes {
		if a.Key == key {
			return a.Value.Emit(), true
		}
	}
	return "", false
}

func TestTracesNestHTTPGraphQLAndSQLAndKeepPersonalDataOut(t *testing.T) {
	t.Parallel()
	a, exp := tracedAPI(t)
	const (
		email     = "private.person@example.org"
		signature = "sig-must-not-be-traced"
	)
	// A caller's trace goes on; the query string and the variables stay out.
	caller := "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
	a.postTraced("/graphql?sig="+signature, `query DrillDown($id: ID!, $f: CustomerFilter) {
		segment(id: $id) { name customers(first: 5, filter: $f) { totalCount nodes { id } } } }`,
		map[string]any{"id": a.segs[0], "f": map[string]any{"email": email}},
		http.Header{"Traceparent": {caller}, "User-Agent": {"agent-must-not-be-traced"}})

	spans := exp.GetSpans()
	httpSpan := spanNamed(t, spans, "POST /graphql")
	require.Equal(t, oteltrace.SpanKindServer, httpSpan.SpanKind)
	require.Equal(t, "0af7651916cd43dd8448eb211c80319c", httpSpan.SpanContext.TraceID().String(), "the caller's trace goes on")
	require.True(t, httpSpan.Parent.IsRemote())
	route, _ := attr(httpSpan, "http.route")
	require.Equal(t, "/graphql", route)
	status, _ := attr(httpSpan, "http.response.status_code")
	require.Equal(t, "200", status)

	op := spanNamed(t, spans, "query DrillDown")
	require.Equal(t, httpSpan.SpanContext.SpanID(), op.Parent.SpanID(), "the operation's span is the request's child")
	name, _ := attr(op, "graphql.operation.name")
	typ, _ := attr(op, "graphql.operation.type")
	require.Equal(t, []string{"DrillDown", "query"}, []string{name, typ})
	require.Equal(t, codes.Unset, op.Status.Code)

	var sql []tracetest.SpanStub
	for _, s := range spans {
		if s.Parent.SpanID() == op.SpanContext.SpanID() && s.SpanKind == oteltrace.SpanKindClient {
			sql = append(sql, s)
		}
	}
	require.NotEmpty(t, sql, "the operation's statements are its children")
	withText := 0
	for _, s := range sql {
		system, _ := attr(s, "db.system.name")
		require.Equal(t, "postgresql", system)
		if text, ok := attr(s, "db.query.text"); ok {
			withText++
			require.Contains(t, text, "$1", "a statement's text is recorded only with bind parameters")
		}
	}
	require.Positive(t, withText, "hand-built statements carry their text")

	// Nothing personal or secret in any span: not the variables, the
	// query string, the token, the client's address or user agent.
	for _, s := range spans {
		for _, kv := range s.Attributes {
			v := kv.Value.Emit()
			for _, secret := range []string{email, signature, a.token, "agent-must-not-be-traced", "DrillDown($id"} {
				require.NotContains(t, v, secret, "span %q attribute %s", s.Name, kv.Key)
			}
		}
		for _, key := range []attribute.Key{"url.path", "url.query", "url.full", "client.address", "network.peer.address", "user_agent.original", "graphql.document"} {
			_, ok := attr(s, key)
			require.False(t, ok, "span %q has %s", s.Name, key)
		}
	}
}

func TestTracesNameRoutesNotPathsAndMarkErrors(t *testing.T) {
	t.Parallel()
	a, exp := tracedAPI(t)
	// A download link with a bad signature: refused, and traced under its
	// route, without its id, name or signature.
	resp, err := http.Get(a.url + "/exports/12345/private-file.csv?expires=1&sig=secret-signature")
	require.NoError(t, err)
	resp.Body.Close()
	require.GreaterOrEqual(t, resp.StatusCode, 400)
	dl := spanNamed(t, exp.GetSpans(), "GET /exports/{id}/{name}")
	for _, kv := range dl.Attributes {
		for _, secret := range []string{"12345", "private-file", "secret-signature"} {
			require.NotContains(t, kv.Value.Emit(), secret, "attribute %s", kv.Key)
		}
	}

	// An operation that fails carries its error code, not its message.
	exp.Reset()
	errs := a.do(`mutation Missing { refreshSegmentData(segmentIds: ["999999"]) { id } }`, nil, nil)
	require.NotEmpty(t, errs)
	op := spanNamed(t, exp.GetSpans(), "mutation Missing")
	require.Equal(t, codes.Error, op.Status.Code)
	code, _ := attr(op, "error.type")
	require.Equal(t, errs[0].Extensions["code"], code)
	require.Equal(t, code, op.Status.Description)
}

func TestTracesLinkAJobToTheRequestThatQueuedIt(t *testing.T) {
	t.Parallel()
	a, exp := tracedAPI(t)
	var r struct {
		RefreshSegmentData struct{ State string }
	}
	a.ok(`mutation Refresh($ids: [ID!]) { refreshSegmentData(segmentIds: $ids) { state } }`, map[string]any{"ids": a.segs[:1]}, &r)
	op := spanNamed(t, exp.GetSpans(), "mutation Refresh")
	var work tracetest.SpanStub
	require.Eventually(t, func() bool {
		for _, s := range exp.GetSpans() {
			if strings.HasPrefix(s.Name, "river.work/refresh") {
				work = s
				return true
			}
		}
		return false
	}, 30*time.Second, 50*time.Millisecond, "the refresh job's span")
	require.NotEqual(t, op.SpanContext.TraceID(), work.SpanContext.TraceID(), "a job is a trace of its own")
	require.Len(t, work.Links, 1)
	require.Equal(t, op.SpanContext.TraceID(), work.Links[0].SpanContext.TraceID(), "linked to the request's trace")
}
