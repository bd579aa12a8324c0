// Package change tells every running instance of the server that data it
// keeps in memory has changed in the database, whichever instance (or
// command) changed it, and gives caches the two shapes they take: one
// value (Value) or a bounded set by key (LRU).
//
// The mechanism is PostgreSQL's LISTEN/NOTIFY. A migration puts a
// statement-level trigger on each table some instance caches (websites,
// customer_groups, api_tokens and api_token_websites); every statement
// that inserts, updates, deletes or truncates sends
// pg_notify('segments_change', topic), one topic per kind of data
// (Websites, CustomerGroups, APITokens). PostgreSQL delivers it when the
// transaction commits, to every session LISTENing on that database, and
// folds repeats of one topic within a transaction into one.
//
// Each server process runs one Listener: a pgx connection of its own, made
// from the pool's configuration but outside the pool (a LISTENing
// connection waits for hours; taken from the pool it would be one fewer
// for requests), that LISTENs on Channel and calls the functions
// subscribed to each topic that arrives. Subscribers only drop what they
// kept; the next reader loads it again, once however many readers wait
// (Value uses singleflight).
//
// Missing a notification must never leave a cache stale, so the rule is:
// whenever the connection is (re)made, every subscriber of every topic is
// called, since anything may have changed while nobody listened; while
// there is no connection (Live is false) caches keep nothing and every
// read goes to the database. The listener reconnects by itself with a
// backoff from 100 ms to 5 s, and checks a silent connection every 30 s
// so a cut that sends no error is noticed. A value loaded while a change
// arrived is not kept (each change starts a generation; a load only keeps
// its result if the generation did not move), so a reader racing a change
// cannot store the old data after the change was seen.
//
// Latency: a change is seen by other instances as soon as its notification
// arrives, typically within milliseconds of the commit. The instance that
// made the change also invalidates its own cache right after its commit
// (Value.Invalidate, LRU.Invalidate), so its own next request never
// depends on the notification's timing.
//
// The read replica follows the same notifications (FollowReads): the
// Report topic, which triggers send for every statement that changes what
// the report reads (membership, segments, customers), and the catalogs.
// After each, the instance reads the primary's WAL position again before
// its next report read, and the replica serves that read only once it has
// replayed that far (see package db's DB.Read).
//
// Adding a cache: pick or add a Topic; for a table, add a trigger in a
// new migration calling segments_notify_change('<topic>'); for a change no
// trigger sees, call Notify in the transaction that makes the change.
// (Membership bitmaps, package bitmap, need neither: each read checks
// their versions.) Then build a Value or an LRU on
// the server's Listener with that topic, or Subscribe a function of your
// own. Nothing else needs to know.
package change
