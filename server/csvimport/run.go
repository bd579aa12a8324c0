package csvimport

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/uptrace/bun"

	"github.com/segments/segments/server/bulk"
	"github.com/segments/segments/server/catalog"
	"github.com/segments/segments/server/db"
)

// defaultBulkMin is the fewest changed rows for which an import suspends and
// rebuilds the table's indexes; below it row-by-row writing takes seconds
// at most, and readers need not wait for a rebuild.
const defaultBulkMin = 50_000

// bulkLockTimeout is how long a bulk import waits for the exclusive lock it
// needs to suspend indexes. While it waits, every new reader of the table
// queues behind it, so it gives up quickly and falls back to row-by-row.
const bulkLockTimeout = "5s"

// Result reports a successful import.
type Result struct {
	// Rows is the number of data rows in the file.
	Rows int64
	// Inserted and Updated count new rows and existing rows whose values
	// changed; rows identical to the stored ones count as neither.
	Inserted, Updated int64
	// NewWebsites and NewGroups are the codes the import created (customers
	// only), sorted.
	NewWebsites, NewGroups []string
	// RebuiltIndexes says the load was large enough to suspend the table's
	// indexes and rebuild them (readers waited for the import to finish).
	RebuiltIndexes bool
	// Took is the wall time of the whole import.
	Took time.Duration
}

// OnChange runs in the transaction of an import (or of a deletion: package
// erasure) that changed the store's data, after the change and just before
// the commit: what it writes commits with the change or not at all (a
// refresh request, with REFRESH_ON_CHANGE), and its error undoes the
// import. An import that fails or changes nothing does not call it.
type OnChange func(ctx context.Context, tx bun.Tx) error

// options are the knobs tests turn; production uses the defaults.
type options struct {
	bulkMin  int64 // fewest changed rows for the index-rebuilding load
	onChange []OnChange
}

func defaultOptions(onChange []OnChange) options {
	return options{bulkMin: defaultBulkMin, onChange: onChange}
}

// kind describes one kind of file to run: everything that differs between
// customers and orders. The file's first column is always the id.
type kind struct {
	what    string   // "customer": names the file in messages
	table   string   // the table written
	alias   string   // the table's alias in source, changed and the checks
	columns []column // the file's columns, id first
	// staging declares the staging table's columns after line and id;
	// fields is their number, and stage appends one line's values for
	// them, checked, NULL where a value is bad.
	staging string
	fields  int
	stage   func(f *lineFields, b []byte, loc *time.Location) []byte
	// locks keep what the checks read and the write changes as it is
	// until commit; bulkLocks are the tables an index-suspending load must
	// hold exclusively (dropping a foreign key locks both of its tables).
	locks     []string
	bulkLocks string
	// prepare runs on a good file before the upsert, to create what its
	// rows refer to (customers: website and group codes).
	prepare func(ctx context.Context, tx bun.Tx, res *Result) error
	// source selects the rows to write from the staging table, aliased x,
	// with an id and every column that cols may name.
	source string
	// cols are the columns written and compared, given which of the
	// file's columns the header has.
	cols func(present func(k int) bool) []string
	// touch is added to an UPDATE's SET list (customers: updated_at).
	touch string
	// explain runs the costly checks that name the lines a failed write,
	// or a file failing anyway, trips over.
	explain func(ctx context.Context, tx bun.Tx, p *problems) error
}

// stagingTable is the kind's staging table.
func (k *kind) stagingTable() string { return "import_" + k.table }

// run imports the file r of kind k: stage, check, upsert by id, count (see
// the package documentation). After a failure nothing was written, so only
// Rows is reported, and errors other than *Error say what failed.
func run(ctx context.Context, d *db.DB, r io.Reader, loc *time.Location, k *kind, opts options) (Result, error) {
	res, err := k.run(ctx, d, r, loc, opts)
	if err == nil {
		return res, nil
	}
	if _, ok := err.(*Error); !ok {
		err = fmt.Errorf("import %ss: %w", k.what, err)
	}
	return Result{Rows: res.Rows}, err
}

func (k *kind) run(ctx context.Context, d *db.DB, r io.Reader, loc *time.Location, opts options) (Result, error) {
	began := time.Now()
	var res Result
	if loc == nil {
		loc = time.UTC
	}
	var p problems
	cr, _, err := newCSVReader(r)
	if err != nil {
		return res, err
	}
	idx, ok, err := readHeader(cr, k.columns, &p, k.what)
	if err != nil {
		return res, err
	}
	if !ok {
		return res, p.err(r)
	}

	conn, tx, err := Begin(ctx, d)
	if err != nil {
		return res, err
	}
	defer conn.Close()
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit

	// 1. Stage.
	staging := k.stagingTable()
	if _, err := db.Exec(ctx, tx, `CREATE TEMP TABLE `+staging+` (line bigint NOT NULL, id bigint, `+k.staging+`) ON COMMIT DROP`); err != nil {
		return res, err
	}
	f := lineFields{idx: idx, cols: k.columns, p: &p}
	src := &stagedRows{cr: cr, fields: countPresent(idx), p: &p}
	src.row = func(b []byte, line int, rec []string) []byte {
		f.rec, f.line = rec, line
		b = bulk.AppendFieldCount(b, 2+k.fields)
		b = bulk.AppendInt8(b, int64(line))
		id, ok := f.id(0)
		if ok {
			src.sawID(id)
		}
		b = bulk.AppendInt8OrNull(b, id, ok)
		return k.stage(&f, b, loc)
	}
	if err := stage(ctx, conn, src, `COPY `+staging+` FROM STDIN (FORMAT binary)`); err != nil {
		return res, err
	}
	res.Rows = src.rows

	// 2. Check. From here on the file is checked against the database and
	// then written: the locks keep other imports and deletes out
	// meanwhile (readers carry on).
	for _, stmt := range k.locks {
		if _, err := db.Exec(ctx, tx, stmt); err != nil {
			return res, err
		}
	}
	// Duplicate ids are checked up front: an UPDATE ... FROM would not
	// trip over them, it would just apply one of the lines.
	if src.unsorted {
		if err := checkDuplicateIDs(ctx, tx, &p, staging, k.what); err != nil {
			return res, err
		}
	}
	if p.total > 0 { // the file fails anyway: list all its problems
		if err := k.explain(ctx, tx, &p); err != nil {
			return res, err
		}
		return res, p.err(r)
	}

	// 3. Upsert.
	if k.prepare != nil {
		if err := k.prepare(ctx, tx, &res); err != nil {
			return res, err
		}
	}
	cols := k.cols(func(c int) bool { return idx[c] >= 0 })
	a := k.alias
	changed := fmt.Sprintf(`(%s) IS DISTINCT FROM (%s)`, prefixed(a+".", cols), prefixed("x.", cols))
	// 4. Count: how many rows are new and changed decides how to write
	// them.
	toInsert, toUpdate, existing, err := planUpsert(ctx, tx, k.table, a, k.source, changed, res.Rows)
	if err != nil {
		return res, err
	}
	write := func() error {
		var restore bulk.Restore
		if useBulk(opts, toInsert, toUpdate, existing) {
			ok, err := lockForBulk(ctx, tx, k.bulkLocks)
			if err != nil {
				return err
			}
			if ok {
				if restore, err = bulk.SuspendIndexes(ctx, tx, []string{k.table}); err != nil {
					return err
				}
				res.RebuiltIndexes = true
			}
		}
		if toUpdate > 0 {
			set := make([]string, len(cols))
			for i, c := range cols {
				set[i] = c + " = x." + c
			}
			n, err := db.Exec(ctx, tx, `UPDATE `+k.table+` `+a+` SET `+strings.Join(set, ", ")+k.touch+`
				FROM `+k.source+` WHERE `+a+`.id = x.id AND `+changed)
			if err != nil {
				return err
			}
			res.Updated = n
		}
		if toInsert > 0 {
			n, err := db.Exec(ctx, tx, `INSERT INTO `+k.table+` (id, `+strings.Join(cols, ", ")+`)
				SELECT x.id, `+prefixed("x.", cols)+` FROM `+k.source+`
				WHERE NOT EXISTS (SELECT 1 FROM `+k.table+` `+a+` WHERE `+a+`.id = x.id)`)
			if err != nil {
				return err
			}
			res.Inserted = n
		}
		return restore.Run(ctx, tx)
	}
	if err := writeOrExplain(ctx, tx, &p, r, write, func() error { return k.explain(ctx, tx, &p) }); err != nil {
		return res, err
	}
	if res.Inserted+res.Updated > 0 || len(res.NewWebsites)+len(res.NewGroups) > 0 {
		if err := catalog.MarkDataChanged(ctx, tx); err != nil {
			return res, err
		}
		for _, fn := range opts.onChange {
			if err := fn(ctx, tx); err != nil {
				return res, err
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return res, fmt.Errorf("commit: %w", err)
	}
	analyzeAfter(ctx, conn, k.table, res.Inserted+res.Updated, existing+res.Inserted)
	res.Took = time.Since(began)
	return res, nil
}

// Begin starts a transaction for a long file load on a connection of its
// own, for bulk.Copy, and sets what a long, large transaction wants.
// Staging tables are TEMP ON COMMIT DROP, so they live exactly as long as
// the transaction. Close the connection once the transaction has ended.
func Begin(ctx context.Context, d *db.DB) (bun.Conn, bun.Tx, error) {
	conn, err := d.Conn(ctx)
	if err != nil {
		return bun.Conn{}, bun.Tx{}, err
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		_ = conn.Close()
		return bun.Conn{}, bun.Tx{}, err
	}
	for _, stmt := range []string{
		// A million-row import runs for a while.
		`SET LOCAL statement_timeout = 0`,
		// The checks hash and sort whole files: keep them in memory.
		`SELECT set_config('work_mem', '128MB', true)
		  WHERE pg_size_bytes(current_setting('work_mem')) < pg_size_bytes('128MB')`,
		// Index rebuilds after a bulk load sort in memory with this.
		`SELECT set_config('maintenance_work_mem', '512MB', true)
		  WHERE pg_size_bytes(current_setting('maintenance_work_mem')) < pg_size_bytes('512MB')`,
		// The queries here run once over many rows; compiling them costs
		// more than it saves.
		`SET LOCAL jit = off`,
	} {
		if _, err := db.Exec(ctx, tx, stmt); err != nil {
			_ = tx.Rollback()
			_ = conn.Close()
			return bun.Conn{}, bun.Tx{}, err
		}
	}
	return conn, tx, nil
}

// planUpsert counts the staged rows (source, aliased x) that are new and
// that change a row of table (aliased alias), and the table's rows; changed
// compares the alias with x. Into an empty table every row is new, and the
// join is not needed.
func planUpsert(ctx context.Context, tx bun.Tx, table, alias, source, changed string, rows int64) (toInsert, toUpdate, existing int64, err error) {
	var any bool
	if err := db.Get(ctx, tx, `SELECT EXISTS (SELECT 1 FROM `+table+`)`, nil, &any); err != nil || !any {
		return rows, 0, 0, err
	}
	err = db.Get(ctx, tx, `SELECT count(*) FILTER (WHERE `+alias+`.id IS NULL), count(*) FILTER (WHERE `+alias+`.id IS NOT NULL AND `+changed+`),
		(SELECT count(*) FROM `+table+`) FROM `+source+` LEFT JOIN `+table+` `+alias+` ON `+alias+`.id = x.id`, nil,
		&toInsert, &toUpdate, &existing)
	return toInsert, toUpdate, existing, err
}

// lockForBulk takes ACCESS EXCLUSIVE locks on tables, waiting at most
// bulkLockTimeout. It reports false, with the transaction intact, when the
// tables are busy (a long report or export reading them): the caller then
// loads row by row instead of queueing every reader behind this lock.
func lockForBulk(ctx context.Context, tx bun.Tx, tables string) (bool, error) {
	var prev string
	if err := db.Get(ctx, tx, `SELECT current_setting('lock_timeout')`, nil, &prev); err != nil {
		return false, err
	}
	if _, err := db.Exec(ctx, tx, `SAVEPOINT bulk_lock`); err != nil {
		return false, err
	}
	if _, err := db.Exec(ctx, tx, `SELECT set_config('lock_timeout', $1, true)`, bulkLockTimeout); err != nil {
		return false, err
	}
	_, lockErr := db.Exec(ctx, tx, `LOCK TABLE `+tables+` IN ACCESS EXCLUSIVE MODE`)
	if lockErr != nil {
		var pgErr *pgconn.PgError
		if !errors.As(lockErr, &pgErr) || (pgErr.Code != "55P03" && pgErr.Code != "40P01") { // lock_not_available, deadlock_detected
			return false, lockErr
		}
		if _, err := db.Exec(ctx, tx, `ROLLBACK TO SAVEPOINT bulk_lock`); err != nil {
			return false, err
		}
	}
	if _, err := db.Exec(ctx, tx, `SELECT set_config('lock_timeout', $1, true)`, prev); err != nil {
		return false, err
	}
	return lockErr == nil, nil
}

// useBulk decides whether to suspend indexes: enough changed rows, and at
// least half of the table after the import rewritten by it (rebuilding
// costs in proportion to the whole table, row-by-row maintenance to the
// changed rows only).
func useBulk(opts options, toInsert, toUpdate, existing int64) bool {
	changed := toInsert + toUpdate
	return changed > 0 && changed >= opts.bulkMin && 2*changed >= existing+toInsert
}

// writeOrExplain runs write, the optimistic load, inside a savepoint. The
// checks that need a join of the whole file with itself or the database
// (emails clashing, orders of unknown customers) cost seconds per million
// rows and almost never find anything, so they are left to the database's
// own unique index and foreign key. When write trips one of those, the
// savepoint is rolled back, explain runs the exact checks that give each
// bad line its reason, and the problems become an *Error. If explain
// finds nothing, write's own error is returned.
func writeOrExplain(ctx context.Context, tx bun.Tx, p *problems, r io.Reader, write, explain func() error) error {
	if _, err := db.Exec(ctx, tx, `SAVEPOINT import_write`); err != nil {
		return err
	}
	werr := write()
	var pgErr *pgconn.PgError
	if werr == nil || !errors.As(werr, &pgErr) || (pgErr.Code != "23505" && pgErr.Code != "23503") { // unique, foreign key
		return werr
	}
	if _, err := db.Exec(ctx, tx, `ROLLBACK TO SAVEPOINT import_write`); err != nil {
		return err
	}
	if err := explain(); err != nil {
		return err
	}
	if err := p.err(r); err != nil {
		return err
	}
	return werr
}

// analyzeAfter updates the planner's statistics of table after a commit
// that changed many of its rows, as autovacuum would a minute later, so a
// refresh right after a big import gets sensible plans. Best effort: the
// import has committed, and a failed ANALYZE changes nothing about that.
func analyzeAfter(ctx context.Context, conn bun.Conn, table string, changed, total int64) {
	if changed > 0 && changed*10 >= total {
		_, _ = db.Exec(ctx, conn, `ANALYZE `+table)
	}
}

// checkDuplicateIDs reports every line whose id an earlier line of the
// file already has.
func checkDuplicateIDs(ctx context.Context, tx bun.Tx, p *problems, table, what string) error {
	return p.sqlCheck(ctx, tx, fmt.Sprintf(`
		WITH d AS (SELECT id, min(line) AS first_line FROM %s WHERE id IS NOT NULL GROUP BY id HAVING count(*) > 1)
		SELECT s.line, format('%s id %%s is also on line %%s; each id may appear only once', s.id, d.first_line), count(*) OVER ()
		  FROM %[1]s s JOIN d USING (id)
		 WHERE s.line > d.first_line
		 ORDER BY s.line LIMIT $1`, table, what))
}

// prefixed joins cols, each prefixed with p.
func prefixed(p string, cols []string) string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = p + c
	}
	return strings.Join(out, ", ")
}
