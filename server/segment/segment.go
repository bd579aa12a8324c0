package segment

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/segments/segments/server/apperr"
	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/rule"
)

// MaxIDs is the most segment ids one request may name.
const MaxIDs = 100

// Segment is a named rule over the store's customers and its last refresh.
type Segment struct {
	ID            int64      `db:"id"`
	Name          string     `db:"name"`
	Description   *string    `db:"description"`
	Active        bool       `db:"is_active"`
	Conditions    rule.Group `db:"conditions"`
	RuleVersion   int64      `db:"rule_version"`
	CreatedAt     time.Time  `db:"created_at"`
	UpdatedAt     time.Time  `db:"updated_at"`
	RefreshedAt   *time.Time `db:"refreshed_at"`
	CustomerCount int64      `db:"customer_count"`
	// WebsiteIDs are the segment's websites, ordered by website code.
	WebsiteIDs []int64 `db:"website_ids"`
	// Stale is true while the membership belongs to an older rule version,
	// was never computed, or store data changed after the refresh.
	Stale bool `db:"stale"`
}

// Refresh is one entry of a segment's refresh history.
type Refresh struct {
	SegmentID     int64     `db:"segment_id"`
	FinishedAt    time.Time `db:"finished_at"`
	DurationMs    int64     `db:"duration_ms"`
	CustomerCount int64     `db:"customer_count"`
	Added         int64     `db:"added"`
	Removed       int64     `db:"removed"`
}

const segmentColumns = `s.id, s.name, s.description, s.is_active, s.conditions, s.rule_version,
	s.created_at, s.updated_at, s.refreshed_at, s.customer_count,
	ARRAY(SELECT sw.website_id FROM segment_websites sw JOIN websites w ON w.id = sw.website_id
	      WHERE sw.segment_id = s.id ORDER BY w.code COLLATE "und-x-icu", w.id) AS website_ids,
	(s.refreshed_at IS NULL OR s.refreshed_rule_version IS DISTINCT FROM s.rule_version
	 OR s.refreshed_at < (SELECT data_changed_at FROM store_state)) AS stale`

// Store reads segments.
type Store struct {
	db *db.DB
}

// NewStore returns a Store over d.
func NewStore(d *db.DB) *Store { return &Store{db: d} }

// CheckIDs puts a client's list of segment ids in canonical form (sorted,
// without duplicates) and checks that each names a segment.
func CheckIDs(ctx context.Context, d *db.DB, ids []int64) ([]int64, error) {
	if len(ids) == 0 {
		return nil, apperr.Invalid("segmentIds is empty: name at least one segment")
	}
	ids = slices.Clone(ids)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	if len(ids) > MaxIDs {
		return nil, apperr.Invalid("segmentIds names %d segments; at most %d at a time", len(ids), MaxIDs)
	}
	rows, err := d.Pool.Query(ctx, `SELECT id FROM segments WHERE id = ANY($1)`, ids)
	if err != nil {
		return nil, fmt.Errorf("check segment ids: %w", err)
	}
	found, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
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
	return nil, apperr.Missing("segments %s do not exist", strings.Join(missing, ", "))
}

// Get returns the segments with the given ids, in no particular order;
// ids without a segment are left out.
func (s *Store) Get(ctx context.Context, ids []int64) ([]Segment, error) {
	rows, err := s.db.Pool.Query(ctx, `SELECT `+segmentColumns+` FROM segments s WHERE s.id = ANY($1)`, ids)
	if err != nil {
		return nil, fmt.Errorf("get segments: %w", err)
	}
	segs, err := pgx.CollectRows(rows, pgx.RowToStructByName[Segment])
	if err != nil {
		return nil, fmt.Errorf("get segments: %w", err)
	}
	return segs, nil
}

// History returns each segment's last n refreshes, newest first.
func (s *Store) History(ctx context.Context, segmentIDs []int64, n int) (map[int64][]Refresh, error) {
	rows, err := s.db.Pool.Query(ctx, `
		SELECT r.segment_id, r.finished_at, r.duration_ms, r.customer_count, r.added, r.removed
		FROM unnest($1::bigint[]) AS ids(id)
		CROSS JOIN LATERAL (
			SELECT * FROM segment_refreshes r WHERE r.segment_id = ids.id
			ORDER BY r.finished_at DESC, r.id DESC LIMIT $2) r`, segmentIDs, n)
	if err != nil {
		return nil, fmt.Errorf("refresh history: %w", err)
	}
	all, err := pgx.CollectRows(rows, pgx.RowToStructByName[Refresh])
	if err != nil {
		return nil, fmt.Errorf("refresh history: %w", err)
	}
	out := make(map[int64][]Refresh, len(segmentIDs))
	for _, r := range all {
		out[r.SegmentID] = append(out[r.SegmentID], r)
	}
	return out, nil
}
