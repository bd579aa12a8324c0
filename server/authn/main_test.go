package authn_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/authn"
	"github.com/segments/segments/server/catalog"
	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/db/dbtest"
	"github.com/segments/segments/server/web"
)

// site is the app as a browser and a script see it: web.Handler with a
// Gate over real accounts in a fresh database. Its GraphQL endpoint says
// who asked and from where.
type site struct {
	t        *testing.T
	db       *db.DB
	accounts *auth.Service
	h        http.Handler
	clock    *clock
	// origin is PUBLIC_URL's.
	origin   string
	websites []int64
}

// clock is the Gate's time: the real time, which tests move forward.
type clock struct {
	mu     sync.Mutex
	offset time.Duration
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return time.Now().Add(c.offset) }

func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.offset += d; c.mu.Unlock() }

const (
	publicURL = "http://segments.example.com"
	listed    = "https://bi.example.com"
	password  = "correct horse battery"
)

func newSite(t *testing.T, change ...func(*authn.Config)) *site {
	t.Helper()
	d := dbtest.New(t)
	ids, err := catalog.EnsureWebsites(context.Background(), d, []catalog.Website{{Code: "se", Name: "Sweden"}, {Code: "no", Name: "Norway"}})
	require.NoError(t, err)
	s := &site{t: t, db: d, accounts: auth.NewService(d), clock: &clock{}, origin: publicURL, websites: ids}
	cfg := authn.Config{
		Accounts:  s.accounts,
		DB:        d,
		PublicURL: publicURL,
		Origins:   []string{listed},
		TokenRate: authn.DefaultTokenRate,
		Logger:    slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now:       s.clock.Now,
	}
	for _, f := range change {
		f(&cfg)
	}
	g, err := authn.New(cfg)
	require.NoError(t, err)
	t.Cleanup(g.Close)
	s.h = web.Handler(web.Config{
		Auth: g,
		GraphQL: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			p := auth.From(r.Context())
			fmt.Fprintf(w, `{"data":{"who":%q,"from":%q}}`, p.Actor().String(), auth.ClientAddr(r.Context()))
		}),
		SPA:    fstest.MapFS{"index.html": {Data: []byte("<html>app</html>")}, "graphiql.html": {Data: []byte("<html>graphiql</html>")}},
		Ping:   func(context.Context) error { return nil },
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	return s
}

// user creates a user who signs in with password.
func (s *site) user(email string, role auth.Role, websites ...int64) int64 {
	s.t.Helper()
	u, err := s.accounts.CreateUser(auth.AsSystem(context.Background()), auth.NewUser{Email: email, Password: password, Role: role, Websites: websites})
	require.NoError(s.t, err)
	return u.ID
}

// token creates an API token and returns its secret.
func (s *site) token(name string, expires *time.Time) (int64, string) {
	s.t.Helper()
	tok, secret, err := s.accounts.CreateToken(auth.AsSystem(context.Background()), auth.NewToken{Name: name, Role: auth.Viewer, Expires: expires})
	require.NoError(s.t, err)
	return tok.ID, secret
}

// req is one request; headers "Cookie" etc. as given.
type req struct {
	method, path, body string
	header             map[string]string
	remote             string
}

// do sends r through the handler.
func (s *site) do(r req) *http.Response {
	s.t.Helper()
	return s.doXFF(r, nil)
}

// doXFF sends r with an X-Forwarded-For header for each of xff.
func (s *site) doXFF(r req, xff []string) *http.Response {
	s.t.Helper()
	hr := httptest.NewRequest(r.method, "http://segments.example.com"+r.path, strings.NewReader(r.body))
	if r.remote != "" {
		hr.RemoteAddr = r.remote
	}
	for k, v := range r.header {
		hr.Header.Set(k, v)
	}
	for _, x := range xff {
		hr.Header.Add("X-Forwarded-For", x)
	}
	rec := httptest.NewRecorder()
	s.h.ServeHTTP(rec, hr)
	return rec.Result()
}

// browser is the headers a browser on the app's own page sends with a
// fetch: its Origin and JSON.
func browser(cookie string) map[string]string {
	h := map[string]string{"Origin": publicURL, "Content-Type": "application/json"}
	if cookie != "" {
		h["Cookie"] = authn.CookieName + "=" + cookie
	}
	return h
}

// signIn posts the credentials from the app's page and returns the
// response.
func (s *site) signIn(email, pw string, header map[string]string) *http.Response {
	s.t.Helper()
	body, _ := json.Marshal(map[string]string{"email": email, "password": pw})
	h := browser("")
	for k, v := range header {
		h[k] = v
	}
	return s.do(req{method: http.MethodPost, path: "/auth/sign-in", body: string(body), header: h})
}

// sessionCookie is the segments_session cookie res sets.
func sessionCookie(t *testing.T, res *http.Response) *http.Cookie {
	t.Helper()
	for _, c := range res.Cookies() {
		if c.Name == authn.CookieName {
			return c
		}
	}
	require.Fail(t, "no session cookie set", "headers: %v", res.Header)
	return nil
}

// signedIn signs email in and returns the session cookie's value.
func (s *site) signedIn(email string) string {
	s.t.Helper()
	res := s.signIn(email, password, nil)
	require.Equal(s.t, http.StatusOK, res.StatusCode, body(s.t, res))
	return sessionCookie(s.t, res).Value
}

// graphql posts a query as the app does, with the session cookie.
func (s *site) graphql(cookie string) *http.Response {
	return s.do(req{method: http.MethodPost, path: "/graphql", body: `{"query":"{ viewer { name } }"}`, header: browser(cookie)})
}

func body(t *testing.T, res *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	res.Body = io.NopCloser(bytes.NewReader(b))
	return string(b)
}

// code is the error code of a GraphQL-shaped or /auth error body.
func code(t *testing.T, res *http.Response) string {
	t.Helper()
	var out struct {
		Errors []struct {
			Extensions struct{ Code string }
		}
		Error struct{ Code string }
	}
	require.NoError(t, json.Unmarshal([]byte(body(t, res)), &out), body(t, res))
	if len(out.Errors) > 0 {
		return out.Errors[0].Extensions.Code
	}
	return out.Error.Code
}

func prefixes(t *testing.T, s string) []netip.Prefix {
	t.Helper()
	p, err := authn.ParseProxies(s)
	require.NoError(t, err)
	return p
}
