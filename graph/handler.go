package graph

import (
	"log/slog"
	"net/http"

	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/transport"

	"github.com/segments/segments/graph/model"
	"github.com/segments/segments/server/page"
)

// MaxComplexity bounds one operation's cost. Each field costs 1 and a
// connection multiplies its children by its page size, so one page of 200
// customers with every column fits and a nested page-of-pages does not.
const MaxComplexity = 25_000

// NewHandler returns the POST /graphql handler.
func NewHandler(r *Resolver, log *slog.Logger) http.Handler {
	cfg := Config{Resolvers: r}
	pageCost := func(child int, first, last *int) int {
		n := page.DefaultSize
		if first != nil {
			n = *first
		} else if last != nil {
			n = *last
		}
		if n < 1 {
			n = 1
		}
		return 1 + child*n
	}
	cfg.Complexity.Query.Segments = func(child int, first *int, _ *string, last *int, _ *string, _ *model.SegmentFilter, _ *model.SegmentOrder) int {
		return pageCost(child, first, last)
	}
	cfg.Complexity.Query.SegmentCustomers = func(child int, _ []int64, _ *model.SegmentSetMode, first *int, _ *string, last *int, _ *string, _ *model.CustomerFilter, _ *model.CustomerOrder) int {
		return pageCost(child, first, last)
	}
	cfg.Complexity.Segment.Customers = func(child int, first *int, _ *string, last *int, _ *string, _ *model.CustomerFilter, _ *model.CustomerOrder) int {
		return pageCost(child, first, last)
	}
	cfg.Complexity.Segment.RefreshHistory = func(child int, last *int) int {
		return pageCost(child, nil, last)
	}

	srv := handler.New(NewExecutableSchema(cfg))
	srv.AddTransport(transport.POST{})
	srv.AddTransport(transport.GET{})
	srv.Use(extension.Introspection{})
	srv.Use(extension.FixedComplexityLimit(MaxComplexity))
	srv.SetErrorPresenter(presentError(log))
	srv.SetRecoverFunc(recoverPanic(log))
	return r.withLoaders(srv)
}
