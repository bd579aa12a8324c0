package graph_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql/introspection"
	"github.com/stretchr/testify/require"
)

// query posts one operation to a handler without a database and returns
// its errors and data.
func query(t *testing.T, q string) (gqlErrors, json.RawMessage) {
	t.Helper()
	body, err := json.Marshal(map[string]any{"query": q})
	require.NoError(t, err)
	status, _, out := post(t, string(body), "application/json")
	require.Equal(t, http.StatusOK, status)
	var errs gqlErrors
	if raw, ok := out["errors"]; ok {
		require.NoError(t, json.Unmarshal(raw, &errs))
	}
	return errs, out["data"]
}

// refused asserts q is refused before it runs, as the client's to fix, with
// a message naming the limit.
func refused(t *testing.T, q, reason, limit string) {
	t.Helper()
	errs, data := query(t, q)
	require.Nil(t, data, "nothing ran")
	require.Len(t, errs, 1)
	require.Equal(t, "BAD_USER_INPUT", errs[0].Extensions["code"], errs[0].Message)
	require.Equal(t, reason, errs[0].Extensions["reason"], errs[0].Message)
	require.Contains(t, errs[0].Message, limit)
	require.Less(t, len(errs[0].Message), 400, "the query is not echoed")
}

func TestFieldLimits(t *testing.T) {
	t.Parallel()
	for _, n := range []int{201, 1_000, 4_900} {
		refused(t, "{ "+strings.Repeat("__typename ", n)+"}", "FIELD_LIMIT_EXCEEDED",
			fmt.Sprintf("%d fields in one selection set, more than the limit of 200", n))
	}
	refused(t, "{ store { "+strings.Repeat("timeZone ", 1_000)+"} }", "FIELD_LIMIT_EXCEEDED", "limit of 200")

	// Fragments count where they are spread: 20 spreads of 20 fields make
	// 400 in one set, and nested spreads multiply.
	frag := "fragment F on Query { " + strings.Repeat("__typename ", 20) + "}"
	refused(t, "{ "+strings.Repeat("...F ", 20)+"} "+frag, "FIELD_LIMIT_EXCEEDED", "400 fields in one selection set")
	var b strings.Builder
	b.WriteString("{ store { ...F0 } } ")
	for i := range 12 {
		fmt.Fprintf(&b, "fragment F%d on Store { ...F%d ...F%d } ", i, i+1, i+1)
	}
	b.WriteString("fragment F12 on Store { timeZone }")
	refused(t, b.String(), "FIELD_LIMIT_EXCEEDED", "limit of 200")

	// 2,000 in all: 15 sets of 150.
	var many strings.Builder
	many.WriteString("{ ")
	for i := range 15 {
		fmt.Fprintf(&many, "a%d: store { %s} ", i, strings.Repeat("timeZone ", 150))
	}
	many.WriteString("}")
	refused(t, many.String(), "FIELD_LIMIT_EXCEEDED", "2265 fields in all, more than the limit of 2000")

	deep := "{ " + strings.Repeat("__type(name: \"Query\") { ofType { ", 1) + strings.Repeat("ofType { ", 30) + "name" + strings.Repeat(" }", 32) + " }"
	refused(t, deep, "FIELD_LIMIT_EXCEEDED", "nested 33 levels deep, more than the limit of 20")

	// A self-spreading fragment is validation's to refuse, not a hang.
	errs, _ := query(t, "{ ...F } fragment F on Query { __typename ...F }")
	require.Equal(t, "BAD_USER_INPUT", errs[0].Extensions["code"])
}

// TestIntrospectionAndAppQueriesPass: GraphiQL's introspection is well
// within the limits (the app's queries run in the api tests).
func TestIntrospectionAndAppQueriesPass(t *testing.T) {
	t.Parallel()
	for _, q := range []string{introspection.Query, introspection.NewQuery(introspection.QueryOptions{OneOf: true})} {
		errs, data := query(t, q)
		require.Empty(t, errs)
		require.Contains(t, string(data), `"queryType"`)
	}
}

func TestOneChangePasswordPerOperation(t *testing.T) {
	t.Parallel()
	const cp = `changePassword(current: "guess one", new: "another long password")`
	refused(t, `mutation { a: `+cp+` b: `+cp+` }`, "FIELD_LIMIT_EXCEEDED", "changePassword 2 times, more than the limit of once per operation")
	refused(t, `mutation { a: `+cp+` ... on Mutation { b: `+cp+` } ...F } fragment F on Mutation { c: `+cp+` }`,
		"FIELD_LIMIT_EXCEEDED", "changePassword 3 times")
	// One is not this rule's to refuse.
	errs, _ := query(t, `mutation { `+cp+` }`)
	for _, e := range errs {
		require.NotEqual(t, "FIELD_LIMIT_EXCEEDED", e.Extensions["reason"], e.Message)
	}
}
