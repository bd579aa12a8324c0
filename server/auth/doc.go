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
// Service keeps the principals themselves: users (email, an argon2id
// password hash, role, websites) and API tokens (a secret shown once and
// stored only as its SHA-256). It turns a password, a session's user id or
// a token secret into a Principal (Authenticate, UserPrincipal,
// TokenPrincipal), and lets admins create and change users and tokens,
// never granting more than the acting principal holds. Any change to a
// user's role, websites, password or disabled state ends its sessions.
// Password hashes run a few at a time (MaxHashes), so a flood of sign-ins
// waits its turn instead of taking every CPU. Each change is recorded in
// the audit log in its own transaction, through the recorder package audit
// registers.
package auth
