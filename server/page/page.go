package page

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5/pgtype"
	"github.com/uptrace/bun"

	"github.com/segments/segments/server/apperr"
	"github.com/segments/segments/server/db"
)

// Page sizes for every connection.
const (
	DefaultSize = 50
	MaxSize     = 200
)

// Args are a connection's paging arguments as the client sent them.
type Args struct {
	First  *int
	After  *string
	Last   *int
	Before *string
}

// Key is one sort column: a SQL expression, the type its cursor value is cast
// to, and whether it can be NULL. The last key of every sort is the row's
// unique id, so pages never overlap.
type Key struct {
	Expr     string
	Type     string
	Nullable bool
	// Same are other expressions equal to Expr in every row (the same id
	// under a join). Keyset predicates bound each of them too: PostgreSQL
	// does not carry a range from one side of a join to the other, and a
	// merge join whose other side is unbounded reads that side's index
	// from its start, however deep the page.
	Same []string
}

// Sort is an ordered list of keys, all in one direction.
type Sort struct {
	Keys []Key
	Desc bool
	// ValuesInRow says the caller takes each row's sort-key values from
	// the row's own columns, so the page statement selects no "cursor"
	// column: building and parsing a text[] per row cost a drill-down
	// page a tenth of its CPU.
	ValuesInRow bool
	// Nulls, for a sort whose first key is nullable, reads the rows whose
	// first key is NULL through a smaller index (nil: the sort's own index
	// over the NULLs, asking each row).
	Nulls *Nulls
}

// Nulls says how to read the rows of a sort whose nullable first key is
// NULL through a smaller index (the drill-down's: the segment's members
// flagged as having no value): the Source that selects them in its place
// (the page adds the key's IS NULL and the keyset bound) and their order,
// the sort's other keys as that index names them.
type Nulls struct {
	Source Source
	Keys   []Key
}

// nullKeys are the keys that order the rows whose first key is NULL.
func (s Sort) nullKeys() []Key {
	if s.Nulls != nil {
		return s.Nulls.Keys
	}
	return s.Keys[1:]
}

// Request is a parsed, validated page request.
type Request struct {
	// Limit is the page size; the query fetches Limit+1 rows to know whether
	// there is more.
	Limit int
	// Backward is true for last/before: the query runs in reverse order and
	// the rows are flipped back afterwards.
	Backward bool
	// From holds the sort-key values to continue from, or nil for the first
	// (or, backward, the last) page.
	From    []*string
	binding string
	codec   *Codec
}

// Binding returns the hash of the query a cursor belongs to (a cursor is
// sealed with it, see Codec): any value that changes the result set or its
// order must be in parts.
func Binding(parts ...any) string {
	b, err := json.Marshal(parts)
	if err != nil {
		panic(fmt.Sprintf("page binding: %v", err)) // parts are plain values
	}
	sum := sha256.Sum256(b)
	return base64.RawURLEncoding.EncodeToString(sum[:9])
}

// Parse validates paging arguments for a query with the given binding,
// opening a cursor with the codec in use (see Use).
func Parse(a Args, binding string) (Request, error) {
	return current().Parse(a, binding)
}

// Parse validates paging arguments for a query with the given binding; the
// request's cursors are sealed with c.
func (c *Codec) Parse(a Args, binding string) (Request, error) {
	r := Request{Limit: DefaultSize, binding: binding, codec: c}
	if a.First != nil && a.Last != nil {
		return r, apperr.Invalid("pass either first or last, not both")
	}
	if a.After != nil && a.Before != nil {
		return r, apperr.Invalid("pass either after or before, not both")
	}
	if a.Last != nil && a.After != nil || a.First != nil && a.Before != nil {
		return r, apperr.Invalid("page forwards with first and after, or backwards with last and before")
	}
	size, name := a.First, "first"
	if a.Last != nil || a.Before != nil {
		r.Backward = true
		size, name = a.Last, "last"
	}
	if size != nil {
		if *size < 1 || *size > MaxSize {
			return r, apperr.Invalid("%s must be between 1 and %d, got %d", name, MaxSize, *size)
		}
		r.Limit = *size
	}
	raw := a.After
	if r.Backward {
		raw = a.Before
	}
	if raw != nil {
		values, err := c.Open(binding, *raw)
		if err != nil {
			return r, err
		}
		r.From = values
	}
	return r, nil
}

// Cursor seals the sort-key values of one row into its cursor.
func (r Request) Cursor(values []*string) string {
	c := r.codec
	if c == nil {
		c = current()
	}
	return c.Seal(r.binding, values)
}

// Values are a row's sort-key values as the cursor column (text[]) holds
// them; a NULL key stays nil. bun's array scanner would read NULL elements
// as "", so Values scans with pgx's own text[] decoder.
type Values []*string

// textArrays decode text[] values; pgx type maps are not safe for
// concurrent use, so each is used by one Scan at a time, and its plan is
// made once.
var textArrays = sync.Pool{New: func() any {
	// Planned for []*string, not Values: pgx would hand a Scanner back to
	// its own Scan.
	var vals []*string
	return pgtype.NewMap().PlanScan(pgtype.TextArrayOID, pgtype.TextFormatCode, &vals)
}}

// Scan implements sql.Scanner for the text form of a text[] column.
func (v *Values) Scan(src any) error {
	var text []byte
	switch src := src.(type) {
	case nil:
		*v = nil
		return nil
	case string:
		text = []byte(src)
	case []byte:
		text = src
	default:
		return fmt.Errorf("scan cursor: want text[], got %T", src)
	}
	plan := textArrays.Get().(pgtype.ScanPlan)
	defer textArrays.Put(plan)
	var vals []*string
	if err := plan.Scan(text, &vals); err != nil {
		return fmt.Errorf("scan cursor: %w", err)
	}
	*v = vals
	return nil
}

// OrderBy returns the ORDER BY list for the request's direction.
func (r Request) OrderBy(s Sort) string {
	desc := s.Desc != r.Backward
	parts := make([]string, len(s.Keys))
	for i, k := range s.Keys {
		if desc {
			parts[i] = k.Expr + " DESC"
		} else {
			parts[i] = k.Expr + " ASC"
		}
	}
	return strings.Join(parts, ", ")
}

// CursorExpr returns a SQL expression selecting a row's sort-key values as
// text[], the form Request.Cursor encodes.
func CursorExpr(s Sort) string {
	parts := make([]string, len(s.Keys))
	for i, k := range s.Keys {
		parts[i] = "(" + k.Expr + ")::text"
	}
	return "ARRAY[" + strings.Join(parts, ", ") + "]"
}

// Fits checks that the request's cursor (if any) belongs to sort s, for
// callers that build their own keyset SQL from From.
func (r Request) Fits(s Sort) error {
	if r.From == nil {
		return nil
	}
	return r.fits(s)
}

func (r Request) fits(s Sort) error {
	// A cursor opened for this binding always fits (the sort is part of
	// the binding); this guards a caller whose binding left the sort out.
	if len(r.From) != len(s.Keys) {
		return invalidCursor()
	}
	for i, k := range s.Keys {
		if r.From[i] == nil && !k.Nullable {
			return invalidCursor()
		}
	}
	return nil
}

// branch is one index range of a listing in sort order: its keyset
// condition, and whether its rows are those whose nullable first key is
// NULL (see Sort.Nulls).
type branch struct {
	cond  func(a *db.Args) string
	nulls bool
}

// after builds the ranges of rows after the cursor vals (nil: every row)
// for keys in one direction, NULL counting as larger than any value;
// inclusive also admits the cursor's row. Only the first key may be
// nullable. A single OR over NULL and non-NULL rows would defeat the
// index, so a nullable key gives a branch for each, in sort order.
func after(s Sort, vals []*string, desc, inclusive bool) []branch {
	keys := s.Keys
	for _, k := range keys[1:] {
		if k.Nullable {
			panic("page: only the first sort key may be nullable")
		}
	}
	k := keys[0]
	all := branch{cond: func(a *db.Args) string { return rowCompare(keys, vals, desc, inclusive, a) }}
	if vals == nil {
		all.cond = func(*db.Args) string { return "true" }
	}
	if !k.Nullable {
		return []branch{all}
	}
	values := branch{cond: func(*db.Args) string { return k.Expr + " IS NOT NULL" }}
	nulls := branch{cond: func(*db.Args) string { return k.Expr + " IS NULL" }, nulls: true}
	if vals == nil {
		// Every row: ascending the values then the NULLs, descending the
		// NULLs first.
		if desc {
			return []branch{nulls, values}
		}
		return []branch{values, nulls}
	}
	v := vals[0]
	nullsFrom := branch{cond: func(a *db.Args) string {
		return k.Expr + " IS NULL AND " + rowCompare(s.nullKeys(), vals[1:], desc, inclusive, a)
	}, nulls: true}
	switch {
	case v != nil && desc:
		// Descending, NULLs come first, so they are behind the cursor; the
		// row comparison (NULL → unknown) drops them.
		return []branch{all}
	case v != nil: // ascending: the larger values, then every NULL
		return []branch{all, nulls}
	case !desc: // ascending from inside the NULLs
		return []branch{nullsFrom}
	default: // descending from inside the NULLs, then every value
		return []branch{nullsFrom, values}
	}
}

// read is what branch b of sort s reads: src's rows (or, for the rows
// whose first key is NULL, those of s.Nulls) in the branch's range, and
// their order.
func (s Sort) read(b branch, src Source, a *db.Args) (string, []string, Sort) {
	if b.nulls && s.Nulls != nil {
		src = s.Nulls.Source
	}
	from, where := src(a)
	where = append(where, b.cond(a))
	if b.nulls && s.Nulls != nil {
		// The first key is NULL throughout: ordering by it would keep the
		// smaller index's order from serving.
		return from, where, Sort{Keys: s.Nulls.Keys, Desc: s.Desc}
	}
	return from, where, s
}

// rowCompare is a row comparison over non-NULL values, which PostgreSQL
// turns into a range of a matching index.
func rowCompare(keys []Key, vals []*string, desc, inclusive bool, a *db.Args) string {
	cols := make([]string, len(keys))
	ps := make([]string, len(keys))
	for i, k := range keys {
		cols[i] = k.Expr
		ps[i] = a.Add(*vals[i]) + "::" + k.Type
	}
	op := ">"
	if desc {
		op = "<"
	}
	if inclusive {
		op += "="
	}
	values := " " + op + " (" + strings.Join(ps, ", ") + ")"
	out := "(" + strings.Join(cols, ", ") + ")" + values
	// The same comparison over each expression equal to a key.
	for i, k := range keys {
		for _, same := range k.Same {
			alt := slices.Clone(cols)
			alt[i] = same
			out += " AND (" + strings.Join(alt, ", ") + ")" + values
		}
	}
	return out
}

// Info is a page's position in its connection.
type Info struct {
	HasNextPage     bool
	HasPreviousPage bool
}

// Trim cuts the extra row fetched to detect more and puts backward pages
// back in display order. more reports rows beyond the page in the direction
// of travel. rows must have been fetched with Limit+1.
func Trim[T any](r Request, rows []T) (page []T, more bool) {
	more = len(rows) > r.Limit
	if more {
		rows = rows[:r.Limit]
	}
	if r.Backward {
		for i, j := 0, len(rows)-1; i < j; i, j = i+1, j-1 {
			rows[i], rows[j] = rows[j], rows[i]
		}
	}
	return rows, more
}

// Info combines more (from Trim) and behind (whether rows exist at or
// before the cursor, from the Before predicate) into the page's position.
func (r Request) Info(more, behind bool) Info {
	if r.Backward {
		return Info{HasPreviousPage: more, HasNextPage: behind}
	}
	return Info{HasNextPage: more, HasPreviousPage: behind}
}

// Source builds a listing's FROM clause and filter conditions, adding bind
// parameters to a. It may be called more than once for one statement
// (each keyset branch and probe gets its own copy of the parameters).
type Source func(a *db.Args) (from string, where []string)

// Head is what the one statement of a page ([Request.Statement],
// [Compose]) returns besides a row's own columns. Embed it in the row
// model that [One] scans.
type Head struct {
	// Cursor is the row's sort-key values (nil when the sort's values are
	// in the row, see Sort.ValuesInRow).
	Cursor Values `bun:"cursor"`
	// Branch is the keyset branch that read the row (see after), from 1.
	// The one row of a page without rows has NULL here and in every
	// column but page_ok and page_behind; [One] never scans it into T.
	Branch int `bun:"page_branch"`
	// OK is the statement's guard: false when what the page depends on
	// (the listed segments) failed its check, and there are no rows.
	OK bool `bun:"page_ok"`
	// Behind says whether rows exist at or before the cursor.
	Behind bool `bun:"page_behind"`
}

// Statement returns a page as one SELECT (see [Compose]): guard, when not
// nil, is a boolean SQL expression the rows depend on (false: no rows, and
// [One] reports it); the rows are columns plus the [Head] columns, at most
// Limit+1 in page order.
func (r Request) Statement(columns string, s Sort, src Source, guard func(a *db.Args) string) (db.Stmt, error) {
	if err := r.Fits(s); err != nil {
		return db.Stmt{}, err
	}
	var a db.Args
	g := "true"
	if guard != nil {
		g = guard(&a)
	}
	behind, err := r.behind(s, src, &a)
	if err != nil {
		return db.Stmt{}, err
	}
	branches := after(s, r.From, s.Desc != r.Backward, false)
	limit := a.Add(r.Limit + 1)
	parts := make([]string, len(branches))
	for i, b := range branches {
		from, where, order := s.read(b, src, &a)
		cursor := ", " + CursorExpr(s) + " AS cursor"
		if s.ValuesInRow {
			cursor = ""
		}
		parts[i] = fmt.Sprintf(`SELECT %d AS page_branch, %s%s FROM %s WHERE %s ORDER BY %s LIMIT %s`,
			i+1, columns, cursor, from, conj(where), r.OrderBy(order), limit)
	}
	body := parts[0]
	if len(parts) > 1 {
		// Each branch is an index range in page order, read one after
		// the other (Append) until the outer LIMIT is met.
		body = `SELECT * FROM ((` + strings.Join(parts, `) UNION ALL (`) + `)) page_union LIMIT ` + limit
	}
	return db.Stmt{SQL: Compose(g, body, behind), Args: a.Values()}, nil
}

// Compose makes one page statement of its parts: guard (boolean SQL, run
// first and once), body (a SELECT of the rows with "page_branch" and
// "cursor" columns, in page order within each branch) and behind (boolean
// SQL, run only when the guard holds). It always returns at least one row:
// a page without rows (or whose guard failed) gives one row of NULL
// columns, which still carries page_ok and page_behind. So a page —
// checks, rows and hasPreviousPage — is one round trip.
func Compose(guard, body, behind string) string {
	return `WITH page_head AS MATERIALIZED (SELECT ` + guard + ` AS ok)
SELECT page_rows.*, h.ok AS page_ok, h.ok AND ` + behind + ` AS page_behind
FROM page_head h LEFT JOIN LATERAL (SELECT * FROM (` + body + `) page_body WHERE h.ok) page_rows ON true`
}

// One runs a page's one statement and returns its rows (at most Limit, in
// display order) and its position. ok is the statement's guard: when
// false there are no rows, and the caller says why. head returns the
// [Head] embedded in a row.
//
// A page without rows comes back as one row of NULLs but for its head
// (see [Compose]). One reads that row's head itself and never hands it to
// bun's scanner: T's columns are those of real rows, and a model may
// rightly refuse NULL where its table holds none (a user's role).
func One[T any](ctx context.Context, idb bun.IDB, r Request, st db.Stmt, head func(*T) *Head) (rows []T, info Info, ok bool, err error) {
	var behind bool
	err = db.Rows(ctx, idb, st.SQL, st.Args, func(rs *sql.Rows) error {
		if !rs.Next() {
			if err := rs.Err(); err != nil {
				return err
			}
			return errors.New("page statement returned no row")
		}
		empty, err := emptyHead(rs, &ok, &behind)
		if err != nil || empty {
			return err
		}
		// A page with rows has no row of NULLs: scan them all.
		scan := idb.NewSelect().DB()
		rows = make([]T, 1, r.Limit+2)
		if err := scan.ScanRow(ctx, rs, &rows[0]); err != nil {
			return err
		}
		var rest []T
		if err := scan.ScanRows(ctx, rs, &rest); err != nil {
			return err
		}
		rows = append(rows, rest...)
		h := head(&rows[0])
		ok, behind = h.OK, h.Behind
		return nil
	})
	if err != nil {
		return nil, Info{}, false, err
	}
	// Branches come back in order (the executor reads a UNION ALL's
	// branches one after the other); sorting by branch keeps that true
	// whatever the plan.
	slices.SortStableFunc(rows, func(x, y T) int { return head(&x).Branch - head(&y).Branch })
	if len(rows) > r.Limit+1 {
		rows = rows[:r.Limit+1]
	}
	rows, more := Trim(r, rows)
	return rows, r.Info(more, behind), ok, nil
}

// emptyHead reads the head of the current row, the first of a page
// statement, and reports whether it is the one row of a page without rows
// (page_branch NULL); if so, ok and behind are set from it.
func emptyHead(rs *sql.Rows, ok, behind *bool) (bool, error) {
	cols, err := rs.Columns()
	if err != nil {
		return false, err
	}
	var branch sql.NullInt64
	var okv, behindv sql.NullBool
	var other any
	dest := make([]any, len(cols))
	found := false
	for i, c := range cols {
		switch c {
		case "page_branch":
			dest[i], found = &branch, true
		case "page_ok":
			dest[i] = &okv
		case "page_behind":
			dest[i] = &behindv
		default:
			dest[i] = &other
		}
	}
	if !found {
		return false, errors.New("page statement has no page_branch column")
	}
	if err := rs.Scan(dest...); err != nil {
		return false, err
	}
	if branch.Valid {
		return false, nil
	}
	*ok, *behind = okv.Bool, behindv.Bool
	return true, nil
}

// behind is a boolean SQL expression: is any row at or before the cursor
// ("false" without one). Each keyset branch is a probe that walks the
// sort's index backwards from the cursor and stops at the first row
// (ORDER BY the keys reversed, LIMIT 1), so it reads one index entry when
// there is such a row — an EXISTS leaves the planner free to answer with a
// scan of the whole listing, which it does under custom plans. A second
// branch (a nullable first key) runs only when the first found nothing.
func (r Request) behind(s Sort, src Source, a *db.Args) (string, error) {
	if r.From == nil {
		return "false", nil
	}
	if err := r.fits(s); err != nil {
		return "", err
	}
	back := Request{Backward: !r.Backward}
	var probes []string
	for _, b := range after(s, r.From, s.Desc == r.Backward, true) {
		from, where, order := s.read(b, src, a)
		probes = append(probes, fmt.Sprintf(`(SELECT true FROM %s WHERE %s ORDER BY %s LIMIT 1)`,
			from, conj(where), back.OrderBy(order)))
	}
	return "COALESCE(" + strings.Join(probes, ", ") + ", false)", nil
}

// Count returns the number of rows src selects.
func Count(ctx context.Context, idb bun.IDB, src Source) (int64, error) {
	var a db.Args
	from, where := src(&a)
	var n int64
	err := db.Get(ctx, idb, fmt.Sprintf(`SELECT count(*) FROM %s WHERE %s`, from, conj(where)), a.Values(), &n)
	return n, err
}

func conj(where []string) string {
	if len(where) == 0 {
		return "true"
	}
	return strings.Join(where, " AND ")
}
