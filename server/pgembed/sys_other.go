//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package pgembed

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"runtime"
)

// errUnsupported is returned where pgembed cannot run a cluster: it relies on
// Unix process credentials, file locks and pg_ctl's shell.
var errUnsupported = errors.New("pgembed: the embedded PostgreSQL is not supported on " + runtime.GOOS + "; set DATABASE_URL")

const systemUser = "segments"

type runUser struct {
	name     string
	uid, gid uint32
}

var errLocked = errors.New("locked")

func ensureSystemUser(context.Context) (*runUser, error) { return nil, errUnsupported }
func lookupUser(string) (*runUser, error)                { return nil, errUnsupported }
func (u *runUser) apply(*exec.Cmd)                       {}
func (u *runUser) chown(string) error                    { return nil }
func canReach(string, uint32, uint32) (bool, error)      { return true, nil }
func ownerUID(string) (uint32, error)                    { return 0, errUnsupported }
func lockFile(string) (*os.File, error)                  { return nil, errUnsupported }
func processAlive(int) bool                              { return false }
func isPostmasterOf(int, string) bool                    { return false }
