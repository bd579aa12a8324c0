//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package pgembed

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
)

// systemUser is the account the cluster runs as when pgembed runs as root.
const systemUser = "segments"

// runUser is the account PostgreSQL programs run as. A nil *runUser means the
// current user.
type runUser struct {
	name     string
	uid, gid uint32
}

var userMu sync.Mutex

// ensureSystemUser returns the segments system user, creating it on first use.
func ensureSystemUser(ctx context.Context) (*runUser, error) {
	userMu.Lock()
	defer userMu.Unlock()
	if u, err := lookupUser(systemUser); err == nil {
		return u, nil
	}
	useradd, err := exec.LookPath("useradd")
	if err != nil {
		useradd = "/usr/sbin/useradd"
	}
	out, addErr := exec.CommandContext(ctx, useradd, "--system", "--no-create-home",
		"--shell", "/usr/sbin/nologin", systemUser).CombinedOutput()
	// Another process may have created it meanwhile: look again either way.
	u, err := lookupUser(systemUser)
	if err != nil {
		if addErr != nil {
			return nil, fmt.Errorf("running as root, PostgreSQL needs a non-root user: creating system user %q failed: %v: %s (create it yourself, run as another user, or set DATABASE_URL)",
				systemUser, addErr, strings.TrimSpace(string(out)))
		}
		return nil, fmt.Errorf("look up user %q after creating it: %w", systemUser, err)
	}
	return u, nil
}

func lookupUser(name string) (*runUser, error) {
	u, err := user.Lookup(name)
	if err != nil {
		return nil, err
	}
	uid, err := strconv.ParseUint(u.Uid, 10, 32)
	if err != nil {
		return nil, err
	}
	gid, err := strconv.ParseUint(u.Gid, 10, 32)
	if err != nil {
		return nil, err
	}
	return &runUser{name: name, uid: uint32(uid), gid: uint32(gid)}, nil
}

// apply makes cmd run as u, with no supplementary groups.
func (u *runUser) apply(cmd *exec.Cmd) {
	if u == nil {
		return
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{
		Credential: &syscall.Credential{Uid: u.uid, Gid: u.gid, Groups: []uint32{}},
	}
}

// chown gives path to u; a no-op for the current user.
func (u *runUser) chown(path string) error {
	if u == nil {
		return nil
	}
	return os.Lchown(path, int(u.uid), int(u.gid))
}

// canReach reports whether uid/gid may traverse every folder from / down to
// and including dir (search permission, the x bit). It reads the permission
// bits only (not ACLs) and ignores supplementary groups, which the system
// user does not have. dir must be absolute and exist.
func canReach(dir string, uid, gid uint32) (bool, error) {
	if uid == 0 {
		return true, nil
	}
	for p := filepath.Clean(dir); ; p = filepath.Dir(p) {
		fi, err := os.Stat(p)
		if err != nil {
			return false, err
		}
		st, ok := fi.Sys().(*syscall.Stat_t)
		if !ok {
			return false, fmt.Errorf("stat %s: no owner information", p)
		}
		mode := fi.Mode().Perm()
		var allowed bool
		switch {
		case st.Uid == uid:
			allowed = mode&0o100 != 0
		case st.Gid == gid:
			allowed = mode&0o010 != 0
		default:
			allowed = mode&0o001 != 0
		}
		if !allowed {
			return false, nil
		}
		if filepath.Dir(p) == p {
			return true, nil
		}
	}
}

// ownerUID returns the owner of path.
func ownerUID(path string) (uint32, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return 0, err
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, fmt.Errorf("stat %s: no owner information", path)
	}
	return st.Uid, nil
}

// errLocked means another live process holds the cluster.
var errLocked = errors.New("locked")

// lockFile takes an exclusive lock on path (created if missing) for as long
// as the returned file stays open. The kernel drops it when this process
// dies, so a lock never outlives its run; the postmaster does not inherit it
// (Go opens files close-on-exec).
func lockFile(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if errors.Is(err, fs.ErrPermission) {
		f, err = os.Open(path) // flock works on a read-only descriptor too
	}
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, errLocked
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return f, nil
}

// processAlive reports whether a process with this pid exists.
func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// isPostmasterOf reports whether the live process pid is a PostgreSQL server
// running on dataDir (rather than an unrelated process that reused the pid of
// a postmaster that is long gone). The postmaster's working folder is its data
// folder; where /proc is missing (macOS, BSD), a process named postgres is
// taken to be it.
func isPostmasterOf(pid int, dataDir string) bool {
	if _, err := os.Stat("/proc/self/cwd"); err == nil {
		cwd, err := os.Readlink(fmt.Sprintf("/proc/%d/cwd", pid))
		if err != nil {
			return false
		}
		if real, err := filepath.EvalSymlinks(dataDir); err == nil {
			dataDir = real
		}
		return filepath.Clean(cwd) == filepath.Clean(dataDir)
	}
	out, err := exec.Command("ps", "-o", "comm=", "-p", strconv.Itoa(pid)).Output()
	if err != nil {
		return false
	}
	name := filepath.Base(strings.TrimSpace(string(out)))
	return name == "postgres" || name == "postmaster"
}
