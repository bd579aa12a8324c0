package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
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

// BenchmarkDrillDownPage posts one drill-down page (50 customers of the
// largest segment, by name, with its total) to the real GraphQL handler,
// in process: what a merchant's browser asks for most. Run it with
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
	post := func(tb testing.TB, after *string) []byte {
		body, _ := json.Marshal(map[string]any{
			"query": `query($ids: [ID!]!, $after: String) {
				segmentCustomers(segmentIds: $ids, first: 50, after: $after, orderBy: {field: NAME}) {
					edges { cursor node { id name email group { name } phone zip country { name } region customerSince } }
					pageInfo { hasNextPage hasPreviousPage } totalCount } }`,
			"variables": map[string]any{"ids": []string{strconv.FormatInt(largest, 10)}, "after": after},
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
	require.NoError(b, json.Unmarshal(post(b, nil), &first))
	deep := first.Data.SegmentCustomers.Edges[len(first.Data.SegmentCustomers.Edges)-1].Cursor

	b.Run("first", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			post(b, nil)
		}
	})
	b.Run("after", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			post(b, &deep)
		}
	})
}
