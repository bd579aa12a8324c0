package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/account"
	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/db/dbtest"
	"github.com/segments/segments/server/export"
	"github.com/segments/segments/server/export/s3test"
	"github.com/segments/segments/server/seed"
	"github.com/segments/segments/server/segment"
)

// The tests of this file run two `segments serve` processes, a and b, on
// one database and one S3 bucket, as a real installation of several
// instances behind a load balancer does (docs/operations.md, "Running
// several instances").

// installation is what several instances share: a small demo store
// (server/seed) with its segments refreshed, an editor's API token for it,
// and an S3 bucket.
type installation struct {
	DB *db.DB
	// URL is the database's URL.
	URL    string
	Secret string
	// Segments are the demo segments' ids.
	Segments []int64
	S3       *s3test.Server
}

func newInstallation(t *testing.T) *installation {
	t.Helper()
	d := dbtest.New(t)
	ctx := auth.AsSystem(context.Background())
	res, err := seed.Run(ctx, d, seed.Options{Customers: 300, Orders: 900, Seed: 11, Location: time.UTC})
	require.NoError(t, err)
	_, err = segment.NewRefresher(d).Refresh(ctx, res.SegmentIDs, segment.RefreshOptions{})
	require.NoError(t, err)
	_, secret, err := account.NewService(d).CreateToken(ctx, account.NewToken{Name: "ops", Role: auth.Editor})
	require.NoError(t, err)
	return &installation{DB: d, URL: d.Pool.Config().ConnString(), Secret: secret, Segments: res.SegmentIDs, S3: s3test.New(t)}
}

// env is the settings of an instance of the installation, storing exports
// in its bucket, and more.
func (s *installation) env(more ...string) []string {
	return append(append(s3test.Env(), "EXPORT_STORAGE_URL="+s.S3.BucketURL(s3test.Bucket)), more...)
}

// start starts instance name of the installation with the settings env.
func (s *installation) start(t *testing.T, name string, env []string) *instance {
	t.Helper()
	return startInstance(t, name, s.URL, s.Secret, env...)
}

// stall holds refresh runs in the database: while it holds, every write of
// a segment's refresh waits, inside the segment's transaction, so a run is
// caught midway for as long as a test needs, whichever instance works it.
type stall struct {
	t *testing.T
	d *db.DB
}

func newStall(t *testing.T, d *db.DB) *stall {
	t.Helper()
	_, err := db.Exec(auth.AsSystem(context.Background()), d, `
		CREATE TABLE test_stall (hold boolean NOT NULL, pause float8 NOT NULL);
		INSERT INTO test_stall VALUES (false, 0);
		CREATE FUNCTION test_stall() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN
			WHILE (SELECT hold FROM test_stall) LOOP PERFORM pg_sleep(0.05); END LOOP;
			PERFORM pg_sleep((SELECT pause FROM test_stall));
			RETURN NEW;
		END $$;
		CREATE TRIGGER test_stall BEFORE INSERT ON segment_refreshes FOR EACH ROW EXECUTE FUNCTION test_stall()`)
	require.NoError(t, err)
	// A test that fails while a refresh is held must not leave its backend
	// waiting: its transaction would hold back every other test's vacuum
	// horizon (the cluster is shared).
	t.Cleanup(func() {
		_, _ = db.Exec(auth.AsSystem(context.Background()), d, `UPDATE test_stall SET hold = false, pause = 0`)
	})
	return &stall{t: t, d: d}
}

// set makes every segment's write wait while hold is true, then pause.
func (s *stall) set(hold bool, pause time.Duration) {
	s.t.Helper()
	_, err := db.Exec(auth.AsSystem(context.Background()), s.d, `UPDATE test_stall SET hold = $1, pause = $2`, hold, pause.Seconds())
	require.NoError(s.t, err)
}

// holder is the name (application_name) of the instance whose refresh is
// held by the stall, "" when none is.
func (s *stall) holder() string {
	s.t.Helper()
	var names []string
	require.NoError(s.t, db.Select(auth.AsSystem(context.Background()), s.d, &names, `SELECT application_name FROM pg_stat_activity
		WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid() AND query ILIKE '%INSERT INTO segment_refreshes%'`))
	require.LessOrEqual(s.t, len(names), 1, "one refresh at a time is held: %v", names)
	if len(names) == 0 {
		return ""
	}
	return names[0]
}

// kill kills the process outright (kill -9), as a lost machine would.
func (in *instance) kill() {
	in.t.Helper()
	require.NoError(in.t, in.cmd.Process.Signal(syscall.SIGKILL))
	<-in.exit
}

// addr is the instance's host:port.
func (in *instance) addr() string { return strings.TrimPrefix(in.url, "http://") }

// get fetches link (an absolute URL another instance made) from this
// instance: its path and query, on this instance's address.
func (in *instance) get(link string) (int, []byte) {
	in.t.Helper()
	i := strings.Index(link, "/exports/")
	require.Positive(in.t, i, link)
	resp, err := http.Get(in.url + link[i:])
	require.NoError(in.t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(in.t, err)
	return resp.StatusCode, body
}

// refreshJob is a refresh run as the instance answers refreshJob.
func (in *instance) refreshJob(id string) (state string, done, total int, errText string) {
	in.t.Helper()
	data, code := in.query(in.token, `query($id: ID!) { refreshJob(id: $id) { state segmentsDone segmentsTotal error } }`, map[string]any{"id": id})
	require.Empty(in.t, code)
	j := data["refreshJob"].(map[string]any)
	errText, _ = j["error"].(string)
	return j["state"].(string), int(j["segmentsDone"].(float64)), int(j["segmentsTotal"].(float64)), errText
}

// requestRefresh asks the instance for a refresh of every active segment
// and returns the run's id.
func (in *instance) requestRefresh() string {
	in.t.Helper()
	data, code := in.query(in.token, `mutation { refreshSegmentData { id } }`, nil)
	require.Empty(in.t, code)
	return data["refreshSegmentData"].(map[string]any)["id"].(string)
}

// requestFullRefresh asks for a refresh that evaluates every customer,
// which writes segment after segment (an incremental one writes its
// segments together).
func (in *instance) requestFullRefresh() string {
	in.t.Helper()
	data, code := in.query(in.token, `mutation { refreshSegmentData(full: true) { id } }`, nil)
	require.Empty(in.t, code)
	return data["refreshSegmentData"].(map[string]any)["id"].(string)
}

// runCounts is what the database holds about refresh run id: its state,
// error and takeovers, how many River jobs were made for it and how many
// segment refreshes it wrote, and over how many distinct segments.
type runCounts struct {
	State, Error             string
	Takeovers, Jobs          int
	Attempts                 int
	Written, WrittenSegments int
	SegmentsTotal            int
}

func countRun(t *testing.T, d *db.DB, id string) runCounts {
	t.Helper()
	var c runCounts
	require.NoError(t, db.Get(auth.AsSystem(context.Background()), d, `SELECT r.state, coalesce(r.error, ''), r.takeovers, r.segments_total,
			(SELECT count(*) FROM river_job j WHERE j.kind = 'refresh_run' AND (j.args->>'run_id')::bigint = r.id),
			(SELECT coalesce(sum(j.attempt), 0) FROM river_job j WHERE j.kind = 'refresh_run' AND (j.args->>'run_id')::bigint = r.id),
			(SELECT count(*) FROM segment_refreshes s WHERE s.run_id = r.id),
			(SELECT count(DISTINCT s.segment_id) FROM segment_refreshes s WHERE s.run_id = r.id)
		FROM refresh_runs r WHERE r.id = $1`, []any{id},
		&c.State, &c.Error, &c.Takeovers, &c.SegmentsTotal, &c.Jobs, &c.Attempts, &c.Written, &c.WrittenSegments))
	return c
}

// dbNow is the database's clock.
func dbNow(t *testing.T, d *db.DB) time.Time {
	t.Helper()
	var now time.Time
	require.NoError(t, db.Get(auth.AsSystem(context.Background()), d, `SELECT now()`, nil, &now))
	return now
}

// sweptOncePerPeriod checks that the retention sweeps (every 10 minutes and
// hourly, started by the elected leader) ran at least once since started,
// and at most once in each of their periods since: not once per instance,
// nor again when the leader changed.
func sweptOncePerPeriod(t *testing.T, d *db.DB, started time.Time) {
	t.Helper()
	ended := dbNow(t, d)
	for kind, every := range map[string]time.Duration{"export_cleanup": 10 * time.Minute, "audit_cleanup": time.Hour} {
		var n int
		require.NoError(t, db.Get(auth.AsSystem(context.Background()), d, `SELECT count(*) FROM river_job WHERE kind = $1`, []any{kind}, &n))
		periods := int(ended.Truncate(every).Sub(started.Truncate(every))/every) + 1
		require.GreaterOrEqual(t, n, 1, kind)
		require.LessOrEqual(t, n, periods, "%s: once per period across the instances", kind)
	}
}

// TestSeveralInstancesShareWork: a refresh asked through instance a runs
// once, on either instance, and b shows its progress; an export asked
// through b is downloaded through a's copy of the link, from the shared
// bucket, and audited once.
func TestSeveralInstancesShareWork(t *testing.T) {
	t.Parallel()
	is := newInstallation(t)
	d, srv := is.DB, is.S3
	ctx := auth.AsSystem(context.Background())
	st := newStall(t, d)
	env := is.env("REFRESH_WAIT=0")
	a := is.start(t, "a", env)
	b := is.start(t, "b", env)

	// The run is held until b sees it running; then each segment's write
	// takes a moment, so b sees it midway (a full run: it writes segment
	// after segment).
	st.set(true, 0)
	runID := a.requestFullRefresh()
	eventually(t, func() bool { state, _, _, _ := b.refreshJob(runID); return state == "RUNNING" }, "b sees the run start")
	st.set(false, 100*time.Millisecond)
	var midway bool
	require.Eventually(t, func() bool {
		state, done, total, _ := b.refreshJob(runID)
		midway = midway || (state == "RUNNING" && done > 0 && done < total)
		return state == "SUCCEEDED" && done == total
	}, 60*time.Second, 20*time.Millisecond, "b sees the run succeed")
	require.True(t, midway, "b saw the run's progress while it ran")
	c := countRun(t, d, runID)
	require.Equal(t, 1, c.Jobs, "one River job")
	require.Equal(t, 1, c.Attempts, "worked in one attempt")
	require.Zero(t, c.Takeovers)
	require.Equal(t, c.SegmentsTotal, c.Written, "each segment written once")
	require.Equal(t, c.SegmentsTotal, c.WrittenSegments)
	var runs int
	require.NoError(t, db.Get(ctx, d, `SELECT count(*) FROM refresh_runs`, nil, &runs))
	require.Equal(t, 1, runs)

	// An export asked through b, downloaded through a.
	data, code := b.query(is.Secret, `mutation($ids: [ID!]!) { exportSegmentCustomers(input: {segmentIds: $ids, format: CSV}) { id } }`,
		map[string]any{"ids": []string{strconv.FormatInt(is.Segments[0], 10), strconv.FormatInt(is.Segments[1], 10)}})
	require.Empty(t, code)
	exportID := data["exportSegmentCustomers"].(map[string]any)["id"].(string)
	var link string
	eventually(t, func() bool {
		data, code := b.query(is.Secret, `query($id: ID!) { exportJob(id: $id) { state url } }`, map[string]any{"id": exportID})
		require.Empty(t, code)
		link, _ = data["exportJob"].(map[string]any)["url"].(string)
		return link != ""
	}, "the export is written")
	require.True(t, strings.HasPrefix(link, b.url+"/exports/"), "b's link: %s", link)
	var key string
	require.NoError(t, db.Get(ctx, d, `SELECT file_key FROM exports WHERE id = $1`, []any{exportID}, &key))
	stored, ok := srv.Object(t, s3test.Bucket, key)
	require.True(t, ok, "the file is in the shared bucket")
	reads := srv.Count(s3test.GetObject)
	status, body := a.get(link)
	require.Equal(t, http.StatusOK, status, string(body))
	require.Equal(t, stored, body, "a serves the file b's worker stored")
	require.Greater(t, srv.Count(s3test.GetObject), reads, "read from the bucket")
	require.Greater(t, bytes.Count(body, []byte("\n")), 10)
	var audited int
	require.NoError(t, db.Get(ctx, d, `SELECT count(*) FROM audit_events WHERE action = 'export_downloaded' AND $1 = ANY(subject_ids)`,
		[]any{exportID}, &audited))
	require.Equal(t, 1, audited, "the download is audited once")
	a.stop()
	b.stop()
}

// TestSeveralInstancesScheduleOnce: with a schedule of 2 s on both
// instances, the scheduled refresh runs once per period, and the retention
// sweeps (every 10 minutes and hourly) once per period, across the two.
func TestSeveralInstancesScheduleOnce(t *testing.T) {
	t.Parallel()
	is := newInstallation(t)
	d, srv := is.DB, is.S3
	ctx := auth.AsSystem(context.Background())

	// An export past its retention, in the shared bucket: the sweep run
	// when a leader is elected deletes it.
	bucket, err := export.OpenBucket(ctx, srv.BucketURL(s3test.Bucket), t.TempDir())
	require.NoError(t, err)
	defer bucket.Close()
	key := "exports/900/old.csv"
	require.NoError(t, bucket.WriteAll(ctx, key, []byte("id\n1\n"), nil))
	_, err = db.Exec(ctx, d, `INSERT INTO exports (id, state, format, segment_ids, mode, requested_by, file_name, file_key,
			rows_written, row_count, created_at, started_at, finished_at, delete_after)
		VALUES (900, 'SUCCEEDED', 'CSV', '{1}', 'UNION', 'cli', 'old.csv', $1, 1, 1, now() - interval '2 days',
			now() - interval '2 days', now() - interval '2 days', now() - interval '1 day')`, key)
	require.NoError(t, err)

	started := dbNow(t, d)
	env := is.env("REFRESH_INTERVAL=2s", "WORKERS=2")
	a := is.start(t, "a", env)
	b := is.start(t, "b", env)
	scheduled := func() int {
		var n int
		require.NoError(t, db.Get(ctx, d, `SELECT count(*) FROM refresh_runs WHERE requested_by = 'schedule' AND state = 'SUCCEEDED'`, nil, &n))
		return n
	}
	rounds := func(kind string) (n int, span float64) {
		require.NoError(t, db.Get(ctx, d, `SELECT count(*), coalesce(extract(epoch FROM max(created_at) - min(created_at)), 0)
			FROM river_job WHERE kind = $1`, []any{kind}, &n, &span))
		return n, span
	}
	require.Eventually(t, func() bool { return scheduled() >= 4 }, 60*time.Second, 50*time.Millisecond, "scheduled refreshes run")
	// Each period's round was enqueued once, by the leader, not once per
	// instance (counted before the stops, which elect a new leader: that
	// one may start a round of its own early in the next period).
	n, span := rounds("refresh_schedule")
	t.Logf("%d schedule rounds over %.1f s", n, span)
	require.GreaterOrEqual(t, n, 4)
	require.LessOrEqual(t, float64(n), span/2+1.5, "one schedule round per 2 s period: %d rounds in %.1f s", n, span)
	a.stop()
	b.stop()

	// Each round enqueued at most one refresh, each worked once.
	n, _ = rounds("refresh_schedule")
	var ids []string
	require.NoError(t, db.Select(ctx, d, &ids, `SELECT id::text FROM refresh_runs WHERE requested_by = 'schedule' ORDER BY id`))
	require.LessOrEqual(t, len(ids), n)
	for _, id := range ids {
		c := countRun(t, d, id)
		if c.State != "SUCCEEDED" {
			continue // the last may have been handed back at the stop
		}
		require.Equal(t, 1, c.Jobs, "run %s", id)
		require.Equal(t, c.SegmentsTotal, c.Written, "run %s writes each segment once", id)
		require.Equal(t, c.SegmentsTotal, c.WrittenSegments, "run %s", id)
	}

	sweptOncePerPeriod(t, d, started)
	_, ok := srv.Object(t, s3test.Bucket, key)
	require.False(t, ok, "the expired file is deleted from the bucket")
	var fileKey *string
	require.NoError(t, db.Get(ctx, d, `SELECT file_key FROM exports WHERE id = 900`, nil, &fileKey))
	require.Nil(t, fileKey)
}

// TestSeveralInstancesKillMinus9: the instance working a refresh is killed
// outright; the other takes the run up within a minute with the default
// heartbeat settings and finishes it, and the run's row says what
// happened.
func TestSeveralInstancesKillMinus9(t *testing.T) {
	t.Parallel()
	is := newInstallation(t)
	d := is.DB
	ctx := auth.AsSystem(context.Background())
	st := newStall(t, d)
	st.set(true, 0)
	instances := map[string]*instance{"a": is.start(t, "a", is.env()), "b": is.start(t, "b", is.env())}
	runID := instances["a"].requestRefresh()
	var holder string
	eventually(t, func() bool { holder = st.holder(); return holder != "" }, "an instance works the run")
	var firstJob int64
	require.NoError(t, db.Get(ctx, d, `SELECT job_id FROM refresh_runs WHERE id = $1`, []any{runID}, &firstJob))
	victim := instances[holder]
	delete(instances, holder)
	var survivor *instance
	for _, in := range instances {
		survivor = in
	}

	victim.kill()
	killed := time.Now()
	// The killed worker's statement ends with its connection; the
	// survivor's attempt runs, each segment's write taking a moment, so
	// the run is seen running with the takeover's message.
	st.set(false, 100*time.Millisecond)
	var said []string
	require.Eventually(t, func() bool {
		state, _, _, errText := survivor.refreshJob(runID)
		if errText != "" && (len(said) == 0 || said[len(said)-1] != errText) {
			said = append(said, errText)
		}
		return state == "SUCCEEDED"
	}, time.Minute, 100*time.Millisecond, "%s finishes the run within a minute of the kill", survivor.name)
	t.Logf("taken up and finished %s after the kill", time.Since(killed).Round(time.Second))
	require.Equal(t, []string{"The server running this refresh stopped unexpectedly; another one takes it up."}, said)

	c := countRun(t, d, runID)
	require.Equal(t, 1, c.Takeovers, "the row counts the takeover")
	require.Empty(t, c.Error, "and has no error once it succeeded")
	require.Equal(t, 2, c.Jobs, "the survivor worked it under a new job")
	var lastJob int64
	require.NoError(t, db.Get(ctx, d, `SELECT job_id FROM refresh_runs WHERE id = $1`, []any{runID}, &lastJob))
	require.NotEqual(t, firstJob, lastJob)
	require.Equal(t, c.SegmentsTotal, c.Written, "the killed attempt wrote nothing: each segment written once")
	require.Equal(t, c.SegmentsTotal, c.WrittenSegments)
	survivor.stop()
}

// balancer sends requests to the instances it finds ready, round robin, as
// a load balancer does: it follows each one's /readyz, and tries the next
// instance only when a connection is refused (an instance it has not yet
// seen go).
type balancer struct {
	t      *testing.T
	addrs  []string
	ready  []atomic.Bool
	served []atomic.Int64
	// refused counts the requests sent again after a refused connection.
	refused atomic.Int64
	next    atomic.Uint64
	client  *http.Client
}

func newBalancer(ctx context.Context, t *testing.T, addrs ...string) *balancer {
	b := &balancer{t: t, addrs: addrs, ready: make([]atomic.Bool, len(addrs)), served: make([]atomic.Int64, len(addrs)),
		client: &http.Client{Timeout: 30 * time.Second}}
	probe := &http.Client{Timeout: time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	for i, addr := range addrs {
		go func() {
			for ctx.Err() == nil {
				resp, err := probe.Get("http://" + addr + "/readyz")
				if err == nil {
					_ = resp.Body.Close()
				}
				b.ready[i].Store(err == nil && resp.StatusCode == http.StatusOK)
				time.Sleep(25 * time.Millisecond)
			}
		}()
	}
	return b
}

// post sends a GraphQL request to the next ready instance and returns the
// answer; an error is a failed request, as its client would see it.
func (b *balancer) post(ctx context.Context, secret string, body []byte) ([]byte, error) {
	for ctx.Err() == nil {
		i := int(b.next.Add(1) % uint64(len(b.addrs)))
		if !b.ready[i].Load() {
			if !b.ready[1-i].Load() {
				time.Sleep(5 * time.Millisecond)
			}
			continue
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+b.addrs[i]+"/graphql", bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+secret)
		resp, err := b.client.Do(req)
		if errors.Is(err, syscall.ECONNREFUSED) {
			b.refused.Add(1)
			continue // gone before its /readyz said so: try another
		}
		if err != nil {
			return nil, fmt.Errorf("instance %d: %w", i, err)
		}
		answer, err := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("instance %d: %w", i, err)
		}
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("instance %d: status %d: %s", i, resp.StatusCode, answer)
		}
		b.served[i].Add(1)
		return answer, nil
	}
	return nil, ctx.Err()
}

// TestSeveralInstancesRollingRestart: while clients page through
// drill-downs through a load balancer, instance a is stopped (SIGTERM) and
// started again from a newer binary, then b: every request is answered,
// and a refresh running throughout completes exactly once.
func TestSeveralInstancesRollingRestart(t *testing.T) {
	t.Parallel()
	is := newInstallation(t)
	d := is.DB
	st := newStall(t, d)
	// Each instance drains for a second after SIGTERM, as behind a
	// balancer that probes /readyz often.
	env := is.env("SHUTDOWN_DELAY=1s", "WORKERS=2")

	// The newer release: another executable file.
	newer := filepath.Join(t.TempDir(), "segments-newer")
	bin, err := os.ReadFile(os.Args[0])
	require.NoError(t, err)
	// With forks held off while the file is open (see pgembed's
	// fakeInstall): a parallel test's child would inherit it until its
	// exec, and running it would fail with "text file busy".
	syscall.ForkLock.RLock()
	err = os.WriteFile(newer, bin, 0o755)
	syscall.ForkLock.RUnlock()
	require.NoError(t, err)

	started := dbNow(t, d)
	a := is.start(t, "a", env)
	b := is.start(t, "b", env)

	// A refresh held midway for the whole restart.
	st.set(true, 0)
	runID := a.requestRefresh()
	eventually(t, func() bool { return st.holder() != "" }, "an instance works the run")

	loadCtx, stopLoad := context.WithCancel(context.Background())
	defer stopLoad()
	lb := newBalancer(loadCtx, t, a.addr(), b.addr())
	var (
		pages    atomic.Int64
		mu       sync.Mutex
		failures []string
		clients  sync.WaitGroup
	)
	fail := func(msg string) {
		mu.Lock()
		defer mu.Unlock()
		failures = append(failures, msg)
	}
	for c := range 4 {
		clients.Go(func() {
			ids := []string{strconv.FormatInt(is.Segments[c%len(is.Segments)], 10)}
			var after any
			for loadCtx.Err() == nil {
				body, _ := json.Marshal(map[string]any{"query": `query Page($ids: [ID!]!, $after: String) {
					segmentCustomers(segmentIds: $ids, first: 20, after: $after) { nodes { id email } pageInfo { endCursor hasNextPage } } }`,
					"variables": map[string]any{"ids": ids, "after": after}})
				answer, err := lb.post(loadCtx, is.Secret, body)
				if loadCtx.Err() != nil {
					return
				}
				if err != nil {
					fail(err.Error())
					continue
				}
				var out struct {
					Data struct {
						SegmentCustomers struct {
							PageInfo struct {
								EndCursor   *string
								HasNextPage bool
							}
						}
					}
					Errors []json.RawMessage
				}
				if err := json.Unmarshal(answer, &out); err != nil || len(out.Errors) > 0 {
					fail(string(answer))
					continue
				}
				pages.Add(1)
				time.Sleep(2 * time.Millisecond) // a busy client, not a benchmark
				// The next page, from whichever instance answers it.
				after = nil
				if pi := out.Data.SegmentCustomers.PageInfo; pi.HasNextPage {
					after = *pi.EndCursor
				}
			}
		})
	}
	// served waits until instance i has answered n more pages.
	served := func(i int, what string) {
		from := lb.served[i].Load()
		require.Eventually(t, func() bool { return lb.served[i].Load() >= from+20 }, 30*time.Second, 10*time.Millisecond, what)
	}
	served(0, "a serves")
	served(1, "b serves")

	a.stop()
	a2 := startBinary(t, newer, "a2", is.URL, is.Secret, is.env("SHUTDOWN_DELAY=1s", "WORKERS=2", "ADDR="+a.addr())...)
	served(0, "the newer a serves")
	b.stop()
	b2 := startBinary(t, newer, "b2", is.URL, is.Secret, is.env("SHUTDOWN_DELAY=1s", "WORKERS=2", "ADDR="+b.addr())...)
	served(1, "the newer b serves")
	stopLoad()
	clients.Wait()
	require.Empty(t, failures, "no request failed during the rolling restart")
	t.Logf("%d pages answered, %d by a, %d by b; %d sent again after a refused connection",
		pages.Load(), lb.served[0].Load(), lb.served[1].Load(), lb.refused.Load())

	// The refresh was handed back by the instances that stopped, never
	// lost, and now completes once on a newer one.
	eventually(t, func() bool { h := st.holder(); return h == "a2" || h == "b2" }, "a newer instance works the run")
	st.set(false, 0)
	eventually(t, func() bool { state, _, _, _ := a2.refreshJob(runID); return state == "SUCCEEDED" }, "the run succeeds")
	c := countRun(t, d, runID)
	require.Equal(t, 1, c.Jobs, "one River job throughout: handed back, never taken for dead")
	require.Zero(t, c.Takeovers)
	require.Empty(t, c.Error)
	require.Equal(t, c.SegmentsTotal, c.Written, "the interrupted attempts wrote nothing: each segment written once")
	require.Equal(t, c.SegmentsTotal, c.WrittenSegments)
	// The leadership changed hands with the restarts: the sweeps still ran
	// once per period.
	sweptOncePerPeriod(t, d, started)
	a2.stop()
	b2.stop()
}
