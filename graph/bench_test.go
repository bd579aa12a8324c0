package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/segments/segments/graph"
	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/catalog"
	"github.com/segments/segments/server/change/changetest"
	"github.com/segments/segments/server/customer"
	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/db/dbtest"
	"github.com/segments/segments/server/seed"
	"github.com/segments/segments/server/segment"
)

// BenchmarkDrillDownPage posts drill-down pages (customers of the largest
// segment, by name, with its total) to the real GraphQL handler, in
// process: what a merchant's browser asks for most. Run it with
//
//	go test -run '^$' -bench DrillDown -benchmem ./graph/
func BenchmarkDrillDownPage(b *testing.B) {
	ctx := auth.AsSystem(context.Background())
	d := dbtest.New(b)
	res, err := seed.Run(ctx, d, seed.Options{Customers: 5000, Orders: 20000, Seed: 1, Now: time.Now(), Location: time.UTC})
	require.NoError(b, err)
	_, err = segment.NewRefresher(d).Refresh(ctx, res.SegmentIDs, segment.RefreshOptions{Now: time.Now(), TimeZone: "UTC"})
	require.NoError(b, err)
	var largest int64
	require.NoError(b, db.Get(ctx, d, `SELECT id FROM segments ORDER BY customer_count DESC, id LIMIT 1`, nil, &largest))

	// As serve runs it: the catalogs kept in memory.
	catalogs := catalog.NewCache(d, changetest.Listen(b, d))
	h := graph.NewHandler(&graph.Resolver{DB: d, Segments: segment.NewStore(d), Customers: customer.NewLister(d).WithCatalog(catalogs),
		Catalog: catalogs, TimeZone: "UTC", BaseCurrency: "EUR"}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	post := func(tb testing.TB, size int, after *string) []byte {
		body, _ := json.Marshal(map[string]any{
			"query": `query($ids: [ID!]!, $size: Int!, $after: String) {
				segmentCustomers(segmentIds: $ids, first: $size, after: $after, orderBy: {field: NAME}) {
					edges { cursor node { id name email group { name } phone zip country { name } region customerSince } }
					pageInfo { hasNextPage hasPreviousPage } totalCount } }`,
			"variables": map[string]any{"ids": []string{strconv.FormatInt(largest, 10)}, "size": size, "after": after},
		})
		req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req = req.WithContext(auth.AsSystem(req.Context()))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK || bytes.Contains(rec.Body.Bytes(), []byte(`"errors"`)) {
			tb.Fatalf("drill-down page failed: %d %s", rec.Code, rec.Body.String())
		}
		return rec.Body.Bytes()
	}
	var first struct {
		Data struct {
			SegmentCustomers struct {
				Edges []struct{ Cursor string }
			}
		}
	}
	require.NoError(b, json.Unmarshal(post(b, 200, nil), &first))
	deep := first.Data.SegmentCustomers.Edges[len(first.Data.SegmentCustomers.Edges)-1].Cursor

	// Pages of 10, 50 and 200 rows, first and after a cursor: allocs/row
	// stays about the same, so a page allocates in proportion to its rows
	// (plus a fixed cost per request).
	for _, size := range []int{10, 50, 200} {
		for _, at := range []struct {
			name  string
			after *string
		}{{"first", nil}, {"after", &deep}} {
			b.Run(fmt.Sprintf("%s/%d", at.name, size), func(b *testing.B) {
				b.ReportAllocs()
				var before, after runtime.MemStats
				runtime.ReadMemStats(&before)
				for b.Loop() {
					post(b, size, at.after)
				}
				runtime.ReadMemStats(&after)
				b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(b.N)/float64(size), "allocs/row")
			})
		}
	}
}
