package authn

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/segments/segments/server/apperr"
	"github.com/segments/segments/server/audit"
	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/catalog"
)

// WrongPassword is the one answer to an unknown email, a wrong password
// and a disabled user alike.
const WrongPassword = "Wrong email or password."

// maxSignInBody bounds a sign-in request's body.
const maxSignInBody = 16 << 10

// Routes serves /auth/: POST /auth/sign-in, POST /auth/sign-out and GET
// /auth/session. Answers are JSON; errors are {"error": {"code",
// "message"}}.
func (g *Gate) Routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /auth/sign-in", g.signIn)
	mux.HandleFunc("POST /auth/sign-out", g.signOut)
	mux.HandleFunc("GET /auth/session", g.session)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		r = r.WithContext(auth.WithClientAddr(r.Context(), g.ClientAddr(r)))
		mux.ServeHTTP(w, r)
	})
}

// signIn checks an email and password and starts a session: a new session
// id whatever cookie came in.
func (g *Gate) signIn(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if why := g.browserSafe(r, "sign-in"); why != "" {
		authError(w, http.StatusForbidden, string(apperr.Forbidden), why)
		return
	}
	var in struct {
		Email    string `json:"email"`
		Password string `json:"password"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxSignInBody)).Decode(&in); err != nil {
		authError(w, http.StatusBadRequest, string(apperr.BadInput), `send a JSON object {"email": …, "password": …}`)
		return
	}
	if strings.TrimSpace(in.Email) == "" || in.Password == "" {
		authError(w, http.StatusBadRequest, string(apperr.BadInput), "enter your email and password")
		return
	}
	if g.signInLimited(w, r, auth.ClientAddr(ctx), in.Email) {
		authError(w, http.StatusTooManyRequests, CodeRateLimited, "Too many sign-in attempts: wait a minute and try again.")
		return
	}
	var p *auth.Principal
	var err error
	if unusable(in.Email) || unusable(in.Password) {
		// No account has such credentials, and PostgreSQL would refuse
		// the NUL: the same answer as any wrong password.
		err = apperr.Unknown(WrongPassword)
	} else {
		p, err = g.accounts.Authenticate(ctx, in.Email, in.Password)
	}
	if unknown(err) {
		// Anonymous, and no details: the log must not become a list of
		// the emails people tried.
		if err := audit.Record(ctx, g.db, audit.SignInFailed, nil, nil); err != nil {
			g.log.ErrorContext(ctx, "authn: audit", "err", err)
		}
		authError(w, http.StatusUnauthorized, string(apperr.Unauthenticated), WrongPassword)
		return
	}
	if err == nil && p.Kind != auth.User {
		err = errors.New("Authenticate returned a principal that is not a user")
	}
	if err == nil {
		ctx = auth.With(ctx, p)
		err = audit.Record(ctx, g.db, audit.SignIn, []int64{p.ID}, nil)
	}
	if err == nil {
		err = g.start(w, r, p)
	}
	if err != nil {
		g.log.ErrorContext(ctx, "authn: sign-in", "err", err)
		authError(w, http.StatusInternalServerError, codeInternal, "internal error: the server logged the details")
		return
	}
	g.writeViewer(ctx, w, p)
}

// unusable reports whether s can name no account nor be its password: it
// holds a NUL or is not UTF-8 (JSON decoding turns broken UTF-8 into
// U+FFFD, so this is a second line of defence).
func unusable(s string) bool {
	return strings.ContainsRune(s, 0) || !utf8.ValidString(s)
}

// signOut ends the request's session server-side: its cookie no longer
// works anywhere, even if kept. Without a session it does nothing and
// answers the same.
func (g *Gate) signOut(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if why := g.browserSafe(r, "sign-out"); why != "" {
		authError(w, http.StatusForbidden, string(apperr.Forbidden), why)
		return
	}
	s, ok, err := g.loadSession(r)
	if err == nil && ok {
		if !g.expired(s) {
			p, _ := g.accounts.UserPrincipal(ctx, s.user, s.signedIn)
			if p == nil { // disabled or changed meanwhile: still theirs to end
				p = &auth.Principal{Kind: auth.User, ID: s.user}
			}
			err = audit.Record(auth.With(ctx, p), g.db, audit.SignOut, []int64{s.user}, nil)
		}
		if err == nil {
			err = g.end(w, s)
		}
	} else if err == nil {
		// No live session: drop whatever cookie the browser holds.
		g.sessions.WriteSessionCookie(ctx, w, "", time.Time{})
	}
	if err != nil {
		g.log.ErrorContext(ctx, "authn: sign-out", "err", err)
		authError(w, http.StatusInternalServerError, codeInternal, "internal error: the server logged the details")
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// session answers who is signed in (or holds the token sent), as sign-in
// does, or 401.
func (g *Gate) session(w http.ResponseWriter, r *http.Request) {
	p, no := g.identify(w, r)
	if no != nil {
		if no.retryAfter != "" {
			w.Header().Set("Retry-After", no.retryAfter)
		}
		authError(w, no.status, no.code, no.message)
		return
	}
	g.writeViewer(auth.With(r.Context(), p), w, p)
}

// viewer is the JSON of a principal, as GraphQL's viewer shows it.
type viewer struct {
	Kind  string `json:"kind"`
	Name  string `json:"name"`
	Email string `json:"email"`
	Role  string `json:"role"`
	// AllWebsites is true when the principal is not limited to some
	// websites; Websites then lists every website.
	AllWebsites bool            `json:"allWebsites"`
	Websites    []viewerWebsite `json:"websites"`
	// MustChangePassword: an admin chose the user's password, so the app
	// asks for a new one before anything else.
	MustChangePassword bool `json:"mustChangePassword"`
}

type viewerWebsite struct {
	ID   string `json:"id"`
	Code string `json:"code"`
	Name string `json:"name"`
}

func (g *Gate) writeViewer(ctx context.Context, w http.ResponseWriter, p *auth.Principal) {
	ws, err := catalog.Websites(ctx, g.db)
	if err != nil {
		g.log.ErrorContext(ctx, "authn: websites", "err", err)
		authError(w, http.StatusInternalServerError, codeInternal, "internal error: the server logged the details")
		return
	}
	v := viewer{Kind: strings.ToUpper(string(p.Kind)), Name: p.Name, Email: p.Email, Role: strings.ToUpper(p.Role.String()),
		AllWebsites: p.Scope().IsAll(), Websites: []viewerWebsite{}, MustChangePassword: p.MustChangePassword}
	for _, site := range ws {
		if p.Scope().Has(site.ID) {
			v.Websites = append(v.Websites, viewerWebsite{ID: strconv.FormatInt(site.ID, 10), Code: site.Code, Name: site.Name})
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"viewer": v})
}

func authError(w http.ResponseWriter, status int, code, message string) {
	writeJSON(w, status, map[string]any{"error": map[string]any{"code": code, "message": message}})
}
