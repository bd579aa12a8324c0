package graph

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/segments/segments/server/apperr"
)

// codeInternal is extensions.code for errors the client cannot fix.
const codeInternal = "INTERNAL"

// codeTimeout is extensions.code for work cut off by the request's time
// limit: the client may ask for less, or try again later.
const codeTimeout = "TIMEOUT"

// presentError is the one mapping from errors to GraphQL errors: apperr
// errors keep their message and get their Kind as extensions.code; errors
// gqlgen raised for the request itself (parse, validation, complexity) keep
// theirs; anything else is logged and masked.
func presentError(log *slog.Logger, timeout time.Duration) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		gqlErr := graphql.DefaultErrorPresenter(ctx, err)
		if e, ok := apperr.As(err); ok {
			gqlErr.Message = e.Message
			setCode(gqlErr, string(e.Kind))
			return gqlErr
		}
		var direct *gqlerror.Error
		if errors.As(err, &direct) && direct.Err == nil && gqlErr.Extensions["code"] == codePersistedQueryNotFound {
			// The automatic persisted query protocol: clients look for this
			// code (older ones for the message, PersistedQueryNotFound) and
			// send the operation's text with its hash.
			return gqlErr
		}
		if errors.As(err, &direct) && direct.Err == nil {
			// Raised by gqlgen about the request (parse, validation,
			// coercion, complexity): safe and meant for the client. Its own
			// code, if any, stays as extensions.reason.
			if c, ok := gqlErr.Extensions["code"]; ok {
				gqlErr.Extensions["reason"] = c
			}
			setCode(gqlErr, string(apperr.BadInput))
			return gqlErr
		}
		if errors.Is(ctx.Err(), context.DeadlineExceeded) || errors.Is(err, context.DeadlineExceeded) {
			gqlErr.Message = fmt.Sprintf("the request took longer than its limit of %s (REQUEST_STATEMENT_TIMEOUT) and was stopped: ask for less at once, such as smaller pages or fewer totalCounts", timeout)
			setCode(gqlErr, codeTimeout)
			return gqlErr
		}
		if errors.Is(err, context.Canceled) {
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

// onePerProblem sends each problem of an input (apperr.Error.Problems) as
// an error of its own, in order, so a form can show each beside the field it
// is about: extensions.field names the input field ("name", "websiteIds",
// "conditions") and, for a problem in one condition of a rule,
// extensions.condition its path below the root group
// ("conditions[1].conditions[0]"). The message starts with the same place
// ("conditions[1].conditions[0]: BETWEEN needs two values"), so a person
// reading the raw response can act on it too. The presenter has already
// given the joined error its code; it stays on every problem.
func onePerProblem(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	if resp == nil || len(resp.Errors) == 0 {
		return resp
	}
	var out gqlerror.List
	for _, gqlErr := range resp.Errors {
		e, ok := apperr.As(gqlErr)
		if !ok || len(e.Problems) == 0 {
			out = append(out, gqlErr)
			continue
		}
		for _, p := range e.Problems {
			msg := p.Message
			if where := cmp.Or(p.Condition, p.Field); where != "" {
				msg = where + ": " + msg
			}
			one := &gqlerror.Error{Message: msg, Path: gqlErr.Path, Locations: gqlErr.Locations, Err: e}
			setCode(one, string(e.Kind))
			if p.Field != "" {
				one.Extensions["field"] = p.Field
			}
			if p.Condition != "" {
				one.Extensions["condition"] = p.Condition
			}
			out = append(out, one)
		}
	}
	resp.Errors = out
	return resp
}

// recoverPanic turns a resolver panic into a masked internal error.
func recoverPanic(log *slog.Logger) graphql.RecoverFunc {
	return func(ctx context.Context, p any) error {
		log.ErrorContext(ctx, "graphql: panic", "panic", p)
		return fmt.Errorf("panic: %v", p)
	}
}
