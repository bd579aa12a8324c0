package rule

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

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
