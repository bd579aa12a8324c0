package graph

import (
	"context"
	"fmt"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
)

// Bounds on an operation's shape, checked on the parsed text before it is
// validated: validation compares the fields of a selection set pairwise
// (whether they can be merged), so its time grows with their square, and
// 5,000 repeated fields took seconds. Fragments count as expanded where they
// are spread. The app's largest query asks for about 40 fields and
// GraphiQL's introspection query about 230, 12 levels deep.
const (
	// MaxSelectionFields bounds the fields of one selection set.
	MaxSelectionFields = 200
	// MaxOperationFields bounds the fields of an operation in all.
	MaxOperationFields = 2_000
	// MaxDepth bounds how deeply selection sets nest.
	MaxDepth = 20
)

// The reasons of the limits' errors. They are request errors, like a failed
// validation: the answer has no data.
const (
	reasonFieldLimit = "FIELD_LIMIT_EXCEEDED"
	reasonCostLimit  = "COMPLEXITY_LIMIT_EXCEEDED"
)

func init() {
	errcode.RegisterErrorType(reasonFieldLimit, errcode.KindProtocol)
	errcode.RegisterErrorType(reasonCostLimit, errcode.KindProtocol)
}

// queryCacheSize is how many validated operations are kept by their text;
// a repeated query skips parsing and validation. Only texts of at most
// queryCacheMaxBytes are kept, so the cache stays small.
const (
	queryCacheSize     = 500
	queryCacheMaxBytes = 16 << 10
)

// queryCache keeps the documents gqlgen validated, by their text.
type queryCache struct {
	*lru.LRU[*ast.QueryDocument]
}

func newQueryCache() queryCache {
	return queryCache{lru.New[*ast.QueryDocument](queryCacheSize)}
}

// Add keeps small documents only.
func (c queryCache) Add(ctx context.Context, query string, doc *ast.QueryDocument) {
	if len(query) <= queryCacheMaxBytes {
		c.LRU.Add(ctx, query, doc)
	}
}

// shapeLimit refuses an operation with more fields than the limits above,
// before gqlgen validates it. It parses the text itself (linear, and bounded
// by the token limit); a text the cache holds passed before and is not
// parsed again. A text that does not parse is left to gqlgen to report.
type shapeLimit struct {
	cache queryCache
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
} = shapeLimit{}

func (shapeLimit) ExtensionName() string                   { return "ShapeLimit" }
func (shapeLimit) Validate(graphql.ExecutableSchema) error { return nil }

func (l shapeLimit) MutateOperationParameters(ctx context.Context, p *graphql.RawParams) *gqlerror.Error {
	if p.Query == "" {
		return nil
	}
	if _, ok := l.cache.Get(ctx, p.Query); ok {
		return nil
	}
	doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: p.Query}, MaxTokens)
	if err != nil {
		return nil
	}
	return checkShape(doc)
}

// checkShape returns the first limit doc exceeds, or nil.
func checkShape(doc *ast.QueryDocument) *gqlerror.Error {
	s := &shape{doc: doc, memo: map[string]shapeCount{}, visiting: map[string]bool{}}
	total := 0
	for _, op := range doc.Operations {
		c := s.set(op.SelectionSet, 1)
		total = satAdd(total, c.total)
		if s.err == nil && c.depth > MaxDepth {
			s.fail(op.Position, "selection sets nested %d levels deep, more than the limit of %d: ask for less at once", c.depth, MaxDepth)
		}
	}
	for _, f := range doc.Fragments {
		// Fragments are validated even when unused.
		c := s.fragment(f.Name)
		total = satAdd(total, c.total)
	}
	if s.err == nil && total > MaxOperationFields {
		s.fail(nil, "%d fields in all, more than the limit of %d: split the request", total, MaxOperationFields)
	}
	for _, op := range doc.Operations {
		if s.err == nil && op.Operation == ast.Mutation {
			if n := s.rootFields(op.SelectionSet, "changePassword", map[string]bool{}); n > 1 {
				s.fail(op.Position, "changePassword %d times, more than the limit of once per operation: each checks a password", n)
			}
		}
	}
	return s.err
}

// rootFields counts the fields called name in a root selection set, by
// alias or through fragments: aliases would otherwise let one request run
// as many password checks as it likes.
func (s *shape) rootFields(sel ast.SelectionSet, name string, seen map[string]bool) int {
	n := 0
	for _, x := range sel {
		switch x := x.(type) {
		case *ast.Field:
			if x.Name == name {
				n++
			}
		case *ast.InlineFragment:
			n += s.rootFields(x.SelectionSet, name, seen)
		case *ast.FragmentSpread:
			if f := s.doc.Fragments.ForName(x.Name); f != nil && !seen[x.Name] {
				seen[x.Name] = true
				n += s.rootFields(f.SelectionSet, name, seen)
				delete(seen, x.Name)
			}
		}
	}
	return n
}

// shapeCount is what a selection set adds where it appears: the fields it
// puts into the enclosing set itself (direct), every field below it
// (total), and how deep it nests.
type shapeCount struct {
	direct, total, depth int
}

type shape struct {
	doc      *ast.QueryDocument
	memo     map[string]shapeCount
	visiting map[string]bool
	err      *gqlerror.Error
}

func (s *shape) fail(pos *ast.Position, format string, args ...any) {
	msg := "the operation asks for " + fmt.Sprintf(format, args...)
	err := &gqlerror.Error{Message: msg}
	if pos != nil {
		err.Locations = []gqlerror.Location{{Line: pos.Line, Column: pos.Column}}
	}
	// A request error like a failed validation: no data, and the presenter
	// codes it BAD_USER_INPUT with this reason.
	errcode.Set(err, reasonFieldLimit)
	s.err = err
}

// set counts a selection set that is a field's own (own is 1) or one that
// merges into the enclosing set (a fragment, own 0).
func (s *shape) set(sel ast.SelectionSet, own int) shapeCount {
	var c shapeCount
	var pos *ast.Position
	for _, x := range sel {
		switch x := x.(type) {
		case *ast.Field:
			if pos == nil {
				pos = x.Position
			}
			sub := s.set(x.SelectionSet, 1)
			c.direct = satAdd(c.direct, 1)
			c.total = satAdd(c.total, satAdd(1, sub.total))
			c.depth = max(c.depth, sub.depth)
		case *ast.InlineFragment:
			sub := s.set(x.SelectionSet, 0)
			c.direct = satAdd(c.direct, sub.direct)
			c.total = satAdd(c.total, sub.total)
			c.depth = max(c.depth, sub.depth)
		case *ast.FragmentSpread:
			sub := s.fragment(x.Name)
			c.direct = satAdd(c.direct, sub.direct)
			c.total = satAdd(c.total, sub.total)
			c.depth = max(c.depth, sub.depth)
		}
	}
	if own == 1 && len(sel) > 0 {
		c.depth++
		if s.err == nil && c.direct > MaxSelectionFields {
			s.fail(pos, "%d fields in one selection set, more than the limit of %d: ask for each field once, or split the request", c.direct, MaxSelectionFields)
		}
	}
	return c
}

// fragment counts a named fragment once, however often it is spread. A
// fragment that spreads itself counts nothing the second time (validation
// then refuses the cycle).
func (s *shape) fragment(name string) shapeCount {
	if c, ok := s.memo[name]; ok {
		return c
	}
	f := s.doc.Fragments.ForName(name)
	if f == nil || s.visiting[name] {
		return shapeCount{}
	}
	s.visiting[name] = true
	c := s.set(f.SelectionSet, 0)
	delete(s.visiting, name)
	if s.err == nil && c.direct > MaxSelectionFields {
		s.fail(f.Position, "%d fields in fragment %s, more than the limit of %d in one selection set: ask for each field once, or split the request", c.direct, name, MaxSelectionFields)
	}
	s.memo[name] = c
	return c
}

// satAdd adds without overflowing: fragments spread in fragments multiply.
func satAdd(a, b int) int {
	if c := a + b; c >= a {
		return c
	}
	return int(^uint(0) >> 1)
}
