// Package job runs segment refreshes as background jobs on River, a job queue
// kept in PostgreSQL, so a refresh runs once on whichever server instance
// takes it and survives restarts.
//
// A refresh run is a row in refresh_runs: its segments, state, progress,
// error and who asked for it. The River job that works it carries only the
// run's id, so the run outlives River's cleanup of finished jobs. A run is
// created with its job in the caller's transaction ([EnqueueRefresh]): the
// job exists if and only if the caller's change commits.
//
// States:
//
//   - QUEUED: waiting for a worker, either new or, with Error set, after a
//     failed attempt that River will retry (a refresh gets three attempts).
//   - RUNNING: a worker has it; SegmentsDone counts the segments written.
//   - SUCCEEDED: every segment was refreshed (segments deleted meanwhile are
//     skipped); FinishedAt is set.
//   - FAILED: the last attempt failed, or River discarded or cancelled the
//     job; Error says why.
//
// Each segment is written in its own transaction, so a refresh interrupted
// at any point (a crash, a kill -9, a timeout) leaves every segment with its
// old membership or its new one, never a mix. A retried run simply runs
// again: segments already done write no difference. A worker that dies is
// noticed by River's rescuer after Config.RescueStuckJobsAfter, and the job
// is retried; a worker that shuts down cleanly hands its run back at once
// (QUEUED, without using up an attempt).
//
// When River moves a job without its worker (a rescue, a discard), [GetRun]
// brings the run's state in line with the job as it reads it, and the
// schedule's periodic job does the same for every unfinished run.
//
// With Config.RefreshInterval set, the client refreshes every active segment
// on a schedule: a periodic job, run by River's elected leader only (so once
// across any number of instances), checks every few minutes (and when a
// leader starts) whether the last refresh of all active segments is
// RefreshInterval old, and if so enqueues one ("schedule"). The clock is the
// refresh_runs table, so restarts neither skip nor repeat a scheduled refresh.
package job
