package authn

import (
	"context"
	"net/http"
	"time"

	"github.com/segments/segments/server/auth"
)

// Session values: who signed in and when (Unix nanoseconds; gob keeps
// plain integers without registration).
const (
	keyUser     = "user"
	keySignedIn = "signed_in"
)

// touchEvery is how far the idle deadline must have fallen behind before a
// request moves it: the session row is written at most once a minute per
// session, however many requests it makes. The idle timeout is therefore
// honoured to within a minute.
const touchEvery = time.Minute

// session is a loaded session cookie.
type session struct {
	ctx      context.Context // carries scs's session data
	user     int64
	signedIn time.Time
}

// loadSession reads r's session cookie. ok is false when there is none, or
// it names no live session.
func (g *Gate) loadSession(r *http.Request) (s session, ok bool, err error) {
	c, err := r.Cookie(CookieName)
	if err != nil || c.Value == "" {
		return session{}, false, nil
	}
	ctx, err := g.sessions.Load(r.Context(), c.Value)
	if err != nil {
		return session{}, false, err
	}
	s = session{ctx: ctx, user: g.sessions.GetInt64(ctx, keyUser)}
	if s.user == 0 {
		// Unknown or expired token: scs handed out a new, empty session,
		// which is never saved.
		return s, false, nil
	}
	s.signedIn = time.Unix(0, g.sessions.GetInt64(ctx, keySignedIn))
	return s, true, nil
}

// expired reports whether s has passed its idle or absolute deadline. The
// store stops finding a session at its deadline on its own; this check
// also covers a session found in the moment before.
func (g *Gate) expired(s session) bool {
	now := g.now()
	return !now.Before(g.sessions.Deadline(s.ctx)) || !now.Before(s.signedIn.Add(AbsoluteTimeout))
}

// deadline is a session's idle deadline if it is used now.
func (g *Gate) deadline(signedIn time.Time) time.Time {
	return minTime(g.now().Add(IdleTimeout), signedIn.Add(AbsoluteTimeout))
}

// touch moves s's idle deadline when it has fallen touchEvery behind, and
// then writes the session and sends its cookie again (with the new
// Max-Age). Most requests write nothing.
func (g *Gate) touch(w http.ResponseWriter, s session) error {
	next := g.deadline(s.signedIn)
	if next.Sub(g.sessions.Deadline(s.ctx)) < touchEvery {
		return nil
	}
	g.sessions.SetDeadline(s.ctx, next)
	return g.save(w, s.ctx)
}

// save writes the session of ctx and sends its cookie.
func (g *Gate) save(w http.ResponseWriter, ctx context.Context) error {
	token, expiry, err := g.sessions.Commit(ctx)
	if err != nil {
		return err
	}
	g.sessions.WriteSessionCookie(ctx, w, token, expiry)
	return nil
}

// end destroys s server-side and tells the browser to drop the cookie.
func (g *Gate) end(w http.ResponseWriter, s session) error {
	if err := g.sessions.Destroy(s.ctx); err != nil {
		return err
	}
	g.sessions.WriteSessionCookie(s.ctx, w, "", time.Time{})
	return nil
}

// start begins a new session for user p in place of any the request had:
// a new session id (no fixation), the old one deleted.
func (g *Gate) start(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var token string
	if c, err := r.Cookie(CookieName); err == nil {
		token = c.Value
	}
	ctx, err := g.sessions.Load(r.Context(), token)
	if err != nil {
		return err
	}
	if err := g.sessions.RenewToken(ctx); err != nil {
		return err
	}
	now := g.now()
	g.sessions.Put(ctx, keyUser, p.ID)
	g.sessions.Put(ctx, keySignedIn, now.UnixNano())
	g.sessions.SetDeadline(ctx, g.deadline(now))
	return g.save(w, ctx)
}

// sessionPrincipal resolves r's session cookie to its user as they are now.
// A session that ended (expired, or its user disabled or changed) is
// destroyed and its cookie cleared; p is nil then and when there is none.
func (g *Gate) sessionPrincipal(w http.ResponseWriter, r *http.Request) (*auth.Principal, error) {
	s, ok, err := g.loadSession(r)
	if err != nil || !ok {
		return nil, err
	}
	if g.expired(s) {
		return nil, g.end(w, s)
	}
	p, err := g.accounts.UserPrincipal(r.Context(), s.user, s.signedIn)
	if unknown(err) {
		return nil, g.end(w, s)
	}
	if err != nil {
		return nil, err
	}
	return p, g.touch(w, s)
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// hasSessionCookie reports whether r carries a session cookie, live or
// not (one loadSession would look up).
func hasSessionCookie(r *http.Request) bool {
	c, err := r.Cookie(CookieName)
	return err == nil && c.Value != ""
}
