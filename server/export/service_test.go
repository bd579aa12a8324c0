package export_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gocloud.dev/blob"

	"github.com/segments/segments/server/actor"
	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/customer"
	"github.com/segments/segments/server/db/dbtest"
	"github.com/segments/segments/server/export"
	"github.com/segments/segments/server/job"
	"github.com/segments/segments/server/seed"
	"github.com/segments/segments/server/segment"
)

// service returns an export service on a seeded, refreshed store, and the
// ids of its segments.
func service(t *testing.T, customers int) (*export.Service, []int64) {
	t.Helper()
	ctx := auth.AsSystem(context.Background())
	d := dbtest.New(t)
	res, err := seed.Run(ctx, d, seed.Options{Customers: customers, Orders: customers, Seed: 5, Now: time.Now(), Location: time.UTC})
	require.NoError(t, err)
	_, err = segment.NewRefresher(d).Refresh(ctx, res.SegmentIDs, segment.RefreshOptions{TimeZone: "UTC"})
	require.NoError(t, err)
	bucket, err := export.OpenBucket(ctx, "", t.TempDir())
	require.NoError(t, err)
	t.Cleanup(func() { _ = bucket.Close() })
	return &export.Service{DB: d, Customers: customer.NewLister(d), Bucket: bucket, Location: time.UTC, Retention: time.Hour}, res.SegmentIDs
}

// startJobs starts a job client working s's exports; the returned func
// stops it, giving running exports until ctx ends.
func startJobs(t *testing.T, s *export.Service) func(ctx context.Context) error {
	t.Helper()
	return startJobsWith(t, s, job.Config{})
}

// startJobsWith is startJobs with cfg's settings.
func startJobsWith(t *testing.T, s *export.Service, cfg job.Config) func(ctx context.Context) error {
	t.Helper()
	cfg.Kinds = s.Kinds()
	cfg.Logger = slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	c, err := job.NewClient(s.DB, cfg)
	require.NoError(t, err)
	require.NoError(t, c.Start(auth.AsSystem(context.Background())))
	stopped := false
	t.Cleanup(func() {
		if !stopped {
			ctx, cancel := context.WithTimeout(auth.AsSystem(context.Background()), 10*time.Second)
			defer cancel()
			require.NoError(t, c.Stop(ctx))
		}
	})
	return func(ctx context.Context) error {
		stopped = true
		return c.Stop(ctx)
	}
}

// stopMidway stops the job client working export id without giving it
// time to finish, as a shutdown that cannot wait does, and requires the
// export handed back, unpublished, saying so.
func stopMidway(t *testing.T, svc *export.Service, stop func(ctx context.Context) error, id int64) {
	t.Helper()
	ctx := auth.AsSystem(context.Background())
	stopCtx, cancel := context.WithTimeout(ctx, 10*time.Millisecond)
	defer cancel()
	require.NoError(t, stop(stopCtx))
	e, err := export.Get(ctx, svc.DB, id)
	require.NoError(t, err)
	require.Equal(t, job.Queued, e.State, "handed back, not failed")
	require.NotNil(t, e.Error)
	require.Contains(t, *e.Error, "resumes on the next worker")
	require.NotContains(t, *e.Error, "context")
	require.Nil(t, e.FileKey)
}

func files(t *testing.T, b *blob.Bucket) []string {
	t.Helper()
	var keys []string
	iter := b.List(nil)
	for {
		obj, err := iter.Next(auth.AsSystem(context.Background()))
		if err != nil {
			return keys
		}
		keys = append(keys, obj.Key)
	}
}

func TestAnInterruptedExportIsResumed(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("seeds a store large enough to stop an export midway")
	}
	ctx := auth.AsSystem(context.Background())
	svc, segs := service(t, 30_000)
	stop := startJobs(t, svc)
	id, err := svc.Start(ctx, export.Request{SegmentIDs: segs, Mode: customer.Union, Format: export.FormatExcelXML}, actor.FromAPI)
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		e, err := export.Get(ctx, svc.DB, id)
		return err == nil && e.RowsWritten > 0
	}, 30*time.Second, 5*time.Millisecond)

	// A shutdown that cannot wait for the export hands it back.
	stopMidway(t, svc, stop, id)
	require.Empty(t, files(t, svc.Bucket), "no file, not even a partial one, was published")

	// The next worker writes it whole.
	startJobs(t, svc)
	e, err := export.Wait(ctx, svc.DB, id, 60*time.Second)
	require.NoError(t, err)
	require.Equal(t, job.Succeeded, e.State, "error: %v", e.Error)
	require.Nil(t, e.Error)
	require.Equal(t, *e.RowCount, e.RowsWritten)
	require.Equal(t, []string{*e.FileKey}, files(t, svc.Bucket))
	require.Equal(t, actor.FromAPI, e.RequestedBy)
}

func TestFilesPastRetentionAreDeleted(t *testing.T) {
	t.Parallel()
	ctx := auth.AsSystem(context.Background())
	svc, segs := service(t, 200)
	startJobs(t, svc)
	var ids []int64
	for range 2 {
		id, err := svc.Start(ctx, export.Request{SegmentIDs: segs[:1], Format: export.FormatCSV}, actor.FromAPI)
		require.NoError(t, err)
		e, err := export.Wait(ctx, svc.DB, id, 30*time.Second)
		require.NoError(t, err)
		require.Equal(t, job.Succeeded, e.State)
		ids = append(ids, id)
	}
	_, err := svc.DB.NewUpdate().Model((*export.Export)(nil)).Set("delete_after = now() - interval '1 minute'").Where("id = ?", ids[0]).Exec(ctx)
	require.NoError(t, err)
	n, err := svc.DeleteExpired(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	for i, id := range ids {
		e, err := export.Get(ctx, svc.DB, id)
		require.NoError(t, err)
		exists, err := svc.Bucket.Exists(ctx, export.ObjectKey(id, *e.FileName))
		require.NoError(t, err)
		require.Equal(t, i == 1, exists, "export %d", id)
	}
}

// The command line's export writes its file once, straight where it was
// asked to, readable by its owner only; the bucket is not involved.
func TestExportToAFile(t *testing.T) {
	t.Parallel()
	ctx := auth.AsSystem(context.Background())
	svc, segs := service(t, 300)
	path := filepath.Join(t.TempDir(), "out.csv")
	var started int64
	e, err := svc.ExportTo(ctx, export.Request{SegmentIDs: segs[:2], Mode: customer.Union, Format: export.FormatCSV}, actor.FromCLI, path, job.Config{},
		func(id int64) { started = id })
	require.NoError(t, err)
	require.Equal(t, started, e.ID)
	require.Equal(t, job.Succeeded, e.State)
	require.Equal(t, actor.FromCLI, e.RequestedBy)
	require.Nil(t, e.FileKey, "not in the bucket")
	require.Nil(t, e.JobID, "worked here, not queued")
	require.Empty(t, files(t, svc.Bucket))

	info, err := os.Stat(path)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), info.Mode().Perm())
	body, err := os.ReadFile(path)
	require.NoError(t, err)
	lines := 0
	for _, b := range body {
		if b == '\n' {
			lines++
		}
	}
	require.Equal(t, int(e.RowsWritten)+1, lines, "a header and every row")
	require.Positive(t, e.RowsWritten)
	entries, err := os.ReadDir(filepath.Dir(path))
	require.NoError(t, err)
	require.Len(t, entries, 1, "no temporary file is left behind")

	// A bad request writes nothing.
	bad := filepath.Join(t.TempDir(), "bad.csv")
	_, err = svc.ExportTo(ctx, export.Request{SegmentIDs: []int64{999999}, Format: export.FormatCSV}, actor.FromCLI, bad, job.Config{}, nil)
	require.Error(t, err)
	_, err = os.Stat(bad)
	require.ErrorIs(t, err, os.ErrNotExist)
}

// An export whose request is no longer valid when it runs (a segment
// deleted meanwhile) fails at once, saying why, without retries.
func TestAnExportOfADeletedSegmentFailsAtOnce(t *testing.T) {
	t.Parallel()
	ctx := auth.AsSystem(context.Background())
	svc, segs := service(t, 100)
	id, err := svc.Start(ctx, export.Request{SegmentIDs: segs[:2], Format: export.FormatCSV}, actor.FromAPI)
	require.NoError(t, err)
	_, err = segment.NewManager(svc.DB, job.EnqueueRefresh).Delete(ctx, segs[1:2])
	require.NoError(t, err)

	startJobs(t, svc)
	e, err := export.Wait(ctx, svc.DB, id, 30*time.Second)
	require.NoError(t, err)
	require.Equal(t, job.Failed, e.State)
	require.Contains(t, *e.Error, fmt.Sprintf("%d", segs[1]))
	require.Contains(t, *e.Error, "does not exist")
	var attempt int
	require.NoError(t, svc.DB.NewSelect().Table("river_job").Column("attempt").Where("id = ?", *e.JobID).Scan(ctx, &attempt))
	require.Equal(t, 1, attempt, "not retried")
	require.Empty(t, files(t, svc.Bucket))
}
