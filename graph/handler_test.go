package graph_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/segments/segments/graph"
	"github.com/segments/segments/server/logging"
	"github.com/segments/segments/server/metric"
	"github.com/segments/segments/server/metric/metrictest"
)

// post sends body to a handler that needs no database (the requests below
// fail before any resolver runs, or ask only for __typename) and returns the
// status, the Content-Type and the decoded body.
func post(t *testing.T, body, accept string) (int, string, map[string]json.RawMessage) {
	return postAs(t, "application/json", body, accept)
}

func postAs(t *testing.T, ctype, body, accept string) (int, string, map[string]json.RawMessage) {
	t.Helper()
	h := graph.NewHandler(&graph.Resolver{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(body))
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var out map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &out), rec.Body.String())
	return rec.Code, rec.Header().Get("Content-Type"), out
}

type gqlErrors []struct {
	Message    string         `json:"message"`
	Extensions map[string]any `json:"extensions"`
}

func errorsOf(t *testing.T, body map[string]json.RawMessage) gqlErrors {
	t.Helper()
	var errs gqlErrors
	require.NoError(t, json.Unmarshal(body["errors"], &errs))
	require.NotEmpty(t, errs)
	return errs
}

func TestHandlerRequestErrors(t *testing.T) {
	t.Parallel()
	const (
		appJSON  = "application/json"
		response = "application/graphql-response+json"
	)
	for _, tc := range []struct {
		name, body, accept string
		status             int
	}{
		{"empty body", "", appJSON, http.StatusBadRequest},
		{"empty body, default accept", "", "", http.StatusBadRequest},
		{"no query", `{"qeury": "{ __typename }"}`, appJSON, http.StatusBadRequest},
		{"parse error, json", `{"query": "{"}`, appJSON, http.StatusOK},
		{"parse error, graphql-response", `{"query": "{"}`, response, http.StatusBadRequest},
		{"validation error, json", `{"query": "{ nope }"}`, appJSON, http.StatusOK},
		{"validation error, graphql-response", `{"query": "{ nope }"}`, response, http.StatusBadRequest},
		{"bad variable, json", `{"query": "query ($id: ID!) { segment(id: $id) { id } }", "variables": {"id": {"x": 1}}}`, appJSON, http.StatusOK},
		{"bad variable, graphql-response", `{"query": "query ($id: ID!) { segment(id: $id) { id } }", "variables": {"id": {"x": 1}}}`, response, http.StatusBadRequest},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			status, _, body := post(t, tc.body, tc.accept)
			require.Equal(t, tc.status, status)
			_, hasData := body["data"]
			require.False(t, hasData, "a request that never executed has no data entry")
			for _, e := range errorsOf(t, body) {
				require.Equal(t, "BAD_USER_INPUT", e.Extensions["code"], e.Message)
			}
		})
	}
}

func TestHandlerEmptyPost(t *testing.T) {
	t.Parallel()
	for _, ctype := range []string{"", "application/json", "text/plain"} {
		status, _, body := postAs(t, ctype, "", "")
		require.Equal(t, http.StatusBadRequest, status, ctype)
		errs := errorsOf(t, body)
		require.Equal(t, "BAD_USER_INPUT", errs[0].Extensions["code"])
		require.Contains(t, errs[0].Message, "the request body is empty")
	}
	status, _, body := postAs(t, "text/plain", `{"query": "{ __typename }"}`, "")
	require.Equal(t, http.StatusUnsupportedMediaType, status)
	require.Equal(t, "BAD_USER_INPUT", errorsOf(t, body)[0].Extensions["code"])
}

func TestHandlerExecutes(t *testing.T) {
	t.Parallel()
	status, ctype, body := post(t, `{"query": "{ __typename }"}`, "application/graphql-response+json")
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, "application/graphql-response+json", ctype)
	require.JSONEq(t, `{"__typename": "Query"}`, string(body["data"]))
}

// TestHandlerRefusesFloods sends one handler an oversized body, a query of
// 50,000 repeated fields and an invalid body, then an ordinary query: each
// flood gets a coded error that does not echo the request, and the handler
// still answers.
func TestHandlerRefusesFloods(t *testing.T) {
	t.Parallel()
	h := graph.NewHandler(&graph.Resolver{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	send := func(body string) (int, string, map[string]json.RawMessage) {
		req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		var out map[string]json.RawMessage
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &out), rec.Body.String())
		return rec.Code, rec.Body.String(), out
	}
	marker := "ECHO-MARKER-" + strings.Repeat("x", 100)

	big := `{"query": "{ __typename }", "variables": {"v": "` + marker + strings.Repeat("a", graph.MaxBodyBytes) + `"}}`
	status, raw, body := send(big)
	require.Equal(t, http.StatusRequestEntityTooLarge, status)
	errs := errorsOf(t, body)
	require.Equal(t, "BAD_USER_INPUT", errs[0].Extensions["code"])
	require.Contains(t, errs[0].Message, "1048576 bytes")
	require.NotContains(t, raw, marker)

	flood := `{"query": "{ store { ` + strings.Repeat("timeZone ", 50_000) + `} }"}`
	status, raw, body = send(flood)
	require.Equal(t, http.StatusOK, status)
	require.NotContains(t, body, "data")
	errs = errorsOf(t, body)
	require.Equal(t, "BAD_USER_INPUT", errs[0].Extensions["code"])
	require.Equal(t, "GRAPHQL_PARSE_FAILED", errs[0].Extensions["reason"])
	require.Contains(t, errs[0].Message, "exceeded token limit of 5000")
	require.Less(t, len(raw), 1000, "the query is not echoed")

	status, raw, body = send(`{"query": "{ __typename }", ` + marker)
	require.Equal(t, http.StatusBadRequest, status)
	require.Equal(t, "BAD_USER_INPUT", errorsOf(t, body)[0].Extensions["code"])
	require.NotContains(t, raw, marker)

	status, _, body = send(`{"query": "{ __typename }"}`)
	require.Equal(t, http.StatusOK, status)
	require.JSONEq(t, `{"__typename": "Query"}`, string(body["data"]))
}

// TestHandlerRefusesNULAndInvalidUTF8: a NUL in a variable or escaped in a
// string literal, and a body that is not UTF-8, are the client's to fix
// (BAD_USER_INPUT), never an internal error from the database.
func TestHandlerRefusesNULAndInvalidUTF8(t *testing.T) {
	t.Parallel()
	for name, body := range map[string]string{
		"variable":         `{"query": "query ($n: String) { __typename }", "variables": {"n": "a\u0000b"}}`,
		"nested variable":  `{"query": "query ($f: CustomerFilter) { __typename }", "variables": {"f": {"countryCodes": ["S\u0000E"]}}}`,
		"escaped literal":  `{"query": "{ segment(id: \"1\\u0000\") { id } }"}`,
		"braced escape":    `{"query": "{ segment(id: \"1\\u{0}\") { id } }"}`,
		"raw NUL in query": `{"query": "{ segment(id: \"1\u0000\") { id } }"}`,
	} {
		status, _, out := post(t, body, "application/json")
		require.Equal(t, http.StatusOK, status, name)
		require.NotContains(t, out, "data", name)
		errs := errorsOf(t, out)
		require.Equal(t, "BAD_USER_INPUT", errs[0].Extensions["code"], name)
		require.Contains(t, errs[0].Message, "NUL", name)
	}

	status, _, out := post(t, "{\"query\": \"{ __typename }\", \"variables\": {\"n\": \"\xff\xfe\"}}", "application/json")
	require.Equal(t, http.StatusBadRequest, status)
	errs := errorsOf(t, out)
	require.Equal(t, "BAD_USER_INPUT", errs[0].Extensions["code"])
	require.Contains(t, errs[0].Message, "UTF-8")

	status, _, out = post(t, `{"query": "{ __typename }"}`, "application/json")
	require.Equal(t, http.StatusOK, status)
	require.JSONEq(t, `{"__typename": "Query"}`, string(out["data"]))
}

// TestHandlerAutomaticPersistedQueries follows the protocol a client of
// automatic persisted queries speaks: the hash alone is unknown at first
// (PERSISTED_QUERY_NOT_FOUND), the text with its hash runs and is kept, then
// the hash alone runs, by POST and by GET; a hash that does not match its
// text is refused.
func TestHandlerAutomaticPersistedQueries(t *testing.T) {
	t.Parallel()
	h := graph.NewHandler(&graph.Resolver{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	const query = `{ __typename }`
	sum := sha256.Sum256([]byte(query))
	hash := hex.EncodeToString(sum[:])
	ext := `{"persistedQuery": {"version": 1, "sha256Hash": "` + hash + `"}}`
	send := func(req *http.Request) (int, map[string]json.RawMessage) {
		t.Helper()
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		var out map[string]json.RawMessage
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &out), rec.Body.String())
		return rec.Code, out
	}
	postBody := func(body string) (int, map[string]json.RawMessage) {
		req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		return send(req)
	}

	status, body := postBody(`{"extensions": ` + ext + `}`)
	require.Equal(t, http.StatusOK, status)
	_, hasData := body["data"]
	require.False(t, hasData, "a request that never executed has no data entry")
	errs := errorsOf(t, body)
	require.Equal(t, "PERSISTED_QUERY_NOT_FOUND", errs[0].Extensions["code"])
	require.Equal(t, "PersistedQueryNotFound", errs[0].Message)

	status, body = postBody(`{"query": "` + query + `", "extensions": ` + ext + `}`)
	require.Equal(t, http.StatusOK, status)
	require.JSONEq(t, `{"__typename": "Query"}`, string(body["data"]))

	status, body = postBody(`{"extensions": ` + ext + `}`)
	require.Equal(t, http.StatusOK, status)
	require.JSONEq(t, `{"__typename": "Query"}`, string(body["data"]))

	req := httptest.NewRequest(http.MethodGet, "/graphql?extensions="+url.QueryEscape(ext), nil)
	status, body = send(req)
	require.Equal(t, http.StatusOK, status)
	require.JSONEq(t, `{"__typename": "Query"}`, string(body["data"]))

	wrong := strings.Replace(ext, hash, strings.Repeat("0", 64), 1)
	status, body = postBody(`{"query": "` + query + `", "extensions": ` + wrong + `}`)
	require.Equal(t, http.StatusOK, status)
	_, hasData = body["data"]
	require.False(t, hasData)
	require.Equal(t, "BAD_USER_INPUT", errorsOf(t, body)[0].Extensions["code"])
}

// TestCustomerListsMarshalInline guards graph/generated.go against a plain
// `gqlgen generate` (run `make generate`): lists of customers and edges are
// marshaled in the request's goroutine, not one goroutine per row.
func TestCustomerListsMarshalInline(t *testing.T) {
	t.Parallel()
	src, err := os.ReadFile("generated.go")
	require.NoError(t, err)
	for _, fn := range []string{"marshalNCustomer2ᚕ", "marshalNCustomerEdge2ᚕ"} {
		i := strings.Index(string(src), "func (ec *executionContext) "+fn)
		require.GreaterOrEqual(t, i, 0, fn)
		body := string(src[i:])
		body = body[:strings.Index(body, "\n}\n")]
		require.Contains(t, body, "marshalInline(", "%s: regenerate with make generate", fn)
	}
}

// TestOperationsAreObserved: each operation is counted by name, type,
// outcome and first error code, and its name goes on the request's log
// line.
func TestOperationsAreObserved(t *testing.T) {
	t.Parallel()
	m := metric.New()
	h := graph.NewHandler(&graph.Resolver{Metrics: m}, slog.New(slog.DiscardHandler))
	run := func(body string) string {
		ctx, note := logging.WithNote(context.Background())
		req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(body)).WithContext(ctx)
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		return note.Operation()
	}
	require.Equal(t, "Probe", run(`{"query": "query Probe { __typename }"}`))
	require.Equal(t, "Probe", run(`{"query": "query Probe { __typename }", "operationName": "Probe"}`))
	require.Equal(t, "anonymous", run(`{"query": "{ __typename }"}`))
	require.Equal(t, "Broken", run(`{"query": "query Broken { nope }"}`))
	require.Equal(t, "anonymous", run(`{"query": "{"}`))

	s := metrictest.Serve(t, m.Handler(nil))
	const total = "segments_graphql_operations_total"
	require.EqualValues(t, 2, s.Value(total, "operation", "Probe", "type", "query", "outcome", "ok", "code", "none"))
	require.EqualValues(t, 1, s.Value(total, "operation", "anonymous", "type", "query", "outcome", "ok"))
	require.EqualValues(t, 1, s.Value(total, "operation", "Broken", "outcome", "error", "code", "BAD_USER_INPUT"))
	require.EqualValues(t, 1, s.Value(total, "operation", "anonymous", "type", "unknown", "outcome", "error", "code", "BAD_USER_INPUT"))
	require.EqualValues(t, 2, s.Value("segments_graphql_operation_duration_seconds", "operation", "Probe"))
}
