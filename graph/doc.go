// Package graph is the GraphQL layer: the gqlgen executor generated from
// schema.graphql, thin resolvers that parse arguments and call the domain
// packages, per-request dataloaders, the complexity limit and the one place
// errors are mapped to extensions.code.
//
// Regenerate with `make generate` after changing schema.graphql or gqlgen.yml.
package graph
