package authn_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/account"
	"github.com/segments/segments/server/audit"
	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/authn"
)

func TestSignInSetsASessionCookieThatSignsRequestsIn(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	id := s.user("ed@example.com", auth.Editor, s.websites[0])

	res := s.signIn("ED@example.com", password, nil)
	require.Equal(t, http.StatusOK, res.StatusCode, body(t, res))
	c := sessionCookie(t, res)
	require.True(t, c.HttpOnly)
	require.Equal(t, http.SameSiteLaxMode, c.SameSite)
	require.Equal(t, "/", c.Path)
	require.False(t, c.Secure, "PUBLIC_URL is http")
	require.InDelta(t, authn.IdleTimeout.Seconds(), float64(c.MaxAge), 5, "the cookie lives as long as the idle timeout")
	require.Equal(t, "no-store", res.Header.Get("Cache-Control"))

	var out struct{ Viewer map[string]any }
	require.NoError(t, json.Unmarshal([]byte(body(t, res)), &out))
	require.Equal(t, map[string]any{
		"kind": "USER", "name": "ed@example.com", "email": "ed@example.com", "role": "EDITOR", "allWebsites": false, "mustChangePassword": false,
		"websites": []any{map[string]any{"id": strconv.FormatInt(s.websites[0], 10), "code": "se", "name": "Sweden"}},
	}, out.Viewer)

	res = s.graphql(c.Value)
	require.Equal(t, http.StatusOK, res.StatusCode, body(t, res))
	require.JSONEq(t, `{"data":{"who":"user:`+strconv.FormatInt(id, 10)+`","from":"192.0.2.1"}}`, body(t, res))

	res = s.do(req{method: http.MethodGet, path: "/auth/session", header: browser(c.Value)})
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Contains(t, body(t, res), `"email":"ed@example.com"`)
	require.Equal(t, http.StatusOK, s.do(req{method: http.MethodGet, path: "/graphiql", header: browser(c.Value)}).StatusCode)

	// The sign-in is in the audit log, for the user.
	var ev audit.Event
	require.NoError(t, s.db.NewSelect().Model(&ev).Where("action = ?", audit.SignIn).Scan(context.Background()))
	require.Equal(t, "user:"+strconv.FormatInt(id, 10), ev.Principal)
	require.Equal(t, []int64{id}, ev.SubjectIDs)
	require.Equal(t, "192.0.2.1", ev.ClientAddr)
}

func TestTheCookieIsSecureWhenPublicURLIsHTTPS(t *testing.T) {
	t.Parallel()
	s := newSite(t, func(c *authn.Config) { c.PublicURL = "https://segments.example.com" })
	s.user("ann@example.com", auth.Analyst)
	res := s.signIn("ann@example.com", password, map[string]string{"Origin": "https://segments.example.com"})
	require.Equal(t, http.StatusOK, res.StatusCode, body(t, res))
	require.True(t, sessionCookie(t, res).Secure)
	require.Contains(t, body(t, res), `"allWebsites":true`)
}

func TestWithoutASessionTheAPIAnswers401AndGraphiQLSendsToSignIn(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	for _, cookie := range []string{"", "made-up-session-id"} {
		res := s.graphql(cookie)
		require.Equal(t, http.StatusUnauthorized, res.StatusCode)
		require.Equal(t, "Bearer", res.Header.Get("WWW-Authenticate"))
		require.Equal(t, "UNAUTHENTICATED", code(t, res))
		res = s.do(req{method: http.MethodGet, path: "/graphiql", header: browser(cookie)})
		require.Equal(t, http.StatusSeeOther, res.StatusCode)
		require.Equal(t, "/?next=/graphiql", res.Header.Get("Location"))
		res = s.do(req{method: http.MethodGet, path: "/auth/session", header: browser(cookie)})
		require.Equal(t, http.StatusUnauthorized, res.StatusCode)
		require.Equal(t, "UNAUTHENTICATED", code(t, res))
	}
	// What needs no credentials still answers.
	require.Equal(t, http.StatusOK, s.do(req{method: http.MethodGet, path: "/"}).StatusCode)
	require.Equal(t, http.StatusOK, s.do(req{method: http.MethodGet, path: "/healthz"}).StatusCode)
}

func TestSignOutEndsTheSessionServerSide(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	s.user("ed@example.com", auth.Editor)
	cookie := s.signedIn("ed@example.com")

	res := s.do(req{method: http.MethodPost, path: "/auth/sign-out", header: browser(cookie)})
	require.Equal(t, http.StatusNoContent, res.StatusCode)
	cleared := sessionCookie(t, res)
	require.Empty(t, cleared.Value)
	require.Negative(t, cleared.MaxAge)

	// The old cookie, kept by someone, no longer works.
	require.Equal(t, http.StatusUnauthorized, s.graphql(cookie).StatusCode)
	n, err := s.db.NewSelect().Table("sessions").Count(context.Background())
	require.NoError(t, err)
	require.Zero(t, n)
	n, err = s.db.NewSelect().Model((*audit.Event)(nil)).Where("action = ?", audit.SignOut).Count(context.Background())
	require.NoError(t, err)
	require.EqualValues(t, 1, n)

	// Signing out without a session is harmless.
	require.Equal(t, http.StatusNoContent, s.do(req{method: http.MethodPost, path: "/auth/sign-out", header: browser("")}).StatusCode)
}

func TestSignInGivesANewSessionID(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	s.user("ed@example.com", auth.Editor)
	first := s.signedIn("ed@example.com")

	// A session id planted before sign-in is never the one signed in.
	res := s.signIn("ed@example.com", password, map[string]string{"Cookie": authn.CookieName + "=" + first})
	require.Equal(t, http.StatusOK, res.StatusCode)
	second := sessionCookie(t, res).Value
	require.NotEqual(t, first, second)
	require.Equal(t, http.StatusUnauthorized, s.graphql(first).StatusCode)
	require.Equal(t, http.StatusOK, s.graphql(second).StatusCode)

	res = s.signIn("ed@example.com", password, map[string]string{"Cookie": authn.CookieName + "=attacker-chosen"})
	require.NotEqual(t, "attacker-chosen", sessionCookie(t, res).Value)
}

func TestDisablingOrChangingAUserEndsTheirSessionsAtOnce(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	ed := s.user("ed@example.com", auth.Editor)
	vi := s.user("vi@example.com", auth.Viewer)
	edCookie, viCookie := s.signedIn("ed@example.com"), s.signedIn("vi@example.com")
	require.Equal(t, http.StatusOK, s.graphql(edCookie).StatusCode)

	yes := true
	_, err := s.accounts.UpdateUser(auth.AsSystem(context.Background()), ed, account.UserChange{Disabled: &yes})
	require.NoError(t, err)
	res := s.graphql(edCookie)
	require.Equal(t, http.StatusUnauthorized, res.StatusCode)
	require.Equal(t, "UNAUTHENTICATED", code(t, res))

	role := auth.Analyst
	_, err = s.accounts.UpdateUser(auth.AsSystem(context.Background()), vi, account.UserChange{Role: &role})
	require.NoError(t, err)
	require.Equal(t, http.StatusUnauthorized, s.graphql(viCookie).StatusCode)

	// A disabled user cannot sign in again either, and is told nothing more.
	res = s.signIn("ed@example.com", password, nil)
	require.Equal(t, http.StatusUnauthorized, res.StatusCode)
	require.JSONEq(t, `{"error":{"code":"UNAUTHENTICATED","message":"Wrong email or password."}}`, body(t, res))
}

// expiry is the stored expiry of the only session.
func (s *site) expiry() time.Time {
	s.t.Helper()
	var e time.Time
	require.NoError(s.t, s.db.NewSelect().Table("sessions").Column("expiry").Scan(context.Background(), &e))
	return e
}

func TestTheIdleTimerIsWrittenAtMostOnceAMinute(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	s.user("ed@example.com", auth.Editor)
	cookie := s.signedIn("ed@example.com")
	signedIn := s.expiry()

	// Requests within the minute write nothing: the expiry stays, and no
	// cookie is sent again.
	for range 5 {
		s.clock.Add(10 * time.Second)
		res := s.graphql(cookie)
		require.Equal(t, http.StatusOK, res.StatusCode)
		require.Empty(t, res.Cookies())
	}
	require.True(t, s.expiry().Equal(signedIn), "expiry moved: %s → %s", signedIn, s.expiry())

	// A minute after the last write, a request moves the idle deadline.
	s.clock.Add(20 * time.Second)
	res := s.graphql(cookie)
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Equal(t, cookie, sessionCookie(t, res).Value, "the same session, its cookie's Max-Age renewed")
	moved := s.expiry()
	require.WithinDuration(t, signedIn.Add(70*time.Second), moved, 3*time.Second)

	// Two idle hours end the session.
	s.clock.Add(authn.IdleTimeout)
	require.Equal(t, http.StatusUnauthorized, s.graphql(cookie).StatusCode)
}

func TestASessionEndsTwelveHoursAfterSignInHoweverBusy(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	s.user("ed@example.com", auth.Editor)
	cookie := s.signedIn("ed@example.com")
	for range 11 {
		s.clock.Add(time.Hour)
		require.Equal(t, http.StatusOK, s.graphql(cookie).StatusCode)
	}
	s.clock.Add(59 * time.Minute)
	require.Equal(t, http.StatusOK, s.graphql(cookie).StatusCode)
	s.clock.Add(time.Minute)
	require.Equal(t, http.StatusUnauthorized, s.graphql(cookie).StatusCode)
}
