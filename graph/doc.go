// Package graph is the GraphQL layer: the gqlgen executor generated from
// schema.graphql, thin resolvers that parse arguments and call the domain
// packages, per-request dataloaders, the one place errors are mapped to
// extensions.code — an input with several problems becomes one error per
// problem, each naming its field and condition — and the bounds on one
// request: fields per selection set and in all, counted on the parsed text
// before validation (limits.go), the cost (cost.go, which prices root fields
// and each totalCount), and a time limit and a share of the pool for its
// statements (handler.go).
//
// Access control is the @requires(role: …) directive (access.go): every
// Query and Mutation field names the weakest role it needs, and so do the
// customer rows and the filters that could single out a person. The
// directive refuses before anything runs (UNAUTHENTICATED without a
// principal, FORBIDDEN naming the role), and NewHandler refuses a schema
// with an unguarded root field. Resolvers never check roles themselves.
//
// The HTTP handler answers GraphQL over HTTP by the specification: a request
// that fails before execution has no "data" entry, and its status follows
// the media type the client accepts (make test-http runs the graphql-http
// audit against the real server). Every change to this contract goes into
// CHANGELOG.md.
//
// Every type, field, argument and enum value in schema.graphql carries a
// description (a test checks): introspection is the API's reference.
// Regenerate with `make generate` after changing schema.graphql or gqlgen.yml.
package graph
