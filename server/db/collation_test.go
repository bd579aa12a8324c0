package db_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/db/dbtest"
)

var allStoreIndexes = []string{"customers_email", "customers_name", "customers_phone", "customers_region", "customers_zip", "segments_name"}

// collatedIndexes lists the indexes that sort by the store's collation.
func collatedIndexes(t *testing.T, d *db.DB) []string {
	t.Helper()
	var names []string
	require.NoError(t, db.Select(context.Background(), d, &names, `SELECT i.indexrelid::regclass::text FROM pg_index i
		WHERE (SELECT c.oid FROM pg_collation c WHERE c.collname = 'segments_store') = ANY (i.indcollation) ORDER BY 1`))
	return names
}

// sorted returns names in the store collation's order. The statement is
// not prepared: a session's prepared statement that names no table keeps
// the collation it was planned with.
func sorted(t *testing.T, d *db.DB, names ...string) []string {
	t.Helper()
	rows, err := d.Pool.Query(context.Background(), `SELECT n FROM unnest($1::text[]) n ORDER BY n COLLATE `+db.Collation,
		pgx.QueryExecModeSimpleProtocol, names)
	require.NoError(t, err)
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	require.NoError(t, err)
	return out
}

func TestParseStoreLocale(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"": "und", "und": "und", "sv-SE": "sv-SE", "sv_se": "sv-SE", " de-DE ": "de-DE", "de-u-co-phonebk": "de-u-co-phonebk"} {
		got, err := db.ParseStoreLocale(in)
		require.NoError(t, err, in)
		require.Equal(t, want, got, in)
	}
	for _, in := range []string{"xx", "sv-SE'", "sv SE", "Swedish", "sv-SE;DROP"} {
		_, err := db.ParseStoreLocale(in)
		require.Error(t, err, in)
	}
}

func TestStoreLocaleSwitchRebuildsTheSortIndexes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := dbtest.New(t)
	names := []string{"Östen", "Zeta", "Ärlig", "Adam", "Åkesson"}

	// A new database sorts by ICU's root locale, its indexes built.
	locale, err := db.StoreLocale(ctx, d)
	require.NoError(t, err)
	require.Equal(t, "und", locale)
	require.Equal(t, allStoreIndexes, collatedIndexes(t, d))
	require.Equal(t, []string{"Adam", "Åkesson", "Ärlig", "Östen", "Zeta"}, sorted(t, d, names...))

	// The same locale again changes nothing.
	ch, err := db.UseStoreLocale(ctx, d.DB, "und")
	require.NoError(t, err)
	require.Equal(t, db.LocaleChange{From: "und", To: "und", Took: ch.Took}, ch)

	ch, err = db.UseStoreLocale(ctx, d.DB, "sv-SE")
	require.NoError(t, err)
	require.True(t, ch.Rebuilt)
	require.Equal(t, "und", ch.From)
	require.Equal(t, "sv-SE", ch.To)
	require.ElementsMatch(t, allStoreIndexes, ch.Indexes)
	require.Equal(t, allStoreIndexes, collatedIndexes(t, d))
	require.Equal(t, []string{"Adam", "Zeta", "Åkesson", "Ärlig", "Östen"}, sorted(t, d, names...))
	locale, err = db.StoreLocale(ctx, d)
	require.NoError(t, err)
	require.Equal(t, "sv-SE", locale)

	// "" keeps the database's locale, as commands other than serve and
	// migrate do.
	ch, err = db.UseStoreLocale(ctx, d.DB, "")
	require.NoError(t, err)
	require.False(t, ch.Rebuilt)
	require.Empty(t, ch.Indexes)
	require.Equal(t, "sv-SE", ch.To)

	// A language this PostgreSQL's ICU has no collation for is refused,
	// and the collation stays as it was.
	_, err = db.UseStoreLocale(ctx, d.DB, "tlh")
	require.ErrorContains(t, err, `STORE_LOCALE "tlh": this PostgreSQL's ICU has no collation for the language "tlh"`)
	require.Equal(t, []string{"Adam", "Zeta", "Åkesson", "Ärlig", "Östen"}, sorted(t, d, names...))
	require.Equal(t, allStoreIndexes, collatedIndexes(t, d))

	ch, err = db.UseStoreLocale(ctx, d.DB, "und")
	require.NoError(t, err)
	require.True(t, ch.Rebuilt)
	require.Equal(t, []string{"Adam", "Åkesson", "Ärlig", "Östen", "Zeta"}, sorted(t, d, names...))
}

func TestMigrateMovesOldIndexesToTheStoreCollation(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := dbtest.New(t)
	// A database from before the store had its own collation: its name
	// index sorts by the ICU root collation.
	_, err := db.Exec(ctx, d, `DROP INDEX customers_name;
		CREATE INDEX customers_name ON customers (last_name COLLATE "und-x-icu", first_name COLLATE "und-x-icu", id)`)
	require.NoError(t, err)

	ch, err := db.Migrate(ctx, d.DB, "")
	require.NoError(t, err)
	require.False(t, ch.Rebuilt)
	require.Equal(t, []string{"customers_name"}, ch.Indexes)
	require.Equal(t, allStoreIndexes, collatedIndexes(t, d))
}
