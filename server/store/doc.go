// Package store moves store data (websites, customer groups, customers and
// their orders) in and out of the database, and reads the catalogs
// (websites, customer groups).
//
// Seed fills an empty store with deterministic demo data and the demo
// segments. It streams generated rows straight into PostgreSQL's binary
// COPY format (memory stays flat whatever the size) inside one transaction
// that, while the store is still empty and locked, suspends the indexes and
// foreign keys of customers and orders and rebuilds them afterwards from
// their catalog definitions: building an index once by sorting is several
// times faster than a million ICU-collated btree insertions. A failure
// rolls everything back, schema included.
package store
