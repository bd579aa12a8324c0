package segment

import (
	"context"

	"github.com/segments/segments/server/catalog"
)

// WithCatalog returns a copy of s that takes each segment's websites from
// c (the server's cache) instead of reading the catalog for each read.
func (s *Store) WithCatalog(c *catalog.Cache) *Store {
	out := *s
	out.catalog = c
	return &out
}

// fill sets each segment's Websites from the catalog, one lookup for the
// whole list, so the API resolves them as a plain field, without a
// goroutine per row. WebsiteIDs are already those of ctx's scope.
func (s *Store) fill(ctx context.Context, segs []Segment) error {
	if len(segs) == 0 {
		return nil
	}
	var ids []int64
	for i := range segs {
		ids = append(ids, segs[i].WebsiteIDs...)
	}
	ws, err := s.catalog.WebsitesByID(ctx, ids)
	if err != nil {
		return err
	}
	for i := range segs {
		n := len(segs[i].WebsiteIDs)
		segs[i].Websites, ws = ws[:n:n], ws[n:]
	}
	return nil
}
