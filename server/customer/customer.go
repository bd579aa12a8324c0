package customer

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/segments/segments/server/apperr"
	"github.com/segments/segments/server/bitmap"
	"github.com/segments/segments/server/catalog"
	"github.com/segments/segments/server/country"
	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/page"
	"github.com/segments/segments/server/segment"
)

// Customer is one row of the drill-down: the report's columns of the
// customers table.
type Customer struct {
	bun.BaseModel `bun:"table:customers,alias:c"`

	ID        int64     `bun:"id,pk"`
	WebsiteID int64     `bun:"website_id"`
	GroupID   int64     `bun:"group_id"`
	Email     string    `bun:"email"`
	FirstName string    `bun:"first_name"`
	LastName  string    `bun:"last_name"`
	Phone     *string   `bun:"phone"`
	Zip       *string   `bun:"zip"`
	Country   *string   `bun:"country"`
	Region    *string   `bun:"region"`
	CreatedAt time.Time `bun:"created_at"`

	// Group and Website are the customer's catalog entries, which List
	// fills from the catalog cache (see fill): shared, never to be changed.
	Group   *catalog.CustomerGroup `bun:"-"`
	Website *catalog.Website       `bun:"-"`
}

// setCount is a kept count of a combined segment set (see Count).
type setCount struct {
	bun.BaseModel `bun:"table:segment_set_counts,alias:k"`

	Key           string    `bun:"key,pk"`
	Stamp         string    `bun:"stamp"`
	CustomerCount int64     `bun:"customer_count"`
	ComputedAt    time.Time `bun:"computed_at,nullzero,default:now()"`
}

// Name is the full name as the report shows it.
func (c Customer) Name() string {
	return strings.TrimSpace(c.FirstName + " " + c.LastName)
}

// Mode says how several segments combine.
type Mode string

// The two ways segments combine.
const (
	Union        Mode = "UNION"
	Intersection Mode = "INTERSECTION"
)

// Filter narrows a listing; text fields match when the column contains the
// text, ignoring case. Zero values do not filter.
type Filter struct {
	IDs          []int64    `json:"ids,omitempty"`
	Name         string     `json:"name,omitempty"`
	Email        string     `json:"email,omitempty"`
	GroupIDs     []int64    `json:"groupIds,omitempty"`
	Phone        string     `json:"phone,omitempty"`
	Zip          string     `json:"zip,omitempty"`
	CountryCodes []string   `json:"countryCodes,omitempty"`
	Region       string     `json:"region,omitempty"`
	SinceFrom    *time.Time `json:"customerSinceFrom,omitempty"`
	SinceTo      *time.Time `json:"customerSinceTo,omitempty"`
	WebsiteIDs   []int64    `json:"websiteIds,omitempty"`
}

func (f Filter) empty() bool {
	return len(f.IDs) == 0 && f.Name == "" && f.Email == "" && len(f.GroupIDs) == 0 &&
		f.Phone == "" && f.Zip == "" && len(f.CountryCodes) == 0 && f.Region == "" &&
		f.SinceFrom == nil && f.SinceTo == nil && len(f.WebsiteIDs) == 0
}

// OrderField is a column the drill-down sorts by.
type OrderField string

// Sortable columns. NAME sorts by last name, then first name; GROUP by group
// name; COUNTRY by code.
const (
	OrderID            OrderField = "ID"
	OrderName          OrderField = "NAME"
	OrderEmail         OrderField = "EMAIL"
	OrderGroup         OrderField = "GROUP"
	OrderPhone         OrderField = "PHONE"
	OrderZip           OrderField = "ZIP"
	OrderCountry       OrderField = "COUNTRY"
	OrderRegion        OrderField = "REGION"
	OrderCustomerSince OrderField = "CUSTOMER_SINCE"
)

// Order is a sort: a column and a direction. Ties break by ID.
type Order struct {
	Field OrderField `json:"field"`
	Desc  bool       `json:"desc"`
}

// Query says which customers to list: the members of SegmentIDs combined by
// Mode, less the members of any of Exclude, narrowed by Filter, sorted by
// Order.
type Query struct {
	SegmentIDs []int64
	Mode       Mode
	// Exclude leaves out the members of any of these segments (at most
	// segment.MaxIDs, none of them in SegmentIDs).
	Exclude []int64
	Filter  Filter
	Order   Order

	// checked is set once the query is in canonical form and its segments
	// exist for the principal of scope, so a page and its count do not
	// check them twice.
	checked bool
	// scope is the website ids the query is limited to (segment.ScopeKey):
	// nil for every website.
	scope []int64
}

// Page is one page of a listing.
type Page struct {
	// Query is the listed query in canonical form; pass it on to Count.
	Query     Query
	Customers []Customer
	// Cursors[i] is the cursor of Customers[i].
	Cursors []string
	Info    page.Info
}

// Lister lists segment members.
type Lister struct {
	db      *db.DB
	catalog *catalog.Cache
	bitmaps *bitmap.Cache
}

// NewLister returns a Lister over d that reads the catalogs once per page;
// WithCatalog gives it the server's cache. It keeps the bitmaps it counts
// from in a cache of its own; WithBitmaps shares the server's.
func NewLister(d *db.DB) *Lister {
	return &Lister{db: d, catalog: catalog.NewCache(d, nil), bitmaps: bitmap.NewCache(0)}
}

// List returns one page of q in one statement: the check that q's segments
// exist (for ctx's principal), the rows and hasPreviousPage together (see
// statement), on the read replica when it has replayed every change this
// instance knows of (db.DB.Read). Only when that check fails does it ask
// again, for the error naming the missing segment.
func (l *Lister) List(ctx context.Context, q Query, args page.Args) (Page, error) {
	q, req, err := l.prepare(ctx, q, args, false)
	if err != nil {
		return Page{}, err
	}
	// A report read: on the replica when it has replayed every change
	// this instance knows of (the statement checks), else on the primary.
	// A failed guard on the replica may be either; the primary tells.
	var rows []row
	var info page.Info
	var ok bool
	err = l.db.Read(ctx, func(r db.Reader) (bool, error) {
		st, err := q.statement(ctx, req, r)
		if err != nil {
			return false, err
		}
		rows, info, ok, err = page.One(ctx, r.DB, req, st, func(r *row) *page.Head { return &r.Head })
		return !ok, err
	})
	if err != nil {
		return Page{}, fmt.Errorf("list customers: %w", err)
	}
	if !ok {
		return Page{}, l.missing(ctx, q)
	}
	q.checked = true
	p := Page{Query: q, Info: info, Customers: make([]Customer, len(rows)), Cursors: make([]string, len(rows))}
	for i := range rows {
		p.Customers[i] = rows[i].Customer
		vals := rows[i].Cursor // GROUP order reads its values in SQL
		if vals == nil {
			vals = q.values(&rows[i].Customer)
		}
		p.Cursors[i] = req.Cursor(vals)
	}
	if err := l.fill(ctx, p.Customers); err != nil {
		return Page{}, err
	}
	return p, nil
}

// row is a customer as the page statement returns it.
type row struct {
	Customer
	page.Head
}

// missing returns the error of a query whose segments failed the page
// statement's check: NOT_FOUND naming the segments ctx's principal does not
// see, as CheckIDs words it.
func (l *Lister) missing(ctx context.Context, q Query) error {
	if _, err := segment.CheckIDs(ctx, l.db, q.SegmentIDs); err != nil {
		return err
	}
	if len(q.Exclude) > 0 {
		if _, err := segment.CheckIDs(ctx, l.db, q.Exclude); err != nil {
			return err
		}
	}
	// A segment appeared or came into scope between the two reads.
	return apperr.Missing("the listed segments changed while reading them; try again")
}

// Each calls fn with every customer q selects, in q's order, reading them
// through idb (for an export: a REPEATABLE READ transaction, so the rows are
// one snapshot). Rows stream from the server; memory stays flat.
func (l *Lister) Each(ctx context.Context, idb bun.IDB, q Query, fn func(Customer) error) error {
	q, err := l.normalize(ctx, q, true)
	if err != nil {
		return err
	}
	sql, args := q.allSQL()
	rows, err := db.Query(ctx, idb, sql, args...)
	if err != nil {
		return fmt.Errorf("read customers: %w", err)
	}
	defer rows.Close()
	var c Customer
	for rows.Next() {
		// A plain Scan: an export reads millions of rows.
		if err := rows.Scan(&c.ID, &c.WebsiteID, &c.GroupID, &c.Email, &c.FirstName, &c.LastName,
			&c.Phone, &c.Zip, &c.Country, &c.Region, &c.CreatedAt); err != nil {
			return fmt.Errorf("read customers: %w", err)
		}
		if err := fn(c); err != nil {
			return err
		}
	}
	return rows.Err()
}

// allSQL selects every customer of q, in q's order.
func (q Query) allSQL() (string, []any) {
	var a db.Args
	from, where := q.source()(&a)
	where = append(where, "true")
	return fmt.Sprintf(`SELECT %s FROM %s WHERE %s ORDER BY %s`, columns, from, strings.Join(where, " AND "), page.Request{}.OrderBy(q.sort())), a.Values()
}

// AllSQL returns the statement Each runs, so benchmarks can run the very
// same SQL through psql.
func (l *Lister) AllSQL(ctx context.Context, q Query) (string, []any, error) {
	q, err := l.normalize(ctx, q, true)
	if err != nil {
		return "", nil, err
	}
	sql, args := q.allSQL()
	return sql, args, nil
}

// Check validates q as List and Count do, without reading customers.
func (l *Lister) Check(ctx context.Context, q Query) (Query, error) {
	return l.normalize(ctx, q, true)
}

// CursorFor returns the cursor List would give the row whose sort-key
// values are values, so benchmarks can start a page anywhere in a listing
// (cursors are sealed; nothing outside this package can make one).
func (l *Lister) CursorFor(ctx context.Context, q Query, values []*string) (string, error) {
	one := 1
	_, req, err := l.prepare(ctx, q, page.Args{First: &one}, true)
	if err != nil {
		return "", err
	}
	return req.Cursor(values), nil
}

// CursorAt returns the cursor of row (counting from 0) of q's listing, so
// benchmarks and tests can start a page at any depth. It reads the listing
// up to that row (OFFSET): a tool, not a way to page.
func (l *Lister) CursorAt(ctx context.Context, q Query, row int64) (string, error) {
	q, err := l.normalize(ctx, q, true)
	if err != nil {
		return "", err
	}
	var a db.Args
	from, where := q.source()(&a)
	s := q.sort()
	sql := fmt.Sprintf(`SELECT %s FROM %s WHERE %s ORDER BY %s OFFSET %s LIMIT 1`,
		page.CursorExpr(s), from, strings.Join(append(where, "true"), " AND "), page.Request{}.OrderBy(s), a.Add(row))
	var vals page.Values
	if err := db.Get(ctx, l.db, sql, a.Values(), &vals); err != nil {
		return "", fmt.Errorf("cursor at row %d: %w", row, err)
	}
	return l.CursorFor(ctx, q, vals)
}

// PageSQL returns the statements List runs for one page (one), so
// benchmarks and tests can run or EXPLAIN the very same SQL.
func (l *Lister) PageSQL(ctx context.Context, q Query, args page.Args) ([]db.Stmt, error) {
	q, req, err := l.prepare(ctx, q, args, false)
	if err != nil {
		return nil, err
	}
	st, err := q.statement(ctx, req, db.Reader{})
	if err != nil {
		return nil, err
	}
	return []db.Stmt{st}, nil
}

// statement is the page's one statement on r: a guard that r has
// replayed the changes the page must see (db.Reader.Fresh) and that every
// listed and excluded segment exists for ctx's principal
// (segment.AllVisible), the rows, and whether any row lies behind the
// cursor.
func (q Query) statement(ctx context.Context, req page.Request, r db.Reader) (db.Stmt, error) {
	guard := func(a *db.Args) string {
		fresh := r.Fresh(a)
		if q.checked {
			return fresh
		}
		visible := segment.AllVisible(ctx, a, append(slices.Clone(q.SegmentIDs), q.Exclude...))
		if !r.Replica() {
			return visible
		}
		return fresh + " AND " + visible
	}
	if q.Order.Field == OrderGroup {
		return q.groupStatement(req, guard)
	}
	return req.Statement(columns, q.sort(), q.pageSource(), guard)
}

func (l *Lister) prepare(ctx context.Context, q Query, args page.Args, check bool) (Query, page.Request, error) {
	q, err := l.normalize(ctx, q, check)
	if err != nil {
		return q, page.Request{}, err
	}
	parts := []any{"customers", q.SegmentIDs, q.Mode, q.Filter, q.Order}
	if len(q.Exclude) > 0 {
		// Cursors of a listing without exclusions stay what they were.
		parts = append(parts, "exclude", q.Exclude)
	}
	if q.scope != nil {
		// A scope sees other rows: its cursors are its own.
		parts = append(parts, q.scope)
	}
	req, err := page.Parse(args, page.Binding(parts...))
	return q, req, err
}

// Count returns how many distinct customers q selects. For one unfiltered
// segment that is the count stored by its last refresh (for a scoped
// principal, the sum of its websites' counts). Any other combination
// filtered by websites at most is counted from the segments' bitmaps when
// they all have them (see bitmapCount): set operations in memory. Other
// counts are kept in segment_set_counts, stamped with the latest refresh of the
// segments and the last change of store data: membership changes only
// then, so a kept count is exact and paging through a large union does not
// recount it for every page. A kept count's key includes the scope: two
// principals of different scopes never share one.
//
// Counting is a report read (db.DB.Read: the replica when it is fresh);
// keeping a count is a write, always on the primary.
func (l *Lister) Count(ctx context.Context, q Query) (int64, error) {
	q, err := l.normalize(ctx, q, true)
	if err != nil {
		return 0, err
	}
	if len(q.SegmentIDs) == 1 && len(q.Exclude) == 0 && q.Filter.empty() {
		return l.storedCount(ctx, q)
	}
	if n, ok, err := l.bitmapCount(ctx, q); err != nil || ok {
		if err != nil {
			return 0, fmt.Errorf("count customers: %w", err)
		}
		return n, nil
	}
	parts := []any{"count", q.SegmentIDs, q.Mode, q.Filter}
	if q.scope != nil {
		parts = append(parts, q.scope)
	}
	if len(q.Exclude) > 0 {
		parts = append(parts, "exclude", q.Exclude)
	}
	key := page.Binding(parts...)
	// The stamp covers the excluded segments' refreshes too.
	stamped := append(slices.Clone(q.SegmentIDs), q.Exclude...)
	var n int64
	var stamp string
	var kept bool
	// Reading runs on the replica when it is fresh; keeping the count is a
	// write, on the primary. The stamp is read with the count, in one
	// statement, so a kept count is always that of its stamp's data,
	// whichever server counted it.
	err = l.db.Read(ctx, func(r db.Reader) (bool, error) {
		var a db.Args
		var got *int64
		err := db.Get(ctx, r.DB, stampSQL(r, &a, stamped)+`
			SELECT now.stamp, (SELECT k.customer_count FROM segment_set_counts k WHERE k.key = `+a.Add(key)+` AND k.stamp = now.stamp) FROM now`,
			a.Values(), &stamp, &got)
		if err == nil && got != nil {
			n, kept = *got, true
			return false, nil
		}
		if err == nil {
			a = db.Args{}
			with := stampSQL(r, &a, stamped)
			from, where := q.countSource()(&a)
			err = db.Get(ctx, r.DB, with+`
				SELECT now.stamp, (SELECT count(*) FROM `+from+` WHERE `+strings.Join(append(where, "true"), " AND ")+`) FROM now`,
				a.Values(), &stamp, &n)
		}
		if r.Replica() && errors.Is(err, sql.ErrNoRows) {
			return true, nil
		}
		return false, err
	})
	if err != nil {
		return 0, fmt.Errorf("count customers: %w", err)
	}
	if kept {
		return n, nil
	}
	if _, err := l.db.NewInsert().Model(&setCount{Key: key, Stamp: stamp, CustomerCount: n}).
		On("CONFLICT (key) DO UPDATE").
		Set("stamp = EXCLUDED.stamp, customer_count = EXCLUDED.customer_count, computed_at = now()").
		Exec(ctx); err != nil {
		return 0, fmt.Errorf("keep count: %w", err)
	}
	return n, nil
}

// stampSQL is the WITH clause of a statement that reads the kept-count
// stamp of the segments stamped: the latest refresh of any of them and the
// last change of store data (in UTC, whatever the session's time zone).
// Its one row is missing when r is not fresh.
func stampSQL(r db.Reader, a *db.Args, stamped []int64) string {
	return `WITH now AS MATERIALIZED (SELECT
		(SELECT COALESCE(max(id), 0) FROM segment_refreshes WHERE segment_id = ANY(` + a.Add(stamped) + `))::text || '/' ||
		((SELECT data_changed_at FROM store_state) AT TIME ZONE 'UTC')::text AS stamp WHERE ` + r.Fresh(a) + `)`
}

// storedCount is the count of one unfiltered segment its last refresh
// stored (for a scoped principal, the sum of its websites' counts), read
// as a report read (see db.DB.Read).
func (l *Lister) storedCount(ctx context.Context, q Query) (int64, error) {
	var n int64
	err := l.db.Read(ctx, func(r db.Reader) (bool, error) {
		var a db.Args
		id := a.Add(q.SegmentIDs[0])
		var query string
		if q.scope == nil {
			query = `SELECT customer_count FROM segments WHERE id = ` + id + ` AND ` + r.Fresh(&a)
		} else {
			// HAVING: no row when not fresh, as the other.
			query = `SELECT COALESCE(sum(customer_count), 0)::bigint FROM segment_website_counts
				WHERE segment_id = ` + id + ` AND website_id = ANY(` + a.Add(q.scope) + `) HAVING ` + r.Fresh(&a)
		}
		err := db.Get(ctx, r.DB, query, a.Values(), &n)
		if r.Replica() && errors.Is(err, sql.ErrNoRows) {
			return true, nil
		}
		return false, err
	})
	if err != nil {
		return 0, fmt.Errorf("count customers: %w", err)
	}
	return n, nil
}

// countSource selects q's customers for counting. Without filters on
// customer columns but the website, membership alone answers, which reads
// the membership index only (and, for a scope or a website filter, the
// website each member had when counted: see memberWebsites), as the
// bitmaps do.
func (q Query) countSource() page.Source {
	websites, ok := q.memberWebsites()
	if !ok {
		return q.source()
	}
	return func(a *db.Args) (string, []string) {
		having := ""
		if q.Mode == Intersection {
			having = " HAVING count(*) = " + a.Add(len(q.SegmentIDs))
		}
		scope := ""
		if websites != nil {
			scope = " AND website_id = ANY(" + a.Add(websites) + ")"
		}
		if len(q.Exclude) > 0 {
			scope += " AND " + notIn(q.Exclude, "m0.customer_id", a, "")
		}
		return "(SELECT customer_id FROM segment_customers m0 WHERE segment_id = ANY(" + a.Add(q.SegmentIDs) + ")" + scope + " GROUP BY customer_id" + having + ") m", nil
	}
}

// normalize checks the query and puts it in canonical form, so equal
// queries bind cursors equally. It limits q to the scope of ctx's
// principal: segments it does not see are unknown, and only customers of
// its websites are selected.
//
// With check false the segments are not read: the caller's statement
// checks them (segment.AllVisible) and leaves q.checked false until it has.
func (l *Lister) normalize(ctx context.Context, q Query, check bool) (Query, error) {
	scope := segment.ScopeKey(ctx)
	if q.checked && slices.Equal(q.scope, scope) && (q.scope == nil) == (scope == nil) {
		return q, nil
	}
	q.checked = false
	q.scope = scope
	ids := func(ids []int64) ([]int64, error) {
		if check {
			return segment.CheckIDs(ctx, l.db, ids)
		}
		return segment.CanonicalIDs(ids)
	}
	var err error
	if q.SegmentIDs, err = ids(q.SegmentIDs); err != nil {
		return q, err
	}
	if len(q.Exclude) > 0 {
		if q.Exclude, err = ids(q.Exclude); err != nil {
			return q, err
		}
		for _, id := range q.Exclude {
			if slices.Contains(q.SegmentIDs, id) {
				return q, apperr.Invalid("excludeSegmentIds: segment %d is also in segmentIds; a segment is either combined or excluded", id)
			}
		}
	} else {
		q.Exclude = nil
	}
	if q.Mode == "" || len(q.SegmentIDs) == 1 {
		q.Mode = Union
	}
	if q.Mode != Union && q.Mode != Intersection {
		return q, apperr.Invalid("mode must be UNION or INTERSECTION, got %q", q.Mode)
	}
	if q.Order.Field == "" {
		q.Order.Field = OrderID
	}
	if _, ok := sortKeys[q.Order.Field]; !ok && q.Order.Field != OrderID {
		return q, apperr.Invalid("cannot sort customers by %q", q.Order.Field)
	}
	f := &q.Filter
	for i, c := range f.CountryCodes {
		code := strings.ToUpper(strings.TrimSpace(c))
		if !country.Valid(code) {
			return q, apperr.Invalid("filter.countryCodes[%d]: %q is not an ISO 3166-1 alpha-2 country code", i, c)
		}
		f.CountryCodes[i] = code
	}
	if f.SinceFrom != nil && f.SinceTo != nil && f.SinceFrom.After(*f.SinceTo) {
		return q, apperr.Invalid("filter: customerSinceFrom is after customerSinceTo")
	}
	q.checked = check
	return q, nil
}

const columns = `c.id, c.website_id, c.group_id, c.email, c.first_name, c.last_name, c.phone, c.zip, c.country, c.region, c.created_at`

// sortKeys are the keys of every sort but ID, before the ID tie-breaker.
// Text sorts use the store's collation, the same in ORDER BY, in cursor
// comparisons and in the indexes (db.Collation).
var sortKeys = map[OrderField][]page.Key{
	OrderName: {
		{Expr: `c.last_name COLLATE "segments_store"`, Type: "text"},
		{Expr: `c.first_name COLLATE "segments_store"`, Type: "text"},
	},
	OrderEmail:         {{Expr: `c.email COLLATE "segments_store"`, Type: "text"}},
	OrderGroup:         {{Expr: `(SELECT g.name FROM customer_groups g WHERE g.id = c.group_id) COLLATE "segments_store"`, Type: "text"}},
	OrderPhone:         {{Expr: `c.phone COLLATE "segments_store"`, Type: "text", Nullable: true}},
	OrderZip:           {{Expr: `c.zip COLLATE "segments_store"`, Type: "text", Nullable: true}},
	OrderCountry:       {{Expr: `c.country`, Type: "bpchar", Nullable: true}},
	OrderRegion:        {{Expr: `c.region COLLATE "segments_store"`, Type: "text", Nullable: true}},
	OrderCustomerSince: {{Expr: `c.created_at`, Type: "timestamptz"}},
}

// driven reports whether the query walks one segment's membership rows
// (one segment, or the smallest of an intersection), so that ID order reads
// the membership primary key as a range.
func (q Query) driven() bool {
	return q.Mode == Intersection || len(q.SegmentIDs) == 1
}

func (q Query) sort() page.Sort {
	// Keyset predicates must name the columns of the index that serves the
	// sort: the membership key for ID order when walking a segment, the
	// customer's id (the last column of every customers index) otherwise.
	id := page.Key{Expr: "c.id", Type: "bigint"}
	// The same bound on c.id: else a merge join may read customers_pkey
	// from its start to reach the page.
	members := page.Key{Expr: "sc.customer_id", Type: "bigint", Same: []string{"c.id"}}
	if q.driven() && q.Order.Field == OrderID {
		id = members
	}
	keys := append(append([]page.Key{}, sortKeys[q.Order.Field]...), id)
	s := page.Sort{Keys: keys, Desc: q.Order.Desc, ValuesInRow: true}
	if flag, ok := nullFlags[q.Order.Field]; ok && q.driven() {
		// The members without a value, in id order, from the partial index
		// of the walked segment's members flagged as such. (A union walks
		// the customers without a value: PostgreSQL would sort the flagged
		// members of every segment rather than merge their index ranges.)
		s.Nulls = &page.Nulls{Source: q.sourceWith(probeOnly, flag), Keys: []page.Key{members}}
	}
	return s
}

// nullFlags are the membership columns saying a member's nullable sort key
// is NULL (or may be: NULL when not known), each with a partial index of
// the members it holds for, by segment and customer id. A refresh sets them
// for the members it adds and a trigger on customers keeps them current.
var nullFlags = map[OrderField]string{
	OrderPhone:   "null_phone",
	OrderZip:     "null_zip",
	OrderCountry: "null_country",
	OrderRegion:  "null_region",
}

// values are c's sort-key values for its cursor, read from its columns in
// the text form the keys' casts read back (see sortKeys; GROUP order's
// values come from its statement).
func (q Query) values(c *Customer) []*string {
	id := strconv.FormatInt(c.ID, 10)
	switch q.Order.Field {
	case OrderName:
		return []*string{&c.LastName, &c.FirstName, &id}
	case OrderEmail:
		return []*string{&c.Email, &id}
	case OrderPhone:
		return []*string{c.Phone, &id}
	case OrderZip:
		return []*string{c.Zip, &id}
	case OrderCountry:
		return []*string{c.Country, &id}
	case OrderRegion:
		return []*string{c.Region, &id}
	case OrderCustomerSince:
		since := c.CreatedAt.UTC().Format(time.RFC3339Nano)
		return []*string{&since, &id}
	}
	return []*string{&id}
}

// groupStatement is the page statement for GROUP order. No single index
// orders customers by their group's name, but there are only a few groups:
// the query reads each group's next customers in id order (index
// customers_group) and merges them, so a page costs a few short index
// ranges instead of a sort of the whole segment. hasPreviousPage is the
// same walk reversed, inclusive, stopping at its first row.
func (q Query) groupStatement(req page.Request, guard func(*db.Args) string) (db.Stmt, error) {
	if err := req.Fits(q.sort()); err != nil {
		return db.Stmt{}, err
	}
	var a db.Args
	g := guard(&a)
	desc := q.Order.Desc != req.Backward
	behind := "false"
	if req.From != nil {
		behind = "COALESCE((" + q.groupWalk(&a, req.From, !desc, true, "true", "c.id", "1") + "), false)"
	}
	body := q.groupWalk(&a, req.From, desc, false,
		"1 AS page_branch, "+columns+", ARRAY[g.name::text, c.id::text] AS cursor", columns, a.Add(req.Limit+1))
	return db.Stmt{SQL: page.Compose(g, body, behind), Args: a.Values()}, nil
}

// groupWalk reads q's customers in GROUP order (desc: descending) from the
// cursor from (nil: from the start), the cursor's row included when
// inclusive: each group's customers in id order, merged by group name.
// sel is the outer select list over g and c, inner the columns the inner
// walk returns as c.
func (q Query) groupWalk(a *db.Args, from []*string, desc, inclusive bool, sel, inner, limit string) string {
	arg := a.Add
	src, where := q.pageSource()(a)
	where = append(where, "c.group_id = g.id")
	cmp, dir, start := ">", "ASC", "0"
	if desc {
		cmp, dir, start = "<", "DESC", "9223372036854775807"
	}
	groups := "true"
	if from != nil {
		name, id := arg(*from[0]), arg(*from[1])
		within := cmp
		if inclusive {
			within += "="
		}
		// Within the cursor's group continue after its id; later groups
		// start from their beginning.
		bound := fmt.Sprintf(`%s CASE WHEN g.name COLLATE "segments_store" = %s THEN %s::bigint ELSE %s END`, within, name, id, start)
		where = append(where, "c.id "+bound)
		if q.driven() {
			// The same bound on the membership side of the join.
			where = append(where, "sc.customer_id "+bound)
		}
		groups = fmt.Sprintf(`g.name COLLATE "segments_store" %s= %s`, cmp, name)
	}
	return fmt.Sprintf(`SELECT %s FROM customer_groups g
		CROSS JOIN LATERAL (SELECT %s FROM %s WHERE %s ORDER BY c.id %s LIMIT %s) c
		WHERE %s ORDER BY g.name COLLATE "segments_store" %s, c.id %s LIMIT %s`,
		sel, inner, src, strings.Join(where, " AND "), dir, limit, groups, dir, dir, limit)
}

// notIn is the condition "customer col is in none of segments ids", which
// PostgreSQL runs as an anti-join: one index probe of the membership per
// listed customer, whatever the page's order.
func notIn(ids []int64, col string, a *db.Args, fence string) string {
	return "NOT EXISTS (SELECT 1 FROM segment_customers x WHERE x.segment_id = ANY(" + a.Add(ids) + ") AND x.customer_id = " + col + fence + ")"
}

// probeOnly ends a page's membership EXISTS, which must stay a probe per
// listed customer (an index lookup): OFFSET keeps PostgreSQL from turning
// it into a semi- or anti-join, which it may run as a merge join reading
// the membership's customer index from its start to the page — more the
// deeper the page — since a keyset bound on c.id does not reach the
// subquery's column. Statements that read a whole listing (an export, a
// count) leave the planner free to join.
const probeOnly = " OFFSET 0"

// source selects the customers of q, for a statement that reads them all.
func (q Query) source() page.Source { return q.sourceWith("", "") }

// pageSource selects the customers of q for a page: its membership probes
// stay probes (see probeOnly).
func (q Query) pageSource() page.Source { return q.sourceWith(probeOnly, "") }

// sourceWith selects the customers of q, ending each membership EXISTS
// with fence. With nullFlag (see nullFlags) it selects only the walked
// segment's members flagged as having no value for that key, through the
// flag's partial index (q must be driven).
func (q Query) sourceWith(fence, nullFlag string) page.Source {
	return func(a *db.Args) (string, []string) {
		arg := a.Add
		f := q.Filter
		var w []string
		from := "customers c"
		if q.scope != nil {
			// Only customers of the scope's websites, by the website they
			// have now. (Not also by membership's copy, sc.website_id: the
			// planner would take the two for independent filters and
			// underestimate the rows, choosing sorts over index walks.)
			w = append(w, "c.website_id = ANY("+arg(q.scope)+")")
		}
		if nullFlag != "" && q.driven() {
			w = append(w, "sc."+nullFlag+" IS NOT FALSE")
		}
		switch {
		case len(q.SegmentIDs) == 1:
			from = "segment_customers sc JOIN customers c ON c.id = sc.customer_id"
			w = append(w, "sc.segment_id = "+arg(q.SegmentIDs[0]))
		case q.Mode == Intersection:
			// Walk the smallest segment's members and probe the others.
			from = "segment_customers sc JOIN customers c ON c.id = sc.customer_id"
			w = append(w, "sc.segment_id = (SELECT s.id FROM segments s WHERE s.id = ANY("+arg(q.SegmentIDs)+") ORDER BY s.customer_count, s.id LIMIT 1)")
			for _, id := range q.SegmentIDs {
				w = append(w, "EXISTS (SELECT 1 FROM segment_customers o WHERE o.segment_id = "+arg(id)+" AND o.customer_id = c.id"+fence+")")
			}
		default:
			w = append(w, "EXISTS (SELECT 1 FROM segment_customers o WHERE o.segment_id = ANY("+arg(q.SegmentIDs)+") AND o.customer_id = c.id"+fence+")")
		}
		if len(q.Exclude) > 0 {
			w = append(w, notIn(q.Exclude, "c.id", a, fence))
		}
		contains := func(col, text string) {
			if text != "" {
				w = append(w, fmt.Sprintf(`strpos(lower(%s COLLATE "und-x-icu"), lower(%s COLLATE "und-x-icu")) > 0`, col, arg(text)))
			}
		}
		if len(f.IDs) > 0 {
			w = append(w, "c.id = ANY("+arg(f.IDs)+")")
		}
		contains(`c.first_name || ' ' || c.last_name`, f.Name)
		contains("c.email", f.Email)
		contains("c.phone", f.Phone)
		contains("c.zip", f.Zip)
		contains("c.region", f.Region)
		if len(f.GroupIDs) > 0 {
			w = append(w, "c.group_id = ANY("+arg(f.GroupIDs)+")")
		}
		if len(f.WebsiteIDs) > 0 {
			w = append(w, "c.website_id = ANY("+arg(f.WebsiteIDs)+")")
		}
		if len(f.CountryCodes) > 0 {
			w = append(w, "c.country = ANY("+arg(f.CountryCodes)+"::bpchar[])")
		}
		if f.SinceFrom != nil {
			w = append(w, "c.created_at >= "+arg(*f.SinceFrom))
		}
		if f.SinceTo != nil {
			w = append(w, "c.created_at <= "+arg(*f.SinceTo))
		}
		return from, w
	}
}
