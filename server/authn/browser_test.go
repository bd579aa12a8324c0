package authn_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/authn"
)

func TestCookieRequestsMustBeJSONPostsFromAnAllowedOrigin(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	s.user("ed@example.com", auth.Editor)
	cookie := s.signedIn("ed@example.com")
	jar := "segments_session=" + cookie
	mutation := `{"query":"mutation { deleteSegment(id: 1) }"}`

	for name, r := range map[string]req{
		"form post":        {method: http.MethodPost, body: "query=mutation", header: map[string]string{"Cookie": jar, "Origin": publicURL, "Content-Type": "application/x-www-form-urlencoded"}},
		"multipart post":   {method: http.MethodPost, body: "--x--", header: map[string]string{"Cookie": jar, "Origin": publicURL, "Content-Type": "multipart/form-data; boundary=x"}},
		"text post":        {method: http.MethodPost, body: mutation, header: map[string]string{"Cookie": jar, "Origin": publicURL, "Content-Type": "text/plain"}},
		"no content type":  {method: http.MethodPost, body: mutation, header: map[string]string{"Cookie": jar, "Origin": publicURL}},
		"foreign origin":   {method: http.MethodPost, body: mutation, header: map[string]string{"Cookie": jar, "Origin": "https://evil.example.com", "Content-Type": "application/json"}},
		"null origin":      {method: http.MethodPost, body: mutation, header: map[string]string{"Cookie": jar, "Origin": "null", "Content-Type": "application/json"}},
		"lookalike origin": {method: http.MethodPost, body: mutation, header: map[string]string{"Cookie": jar, "Origin": publicURL + ".evil.example", "Content-Type": "application/json"}},
		"cross-site fetch": {method: http.MethodPost, body: mutation, header: map[string]string{"Cookie": jar, "Sec-Fetch-Site": "cross-site", "Content-Type": "application/json"}},
		"get query":        {method: http.MethodGet, path: "?query=%7B__typename%7D", header: map[string]string{"Cookie": jar, "Origin": publicURL}},
		"get mutation":     {method: http.MethodGet, path: "?query=mutation%7BdeleteSegment(id:1)%7D", header: map[string]string{"Cookie": jar}},
	} {
		r.path = "/graphql" + r.path
		res := s.do(r)
		require.Equal(t, http.StatusForbidden, res.StatusCode, name)
		require.Equal(t, "FORBIDDEN", code(t, res), name)
	}

	for name, r := range map[string]req{
		"the app's own page": {header: map[string]string{"Cookie": jar, "Origin": publicURL, "Content-Type": "application/json"}},
		"a listed origin":    {header: map[string]string{"Cookie": jar, "Origin": listed, "Content-Type": "application/json; charset=utf-8"}},
		"same-origin fetch":  {header: map[string]string{"Cookie": jar, "Sec-Fetch-Site": "same-origin", "Content-Type": "application/json"}},
		"no browser at all":  {header: map[string]string{"Cookie": jar, "Content-Type": "application/json"}},
	} {
		r.method, r.path, r.body = http.MethodPost, "/graphql", `{"query":"{ __typename }"}`
		res := s.do(r)
		require.Equal(t, http.StatusOK, res.StatusCode, name+": "+body(t, res))
	}
}

func TestSignInAndOutFollowTheBrowserRules(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	s.user("ed@example.com", auth.Editor)
	res := s.signIn("ed@example.com", password, map[string]string{"Origin": "https://evil.example.com"})
	require.Equal(t, http.StatusForbidden, res.StatusCode)
	require.Empty(t, res.Cookies())
	res = s.signIn("ed@example.com", password, map[string]string{"Content-Type": "text/plain"})
	require.Equal(t, http.StatusForbidden, res.StatusCode)
	require.Equal(t, "FORBIDDEN", code(t, res))

	// A foreign page cannot sign the user out either.
	cookie := s.signedIn("ed@example.com")
	res = s.do(req{method: http.MethodPost, path: "/auth/sign-out", header: map[string]string{"Cookie": "segments_session=" + cookie, "Origin": "https://evil.example.com", "Content-Type": "application/json"}})
	require.Equal(t, http.StatusForbidden, res.StatusCode)
	require.Equal(t, http.StatusOK, s.graphql(cookie).StatusCode)
	require.Equal(t, http.StatusMethodNotAllowed, s.do(req{method: http.MethodGet, path: "/auth/sign-out", header: browser(cookie)}).StatusCode)
}

func TestOriginsCompareAsOrigins(t *testing.T) {
	t.Parallel()
	// PUBLIC_URL with a path, upper case and its default port still names
	// the origin browsers send.
	s := newSite(t, func(c *authn.Config) { c.PublicURL = "https://Segments.Example.com:443/app/" })
	s.user("ed@example.com", auth.Editor)
	res := s.signIn("ed@example.com", password, map[string]string{"Origin": "https://segments.example.com"})
	require.Equal(t, http.StatusOK, res.StatusCode, body(t, res))
	res = s.signIn("ed@example.com", password, map[string]string{"Origin": "http://segments.example.com"})
	require.Equal(t, http.StatusForbidden, res.StatusCode, "another scheme is another origin")
	res = s.signIn("ed@example.com", password, map[string]string{"Origin": "https://segments.example.com:8443"})
	require.Equal(t, http.StatusForbidden, res.StatusCode, "another port is another origin")
}

func TestARefusedCookieRequestDoesNotKeepTheSessionAlive(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	s.user("ed@example.com", auth.Editor)
	cookie := s.signedIn("ed@example.com")
	signedIn := s.expiry()
	// Long enough that any request that reaches the session moves its
	// idle deadline.
	s.clock.Add(10 * time.Minute)

	jar := authn.CookieName + "=" + cookie
	for name, r := range map[string]req{
		"get query":      {method: http.MethodGet, path: "/graphql?query=%7B__typename%7D", header: map[string]string{"Cookie": jar}},
		"foreign origin": {method: http.MethodPost, path: "/graphql", body: `{"query":"{ __typename }"}`, header: map[string]string{"Cookie": jar, "Origin": "https://evil.example.com", "Content-Type": "application/json"}},
	} {
		res := s.do(r)
		require.Equal(t, http.StatusForbidden, res.StatusCode, name)
		require.Equal(t, "FORBIDDEN", code(t, res), name)
		require.Empty(t, res.Cookies(), name)
		require.True(t, s.expiry().Equal(signedIn), "%s moved the expiry: %s → %s", name, signedIn, s.expiry())
	}

	// The app's own request does move it.
	res := s.graphql(cookie)
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Equal(t, cookie, sessionCookie(t, res).Value)
	require.True(t, s.expiry().After(signedIn))
}
