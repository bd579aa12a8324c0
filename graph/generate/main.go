// Command generate regenerates the GraphQL executor (graph/generated.go)
// from schema.graphql and gqlgen.yml, as `gqlgen generate` does, and then
// marshals inline the lists whose elements resolve nothing concurrently.
//
// gqlgen marshals every list of objects with a goroutine per element, so
// that resolvers of different elements (a dataloader's keys) run together.
// A list whose element type, and every object reachable through its
// fields, has no such resolver gains nothing from that: a drill-down page
// of 50 customers started 50 goroutines that each grew their stack, about
// a fifth of the server's CPU per page. Those lists call marshalInline
// (graph/lists.go) instead; the others keep gqlgen's concurrent marshaling.
//
// Run it with `make generate` (go run ./graph/generate).
package main

import (
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"

	"github.com/99designs/gqlgen/api"
	"github.com/99designs/gqlgen/codegen"
	"github.com/99designs/gqlgen/codegen/config"
	"github.com/vektah/gqlparser/v2/ast"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "generate:", err)
		os.Exit(1)
	}
}

func run() error {
	cfg, err := config.LoadConfigFromDefaultLocations()
	if err != nil {
		return err
	}
	lists := &inlineLists{}
	if err := api.Generate(cfg, api.AddPlugin(lists)); err != nil {
		return err
	}
	return lists.rewrite(cfg.Exec.Filename)
}

// inlineLists finds, while gqlgen builds its data, the marshal functions
// of lists that may be marshaled inline.
type inlineLists struct {
	funcs []string
}

// Name names the plugin.
func (*inlineLists) Name() string { return "inlinelists" }

// GenerateCode runs before gqlgen writes the executor: it only records
// which list marshalers to rewrite afterwards.
func (l *inlineLists) GenerateCode(data *codegen.Data) error {
	objects := map[string]*codegen.Object{}
	for _, o := range data.Objects {
		objects[o.Name] = o
	}
	safe := map[string]bool{}
	var inline func(name string) bool
	inline = func(name string) bool {
		if v, seen := safe[name]; seen {
			return v
		}
		o, ok := objects[name]
		if !ok {
			return false // an interface or union: its members are not checked
		}
		safe[name] = true // a cycle is decided by the other fields
		for _, f := range o.Fields {
			if f.IsConcurrent() {
				safe[name] = false
				return false
			}
			if d := data.Schema.Types[f.Type.Name()]; d != nil && d.Kind != ast.Scalar && d.Kind != ast.Enum && !inline(d.Name) {
				safe[name] = false
				return false
			}
		}
		return true
	}
	for _, ref := range data.ReferencedTypes {
		if !ref.IsSlice() || ref.Definition == nil || ref.Definition.Kind != ast.Object {
			continue
		}
		if inline(ref.Definition.Name) {
			l.funcs = append(l.funcs, ref.MarshalFunc())
		}
	}
	sort.Strings(l.funcs)
	return nil
}

// concurrent is the call gqlgen writes in a list marshaler (worker limit 0,
// panic handler on: gqlgen.yml sets neither).
var concurrent = regexp.MustCompile(`graphql\.MarshalSliceConcurrently\(ctx, len\(v\), 0, false, `)

// rewrite replaces the concurrent call in each recorded marshaler of file.
func (l *inlineLists) rewrite(file string) error {
	b, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	src := string(b)
	for _, fn := range l.funcs {
		head := "func (ec *executionContext) " + fn + "("
		start := strings.Index(src, head)
		if start < 0 {
			return fmt.Errorf("%s: no function %s", file, fn)
		}
		end := start + strings.Index(src[start:], "\n}\n")
		body := concurrent.ReplaceAllLiteralString(src[start:end], "marshalInline(ctx, len(v), ")
		src = src[:start] + body + src[end:]
	}
	return os.WriteFile(file, []byte(src), 0o644)
}
