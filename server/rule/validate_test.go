package rule

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/apperr"
)

var testCodes = Codes{
	Websites: map[string]bool{"base": true, "se_shop": true},
	Groups:   map[string]bool{"general": true, "wholesale": true},
}

func cust(f CustomerField, op Operator, vals ...string) Condition {
	return Condition{Customer: &CustomerCondition{Field: f, Operator: op, Values: vals}}
}

func ord(m OrderMeasure, op Operator, vals ...string) Condition {
	return Condition{Orders: &OrderCondition{Measure: m, Operator: op, Values: vals}}
}

func grp(match Match, expect bool, conds ...Condition) Condition {
	return Condition{Group: &Group{Match: match, Expect: expect, Conditions: conds}}
}

func all(conds ...Condition) *Group { return &Group{Match: MatchAll, Expect: true, Conditions: conds} }

func intp(n int) *int { return &n }

func problems(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	var ve *ValidationError
	require.True(t, errors.As(err, &ve), "error is %T", err)
	out := make([]string, len(ve.Problems))
	for i, p := range ve.Problems {
		out[i] = p.String()
	}
	return out
}

func TestValidateMessages(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		g    *Group
		want []string
	}{
		{"valid empty", all(), nil},
		{"nil rule", nil, []string{"the rule has no root group"}},
		{"bad match", &Group{Match: "SOME"}, []string{`match must be ALL or ANY, not "SOME"`}},
		{"missing match", &Group{}, []string{`match must be ALL or ANY, not ""`}},
		{"between needs two", all(grp(MatchAny, true, ord(MeasureOrderCount, OpGt, "1"), cust(FieldDaysSinceSignup, OpBetween, "1"))),
			[]string{"conditions[0].conditions[1]: BETWEEN needs two values, not 1"}},
		{"eq needs one", all(cust(FieldEmail, OpEq)), []string{"conditions[0]: EQ needs one value, not 0"}},
		{"eq with two", all(cust(FieldEmail, OpEq, "a", "b")), []string{"conditions[0]: EQ needs one value, not 2"}},
		{"in needs one", all(cust(FieldCity, OpIn)), []string{"conditions[0]: IN needs at least one value"}},
		{"is_empty takes none", all(cust(FieldCity, OpIsEmpty, "x")), []string{"conditions[0]: IS_EMPTY takes no values, not 1"}},
		{"contains one", all(cust(FieldCity, OpContains, "a", "b")), []string{"conditions[0]: CONTAINS needs one value, not 2"}},
		{"wrong op for text", all(cust(FieldCity, OpGt, "a")),
			[]string{"conditions[0]: operator GT does not apply to CITY (use one of EQ, NEQ, CONTAINS, NOT_CONTAINS, STARTS_WITH, IN, NOT_IN, IS_EMPTY, IS_NOT_EMPTY)"}},
		{"wrong op for code", all(cust(FieldCountry, OpContains, "SE")),
			[]string{"conditions[0]: operator CONTAINS does not apply to COUNTRY (use one of EQ, NEQ, IN, NOT_IN, IS_EMPTY, IS_NOT_EMPTY)"}},
		{"wrong op for date", all(cust(FieldCustomerSince, OpIsEmpty)),
			[]string{"conditions[0]: operator IS_EMPTY does not apply to CUSTOMER_SINCE (use one of EQ, NEQ, GT, GTE, LT, LTE, BETWEEN)"}},
		{"wrong op for measure", all(ord(MeasureSalesTotal, OpIn, "1")),
			[]string{"conditions[0]: operator IN does not apply to SALES_TOTAL (use one of EQ, NEQ, GT, GTE, LT, LTE, BETWEEN)"}},
		{"unknown op", all(cust(FieldCity, "LIKE", "a")), []string{`conditions[0]: unknown operator "LIKE"`}},
		{"unknown field", all(cust("SHOE_SIZE", OpEq, "a")), []string{`conditions[0]: unknown customer field "SHOE_SIZE"`}},
		{"unknown measure", all(ord("REFUNDS", OpEq, "1")), []string{`conditions[0]: unknown order measure "REFUNDS"`}},
		{"bad date", all(cust(FieldCustomerSince, OpEq, "2024-02-30")), []string{`conditions[0]: value 1: "2024-02-30" is not a date (use YYYY-MM-DD)`}},
		{"date not padded", all(cust(FieldCustomerSince, OpEq, "2024-2-3")), []string{`conditions[0]: value 1: "2024-2-3" is not a date (use YYYY-MM-DD)`}},
		{"year zero", all(cust(FieldCustomerSince, OpEq, "0000-01-01")), []string{`conditions[0]: value 1: "0000-01-01" is not a date (use YYYY-MM-DD)`}},
		{"bad int", all(ord(MeasureOrderCount, OpGt, "1.5")), []string{`conditions[0]: value 1: "1.5" is not a whole number`}},
		{"int overflow", all(ord(MeasureOrderCount, OpGt, "99999999999999999999")), []string{`conditions[0]: value 1: "99999999999999999999" is out of range`}},
		{"comma decimal", all(ord(MeasureSalesTotal, OpGt, "1,5")),
			[]string{`conditions[0]: value 1: "1,5" is not a number (use digits and a dot for decimals, like 1234.50)`}},
		{"exponent", all(ord(MeasureSalesTotal, OpGt, "1e3")),
			[]string{`conditions[0]: value 1: "1e3" is not a number (use digits and a dot for decimals, like 1234.50)`}},
		{"between reversed", all(ord(MeasureAverageOrderValue, OpBetween, "10", "9.99")),
			[]string{"conditions[0]: BETWEEN's low value 10 is greater than its high value 9.99"}},
		{"between dates reversed", all(cust(FieldCustomerSince, OpBetween, "2024-01-02", "2024-01-01")),
			[]string{"conditions[0]: BETWEEN's low value 2024-01-02 is greater than its high value 2024-01-01"}},
		{"between equal ok", all(cust(FieldDaysSinceSignup, OpBetween, "3", "+3")), nil},
		{"unknown country", all(cust(FieldCountry, OpIn, "SE", "XX", "uk")),
			[]string{`conditions[0]: value 2: unknown country code "XX" (use an ISO 3166-1 alpha-2 code such as SE)`,
				`conditions[0]: value 3: unknown country code "uk" (use an ISO 3166-1 alpha-2 code such as SE)`}},
		{"unknown group", all(cust(FieldGroup, OpEq, "VIP")), []string{`conditions[0]: value 1: unknown customer group code "VIP"`}},
		{"unknown website", all(cust(FieldWebsite, OpNeq, "admin")), []string{`conditions[0]: value 1: unknown website code "admin"`}},
		{"blank code", all(cust(FieldWebsite, OpEq, "  ")),
			[]string{`conditions[0]: value 1: is empty (to test for an empty field use IS_EMPTY or IS_NOT_EMPTY)`}},
		{"empty text", all(cust(FieldCity, OpEq, "")),
			[]string{`conditions[0]: value 1 is empty (to test for an empty field use IS_EMPTY or IS_NOT_EMPTY)`}},
		{"blank text eq", all(cust(FieldCity, OpIn, "x", " ")),
			[]string{`conditions[0]: value 2 is empty (to test for an empty field use IS_EMPTY or IS_NOT_EMPTY)`}},
		{"blank text contains ok", all(cust(FieldLastName, OpContains, " ")), nil},
		{"nul", all(cust(FieldCity, OpEq, "a\x00b")), []string{`conditions[0]: value 1 contains a NUL character or invalid UTF-8`}},
		{"bad utf8", all(cust(FieldCity, OpEq, "a\xffb")), []string{`conditions[0]: value 1 contains a NUL character or invalid UTF-8`}},
		{"none set", all(Condition{}), []string{"conditions[0]: a condition must set exactly one of group, customer, orders (this one sets 0)"}},
		{"two set", all(Condition{Customer: cust(FieldCity, OpIsEmpty).Customer, Orders: ord(MeasureOrderCount, OpEq, "1").Orders}),
			[]string{"conditions[0]: a condition must set exactly one of group, customer, orders (this one sets 2)"}},
		{"within zero", all(Condition{Orders: &OrderCondition{Measure: MeasureOrderCount, Operator: OpGt, Values: []string{"0"}, WithinDays: intp(0)}}),
			[]string{"conditions[0]: withinDays must be between 1 and 36500, not 0"}},
		{"within huge", all(Condition{Orders: &OrderCondition{Measure: MeasureOrderCount, Operator: OpGt, Values: []string{"0"}, WithinDays: intp(36501)}}),
			[]string{"conditions[0]: withinDays must be between 1 and 36500, not 36501"}},
		{"blank status", all(Condition{Orders: &OrderCondition{Measure: MeasureOrderCount, Operator: OpGt, Values: []string{"0"}, Statuses: []string{"complete", " "}}}),
			[]string{"conditions[0]: status 2 is empty"}},
		{"several problems in order", all(
			cust(FieldCity, OpGt, "a"),
			grp(MatchAll, false, cust(FieldCountry, OpEq, "ZZ"), grp("X", true)),
			ord(MeasureSalesTotal, OpBetween, "a")),
			[]string{
				"conditions[0]: operator GT does not apply to CITY (use one of EQ, NEQ, CONTAINS, NOT_CONTAINS, STARTS_WITH, IN, NOT_IN, IS_EMPTY, IS_NOT_EMPTY)",
				`conditions[1].conditions[0]: value 1: unknown country code "ZZ" (use an ISO 3166-1 alpha-2 code such as SE)`,
				`conditions[1].conditions[1]: match must be ALL or ANY, not "X"`,
				"conditions[2]: BETWEEN needs two values, not 1",
				`conditions[2]: value 1: "a" is not a number (use digits and a dot for decimals, like 1234.50)`,
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := Validate(tc.g, testCodes)
			require.Equal(t, tc.want, problems(t, err))
			if err != nil {
				require.Equal(t, strings.Join(tc.want, "; "), err.Error())
			}
		})
	}
}

// nest returns a rule whose deepest group is at the given depth (root = 1).
func nest(depth int, leaf Condition) *Group {
	g := all(leaf)
	for d := depth; d > 1; d-- {
		g = all(Condition{Group: g})
	}
	return g
}

func TestValidateLimits(t *testing.T) {
	t.Parallel()
	leaf := cust(FieldCity, OpIsEmpty)

	require.NoError(t, Validate(nest(MaxDepth, leaf), testCodes))
	require.Equal(t, []string{"conditions[0].conditions[0].conditions[0].conditions[0].conditions[0]: groups nest more than 5 deep"},
		problems(t, Validate(nest(MaxDepth+1, leaf), testCodes)))

	many := func(n int) *Group {
		g := all()
		for range n {
			g.Conditions = append(g.Conditions, leaf)
		}
		return g
	}
	require.NoError(t, Validate(many(MaxLeaves), testCodes))
	require.Equal(t, []string{"the rule has 201 conditions; at most 200 are allowed"}, problems(t, Validate(many(MaxLeaves+1), testCodes)))

	// Leaves inside a too-deep group still count.
	g := many(MaxLeaves)
	g.Conditions = append(g.Conditions, Condition{Group: nest(MaxDepth, leaf)})
	require.Equal(t, []string{
		"conditions[200].conditions[0].conditions[0].conditions[0].conditions[0]: groups nest more than 5 deep",
		"the rule has 201 conditions; at most 200 are allowed",
	}, problems(t, Validate(g, testCodes)))

	groups := all()
	for range MaxGroups + 1 {
		groups.Conditions = append(groups.Conditions, grp(MatchAny, false))
	}
	require.Equal(t, []string{"the rule has 201 groups; at most 200 are allowed"}, problems(t, Validate(groups, testCodes)))

	// Problems are capped so a hostile rule cannot make a huge error.
	bad := all()
	for range 150 {
		bad.Conditions = append(bad.Conditions, cust(FieldCity, OpGt))
	}
	p := problems(t, Validate(bad, testCodes))
	require.Len(t, p, maxProblems+1)
	require.Equal(t, "and 50 more problems", p[maxProblems])
}

func TestValidateCanonicalizes(t *testing.T) {
	t.Parallel()
	g := all(
		cust(FieldCountry, OpIn, " se", "No", "dk "),
		cust(FieldGroup, OpEq, "Wholesale"),
		cust(FieldWebsite, OpIn, " SE_Shop ", "BASE"),
		cust(FieldCustomerSince, OpBetween, " 2024-01-05", "2024-12-31 "),
		cust(FieldDaysSinceSignup, OpGt, "+007"),
		cust(FieldCity, OpEq, " Malmö "), // text is kept as given
		grp(MatchAny, false,
			ord(MeasureSalesTotal, OpBetween, "-0", "0012.5000"),
			ord(MeasureAverageOrderValue, OpEq, ".50"),
			ord(MeasureAverageOrderValue, OpEq, "-00.0100"),
			ord(MeasureOrderCount, OpEq, "-0"),
			Condition{Orders: &OrderCondition{Measure: MeasureDaysSinceLastOrder, Operator: OpLt, Values: []string{"30"},
				WithinDays: intp(90), Statuses: []string{" Complete", "pending", "COMPLETE", "Canceled "}}},
			Condition{Orders: &OrderCondition{Measure: MeasureOrderCount, Operator: OpGt, Values: []string{"0"}, Statuses: []string{}}},
		),
	)
	require.NoError(t, Validate(g, testCodes))
	b, err := json.Marshal(g)
	require.NoError(t, err)
	require.JSONEq(t, `{"match":"ALL","expect":true,"conditions":[
		{"customer":{"field":"COUNTRY","operator":"IN","values":["SE","NO","DK"]}},
		{"customer":{"field":"GROUP","operator":"EQ","values":["wholesale"]}},
		{"customer":{"field":"WEBSITE","operator":"IN","values":["se_shop","base"]}},
		{"customer":{"field":"CUSTOMER_SINCE","operator":"BETWEEN","values":["2024-01-05","2024-12-31"]}},
		{"customer":{"field":"DAYS_SINCE_SIGNUP","operator":"GT","values":["7"]}},
		{"customer":{"field":"CITY","operator":"EQ","values":[" Malmö "]}},
		{"group":{"match":"ANY","expect":false,"conditions":[
			{"orders":{"measure":"SALES_TOTAL","operator":"BETWEEN","values":["0","12.5"]}},
			{"orders":{"measure":"AVERAGE_ORDER_VALUE","operator":"EQ","values":["0.5"]}},
			{"orders":{"measure":"AVERAGE_ORDER_VALUE","operator":"EQ","values":["-0.01"]}},
			{"orders":{"measure":"ORDER_COUNT","operator":"EQ","values":["0"]}},
			{"orders":{"measure":"DAYS_SINCE_LAST_ORDER","operator":"LT","values":["30"],"withinDays":90,"statuses":["canceled","complete","pending"]}},
			{"orders":{"measure":"ORDER_COUNT","operator":"GT","values":["0"]}}
		]}}
	]}`, string(b))

	// Canonical input is a fixed point.
	again := g.Clone()
	require.NoError(t, Validate(again, testCodes))
	require.Equal(t, g, again)
}

func TestCanonicalDecimal(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"0": "0", "-0": "0", "+0.000": "0", "007": "7", "7.": "7", ".5": "0.5", "-.5": "-0.5",
		"1234.5600": "1234.56", "-0001.0001": "-1.0001", "100": "100", "100.0": "100",
	} {
		require.Equal(t, want, canonicalDecimal(in), in)
	}
}

func TestCompileRejectsMalformed(t *testing.T) {
	t.Parallel()
	_, err := Compile(nil, nil, "$1", "$2", nowTZArgs())
	require.Error(t, err)
	_, err = Compile(all(cust(FieldCity, OpBetween, "a")), nil, "$1", "$2", nowTZArgs())
	require.Error(t, err)
	// An order condition whose window was not given.
	_, err = Compile(all(ord(MeasureOrderCount, OpGt, "1")), nil, "$1", "$2", nowTZArgs())
	require.ErrorContains(t, err, "lack")
	// Codes are not checked by Compile: a rule saved when a group existed
	// still compiles after the group is gone (and then matches nobody).
	_, err = Compile(all(cust(FieldGroup, OpEq, "gone")), nil, "$1", "$2", nowTZArgs())
	require.NoError(t, err)
}

func TestCompileDoesNotChangeRule(t *testing.T) {
	t.Parallel()
	g := all(cust(FieldCountry, OpEq, "se"), Condition{Orders: &OrderCondition{
		Measure: MeasureOrderCount, Operator: OpGt, Values: []string{"+1"}, Statuses: []string{"B", "a"}}})
	before := g.Clone()
	w := Windows(g)
	require.Equal(t, []Window{{Statuses: []string{"a", "b"}, Aggregates: AggCount}}, w)
	_, err := Compile(g, w, "$1", "$2", nowTZArgs())
	require.NoError(t, err)
	require.Equal(t, before, g)
}

func TestWindowsOrderAndDedup(t *testing.T) {
	t.Parallel()
	o := func(days *int, st ...string) Condition {
		return Condition{Orders: &OrderCondition{Measure: MeasureOrderCount, Operator: OpGt, Values: []string{"0"}, WithinDays: days, Statuses: st}}
	}
	g1 := all(o(intp(30), "b"), o(nil), grp(MatchAny, true, o(intp(30)), o(nil, "a", "b")))
	g2 := all(o(intp(7)), o(intp(30), " B "), o(nil, "B", "A", "a"))
	require.Equal(t, []Window{
		{Aggregates: AggCount},
		{Statuses: []string{"a", "b"}, Aggregates: AggCount},
		{WithinDays: 7, Aggregates: AggCount},
		{WithinDays: 30, Aggregates: AggCount},
		{WithinDays: 30, Statuses: []string{"b"}, Aggregates: AggCount},
	}, Windows(g1, nil, g2))
	require.Equal(t, Windows(g2, g1), Windows(g1, g2))
	require.Nil(t, Windows(all(cust(FieldCity, OpIsEmpty))))
}

func ExampleValidationError() {
	g := &Group{Match: MatchAll, Expect: true, Conditions: []Condition{
		{Group: &Group{Match: MatchAny, Expect: true, Conditions: []Condition{
			{Customer: &CustomerCondition{Field: FieldCountry, Operator: OpEq, Values: []string{"se"}}},
			{Orders: &OrderCondition{Measure: MeasureSalesTotal, Operator: OpBetween, Values: []string{"100"}}},
		}}},
	}}
	fmt.Println(Validate(g, Codes{}))
	// Output: conditions[0].conditions[1]: BETWEEN needs two values, not 1
}

func TestValidationProblemsNameTheirCondition(t *testing.T) {
	t.Parallel()
	err := Validate(all(cust(FieldEmail, OpEq, "a@b"), grp(MatchAny, true, cust(FieldCountry, OpEq, "XX"))), testCodes)
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	require.Equal(t, []apperr.Problem{{
		Field:     "conditions",
		Condition: "conditions[1].conditions[0]",
		Message:   `value 1: unknown country code "XX" (use an ISO 3166-1 alpha-2 code such as SE)`,
	}}, ve.AsProblems("conditions"))
}

func TestWindowsKeepOnlyTheAggregatesRead(t *testing.T) {
	t.Parallel()
	o := func(m OrderMeasure, days *int) Condition {
		return Condition{Orders: &OrderCondition{Measure: m, Operator: OpGt, Values: []string{"0"}, WithinDays: days}}
	}
	count, last := all(o(MeasureOrderCount, nil)), all(o(MeasureDaysSinceLastOrder, nil), o(MeasureAverageOrderValue, intp(7)))
	require.Equal(t, []Window{{Aggregates: AggCount | AggLast}, {WithinDays: 7, Aggregates: AggCount | AggSum}}, Windows(count, last))

	// Measures computed for count alone lack what last reads: Compile
	// says so rather than naming a column the measures do not have.
	have := Windows(count)
	_, err := Compile(last, have, "$1", "$2", nowTZArgs())
	require.ErrorContains(t, err, "lack")
	merged, changed := MergeWindows(have, Windows(last))
	require.True(t, changed)
	require.Equal(t, []Window{{Aggregates: AggCount | AggLast}, {WithinDays: 7, Aggregates: AggCount | AggSum}}, merged)
	require.Equal(t, []Window{{Aggregates: AggCount}}, have, "have is not changed")
	_, err = Compile(last, merged, "$1", "$2", nowTZArgs())
	require.NoError(t, err)
	again, changed := MergeWindows(merged, Windows(count, last))
	require.False(t, changed)
	require.Equal(t, merged, again)

	// A window without aggregates (built by hand) computes all three.
	all3 := []Window{{}, {WithinDays: 7}}
	_, err = Compile(last, all3, "$1", "$2", nowTZArgs())
	require.NoError(t, err)
	measures := MeasuresSQL(all3, "$1", "$2", nowTZArgs())
	for _, col := range []string{"n0", "s0", "l0", "n1", "s1", "l1"} {
		require.Contains(t, measures, " AS "+col)
	}
	require.NotContains(t, MeasuresSQL(have, "$1", "$2", nowTZArgs()), " AS s0")
}
