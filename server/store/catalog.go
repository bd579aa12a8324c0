package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/segments/segments/server/db"
)

// Website is one of the merchant's web shops.
type Website struct {
	ID   int64  `db:"id"`
	Code string `db:"code"`
	Name string `db:"name"`
}

// CustomerGroup is a customer group such as General or Wholesale.
type CustomerGroup struct {
	ID   int64  `db:"id"`
	Code string `db:"code"`
	Name string `db:"name"`
}

// Websites returns every website, ordered by code.
func Websites(ctx context.Context, d *db.DB) ([]Website, error) {
	return list[Website](ctx, d, `SELECT id, code, name FROM websites ORDER BY code COLLATE "und-x-icu", id`)
}

// CustomerGroups returns every customer group, ordered by name.
func CustomerGroups(ctx context.Context, d *db.DB) ([]CustomerGroup, error) {
	return list[CustomerGroup](ctx, d, `SELECT id, code, name FROM customer_groups ORDER BY name COLLATE "und-x-icu", id`)
}

func list[T any](ctx context.Context, d *db.DB, sql string, args ...any) ([]T, error) {
	rows, err := d.Pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("read store catalog: %w", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByName[T])
	if err != nil {
		return nil, fmt.Errorf("read store catalog: %w", err)
	}
	return out, nil
}
