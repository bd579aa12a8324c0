// Package model holds the GraphQL types that are not domain types: gqlgen's
// generated inputs, enums and outputs (models_gen.go), the ID and Time
// scalars, and the connection types whose totalCount runs only on demand.
package model
