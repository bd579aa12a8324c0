package rule

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// numbered returns n distinct text values.
func numbered(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("v%d", i)
	}
	return out
}

func TestValuesPerCondition(t *testing.T) {
	t.Parallel()
	require.NoError(t, Validate(all(cust(FieldZip, OpIn, numbered(MaxValues)...)), testCodes))
	require.Equal(t, []string{"conditions[1]: NOT_IN takes at most 1000 values, not 1001"},
		problems(t, Validate(all(cust(FieldZip, OpIn, "1"), cust(FieldZip, OpNotIn, numbered(MaxValues+1)...)), testCodes)))

	// An oversized list is refused whole: its values are not each reported.
	bad := make([]string, 10*MaxValues)
	require.Equal(t, []string{"conditions[0]: IN takes at most 1000 values, not 10000"},
		problems(t, Validate(all(cust(FieldZip, OpIn, bad...)), testCodes)))
	require.Equal(t, []string{"conditions[0]: EQ needs one value, not 5000"},
		problems(t, Validate(all(ord(MeasureOrderCount, OpEq, make([]string, 5*MaxValues)...)), testCodes)))
}

func TestValuesPerRule(t *testing.T) {
	t.Parallel()
	many := func(total int) *Group {
		g := all()
		for total > 0 {
			n := min(total, MaxValues)
			g.Conditions = append(g.Conditions, cust(FieldCity, OpIn, numbered(n)...))
			total -= n
		}
		return g
	}
	require.NoError(t, Validate(many(MaxRuleValues), testCodes))
	require.Equal(t, []string{"the rule lists 10001 values and statuses in all; at most 10000 are allowed"},
		problems(t, Validate(many(MaxRuleValues+1), testCodes)))

	// Statuses count too.
	g := many(MaxRuleValues - 1)
	g.Conditions = append(g.Conditions, Condition{Orders: &OrderCondition{Measure: MeasureOrderCount, Operator: OpGt, Values: []string{"0"}, Statuses: []string{"complete"}}})
	require.Equal(t, []string{"the rule lists 10001 values and statuses in all; at most 10000 are allowed"},
		problems(t, Validate(g, testCodes)))
}

func TestValueLength(t *testing.T) {
	t.Parallel()
	// Characters, not bytes: 255 å is 510 bytes and still allowed.
	at := strings.Repeat("å", MaxValueLength)
	require.NoError(t, Validate(all(cust(FieldEmail, OpContains, at), cust(FieldCity, OpIn, "x", at)), testCodes))
	over := at + "a"
	require.Equal(t, []string{
		"conditions[0]: value 1 is longer than 255 characters",
		"conditions[1].conditions[0]: value 2 is longer than 255 characters",
		"conditions[2]: value 1 is longer than 255 characters",
	}, problems(t, Validate(all(
		cust(FieldEmail, OpContains, over),
		grp(MatchAny, true, cust(FieldCity, OpIn, "x", over)),
		cust(FieldCountry, OpEq, strings.Repeat(" ", 300)+"se"),
	), testCodes)))
}

func TestStatusLimits(t *testing.T) {
	t.Parallel()
	statuses := func(n, length int) Condition {
		st := make([]string, n)
		for i := range st {
			st[i] = fmt.Sprintf("%0*d", length, i)
		}
		return Condition{Orders: &OrderCondition{Measure: MeasureOrderCount, Operator: OpGt, Values: []string{"0"}, Statuses: st}}
	}
	require.NoError(t, Validate(all(statuses(MaxStatuses, MaxStatusLength)), testCodes))
	require.Equal(t, []string{"conditions[0].conditions[0]: at most 50 statuses are allowed, not 51"},
		problems(t, Validate(all(grp(MatchAll, true, statuses(MaxStatuses+1, 5))), testCodes)))
	require.Equal(t, []string{"conditions[0]: at most 50 statuses are allowed, not 100000",
		"the rule lists 100001 values and statuses in all; at most 10000 are allowed"},
		problems(t, Validate(all(statuses(100_000, 1)), testCodes)))
	require.Equal(t, []string{"conditions[0]: status 1 is longer than 64 characters", "conditions[0]: status 2 is longer than 64 characters"},
		problems(t, Validate(all(statuses(2, MaxStatusLength+1)), testCodes)))
}

func TestTooLong(t *testing.T) {
	t.Parallel()
	require.False(t, tooLong("abc", 3))
	require.True(t, tooLong("abcd", 3))
	require.False(t, tooLong("ååå", 3))
	require.True(t, tooLong("åååå", 3))
	require.True(t, tooLong(strings.Repeat("a", 1<<20), 3))
}

func TestCheckSizeReportsOnlyLimits(t *testing.T) {
	t.Parallel()
	st := func(n int) Condition {
		return Condition{Orders: &OrderCondition{Measure: MeasureOrderCount, Operator: OpGt, Values: []string{"0"}, Statuses: numbered(n)}}
	}
	// Other problems are Validate's to find.
	require.NoError(t, CheckSize(&Group{Match: "SOME", Conditions: []Condition{cust(FieldCountry, OpEq, "XX"), {}}}))
	require.NoError(t, CheckSize(nest(MaxDepth, cust(FieldCity, OpIn, numbered(MaxValues)...))))

	for _, g := range []*Group{
		nest(MaxDepth+1, cust(FieldCity, OpIsEmpty)),
		all(cust(FieldZip, OpIn, numbered(MaxValues+1)...), grp(MatchAny, false, cust(FieldZip, OpEq, numbered(MaxValues+1)...))),
		all(st(MaxStatuses+1), ord(MeasureSalesTotal, OpBetween, numbered(MaxValues+1)...)),
		all(st(3 * MaxRuleValues)),
	} {
		size := problems(t, CheckSize(g))
		require.NotEmpty(t, size)
		// The same problems, in the same words, as Validate's.
		require.Subset(t, problems(t, Validate(g, testCodes)), size)
	}
}
