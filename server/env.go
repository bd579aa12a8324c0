package main

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/segments/segments/server/audit"
	"github.com/segments/segments/server/customer"
	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/export"
	"github.com/segments/segments/server/job"
	"github.com/segments/segments/server/metric"
	"github.com/segments/segments/server/pgembed"
	"github.com/segments/segments/server/segment"
	"github.com/segments/segments/server/trace"
)

// env is what a command runs with: its config, the logger, and the database
// (the configured one, or a private cluster started on first use).
type env struct {
	cfg           *config
	log           *slog.Logger
	stdio         stdio
	cluster       *pgembed.Cluster
	db            *db.DB
	exportService *export.Service
	// stops run at close, last first, before the database goes.
	stops []func()
	// setsLocale says the command applies STORE_LOCALE to the database
	// (serve and migrate); the others sort by the locale it has.
	setsLocale bool
	// readsReplica says the command serves report reads, which go to
	// DATABASE_READ_URL when set (serve); other commands never open it.
	readsReplica bool
	// metrics is what serve measures (nil for the other commands).
	metrics *metric.Metrics
	// stopJobs stops the job client gracefully, once (serve calls it while
	// its requests drain; close calls it otherwise).
	stopJobs func()
	// lookupEnv reads the environment (tests pass their own).
	lookupEnv func(string) (string, bool)
	// traces is serve's tracing, nil when off (package trace).
	traces *trace.Provider
}

// database connects, starting the private PostgreSQL when no DATABASE_URL is
// set, and applies migrations.
func (e *env) database(ctx context.Context) (*db.DB, error) {
	if e.db != nil {
		return e.db, nil
	}
	url := e.cfg.DatabaseURL
	if url == "" {
		c, err := pgembed.Start(ctx, pgembed.Config{DataDir: e.cfg.DataDir, Logger: e.log})
		if err != nil {
			return nil, err
		}
		e.cluster = c
		if url, err = c.EnsureDatabase(ctx, "segments"); err != nil {
			return nil, err
		}
		e.log.Info("using the private PostgreSQL", "data_dir", e.cfg.DataDir)
	}
	d, err := db.Open(ctx, url, e.traces.ConfigurePool)
	if err != nil {
		return nil, err
	}
	e.db = d
	if e.readsReplica && e.cfg.DatabaseReadURL != "" {
		r, err := db.OpenReplica(ctx, e.cfg.DatabaseReadURL, e.log, e.traces.ConfigurePool)
		if err != nil {
			return nil, err
		}
		d.UseReplica(r, e.log)
		e.log.Info("report reads go to the read replica when it has replayed the latest change")
	}
	locale := ""
	if e.setsLocale {
		locale = e.cfg.StoreLocale
	}
	ch, err := db.Migrate(ctx, d.DB, locale)
	if err != nil {
		return nil, err
	}
	switch {
	case ch.Rebuilt && ch.From == "":
		e.log.Info("created the store collation; text sorts follow its locale", "locale", ch.To, "indexes_rebuilt", ch.Indexes, "took", ch.Took.Round(time.Millisecond))
	case ch.Rebuilt:
		e.log.Info("store locale changed: text sorts follow the new locale", "from", ch.From, "to", ch.To, "indexes_rebuilt", ch.Indexes, "took", ch.Took.Round(time.Millisecond))
	case len(ch.Indexes) > 0:
		e.log.Info("sort indexes built", "locale", ch.To, "indexes", ch.Indexes, "took", ch.Took.Round(time.Millisecond))
	case !e.setsLocale && e.cfg.StoreLocale != ch.To:
		e.log.Debug("text sorts follow the database's store locale; serve and migrate apply STORE_LOCALE", "locale", ch.To, "STORE_LOCALE", e.cfg.StoreLocale)
	}
	return d, nil
}

// jobs starts this process's job client: it works queued refreshes and
// exports (and, on the elected leader, the schedule and the retention sweep)
// until the command ends.
func (e *env) jobs(ctx context.Context, schedule bool) (*job.Client, error) {
	d, err := e.database(ctx)
	if err != nil {
		return nil, err
	}
	exports, err := e.exports(ctx)
	if err != nil {
		return nil, err
	}
	cfg := e.jobConfig()
	cfg.Kinds = append(exports.Kinds(), auditSweep(d, e.cfg.AuditRetention), changeLogPrune(d))
	if schedule {
		cfg.RefreshInterval = e.cfg.RefreshInterval
	}
	c, err := job.NewClient(d, cfg)
	if err != nil {
		return nil, err
	}
	if err := c.Start(ctx); err != nil {
		return nil, err
	}
	e.stopJobs = sync.OnceFunc(func() {
		// Running jobs get a grace period to finish; then they are handed
		// back to the queue, to resume on the next worker.
		ctx, cancel := context.WithTimeout(context.Background(), job.DefaultShutdownGrace)
		defer cancel()
		if err := c.Stop(ctx); err != nil {
			e.log.Error("stop jobs", "err", err)
		}
	})
	e.stops = append(e.stops, e.stopJobs)
	return c, nil
}

// auditSweep is the periodic job deleting audit events past retention, on
// the elected leader like the export retention sweep.
func auditSweep(d *db.DB, retention time.Duration) job.Kind {
	return job.Periodic(audit.SweepEvery, audit.SweepArgs{Retention: retention}, func(ctx context.Context, a audit.SweepArgs) error {
		_, err := audit.Sweep(ctx, d, a.Retention)
		return err
	})
}

// changeLogPrune is the periodic job that keeps the change log small when
// nothing refreshes (segment.PruneChanges).
func changeLogPrune(d *db.DB) job.Kind {
	return job.Periodic(segment.PruneChangesEvery, segment.PruneChangesArgs{}, func(ctx context.Context, _ segment.PruneChangesArgs) error {
		return segment.PruneChanges(ctx, d, time.Now())
	})
}

// jobConfig is the job settings of every command.
func (e *env) jobConfig() job.Config {
	return job.Config{Logger: e.log, TimeZone: e.cfg.TimeZone, Workers: e.cfg.Workers, RefreshStatementTimeout: e.cfg.RefreshStatementTimeout, Metrics: e.metrics, Middleware: e.traces.JobMiddleware()}
}

// exports returns the export service: its bucket opened, once.
func (e *env) exports(ctx context.Context) (*export.Service, error) {
	if e.exportService != nil {
		return e.exportService, nil
	}
	d, err := e.database(ctx)
	if err != nil {
		return nil, err
	}
	bucket, err := export.OpenBucket(ctx, e.cfg.ExportStorageURL, e.cfg.DataDir)
	if err != nil && e.cfg.ExportStorageURL != "" {
		return nil, fmt.Errorf("EXPORT_STORAGE_URL (-export-storage): %w", err)
	}
	if err != nil {
		return nil, err
	}
	e.stops = append(e.stops, func() { _ = bucket.Close() })
	loc, _ := time.LoadLocation(e.cfg.TimeZone)
	e.exportService = &export.Service{DB: d, Customers: customer.NewLister(d), Bucket: bucket, Location: loc, Retention: e.cfg.ExportRetention}
	return e.exportService, nil
}

func (e *env) close() {
	for i := len(e.stops) - 1; i >= 0; i-- {
		e.stops[i]()
	}
	if e.db != nil {
		e.db.Close()
	}
	if e.cluster != nil {
		if err := e.cluster.Stop(); err != nil {
			e.log.Error("stop the private PostgreSQL", "err", err)
		}
	}
}
