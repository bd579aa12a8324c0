package bitmap

import (
	"cmp"
	"maps"
	"slices"

	"github.com/RoaringBitmap/roaring/v2/roaring64"
)

// Segment is one segment's membership as loaded: a bitmap of customer ids
// per website (the website each member had when it was counted, as
// segment_customers.website_id). What the Cache hands out is shared by
// every reader: read it, never change it.
type Segment struct {
	// ID is the segment's id; Version the bitmap version loaded.
	ID, Version int64

	websites map[int64]*roaring64.Bitmap
	// all is every member, on whichever website (the one bitmap itself
	// when the segment has members on one website only).
	all *roaring64.Bitmap
	// usable is false when the bitmaps disagree with the segment's stored
	// count: they are not trusted, and the segment is counted in SQL.
	usable bool
	// size is roughly what the bitmaps take in memory, in bytes.
	size uint64
}

func newSegment(id, version int64, websites map[int64]*roaring64.Bitmap) *Segment {
	s := &Segment{ID: id, Version: version, websites: websites, usable: true}
	all := make([]*roaring64.Bitmap, 0, len(websites))
	for _, w := range slices.Sorted(maps.Keys(websites)) {
		all = append(all, websites[w])
		s.size += websites[w].GetSizeInBytes()
	}
	switch len(all) {
	case 0:
		s.all = roaring64.New()
	case 1:
		s.all = all[0]
	default:
		s.all = roaring64.FastOr(all...)
		s.size += s.all.GetSizeInBytes()
	}
	return s
}

// Cardinality is how many members the segment has, on every website.
func (s *Segment) Cardinality() int64 { return int64(s.all.GetCardinality()) }

// Members returns the segment's members on websites: every member when
// websites is nil, none when it is empty. The result may be shared: read
// it, never change it.
func (s *Segment) Members(websites []int64) *roaring64.Bitmap {
	if websites == nil {
		return s.all
	}
	var in []*roaring64.Bitmap
	for w, b := range s.websites {
		if slices.Contains(websites, w) {
			in = append(in, b)
		}
	}
	switch {
	case len(in) == len(s.websites):
		return s.all
	case len(in) == 1:
		return in[0]
	}
	return roaring64.FastOr(in...)
}

// Count is how many customers are members of include on websites (nil:
// every website) — of any of them, or with intersect of every one — and
// of none of exclude, on whichever website: the drill-down's totalCount of
// segments combined without filters other than websites, as its SQL counts
// them (package customer).
func Count(include []*Segment, intersect bool, exclude []*Segment, websites []int64) int64 {
	sets := make([]*roaring64.Bitmap, len(include))
	for i, s := range include {
		sets[i] = s.Members(websites)
	}
	var base *roaring64.Bitmap
	switch {
	case len(sets) == 0:
		return 0
	case len(sets) == 1:
		base = sets[0]
	case len(sets) == 2 && len(exclude) == 0 && intersect:
		return int64(sets[0].AndCardinality(sets[1]))
	case len(sets) == 2 && len(exclude) == 0:
		return int64(sets[0].OrCardinality(sets[1]))
	case intersect:
		// Smallest first: each step can only shrink the answer.
		slices.SortFunc(sets, func(a, b *roaring64.Bitmap) int {
			return cmp.Compare(a.GetCardinality(), b.GetCardinality())
		})
		base = roaring64.FastAnd(sets...)
	default:
		base = roaring64.FastOr(sets...)
	}
	n := base.GetCardinality()
	if len(exclude) == 0 {
		return int64(n)
	}
	out := make([]*roaring64.Bitmap, len(exclude))
	for i, s := range exclude {
		out[i] = s.all
	}
	var gone *roaring64.Bitmap
	if len(out) == 1 {
		gone = out[0]
	} else {
		gone = roaring64.FastOr(out...)
	}
	return int64(n - base.AndCardinality(gone))
}

// Region is one Venn region of segments compared: the customers in exactly
// the segments whose bits Mask sets (bit i for the i-th segment).
type Region struct {
	Mask  uint64
	Count int64
}

// Regions returns the non-empty Venn regions of segs (at most 64) on
// websites (nil: every website), by ascending mask: the union split by
// each segment in turn into its members and the rest, so the work grows
// with the regions that exist, not with the 2^n that could.
func Regions(segs []*Segment, websites []int64) []Region {
	if len(segs) == 0 {
		return nil
	}
	sets := make([]*roaring64.Bitmap, len(segs))
	for i, s := range segs {
		sets[i] = s.Members(websites)
	}
	type part struct {
		mask uint64
		set  *roaring64.Bitmap
	}
	// FastOr copies even one bitmap: every part is the function's own.
	parts := []part{{0, roaring64.FastOr(sets...)}}
	for i, s := range sets {
		next := make([]part, 0, 2*len(parts))
		for _, p := range parts {
			in := roaring64.And(p.set, s)
			p.set.AndNot(s)
			if !in.IsEmpty() {
				next = append(next, part{p.mask | 1<<i, in})
			}
			if !p.set.IsEmpty() {
				next = append(next, p)
			}
		}
		parts = next
	}
	out := make([]Region, len(parts))
	for i, p := range parts {
		out[i] = Region{Mask: p.mask, Count: int64(p.set.GetCardinality())}
	}
	slices.SortFunc(out, func(a, b Region) int { return cmp.Compare(a.Mask, b.Mask) })
	return out
}
