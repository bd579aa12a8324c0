package segment_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/db/dbtest"
	"github.com/segments/segments/server/page"
	"github.com/segments/segments/server/segment"
)

// listNames walks the NAME-sorted segment list forwards and backwards in
// pages of size and returns the names, checking both ways agree.
func listNames(t *testing.T, s *segment.Store, desc bool, size int) []string {
	t.Helper()
	ctx := auth.AsSystem(context.Background())
	o := segment.Order{Field: segment.OrderName, Desc: desc}
	var fwd, back []string
	var cursor *string
	for {
		p, err := s.List(ctx, segment.Filter{}, o, page.Args{First: &size, After: cursor})
		require.NoError(t, err)
		for _, sg := range p.Segments {
			fwd = append(fwd, sg.Name)
		}
		if !p.Info.HasNextPage {
			break
		}
		cursor = &p.Cursors[len(p.Cursors)-1]
	}
	cursor = nil
	for {
		p, err := s.List(ctx, segment.Filter{}, o, page.Args{Last: &size, Before: cursor})
		require.NoError(t, err)
		var names []string
		for _, sg := range p.Segments {
			names = append(names, sg.Name)
		}
		back = append(names, back...)
		if !p.Info.HasPreviousPage {
			break
		}
		cursor = &p.Cursors[0]
	}
	require.Equal(t, fwd, back, "forwards and backwards agree")
	return fwd
}

func TestSegmentNamesSortByTheStoreLocale(t *testing.T) {
	t.Parallel()
	ctx := auth.AsSystem(context.Background())
	d := dbtest.New(t)
	_, err := db.UseStoreLocale(ctx, d.DB, "sv-SE")
	require.NoError(t, err)
	_, err = d.Pool.Exec(ctx, `INSERT INTO segments (name, conditions)
		SELECT n, '{"aggregator": "ALL", "value": true, "conditions": []}' FROM unnest($1::text[]) n`,
		[]string{"Östen", "Zeta", "Ärlig", "Adam", "Åkesson", "Berg", "Öberg", "Zorn", "Åberg", "Ängel"})
	require.NoError(t, err)
	swedish := []string{"Adam", "Berg", "Zeta", "Zorn", "Åberg", "Åkesson", "Ängel", "Ärlig", "Öberg", "Östen"}

	s := segment.NewStore(d)
	require.Equal(t, swedish, listNames(t, s, false, 3))
	desc := slices.Clone(swedish)
	slices.Reverse(desc)
	require.Equal(t, desc, listNames(t, s, true, 4))

	// With many segments, a first page by name reads the collated index.
	_, err = d.Pool.Exec(ctx, `INSERT INTO segments (name, conditions)
		SELECT 'Segment ' || i, '{}' FROM generate_series(1, 5000) i; ANALYZE segments`)
	require.NoError(t, err)
	rows, err := d.Pool.Query(ctx, `EXPLAIN SELECT s.id, s.name, s.customer_count FROM segments s ORDER BY s.name COLLATE "segments_store", s.id LIMIT 21`)
	require.NoError(t, err)
	plan, err := pgx.CollectRows(rows, pgx.RowTo[string])
	require.NoError(t, err)
	require.Contains(t, strings.Join(plan, "\n"), "Index Scan using segments_name on segments")
	require.NotContains(t, strings.Join(plan, "\n"), "Sort")

	// Switching to the root locale: Å sorts with A again (a new connection,
	// as after a restart).
	_, err = db.UseStoreLocale(ctx, d.DB, "und")
	require.NoError(t, err)
	d2, err := db.Open(ctx, d.Pool.Config().ConnString())
	require.NoError(t, err)
	t.Cleanup(d2.Close)
	_, err = d2.Pool.Exec(ctx, `DELETE FROM segments WHERE name LIKE 'Segment %'`)
	require.NoError(t, err)
	require.Equal(t, []string{"Åberg", "Adam", "Åkesson", "Ängel", "Ärlig", "Berg", "Öberg", "Östen", "Zeta", "Zorn"},
		listNames(t, segment.NewStore(d2), false, 3))
}
