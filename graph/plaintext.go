package graph

import (
	"context"
	"regexp"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// plainText refuses an operation with a NUL character anywhere in it, in
// its text (raw or escaped in a string literal) or in its variables:
// PostgreSQL cannot store NUL in text, and it has no place in a name, a rule
// value or a filter, so it would otherwise surface as an internal error.
// Invalid UTF-8 never gets this far: overHTTP refuses it with the body.
type plainText struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
} = plainText{}

func (plainText) ExtensionName() string                          { return "PlainText" }
func (plainText) Validate(schema graphql.ExecutableSchema) error { return nil }

// escapedNUL matches the GraphQL escapes for U+0000 in a string literal.
var escapedNUL = regexp.MustCompile(`\\u(0000|\{0+\})`)

func (plainText) MutateOperationParameters(_ context.Context, p *graphql.RawParams) *gqlerror.Error {
	if strings.ContainsRune(p.Query, 0) || escapedNUL.MatchString(p.Query) || hasNUL(p.Variables) {
		err := &gqlerror.Error{Message: "the request contains a NUL character (U+0000), which no name, rule value or filter may hold: remove it"}
		// A request error like a failed validation: no data, and the
		// presenter codes it BAD_USER_INPUT.
		errcode.Set(err, errcode.ValidationFailed)
		return err
	}
	return nil
}

// hasNUL reports whether any string in a decoded JSON value holds NUL.
func hasNUL(v any) bool {
	switch v := v.(type) {
	case string:
		return strings.ContainsRune(v, 0)
	case map[string]any:
		for k, x := range v {
			if strings.ContainsRune(k, 0) || hasNUL(x) {
				return true
			}
		}
	case []any:
		for _, x := range v {
			if hasNUL(x) {
				return true
			}
		}
	}
	return false
}
