package catalog_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/apperr"
	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/catalog"
	"github.com/segments/segments/server/change/changetest"
	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/db/dbtest"
)

func names[T any](rows []*T, name func(*T) string) []string {
	out := []string{}
	for _, r := range rows {
		out = append(out, name(r))
	}
	return out
}

func websiteNames(t *testing.T, c *catalog.Cache, ctx context.Context) []string {
	t.Helper()
	ws, err := c.VisibleWebsites(ctx)
	require.NoError(t, err)
	return names(ws, func(w *catalog.Website) string { return w.Name })
}

func groupNames(t *testing.T, c *catalog.Cache, ctx context.Context) []string {
	t.Helper()
	gs, err := c.CustomerGroups(ctx)
	require.NoError(t, err)
	return names(gs.All(), func(g *catalog.CustomerGroup) string { return g.Name })
}

func TestTheCacheSeesAChangeMadeBySQLOnceNotified(t *testing.T) {
	t.Parallel()
	ctx := auth.AsSystem(context.Background())
	d := dbtest.New(t)
	ids, err := catalog.EnsureWebsites(ctx, d, []catalog.Website{{Code: "se", Name: "Sweden"}, {Code: "no", Name: "Norway"}})
	require.NoError(t, err)
	_, err = catalog.EnsureCustomerGroups(ctx, d, []catalog.CustomerGroup{{Code: "vip", Name: "VIP"}, {Code: "b2b", Name: "Business"}})
	require.NoError(t, err)
	l := changetest.Listen(t, d)
	c := catalog.NewCache(d, l)

	require.Equal(t, []string{"Norway", "Sweden"}, websiteNames(t, c, ctx), "by code")
	require.Equal(t, []string{"Business", "VIP"}, groupNames(t, c, ctx), "by name")
	scoped := auth.With(context.Background(), &auth.Principal{Kind: auth.Token, ID: 1, Role: auth.Viewer, Websites: []int64{ids[0]}})
	require.Equal(t, []string{"Sweden"}, websiteNames(t, c, scoped), "a scoped principal sees its websites")
	require.Empty(t, websiteNames(t, c, context.Background()), "no principal, no websites")

	// Kept: a rename nobody is told of is not seen.
	changetest.Settle(t, d, l)
	require.Equal(t, []string{"Norway", "Sweden"}, websiteNames(t, c, ctx))
	changetest.Unnoticed(t, d, `UPDATE websites SET name = 'Sverige' WHERE code = 'se'`, "websites")
	require.Equal(t, []string{"Norway", "Sweden"}, websiteNames(t, c, ctx))

	// A change by SQL, as psql or another instance makes it, is seen once
	// its notification arrives (and brings the silent one along).
	_, err = db.Exec(ctx, d, `UPDATE websites SET name = 'Norge' WHERE code = 'no'`)
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		return websiteNames(t, c, ctx)[0] == "Norge"
	}, 10*time.Second, 5*time.Millisecond)
	require.Equal(t, []string{"Norge", "Sverige"}, websiteNames(t, c, ctx))
	_, err = db.Exec(ctx, d, `UPDATE customer_groups SET name = 'Very important' WHERE code = 'vip'`)
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		return groupNames(t, c, ctx)[1] == "Very important"
	}, 10*time.Second, 5*time.Millisecond)
}

// A lookup of many ids answers from the kept catalog; when it lacks some
// (rows created a moment ago, their notification still on the way), it
// reads the catalog again once for all of them; an id still unknown is
// NOT_FOUND.
func TestALookupRereadsTheCatalogOnceForRowsItLacks(t *testing.T) {
	t.Parallel()
	ctx := auth.AsSystem(context.Background())
	d, statements := dbtest.Counted(t)
	l := changetest.Listen(t, d)
	c := catalog.NewCache(d, l)
	_, err := catalog.EnsureCustomerGroups(ctx, d, []catalog.CustomerGroup{{Code: "vip", Name: "VIP"}})
	require.NoError(t, err)
	changetest.Settle(t, d, l)
	gs, err := c.CustomerGroups(ctx)
	require.NoError(t, err)
	vip := gs.All()[0].ID
	lookup := func(ids ...int64) ([]string, int64, error) {
		t.Helper()
		before := statements.Load()
		rows, err := c.CustomerGroupsByID(ctx, ids)
		if err != nil {
			return nil, statements.Load() - before, err
		}
		return names(rows, func(g *catalog.CustomerGroup) string { return g.Name }), statements.Load() - before, nil
	}

	got, reads, err := lookup(vip, vip)
	require.NoError(t, err)
	require.Equal(t, []string{"VIP", "VIP"}, got)
	require.Zero(t, reads, "kept")
	got, reads, err = lookup()
	require.NoError(t, err)
	require.Equal(t, []string{}, got)
	require.Zero(t, reads, "nothing to look up")

	// Created without a notification: ids unknown to the kept catalog,
	// which is read again, once, to find them all.
	changetest.Unnoticed(t, d, `INSERT INTO customer_groups (id, code, name) VALUES (7, 'new', 'New'), (8, 'newer', 'Newer')`, "customer_groups")
	got, reads, err = lookup(8, vip, 7, 8)
	require.NoError(t, err)
	require.Equal(t, []string{"Newer", "VIP", "New", "Newer"}, got)
	require.Equal(t, int64(1), reads, "one read again")
	require.Equal(t, []string{"New", "Newer", "VIP"}, groupNames(t, c, ctx), "kept from then on")

	_, reads, err = lookup(vip, 99)
	e, ok := apperr.As(err)
	require.True(t, ok, "%v", err)
	require.Equal(t, apperr.NotFound, e.Kind)
	require.Equal(t, "customer group 99 does not exist", e.Message)
	require.Equal(t, int64(1), reads, "one read again, then not found")

	_, err = c.WebsitesByID(ctx, []int64{1, 99})
	e, ok = apperr.As(err)
	require.True(t, ok, "%v", err)
	require.Equal(t, apperr.NotFound, e.Kind)
	require.Equal(t, "website 1 does not exist", e.Message)
}

func TestANewStoreLocaleReordersTheKeptCatalogs(t *testing.T) {
	t.Parallel()
	ctx := auth.AsSystem(context.Background())
	d := dbtest.New(t)
	_, err := catalog.EnsureWebsites(ctx, d, []catalog.Website{{Code: "za", Name: "Z"}, {Code: "äb", Name: "Ä"}})
	require.NoError(t, err)
	// Pooled connections keep their prepared statements, planned with the
	// collation they saw; the cache reads here through connections that
	// prepare nothing, to see the new order at once.
	plain, err := db.Open(ctx, d.Pool.Config().ConnString()+"&default_query_exec_mode=exec")
	require.NoError(t, err)
	t.Cleanup(plain.Close)
	c := catalog.NewCache(plain, changetest.Listen(t, d))
	require.Equal(t, []string{"Ä", "Z"}, websiteNames(t, c, ctx), "ä sorts with a in the root locale")

	_, err = db.UseStoreLocale(ctx, d.DB, "sv-SE")
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		return websiteNames(t, c, ctx)[0] == "Z"
	}, 10*time.Second, 5*time.Millisecond, "ä sorts after z in Swedish")
}
