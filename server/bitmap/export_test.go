package bitmap

import "github.com/RoaringBitmap/roaring/v2/roaring64"

// NewSegment makes a segment's bitmaps of member ids by website, for
// tests of the set operations.
func NewSegment(id, version int64, members map[int64][]uint64) *Segment {
	sets := map[int64]set{}
	for w, ids := range members {
		data, err := roaring64.BitmapOf(ids...).ToBytes()
		if err != nil {
			panic(err)
		}
		if sets[w], err = parse(data); err != nil {
			panic(err)
		}
	}
	return newSegment(id, version, sets)
}

// MemberIDs returns the segment's members on websites (nil: every
// website), ascending.
func (s *Segment) MemberIDs(websites []int64) []uint64 {
	var out []uint64
	for _, c := range s.members(websites) {
		for _, id := range c.bits.ToArray() {
			out = append(out, uint64(c.key)<<32|uint64(id))
		}
	}
	return out
}
