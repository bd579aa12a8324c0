package graph

import (
	"context"
	"net/http"
	"time"

	"github.com/vikstrous/dataloadgen"

	"github.com/segments/segments/server/segment"
	"github.com/segments/segments/server/store"
)

// loaders batch the lookups that would otherwise run once per row: a page of
// 200 customers asks for its groups and websites in one query each.
type loaders struct {
	website         *dataloadgen.Loader[int64, *store.Website]
	group           *dataloadgen.Loader[int64, *store.CustomerGroup]
	segmentWebsites *dataloadgen.Loader[int64, []int64]
	segment         *dataloadgen.Loader[int64, *segment.Segment]
	history         *dataloadgen.Loader[historyKey, []segment.Refresh]
}

// historyKey asks for a segment's last n refreshes.
type historyKey struct {
	segmentID int64
	n         int
}

type loadersKey struct{}

func (r *Resolver) newLoaders() *loaders {
	wait := dataloadgen.WithWait(time.Millisecond)
	return &loaders{
		website: dataloadgen.NewMappedLoader(func(ctx context.Context, ids []int64) (map[int64]*store.Website, error) {
			ws, err := store.WebsitesByID(ctx, r.DB, ids)
			return byID(ws, func(w store.Website) int64 { return w.ID }), err
		}, wait),
		group: dataloadgen.NewMappedLoader(func(ctx context.Context, ids []int64) (map[int64]*store.CustomerGroup, error) {
			gs, err := store.CustomerGroupsByID(ctx, r.DB, ids)
			return byID(gs, func(g store.CustomerGroup) int64 { return g.ID }), err
		}, wait),
		segmentWebsites: dataloadgen.NewMappedLoader(func(ctx context.Context, ids []int64) (map[int64][]int64, error) {
			m, err := r.Segments.WebsiteIDs(ctx, ids)
			if err != nil {
				return nil, err
			}
			for _, id := range ids {
				if _, ok := m[id]; !ok {
					m[id] = []int64{}
				}
			}
			return m, nil
		}, wait),
		segment: dataloadgen.NewMappedLoader(func(ctx context.Context, ids []int64) (map[int64]*segment.Segment, error) {
			segs, err := r.Segments.Get(ctx, ids)
			m := byID(segs, func(s segment.Segment) int64 { return s.ID })
			for _, id := range ids {
				if _, ok := m[id]; !ok {
					m[id] = nil // not found is an answer, not an error
				}
			}
			return m, err
		}, wait),
		history: dataloadgen.NewMappedLoader(func(ctx context.Context, keys []historyKey) (map[historyKey][]segment.Refresh, error) {
			byN := map[int][]int64{}
			for _, k := range keys {
				byN[k.n] = append(byN[k.n], k.segmentID)
			}
			out := make(map[historyKey][]segment.Refresh, len(keys))
			for n, ids := range byN {
				h, err := r.Segments.History(ctx, ids, n)
				if err != nil {
					return nil, err
				}
				for _, id := range ids {
					out[historyKey{id, n}] = h[id]
				}
			}
			return out, nil
		}, wait),
	}
}

func byID[T any](items []T, id func(T) int64) map[int64]*T {
	m := make(map[int64]*T, len(items))
	for i := range items {
		m[id(items[i])] = &items[i]
	}
	return m
}

// withLoaders gives each request its own loaders, so nothing is cached
// across requests.
func (r *Resolver) withLoaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		ctx := context.WithValue(req.Context(), loadersKey{}, r.newLoaders())
		next.ServeHTTP(w, req.WithContext(ctx))
	})
}

func loadersFor(ctx context.Context) *loaders {
	return ctx.Value(loadersKey{}).(*loaders)
}
