package segment

import (
	"context"
	"slices"

	"github.com/segments/segments/server/actor"
	"github.com/segments/segments/server/apperr"
	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/db"
)

// A principal limited to some websites (auth.ScopeOf) sees a segment when
// one of its websites is in scope, and sees it as if it had only those: its
// websites, customer count and history cover only in-scope websites. A
// hidden segment is indistinguishable from one that does not exist. Every
// read of segments here goes through view, so no path skips the scope;
// principals of every website keep the plain, stored columns.

// limited returns the website ids of ctx's scope, or all=true for every
// website. A context without a principal gets an empty list: nothing.
func limited(ctx context.Context) (ids []int64, all bool) {
	s := auth.ScopeOf(ctx)
	if s.IsAll() {
		return nil, true
	}
	return s.IDs(), false
}

// scopedColumns are segmentColumns over view's derived table, whose
// customer_count and website_ids are already the scope's.
const scopedColumns = `s.id, s.name, s.description, s.is_active, s.conditions, s.rule_version,
	s.created_at, s.updated_at, s.refreshed_at, s.customer_count, s.website_ids,
	(s.refreshed_at IS NULL OR s.refreshed_rule_version IS DISTINCT FROM s.rule_version
	 OR s.refreshed_at < (SELECT data_changed_at FROM store_state)) AS stale`

// view returns the FROM clause naming, as "s", the segments ctx's principal
// sees, and the columns to select of them. For every website that is the
// segments table itself; for a limited scope a derived table of the visible
// segments whose customer_count is the sum of the in-scope websites' counts
// and whose website_ids and first_website (the WEBSITE sort) name only
// in-scope websites.
func view(ctx context.Context, a *db.Args) (from, columns string) {
	ids, all := limited(ctx)
	if all {
		return "segments s", segmentColumns
	}
	w := a.Add(ids)
	return `(SELECT s.id, s.name, s.description, s.is_active, s.conditions, s.rule_version,
		s.created_at, s.updated_at, s.refreshed_at, s.refreshed_rule_version,
		COALESCE((SELECT sum(wc.customer_count) FROM segment_website_counts wc
		          WHERE wc.segment_id = s.id AND wc.website_id = ANY(` + w + `)), 0)::bigint AS customer_count,
		ARRAY(SELECT sw.website_id FROM segment_websites sw JOIN websites w ON w.id = sw.website_id
		      WHERE sw.segment_id = s.id AND sw.website_id = ANY(` + w + `)
		      ORDER BY w.code COLLATE "segments_store", w.id) AS website_ids,
		(SELECT min(w.code COLLATE "segments_store") FROM segment_websites sw JOIN websites w ON w.id = sw.website_id
		  WHERE sw.segment_id = s.id AND sw.website_id = ANY(` + w + `)) AS first_website
		FROM segments s
		WHERE EXISTS (SELECT 1 FROM segment_websites sw WHERE sw.segment_id = s.id AND sw.website_id = ANY(` + w + `))) s`, scopedColumns
}

// inScope is the condition "website column col is in ctx's scope", or ""
// for every website.
func inScope(ctx context.Context, col string, a *db.Args) string {
	ids, all := limited(ctx)
	if all {
		return ""
	}
	return col + " = ANY(" + a.Add(ids) + ")"
}

// ScopeKey is the part of a cursor binding or kept count's key that tells
// ctx's scope apart: nil for every website (so keys stay what they were
// before scopes), else its sorted website ids. Two principals of different
// scopes must never share a kept result.
func ScopeKey(ctx context.Context) []int64 {
	ids, all := limited(ctx)
	if all {
		return nil
	}
	ids = slices.Clone(ids)
	slices.Sort(ids)
	return append([]int64{}, slices.Compact(ids)...)
}

// errOutside is the refusal of a change to a segment a scoped principal
// sees but does not wholly manage.
func errOutside(id int64) error {
	return apperr.Denied("segment %d: this segment also belongs to websites outside your scope", id)
}

// who is the actor to record for ctx's principal.
func who(ctx context.Context) actor.Actor {
	if p := auth.From(ctx); p != nil {
		return p.Actor()
	}
	return actor.FromAPI
}
