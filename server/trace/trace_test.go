package trace_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	oteltrace "go.opentelemetry.io/otel/trace"

	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/db/dbtest"
	"github.com/segments/segments/server/trace"
)

func env(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestOffWithoutAnEndpoint(t *testing.T) {
	t.Parallel()
	p, err := trace.Setup(context.Background(), env(map[string]string{"OTEL_SERVICE_NAME": "x", "OTEL_EXPORTER_OTLP_ENDPOINT": " "}), nil)
	require.NoError(t, err)
	require.Nil(t, p, "off")
	// Off, everything is handed back as it was.
	h := http.NewServeMux()
	require.Same(t, h, p.Handler(h))
	cfg := &pgxpool.Config{ConnConfig: &pgx.ConnConfig{}}
	p.ConfigurePool(cfg)
	require.Nil(t, cfg.ConnConfig.Tracer)
	require.Nil(t, p.JobMiddleware())
	require.NoError(t, p.Shutdown(context.Background()))
	fields := map[string]string{}
	trace.Inject(context.Background(), fields)
	require.Empty(t, fields, "no span, no trace context")
}

func TestOnWithAnEndpoint(t *testing.T) {
	t.Parallel()
	for _, k := range []string{trace.EnvEndpoint, trace.EnvTracesEndpoint} {
		p, err := trace.Setup(context.Background(), env(map[string]string{k: "http://127.0.0.1:4318"}), nil)
		require.NoError(t, err, k)
		require.NotNil(t, p, k)
		require.NoError(t, p.Shutdown(context.Background()))
	}
	_, err := trace.Setup(context.Background(), env(map[string]string{trace.EnvEndpoint: "http://127.0.0.1:4317", "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"}), nil)
	require.ErrorContains(t, err, "OTEL_EXPORTER_OTLP_PROTOCOL=grpc: only http/protobuf is supported")
}

// counter counts statements, as a test's pool tracer does.
type counter struct{ n atomic.Int64 }

func (c *counter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	c.n.Add(1)
	return ctx
}
func (c *counter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// TestPoolKeepsItsTracer: SQL spans join the tracer a pool already has,
// and a statement's text is recorded only when it has bind parameters.
func TestPoolKeepsItsTracer(t *testing.T) {
	t.Parallel()
	exp := tracetest.NewInMemoryExporter()
	p := trace.New(sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp)))
	cfg, err := pgxpool.ParseConfig(dbtest.URL(t))
	require.NoError(t, err)
	c := &counter{}
	cfg.ConnConfig.Tracer = c
	p.ConfigurePool(cfg)
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	require.NoError(t, err)
	d := db.FromPool(pool)
	t.Cleanup(d.Close)

	ctx, span := p.TracerProvider().Tracer("test").Start(context.Background(), "parent")
	var n int
	require.NoError(t, db.Get(ctx, d, `SELECT count(*) FROM websites WHERE code <> $1`, []any{"secret-value"}, &n))
	_, err = d.NewSelect().TableExpr("websites").ColumnExpr("count(*)").Where("code <> ?", "inline-value").Exec(ctx)
	require.NoError(t, err)
	span.End()

	require.EqualValues(t, 2, c.n.Load(), "the pool's own tracer still sees every statement")
	var texts []string
	sql := 0
	for _, s := range exp.GetSpans() {
		// Under each statement's span, pgx may prepare it (a span of
		// its own, without text); connections are spans too.
		for _, kv := range s.Attributes {
			require.NotContains(t, kv.Value.Emit(), "secret-value")
			require.NotContains(t, kv.Value.Emit(), "inline-value")
			if kv.Key == "db.query.text" {
				texts = append(texts, kv.Value.AsString())
			}
		}
		if s.Name == "SELECT" && s.Parent.SpanID() == span.SpanContext().SpanID() {
			sql++
		}
	}
	require.Equal(t, 2, sql)
	require.Equal(t, []string{`SELECT count(*) FROM websites WHERE code <> $1`}, texts)

	// Without a span around them, statements make no trace.
	exp.Reset()
	require.NoError(t, db.Get(context.Background(), d, `SELECT 1`, nil, &n))
	require.Empty(t, exp.GetSpans())
}

// TestHandlerHidesTheRequestFromOtelhttp: the handler inside gets the
// request as it came (path, query, headers, address), in the span's
// context.
func TestHandlerHidesTheRequestFromOtelhttp(t *testing.T) {
	t.Parallel()
	exp := tracetest.NewInMemoryExporter()
	p := trace.New(sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp)))
	var got *http.Request
	h := p.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r
		trace.Route(r.Context(), r.Method, "GET /exports/{id}/{name}")
		w.WriteHeader(http.StatusGone)
	}))
	r := httptest.NewRequest(http.MethodGet, "/exports/7/file.csv?sig=abc", nil)
	r.Header.Set("User-Agent", "ua")
	h.ServeHTTP(httptest.NewRecorder(), r)
	require.Equal(t, "/exports/7/file.csv", got.URL.Path)
	require.Equal(t, "sig=abc", got.URL.RawQuery)
	require.Equal(t, "ua", got.UserAgent())
	require.Equal(t, r.RemoteAddr, got.RemoteAddr)
	spans := exp.GetSpans()
	require.Len(t, spans, 1)
	require.Equal(t, "GET /exports/{id}/{name}", spans[0].Name)
	require.Equal(t, spans[0].SpanContext.SpanID(), sdkSpanID(got))
	for _, kv := range spans[0].Attributes {
		require.NotContains(t, kv.Value.Emit(), "file.csv", string(kv.Key))
		require.NotContains(t, kv.Value.Emit(), "sig=abc", string(kv.Key))
	}
}

func sdkSpanID(r *http.Request) oteltrace.SpanID {
	return oteltrace.SpanContextFromContext(r.Context()).SpanID()
}
