package segment_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/apperr"
	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/job"
	"github.com/segments/segments/server/rule"
	"github.com/segments/segments/server/segment"
)

func TestOversizedInputIsRefusedAndNothingSaved(t *testing.T) {
	t.Parallel()
	d, segs := seeded(t)
	ctx := auth.AsSystem(context.Background())
	m := segment.NewManager(d, job.EnqueueRefresh)
	var website int64
	require.NoError(t, d.NewSelect().Table("websites").Column("id").Order("id").Limit(1).Scan(ctx, &website))
	var before int
	require.NoError(t, d.NewSelect().Table("segments").ColumnExpr("count(*)").Scan(ctx, &before))

	many := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = "x"
		}
		return out
	}
	orders := func(statuses []string) rule.Group {
		return rule.Group{Match: rule.MatchAll, Expect: true, Conditions: []rule.Condition{
			{Customer: &rule.CustomerCondition{Field: rule.FieldCountry, Operator: rule.OpEq, Values: []string{"SE"}}},
			{Orders: &rule.OrderCondition{Measure: rule.MeasureOrderCount, Operator: rule.OpGt, Values: []string{"0"}, Statuses: statuses}},
		}}
	}
	in := func(g rule.Group) segment.Input {
		return segment.Input{Name: "Big", Active: true, WebsiteIDs: []int64{website}, Conditions: g}
	}
	wantProblem := func(err error, want apperr.Problem) {
		t.Helper()
		e, ok := apperr.As(err)
		require.True(t, ok, "%v", err)
		require.Equal(t, apperr.BadInput, e.Kind)
		require.Contains(t, e.Problems, want)
	}

	_, err := m.Create(ctx, in(orders(many(100_000))))
	wantProblem(err, apperr.Problem{Field: "conditions", Condition: "conditions[1]", Message: "at most 50 statuses are allowed, not 100000"})

	in10k := rule.Group{Match: rule.MatchAny, Expect: true, Conditions: []rule.Condition{{Group: &rule.Group{Match: rule.MatchAll, Expect: true,
		Conditions: []rule.Condition{{Customer: &rule.CustomerCondition{Field: rule.FieldZip, Operator: rule.OpIn, Values: many(10_000)}}}}}}}
	_, err = m.Create(ctx, in(in10k))
	wantProblem(err, apperr.Problem{Field: "conditions", Condition: "conditions[0].conditions[0]", Message: "IN takes at most 1000 values, not 10000"})

	// An edit is refused the same way and leaves the segment as it was.
	err = m.Update(ctx, segs[0], in(in10k).AsPatch())
	wantProblem(err, apperr.Problem{Field: "conditions", Condition: "conditions[0].conditions[0]", Message: "IN takes at most 1000 values, not 10000"})
	got, err := segment.NewStore(d).Get(ctx, segs[:1])
	require.NoError(t, err)
	require.NotEqual(t, "Big", got[0].Name)

	// Texts: at the limits they are saved, past them refused.
	long := strings.Repeat("å", segment.MaxDescriptionLength)
	x := in(orders(many(rule.MaxStatuses)))
	x.Name, x.Description = strings.Repeat("n", segment.MaxNameLength), &long
	id, err := m.Create(ctx, x)
	require.NoError(t, err)
	require.NotZero(t, id)
	longer := long + "å"
	x.Name, x.Description = x.Name+"n", &longer
	_, err = m.Create(ctx, x)
	wantProblem(err, apperr.Problem{Field: "name", Message: "at most 255 characters, got 256"})
	wantProblem(err, apperr.Problem{Field: "description", Message: "at most 2000 characters, got 2001"})

	var after int
	require.NoError(t, d.NewSelect().Table("segments").ColumnExpr("count(*)").Scan(ctx, &after))
	require.Equal(t, before+1, after, "only the segment at the limits was saved")
}
