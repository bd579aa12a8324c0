// Package db owns the connection pool, the embedded SQL migrations and the
// test-database helper.
//
// One pgxpool serves everything: bun runs over it through pgx's database/sql
// adapter, and code that needs COPY or pgx directly borrows from the same pool.
package db
