// Package metric is what the server measures, in Prometheus form: every
// metric's name, labels and buckets are defined here, and the layers that
// see the events report them through a [Metrics] (nil reports nothing, so
// tests and commands that measure nothing pass none).
//
//   - HTTP: requests by route pattern (never the raw path), method and
//     status, with their latency (server/web).
//   - GraphQL: operations by name, type, outcome and error code, with their
//     latency (graph). Names are bounded: an operation without a name is
//     "anonymous", a name that is not a plain GraphQL name is "invalid",
//     and once MaxOperationNames names have been seen every new one is
//     "other", so no client can grow the series without end.
//   - Runs: attempts of refresh runs and exports by the state they left the
//     run in, with durations, rows and bytes (server/job, where every
//     attempt ends); the wait of River jobs between becoming available and
//     being started.
//   - Sampled on each scrape: River's queue depth by kind and state (read
//     from the database with a short timeout) and the pgx pool's
//     connections and waits.
//   - Go runtime, process and build info (client_golang's collectors).
//
// [Metrics.Handler] serves them on the listener METRICS_ADDR names, never on
// the public one: series and labels tell more about the installation than a
// stranger should see. docs/operations.md lists every series.
package metric
