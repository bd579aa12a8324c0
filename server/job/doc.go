// Package job is the one job model: how refresh runs, exports and periodic
// tasks (the refresh schedule, the export retention sweep) run in the
// background on River, a job queue kept in PostgreSQL, so each runs once on
// whichever server instance takes it and survives restarts and crashes.
// docs/jobs.md tells the whole story for contributors and operators.
//
// A run is a row in its own table (refresh_runs, exports) with the columns
// of [Status]: its [State], a plain error message, who asked (an
// actor.Actor), the River job working it, a heartbeat and its times. The
// River job carries only the row's id, so the run outlives River's cleanup
// of finished jobs. Every kind of run goes the same way:
//
//   - In: the caller inserts the row and calls [Enqueue] in its own bun
//     transaction, so the job exists if and only if the caller's change
//     commits ([RequestRefresh], export.Service.Enqueue).
//   - Work: a worker claims the row (RUNNING) for its job, writes the
//     heartbeat every [DefaultHeartbeat] while it works, and marks it
//     SUCCEEDED with its results in one transaction — all fenced on the
//     job, so a worker that lost the run can change nothing.
//   - Failure: a failed attempt leaves the run QUEUED with the error while
//     River retries it, FAILED after the last attempt; errors are shown as
//     plain messages ([Message]), never an internal "context canceled".
//   - Shutdown: [Client.Stop] gives running jobs a grace period, then
//     interrupts them; they hand their runs back (QUEUED, a River snooze
//     that uses up no attempt) for the next worker to resume.
//   - Crash: every [Client] looks every heartbeat for RUNNING runs whose
//     heartbeat is older than [DefaultHeartbeatTimeout] (their worker died:
//     kill -9, a lost machine) and queues each again under a new River job;
//     the old job, should River's own rescue ever retry it hours later,
//     finds the run no longer its own. A worker that cannot write its
//     heartbeat stops before anyone may take its run, so a live run is
//     never worked twice. Runs whose River job was discarded, cancelled or
//     deleted without them are FAILED.
//   - Wait: [Wait] reads a run until it finishes or a time passes.
//   - Measure: every attempt that ends is counted by the state it left the
//     run in, with its duration and what it wrote ([Count]), and every job
//     start with its wait (Config.Metrics, package metric);
//     [Client.QueueDepth] reads the queue for the metrics. A job carries
//     the request id of the request that queued it, for its log lines.
//
// Kinds of run are described by a [Spec] and handed to [NewClient] as a
// [Kind]; periodic tasks by [Periodic], started by River's elected leader
// only, so once across any number of instances. Refresh runs and the
// schedule live here; exports in package export. A run the command line
// works itself, outside the queue, goes through [RunHere].
//
// A refresh request whose segments are all covered by a QUEUED run returns
// that run: ten clicks of "refresh all" queue one run. Each segment is
// written in its own transaction, so a refresh interrupted at any point
// leaves every segment with its old membership or its new one, and a
// resumed run simply runs again. With Config.RefreshInterval set, the
// leader enqueues an incremental refresh of every active segment when the
// last one is that old, and a full one when none was asked for within
// [FullRefreshEvery]; the clock is the refresh_runs table, so restarts
// neither skip nor repeat it. [GetRun] and [WaitRun] answer as the principal in the
// context sees the run: a principal limited to some websites sees only the
// run's segments it sees (docs/security.md).
package job
