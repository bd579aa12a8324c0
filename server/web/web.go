package web

import (
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"path"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/rs/cors"
	"github.com/unrolled/secure"

	"github.com/segments/segments/server/metric"
)

// Config is what the HTTP layer needs.
type Config struct {
	// GraphQL serves POST /graphql.
	GraphQL http.Handler
	// SPA is the built single-page app (index.html, graphiql.html, assets/).
	SPA fs.FS
	// Downloads serves GET /exports/{id}/{name} (signed export links).
	Downloads http.Handler
	// Ping checks the database for /healthz.
	Ping func(context.Context) error
	// Auth authenticates requests (authn.Gate). Nil refuses every request
	// that needs credentials.
	Auth Auth
	// CORSOrigins are the browser origins (scheme://host[:port]) allowed
	// to call the API from elsewhere, with credentials; empty allows none
	// but the app's own. Never "*".
	CORSOrigins []string
	// Hosts are the Host header values the server answers to: a name
	// without a port matches it on any port. Other hosts get 421
	// (DNS rebinding reaches the server under a foreign name), except on
	// the health checks (HostExempt). Empty: any host (tests).
	Hosts []string
	// HTTPS says clients reach the server over https (PUBLIC_URL): every
	// answer then carries Strict-Transport-Security.
	HTTPS  bool
	Logger *slog.Logger
	// Ready answers /readyz: nil when this instance should be sent
	// requests, else why not (the error's text is the answer's reason).
	// Nil: ready whenever Ping succeeds.
	Ready func(context.Context) error
	// Metrics, when set, counts every request by route and status.
	Metrics *metric.Metrics
	// SlowRequest is how long a request may take before its log line is a
	// warning ("slow request"); zero for DefaultSlowRequest, negative for
	// never.
	SlowRequest time.Duration
}

// DefaultSlowRequest is the SlowRequest of a zero Config.
const DefaultSlowRequest = time.Second

// Auth is authentication as the HTTP layer uses it; authn.Gate implements
// it. Only /graphql and /graphiql need credentials: /healthz, /auth/*, the
// app's files and the signed download links (bearer links by design) do
// not.
type Auth interface {
	// Client puts the client's address into every request's context.
	Client(http.Handler) http.Handler
	// Routes serves /auth/ (sign-in, sign-out, session).
	Routes() http.Handler
	// API guards /graphql (401, 403, 429 as GraphQL errors).
	API(http.Handler) http.Handler
	// Page guards GraphiQL (no session: off to the sign-in page).
	Page(http.Handler) http.Handler
}

// HostExempt are the paths answered whatever the Host header says: load
// balancers and orchestrators probe them by address.
var HostExempt = []string{"/healthz", "/readyz"}

// ContentSecurityPolicy is sent with every answer. Scripts come only from
// the server's own files (the build has no inline script); styles may be
// inline because GraphiQL's editor injects its own; nothing may frame the
// app.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; " +
	"object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

// Timeouts for the http.Server that serves Handler. ReadTimeout bounds
// reading a whole request (headers and a body of at most 1 MiB); Handler
// lifts it once the request is read, because net/http cancels a running
// handler's context when that deadline passes. WriteTimeout bounds an
// answer (GraphQL answers and the SPA; add the longest configured wait a
// mutation may spend); downloads move their own deadline forward with every
// chunk instead (DownloadStall), so a large export streams for as long as
// it takes while a client that stops reading is dropped.
const (
	ReadHeaderTimeout = 10 * time.Second
	ReadTimeout       = 30 * time.Second
	WriteTimeout      = 60 * time.Second
	IdleTimeout       = 120 * time.Second
	// DownloadStall is how long a download may go without the client
	// taking any of it before the connection is closed.
	DownloadStall = time.Minute
)

// Handler returns the application's HTTP handler.
func Handler(cfg Config) http.Handler {
	mux := http.NewServeMux()
	opts := cors.Options{
		AllowedOrigins:   cfg.CORSOrigins,
		AllowedMethods:   []string{http.MethodGet, http.MethodPost, http.MethodOptions},
		AllowedHeaders:   []string{"Content-Type", "Authorization"},
		AllowCredentials: true,
		MaxAge:           600,
	}
	if len(cfg.CORSOrigins) == 0 {
		// rs/cors reads an empty list as "*".
		opts.AllowOriginFunc = func(string) bool { return false }
	}
	api := cors.New(opts)
	a := cfg.Auth
	if a == nil {
		a = closed{}
	}
	// CORS outside the gate: preflights need no credentials, and a refusal
	// carries CORS headers so a listed origin's script can read it.
	mux.Handle("/graphql", api.Handler(a.API(notePrincipal(cfg.GraphQL))))
	mux.Handle("/auth/", a.Routes())
	mux.HandleFunc("GET /healthz", health(cfg.Ping))
	ready := cfg.Ready
	if ready == nil {
		ready = cfg.Ping
	}
	mux.HandleFunc("GET /readyz", readiness(ready))
	// Metrics have their own listener (METRICS_ADDR), never this one; the
	// app would otherwise answer the path with its index page.
	mux.Handle("/metrics", http.NotFoundHandler())
	mux.Handle("/metrics/", http.NotFoundHandler())
	if cfg.Downloads != nil {
		mux.Handle("GET /exports/{id}/{name}", streaming(cfg.Downloads))
	}
	mux.Handle("GET /graphiql", a.Page(notePrincipal(file(cfg.SPA, "graphiql.html"))))
	mux.Handle("/", spa(cfg.SPA))
	return observe(cfg, headers(cfg.HTTPS).Handler(checkHost(cfg.Hosts, bodyRead(a.Client(routed(mux))))))
}

// closed is the Auth of a Handler configured without one: nothing that
// needs credentials is served.
type closed struct{}

func (closed) Client(next http.Handler) http.Handler { return next }
func (closed) Routes() http.Handler                  { return http.NotFoundHandler() }
func (closed) API(http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("WWW-Authenticate", "Bearer")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"errors":[{"message":"this server has no sign-in configured","extensions":{"code":"UNAUTHENTICATED"}}]}`))
	})
}
func (closed) Page(http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/?next="+r.URL.Path, http.StatusSeeOther)
	})
}

// headers sets the browser-safety headers on every answer (the app, the
// API, downloads, errors and refusals).
func headers(https bool) *secure.Secure {
	opts := secure.Options{
		ContentSecurityPolicy: ContentSecurityPolicy,
		FrameDeny:             true,
		ContentTypeNosniff:    true,
		ReferrerPolicy:        "no-referrer",
	}
	if https {
		// Behind a proxy that ends TLS the request itself is plain http.
		opts.STSSeconds = 31536000
		opts.ForceSTSHeader = true
	}
	return secure.New(opts)
}

// checkHost answers 421 to a request for a host not in hosts, except on
// the HostExempt paths.
func checkHost(hosts []string, next http.Handler) http.Handler {
	if len(hosts) == 0 {
		return next
	}
	patterns := make([]string, len(hosts))
	for i, h := range hosts {
		p := "(?i)^" + regexp.QuoteMeta(h)
		if _, _, err := net.SplitHostPort(h); err != nil {
			p += `(:[0-9]+)?` // a name without a port: any port
		}
		patterns[i] = p + "$"
	}
	s := secure.New(secure.Options{AllowedHosts: patterns, AllowedHostsAreRegex: true})
	s.SetBadHostHandler(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusMisdirectedRequest)
		_, _ = w.Write([]byte("This server does not answer to this host name. Use the address in its PUBLIC_URL, or list the name in ALLOWED_HOSTS.\n"))
	}))
	checked := s.Handler(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if slices.Contains(HostExempt, r.URL.Path) {
			next.ServeHTTP(w, r)
			return
		}
		checked.ServeHTTP(w, r)
	})
}

// bodyRead lifts the server's ReadTimeout from a request without a body as
// soon as its handler starts: the request is read, and a long answer must
// not have its context cancelled by that deadline. (POST /graphql lifts it
// itself once it has read its body.) Outside a real server (tests) there is
// no deadline to lift.
func bodyRead(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body == nil || r.Body == http.NoBody || r.ContentLength == 0 {
			_ = http.NewResponseController(w).SetReadDeadline(time.Time{})
		}
		next.ServeHTTP(w, r)
	})
}

// streaming moves the write deadline DownloadStall ahead before each chunk
// of a download, in place of the server's WriteTimeout.
func streaming(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(&progressWriter{ResponseWriter: w, rc: http.NewResponseController(w)}, r)
	})
}

type progressWriter struct {
	http.ResponseWriter
	rc *http.ResponseController
}

func (w *progressWriter) Write(b []byte) (int, error) {
	_ = w.rc.SetWriteDeadline(time.Now().Add(DownloadStall))
	return w.ResponseWriter.Write(b)
}

// Unwrap gives http.ResponseController the connection's own writer.
func (w *progressWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func health(ping func(context.Context) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		if err := ping(ctx); err != nil {
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte("database unavailable\n"))
			return
		}
		_, _ = w.Write([]byte("ok\n"))
	}
}

// spa serves files from the build and index.html for any other path that
// looks like a client route (no file extension), so deep links work.
func spa(dist fs.FS) http.Handler {
	files := http.FileServerFS(dist)
	index := file(dist, "index.html")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		name := strings.TrimPrefix(path.Clean(r.URL.Path), "/")
		if name == "" || name == "index.html" {
			index.ServeHTTP(w, r)
			return
		}
		if info, err := fs.Stat(dist, name); err == nil {
			if info.IsDir() {
				// No directory listings (assets/ and any other folder).
				http.NotFound(w, r)
				return
			}
			if strings.HasPrefix(name, "assets/") {
				// Vite puts a content hash in every asset name.
				w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
			}
			files.ServeHTTP(w, r)
			return
		}
		if path.Ext(name) != "" {
			http.NotFound(w, r)
			return
		}
		index.ServeHTTP(w, r)
	})
}

// file serves one file of the build, or explains how to build it.
func file(dist fs.FS, name string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := fs.ReadFile(dist, name)
		if errors.Is(err, fs.ErrNotExist) {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte("The web app is not built into this binary: run `make build` (or `make run`).\nThe API is at /graphql.\n"))
			return
		}
		if err != nil {
			http.Error(w, "cannot read "+name, http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		_, _ = w.Write(b)
	})
}
