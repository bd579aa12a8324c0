package seed_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/db/dbtest"
	"github.com/segments/segments/server/seed"
)

// BenchmarkSeed1M loads the performance data set (1,000,000 customers,
// 5,000,000 orders) into a fresh database, once:
//
//	DATABASE_URL=... go test ./server/seed -run '^$' -bench Seed1M -benchtime 1x -timeout 30m
func BenchmarkSeed1M(b *testing.B) {
	benchmarkSeed(b, 1_000_000, 5_000_000)
}

// BenchmarkSeedDefault loads the `make run` data set (10,000 customers,
// 50,000 orders).
func BenchmarkSeedDefault(b *testing.B) {
	benchmarkSeed(b, seed.DefaultCustomers, seed.DefaultOrders)
}

func benchmarkSeed(b *testing.B, customers, orders int) {
	ctx := auth.AsSystem(context.Background())
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		d := dbtest.New(b)
		b.StartTimer()
		res, err := seed.Run(ctx, d, seed.Options{Customers: customers, Orders: orders, Seed: 1,
			Now: time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)})
		require.NoError(b, err)
		b.ReportMetric(res.CustomersTime.Seconds(), "customers-s")
		b.ReportMetric(res.OrdersTime.Seconds(), "orders-s")
		b.ReportMetric(res.IndexTime.Seconds(), "index-s")
		b.ReportMetric(float64(res.Customers+res.Orders)/res.Elapsed.Seconds(), "rows/s")
	}
}
