// Package page is the one keyset-pagination helper behind every connection
// (segments and customers): it parses first/after/last/before, encodes and
// checks opaque cursors, and builds the ORDER BY and the keyset predicate.
//
// Pages never use OFFSET. A cursor holds the sort-key values of its row and a
// hash of the query it came from, so a cursor used with other arguments is
// rejected instead of silently returning the wrong rows. NULLs sort last
// ascending and first descending (PostgreSQL's default), which is the same
// as treating NULL as larger than every value in both directions.
package page
