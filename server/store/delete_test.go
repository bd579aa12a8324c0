package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/db/dbtest"
	"github.com/segments/segments/server/store"
)

// storeWithMembers imports customers 1-4 with orders 100-103 (customers 1,
// 1, 2, 3) and puts customers 1 and 2 into a segment.
func storeWithMembers(t *testing.T) *db.DB {
	t.Helper()
	ctx := context.Background()
	d := dbtest.New(t)
	loc := stockholm(t)
	_, err := store.ImportCustomers(ctx, d, strings.NewReader(goodCustomers), loc)
	require.NoError(t, err)
	_, err = store.ImportOrders(ctx, d, strings.NewReader(goodOrders), loc)
	require.NoError(t, err)
	_, err = d.Pool.Exec(ctx, `
		WITH s AS (INSERT INTO segments (name, conditions) VALUES ('All', '{"match":"ALL","expect":true,"conditions":[]}') RETURNING id)
		INSERT INTO segment_customers (segment_id, customer_id, website_id)
		SELECT s.id, c.id, c.website_id FROM s, customers c WHERE c.id IN (1, 2)`)
	require.NoError(t, err)
	return d
}

func TestDeleteCustomers(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, file string }{
		{"csv with header", "\ufeffemail,ID,name\nx@example.se,1,A\ny@example.se,99,B\nz@example.se,3,C\nx@example.se,1,A\n"},
		{"one id per line", "1\n99\n 3 \n\n1\n"},
		{"semicolons", "ID;Name;Email\n1;Åsa Öberg;x@example.se\n99;B;y\n3;C;z\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			d := storeWithMembers(t)
			changed := dataChangedAt(t, d)

			res, err := store.DeleteCustomers(ctx, d, strings.NewReader(tc.file))
			require.NoError(t, err)
			require.Equal(t, store.DeleteResult{Deleted: 2, Missing: []int64{99}}, res)
			require.True(t, dataChangedAt(t, d).After(changed))

			require.EqualValues(t, 2, count(t, d, `SELECT count(*) FROM customers WHERE id IN (2, 4)`))
			require.Zero(t, count(t, d, `SELECT count(*) FROM customers WHERE id IN (1, 3)`))
			require.Zero(t, count(t, d, `SELECT count(*) FROM orders WHERE customer_id IN (1, 3)`), "their orders go with them")
			require.EqualValues(t, 1, count(t, d, `SELECT count(*) FROM orders`), "the other customers' orders stay")
			require.Zero(t, count(t, d, `SELECT count(*) FROM segment_customers WHERE customer_id = 1`), "memberships go with them")
			require.EqualValues(t, 1, count(t, d, `SELECT count(*) FROM segment_customers`))

			// Again: nothing left to delete, nothing made stale.
			changed = dataChangedAt(t, d)
			res, err = store.DeleteCustomers(ctx, d, strings.NewReader(tc.file))
			require.NoError(t, err)
			require.Equal(t, store.DeleteResult{Deleted: 0, Missing: []int64{1, 3, 99}}, res)
			require.Equal(t, changed, dataChangedAt(t, d))
		})
	}
}

func TestDeleteCustomersBadFile(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := storeWithMembers(t)
	changed := dataChangedAt(t, d)
	for _, tc := range []struct {
		name string
		file string
		want []problem
	}{
		{"bad ids", "1\n2\nabc\n-4\n", []problem{{3, `id "abc" is not a positive whole number`}, {4, `id "-4"`}}},
		{"bad first id", "0\n2\n", []problem{{1, `id "0" is not a positive whole number`}}},
		{"bad id in csv", "id,email\n1,a\n,b\n2.5,c\n", []problem{{3, "id is empty; it is required"}, {4, `id "2.5" is not a positive whole number`}}},
		{"no id column", "customer,email\n1,a\n", []problem{{1, `no "id" column`}}},
		{"empty", "", []problem{{1, "the file is empty"}}},
		{"bad quoting", "id,name\n1,\"a\"b\n", []problem{{2, "bad CSV quoting"}}},
		{"fields", "id,name\n1\n", []problem{{2, "has 1 fields but the header has 2"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := store.DeleteCustomers(ctx, d, strings.NewReader(tc.file))
			requireProblems(t, err, tc.want)
			require.Contains(t, err.Error(), "nothing was deleted")
			require.EqualValues(t, 4, count(t, d, `SELECT count(*) FROM customers`), "nothing deleted")
			require.Equal(t, changed, dataChangedAt(t, d))
		})
	}
}
