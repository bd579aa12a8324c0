package customer

import (
	"context"
	"slices"

	"github.com/segments/segments/server/bitmap"
	"github.com/segments/segments/server/db"
)

// WithBitmaps returns a copy of l that counts from the bitmaps c keeps
// (the server's cache, shared with segmentOverlap); nil counts in SQL.
func (l *Lister) WithBitmaps(c *bitmap.Cache) *Lister {
	out := *l
	out.bitmaps = c
	return &out
}

// bitmapCount counts q from its segments' bitmaps (package bitmap) when
// membership alone answers it (see memberWebsites) and every segment,
// listed or excluded, has them; ok is false otherwise, and the count is
// SQL's. The bitmaps' versions are read as a report read (db.DB.Read): on
// the replica only when it has replayed every change this instance knows
// of, so a bitmap answer is never older than the SQL one would be.
func (l *Lister) bitmapCount(ctx context.Context, q Query) (n int64, ok bool, err error) {
	websites, members := q.memberWebsites()
	if !members || l.bitmaps == nil {
		return 0, false, nil
	}
	ids := append(slices.Clone(q.SegmentIDs), q.Exclude...)
	var segs []*bitmap.Segment
	err = l.db.Read(ctx, func(r db.Reader) (bool, error) {
		var stale bool
		var err error
		segs, ok, stale, err = l.bitmaps.Get(ctx, r, ids)
		return stale, err
	})
	if err != nil || !ok {
		return 0, false, err
	}
	listed := len(q.SegmentIDs)
	return bitmap.Count(segs[:listed], q.Mode == Intersection, segs[listed:], websites), true, nil
}

// memberWebsites says whether membership alone answers q's count — it
// filters on no customer column but the website — and, if so, the
// websites whose members it counts, by the website each member had when
// its segment was refreshed: the scope's, narrowed by the website filter
// (nil: every website; empty: none). The excluded segments' members are
// left out whatever their website.
func (q Query) memberWebsites() (websites []int64, ok bool) {
	f := q.Filter
	f.WebsiteIDs = nil
	if !f.empty() {
		return nil, false
	}
	websites = q.scope
	if len(q.Filter.WebsiteIDs) > 0 {
		if websites == nil {
			return q.Filter.WebsiteIDs, true
		}
		websites = slices.DeleteFunc(slices.Clone(websites), func(w int64) bool {
			return !slices.Contains(q.Filter.WebsiteIDs, w)
		})
	}
	return websites, true
}
