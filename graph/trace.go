package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	oteltrace "go.opentelemetry.io/otel/trace"

	"github.com/segments/segments/server/metric"
)

// traced is the extension that makes one span per GraphQL operation, under
// the request's HTTP span, so the operation's statements nest under it
// (package trace). The span carries the operation's name and type and the
// first error's code, never its variables or its text, which may hold
// personal data; its name is "TYPE NAME" with the name as metric.Name
// shows it.
type traced struct{ tracer oteltrace.Tracer }

var _ interface {
	graphql.HandlerExtension
	graphql.ResponseInterceptor
} = traced{}

func (traced) ExtensionName() string                   { return "Traced" }
func (traced) Validate(graphql.ExecutableSchema) error { return nil }

func (t traced) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	ctx, span := t.tracer.Start(ctx, "graphql")
	defer span.End()
	resp := next(ctx)
	if resp == nil || !span.IsRecording() {
		return resp
	}
	op := describe(ctx, resp)
	name := metric.Name(op.Name)
	span.SetName(name)
	attrs := []attribute.KeyValue{attribute.String("graphql.operation.name", name)}
	if op.Type != "" {
		span.SetName(op.Type + " " + name)
		attrs = append(attrs, attribute.String("graphql.operation.type", op.Type))
	}
	if op.Outcome != metric.OutcomeOK {
		code := op.Code
		if code == "" {
			code = "UNKNOWN"
		}
		attrs = append(attrs, attribute.String("error.type", code), attribute.String("graphql.outcome", op.Outcome))
		span.SetStatus(codes.Error, code)
	}
	span.SetAttributes(attrs...)
	return resp
}
