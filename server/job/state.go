package job

import (
	"time"

	"github.com/segments/segments/server/actor"
)

// State is where a run stands: the one vocabulary of refresh runs and
// exports, stored in their state columns and named by the GraphQL enum
// JobState.
type State string

// The states of a run.
const (
	// Queued: waiting for a worker; new, handed back by a worker that was
	// stopping, taken from a worker that died, or (with Error set) waiting
	// to be retried after a failed attempt.
	Queued State = "QUEUED"
	// Running: a worker has it and keeps its heartbeat.
	Running State = "RUNNING"
	// Succeeded: done; FinishedAt is set.
	Succeeded State = "SUCCEEDED"
	// Failed: its last attempt failed, or it was cancelled; Error says why
	// in words meant for the person who asked.
	Failed State = "FAILED"
)

// Finished reports whether s is Succeeded or Failed: nothing will change
// the run any more.
func (s State) Finished() bool { return s == Succeeded || s == Failed }

// Status is what every run row holds besides its own request and results:
// embedded in the bun models of refresh_runs and exports, whose columns of
// these names it maps.
type Status struct {
	State State `bun:"state,nullzero,notnull,default:'QUEUED'"`
	// Error is a plain message for the person who asked: why the run
	// FAILED, or why it is QUEUED again (a failed attempt to be retried, a
	// worker that stopped). Nil once SUCCEEDED.
	Error *string `bun:"error"`
	// RequestedBy is who asked for the run.
	RequestedBy actor.Actor `bun:"requested_by,notnull"`
	// JobID is the River job that works the run now; nil for a run with
	// nothing to do and for one the command line works itself.
	JobID *int64 `bun:"job_id"`
	// HeartbeatAt is when the worker running the run last said it is alive.
	HeartbeatAt *time.Time `bun:"heartbeat_at"`
	// Takeovers counts the times the run was taken up after its worker
	// died; the third time, it is given up.
	Takeovers int       `bun:"takeovers,notnull"`
	CreatedAt time.Time `bun:"created_at,nullzero,notnull,default:current_timestamp"`
	// StartedAt is when a worker first took the run.
	StartedAt *time.Time `bun:"started_at"`
	// FinishedAt is set once the run is SUCCEEDED or FAILED.
	FinishedAt *time.Time `bun:"finished_at"`
}

// Finished reports whether the run is SUCCEEDED or FAILED.
func (s *Status) Finished() bool { return s.State.Finished() }
