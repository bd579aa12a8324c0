package main

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
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
	opts.Full = false
	same, sameN, err := b.timedRefresh(ctx, r, ids, opts)
	if err != nil {
		return err
	}
	later := opts
	later.Now = opts.Now.Add(24 * time.Hour)
	dayCtx, traced := ctx, func() []timedStmt { return nil }
	if b.trace {
		dayCtx, traced = b.recorder.time(ctx)
	}
	day, dayN, err := b.timedRefresh(dayCtx, r, ids, later)
	if err != nil {
		return err
	}
	dayStmts := traced()

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
	changed, changedN, err := b.timedRefresh(ctx, r, ids, later)
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
	if b.trace {
		printTrace("incremental, one day later", day, dayStmts)
	}
	return nil
}

// timedRefresh refreshes ids and returns how long it took and how many
// segments it refreshed incrementally.
func (b *bench) timedRefresh(ctx context.Context, r *segment.Refresher, ids []int64, o segment.RefreshOptions) (time.Duration, int, error) {
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

// printTrace prints where a refresh that took took spent its time: each
// session's statement time, and the statements that took longest, alike
// ones (the same first words) together — what -trace adds.
func printTrace(label string, took time.Duration, stmts []timedStmt) {
	perSession := map[uint32]time.Duration{}
	counts := map[uint32]int{}
	type shape struct {
		key  string
		pid  uint32
		n    int
		took time.Duration
	}
	shapes := map[string]*shape{}
	for _, st := range stmts {
		perSession[st.pid] += st.took
		counts[st.pid]++
		key := strings.Join(strings.Fields(st.sql), " ")
		if len(key) > 100 {
			key = key[:100] + "…"
		}
		k := fmt.Sprint(st.pid, key)
		if shapes[k] == nil {
			shapes[k] = &shape{key: key, pid: st.pid}
		}
		shapes[k].n++
		shapes[k].took += st.took
	}
	// The run's session is the one that ran most statements.
	var run uint32
	for pid, n := range counts {
		if n > counts[run] {
			run = pid
		}
	}
	name := func(pid uint32) string {
		if pid == run {
			return "run's"
		}
		return "second"
	}
	fmt.Printf("\n### Where %s went (%s, %d statements)\n\n", label, took.Round(time.Millisecond), len(stmts))
	for _, pid := range slices.Sorted(maps.Keys(perSession)) {
		fmt.Printf("- the %s session: %d statements, %s\n", name(pid), counts[pid], perSession[pid].Round(100*time.Microsecond))
	}
	all := slices.Collect(maps.Values(shapes))
	slices.SortFunc(all, func(a, b *shape) int { return cmp.Compare(b.took, a.took) })
	fmt.Println("\n| session | statements | time | statement |")
	fmt.Println("| --- | ---: | ---: | --- |")
	for _, sh := range all[:min(15, len(all))] {
		fmt.Printf("| %s | %d | %s | `%s` |\n", name(sh.pid), sh.n, sh.took.Round(100*time.Microsecond), strings.ReplaceAll(sh.key, "|", "\\|"))
	}
}
