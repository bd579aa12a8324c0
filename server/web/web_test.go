package web_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/web"
)

// open lets every request through, as the system: these tests are about
// routing; server/authn's tests are about credentials.
type open struct{}

func (open) Client(next http.Handler) http.Handler { return next }
func (open) Routes() http.Handler                  { return http.NotFoundHandler() }
func (open) API(next http.Handler) http.Handler    { return next }
func (open) Page(next http.Handler) http.Handler   { return next }

func handler(ping error, origins ...string) http.Handler {
	return web.Handler(web.Config{
		Auth:    open{},
		GraphQL: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(`{"data":{}}`)) }),
		SPA: fstest.MapFS{
			"index.html":    {Data: []byte("<html>app</html>")},
			"graphiql.html": {Data: []byte("<html>graphiql</html>")},
			"assets/app.js": {Data: []byte("console.log(1)")},
		},
		Ping:        func(context.Context) error { return ping },
		CORSOrigins: origins,
		Logger:      slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
}

func get(t *testing.T, h http.Handler, method, path string, header map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, path, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestRoutes(t *testing.T) {
	t.Parallel()
	h := handler(nil)
	for path, want := range map[string]string{
		"/":         "<html>app</html>",
		"/segments": "<html>app</html>",
		"/segments/3,5/customers?mode=intersection": "<html>app</html>",
		"/graphiql":      "<html>graphiql</html>",
		"/assets/app.js": "console.log(1)",
	} {
		rec := get(t, h, http.MethodGet, path, nil)
		require.Equal(t, http.StatusOK, rec.Code, path)
		require.Equal(t, want, rec.Body.String(), path)
	}
	require.Equal(t, "public, max-age=31536000, immutable", get(t, h, http.MethodGet, "/assets/app.js", nil).Header().Get("Cache-Control"))
	require.Equal(t, http.StatusNotFound, get(t, h, http.MethodGet, "/assets/gone.js", nil).Code)
	require.Equal(t, http.StatusMethodNotAllowed, get(t, h, http.MethodPost, "/segments", nil).Code)
}

func TestHealthFollowsTheDatabase(t *testing.T) {
	t.Parallel()
	require.Equal(t, http.StatusOK, get(t, handler(nil), http.MethodGet, "/healthz", nil).Code)
	rec := get(t, handler(errors.New("down")), http.MethodGet, "/healthz", nil)
	require.Equal(t, http.StatusServiceUnavailable, rec.Code)
	require.Contains(t, rec.Body.String(), "database unavailable")
}

func TestCORSAllowsOnlyConfiguredOrigins(t *testing.T) {
	t.Parallel()
	preflight := func(h http.Handler, origin string) *httptest.ResponseRecorder {
		return get(t, h, http.MethodOptions, "/graphql", map[string]string{
			"Origin": origin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type",
		})
	}
	h := handler(nil, "https://bi.example.com")
	listed := preflight(h, "https://bi.example.com")
	require.Equal(t, "https://bi.example.com", listed.Header().Get("Access-Control-Allow-Origin"))
	require.Equal(t, "true", listed.Header().Get("Access-Control-Allow-Credentials"))
	require.Empty(t, preflight(h, "https://evil.example.com").Header().Get("Access-Control-Allow-Origin"))
	post := get(t, h, http.MethodPost, "/graphql", map[string]string{"Origin": "https://evil.example.com"})
	require.Empty(t, post.Header().Get("Access-Control-Allow-Origin"))

	// Without CORS_ORIGINS no foreign origin is allowed: never "*".
	none := handler(nil)
	for _, origin := range []string{"https://evil.example.com", "http://localhost:5173", "null"} {
		rec := preflight(none, origin)
		require.Empty(t, rec.Header().Get("Access-Control-Allow-Origin"), origin)
		require.Empty(t, rec.Header().Get("Access-Control-Allow-Credentials"), origin)
		rec = get(t, none, http.MethodPost, "/graphql", map[string]string{"Origin": origin})
		require.Empty(t, rec.Header().Get("Access-Control-Allow-Origin"), origin)
	}
}

// hosted is handler with a Host check and, when https, HSTS.
func hosted(https bool, hosts ...string) http.Handler {
	return web.Handler(web.Config{
		GraphQL:   http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(`{"data":{}}`)) }),
		SPA:       fstest.MapFS{"index.html": {Data: []byte("<html>app</html>")}, "assets/app.js": {Data: []byte("console.log(1)")}},
		Ping:      func(context.Context) error { return nil },
		Downloads: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("id\n")) }),
		Hosts:     hosts,
		HTTPS:     https,
		Logger:    slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
}

func requestTo(t *testing.T, h http.Handler, method, host, path string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, path, nil)
	req.Host = host
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// TestHostCheck: only PUBLIC_URL's host and ALLOWED_HOSTS are answered (a
// name without a port on any port); the health checks answer any host.
func TestHostCheck(t *testing.T) {
	t.Parallel()
	h := hosted(false, "segments.example.com", "10.0.0.5:8080")
	for _, host := range []string{"segments.example.com", "Segments.Example.com", "segments.example.com:8443", "10.0.0.5:8080"} {
		require.Equal(t, http.StatusOK, requestTo(t, h, http.MethodGet, host, "/").Code, host)
		// Past the Host check, the API asks for credentials (no Auth here).
		require.Equal(t, http.StatusUnauthorized, requestTo(t, h, http.MethodPost, host, "/graphql").Code, host)
	}
	for _, host := range []string{"evil.example.com", "segments.example.com.evil.example", "10.0.0.5:9090", "10.0.0.5", "127.0.0.1:8080"} {
		for _, path := range []string{"/", "/graphql", "/assets/app.js", "/exports/1/a.csv"} {
			rec := requestTo(t, h, http.MethodGet, host, path)
			require.Equal(t, http.StatusMisdirectedRequest, rec.Code, host+path)
			require.Equal(t, "text/plain; charset=utf-8", rec.Header().Get("Content-Type"))
			require.Contains(t, rec.Body.String(), "ALLOWED_HOSTS")
			require.NotContains(t, rec.Body.String(), "app")
		}
		require.Equal(t, http.StatusOK, requestTo(t, h, http.MethodGet, host, "/healthz").Code, host)
		require.NotEqual(t, http.StatusMisdirectedRequest, requestTo(t, h, http.MethodGet, host, "/readyz").Code, host)
	}
}

// TestSecurityHeadersOnEveryAnswer: the app, its assets, the API,
// downloads, health, errors and refusals all carry the browser-safety
// headers; HSTS only when clients reach the server over https.
func TestSecurityHeadersOnEveryAnswer(t *testing.T) {
	t.Parallel()
	const host = "segments.example.com"
	h := hosted(false, host)
	answers := map[string]*httptest.ResponseRecorder{
		"app":           requestTo(t, h, http.MethodGet, host, "/"),
		"client route":  requestTo(t, h, http.MethodGet, host, "/segments/1/customers"),
		"asset":         requestTo(t, h, http.MethodGet, host, "/assets/app.js"),
		"missing asset": requestTo(t, h, http.MethodGet, host, "/assets/x.js"),
		"listing":       requestTo(t, h, http.MethodGet, host, "/assets/"),
		"graphql":       requestTo(t, h, http.MethodPost, host, "/graphql"),
		"preflight":     requestTo(t, h, http.MethodOptions, host, "/graphql"),
		"download":      requestTo(t, h, http.MethodGet, host, "/exports/1/a.csv"),
		"health":        requestTo(t, h, http.MethodGet, host, "/healthz"),
		"wrong method":  requestTo(t, h, http.MethodPost, host, "/segments"),
		"wrong host":    requestTo(t, h, http.MethodGet, "evil.example.com", "/"),
	}
	for name, rec := range answers {
		hd := rec.Header()
		csp := hd.Get("Content-Security-Policy")
		require.Contains(t, csp, "frame-ancestors 'none'", name)
		require.Contains(t, csp, "script-src 'self';", name)
		require.NotContains(t, csp, "unsafe-eval", name)
		require.Equal(t, "nosniff", hd.Get("X-Content-Type-Options"), name)
		require.Equal(t, "no-referrer", hd.Get("Referrer-Policy"), name)
		require.Equal(t, "DENY", hd.Get("X-Frame-Options"), name)
		require.Empty(t, hd.Get("Strict-Transport-Security"), "%s: no HSTS over http", name)
	}
	require.Equal(t, http.StatusNotFound, answers["missing asset"].Code)
	require.Equal(t, http.StatusMisdirectedRequest, answers["wrong host"].Code)

	https := hosted(true, host)
	for _, path := range []string{"/", "/assets/app.js", "/graphql", "/nope.txt"} {
		require.Equal(t, "max-age=31536000", requestTo(t, https, http.MethodGet, host, path).Header().Get("Strict-Transport-Security"), path)
	}
	require.Equal(t, "max-age=31536000", requestTo(t, https, http.MethodGet, "evil.example.com", "/").Header().Get("Strict-Transport-Security"))
}

func TestWithoutAuthNothingNeedingCredentialsIsServed(t *testing.T) {
	t.Parallel()
	h := web.Handler(web.Config{
		GraphQL: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(`{"data":{}}`)) }),
		SPA:     fstest.MapFS{"index.html": {Data: []byte("<html>app</html>")}, "graphiql.html": {Data: []byte("<html>graphiql</html>")}},
		Ping:    func(context.Context) error { return nil },
		Logger:  slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	rec := get(t, h, http.MethodPost, "/graphql", map[string]string{"Content-Type": "application/json"})
	require.Equal(t, http.StatusUnauthorized, rec.Code)
	require.Contains(t, rec.Body.String(), "UNAUTHENTICATED")
	rec = get(t, h, http.MethodGet, "/graphiql", nil)
	require.Equal(t, http.StatusSeeOther, rec.Code)
	require.Equal(t, "/?next=/graphiql", rec.Header().Get("Location"))
	require.Equal(t, http.StatusOK, get(t, h, http.MethodGet, "/", nil).Code)
	require.Equal(t, http.StatusOK, get(t, h, http.MethodGet, "/healthz", nil).Code)
}

func TestUnbuiltAppExplainsItself(t *testing.T) {
	t.Parallel()
	h := web.Handler(web.Config{
		GraphQL: http.NotFoundHandler(), SPA: fstest.MapFS{}, Ping: func(context.Context) error { return nil },
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	rec := get(t, h, http.MethodGet, "/segments", nil)
	require.Equal(t, http.StatusNotFound, rec.Code)
	require.Contains(t, rec.Body.String(), "make build")
}

func TestNoDirectoryListings(t *testing.T) {
	t.Parallel()
	h := handler(nil)
	for _, path := range []string{"/assets/", "/assets"} {
		rec := get(t, h, http.MethodGet, path, nil)
		require.Equal(t, http.StatusNotFound, rec.Code, path)
		require.NotContains(t, rec.Body.String(), "app.js", path)
	}
	require.Equal(t, http.StatusOK, get(t, h, http.MethodGet, "/assets/app.js", nil).Code)
}

// TestDownloadsStreamUnderServerTimeouts serves a download through a real
// server with the production timeouts: the file arrives whole and the
// server answers again afterwards.
func TestDownloadsStreamUnderServerTimeouts(t *testing.T) {
	t.Parallel()
	data := strings.Repeat("customer,row\n", 100_000)
	h := web.Handler(web.Config{
		Auth:      open{},
		GraphQL:   http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(`{"data":{}}`)) }),
		SPA:       fstest.MapFS{"index.html": {Data: []byte("<html>app</html>")}},
		Ping:      func(context.Context) error { return nil },
		Downloads: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = io.Copy(w, strings.NewReader(data)) }),
		Logger:    slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ReadHeaderTimeout = web.ReadHeaderTimeout
	srv.Config.ReadTimeout = web.ReadTimeout
	srv.Config.WriteTimeout = web.WriteTimeout
	srv.Config.IdleTimeout = web.IdleTimeout
	srv.Start()
	t.Cleanup(srv.Close)
	res, err := srv.Client().Get(srv.URL + "/exports/1/segment.csv")
	require.NoError(t, err)
	got, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	require.NoError(t, res.Body.Close())
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Equal(t, data, string(got))
	res, err = srv.Client().Get(srv.URL + "/healthz")
	require.NoError(t, err)
	require.NoError(t, res.Body.Close())
	require.Equal(t, http.StatusOK, res.StatusCode)
}
