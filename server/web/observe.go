package web

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/logging"
	"github.com/segments/segments/server/trace"
)

// observe gives every request an id (the client's X-Request-ID when sane,
// else a new one), sent back in X-Request-ID and carried in the request's
// context for every log line it leads to, and a logging.Note for the inner
// layers to fill in; when the answer is done it counts the request
// (cfg.Metrics) and logs one line: "request" at INFO (DEBUG for the
// health checks), "slow request" at WARN past cfg.SlowRequest.
func observe(cfg Config, next http.Handler) http.Handler {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	slow := cfg.SlowRequest
	if slow == 0 {
		slow = DefaultSlowRequest
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := logging.RequestIDFrom(r.Header.Get(logging.HeaderRequestID))
		w.Header().Set(logging.HeaderRequestID, id)
		ctx, note := logging.WithNote(logging.WithRequestID(r.Context(), id))
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r.WithContext(ctx))
		took := time.Since(start)
		status := sw.code()
		route := note.Route()
		cfg.Metrics.ObserveHTTP(route, r.Method, status, took)

		level, msg := slog.LevelInfo, "request"
		switch {
		case slow > 0 && took >= slow:
			level, msg = slog.LevelWarn, "slow request"
		case slices.Contains(HostExempt, r.URL.Path) && status < 500:
			level = slog.LevelDebug
		}
		if !log.Enabled(ctx, level) {
			return
		}
		attrs := []slog.Attr{
			slog.String("method", r.Method),
			// The path only: a download link's query is its signature.
			slog.String("path", r.URL.Path),
			slog.String("route", route),
			slog.Int("status", status),
			slog.Float64("duration_ms", float64(took.Microseconds())/1000),
			slog.Int64("bytes", sw.bytes),
		}
		if op := note.Operation(); op != "" {
			attrs = append(attrs, slog.String("operation", op))
		}
		if who := note.Principal(); who != "" {
			attrs = append(attrs, slog.String("principal", who))
		}
		if level == slog.LevelWarn {
			attrs = append(attrs, slog.Float64("slow_ms", float64(slow.Microseconds())/1000))
		}
		// request_id comes from ctx (logging.Handler).
		log.LogAttrs(ctx, level, msg, attrs...)
	})
}

// routed records the pattern of the route that serves a request on its
// Note, and names the request's span after it (when traces are on): mux
// sets it on the request it is handed.
func routed(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mux.ServeHTTP(w, r)
		logging.NoteOf(r.Context()).SetRoute(r.Pattern)
		trace.Route(r.Context(), r.Method, r.Pattern)
	})
}

// notePrincipal records who asked on the request's Note, past the gate
// that authenticated it: a user or token as kind:id, never a name, e-mail
// or secret.
func notePrincipal(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p := auth.From(r.Context()); p != nil {
			who := string(p.Kind)
			if p.ID != 0 {
				who += ":" + strconv.FormatInt(p.ID, 10)
			}
			logging.NoteOf(r.Context()).SetPrincipal(who)
		}
		next.ServeHTTP(w, r)
	})
}

// readinessTimeout bounds one /readyz check.
const readinessTimeout = 2 * time.Second

// readiness answers /readyz: 200 {"status":"ready"} when ready says so,
// else 503 {"status":"unavailable","reason":...}.
func readiness(ready func(context.Context) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), readinessTimeout)
		defer cancel()
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		body := map[string]string{"status": "ready"}
		if err := ready(ctx); err != nil {
			body = map[string]string{"status": "unavailable", "reason": err.Error()}
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		_ = json.NewEncoder(w).Encode(body)
	}
}

// statusWriter notes an answer's status and size.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// code is the answer's status: 200 when the handler wrote nothing.
func (w *statusWriter) code() int {
	if w.status == 0 {
		return http.StatusOK
	}
	return w.status
}

// Flush lets a streamed answer through.
func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap gives http.ResponseController the connection's own writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
