// Package page is the one keyset-pagination helper behind every connection
// (segments, customers, users and the audit log). It parses
// first/after/last/before, encodes and checks opaque cursors, builds the
// ORDER BY and the keyset predicates, and runs a listing's page in one way:
// [Request.Statement] (or [Compose], for a listing that writes its own
// body) turns a listing's [Source] (its FROM clause and filters) into one
// statement — a guard such as "the listed segments exist" (or none), the
// rows and hasPreviousPage (forwards) or hasNextPage (backwards) — which
// [One] runs, scanning the rows into the caller's bun model with a [Head]
// embedded: one round trip per page. A page without rows is one row of
// NULLs carrying only the head, which [One] reads itself, so a model never
// sees NULL in a column its table declares NOT NULL. [Count] answers
// totalCount.
//
// Pages never use OFFSET. A cursor holds the sort-key values of its row,
// encrypted and authenticated by a [Codec] with a key derived from the
// installation's signing key and bound to a hash of the query it came from
// ([Binding]): a client can neither read it nor edit it, and a cursor used
// with other arguments, or from another installation, is BAD_USER_INPUT
// instead of silently returning the wrong rows. `segments serve` installs
// the codec at startup ([Use]); until then a key made up for the process
// seals cursors.
//
// NULLs sort last ascending and first descending (PostgreSQL's default),
// which is the same as treating NULL as larger than every value in both
// directions; a nullable key gives two keyset branches, each an index
// range, rather than one OR the planner cannot serve from an index (a UNION
// ALL of the two in the page's statement). "Is there a row behind the
// cursor" walks the sort's index backwards from the cursor and stops at the
// first row (ORDER BY reversed, LIMIT 1) rather than an EXISTS the planner
// may answer with a scan.
//
// Every value is a bind parameter ([db.Args]): the SQL text depends only on
// the listing's shape, so PostgreSQL plans each shape once. A row's cursor
// values come back as a text[] column, scanned as [Values], which keeps NULL
// keys NULL — or, with [Sort.ValuesInRow], the caller reads them from the
// row's own columns. The cursor format is described in docs/api.md.
package page
