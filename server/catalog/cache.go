package catalog

import (
	"context"

	"github.com/uptrace/bun"

	"github.com/segments/segments/server/apperr"
	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/change"
)

// Cache keeps every website and customer group in memory, read once and
// again only after the table changed (on any instance: change.Websites and
// change.CustomerGroups). A drill-down page takes each row's group and
// website from here instead of a statement of its own.
//
// What it returns is shared by every caller: read it, never change it.
type Cache struct {
	websites *change.Value[*Index[Website]]
	groups   *change.Value[*Index[CustomerGroup]]
}

// Index is one read of a catalog: its rows in display order, and by id.
type Index[T any] struct {
	list []*T
	byID map[int64]*T
}

func newIndex[T any](rows []T, id func(*T) int64) *Index[T] {
	ix := &Index[T]{list: make([]*T, len(rows)), byID: make(map[int64]*T, len(rows))}
	for i := range rows {
		ix.list[i] = &rows[i]
		ix.byID[id(&rows[i])] = &rows[i]
	}
	return ix
}

// All returns the rows in display order.
func (ix *Index[T]) All() []*T { return ix.list }

// Get returns the row with id, nil if there is none.
func (ix *Index[T]) Get(id int64) *T { return ix.byID[id] }

// NewCache returns a cache of idb's catalogs emptied by l's notifications.
// With a nil l nothing is kept: every read is a statement, as without a
// cache.
func NewCache(idb bun.IDB, l *change.Listener) *Cache {
	return &Cache{
		websites: change.NewValue(l, func(ctx context.Context) (*Index[Website], error) {
			// Every website, whoever asked first; each reader's scope
			// filters what it shows.
			ws, err := Websites(auth.AsSystem(ctx), idb)
			return newIndex(ws, func(w *Website) int64 { return w.ID }), err
		}, change.Websites),
		groups: change.NewValue(l, func(ctx context.Context) (*Index[CustomerGroup], error) {
			gs, err := CustomerGroups(ctx, idb)
			return newIndex(gs, func(g *CustomerGroup) int64 { return g.ID }), err
		}, change.CustomerGroups),
	}
}

// Websites returns every website, whatever ctx's scope (callers check it
// where it matters), in the order of the package's Websites.
func (c *Cache) Websites(ctx context.Context) (*Index[Website], error) {
	return c.websites.Get(ctx)
}

// CustomerGroups returns every customer group, in the order of the
// package's CustomerGroups.
func (c *Cache) CustomerGroups(ctx context.Context) (*Index[CustomerGroup], error) {
	return c.groups.Get(ctx)
}

// VisibleWebsites returns the websites of ctx's scope, in order: what the
// package's Websites reads, without the statement.
func (c *Cache) VisibleWebsites(ctx context.Context) ([]*Website, error) {
	ix, err := c.websites.Get(ctx)
	if err != nil {
		return nil, err
	}
	scope := auth.ScopeOf(ctx)
	if scope.IsAll() {
		return ix.list, nil
	}
	out := []*Website{}
	for _, w := range ix.list {
		if scope.Has(w.ID) {
			out = append(out, w)
		}
	}
	return out, nil
}

// WebsitesByID returns the websites with ids, in that order, whatever
// ctx's scope: the one way to turn a row's website ids into websites. They
// come from the kept catalog; when it lacks any of them (a website created
// a moment ago, its notification still on the way) the catalog is read
// again, once, for all of them, and an id still unknown is NOT_FOUND. Pass
// every id of a page in one call: without a kept catalog (a nil listener),
// each call is a statement.
func (c *Cache) WebsitesByID(ctx context.Context, ids []int64) ([]*Website, error) {
	return byID(ctx, c.websites, ids, "website")
}

// CustomerGroupsByID is WebsitesByID for customer groups.
func (c *Cache) CustomerGroupsByID(ctx context.Context, ids []int64) ([]*CustomerGroup, error) {
	return byID(ctx, c.groups, ids, "customer group")
}

func byID[T any](ctx context.Context, v *change.Value[*Index[T]], ids []int64, what string) ([]*T, error) {
	out := make([]*T, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	for try := 0; ; try++ {
		ix, err := v.Get(ctx)
		if err != nil {
			return nil, err
		}
		missing := -1 // the first of ids ix lacks
		for i, id := range ids {
			if out[i] = ix.Get(id); out[i] == nil {
				missing = i
				break
			}
		}
		if missing < 0 {
			return out, nil
		}
		if try > 0 {
			return nil, apperr.Missing("%s %d does not exist", what, ids[missing])
		}
		v.Invalidate()
	}
}
