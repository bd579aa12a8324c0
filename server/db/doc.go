// Package db owns the connection pool, the embedded SQL migrations and the
// test-database helper (package dbtest), and says how the rest of the code
// talks to PostgreSQL.
//
// One pgxpool holds the connections. bun runs over it through pgx's
// database/sql driver and is the data layer: each domain package keeps bun
// models of its tables and uses bun's query builder for ordinary reads and
// writes. The report's own statements (compiled rules, keyset pages, union
// and intersection) are built by hand with [Args], which hands out $n
// placeholders, and run with [Select], [Get], [Rows], [Exec] or [Query] on
// the database/sql handle under bun, so values travel as bind parameters
// (pgx prepares and caches each statement) and rows are scanned into the
// same bun models. Only COPY streams and River's driver use the pool directly.
//
// Text sorts use one collation the application owns, [Collation], whose ICU
// locale is the store's (STORE_LOCALE): [Migrate] creates it and the indexes
// that sort by it, and [UseStoreLocale] switches its locale, rebuilding
// those indexes in one transaction.
//
// A DB may have a read side, a streaming replica (DATABASE_READ_URL,
// [OpenReplica], [DB.UseReplica]). The report's reads (the segments grid,
// drill-down pages and counts) go through [DB.Read], which runs them on
// the replica when it has replayed the primary's WAL position as of the
// last change this instance heard of ([DB.Changed]; package change tells
// it), checked inside the read's own statement ([Reader.Fresh]), and
// else, or when the replica fails, on the primary. Everything else uses
// the DB as it is: the primary.
//
// A context may carry a share of the pool ([WithShare]): the statements run
// with it hold at most that many connections at once, so one GraphQL request
// cannot take the pool from every other client.
package db
