package dbtest

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/pgembed"
)

// Replicated is a private PostgreSQL cluster of its own with a streaming
// replica, for tests of the read replica: both are stopped and removed
// when the test ends.
type Replicated struct {
	// Primary is the primary's database "segments", migrated and empty.
	Primary *db.DB
	// PrimaryURL and ReplicaURL reach that database on each server.
	PrimaryURL, ReplicaURL string
	// Standby is the replica's cluster (a hot standby streaming from the
	// primary), for a test that stops it.
	Standby *pgembed.Cluster
}

// NewReplicated starts a primary (pgembed, fast settings), migrates its
// database and makes a streaming replica of it (pg_basebackup -R and a
// second postmaster): what the primary gets from now on streams to the
// replica. It skips the test when the PostgreSQL found has no
// pg_basebackup.
func NewReplicated(t testing.TB) Replicated {
	t.Helper()
	ctx := context.Background()
	primary, err := pgembed.Start(ctx, pgembed.Config{DataDir: clusterDir(t), Fast: true})
	require.NoError(t, err)
	t.Cleanup(func() { _ = primary.Stop() })
	url, err := primary.EnsureDatabase(ctx, "segments")
	require.NoError(t, err)
	d, err := db.Open(ctx, url)
	require.NoError(t, err)
	t.Cleanup(d.Close)
	_, err = db.Migrate(ctx, d.DB, db.DefaultStoreLocale)
	require.NoError(t, err)

	standby, err := pgembed.Start(ctx, pgembed.Config{DataDir: clusterDir(t), Fast: true, ReplicaOf: primary})
	if errors.Is(err, pgembed.ErrNoBaseBackup) {
		t.Skip(err)
	}
	require.NoError(t, err)
	t.Cleanup(func() { _ = standby.Stop() })
	replicaURL, err := standby.EnsureDatabase(ctx, "segments")
	require.NoError(t, err)
	return Replicated{Primary: d, PrimaryURL: url, ReplicaURL: replicaURL, Standby: standby}
}

// clusterDir returns a fresh folder for a private cluster, removed after
// the test. As root the cluster runs as user segments, which must reach
// it (t.TempDir's folders are 0700): else pgembed would keep the cluster
// in /var/lib/segments, which nothing removes.
func clusterDir(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	if os.Geteuid() == 0 {
		require.NoError(t, os.Chmod(filepath.Dir(dir), 0o755))
		require.NoError(t, os.Chmod(dir, 0o755))
	}
	return dir
}
