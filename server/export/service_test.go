package export_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/customer"
	"github.com/segments/segments/server/db/dbtest"
	"github.com/segments/segments/server/export"
	"github.com/segments/segments/server/seed"
	"github.com/segments/segments/server/segment"
)

func TestAFailedExportPublishesNothing(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("seeds a store large enough to stop an export midway")
	}
	ctx := context.Background()
	d := dbtest.New(t)
	res, err := seed.Run(ctx, d, seed.Options{Customers: 30_000, Orders: 30_000, Seed: 5, Now: time.Now(), Location: time.UTC})
	require.NoError(t, err)
	_, err = segment.NewRefresher(d).Refresh(ctx, res.SegmentIDs, segment.RefreshOptions{TimeZone: "UTC"})
	require.NoError(t, err)
	bucket, err := export.OpenBucket(ctx, "", t.TempDir())
	require.NoError(t, err)
	svc := &export.Service{DB: d, Customers: customer.NewLister(d), Bucket: bucket, Location: time.UTC, Retention: time.Hour}

	var id int64
	require.NoError(t, pgx.BeginFunc(ctx, d.Pool, func(tx pgx.Tx) (err error) {
		id, err = svc.Create(ctx, tx, export.Request{SegmentIDs: res.SegmentIDs, Mode: customer.Union, Format: export.FormatExcelXML}, "test")
		return err
	}))

	// Stop the export once it has written rows, as a timeout or a shutdown would.
	runCtx, cancel := context.WithCancel(ctx)
	go func() {
		defer cancel()
		for runCtx.Err() == nil {
			e, err := export.Get(ctx, d.Pool, id)
			if err == nil && e.RowsWritten > 0 {
				return
			}
			time.Sleep(5 * time.Millisecond)
		}
	}()
	err = svc.Run(runCtx, id)
	require.Error(t, err)

	e, err := export.Get(ctx, d.Pool, id)
	require.NoError(t, err)
	require.Equal(t, export.StateFailed, e.State)
	require.NotNil(t, e.Error)
	require.Positive(t, e.RowsWritten, "it failed midway")
	require.Nil(t, e.FileKey)
	iter := bucket.List(nil)
	obj, err := iter.Next(ctx)
	require.Nil(t, obj, "no file, not even a partial one, was published")
	require.Error(t, err)
}

func TestFilesPastRetentionAreDeleted(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := dbtest.New(t)
	res, err := seed.Run(ctx, d, seed.Options{Customers: 200, Orders: 400, Seed: 5, Now: time.Now(), Location: time.UTC})
	require.NoError(t, err)
	_, err = segment.NewRefresher(d).Refresh(ctx, res.SegmentIDs, segment.RefreshOptions{TimeZone: "UTC"})
	require.NoError(t, err)
	bucket, err := export.OpenBucket(ctx, "", t.TempDir())
	require.NoError(t, err)
	svc := &export.Service{DB: d, Customers: customer.NewLister(d), Bucket: bucket, Location: time.UTC, Retention: time.Hour}
	var ids []int64
	for range 2 {
		var id int64
		require.NoError(t, pgx.BeginFunc(ctx, d.Pool, func(tx pgx.Tx) (err error) {
			id, err = svc.Create(ctx, tx, export.Request{SegmentIDs: res.SegmentIDs[:1], Format: export.FormatCSV}, "test")
			return err
		}))
		require.NoError(t, svc.Run(ctx, id))
		ids = append(ids, id)
	}
	_, err = d.Pool.Exec(ctx, `UPDATE exports SET delete_after = now() - interval '1 minute' WHERE id = $1`, ids[0])
	require.NoError(t, err)
	n, err := svc.DeleteExpired(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	for i, id := range ids {
		e, err := export.Get(ctx, d.Pool, id)
		require.NoError(t, err)
		exists, err := bucket.Exists(ctx, export.ObjectKey(id, *e.FileName))
		require.NoError(t, err)
		require.Equal(t, i == 1, exists, "export %d", id)
	}
}
