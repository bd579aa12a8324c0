package customer_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/catalog"
	"github.com/segments/segments/server/change/changetest"
	"github.com/segments/segments/server/customer"
	"github.com/segments/segments/server/page"
	"github.com/segments/segments/server/segment/scopetest"
)

func TestAPageCarriesEachCustomersGroupWebsiteAndCountry(t *testing.T) {
	t.Parallel()
	s := scopetest.New(t)
	ctx := auth.AsSystem(context.Background())
	cached := customer.NewLister(s.DB).WithCatalog(catalog.NewCache(s.DB, changetest.Listen(t, s.DB)))
	first := 4
	q := customer.Query{SegmentIDs: []int64{s.MixedAB}, Mode: customer.Union}
	for _, l := range []*customer.Lister{customer.NewLister(s.DB), cached} {
		p, err := l.List(ctx, q, page.Args{First: &first})
		require.NoError(t, err)
		require.Len(t, p.Customers, 4)
		for _, c := range p.Customers {
			require.Equal(t, "Alpha", c.Website.Name)
			require.Equal(t, c.WebsiteID, c.Website.ID)
			require.Equal(t, "General", c.Group.Name)
			want := map[string]string{"SE": "Sweden", "NO": "Norway"}[*c.Country]
			require.Equal(t, want, c.CountryEntry().Name)
		}
	}

	// A group made and given to a customer without a notification (as if
	// it were still on its way): the page finds it all the same.
	changetest.Unnoticed(t, s.DB, `WITH g AS (INSERT INTO customer_groups (id, code, name) VALUES (77, 'new', 'Newcomers') RETURNING id)
		UPDATE customers SET group_id = (SELECT id FROM g), country = NULL WHERE id = 1`, "customer_groups")
	p, err := cached.List(ctx, q, page.Args{First: &first})
	require.NoError(t, err)
	require.Equal(t, int64(1), p.Customers[0].ID)
	require.Equal(t, "Newcomers", p.Customers[0].Group.Name)
	require.Nil(t, p.Customers[0].CountryEntry())
	require.Equal(t, "General", p.Customers[1].Group.Name)
}
