package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/account"
	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/segment/scopetest"
)

// asMainEnv, set, makes this test binary run the segments command (main)
// instead of the tests: a server process for the tests, built from the
// same code as the real binary, without a separate build.
const asMainEnv = "SEGMENTS_TEST_AS_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(asMainEnv) != "" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// instance is one `segments serve` process.
type instance struct {
	t    *testing.T
	name string
	url  string
	// logPath is the file the process logs to.
	logPath string
	cmd     *exec.Cmd
	exit    chan error
	token   string
}

// startInstance starts `segments serve` on the database at dbURL, on a
// port of its own, and waits until it answers. env adds settings
// (NAME=value), overriding the defaults here; the metrics listener is off
// unless env turns it on. Its database connections carry name as their
// application_name, so a test can tell whose a statement is.
func startInstance(t *testing.T, name, dbURL, token string, env ...string) *instance {
	t.Helper()
	return startBinary(t, os.Args[0], name, dbURL, token, env...)
}

// startBinary is startInstance running the executable bin: a copy of this
// test binary stands for a newer release.
func startBinary(t *testing.T, bin, name, dbURL, token string, env ...string) *instance {
	t.Helper()
	addr := freeAddr(t)
	logPath := filepath.Join(t.TempDir(), name+".log")
	logFile, err := os.Create(logPath)
	require.NoError(t, err)
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), asMainEnv+"=1", "PGAPPNAME="+name,
		"DATABASE_URL="+dbURL, "ADDR="+addr, "DATA_DIR="+t.TempDir(),
		"REFRESH_INTERVAL=0", "WORKERS=1", "LOG_LEVEL=debug", "TOKEN_RATE=0", "METRICS_ADDR=off")
	cmd.Env = append(cmd.Env, env...)
	for _, kv := range env {
		if a, ok := strings.CutPrefix(kv, "ADDR="); ok {
			addr = a // the last one wins, as in the process
		}
	}
	cmd.Stdout, cmd.Stderr = logFile, logFile
	require.NoError(t, cmd.Start())
	in := &instance{t: t, name: name, url: "http://" + addr, logPath: logPath, cmd: cmd, exit: make(chan error, 1), token: token}
	go func() { in.exit <- cmd.Wait() }()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			<-in.exit
		}
		_ = logFile.Close()
		if t.Failed() {
			b, _ := os.ReadFile(logPath)
			t.Logf("log of %s:\n%s", name, b)
		}
	})
	require.Eventually(t, func() bool {
		resp, err := http.Get(in.url + "/healthz")
		if err != nil {
			return false
		}
		_ = resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	}, 20*time.Second, 20*time.Millisecond, "%s answers", name)
	return in
}

// query posts a GraphQL query with the bearer token secret and returns the
// decoded data and the first error's code ("" when none).
func (in *instance) query(secret, query string, vars map[string]any) (map[string]any, string) {
	in.t.Helper()
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	require.NoError(in.t, err)
	req, err := http.NewRequest(http.MethodPost, in.url+"/graphql", bytes.NewReader(body))
	require.NoError(in.t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+secret)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(in.t, err)
	defer resp.Body.Close()
	var out struct {
		Data   map[string]any
		Errors []struct {
			Message    string
			Extensions struct{ Code string }
		}
	}
	require.NoError(in.t, json.NewDecoder(resp.Body).Decode(&out), "%s: status %d", in.name, resp.StatusCode)
	if len(out.Errors) > 0 {
		return out.Data, out.Errors[0].Extensions.Code
	}
	return out.Data, ""
}

// firstRow is the group and website names of the first customer of
// segment's drill-down, as the instance shows them.
func (in *instance) firstRow(segment int64) (group, website string) {
	in.t.Helper()
	data, code := in.query(in.token, `query($ids: [ID!]!) { segmentCustomers(segmentIds: $ids, first: 1) {
		nodes { id group { name } website { name } country { code name } } } }`,
		map[string]any{"ids": []string{strconv.FormatInt(segment, 10)}})
	require.Empty(in.t, code)
	node := data["segmentCustomers"].(map[string]any)["nodes"].([]any)[0].(map[string]any)
	return node["group"].(map[string]any)["name"].(string), node["website"].(map[string]any)["name"].(string)
}

// stop sends SIGTERM, as a shutdown does, and waits for a clean exit.
func (in *instance) stop() {
	in.t.Helper()
	require.NoError(in.t, in.cmd.Process.Signal(syscall.SIGTERM))
	select {
	case err := <-in.exit:
		require.NoError(in.t, err, "%s stops cleanly", in.name)
	case <-time.After(time.Minute):
		// The job grace period and the hand-back come first.
		in.t.Fatalf("%s did not stop within a minute of SIGTERM", in.name)
	}
}

// eventually polls until cond holds, a few seconds at most: a change
// reaches another instance as soon as its notification arrives.
func eventually(t *testing.T, cond func() bool, what string) {
	t.Helper()
	require.Eventually(t, cond, 10*time.Second, 10*time.Millisecond, what)
}

// TestTwoInstancesSeeEachOthersChanges runs two server processes on one
// database: a catalog rename and a token revocation made through, or
// beside, one are seen by the other as soon as the change notification
// arrives, including after its listening connection was cut.
func TestTwoInstancesSeeEachOthersChanges(t *testing.T) {
	t.Parallel()
	s := scopetest.New(t)
	ctx := auth.AsSystem(context.Background())
	accounts := account.NewService(s.DB)
	_, admin, err := accounts.CreateToken(ctx, account.NewToken{Name: "admin", Role: auth.Admin})
	require.NoError(t, err)
	victim, victimSecret, err := accounts.CreateToken(ctx, account.NewToken{Name: "victim", Role: auth.Viewer})
	require.NoError(t, err)
	dbURL := s.DB.Pool.Config().ConnString()

	one := startInstance(t, "one", dbURL, admin)
	two := startInstance(t, "two", dbURL, admin)
	listeners := func() int {
		var n int
		require.NoError(t, db.Get(ctx, s.DB, `SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND query = 'LISTEN segments_change'`, nil, &n))
		return n
	}
	eventually(t, func() bool { return listeners() == 2 }, "one listening connection per instance")

	for _, in := range []*instance{one, two} {
		g, w := in.firstRow(s.OnlyA)
		require.Equal(t, "General", g)
		require.Equal(t, "Alpha", w)
		_, code := in.query(victimSecret, `{ websites { name } }`, nil)
		require.Empty(t, code, "the victim token works on %s", in.name)
	}

	// A rename (there is no mutation for it: an operator's SQL, or an
	// import on a third machine) shows on both at once the notification
	// arrives; each has kept the catalogs since its first page.
	_, err = db.Exec(ctx, s.DB, `UPDATE customer_groups SET name = 'Regulars' WHERE code = 'general'`)
	require.NoError(t, err)
	_, err = db.Exec(ctx, s.DB, `UPDATE websites SET name = 'Alfa' WHERE code = 'a'`)
	require.NoError(t, err)
	for _, in := range []*instance{one, two} {
		eventually(t, func() bool {
			g, w := in.firstRow(s.OnlyA)
			return g == "Regulars" && w == "Alfa"
		}, in.name+" shows the new names")
	}

	// Revoked through instance one: refused there at once, and by
	// instance two once the notification arrives.
	_, code := one.query(admin, `mutation($id: ID!) { revokeApiToken(id: $id) { id } }`, map[string]any{"id": strconv.FormatInt(victim.ID, 10)})
	require.Empty(t, code)
	_, code = one.query(victimSecret, `{ websites { name } }`, nil)
	require.Equal(t, "UNAUTHENTICATED", code, "instance one refuses the revoked token")
	eventually(t, func() bool {
		_, code := two.query(victimSecret, `{ websites { name } }`, nil)
		return code == "UNAUTHENTICATED"
	}, "instance two refuses the revoked token")

	// Cut instance two's listening connection (the newer one) and rename at
	// once: the notification may be lost, but a reconnect drops everything
	// kept.
	var cut int
	require.NoError(t, db.Get(ctx, s.DB, `SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE datname = current_database() AND query = 'LISTEN segments_change' AND backend_start = (
			SELECT max(backend_start) FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN segments_change')) x`, nil, &cut))
	require.Equal(t, 1, cut)
	_, err = db.Exec(ctx, s.DB, `UPDATE customer_groups SET name = 'Loyal' WHERE code = 'general'`)
	require.NoError(t, err)
	for _, in := range []*instance{one, two} {
		eventually(t, func() bool { g, _ := in.firstRow(s.OnlyA); return g == "Loyal" }, in.name+" shows the name given while a listener was cut")
	}
	eventually(t, func() bool { return listeners() == 2 }, "the cut listener is back")

	// Shutdown closes the listening connection with the rest.
	one.stop()
	two.stop()
	eventually(t, func() bool { return listeners() == 0 }, "no listener is left")
}
