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

// DB is the application's one handle on PostgreSQL, passed to every domain
// package. The embedded *bun.DB is the data layer: bun models with bun's
// query builder for ordinary reads and writes, and [Select], [Get], [Exec]
// and [Query] for hand-built statements with bind parameters ([Args]).
// Pool is the same connections as pgx sees them, for COPY streams and
// River's driver only.
//
// A DB may have a read side, a streaming replica ([DB.UseReplica]): the
// report's reads go through [DB.Read], which picks the server; everything
// else runs on the primary, as without one.
type DB struct {
	*bun.DB
	Pool *pgxpool.Pool

	// read is the replica; nil without one.
	read *replica
}

// Open connects to the database at url. Without pool_max_conns in the URL the
// pool holds at most 20 connections. Each configure func may adjust the
// pool's settings before it connects (trace.Provider.ConfigurePool adds SQL
// spans).
func Open(ctx context.Context, url string, configure ...func(*pgxpool.Config)) (*DB, error) {
	d, err := open(ctx, url, configure...)
	if err != nil {
		return nil, err
	}
	if err := d.Pool.Ping(ctx); err != nil {
		d.Close()
		return nil, fmt.Errorf("connect to database: %w", err)
	}
	return d, nil
}

// open makes the pool and handle for url without connecting yet; each
// adjust func changes the pool's settings first.
func open(ctx context.Context, url string, adjust ...func(*pgxpool.Config)) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("parse database URL: %w", err)
	}
	if !strings.Contains(url, "pool_max_conns") {
		cfg.MaxConns = 20
	}
	for _, c := range adjust {
		c(cfg)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect to database: %w", err)
	}
	return FromPool(pool), nil
}

// FromPool wraps an existing pool. Close the DB, not the pool: the
// database/sql handle keeps idle connections acquired from the pool, and
// the pool's Close waits for them.
func FromPool(pool *pgxpool.Pool) *DB {
	sqldb := stdlib.OpenDBFromPool(pool)
	// database/sql keeps two idle connections by default and hands the rest
	// back to the pool after each use, paying a new driver connection for
	// the next statement; one request (a page, its count, its catalogs)
	// uses more. Keep half the pool idle here: the other half stays free
	// for COPY streams and River, which take theirs from the pool directly.
	sqldb.SetMaxIdleConns(max(2, int(pool.Config().MaxConns)/2))
	bdb := bun.NewDB(sqldb, pgdialect.New())
	bdb.AddQueryHook(shareHook{})
	return &DB{DB: bdb, Pool: pool}
}

// Close closes bun's handle and the pool, and the replica's.
func (d *DB) Close() {
	if d.read != nil {
		d.read.db.Close()
	}
	_ = d.DB.Close()
	d.Pool.Close()
}

// SQL returns the database/sql handle for libraries that want one.
func (d *DB) SQL() *sql.DB { return d.DB.DB }
