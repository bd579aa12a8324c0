package segment

import (
	"context"
	"fmt"
	"math/bits"
	"slices"

	"github.com/segments/segments/server/apperr"
	"github.com/segments/segments/server/bitmap"
	"github.com/segments/segments/server/db"
)

// Bounds on the segments one overlap compares.
const (
	MinOverlapIDs = 2
	MaxOverlapIDs = 10
)

// Overlap is how the members of several segments overlap, as of each one's
// last refresh, counting only customers of the principal's websites.
type Overlap struct {
	// SegmentIDs are the segments compared, in the order asked, without
	// duplicates. Bit i of a Region's mask stands for SegmentIDs[i].
	SegmentIDs []int64
	// Union counts the customers in any of the segments; Intersection
	// those in all of them.
	Union, Intersection int64
	// Pairs holds every unordered pair, in the order of SegmentIDs.
	Pairs []PairOverlap
	// Regions holds every non-empty Venn region by ascending mask.
	Regions []Region
}

// PairOverlap is how two segments overlap.
type PairOverlap struct {
	SegmentIDs          [2]int64
	Intersection, Union int64
}

// Region is one Venn region: the customers in exactly the segments In (and
// in none of Out).
type Region struct {
	In, Out []int64
	Count   int64
}

// Overlap compares the members of 2 to 10 segments ctx's principal sees
// (duplicates dropped). Membership is grouped by the set of segments each
// customer is in (see regions); everything else is derived from those few
// groups. A scoped principal counts only customers of its websites, by the
// website the refresh saw (as the drill-down's totalCount does).
func (s *Store) Overlap(ctx context.Context, ids []int64) (Overlap, error) {
	var order []int64
	for _, id := range ids {
		if !slices.Contains(order, id) {
			order = append(order, id)
		}
	}
	if len(order) < MinOverlapIDs || len(order) > MaxOverlapIDs {
		return Overlap{}, apperr.Invalid("segmentIds names %d distinct segments; compare %d to %d", len(order), MinOverlapIDs, MaxOverlapIDs)
	}
	if _, err := CheckIDs(ctx, s.db, order); err != nil {
		return Overlap{}, err
	}
	rows, err := s.regions(ctx, order)
	if err != nil {
		return Overlap{}, fmt.Errorf("segment overlap: %w", err)
	}
	o := Overlap{SegmentIDs: order}
	all := uint64(1)<<len(order) - 1
	for _, r := range rows {
		mask := r.Mask
		o.Union += r.Count
		if mask == all {
			o.Intersection += r.Count
		}
		reg := Region{In: []int64{}, Out: []int64{}, Count: r.Count}
		for i, id := range order {
			if mask&(1<<i) != 0 {
				reg.In = append(reg.In, id)
			} else {
				reg.Out = append(reg.Out, id)
			}
		}
		o.Regions = append(o.Regions, reg)
	}
	for i := range order {
		for j := i + 1; j < len(order); j++ {
			p := PairOverlap{SegmentIDs: [2]int64{order[i], order[j]}}
			for _, r := range rows {
				mask := r.Mask
				if bits.OnesCount64(mask&(1<<i|1<<j)) == 2 {
					p.Intersection += r.Count
				}
				if mask&(1<<i|1<<j) != 0 {
					p.Union += r.Count
				}
			}
			o.Pairs = append(o.Pairs, p)
		}
	}
	return o, nil
}

// WithBitmaps returns a copy of s that answers overlaps from the bitmaps
// c keeps (the server's cache, shared with the drill-down's counts); nil
// answers them in SQL.
func (s *Store) WithBitmaps(c *bitmap.Cache) *Store {
	out := *s
	out.bitmaps = c
	return &out
}

// regions groups the members of the segments order by the set of segments
// each customer is in (bit i of a mask for order[i]), for ctx's scope: from
// the segments' bitmaps when each has them (package bitmap: set operations
// in memory, after one statement reading their versions), else in one
// statement over the membership key.
func (s *Store) regions(ctx context.Context, order []int64) ([]bitmap.Region, error) {
	// On the primary, as the statement below reads.
	segs, ok, _, err := s.bitmaps.Get(ctx, db.Reader{DB: s.db}, order)
	if err != nil {
		return nil, err
	}
	if ok {
		return bitmap.Regions(segs, ScopeKey(ctx)), nil
	}
	var a db.Args
	where := ""
	if in := inScope(ctx, "sc.website_id", &a); in != "" {
		where = " AND " + in
	}
	// Bit i (from 0) is the segment at position i+1 of the array.
	var rows []struct {
		Mask  int64 `bun:"mask"`
		Count int64 `bun:"n"`
	}
	if err := db.Select(ctx, s.db, &rows, `SELECT m.mask, count(*) AS n FROM (
			SELECT sc.customer_id, bit_or(1::bigint << (x.i - 1)::integer) AS mask
			FROM unnest(`+a.Add(order)+`::bigint[]) WITH ORDINALITY AS x(id, i)
			JOIN segment_customers sc ON sc.segment_id = x.id`+where+`
			GROUP BY sc.customer_id) m
		GROUP BY m.mask ORDER BY m.mask`, a.Values()...); err != nil {
		return nil, err
	}
	out := make([]bitmap.Region, len(rows))
	for i, r := range rows {
		out[i] = bitmap.Region{Mask: uint64(r.Mask), Count: r.Count}
	}
	return out, nil
}
