package store

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/db/dbtest"
)

// BenchmarkImport1M writes the performance data set (1,000,000 customers,
// 5,000,000 orders: the seed's demo data) as import files under the test's
// temporary directory, then imports both into a fresh, empty database,
// and the customers once more unchanged:
//
//	DATABASE_URL=... go test ./server/store -run '^$' -bench Import1M -benchtime 1x -timeout 30m
//
// IMPORT_CUSTOMERS and IMPORT_ORDERS change the sizes; IMPORT_DIR keeps the
// files in that directory instead of a temporary one, and reuses them when
// they are there (delete them after changing the sizes).
func BenchmarkImport1M(b *testing.B) {
	customers, orders := envInt(b, "IMPORT_CUSTOMERS", 1_000_000), envInt(b, "IMPORT_ORDERS", 5_000_000)
	ctx := context.Background()
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
		res, err := ImportCustomers(ctx, d, f, time.UTC)
		require.NoError(b, err)
		_ = f.Close()
		require.EqualValues(b, customers, res.Inserted)
		b.ReportMetric(res.Took.Seconds(), "customers-s")
		b.Logf("customers: %d rows, %d inserted, rebuilt indexes %v, %s", res.Rows, res.Inserted, res.RebuiltIndexes, res.Took.Round(time.Millisecond))

		if orders > 0 {
			f, err = os.Open(opath)
			require.NoError(b, err)
			res, err = ImportOrders(ctx, d, f, time.UTC)
			require.NoError(b, err)
			_ = f.Close()
			require.EqualValues(b, orders, res.Inserted)
			b.ReportMetric(res.Took.Seconds(), "orders-s")
			b.Logf("orders: %d rows, %d inserted, rebuilt indexes %v, %s", res.Rows, res.Inserted, res.RebuiltIndexes, res.Took.Round(time.Millisecond))
		}

		f, err = os.Open(cpath)
		require.NoError(b, err)
		res, err = ImportCustomers(ctx, d, f, time.UTC)
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
// files, streaming: half the customers' times in RFC 3339, half in the
// store-time format.
func writeSeedCSV(b *testing.B, cpath, opath string, customers, orders int) {
	b.Helper()
	began := time.Now()
	opts := SeedOptions{Customers: customers, Orders: orders, Seed: 1, Now: time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC), Location: time.UTC}
	// The generator picks ids from these lists; indexes stand in for ids
	// so the rows can be written with codes.
	webs, groups := make([]int64, len(seedWebsites)), make([]int64, len(seedGroups))
	for i := range webs {
		webs[i] = int64(i)
	}
	for i := range groups {
		groups[i] = int64(i)
	}
	write := func(path string, header []string, rows func(w *csv.Writer)) {
		f, err := os.Create(path)
		require.NoError(b, err)
		bw := bufio.NewWriterSize(f, 1<<20)
		w := csv.NewWriter(bw)
		require.NoError(b, w.Write(header))
		rows(w)
		w.Flush()
		require.NoError(b, w.Error())
		require.NoError(b, bw.Flush())
		require.NoError(b, f.Close())
	}
	g := newSeedGen(opts, webs, groups)
	write(cpath, []string{"id", "website", "group", "email", "first_name", "last_name", "phone", "zip", "country", "region", "city", "created_at"}, func(w *csv.Writer) {
		rec := make([]string, 12)
		for id := int64(1); id <= int64(customers); id++ {
			c := g.customer(id)
			at := time.Unix(c.createdAt, 0).UTC()
			created := at.Format(time.RFC3339)
			if id%2 == 0 {
				created = at.Format(time.DateTime)
			}
			rec[0], rec[1], rec[2], rec[3] = strconv.FormatInt(id, 10), seedWebsites[c.websiteID].code, seedGroups[c.groupID].code, c.email
			rec[4], rec[5], rec[6], rec[7], rec[8], rec[9], rec[10], rec[11] = c.firstName, c.lastName, c.phone, c.zip, c.country, c.region, c.city, created
			require.NoError(b, w.Write(rec))
		}
	})
	if orders > 0 {
		src := newOrderRows(newSeedGen(opts, webs, groups), uint64(orders))
		write(opath, []string{"id", "customer_id", "status", "grand_total", "created_at"}, func(w *csv.Writer) {
			rec := make([]string, 5)
			for o := src.next(); o != nil; o = src.next() {
				rec[0], rec[1], rec[2] = strconv.FormatInt(o.id, 10), strconv.FormatInt(o.customerID, 10), o.status
				rec[3] = fmt.Sprintf("%d.%02d", o.cents/100, o.cents%100)
				rec[4] = time.Unix(o.createdAt, 0).UTC().Format(time.DateTime)
				require.NoError(b, w.Write(rec))
			}
		})
	}
	b.Logf("wrote %d customers and %d orders in %s", customers, orders, time.Since(began).Round(time.Millisecond))
}
