package main

import (
	"compress/gzip"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/proto"

	"github.com/segments/segments/server/auth"
)

// collector is an OTLP/HTTP trace receiver: it takes POST /v1/traces
// (protobuf) and keeps the spans, with their resource's attributes.
type collector struct {
	url string
	mu  sync.Mutex
	// spans, with the resource they came under.
	spans []receivedSpan
}

type receivedSpan struct {
	*tracepb.Span
	resource map[string]string
}

func newCollector(t *testing.T) *collector {
	t.Helper()
	c := &collector{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/v1/traces" {
			http.NotFound(w, r)
			return
		}
		var body io.Reader = r.Body
		if r.Header.Get("Content-Encoding") == "gzip" {
			gz, err := gzip.NewReader(r.Body)
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			body = gz
		}
		b, err := io.ReadAll(body)
		var req coltracepb.ExportTraceServiceRequest
		if err == nil {
			err = proto.Unmarshal(b, &req)
		}
		if err != nil || r.Header.Get("Content-Type") != "application/x-protobuf" {
			http.Error(w, "want an OTLP protobuf export", http.StatusBadRequest)
			return
		}
		c.mu.Lock()
		for _, rs := range req.ResourceSpans {
			res := attrs(rs.GetResource().GetAttributes())
			for _, ss := range rs.ScopeSpans {
				for _, s := range ss.Spans {
					c.spans = append(c.spans, receivedSpan{Span: s, resource: res})
				}
			}
		}
		c.mu.Unlock()
		out, _ := proto.Marshal(&coltracepb.ExportTraceServiceResponse{})
		w.Header().Set("Content-Type", "application/x-protobuf")
		_, _ = w.Write(out)
	}))
	t.Cleanup(srv.Close)
	c.url = srv.URL
	return c
}

func attrs(kvs []*commonpb.KeyValue) map[string]string {
	m := map[string]string{}
	for _, kv := range kvs {
		v := kv.GetValue()
		switch {
		case v.GetStringValue() != "":
			m[kv.Key] = v.GetStringValue()
		default:
			m[kv.Key] = v.String()
		}
	}
	return m
}

// named is the spans received so far called name (or starting with it,
// when name ends in "*").
func (c *collector) named(name string) []receivedSpan {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []receivedSpan
	for _, s := range c.spans {
		if s.Name == name || strings.HasSuffix(name, "*") && strings.HasPrefix(s.Name, strings.TrimSuffix(name, "*")) {
			out = append(out, s)
		}
	}
	return out
}

// TestServeSendsTracesOverOTLP runs `segments serve` with
// OTEL_EXPORTER_OTLP_ENDPOINT set to a collector: a request's spans (HTTP,
// GraphQL operation, SQL) arrive as OTLP/HTTP protobuf under service.name
// segments, a refresh job's span links to the request that queued it, and
// the spans still buffered at SIGTERM are sent before the process exits.
func TestServeSendsTracesOverOTLP(t *testing.T) {
	t.Parallel()
	store := func(t *testing.T) (dbURL, secret string) {
		s, _, secret := storeWithToken(t, "traces", auth.Editor)
		return s.DB.Pool.Config().ConnString(), secret
	}

	t.Run("while serving", func(t *testing.T) {
		t.Parallel()
		dbURL, secret := store(t)
		c := newCollector(t)
		in := startInstance(t, "traced", dbURL, secret, "OTEL_EXPORTER_OTLP_ENDPOINT="+c.url, "OTEL_BSP_SCHEDULE_DELAY=100")
		_, code := in.query(secret, `query Websites { websites { name } }`, nil)
		require.Empty(t, code)
		eventually(t, func() bool { return len(c.named("query Websites")) == 1 }, "the operation's span arrives")
		op := c.named("query Websites")[0]
		require.Equal(t, "segments", op.resource["service.name"])
		require.NotEmpty(t, op.resource["service.version"])
		eventually(t, func() bool { return len(c.named("POST /graphql")) > 0 }, "the request's span arrives")
		var req receivedSpan
		for _, r := range c.named("POST /graphql") {
			if hex.EncodeToString(r.SpanId) == hex.EncodeToString(op.ParentSpanId) {
				req = r
			}
		}
		require.NotNil(t, req.Span, "the operation's parent is the request's span")
		require.Equal(t, "/graphql", attrs(req.Attributes)["http.route"])
		require.Equal(t, tracepb.Span_SPAN_KIND_SERVER, req.Kind)
		eventually(t, func() bool {
			for _, sql := range c.named("SELECT") {
				if string(sql.ParentSpanId) == string(op.SpanId) {
					return true
				}
			}
			return false
		}, "the operation's statements arrive under it")

		data, code := in.query(secret, `mutation Refresh { refreshSegmentData { id state } }`, nil)
		require.Empty(t, code, "%v", data)
		// The refresh run's span: the schedule's own job may work first.
		eventually(t, func() bool {
			return len(c.named("mutation Refresh")) == 1 && len(c.named("river.work/refresh_run")) > 0
		}, "the job's span arrives")
		work := c.named("river.work/refresh_run")[0]
		require.Len(t, work.Links, 1)
		require.Equal(t, c.named("mutation Refresh")[0].TraceId, work.Links[0].TraceId, "the job's span links to the request's trace")
		in.stop()
	})

	t.Run("flushed at SIGTERM", func(t *testing.T) {
		t.Parallel()
		dbURL, secret := store(t)
		c := newCollector(t)
		// The batch is due in ten minutes: only the shutdown sends it.
		in := startInstance(t, "flushed", dbURL, secret, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT="+c.url+"/v1/traces",
			"OTEL_BSP_SCHEDULE_DELAY=600000", "OTEL_SERVICE_NAME=segments-eu")
		_, code := in.query(secret, `query Websites { websites { name } }`, nil)
		require.Empty(t, code)
		require.Empty(t, c.named("query Websites"))
		in.stop()
		spans := c.named("query Websites")
		require.Len(t, spans, 1, "sent before the process exited")
		require.Equal(t, "segments-eu", spans[0].resource["service.name"], "OTEL_SERVICE_NAME wins")
	})
}
