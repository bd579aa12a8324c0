package segment

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/segments/segments/server/apperr"
	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/page"
)

// Filter narrows the segment list. Zero values do not filter.
type Filter struct {
	IDs              []int64 `json:"ids,omitempty"`
	IDMin            *int64  `json:"idMin,omitempty"`
	IDMax            *int64  `json:"idMax,omitempty"`
	Name             string  `json:"name,omitempty"`
	Active           *bool   `json:"active,omitempty"`
	WebsiteIDs       []int64 `json:"websiteIds,omitempty"`
	CustomerCountMin *int64  `json:"customerCountMin,omitempty"`
	CustomerCountMax *int64  `json:"customerCountMax,omitempty"`
}

// OrderField is a report column the segment list sorts by.
type OrderField string

// Sortable columns. WEBSITE sorts by the segment's first website code.
const (
	OrderID            OrderField = "ID"
	OrderName          OrderField = "NAME"
	OrderStatus        OrderField = "STATUS"
	OrderWebsite       OrderField = "WEBSITE"
	OrderCustomerCount OrderField = "CUSTOMER_COUNT"
	OrderRefreshedAt   OrderField = "REFRESHED_AT"
)

// Order is a sort of the segment list; ties break by ID.
type Order struct {
	Field OrderField `json:"field"`
	Desc  bool       `json:"desc"`
}

// ListPage is one page of the segment list.
type ListPage struct {
	Segments []Segment
	Cursors  []string
	Info     page.Info
}

var segmentSortKeys = map[OrderField][]page.Key{
	OrderID:   nil,
	OrderName: {{Expr: `s.name COLLATE "segments_store"`, Type: "text"}},
	// Active before inactive when ascending.
	OrderStatus: {{Expr: `(NOT s.is_active)`, Type: "boolean"}},
	OrderWebsite: {{Expr: `(SELECT min(w.code COLLATE "segments_store") FROM segment_websites sw
		JOIN websites w ON w.id = sw.website_id WHERE sw.segment_id = s.id)`, Type: "text", Nullable: true}},
	OrderCustomerCount: {{Expr: `s.customer_count`, Type: "bigint"}},
	OrderRefreshedAt:   {{Expr: `s.refreshed_at`, Type: "timestamptz", Nullable: true}},
}

// scopedWebsiteKey is the WEBSITE sort of a limited scope: the first
// in-scope website's code, which view computes.
var scopedWebsiteKey = page.Key{Expr: `s.first_website COLLATE "segments_store"`, Type: "text", Nullable: true}

// sortKeys are the keys of sort field for ctx's principal.
func sortKeys(ctx context.Context, field OrderField) []page.Key {
	if _, all := limited(ctx); !all && field == OrderWebsite {
		return []page.Key{scopedWebsiteKey}
	}
	return segmentSortKeys[field]
}

// source selects the segments matching f among those ctx's principal sees
// (view), and the columns to select of them.
func source(ctx context.Context, f Filter) (page.Source, string) {
	_, cols := view(ctx, &db.Args{})
	return func(a *db.Args) (string, []string) {
		arg := a.Add
		var w []string
		from, _ := view(ctx, a)
		if len(f.IDs) > 0 {
			w = append(w, "s.id = ANY("+arg(f.IDs)+")")
		}
		if f.IDMin != nil {
			w = append(w, "s.id >= "+arg(*f.IDMin))
		}
		if f.IDMax != nil {
			w = append(w, "s.id <= "+arg(*f.IDMax))
		}
		if f.Name != "" {
			w = append(w, `strpos(lower(s.name COLLATE "und-x-icu"), lower(`+arg(f.Name)+` COLLATE "und-x-icu")) > 0`)
		}
		if f.Active != nil {
			w = append(w, "s.is_active = "+arg(*f.Active))
		}
		if len(f.WebsiteIDs) > 0 {
			// Only in-scope websites count: a filter naming a hidden website
			// must not find the segments that also belong to it.
			cond := "sw.website_id = ANY(" + arg(f.WebsiteIDs) + ")"
			if in := inScope(ctx, "sw.website_id", a); in != "" {
				cond += " AND " + in
			}
			w = append(w, "EXISTS (SELECT 1 FROM segment_websites sw WHERE sw.segment_id = s.id AND "+cond+")")
		}
		if f.CustomerCountMin != nil {
			w = append(w, "s.customer_count >= "+arg(*f.CustomerCountMin))
		}
		if f.CustomerCountMax != nil {
			w = append(w, "s.customer_count <= "+arg(*f.CustomerCountMax))
		}
		return from, w
	}, cols
}

func checkListArgs(f Filter, o Order) error {
	if _, ok := segmentSortKeys[o.Field]; !ok {
		return apperr.Invalid("cannot sort segments by %q", o.Field)
	}
	if f.IDMin != nil && f.IDMax != nil && *f.IDMin > *f.IDMax {
		return apperr.Invalid("filter: idMin is greater than idMax")
	}
	if f.CustomerCountMin != nil && f.CustomerCountMax != nil && *f.CustomerCountMin > *f.CustomerCountMax {
		return apperr.Invalid("filter: customerCountMin is greater than customerCountMax")
	}
	return nil
}

// binding is what a cursor of the segment list is bound to: the filter, the
// sort and, for a limited scope, the scope, whose sort values differ.
func binding(ctx context.Context, f Filter, o Order) string {
	if key := ScopeKey(ctx); key != nil {
		return page.Binding("segments", f, o, key)
	}
	return page.Binding("segments", f, o)
}

// List returns one page of the segments ctx's principal sees, as it sees
// them: filters and sorts on customer count and website use the scope's
// numbers.
func (s *Store) List(ctx context.Context, f Filter, o Order, args page.Args) (ListPage, error) {
	if o.Field == "" {
		o.Field = OrderID
	}
	if err := checkListArgs(f, o); err != nil {
		return ListPage{}, err
	}
	req, err := page.Parse(args, binding(ctx, f, o))
	if err != nil {
		return ListPage{}, err
	}
	sort := page.Sort{Keys: append(append([]page.Key{}, sortKeys(ctx, o.Field)...), page.Key{Expr: "s.id", Type: "bigint"}), Desc: o.Desc}

	if err := req.Fits(sort); err != nil {
		return ListPage{}, err
	}
	src, cols := source(ctx, f)
	type row struct {
		Segment
		page.Head
	}
	var rows []row
	var info page.Info
	// One round trip: the rows and hasPreviousPage in one statement, on
	// the replica when it has replayed every change this instance knows
	// of (the guard checks; else the primary answers).
	err = s.db.Read(ctx, func(r db.Reader) (bool, error) {
		var fresh func(*db.Args) string
		if r.Replica() {
			fresh = r.Fresh
		}
		st, err := req.Statement(cols, sort, src, fresh)
		if err != nil {
			return false, err
		}
		var ok bool
		rows, info, ok, err = page.One(ctx, r.DB, req, st, func(r *row) *page.Head { return &r.Head })
		return !ok, err
	})
	if err != nil {
		return ListPage{}, fmt.Errorf("list segments: %w", err)
	}
	p := ListPage{Info: info, Segments: make([]Segment, len(rows)), Cursors: make([]string, len(rows))}
	for i, r := range rows {
		p.Segments[i] = r.Segment
		p.Cursors[i] = req.Cursor(r.Cursor)
	}
	return p, s.fill(ctx, p.Segments)
}

// Count returns how many segments ctx's principal sees match f.
func (s *Store) Count(ctx context.Context, f Filter) (int64, error) {
	if err := checkListArgs(f, Order{Field: OrderID}); err != nil {
		return 0, err
	}
	src, _ := source(ctx, f)
	var n int64
	err := s.db.Read(ctx, func(r db.Reader) (bool, error) {
		if !r.Replica() {
			var err error
			n, err = page.Count(ctx, r.DB, src)
			return false, err
		}
		// The count only when fresh: else no row, and the primary counts.
		var a db.Args
		from, where := src(&a)
		err := db.Get(ctx, r.DB, `SELECT (SELECT count(*) FROM `+from+` WHERE `+strings.Join(append(where, "true"), " AND ")+`) WHERE `+r.Fresh(&a), a.Values(), &n)
		if errors.Is(err, sql.ErrNoRows) {
			return true, nil
		}
		return false, err
	})
	if err != nil {
		return 0, fmt.Errorf("count segments: %w", err)
	}
	return n, nil
}

// MaxListIDs is the most ids IDs returns; a filter matching more must be
// narrowed.
const MaxListIDs = 10_000

// IDs returns the id of every segment ctx's principal sees that matches f,
// ascending, in one statement: the list's Select All. More than MaxListIDs
// is BAD_USER_INPUT.
func (s *Store) IDs(ctx context.Context, f Filter) ([]int64, error) {
	if err := checkListArgs(f, Order{Field: OrderID}); err != nil {
		return nil, err
	}
	var a db.Args
	src, _ := source(ctx, f)
	from, where := src(&a)
	w := "true"
	if len(where) > 0 {
		w = strings.Join(where, " AND ")
	}
	ids := []int64{}
	if err := db.Select(ctx, s.db, &ids, `SELECT s.id FROM `+from+` WHERE `+w+` ORDER BY s.id LIMIT `+a.Add(MaxListIDs+1), a.Values()...); err != nil {
		return nil, fmt.Errorf("segment ids: %w", err)
	}
	if len(ids) > MaxListIDs {
		return nil, apperr.Invalid("more than %d segments match the filter: narrow the filter", MaxListIDs)
	}
	return ids, nil
}
