package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"time"

	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/bitmap"
	"github.com/segments/segments/server/customer"
	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/segment"
)

// bitmaps measures the answers membership bitmaps give — the first
// totalCount of the union and of the intersection of 10 segments, and
// their segmentOverlap — against the same answers counted in SQL (a
// first count: no kept count to reuse), on every website and in one
// website's scope. "first" is a new instance's first answer (it loads
// the bitmaps); p50 the answers after it (the versions checked, nothing
// loaded). Segments without current bitmaps get them from a refresh first.
func (b *bench) bitmaps() error {
	ctx := b.ctx
	var ids []int64
	if err := db.Select(ctx, b.d, &ids, `SELECT id FROM segments WHERE is_active ORDER BY customer_count DESC, id LIMIT 10`); err != nil {
		return err
	}
	if len(ids) < 10 {
		return fmt.Errorf("bitmaps: the store has %d active segments; 10 are compared", len(ids))
	}
	var missing int
	// Without bitmaps, or with bitmaps of an older refresh (one run by a
	// binary without them).
	if err := db.Get(ctx, b.d, `SELECT count(*) FROM segments s WHERE s.id = ANY($1) AND (s.bitmap_version IS NULL
		OR s.bitmap_refresh_id IS DISTINCT FROM (SELECT r.id FROM segment_refreshes r WHERE r.segment_id = s.id
			ORDER BY r.finished_at DESC, r.id DESC LIMIT 1))`, []any{ids}, &missing); err != nil {
		return err
	}
	fmt.Printf("\n## Counts from bitmaps, 10 segments\n\n")
	if missing > 0 {
		start := time.Now()
		if _, err := refresher(b.d).Refresh(ctx, ids, segment.RefreshOptions{Now: time.Now(), TimeZone: "UTC"}); err != nil {
			return err
		}
		fmt.Printf("%d of them had no current bitmaps: refresh of the 10 (builds them) %s\n\n", missing, time.Since(start).Round(time.Millisecond))
	}
	type scope struct {
		label string
		ctx   context.Context
	}
	scopes := []scope{{"every website", ctx}}
	// A principal limited to one website all 10 segments have sees them
	// all and counts that website's members.
	var website int64
	err := db.Get(ctx, b.d, `SELECT website_id FROM segment_websites WHERE segment_id = ANY($1)
		GROUP BY website_id HAVING count(*) = $2 ORDER BY website_id LIMIT 1`, []any{ids, len(ids)}, &website)
	switch {
	case err == nil:
		scopes = append(scopes, scope{fmt.Sprintf("website %d's scope", website),
			auth.With(context.Background(), &auth.Principal{Kind: auth.User, ID: 1, Name: "bench", Role: auth.Analyst, Websites: []int64{website}})})
	case !errors.Is(err, sql.ErrNoRows):
		return err
	}
	fmt.Println("| answer | SQL, first count | bitmaps, first (loads them) | bitmaps, p50 | SQL / bitmaps p50 | same answer |")
	fmt.Println("| --- | ---: | ---: | ---: | ---: | --- |")
	for _, scope := range scopes {
		for _, mode := range []customer.Mode{customer.Union, customer.Intersection} {
			q := customer.Query{SegmentIDs: ids, Mode: mode}
			if err := b.compare(fmt.Sprintf("totalCount, %s of 10, %s", mode, scope.label), func(c *bitmap.Cache) (any, error) {
				if c == nil {
					// A first count: none kept.
					if _, err := b.d.Pool.Exec(ctx, `TRUNCATE segment_set_counts`); err != nil {
						return nil, err
					}
				}
				return b.lister.WithBitmaps(c).Count(scope.ctx, q)
			}); err != nil {
				return err
			}
		}
		if err := b.compare(fmt.Sprintf("segmentOverlap of 10, %s", scope.label), func(c *bitmap.Cache) (any, error) {
			return segment.NewStore(b.d).WithBitmaps(c).Overlap(scope.ctx, ids)
		}); err != nil {
			return err
		}
	}
	fmt.Println("\nSQL = the same call without bitmaps (the membership read in one statement); first = a new instance's first answer,")
	fmt.Println("loading the 10 segments' bitmaps; p50 = the answers after it, each reading the 10 versions in one statement.")
	return nil
}

// compare times answer without bitmaps (nil) and with a new cache of them,
// checks both agree and that the bitmaps answered, and prints the row.
func (b *bench) compare(label string, answer func(*bitmap.Cache) (any, error)) error {
	start := time.Now()
	want, err := answer(nil)
	if err != nil {
		return err
	}
	inSQL := time.Since(start)
	cache := bitmap.NewCache(0)
	var first time.Duration
	var times []time.Duration
	var got any
	for i := 0; i <= b.reps; i++ {
		start := time.Now()
		if got, err = answer(cache); err != nil {
			return err
		}
		if i == 0 {
			first = time.Since(start)
		} else {
			times = append(times, time.Since(start))
		}
	}
	if served := cache.Stats().Served; served != int64(b.reps+1) {
		return fmt.Errorf("%s: bitmaps answered %d of %d times", label, served, b.reps+1)
	}
	p50 := percentile(times, 50)
	fmt.Printf("| %s | %s | %s | %s | %.0fx | %v |\n", label, ms(inSQL), ms(first), ms(p50), ratio(inSQL, p50), reflect.DeepEqual(want, got))
	return nil
}
