// Package bitmap keeps each segment's membership also as compressed
// bitmaps of customer ids (Roaring, its 64-bit variant, since customer ids
// are bigint), one per website, and answers from them what is a set
// operation on whole segments: the drill-down's totalCount of any union,
// intersection or exclusion filtered by websites at most (package
// customer), and segmentOverlap (package segment). Counting ten segments
// of a million customers takes milliseconds in memory, against a second
// for SQL's first pass over their membership.
//
// # Storage
//
// Table segment_bitmaps holds one row per segment and website with
// members: the bitmap of the customers whose membership row names that
// website (segment_customers.website_id, the website the refresh saw), in
// Roaring's portable serialization. segments.bitmap_version numbers the
// segment's bitmaps: drawn from the sequence segment_bitmap_versions, so a
// number is never used twice, even for a segment whose bitmaps were
// dropped and built again. NULL means "no bitmaps yet" (a segment not
// refreshed since the migration): such a segment is counted in SQL, as
// before. Per website, not one bitmap per segment, because every count is
// limited to the principal's websites: the scope's bitmaps are ORed.
//
// # Writing
//
// Whatever changes membership changes the bitmaps in the same transaction,
// so they are exactly the membership rows whenever a reader can see
// either. A refresh calls [Refreshed] after applying and recording its
// difference (package segment's write): it reads the refresh's table of
// changes, loads the segment's bitmaps, applies them and writes the
// websites changed back ([Apply]); a segment without bitmaps, or one that
// had no members, is built from its membership rows ([Build]). A refresh
// that changed nothing writes no bitmap and keeps the version (it only
// records itself in bitmap_refresh_id).
// segments.bitmap_refresh_id names the refresh whose membership the
// bitmaps hold: a refresh by a binary without bitmaps (an instance of the
// previous version during a rolling upgrade) records a newer one, so
// readers leave the bitmaps alone and the next refresh builds them again
// instead of applying its difference; so does a result that disagrees
// with the segment's count. Erasure
// calls [Erased], which takes the erased customers out of every segment's
// bitmaps before their membership rows cascade away. Each write draws a
// new version.
//
// # Reading
//
// A [Cache] (one per server, shared by the counts and the overlap) keeps
// the bitmaps it has loaded with their versions. It does not rely on
// change notifications: before answering it reads the versions of the
// segments it needs (and whether they hold the latest refresh's
// membership), in one statement on the primary key, and loads again
// only those that moved, so an instance that missed a notification (or a
// refresh on another instance) never answers from old bitmaps. That read
// follows the rule of the report's other reads (db.DB.Read): on a read
// replica only when it has replayed every change this instance knows of,
// so a bitmap answer is never older than the SQL one would be. Bitmaps
// whose total disagrees with the segment's stored count are not trusted
// (counted in SQL) until a new version. The cache holds at most
// [DefaultBudget] bytes, least recently used first out.
//
// Counts with filters on customer columns (name, email, country, ...)
// still go to SQL: bitmaps know members, not their columns.
package bitmap
