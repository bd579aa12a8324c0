package web_test

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/logging"
	"github.com/segments/segments/server/logging/logtest"
	"github.com/segments/segments/server/metric"
	"github.com/segments/segments/server/metric/metrictest"
	"github.com/segments/segments/server/web"
)

// signedIn lets every request through as token 7.
type signedIn struct{ open }

func (signedIn) API(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := &auth.Principal{Kind: auth.Token, ID: 7, Name: "ci-token", Email: "ops@example.com", Role: auth.Viewer}
		next.ServeHTTP(w, r.WithContext(auth.With(r.Context(), p)))
	})
}

// observed is a handler logging JSON to out and counting into m, whose
// GraphQL endpoint names its operation "SegmentList" and takes as long as
// the sleep header says.
func observed(t *testing.T, m *metric.Metrics, slow time.Duration) (http.Handler, *logtest.Buffer) {
	t.Helper()
	log, out := logtest.New(t, slog.LevelDebug)
	return web.Handler(web.Config{
		Auth: signedIn{},
		GraphQL: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			logging.NoteOf(r.Context()).SetOperation("SegmentList")
			if d, err := time.ParseDuration(r.Header.Get("Sleep")); err == nil {
				time.Sleep(d)
			}
			slog.New(log.Handler()).InfoContext(r.Context(), "inside")
			_, _ = w.Write([]byte(`{"data":{}}`))
		}),
		SPA:         fstest.MapFS{"index.html": {Data: []byte("<html>app</html>")}},
		Ping:        func(context.Context) error { return nil },
		Downloads:   http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("id\n")) }),
		Logger:      log,
		Metrics:     m,
		SlowRequest: slow,
	}), out
}

// TestEveryRequestIsLoggedWithItsID: one line per request with the
// request id (the client's when sane, else a new one, echoed back), the
// route, status, duration, the GraphQL operation and the principal as
// kind:id, never its name or e-mail; lines logged inside the request carry
// the same id.
func TestEveryRequestIsLoggedWithItsID(t *testing.T) {
	t.Parallel()
	h, out := observed(t, nil, time.Hour)

	rec := get(t, h, http.MethodPost, "/graphql", map[string]string{"X-Request-ID": "lb-4f2a-77"})
	require.Equal(t, http.StatusOK, rec.Code)
	require.Equal(t, "lb-4f2a-77", rec.Header().Get("X-Request-ID"))

	// Too long, or with spaces or control characters: replaced.
	for _, bad := range []string{strings.Repeat("x", 129), "two words", "a\tb", "é"} {
		rec := get(t, h, http.MethodGet, "/exports/3/a.csv?expires=1&sig=secret", map[string]string{"X-Request-ID": bad})
		id := rec.Header().Get("X-Request-ID")
		require.NotEqual(t, bad, id)
		require.True(t, logging.SaneRequestID(id), id)
	}
	fresh := get(t, h, http.MethodGet, "/", nil).Header().Get("X-Request-ID")
	require.Len(t, fresh, 26)

	logged := out.Lines(t)
	var inside, gql, download map[string]any
	for _, l := range logged {
		switch {
		case l["msg"] == "inside":
			inside = l
		case l["msg"] == "request" && l["path"] == "/graphql":
			gql = l
		case l["msg"] == "request" && l["route"] == "GET /exports/{id}/{name}" && download == nil:
			download = l
		}
	}
	require.NotNil(t, gql, logged)
	require.Equal(t, "INFO", gql["level"])
	require.Equal(t, "lb-4f2a-77", gql["request_id"])
	require.Equal(t, "POST", gql["method"])
	require.Equal(t, "/graphql", gql["route"])
	require.EqualValues(t, 200, gql["status"])
	require.Contains(t, gql, "duration_ms")
	require.Equal(t, "SegmentList", gql["operation"])
	require.Equal(t, "token:7", gql["principal"])
	for _, l := range logged {
		for _, secret := range []string{"ci-token", "ops@example.com", "sig=", "secret"} {
			b, _ := json.Marshal(l)
			require.NotContains(t, string(b), secret)
		}
	}
	require.Equal(t, "lb-4f2a-77", inside["request_id"], "a line logged within the request carries its id")

	require.NotNil(t, download)
	require.Equal(t, "/exports/3/a.csv", download["path"], "the path without the link's signature")
	require.NotContains(t, download, "principal")
	require.NotContains(t, download, "operation")
}

// TestSlowRequestsAreWarnings: a request over SlowRequest is logged at
// WARN as "slow request".
func TestSlowRequestsAreWarnings(t *testing.T) {
	t.Parallel()
	h, out := observed(t, nil, 20*time.Millisecond)
	get(t, h, http.MethodPost, "/graphql", map[string]string{"Sleep": "50ms", "X-Request-ID": "slow-1"})
	get(t, h, http.MethodGet, "/", map[string]string{"X-Request-ID": "fast-1"})
	var slow, fast map[string]any
	for _, l := range out.Lines(t) {
		switch l["request_id"] {
		case "slow-1":
			if l["msg"] != "inside" {
				slow = l
			}
		case "fast-1":
			fast = l
		}
	}
	require.Equal(t, "WARN", slow["level"])
	require.Equal(t, "slow request", slow["msg"])
	require.Equal(t, "SegmentList", slow["operation"])
	require.EqualValues(t, 20, slow["slow_ms"])
	require.Equal(t, "INFO", fast["level"])
	require.Equal(t, "request", fast["msg"])
}

// TestRequestsAreCountedByRoute: the metrics label requests with the route
// pattern that served them, never the raw path.
func TestRequestsAreCountedByRoute(t *testing.T) {
	t.Parallel()
	m := metric.New()
	h, _ := observed(t, m, time.Hour)
	for _, path := range []string{"/exports/1/a.csv", "/exports/2/b.csv", "/exports/3/c.csv"} {
		require.Equal(t, http.StatusOK, get(t, h, http.MethodGet, path, nil).Code)
	}
	get(t, h, http.MethodGet, "/segments/1/customers", nil)
	get(t, h, http.MethodGet, "/segments/2/customers", nil)
	get(t, h, http.MethodPost, "/graphql", nil)
	s := metrictest.Serve(t, m.Handler(nil))
	const name = "segments_http_request_duration_seconds"
	require.EqualValues(t, 3, s.Value(name, "route", "GET /exports/{id}/{name}", "method", "GET", "status", "200"))
	require.EqualValues(t, 2, s.Value(name, "route", "/", "status", "200"))
	require.EqualValues(t, 1, s.Value(name, "route", "/graphql", "method", "POST", "status", "200"))
	for _, m := range s.Series(name) {
		for _, l := range m.GetLabel() {
			require.NotContains(t, l.GetValue(), "a.csv")
			require.NotContains(t, l.GetValue(), "/segments/")
		}
	}
}

// TestMetricsAreNotPublic: the public listener has no /metrics, whatever
// the app would make of the path.
func TestMetricsAreNotPublic(t *testing.T) {
	t.Parallel()
	h, _ := observed(t, metric.New(), time.Hour)
	for _, path := range []string{"/metrics", "/metrics/"} {
		rec := get(t, h, http.MethodGet, path, nil)
		require.Equal(t, http.StatusNotFound, rec.Code, path)
		require.NotContains(t, rec.Body.String(), "segments_")
		require.NotContains(t, rec.Body.String(), "<html>")
	}
}

// TestReadiness: /readyz is 200 while Ready says so and 503 with its
// reason otherwise; /healthz stays the liveness check.
func TestReadiness(t *testing.T) {
	t.Parallel()
	var reason error
	var mu sync.Mutex
	h := web.Handler(web.Config{
		GraphQL: http.NotFoundHandler(), SPA: fstest.MapFS{},
		Ping: func(context.Context) error { return nil },
		Ready: func(context.Context) error {
			mu.Lock()
			defer mu.Unlock()
			return reason
		},
		Hosts: []string{"segments.example.com"},
	})
	rec := requestTo(t, h, http.MethodGet, "10.1.2.3:8080", "/readyz")
	require.Equal(t, http.StatusOK, rec.Code)
	require.Equal(t, "application/json", rec.Header().Get("Content-Type"))
	require.JSONEq(t, `{"status":"ready"}`, rec.Body.String())

	mu.Lock()
	reason = errors.New("shutting down")
	mu.Unlock()
	rec = requestTo(t, h, http.MethodGet, "10.1.2.3:8080", "/readyz")
	require.Equal(t, http.StatusServiceUnavailable, rec.Code)
	require.JSONEq(t, `{"status":"unavailable","reason":"shutting down"}`, rec.Body.String())
	require.Equal(t, "no-store", rec.Header().Get("Cache-Control"))
	require.Equal(t, http.StatusOK, requestTo(t, h, http.MethodGet, "10.1.2.3:8080", "/healthz").Code, "still alive")

	// Without Ready, ready follows the database.
	require.Equal(t, http.StatusServiceUnavailable, get(t, handler(errors.New("down")), http.MethodGet, "/readyz", nil).Code)
	require.Equal(t, http.StatusOK, get(t, handler(nil), http.MethodGet, "/readyz", nil).Code)
}
