package metric

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"strconv"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// namespace prefixes every series of ours.
const namespace = "segments"

// MaxOperationNames bounds the distinct GraphQL operation names one process
// labels series with; later names are counted as "other".
const MaxOperationNames = 200

// ScrapeTimeout bounds the database reads of one scrape (the queue depth).
const ScrapeTimeout = 2 * time.Second

// Folded operation names.
const (
	Anonymous = "anonymous"
	Invalid   = "invalid"
	Other     = "other"
)

// Metrics holds the server's metrics and the registry that serves them.
// The zero of a *Metrics, nil, measures nothing.
type Metrics struct {
	reg *prometheus.Registry

	httpDuration *prometheus.HistogramVec
	gqlTotal     *prometheus.CounterVec
	gqlDuration  *prometheus.HistogramVec
	runTotal     *prometheus.CounterVec
	runDuration  *prometheus.HistogramVec
	runRows      *prometheus.CounterVec
	runBytes     *prometheus.CounterVec
	jobWait      *prometheus.HistogramVec

	mu    sync.Mutex
	names map[string]bool
	codes map[string]bool
}

// New returns the server's metrics, registered with a registry of their
// own along with the Go runtime, process and build-info collectors.
func New() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		httpDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: namespace, Name: "http_request_duration_seconds",
			Help:    "HTTP requests by route pattern, method and status, and how long they took to answer.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"route", "method", "status"}),
		gqlTotal: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "graphql_operations_total",
			Help: "GraphQL operations by name, type, outcome (ok, partial, error) and the code of the first error (none when ok).",
		}, []string{"operation", "type", "outcome", "code"}),
		gqlDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: namespace, Name: "graphql_operation_duration_seconds",
			Help:    "How long GraphQL operations took, from the request being read to the answer, by name and type.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"operation", "type"}),
		runTotal: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "run_attempts_total",
			Help: "Attempts of refresh runs and exports by kind and the state they left the run in: succeeded, failed (for good), queued (to be retried, or handed back by a stopping server) or lost (taken over by another worker).",
		}, []string{"kind", "state"}),
		runDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: namespace, Name: "run_attempt_duration_seconds",
			Help:    "How long attempts of refresh runs and exports worked, by kind and the state they left the run in.",
			Buckets: []float64{.1, .5, 1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200},
		}, []string{"kind", "state"}),
		runRows: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "run_rows_total",
			Help: "Rows written by succeeded runs: membership rows added or removed by refreshes, customer rows by exports.",
		}, []string{"kind"}),
		runBytes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "run_bytes_total",
			Help: "Bytes of the files written by succeeded runs (exports).",
		}, []string{"kind"}),
		jobWait: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: namespace, Name: "job_wait_seconds",
			Help:    "How long River jobs waited between becoming available and a worker starting them, by job kind.",
			Buckets: []float64{.01, .05, .1, .5, 1, 5, 15, 30, 60, 300, 900, 3600},
		}, []string{"kind"}),
		names: map[string]bool{},
		codes: map[string]bool{},
	}
	m.reg.MustRegister(m.httpDuration, m.gqlTotal, m.gqlDuration, m.runTotal, m.runDuration, m.runRows, m.runBytes, m.jobWait,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewBuildInfoCollector())
	return m
}

// Handler serves the metrics in Prometheus' text format (or OpenMetrics,
// when the scraper asks for it). A collector that fails (the database is
// down) is logged and left out; the rest are served.
func (m *Metrics) Handler(log *slog.Logger) http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{
		ErrorLog:          slogPrinter{log},
		ErrorHandling:     promhttp.ContinueOnError,
		EnableOpenMetrics: true,
		Timeout:           2 * ScrapeTimeout,
	})
}

// slogPrinter is promhttp's error log, on the server's logger.
type slogPrinter struct{ log *slog.Logger }

func (p slogPrinter) Println(v ...any) {
	if p.log != nil {
		p.log.Warn("metrics scrape", "err", fmt.Sprint(v...))
	}
}

// ObserveHTTP records one HTTP request: route is the pattern that served it
// ("" when none matched, counted as "none").
func (m *Metrics) ObserveHTTP(route, method string, status int, took time.Duration) {
	if m == nil {
		return
	}
	if route == "" {
		route = "none"
	}
	m.httpDuration.WithLabelValues(route, foldMethod(method), strconv.Itoa(status)).Observe(took.Seconds())
}

// foldMethod keeps the standard methods and counts any other as OTHER.
func foldMethod(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions:
		return m
	}
	return "OTHER"
}

// Operation is one GraphQL operation as the API answered it.
type Operation struct {
	// Name is the operation's name as the client gave it ("" for none).
	Name string
	// Type is query, mutation or subscription ("" when the request did not
	// get as far as naming one: unknown).
	Type string
	// Outcome is ok (no error), partial (data and errors) or error.
	Outcome string
	// Code is the first error's code ("" when ok).
	Code string
	// Took is from the request being read to the answer.
	Took time.Duration
}

// The outcomes of an Operation.
const (
	OutcomeOK      = "ok"
	OutcomePartial = "partial"
	OutcomeError   = "error"
)

// ObserveOperation records one GraphQL operation under the name
// OperationName gives it.
func (m *Metrics) ObserveOperation(op Operation) {
	if m == nil {
		return
	}
	name := m.OperationName(op.Name)
	typ := op.Type
	if typ == "" {
		typ = "unknown"
	}
	code := op.Code
	if code == "" {
		code = "none"
	}
	code = m.bounded(m.codes, code, maxCodes)
	m.gqlTotal.WithLabelValues(name, typ, op.Outcome, code).Inc()
	m.gqlDuration.WithLabelValues(name, typ).Observe(op.Took.Seconds())
}

// maxCodes bounds the distinct error codes counted; the server's own
// vocabulary (server/apperr and the GraphQL layer's) is a dozen.
const maxCodes = 50

// operationName is a GraphQL Name, kept to a reasonable length.
var operationName = regexp.MustCompile(`^[_A-Za-z][_0-9A-Za-z]{0,99}$`)

// Name is how an operation called name is shown in logs and labels:
// Anonymous for none, Invalid for one that is not a GraphQL name (or is
// over 100 characters long), else the name itself.
func Name(name string) string {
	switch {
	case name == "":
		return Anonymous
	case !operationName.MatchString(name):
		return Invalid
	}
	return name
}

// OperationName is the label an operation called name is counted under:
// its Name while fewer than MaxOperationNames names have been seen (or it
// is one of them), Other after that.
func (m *Metrics) OperationName(name string) string {
	name = Name(name)
	if m == nil || name == Anonymous || name == Invalid {
		return name
	}
	return m.bounded(m.names, name, MaxOperationNames)
}

// bounded returns v if it is in seen or seen has room for it (adding it),
// else Other.
func (m *Metrics) bounded(seen map[string]bool, v string, most int) string {
	m.mu.Lock()
	defer m.mu.Unlock()
	if seen[v] {
		return v
	}
	if len(seen) >= most {
		return Other
	}
	seen[v] = true
	return v
}

// Attempt is one attempt of a run (a refresh run, an export) that ended.
type Attempt struct {
	// Kind is the kind of run: refresh, export.
	Kind string
	// State is what the attempt left the run in: succeeded, failed,
	// queued or lost.
	State string
	// Took is how long the attempt worked.
	Took time.Duration
	// Rows and Bytes are what a succeeded attempt wrote.
	Rows, Bytes int64
}

// ObserveAttempt records an attempt of a run.
func (m *Metrics) ObserveAttempt(a Attempt) {
	if m == nil {
		return
	}
	m.runTotal.WithLabelValues(a.Kind, a.State).Inc()
	m.runDuration.WithLabelValues(a.Kind, a.State).Observe(a.Took.Seconds())
	// Touch the counters of every kind, so a dashboard sees zeros, not
	// missing series, before the first file.
	rows, bytes := m.runRows.WithLabelValues(a.Kind), m.runBytes.WithLabelValues(a.Kind)
	if a.Rows > 0 {
		rows.Add(float64(a.Rows))
	}
	if a.Bytes > 0 {
		bytes.Add(float64(a.Bytes))
	}
}

// ObserveJobWait records how long a River job of kind waited to be
// started.
func (m *Metrics) ObserveJobWait(kind string, wait time.Duration) {
	if m == nil {
		return
	}
	m.jobWait.WithLabelValues(kind).Observe(max(wait, 0).Seconds())
}

// Depth is how many River jobs of one kind are in one state.
type Depth struct {
	Kind, State string
	Jobs        int64
}

// WatchQueue samples the job queue's depth on every scrape with read,
// given ScrapeTimeout.
func (m *Metrics) WatchQueue(read func(context.Context) ([]Depth, error)) {
	if m == nil {
		return
	}
	m.reg.MustRegister(queueCollector{read: read})
}

var queueDesc = prometheus.NewDesc(namespace+"_job_queue_jobs",
	"River jobs waiting or running, by kind and state (available, scheduled, retryable, running), read from the database on each scrape.",
	[]string{"kind", "state"}, nil)

type queueCollector struct {
	read func(context.Context) ([]Depth, error)
}

func (c queueCollector) Describe(ch chan<- *prometheus.Desc) { ch <- queueDesc }

func (c queueCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), ScrapeTimeout)
	defer cancel()
	depths, err := c.read(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(queueDesc, err)
		return
	}
	for _, d := range depths {
		ch <- prometheus.MustNewConstMetric(queueDesc, prometheus.GaugeValue, float64(d.Jobs), d.Kind, d.State)
	}
}

// Reads are how report reads went with a read replica (db.ReadCounts):
// served by the replica or by the primary, and replica reads that were
// stale (not replayed far enough) or failed, each then served by the
// primary as well.
type Reads struct{ Replica, Primary, Stale, Failed int64 }

// WatchReads exports the report reads read returns as
// segments_report_reads_total{outcome}, read at each scrape.
func (m *Metrics) WatchReads(read func() Reads) {
	if m == nil {
		return
	}
	for outcome, pick := range map[string]func(Reads) int64{
		"replica": func(r Reads) int64 { return r.Replica },
		"primary": func(r Reads) int64 { return r.Primary },
		"stale":   func(r Reads) int64 { return r.Stale },
		"failed":  func(r Reads) int64 { return r.Failed },
	} {
		m.reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{
			Namespace: namespace, Name: "report_reads_total",
			Help: "Report reads (grid, drill-down pages, counts) with a read replica, by outcome: served by the replica or the primary; " +
				"stale and failed count replica reads that went to the primary (also counted there).",
			ConstLabels: prometheus.Labels{"outcome": outcome},
		}, func() float64 { return float64(pick(read())) }))
	}
}

// WatchPool reports pool's statistics on every scrape.
func (m *Metrics) WatchPool(pool *pgxpool.Pool) {
	if m == nil {
		return
	}
	m.reg.MustRegister(poolCollector{pool: pool})
}

func poolDesc(name, help string, labels ...string) *prometheus.Desc {
	return prometheus.NewDesc(namespace+"_db_pool_"+name, help, labels, nil)
}

var (
	poolConns       = poolDesc("connections", "Connections of the database pool by state: acquired (in use), idle, constructing.", "state")
	poolMax         = poolDesc("max_connections", "The most connections the database pool opens.")
	poolAcquires    = poolDesc("acquires_total", "Connections acquired from the pool.")
	poolAcquireWait = poolDesc("acquire_wait_seconds_total", "Time spent acquiring connections from the pool, waits included.")
	poolEmpty       = poolDesc("empty_acquires_total", "Acquires that had to wait because no connection was idle.")
	poolEmptyWait   = poolDesc("empty_acquire_wait_seconds_total", "Time spent waiting by acquires that found no idle connection.")
	poolCanceled    = poolDesc("canceled_acquires_total", "Acquires abandoned because their context ended.")
	poolNew         = poolDesc("new_connections_total", "Connections opened.")
	poolDestroyed   = poolDesc("destroyed_connections_total", "Connections closed for age (max lifetime) or idleness (max idle time).", "reason")
)

type poolCollector struct{ pool *pgxpool.Pool }

func (c poolCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{poolConns, poolMax, poolAcquires, poolAcquireWait, poolEmpty, poolEmptyWait, poolCanceled, poolNew, poolDestroyed} {
		ch <- d
	}
}

func (c poolCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.pool.Stat()
	gauge := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
	}
	counter := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, v, labels...)
	}
	gauge(poolConns, float64(s.AcquiredConns()), "acquired")
	gauge(poolConns, float64(s.IdleConns()), "idle")
	gauge(poolConns, float64(s.ConstructingConns()), "constructing")
	gauge(poolMax, float64(s.MaxConns()))
	counter(poolAcquires, float64(s.AcquireCount()))
	counter(poolAcquireWait, s.AcquireDuration().Seconds())
	counter(poolEmpty, float64(s.EmptyAcquireCount()))
	counter(poolEmptyWait, s.EmptyAcquireWaitTime().Seconds())
	counter(poolCanceled, float64(s.CanceledAcquireCount()))
	counter(poolNew, float64(s.NewConnsCount()))
	counter(poolDestroyed, float64(s.MaxLifetimeDestroyCount()), "max_lifetime")
	counter(poolDestroyed, float64(s.MaxIdleDestroyCount()), "max_idle")
}
