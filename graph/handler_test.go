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

	"github.com/segments/segments/graph"
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
