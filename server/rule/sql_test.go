package rule

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/db/dbtest"
)

// TestSQLCases spells out the rule semantics (docs/rules.md) on a few customers, so
// a misreading shared by the SQL and the reference evaluator still shows.
func TestSQLCases(t *testing.T) {
	t.Parallel()
	loc, err := time.LoadLocation("Europe/Stockholm")
	require.NoError(t, err)
	at := func(y int, m time.Month, d, hh, mm int) time.Time { return time.Date(y, m, d, hh, mm, 0, 0, loc) }
	now := at(2025, 3, 30, 0, 30) // half an hour into the day clocks go forward

	s := &store{
		websites: map[int64]string{1: "base", 2: "SE_Shop"},
		groups:   map[int64]string{1: "general", 2: "Wholesale"},
		customers: []Customer{
			{ID: 1, WebsiteID: 1, GroupID: 1, Email: "asa@example.se", FirstName: "Åsa", LastName: "Öberg",
				City: sp("Malmö"), Country: sp("SE"), CreatedAt: at(2025, 3, 29, 23, 59)},
			{ID: 2, WebsiteID: 2, GroupID: 2, Email: "ASA2@example.se", FirstName: "ÅSA", LastName: "öberg",
				CreatedAt: at(2025, 3, 30, 0, 0)},
			{ID: 3, WebsiteID: 1, GroupID: 1, Email: `p%c_t\x@example.se`, FirstName: "", LastName: "  ",
				City: sp(`100% Off_ice\`), Phone: sp(" \t"), Country: sp("NO"), CreatedAt: at(2024, 3, 30, 0, 0)},
			{ID: 4, WebsiteID: 1, GroupID: 1, Email: "z@example.se", FirstName: "a_b", LastName: "aXb",
				City: sp("Ånge"), Region: sp("Skåne"), CreatedAt: at(2020, 1, 1, 12, 0)},
		},
		orders: map[int64][]Order{
			1: {
				{Status: "complete", GrandTotal: money("10"), CreatedAt: at(2025, 3, 29, 23, 59)},
				{Status: "Pending", GrandTotal: money("11"), CreatedAt: at(2025, 3, 30, 0, 10)},
			},
			2: {
				{Status: "Complete", GrandTotal: money("33.3333"), CreatedAt: at(2025, 3, 1, 0, 0)},    // 29 days ago
				{Status: "COMPLETE", GrandTotal: money("33.3333"), CreatedAt: at(2025, 2, 28, 23, 59)}, // 30 days ago
			},
			4: {{Status: "canceled", GrandTotal: money("0"), CreatedAt: at(2025, 3, 30, 0, 1)}},
		},
	}
	d := dbtest.New(t)
	s.insert(t, d)

	within := func(days int, c Condition) Condition { c.Orders.WithinDays = &days; return c }
	statuses := func(c Condition, st ...string) Condition { c.Orders.Statuses = st; return c }
	for _, tc := range []struct {
		name string
		g    *Group
		want []int64
	}{
		{"case-insensitive Å", all(cust(FieldFirstName, OpEq, "åsa")), []int64{1, 2}},
		{"case-insensitive Ö", all(cust(FieldLastName, OpEq, "ÖBERG")), []int64{1, 2}},
		{"IN ignores case", all(cust(FieldLastName, OpIn, "x", "ÖBerg")), []int64{1, 2}},
		{"empty string is empty", all(cust(FieldFirstName, OpIsEmpty)), []int64{3}},
		{"blank is empty", all(cust(FieldLastName, OpIsEmpty)), []int64{3}},
		{"NULL and tab are empty", all(cust(FieldPhone, OpIsEmpty)), []int64{1, 2, 3, 4}},
		{"not empty", all(cust(FieldCity, OpIsNotEmpty)), []int64{1, 3, 4}},
		{"NEQ holds for empty", all(cust(FieldCity, OpNeq, "malmö")), []int64{2, 3, 4}},
		{"EQ never holds for empty", all(cust(FieldCity, OpEq, "MALMÖ")), []int64{1}},
		{"NOT_IN holds for empty", all(cust(FieldRegion, OpNotIn, "skåne")), []int64{1, 2, 3}},
		{"NOT_CONTAINS holds for empty", all(cust(FieldCity, OpNotContains, "ö")), []int64{2, 3, 4}},
		{"CONTAINS % is literal", all(cust(FieldCity, OpContains, "%")), []int64{3}},
		{"CONTAINS _ is literal", all(cust(FieldLastName, OpContains, "A_B")), nil},
		{"CONTAINS _ matches _", all(cust(FieldFirstName, OpContains, "A_B")), []int64{4}},
		{"CONTAINS backslash", all(cust(FieldEmail, OpContains, `%C_T\`)), []int64{3}},
		{"STARTS_WITH literal", all(cust(FieldCity, OpStartsWith, "100%")), []int64{3}},
		{"STARTS_WITH Å", all(cust(FieldCity, OpStartsWith, "ån")), []int64{4}},
		{"CONTAINS never holds for blank", all(cust(FieldLastName, OpContains, " ")), nil},
		{"country", all(cust(FieldCountry, OpEq, "se")), []int64{1}},
		{"country NEQ holds for NULL", all(cust(FieldCountry, OpNeq, "SE")), []int64{2, 3, 4}},
		{"country empty", all(cust(FieldCountry, OpIsEmpty)), []int64{2, 4}},
		{"group code ignores case", all(cust(FieldGroup, OpEq, "wholesale")), []int64{2}},
		{"website", all(cust(FieldWebsite, OpIn, "SE_SHOP")), []int64{2}},
		{"signed up today (local)", all(cust(FieldDaysSinceSignup, OpEq, "0")), []int64{2}},
		{"signed up yesterday (local)", all(cust(FieldDaysSinceSignup, OpEq, "1")), []int64{1}},
		{"customer since is a local date", all(cust(FieldCustomerSince, OpEq, "2025-03-29")), []int64{1}},
		{"customer since between", all(cust(FieldCustomerSince, OpBetween, "2020-01-01", "2024-03-30")), []int64{3, 4}},
		{"no orders counts 0", all(ord(MeasureOrderCount, OpEq, "0")), []int64{3}},
		{"within 1 day is today", all(within(1, ord(MeasureOrderCount, OpGte, "1"))), []int64{1, 4}},
		{"within 30 days excludes day 30", all(within(30, ord(MeasureSalesTotal, OpEq, "33.3333"))), []int64{2}},
		{"within 31 days includes day 30", all(within(31, ord(MeasureSalesTotal, OpEq, "66.6666"))), []int64{2}},
		{"statuses ignore case", all(statuses(ord(MeasureOrderCount, OpGte, "2"), "complete")), []int64{2}},
		{"statuses and within", all(within(2, statuses(ord(MeasureSalesTotal, OpEq, "10"), "COMPLETE"))), []int64{1}},
		{"AOV exact", all(ord(MeasureAverageOrderValue, OpEq, "10.5")), []int64{1}},
		{"AOV of no orders is 0", all(ord(MeasureAverageOrderValue, OpEq, "0")), []int64{3, 4}},
		{"AOV of repeating decimal", all(ord(MeasureAverageOrderValue, OpBetween, "33.3333", "33.3333")), []int64{2}},
		{"AOV GT", all(ord(MeasureAverageOrderValue, OpGt, "10.49")), []int64{1, 2}},
		{"sales total of no orders is 0", all(ord(MeasureSalesTotal, OpLte, "0")), []int64{3, 4}},
		{"days since last order", all(ord(MeasureDaysSinceLastOrder, OpEq, "0")), []int64{1, 4}},
		{"days since last order: NEQ never holds without orders", all(ord(MeasureDaysSinceLastOrder, OpNeq, "5")), []int64{1, 2, 4}},
		{"days since last counted order", all(statuses(ord(MeasureDaysSinceLastOrder, OpEq, "1"), "complete")), []int64{1}},
		{"empty ALL FALSE group holds", &Group{Match: MatchAll, Expect: false}, []int64{1, 2, 3, 4}},
		{"empty ANY TRUE group holds", &Group{Match: MatchAny, Expect: true}, []int64{1, 2, 3, 4}},
		{"nested empty ANY FALSE group holds", all(grp(MatchAny, false)), []int64{1, 2, 3, 4}},
		{"ALL FALSE: no child holds", &Group{Match: MatchAll, Expect: false, Conditions: []Condition{
			cust(FieldFirstName, OpEq, "åsa"), cust(FieldCity, OpIsEmpty)}}, []int64{3, 4}},
		{"ANY FALSE: some child does not hold", &Group{Match: MatchAny, Expect: false, Conditions: []Condition{
			cust(FieldFirstName, OpEq, "åsa"), cust(FieldCountry, OpEq, "SE")}}, []int64{2, 3, 4}},
		{"ANY TRUE", &Group{Match: MatchAny, Expect: true, Conditions: []Condition{
			cust(FieldCountry, OpEq, "NO"), ord(MeasureOrderCount, OpEq, "2")}}, []int64{1, 2, 3}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.NoError(t, Validate(tc.g, s.codes()))
			want := tc.want
			if want == nil {
				want = []int64{}
			}
			require.Equal(t, want, s.evalMembers(tc.g, now, loc), "reference evaluator")
			require.Equal(t, want, sqlMembers(t, d.Pool, tc.g, Windows(tc.g), now, loc.String()), "SQL")
		})
	}
}

// TestSQLHasNoValues checks the compiled text for a rule full of hostile
// values: they travel as parameters only.
func TestSQLHasNoValues(t *testing.T) {
	t.Parallel()
	evil := `x'); DROP TABLE customers; --`
	g := all(cust(FieldCity, OpEq, evil), cust(FieldEmail, OpContains, evil), cust(FieldZip, OpIn, evil, "'"),
		Condition{Orders: &OrderCondition{Measure: MeasureOrderCount, Operator: OpGt, Values: []string{"1"}, Statuses: []string{evil}}})
	require.NoError(t, Validate(g, testCodes))
	q, args, err := selectSQL(g, Windows(g), time.Now(), "UTC")
	require.NoError(t, err)
	require.NotContains(t, q, "DROP")
	require.NotContains(t, q, "'")
	b, _ := json.Marshal(args)
	require.Contains(t, string(b), "DROP TABLE")
}

// TestWithinDaysAtZoneTransitions holds withinDays against the reference
// evaluator around time zone transitions at or across local midnight: a
// midnight that happens twice, one that never happens, a day skipped and
// a date that repeats, with orders every 20 minutes and "now" on each of
// the days around. The windows' edges are instants computed once per
// statement (see atLeast); the local date of an order decides only near
// them, and these are the days where a shortcut would go wrong.
func TestWithinDaysAtZoneTransitions(t *testing.T) {
	t.Parallel()
	cases := []struct {
		zone string
		day  string // local date of the transition
	}{
		{"America/Havana", "2025-11-02"},   // 01:00 back to 00:00: midnight twice
		{"America/Santiago", "2025-09-07"}, // 24:00 forward to 01:00: no midnight
		{"America/Santiago", "2025-04-06"}, // 24:00 back to 23:00
		{"Asia/Beirut", "2025-10-26"},      // 00:00 back to 23:00 the day before
		{"Pacific/Apia", "2011-12-30"},     // the whole day skipped
		{"America/Sitka", "1867-10-18"},    // the date repeats (LMT, +14:58 to -9:01)
	}
	s := &store{websites: map[int64]string{1: "base"}, groups: map[int64]string{1: "general"}, orders: map[int64][]Order{}}
	type run struct {
		zone string
		loc  *time.Location
		now  time.Time
	}
	var runs []run
	for _, tc := range cases {
		loc, err := time.LoadLocation(tc.zone)
		require.NoError(t, err)
		day, err := time.ParseInLocation(time.DateOnly, tc.day, loc)
		require.NoError(t, err)
		y, m, d := day.Date()
		for at := day.Add(-50 * time.Hour); at.Before(day.Add(74 * time.Hour)); at = at.Add(20 * time.Minute) {
			id := int64(len(s.customers) + 1)
			s.customers = append(s.customers, Customer{ID: id, WebsiteID: 1, GroupID: 1, Email: fmt.Sprintf("c%d@example.se", id), CreatedAt: at})
			s.orders[id] = []Order{{Status: "complete", GrandTotal: money("1"), CreatedAt: at}}
		}
		for k := -1; k <= 3; k++ {
			for _, hh := range []int{0, 12, 23} {
				runs = append(runs, run{tc.zone, loc, time.Date(y, m, d+k, hh, 30, 0, 0, loc)})
			}
		}
	}
	d := dbtest.New(t)
	s.insert(t, d)
	var rules []*Group
	for _, days := range []int{1, 2, 3, 4} {
		c := ord(MeasureOrderCount, OpGte, "1")
		c.Orders.WithinDays = intp(days)
		rules = append(rules, all(c))
	}
	windows := Windows(rules...)
	for _, r := range runs {
		got := batchMembers(t, d.Pool, rules, windows, r.now, r.zone)
		for i, g := range rules {
			require.Equal(t, s.evalMembers(g, r.now, r.loc), got[i], "%s, now %s, within %d days", r.zone, r.now, *g.Conditions[0].Orders.WithinDays)
		}
	}
}

// TestMeasuresFrom checks that MeasuresFromSQL over some customers' orders
// gives them the very rows MeasuresSQL gives them, and no others.
func TestMeasuresFrom(t *testing.T) {
	t.Parallel()
	loc, err := time.LoadLocation("Europe/Stockholm")
	require.NoError(t, err)
	now := time.Date(2025, 3, 30, 0, 30, 0, 0, loc)
	gen := &generator{rng: rand.New(rand.NewPCG(1, 2)), now: now, loc: loc}
	s := gen.store(60)
	d := dbtest.New(t)
	s.insert(t, d)
	days := 7
	windows := Windows(all(Condition{Orders: &OrderCondition{Measure: MeasureAverageOrderValue, Operator: OpGt, Values: []string{"1"},
		WithinDays: &days, Statuses: []string{"complete"}}}), all(ord(MeasureDaysSinceLastOrder, OpGt, "1")))
	// rows returns each customer's measures as text, by customer id.
	rows := func(ids []int64) map[int64]string {
		args := new(db.Args)
		pn, pz := args.Add(now), args.Add(loc.String())
		orders := "orders"
		if ids != nil {
			orders = "(SELECT * FROM orders WHERE customer_id = ANY(" + args.Add(ids) + "))"
		}
		r, err := d.Pool.Query(context.Background(), `SELECT m.customer_id, m::text FROM (`+
			MeasuresFromSQL(windows, orders, pn, pz, args)+`) m`, args.Values()...)
		require.NoError(t, err)
		out := map[int64]string{}
		var id int64
		var row string
		_, err = pgx.ForEachRow(r, []any{&id, &row}, func() error { out[id] = row; return nil })
		require.NoError(t, err)
		return out
	}
	every := rows(nil)
	require.Greater(t, len(every), 20)
	some := rows([]int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 1000})
	require.NotEmpty(t, some)
	for id, row := range some {
		require.LessOrEqual(t, id, int64(10))
		require.Equal(t, every[id], row, "customer %d", id)
	}
	for id := range every {
		if id <= 10 {
			require.Contains(t, some, id)
		}
	}
}

// TestBlankStartsWithWhitespace: blank's shortcut holds — every character
// the rules trim as whitespace has a code point of at most 32 or at least
// 133, so a value starting with any other is not blank.
func TestBlankStartsWithWhitespace(t *testing.T) {
	t.Parallel()
	for _, r := range whitespace {
		require.True(t, r <= 32 || r >= 133, "U+%04X", r)
	}
}
