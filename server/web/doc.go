// Package web is the HTTP surface: the GraphQL endpoint, GraphiQL, the
// sign-in endpoints (/auth/*), the health check, and the single-page app
// with index fallback so client-side routes survive a reload. CORS applies
// to the API only, for the listed origins only. The API and GraphiQL need
// credentials, checked by the Auth the server is configured with
// (server/authn); web itself holds no SQL and knows nothing of users. Every
// answer carries the browser-safety headers (CSP, nosniff, no-referrer, no
// framing, HSTS over https), and a request for a host the server does not
// answer to is refused (421) except on the health checks.
//
// /healthz is liveness (the process and a database ping); /readyz is
// readiness, as the Ready the server is configured with decides (the
// database, its migrations, a shutdown under way). Every request gets an
// id (X-Request-ID, see server/logging), one log line when its answer is
// done (a warning past SlowRequest) and, with Metrics set, a count by its
// route pattern and status. /metrics is not served here: it has a listener
// of its own.
package web
