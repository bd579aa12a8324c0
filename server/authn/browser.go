package authn

import (
	"mime"
	"net/http"
)

// browserSafe reports why a request that a browser may have sent on its
// own (it carries the session cookie, or it signs in or out) must be
// refused, or "" when it may go ahead. It must be a POST with Content-Type
// application/json: another site's links, images and forms can make a
// browser send GETs and form, multipart or text POSTs, never JSON, and its
// scripts can send JSON only after a CORS preflight, which only
// CORS_ORIGINS pass. And it must come from an allowed origin:
//
//   - with an Origin header (every current browser sends one on a POST,
//     same-origin or not), that origin must be PUBLIC_URL's or listed in
//     CORS_ORIGINS; "null" (sandboxed frames, some redirects) is refused;
//   - without one, Sec-Fetch-Site, if the browser sends it, must say
//     same-origin; a request with neither header did not come from a
//     current browser (curl, a script holding a copied cookie) and cannot
//     be a cross-site forgery, so it passes.
//
// what names the request in the message: "a request signed in with the
// session cookie", "sign-in".
func (g *Gate) browserSafe(r *http.Request, what string) string {
	if r.Method != http.MethodPost {
		return what + " must be a POST with Content-Type: application/json (scripts may send GET queries with an API token)"
	}
	media, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if media != "application/json" {
		return what + " must have Content-Type: application/json"
	}
	if o := r.Header.Get("Origin"); o != "" {
		if n, ok := origin(o); !ok || !g.origins[n] {
			return what + " from " + quote(o) + " is refused: that origin is neither PUBLIC_URL's nor listed in CORS_ORIGINS"
		}
		return ""
	}
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" {
		return what + " from another site is refused"
	}
	return ""
}

// quote shortens and quotes a client-sent value for a message.
func quote(s string) string {
	if len(s) > 100 {
		s = s[:100] + "…"
	}
	return `"` + s + `"`
}
