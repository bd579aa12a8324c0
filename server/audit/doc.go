// Package audit keeps the audit log: every sign-in, change to users,
// tokens and segments, refresh request, export and download, with who did
// it (the principal in the context), when, and from which client address.
//
// Record writes an event in the caller's transaction, so an event exists
// exactly when the change it describes was committed. Details never hold
// more personal data than an id: a customer's name or email never enters
// the log. Events are kept for a retention period (AUDIT_RETENTION) and
// then deleted by the retention sweep; nothing else changes them.
package audit
