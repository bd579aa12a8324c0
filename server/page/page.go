package page

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"github.com/jackc/pgx/v5"
	"strings"

	"github.com/segments/segments/server/apperr"
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
}

// Sort is an ordered list of keys, all in one direction.
type Sort struct {
	Keys []Key
	Desc bool
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
}

type cursor struct {
	Binding string    `json:"b"`
	Values  []*string `json:"v"`
}

// Binding returns the hash a cursor carries of the query it belongs to: any
// value that changes the result set or its order must be in parts.
func Binding(parts ...any) string {
	b, err := json.Marshal(parts)
	if err != nil {
		panic(fmt.Sprintf("page binding: %v", err)) // parts are plain values
	}
	sum := sha256.Sum256(b)
	return base64.RawURLEncoding.EncodeToString(sum[:9])
}

// Parse validates paging arguments for a query with the given binding.
func Parse(a Args, binding string) (Request, error) {
	r := Request{Limit: DefaultSize, binding: binding}
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
		c, err := decode(*raw)
		if err != nil {
			return r, apperr.Invalid("cursor %q is not a cursor from this API: start again without after/before", *raw)
		}
		if c.Binding != binding {
			return r, apperr.Invalid("cursor belongs to another query (different segments, mode, filter or sort): start again without after/before")
		}
		r.From = c.Values
	}
	return r, nil
}

func decode(raw string) (cursor, error) {
	var c cursor
	b, err := base64.RawURLEncoding.DecodeString(raw)
	if err != nil {
		return c, err
	}
	if err := json.Unmarshal(b, &c); err != nil {
		return c, err
	}
	if c.Binding == "" || len(c.Values) == 0 {
		return c, fmt.Errorf("empty cursor")
	}
	return c, nil
}

// Cursor encodes the sort-key values of one row.
func (r Request) Cursor(values []*string) string {
	b, _ := json.Marshal(cursor{Binding: r.binding, Values: values})
	return base64.RawURLEncoding.EncodeToString(b)
}

// Placeholder adds a bind parameter and returns its placeholder ("$3").
type Placeholder func(v any) string

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

// Where returns the keyset predicate selecting rows after the cursor in the
// request's direction, or "" when there is no cursor. It fails when the
// cursor does not fit the sort.
func (r Request) Where(s Sort, arg Placeholder) (string, error) {
	if r.From == nil {
		return "", nil
	}
	if err := r.fits(s); err != nil {
		return "", err
	}
	return after(s.Keys, r.From, s.Desc != r.Backward, false, arg), nil
}

// Before returns the predicate selecting rows at or before the cursor, the
// rows that make up the other side of the page; "" without a cursor. The
// caller asks whether any exist, so hasPreviousPage (forwards) and
// hasNextPage (backwards) are exact even when the cursor's row is gone.
func (r Request) Before(s Sort, arg Placeholder) (string, error) {
	if r.From == nil {
		return "", nil
	}
	if err := r.fits(s); err != nil {
		return "", err
	}
	return after(s.Keys, r.From, s.Desc == r.Backward, true, arg), nil
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
	if len(r.From) != len(s.Keys) {
		return apperr.Invalid("cursor does not fit this sort: start again without after/before")
	}
	for i, k := range s.Keys {
		if r.From[i] == nil && !k.Nullable {
			return apperr.Invalid("cursor does not fit this sort: start again without after/before")
		}
	}
	return nil
}

// after builds "row comes after the cursor" for keys in one direction, NULL
// counting as larger than any value; inclusive also admits the cursor's row.
func after(keys []Key, vals []*string, desc, inclusive bool, arg Placeholder) string {
	if allNonNull(keys) {
		// A row comparison lets PostgreSQL use a matching index as a range.
		cols := make([]string, len(keys))
		ps := make([]string, len(keys))
		for i, k := range keys {
			cols[i] = k.Expr
			ps[i] = arg(*vals[i]) + "::" + k.Type
		}
		op := ">"
		if desc {
			op = "<"
		}
		if inclusive {
			op += "="
		}
		return "(" + strings.Join(cols, ", ") + ") " + op + " (" + strings.Join(ps, ", ") + ")"
	}
	k, v := keys[0], vals[0]
	rest := after(keys[1:], vals[1:], desc, inclusive, arg)
	var beyond, equal string
	switch {
	case v == nil && !desc:
		beyond = "false"
		equal = k.Expr + " IS NULL"
	case v == nil && desc:
		beyond = k.Expr + " IS NOT NULL"
		equal = k.Expr + " IS NULL"
	default:
		p := arg(*v) + "::" + k.Type
		equal = k.Expr + " = " + p
		if desc {
			beyond = k.Expr + " < " + p
		} else {
			beyond = "(" + k.Expr + " > " + p + " OR " + k.Expr + " IS NULL)"
		}
	}
	return "(" + beyond + " OR (" + equal + " AND " + rest + "))"
}

func allNonNull(keys []Key) bool {
	for _, k := range keys {
		if k.Nullable {
			return false
		}
	}
	return true
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
// parameters through arg. It is called once per SQL statement.
type Source func(arg Placeholder) (from string, where []string)

// Querier runs SQL; *pgxpool.Pool and pgx.Tx are Queriers.
type Querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

func bind(args *[]any) Placeholder {
	return func(v any) string {
		*args = append(*args, v)
		return fmt.Sprintf("$%d", len(*args))
	}
}

// Query returns the page's SELECT of columns plus a "cursor" column
// (text[]), in page order, fetching Limit+1 rows, and its bind parameters.
func (r Request) Query(columns string, s Sort, src Source) (string, []any, error) {
	var args []any
	arg := bind(&args)
	from, where := src(arg)
	keyset, err := r.Where(s, arg)
	if err != nil {
		return "", nil, err
	}
	if keyset != "" {
		where = append(where, keyset)
	}
	sql := fmt.Sprintf(`SELECT %s, %s AS cursor FROM %s WHERE %s ORDER BY %s LIMIT %s`,
		columns, CursorExpr(s), from, conj(where), r.OrderBy(s), arg(r.Limit+1))
	return sql, args, nil
}

// Behind reports whether any row lies at or before the cursor (false
// without one), for the exact hasPreviousPage/hasNextPage.
func (r Request) Behind(ctx context.Context, q Querier, s Sort, src Source) (bool, error) {
	if r.From == nil {
		return false, nil
	}
	var args []any
	arg := bind(&args)
	from, where := src(arg)
	before, err := r.Before(s, arg)
	if err != nil {
		return false, err
	}
	where = append(where, before)
	var behind bool
	err = q.QueryRow(ctx, fmt.Sprintf(`SELECT EXISTS (SELECT 1 FROM %s WHERE %s)`, from, conj(where)), args...).Scan(&behind)
	return behind, err
}

// Count returns the number of rows src selects.
func Count(ctx context.Context, q Querier, src Source) (int64, error) {
	var args []any
	from, where := src(bind(&args))
	var n int64
	err := q.QueryRow(ctx, fmt.Sprintf(`SELECT count(*) FROM %s WHERE %s`, from, conj(where)), args...).Scan(&n)
	return n, err
}

func conj(where []string) string {
	if len(where) == 0 {
		return "true"
	}
	return strings.Join(where, " AND ")
}
