package page

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/apperr"
	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/db/dbtest"
)

func ptr[T any](v T) *T { return &v }

func TestParseRejectsBadArguments(t *testing.T) {
	t.Parallel()
	b := Binding("q", 1)
	other := Request{binding: Binding("q", 2)}.Cursor([]*string{ptr("5")})
	cases := map[string]Args{
		"first and last":     {First: ptr(1), Last: ptr(1)},
		"after and before":   {After: ptr("x"), Before: ptr("y")},
		"last with after":    {Last: ptr(3), After: ptr("x")},
		"zero page":          {First: ptr(0)},
		"page over max":      {First: ptr(MaxSize + 1)},
		"negative last":      {Last: ptr(-1)},
		"garbage cursor":     {After: ptr("not a cursor")},
		"other query cursor": {After: &other},
	}
	for name, a := range cases {
		_, err := Parse(a, b)
		e, ok := apperr.As(err)
		require.True(t, ok, name)
		require.Equal(t, apperr.BadInput, e.Kind, name)
	}
}

func TestParseDefaultsAndDirection(t *testing.T) {
	t.Parallel()
	r, err := Parse(Args{}, "b")
	require.NoError(t, err)
	require.Equal(t, DefaultSize, r.Limit)
	require.False(t, r.Backward)

	r, err = Parse(Args{Last: ptr(7)}, "b")
	require.NoError(t, err)
	require.Equal(t, 7, r.Limit)
	require.True(t, r.Backward, "last without before pages from the end")
}

func TestCursorRoundTrip(t *testing.T) {
	t.Parallel()
	b := Binding("customers", []int64{1, 2}, "UNION")
	c := Request{binding: b}.Cursor([]*string{nil, ptr("Åsa"), ptr("42")})
	r, err := Parse(Args{After: &c}, b)
	require.NoError(t, err)
	require.Equal(t, []*string{nil, ptr("Åsa"), ptr("42")}, r.From)
}

func TestTrimBackwardRestoresOrder(t *testing.T) {
	t.Parallel()
	r := Request{Limit: 2, Backward: true}
	rows, more := Trim(r, []int{5, 4, 3})
	require.Equal(t, []int{4, 5}, rows)
	require.True(t, more)
}

func TestCursorValuesKeepNulls(t *testing.T) {
	t.Parallel()
	d := dbtest.New(t)
	var a db.Args
	q := `SELECT g AS id, ARRAY[NULL, ` + a.Add(`a,"b" {c}`) + `, '', 'NULL', g::text]::text[] AS cursor
		FROM generate_series(1, 2) g ORDER BY g`
	var rows []struct {
		ID     int64  `bun:"id"`
		Cursor Values `bun:"cursor"`
	}
	require.NoError(t, db.Select(context.Background(), d, &rows, q, a.Values()...))
	require.Len(t, rows, 2)
	require.Equal(t, Values{nil, ptr(`a,"b" {c}`), ptr(""), ptr("NULL"), ptr("2")}, rows[1].Cursor)
}
