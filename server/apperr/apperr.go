// Package apperr is the one vocabulary of user-facing errors. Domain packages
// return these for anything a caller can fix; the GraphQL layer turns each
// Kind into extensions.code. Any other error is internal: logged, and shown to
// the client only as "internal error".
package apperr

import (
	"errors"
	"fmt"
)

// Kind classifies an error for the client.
type Kind string

// The kinds clients can act on; they are the GraphQL extensions.code values.
const (
	BadInput        Kind = "BAD_USER_INPUT"
	NotFound        Kind = "NOT_FOUND"
	Unauthenticated Kind = "UNAUTHENTICATED"
	Forbidden       Kind = "FORBIDDEN"
)

// Error is an error whose message is written for the person who caused it.
type Error struct {
	Kind    Kind
	Message string
}

func (e *Error) Error() string { return e.Message }

// Invalid returns a BadInput error with a formatted message.
func Invalid(format string, args ...any) error {
	return &Error{Kind: BadInput, Message: fmt.Sprintf(format, args...)}
}

// Missing returns a NotFound error with a formatted message.
func Missing(format string, args ...any) error {
	return &Error{Kind: NotFound, Message: fmt.Sprintf(format, args...)}
}

// As returns the *Error in err's chain, if any.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}
