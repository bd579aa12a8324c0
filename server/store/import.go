package store

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/segments/segments/server/db"
)

// How an import works (ImportCustomers, ImportOrders; DeleteCustomers reuses
// the reading half):
//
//  1. The file streams through encoding/csv. Each field is checked in Go as
//     it goes by (what a single line can get wrong: a bad id, date, amount,
//     email or country, a missing required value) and every line, valid or
//     not, is written with its line number into a TEMP staging table through
//     binary COPY. Memory stays flat whatever the file size: nothing holds
//     the file, only the first maxListedProblems problems are kept.
//  2. What needs the whole file or the database is checked set-based in
//     SQL against the staging table: duplicate ids (skipped when the ids
//     were strictly increasing, as exports usually are), emails used twice
//     per website, orders of unknown customers. Lines that failed in Go are
//     still staged (with NULL for their bad values), so these checks see
//     them too and one run lists every problem.
//  3. Any problem: roll back and return *ImportError; nothing changed. None:
//     create unknown website and group codes, UPDATE the rows that differ,
//     INSERT the new ones, bump store_state.data_changed_at, all in the one
//     transaction that also holds the staging table.
//
// The email and customer checks of step 2 are costly joins that a good
// file does not need: a file with no other problem goes straight to step 3,
// where the unique index and foreign keys have the last word, and only if
// one of them trips do the checks run to name the lines (writeOrExplain).
//
// A large load (useBulk) writes into tables whose indexes and foreign keys
// are suspended and rebuilt afterwards, the way Seed does: a million new
// customers cost over 80 s row by row on the 2-core dev machine (a btree
// insertion per row into eleven indexes, several ICU-collated, and two
// foreign-key triggers per row), against under 20 s for plain inserts plus
// one sorted build per index. Readers of the tables involved wait while it
// runs, and a rebuild costs in proportion to the whole table, so it is used
// only when the import writes at least half of the table.

// maxListedProblems bounds ImportError.Problems, so a file that is wrong on
// every one of its million lines does not turn into a million-entry list;
// the rest are counted in ImportError.More.
const maxListedProblems = 10_000

// maxErrorLines is how many problems ImportError.Error spells out.
const maxErrorLines = 100

// maxFieldChars bounds every text value (Magento's varchar(255)); it also
// keeps index entries well under PostgreSQL's btree row limit (about 2.7 kB),
// which a long name would otherwise hit as an internal error mid-import.
const maxFieldChars = 255

// defaultBulkMin is the fewest changed rows for which an import suspends and
// rebuilds the table's indexes; below it row-by-row writing takes seconds
// at most, and readers need not wait for a rebuild.
const defaultBulkMin = 50_000

// bulkLockTimeout is how long a bulk import waits for the exclusive lock it
// needs to suspend indexes. While it waits, every new reader of the table
// queues behind it, so it gives up quickly and falls back to row-by-row.
const bulkLockTimeout = "5s"

// Problem is one bad line of an import file (line 1 is the header).
type Problem struct {
	// Line is the file line the bad row starts on (a quoted field can
	// span lines); 1 is the header.
	Line int
	// Message says what is wrong, naming the column and value, in words
	// for the person who will fix the file.
	Message string
}

// String formats the problem as "line N: message".
func (p Problem) String() string { return fmt.Sprintf("line %d: %s", p.Line, p.Message) }

// ImportError lists every bad line of a file; nothing was imported (or, from
// DeleteCustomers, deleted). Problems are ordered by line; a line can have
// more than one.
type ImportError struct {
	// File is the file's name when the reader was an *os.File (anything
	// with a Name method), else empty; callers may set it.
	File string
	// Problems holds the first 10,000 problems by line.
	Problems []Problem
	// More counts the problems found beyond those listed.
	More int

	verb string // what did not happen: "imported" (default) or "deleted"
}

// Error lists the problems, at most 100 of them, one per line.
func (e *ImportError) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		b.WriteString(": ")
	}
	total := len(e.Problems) + e.More
	verb := e.verb
	if verb == "" {
		verb = "imported"
	}
	noun := "problems"
	if total == 1 {
		noun = "problem"
	}
	fmt.Fprintf(&b, "%d %s, nothing was %s", total, noun, verb)
	shown := min(len(e.Problems), maxErrorLines)
	for _, p := range e.Problems[:shown] {
		b.WriteString("\n  ")
		b.WriteString(p.String())
	}
	if rest := total - shown; rest > 0 {
		fmt.Fprintf(&b, "\n  and %d more", rest)
	}
	return b.String()
}

// planUpsert counts the staged rows (source, aliased x) that are new and
// that change a row of table ("customers c": table and alias), and the
// table's rows; changed compares the alias with x. Into an empty table every
// row is new, and the join is not needed.
func planUpsert(ctx context.Context, tx pgx.Tx, table, source, changed string, rows int64) (toInsert, toUpdate, existing int64, err error) {
	name, alias, _ := strings.Cut(table, " ")
	var any bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM `+name+`)`).Scan(&any); err != nil || !any {
		return rows, 0, 0, err
	}
	err = tx.QueryRow(ctx, `SELECT count(*) FILTER (WHERE `+alias+`.id IS NULL), count(*) FILTER (WHERE `+alias+`.id IS NOT NULL AND `+changed+`),
		(SELECT count(*) FROM `+name+`) FROM `+source+` LEFT JOIN `+table+` ON `+alias+`.id = x.id`).Scan(&toInsert, &toUpdate, &existing)
	return toInsert, toUpdate, existing, err
}

// outcome reports an import's result: after a failure nothing was written,
// so only Rows stays, and errors other than *ImportError say what failed.
func outcome(what string, res ImportResult, err error) (ImportResult, error) {
	if err == nil {
		return res, nil
	}
	if _, ok := err.(*ImportError); !ok {
		err = fmt.Errorf("%s: %w", what, err)
	}
	return ImportResult{Rows: res.Rows}, err
}

// ImportResult reports a successful import.
type ImportResult struct {
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

// importOptions are the knobs tests turn; production uses the defaults.
type importOptions struct {
	bulkMin int64 // fewest changed rows for the index-rebuilding load
}

func defaultImportOptions() importOptions { return importOptions{bulkMin: defaultBulkMin} }

// problems collects the problems of one file: all are counted, the first
// maxListedProblems are kept.
type problems struct {
	list  []Problem
	total int
}

func (p *problems) add(line int, format string, args ...any) {
	p.total++
	if len(p.list) < maxListedProblems {
		p.list = append(p.list, Problem{Line: line, Message: fmt.Sprintf(format, args...)})
	}
}

// err returns the *ImportError for the collected problems, nil if none.
// Problems arrive in line order per source (the CSV pass, then each SQL
// check), so the first maxListedProblems overall are among those kept.
func (p *problems) err(r io.Reader, verb string) error {
	if p.total == 0 {
		return nil
	}
	slices.SortStableFunc(p.list, func(a, b Problem) int { return a.Line - b.Line })
	if len(p.list) > maxListedProblems {
		p.list = p.list[:maxListedProblems]
	}
	e := &ImportError{Problems: p.list, More: p.total - len(p.list), verb: verb}
	if f, ok := r.(interface{ Name() string }); ok {
		e.File = f.Name()
	}
	return e
}

// sqlCheck runs a validation query returning (line, message, total) rows,
// ordered by line and limited to $1, and adds them to p.
func (p *problems) sqlCheck(ctx context.Context, tx pgx.Tx, query string, args ...any) error {
	rows, err := tx.Query(ctx, query, append([]any{maxListedProblems}, args...)...)
	if err != nil {
		return err
	}
	defer rows.Close()
	total := 0
	for rows.Next() {
		var line int64
		var msg string
		if err := rows.Scan(&line, &msg, &total); err != nil {
			return err
		}
		p.list = append(p.list, Problem{Line: int(line), Message: msg})
	}
	if err := rows.Err(); err != nil {
		return err
	}
	p.total += total
	return nil
}

// column is one column an import file may have.
type column struct {
	name     string
	required bool
}

// columnNames lists cols for messages.
func columnNames(cols []column) string {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.name
	}
	return strings.Join(names, ", ")
}

// newCSVReader returns a CSV reader for r with a UTF-8 byte-order mark, if
// any, skipped (Excel writes one), and the bufio.Reader under it for
// callers that want to peek further.
func newCSVReader(r io.Reader) (*csv.Reader, *bufio.Reader, error) {
	br := bufio.NewReaderSize(r, 256<<10)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte("\xef\xbb\xbf")) {
		_, _ = br.Discard(3)
	} else if err != nil && !errors.Is(err, io.EOF) {
		return nil, nil, err
	}
	cr := csv.NewReader(br) // reuses br: it is already a large enough bufio.Reader
	cr.FieldsPerRecord = -1 // checked here, with a clearer message
	cr.ReuseRecord = true
	cr.TrimLeadingSpace = true // `a, "b"` is a quoted b, not a stray quote
	return cr, br, nil
}

// csvProblem explains a CSV syntax error. The problem's line is where the
// record starts; where the error was found is in the message when it differs
// (an unclosed quote is only noticed at the end of the file).
func csvProblem(p *problems, pe *csv.ParseError) {
	var why string
	switch {
	case errors.Is(pe.Err, csv.ErrBareQuote):
		why = `a " in a field that does not start with one; quote the whole field and double the " inside it ("")`
	case errors.Is(pe.Err, csv.ErrQuote) && pe.Line != pe.StartLine:
		why = `a quoted field runs on over several lines without a proper end; close it with " and double any " inside it ("")`
	case errors.Is(pe.Err, csv.ErrQuote):
		why = `a quoted field must end with " followed by a comma or the end of the line, and a " inside it must be doubled ("")`
	default:
		why = pe.Err.Error()
	}
	where := fmt.Sprintf("column %d", pe.Column)
	if pe.Line != pe.StartLine {
		where = fmt.Sprintf("line %d, column %d", pe.Line, pe.Column)
	}
	p.add(pe.StartLine, "bad CSV quoting at %s: %s", where, why)
}

// readHeader reads the header row and maps each known column to its index
// (-1 when absent). It returns ok=false, with the reasons in p, when the
// header is unusable: empty file, unknown, repeated or missing columns.
func readHeader(cr *csv.Reader, cols []column, p *problems, what string) (idx []int, ok bool, err error) {
	rec, err := cr.Read()
	if errors.Is(err, io.EOF) {
		p.add(1, "the file is empty; it needs a header row naming the %s columns: %s", what, columnNames(cols))
		return nil, false, nil
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		csvProblem(p, pe)
		return nil, false, nil
	} else if err != nil {
		return nil, false, err
	}
	idx = make([]int, len(cols))
	for i := range idx {
		idx[i] = -1
	}
	for i, raw := range rec {
		name := strings.ToLower(strings.TrimSpace(raw))
		k := slices.IndexFunc(cols, func(c column) bool { return c.name == name })
		switch {
		case name == "":
			p.add(1, "column %d has no name; the %s columns are: %s", i+1, what, columnNames(cols))
		case k < 0:
			p.add(1, "unknown column %q; the %s columns are: %s", strings.TrimSpace(raw), what, columnNames(cols))
		case idx[k] >= 0:
			p.add(1, "column %q appears twice (columns %d and %d)", name, idx[k]+1, i+1)
		default:
			idx[k] = i
		}
	}
	for k, c := range cols {
		if c.required && idx[k] < 0 {
			p.add(1, "missing required column %q", c.name)
		}
	}
	return idx, p.total == 0, nil
}

// stagedRows feeds CSV data rows to binary COPY: for each record it checks
// the field count and lets row append the staged row. Records with a CSV
// syntax error or the wrong number of fields are reported and not staged
// (their fields cannot be trusted to be in the right columns).
type stagedRows struct {
	cr     *csv.Reader
	fields int // the header's field count
	p      *problems
	row    func(b []byte, line int, rec []string) []byte
	rows   int64 // data rows read
	err    error // a read error, which ends the COPY early

	// unsorted is set when a valid id is not greater than the one before
	// it; while it is unset the file cannot have duplicate ids.
	unsorted bool
	lastID   int64
}

// sawID records a valid id, in file order.
func (s *stagedRows) sawID(id int64) {
	if id <= s.lastID {
		s.unsorted = true
	}
	s.lastID = id
}

func (s *stagedRows) appendRow(b []byte) ([]byte, bool) {
	for {
		rec, err := s.cr.Read()
		if errors.Is(err, io.EOF) {
			return b, false
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			s.rows++
			csvProblem(s.p, pe)
			continue
		}
		if err != nil {
			s.err = err
			return b, false
		}
		s.rows++
		line, _ := s.cr.FieldPos(0)
		if len(rec) != s.fields {
			s.p.add(line, "has %d fields but the header has %d; a field with a comma, quote or line break must be in double quotes", len(rec), s.fields)
			continue
		}
		return s.row(b, line, rec), true
	}
}

// stage COPYs the rows of src into a staging table with copySQL.
func stage(ctx context.Context, tx pgx.Tx, src *stagedRows, copySQL string) error {
	if _, err := tx.Conn().PgConn().CopyFrom(ctx, newCopyReader(src), copySQL); err != nil {
		if src.err != nil {
			return src.err
		}
		return err
	}
	return src.err
}

// beginImport starts the import transaction on a connection of its own and
// sets what a long, large transaction wants. The staging tables are TEMP ON
// COMMIT DROP, so they live exactly as long as this transaction.
func beginImport(ctx context.Context, d *db.DB) (*pgxpool.Conn, pgx.Tx, error) {
	conn, err := d.Pool.Acquire(ctx)
	if err != nil {
		return nil, nil, err
	}
	tx, err := conn.Begin(ctx)
	if err != nil {
		conn.Release()
		return nil, nil, err
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
		if _, err := tx.Exec(ctx, stmt); err != nil {
			_ = tx.Rollback(ctx)
			conn.Release()
			return nil, nil, err
		}
	}
	return conn, tx, nil
}

// lockForBulk takes ACCESS EXCLUSIVE locks on tables, waiting at most
// bulkLockTimeout. It reports false, with the transaction intact, when the
// tables are busy (a long report or export reading them): the caller then
// loads row by row instead of queueing every reader behind this lock.
func lockForBulk(ctx context.Context, tx pgx.Tx, tables string) (bool, error) {
	var prev string
	if err := tx.QueryRow(ctx, `SELECT current_setting('lock_timeout')`).Scan(&prev); err != nil {
		return false, err
	}
	if _, err := tx.Exec(ctx, `SAVEPOINT bulk_lock`); err != nil {
		return false, err
	}
	if _, err := tx.Exec(ctx, `SELECT set_config('lock_timeout', $1, true)`, bulkLockTimeout); err != nil {
		return false, err
	}
	_, lockErr := tx.Exec(ctx, `LOCK TABLE `+tables+` IN ACCESS EXCLUSIVE MODE`)
	if lockErr != nil {
		var pgErr *pgconn.PgError
		if !errors.As(lockErr, &pgErr) || (pgErr.Code != "55P03" && pgErr.Code != "40P01") { // lock_not_available, deadlock_detected
			return false, lockErr
		}
		if _, err := tx.Exec(ctx, `ROLLBACK TO SAVEPOINT bulk_lock`); err != nil {
			return false, err
		}
	}
	if _, err := tx.Exec(ctx, `SELECT set_config('lock_timeout', $1, true)`, prev); err != nil {
		return false, err
	}
	return lockErr == nil, nil
}

// useBulk decides whether to suspend indexes: enough changed rows, and at
// least half of the table after the import rewritten by it (rebuilding
// costs in proportion to the whole table, row-by-row maintenance to the
// changed rows only).
func useBulk(opts importOptions, toInsert, toUpdate, existing int64) bool {
	changed := toInsert + toUpdate
	return changed > 0 && changed >= opts.bulkMin && 2*changed >= existing+toInsert
}

// writeOrExplain runs write, the optimistic load, inside a savepoint. The
// checks that need a join of the whole file with itself or the database
// (emails clashing, orders of unknown customers) cost seconds per million
// rows and almost never find anything, so they are left to the database's
// own unique index and foreign key. When write trips one of those, the
// savepoint is rolled back, explain runs the exact checks that give each
// bad line its reason, and the problems become an *ImportError. If explain
// finds nothing, write's own error is returned.
func writeOrExplain(ctx context.Context, tx pgx.Tx, p *problems, r io.Reader, write, explain func() error) error {
	if _, err := tx.Exec(ctx, `SAVEPOINT import_write`); err != nil {
		return err
	}
	werr := write()
	var pgErr *pgconn.PgError
	if werr == nil || !errors.As(werr, &pgErr) || (pgErr.Code != "23505" && pgErr.Code != "23503") { // unique, foreign key
		return werr
	}
	if _, err := tx.Exec(ctx, `ROLLBACK TO SAVEPOINT import_write`); err != nil {
		return err
	}
	if err := explain(); err != nil {
		return err
	}
	if err := p.err(r, ""); err != nil {
		return err
	}
	return werr
}

// bumpDataChanged records that store data changed, so segments computed
// before now show as stale. clock_timestamp(), not now(): this runs last, so
// a refresh whose snapshot predates this commit also started before the
// stamp and is flagged stale.
func bumpDataChanged(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, `UPDATE store_state SET data_changed_at = clock_timestamp()`)
	return err
}

// analyzeAfter updates the planner's statistics of table after a commit
// that changed many of its rows, as autovacuum would a minute later, so a
// refresh right after a big import gets sensible plans. Best effort: the
// import has committed, and a failed ANALYZE changes nothing about that.
func analyzeAfter(ctx context.Context, conn *pgxpool.Conn, table string, changed, total int64) {
	if changed > 0 && changed*10 >= total {
		_, _ = conn.Exec(ctx, `ANALYZE `+table)
	}
}

// appendInt8OrNull appends a bigint field, NULL when ok is false.
func appendInt8OrNull(b []byte, v int64, ok bool) []byte {
	if !ok {
		return appendNull(b)
	}
	return appendInt8(b, v)
}

// appendTime appends a timestamptz field (microseconds since 2000-01-01
// UTC, rounded as PostgreSQL rounds text input), NULL for the zero time.
// Unix microseconds cover every year a file can spell (0000-9999) without
// the overflow of time.Duration.
func appendTime(b []byte, t time.Time) []byte {
	if t.IsZero() {
		return appendNull(b)
	}
	us := t.Unix()*1_000_000 + int64((t.Nanosecond()+500)/1000) - postgresEpoch*1_000_000
	b = binary.BigEndian.AppendUint32(b, 8)
	return binary.BigEndian.AppendUint64(b, uint64(us))
}
