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

// fill sets each segment's Websites from one read of the catalog, so the
// API resolves them as a plain field, without a goroutine per row.
// WebsiteIDs are already those of ctx's scope.
func (s *Store) fill(ctx context.Context, segs []Segment) error {
	if len(segs) == 0 {
		return nil
	}
	ws, err := s.catalog.Websites(ctx)
	if err != nil {
		return err
	}
	for i := range segs {
		sg := &segs[i]
		sg.Websites = make([]*catalog.Website, len(sg.WebsiteIDs))
		for j, id := range sg.WebsiteIDs {
			// A miss is a website created after the kept catalog was
			// read: the cache reads it again (once) to find it.
			if sg.Websites[j] = ws.Get(id); sg.Websites[j] == nil {
				if sg.Websites[j], err = s.catalog.Website(ctx, id); err != nil {
					return err
				}
			}
		}
	}
	return nil
}
