package graph

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/segments/segments/server/page"
)

// The price of an operation, checked after validation and before anything
// runs. Every field costs FieldCost; a field of Query or Mutation costs
// RootFieldCost, so one request cannot run thousands of aliased queries; a
// connection's totalCount costs TotalCountCost, because counting a segment
// of a million customers takes about as long as reading a large page; and a
// page multiplies the cost of its rows (nodes, edges, or the items of a
// list with first/last) by its size. One page of 200 customers with every
// column and its totalCount costs about 5,000; the whole operation may cost
// MaxComplexity. A list without paging (setSegmentStatus's segments,
// RefreshJob.segments) whose items ask for a page or a count is priced as
// the number of ids its arguments (or its parent's, as segmentOverlap's
// segments) name, else as UnpagedRows items; one whose items are plain
// fields (a segment's websites) is priced once. A few fields that do a
// count's work cost extra (fieldCosts): segmentIds reads every matching
// segment and segmentOverlap every member of its segments, as a totalCount
// does; previewSegmentCount evaluates a rule over every customer and their
// orders, as a refresh of one segment does. excludeSegmentIds adds an
// index probe per row, not rows, so a drill-down costs the same with it.
const (
	MaxComplexity  = 25_000
	FieldCost      = 1
	RootFieldCost  = 10
	TotalCountCost = 1_000
	UnpagedRows    = 100
	PreviewCost    = 10 * TotalCountCost
)

// fieldCosts are the extra costs of fields of Query, by name.
var fieldCosts = map[string]int{
	"segmentIds":          TotalCountCost,
	"segmentOverlap":      TotalCountCost,
	"previewSegmentCount": PreviewCost,
}

// costLimit refuses an operation that costs more than MaxComplexity.
type costLimit struct {
	schema *ast.Schema
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = &costLimit{}

func (*costLimit) ExtensionName() string { return "CostLimit" }

func (c *costLimit) Validate(es graphql.ExecutableSchema) error {
	c.schema = es.Schema()
	return nil
}

func (c *costLimit) MutateOperationContext(_ context.Context, opCtx *graphql.OperationContext) *gqlerror.Error {
	w := costWalker{schema: c.schema, vars: opCtx.Variables, doc: opCtx.Doc}
	cost := w.set(opCtx.Operation.SelectionSet, true, 0)
	if cost <= MaxComplexity {
		return nil
	}
	err := gqlerror.Errorf("the operation costs %d, more than the limit of %d (a field costs %d, a field of %s %d, a totalCount %d, and a page multiplies its rows by its size): ask for smaller pages, fewer totalCounts or fewer fields",
		cost, MaxComplexity, FieldCost, strings.ToLower(string(opCtx.Operation.Operation)), RootFieldCost, TotalCountCost)
	errcode.Set(err, reasonCostLimit)
	return err
}

type costWalker struct {
	schema *ast.Schema
	vars   map[string]any
	doc    *ast.QueryDocument
	// ids is how many ids the nearest enclosing field's arguments name (0:
	// none), the length of an unpaged list below it without ids of its own.
	ids int
}

// set prices a selection set. root says it is the operation's own; rows,
// when not 0, is the page size of the connection whose fields these are.
func (w costWalker) set(sel ast.SelectionSet, root bool, rows int) int {
	total := 0
	for _, x := range sel {
		switch x := x.(type) {
		case *ast.Field:
			total = satAdd(total, w.field(x, root, rows))
		case *ast.InlineFragment:
			total = satAdd(total, w.set(x.SelectionSet, root, rows))
		case *ast.FragmentSpread:
			def := x.Definition
			if def == nil {
				def = w.doc.Fragments.ForName(x.Name)
			}
			if def != nil {
				total = satAdd(total, w.set(def.SelectionSet, root, rows))
			}
		}
	}
	return total
}

func (w costWalker) field(f *ast.Field, root bool, rows int) int {
	cost := FieldCost
	if root {
		cost = RootFieldCost + fieldCosts[f.Name]
	}
	if f.Definition == nil {
		return cost
	}
	if n, ok := w.idArgs(f); ok {
		w.ids = n
	}
	typ := f.Definition.Type
	switch {
	case rows > 0 && f.Name == "totalCount":
		return TotalCountCost
	case rows > 0 && (f.Name == "nodes" || f.Name == "edges"):
		return satAdd(cost, satMul(rows, w.set(f.SelectionSet, false, 0)))
	}
	n, paged := w.pageSize(f)
	switch {
	case paged && strings.HasSuffix(typ.Name(), "Connection"):
		return satAdd(cost, w.set(f.SelectionSet, false, n))
	case paged && typ.Elem != nil:
		return satAdd(cost, satMul(n, w.set(f.SelectionSet, false, 0)))
	}
	items := w.set(f.SelectionSet, false, 0)
	if typ.Elem != nil && items >= TotalCountCost {
		return satAdd(cost, satMul(w.listRows(f), items))
	}
	return satAdd(cost, items)
}

// listRows is how many items an unpaged list may hold: the length of the
// id list it was asked with, else UnpagedRows.
func (w costWalker) listRows(f *ast.Field) int {
	if n, ok := w.idArgs(f); ok {
		return n
	}
	if w.ids > 0 {
		return w.ids
	}
	return UnpagedRows
}

// idArgs is how many ids f's arguments name (at least 1), if any.
func (w costWalker) idArgs(f *ast.Field) (int, bool) {
	args := f.ArgumentMap(w.vars)
	for _, name := range []string{"ids", "segmentIds"} {
		if ids, ok := args[name].([]any); ok {
			return max(len(ids), 1), true
		}
	}
	return 0, false
}

// pageSize is the page a field with first or last arguments asks for: the
// one given, else the default; paged is false for other fields.
func (w costWalker) pageSize(f *ast.Field) (n int, paged bool) {
	if f.Definition.Arguments.ForName("first") == nil && f.Definition.Arguments.ForName("last") == nil {
		return 0, false
	}
	args := f.ArgumentMap(w.vars)
	n = page.DefaultSize
	if v, ok := intArg(args["first"]); ok {
		n = v
	} else if v, ok := intArg(args["last"]); ok {
		n = v
	}
	return max(n, 1), true
}

func satMul(a, b int) int {
	if a == 0 || b == 0 {
		return 0
	}
	if c := a * b; c/b == a && c >= 0 {
		return c
	}
	return int(^uint(0) >> 1)
}

// intArg reads an Int argument, from the text (int64) or from variables.
func intArg(v any) (int, bool) {
	switch v := v.(type) {
	case int:
		return v, true
	case int64:
		return int(v), true
	case int32:
		return int(v), true
	case float64:
		return int(v), true
	case json.Number:
		n, err := v.Int64()
		return int(n), err == nil
	}
	return 0, false
}
