package bitmap

import "github.com/RoaringBitmap/roaring/v2/roaring64"

// NewSegment makes a segment's bitmaps of member ids by website, for
// tests of the set operations.
func NewSegment(id, version int64, members map[int64][]uint64) *Segment {
	sets := map[int64]*roaring64.Bitmap{}
	for w, ids := range members {
		sets[w] = roaring64.BitmapOf(ids...)
	}
	return newSegment(id, version, sets)
}
