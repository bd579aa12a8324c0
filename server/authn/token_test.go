package authn_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/authn"
)

func TestTokensWorkWithoutOriginUntilRevokedOrExpired(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	id, secret := s.token("cron", nil)
	bearer := map[string]string{"Authorization": "Bearer " + secret}

	// A script sends no Origin, and may use GET for queries.
	res := s.do(req{method: http.MethodGet, path: "/graphql?query=%7B__typename%7D", header: bearer})
	require.Equal(t, http.StatusOK, res.StatusCode, body(t, res))
	require.Contains(t, body(t, res), `"who":"token:`+strconv.FormatInt(id, 10)+`"`)
	res = s.do(req{method: http.MethodPost, path: "/graphql", body: `{"query":"{ __typename }"}`, header: map[string]string{"Authorization": "bearer " + secret, "Content-Type": "application/json"}})
	require.Equal(t, http.StatusOK, res.StatusCode)
	// GET /auth/session says whose token it is.
	res = s.do(req{method: http.MethodGet, path: "/auth/session", header: bearer})
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Contains(t, body(t, res), `"kind":"TOKEN","name":"cron"`)

	_, err := s.accounts.RevokeToken(auth.AsSystem(context.Background()), id)
	require.NoError(t, err)
	res = s.do(req{method: http.MethodGet, path: "/graphql?query=%7B__typename%7D", header: bearer})
	require.Equal(t, http.StatusUnauthorized, res.StatusCode)
	require.Equal(t, "UNAUTHENTICATED", code(t, res))
	require.Equal(t, "Bearer", res.Header.Get("WWW-Authenticate"))

	soon := time.Now().Add(time.Second)
	_, expiring := s.token("short-lived", &soon)
	require.Eventually(t, func() bool {
		res := s.do(req{method: http.MethodGet, path: "/graphql?query=%7B__typename%7D", header: map[string]string{"Authorization": "Bearer " + expiring}})
		return res.StatusCode == http.StatusUnauthorized && code(t, res) == "UNAUTHENTICATED"
	}, 10*time.Second, 100*time.Millisecond)

	for _, h := range []string{"Bearer seg_nonsense", "Bearer", "Basic dXNlcjpwYXNz", "seg_" + secret} {
		res := s.do(req{method: http.MethodGet, path: "/graphql?query=%7B__typename%7D", header: map[string]string{"Authorization": h}})
		require.Equal(t, http.StatusUnauthorized, res.StatusCode, h)
		require.Equal(t, "UNAUTHENTICATED", code(t, res), h)
	}
}

func TestATokenOverItsRateGets429(t *testing.T) {
	t.Parallel()
	s := newSite(t, func(c *authn.Config) { c.TokenRate = 1 })
	_, secret := s.token("busy", nil)
	_, other := s.token("quiet", nil)
	get := func(secret string) *http.Response {
		return s.do(req{method: http.MethodGet, path: "/graphql?query=%7B__typename%7D", header: map[string]string{"Authorization": "Bearer " + secret}})
	}
	// A burst of twice the rate passes, then the token waits.
	var limited *http.Response
	for range 10 {
		if res := get(secret); res.StatusCode != http.StatusOK {
			limited = res
			break
		}
	}
	require.NotNil(t, limited, "ten requests at once never hit a rate of 1/s")
	require.Equal(t, http.StatusTooManyRequests, limited.StatusCode)
	require.Equal(t, "RATE_LIMITED", code(t, limited))
	after, err := strconv.Atoi(limited.Header.Get("Retry-After"))
	require.NoError(t, err)
	require.Positive(t, after)
	// Other tokens are not held up.
	require.Equal(t, http.StatusOK, get(other).StatusCode)
}
