package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/segments/segments/graph"
	"github.com/segments/segments/server/auth"
)

// gate holds the statements it matches until it opens, counting how many
// are held at once.
type gate struct {
	match   func(sql string) bool
	open    chan struct{}
	opened  sync.Once
	held    chan struct{}
	running atomic.Int64
	most    atomic.Int64
}

type gateKey struct{}

func newGate(match func(string) bool) *gate {
	return &gate{match: match, open: make(chan struct{}), held: make(chan struct{}, 1000)}
}

// release lets every held statement and every later one through.
func (g *gate) release() { g.opened.Do(func() { close(g.open) }) }

func (g *gate) hold() {
	n := g.running.Add(1)
	for m := g.most.Load(); n > m && !g.most.CompareAndSwap(m, n); m = g.most.Load() {
	}
	g.held <- struct{}{}
	<-g.open
}

// post sends a body to the API with the client's token.
func (a *api) post(ctx context.Context, body []byte) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.url+"/graphql", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+a.token)
	return http.DefaultClient.Do(req)
}

// raw posts a body to the API and returns the status and decoded answer.
func (a *api) raw(body []byte) (int, map[string]json.RawMessage) {
	a.t.Helper()
	resp, err := a.post(context.Background(), body)
	require.NoError(a.t, err)
	defer resp.Body.Close()
	var out map[string]json.RawMessage
	require.NoError(a.t, json.NewDecoder(resp.Body).Decode(&out))
	return resp.StatusCode, out
}

// healthy asserts an ordinary query is answered.
func (a *api) healthy() {
	a.t.Helper()
	var r struct{ Segments struct{ TotalCount int } }
	a.ok(`{ segments(first: 1) { totalCount } }`, nil, &r)
	require.Equal(a.t, len(a.segs), r.Segments.TotalCount)
}

// aliasedCounts is one request of n aliased totalCounts of a segment's
// customers.
func aliasedCounts(n int, id int64) string {
	var b strings.Builder
	b.WriteString("{")
	for i := range n {
		fmt.Fprintf(&b, ` c%d: segmentCustomers(segmentIds: ["%d"]) { totalCount }`, i, id)
	}
	b.WriteString(" }")
	return b.String()
}

// TestAbusiveRequestsAreRefusedCheaply sends each flood the issue measured
// to a server over a real database: each gets a coded refusal before
// anything runs on the database, and the server answers normally right after.
func TestAbusiveRequestsAreRefusedCheaply(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	refused := func(name, query string, status int, reason, says string) {
		t.Helper()
		body, err := json.Marshal(map[string]any{"query": query})
		require.NoError(t, err)
		var got int
		var out map[string]json.RawMessage
		n := a.fewestStatements(func() { got, out = a.raw(body) })
		require.Equal(t, status, got, name)
		require.NotContains(t, out, "data", name)
		var errs []gqlError
		require.NoError(t, json.Unmarshal(out["errors"], &errs), name)
		require.Equal(t, "BAD_USER_INPUT", errs[0].Extensions["code"], name)
		if reason != "" {
			require.Equal(t, reason, errs[0].Extensions["reason"], name)
		}
		require.Contains(t, errs[0].Message, says, name)
		// The one statement is the gate looking up the API token.
		require.LessOrEqual(t, n, int64(1), "%s: nothing but the credentials check ran", name)
		a.healthy()
	}
	seg := a.segs[0]
	// 12,000 aliased totalCounts (0.8 MB): more tokens than the parser reads.
	refused("12,000 aliases", aliasedCounts(12_000, seg), http.StatusOK, "GRAPHQL_PARSE_FAILED", "token limit")
	// 20,000 (1.4 MB): larger than the body limit.
	refused("20,000 aliases", aliasedCounts(20_000, seg), http.StatusRequestEntityTooLarge, "", "larger than the limit of 1048576 bytes")
	// Within the token limit: more root fields than one selection set may hold.
	refused("300 aliases", aliasedCounts(300, seg), http.StatusOK, "FIELD_LIMIT_EXCEEDED", "300 fields in one selection set")
	// Within the field limits: each totalCount costs as much as a big page.
	refused("30 aliases", aliasedCounts(30, seg), http.StatusOK, "COMPLEXITY_LIMIT_EXCEEDED", "more than the limit of 25000")

	refused("10,000 duplicated fields", "{ store { "+strings.Repeat("timeZone ", 10_000)+"} }", http.StatusOK, "GRAPHQL_PARSE_FAILED", "token limit")
	refused("4,000 duplicated fields", "{ store { "+strings.Repeat("timeZone ", 4_000)+"} }", http.StatusOK, "FIELD_LIMIT_EXCEEDED", "4000 fields in one selection set")
	refused("deep nesting", "{ __type(name: \"Query\") { "+strings.Repeat("ofType { ", 40)+"name"+strings.Repeat(" }", 41)+" }",
		http.StatusOK, "FIELD_LIMIT_EXCEEDED", "levels deep, more than the limit of 20")
	refused("nested pages", `{ segments(first: 200) { nodes { customers(first: 200) { nodes { id } } } } }`, http.StatusOK, "COMPLEXITY_LIMIT_EXCEEDED", "the operation costs")
	refused("a totalCount per row", `{ segments(first: 50) { nodes { customers { totalCount } } } }`, http.StatusOK, "COMPLEXITY_LIMIT_EXCEEDED", "the operation costs 50")
	// Unpaged lists of segments are priced per item when their items count:
	// by the ids asked for, else as UnpagedRows items.
	ids30 := strings.Repeat(`"1",`, 30)
	refused("a count per segment of a mass mutation", `mutation { setSegmentStatus(ids: [`+ids30+`], status: ACTIVE) { customers { totalCount } } }`,
		http.StatusOK, "COMPLEXITY_LIMIT_EXCEEDED", "the operation costs 30")
	refused("a count per segment of a refresh job", `{ refreshJob(id: "1") { segments { customers(filter: {countryCodes: ["SE"]}) { totalCount } } } }`,
		http.StatusOK, "COMPLEXITY_LIMIT_EXCEEDED", "the operation costs 100")

	big := []byte(`{"query": "{ __typename }", "variables": {"v": "` + strings.Repeat("a", 10<<20) + `"}}`)
	status, out := a.raw(big)
	require.Equal(t, http.StatusRequestEntityTooLarge, status)
	var errs []gqlError
	require.NoError(t, json.Unmarshal(out["errors"], &errs))
	require.Equal(t, "BAD_USER_INPUT", errs[0].Extensions["code"])
	a.healthy()

	// The app's largest page fits: 200 customers with every column and the count.
	var r struct{ SegmentCustomers struct{ TotalCount int } }
	a.ok(`query($ids: [ID!]!) { segmentCustomers(segmentIds: $ids, first: 200) { totalCount
		pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
		edges { cursor node { id name firstName lastName email group { id code name } phone zip region
		country { code name } website { id code name } customerSince } } } }`, map[string]any{"ids": ids(a.segs)}, &r)
	require.Positive(t, r.SegmentCustomers.TotalCount)
}

// TestOneRequestTakesOnlyItsShareOfThePool holds the counts of one request
// of 20 aliased totalCounts (within every limit) on the database: it never
// holds more than its share of connections, and meanwhile another client's
// drill-down is answered. Then the counts go through and the request
// succeeds.
func TestOneRequestTakesOnlyItsShareOfThePool(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	g := newGate(func(sql string) bool {
		return strings.HasPrefix(sql, "SELECT customer_count FROM segments WHERE id = ")
	})
	a.queries.gate.Store(g)
	t.Cleanup(g.release) // before the server closes, should the test fail

	const aliases = 20
	type result struct {
		errs []gqlError
		data map[string]struct{ TotalCount int }
	}
	done := make(chan result, 1)
	go func() {
		var r result
		body, _ := json.Marshal(map[string]any{"query": aliasedCounts(aliases, a.segs[0])})
		resp, err := a.post(context.Background(), body)
		if err == nil {
			var out struct {
				Data   map[string]struct{ TotalCount int }
				Errors []gqlError
			}
			err = json.NewDecoder(resp.Body).Decode(&out)
			resp.Body.Close()
			r = result{out.Errors, out.Data}
		}
		if err != nil {
			r.errs = []gqlError{{Message: err.Error()}}
		}
		done <- r
	}()
	for range graph.DefaultRequestConns {
		<-g.held
	}

	// Another client drills into another segment (no count) while the
	// request's share is taken.
	ctx, cancel := context.WithTimeout(context.Background(), graph.DefaultRequestTimeout)
	defer cancel()
	body, _ := json.Marshal(map[string]any{"query": `query($ids: [ID!]!) { segmentCustomers(segmentIds: $ids, first: 10) { nodes { id name email } } }`,
		"variables": map[string]any{"ids": ids(a.segs[1:2])}})
	resp, err := a.post(ctx, body)
	require.NoError(t, err, "the drill-down is served while the big request waits")
	var drill struct {
		Data struct {
			SegmentCustomers struct{ Nodes []struct{ ID string } }
		}
		Errors []gqlError
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&drill))
	resp.Body.Close()
	require.Empty(t, drill.Errors)
	require.NotEmpty(t, drill.Data.SegmentCustomers.Nodes)
	require.Equal(t, int64(graph.DefaultRequestConns), g.running.Load(), "the big request holds its whole share, and no more")

	g.release()
	r := <-done
	require.Empty(t, r.errs)
	require.Len(t, r.data, aliases)
	for _, c := range r.data {
		require.Equal(t, r.data["c0"].TotalCount, c.TotalCount)
	}
	require.LessOrEqual(t, g.most.Load(), int64(graph.DefaultRequestConns), "never more connections than its share")
	a.queries.gate.Store(nil)
	a.healthy()
}

// TestRequestTimeoutCancelsItsStatements: a request whose statement waits
// on the database past the request's time limit gets a TIMEOUT error, the
// statement is cancelled on the server, and the next request is answered.
// timeoutServer serves a's GraphQL handler alone, acting as the system (the
// gate is not what the timeout tests are about), with a request time limit
// of timeout.
func timeoutServer(t *testing.T, a *api, timeout time.Duration) string {
	t.Helper()
	r := *a.resolver
	r.RequestTimeout = timeout
	h := graph.NewHandler(&r, slog.New(slog.NewTextHandler(io.Discard, nil)))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		h.ServeHTTP(w, req.WithContext(auth.AsSystem(req.Context())))
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// timesOut locks table from another session, posts query (with vars) to
// url and requires a TIMEOUT answer, then that the server cancelled the
// statement: nothing waits on the lock any more.
func timesOut(t *testing.T, a *api, url, table, query string, vars map[string]any) gqlError {
	t.Helper()
	ctx := context.Background()
	lock, err := a.db.Pool.Begin(ctx)
	require.NoError(t, err)
	defer func() { _ = lock.Rollback(ctx) }()
	_, err = lock.Exec(ctx, `LOCK TABLE `+table+` IN ACCESS EXCLUSIVE MODE`)
	require.NoError(t, err)

	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	resp, err := http.Post(url, "application/json", bytes.NewReader(body))
	require.NoError(t, err)
	var out struct{ Errors []gqlError }
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
	resp.Body.Close()
	require.NotEmpty(t, out.Errors)
	require.Equal(t, "TIMEOUT", out.Errors[0].Extensions["code"], out.Errors[0].Message)

	waiting := func() bool {
		var n int
		require.NoError(t, a.db.Pool.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock' AND state = 'active'`).Scan(&n))
		return n > 0
	}
	require.Eventually(t, func() bool { return !waiting() }, 10*time.Second, 20*time.Millisecond)
	require.NoError(t, lock.Rollback(ctx))
	return out.Errors[0]
}

func TestRequestTimeoutCancelsItsStatements(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	url := timeoutServer(t, a, time.Second)
	// Another session locks the segments table: the count waits on it.
	e := timesOut(t, a, url, "segments", fmt.Sprintf(`{ segmentCustomers(segmentIds: ["%d"]) { totalCount } }`, a.segs[0]), nil)
	require.Contains(t, e.Message, "REQUEST_STATEMENT_TIMEOUT")
	a.healthy()
}
