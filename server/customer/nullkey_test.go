package customer_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/customer"
)

// Members whose phone (ZIP, country, region) an import takes away or gives
// stay in their place in the listing sorted by that column: the NULL-key
// flags a refresh wrote follow the customers (a trigger), and a flag not
// known (NULL, as a binary that predates the flags writes) still lists the
// member.
func TestMembersWithoutAValueFollowEdits(t *testing.T) {
	t.Parallel()
	d, _ := demoStore(t)
	ctx := auth.AsSystem(context.Background())
	var big []int64
	require.NoError(t, d.Pool.QueryRow(ctx,
		`SELECT array_agg(id) FROM (SELECT id FROM segments ORDER BY customer_count DESC, id LIMIT 2) s`).Scan(&big))
	for _, col := range []string{"phone", "zip", "country", "region"} {
		value := "'X" + col + "'"
		if col == "country" {
			value = "'SE'"
		}
		// Up to six members without a value gain one (the biggest segment
		// may have none), then six others lose theirs, and six rows' flags
		// become unknown.
		_, err := d.Pool.Exec(ctx, fmt.Sprintf(`UPDATE customers SET %[1]s = %[2]s WHERE id IN (
			SELECT customer_id FROM segment_customers sc JOIN customers c ON c.id = sc.customer_id
			WHERE sc.segment_id = $1 AND c.%[1]s IS NULL ORDER BY customer_id DESC LIMIT 6)`, col, value), big[0])
		require.NoError(t, err)
		tag, err := d.Pool.Exec(ctx, fmt.Sprintf(`UPDATE customers SET %[1]s = NULL WHERE id IN (
			SELECT customer_id FROM segment_customers sc JOIN customers c ON c.id = sc.customer_id
			WHERE sc.segment_id = $1 AND c.%[1]s IS NOT NULL ORDER BY customer_id LIMIT 6)`, col), big[0])
		require.NoError(t, err)
		require.EqualValues(t, 6, tag.RowsAffected(), col)
		_, err = d.Pool.Exec(ctx, fmt.Sprintf(`UPDATE segment_customers SET null_%[1]s = NULL WHERE (segment_id, customer_id) IN (
			SELECT segment_id, customer_id FROM segment_customers WHERE segment_id = $1 ORDER BY customer_id LIMIT 6 OFFSET 20)`, col), big[0])
		require.NoError(t, err)
		var stale int
		require.NoError(t, d.Pool.QueryRow(ctx, fmt.Sprintf(`SELECT count(*) FROM segment_customers sc JOIN customers c ON c.id = sc.customer_id
			WHERE sc.null_%[1]s IS DISTINCT FROM (c.%[1]s IS NULL) AND sc.null_%[1]s IS NOT NULL`, col)).Scan(&stale))
		require.Zero(t, stale, "%s: flags that disagree with the customer", col)
	}
	l := customer.NewLister(d)
	for _, set := range []struct {
		ids  []int64
		mode customer.Mode
	}{{big[:1], customer.Union}, {big, customer.Intersection}, {big, customer.Union}} {
		want := members(t, d, set.ids, set.mode)
		for _, f := range []customer.OrderField{customer.OrderPhone, customer.OrderZip, customer.OrderCountry, customer.OrderRegion} {
			for _, desc := range []bool{false, true} {
				o := customer.Order{Field: f, Desc: desc}
				q := customer.Query{SegmentIDs: set.ids, Mode: set.mode, Order: o}
				label := fmt.Sprintf("%v %s %s desc=%v", set.ids, set.mode, f, desc)
				expected := order(t, d, want, o)
				require.Equal(t, expected, walk(t, l, q, 23, false), "forwards: %s", label)
				require.Equal(t, expected, walk(t, l, q, 23, true), "backwards: %s", label)
			}
		}
	}
}
