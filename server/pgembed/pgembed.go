package pgembed

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Config says where the cluster lives and how it runs.
type Config struct {
	// DataDir is the folder the cluster lives under, in DataDir/pg15. It is
	// created if missing. Required.
	DataDir string
	// Logger receives what pgembed does (initdb, start, stop, fallbacks).
	// Nil discards it.
	Logger *slog.Logger
	// Fast trades durability for speed (fsync, synchronous_commit and
	// full_page_writes off, initdb without syncing). For throwaway test
	// clusters only: an operating-system crash or power loss can corrupt the
	// cluster. Never set it for the cluster `serve` keeps data in.
	Fast bool
	// ReplicaOf, when set, makes a new cluster folder a streaming replica
	// of that running cluster (pg_basebackup -R, streaming its WAL) instead
	// of a cluster of its own; the server then runs as a hot standby
	// following it. For tests of read replicas: the standby finds its
	// primary on the port that one has now.
	ReplicaOf *Cluster

	// find replaces binary discovery in tests.
	find func(context.Context) (binaries, error)
}

// Cluster is a running private PostgreSQL server. Stop it when done.
type Cluster struct {
	dir    string // the data folder, <base>/pg15
	base   string // the folder holding dir and its lock file
	bins   binaries
	user   *runUser // who PostgreSQL runs as; nil for the current user
	port   int
	logger *slog.Logger
	lock   *os.File // held while this process owns the cluster
	// replicaOf is the cluster a new folder is a base backup of (nil:
	// initdb).
	replicaOf *Cluster

	mu      sync.Mutex
	stopped bool
}

// clusterFolder is the cluster's folder name, named for its major version so
// that a later major version gets a folder of its own.
var clusterFolder = "pg" + strconv.Itoa(requiredMajor)

// fallbackRoot holds the clusters of DataDirs the system user cannot reach,
// and copies of binaries it cannot reach.
const fallbackRoot = "/var/lib/segments"

// Start finds PostgreSQL 15, initialises the cluster in DataDir/pg15 if it does
// not exist yet, stops a server left running there by a killed earlier run,
// and starts the cluster on a free port of 127.0.0.1. It returns once the
// server accepts connections. A cluster folder of another major version is
// refused, as is a cluster that another live process is using. ctx bounds
// the start only: the server runs until Stop.
func Start(ctx context.Context, cfg Config) (*Cluster, error) {
	if cfg.DataDir == "" {
		return nil, errors.New("pgembed: Config.DataDir is required")
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}

	find := defaultFinder().find
	if cfg.find != nil {
		find = cfg.find
	}
	bins, err := find(ctx)
	if err != nil {
		return nil, fmt.Errorf("pgembed: %w", err)
	}
	var u *runUser
	if os.Geteuid() == 0 {
		// PostgreSQL refuses to run as root.
		if u, err = ensureSystemUser(ctx); err != nil {
			return nil, fmt.Errorf("pgembed: %w", err)
		}
	}
	base, err := clusterBase(cfg.DataDir, u, logger)
	if err != nil {
		return nil, err
	}
	if bins, err = reachableBinaries(bins, u, logger); err != nil {
		return nil, err
	}

	dir := filepath.Join(base, clusterFolder)
	lock, err := lockFile(filepath.Join(base, clusterFolder+".lock"))
	if errors.Is(err, errLocked) {
		return nil, fmt.Errorf("pgembed: the PostgreSQL cluster in %s is in use by another running process (a server or a test run); stop it, or use another data folder", dir)
	}
	if err != nil {
		return nil, fmt.Errorf("pgembed: %w", err)
	}
	c := &Cluster{dir: dir, base: base, bins: bins, user: u, logger: logger, lock: lock, replicaOf: cfg.ReplicaOf}
	if err := c.open(ctx, cfg.Fast); err != nil {
		lock.Close()
		return nil, err
	}
	logger.Info("embedded PostgreSQL started", "dir", c.dir, "port", c.port,
		"version", bins.version, "binaries", bins.dir, "found_via", bins.source, "fast", cfg.Fast)
	return c, nil
}

// URL returns the connection URL of the cluster's postgres database, as the
// superuser postgres, e.g. postgres://postgres@127.0.0.1:PORT/postgres?sslmode=disable.
func (c *Cluster) URL() string { return c.urlFor("postgres") }

func (c *Cluster) urlFor(database string) string {
	u := url.URL{
		Scheme:   "postgres",
		User:     url.User("postgres"),
		Host:     net.JoinHostPort("127.0.0.1", strconv.Itoa(c.port)),
		Path:     "/" + database,
		RawQuery: "sslmode=disable",
	}
	return u.String()
}

// Stop shuts the server down (pg_ctl stop -m fast: open sessions are ended,
// committed data is kept) and releases the cluster. Calling it again, or on a
// nil Cluster, does nothing and returns nil.
func (c *Cluster) Stop() error {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stopped {
		return nil
	}
	if _, err := os.Stat(filepath.Join(c.dir, "postmaster.pid")); err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		out, err := c.command(ctx, "pg_ctl", "stop", "-D", c.dir, "-m", "fast", "-w", "-t", "90", "-s").CombinedOutput()
		// pg_ctl fails when the server is already gone (e.g. stopped by a
		// terminal's Ctrl-C); only a pid file that remains is a failure.
		if _, statErr := os.Stat(filepath.Join(c.dir, "postmaster.pid")); err != nil && statErr == nil {
			return fmt.Errorf("pgembed: stop PostgreSQL in %s: %v: %s", c.dir, err, strings.TrimSpace(string(out)))
		}
	}
	c.stopped = true
	c.lock.Close()
	c.logger.Info("embedded PostgreSQL stopped", "dir", c.dir)
	return nil
}

// EnsureDatabase creates the database name (UTF8, from template0) unless it
// exists, and returns its connection URL.
func (c *Cluster) EnsureDatabase(ctx context.Context, name string) (string, error) {
	if name == "" || len(name) > 63 {
		return "", fmt.Errorf("pgembed: invalid database name %q: it must be 1 to 63 bytes", name)
	}
	conn, err := pgx.Connect(ctx, c.URL())
	if err != nil {
		return "", fmt.Errorf("pgembed: connect: %w", err)
	}
	defer conn.Close(context.Background())
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return "", fmt.Errorf("pgembed: look up database %q: %w", name, err)
	}
	if !exists {
		_, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()+" ENCODING 'UTF8' TEMPLATE template0")
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && pgErr.Code == "42P04" { // duplicate_database: created meanwhile
			err = nil
		}
		if err != nil {
			return "", fmt.Errorf("pgembed: create database %q: %w", name, err)
		}
		c.logger.Info("embedded PostgreSQL: created database", "name", name)
	}
	return c.urlFor(name), nil
}

// clusterBase returns the folder to hold the cluster folder: DataDir, or, when
// running as root and the system user cannot reach DataDir, a folder of
// /var/lib/segments named for DataDir.
func clusterBase(dataDir string, u *runUser, logger *slog.Logger) (string, error) {
	abs, err := filepath.Abs(dataDir)
	if err != nil {
		return "", fmt.Errorf("pgembed: %w", err)
	}
	if err := os.MkdirAll(abs, 0o755); err != nil {
		return "", fmt.Errorf("pgembed: create data folder: %w", err)
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	if u == nil {
		return abs, nil
	}
	ok, err := canReach(abs, u.uid, u.gid)
	if err != nil {
		return "", fmt.Errorf("pgembed: %w", err)
	}
	if ok {
		return abs, nil
	}
	sum := sha256.Sum256([]byte(abs))
	base := filepath.Join(fallbackRoot, hex.EncodeToString(sum[:])[:12])
	if err := os.MkdirAll(fallbackRoot, 0o755); err != nil {
		return "", fmt.Errorf("pgembed: %w", err)
	}
	if err := os.Mkdir(base, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return "", fmt.Errorf("pgembed: %w", err)
	}
	if err := u.chown(base); err != nil {
		return "", fmt.Errorf("pgembed: %w", err)
	}
	// Say whose cluster this is, for a person looking around /var/lib/segments.
	_ = os.WriteFile(filepath.Join(base, "DATA_DIR"), []byte(abs+"\n"), 0o644)
	logger.Info("embedded PostgreSQL: user "+u.name+" cannot reach the data folder, so the cluster lives elsewhere",
		"data_dir", abs, "cluster_dir", filepath.Join(base, clusterFolder))
	return base, nil
}

// reachableBinaries returns binaries the system user can run. Binaries it
// cannot reach (an npm package in a checkout under a 0700 home) are copied,
// once, under /var/lib/segments when they are self-contained.
func reachableBinaries(b binaries, u *runUser, logger *slog.Logger) (binaries, error) {
	if u == nil {
		return b, nil
	}
	if ok, err := canReach(b.dir, u.uid, u.gid); err != nil || ok {
		return b, err
	}
	if b.prefix == "" {
		return b, fmt.Errorf("pgembed: the PostgreSQL binaries in %s cannot be reached by user %s, which PostgreSQL runs as under root: make the folder reachable, set PG_BIN to another installation, or set DATABASE_URL", b.dir, u.name)
	}
	sum := sha256.Sum256([]byte(b.prefix))
	dst := filepath.Join(fallbackRoot, "postgresql-"+b.version+"-"+hex.EncodeToString(sum[:])[:12])
	copied := b
	copied.dir, copied.prefix, copied.source = filepath.Join(dst, "bin"), dst, b.source+", copied"
	if _, err := os.Stat(filepath.Join(dst, "bin", "postgres")); err == nil {
		return copied, nil
	}
	logger.Info("embedded PostgreSQL: user "+u.name+" cannot reach the binaries; copying them", "from", b.prefix, "to", dst)
	tmp := dst + ".tmp"
	_ = os.RemoveAll(tmp)
	if err := os.MkdirAll(fallbackRoot, 0o755); err != nil {
		return b, fmt.Errorf("pgembed: %w", err)
	}
	if err := copyTree(b.prefix, tmp); err != nil {
		_ = os.RemoveAll(tmp)
		return b, fmt.Errorf("pgembed: copy PostgreSQL binaries: %w", err)
	}
	if err := os.Rename(tmp, dst); err != nil {
		_ = os.RemoveAll(tmp)
		return b, fmt.Errorf("pgembed: %w", err)
	}
	return copied, nil
}

// copyTree copies the folder src to dst (which must not exist), keeping
// permission bits and symlinks.
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			return os.Mkdir(target, info.Mode().Perm()|0o755)
		case info.Mode()&fs.ModeSymlink != 0:
			link, err := os.Readlink(path)
			if err != nil {
				return err
			}
			return os.Symlink(link, target)
		case info.Mode().IsRegular():
			in, err := os.Open(path)
			if err != nil {
				return err
			}
			defer in.Close()
			out, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_EXCL, info.Mode().Perm())
			if err != nil {
				return err
			}
			if _, err := io.Copy(out, in); err != nil {
				out.Close()
				return err
			}
			return out.Close()
		}
		return nil // sockets, devices: not part of an installation
	})
}

// open prepares the folder, clears a leftover server and starts the cluster.
func (c *Cluster) open(ctx context.Context, fast bool) error {
	if err := c.prepareFolder(ctx, fast); err != nil {
		return err
	}
	if err := c.stopLeftover(ctx); err != nil {
		return err
	}
	return c.start(ctx, fast)
}

// prepareFolder checks an existing cluster folder or initialises a new one.
func (c *Cluster) prepareFolder(ctx context.Context, fast bool) error {
	want := strconv.Itoa(requiredMajor)
	ver, err := os.ReadFile(filepath.Join(c.dir, "PG_VERSION"))
	switch {
	case err == nil:
		if got := strings.TrimSpace(string(ver)); got != want {
			return fmt.Errorf("pgembed: the cluster folder %s holds PostgreSQL %s data, but PostgreSQL %s is required: "+
				"PostgreSQL %s cannot open it. Move or delete that folder (dump its data with PostgreSQL %s's pg_dump first if you need it), or use another data folder",
				c.dir, got, want, want, got)
		}
	case errors.Is(err, fs.ErrNotExist):
		entries, derr := os.ReadDir(c.dir)
		switch {
		case derr == nil && len(entries) > 0:
			return fmt.Errorf("pgembed: %s exists but is not a PostgreSQL data folder (it has no PG_VERSION): move or delete it", c.dir)
		case derr == nil:
			_ = os.Remove(c.dir)
		case !errors.Is(derr, fs.ErrNotExist):
			return fmt.Errorf("pgembed: %w", derr)
		}
		create := c.initdb
		if c.replicaOf != nil {
			create = c.basebackup
		}
		if err := create(ctx, fast); err != nil {
			return err
		}
	default:
		return fmt.Errorf("pgembed: %w", err)
	}
	if c.user != nil {
		owner, err := ownerUID(c.dir)
		if err != nil {
			return fmt.Errorf("pgembed: %w", err)
		}
		if owner != c.user.uid {
			return fmt.Errorf("pgembed: the cluster folder %s belongs to uid %d, but PostgreSQL runs as user %s (uid %d) under root: chown -R %s: %s, or use another data folder",
				c.dir, owner, c.user.name, c.user.uid, c.user.name, c.dir)
		}
	}
	return nil
}

// initdb creates the cluster. It is built in a sibling folder and renamed into
// place, so an interrupted initdb never leaves a half-made cluster folder.
func (c *Cluster) initdb(ctx context.Context, fast bool) error {
	tmp := c.dir + ".init"
	_ = os.RemoveAll(tmp) // a previous interrupted initdb; never holds data
	if err := os.Mkdir(tmp, 0o700); err != nil {
		return fmt.Errorf("pgembed: %w", err)
	}
	if err := c.user.chown(tmp); err != nil {
		_ = os.RemoveAll(tmp)
		return fmt.Errorf("pgembed: %w", err)
	}
	c.logger.Info("embedded PostgreSQL: creating the cluster", "dir", c.dir)
	args := []string{
		"-D", tmp,
		"--encoding=UTF8", "--locale=C.UTF-8",
		"-U", "postgres",
		// Trust authentication: the server listens only on 127.0.0.1 and on a
		// socket inside its own folder (which only its user can enter), and it
		// is a private development/test server.
		"--auth=trust",
		"--no-instructions",
	}
	if fast {
		args = append(args, "--no-sync")
	}
	out, err := c.command(ctx, "initdb", args...).CombinedOutput()
	if err != nil {
		_ = os.RemoveAll(tmp)
		return fmt.Errorf("pgembed: initdb %s: %v:\n%s", c.dir, err, strings.TrimSpace(string(out)))
	}
	if err := os.Rename(tmp, c.dir); err != nil {
		return fmt.Errorf("pgembed: %w", err)
	}
	return nil
}

// ErrNoBaseBackup is returned when a replica is asked for (Config.ReplicaOf)
// but the PostgreSQL installation found has no pg_basebackup.
var ErrNoBaseBackup = errors.New("pgembed: this PostgreSQL installation has no pg_basebackup")

// basebackup creates the cluster as a streaming replica of c.replicaOf:
// pg_basebackup -R copies it with the WAL it needs and writes the
// standby.signal and primary_conninfo that make the server follow it.
// Built in a sibling folder and renamed into place, as initdb's.
func (c *Cluster) basebackup(ctx context.Context, fast bool) error {
	if _, err := os.Stat(c.bins.path("pg_basebackup")); err != nil {
		return fmt.Errorf("%w (%s)", ErrNoBaseBackup, c.bins.dir)
	}
	tmp := c.dir + ".init"
	_ = os.RemoveAll(tmp)
	if err := os.Mkdir(tmp, 0o700); err != nil {
		return fmt.Errorf("pgembed: %w", err)
	}
	if err := c.user.chown(tmp); err != nil {
		_ = os.RemoveAll(tmp)
		return fmt.Errorf("pgembed: %w", err)
	}
	p := c.replicaOf
	c.logger.Info("embedded PostgreSQL: creating a streaming replica", "dir", c.dir, "primary_port", p.port)
	args := []string{
		"-D", tmp, "-h", "127.0.0.1", "-p", strconv.Itoa(p.port), "-U", "postgres", "--no-password",
		"-R", "-X", "stream", "-c", "fast",
	}
	if fast {
		args = append(args, "--no-sync")
	}
	out, err := c.command(ctx, "pg_basebackup", args...).CombinedOutput()
	if err != nil {
		_ = os.RemoveAll(tmp)
		return fmt.Errorf("pgembed: pg_basebackup of %s into %s: %v:\n%s", p.dir, c.dir, err, strings.TrimSpace(string(out)))
	}
	if err := os.Rename(tmp, c.dir); err != nil {
		return fmt.Errorf("pgembed: %w", err)
	}
	return nil
}

// stopLeftover stops a server that a killed earlier run left running on the
// cluster. Holding the cluster lock means no live pgembed process owns it.
// A pid file whose process is gone is left to postgres, which replaces it; one
// whose pid now belongs to an unrelated process is removed, since postgres
// would take that process for a running server and refuse to start.
func (c *Cluster) stopLeftover(ctx context.Context) error {
	pidFile := filepath.Join(c.dir, "postmaster.pid")
	data, err := os.ReadFile(pidFile)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("pgembed: %w", err)
	}
	line, _, _ := strings.Cut(string(data), "\n")
	pid, err := strconv.Atoi(strings.TrimSpace(line))
	if err != nil || pid <= 0 || !processAlive(pid) {
		return nil
	}
	if !isPostmasterOf(pid, c.dir) {
		c.logger.Warn("embedded PostgreSQL: removing a stale postmaster.pid whose pid belongs to another process", "pid", pid, "dir", c.dir)
		if err := os.Remove(pidFile); err != nil {
			return fmt.Errorf("pgembed: %w", err)
		}
		return nil
	}
	c.logger.Warn("embedded PostgreSQL: stopping a server left running by an earlier run", "pid", pid, "dir", c.dir)
	out, err := c.command(ctx, "pg_ctl", "stop", "-D", c.dir, "-m", "fast", "-w", "-t", "90", "-s").CombinedOutput()
	if err != nil {
		return fmt.Errorf("pgembed: stop the server left running in %s (pid %d): %v: %s", c.dir, pid, err, strings.TrimSpace(string(out)))
	}
	return nil
}

// errPortTaken marks a start that failed because another process bound the
// chosen port first.
var errPortTaken = errors.New("port taken")

// start runs the server on a free port, retrying with another port if one is
// taken between choosing it and binding it.
func (c *Cluster) start(ctx context.Context, fast bool) error {
	logPath := filepath.Join(c.dir, "postgres.log")
	rotateLog(logPath)
	for attempt := 1; ; attempt++ {
		port, err := freePort()
		if err != nil {
			return fmt.Errorf("pgembed: choose a port: %w", err)
		}
		err = c.startOn(ctx, port, fast, logPath)
		if err == nil {
			c.port = port
			break
		}
		if attempt < 5 && errors.Is(err, errPortTaken) {
			c.logger.Debug("embedded PostgreSQL: port taken, trying another", "port", port)
			continue
		}
		return err
	}
	// pg_ctl -w returns once the postmaster reports it accepts connections;
	// check that the URL we hand out works.
	return c.ping(ctx)
}

func (c *Cluster) startOn(ctx context.Context, port int, fast bool, logPath string) error {
	var offset int64
	if fi, err := os.Stat(logPath); err == nil {
		offset = fi.Size()
	}
	opts := serverOptions(port, socketDir(c.dir), fast)
	out, err := c.command(ctx, "pg_ctl", "start", "-D", c.dir, "-l", logPath, "-w", "-t", "120", "-s", "-o", opts).CombinedOutput()
	if err == nil {
		return nil
	}
	tail := logTail(logPath, offset, 30)
	// Do not leave a half-started server behind (a timeout, a cancelled ctx).
	sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	_ = c.command(sctx, "pg_ctl", "stop", "-D", c.dir, "-m", "immediate", "-w", "-s").Run()
	cancel()
	e := fmt.Errorf("pgembed: start PostgreSQL in %s: %v: %s\nlast lines of %s:\n%s",
		c.dir, err, strings.TrimSpace(string(out)), logPath, tail)
	if strings.Contains(tail, "could not bind") || strings.Contains(tail, "Address already in use") {
		return fmt.Errorf("%w: %w", errPortTaken, e)
	}
	return e
}

func (c *Cluster) ping(ctx context.Context) error {
	deadline := time.Now().Add(15 * time.Second)
	for {
		cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		conn, err := pgx.Connect(cctx, c.URL())
		if err == nil {
			err = conn.Ping(cctx)
			conn.Close(context.Background())
		}
		cancel()
		if err == nil {
			return nil
		}
		if ctx.Err() != nil || time.Now().After(deadline) {
			_ = c.Stop()
			return fmt.Errorf("pgembed: PostgreSQL started but does not accept connections at %s: %w", c.URL(), err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// command prepares one of the PostgreSQL programs, run as the cluster's user,
// without the PG* variables of our environment (PGDATA, PGPORT, PGHOST...),
// which would otherwise steer them.
func (c *Cluster) command(ctx context.Context, program string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, c.bins.path(program), args...)
	cmd.Dir = c.base
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PG") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	c.user.apply(cmd)
	return cmd
}

// serverOptions are the settings given to postgres at each start, quoted for
// the shell that pg_ctl runs postgres through.
func serverOptions(port int, socketDir string, fast bool) string {
	settings := []string{
		"listen_addresses=127.0.0.1",
		"port=" + strconv.Itoa(port),
		"unix_socket_directories=" + quoteListItem(socketDir),
		// The server, River's workers and parallel test packages each hold
		// pools; the default 100 is tight for a whole `go test ./...` run.
		"max_connections=200",
	}
	if fast {
		settings = append(settings, "fsync=off", "synchronous_commit=off", "full_page_writes=off")
	}
	var b strings.Builder
	for _, s := range settings {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString("-c ")
		b.WriteString(shellQuote(s))
	}
	return b.String()
}

// socketDir is where the server puts its Unix socket: the cluster folder
// itself, or nowhere ("") when the socket's path would not fit in sun_path
// (107 bytes on Linux, 103 on macOS and the BSDs). Without a socket the server
// is reached over TCP only, which is all pgembed's URLs use; a short folder
// under /tmp instead would be shared ground to create, secure and clean up.
func socketDir(clusterDir string) string {
	limit := 103
	if runtime.GOOS == "linux" {
		limit = 107
	}
	// postgres names the socket "<dir>/.s.PGSQL.<port>", port up to 5 digits.
	if len(clusterDir)+len("/.s.PGSQL.65535") > limit {
		return ""
	}
	return clusterDir
}

// quoteListItem quotes a folder for a list-valued setting such as
// unix_socket_directories (commas separate items; double quotes protect them).
func quoteListItem(s string) string {
	if s == "" {
		return ""
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// freePort returns a TCP port of 127.0.0.1 that is free now.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// rotateLog keeps the server log from growing without bound across runs: past
// 10 MB it becomes postgres.log.1, replacing the previous one.
func rotateLog(path string) {
	if fi, err := os.Stat(path); err == nil && fi.Size() > 10<<20 {
		_ = os.Rename(path, path+".1")
	}
}

// logTail returns the last n lines written to path from offset on.
func logTail(path string, offset int64, n int) string {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Sprintf("(no log: %v)", err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Size()-offset > 64<<10 {
		offset = fi.Size() - 64<<10
	}
	if _, err := f.Seek(offset, io.SeekStart); err != nil {
		return fmt.Sprintf("(cannot read log: %v)", err)
	}
	data, _ := io.ReadAll(f)
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
