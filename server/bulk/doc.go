// Package bulk loads many rows into PostgreSQL fast, for the demo seed
// (package seed) and large CSV imports (package csvimport).
//
// Rows stream in PostgreSQL's binary COPY format, encoded here by hand
// (Reader, the Append functions) and sent with Copy on the connection of the
// caller's bun transaction, so the load commits or rolls back with
// everything else the caller does. Memory stays flat whatever the number of
// rows: a RowSource generates or parses each row as COPY asks for it.
//
// Loading into indexed tables costs a btree insertion per row and index (ICU
// comparisons for the text ones) and foreign-key checks per row; building
// each index once by sorting afterwards is several times faster.
// SuspendIndexes drops a table's indexes and foreign keys inside the
// transaction and returns the statements that recreate them exactly, read
// from the catalog; a failure rolls everything back, schema included.
package bulk
