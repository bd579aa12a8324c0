package segment

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"github.com/segments/segments/server/apperr"
	"github.com/segments/segments/server/bitmap"
	"github.com/segments/segments/server/catalog"
	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/rule"
)

// MaxIDs is the most segment ids a read (a drill-down, an export) may name.
const MaxIDs = 100

// MaxMassIDs is the most segment ids a mass change (Delete, SetStatus,
// Refresh) may name: the grid's Select All over a filtered list.
const MaxMassIDs = 1_000

// Status says whether the schedule and a refresh of every segment include a
// segment: the report's Status column.
type Status string

// A segment's statuses.
const (
	StatusActive   Status = "ACTIVE"
	StatusInactive Status = "INACTIVE"
)

// Status is the segment's Status column, from Active.
func (s *Segment) Status() Status {
	if s.Active {
		return StatusActive
	}
	return StatusInactive
}

// Segment is a named rule over the store's customers and its last refresh:
// a row of segments, with its websites and staleness as reads compute them.
type Segment struct {
	bun.BaseModel `bun:"table:segments,alias:s"`

	ID            int64      `bun:"id,pk,autoincrement"`
	Name          string     `bun:"name"`
	Description   *string    `bun:"description"`
	Active        bool       `bun:"is_active"`
	Conditions    rule.Group `bun:"conditions,type:jsonb"`
	RuleVersion   int64      `bun:"rule_version,nullzero,default:1"`
	CreatedAt     time.Time  `bun:"created_at,nullzero,default:now()"`
	UpdatedAt     time.Time  `bun:"updated_at,nullzero,default:now()"`
	RefreshedAt   *time.Time `bun:"refreshed_at"`
	CustomerCount int64      `bun:"customer_count"`
	// WebsiteIDs are the segment's websites, ordered by website code.
	WebsiteIDs []int64 `bun:"website_ids,array,scanonly"`
	// Websites are the websites of WebsiteIDs, filled by the Store's reads
	// from the catalog.
	Websites []*catalog.Website `bun:"-"`
	// Stale is true while the membership belongs to an older rule version,
	// was never computed, or store data changed after the refresh.
	Stale bool `bun:"stale,scanonly"`
}

// Refresh is one entry of a segment's refresh history (segment_refreshes).
type Refresh struct {
	bun.BaseModel `bun:"table:segment_refreshes,alias:r"`

	ID            int64     `bun:"id,pk,autoincrement"`
	SegmentID     int64     `bun:"segment_id"`
	RunID         *int64    `bun:"run_id"`
	RuleVersion   int64     `bun:"rule_version"`
	FinishedAt    time.Time `bun:"finished_at"`
	DurationMs    int64     `bun:"duration_ms"`
	CustomerCount int64     `bun:"customer_count"`
	Added         int64     `bun:"added"`
	Removed       int64     `bun:"removed"`
}

// website ties a segment to one of its websites (segment_websites).
type website struct {
	bun.BaseModel `bun:"table:segment_websites,alias:sw"`

	SegmentID int64 `bun:"segment_id,pk"`
	WebsiteID int64 `bun:"website_id,pk"`
}

// member is one customer of a segment (segment_customers), written only by
// a refresh; WebsiteID copies the customer's website for per-website counts.
type member struct {
	bun.BaseModel `bun:"table:segment_customers,alias:sc"`

	SegmentID  int64 `bun:"segment_id,pk"`
	CustomerID int64 `bun:"customer_id,pk"`
	WebsiteID  int64 `bun:"website_id"`
}

// websiteCount is a segment's member count on one website, as of its last
// refresh (segment_website_counts).
type websiteCount struct {
	bun.BaseModel `bun:"table:segment_website_counts,alias:wc"`

	SegmentID     int64 `bun:"segment_id,pk"`
	WebsiteID     int64 `bun:"website_id,pk"`
	CustomerCount int64 `bun:"customer_count"`
}

const segmentColumns = `s.id, s.name, s.description, s.is_active, s.conditions, s.rule_version,
	s.created_at, s.updated_at, s.refreshed_at, s.customer_count,
	ARRAY(SELECT sw.website_id FROM segment_websites sw JOIN websites w ON w.id = sw.website_id
	      WHERE sw.segment_id = s.id ORDER BY w.code COLLATE "segments_store", w.id) AS website_ids,
	(s.refreshed_at IS NULL OR s.refreshed_rule_version IS DISTINCT FROM s.rule_version
	 OR s.refreshed_at < (SELECT data_changed_at FROM store_state)) AS stale`

// Store reads segments.
type Store struct {
	db      *db.DB
	catalog *catalog.Cache
	bitmaps *bitmap.Cache
}

// NewStore returns a Store over d that reads the websites of the segments
// it returns from the database; WithCatalog gives it the server's cache.
// It keeps the bitmaps it loads for overlaps in a cache of its own;
// WithBitmaps shares the server's.
func NewStore(d *db.DB) *Store {
	return &Store{db: d, catalog: catalog.NewCache(d, nil), bitmaps: bitmap.NewCache(0)}
}

// CheckIDs puts a client's list of at most MaxIDs segment ids in canonical
// form (sorted, without duplicates) and checks that each names a segment
// ctx's principal sees. A hidden segment gets the very answer an unknown id
// gets.
func CheckIDs(ctx context.Context, d *db.DB, ids []int64) ([]int64, error) {
	return checkIDs(ctx, d, ids, MaxIDs)
}

// CanonicalIDs is CheckIDs without reading the database: the ids sorted,
// without duplicates, at most MaxIDs. A caller that folds the check into
// its own statement (see AllVisible) passes the result on.
func CanonicalIDs(ids []int64) ([]int64, error) {
	return canonicalIDs(ids, MaxIDs)
}

func canonicalIDs(ids []int64, limit int) ([]int64, error) {
	if len(ids) == 0 {
		return nil, apperr.Invalid("segmentIds is empty: name at least one segment")
	}
	ids = slices.Clone(ids)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	if len(ids) > limit {
		return nil, apperr.Invalid("segmentIds names %d segments; at most %d at a time", len(ids), limit)
	}
	return ids, nil
}

// AllVisible returns a boolean SQL expression, with its parameters added
// to a: "every one of ids (canonical, see CanonicalIDs) names a segment
// ctx's principal sees", by the rule CheckIDs applies. A statement that
// depends on it runs CheckIDs when it is false, for the error naming the
// missing ids.
func AllVisible(ctx context.Context, a *db.Args, ids []int64) string {
	from, _ := view(ctx, a)
	return `(SELECT count(*) FROM ` + from + ` WHERE s.id = ANY(` + a.Add(ids) + `)) = ` + a.Add(len(ids))
}

// checkIDs is CheckIDs for lists of at most limit ids.
func checkIDs(ctx context.Context, d *db.DB, ids []int64, limit int) ([]int64, error) {
	ids, err := canonicalIDs(ids, limit)
	if err != nil {
		return nil, err
	}
	var a db.Args
	from, _ := view(ctx, &a)
	var found []int64
	if err := db.Select(ctx, d, &found, `SELECT s.id FROM `+from+` WHERE s.id = ANY(`+a.Add(ids)+`)`, a.Values()...); err != nil {
		return nil, fmt.Errorf("check segment ids: %w", err)
	}
	if len(found) == len(ids) {
		return ids, nil
	}
	var missing []string
	for _, id := range ids {
		if !slices.Contains(found, id) {
			missing = append(missing, fmt.Sprint(id))
		}
	}
	if len(missing) == 1 {
		return nil, apperr.Missing("segment %s does not exist", missing[0])
	}
	if len(missing) > 10 {
		// A mass change names up to 1,000: name the first few.
		missing = append(missing[:10], fmt.Sprintf("and %d more", len(missing)-10))
	}
	return nil, apperr.Missing("segments %s do not exist", strings.Join(missing, ", "))
}

// checkManaged refuses, with FORBIDDEN, a change to any of ids (segments
// ctx's principal sees) that also belongs to a website outside its scope:
// a scoped editor manages only segments wholly within its websites.
func checkManaged(ctx context.Context, idb bun.IDB, ids []int64) error {
	scope, all := limited(ctx)
	if all {
		return nil
	}
	var outside []int64
	if err := db.Select(ctx, idb, &outside, `SELECT DISTINCT segment_id FROM segment_websites
		WHERE segment_id = ANY($1) AND NOT website_id = ANY($2) ORDER BY segment_id LIMIT 1`, ids, scope); err != nil {
		return fmt.Errorf("check segment websites: %w", err)
	}
	if len(outside) > 0 {
		return errOutside(outside[0])
	}
	return nil
}

// Get returns the segments with the given ids that ctx's principal sees,
// as it sees them, in no particular order; other ids are left out.
func (s *Store) Get(ctx context.Context, ids []int64) ([]Segment, error) {
	var segs []Segment
	if len(ids) == 0 {
		return segs, nil
	}
	var a db.Args
	from, cols := view(ctx, &a)
	if err := db.Select(ctx, s.db, &segs, `SELECT `+cols+` FROM `+from+` WHERE s.id = ANY(`+a.Add(ids)+`)`, a.Values()...); err != nil {
		return nil, fmt.Errorf("get segments: %w", err)
	}
	return segs, s.fill(ctx, segs)
}

// History returns each segment's last n refreshes, newest first. A
// principal limited to some websites gets the numbers of its websites only
// (segment_refresh_websites), and only refreshes of segments it sees that
// touched one of them.
func (s *Store) History(ctx context.Context, segmentIDs []int64, n int) (map[int64][]Refresh, error) {
	var all []Refresh
	if len(segmentIDs) == 0 {
		return map[int64][]Refresh{}, nil
	}
	if scope, every := limited(ctx); !every {
		if err := db.Select(ctx, s.db, &all, `SELECT r.* FROM unnest($1::bigint[]) AS ids(id)
			CROSS JOIN LATERAL (
				SELECT r.id, r.segment_id, r.run_id, r.rule_version, r.finished_at, r.duration_ms,
					x.customer_count, x.added, x.removed
				FROM segment_refreshes r
				JOIN LATERAL (SELECT sum(rw.customer_count)::bigint AS customer_count, sum(rw.added)::bigint AS added,
						sum(rw.removed)::bigint AS removed
					FROM segment_refresh_websites rw WHERE rw.refresh_id = r.id AND rw.website_id = ANY($2)
					HAVING count(*) > 0) x ON true
				WHERE r.segment_id = ids.id
				ORDER BY r.finished_at DESC, r.id DESC LIMIT $3) r
			WHERE EXISTS (SELECT 1 FROM segment_websites sw WHERE sw.segment_id = ids.id AND sw.website_id = ANY($2))`,
			segmentIDs, scope, n); err != nil {
			return nil, fmt.Errorf("refresh history: %w", err)
		}
	} else {
		// Each segment's newest n, read as a short range of the
		// (segment_id, finished_at) index.
		last := s.db.NewSelect().Model((*Refresh)(nil)).Where("r.segment_id = ids.id").
			OrderExpr("r.finished_at DESC, r.id DESC").Limit(int64(n))
		if err := s.db.NewSelect().TableExpr("unnest(?::bigint[]) AS ids(id)", pgdialect.Array(segmentIDs)).
			Join("CROSS JOIN LATERAL (?) AS r", last).ColumnExpr("r.*").Scan(ctx, &all); err != nil {
			return nil, fmt.Errorf("refresh history: %w", err)
		}
	}
	out := make(map[int64][]Refresh, len(segmentIDs))
	for _, r := range all {
		out[r.SegmentID] = append(out[r.SegmentID], r)
	}
	return out, nil
}
