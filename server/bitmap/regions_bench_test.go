package bitmap

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkRegions10 compares 10 segments of a million customers that
// overlap at random: every one of the 1,024 regions holds members, the
// most work Regions can have.
func BenchmarkRegions10(b *testing.B) {
	rnd := rand.New(rand.NewPCG(1, 2))
	segs := make([]*Segment, 10)
	for i := range segs {
		d := 0.05 + rnd.Float64()*0.5
		var ids []uint64
		for id := uint64(1); id <= 1_000_000; id++ {
			if rnd.Float64() < d {
				ids = append(ids, id)
			}
		}
		segs[i] = NewSegment(int64(i), 1, map[int64][]uint64{1: ids})
	}
	for b.Loop() {
		Regions(segs, nil)
	}
}
