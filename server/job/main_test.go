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

	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/job"
)

// Environment of a worker process started by the crash test: the test
// binary runs itself as a worker when workerDBEnv is set.
const (
	workerDBEnv           = "SEGMENTS_JOB_TEST_WORKER_DB"
	workerRefreshTimeout  = "SEGMENTS_JOB_TEST_REFRESH_TIMEOUT"
	workerRescueAfterEnv  = "SEGMENTS_JOB_TEST_RESCUE_AFTER"
	workerReadyLine       = "worker ready"
	workerShutdownTimeout = 10 * time.Second
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

// runWorker is a worker process: a job client on the database at url,
// working until it is signalled (or killed).
func runWorker(url string) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	d, err := db.Open(ctx, url)
	if err != nil {
		return err
	}
	defer d.Close()
	refreshTimeout, err := time.ParseDuration(os.Getenv(workerRefreshTimeout))
	if err != nil {
		return err
	}
	rescueAfter, err := time.ParseDuration(os.Getenv(workerRescueAfterEnv))
	if err != nil {
		return err
	}
	c, err := job.NewClient(d, job.Config{
		Logger:               slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo})),
		RefreshTimeout:       refreshTimeout,
		RescueStuckJobsAfter: rescueAfter,
		RetryPolicy:          fastRetry{},
		TimeZone:             tz,
	})
	if err != nil {
		return err
	}
	if err := c.Start(context.WithoutCancel(ctx)); err != nil {
		return err
	}
	fmt.Println(workerReadyLine)
	<-ctx.Done()
	stopCtx, cancel := context.WithTimeout(context.Background(), workerShutdownTimeout)
	defer cancel()
	return c.Stop(stopCtx)
}
