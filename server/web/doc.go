// Package web is the HTTP surface: the GraphQL endpoint, GraphiQL, the
// health check, and the single-page app with index fallback so client-side
// routes survive a reload. CORS applies to the API only.
package web
