// Command withpg runs a command with a private PostgreSQL 15 cluster:
//
//	go run ./server/pgembed/withpg -data-dir .data/test -- go test ./...
//
// It starts the cluster in <data-dir>/pg15 with durability off (a test
// cluster), creates the database segments_test, runs the command with
// DATABASE_URL pointing at it, stops the cluster when the command ends or on
// SIGINT/SIGTERM (which it passes on to the command), and exits with the
// command's exit code. This is how `make test` gives one cluster to a whole
// test run.
//
// If DATABASE_URL is already set, withpg starts nothing and runs the command
// against that server, as `segments serve` does.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"

	"github.com/segments/segments/server/pgembed"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stderr))
}

// run is main without os.Exit, so tests can call it.
func run(args []string, stderr io.Writer) int {
	flags := flag.NewFlagSet("withpg", flag.ContinueOnError)
	flags.SetOutput(stderr)
	dataDir := flags.String("data-dir", ".data/test", "folder the test cluster lives under (in <data-dir>/pg15)")
	dbName := flags.String("db", "segments_test", "database to create and hand out in DATABASE_URL")
	flags.Usage = func() {
		fmt.Fprintln(stderr, "usage: withpg [-data-dir DIR] [-db NAME] -- command [args...]")
		flags.PrintDefaults()
	}
	if err := flags.Parse(args); err != nil {
		return 2
	}
	command := flags.Args()
	if len(command) == 0 {
		flags.Usage()
		return 2
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))

	env := os.Environ()
	if os.Getenv("DATABASE_URL") != "" {
		logger.Info("withpg: DATABASE_URL is set; using that server and starting none")
		return runChild(command, env, stderr)
	}

	startCtx, stopSignals := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	cluster, err := pgembed.Start(startCtx, pgembed.Config{DataDir: *dataDir, Logger: logger, Fast: true})
	if err != nil {
		stopSignals()
		fmt.Fprintln(stderr, "withpg:", err)
		return 1
	}
	defer func() {
		if err := cluster.Stop(); err != nil {
			fmt.Fprintln(stderr, "withpg:", err)
		}
	}()
	dbURL, err := cluster.EnsureDatabase(startCtx, *dbName)
	interrupted := startCtx.Err() != nil
	stopSignals()
	if interrupted {
		fmt.Fprintln(stderr, "withpg: interrupted")
		return 130
	}
	if err != nil {
		fmt.Fprintln(stderr, "withpg:", err)
		return 1
	}
	return runChild(command, setEnv(env, "DATABASE_URL", dbURL), stderr)
}

// runChild runs command with standard input and output passed through,
// forwarding SIGINT and SIGTERM to it, and returns its exit code (128+n when a
// signal n ended it).
func runChild(command, env []string, stderr io.Writer) int {
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)

	cmd := exec.Command(command[0], command[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.Env = env
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(stderr, "withpg:", err)
		return 127
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	for {
		select {
		case sig := <-sigs:
			// A terminal's Ctrl-C reaches the child too; a signal sent to
			// withpg alone must be passed on.
			_ = cmd.Process.Signal(sig)
		case err := <-done:
			var exitErr *exec.ExitError
			switch {
			case err == nil:
				return 0
			case errors.As(err, &exitErr):
				if ws, ok := exitErr.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
					return 128 + int(ws.Signal())
				}
				return exitErr.ExitCode()
			default:
				fmt.Fprintln(stderr, "withpg:", err)
				return 1
			}
		}
	}
}

// setEnv returns env with key set to value.
func setEnv(env []string, key, value string) []string {
	out := make([]string, 0, len(env)+1)
	for _, kv := range env {
		if !strings.HasPrefix(kv, key+"=") {
			out = append(out, kv)
		}
	}
	return append(out, key+"="+value)
}
