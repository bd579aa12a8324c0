package db_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/db/dbtest"
)

// TestPending: a database behind the binary has pending migrations; one
// ahead of it (a newer instance migrated it during a rolling upgrade) has
// none.
func TestPending(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := dbtest.New(t)
	pending, err := db.Pending(ctx, d.DB)
	require.NoError(t, err)
	require.Empty(t, pending)

	// Ahead: a migration this binary does not know.
	_, err = db.Exec(ctx, d, `INSERT INTO bun_migrations (name, group_id) VALUES ('29991231000000_from_a_newer_release', 999)`)
	require.NoError(t, err)
	pending, err = db.Pending(ctx, d.DB)
	require.NoError(t, err)
	require.Empty(t, pending)

	// Behind: the latest migration not applied.
	var last string
	require.NoError(t, db.Get(ctx, d, `SELECT max(name) FROM bun_migrations WHERE name < '2999'`, nil, &last))
	_, err = db.Exec(ctx, d, `DELETE FROM bun_migrations WHERE name = $1`, last)
	require.NoError(t, err)
	pending, err = db.Pending(ctx, d.DB)
	require.NoError(t, err)
	require.Equal(t, []string{last}, pending)
}
