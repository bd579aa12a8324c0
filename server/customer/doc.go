// Package customer lists the customers of one segment or of several combined
// (union or intersection), less the members of any excluded segments
// ([Query].Exclude, an anti-join on membership): filters, sorts on every report column, keyset
// pages (through package page) and counts, and the ordered stream an export
// reads ([Lister.Each]). [Customer] is the bun model of the report's columns
// of the customers table.
//
// It reads materialized membership (segment_customers); it never evaluates
// rules. Each statement is chosen to be served by an index: one segment is
// walked through its membership key, an intersection walks its smallest
// segment and probes the others, GROUP order merges a few per-group index
// ranges, the members without a phone, ZIP, country or region come from a
// partial index of those flagged so in the membership (nullFlags), and
// text sorts use the store's collation ("segments_store", whose locale is
// STORE_LOCALE), the collation of the indexes. A page is one statement.
//
// Pages and counts are report reads (db.DB.Read): with a read replica they
// run there when it has replayed every change this instance knows of, else
// on the primary; a kept count is always written to the primary.
//
// Counts of one unfiltered segment are those its last refresh stored.
// Combinations filtered by websites at most are counted from the segments'
// membership bitmaps (package bitmap) when each has them. Other
// counts are kept in segment_set_counts, stamped with the latest refresh of
// the segments and the last change of store data, so paging through a large
// union does not recount it for every page. See docs/data-model.md.
//
// Every listing and count is limited to the website scope of the principal
// in the context (auth.ScopeOf): only customers of its websites, segments it
// does not see are unknown, and cursors and kept counts are bound to the
// scope. See docs/security.md.
package customer
