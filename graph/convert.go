package graph

import (
	"context"

	"github.com/segments/segments/graph/model"
	"github.com/segments/segments/server/customer"
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
		active := *f.Status == model.SegmentStatusActive
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

func customerQuery(ids []int64, mode *model.SegmentSetMode, f *model.CustomerFilter, o *model.CustomerOrder) customer.Query {
	q := customer.Query{SegmentIDs: ids, Mode: customer.Union, Order: customer.Order{Field: customer.OrderID}}
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
		Count:    func(ctx context.Context) (int64, error) { return r.Customers.Count(ctx, q) },
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
