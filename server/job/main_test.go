package job_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"testing"
	"time"

	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/customer"
	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/export"
	"github.com/segments/segments/server/job"
)

// Environment of a worker process started by the crash tests: the test
// binary runs itself as a worker when workerDBEnv is set.
const (
	workerDBEnv     = "SEGMENTS_JOB_TEST_WORKER_DB"
	workerBucketEnv = "SEGMENTS_JOB_TEST_BUCKET"
	workerGraceEnv  = "SEGMENTS_JOB_TEST_GRACE"
	workerReadyLine = "worker ready"
)

func TestMain(m *testing.M) {
	if url := os.Getenv(workerDBEnv); url != "" {
		if err := runWorker(url); err != nil {
			fmt.Fprintln(os.Stderr, "worker:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// runWorker is a worker process as `segments serve` runs one: a job client
// with the default heartbeat on the database at url, working refreshes and
// exports (into the bucket directory workerBucketEnv names) until it is
// signalled, then given the grace period workerGraceEnv names to stop (or
// killed).
func runWorker(url string) error {
	ctx, stop := signal.NotifyContext(auth.AsSystem(context.Background()), os.Interrupt, syscall.SIGTERM)
	defer stop()
	d, err := db.Open(ctx, url)
	if err != nil {
		return err
	}
	defer d.Close()
	grace, err := time.ParseDuration(os.Getenv(workerGraceEnv))
	if err != nil {
		return err
	}
	bucket, err := export.OpenBucket(ctx, "", os.Getenv(workerBucketEnv))
	if err != nil {
		return err
	}
	defer bucket.Close()
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return err
	}
	exports := &export.Service{DB: d, Customers: customer.NewLister(d), Bucket: bucket, Location: loc, Retention: time.Hour}
	c, err := job.NewClient(d, job.Config{
		Logger:      slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo})),
		RetryPolicy: fastRetry{},
		TimeZone:    tz,
		Kinds:       exports.Kinds(),
	})
	if err != nil {
		return err
	}
	if err := c.Start(context.WithoutCancel(ctx)); err != nil {
		return err
	}
	fmt.Println(workerReadyLine)
	<-ctx.Done()
	stopCtx, cancel := context.WithTimeout(auth.AsSystem(context.Background()), grace)
	defer cancel()
	return c.Stop(stopCtx)
}
