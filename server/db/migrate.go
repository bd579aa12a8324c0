package db

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"log/slog"
	"sort"
	"strconv"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/migrate"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

func migrations() *migrate.Migrations {
	m := migrate.NewMigrations()
	if err := m.Discover(migrationFiles); err != nil {
		panic(fmt.Sprintf("embedded migrations: %v", err))
	}
	return m
}

// Migrate applies every migration not yet applied: ours, then River's (the
// job queue's tables: river_job, river_leader, ...), then sees that the
// store's collation sorts by storeLocale with its indexes built
// ([UseStoreLocale]; "" keeps the database's locale, the ICU root locale
// in a new database), and says what that did. It refuses a database whose
// encoding is not UTF8, since customer names and rule values are Unicode
// text compared case-insensitively.
func Migrate(ctx context.Context, db *bun.DB, storeLocale string) (LocaleChange, error) {
	var encoding string
	if err := db.NewRaw("SELECT pg_encoding_to_char(encoding) FROM pg_database WHERE datname = current_database()").Scan(ctx, &encoding); err != nil {
		return LocaleChange{}, fmt.Errorf("read database encoding: %w", err)
	}
	if encoding != "UTF8" {
		return LocaleChange{}, fmt.Errorf("database encoding is %s; Segments needs a UTF8 database (CREATE DATABASE ... ENCODING 'UTF8' TEMPLATE template0)", encoding)
	}
	var icu bool
	if err := db.NewRaw(`SELECT EXISTS (SELECT 1 FROM pg_collation WHERE collname = 'und-x-icu')`).Scan(ctx, &icu); err != nil {
		return LocaleChange{}, fmt.Errorf("check ICU collation: %w", err)
	}
	if !icu {
		return LocaleChange{}, fmt.Errorf(`PostgreSQL has no "und-x-icu" collation; Segments needs a server built with ICU (every packaged PostgreSQL 15 is)`)
	}
	m := migrate.NewMigrator(db, migrations())
	if err := m.Init(ctx); err != nil {
		return LocaleChange{}, fmt.Errorf("create migration tables: %w", err)
	}
	if err := m.Lock(ctx); err != nil {
		return LocaleChange{}, fmt.Errorf("lock migrations: %w", err)
	}
	defer m.Unlock(ctx) //nolint:errcheck // unlocking is best effort; the lock row is reclaimed on the next run
	if _, err := m.Migrate(ctx); err != nil {
		return LocaleChange{}, fmt.Errorf("migrate: %w", err)
	}
	if err := migrateRiver(ctx, db.DB); err != nil {
		return LocaleChange{}, fmt.Errorf("migrate job queue: %w", err)
	}
	ch, err := UseStoreLocale(ctx, db, storeLocale)
	if err != nil {
		return LocaleChange{}, fmt.Errorf("store collation: %w", err)
	}
	return ch, nil
}

// Pending names the migrations of this binary that the database has not
// applied: the database is behind the binary, and `segments migrate` (or
// serve, which migrates as it starts) would apply them. Migrations the
// database has and this binary does not know are not pending: a newer
// instance applied them during a rolling upgrade, and migrations only ever
// expand the schema before a later release contracts it, so this binary
// still works on it.
func Pending(ctx context.Context, db *bun.DB) ([]string, error) {
	all, err := migrate.NewMigrator(db, migrations()).MigrationsWithStatus(ctx)
	if err != nil {
		return nil, fmt.Errorf("read applied migrations: %w", err)
	}
	var names []string
	for _, m := range all.Unapplied() {
		names = append(names, m.Name)
	}
	return names, nil
}

// riverMigrateLock is the advisory lock key that serialises River's
// migrations between processes migrating at once.
const riverMigrateLock = 0x5e6d_2e7a_0001

func riverMigrator() (*rivermigrate.Migrator[pgx.Tx], error) {
	return rivermigrate.New(riverpgxv5.New(nil), &rivermigrate.Config{Logger: slog.New(slog.DiscardHandler)})
}

// migrateRiver applies River's migrations on a pgx connection taken from
// sqldb (bun runs over pgx's database/sql driver, here and in the
// test-database helper), each in its own transaction as River requires (one
// adds an enum value that the next uses), under a session advisory lock so
// that processes migrating at once take turns.
func migrateRiver(ctx context.Context, sqldb *sql.DB) error {
	m, err := riverMigrator()
	if err != nil {
		return err
	}
	conn, err := sqldb.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(driverConn any) error {
		c, ok := driverConn.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("River's migrations need the pgx database/sql driver, not %T", driverConn)
		}
		pc := c.Conn()
		if _, err := pc.Exec(ctx, `SELECT pg_advisory_lock($1)`, int64(riverMigrateLock)); err != nil {
			return err
		}
		defer pc.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, int64(riverMigrateLock)) //nolint:errcheck // the lock ends with the session anyway
		for {
			var applied int
			err := pgx.BeginFunc(ctx, pc, func(tx pgx.Tx) error {
				res, err := m.MigrateTx(ctx, tx, rivermigrate.DirectionUp, &rivermigrate.MigrateOpts{MaxSteps: 1})
				if err != nil {
					return err
				}
				applied = len(res.Versions)
				return nil
			})
			if err != nil || applied == 0 {
				return err
			}
		}
	})
}

// MigrationsHash identifies the migration set, River's and the store
// collation's indexes included, so test templates are rebuilt when a
// migration changes.
func MigrationsHash() (string, error) {
	h := sha256.New()
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return "", err
	}
	sort.Strings(names)
	for _, n := range names {
		b, err := migrationFiles.ReadFile(n)
		if err != nil {
			return "", err
		}
		h.Write([]byte(n))
		h.Write(b)
	}
	m, err := riverMigrator()
	if err != nil {
		return "", err
	}
	for _, ix := range storeIndexes {
		h.Write([]byte("index/" + ix.name + " " + ix.def))
	}
	for _, v := range m.AllVersions() {
		h.Write([]byte("river/" + strconv.Itoa(v.Version)))
		h.Write([]byte(v.SQLUp))
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
