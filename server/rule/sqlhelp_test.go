package rule

import (
	"context"
	"math/big"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/db"
)

// store is the data a test inserts: websites and groups by id, customers
// (with their codes filled in) and their orders.
type store struct {
	websites  map[int64]string
	groups    map[int64]string
	customers []Customer
	orders    map[int64][]Order // by customer id
}

func (s *store) codes() Codes {
	c := Codes{Websites: map[string]bool{}, Groups: map[string]bool{}}
	for _, w := range s.websites {
		c.Websites[strings.ToLower(w)] = true
	}
	for _, g := range s.groups {
		c.Groups[strings.ToLower(g)] = true
	}
	return c
}

// insert writes s into d and fills in the customers' codes.
func (s *store) insert(t testing.TB, d *db.DB) {
	t.Helper()
	ctx := context.Background()
	for i := range s.customers {
		s.customers[i].WebsiteCode = s.websites[s.customers[i].WebsiteID]
		s.customers[i].GroupCode = s.groups[s.customers[i].GroupID]
	}
	for id, code := range s.websites {
		_, err := d.Pool.Exec(ctx, `INSERT INTO websites (id, code, name) VALUES ($1, $2, $2)`, id, code)
		require.NoError(t, err)
	}
	for id, code := range s.groups {
		_, err := d.Pool.Exec(ctx, `INSERT INTO customer_groups (id, code, name) VALUES ($1, $2, $2)`, id, code)
		require.NoError(t, err)
	}
	var (
		ids, webs, grps                     []int64
		emails, firsts, lasts               []string
		phones, zips, countries, regs, cits []*string
		created                             []time.Time
	)
	for _, c := range s.customers {
		ids = append(ids, c.ID)
		webs = append(webs, c.WebsiteID)
		grps = append(grps, c.GroupID)
		emails = append(emails, c.Email)
		firsts = append(firsts, c.FirstName)
		lasts = append(lasts, c.LastName)
		phones = append(phones, c.Phone)
		zips = append(zips, c.Zip)
		countries = append(countries, c.Country)
		regs = append(regs, c.Region)
		cits = append(cits, c.City)
		created = append(created, c.CreatedAt)
	}
	_, err := d.Pool.Exec(ctx, `INSERT INTO customers (id, website_id, group_id, email, first_name, last_name,
			phone, zip, country, region, city, created_at)
		SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::text[], $5::text[], $6::text[],
			$7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::timestamptz[])`,
		ids, webs, grps, emails, firsts, lasts, phones, zips, countries, regs, cits, created)
	require.NoError(t, err)

	var (
		oids, cids      []int64
		statuses, total []string
		at              []time.Time
	)
	for _, c := range s.customers {
		for _, o := range s.orders[c.ID] {
			oids = append(oids, int64(len(oids)+1))
			cids = append(cids, c.ID)
			statuses = append(statuses, o.Status)
			total = append(total, o.GrandTotal.FloatString(4))
			at = append(at, o.CreatedAt)
		}
	}
	_, err = d.Pool.Exec(ctx, `INSERT INTO orders (id, customer_id, status, grand_total, created_at)
		SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[]::numeric[], $5::timestamptz[])`,
		oids, cids, statuses, total, at)
	require.NoError(t, err)
}

// selectSQL builds the statement the refresh runs: the customers g selects,
// with the MeasuresSQL row for windows joined in. $1 is now, $2 the zone.
func selectSQL(g *Group, windows []Window, now time.Time, zone string) (string, []any, error) {
	args := new(db.Args)
	pn, pz := args.Add(now), args.Add(zone)
	measures := MeasuresSQL(windows, pn, pz, args)
	where, err := Compile(g, windows, pn, pz, args)
	if err != nil {
		return "", nil, err
	}
	q := `SELECT c.id FROM customers c
		JOIN customer_groups g ON g.id = c.group_id
		JOIN websites w ON w.id = c.website_id
		LEFT JOIN (` + measures + `) m ON m.customer_id = c.id
		WHERE ` + where + ` ORDER BY c.id`
	return q, args.Values(), nil
}

// querier is a pool or one connection of it.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// sqlMembers runs g against the database.
func sqlMembers(t testing.TB, d querier, g *Group, windows []Window, now time.Time, zone string) []int64 {
	t.Helper()
	q, args, err := selectSQL(g, windows, now, zone)
	require.NoError(t, err)
	// Every statement is new: describe-and-execute on the unnamed statement
	// skips a named prepare per rule, which is several times faster here.
	rows, err := d.Query(context.Background(), q, append([]any{pgx.QueryExecModeDescribeExec}, args...)...)
	require.NoError(t, err)
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	require.NoError(t, err, "SQL:\n%s", q)
	if ids == nil {
		ids = []int64{}
	}
	return ids
}

// evalMembers runs g through the reference evaluator.
func (s *store) evalMembers(g *Group, now time.Time, loc *time.Location) []int64 {
	out := []int64{}
	for _, c := range s.customers {
		if Eval(g, c, s.orders[c.ID], now, loc) {
			out = append(out, c.ID)
		}
	}
	slices.Sort(out)
	return out
}

func money(s string) *big.Rat {
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		panic("bad money " + s)
	}
	return r
}

func sp(s string) *string { return &s }

// nowTZArgs returns parameters whose $1 and $2 stand for a run's now and
// time zone, for tests that compile rules without running them.
func nowTZArgs() *db.Args {
	a := new(db.Args)
	a.Add(nil)
	a.Add(nil)
	return a
}
