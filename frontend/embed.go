// Package frontend carries the single-page app's build into the Go binary.
package frontend

import "embed"

// Dist is the built SPA, served by server/web with index fallback.
// It holds dist/ as `npm run build` leaves it (index.html, graphiql.html,
// assets/); before a build it holds only the committed placeholder dist/.keep.
//
//go:embed all:dist
var Dist embed.FS
