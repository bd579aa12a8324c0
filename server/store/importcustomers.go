package store

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/segments/segments/server/db"
)

// The customer file's columns, in the order of the staging table's text
// columns after line and id.
const (
	cID = iota
	cWebsite
	cGroup
	cEmail
	cFirstName
	cLastName
	cPhone
	cZip
	cCountry
	cRegion
	cCity
	cCreatedAt
)

var customerColumns = []column{
	cID:        {"id", true},
	cWebsite:   {"website", true},
	cGroup:     {"group", true},
	cEmail:     {"email", true},
	cFirstName: {"first_name", true},
	cLastName:  {"last_name", true},
	cPhone:     {"phone", false},
	cZip:       {"zip", false},
	cCountry:   {"country", false},
	cRegion:    {"region", false},
	cCity:      {"city", false},
	cCreatedAt: {"created_at", true},
}

// optionalCustomerColumns are the columns a file may leave out; on update a
// left-out column keeps its stored values (see ImportCustomers).
var optionalCustomerColumns = []int{cPhone, cZip, cCountry, cRegion, cCity}

// ImportCustomers imports a customer CSV file (see DESIGN §6 and the
// README): it inserts new customers, updates those whose values differ
// (by id) and creates website and group codes it does not know yet, named
// after their code. loc is the store's time zone, for times written without
// an offset (nil means UTC).
//
// It is all or nothing: if any line is bad it returns *ImportError listing
// every problem, and the database is unchanged. On success the import is one
// transaction that also bumps store_state.data_changed_at (when anything
// changed), so segments show as stale; it never refreshes them.
//
// Optional columns (phone, zip, country, region, city) may be left out of
// the header: new customers get NULL there, existing ones keep their values.
// A present but empty field is NULL.
//
// Emails are unique per website ignoring case (the unique index
// customers_website_email), and the index is checked row by row as the
// import writes: a file that gives a customer an email another customer
// has, in the file or in the database, fails with each such line named.
// Moving an email from one existing customer to another may therefore need
// two imports: first the customer who gives it up.
func ImportCustomers(ctx context.Context, d *db.DB, r io.Reader, loc *time.Location) (ImportResult, error) {
	return importCustomers(ctx, d, r, loc, defaultImportOptions())
}

func importCustomers(ctx context.Context, d *db.DB, r io.Reader, loc *time.Location, opts importOptions) (ImportResult, error) {
	res, err := runCustomerImport(ctx, d, r, loc, opts)
	return outcome("import customers", res, err)
}

func runCustomerImport(ctx context.Context, d *db.DB, r io.Reader, loc *time.Location, opts importOptions) (ImportResult, error) {
	began := time.Now()
	var res ImportResult
	if loc == nil {
		loc = time.UTC
	}
	var p problems
	cr, _, err := newCSVReader(r)
	if err != nil {
		return res, err
	}
	idx, ok, err := readHeader(cr, customerColumns, &p, "customer")
	if err != nil {
		return res, err
	}
	if !ok {
		return res, p.err(r, "")
	}
	present := func(k int) bool { return idx[k] >= 0 }

	conn, tx, err := beginImport(ctx, d)
	if err != nil {
		return res, err
	}
	defer conn.Release()
	defer tx.Rollback(ctx) //nolint:errcheck // a no-op after Commit

	if _, err := tx.Exec(ctx, `CREATE TEMP TABLE import_customers (
		line bigint NOT NULL, id bigint, website text, grp text, email text, first_name text, last_name text,
		phone text, zip text, country text, region text, city text, created_at timestamptz) ON COMMIT DROP`); err != nil {
		return res, err
	}
	f := lineFields{idx: idx, cols: customerColumns, p: &p}
	src := &stagedRows{cr: cr, fields: countPresent(idx), p: &p}
	src.row = func(b []byte, line int, rec []string) []byte {
		f.rec, f.line = rec, line
		b = appendFieldCount(b, 13)
		b = appendInt8(b, int64(line))
		id, ok := f.id(cID)
		if ok {
			src.sawID(id)
		}
		b = appendInt8OrNull(b, id, ok)
		for _, k := range []int{cWebsite, cGroup} {
			v, ok := f.text(k)
			b = appendTextOrNull(b, v, ok)
		}
		email, ok := f.email(cEmail)
		b = appendTextOrNull(b, email, ok)
		for _, k := range []int{cFirstName, cLastName, cPhone, cZip} {
			v, ok := f.text(k)
			b = appendTextOrNull(b, v, ok)
		}
		cc, ok := f.country(cCountry)
		b = appendTextOrNull(b, cc, ok)
		for _, k := range []int{cRegion, cCity} {
			v, ok := f.text(k)
			b = appendTextOrNull(b, v, ok)
		}
		t, _ := f.time(cCreatedAt, loc)
		return appendTime(b, t)
	}
	if err := stage(ctx, tx, src, `COPY import_customers FROM STDIN (FORMAT binary)`); err != nil {
		return res, err
	}
	res.Rows = src.rows

	// From here on the file is checked against the database and then
	// written: no other import or delete may change customers meanwhile
	// (readers carry on).
	for _, stmt := range []string{
		`LOCK TABLE customers IN SHARE ROW EXCLUSIVE MODE`,
	} {
		if _, err := tx.Exec(ctx, stmt); err != nil {
			return res, err
		}
	}
	// Duplicate ids are checked up front: an UPDATE ... FROM would not
	// trip over them, it would just apply one of the lines.
	if src.unsorted {
		if err := checkDuplicateIDs(ctx, tx, &p, "import_customers", "customer"); err != nil {
			return res, err
		}
	}
	if p.total > 0 { // the file fails anyway: list all its problems
		if err := checkCustomerEmails(ctx, tx, &p); err != nil {
			return res, err
		}
		return res, p.err(r, "")
	}

	if res.NewWebsites, err = createCodes(ctx, tx, "websites", "website"); err != nil {
		return res, err
	}
	if res.NewGroups, err = createCodes(ctx, tx, "customer_groups", "grp"); err != nil {
		return res, err
	}

	// The columns written, and compared to tell a changed row: all but the
	// optional ones the file left out.
	cols := []string{"website_id", "group_id", "email", "first_name", "last_name", "created_at"}
	for _, k := range optionalCustomerColumns {
		if present(k) {
			cols = append(cols, customerColumns[k].name)
		}
	}
	source := `(SELECT s.id, w.id AS website_id, g.id AS group_id, s.email, s.first_name, s.last_name, s.created_at,
		s.phone, s.zip, s.country, s.region, s.city
		FROM import_customers s JOIN websites w ON w.code = s.website JOIN customer_groups g ON g.code = s.grp) x`
	changed := fmt.Sprintf(`(%s) IS DISTINCT FROM (%s)`, prefixed("c.", cols), prefixed("x.", cols))

	// How many rows are new and changed decides how to write them. Into
	// an empty table every row is new, and the join is not needed.
	toInsert, toUpdate, existing, err := planUpsert(ctx, tx, "customers c", source, changed, res.Rows)
	if err != nil {
		return res, err
	}

	write := func() error {
		var restore []string
		if useBulk(opts, toInsert, toUpdate, existing) {
			// Customers' indexes, its foreign keys and those of the tables
			// referencing it are dropped and rebuilt. Dropping a foreign key
			// locks both of its tables exclusively, so take every such lock
			// up front, under lockForBulk's timeout.
			ok, err := lockForBulk(ctx, tx, "customers, orders, segment_customers, websites, customer_groups")
			if err != nil {
				return err
			}
			if ok {
				if restore, err = suspendIndexes(ctx, tx, []string{"customers"}); err != nil {
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
			tag, err := tx.Exec(ctx, `UPDATE customers c SET `+strings.Join(set, ", ")+`, updated_at = now()
				FROM `+source+` WHERE c.id = x.id AND `+changed)
			if err != nil {
				return err
			}
			res.Updated = tag.RowsAffected()
		}
		if toInsert > 0 {
			tag, err := tx.Exec(ctx, `INSERT INTO customers (id, `+strings.Join(cols, ", ")+`)
				SELECT x.id, `+prefixed("x.", cols)+` FROM `+source+`
				WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = x.id)`)
			if err != nil {
				return err
			}
			res.Inserted = tag.RowsAffected()
		}
		for _, stmt := range restore {
			if _, err := tx.Exec(ctx, stmt); err != nil {
				return fmt.Errorf("rebuild index or constraint (%s): %w", stmt, err)
			}
		}
		return nil
	}
	if err := writeOrExplain(ctx, tx, &p, r, write, func() error { return checkCustomerEmails(ctx, tx, &p) }); err != nil {
		return res, err
	}
	if res.Inserted+res.Updated > 0 || len(res.NewWebsites)+len(res.NewGroups) > 0 {
		if err := bumpDataChanged(ctx, tx); err != nil {
			return res, err
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return res, fmt.Errorf("commit: %w", err)
	}
	analyzeAfter(ctx, conn, "customers", res.Inserted+res.Updated, existing+res.Inserted)
	res.Took = time.Since(began)
	return res, nil
}

// checkCustomerEmails adds the problems of emails used twice per website
// in the file, and of emails that already belong to another customer of
// the website in the database.
func checkCustomerEmails(ctx context.Context, tx pgx.Tx, p *problems) error {
	// Emails are compared as the unique index customers_website_email
	// compares them: lower(email) per website. The first line with an
	// email keeps it; later lines (of other customers) are the problem.
	if err := p.sqlCheck(ctx, tx, `
		WITH k AS (SELECT line, id, website, email, lower(email) AS lemail FROM import_customers
		            WHERE website IS NOT NULL AND email IS NOT NULL),
		     d AS (SELECT website, lemail FROM k GROUP BY website, lemail HAVING count(*) > 1),
		     f AS (SELECT k.*, first_value(line) OVER w AS first_line, first_value(id) OVER w AS first_id
		             FROM k JOIN d USING (website, lemail)
		           WINDOW w AS (PARTITION BY website, lemail ORDER BY line))
		SELECT line, format('email "%s" is also on line %s%s for website "%s"; an email can belong to only one customer per website',
		                    email, first_line, ' (customer ' || first_id || ')', website),
		       count(*) OVER ()
		  FROM f
		 WHERE line > first_line AND id IS DISTINCT FROM first_id
		 ORDER BY line LIMIT $1`); err != nil {
		return err
	}
	// An email held by another customer in the database counts as a clash
	// even when this file gives that customer a new email: the unique index
	// is checked row by row as the import writes, so whether such a move
	// works in one go depends on the order rows are written in. Telling the
	// user to move it in two imports always works.
	return p.sqlCheck(ctx, tx, `
		SELECT s.line,
		       format('email "%s" already belongs to customer %s on website "%s"', s.email, c.id, s.website)
		       || CASE WHEN EXISTS (SELECT 1 FROM import_customers o WHERE o.id = c.id)
		               THEN format('; this file changes customer %s too, but an email can only move from one customer to another in two imports: first the one that gives it up', c.id)
		               ELSE '' END,
		       count(*) OVER ()
		  FROM import_customers s
		  JOIN websites w ON w.code = s.website
		  JOIN customers c ON c.website_id = w.id AND lower(c.email) = lower(s.email)
		 WHERE c.id IS DISTINCT FROM s.id
		 ORDER BY s.line LIMIT $1`)
}

// checkDuplicateIDs reports every line whose id an earlier line of the
// file already has.
func checkDuplicateIDs(ctx context.Context, tx pgx.Tx, p *problems, table, what string) error {
	return p.sqlCheck(ctx, tx, fmt.Sprintf(`
		WITH d AS (SELECT id, min(line) AS first_line FROM %s WHERE id IS NOT NULL GROUP BY id HAVING count(*) > 1)
		SELECT s.line, format('%s id %%s is also on line %%s; each id may appear only once', s.id, d.first_line), count(*) OVER ()
		  FROM %[1]s s JOIN d USING (id)
		 WHERE s.line > d.first_line
		 ORDER BY s.line LIMIT $1`, table, what))
}

// createCodes inserts the codes of the staging column col that table does
// not have yet, named after themselves, and returns them sorted.
func createCodes(ctx context.Context, tx pgx.Tx, table, col string) ([]string, error) {
	rows, err := tx.Query(ctx, fmt.Sprintf(`
		WITH n AS (
		  INSERT INTO %[1]s (code, name)
		  SELECT code, code FROM (SELECT DISTINCT %[2]s AS code FROM import_customers) s
		   WHERE NOT EXISTS (SELECT 1 FROM %[1]s t WHERE t.code = s.code)
		   ORDER BY code
		  ON CONFLICT (code) DO NOTHING
		  RETURNING code)
		SELECT code FROM n ORDER BY code`, table, col))
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

// prefixed joins cols, each prefixed with p.
func prefixed(p string, cols []string) string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = p + c
	}
	return strings.Join(out, ", ")
}

// countPresent is the number of columns the header has.
func countPresent(idx []int) int {
	n := 0
	for _, i := range idx {
		if i >= 0 {
			n++
		}
	}
	return n
}
