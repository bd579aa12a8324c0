package db_test

import (
	"context"
	"database/sql"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun/dialect/pgdialect"

	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/db/dbtest"
)

type probeRow struct {
	ID    int64      `bun:"id"`
	Name  *string    `bun:"name"`
	IDs   []int64    `bun:"ids,array"`
	Vals  []string   `bun:"vals,array"`
	Since time.Time  `bun:"since"`
	Maybe *time.Time `bun:"maybe"`
}

func TestStatementsKeepValuesOutOfTheText(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := dbtest.New(t)

	var a db.Args
	q := `SELECT g AS id, CASE WHEN g = 2 THEN NULL ELSE ` + a.Add("it's ") + ` || g END AS name,
		ARRAY[g, g * 10]::bigint[] AS ids, ARRAY[g::text, 'a,"b"'] AS vals,
		` + a.Add(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)) + `::timestamptz AS since, NULL::timestamptz AS maybe
		FROM generate_series(1, ` + a.Add(3) + `) g ORDER BY g`
	require.Equal(t, []any{"it's ", time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), 3}, a.Values())
	require.NotContains(t, q, "it's")

	var rows []probeRow
	require.NoError(t, db.Select(ctx, d, &rows, q, a.Values()...))
	require.Len(t, rows, 3)
	require.Equal(t, "it's 1", *rows[0].Name)
	require.Nil(t, rows[1].Name)
	require.Equal(t, []int64{3, 30}, rows[2].IDs)
	require.Equal(t, []string{"1", `a,"b"`}, rows[0].Vals)
	require.True(t, rows[0].Since.Equal(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)))
	require.Nil(t, rows[0].Maybe)

	// Scalars, one row, inside a transaction.
	tx, err := d.BeginTx(ctx, nil)
	require.NoError(t, err)
	defer tx.Rollback() //nolint:errcheck
	var n int64
	var ids []int64
	require.NoError(t, db.Get(ctx, tx, `SELECT $1::bigint + 1, ARRAY[1, 2]::bigint[]`, []any{41}, &n, pgdialect.Array(&ids)))
	require.Equal(t, int64(42), n)
	require.Equal(t, []int64{1, 2}, ids)
	require.ErrorIs(t, db.Get(ctx, tx, `SELECT 1 WHERE false`, nil, &n), sql.ErrNoRows)

	var list []int64
	require.NoError(t, db.Select(ctx, tx, &list, `SELECT g FROM generate_series(1, $1) g`, 4))
	require.Equal(t, []int64{1, 2, 3, 4}, list)

	_, err = db.Exec(ctx, tx, `CREATE TEMP TABLE probe (id bigint, tags bigint[])`)
	require.NoError(t, err)
	affected, err := db.Exec(ctx, tx, `INSERT INTO probe SELECT g, $2 FROM generate_series(1, $1) g`, 5, []int64{7, 8})
	require.NoError(t, err)
	require.Equal(t, int64(5), affected)
}

// TestStatementsArePreparedOncePerConnection runs one statement with
// different values many times on a one-connection pool: PostgreSQL prepares
// it once on that connection (pgx's statement cache), so later runs skip
// parsing and planning from scratch.
func TestStatementsArePreparedOncePerConnection(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d, err := db.Open(ctx, dbtest.URL(t)+"&pool_max_conns=1")
	require.NoError(t, err)
	t.Cleanup(d.Close)
	d.SQL().SetMaxIdleConns(1)

	const q = `SELECT g FROM generate_series(1, $1::int) g WHERE g > $2::int /* prepared once */`
	for i := range 20 {
		var got []int64
		require.NoError(t, db.Select(ctx, d, &got, q, 30, i))
		require.Len(t, got, 30-i)
	}
	var prepared int
	require.NoError(t, db.Get(ctx, d, `SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%prepared once */'`, nil, &prepared))
	require.Equal(t, 1, prepared)
}

// Rows hands the caller the rows to read itself, and passes its error on.
func TestRowsHandsTheRowsToTheCaller(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := dbtest.New(t)
	var got []int64
	err := db.Rows(ctx, d, `SELECT g FROM generate_series(1, $1::int) g ORDER BY g`, []any{3}, func(rows *sql.Rows) error {
		for rows.Next() {
			var n int64
			if err := rows.Scan(&n); err != nil {
				return err
			}
			got = append(got, n)
		}
		return nil
	})
	require.NoError(t, err)
	require.Equal(t, []int64{1, 2, 3}, got)

	stop := errors.New("stop")
	require.ErrorIs(t, db.Rows(ctx, d, `SELECT 1`, nil, func(*sql.Rows) error { return stop }), stop)
	require.Error(t, db.Rows(ctx, d, `SELECT 1/0`, nil, func(*sql.Rows) error { return nil }),
		"the statement's error, whatever the caller read")
}
