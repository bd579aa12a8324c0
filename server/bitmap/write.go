package bitmap

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/RoaringBitmap/roaring/v2/roaring64"
	"github.com/uptrace/bun"

	"github.com/segments/segments/server/db"
)

// Change is one customer's change of membership in a segment: the website
// it left (From) and the one it joined (To), by the website its membership
// row names; 0 for none. A customer who moved website leaves one and joins
// the other.
type Change struct {
	CustomerID int64
	From, To   int64
}

// Apply applies changes to segmentID's bitmaps in tx, the transaction that
// makes them to its membership, and gives the bitmaps a new version. It
// writes only the websites the changes touch, and nothing without changes.
// A segment without bitmaps yet is left so: it is counted in SQL until a
// refresh builds them (Refreshed).
func Apply(ctx context.Context, tx bun.Tx, segmentID int64, changes []Change) error {
	_, err := apply(ctx, tx, segmentID, changes)
	return err
}

// apply is Apply; it returns how many members the bitmaps hold after the
// changes (-1 when nothing was applied).
func apply(ctx context.Context, tx bun.Tx, segmentID int64, changes []Change) (int64, error) {
	if len(changes) == 0 {
		return -1, nil
	}
	// The new version first: the row lock it takes orders two writers of
	// one segment's bitmaps.
	if err := db.Get(ctx, tx, `UPDATE segments SET bitmap_version = nextval('segment_bitmap_versions')
		WHERE id = $1 AND bitmap_version IS NOT NULL RETURNING bitmap_version`, []any{segmentID}, new(int64)); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return -1, nil
		}
		return 0, fmt.Errorf("segment %d bitmaps: %w", segmentID, err)
	}
	touched := map[int64]bool{}
	for _, c := range changes {
		touched[c.From], touched[c.To] = true, true
	}
	delete(touched, 0)
	sets := make(map[int64]*roaring64.Bitmap, len(touched))
	for w := range touched {
		sets[w] = roaring64.New()
	}
	// Every website's, for the total; only those touched are written.
	var total int64
	err := db.Rows(ctx, tx, `SELECT website_id, bitmap FROM segment_bitmaps WHERE segment_id = $1`,
		[]any{segmentID}, func(rows *sql.Rows) error {
			for rows.Next() {
				var w int64
				var data []byte
				if err := rows.Scan(&w, &data); err != nil {
					return err
				}
				b := sets[w]
				if b == nil {
					b = roaring64.New()
				}
				if err := b.UnmarshalBinary(data); err != nil {
					return fmt.Errorf("website %d: %w", w, err)
				}
				if !touched[w] {
					total += int64(b.GetCardinality())
				}
			}
			return nil
		})
	if err != nil {
		return 0, fmt.Errorf("segment %d bitmaps: read: %w", segmentID, err)
	}
	// Every departure before any arrival: a customer who left one website
	// for another is then on the new one whatever the order of changes.
	for _, c := range changes {
		if c.From != 0 {
			sets[c.From].Remove(uint64(c.CustomerID))
		}
	}
	for _, c := range changes {
		if c.To != 0 {
			sets[c.To].Add(uint64(c.CustomerID))
		}
	}
	for _, b := range sets {
		total += int64(b.GetCardinality())
	}
	if err := write(ctx, tx, segmentID, sets); err != nil {
		return 0, fmt.Errorf("segment %d bitmaps: %w", segmentID, err)
	}
	return total, nil
}

// write stores sets, a segment's bitmaps of some websites: the empty ones
// are deleted (a website without members has no row).
func write(ctx context.Context, tx bun.Tx, segmentID int64, sets map[int64]*roaring64.Bitmap) error {
	var keep, drop []int64
	var data [][]byte
	for _, w := range slices.Sorted(maps.Keys(sets)) {
		b := sets[w]
		if b.IsEmpty() {
			drop = append(drop, w)
			continue
		}
		// Runs of consecutive ids (common: ids are handed out in order)
		// take a few bytes each.
		b.RunOptimize()
		bytes, err := b.ToBytes()
		if err != nil {
			return err
		}
		keep, data = append(keep, w), append(data, bytes)
	}
	if len(drop) > 0 {
		if _, err := db.Exec(ctx, tx, `DELETE FROM segment_bitmaps WHERE segment_id = $1 AND website_id = ANY($2)`, segmentID, drop); err != nil {
			return err
		}
	}
	if len(keep) > 0 {
		if _, err := db.Exec(ctx, tx, `INSERT INTO segment_bitmaps (segment_id, website_id, bitmap)
			SELECT $1, * FROM unnest($2::bigint[], $3::bytea[])
			ON CONFLICT (segment_id, website_id) DO UPDATE SET bitmap = EXCLUDED.bitmap`, segmentID, keep, data); err != nil {
			return err
		}
	}
	return nil
}

// latestRefresh and previousRefresh are the ids of segment s's latest
// refresh and the one before it (SQL over a row s with its id), in the
// order they were recorded: bitmaps hold the membership of one refresh.
const (
	latestRefresh   = `(SELECT r.id FROM segment_refreshes r WHERE r.segment_id = s.id ORDER BY r.finished_at DESC, r.id DESC LIMIT 1)`
	previousRefresh = `(SELECT r.id FROM segment_refreshes r WHERE r.segment_id = s.id ORDER BY r.finished_at DESC, r.id DESC OFFSET 1 LIMIT 1)`
)

// Refreshed brings segmentID's bitmaps to the membership a refresh has
// just written and recorded (its segment_refreshes row) in tx. diff names
// the refresh's table of changes (columns customer_id, website_id: the
// website joined, was_website_id: the one left, NULL for none), or is ""
// when the segment had no members before and every member was added.
//
// The bitmaps take the changes when they hold the membership of the
// segment's previous refresh; otherwise (none yet, or a refresh by a
// binary that knows nothing of bitmaps came between), or when the result
// disagrees with the segment's count, they are built again from the
// membership rows (Build). Either way they are marked as this refresh's.
func Refreshed(ctx context.Context, tx bun.Tx, segmentID int64, diff string) error {
	var version, held, latest, previous *int64
	var count int64
	if err := db.Get(ctx, tx, `SELECT s.bitmap_version, s.bitmap_refresh_id, s.customer_count, `+latestRefresh+`, `+previousRefresh+`
		FROM segments s WHERE s.id = $1`, []any{segmentID}, &version, &held, &count, &latest, &previous); err != nil {
		return fmt.Errorf("segment %d bitmaps: %w", segmentID, err)
	}
	if version != nil && diff != "" && held != nil && previous != nil && *held == *previous {
		// Three columns of ids, each packed into one bytea (see ids): a
		// refresh that changed a million members reads them in one row.
		var customers, from, to []byte
		if err := db.Rows(ctx, tx, `SELECT `+packed("customer_id")+`, `+packed("COALESCE(was_website_id, 0)")+`, `+
			packed("COALESCE(website_id, 0)")+` FROM `+diff, nil, func(rows *sql.Rows) error {
			rows.Next()
			return rows.Scan(&customers, &from, &to)
		}); err != nil {
			return fmt.Errorf("segment %d bitmaps: read changes: %w", segmentID, err)
		}
		c, f, t := ids(customers), ids(from), ids(to)
		changes := make([]Change, len(c))
		for i := range c {
			changes[i] = Change{CustomerID: c[i], From: f[i], To: t[i]}
		}
		total, err := apply(ctx, tx, segmentID, changes)
		if err != nil {
			// Bitmaps that cannot be read are built again rather than
			// blocking every refresh of the segment.
			if berr := build(ctx, tx, segmentID, latest); berr != nil {
				return errors.Join(err, berr)
			}
			return nil
		}
		if total < 0 || total == count {
			_, err := db.Exec(ctx, tx, `UPDATE segments SET bitmap_refresh_id = $2 WHERE id = $1`, segmentID, latest)
			return err
		}
	}
	return build(ctx, tx, segmentID, latest)
}

// Build writes segmentID's bitmaps afresh from its membership rows
// (segment_customers, as tx sees them) and gives them a new version,
// marked as holding the membership of the segment's latest refresh.
func Build(ctx context.Context, tx bun.Tx, segmentID int64) error {
	var latest *int64
	if err := db.Get(ctx, tx, `SELECT `+latestRefresh+` FROM (SELECT $1::bigint AS id) s`, []any{segmentID}, &latest); err != nil {
		return fmt.Errorf("segment %d bitmaps: %w", segmentID, err)
	}
	return build(ctx, tx, segmentID, latest)
}

func build(ctx context.Context, tx bun.Tx, segmentID int64, refreshID *int64) error {
	sets := map[int64]*roaring64.Bitmap{}
	err := db.Rows(ctx, tx, `SELECT website_id, `+packed("customer_id")+`
		FROM segment_customers WHERE segment_id = $1 GROUP BY website_id`, []any{segmentID}, func(rows *sql.Rows) error {
		for rows.Next() {
			var w int64
			var data []byte
			if err := rows.Scan(&w, &data); err != nil {
				return err
			}
			b := roaring64.New()
			// In the membership key's order as a rule (no ORDER BY: the
			// sort cost more than AddMany saves with it).
			b.AddMany(decode[uint64](data))
			sets[w] = b
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("segment %d bitmaps: read members: %w", segmentID, err)
	}
	if _, err := db.Exec(ctx, tx, `DELETE FROM segment_bitmaps WHERE segment_id = $1`, segmentID); err != nil {
		return fmt.Errorf("segment %d bitmaps: %w", segmentID, err)
	}
	if _, err := db.Exec(ctx, tx, `UPDATE segments SET bitmap_version = nextval('segment_bitmap_versions'), bitmap_refresh_id = $2
		WHERE id = $1`, segmentID, refreshID); err != nil {
		return fmt.Errorf("segment %d bitmaps: %w", segmentID, err)
	}
	if err := write(ctx, tx, segmentID, sets); err != nil {
		return fmt.Errorf("segment %d bitmaps: %w", segmentID, err)
	}
	return nil
}

// Erased takes customers out of every segment's bitmaps, in tx, the
// transaction that deletes them, before it does (their membership rows
// say where they were). customers is a query selecting their ids, as
// column id.
func Erased(ctx context.Context, tx bun.Tx, customers string) error {
	type gone struct {
		SegmentID int64  `bun:"segment_id"`
		Customers []byte `bun:"customers"`
		Websites  []byte `bun:"websites"`
	}
	var segs []gone
	if err := db.Select(ctx, tx, &segs, `SELECT sc.segment_id, `+packed("sc.customer_id")+` AS customers, `+packed("sc.website_id")+` AS websites
		FROM segment_customers sc JOIN segments s ON s.id = sc.segment_id AND s.bitmap_version IS NOT NULL
		WHERE sc.customer_id IN (`+customers+`) GROUP BY sc.segment_id ORDER BY sc.segment_id`); err != nil {
		return fmt.Errorf("erased members' bitmaps: %w", err)
	}
	for _, g := range segs {
		c, w := ids(g.Customers), ids(g.Websites)
		changes := make([]Change, len(c))
		for i := range c {
			changes[i] = Change{CustomerID: c[i], From: w[i]}
		}
		if err := Apply(ctx, tx, g.SegmentID, changes); err != nil {
			return err
		}
	}
	return nil
}

// packed is the aggregate of a bigint expression's values as one bytea of
// 8-byte big-endian integers (int8send), empty without rows: read in one
// piece and decoded with ids, instead of a row or an array element of
// text per value.
func packed(expr string) string {
	return `COALESCE(string_agg(int8send(` + expr + `), ''::bytea), ''::bytea)`
}

// ids decodes packed.
func ids(b []byte) []int64 { return decode[int64](b) }

func decode[T int64 | uint64](b []byte) []T {
	out := make([]T, len(b)/8)
	for i := range out {
		out[i] = T(binary.BigEndian.Uint64(b[8*i:]))
	}
	return out
}

// Unchanged marks the bitmaps of segmentIDs, whose refreshes have just
// been recorded in tx without changing their membership, as those
// refreshes': in one statement for the segments whose bitmaps hold the
// membership of their previous refresh (as Refreshed does with no
// changes), built again (Build) for the others.
func Unchanged(ctx context.Context, tx bun.Tx, segmentIDs []int64) error {
	var marked []int64
	if err := db.Select(ctx, tx, &marked, `WITH r AS (
			SELECT s.id, `+latestRefresh+` AS latest, `+previousRefresh+` AS previous
			FROM segments s WHERE s.id = ANY($1))
		UPDATE segments s SET bitmap_refresh_id = r.latest FROM r
		WHERE s.id = r.id AND s.bitmap_version IS NOT NULL AND s.bitmap_refresh_id = r.previous
		RETURNING s.id`, segmentIDs); err != nil {
		return fmt.Errorf("bitmaps: %w", err)
	}
	for _, id := range segmentIDs {
		if !slices.Contains(marked, id) {
			if err := Build(ctx, tx, id); err != nil {
				return err
			}
		}
	}
	return nil
}
