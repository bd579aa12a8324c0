package catalog

import (
	"context"
	"fmt"
	"slices"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"github.com/segments/segments/server/auth"
)

// Website is one of the merchant's web shops.
type Website struct {
	bun.BaseModel `bun:"table:websites,alias:w"`

	ID   int64  `bun:"id,pk,autoincrement"`
	Code string `bun:"code"`
	Name string `bun:"name"`
}

// CustomerGroup is a customer group such as General or Wholesale.
type CustomerGroup struct {
	bun.BaseModel `bun:"table:customer_groups,alias:g"`

	ID   int64  `bun:"id,pk,autoincrement"`
	Code string `bun:"code"`
	Name string `bun:"name"`
}

// Websites returns the websites ctx's principal sees (every website, or
// those of its scope; none without a principal), ordered by code (in the
// store's collation, as the report sorts text).
func Websites(ctx context.Context, idb bun.IDB) ([]Website, error) {
	out := []Website{}
	q := idb.NewSelect().Model(&out).OrderExpr(`w.code COLLATE "segments_store", w.id`)
	if scope := auth.ScopeOf(ctx); !scope.IsAll() {
		q = q.Where("w.id = ANY(?)", pgdialect.Array(scope.IDs()))
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("read websites: %w", err)
	}
	return out, nil
}

// CustomerGroups returns every customer group, ordered by name.
func CustomerGroups(ctx context.Context, idb bun.IDB) ([]CustomerGroup, error) {
	var out []CustomerGroup
	if err := idb.NewSelect().Model(&out).OrderExpr(`g.name COLLATE "segments_store", g.id`).Scan(ctx); err != nil {
		return nil, fmt.Errorf("read customer groups: %w", err)
	}
	return out, nil
}

// CreateWebsites creates the websites of codes that do not exist yet,
// each named after its code, and returns the codes it created, sorted.
func CreateWebsites(ctx context.Context, idb bun.IDB, codes []string) ([]string, error) {
	rows := make([]Website, 0, len(codes))
	for _, c := range sortedCodes(codes) {
		rows = append(rows, Website{Code: c, Name: c})
	}
	return create(ctx, idb, &rows, "websites")
}

// CreateCustomerGroups creates the customer groups of codes that do not
// exist yet, each named after its code, and returns the codes it created,
// sorted.
func CreateCustomerGroups(ctx context.Context, idb bun.IDB, codes []string) ([]string, error) {
	rows := make([]CustomerGroup, 0, len(codes))
	for _, c := range sortedCodes(codes) {
		rows = append(rows, CustomerGroup{Code: c, Name: c})
	}
	return create(ctx, idb, &rows, "customer groups")
}

// EnsureWebsites makes sure a website with each code of ws exists, creating
// missing ones with the given name (an existing one keeps its name), and
// returns their ids in the order of ws.
func EnsureWebsites(ctx context.Context, idb bun.IDB, ws []Website) ([]int64, error) {
	return ensure(ctx, idb, ws, "websites", func(w Website) (string, int64) { return w.Code, w.ID })
}

// EnsureCustomerGroups is EnsureWebsites for customer groups.
func EnsureCustomerGroups(ctx context.Context, idb bun.IDB, gs []CustomerGroup) ([]int64, error) {
	return ensure(ctx, idb, gs, "customer groups", func(g CustomerGroup) (string, int64) { return g.Code, g.ID })
}

// ensure creates the rows whose code is not taken and returns the ids of
// all of them, in order; key gives a row's code and id.
func ensure[T any](ctx context.Context, idb bun.IDB, want []T, what string, key func(T) (string, int64)) ([]int64, error) {
	rows := slices.Clone(want)
	if _, err := create(ctx, idb, &rows, what); err != nil {
		return nil, err
	}
	codes := make([]string, len(want))
	for i, w := range want {
		codes[i], _ = key(w)
	}
	var have []T
	if err := idb.NewSelect().Model(&have).Where("code IN (?)", bun.In(codes)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("read %s: %w", what, err)
	}
	byCode := make(map[string]int64, len(have))
	for _, h := range have {
		c, id := key(h)
		byCode[c] = id
	}
	ids := make([]int64, len(want))
	for i, c := range codes {
		id, ok := byCode[c]
		if !ok {
			return nil, fmt.Errorf("%s %q is missing after it was created", what, c)
		}
		ids[i] = id
	}
	return ids, nil
}

// create inserts the rows (a pointer to a slice of models) whose code is
// not taken, in slice order, and returns the codes inserted, sorted. A code
// another transaction creates meanwhile is skipped, not an error.
func create[T any](ctx context.Context, idb bun.IDB, rows *[]T, what string) ([]string, error) {
	if len(*rows) == 0 {
		return nil, nil
	}
	var created []string
	if err := idb.NewInsert().Model(rows).On("CONFLICT (code) DO NOTHING").Returning("code").Scan(ctx, &created); err != nil {
		return nil, fmt.Errorf("create %s: %w", what, err)
	}
	slices.Sort(created)
	return created, nil
}

// sortedCodes returns codes sorted, once each: ids are handed out in code
// order, the same whatever the order of the file.
func sortedCodes(codes []string) []string {
	out := slices.Clone(codes)
	slices.Sort(out)
	return slices.Compact(out)
}

// MarkDataChanged stamps the store's data as changed now
// (store_state.data_changed_at), in the caller's transaction, so segments
// computed before show as stale. clock_timestamp(), not now(): callers run
// it last, so a refresh whose snapshot predates their commit also started
// before the stamp and is flagged stale.
func MarkDataChanged(ctx context.Context, idb bun.IDB) error {
	if _, err := idb.NewUpdate().Table("store_state").Set("data_changed_at = clock_timestamp()").Where("TRUE").Exec(ctx); err != nil {
		return fmt.Errorf("mark store data changed: %w", err)
	}
	return nil
}
