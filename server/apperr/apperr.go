// Package apperr is the one vocabulary of user-facing errors. Domain packages
// return these for anything a caller can fix; the GraphQL layer turns each
// Kind into extensions.code. An input with several things wrong carries them
// as Problems, each naming its field (and, in a rule, its condition), which
// the GraphQL layer sends as one error each so a form can show each in
// place. Any other error is internal: logged, and shown to the client only as
// "internal error".
package apperr

import (
	"errors"
	"fmt"
	"strings"
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
	// Problems, when set, are the separate things wrong with the input, in
	// the order the input lists them; Message joins them for readers that
	// show one line (the command line, logs).
	Problems []Problem
}

// Problem is one thing wrong with an input, and where.
type Problem struct {
	// Field is the input field at fault, as the API names it: "name",
	// "websiteIds", "conditions".
	Field string
	// Condition is, for a problem in a rule, the condition's path below
	// the rule's root group, as in "conditions[1].conditions[0]"; it is ""
	// for the root group itself and for problems outside a rule.
	Condition string
	Message   string
}

// Where is the problem's full path from the input: "name",
// "conditions.conditions[1]".
func (p Problem) Where() string {
	if p.Condition == "" {
		return p.Field
	}
	if p.Field == "" {
		return p.Condition
	}
	return p.Field + "." + p.Condition
}

// String renders the problem as "where: message".
func (p Problem) String() string {
	if w := p.Where(); w != "" {
		return w + ": " + p.Message
	}
	return p.Message
}

// Invalids returns a BadInput error listing problems (at least one); its
// Message joins them with "; ".
func Invalids(problems []Problem) error {
	s := make([]string, len(problems))
	for i, p := range problems {
		s[i] = p.String()
	}
	return &Error{Kind: BadInput, Message: strings.Join(s, "; "), Problems: problems}
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

// Denied returns a Forbidden error with a formatted message: the principal
// is known but asks beyond its role.
func Denied(format string, args ...any) error {
	return &Error{Kind: Forbidden, Message: fmt.Sprintf(format, args...)}
}

// Unknown returns an Unauthenticated error with a formatted message: the
// credentials are missing, malformed, unknown, expired or revoked.
func Unknown(format string, args ...any) error {
	return &Error{Kind: Unauthenticated, Message: fmt.Sprintf(format, args...)}
}

// As returns the *Error in err's chain, if any.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}
