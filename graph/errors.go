package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/segments/segments/server/apperr"
)

// codeInternal is extensions.code for errors the client cannot fix.
const codeInternal = "INTERNAL"

// presentError is the one mapping from errors to GraphQL errors: apperr
// errors keep their message and get their Kind as extensions.code; errors
// gqlgen raised for the request itself (parse, validation, complexity) keep
// theirs; anything else is logged and masked.
func presentError(log *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		gqlErr := graphql.DefaultErrorPresenter(ctx, err)
		if e, ok := apperr.As(err); ok {
			gqlErr.Message = e.Message
			setCode(gqlErr, string(e.Kind))
			return gqlErr
		}
		var direct *gqlerror.Error
		if errors.As(err, &direct) && direct.Err == nil {
			// Raised by gqlgen about the request (parse, validation,
			// coercion, complexity): safe and meant for the client. Its own
			// code, if any, stays as extensions.reason.
			if c, ok := gqlErr.Extensions["code"]; ok {
				gqlErr.Extensions["reason"] = c
				if c == "COMPLEXITY_LIMIT_EXCEEDED" {
					gqlErr.Message += ": ask for smaller pages (first/last) or fewer nested connections"
				}
			}
			setCode(gqlErr, string(apperr.BadInput))
			return gqlErr
		}
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			gqlErr.Message = "the request was cancelled or took too long"
			setCode(gqlErr, codeInternal)
			return gqlErr
		}
		log.ErrorContext(ctx, "graphql: internal error", "path", gqlErr.Path.String(), "err", err)
		gqlErr.Message = "internal error: the server logged the details"
		setCode(gqlErr, codeInternal)
		return gqlErr
	}
}

func setCode(e *gqlerror.Error, code string) {
	if e.Extensions == nil {
		e.Extensions = map[string]any{}
	}
	e.Extensions["code"] = code
}

// recoverPanic turns a resolver panic into a masked internal error.
func recoverPanic(log *slog.Logger) graphql.RecoverFunc {
	return func(ctx context.Context, p any) error {
		log.ErrorContext(ctx, "graphql: panic", "panic", p)
		return fmt.Errorf("panic: %v", p)
	}
}
