package authn_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/audit"
	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/authn"
)

func TestUnknownEmailAndWrongPasswordGetTheSameAnswer(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	s.user("ed@example.com", auth.Editor)
	unknown := s.signIn("nobody@example.com", password, nil)
	wrong := s.signIn("ed@example.com", "not the password at all", nil)
	require.Equal(t, http.StatusUnauthorized, unknown.StatusCode)
	require.Equal(t, unknown.StatusCode, wrong.StatusCode)
	require.Equal(t, body(t, unknown), body(t, wrong))
	require.JSONEq(t, `{"error":{"code":"UNAUTHENTICATED","message":"Wrong email or password."}}`, body(t, wrong))
	require.Empty(t, unknown.Cookies())
	require.Empty(t, wrong.Cookies())

	// Both attempts are in the audit log, anonymous and without the email.
	var evs []audit.Event
	require.NoError(t, s.db.NewSelect().Model(&evs).Where("action = ?", audit.SignInFailed).Scan(context.Background()))
	require.Len(t, evs, 2)
	for _, ev := range evs {
		require.Equal(t, "anonymous", ev.Principal)
		require.Empty(t, ev.Details)
		require.Empty(t, ev.SubjectIDs)
	}

	for _, in := range []string{`{"email":"ed@example.com"}`, `not json`, `{"email":"","password":"x"}`} {
		res := s.do(req{method: http.MethodPost, path: "/auth/sign-in", body: in, header: browser("")})
		require.Equal(t, http.StatusBadRequest, res.StatusCode, in)
		require.Equal(t, "BAD_USER_INPUT", code(t, res), in)
	}
}

func TestSignInAttemptsAreLimitedPerAccountAndPerAddress(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	s.user("ed@example.com", auth.Editor)
	// Per account: the sixth attempt in a minute is refused, even with the
	// right password and from elsewhere.
	for i := range authn.SignInsPerEmail {
		res := s.signInFrom("ed@example.com", "wrong password here", fmt.Sprintf("198.51.100.%d:4000", i+1))
		require.Equal(t, http.StatusUnauthorized, res.StatusCode)
	}
	res := s.signInFrom("Ed@Example.com ", password, "198.51.100.99:4000")
	require.Equal(t, http.StatusTooManyRequests, res.StatusCode)
	require.Equal(t, "RATE_LIMITED", code(t, res))
	after, err := strconv.Atoi(res.Header.Get("Retry-After"))
	require.NoError(t, err)
	require.Positive(t, after)
	require.Empty(t, res.Cookies())

	// Per address: many accounts from one address.
	for i := range authn.SignInsPerAddress {
		res := s.signInFrom(fmt.Sprintf("guess%d@example.com", i), "wrong password here", "203.0.113.7:5000")
		require.Equal(t, http.StatusUnauthorized, res.StatusCode, i)
	}
	res = s.signInFrom("someone@example.com", "wrong password here", "203.0.113.7:5001")
	require.Equal(t, http.StatusTooManyRequests, res.StatusCode)
	require.NotEmpty(t, res.Header.Get("Retry-After"))
	// Another address is not held up.
	require.Equal(t, http.StatusUnauthorized, s.signInFrom("someone@example.com", "wrong password here", "203.0.113.8:5000").StatusCode)
}

// signInFrom signs in from a client address.
func (s *site) signInFrom(email, pw, remote string) *http.Response {
	s.t.Helper()
	return s.do(req{method: http.MethodPost, path: "/auth/sign-in", remote: remote, header: browser(""),
		body: fmt.Sprintf(`{"email":%q,"password":%q}`, email, pw)})
}

func TestClientAddressesComeFromTrustedProxiesOnly(t *testing.T) {
	t.Parallel()
	s := newSite(t, func(c *authn.Config) { c.TrustedProxies = prefixes(t, "10.0.0.0/8, 2001:db8::1") })
	_, secret := s.token("cron", nil)
	from := func(remote string, xff ...string) string {
		t.Helper()
		res := s.doXFF(req{method: http.MethodGet, path: "/graphql?query=%7B__typename%7D", remote: remote, header: map[string]string{"Authorization": "Bearer " + secret}}, xff)
		require.Equal(t, http.StatusOK, res.StatusCode)
		var out struct{ Data struct{ From string } }
		require.NoError(t, json.Unmarshal([]byte(body(t, res)), &out))
		return out.Data.From
	}
	// An untrusted peer's header is ignored: anyone can write it.
	require.Equal(t, "198.51.100.7", from("198.51.100.7:1234", "203.0.113.9"))
	// A trusted proxy's: the right-most address that is not a trusted proxy.
	require.Equal(t, "203.0.113.9", from("10.1.2.3:1234", "203.0.113.9"))
	require.Equal(t, "203.0.113.9", from("10.1.2.3:1234", "1.1.1.1, 203.0.113.9, 10.9.9.9"))
	require.Equal(t, "203.0.113.9", from("10.1.2.3:1234", "1.1.1.1", "203.0.113.9"))
	require.Equal(t, "203.0.113.9", from("[2001:db8::1]:443", "203.0.113.9"))
	// A trusted proxy without the header, or with nonsense: the proxy.
	require.Equal(t, "10.1.2.3", from("10.1.2.3:1234"))
	require.Equal(t, "10.1.2.3", from("10.1.2.3:1234", "not-an-address"))

	// Without TRUSTED_PROXIES nobody's header counts.
	plain := newSite(t)
	_, secret = plain.token("cron", nil)
	res := plain.doXFF(req{method: http.MethodGet, path: "/graphql?query=%7B__typename%7D", remote: "10.1.2.3:1234", header: map[string]string{"Authorization": "Bearer " + secret}}, []string{"203.0.113.9"})
	require.Contains(t, body(t, res), `"from":"10.1.2.3"`)
}

func TestCredentialsWithANulGetTheWrongPasswordAnswer(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	unknown := s.signIn("nobody@example.com", "whatever12345", nil)
	require.Equal(t, http.StatusUnauthorized, unknown.StatusCode)

	// PostgreSQL refuses a NUL in text; the client still gets only the
	// wrong-password answer, never a 500.
	for i := range authn.SignInsPerEmail - 1 {
		res := s.signIn("a\x00@x.com", "whatever12345", nil)
		require.Equal(t, http.StatusUnauthorized, res.StatusCode, i)
		require.Equal(t, body(t, unknown), body(t, res), i)
		require.Empty(t, res.Cookies())
	}
	res := s.signIn("nul@example.com", "what\x00ever12345", nil)
	require.Equal(t, http.StatusUnauthorized, res.StatusCode)
	require.Equal(t, body(t, unknown), body(t, res))

	// Such attempts count against the limits like any other...
	require.Equal(t, http.StatusUnauthorized, s.signIn("a\x00@x.com", "whatever12345", nil).StatusCode)
	res = s.signIn("a\x00@x.com", "whatever12345", nil)
	require.Equal(t, http.StatusTooManyRequests, res.StatusCode)
	require.Equal(t, "RATE_LIMITED", code(t, res))

	// ...and are in the audit log as failed sign-ins.
	n, err := s.db.NewSelect().Model((*audit.Event)(nil)).Where("action = ?", audit.SignInFailed).Count(context.Background())
	require.NoError(t, err)
	require.EqualValues(t, 1+authn.SignInsPerEmail+1, n)
}

func TestAnIPv6ClientIsLimitedOnItsSlash64(t *testing.T) {
	t.Parallel()
	s := newSite(t, func(c *authn.Config) { c.TrustedProxies = prefixes(t, "10.0.0.1") })
	// One client may use every address of its /64: each attempt from a
	// new one still counts against the same limit.
	for i := range authn.SignInsPerAddress {
		res := s.signInFrom(fmt.Sprintf("guess%d@example.com", i), "wrong password here", fmt.Sprintf("[2001:db8:1:2:%x::1]:4000", i+1))
		require.Equal(t, http.StatusUnauthorized, res.StatusCode, i)
	}
	res := s.signInFrom("someone@example.com", "wrong password here", "[2001:db8:1:2:ffff:ffff:ffff:ffff]:4000")
	require.Equal(t, http.StatusTooManyRequests, res.StatusCode)
	require.NotEmpty(t, res.Header.Get("Retry-After"))
	// The same through a trusted proxy.
	res = s.doXFF(req{method: http.MethodPost, path: "/auth/sign-in", remote: "10.0.0.1:443", header: browser(""),
		body: `{"email":"other@example.com","password":"wrong password here"}`}, []string{"2001:db8:1:2::abcd"})
	require.Equal(t, http.StatusTooManyRequests, res.StatusCode)

	// The next /64 is someone else.
	require.Equal(t, http.StatusUnauthorized, s.signInFrom("someone@example.com", "wrong password here", "[2001:db8:1:3::1]:4000").StatusCode)
	// An IPv4 client is its own address.
	require.Equal(t, http.StatusUnauthorized, s.signInFrom("someone@example.com", "wrong password here", "203.0.113.8:5000").StatusCode)
}
