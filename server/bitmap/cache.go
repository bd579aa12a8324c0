package bitmap

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"

	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/segments/segments/server/db"
)

// DefaultBudget is how many bytes of bitmaps a Cache keeps at most: at a
// million customers a segment takes from a few kilobytes to about 150 KB
// (twice that when its members are on several websites), so hundreds of
// segments fit.
const DefaultBudget = 256 << 20

// Cache keeps the bitmaps this instance has loaded, per segment with its
// version, the least recently used going first beyond its byte budget.
// It does not trust itself: every Get reads the current versions of the
// segments asked for, in one statement, and loads again only those that
// moved, so an instance that missed a refresh (or a notification) never
// answers from old bitmaps. A nil *Cache keeps nothing and answers
// nothing: every count goes to SQL.
type Cache struct {
	budget uint64

	mu    sync.Mutex
	segs  *lru.Cache[int64, *Segment]
	bytes uint64

	served, loaded atomic.Int64
}

// NewCache returns an empty cache of at most budget bytes (DefaultBudget
// when 0).
func NewCache(budget uint64) *Cache {
	if budget == 0 {
		budget = DefaultBudget
	}
	c := &Cache{budget: budget}
	// The byte budget bounds it; the count only sizes the LRU's map.
	c.segs, _ = lru.NewWithEvict(1<<16, func(_ int64, s *Segment) { c.bytes -= s.size })
	return c
}

// Stats are what a Cache did since it was made.
type Stats struct {
	// Served counts the Gets answered from bitmaps; Loaded the segments
	// loaded from the database (first use, or a new version).
	Served, Loaded int64
}

// Stats returns what c did (zero for a nil c).
func (c *Cache) Stats() Stats {
	if c == nil {
		return Stats{}
	}
	return Stats{Served: c.served.Load(), Loaded: c.loaded.Load()}
}

// Get returns the bitmaps of the segments ids, in that order, each at the
// version r's database has now, loading those it does not keep at that
// version. ok is false when any of them has no usable bitmaps (not
// refreshed since bitmaps exist, or gone): the caller counts in SQL.
// stale is true when r is a read replica that has not replayed what this
// instance knows of (db.Reader.Fresh), as db.DB.Read's function reports
// it: the read goes to the primary.
func (c *Cache) Get(ctx context.Context, r db.Reader, ids []int64) (segs []*Segment, ok, stale bool, err error) {
	if c == nil || len(ids) == 0 {
		return nil, false, false, nil
	}
	var a db.Args
	var versions []struct {
		ID      int64  `bun:"id"`
		Version *int64 `bun:"bitmap_version"`
		Current bool   `bun:"current"`
	}
	// current: the bitmaps hold the membership of the segment's latest
	// refresh (a refresh by a binary that knows nothing of bitmaps left
	// them behind otherwise).
	if err := db.Select(ctx, r.DB, &versions, `SELECT s.id, s.bitmap_version,
			s.bitmap_refresh_id IS NOT DISTINCT FROM (SELECT r.id FROM segment_refreshes r WHERE r.segment_id = s.id
				ORDER BY r.finished_at DESC, r.id DESC LIMIT 1) AS current
		FROM segments s WHERE s.id = ANY(`+a.Add(ids)+`) AND `+r.Fresh(&a), a.Values()...); err != nil {
		return nil, false, false, fmt.Errorf("bitmap versions: %w", err)
	}
	if len(versions) == 0 && r.Replica() {
		return nil, false, true, nil
	}
	if len(versions) < len(ids) {
		return nil, false, false, nil
	}
	segs = make([]*Segment, len(ids))
	var load []int64
	c.mu.Lock()
	for _, v := range versions {
		if v.Version == nil || !v.Current {
			c.mu.Unlock()
			return nil, false, false, nil
		}
		s, kept := c.segs.Get(v.ID)
		// Equal, not at least: a database restored from a backup may
		// number versions again.
		if kept && s.Version == *v.Version {
			segs[slices.Index(ids, v.ID)] = s
		} else {
			load = append(load, v.ID)
		}
	}
	c.mu.Unlock()
	if len(load) > 0 {
		loaded, err := c.load(ctx, r, load)
		if err != nil {
			return nil, false, false, err
		}
		for _, s := range loaded {
			segs[slices.Index(ids, s.ID)] = s
		}
	}
	for _, s := range segs {
		if s == nil || !s.usable {
			return nil, false, false, nil
		}
	}
	c.served.Add(1)
	return segs, true, false, nil
}

// load reads the bitmaps of ids through r, in one statement (so each
// segment's bitmaps and version are of one snapshot, at least as new as
// the versions Get read), and keeps them.
func (c *Cache) load(ctx context.Context, r db.Reader, ids []int64) ([]*Segment, error) {
	type loading struct {
		version *int64
		count   int64
		sets    map[int64]set
	}
	got := map[int64]*loading{}
	var a db.Args
	err := db.Rows(ctx, r.DB, `SELECT s.id, s.bitmap_version, s.customer_count, b.website_id, b.bitmap
		FROM segments s LEFT JOIN segment_bitmaps b ON b.segment_id = s.id
		WHERE s.id = ANY(`+a.Add(ids)+`) AND `+r.Fresh(&a), a.Values(), func(rows *sql.Rows) error {
		for rows.Next() {
			var id, count int64
			var version, website *int64
			var data []byte
			if err := rows.Scan(&id, &version, &count, &website, &data); err != nil {
				return err
			}
			l := got[id]
			if l == nil {
				l = &loading{version: version, count: count, sets: map[int64]set{}}
				got[id] = l
			}
			if website == nil {
				continue
			}
			b, err := parse(data)
			if err != nil {
				return fmt.Errorf("segment %d website %d: %w", id, *website, err)
			}
			l.sets[*website] = b
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load bitmaps: %w", err)
	}
	var out []*Segment
	c.mu.Lock()
	defer c.mu.Unlock()
	for id, l := range got {
		if l.version == nil {
			continue // its bitmaps were dropped since: counted in SQL
		}
		s := newSegment(id, *l.version, l.sets)
		// A writer of membership that left the bitmaps behind would show
		// here first: then they are not trusted (until a new version).
		s.usable = s.Cardinality() == l.count
		c.loaded.Add(1)
		out = append(out, s)
		c.segs.Remove(id) // (an Add over it would not say what it evicted)
		c.segs.Add(id, s)
		c.bytes += s.size
		for c.bytes > c.budget && c.segs.Len() > 1 {
			c.segs.RemoveOldest()
		}
	}
	return out, nil
}
