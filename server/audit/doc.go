// Package audit keeps the audit log: every sign-in, change to users,
// tokens and segments, refresh request, export and download, with who did
// it (the principal in the context), when, and from which client address.
//
// Record writes an event in the caller's transaction, so an event exists
// exactly when the change it describes was committed. Details never hold
// more personal data than an id: a customer's name or email never enters
// the log. A download through a signed link is recorded with RecordByLink:
// its principal is "link", whoever holds it.
//
// List reads the log newest first, in keyset pages (server/page), filtered
// by action, principal and time, for the admins' auditEvents. Events are
// kept for a retention period (AUDIT_RETENTION, default 400 days) and then
// deleted by Sweep, which the command wiring schedules as a periodic job
// (SweepArgs); nothing else changes them.
package audit
