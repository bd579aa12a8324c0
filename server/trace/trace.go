package trace

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"

	"github.com/exaring/otelpgx"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/multitracer"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river/rivertype"
	"github.com/riverqueue/rivercontrib/otelriver"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.40.0"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"
)

// ServiceName is the service.name of the spans unless OTEL_SERVICE_NAME
// (or service.name in OTEL_RESOURCE_ATTRIBUTES) says otherwise.
const ServiceName = "segments"

// Endpoint settings: either turns tracing on.
const (
	EnvEndpoint       = "OTEL_EXPORTER_OTLP_ENDPOINT"
	EnvTracesEndpoint = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"
)

// Provider is tracing on: the SDK's tracer provider and the libraries'
// wiring. A nil *Provider is tracing off.
type Provider struct {
	tp *sdktrace.TracerProvider
}

// Setup turns tracing on when lookupEnv has an OTLP endpoint, and returns
// nil (off) otherwise. The exporter is otlptracehttp, which reads the
// standard OTEL_EXPORTER_OTLP_* variables itself (endpoint, headers,
// timeout, compression, certificates); the sampler comes from
// OTEL_TRACES_SAMPLER and OTEL_TRACES_SAMPLER_ARG (default: every trace,
// or as the caller's traceparent says). Export errors go to log.
func Setup(ctx context.Context, lookupEnv func(string) (string, bool), log *slog.Logger) (*Provider, error) {
	if !on(lookupEnv) {
		return nil, nil
	}
	if p, _ := lookupEnv("OTEL_EXPORTER_OTLP_PROTOCOL"); p != "" && p != "http/protobuf" {
		return nil, fmt.Errorf("OTEL_EXPORTER_OTLP_PROTOCOL=%s: only http/protobuf is supported", p)
	}
	if p, _ := lookupEnv("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"); p != "" && p != "http/protobuf" {
		return nil, fmt.Errorf("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL=%s: only http/protobuf is supported", p)
	}
	exp, err := otlptracehttp.New(ctx)
	if err != nil {
		return nil, fmt.Errorf("traces: %w", err)
	}
	res, err := resource.New(ctx,
		resource.WithAttributes(semconv.ServiceName(ServiceName), semconv.ServiceVersion(version())),
		// Later options win: the operator's OTEL_SERVICE_NAME and
		// OTEL_RESOURCE_ATTRIBUTES over the defaults above.
		resource.WithFromEnv(),
		resource.WithTelemetrySDK(),
		resource.WithHost(),
	)
	if err != nil && !errors.Is(err, resource.ErrPartialResource) {
		return nil, fmt.Errorf("traces: resource: %w", err)
	}
	if log != nil {
		otel.SetErrorHandler(otel.ErrorHandlerFunc(func(err error) {
			log.Warn("traces", "err", err)
		}))
	}
	return New(sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp), sdktrace.WithResource(res))), nil
}

// on says whether lookupEnv names an endpoint to send spans to.
func on(lookupEnv func(string) (string, bool)) bool {
	for _, k := range []string{EnvEndpoint, EnvTracesEndpoint} {
		if v, _ := lookupEnv(k); strings.TrimSpace(v) != "" {
			return true
		}
	}
	return false
}

// New wraps a tracer provider the caller configured (tests pass one with
// an in-memory exporter).
func New(tp *sdktrace.TracerProvider) *Provider { return &Provider{tp: tp} }

// version is the binary's module version, "(devel)" for a local build.
func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}

// TracerProvider is what instrumentation starts spans with: the no-op one
// when tracing is off.
func (p *Provider) TracerProvider() trace.TracerProvider {
	if p == nil {
		return noop.NewTracerProvider()
	}
	return p.tp
}

// Shutdown sends the spans still buffered and stops the exporter; ctx
// bounds how long that may take. Later calls do nothing.
func (p *Provider) Shutdown(ctx context.Context) error {
	if p == nil {
		return nil
	}
	return p.tp.Shutdown(ctx)
}

// propagator reads and writes W3C trace context (traceparent, tracestate).
var propagator = propagation.TraceContext{}

// Handler wraps the public HTTP handler in otelhttp: one server span per
// request, continuing the caller's trace when it sends a traceparent.
// otelhttp sees a bare copy of the request, without path, query, client
// address or headers other than the trace context, so the span records
// none of them; next gets the request as it came, in the span's context.
// Off, Handler returns next itself.
func (p *Provider) Handler(next http.Handler) http.Handler {
	if p == nil {
		return next
	}
	inner := http.HandlerFunc(func(w http.ResponseWriter, bare *http.Request) {
		r, _ := bare.Context().Value(requestKey{}).(*http.Request)
		if r == nil {
			r = bare
		}
		next.ServeHTTP(w, r.WithContext(bare.Context()))
	})
	h := otelhttp.NewHandler(inner, "",
		otelhttp.WithTracerProvider(p.tp),
		otelhttp.WithPropagators(propagator),
		otelhttp.WithSpanNameFormatter(func(_ string, r *http.Request) string { return spanMethod(r.Method) }),
	)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		bare := r.WithContext(context.WithValue(r.Context(), requestKey{}, r))
		bare.URL = &url.URL{}
		bare.RemoteAddr = ""
		bare.Body = nil
		bare.Header = http.Header{}
		for _, k := range propagator.Fields() {
			if v := r.Header.Values(k); len(v) > 0 {
				bare.Header[http.CanonicalHeaderKey(k)] = v
			}
		}
		h.ServeHTTP(w, bare)
	})
}

// requestKey carries the request as it came past otelhttp.
type requestKey struct{}

// spanMethod is a request's method as a span name: one of the standard
// ones, else HTTP (a client must not grow the set of names).
func spanMethod(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodConnect, http.MethodOptions, http.MethodTrace:
		return m
	}
	return "HTTP"
}

// Route names the request's span after the route pattern that served it
// (http.ServeMux's, such as "GET /exports/{id}/{name}"), and records it as
// http.route. It does nothing when the span is not recording.
func Route(ctx context.Context, method, pattern string) {
	span := trace.SpanFromContext(ctx)
	if pattern == "" || !span.IsRecording() {
		return
	}
	route := pattern
	if i := strings.IndexByte(route, ' '); i >= 0 {
		route = route[i+1:]
	}
	span.SetName(spanMethod(method) + " " + route)
	span.SetAttributes(semconv.HTTPRoute(route))
}

// ConfigurePool adds SQL spans to a pgx pool's configuration, composed
// with the tracer the pool already has (tests count statements with one).
// Off, it leaves cfg alone. Spans start only under a recording span (a
// request or a job), so the pool's own chatter makes no traces.
func (p *Provider) ConfigurePool(cfg *pgxpool.Config) {
	if p == nil {
		return
	}
	t := &statements{Tracer: otelpgx.NewTracer(
		otelpgx.WithTracerProvider(p.tp),
		otelpgx.WithDisableSQLStatementInAttributes(),
		otelpgx.WithDisableAcquireTracer(),
	)}
	if prev := cfg.ConnConfig.Tracer; prev != nil {
		cfg.ConnConfig.Tracer = multitracer.New(prev, t)
		return
	}
	cfg.ConnConfig.Tracer = t
}

// statements is otelpgx's tracer recording a statement's text only when
// it has bind parameters: the text then holds no value. bun's query builder
// writes values into the text (an e-mail, a session's token hash), so its
// statements carry only their operation name.
type statements struct {
	*otelpgx.Tracer
}

// TraceQueryStart implements pgx.QueryTracer.
func (t *statements) TraceQueryStart(ctx context.Context, conn *pgx.Conn, data pgx.TraceQueryStartData) context.Context {
	ctx = t.Tracer.TraceQueryStart(ctx, conn, data)
	span := trace.SpanFromContext(ctx)
	if !span.IsRecording() {
		return ctx
	}
	span.SetAttributes(semconv.DBOperationName(otelpgx.SQLOperationName(ctx, data.SQL)))
	if hasParams(data.Args) {
		span.SetAttributes(semconv.DBQueryText(data.SQL))
	}
	return ctx
}

// hasParams says whether a statement's arguments hold parameters, past the
// options pgx takes among the leading ones (database/sql passes the result
// formats that way, with or without parameters).
func hasParams(args []any) bool {
	for _, a := range args {
		switch a.(type) {
		case pgx.QueryExecMode, pgx.QueryResultFormats, pgx.QueryResultFormatsByOID, pgx.QueryRewriter:
		default:
			return true
		}
	}
	return false
}

// JobMiddleware is the River middleware that makes a span of each job's
// work (river.work/KIND), linked to the span of the request that queued it
// when the job's metadata carries one ([Inject]). Off, it is nil.
func (p *Provider) JobMiddleware() []rivertype.Middleware {
	if p == nil {
		return nil
	}
	return []rivertype.Middleware{otelriver.NewMiddleware(&otelriver.MiddlewareConfig{
		EnableTracePropagation:      true,
		EnableWorkSpanJobKindSuffix: true,
		TracerProvider:              p.tp,
	})}
}

// Inject adds the trace context of ctx's span to a job's metadata fields
// (traceparent, and tracestate when set), where otelriver finds it. It adds
// nothing when ctx has no span, as when tracing is off.
func Inject(ctx context.Context, fields map[string]string) {
	if !trace.SpanContextFromContext(ctx).IsValid() {
		return
	}
	propagator.Inject(ctx, propagation.MapCarrier(fields))
}
