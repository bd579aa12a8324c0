package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestRunHandsOutATestDatabase(t *testing.T) {
	t.Setenv("DATABASE_URL", "")
	dataDir := t.TempDir()
	if os.Geteuid() == 0 { // let user segments reach it
		require.NoError(t, os.Chmod(filepath.Dir(dataDir), 0o755))
		require.NoError(t, os.Chmod(dataDir, 0o755))
	}
	var stderr bytes.Buffer
	code := run([]string{"-data-dir", dataDir, "--", "sh", "-c",
		`case "$DATABASE_URL" in postgres://postgres@127.0.0.1:*/segments_test\?sslmode=disable) exit 7;; esac; echo "$DATABASE_URL"; exit 1`,
	}, &stderr)
	require.Equal(t, 7, code, "the child's exit code, with DATABASE_URL set; stderr:\n%s", stderr.String())
	require.DirExists(t, filepath.Join(dataDir, "pg15"))
	require.NoFileExists(t, filepath.Join(dataDir, "pg15", "postmaster.pid"), "the cluster is stopped")
}

func TestRunKeepsAGivenDatabaseURL(t *testing.T) {
	t.Setenv("DATABASE_URL", "postgres://example.invalid/x")
	dataDir := t.TempDir()
	var stderr bytes.Buffer
	code := run([]string{"-data-dir", dataDir, "--", "sh", "-c",
		`test "$DATABASE_URL" = postgres://example.invalid/x && exit 5`}, &stderr)
	require.Equal(t, 5, code, stderr.String())
	require.NoDirExists(t, filepath.Join(dataDir, "pg15"), "nothing started")
}

func TestRunUsage(t *testing.T) {
	t.Setenv("DATABASE_URL", "postgres://example.invalid/x") // start nothing
	var stderr bytes.Buffer
	require.Equal(t, 2, run(nil, &stderr))
	require.Contains(t, stderr.String(), "usage: withpg")
	require.Equal(t, 127, run([]string{"-data-dir", t.TempDir(), "--", "/nonexistent/cmd"}, &stderr))
}
