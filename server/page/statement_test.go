package page

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/db/dbtest"
)

// itemRow is a row of the items table as a page statement returns it.
type itemRow struct {
	ID int64   `bun:"id"`
	K  *string `bun:"k"`
	Head
}

// walkItems pages through items with one statement per page, forwards or
// backwards, and returns the ids in display order.
func walkItems(t *testing.T, d *db.DB, s Sort, src Source, size int, backward bool) []int64 {
	t.Helper()
	ctx := context.Background()
	var out []int64
	var cursor *string
	for range 100 {
		a := Args{First: &size, After: cursor}
		if backward {
			a = Args{Last: &size, Before: cursor}
		}
		r, err := Parse(a, "items")
		require.NoError(t, err)
		st, err := r.Statement("t.id, t.k", s, src, nil)
		require.NoError(t, err)
		rows, info, ok, err := One(ctx, d, r, st, func(x *itemRow) *Head { return &x.Head })
		require.NoError(t, err)
		require.True(t, ok)
		ids := make([]int64, len(rows))
		for i, x := range rows {
			ids[i] = x.ID
		}
		if backward {
			out = append(ids, out...)
			require.Equal(t, cursor != nil, info.HasNextPage, "hasNextPage backwards")
			if !info.HasPreviousPage {
				return out
			}
			c := r.Cursor(rows[0].Cursor)
			cursor = &c
		} else {
			out = append(out, ids...)
			require.Equal(t, cursor != nil, info.HasPreviousPage, "hasPreviousPage forwards")
			if !info.HasNextPage {
				return out
			}
			c := r.Cursor(rows[len(rows)-1].Cursor)
			cursor = &c
		}
	}
	t.Fatal("no end")
	return nil
}

// One statement per page walks a nullable sort in both directions exactly
// as ORDER BY does (NULLs last ascending, first descending), across the
// UNION ALL of its two keyset branches.
func TestStatementWalksNullableSorts(t *testing.T) {
	t.Parallel()
	d := dbtest.New(t)
	ctx := context.Background()
	_, err := db.Exec(ctx, d, `CREATE TABLE items (id bigint PRIMARY KEY, k text);
		INSERT INTO items SELECT g, CASE WHEN g % 3 = 0 THEN NULL ELSE chr(65 + g % 5) END FROM generate_series(1, 23) g`)
	require.NoError(t, err)
	src := func(*db.Args) (string, []string) { return "items t", nil }
	for _, desc := range []bool{false, true} {
		s := Sort{Keys: []Key{{Expr: "t.k", Type: "text", Nullable: true}, {Expr: "t.id", Type: "bigint"}}, Desc: desc}
		dir := "ASC"
		if desc {
			dir = "DESC"
		}
		var want []int64
		require.NoError(t, db.Select(ctx, d, &want, fmt.Sprintf(`SELECT id FROM items ORDER BY k %s, id %s`, dir, dir)))
		for _, size := range []int{1, 2, 4, 7} {
			require.Equal(t, want, walkItems(t, d, s, src, size, false), "forwards desc=%v size=%d", desc, size)
			require.Equal(t, want, walkItems(t, d, s, src, size, true), "backwards desc=%v size=%d", desc, size)
		}
	}
}

// A failed guard gives no rows and says so; hasPreviousPage stays exact
// when the cursor's own row is gone.
func TestStatementGuardAndBehind(t *testing.T) {
	t.Parallel()
	d := dbtest.New(t)
	ctx := context.Background()
	_, err := db.Exec(ctx, d, `CREATE TABLE items (id bigint PRIMARY KEY, k text);
		INSERT INTO items SELECT g, NULL FROM generate_series(1, 5) g`)
	require.NoError(t, err)
	src := func(*db.Args) (string, []string) { return "items t", nil }
	s := Sort{Keys: []Key{{Expr: "t.id", Type: "bigint", Same: []string{"t.id + 0"}}}}
	head := func(x *itemRow) *Head { return &x.Head }

	r, err := Parse(Args{}, "items")
	require.NoError(t, err)
	st, err := r.Statement("t.id, t.k", s, src, func(a *db.Args) string { return a.Add(false) + "::boolean" })
	require.NoError(t, err)
	rows, _, ok, err := One(ctx, d, r, st, head)
	require.NoError(t, err)
	require.False(t, ok)
	require.Empty(t, rows)

	two := 2
	page := func(after string) ([]int64, Info) {
		c := Request{binding: "items"}.Cursor([]*string{ptr(after)})
		r, err := Parse(Args{First: &two, After: &c}, "items")
		require.NoError(t, err)
		st, err := r.Statement("t.id, t.k", s, src, nil)
		require.NoError(t, err)
		rows, info, ok, err := One(ctx, d, r, st, head)
		require.NoError(t, err)
		require.True(t, ok)
		var ids []int64
		for _, x := range rows {
			ids = append(ids, x.ID)
		}
		return ids, info
	}
	ids, info := page("0")
	require.Equal(t, []int64{1, 2}, ids)
	require.Equal(t, Info{HasNextPage: true}, info)
	ids, info = page("5")
	require.Empty(t, ids)
	require.Equal(t, Info{HasPreviousPage: true}, info)
	// The cursor's row is gone: rows before it still count...
	_, err = db.Exec(ctx, d, `DELETE FROM items WHERE id = 3`)
	require.NoError(t, err)
	ids, info = page("3")
	require.Equal(t, []int64{4, 5}, ids)
	require.Equal(t, Info{HasPreviousPage: true}, info)
	// ...and when none are left, there is no previous page.
	_, err = db.Exec(ctx, d, `DELETE FROM items WHERE id < 3`)
	require.NoError(t, err)
	ids, info = page("3")
	require.Equal(t, []int64{4, 5}, ids)
	require.Equal(t, Info{}, info)
}
