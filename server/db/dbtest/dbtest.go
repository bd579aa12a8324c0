// Package dbtest gives each test its own PostgreSQL database, cloned from a
// template that has every migration applied.
//
// It needs DATABASE_URL to point at a server where it may create roles and
// databases; `make test` starts an embedded cluster and sets it.
package dbtest

import (
	"context"
	"database/sql"
	"net/url"
	"os"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/peterldowns/pgtestdb"
	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver pgtestdb opens

	"github.com/segments/segments/server/db"
)

// New returns a fresh, migrated database for t, dropped when t passes.
func New(t testing.TB) *db.DB {
	t.Helper()
	conf := pgtestdb.Custom(t, serverConfig(t), migrator{})
	d, err := db.Open(context.Background(), conf.URL())
	require.NoError(t, err)
	t.Cleanup(d.Close)
	return d
}

// URL returns the connection URL of a fresh, migrated database for t, for
// tests that start a whole process against it.
func URL(t testing.TB) string {
	t.Helper()
	return pgtestdb.Custom(t, serverConfig(t), migrator{}).URL()
}

// Counted returns a fresh, migrated database for t, as New does, and the
// number of statements sent on it so far: a test reads it before and after
// a call to hold the call to its round trips.
func Counted(t testing.TB) (*db.DB, *atomic.Int64) {
	t.Helper()
	cfg, err := pgxpool.ParseConfig(URL(t))
	require.NoError(t, err)
	c := &counter{}
	cfg.ConnConfig.Tracer = c
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	require.NoError(t, err)
	d := db.FromPool(pool)
	t.Cleanup(d.Close)
	return d, &c.n
}

// counter counts the statements a pool sends.
type counter struct{ n atomic.Int64 }

func (c *counter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	c.n.Add(1)
	return ctx
}

func (c *counter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

func serverConfig(t testing.TB) pgtestdb.Config {
	raw := os.Getenv("DATABASE_URL")
	if raw == "" {
		t.Fatal("DATABASE_URL is not set: run the tests with `make test`, which starts a PostgreSQL for them")
	}
	u, err := url.Parse(raw)
	require.NoError(t, err, "DATABASE_URL")
	pw, _ := u.User.Password()
	q := u.Query()
	host := u.Hostname()
	if h := q.Get("host"); h != "" { // a Unix socket directory
		host = h
	}
	q.Del("host")
	port := u.Port()
	if port == "" {
		port = "5432"
	}
	dbname := "postgres"
	if len(u.Path) > 1 {
		dbname = u.Path[1:]
	}
	return pgtestdb.Config{
		DriverName: "pgx",
		Host:       host,
		Port:       port,
		User:       u.User.Username(),
		Password:   pw,
		Database:   dbname,
		Options:    q.Encode(),
	}
}

type migrator struct{}

func (migrator) Hash() (string, error) { return db.MigrationsHash() }

func (migrator) Migrate(ctx context.Context, sqldb *sql.DB, _ pgtestdb.Config) error {
	_, err := db.Migrate(ctx, bun.NewDB(sqldb, pgdialect.New()), db.DefaultStoreLocale)
	return err
}
