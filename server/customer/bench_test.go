package customer_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/customer"
	"github.com/segments/segments/server/db/dbtest"
	"github.com/segments/segments/server/seed"
	"github.com/segments/segments/server/segment"
)

// BenchmarkEach streams every customer of the union of the demo segments in
// one snapshot, as an export reads them.
func BenchmarkEach(b *testing.B) {
	ctx := auth.AsSystem(context.Background())
	d := dbtest.New(b)
	res, err := seed.Run(ctx, d, seed.Options{Customers: 20000, Orders: 40000, Seed: 1, Now: time.Now(), Location: time.UTC})
	require.NoError(b, err)
	_, err = segment.NewRefresher(d).Refresh(ctx, res.SegmentIDs, segment.RefreshOptions{Now: time.Now(), TimeZone: "UTC"})
	require.NoError(b, err)
	l := customer.NewLister(d)
	q := customer.Query{SegmentIDs: res.SegmentIDs}
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		require.NoError(b, l.Each(ctx, d, q, func(customer.Customer) error { n++; return nil }))
		require.Positive(b, n)
	}
}
