// Package segment owns segments and their tables: segments,
// segment_websites, segment_customers (membership), segment_website_counts,
// segment_refreshes (history) and segment_refresh_websites (history per
// website), each with a bun model here.
//
//   - [Store] reads segments: by id, their refresh history, the keyset
//     pages and counts of the segment list, every matching id at once
//     ([Store.IDs], the grid's Select All) and how the members of 2 to 10
//     segments overlap ([Store.Overlap]: one statement grouping members by
//     the set of segments they are in). [CheckIDs] puts a client's list of
//     segment ids in canonical form and reports the missing ones.
//   - [Manager] creates, edits ([Patch]: only the fields set), activates and
//     deletes segments, up to [MaxMassIDs] at once, all or nothing. Every
//     change that needs a refresh (a new rule or websites, never a rename)
//     schedules one ([Enqueue]) in its own transaction, so the refresh
//     exists exactly when the change commits. [Manager.Preview] counts what
//     an unsaved rule would select now, with the refresh's rule compiler.
//   - [Refresher] recomputes membership by evaluating each segment's rule
//     inside PostgreSQL (package rule compiles it; docs/rules.md says what
//     rules mean). It reads orders once and customers once per batch of
//     segments, then writes each segment in its own transaction. A segment
//     refreshed before is refreshed incrementally: only the customers the
//     change log (customer_changes, kept by triggers) holds since its last
//     refresh's snapshot, and those crossing a day threshold of its rule
//     since its last refresh's day, are evaluated and compared;
//     [RefreshOptions].Full evaluates everyone. Each
//     statement has a time limit ([RefreshOptions].StatementTimeout): a
//     segment over it keeps its old members and the run, having refreshed
//     the others, fails naming it. Deleting a segment cancels the statement
//     evaluating it (the refresher watches for deletions and cancels its own
//     backend); the run goes on without it.
//   - [Manager] refuses an oversized rule (rule.CheckSize) before it opens a
//     transaction.
//
// Every read answers as the principal in the context sees it (auth.ScopeOf):
// a principal limited to some websites sees the segments of its websites,
// with counts, websites and history of those alone, and a segment it does
// not see is indistinguishable from an unknown one (scope.go). A scoped
// editor changes only segments wholly within its websites.
//
// Ordinary reads and writes use bun's query builder. The list pages and the
// refresh are hand-built statements whose values are bind parameters
// ([db.Args]), so their SQL text never depends on a value.
//
// Membership (segment_customers) is written only by a refresh, one
// transaction per segment, touching only the rows that changed, so a reader
// sees a segment's old member set or its new one, never a mix. The segment's
// row is locked while it is written; a rule edited during a run is
// evaluated again under that lock, so the membership stored is always that
// of the rule version recorded. See docs/data-model.md and docs/jobs.md.
package segment
