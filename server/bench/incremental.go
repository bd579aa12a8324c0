package main

import (
	"fmt"
	"time"

	"github.com/segments/segments/server/segment"
)

// incremental measures incremental refreshes of the segments ids, each
// against full, a full refresh of the same store with nothing changed:
// with nothing changed since the last refresh, one day later with nothing
// imported (orders and signups cross the rules' day thresholds), and after
// 1% of the customers placed an order. opts is the full refresh's.
func (b *bench) incremental(ids []int64, opts segment.RefreshOptions, full time.Duration) error {
	ctx := b.ctx
	r := refresher(b.d)
	timed := func(o segment.RefreshOptions) (time.Duration, int, error) {
		start := time.Now()
		res, err := r.Refresh(ctx, ids, o)
		n := 0
		for _, x := range res {
			if x.Incremental {
				n++
			}
		}
		return time.Since(start), n, err
	}
	opts.Full = false
	same, sameN, err := timed(opts)
	if err != nil {
		return err
	}
	later := opts
	later.Now = opts.Now.Add(24 * time.Hour)
	day, dayN, err := timed(later)
	if err != nil {
		return err
	}
	// 1% of the customers place an order today; the orders are taken back
	// afterwards so the store stays as seeded.
	var customers, firstOrder int64
	if err := b.d.Pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM customers), (SELECT max(id) + 1 FROM orders)`).Scan(&customers, &firstOrder); err != nil {
		return err
	}
	tag, err := b.d.Pool.Exec(ctx, `INSERT INTO orders (id, customer_id, status, grand_total, created_at)
		SELECT $1 + row_number() OVER (), id, 'complete', 120, $2 FROM customers WHERE id % 100 = 7`, firstOrder, later.Now)
	if err != nil {
		return err
	}
	defer b.d.Pool.Exec(ctx, `DELETE FROM orders WHERE id >= $1`, firstOrder) //nolint:errcheck // best effort: the bench's own rows
	changed, changedN, err := timed(later)
	if err != nil {
		return err
	}
	fmt.Printf("\n## Incremental refresh, %d segments, %d customers\n\n", len(ids), customers)
	fmt.Println("| run | time | segments evaluated incrementally | ÷ full refresh (nothing changed) |")
	fmt.Println("| --- | ---: | ---: | ---: |")
	fmt.Printf("| full refresh, nothing changed (`full: true`) | %s | 0 of %d | 1.00 |\n", full.Round(time.Millisecond), len(ids))
	for _, row := range []struct {
		label string
		took  time.Duration
		n     int
	}{
		{"incremental, nothing changed", same, sameN},
		{"incremental, one day later, nothing imported", day, dayN},
		{fmt.Sprintf("incremental, %d customers (1%%) placed an order", tag.RowsAffected()), changed, changedN},
	} {
		fmt.Printf("| %s | %s | %d of %d | %.3f |\n", row.label, row.took.Round(time.Millisecond), row.n, len(ids), ratio(row.took, full))
	}
	return nil
}
