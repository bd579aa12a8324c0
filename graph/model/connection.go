package model

import (
	"context"

	"github.com/segments/segments/server/customer"
	"github.com/segments/segments/server/segment"
)

// SegmentConnection is a page of segments; TotalCount runs only when the
// client selects totalCount.
type SegmentConnection struct {
	Edges    []*SegmentEdge
	Nodes    []*segment.Segment
	PageInfo *PageInfo
	Count    func(context.Context) (int64, error) `json:"-"`
}

// CustomerConnection is a page of customers; TotalCount runs only when the
// client selects totalCount.
type CustomerConnection struct {
	Edges    []*CustomerEdge
	Nodes    []*customer.Customer
	PageInfo *PageInfo
	Count    func(context.Context) (int64, error) `json:"-"`
}
