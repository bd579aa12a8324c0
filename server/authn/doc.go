// Package authn is authentication over HTTP: it finds out who sent each
// request and keeps browsers from being used against the people signed in
// to them.
//
// A request to the API (/graphql) or GraphiQL carries either an API token
// (`Authorization: Bearer seg_…`) or the session cookie `segments_session`
// that POST /auth/sign-in sets. The Gate resolves it through the accounts
// (auth.Service) on every request, so a disabled or changed user is out at
// once, and puts the principal and the client's address into the request's
// context (auth.With, auth.WithClientAddr) for the domain packages and the
// audit log. Without valid credentials /graphql answers 401 UNAUTHENTICATED
// and GraphiQL sends the browser to the app's sign-in page.
//
// Sessions are github.com/alexedwards/scs/v2 sessions kept in PostgreSQL
// (the sessions table, through scs's postgresstore), so they survive
// restarts and every instance shares them. A session holds the user's id
// and the time they signed in; it ends after 2 hours without a request or
// 12 hours after sign-in, whichever comes first. The idle timer is written
// at most once a minute (see touchEvery), not on every request.
//
// Browser safety: a cookie reaches the server with every request the
// browser makes, whoever's page made it. So requests authenticated by the
// cookie, and every POST to /auth/*, must be POST with Content-Type
// application/json (which a cross-site form cannot send, and a cross-site
// script can only send after a CORS preflight that only listed origins
// pass) and come from an allowed Origin: PUBLIC_URL's or one listed in
// CORS_ORIGINS. Tokens are not sent by browsers on their own, so token
// requests need neither.
//
// Limits: sign-in attempts per account and per client address
// (github.com/go-chi/httprate), and requests per API token
// (golang.org/x/time/rate); each answers 429 with Retry-After and the code
// RATE_LIMITED. The limits are kept in each instance's memory.
package authn
