// Package web is the HTTP surface: the GraphQL endpoint, GraphiQL, the
// health check, and the single-page app with index fallback so client-side
// routes survive a reload. CORS applies to the API only, for the listed
// origins only. Every answer carries the browser-safety headers (CSP,
// nosniff, no-referrer, no framing, HSTS over https), and a request for a
// host the server does not answer to is refused (421) except on the health
// checks.
package web
