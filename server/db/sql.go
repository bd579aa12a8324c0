package db

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"github.com/uptrace/bun"
)

// Args collects the bind parameters of a hand-built statement. Add returns
// the placeholder ($1, $2, ...) standing for a value in the SQL text, so the
// text never depends on values: PostgreSQL caches one plan per text, and
// values can never be read as SQL.
//
// bun's own query builder and NewRaw write values into the SQL text, which is
// right for ordinary reads and writes but not for the report's statements
// (compiled rules, keyset pages, union and intersection): those are built
// with Args and run with [Select], [Get], [Rows], [Exec] or [Query].
type Args struct {
	values []any
}

// Add appends v and returns its placeholder.
func (a *Args) Add(v any) string {
	a.values = append(a.values, v)
	return "$" + strconv.Itoa(len(a.values))
}

// Values returns the parameters in placeholder order.
func (a *Args) Values() []any { return a.values }

// Stmt is one hand-built SQL statement with its bind parameters.
type Stmt struct {
	SQL  string
	Args []any
}

// conn returns the database/sql handle under idb (the database, a
// connection or a transaction), whose methods pass parameters to PostgreSQL
// as they are. bun's handles would format them into the text.
func conn(idb bun.IDB) bun.IConn {
	switch v := idb.(type) {
	case *DB:
		return v.DB.DB
	case *bun.DB:
		return v.DB
	case bun.Tx:
		return v.Tx
	case *bun.Tx:
		return v.Tx
	case bun.Conn:
		return v.Conn
	case *bun.Conn:
		return v.Conn
	}
	panic(fmt.Sprintf("db: unsupported handle %T", idb))
}

// take waits for a slot of ctx's share for a statement on the database
// itself; one in a transaction or on a connection runs on what that holds.
func take(ctx context.Context, idb bun.IDB) (func(), error) {
	switch idb.(type) {
	case *DB, *bun.DB:
		return acquire(ctx)
	}
	return func() {}, nil
}

// Query runs a statement with bind parameters on idb and returns its rows,
// for a caller that streams them (an export reads millions) inside a
// transaction, which holds its context's share. Close them.
func Query(ctx context.Context, idb bun.IDB, query string, args ...any) (*sql.Rows, error) {
	return conn(idb).QueryContext(ctx, query, args...)
}

// Select runs a statement with bind parameters on idb and scans every row
// into dest with bun's scanner: a pointer to a slice of bun models or of
// scalars, or one pointer per column of a single row.
func Select(ctx context.Context, idb bun.IDB, dest any, query string, args ...any) error {
	return Rows(ctx, idb, query, args, func(rows *sql.Rows) error {
		return idb.NewSelect().DB().ScanRows(ctx, rows, dest)
	})
}

// Get runs a statement with bind parameters on idb and scans its first row
// into dest (a bun model, or one pointer per column). It returns
// sql.ErrNoRows when there is no row.
func Get(ctx context.Context, idb bun.IDB, query string, args []any, dest ...any) error {
	return Rows(ctx, idb, query, args, func(rows *sql.Rows) error {
		if !rows.Next() {
			if err := rows.Err(); err != nil {
				return err
			}
			return sql.ErrNoRows
		}
		return idb.NewSelect().DB().ScanRow(ctx, rows, dest...)
	})
}

// Rows runs a statement with bind parameters on idb, counted against ctx's
// share as [Select] and [Get] are (they read through it), and hands its
// rows to fn, for a caller that must look at a row before bun's scanner
// does (page.One); Rows closes them.
func Rows(ctx context.Context, idb bun.IDB, query string, args []any, fn func(*sql.Rows) error) error {
	release, err := take(ctx, idb)
	if err != nil {
		return err
	}
	defer release()
	rows, err := conn(idb).QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	if err := fn(rows); err != nil {
		return err
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return rows.Close()
}

// Exec runs a statement with bind parameters on idb and returns how many
// rows it affected.
func Exec(ctx context.Context, idb bun.IDB, query string, args ...any) (int64, error) {
	release, err := take(ctx, idb)
	if err != nil {
		return 0, err
	}
	defer release()
	res, err := conn(idb).ExecContext(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
