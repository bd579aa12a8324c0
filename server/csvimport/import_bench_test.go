package csvimport_test

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/csvimport"
	"github.com/segments/segments/server/db/dbtest"
	"github.com/segments/segments/server/seed"
)

// BenchmarkImport1M writes the performance data set (1,000,000 customers,
// 5,000,000 orders: the seed's demo data) as import files under the test's
// temporary directory, then imports both into a fresh, empty database,
// and the customers once more unchanged:
//
//	DATABASE_URL=... go test ./server/csvimport -run '^$' -bench Import1M -benchtime 1x -timeout 30m
//
// IMPORT_CUSTOMERS and IMPORT_ORDERS change the sizes; IMPORT_DIR keeps the
// files in that directory instead of a temporary one, and reuses them when
// they are there (delete them after changing the sizes).
func BenchmarkImport1M(b *testing.B) {
	customers, orders := envInt(b, "IMPORT_CUSTOMERS", 1_000_000), envInt(b, "IMPORT_ORDERS", 5_000_000)
	ctx := auth.AsSystem(context.Background())
	dir := os.Getenv("IMPORT_DIR") // keep the files there, to look at or reuse
	if dir == "" {
		dir = b.TempDir()
	}
	cpath, opath := filepath.Join(dir, "customers.csv"), filepath.Join(dir, "orders.csv")
	if _, err := os.Stat(opath); err != nil || os.Getenv("IMPORT_DIR") == "" {
		writeSeedCSV(b, cpath, opath, customers, orders)
	} else {
		b.Logf("reusing %s and %s", cpath, opath)
	}
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		d := dbtest.New(b)
		b.StartTimer()

		f, err := os.Open(cpath)
		require.NoError(b, err)
		res, err := csvimport.ImportCustomers(ctx, d, f, time.UTC)
		require.NoError(b, err)
		_ = f.Close()
		require.EqualValues(b, customers, res.Inserted)
		b.ReportMetric(res.Took.Seconds(), "customers-s")
		b.Logf("customers: %d rows, %d inserted, rebuilt indexes %v, %s", res.Rows, res.Inserted, res.RebuiltIndexes, res.Took.Round(time.Millisecond))

		if orders > 0 {
			f, err = os.Open(opath)
			require.NoError(b, err)
			res, err = csvimport.ImportOrders(ctx, d, f, time.UTC)
			require.NoError(b, err)
			_ = f.Close()
			require.EqualValues(b, orders, res.Inserted)
			b.ReportMetric(res.Took.Seconds(), "orders-s")
			b.Logf("orders: %d rows, %d inserted, rebuilt indexes %v, %s", res.Rows, res.Inserted, res.RebuiltIndexes, res.Took.Round(time.Millisecond))
		}

		f, err = os.Open(cpath)
		require.NoError(b, err)
		res, err = csvimport.ImportCustomers(ctx, d, f, time.UTC)
		require.NoError(b, err)
		_ = f.Close()
		require.Zero(b, res.Inserted+res.Updated)
		b.ReportMetric(res.Took.Seconds(), "reimport-s")
		b.Logf("customers again: %d rows, nothing changed, %s", res.Rows, res.Took.Round(time.Millisecond))
	}
	// Peak memory of the whole process: flat (tens of MB) when the files
	// are reused, since the import streams them.
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		b.ReportMetric(float64(ru.Maxrss)/1024, "maxrss-MB")
	}
}

func envInt(b *testing.B, name string, def int) int {
	if v := os.Getenv(name); v != "" {
		n, err := strconv.Atoi(v)
		require.NoError(b, err, name)
		return n
	}
	return def
}

// writeSeedCSV writes the seed generator's customers and orders as import
// files.
func writeSeedCSV(b *testing.B, cpath, opath string, customers, orders int) {
	b.Helper()
	began := time.Now()
	cf, err := os.Create(cpath)
	require.NoError(b, err)
	of, err := os.Create(opath)
	require.NoError(b, err)
	cw, ow := bufio.NewWriterSize(cf, 1<<20), bufio.NewWriterSize(of, 1<<20)
	require.NoError(b, seed.WriteCSV(cw, ow, seed.Options{Customers: customers, Orders: orders, Seed: 1,
		Now: time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC), Location: time.UTC}))
	require.NoError(b, cw.Flush())
	require.NoError(b, ow.Flush())
	require.NoError(b, cf.Close())
	require.NoError(b, of.Close())
	b.Logf("wrote %d customers and %d orders in %s", customers, orders, time.Since(began).Round(time.Millisecond))
}
