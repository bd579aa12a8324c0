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

// strictText refuses NULL, as the model of a NOT NULL column may (a
// user's role does).
type strictText string

func (s *strictText) Scan(src any) error {
	switch v := src.(type) {
	case string:
		*s = strictText(v)
	case []byte:
		*s = strictText(v)
	default:
		return fmt.Errorf("scan strict text: want text, got %T", src)
	}
	return nil
}

// strictRow is a row whose model cannot take the NULLs of a page without
// rows.
type strictRow struct {
	ID int64      `bun:"id"`
	K  strictText `bun:"k"`
	Head
}

// A page without rows — an empty listing, past either end, a failed guard
// — reaches the caller as no rows and an exact position, however strict
// its model; pages with rows scan as before, in both directions.
func TestOneEmptyPagesNeverReachTheModel(t *testing.T) {
	t.Parallel()
	d := dbtest.New(t)
	ctx := context.Background()
	_, err := db.Exec(ctx, d, `CREATE TABLE items (id bigint PRIMARY KEY, k text NOT NULL);
		INSERT INTO items SELECT g, 'k' || g FROM generate_series(1, 3) g`)
	require.NoError(t, err)
	s := Sort{Keys: []Key{{Expr: "t.id", Type: "bigint"}}}
	head := func(x *strictRow) *Head { return &x.Head }
	type result struct {
		ids  []int64
		keys []strictText
		info Info
		ok   bool
	}
	run := func(a Args, where string, guard func(*db.Args) string) result {
		t.Helper()
		src := func(*db.Args) (string, []string) { return "items t", []string{where} }
		r, err := Parse(a, "strict")
		require.NoError(t, err)
		st, err := r.Statement("t.id, t.k", s, src, guard)
		require.NoError(t, err)
		rows, info, ok, err := One(ctx, d, r, st, head)
		require.NoError(t, err)
		res := result{info: info, ok: ok}
		for _, x := range rows {
			res.ids = append(res.ids, x.ID)
			res.keys = append(res.keys, x.K)
		}
		return res
	}
	cursor := func(id string) *string {
		c := Request{binding: "strict"}.Cursor([]*string{ptr(id)})
		return &c
	}
	two := 2

	require.Equal(t, result{ok: true}, run(Args{}, "false", nil), "an empty listing")
	require.Equal(t, result{ok: true}, run(Args{Last: &two}, "false", nil), "an empty listing, backwards")
	require.Equal(t, result{}, run(Args{}, "true", func(a *db.Args) string { return a.Add(false) + "::boolean" }), "a failed guard")
	require.Equal(t, result{ok: true, info: Info{HasPreviousPage: true}}, run(Args{First: &two, After: cursor("3")}, "true", nil), "past the end")
	require.Equal(t, result{ok: true, info: Info{HasNextPage: true}}, run(Args{Last: &two, Before: cursor("1")}, "true", nil), "before the start")

	require.Equal(t, result{ok: true, ids: []int64{1, 2}, keys: []strictText{"k1", "k2"}, info: Info{HasNextPage: true}},
		run(Args{First: &two}, "true", nil), "the first page")
	require.Equal(t, result{ok: true, ids: []int64{3}, keys: []strictText{"k3"}, info: Info{HasPreviousPage: true}},
		run(Args{First: &two, After: cursor("2")}, "true", nil), "the last page")
	require.Equal(t, result{ok: true, ids: []int64{2, 3}, keys: []strictText{"k2", "k3"}, info: Info{HasPreviousPage: true}},
		run(Args{Last: &two}, "true", nil), "the last page, backwards")
	require.Equal(t, result{ok: true, ids: []int64{1}, keys: []strictText{"k1"}, info: Info{HasNextPage: true}},
		run(Args{Last: &two, Before: cursor("2")}, "true", nil), "the first page, backwards")
}
