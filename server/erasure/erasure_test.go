package erasure_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/csvimport"
	"github.com/segments/segments/server/csvimport/csvimporttest"
	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/db/dbtest"
	"github.com/segments/segments/server/erasure"
)

const customers = "id,website,group,email,first_name,last_name,created_at\n" +
	"1,se,general,a@example.se,Åsa,Öberg,2025-03-01 09:30:00\n" +
	"2,se,wholesale,b@example.se,Björn,Berg,2025-07-01 10:00:00\n" +
	"3,dk,general,c@example.dk,Zoë,Ångström,2025-07-01 12:00:00\n" +
	"4,se,general,d@example.no,Ola,Nordmann,2025-03-01 09:30:00\n"

const orders = "id,customer_id,status,grand_total,created_at\n" +
	"100,1,complete,1234.5,2025-03-02 10:00:00\n" +
	"101,1,processing,10,2025-07-02 10:00:00\n" +
	"102,2,canceled,-10,2025-07-02 10:00:00\n" +
	"103,3,complete,99.99,2025-03-02 09:00:00\n"

func count(t *testing.T, d *db.DB, query string) int64 {
	t.Helper()
	var n int64
	require.NoError(t, db.Get(auth.AsSystem(context.Background()), d, query, nil, &n), query)
	return n
}

func dataChangedAt(t *testing.T, d *db.DB) time.Time {
	t.Helper()
	var at time.Time
	require.NoError(t, db.Get(auth.AsSystem(context.Background()), d, `SELECT data_changed_at FROM store_state`, nil, &at))
	return at
}

type problem = csvimporttest.Problem

var requireProblems = csvimporttest.RequireProblems

// storeWithMembers imports customers 1-4 with orders 100-103 (customers 1,
// 1, 2, 3) and puts customers 1 and 2 into a segment.
func storeWithMembers(t *testing.T) *db.DB {
	t.Helper()
	ctx := auth.AsSystem(context.Background())
	d := dbtest.New(t)
	_, err := csvimport.ImportCustomers(ctx, d, strings.NewReader(customers), nil)
	require.NoError(t, err)
	_, err = csvimport.ImportOrders(ctx, d, strings.NewReader(orders), nil)
	require.NoError(t, err)
	_, err = db.Exec(ctx, d, `
		WITH s AS (INSERT INTO segments (name, conditions) VALUES ('All', '{"match":"ALL","expect":true,"conditions":[]}') RETURNING id)
		INSERT INTO segment_customers (segment_id, customer_id, website_id)
		SELECT s.id, c.id, c.website_id FROM s, customers c WHERE c.id IN (1, 2)`)
	require.NoError(t, err)
	// Counted as a refresh counts: in all and per website.
	_, err = db.Exec(ctx, d, `
		WITH w AS (INSERT INTO segment_website_counts (segment_id, website_id, customer_count)
			SELECT segment_id, website_id, count(*) FROM segment_customers GROUP BY 1, 2)
		UPDATE segments SET customer_count = (SELECT count(*) FROM segment_customers)`)
	require.NoError(t, err)
	return d
}

// requireCounts checks that every segment's stored counts, in all and per
// website, are its members'.
func requireCounts(t *testing.T, d *db.DB) {
	t.Helper()
	require.Zero(t, count(t, d, `SELECT count(*) FROM segments s
		WHERE s.customer_count <> (SELECT count(*) FROM segment_customers WHERE segment_id = s.id)`), "segments' counts")
	require.Zero(t, count(t, d, `SELECT count(*) FROM segment_website_counts w
		WHERE w.customer_count <> (SELECT count(*) FROM segment_customers WHERE segment_id = w.segment_id AND website_id = w.website_id)`),
		"per-website counts")
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
			ctx := auth.AsSystem(context.Background())
			d := storeWithMembers(t)
			changed := dataChangedAt(t, d)

			res, err := erasure.Customers(ctx, d, strings.NewReader(tc.file))
			require.NoError(t, err)
			require.Equal(t, erasure.Result{Deleted: 2, Missing: []int64{99}}, res)
			require.True(t, dataChangedAt(t, d).After(changed))

			require.EqualValues(t, 2, count(t, d, `SELECT count(*) FROM customers WHERE id IN (2, 4)`))
			require.Zero(t, count(t, d, `SELECT count(*) FROM customers WHERE id IN (1, 3)`))
			require.Zero(t, count(t, d, `SELECT count(*) FROM orders WHERE customer_id IN (1, 3)`), "their orders go with them")
			require.EqualValues(t, 1, count(t, d, `SELECT count(*) FROM orders`), "the other customers' orders stay")
			require.Zero(t, count(t, d, `SELECT count(*) FROM segment_customers WHERE customer_id = 1`), "memberships go with them")
			require.EqualValues(t, 1, count(t, d, `SELECT count(*) FROM segment_customers`))
			require.EqualValues(t, 1, count(t, d, `SELECT customer_count FROM segments`), "the segment's count without them, at once")
			requireCounts(t, d)

			// Again: nothing left to delete, nothing made stale.
			changed = dataChangedAt(t, d)
			res, err = erasure.Customers(ctx, d, strings.NewReader(tc.file))
			require.NoError(t, err)
			require.Equal(t, erasure.Result{Deleted: 0, Missing: []int64{1, 3, 99}}, res)
			require.Equal(t, changed, dataChangedAt(t, d))
			requireCounts(t, d)
		})
	}
}

func TestDeleteCustomersBadFile(t *testing.T) {
	t.Parallel()
	ctx := auth.AsSystem(context.Background())
	d := storeWithMembers(t)
	changed := dataChangedAt(t, d)
	for _, tc := range []struct {
		name string
		file string
		want []problem
	}{
		{"bad ids", "1\n2\nabc\n-4\n", []problem{{Line: 3, Text: `id "abc" is not a positive whole number`}, {Line: 4, Text: `id "-4"`}}},
		{"bad first id", "0\n2\n", []problem{{Line: 1, Text: `id "0" is not a positive whole number`}}},
		{"bad id in csv", "id,email\n1,a\n,b\n2.5,c\n", []problem{{Line: 3, Text: "id is empty; it is required"}, {Line: 4, Text: `id "2.5" is not a positive whole number`}}},
		{"no id column", "customer,email\n1,a\n", []problem{{Line: 1, Text: `no "id" column`}}},
		{"empty", "", []problem{{Line: 1, Text: "the file is empty"}}},
		{"bad quoting", "id,name\n1,\"a\"b\n", []problem{{Line: 2, Text: "bad CSV quoting"}}},
		{"fields", "id,name\n1\n", []problem{{Line: 2, Text: "has 1 fields but the header has 2"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := erasure.Customers(ctx, d, strings.NewReader(tc.file))
			requireProblems(t, err, tc.want)
			require.Contains(t, err.Error(), "nothing was deleted")
			require.EqualValues(t, 4, count(t, d, `SELECT count(*) FROM customers`), "nothing deleted")
			require.Equal(t, changed, dataChangedAt(t, d))
		})
	}
}
