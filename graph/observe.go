package graph

import (
	"context"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"

	"github.com/segments/segments/server/logging"
	"github.com/segments/segments/server/metric"
)

// observed is the extension that reports every operation: its name on the
// request's log line (logging.Note) and its outcome and error code to the
// metrics. It sees the answer of every request gqlgen takes, including one
// refused before execution (a parse or validation error).
type observed struct{ metrics *metric.Metrics }

var _ interface {
	graphql.HandlerExtension
	graphql.ResponseInterceptor
} = observed{}

func (observed) ExtensionName() string                   { return "Observed" }
func (observed) Validate(graphql.ExecutableSchema) error { return nil }

func (o observed) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	start := graphql.GetStartTime(ctx)
	if start.IsZero() {
		start = time.Now()
	}
	resp := next(ctx)
	if resp == nil {
		return resp
	}
	op := describe(ctx, resp)
	op.Took = time.Since(start)
	logging.NoteOf(ctx).SetOperation(metric.Name(op.Name))
	o.metrics.ObserveOperation(op)
	return resp
}

// describe is what an answered operation was: its name and type (as far as
// they are known) and its outcome with the first error's code.
func describe(ctx context.Context, resp *graphql.Response) metric.Operation {
	op := metric.Operation{Outcome: metric.OutcomeOK}
	if graphql.HasOperationContext(ctx) {
		oc := graphql.GetOperationContext(ctx)
		op.Name = oc.OperationName
		switch {
		case oc.Operation != nil:
			op.Name, op.Type = oc.Operation.Name, string(oc.Operation.Operation)
		case oc.RawQuery != "":
			// Refused before execution (validation): the name is still
			// worth counting errors under, if the text parses.
			if doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: oc.RawQuery}, MaxTokens); err == nil {
				if o := doc.Operations.ForName(oc.OperationName); o != nil {
					op.Name, op.Type = o.Name, string(o.Operation)
				}
			}
		}
	}
	if len(resp.Errors) > 0 {
		op.Outcome = metric.OutcomeError
		if d := string(resp.Data); d != "" && d != "null" && d != "{}" {
			op.Outcome = metric.OutcomePartial
		}
		op.Code, _ = resp.Errors[0].Extensions["code"].(string)
	}
	return op
}
