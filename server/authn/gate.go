package authn

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/segments/segments/server/apperr"
	"github.com/segments/segments/server/auth"
)

// Codes the Gate answers with besides apperr's.
const (
	// CodeRateLimited is a request over a rate limit (HTTP 429, with
	// Retry-After).
	CodeRateLimited = "RATE_LIMITED"
	codeInternal    = "INTERNAL"
)

// refusal is why a request is not let through, and how to answer it.
type refusal struct {
	status     int
	code       string
	message    string
	retryAfter string
}

var (
	noCredentials = &refusal{http.StatusUnauthorized, string(apperr.Unauthenticated),
		"sign in, or send an API token as Authorization: Bearer seg_…", ""}
	internal = &refusal{http.StatusInternalServerError, codeInternal,
		"internal error: the server logged the details", ""}
)

// Client puts the client's address (see ClientAddr) into every request's
// context, for the audit log.
func (g *Gate) Client(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(auth.WithClientAddr(r.Context(), g.ClientAddr(r))))
	})
}

// API guards the GraphQL endpoint: only requests with valid credentials
// reach next, with their principal and client address in the context.
// Others get a GraphQL-shaped error: 401 UNAUTHENTICATED without valid
// credentials, 403 FORBIDDEN for a cookie request that breaks the browser
// rules (see browserSafe), 429 RATE_LIMITED for a token over TOKEN_RATE.
func (g *Gate) API(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r = r.WithContext(auth.WithClientAddr(r.Context(), g.ClientAddr(r)))
		var p *auth.Principal
		var no *refusal
		// A cookie request is checked against the browser rules before its
		// session is looked at: a refused one (perhaps forged by another
		// site) costs no database work and does not keep the session alive.
		if r.Header.Get("Authorization") == "" && hasSessionCookie(r) {
			if why := g.browserSafe(r, "a request signed in with the session cookie"); why != "" {
				no = &refusal{status: http.StatusForbidden, code: string(apperr.Forbidden), message: why}
			}
		}
		if no == nil {
			p, no = g.identify(w, r)
		}
		if no != nil {
			if no.status == http.StatusUnauthorized {
				w.Header().Set("WWW-Authenticate", "Bearer")
			}
			if no.retryAfter != "" {
				w.Header().Set("Retry-After", no.retryAfter)
			}
			writeJSON(w, no.status, map[string]any{"errors": []any{map[string]any{
				"message": no.message, "extensions": map[string]any{"code": no.code},
			}}})
			return
		}
		next.ServeHTTP(w, r.WithContext(auth.With(r.Context(), p)))
	})
}

// Page guards a page of the app that needs a signed-in user (GraphiQL):
// without a session the browser goes to the app's sign-in page, which
// comes back here after sign-in.
func (g *Gate) Page(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r = r.WithContext(auth.WithClientAddr(r.Context(), g.ClientAddr(r)))
		p, err := g.sessionPrincipal(w, r)
		if err != nil {
			g.log.ErrorContext(r.Context(), "authn: session", "err", err)
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		if p == nil {
			w.Header().Set("Cache-Control", "no-store")
			http.Redirect(w, r, "/?next="+r.URL.Path, http.StatusSeeOther)
			return
		}
		next.ServeHTTP(w, r.WithContext(auth.With(r.Context(), p)))
	})
}

// identify finds the principal of r: an API token when the request has an
// Authorization header (then the cookie is not looked at), else the
// session cookie.
func (g *Gate) identify(w http.ResponseWriter, r *http.Request) (p *auth.Principal, no *refusal) {
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, secret, _ := strings.Cut(h, " ")
		secret = strings.TrimSpace(secret)
		if !strings.EqualFold(scheme, "Bearer") || secret == "" {
			return nil, &refusal{http.StatusUnauthorized, string(apperr.Unauthenticated),
				"the Authorization header must be Bearer followed by an API token (seg_…)", ""}
		}
		p, err := g.accounts.TokenPrincipal(r.Context(), secret)
		if unknown(err) {
			return nil, &refusal{http.StatusUnauthorized, string(apperr.Unauthenticated), err.Error(), ""}
		}
		if err != nil {
			g.log.ErrorContext(r.Context(), "authn: token", "err", err)
			return nil, internal
		}
		if d := g.tokens.Wait(p.ID, g.now()); d > 0 {
			return nil, &refusal{http.StatusTooManyRequests, CodeRateLimited,
				"this API token is over its request rate (TOKEN_RATE): slow down and retry after the time in Retry-After", retryAfter(d)}
		}
		return p, nil
	}
	p, err := g.sessionPrincipal(w, r)
	if err != nil {
		g.log.ErrorContext(r.Context(), "authn: session", "err", err)
		return nil, internal
	}
	if p == nil {
		return nil, noCredentials
	}
	return p, nil
}

// unknown reports whether err says the credentials name no principal.
func unknown(err error) bool {
	e, ok := apperr.As(err)
	return ok && e.Kind == apperr.Unauthenticated
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, _ := json.Marshal(v)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
