package graph

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/transport"

	"github.com/segments/segments/server/apperr"
	"github.com/segments/segments/server/db"
)

// MaxBodyBytes bounds a POST /graphql body (1 MiB): larger ones are refused
// with 413 before they are held in memory.
const MaxBodyBytes = 1 << 20

// MaxTokens bounds the tokens the parser reads in one query, so a query of
// tens of thousands of repeated fields is refused before it is validated
// (validation of repeated fields grows with their square). The app's largest
// query has about 100 tokens and GraphiQL's introspection a few hundred.
const MaxTokens = 5_000

// NewHandler returns the POST /graphql handler. It panics when a Query or
// Mutation field of the schema names no role (see CheckRoles): such a
// server must not start.
func NewHandler(r *Resolver, log *slog.Logger) http.Handler {
	cfg := Config{Resolvers: r}
	cfg.Directives.Requires = requires
	schema := NewExecutableSchema(cfg)
	if err := CheckRoles(schema.Schema()); err != nil {
		panic("graph: " + err.Error())
	}
	srv := handler.New(schema)
	srv.AddTransport(transport.POST{})
	srv.AddTransport(transport.GET{})
	srv.SetParserTokenLimit(MaxTokens)
	cache := newQueryCache()
	srv.SetQueryCache(cache)
	srv.Use(extension.Introspection{})
	if r.Traces != nil {
		// First, so that the operation's span covers the other extensions.
		srv.Use(traced{tracer: r.Traces.TracerProvider().Tracer("github.com/segments/segments/graph")})
	}
	srv.Use(observed{metrics: r.Metrics})
	// Before every check that reads the operation's text: a request with
	// only the hash gets its text here.
	srv.Use(newPersistedQueries())
	srv.Use(plainText{})
	srv.Use(shapeLimit{cache: cache})
	srv.Use(&costLimit{})
	srv.SetErrorPresenter(presentError(log, r.requestTimeout()))
	srv.AroundResponses(onePerProblem)
	srv.SetRecoverFunc(recoverPanic(log))
	return inTurn(r.requestConcurrency(), turnWait, overHTTP(r.withBudget(r.withLoaders(srv))))
}

func (r *Resolver) requestConcurrency() int {
	if r.RequestConcurrency == 0 {
		return DefaultRequestConcurrency()
	}
	return r.RequestConcurrency
}

func (r *Resolver) requestTimeout() time.Duration {
	return cmp.Or(r.RequestTimeout, DefaultRequestTimeout)
}

// withBudget bounds a request's database work: its context ends after
// RequestTimeout, which cancels the statements still running (pgx asks the
// server to cancel them), and its statements hold at most RequestConns pool
// connections at once: a request with many aliased fields waits for its own
// slots instead of taking the pool from every other client.
func (r *Resolver) withBudget(next http.Handler) http.Handler {
	timeout, conns := r.requestTimeout(), cmp.Or(r.RequestConns, DefaultRequestConns)
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		ctx, cancel := context.WithTimeout(req.Context(), timeout)
		defer cancel()
		next.ServeHTTP(w, req.WithContext(db.WithShare(ctx, conns)))
	})
}

// overHTTP brings gqlgen's answers to a request that fails before execution
// in line with the GraphQL over HTTP spec. A POST without a query (an empty
// body, a misspelt "query") is a bad request: 400 with a coded error. A query
// that does not parse, validate or take its variables gets a response with
// no "data" entry at all, and under application/json status 200 (gqlgen
// answers 422); under application/graphql-response+json gqlgen's 400
// already fits. Answers that reached execution pass through untouched, and
// unbuffered.
func overHTTP(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				requestError(w, r, http.StatusRequestEntityTooLarge, fmt.Sprintf("the request body is larger than the limit of %d bytes (1 MiB): send smaller variables", MaxBodyBytes))
				return
			}
			if err != nil {
				requestError(w, r, http.StatusBadRequest, "could not read the request body")
				return
			}
			if !utf8.Valid(body) {
				requestError(w, r, http.StatusBadRequest, "the request body is not valid UTF-8: send UTF-8 text")
				return
			}
			// The request is read: lift the server's ReadTimeout, which
			// would otherwise cancel a long answer's context.
			_ = http.NewResponseController(w).SetReadDeadline(time.Time{})
			var params struct {
				Query      json.RawMessage `json:"query"`
				Extensions struct {
					PersistedQuery json.RawMessage `json:"persistedQuery"`
				} `json:"extensions"`
			}
			media, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
			switch {
			case len(bytes.TrimSpace(body)) == 0:
				requestError(w, r, http.StatusBadRequest, "the request body is empty: "+howToPost)
				return
			case media != "application/json":
				requestError(w, r, http.StatusUnsupportedMediaType, "the request's Content-Type is not application/json: "+howToPost)
				return
			}
			if err := json.Unmarshal(body, &params); err != nil {
				// gqlgen would echo the whole body back in its message.
				requestError(w, r, http.StatusBadRequest, "the request body is not a JSON object: "+howToPost)
				return
			}
			// An automatic persisted query may send only its hash.
			persisted := len(params.Extensions.PersistedQuery) > 0 && string(params.Extensions.PersistedQuery) != "null"
			if (len(params.Query) == 0 || string(params.Query) == "null") && !persisted {
				requestError(w, r, http.StatusBadRequest, `the request has no "query": `+howToPost)
				return
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		rw := &requestErrorWriter{ResponseWriter: w}
		next.ServeHTTP(rw, r)
		rw.finish()
	})
}

// howToPost ends the message to a request that is not a GraphQL request.
const howToPost = `POST a JSON object such as {"query": "{ segments { totalCount } }"} with Content-Type: application/json`

// requestError answers with one BAD_USER_INPUT error, in the media type the
// client asked for.
func requestError(w http.ResponseWriter, r *http.Request, status int, msg string) {
	ctype := "application/json"
	if strings.Contains(r.Header.Get("Accept"), "application/graphql-response+json") {
		ctype = "application/graphql-response+json"
	}
	body, _ := json.Marshal(map[string]any{"errors": []any{map[string]any{
		"message":    msg,
		"extensions": map[string]any{"code": apperr.BadInput},
	}}})
	w.Header().Set("Content-Type", ctype)
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// requestErrorWriter passes a 2xx answer straight through and holds back a
// 4xx one, to rewrite it in finish.
type requestErrorWriter struct {
	http.ResponseWriter
	status int
	held   *bytes.Buffer
}

func (w *requestErrorWriter) WriteHeader(status int) {
	if w.status != 0 {
		return
	}
	w.status = status
	if status >= 400 && status < 500 {
		w.held = &bytes.Buffer{}
		return
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *requestErrorWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	if w.held != nil {
		return w.held.Write(b)
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap gives http.ResponseController the connection's own writer.
func (w *requestErrorWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Flush lets a streamed answer through.
func (w *requestErrorWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok && w.held == nil {
		f.Flush()
	}
}

func (w *requestErrorWriter) finish() {
	if w.held == nil {
		return
	}
	status, body := w.status, w.held.Bytes()
	var resp map[string]json.RawMessage
	if err := json.Unmarshal(body, &resp); err == nil {
		if _, ok := resp["data"]; ok {
			delete(resp, "data")
			if b, err := json.Marshal(resp); err == nil {
				body = b
			}
		}
		media, _, _ := mime.ParseMediaType(w.Header().Get("Content-Type"))
		if status == http.StatusUnprocessableEntity && media == "application/json" {
			status = http.StatusOK
		}
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.ResponseWriter.WriteHeader(status)
	_, _ = w.ResponseWriter.Write(body)
}
