// Package seed fills an empty store with deterministic demo data (three
// websites, four customer groups, customers with addresses, their orders)
// and the demo segments: what `segments seed` and `make run` start from, and
// the data set of the tests and benchmarks. The same Options give the same
// rows.
//
// The generator derives every customer from (seed, id) alone and streams
// the rows straight into PostgreSQL's binary COPY format (package bulk), so
// memory stays flat whatever the size. The load runs in one transaction
// that, while the store is still empty and locked, suspends the indexes and
// foreign keys of customers and orders and rebuilds them afterwards from
// their catalog definitions: building an index once by sorting is several
// times faster than a million ICU-collated btree insertions. The orders,
// generated customer by customer, pass through a scratch table and are
// written by date, as a store that took them over time holds them. A
// failure rolls the data back, schema included.
//
// The demo segments are then created through the segment package, as a
// user would create them (segment.Manager.Create validates each rule), with
// no refresh scheduled: the caller refreshes. WriteCSV writes the same
// customers and orders as import files (formats in docs/files.md).
package seed
