package db

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"sort"

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

// Migrate applies every migration not yet applied. It refuses a database
// whose encoding is not UTF8, since customer names and rule values are
// Unicode text compared case-insensitively.
func Migrate(ctx context.Context, db *bun.DB) error {
	var encoding string
	if err := db.NewRaw("SELECT pg_encoding_to_char(encoding) FROM pg_database WHERE datname = current_database()").Scan(ctx, &encoding); err != nil {
		return fmt.Errorf("read database encoding: %w", err)
	}
	if encoding != "UTF8" {
		return fmt.Errorf("database encoding is %s; Segments needs a UTF8 database (CREATE DATABASE ... ENCODING 'UTF8' TEMPLATE template0)", encoding)
	}
	var icu bool
	if err := db.NewRaw(`SELECT EXISTS (SELECT 1 FROM pg_collation WHERE collname = 'und-x-icu')`).Scan(ctx, &icu); err != nil {
		return fmt.Errorf("check ICU collation: %w", err)
	}
	if !icu {
		return fmt.Errorf(`PostgreSQL has no "und-x-icu" collation; Segments needs a server built with ICU (every packaged PostgreSQL 15 is)`)
	}
	m := migrate.NewMigrator(db, migrations())
	if err := m.Init(ctx); err != nil {
		return fmt.Errorf("create migration tables: %w", err)
	}
	if err := m.Lock(ctx); err != nil {
		return fmt.Errorf("lock migrations: %w", err)
	}
	defer m.Unlock(ctx) //nolint:errcheck // unlocking is best effort; the lock row is reclaimed on the next run
	if _, err := m.Migrate(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

// MigrationsHash identifies the migration set, so test templates are rebuilt
// when a migration changes.
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
	return hex.EncodeToString(h.Sum(nil)), nil
}
