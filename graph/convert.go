package graph

import (
	"context"
	"time"

	"github.com/segments/segments/graph/model"
	"github.com/segments/segments/server/actor"
	"github.com/segments/segments/server/apperr"
	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/customer"
	"github.com/segments/segments/server/export"
	"github.com/segments/segments/server/job"
	"github.com/segments/segments/server/page"
	"github.com/segments/segments/server/rule"
	"github.com/segments/segments/server/segment"
)

// This file maps between GraphQL types and domain types; it holds no logic
// of its own.

func pageArgs(first *int, after *string, last *int, before *string) page.Args {
	return page.Args{First: first, After: after, Last: last, Before: before}
}

func desc(d *model.SortDirection) bool { return d != nil && *d == model.SortDirectionDesc }

func int64p(v *int) *int64 {
	if v == nil {
		return nil
	}
	n := int64(*v)
	return &n
}

func str(v *string) string {
	if v == nil {
		return ""
	}
	return *v
}

func segmentFilter(f *model.SegmentFilter) segment.Filter {
	if f == nil {
		return segment.Filter{}
	}
	out := segment.Filter{
		IDs: f.Ids, IDMin: int64p(f.IDMin), IDMax: int64p(f.IDMax), Name: str(f.Name),
		WebsiteIDs: f.WebsiteIds, CustomerCountMin: int64p(f.CustomerCountMin), CustomerCountMax: int64p(f.CustomerCountMax),
	}
	if f.Status != nil {
		active := *f.Status == segment.StatusActive
		out.Active = &active
	}
	return out
}

func segmentOrder(o *model.SegmentOrder) segment.Order {
	if o == nil {
		return segment.Order{Field: segment.OrderID}
	}
	return segment.Order{Field: segment.OrderField(o.Field), Desc: desc(o.Direction)}
}

func customerQuery(ids []int64, mode *model.SegmentSetMode, exclude []int64, f *model.CustomerFilter, o *model.CustomerOrder) customer.Query {
	q := customer.Query{SegmentIDs: ids, Mode: customer.Union, Exclude: exclude, Order: customer.Order{Field: customer.OrderID}}
	if mode != nil {
		q.Mode = customer.Mode(*mode)
	}
	if o != nil {
		q.Order = customer.Order{Field: customer.OrderField(o.Field), Desc: desc(o.Direction)}
	}
	if f != nil {
		q.Filter = customer.Filter{
			IDs: f.Ids, Name: str(f.Name), Email: str(f.Email), GroupIDs: f.GroupIds, Phone: str(f.Phone),
			Zip: str(f.Zip), CountryCodes: f.CountryCodes, Region: str(f.Region),
			SinceFrom: f.CustomerSinceFrom, SinceTo: f.CustomerSinceTo, WebsiteIDs: f.WebsiteIds,
		}
	}
	return q
}

func pageInfo(info page.Info, cursors []string) *model.PageInfo {
	pi := &model.PageInfo{HasNextPage: info.HasNextPage, HasPreviousPage: info.HasPreviousPage}
	if len(cursors) > 0 {
		pi.StartCursor = &cursors[0]
		pi.EndCursor = &cursors[len(cursors)-1]
	}
	return pi
}

func (r *Resolver) customerConnection(ctx context.Context, q customer.Query, args page.Args) (*model.CustomerConnection, error) {
	p, err := r.Customers.List(ctx, q, args)
	if err != nil {
		return nil, err
	}
	conn := &model.CustomerConnection{
		PageInfo: pageInfo(p.Info, p.Cursors),
		Edges:    make([]*model.CustomerEdge, len(p.Customers)),
		Nodes:    make([]*customer.Customer, len(p.Customers)),
		Count:    func(ctx context.Context) (int64, error) { return r.Customers.Count(ctx, p.Query) },
	}
	for i := range p.Customers {
		conn.Nodes[i] = &p.Customers[i]
		conn.Edges[i] = &model.CustomerEdge{Cursor: p.Cursors[i], Node: &p.Customers[i]}
	}
	return conn, nil
}

func conditionGroup(g *rule.Group) *model.ConditionGroup {
	out := &model.ConditionGroup{Match: model.Match(g.Match), Expect: g.Expect, Conditions: make([]model.Condition, 0, len(g.Conditions))}
	for _, c := range g.Conditions {
		switch {
		case c.Group != nil:
			out.Conditions = append(out.Conditions, conditionGroup(c.Group))
		case c.Customer != nil:
			out.Conditions = append(out.Conditions, &model.CustomerCondition{
				Field: model.CustomerField(c.Customer.Field), Operator: model.Operator(c.Customer.Operator), Values: nonNil(c.Customer.Values)})
		case c.Orders != nil:
			out.Conditions = append(out.Conditions, &model.OrderCondition{
				Measure: model.OrderMeasure(c.Orders.Measure), Operator: model.Operator(c.Orders.Operator), Values: nonNil(c.Orders.Values),
				WithinDays: c.Orders.WithinDays, Statuses: c.Orders.Statuses})
		}
	}
	return out
}

func nonNil(v []string) []string {
	if v == nil {
		return []string{}
	}
	return v
}

func pointers[T any](items []T) []*T {
	out := make([]*T, len(items))
	for i := range items {
		out[i] = &items[i]
	}
	return out
}

// segmentInput maps a SegmentInput to the domain's; the domain validates it.
func segmentInput(in model.SegmentInput) segment.Input {
	out := segment.Input{
		Name: in.Name, Description: in.Description, WebsiteIDs: in.WebsiteIds,
		Active: in.Status == nil || *in.Status == segment.StatusActive,
	}
	if in.Conditions != nil {
		out.Conditions = *ruleGroup(in.Conditions, 1)
	} else {
		out.Conditions = rule.Group{Match: rule.MatchAll, Expect: true}
	}
	return out
}

// segmentPatch maps a SegmentPatch to the domain's, keeping "omitted"
// (kept) apart from null: a null description clears it, a null in any other
// field is refused, one problem per field, as the domain reports its own.
func segmentPatch(in model.SegmentPatch) (segment.Patch, error) {
	var out segment.Patch
	var problems []apperr.Problem
	null := func(field, what string) {
		problems = append(problems, apperr.Problem{Field: field, Message: "cannot be null: omit it to keep the " + what})
	}
	if v, set := in.Name.ValueOK(); set && v == nil {
		null("name", "name")
	} else if set {
		out.Name = v
	}
	if v, set := in.Description.ValueOK(); set {
		if v == nil {
			v = new(string) // blank clears it
		}
		out.Description = v
	}
	if v, set := in.Status.ValueOK(); set && v == nil {
		null("status", "status")
	} else if set {
		active := *v == segment.StatusActive
		out.Active = &active
	}
	if v, set := in.WebsiteIds.ValueOK(); set && v == nil {
		null("websiteIds", "websites")
	} else if set {
		out.WebsiteIDs = &v
	}
	if v, set := in.Conditions.ValueOK(); set && v == nil {
		null("conditions", "rule")
	} else if set {
		out.Conditions = ruleGroup(v, 1)
	}
	if len(problems) > 0 {
		return out, apperr.Invalids(problems)
	}
	return out, nil
}

// ruleGroup maps an input group. Past rule.MaxDepth+1 levels it stops: the
// validator already rejects the tree there, and a hostile input must not
// make the mapping recurse without bound.
func ruleGroup(g *model.ConditionGroupInput, depth int) *rule.Group {
	out := &rule.Group{Match: rule.MatchAll, Expect: true, Conditions: []rule.Condition{}}
	if g.Match != nil {
		out.Match = rule.Match(*g.Match)
	}
	if g.Expect != nil {
		out.Expect = *g.Expect
	}
	if depth > rule.MaxDepth+1 {
		return out
	}
	for _, c := range g.Conditions {
		var rc rule.Condition
		if c == nil {
			out.Conditions = append(out.Conditions, rc)
			continue
		}
		// Every field that is set is kept: a condition with two set is
		// the validator's to reject (gqlgen checks @oneOf only on literals).
		if c.Group != nil {
			rc.Group = ruleGroup(c.Group, depth+1)
		}
		if c.Customer != nil {
			rc.Customer = &rule.CustomerCondition{Field: rule.CustomerField(c.Customer.Field), Operator: rule.Operator(c.Customer.Operator), Values: c.Customer.Values}
		}
		if c.Orders != nil {
			rc.Orders = &rule.OrderCondition{Measure: rule.OrderMeasure(c.Orders.Measure), Operator: rule.Operator(c.Orders.Operator),
				Values: c.Orders.Values, WithinDays: c.Orders.WithinDays, Statuses: c.Orders.Statuses}
		}
		out.Conditions = append(out.Conditions, rc)
	}
	return out
}

// segmentByID reads a segment the caller just wrote.
func (r *Resolver) segmentByID(ctx context.Context, id int64) (*segment.Segment, error) {
	segs, err := r.Segments.Get(ctx, []int64{id})
	if err != nil {
		return nil, err
	}
	if len(segs) == 0 {
		return nil, apperr.Missing("segment %d does not exist", id)
	}
	return &segs[0], nil
}

func exportRequest(in model.ExportInput) export.Request {
	q := customerQuery(in.SegmentIds, in.Mode, in.ExcludeSegmentIds, in.Filter, in.OrderBy)
	req := export.Request{SegmentIDs: q.SegmentIDs, Mode: q.Mode, Exclude: q.Exclude, Filter: q.Filter, Order: q.Order, Format: export.Format(in.Format), Delimiter: ','}
	if in.CSVDelimiter != nil && *in.CSVDelimiter == model.CSVDelimiterSemicolon {
		req.Delimiter = ';'
	}
	return req
}

// linkExpiry is when a download link minted in this request for e stops
// working: LinkTTL from the request's start, never past the file's
// retention; nil when e has no file to download.
func (r *Resolver) linkExpiry(ctx context.Context, e *export.Export) *time.Time {
	if e.State != job.Succeeded || e.FileName == nil || e.DeleteAfter == nil {
		return nil
	}
	now := loadersFor(ctx).start
	if !now.Before(*e.DeleteAfter) {
		return nil
	}
	t := now.Add(r.LinkTTL).Truncate(time.Second)
	if t.After(*e.DeleteAfter) {
		t = *e.DeleteAfter
	}
	return &t
}

// who is the actor jobs record for the request's principal. Requests reach
// the resolvers only with a principal; without one the domain packages see
// nothing anyway.
func who(ctx context.Context) actor.Actor {
	if p := auth.From(ctx); p != nil {
		return p.Actor()
	}
	return actor.FromAPI
}

// segmentOverlap maps an overlap; segs are its segments by id.
func segmentOverlap(o segment.Overlap, segs []segment.Segment) *model.SegmentOverlap {
	byID := map[int64]*segment.Segment{}
	for i := range segs {
		byID[segs[i].ID] = &segs[i]
	}
	out := &model.SegmentOverlap{UnionCount: int(o.Union), IntersectionCount: int(o.Intersection),
		Segments: []*segment.Segment{}, Pairs: []*model.SegmentPairOverlap{}, Regions: []*model.OverlapRegion{}}
	for _, id := range o.SegmentIDs {
		if s := byID[id]; s != nil {
			out.Segments = append(out.Segments, s)
		}
	}
	for _, p := range o.Pairs {
		out.Pairs = append(out.Pairs, &model.SegmentPairOverlap{SegmentIds: p.SegmentIDs[:], IntersectionCount: int(p.Intersection), UnionCount: int(p.Union)})
	}
	for _, r := range o.Regions {
		out.Regions = append(out.Regions, &model.OverlapRegion{SegmentIds: r.In, ExcludedSegmentIds: r.Out, CustomerCount: int(r.Count)})
	}
	return out
}
