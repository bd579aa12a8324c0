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

// fill sets each customer's Group and Website from one read of the
// catalogs: with the cache, a page costs no statement for them, and the
// API resolves both as plain fields, without a goroutine per row.
func (l *Lister) fill(ctx context.Context, cs []Customer) error {
	if len(cs) == 0 {
		return nil
	}
	ws, err := l.catalog.Websites(ctx)
	if err != nil {
		return err
	}
	gs, err := l.catalog.CustomerGroups(ctx)
	if err != nil {
		return err
	}
	for i := range cs {
		c := &cs[i]
		// A miss is a row created after the kept catalog was read: the
		// cache reads it again (once) to find it.
		if c.Website = ws.Get(c.WebsiteID); c.Website == nil {
			if c.Website, err = l.catalog.Website(ctx, c.WebsiteID); err != nil {
				return err
			}
		}
		if c.Group = gs.Get(c.GroupID); c.Group == nil {
			if c.Group, err = l.catalog.CustomerGroup(ctx, c.GroupID); err != nil {
				return err
			}
		}
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
