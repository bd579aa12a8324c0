package graph

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/segments/segments/graph/model"
	"github.com/segments/segments/server/apperr"
	"github.com/segments/segments/server/auth"
)

// Access control lives here and nowhere else in the GraphQL layer: every
// field of Query and Mutation, and the fields and input fields that expose a
// person, carry @requires(role: …) in schema.graphql, and requires enforces
// it before the field resolves (or, for an input field, before the
// operation runs). CheckRoles, run when the handler is built, refuses a
// schema with a Query or Mutation field that names no role, so a new field
// cannot be served by forgetting to guard it.

// requires is the @requires directive. Without a principal in the context
// the answer is UNAUTHENTICATED; with a role weaker than role, FORBIDDEN
// naming the role needed; next (the resolver, or the input field's
// decoding) runs only when the principal's role includes role. A user
// whose password an admin chose gets FORBIDDEN on everything but viewer and
// changePassword, whatever its role, until it picks its own.
func requires(ctx context.Context, obj any, next graphql.Resolver, role model.Role) (any, error) {
	input, isInput := obj.(map[string]any)
	what := fieldName(ctx, isInput)
	p := auth.From(ctx)
	if p == nil {
		return nil, apperr.Unknown("%s needs credentials: sign in, or send an API token as Authorization: Bearer seg_…", what)
	}
	if p.MustChangePassword && (isInput || !passwordFree[what]) {
		return nil, apperr.Denied("Choose a new password first: an admin set yours.")
	}
	if p.Role.Includes(authRole(role)) {
		return next(ctx)
	}
	if isInput {
		// An input field left empty does not filter: it reveals nothing.
		if empty(input[lastField(ctx)]) {
			return next(ctx)
		}
		return nil, apperr.Denied("%s needs the %s role (you have %s): with your role, filter customers only by websiteIds, groupIds and countryCodes", what, role, modelRole(p.Role))
	}
	return nil, apperr.Denied("%s needs the %s role (you have %s)", what, role, modelRole(p.Role))
}

// passwordFree are the fields a user whose password an admin chose may
// use before choosing a new one: who am I, and the way out. Every other
// guarded field, queries and mutations alike, is refused before it runs.
var passwordFree = map[string]bool{"viewer": true, "changePassword": true}

// fieldName names the guarded field for messages: "deleteSegments",
// "CustomerConnection.nodes", or an input field by its path in the
// arguments ("filter.email").
func fieldName(ctx context.Context, isInput bool) string {
	if isInput {
		var parts []string
		for pc := graphql.GetPathContext(ctx); pc != nil; pc = pc.Parent {
			if pc.Field != nil {
				parts = append(parts, *pc.Field)
			}
		}
		slices.Reverse(parts)
		return strings.Join(parts, ".")
	}
	fc := graphql.GetFieldContext(ctx)
	if fc == nil {
		return "this field"
	}
	if fc.Object == "Query" || fc.Object == "Mutation" {
		return fc.Field.Name
	}
	return fc.Object + "." + fc.Field.Name
}

// lastField is the input field being decoded.
func lastField(ctx context.Context) string {
	if pc := graphql.GetPathContext(ctx); pc != nil && pc.Field != nil {
		return *pc.Field
	}
	return ""
}

// empty reports whether an input value is null, "" or [].
func empty(v any) bool {
	switch v := v.(type) {
	case nil:
		return true
	case string:
		return v == ""
	case []any:
		return len(v) == 0
	}
	return false
}

// requiresDirective is the directive's name in schema.graphql.
const requiresDirective = "requires"

// CheckRoles returns an error naming every field of the schema's Query and
// Mutation types that has no @requires(role: …), or whose role is not one of
// the Role enum's values: a field without one would be served to anyone.
func CheckRoles(s *ast.Schema) error {
	var missing []string
	for _, root := range []*ast.Definition{s.Query, s.Mutation, s.Subscription} {
		if root == nil {
			continue
		}
		for _, f := range root.Fields {
			if strings.HasPrefix(f.Name, "__") {
				continue // introspection, which the HTTP layer keeps to signed-in principals
			}
			d := f.Directives.ForName(requiresDirective)
			if d == nil {
				missing = append(missing, root.Name+"."+f.Name)
				continue
			}
			arg := d.Arguments.ForName("role")
			if arg == nil || arg.Value == nil || !model.Role(arg.Value.Raw).IsValid() {
				missing = append(missing, root.Name+"."+f.Name+" (no valid role)")
			}
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("every Query and Mutation field needs @requires(role: …) in schema.graphql; missing on %s", strings.Join(missing, ", "))
	}
	return nil
}

// authRole is the domain's role for a GraphQL Role.
func authRole(r model.Role) auth.Role {
	switch r {
	case model.RoleAnalyst:
		return auth.Analyst
	case model.RoleViewer:
		return auth.Viewer
	case model.RoleEditor:
		return auth.Editor
	case model.RoleAdmin:
		return auth.Admin
	}
	// An unknown role is the strongest: nothing weaker gets through.
	return auth.Admin + 1
}

// modelRole is the GraphQL Role for a domain role.
func modelRole(r auth.Role) model.Role {
	return model.Role(strings.ToUpper(r.String()))
}
