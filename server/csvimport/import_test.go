package csvimport_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // Europe/Stockholm wherever the tests run

	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/bulk/bulktest"
	"github.com/segments/segments/server/csvimport"
	"github.com/segments/segments/server/csvimport/csvimporttest"
	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/db/dbtest"
)

type importFunc func(context.Context, *db.DB, io.Reader, *time.Location, ...csvimport.OnChange) (csvimport.Result, error)

// importModes runs a test with the row-by-row load and with the one that
// suspends and rebuilds indexes (forced on small files).
var importModes = []struct {
	name      string
	customers importFunc
	orders    importFunc
	bulk      bool
}{
	{"rows", csvimport.ImportCustomers, csvimport.ImportOrders, false},
	{"bulk", csvimport.ImportCustomersBulk, csvimport.ImportOrdersBulk, true},
}

func stockholm(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Stockholm")
	require.NoError(t, err)
	return loc
}

func dataChangedAt(t *testing.T, d *db.DB) time.Time {
	t.Helper()
	var at time.Time
	require.NoError(t, d.Pool.QueryRow(auth.AsSystem(context.Background()), `SELECT data_changed_at FROM store_state`).Scan(&at))
	return at
}

// customerRow is a customer as stored, with codes for website and group.
type customerRow struct {
	Email, FirstName, LastName, Website, Group string
	Phone, Zip, Country, Region, City          *string
	CreatedAt, UpdatedAt                       time.Time
}

func customer(t *testing.T, d *db.DB, id int64) customerRow {
	t.Helper()
	var c customerRow
	require.NoError(t, d.Pool.QueryRow(auth.AsSystem(context.Background()), `
		SELECT c.email, c.first_name, c.last_name, w.code, g.code, c.phone, c.zip, c.country, c.region, c.city, c.created_at, c.updated_at
		  FROM customers c JOIN websites w ON w.id = c.website_id JOIN customer_groups g ON g.id = c.group_id
		 WHERE c.id = $1`, id).Scan(&c.Email, &c.FirstName, &c.LastName, &c.Website, &c.Group,
		&c.Phone, &c.Zip, &c.Country, &c.Region, &c.City, &c.CreatedAt, &c.UpdatedAt), "customer %d", id)
	c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	return c
}

func count(t *testing.T, d *db.DB, query string, args ...any) int64 {
	t.Helper()
	var n int64
	require.NoError(t, d.Pool.QueryRow(auth.AsSystem(context.Background()), query, args...).Scan(&n), query)
	return n
}

func ptr(s string) *string { return &s }

// storeCodes creates the website se and the groups general and wholesale,
// as an existing store has them.
func storeCodes(t *testing.T, d *db.DB) {
	t.Helper()
	_, err := d.Pool.Exec(auth.AsSystem(context.Background()), `
		INSERT INTO websites (code, name) VALUES ('se', 'Sweden Store');
		INSERT INTO customer_groups (code, name) VALUES ('general', 'General'), ('wholesale', 'Wholesale')`)
	require.NoError(t, err)
}

// goodCustomers has a byte-order mark, columns in another order and in
// other case, Unicode, quoted commas, quotes and line breaks, both time
// formats, empty optional fields, a lower-case country, a padded email and
// a new website and group.
const goodCustomers = "\ufeffEmail,ID,website,group,first_name,last_name,phone,zip,country,region,city,created_at\n" +
	"åsa@example.se,1,se,general,Åsa,Öberg,+46 70 123 45 67,111 22,se,Stockholms län,Stockholm,2025-03-01 09:30:00\n" +
	`"  bjorn@example.se ",2,se,wholesale,"Björn ""Nalle""","Ääkkönen, Jr.",,,,,,2025-07-01T10:00:00+02:00` + "\r\n" +
	"zoe@example.dk,3,dk,newgroup,Zoë,Ångström,, \" 123 45 \",DK,,\"Line one\nLine two\",2025-07-01 12:00:00\n" +
	"ola@example.no,4,se,general,Ola,Nordmann,,,no,,,2025-03-01T09:30:00Z\n"

func TestImportCustomers(t *testing.T) {
	t.Parallel()
	for _, mode := range importModes {
		t.Run(mode.name, func(t *testing.T) {
			t.Parallel()
			ctx := auth.AsSystem(context.Background())
			d := dbtest.New(t)
			storeCodes(t, d)
			before := bulktest.Schema(t, d)
			changedBefore := dataChangedAt(t, d)
			loc := stockholm(t)

			res, err := mode.customers(ctx, d, strings.NewReader(goodCustomers), loc)
			require.NoError(t, err)
			require.EqualValues(t, 4, res.Rows)
			require.EqualValues(t, 4, res.Inserted)
			require.Zero(t, res.Updated)
			require.Equal(t, []string{"dk"}, res.NewWebsites)
			require.Equal(t, []string{"newgroup"}, res.NewGroups)
			require.Equal(t, mode.bulk, res.RebuiltIndexes)
			require.Positive(t, res.Took)
			require.Equal(t, before, bulktest.Schema(t, d), "indexes and constraints as they were")
			require.True(t, dataChangedAt(t, d).After(changedBefore), "data_changed_at bumped")

			c := customer(t, d, 1)
			require.Equal(t, customerRow{Email: "åsa@example.se", FirstName: "Åsa", LastName: "Öberg", Website: "se", Group: "general",
				Phone: ptr("+46 70 123 45 67"), Zip: ptr("111 22"), Country: ptr("SE"), Region: ptr("Stockholms län"), City: ptr("Stockholm"),
				CreatedAt: time.Date(2025, 3, 1, 8, 30, 0, 0, time.UTC), UpdatedAt: c.UpdatedAt}, c)
			require.True(t, c.CreatedAt.Equal(time.Date(2025, 3, 1, 9, 30, 0, 0, loc)), "store time in winter (CET)")

			c = customer(t, d, 2)
			require.Equal(t, "bjorn@example.se", c.Email, "trimmed")
			require.Equal(t, `Björn "Nalle"`, c.FirstName)
			require.Equal(t, "Ääkkönen, Jr.", c.LastName)
			require.Equal(t, "wholesale", c.Group)
			require.Nil(t, c.Phone)
			require.Nil(t, c.Zip)
			require.Nil(t, c.Country)
			require.Nil(t, c.Region)
			require.Nil(t, c.City)
			require.True(t, c.CreatedAt.Equal(time.Date(2025, 7, 1, 8, 0, 0, 0, time.UTC)), "RFC 3339 with an offset")

			c = customer(t, d, 3)
			require.Equal(t, "dk", c.Website)
			require.Equal(t, "newgroup", c.Group)
			require.Equal(t, "Zoë", c.FirstName)
			require.Equal(t, ptr("123 45"), c.Zip, "quoted and padded: trimmed")
			require.Equal(t, ptr("DK"), c.Country)
			require.Equal(t, ptr("Line one\nLine two"), c.City)
			require.True(t, c.CreatedAt.Equal(time.Date(2025, 7, 1, 10, 0, 0, 0, time.UTC)), "store time in summer (CEST)")

			c = customer(t, d, 4)
			require.Equal(t, ptr("NO"), c.Country, "upper-cased")
			require.True(t, c.CreatedAt.Equal(time.Date(2025, 3, 1, 9, 30, 0, 0, time.UTC)), "RFC 3339 in UTC")

			require.EqualValues(t, 1, count(t, d, `SELECT count(*) FROM websites WHERE code = 'dk' AND name = 'dk'`), "new website named after its code")
			require.EqualValues(t, 1, count(t, d, `SELECT count(*) FROM customer_groups WHERE code = 'newgroup' AND name = 'newgroup'`))
			require.EqualValues(t, 1, count(t, d, `SELECT count(*) FROM websites WHERE code = 'se' AND name = 'Sweden Store'`), "existing website kept")
			require.Positive(t, count(t, d, `SELECT reltuples::bigint FROM pg_class WHERE oid = 'customers'::regclass`), "customers analyzed")
		})
	}
}

func TestImportCustomersReimport(t *testing.T) {
	t.Parallel()
	for _, mode := range importModes {
		t.Run(mode.name, func(t *testing.T) {
			t.Parallel()
			ctx := auth.AsSystem(context.Background())
			d := dbtest.New(t)
			loc := stockholm(t)
			_, err := mode.customers(ctx, d, strings.NewReader(goodCustomers), loc)
			require.NoError(t, err)
			before := map[int64]customerRow{}
			for id := int64(1); id <= 4; id++ {
				before[id] = customer(t, d, id)
			}
			changed := dataChangedAt(t, d)

			// The same file again, times written another way: nothing changes.
			same := strings.Replace(goodCustomers, "2025-03-01 09:30:00", "2025-03-01T08:30:00Z", 1)
			res, err := mode.customers(ctx, d, strings.NewReader(same), loc)
			require.NoError(t, err)
			require.EqualValues(t, 4, res.Rows)
			require.Zero(t, res.Inserted)
			require.Zero(t, res.Updated)
			require.Empty(t, res.NewWebsites)
			require.Empty(t, res.NewGroups)
			require.False(t, res.RebuiltIndexes, "nothing to load")
			require.Equal(t, changed, dataChangedAt(t, d), "nothing changed, nothing to make stale")
			for id := int64(1); id <= 4; id++ {
				require.Equal(t, before[id], customer(t, d, id), "customer %d untouched", id)
			}

			// Without the optional columns: customer 1 gets a new name and
			// keeps its address; 2 is unchanged; 5 is new, with no address.
			next := "id,website,group,email,first_name,last_name,created_at\n" +
				"5,se,general,new@example.se,Ny,Kund,2025-08-01 00:00:00\n" +
				"1,se,vip,Åsa@Example.se,Åsa-Lena,Öberg,2025-03-01 09:30:00\n" +
				"2,se,wholesale,bjorn@example.se,\"Björn \"\"Nalle\"\"\",\"Ääkkönen, Jr.\",2025-07-01T08:00:00Z\n"
			res, err = mode.customers(ctx, d, strings.NewReader(next), loc)
			require.NoError(t, err)
			require.EqualValues(t, 3, res.Rows)
			require.EqualValues(t, 1, res.Inserted)
			require.EqualValues(t, 1, res.Updated)
			require.Equal(t, []string{"vip"}, res.NewGroups)
			require.True(t, dataChangedAt(t, d).After(changed))

			c := customer(t, d, 1)
			require.Equal(t, "Åsa-Lena", c.FirstName)
			require.Equal(t, "Åsa@Example.se", c.Email, "a change of case is a change")
			require.Equal(t, "vip", c.Group)
			require.Equal(t, before[1].Phone, c.Phone, "left-out columns keep their values")
			require.Equal(t, before[1].City, c.City)
			require.True(t, c.UpdatedAt.After(before[1].UpdatedAt), "updated_at set")
			require.Equal(t, before[2], customer(t, d, 2))
			c = customer(t, d, 5)
			require.Nil(t, c.Phone)
			require.Nil(t, c.Country)
		})
	}
}

// problem is an expected problem: its line and a part of its message.
type problem = csvimporttest.Problem

var requireProblems = csvimporttest.RequireProblems

const customerHeader = "id,website,group,email,first_name,last_name,phone,zip,country,region,city,created_at\n"

func TestImportCustomersBadLines(t *testing.T) {
	t.Parallel()
	ctx := auth.AsSystem(context.Background())
	d := dbtest.New(t)
	storeCodes(t, d)
	loc := stockholm(t)
	// Customer 7 already has taken@example.se on se.
	_, err := csvimport.ImportCustomers(ctx, d, strings.NewReader(customerHeader+
		"7,se,general,taken@example.se,Tage,Tagen,,,,,,2024-01-01 10:00:00\n"), loc)
	require.NoError(t, err)
	snapshot := func() string {
		var s string
		require.NoError(t, d.Pool.QueryRow(ctx, `SELECT concat_ws(' | ',
			(SELECT string_agg(format('%s %s %s %s', id, email, first_name, updated_at), ',' ORDER BY id) FROM customers),
			(SELECT string_agg(code, ',' ORDER BY code) FROM websites),
			(SELECT string_agg(code, ',' ORDER BY code) FROM customer_groups),
			(SELECT data_changed_at::text FROM store_state))`).Scan(&s))
		return s
	}
	before := snapshot()

	good := "1,se,general,one@example.se,Ett,Ettan,,,,,,2025-01-01 10:00:00\n"
	good2 := "2,new,newgroup,two@example.se,Två,Tvåan,,,SE,,,2025-01-01 10:00:00\n"
	for _, tc := range []struct {
		name string
		file string
		want []problem
	}{
		{"bad id", customerHeader + good +
			"abc,se,general,a@example.se,A,A,,,,,,2025-01-01 10:00:00\n" +
			"0,se,general,b@example.se,B,B,,,,,,2025-01-01 10:00:00\n" +
			"-5,se,general,c@example.se,C,C,,,,,,2025-01-01 10:00:00\n" +
			"+6,se,general,d@example.se,D,D,,,,,,2025-01-01 10:00:00\n" + good2,
			[]problem{{Line: 3, Text: `id "abc" is not a positive whole number`}, {Line: 4, Text: `id "0" is not a positive`}, {Line: 5, Text: `id "-5"`}, {Line: 6, Text: `id "+6"`}}},
		{"missing required fields", customerHeader + good +
			",se,general,a@example.se,A,A,,,,,,2025-01-01 10:00:00\n" +
			"3,se,general,b@example.se,  ,B,,,,,,2025-01-01 10:00:00\n" +
			"4,,general,c@example.se,C,C,,,,,,\n" + good2,
			[]problem{{Line: 3, Text: "id is empty; it is required"}, {Line: 4, Text: "first_name is empty; it is required"},
				{Line: 5, Text: "website is empty; it is required"}, {Line: 5, Text: "created_at is empty; it is required"}}},
		{"bad email", customerHeader + good +
			"3,se,general,no-at-sign,A,A,,,,,,2025-01-01 10:00:00\n" +
			"4,se,general,a b@example.se,B,B,,,,,,2025-01-01 10:00:00\n" +
			"5,se,general,@example.se,C,C,,,,,,2025-01-01 10:00:00\n" + good2,
			[]problem{{Line: 3, Text: `email "no-at-sign" is not an email address; it needs an @`}, {Line: 4, Text: "contains a space"}, {Line: 5, Text: `email "@example.se"`}}},
		{"bad country", customerHeader + good2 +
			"3,se,general,a@example.se,A,A,,,XX,,,2025-01-01 10:00:00\n" +
			"4,se,general,b@example.se,B,B,,,swe,,,2025-01-01 10:00:00\n",
			[]problem{{Line: 3, Text: `country "XX" is not an ISO 3166-1 alpha-2 country code`}, {Line: 4, Text: `country "swe"`}}},
		{"bad time", customerHeader + good +
			"3,se,general,a@example.se,A,A,,,,,,2025-13-01 10:00:00\n" +
			"4,se,general,b@example.se,B,B,,,,,,01/03/2025\n" +
			"5,se,general,c@example.se,C,C,,,,,,2025-03-01\n",
			[]problem{{Line: 3, Text: `created_at "2025-13-01 10:00:00" is not a time; write 2025-03-01T09:30:00Z (RFC 3339, with its UTC offset) or 2025-03-01 09:30:00 (in the store's time zone, Europe/Stockholm)`},
				{Line: 4, Text: `created_at "01/03/2025" is not a time`}, {Line: 5, Text: `created_at "2025-03-01" is not a time`}}},
		{"duplicate id", customerHeader + good +
			"2,se,general,a@example.se,A,A,,,,,,2025-01-01 10:00:00\n" +
			"1,se,general,b@example.se,B,B,,,,,,2025-01-01 10:00:00\n" +
			"1,se,general,c@example.se,C,C,,,,,,2025-01-01 10:00:00\n",
			[]problem{{Line: 4, Text: "customer id 1 is also on line 2; each id may appear only once"}, {Line: 5, Text: "customer id 1 is also on line 2"}}},
		{"email clash in file", customerHeader + good +
			"2,se,general,ONE@example.se,A,A,,,,,,2025-01-01 10:00:00\n" +
			"3,new,general,one@example.se,B,B,,,,,,2025-01-01 10:00:00\n",
			[]problem{{Line: 3, Text: `email "ONE@example.se" is also on line 2 (customer 1) for website "se"; an email can belong to only one customer per website`}}},
		{"email clash with database", customerHeader + good +
			"2,se,general,Taken@Example.se,A,A,,,,,,2025-01-01 10:00:00\n" +
			"7,se,general,seven@example.se,Tage,Tagen,,,,,,2024-01-01 10:00:00\n" +
			"3,se,general,taken@example.se,A,A,,,,,,2025-01-01 10:00:00\n",
			[]problem{{Line: 3, Text: `email "Taken@Example.se" already belongs to customer 7 on website "se"; this file changes customer 7 too`},
				{Line: 5, Text: `email "taken@example.se" is also on line 3 (customer 2) for website "se"`},
				{Line: 5, Text: `email "taken@example.se" already belongs to customer 7 on website "se"`}}},
		{"unknown column", "id,website,group,email,first_name,last_name,created_at,shoe_size\n" + good,
			[]problem{{Line: 1, Text: `unknown column "shoe_size"; the customer columns are: id, website, group, email, first_name, last_name, phone, zip, country, region, city, created_at`}}},
		{"missing column", "id,website,group,first_name,last_name,created_at\n" + good,
			[]problem{{Line: 1, Text: `missing required column "email"`}}},
		{"repeated column", "id,website,group,email,email,first_name,last_name,created_at\n",
			[]problem{{Line: 1, Text: `column "email" appears twice (columns 4 and 5)`}}},
		{"empty file", "", []problem{{Line: 1, Text: "the file is empty; it needs a header row"}}},
		{"bad CSV quoting", customerHeader + good +
			"2,se,general,a@example.se,An\"na,A,,,,,,2025-01-01 10:00:00\n" +
			"3,se,general,\"b@example.se\"x,B,B,,,,,,2025-01-01 10:00:00\n" + good2 +
			"5,se,general,c@example.se,C,\"C\n\nunclosed,,,,,,2025-01-01 10:00:00\n",
			[]problem{{Line: 3, Text: `bad CSV quoting at column 29: a " in a field that does not start with one`},
				{Line: 4, Text: `bad CSV quoting at column 27: a quoted field must end with "`},
				{Line: 6, Text: "bad CSV quoting at line 8, column "}}},
		{"wrong number of fields", customerHeader + good + "2,se,general,a@example.se,A,A,2025-01-01 10:00:00\n",
			[]problem{{Line: 3, Text: "has 7 fields but the header has 12"}}},
		{"too long", customerHeader + good + "2,se,general,a@example.se," + strings.Repeat("å", 256) + ",A,,,,,,2025-01-01 10:00:00\n",
			[]problem{{Line: 3, Text: "first_name is 256 characters long; at most 255 are allowed"}}},
		{"invalid UTF-8", customerHeader + good + "2,se,general,a@example.se,\xe5sa,A,,,,,,2025-01-01 10:00:00\n",
			[]problem{{Line: 3, Text: "first_name is not valid UTF-8 text"}}},
		{"all or nothing", customerHeader + good + good2 + "3,se,general,three@example.se,Tre,Trean,,,,,,yesterday\n",
			[]problem{{Line: 4, Text: `created_at "yesterday" is not a time`}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, mode := range importModes {
				res, err := mode.customers(ctx, d, strings.NewReader(tc.file), loc)
				requireProblems(t, err, tc.want)
				require.Zero(t, res.Inserted+res.Updated, mode.name)
				require.Equal(t, before, snapshot(), "%s: the database is unchanged", mode.name)
			}
		})
	}
}

func TestImportErrorText(t *testing.T) {
	t.Parallel()
	ctx := auth.AsSystem(context.Background())
	d := dbtest.New(t)
	var b strings.Builder
	b.WriteString(customerHeader)
	for i := 1; i <= 10_050; i++ {
		fmt.Fprintf(&b, "%d,se,general,nobody,A,B,,,,,,2025-01-01 10:00:00\n", i)
	}
	path := filepath.Join(t.TempDir(), "customers.csv")
	require.NoError(t, os.WriteFile(path, []byte(b.String()), 0o600))
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()

	_, err = csvimport.ImportCustomers(ctx, d, f, nil)
	var ie *csvimport.Error
	require.ErrorAs(t, err, &ie)
	require.Equal(t, path, ie.File)
	require.Len(t, ie.Problems, 10_000, "the list stops at 10,000")
	require.Equal(t, 50, ie.More)
	require.Equal(t, 2, ie.Problems[0].Line)
	require.Equal(t, 10_001, ie.Problems[9_999].Line)
	lines := strings.Split(err.Error(), "\n")
	require.Len(t, lines, 102)
	require.Equal(t, path+": 10050 problems, nothing was imported", lines[0])
	require.Equal(t, `  line 2: email "nobody" is not an email address; it needs an @ with text on both sides`, lines[1])
	require.Equal(t, "  and 9950 more", lines[101])

	one := &csvimport.Error{Problems: []csvimport.Problem{{Line: 3, Message: "bad"}}}
	require.Equal(t, "1 problem, nothing was imported\n  line 3: bad", one.Error())
}

const goodOrders = "\ufeffcustomer_id,id,status,grand_total,created_at\n" +
	"1,100,complete,1234.5,2025-03-02 10:00:00\n" +
	"1,101,\" Processing \",0.0001,2025-07-02T10:00:00+02:00\n" +
	"2,102,canceled,-10,2025-07-02 10:00:00\n" +
	"3,103,complete,9999999999999999.9999,2025-03-02T09:00:00Z\n"

func TestImportOrders(t *testing.T) {
	t.Parallel()
	for _, mode := range importModes {
		t.Run(mode.name, func(t *testing.T) {
			t.Parallel()
			ctx := auth.AsSystem(context.Background())
			d := dbtest.New(t)
			loc := stockholm(t)
			_, err := mode.customers(ctx, d, strings.NewReader(goodCustomers), loc)
			require.NoError(t, err)
			before := bulktest.Schema(t, d)
			changed := dataChangedAt(t, d)

			res, err := mode.orders(ctx, d, strings.NewReader(goodOrders), loc)
			require.NoError(t, err)
			require.EqualValues(t, 4, res.Rows)
			require.EqualValues(t, 4, res.Inserted)
			require.Zero(t, res.Updated)
			require.Equal(t, mode.bulk, res.RebuiltIndexes)
			require.Equal(t, before, bulktest.Schema(t, d), "indexes and constraints as they were")
			require.True(t, dataChangedAt(t, d).After(changed))

			type order struct {
				Customer int64
				Status   string
				Total    string
				At       time.Time
			}
			get := func(id int64) order {
				var o order
				require.NoError(t, d.Pool.QueryRow(ctx, `SELECT customer_id, status, grand_total::text, created_at FROM orders WHERE id = $1`, id).
					Scan(&o.Customer, &o.Status, &o.Total, &o.At))
				o.At = o.At.UTC()
				return o
			}
			require.Equal(t, order{1, "complete", "1234.5000", time.Date(2025, 3, 2, 9, 0, 0, 0, time.UTC)}, get(100))
			require.Equal(t, order{1, "Processing", "0.0001", time.Date(2025, 7, 2, 8, 0, 0, 0, time.UTC)}, get(101))
			require.Equal(t, order{2, "canceled", "-10.0000", time.Date(2025, 7, 2, 8, 0, 0, 0, time.UTC)}, get(102))
			require.Equal(t, order{3, "complete", "9999999999999999.9999", time.Date(2025, 3, 2, 9, 0, 0, 0, time.UTC)}, get(103))

			// Again, amounts written another way: nothing changes. Then one
			// changed, one new.
			res, err = mode.orders(ctx, d, strings.NewReader(strings.Replace(goodOrders, "1234.5,", "1234.50,", 1)), loc)
			require.NoError(t, err)
			require.Zero(t, res.Inserted+res.Updated)
			res, err = mode.orders(ctx, d, strings.NewReader("id,customer_id,status,grand_total,created_at\n"+
				"100,2,closed,1234.5,2025-03-02 10:00:00\n101,1,Processing,0.0001,2025-07-02 10:00:00\n104,4,pending,5,2025-08-01 00:00:00\n"), loc)
			require.NoError(t, err)
			require.EqualValues(t, 1, res.Inserted)
			require.EqualValues(t, 1, res.Updated)
			require.Equal(t, order{2, "closed", "1234.5000", time.Date(2025, 3, 2, 9, 0, 0, 0, time.UTC)}, get(100))
			require.EqualValues(t, 5, count(t, d, `SELECT count(*) FROM orders`))
		})
	}
}

func TestImportOrdersBadLines(t *testing.T) {
	t.Parallel()
	ctx := auth.AsSystem(context.Background())
	d := dbtest.New(t)
	loc := stockholm(t)
	_, err := csvimport.ImportCustomers(ctx, d, strings.NewReader(goodCustomers), loc)
	require.NoError(t, err)
	_, err = csvimport.ImportOrders(ctx, d, strings.NewReader(goodOrders), loc)
	require.NoError(t, err)
	snapshot := func() string {
		var s string
		require.NoError(t, d.Pool.QueryRow(ctx, `SELECT concat_ws(' | ',
			(SELECT string_agg(format('%s %s %s %s %s', id, customer_id, status, grand_total, created_at), ',' ORDER BY id) FROM orders),
			(SELECT data_changed_at::text FROM store_state))`).Scan(&s))
		return s
	}
	before := snapshot()
	const header = "id,customer_id,status,grand_total,created_at\n"
	const good = "200,1,complete,10.00,2025-01-01 10:00:00\n"
	for _, tc := range []struct {
		name string
		file string
		want []problem
	}{
		{"bad money", header + good +
			"201,1,complete,\"12,50\",2025-01-01 10:00:00\n" +
			"202,1,complete,1.23456,2025-01-01 10:00:00\n" +
			"203,1,complete,12345678901234567,2025-01-01 10:00:00\n" +
			"204,1,complete,1e3,2025-01-01 10:00:00\n" +
			"205,1,complete,.5,2025-01-01 10:00:00\n",
			[]problem{{Line: 3, Text: `grand_total "12,50" is not an amount; write digits with a dot before the decimals, like 1234.50`},
				{Line: 4, Text: `grand_total "1.23456" has more than 4 decimals`}, {Line: 5, Text: "is too large; at most 16 digits before the dot"},
				{Line: 6, Text: `grand_total "1e3" is not an amount`}, {Line: 7, Text: `grand_total ".5" is not an amount`}}},
		{"unknown customer", header + good + "201,999,complete,1,2025-01-01 10:00:00\n",
			[]problem{{Line: 3, Text: "customer 999 does not exist; import customers before their orders"}}},
		{"bad ids", header + good + "x,1,complete,1,2025-01-01 10:00:00\n201,0,complete,1,2025-01-01 10:00:00\n",
			[]problem{{Line: 3, Text: `id "x" is not a positive whole number`}, {Line: 4, Text: `customer_id "0" is not a positive whole number`}}},
		{"duplicate id", header + good + "100,1,complete,1,2025-01-01 10:00:00\n200,2,complete,1,2025-01-01 10:00:00\n",
			[]problem{{Line: 4, Text: "order id 200 is also on line 2"}}},
		{"missing status and time", header + good + "201,1,,1,\n",
			[]problem{{Line: 3, Text: "status is empty; it is required"}, {Line: 3, Text: "created_at is empty; it is required"}}},
		{"missing column", "id,customer_id,grand_total,created_at\n" + good,
			[]problem{{Line: 1, Text: `missing required column "status"`}}},
		{"unknown column", "id,customer_id,status,grand_total,created_at,currency\n",
			[]problem{{Line: 1, Text: `unknown column "currency"; the order columns are: id, customer_id, status, grand_total, created_at`}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, mode := range importModes {
				_, err := mode.orders(ctx, d, strings.NewReader(tc.file), loc)
				requireProblems(t, err, tc.want)
				require.Equal(t, before, snapshot(), "%s: the database is unchanged", mode.name)
			}
		})
	}
}

// A bulk load that cannot get its exclusive locks quickly (a long report
// is reading) loads row by row instead of making every reader queue.
func TestImportBulkFallsBackWhenBusy(t *testing.T) {
	t.Parallel()
	ctx := auth.AsSystem(context.Background())
	d := dbtest.New(t)
	reader, err := d.Pool.Begin(ctx)
	require.NoError(t, err)
	defer reader.Rollback(ctx) //nolint:errcheck // the test's own read transaction
	require.EqualValues(t, 0, func() int64 {
		var n int64
		require.NoError(t, reader.QueryRow(ctx, `SELECT count(*) FROM customers`).Scan(&n))
		return n
	}())

	res, err := csvimport.ImportCustomersBulk(ctx, d, strings.NewReader(goodCustomers), nil)
	require.NoError(t, err)
	require.False(t, res.RebuiltIndexes)
	require.EqualValues(t, 4, res.Inserted)
	require.EqualValues(t, 4, count(t, d, `SELECT count(*) FROM customers`))
}
