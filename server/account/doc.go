// Package account keeps the principals package auth describes: users
// (email, an argon2id password hash, role, websites) and API tokens (a
// secret shown once and stored only as its SHA-256).
//
// Service turns a password, a session's user id or a token secret into an
// auth.Principal (Authenticate, UserPrincipal, TokenPrincipal), and lets
// admins create and change users and tokens, never granting more than the
// acting principal (auth.From) holds. Any change to a user's role,
// websites, password or disabled state ends its sessions. Password hashes
// run a few at a time (MaxHashes), so a flood of sign-ins waits its turn
// instead of taking every CPU.
//
// Each change is recorded in the audit log (audit.Record) in the change's
// own transaction: the change and its record are kept or lost together.
package account
