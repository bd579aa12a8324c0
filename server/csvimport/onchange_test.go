package csvimport_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/csvimport"
	"github.com/segments/segments/server/db/dbtest"
)

// TestOnChange checks when an import calls its OnChange hooks: in its
// transaction, once it changed something, so that what they write commits
// with the change and their failure undoes it.
func TestOnChange(t *testing.T) {
	t.Parallel()
	ctx := auth.AsSystem(context.Background())
	d := dbtest.New(t)
	storeCodes(t, d)
	_, err := d.Pool.Exec(ctx, `CREATE TABLE hook_calls (n int)`)
	require.NoError(t, err)
	calls := 0
	hook := func(ctx context.Context, tx bun.Tx) error {
		calls++
		_, err := tx.ExecContext(ctx, `INSERT INTO hook_calls VALUES (1)`)
		return err
	}
	loc := stockholm(t)

	_, err = csvimport.ImportCustomers(ctx, d, strings.NewReader(goodCustomers), loc, hook)
	require.NoError(t, err)
	require.Equal(t, 1, calls)
	require.EqualValues(t, 1, count(t, d, `SELECT count(*) FROM hook_calls`), "what the hook wrote committed with the import")

	_, err = csvimport.ImportCustomers(ctx, d, strings.NewReader(goodCustomers), loc, hook)
	require.NoError(t, err)
	require.Equal(t, 1, calls, "an import that changes nothing does not call it")

	_, err = csvimport.ImportOrders(ctx, d, strings.NewReader("id,customer_id,status,grand_total,created_at\n1,999,complete,1,2025-01-01 00:00:00\n"), loc, hook)
	var ie *csvimport.Error
	require.ErrorAs(t, err, &ie)
	require.Equal(t, 1, calls, "a failed import does not call it")

	failing := func(context.Context, bun.Tx) error { return errors.New("no queue today") }
	_, err = csvimport.ImportOrders(ctx, d, strings.NewReader("id,customer_id,status,grand_total,created_at\n1,1,complete,1,2025-01-01 00:00:00\n"), loc, hook, failing)
	require.ErrorContains(t, err, "no queue today")
	require.Zero(t, count(t, d, `SELECT count(*) FROM orders`), "a failing hook undoes the import")
	require.EqualValues(t, 1, count(t, d, `SELECT count(*) FROM hook_calls`), "and what the hooks wrote")
}
