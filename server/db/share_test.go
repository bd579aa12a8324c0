package db_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"
	"golang.org/x/sync/errgroup"

	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/db/dbtest"
)

// gate holds every statement that contains "gated" at its start until
// opened, and records how many ran at once.
type gate struct {
	open    chan struct{}
	running atomic.Int64
	most    atomic.Int64
	waiting chan struct{}
}

func (g *gate) TraceQueryStart(ctx context.Context, _ *pgx.Conn, data pgx.TraceQueryStartData) context.Context {
	if !strings.Contains(data.SQL, "gated") {
		return ctx
	}
	n := g.running.Add(1)
	for {
		m := g.most.Load()
		if n <= m || g.most.CompareAndSwap(m, n) {
			break
		}
	}
	g.waiting <- struct{}{}
	<-g.open
	return context.WithValue(ctx, gateKey{}, true)
}

type gateKey struct{}

func (g *gate) TraceQueryEnd(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryEndData) {
	if ctx.Value(gateKey{}) != nil {
		g.running.Add(-1)
	}
}

func gated(t *testing.T) (*db.DB, *gate) {
	t.Helper()
	cfg, err := pgxpool.ParseConfig(dbtest.URL(t))
	require.NoError(t, err)
	cfg.MaxConns = 20
	g := &gate{open: make(chan struct{}), waiting: make(chan struct{}, 100)}
	cfg.ConnConfig.Tracer = g
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	require.NoError(t, err)
	d := db.FromPool(pool)
	t.Cleanup(d.Close)
	return d, g
}

// TestShareBoundsConnectionsPerContext runs 12 statements at once with a
// share of 3, through each way statements run (the helpers, bun's builder,
// raw bun, transactions): at most 3 are ever running, and all finish.
func TestShareBoundsConnectionsPerContext(t *testing.T) {
	t.Parallel()
	d, g := gated(t)
	ctx := db.WithShare(context.Background(), 3)
	var eg errgroup.Group
	var finished atomic.Int64
	run := func(fn func() error) {
		eg.Go(func() error {
			defer finished.Add(1)
			return fn()
		})
	}
	for range 3 {
		run(func() error {
			var n int
			return db.Get(ctx, d, `SELECT 1 AS gated`, nil, &n)
		})
		run(func() error {
			var n []int
			return db.Select(ctx, d, &n, `SELECT 1 AS gated`)
		})
		run(func() error {
			var n int
			return d.NewSelect().ColumnExpr("1 AS gated").Scan(ctx, &n)
		})
		run(func() error {
			return d.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
				var n int
				if err := tx.NewSelect().ColumnExpr("2").Scan(ctx, &n); err != nil {
					return err
				}
				_, err := db.Exec(ctx, tx, `SELECT 1 AS gated`)
				return err
			})
		})
	}
	// Three are held, the share; the others wait for a slot. Let them
	// through one at a time: each one let go makes room for one more.
	for range 3 {
		<-g.waiting
	}
	require.Equal(t, int64(3), g.running.Load())
	for i := range 12 {
		g.open <- struct{}{}
		if i < 9 {
			<-g.waiting
		}
	}
	require.NoError(t, eg.Wait())
	require.Equal(t, int64(12), finished.Load())
	require.Equal(t, int64(3), g.most.Load(), "never more than the share at once")
}

// TestShareOfOneRunsTransactions: a transaction holds its context's only
// slot and its own statements run on it, so a share of 1 never waits for
// itself.
func TestShareOfOneRunsTransactions(t *testing.T) {
	t.Parallel()
	d := dbtest.New(t)
	ctx := db.WithShare(context.Background(), 1)
	for range 3 {
		err := d.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			var n int
			if err := tx.NewSelect().ColumnExpr("1").Scan(ctx, &n); err != nil {
				return err
			}
			if err := db.Get(ctx, tx, `SELECT 1`, nil, &n); err != nil {
				return err
			}
			return tx.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
				_, err := tx.NewRaw("SELECT 1").Exec(ctx)
				return err
			})
		})
		require.NoError(t, err)
		var n int
		require.NoError(t, db.Get(ctx, d, `SELECT 1`, nil, &n))
		require.NoError(t, d.NewSelect().ColumnExpr("1").Scan(ctx, &n))
	}
	// A failed transaction gives its slot back too.
	err := d.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		_, err := tx.NewRaw("SELECT 1/0").Exec(ctx)
		return err
	})
	require.Error(t, err)
	var n int
	require.NoError(t, db.Get(ctx, d, `SELECT 1`, nil, &n))
}
