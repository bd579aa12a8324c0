package csvimport

import (
	"context"
	"io"
	"time"

	"github.com/uptrace/bun"

	"github.com/segments/segments/server/bulk"

	"github.com/segments/segments/server/catalog"
	"github.com/segments/segments/server/db"
)

// The customer file's columns, in the order of the staging table's columns
// after line and id.
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

// customers describes the customer file.
var customers = &kind{
	what:    "customer",
	table:   "customers",
	alias:   "c",
	columns: customerColumns,
	staging: `website text, grp text, email text, first_name text, last_name text,
		phone text, zip text, country text, region text, city text, created_at timestamptz`,
	fields: 11,
	stage: func(f *lineFields, b []byte, loc *time.Location) []byte {
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
		return bulk.AppendTime(b, t)
	},
	// No other import or delete may change customers until commit.
	locks:   []string{`LOCK TABLE customers IN SHARE ROW EXCLUSIVE MODE`},
	prepare: createCodes,
	// Customers' indexes, its foreign keys and those of the tables
	// referencing it are dropped and rebuilt.
	bulkLocks: "customers, orders, segment_customers, websites, customer_groups",
	source: `(SELECT s.id, w.id AS website_id, g.id AS group_id, s.email, s.first_name, s.last_name, s.created_at,
		s.phone, s.zip, s.country, s.region, s.city
		FROM import_customers s JOIN websites w ON w.code = s.website JOIN customer_groups g ON g.code = s.grp) x`,
	// All columns but the optional ones the file left out.
	cols: func(present func(int) bool) []string {
		cols := []string{"website_id", "group_id", "email", "first_name", "last_name", "created_at"}
		for _, k := range optionalCustomerColumns {
			if present(k) {
				cols = append(cols, customerColumns[k].name)
			}
		}
		return cols
	},
	touch:   ", updated_at = now()",
	explain: checkCustomerEmails,
}

// ImportCustomers imports a customer CSV file (docs/files.md): it inserts
// new customers, updates those whose values differ (by id) and creates
// website and group codes it does not know yet, named after their code.
// loc is the store's time zone, for times written without an offset (nil
// means UTC).
//
// It is all or nothing: if any line is bad it returns *Error listing every
// problem, and the database is unchanged. On success the import is one
// transaction that also bumps store_state.data_changed_at (when anything
// changed), so segments show as stale; it never refreshes them itself, but
// runs onChange in that transaction when anything changed (OnChange).
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
func ImportCustomers(ctx context.Context, d *db.DB, r io.Reader, loc *time.Location, onChange ...OnChange) (Result, error) {
	return run(ctx, d, r, loc, customers, defaultOptions(onChange))
}

// createCodes creates the website and group codes of the staged file that
// the store does not have yet.
func createCodes(ctx context.Context, tx bun.Tx, res *Result) error {
	var websites, groups []string
	if err := db.Select(ctx, tx, &websites, `SELECT DISTINCT website FROM import_customers`); err != nil {
		return err
	}
	if err := db.Select(ctx, tx, &groups, `SELECT DISTINCT grp FROM import_customers`); err != nil {
		return err
	}
	var err error
	if res.NewWebsites, err = catalog.CreateWebsites(ctx, tx, websites); err != nil {
		return err
	}
	res.NewGroups, err = catalog.CreateCustomerGroups(ctx, tx, groups)
	return err
}

// checkCustomerEmails adds the problems of emails used twice per website
// in the file, and of emails that already belong to another customer of
// the website in the database.
func checkCustomerEmails(ctx context.Context, tx bun.Tx, p *problems) error {
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
