package logging

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
)

// Formats are the values LOG_FORMAT accepts.
var Formats = []string{"text", "json"}

// New returns a logger writing lines of format ("text" or "json") at level
// and above to w; every line logged with a context carrying a request id
// carries it as request_id.
func New(w io.Writer, format string, level slog.Level) (*slog.Logger, error) {
	opts := &slog.HandlerOptions{Level: level}
	var h slog.Handler
	switch strings.ToLower(format) {
	case "", "text":
		h = slog.NewTextHandler(w, opts)
	case "json":
		// Durations as text ("1.5s"), as the text format writes them, not
		// as a count of nanoseconds.
		opts.ReplaceAttr = func(_ []string, a slog.Attr) slog.Attr {
			if a.Value.Kind() == slog.KindDuration {
				a.Value = slog.StringValue(a.Value.Duration().String())
			}
			return a
		}
		h = slog.NewJSONHandler(w, opts)
	default:
		return nil, fmt.Errorf("log format %q: use text or json", format)
	}
	return slog.New(Handler(h)), nil
}

// Handler wraps h so that a record logged with a context carrying a
// request id gets a request_id attribute.
func Handler(h slog.Handler) slog.Handler { return requestHandler{h} }

type requestHandler struct{ slog.Handler }

func (h requestHandler) Handle(ctx context.Context, r slog.Record) error {
	if id := RequestID(ctx); id != "" {
		r = r.Clone()
		r.AddAttrs(slog.String(KeyRequestID, id))
	}
	return h.Handler.Handle(ctx, r)
}

func (h requestHandler) WithAttrs(a []slog.Attr) slog.Handler {
	return requestHandler{h.Handler.WithAttrs(a)}
}

func (h requestHandler) WithGroup(n string) slog.Handler {
	return requestHandler{h.Handler.WithGroup(n)}
}

// KeyRequestID is the attribute that names a line's request.
const KeyRequestID = "request_id"

// HeaderRequestID is the header a request id comes in and goes back out in.
const HeaderRequestID = "X-Request-ID"

// MaxRequestIDLen bounds an X-Request-ID the server takes from a client.
const MaxRequestIDLen = 128

type idKey struct{}

// WithRequestID returns ctx carrying request id id.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, idKey{}, id)
}

// RequestID is the request id ctx carries, or "".
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(idKey{}).(string)
	return id
}

// RequestIDFrom returns the client's X-Request-ID value when it is sane
// (1 to MaxRequestIDLen printable ASCII characters, no spaces), so a proxy's
// or client's id ties their logs to ours; otherwise a new random id (26
// characters of base32). A client's value cannot forge anything: the id
// only labels log lines.
func RequestIDFrom(header string) string {
	if SaneRequestID(header) {
		return header
	}
	return rand.Text()
}

// SaneRequestID reports whether id may be used as a request id as is.
func SaneRequestID(id string) bool {
	if id == "" || len(id) > MaxRequestIDLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		if id[i] <= ' ' || id[i] > '~' {
			return false
		}
	}
	return true
}

// Note is what a request's log line says besides what the HTTP layer sees:
// filled in by the layers that learn it while the request runs.
type Note struct {
	mu        sync.Mutex
	operation string
	principal string
	route     string
}

type noteKey struct{}

// WithNote returns ctx carrying a new, empty Note for its request.
func WithNote(ctx context.Context) (context.Context, *Note) {
	n := &Note{}
	return context.WithValue(ctx, noteKey{}, n), n
}

// NoteOf is the Note of ctx's request, or nil outside a request; a nil
// Note takes and gives nothing.
func NoteOf(ctx context.Context) *Note {
	n, _ := ctx.Value(noteKey{}).(*Note)
	return n
}

// SetOperation records the GraphQL operation the request ran.
func (n *Note) SetOperation(name string) {
	if n == nil {
		return
	}
	n.mu.Lock()
	n.operation = name
	n.mu.Unlock()
}

// SetPrincipal records who asked, as "kind" or "kind:id" (never a name,
// e-mail or token).
func (n *Note) SetPrincipal(who string) {
	if n == nil {
		return
	}
	n.mu.Lock()
	n.principal = who
	n.mu.Unlock()
}

// SetRoute records the route pattern that served the request.
func (n *Note) SetRoute(pattern string) {
	if n == nil {
		return
	}
	n.mu.Lock()
	n.route = pattern
	n.mu.Unlock()
}

// Operation is the GraphQL operation, as SetOperation recorded it.
func (n *Note) Operation() string {
	if n == nil {
		return ""
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.operation
}

// Principal is who asked, as SetPrincipal recorded it.
func (n *Note) Principal() string {
	if n == nil {
		return ""
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.principal
}

// Route is the route pattern, as SetRoute recorded it.
func (n *Note) Route() string {
	if n == nil {
		return ""
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.route
}
