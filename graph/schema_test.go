package graph_test

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/segments/segments/graph"
)

// TestSchemaDescribesItself fails when a type, field, argument, enum value
// or input field of the served schema has no description: introspection is
// the API's reference, so everything in it must say what it is.
func TestSchemaDescribesItself(t *testing.T) {
	t.Parallel()
	schema := graph.NewExecutableSchema(graph.Config{}).Schema()
	var missing []string
	need := func(desc, what string) {
		if strings.TrimSpace(desc) == "" {
			missing = append(missing, what)
		}
	}
	for name, def := range schema.Types {
		if def.BuiltIn {
			continue
		}
		need(def.Description, name)
		for _, f := range def.Fields { // object and interface fields, input fields
			if strings.HasPrefix(f.Name, "__") {
				continue // introspection's own fields
			}
			need(f.Description, name+"."+f.Name)
			for _, a := range f.Arguments {
				need(a.Description, name+"."+f.Name+"("+a.Name+")")
			}
		}
		for _, v := range def.EnumValues {
			need(v.Description, name+"."+v.Name)
		}
	}
	require.Empty(t, missing, "add a description to each of these in schema.graphql")
}

// TestSchemaIsSelfContained keeps the schema's text, which introspection
// serves to anyone, free of references to documents a client cannot see.
func TestSchemaIsSelfContained(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("../schema.graphql")
	require.NoError(t, err)
	for _, s := range []string{"../", "DESIGN", ".md"} {
		require.NotContains(t, string(b), s)
	}
}
