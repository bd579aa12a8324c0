// Package catalog holds the store's two small reference tables, websites
// and customer groups, as bun models, and the reads the API and exports
// need (every row, in the order people expect to see them).
//
// Customers point at both tables by id; rules and files name them by code.
// An import creates the codes it does not know yet, named after themselves
// (CreateWebsites, CreateCustomerGroups), and the demo seed makes sure its
// own codes exist with their display names (EnsureWebsites,
// EnsureCustomerGroups). Whatever changes store data (imports, erasure, the
// seed) also stamps it with MarkDataChanged, so segments show as stale.
// File formats are in docs/files.md, the tables in
// docs/data-model.md.
//
// A [Cache] keeps both tables in memory until a change notification (from
// any instance) empties it. [Cache.WebsitesByID] and
// [Cache.CustomerGroupsByID] are the one way a listing turns its rows' ids
// into entries: from the kept copy, read again once when it lacks an id
// created since.
package catalog
