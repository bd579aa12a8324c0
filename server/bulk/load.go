package bulk

import (
	"context"
	"fmt"
	"io"

	"github.com/jackc/pgx/v5/stdlib"
	"github.com/uptrace/bun"

	"github.com/segments/segments/server/db"
)

// Copy runs copySQL (a COPY ... FROM STDIN) on conn, reading the data from
// r, and returns the number of rows copied. It speaks to pgx directly (COPY
// has no database/sql form), on the same connection, so it runs inside a
// transaction begun with conn.BeginTx.
func Copy(ctx context.Context, conn bun.Conn, copySQL string, r io.Reader) (int64, error) {
	var n int64
	err := conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("bulk: COPY needs a pgx connection, not %T", dc)
		}
		tag, err := c.Conn().PgConn().CopyFrom(ctx, r, copySQL)
		n = tag.RowsAffected()
		return err
	})
	return n, err
}

// Restore holds the statements that recreate what SuspendIndexes dropped,
// in an order that works.
type Restore []string

// Run recreates the indexes and constraints in tx.
func (r Restore) Run(ctx context.Context, tx bun.Tx) error {
	for _, stmt := range r {
		if _, err := db.Exec(ctx, tx, stmt); err != nil {
			return fmt.Errorf("rebuild index or constraint (%s): %w", stmt, err)
		}
	}
	return nil
}

// SuspendIndexes drops every index of tables (primary keys and unique
// constraints included) and every foreign key from or to them, in tx, and
// returns what recreates them exactly as they were: same names, definitions
// and comments, read from the catalog. Restoring runs in the order that
// works: constraints with an index, other indexes, foreign keys. The caller
// holds locks that keep everyone else off the tables until it commits.
func SuspendIndexes(ctx context.Context, tx bun.Tx, tables []string) (Restore, error) {
	type ddl struct {
		Step    int64   `bun:"step"`
		Ord     int64   `bun:"ord"`
		Drop    string  `bun:"drop"`
		Create  string  `bun:"create"`
		Comment *string `bun:"comment"` // NULL when there is no comment
	}
	var ddls []ddl
	if err := db.Select(ctx, tx, &ddls, suspendSQL, tables); err != nil {
		return nil, fmt.Errorf("read index definitions: %w", err)
	}
	// Drop foreign keys first (they depend on the primary keys); recreate
	// in the opposite order.
	for _, x := range ddls {
		if _, err := db.Exec(ctx, tx, x.Drop); err != nil {
			return nil, fmt.Errorf("%s: %w", x.Drop, err)
		}
	}
	var restore Restore
	for _, step := range []int64{2, 3, 1} {
		for _, x := range ddls {
			if x.Step != step {
				continue
			}
			restore = append(restore, x.Create)
			if x.Comment != nil {
				restore = append(restore, *x.Comment)
			}
		}
	}
	return restore, nil
}

const suspendSQL = `
	WITH t AS (SELECT unnest($1::regclass[]) AS rel)
	-- step 1: foreign keys from or to the tables
	SELECT 1 AS step, c.oid::bigint AS ord,
	       format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::regclass, c.conname) AS drop,
	       format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.conrelid::regclass, c.conname, pg_get_constraintdef(c.oid)) AS create,
	       CASE WHEN d.description IS NOT NULL THEN
	         format('COMMENT ON CONSTRAINT %I ON %s IS %L', c.conname, c.conrelid::regclass, d.description) END AS comment
	  FROM pg_constraint c
	  LEFT JOIN pg_description d ON d.classoid = 'pg_constraint'::regclass AND d.objoid = c.oid AND d.objsubid = 0
	 WHERE c.contype = 'f' AND (c.conrelid IN (SELECT rel FROM t) OR c.confrelid IN (SELECT rel FROM t))
	UNION ALL
	-- step 2: primary key, unique and exclusion constraints
	SELECT 2, c.oid::bigint,
	       format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::regclass, c.conname),
	       format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.conrelid::regclass, c.conname, pg_get_constraintdef(c.oid)),
	       CASE WHEN d.description IS NOT NULL THEN
	         format('COMMENT ON CONSTRAINT %I ON %s IS %L', c.conname, c.conrelid::regclass, d.description) END
	  FROM pg_constraint c
	  LEFT JOIN pg_description d ON d.classoid = 'pg_constraint'::regclass AND d.objoid = c.oid AND d.objsubid = 0
	 WHERE c.contype IN ('p', 'u', 'x') AND c.conrelid IN (SELECT rel FROM t)
	UNION ALL
	-- step 3: other indexes
	SELECT 3, i.indexrelid::bigint,
	       format('DROP INDEX %s', i.indexrelid::regclass),
	       pg_get_indexdef(i.indexrelid),
	       CASE WHEN d.description IS NOT NULL THEN
	         format('COMMENT ON INDEX %s IS %L', i.indexrelid::regclass, d.description) END
	  FROM pg_index i
	  LEFT JOIN pg_description d ON d.classoid = 'pg_class'::regclass AND d.objoid = i.indexrelid AND d.objsubid = 0
	 WHERE i.indrelid IN (SELECT rel FROM t)
	   AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid)
	 ORDER BY 1, 2`
