package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
)

// marshalInline marshals a list's elements one after the other, in the
// calling goroutine: what graph/generate puts in place of gqlgen's
// goroutine per element for lists whose elements resolve nothing
// concurrently (see its doc). Each element gets its index in the path,
// as gqlgen gives it, for errors.
func marshalInline(ctx context.Context, n int, marshal func(context.Context, int) graphql.Marshaler) graphql.Array {
	ret := make(graphql.Array, n)
	for i := range n {
		index := i
		ret[i] = marshal(graphql.WithFieldContext(ctx, &graphql.FieldContext{Index: &index}), i)
	}
	return ret
}
