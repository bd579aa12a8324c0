package segment_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/apperr"
	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/page"
	"github.com/segments/segments/server/segment"
)

func TestListWalksEverySortBothWays(t *testing.T) {
	t.Parallel()
	d, segs := seeded(t)
	ctx := auth.AsSystem(context.Background())
	// Only some refreshed: REFRESHED_AT has NULLs, CUSTOMER_COUNT ties at 0.
	refresh(t, d, segs[:len(segs)/2])
	s := segment.NewStore(d)
	cols := map[segment.OrderField]string{
		segment.OrderID:            "s.id",
		segment.OrderName:          `s.name COLLATE "segments_store"`,
		segment.OrderStatus:        "(NOT s.is_active)",
		segment.OrderWebsite:       `(SELECT min(w.code COLLATE "segments_store") FROM segment_websites sw JOIN websites w ON w.id = sw.website_id WHERE sw.segment_id = s.id)`,
		segment.OrderCustomerCount: "s.customer_count",
		segment.OrderRefreshedAt:   "s.refreshed_at",
	}
	for field, col := range cols {
		for _, desc := range []bool{false, true} {
			dir := " ASC NULLS LAST, s.id ASC"
			if desc {
				dir = " DESC NULLS FIRST, s.id DESC"
			}
			rows, err := d.Pool.Query(ctx, `SELECT s.id FROM segments s ORDER BY `+col+dir)
			require.NoError(t, err)
			want, err := pgx.CollectRows(rows, pgx.RowTo[int64])
			require.NoError(t, err)

			o := segment.Order{Field: field, Desc: desc}
			var fwd []int64
			var cursor *string
			size := 4
			for {
				p, err := s.List(ctx, segment.Filter{}, o, page.Args{First: &size, After: cursor})
				require.NoError(t, err)
				require.Equal(t, cursor != nil, p.Info.HasPreviousPage)
				for _, sg := range p.Segments {
					fwd = append(fwd, sg.ID)
				}
				if !p.Info.HasNextPage {
					break
				}
				cursor = &p.Cursors[len(p.Cursors)-1]
			}
			require.Equal(t, want, fwd, "%s desc=%v forwards", field, desc)

			var back []int64
			cursor = nil
			for {
				p, err := s.List(ctx, segment.Filter{}, o, page.Args{Last: &size, Before: cursor})
				require.NoError(t, err)
				require.Equal(t, cursor != nil, p.Info.HasNextPage)
				ids := make([]int64, len(p.Segments))
				for i, sg := range p.Segments {
					ids[i] = sg.ID
				}
				back = append(ids, back...)
				if !p.Info.HasPreviousPage {
					break
				}
				cursor = &p.Cursors[0]
			}
			require.Equal(t, want, back, "%s desc=%v backwards", field, desc)
		}
	}
}

func TestListFilters(t *testing.T) {
	t.Parallel()
	d, segs := seeded(t)
	ctx := auth.AsSystem(context.Background())
	refresh(t, d, segs)
	s := segment.NewStore(d)
	inactive := false
	p, err := s.List(ctx, segment.Filter{Active: &inactive}, segment.Order{}, page.Args{})
	require.NoError(t, err)
	require.NotEmpty(t, p.Segments, "the demo store has an inactive segment")
	for _, sg := range p.Segments {
		require.False(t, sg.Active)
	}
	min := int64(1)
	p, err = s.List(ctx, segment.Filter{CustomerCountMin: &min, Name: "CUSTOMERS"}, segment.Order{}, page.Args{})
	require.NoError(t, err)
	for _, sg := range p.Segments {
		require.Positive(t, sg.CustomerCount)
		require.Contains(t, sg.Name, "ustomers")
	}
	n, err := s.Count(ctx, segment.Filter{IDs: segs[:3]})
	require.NoError(t, err)
	require.EqualValues(t, 3, n)

	lo, hi := int64(5), int64(2)
	_, err = s.List(ctx, segment.Filter{IDMin: &lo, IDMax: &hi}, segment.Order{}, page.Args{})
	e, ok := apperr.As(err)
	require.True(t, ok)
	require.Equal(t, apperr.BadInput, e.Kind)
}
