// Package trace is the server's optional OpenTelemetry tracing: off unless
// OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is
// set, then an OTLP/HTTP exporter behind a batch span processor.
//
// [Setup] reads the setting and returns a [Provider]; a nil Provider is
// tracing off, and each of its methods then hands back what it was given
// (or nothing), so requests pay for no tracing at all. On, it wires the
// libraries that make the spans:
//
//   - HTTP: [Provider.Handler] wraps the public handler with otelhttp.
//     The span is named by the route pattern (package web renames it once
//     the mux has chosen one, through [Route]): never the raw path, whose
//     download links carry names, nor the query, which carries a link's
//     signature. The client's address and user agent are left out too.
//   - GraphQL: graph's extension starts one span per operation under the
//     HTTP span, using [Provider.TracerProvider].
//   - SQL: [Provider.ConfigurePool] adds otelpgx to the pgx pool (next to
//     any tracer already there). A statement's span carries its text only
//     when the statement has bind parameters, so the text holds no value;
//     statements built by bun's query builder, which writes the values
//     into the text, carry only their operation (SELECT, INSERT, ...).
//     pgx's own preparing of a statement is a child span, without text.
//   - Jobs: [Provider.JobMiddleware] is rivercontrib's otelriver: each
//     job's work is a span, linked to the span of the request that queued
//     it (package job carries the trace context in the job's metadata).
//
// [Provider.Shutdown] flushes the spans still buffered; serve calls it
// last in its shutdown sequence.
package trace
