package customer

import (
	"context"

	"github.com/segments/segments/server/catalog"
	"github.com/segments/segments/server/country"
)

// WithCatalog returns a copy of l that fills each listed customer's group
// and website from c (the server's cache, emptied when either table
// changes) instead of reading the catalogs for every page.
func (l *Lister) WithCatalog(c *catalog.Cache) *Lister {
	out := *l
	out.catalog = c
	return &out
}

// fill sets each customer's Group and Website from the catalogs, one
// lookup each for the whole page: with the cache, a page costs no
// statement for them, and the API resolves both as plain fields, without a
// goroutine per row.
func (l *Lister) fill(ctx context.Context, cs []Customer) error {
	if len(cs) == 0 {
		return nil
	}
	websiteIDs, groupIDs := make([]int64, len(cs)), make([]int64, len(cs))
	for i := range cs {
		websiteIDs[i], groupIDs[i] = cs[i].WebsiteID, cs[i].GroupID
	}
	ws, err := l.catalog.WebsitesByID(ctx, websiteIDs)
	if err != nil {
		return err
	}
	gs, err := l.catalog.CustomerGroupsByID(ctx, groupIDs)
	if err != nil {
		return err
	}
	for i := range cs {
		cs[i].Website, cs[i].Group = ws[i], gs[i]
	}
	return nil
}

// CountryEntry is the customer's country as the API shows it (code and
// English name), nil when unknown. The API's country field resolves to it.
func (c *Customer) CountryEntry() *country.Country {
	if c.Country == nil {
		return nil
	}
	return country.Lookup(*c.Country)
}
