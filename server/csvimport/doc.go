// Package csvimport loads customer and order CSV files into the store (the
// formats are in docs/files.md). Both go through one pipeline, run; a file
// kind (customers, orders) is only a description: its columns, how a line
// is checked and staged, the checks that need the whole file or the
// database, and the SQL of its upsert.
//
// An import runs in four steps, in one transaction:
//
//  1. Stage. The file streams through encoding/csv. Each field is checked
//     in Go as it goes by (what a single line can get wrong: a bad id,
//     date, amount, email or country, a missing required value) and every
//     line, valid or not, is written with its line number into a TEMP
//     staging table through binary COPY (package bulk). Memory stays flat
//     whatever the file size: nothing holds the file, only the first
//     10,000 problems are kept.
//  2. Check. What needs the whole file or the database is checked
//     set-based in SQL against the staging table: duplicate ids (skipped
//     when the ids were strictly increasing, as exports usually are),
//     emails used twice per website, orders of unknown customers. Lines
//     that failed in Go are still staged (with NULL for their bad values),
//     so these checks see them too and one run lists every problem, each
//     with its line (1 is the header) and reason. Any problem: roll back
//     and return *Error; nothing changed.
//  3. Upsert by id. Create unknown website and group codes (package
//     catalog), UPDATE the rows that differ, INSERT the new ones, bump the
//     store's data change stamp (store_state.data_changed_at) so segments
//     show as stale, and run the caller's OnChange hooks (with
//     REFRESH_ON_CHANGE: a refresh request) in the same transaction.
//     Imports never refresh segments themselves.
//  4. Count. One plan, before writing, counts the rows to insert and to
//     update; it decides how to write them and the Result reports them.
//
// The email and customer checks of step 2 are costly joins that a good file
// does not need: a file with no other problem goes straight to step 3,
// where the unique index and foreign keys have the last word, and only if
// one of them trips do the checks run to name the lines (writeOrExplain).
//
// A large load writes into tables whose indexes and foreign keys are
// suspended and rebuilt afterwards (bulk.SuspendIndexes): a million new
// customers cost over 80 s row by row on the 2-core dev machine (a btree
// insertion per row into eleven indexes, several ICU-collated, and two
// foreign-key triggers per row), against under 20 s for plain inserts plus
// one sorted build per index. Readers of the tables involved wait while it
// runs, and a rebuild costs in proportion to the whole table, so it is used
// only when the import writes at least half of the table, and only when the
// exclusive lock it needs comes within a few seconds.
//
// Deleting customers from a file (package erasure) reuses the first step
// through Begin and StageIDs.
package csvimport
