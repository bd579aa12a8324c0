package catalog_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/catalog"
	"github.com/segments/segments/server/db/dbtest"
)

func TestCreateAndRead(t *testing.T) {
	t.Parallel()
	ctx := auth.AsSystem(context.Background())
	d := dbtest.New(t)

	ids, err := catalog.EnsureWebsites(ctx, d, []catalog.Website{{Code: "se", Name: "Sweden"}, {Code: "intl", Name: "International"}})
	require.NoError(t, err)
	require.Len(t, ids, 2)
	// Ensuring again keeps the rows, their ids and their names.
	again, err := catalog.EnsureWebsites(ctx, d, []catalog.Website{{Code: "intl", Name: "Other"}, {Code: "se", Name: "Other"}})
	require.NoError(t, err)
	require.Equal(t, []int64{ids[1], ids[0]}, again)

	created, err := catalog.CreateWebsites(ctx, d, []string{"no", "se", "dk", "no"})
	require.NoError(t, err)
	require.Equal(t, []string{"dk", "no"}, created)

	ws, err := catalog.Websites(ctx, d)
	require.NoError(t, err)
	var got []string
	for _, w := range ws {
		got = append(got, w.Code+"="+w.Name)
	}
	require.Equal(t, []string{"dk=dk", "intl=International", "no=no", "se=Sweden"}, got)

	gids, err := catalog.EnsureCustomerGroups(ctx, d, []catalog.CustomerGroup{{Code: "vip", Name: "VIP"}, {Code: "general", Name: "General"}})
	require.NoError(t, err)
	require.Len(t, gids, 2)
	created, err = catalog.CreateCustomerGroups(ctx, d, []string{"vip", "b2b"})
	require.NoError(t, err)
	require.Equal(t, []string{"b2b"}, created)
	gs, err := catalog.CustomerGroups(ctx, d)
	require.NoError(t, err)
	got = nil
	for _, g := range gs {
		got = append(got, g.Name)
	}
	require.Equal(t, []string{"b2b", "General", "VIP"}, got) // by name
}

func TestWebsitesAreThoseOfTheScope(t *testing.T) {
	t.Parallel()
	d := dbtest.New(t)
	ids, err := catalog.EnsureWebsites(auth.AsSystem(context.Background()), d, []catalog.Website{{Code: "a", Name: "A"}, {Code: "b", Name: "B"}, {Code: "c", Name: "C"}})
	require.NoError(t, err)
	codes := func(ctx context.Context) []string {
		ws, err := catalog.Websites(ctx, d)
		require.NoError(t, err)
		out := []string{}
		for _, w := range ws {
			out = append(out, w.Code)
		}
		return out
	}
	require.Equal(t, []string{"a", "b", "c"}, codes(auth.AsSystem(context.Background())))
	scoped := auth.With(context.Background(), &auth.Principal{Kind: auth.Token, ID: 1, Role: auth.Viewer, Websites: []int64{ids[2], ids[0]}})
	require.Equal(t, []string{"a", "c"}, codes(scoped))
	require.Empty(t, codes(context.Background()), "no principal, no websites")
}
