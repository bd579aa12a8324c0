package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/account"
	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/logging/logtest"
	"github.com/segments/segments/server/metric/metrictest"
	"github.com/segments/segments/server/segment/scopetest"
)

// freeAddr is a loopback address with a port free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	return addr
}

// logLines reads the JSON lines of an instance's log.
func (in *instance) logLines() []map[string]any {
	in.t.Helper()
	b, err := os.ReadFile(in.logPath)
	require.NoError(in.t, err)
	return logtest.Parse(in.t, string(b))
}

// storeWithToken is the scopetest store with an API token of role,
// returning the token's id and secret.
func storeWithToken(t *testing.T, name string, role auth.Role) (s *scopetest.Store, id int64, secret string) {
	t.Helper()
	s = scopetest.New(t)
	tok, secret, err := account.NewService(s.DB).CreateToken(auth.AsSystem(context.Background()), account.NewToken{Name: name, Role: role})
	require.NoError(t, err)
	return s, tok.ID, secret
}

// readyz is the instance's /readyz status and reason ("" when ready).
func (in *instance) readyz() (int, string) {
	in.t.Helper()
	c := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := c.Get(in.url + "/readyz")
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	var body struct{ Status, Reason string }
	require.NoError(in.t, json.NewDecoder(resp.Body).Decode(&body))
	return resp.StatusCode, body.Reason
}

// TestShutdownDrainsRequests: on SIGTERM /readyz turns 503 at once while
// the server still answers for SHUTDOWN_DELAY; then it stops accepting
// connections, lets the request in flight finish, and exits 0. The slow
// request is logged as such, with its id, operation and principal.
func TestShutdownDrainsRequests(t *testing.T) {
	t.Parallel()
	s, tokID, secret := storeWithToken(t, "drain", auth.Viewer)
	in := startInstance(t, "drain", s.DB.Pool.Config().ConnString(), secret,
		"SHUTDOWN_DELAY=3s", "SHUTDOWN_TIMEOUT=20s", "SLOW_REQUEST=500ms", "LOG_FORMAT=json", "LOG_LEVEL=info")
	status, reason := in.readyz()
	require.Equal(t, http.StatusOK, status, reason)

	// A request in flight: its headers and half its body sent.
	body := `{"query": "query Drain { websites { name } }", "operationName": "Drain"}`
	conn, err := net.Dial("tcp", strings.TrimPrefix(in.url, "http://"))
	require.NoError(t, err)
	defer conn.Close()
	_, err = fmt.Fprintf(conn, "POST /graphql HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nAuthorization: Bearer %s\r\nX-Request-ID: drain-1\r\nContent-Length: %d\r\n\r\n%s",
		strings.TrimPrefix(in.url, "http://"), secret, len(body), body[:20])
	require.NoError(t, err)
	// The server has the request once it answers the next one.
	status, _ = in.readyz()
	require.Equal(t, http.StatusOK, status)

	require.NoError(t, in.cmd.Process.Signal(syscall.SIGTERM))
	eventually(t, func() bool {
		status, reason = in.readyz()
		return status == http.StatusServiceUnavailable
	}, "/readyz turns 503")
	require.Equal(t, "shutting down", reason)
	// After the delay the listener closes: new connections are refused.
	require.Eventually(t, func() bool {
		c, err := net.DialTimeout("tcp", strings.TrimPrefix(in.url, "http://"), time.Second)
		if err == nil {
			_ = c.Close()
		}
		return err != nil
	}, 20*time.Second, 20*time.Millisecond, "the listener closes after SHUTDOWN_DELAY")

	// The request in flight still completes.
	_, err = io.WriteString(conn, body[20:])
	require.NoError(t, err)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err)
	answer, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode, string(answer))
	require.Contains(t, string(answer), `"name":"Alpha"`)
	require.Equal(t, "drain-1", resp.Header.Get("X-Request-ID"))

	select {
	case err := <-in.exit:
		require.NoError(t, err, "exits 0")
	case <-time.After(30 * time.Second):
		t.Fatal("did not exit after SIGTERM")
	}

	var slow map[string]any
	var sawShutdown bool
	for _, l := range in.logLines() {
		if l["request_id"] == "drain-1" && l["msg"] == "slow request" {
			slow = l
		}
		sawShutdown = sawShutdown || l["msg"] == "shutting down: /readyz answers 503"
	}
	require.True(t, sawShutdown)
	require.NotNil(t, slow, "the drained request is logged as slow")
	require.Equal(t, "WARN", slow["level"])
	require.Equal(t, "Drain", slow["operation"])
	require.Equal(t, "token:"+strconv.FormatInt(tokID, 10), slow["principal"])
	require.EqualValues(t, 200, slow["status"])
	require.Equal(t, "/graphql", slow["route"])
	require.Greater(t, slow["duration_ms"].(float64), 500.0)
}

// TestMetricsScrape: after a few requests, a refresh and an export, the
// metrics listener (and only it) shows what an operator needs: requests by
// route and status, operations by name and outcome, runs by state with
// rows and bytes, the queue, the pool and the build.
func TestMetricsScrape(t *testing.T) {
	t.Parallel()
	s, _, secret := storeWithToken(t, "ops", auth.Editor)
	ctx := auth.AsSystem(context.Background())
	metricsAddr := freeAddr(t)
	in := startInstance(t, "metrics", s.DB.Pool.Config().ConnString(), secret, "METRICS_ADDR="+metricsAddr)

	for range 3 {
		_, code := in.query(secret, `query Websites { websites { name } }`, nil)
		require.Empty(t, code)
	}
	_, code := in.query(secret, `query Broken { nope }`, nil)
	require.Equal(t, "BAD_USER_INPUT", code)
	// A new customer of website a: the refresh adds it to three segments.
	_, err := db.Exec(ctx, s.DB, `INSERT INTO customers (id, website_id, group_id, email, first_name, last_name, created_at)
		SELECT 1000, $1, id, 'new@a.example.com', 'New', 'Customer', now() FROM customer_groups LIMIT 1`, s.A)
	require.NoError(t, err)
	data, code := in.query(secret, `mutation Refresh { refreshSegmentData { id state } }`, nil)
	require.Empty(t, code)
	runID := data["refreshSegmentData"].(map[string]any)["id"].(string)
	eventually(t, func() bool {
		data, _ := in.query(secret, `query RefreshJob($id: ID!) { refreshJob(id: $id) { state } }`, map[string]any{"id": runID})
		return data["refreshJob"].(map[string]any)["state"] == "SUCCEEDED"
	}, "the refresh succeeds")
	data, code = in.query(secret, `mutation Export($ids: [ID!]!) { exportSegmentCustomers(input: {segmentIds: $ids, format: CSV}) { id state } }`,
		map[string]any{"ids": []string{strconv.FormatInt(s.All, 10)}})
	require.Empty(t, code)
	exportID := data["exportSegmentCustomers"].(map[string]any)["id"].(string)
	eventually(t, func() bool {
		data, _ := in.query(secret, `query ExportJob($id: ID!) { exportJob(id: $id) { state } }`, map[string]any{"id": exportID})
		return data["exportJob"].(map[string]any)["state"] == "SUCCEEDED"
	}, "the export succeeds")

	// Never on the public listener.
	resp, err := http.Get(in.url + "/metrics")
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	require.Equal(t, http.StatusNotFound, resp.StatusCode)

	m := metrictest.Get(t, "http://"+metricsAddr+"/metrics")
	require.GreaterOrEqual(t, m.Value("segments_http_request_duration_seconds", "route", "/graphql", "method", "POST", "status", "200"), 8.0)
	require.Positive(t, m.Value("segments_http_request_duration_seconds", "route", "GET /healthz"))
	require.EqualValues(t, 3, m.Value("segments_graphql_operations_total", "operation", "Websites", "type", "query", "outcome", "ok", "code", "none"))
	require.EqualValues(t, 1, m.Value("segments_graphql_operations_total", "operation", "Broken", "outcome", "error", "code", "BAD_USER_INPUT"))
	require.EqualValues(t, 1, m.Value("segments_graphql_operations_total", "operation", "Refresh", "type", "mutation", "outcome", "ok"))
	require.EqualValues(t, 1, m.Value("segments_run_attempts_total", "kind", "refresh", "state", "succeeded"))
	require.EqualValues(t, 3, m.Value("segments_run_rows_total", "kind", "refresh"))
	require.EqualValues(t, 1, m.Value("segments_run_attempts_total", "kind", "export", "state", "succeeded"))
	require.EqualValues(t, 3*scopetest.PerWebsite+1, m.Value("segments_run_rows_total", "kind", "export"))
	require.Greater(t, m.Value("segments_run_bytes_total", "kind", "export"), float64(100*(3*scopetest.PerWebsite+1)/4))
	// By kind: the leader's periodic sweeps may have started too.
	require.EqualValues(t, 1, m.Value("segments_job_wait_seconds", "kind", "refresh_run"))
	require.EqualValues(t, 1, m.Value("segments_job_wait_seconds", "kind", "export"))
	require.NotEmpty(t, m.Series("segments_job_queue_jobs", "kind", "refresh_run", "state", "available"))
	require.NotEmpty(t, m.Series("segments_job_queue_jobs", "kind", "export", "state", "available"))
	require.Positive(t, m.Value("segments_db_pool_max_connections"))
	require.Positive(t, m.Value("segments_db_pool_acquires_total"))
	require.NotEmpty(t, m.Series("go_build_info"))
	require.NotEmpty(t, m.Series("process_resident_memory_bytes"))
	in.stop()
}

// TestReadyzFollowsMigrations: an instance whose database is behind its
// binary is not ready; one whose database is ahead (a newer instance
// migrated it during a rolling upgrade) is.
func TestReadyzFollowsMigrations(t *testing.T) {
	t.Parallel()
	s := scopetest.New(t)
	ctx := auth.AsSystem(context.Background())
	in := startInstance(t, "ready", s.DB.Pool.Config().ConnString(), "")
	status, reason := in.readyz()
	require.Equal(t, http.StatusOK, status, reason)

	_, err := db.Exec(ctx, s.DB, `INSERT INTO bun_migrations (name, group_id) VALUES ('29991231000000_from_a_newer_release', 999)`)
	require.NoError(t, err)
	status, reason = in.readyz()
	require.Equal(t, http.StatusOK, status, "ahead of the binary is ready: %s", reason)

	var last string
	require.NoError(t, db.Get(ctx, s.DB, `SELECT max(name) FROM bun_migrations WHERE name < '2999'`, nil, &last))
	_, err = db.Exec(ctx, s.DB, `DELETE FROM bun_migrations WHERE name = $1`, last)
	require.NoError(t, err)
	status, reason = in.readyz()
	require.Equal(t, http.StatusServiceUnavailable, status)
	require.Equal(t, "the database is behind this binary: 1 migration is not applied (run segments migrate)", reason)
	resp, err := http.Get(in.url + "/healthz")
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	require.Equal(t, http.StatusOK, resp.StatusCode, "still alive")
	in.stop()
}

// TestSigningKeyRotation: instances started with a new SIGNING_KEY and the
// old one as SIGNING_KEY_PREVIOUS open the page cursors and download links
// the old key signed, and sign new ones with the new key; once the
// previous key is dropped, the old ones stop working.
func TestSigningKeyRotation(t *testing.T) {
	t.Parallel()
	s, _, secret := storeWithToken(t, "rotate", auth.Editor)
	dbURL := s.DB.Pool.Config().ConnString()
	oldKey, newKey := strings.Repeat("o", 32), strings.Repeat("n", 48)
	all := []string{strconv.FormatInt(s.All, 10)}
	// One bucket for the three instances, as a real installation has.
	bucket := "EXPORT_STORAGE_URL=file://" + t.TempDir()

	// page returns the ids of a page of segment All and its end cursor; a
	// refused cursor gives its error code.
	page := func(in *instance, after any) ([]string, string, string) {
		data, code := in.query(secret, `query Page($ids: [ID!]!, $after: String) { segmentCustomers(segmentIds: $ids, first: 5, after: $after) {
			nodes { id } pageInfo { endCursor } } }`, map[string]any{"ids": all, "after": after})
		if code != "" {
			return nil, "", code
		}
		conn := data["segmentCustomers"].(map[string]any)
		var ids []string
		for _, n := range conn["nodes"].([]any) {
			ids = append(ids, n.(map[string]any)["id"].(string))
		}
		return ids, conn["pageInfo"].(map[string]any)["endCursor"].(string), ""
	}
	// download fetches an export link's path and query from in.
	download := func(in *instance, link string) int {
		i := strings.Index(link, "/exports/")
		require.Positive(t, i, link)
		resp, err := http.Get(in.url + link[i:])
		require.NoError(t, err)
		_, _ = io.Copy(io.Discard, resp.Body)
		require.NoError(t, resp.Body.Close())
		return resp.StatusCode
	}

	before := startInstance(t, "before", dbURL, secret, bucket, "SIGNING_KEY="+oldKey)
	first, oldCursor, code := page(before, nil)
	require.Empty(t, code)
	second, _, code := page(before, oldCursor)
	require.Empty(t, code)
	data, code := before.query(secret, `mutation($ids: [ID!]!) { exportSegmentCustomers(input: {segmentIds: $ids, format: CSV}) { id } }`, map[string]any{"ids": all})
	require.Empty(t, code)
	exportID := data["exportSegmentCustomers"].(map[string]any)["id"].(string)
	var oldLink string
	eventually(t, func() bool {
		data, _ := before.query(secret, `query($id: ID!) { exportJob(id: $id) { state url } }`, map[string]any{"id": exportID})
		oldLink, _ = data["exportJob"].(map[string]any)["url"].(string)
		return oldLink != ""
	}, "the export is written")
	require.Equal(t, http.StatusOK, download(before, oldLink))
	before.stop()

	rotated := startInstance(t, "rotated", dbURL, secret, bucket, "SIGNING_KEY="+newKey, "SIGNING_KEY_PREVIOUS="+oldKey)
	got, _, code := page(rotated, oldCursor)
	require.Empty(t, code, "an old cursor works after the rotation")
	require.Equal(t, second, got)
	require.Equal(t, http.StatusOK, download(rotated, oldLink), "an old link works after the rotation")
	got, newCursor, code := page(rotated, nil)
	require.Empty(t, code)
	require.Equal(t, first, got)
	data, code = rotated.query(secret, `query($id: ID!) { exportJob(id: $id) { url } }`, map[string]any{"id": exportID})
	require.Empty(t, code)
	newLink := data["exportJob"].(map[string]any)["url"].(string)
	rotated.stop()

	after := startInstance(t, "after", dbURL, secret, bucket, "SIGNING_KEY="+newKey)
	_, _, code = page(after, oldCursor)
	require.Equal(t, "BAD_USER_INPUT", code, "the old key is gone")
	require.Equal(t, http.StatusForbidden, download(after, oldLink))
	got, _, code = page(after, newCursor)
	require.Empty(t, code, "the rotated instance sealed with the new key")
	require.Equal(t, second, got)
	require.Equal(t, http.StatusOK, download(after, newLink), "and signed with it")
	after.stop()
}

// TestShutdownHandsRunningJobsBack: a refresh still running when SIGTERM
// arrives gets the job grace period, is then handed back (QUEUED, saying
// why), the process exits 0, and the next instance resumes it.
func TestShutdownHandsRunningJobsBack(t *testing.T) {
	t.Parallel()
	s, _, secret := storeWithToken(t, "jobs", auth.Editor)
	ctx := auth.AsSystem(context.Background())
	dbURL := s.DB.Pool.Config().ConnString()
	// Every segment's write now waits a minute: the run is caught midway.
	_, err := db.Exec(ctx, s.DB, `CREATE FUNCTION test_stall() RETURNS trigger LANGUAGE plpgsql AS
			$$ BEGIN PERFORM pg_sleep(60); RETURN NEW; END $$;
		CREATE TRIGGER test_stall BEFORE INSERT ON segment_refreshes FOR EACH ROW EXECUTE FUNCTION test_stall()`)
	require.NoError(t, err)

	in := startInstance(t, "first", dbURL, secret)
	data, code := in.query(secret, `mutation { refreshSegmentData { id } }`, nil)
	require.Empty(t, code)
	runID := data["refreshSegmentData"].(map[string]any)["id"].(string)
	state := func() (st, msg string) {
		require.NoError(t, db.Get(ctx, s.DB, `SELECT state, coalesce(error, '') FROM refresh_runs WHERE id = $1`, []any{runID}, &st, &msg))
		return st, msg
	}
	eventually(t, func() bool { st, _ := state(); return st == "RUNNING" }, "the refresh runs")

	require.NoError(t, in.cmd.Process.Signal(syscall.SIGTERM))
	select {
	case err := <-in.exit:
		require.NoError(t, err, "exits 0")
	case <-time.After(60 * time.Second):
		t.Fatal("did not exit after SIGTERM")
	}
	st, msg := state()
	require.Equal(t, "QUEUED", st)
	require.Equal(t, "The refresh was interrupted by a server shutting down; it resumes on the next worker.", msg)

	_, err = db.Exec(ctx, s.DB, `DROP TRIGGER test_stall ON segment_refreshes`)
	require.NoError(t, err)
	next := startInstance(t, "next", dbURL, secret)
	eventually(t, func() bool { st, _ := state(); return st == "SUCCEEDED" }, "the next instance resumes the run")
	next.stop()
}
