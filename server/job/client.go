package job

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivertype"

	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/metric"
	"github.com/segments/segments/server/segment"
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
	// DefaultHeartbeat is how often a worker writes its run's heartbeat,
	// and how often every Client looks for runs whose worker died.
	DefaultHeartbeat = 5 * time.Second
	// DefaultHeartbeatTimeout is how old a running run's heartbeat may get
	// before any Client takes the run up again: with DefaultHeartbeat, a
	// run whose worker died is queued again 30 to 35 s after its last beat.
	DefaultHeartbeatTimeout = 30 * time.Second
	// DefaultShutdownGrace is how long a stopping server lets running jobs
	// finish before it hands them back to the queue.
	DefaultShutdownGrace = 15 * time.Second
)

// DefaultRefreshStatementTimeout bounds each statement of a refresh run: a
// segment whose rule takes longer to evaluate is left out of the run, which
// refreshes the others and then fails naming it.
const DefaultRefreshStatementTimeout = 10 * time.Minute

// stopGrace is how long Stop waits, after its context has ended and it has
// interrupted the running jobs, for them to hand their runs back.
const stopGrace = 10 * time.Second

// Client works jobs: refresh runs, the kinds of Config.Kinds (exports, their
// retention sweep), and the scheduled refresh when Config.RefreshInterval is
// set. Any number of Clients (processes) may share a database; each run is
// worked by one of them at a time, and each takes up the runs of Clients
// that died.
type Client struct {
	river  *river.Client[pgx.Tx]
	runner *runner
	kinds  []Kind

	stopWatch func()
	watching  sync.WaitGroup
}

// NewClient returns a Client working jobs from d. It does not start
// working until Start.
func NewClient(d *db.DB, cfg Config) (*Client, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	r := &runner{db: d, log: cfg.Logger, metrics: cfg.Metrics, heartbeat: cfg.Heartbeat, heartbeatTimeout: cfg.HeartbeatTimeout}
	kinds := append([]Kind{refreshKind(d, cfg)}, cfg.Kinds...)
	if cfg.RefreshInterval > 0 {
		kinds = append(kinds, scheduleKind(d, cfg))
	}
	workers := river.NewWorkers()
	var periodic []*river.PeriodicJob
	for _, k := range kinds {
		if k.timeout >= cfg.RescueStuckJobsAfter {
			return nil, fmt.Errorf("job client: RescueStuckJobsAfter (%s) must exceed the %s timeout (%s), or River would take running jobs for dead", cfg.RescueStuckJobsAfter, k.what, k.timeout)
		}
		if err := k.register(workers, r); err != nil {
			return nil, err
		}
		if k.periodic != nil {
			periodic = append(periodic, k.periodic)
		}
	}
	rc, err := river.NewClient(riverpgxv5.New(d.Pool), &river.Config{
		// A client only takes jobs it has workers for, so a process of
		// another version sharing the queue does not fail them.
		FetchOnlyKnownKinds: true,
		// Each worker sets its own timeout; this default, for any job that
		// would not, must stay below RescueStuckJobsAfter.
		JobTimeout:   cfg.RefreshTimeout,
		Logger:       riverLogger(cfg.Logger),
		Middleware:   cfg.Middleware,
		PeriodicJobs: periodic,
		Queues:       map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: cfg.Workers}},
		// River's own rescue of jobs whose worker died stays as a backstop;
		// the heartbeat on our run rows takes them up long before.
		RescueStuckJobsAfter: cfg.RescueStuckJobsAfter,
		RetryPolicy:          cfg.RetryPolicy,
		Workers:              workers,
	})
	if err != nil {
		return nil, fmt.Errorf("job client: %w", err)
	}
	return &Client{river: rc, runner: r, kinds: kinds}, nil
}

// Start starts fetching and working jobs, and watching for runs whose
// worker died, in the background. Cancelling ctx stops the client and
// interrupts running jobs (their runs go back to QUEUED, to resume on the
// next worker); for a graceful stop, pass a context that outlives the work
// and call Stop.
func (c *Client) Start(ctx context.Context) error {
	if err := c.river.Start(ctx); err != nil {
		return fmt.Errorf("start job client: %w", err)
	}
	wctx, cancel := context.WithCancel(ctx)
	c.stopWatch = cancel
	c.watching.Go(func() { c.watch(wctx) })
	return nil
}

// Stop stops fetching jobs and waits for running ones to finish until ctx is
// done (the grace period); then it interrupts them (their runs go back to
// QUEUED, to resume on the next worker, without using up an attempt) and
// waits a few more seconds for them to hand their runs back.
func (c *Client) Stop(ctx context.Context) error {
	if c.stopWatch != nil {
		c.stopWatch()
		c.watching.Wait()
	}
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
	// Kinds are the jobs this client works besides refresh runs and the
	// schedule (exports and their retention sweep: export.Service.Kinds).
	Kinds []Kind
	// Heartbeat is how often a worker writes its run's heartbeat (default
	// 5 s); HeartbeatTimeout is how old a heartbeat may get before the run
	// is taken up again (default 30 s). Tests shorten them.
	Heartbeat, HeartbeatTimeout time.Duration
	// RefreshInterval is how often every active segment is refreshed on
	// schedule. Zero disables the schedule (see DefaultRefreshInterval).
	RefreshInterval time.Duration
	// RefreshTimeout bounds one attempt of a refresh run (default 30 min).
	RefreshTimeout time.Duration
	// RefreshStatementTimeout bounds each statement of a refresh run
	// (default 10 min; see segment.RefreshOptions.StatementTimeout).
	RefreshStatementTimeout time.Duration
	// RescueStuckJobsAfter is how long a River job may stay running before
	// River itself takes it for abandoned (default 2h30m): a backstop
	// behind the heartbeat. It must exceed the longest job timeout: the
	// refresh's 30 min and an export's 2 h.
	RescueStuckJobsAfter time.Duration
	// RetryPolicy decides when a failed attempt is retried. Nil means River's
	// default: 1 s after the first failure, 16 s after the second.
	RetryPolicy river.ClientRetryPolicy
	// TimeZone is the store's IANA time zone, in which day-based rules count
	// (default UTC).
	TimeZone string
	// Workers is how many jobs this client works at once (default 2).
	Workers int
	// Metrics, when set, counts attempts of runs and the time jobs wait
	// to be started.
	Metrics *metric.Metrics
	// Middleware wraps River's inserts and work (traces: package trace).
	Middleware []rivertype.Middleware

	// refreshing, set by tests only, is told the segments and options each
	// refresh attempt passes to segment.Refresher, before it runs.
	refreshing func(ids []int64, opts segment.RefreshOptions)
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
	if cfg.RefreshInterval < 0 || cfg.RefreshTimeout < 0 || cfg.RefreshStatementTimeout < 0 || cfg.RescueStuckJobsAfter < 0 || cfg.Workers < 0 ||
		cfg.Heartbeat < 0 || cfg.HeartbeatTimeout < 0 {
		return cfg, errors.New("job client: durations and workers must not be negative")
	}
	if cfg.RefreshInterval > 0 && cfg.RefreshInterval < time.Second {
		return cfg, fmt.Errorf("job client: a refresh interval of %s is below one second", cfg.RefreshInterval)
	}
	if cfg.RefreshTimeout == 0 {
		cfg.RefreshTimeout = DefaultRefreshTimeout
	}
	if cfg.RefreshStatementTimeout == 0 {
		cfg.RefreshStatementTimeout = DefaultRefreshStatementTimeout
	}
	if cfg.RescueStuckJobsAfter == 0 {
		cfg.RescueStuckJobsAfter = DefaultRescueStuckJobsAfter
	}
	if cfg.Heartbeat == 0 {
		cfg.Heartbeat = DefaultHeartbeat
	}
	if cfg.HeartbeatTimeout == 0 {
		cfg.HeartbeatTimeout = DefaultHeartbeatTimeout
	}
	if cfg.HeartbeatTimeout < 3*cfg.Heartbeat {
		return cfg, fmt.Errorf("job client: the heartbeat timeout (%s) must be at least three heartbeats (%s)", cfg.HeartbeatTimeout, cfg.Heartbeat)
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
