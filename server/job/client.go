package job

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/export"
)

// Defaults for Config's zero fields (RefreshInterval excepted: zero turns the
// schedule off, so a command that starts a Client for one run schedules
// nothing; `segments serve` passes DefaultRefreshInterval unless told
// otherwise).
const (
	DefaultRefreshInterval      = 24 * time.Hour
	DefaultRefreshTimeout       = 30 * time.Minute
	DefaultRescueStuckJobsAfter = 2*time.Hour + 30*time.Minute
	DefaultWorkers              = 2
)

// scheduleCheckEvery is how often, at most, the leader checks whether a
// scheduled refresh is due.
const scheduleCheckEvery = 5 * time.Minute

// stopGrace is how long Stop waits for running jobs to finish, beyond the
// caller's context, after it has cancelled them.
const stopGrace = 10 * time.Second

// Client works refresh runs: a River client with the refresh worker, and the
// scheduled refresh when Config.RefreshInterval is set. Any number of Clients
// (processes) may share a database; each run is worked by one of them.
type Client struct {
	river *river.Client[pgx.Tx]
}

// NewClient returns a Client working jobs from the database d. It does not
// start working until Start.
func NewClient(d *db.DB, cfg Config) (*Client, error) {
	pool := d.Pool
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	workers := river.NewWorkers()
	if err := river.AddWorkerSafely(workers, &refreshWorker{
		log:      cfg.Logger,
		db:       d,
		pool:     pool,
		timeZone: cfg.TimeZone,
		timeout:  cfg.RefreshTimeout,
	}); err != nil {
		return nil, err
	}
	if err := river.AddWorkerSafely(workers, &scheduleWorker{log: cfg.Logger, db: d, pool: pool}); err != nil {
		return nil, err
	}
	var periodic []*river.PeriodicJob
	if cfg.Exports != nil {
		if err := river.AddWorkerSafely(workers, &exportWorker{exports: cfg.Exports}); err != nil {
			return nil, err
		}
		if err := river.AddWorkerSafely(workers, &exportCleanupWorker{exports: cfg.Exports}); err != nil {
			return nil, err
		}
		periodic = append(periodic, river.NewPeriodicJob(river.PeriodicInterval(10*time.Minute),
			func() (river.JobArgs, *river.InsertOpts) { return exportCleanupArgs{}, nil },
			&river.PeriodicJobOpts{ID: kindExportCleanup, RunOnStart: true}))
	}
	if cfg.RefreshInterval > 0 {
		every := scheduleEvery(cfg.RefreshInterval)
		periodic = append(periodic, river.NewPeriodicJob(
			river.PeriodicInterval(every),
			func() (river.JobArgs, *river.InsertOpts) {
				// Only the leader enqueues periodic jobs; uniqueness by period
				// keeps a leader change from checking twice in one period.
				return scheduleArgs{Every: every, Interval: cfg.RefreshInterval}, &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: every}}
			},
			&river.PeriodicJobOpts{ID: kindSchedule, RunOnStart: true},
		))
	}
	rc, err := river.NewClient(riverpgxv5.New(pool), &river.Config{
		// A client only takes jobs it has workers for, so a process of
		// another version sharing the queue does not fail them.
		FetchOnlyKnownKinds: true,
		// Each worker sets its own timeout; this default, for any job that
		// would not, must stay below RescueStuckJobsAfter.
		JobTimeout:           cfg.RefreshTimeout,
		Logger:               riverLogger(cfg.Logger),
		PeriodicJobs:         periodic,
		Queues:               map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: cfg.Workers}},
		RescueStuckJobsAfter: cfg.RescueStuckJobsAfter,
		RetryPolicy:          cfg.RetryPolicy,
		Workers:              workers,
	})
	if err != nil {
		return nil, fmt.Errorf("job client: %w", err)
	}
	return &Client{river: rc}, nil
}

// Start starts fetching and working jobs, in the background. Cancelling ctx
// stops the client and interrupts running jobs (their runs go back to
// QUEUED, to resume on the next start); for a graceful stop, pass a context
// that outlives the work and call Stop.
func (c *Client) Start(ctx context.Context) error {
	if err := c.river.Start(ctx); err != nil {
		return fmt.Errorf("start job client: %w", err)
	}
	return nil
}

// Stop stops fetching jobs and waits for running ones to finish until ctx is
// done; then it interrupts them (their runs go back to QUEUED, to resume on
// the next start, without using up an attempt) and waits a few more seconds
// for them to hand their runs back.
func (c *Client) Stop(ctx context.Context) error {
	err := c.river.Stop(ctx)
	if err == nil || ctx.Err() == nil {
		return err
	}
	cancelCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), stopGrace)
	defer cancel()
	if err := c.river.StopAndCancel(cancelCtx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("stop job client: %w", err)
	}
	return nil
}

// Config configures a Client. Zero fields take the defaults above.
type Config struct {
	// Logger receives River's and the workers' logs. Nil discards them.
	Logger *slog.Logger
	// RefreshInterval is how often every active segment is refreshed on
	// schedule. Zero disables the schedule (see DefaultRefreshInterval).
	RefreshInterval time.Duration
	// RefreshTimeout bounds one attempt of a refresh run (default 30 min).
	RefreshTimeout time.Duration
	// RescueStuckJobsAfter is how long a job may stay running before River
	// takes it for abandoned (its worker died) and retries it (default
	// 2h30m). It must exceed the longest job timeout: the refresh's 30 min
	// and an export's 2 h.
	RescueStuckJobsAfter time.Duration
	// RetryPolicy decides when a failed attempt is retried. Nil means River's
	// default: 1 s after the first failure, 16 s after the second.
	RetryPolicy river.ClientRetryPolicy
	// TimeZone is the store's IANA time zone, in which day-based rules count
	// (default UTC).
	TimeZone string
	// Workers is how many jobs this client works at once (default 2).
	Workers int
	// Exports, when set, lets this client work exports.
	Exports *export.Service
}

// riverLogger passes on River's own warnings and errors only: its info
// lines (producer statistics every few seconds) would drown the server log.
func riverLogger(log *slog.Logger) *slog.Logger {
	return slog.New(warnOnly{log.Handler()})
}

type warnOnly struct{ slog.Handler }

func (h warnOnly) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= slog.LevelWarn && h.Handler.Enabled(ctx, l)
}

func (h warnOnly) WithAttrs(a []slog.Attr) slog.Handler { return warnOnly{h.Handler.WithAttrs(a)} }
func (h warnOnly) WithGroup(n string) slog.Handler      { return warnOnly{h.Handler.WithGroup(n)} }

func (cfg Config) withDefaults() (Config, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.RefreshInterval < 0 || cfg.RefreshTimeout < 0 || cfg.RescueStuckJobsAfter < 0 || cfg.Workers < 0 {
		return cfg, errors.New("job client: durations and workers must not be negative")
	}
	if cfg.RefreshInterval > 0 && cfg.RefreshInterval < time.Second {
		return cfg, fmt.Errorf("job client: a refresh interval of %s is below one second", cfg.RefreshInterval)
	}
	if cfg.RefreshTimeout == 0 {
		cfg.RefreshTimeout = DefaultRefreshTimeout
	}
	if cfg.RescueStuckJobsAfter == 0 {
		cfg.RescueStuckJobsAfter = DefaultRescueStuckJobsAfter
	}
	if cfg.RescueStuckJobsAfter <= cfg.RefreshTimeout {
		return cfg, fmt.Errorf("job client: RescueStuckJobsAfter (%s) must exceed the refresh timeout (%s), or running refreshes would be taken for dead", cfg.RescueStuckJobsAfter, cfg.RefreshTimeout)
	}
	if cfg.TimeZone == "" {
		cfg.TimeZone = "UTC"
	}
	if _, err := time.LoadLocation(cfg.TimeZone); err != nil {
		return cfg, fmt.Errorf("job client: time zone %q: %w", cfg.TimeZone, err)
	}
	if cfg.Workers == 0 {
		cfg.Workers = DefaultWorkers
	}
	return cfg, nil
}

// scheduleEvery is how often the leader checks whether a scheduled refresh
// is due.
func scheduleEvery(interval time.Duration) time.Duration {
	return min(interval, scheduleCheckEvery)
}
