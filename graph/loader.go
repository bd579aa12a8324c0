package graph

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/vikstrous/dataloadgen"

	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/catalog"
	"github.com/segments/segments/server/segment"
)

// loaders batch the lookups that would otherwise run once per row: the
// segments and refresh histories a request's rows point at, one query
// each.
//
// Websites and customer groups are small catalogs (a handful of rows) that
// the server keeps in memory (Resolver.Catalog): a request looks them up
// there, without a statement.
type loaders struct {
	// start is when the request began: one "now" for everything it answers.
	start   time.Time
	catalog *catalog.Cache
	segment *dataloadgen.Loader[int64, *segment.Segment]
	history *dataloadgen.Loader[historyKey, []segment.Refresh]
}

// historyKey asks for a segment's last n refreshes.
type historyKey struct {
	segmentID int64
	n         int
}

type loadersKey struct{}

// newLoaders returns the loaders of one request; ctx is the request's.
func (r *Resolver) newLoaders(ctx context.Context) *loaders {
	wait := dataloadgen.WithWait(time.Millisecond)
	return &loaders{
		start:   time.Now(),
		catalog: r.catalog(),
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
		ctx := context.WithValue(req.Context(), loadersKey{}, r.newLoaders(req.Context()))
		next.ServeHTTP(w, req.WithContext(ctx))
	})
}

func loadersFor(ctx context.Context) *loaders {
	return ctx.Value(loadersKey{}).(*loaders)
}

// websites returns the websites of ids, in order, each of ctx's scope.
func (l *loaders) websites(ctx context.Context, ids []int64) ([]*catalog.Website, error) {
	ws, err := l.catalog.WebsitesByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	scope := auth.ScopeOf(ctx)
	for _, id := range ids {
		if !scope.Has(id) {
			return nil, fmt.Errorf("website %d is missing", id)
		}
	}
	return ws, nil
}
