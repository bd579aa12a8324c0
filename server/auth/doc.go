// Package auth decides who is asking and what they may see.
//
// A request carries one Principal: a person signed in to the app (a user
// with a session cookie), a client sending an API token, or the system
// itself (the command line, scheduled refreshes, export workers acting for
// the principal who asked). The principal has one Role — analyst, viewer,
// editor or admin, each including the one before — and a Scope: the
// websites it may see (none named: all of them).
//
// The principal travels in the request's context. Domain packages read the
// scope from the context (ScopeOf) inside their own queries, so no path
// around the GraphQL layer sees more than the principal may; a context
// without a principal sees nothing. The role a GraphQL field needs is
// declared once, in the schema.
//
// The users and API tokens principals stand for, with users' passwords,
// are kept by package account.
package auth
