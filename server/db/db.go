package db

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
)

// DB is the application's handle on PostgreSQL: bun for ordinary queries and
// the pgx pool under it for COPY and batch work.
type DB struct {
	*bun.DB
	Pool *pgxpool.Pool
}

// Open connects to the database at url. Without pool_max_conns in the URL the
// pool holds at most 20 connections.
func Open(ctx context.Context, url string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("parse database URL: %w", err)
	}
	if !strings.Contains(url, "pool_max_conns") {
		cfg.MaxConns = 20
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect to database: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("connect to database: %w", err)
	}
	return FromPool(pool), nil
}

// FromPool wraps an existing pool.
func FromPool(pool *pgxpool.Pool) *DB {
	sqldb := stdlib.OpenDBFromPool(pool)
	return &DB{DB: bun.NewDB(sqldb, pgdialect.New()), Pool: pool}
}

// Close closes bun's handle and the pool.
func (d *DB) Close() {
	_ = d.DB.Close()
	d.Pool.Close()
}

// SQL returns the database/sql handle for libraries that want one.
func (d *DB) SQL() *sql.DB { return d.DB.DB }
