package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/uptrace/bun"

	"github.com/segments/segments/frontend"
	"github.com/segments/segments/graph"
	"github.com/segments/segments/server/account"
	"github.com/segments/segments/server/actor"
	"github.com/segments/segments/server/authn"
	"github.com/segments/segments/server/catalog"
	"github.com/segments/segments/server/change"
	"github.com/segments/segments/server/csvimport"
	"github.com/segments/segments/server/customer"
	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/erasure"
	"github.com/segments/segments/server/export"
	"github.com/segments/segments/server/job"
	"github.com/segments/segments/server/metric"
	"github.com/segments/segments/server/page"
	"github.com/segments/segments/server/seed"
	"github.com/segments/segments/server/segment"
	"github.com/segments/segments/server/trace"
	"github.com/segments/segments/server/web"
)

// commandFlags adds each command's own flags; the returned func runs after
// parsing.
var commandFlags = map[string]func(fs *flag.FlagSet) func(){
	"export": func(fs *flag.FlagSet) func() {
		o := &exportOpts
		fs.Var(&o.segments, "segment", "segment id to export (repeat, or comma-separated)")
		fs.StringVar(&o.mode, "mode", "union", "union or intersection of the segments")
		fs.Var(&o.exclude, "exclude", "leave out the customers of this segment (repeat, or comma-separated)")
		fs.StringVar(&o.format, "format", "csv", "csv or excel-xml")
		fs.StringVar(&o.delimiter, "delimiter", "comma", "CSV separator: comma or semicolon")
		fs.StringVar(&o.sort, "sort", "ID", "column to sort by: ID NAME EMAIL GROUP PHONE ZIP COUNTRY REGION CUSTOMER_SINCE")
		fs.BoolVar(&o.desc, "desc", false, "sort descending")
		fs.StringVar(&o.out, "o", "", "file to write (required)")
		return nil
	},
	"refresh": func(fs *flag.FlagSet) func() {
		fs.BoolVar(&refreshFull, "full", false, "re-evaluate every customer of every segment (a full re-evaluation) instead of only those that can have changed")
		return nil
	},
	"seed": func(fs *flag.FlagSet) func() {
		fs.IntVar(&seedOpts.Customers, "customers", seed.DefaultCustomers, "number of customers to generate")
		fs.IntVar(&seedOpts.Orders, "orders", seed.DefaultOrders, "number of orders to generate")
		fs.Int64Var(&seedOpts.Seed, "seed", 1, "random seed: the same seed gives the same store")
		fs.BoolVar(&seedIfEmpty, "if-empty", false, "do nothing when the store already has customers (for make run)")
		return nil
	},
}

var (
	seedOpts    seed.Options
	seedIfEmpty bool
	refreshFull bool
	exportOpts  struct {
		segments, exclude idList
		mode, format, out string
		delimiter, sort   string
		desc              bool
	}
)

// idList is a repeatable --segment (or --exclude) flag.
type idList []int64

func (l *idList) String() string { return fmt.Sprint(*l) }

func (l *idList) Set(v string) error {
	for _, part := range strings.Split(v, ",") {
		id, err := strconv.ParseInt(strings.TrimSpace(part), 10, 64)
		if err != nil || id < 1 {
			return fmt.Errorf("%q is not a segment id", part)
		}
		*l = append(*l, id)
	}
	return nil
}

// serverGCPercent is the server's garbage-collection target unless GOGC is
// set: a request allocates a lot that it drops at once, and the live heap
// is small (catalogs, caches, pools), so with Go's default of 100 the
// collector ran every few requests and took a third of the CPU of a
// drill-down page. 400 cut the page's CPU by about 40% in the in-process
// benchmark, for a heap target of five times the live heap (tens of MB).
const serverGCPercent = 400

// tuneGC sets serverGCPercent when the environment leaves GOGC unset.
func tuneGC() {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(serverGCPercent)
	}
}

func serve(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("serve takes no arguments, got %q", args)
	}
	tuneGC()
	// Listen first: a taken port is reported at once, before the database starts.
	ln, err := e.cfg.listen()
	if err != nil {
		return err
	}
	defer ln.Close()
	metricsLn, err := e.cfg.listenMetrics()
	if err != nil {
		return err
	}
	if metricsLn != nil {
		defer metricsLn.Close()
		e.metrics = metric.New()
	}
	if err := e.tracing(ctx); err != nil {
		return err
	}
	d, err := e.database(ctx)
	if err != nil {
		return err
	}
	if err := warnWithoutUsers(ctx, e, d); err != nil {
		return err
	}
	// Jobs outlive the signal: a shutdown stops them gracefully, handing
	// back what does not finish in time, while requests drain.
	jobs, err := e.jobs(context.WithoutCancel(ctx), true)
	if err != nil {
		return err
	}
	e.metrics.WatchPool(d.Pool)
	if d.HasReplica() {
		e.metrics.WatchReads(func() metric.Reads {
			c := d.ReadCounts()
			return metric.Reads{Replica: c.Replica, Primary: c.Primary, Stale: c.Stale, Failed: c.Failed}
		})
	}
	e.metrics.WatchQueue(jobs.QueueDepth)
	exports, err := e.exports(ctx)
	if err != nil {
		return err
	}
	key, err := export.SigningKey(ctx, d, e.cfg.SigningKey)
	if err != nil {
		return err
	}
	// After a rotation the previous key still opens what it signed.
	var previous [][]byte
	if e.cfg.SigningKeyPrevious != "" {
		previous = append(previous, []byte(e.cfg.SigningKeyPrevious))
	}
	signer := export.NewSigner(key, previous...)
	// Cursors are sealed with a key derived from the same installation key,
	// so every instance opens every other's; set before the first request.
	cursors, err := page.NewCodec(key, previous...)
	if err != nil {
		return err
	}
	page.Use(cursors)
	// One connection of its own listens for changes to what this instance
	// keeps in memory (package change), on whichever instance they happen.
	changes := change.Listen(d.Pool.Config().ConnConfig, e.log)
	defer changes.Close()
	change.FollowReads(d, changes)
	catalogs := catalog.NewCache(d, changes)
	accounts := account.NewService(d).CacheTokens(changes)
	resolver := &graph.Resolver{
		DB:             d,
		Segments:       segment.NewStore(d).WithCatalog(catalogs),
		Customers:      customer.NewLister(d).WithCatalog(catalogs),
		Catalog:        catalogs,
		Manager:        segment.NewManager(d, job.EnqueueRefresh),
		RefreshWait:    e.cfg.RefreshWait,
		Exports:        exports,
		Signer:         signer,
		PublicURL:      e.cfg.PublicURL,
		LinkTTL:        e.cfg.ExportLinkTTL,
		ExportWait:     e.cfg.ExportWait,
		TimeZone:       e.cfg.TimeZone,
		BaseCurrency:   e.cfg.BaseCurrency,
		StoreLocale:    e.cfg.StoreLocale,
		RequestTimeout: e.cfg.RequestTimeout,
		RequestConns:   e.cfg.RequestConns,
		// 0 in the settings turns the limit off; 0 in the Resolver means the default.
		RequestConcurrency: cmp.Or(e.cfg.RequestConcurrency, -1),
		Auth:               accounts,
		Metrics:            e.metrics,
		Traces:             e.traces,
	}
	dist, err := fs.Sub(frontend.Dist, "dist")
	if err != nil {
		return err
	}
	gate, err := authn.New(authn.Config{
		Accounts:       accounts,
		DB:             d,
		PublicURL:      e.cfg.PublicURL,
		Origins:        e.cfg.origins(),
		TrustedProxies: e.cfg.proxies(),
		TokenRate:      e.cfg.TokenRate,
		Logger:         e.log,
	})
	if err != nil {
		return err
	}
	defer gate.Close()
	var stopping atomic.Bool
	srv := &http.Server{
		Addr: e.cfg.Addr,
		Handler: e.traces.Handler(web.Handler(web.Config{
			GraphQL:     graph.NewHandler(resolver, e.log),
			SPA:         dist,
			Ping:        d.PingContext,
			Ready:       readiness(e, d, &stopping),
			Auth:        gate,
			Downloads:   export.DownloadHandler(signer, exports.Bucket, export.Files(d), nil),
			CORSOrigins: e.cfg.origins(),
			Hosts:       e.cfg.hosts(),
			HTTPS:       e.cfg.https(),
			Logger:      e.log,
			Metrics:     e.metrics,
			SlowRequest: cmp.Or(e.cfg.SlowRequest, -1),
		})),
		// See web.ReadTimeout for why these are safe for long downloads.
		ReadHeaderTimeout: web.ReadHeaderTimeout,
		ReadTimeout:       web.ReadTimeout,
		WriteTimeout:      max(web.WriteTimeout+max(e.cfg.RefreshWait, e.cfg.ExportWait), e.cfg.RequestTimeout+web.WriteTimeout/4),
		IdleTimeout:       web.IdleTimeout,
	}
	errc := make(chan error, 2)
	go func() { errc <- srv.Serve(ln) }()
	metricsSrv := &http.Server{ReadHeaderTimeout: web.ReadHeaderTimeout, IdleTimeout: web.IdleTimeout}
	if metricsLn != nil {
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", e.metrics.Handler(e.log))
		metricsSrv.Handler = mux
		go func() { errc <- metricsSrv.Serve(metricsLn) }()
	}
	e.log.Info("serving", "url", e.cfg.PublicURL, "graphiql", e.cfg.PublicURL+"/graphiql", "metrics", metricsURL(metricsLn))
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	return shutdown(e, srv, metricsSrv, &stopping)
}

// tracing turns traces on when the environment names an OTLP endpoint
// (package trace); the spans still buffered are sent at the end.
func (e *env) tracing(ctx context.Context) error {
	t, err := trace.Setup(ctx, e.lookupEnv, e.log)
	if err != nil || t == nil {
		return err
	}
	e.traces = t
	e.stops = append(e.stops, e.flushTraces)
	e.log.Info("traces on: sending spans over OTLP/HTTP")
	return nil
}

// traceFlushTimeout bounds sending the last spans at shutdown.
const traceFlushTimeout = 5 * time.Second

// flushTraces sends the spans still buffered and stops the exporter; the
// second call does nothing.
func (e *env) flushTraces() {
	ctx, cancel := context.WithTimeout(context.Background(), traceFlushTimeout)
	defer cancel()
	if err := e.traces.Shutdown(ctx); err != nil {
		e.log.Warn("traces: could not send the last spans", "err", err)
	}
}

// metricsURL is where the metrics are served, "" when they are off.
func metricsURL(ln net.Listener) string {
	if ln == nil {
		return ""
	}
	return "http://" + ln.Addr().String() + "/metrics"
}

// readiness is /readyz: ready while not stopping, with the database
// answering and not behind this binary's migrations. The reasons are
// shown to anyone who asks, so they name no detail of the database.
func readiness(e *env, d *db.DB, stopping *atomic.Bool) func(context.Context) error {
	return func(ctx context.Context) error {
		if stopping.Load() {
			return errors.New("shutting down")
		}
		if err := d.PingContext(ctx); err != nil {
			e.log.DebugContext(ctx, "readyz: database unreachable", "err", err)
			return errors.New("database unreachable")
		}
		pending, err := db.Pending(ctx, d.DB)
		if err != nil {
			e.log.DebugContext(ctx, "readyz: cannot read migrations", "err", err)
			return errors.New("cannot read the database's migrations")
		}
		switch len(pending) {
		case 0:
			return nil
		case 1:
			return errors.New("the database is behind this binary: 1 migration is not applied (run segments migrate)")
		default:
			return fmt.Errorf("the database is behind this binary: %d migrations are not applied (run segments migrate)", len(pending))
		}
	}
}

// shutdown is serve's graceful stop, on SIGTERM or interrupt: /readyz
// turns 503 at once; the server keeps answering for SHUTDOWN_DELAY, so
// load balancers see it and send no new requests; then it stops accepting
// connections and gives the requests in flight SHUTDOWN_TIMEOUT to finish
// (closing the connections of any still running), while the job client
// stops gracefully: running jobs get their grace period, then are handed
// back to the queue for another instance to resume. Then the spans still
// buffered are sent (traces), and the metrics listener stops last.
func shutdown(e *env, srv, metricsSrv *http.Server, stopping *atomic.Bool) error {
	stopping.Store(true)
	e.log.Info("shutting down: /readyz answers 503", "delay", e.cfg.ShutdownDelay, "timeout", e.cfg.ShutdownTimeout)
	time.Sleep(e.cfg.ShutdownDelay)
	var jobs sync.WaitGroup
	if e.stopJobs != nil {
		jobs.Go(e.stopJobs)
	}
	ctx, cancel := context.WithTimeout(context.Background(), e.cfg.ShutdownTimeout)
	defer cancel()
	err := srv.Shutdown(ctx)
	if errors.Is(err, context.DeadlineExceeded) {
		e.log.Warn("requests still running after SHUTDOWN_TIMEOUT: closing their connections", "timeout", e.cfg.ShutdownTimeout)
		err = srv.Close()
	}
	jobs.Wait()
	e.flushTraces()
	mctx, mcancel := context.WithTimeout(context.Background(), time.Second)
	defer mcancel()
	_ = metricsSrv.Shutdown(mctx)
	e.log.Info("stopped")
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func migrateCmd(ctx context.Context, e *env, args []string) error {
	if _, err := e.database(ctx); err != nil {
		return err
	}
	e.log.Info("database is up to date")
	return nil
}

// seedCmd is `segments seed`: demo data, then a refresh of every active
// segment so the report shows counts.
func seedCmd(ctx context.Context, e *env, args []string) error {
	d, err := e.database(ctx)
	if err != nil {
		return err
	}
	loc, _ := time.LoadLocation(e.cfg.TimeZone)
	seedOpts.Location = loc
	seedOpts.Now = time.Now()
	res, err := seed.Run(ctx, d, seedOpts)
	if seedIfEmpty && errors.Is(err, seed.ErrStoreNotEmpty) {
		e.log.Info("store has data; not seeding")
		return nil
	}
	if err != nil {
		return err
	}
	e.log.Info("seeded", "customers", res.Customers, "orders", res.Orders, "segments", res.Segments, "took", res.Elapsed.Round(time.Millisecond))
	return refreshSegments(ctx, e, nil, false)
}

// importCmd is `segments import customers|orders FILE`.
func importCmd(ctx context.Context, e *env, args []string) error {
	if len(args) != 2 || args[0] != "customers" && args[0] != "orders" {
		return fmt.Errorf("usage: segments import customers|orders FILE")
	}
	f, err := os.Open(args[1])
	if err != nil {
		return err
	}
	defer f.Close()
	d, err := e.database(ctx)
	if err != nil {
		return err
	}
	loc, _ := time.LoadLocation(e.cfg.TimeZone)
	load := csvimport.ImportCustomers
	if args[0] == "orders" {
		load = csvimport.ImportOrders
	}
	var runID int64
	res, err := load(ctx, d, f, loc, e.onChange(&runID)...)
	if err != nil {
		return listProblems(args[1], err)
	}
	e.log.Info("imported "+args[0], "file", args[1], "rows", res.Rows, "inserted", res.Inserted, "updated", res.Updated,
		"new_websites", res.NewWebsites, "new_groups", res.NewGroups, "took", res.Took.Round(time.Millisecond))
	e.refreshQueued(runID)
	return nil
}

// onChange is what an import or a deletion runs in its transaction when it
// changed the store's data. With REFRESH_ON_CHANGE that is a request for an
// incremental refresh of every active segment, by "change", committed with
// the change (so a crash cannot lose it) and joining a queued run that
// covers them (so a series of imports queues one run); no worker need run
// here, a serving instance works it. *runID gets the run.
func (e *env) onChange(runID *int64) []csvimport.OnChange {
	if !e.cfg.RefreshOnChange {
		return nil
	}
	return []csvimport.OnChange{func(ctx context.Context, tx bun.Tx) (err error) {
		*runID, err = job.RequestRefresh(ctx, tx, job.RefreshRequest{By: actor.FromChange})
		return err
	}}
}

// refreshQueued logs the refresh run an import or deletion queued, if any.
func (e *env) refreshQueued(runID int64) {
	if runID != 0 {
		e.log.Info("refresh of the active segments queued (REFRESH_ON_CHANGE)", "run", runID)
	}
}

// deleteCmd is `segments delete customers FILE`.
func deleteCmd(ctx context.Context, e *env, args []string) error {
	if len(args) != 2 || args[0] != "customers" {
		return fmt.Errorf("usage: segments delete customers FILE")
	}
	f, err := os.Open(args[1])
	if err != nil {
		return err
	}
	defer f.Close()
	d, err := e.database(ctx)
	if err != nil {
		return err
	}
	var runID int64
	res, err := erasure.Customers(ctx, d, f, e.onChange(&runID)...)
	if err != nil {
		return listProblems(args[1], err)
	}
	e.log.Info("deleted customers", "file", args[1], "deleted", res.Deleted, "not_found", len(res.Missing))
	e.refreshQueued(runID)
	if len(res.Missing) > 0 {
		fmt.Fprintf(os.Stderr, "%d ids were not customers: %v\n", len(res.Missing), res.Missing)
	}
	return nil
}

// listProblems prints every bad line of a rejected file (Error() keeps to
// the first hundred) and returns a short error for the exit status.
func listProblems(file string, err error) error {
	var ie *csvimport.Error
	if !errors.As(err, &ie) {
		return err
	}
	for _, p := range ie.Problems {
		fmt.Fprintf(os.Stderr, "%s: %s\n", file, p)
	}
	if ie.More > 0 {
		fmt.Fprintf(os.Stderr, "%s: and %d more problems\n", file, ie.More)
	}
	return fmt.Errorf("%s: %d problems, nothing changed", file, len(ie.Problems)+ie.More)
}

// exportCmd is `segments export`: an export like the API's, recorded as
// asked for by the command line, but written here, once, straight to -o.
func exportCmd(ctx context.Context, e *env, args []string) error {
	o := exportOpts
	if len(args) > 0 || o.out == "" || len(o.segments) == 0 {
		return fmt.Errorf("usage: segments export --segment ID [--segment ID ...] [--mode union|intersection] [--exclude ID ...] [--format csv|excel-xml] [--delimiter comma|semicolon] [--sort FIELD] [--desc] -o FILE")
	}
	req := export.Request{SegmentIDs: o.segments, Mode: customer.Mode(strings.ToUpper(o.mode)), Exclude: o.exclude,
		Order: customer.Order{Field: customer.OrderField(strings.ToUpper(o.sort)), Desc: o.desc}, Delimiter: ','}
	switch strings.ToLower(o.format) {
	case "csv":
		req.Format = export.FormatCSV
	case "excel-xml", "xml":
		req.Format = export.FormatExcelXML
	default:
		return fmt.Errorf("--format %q: use csv or excel-xml", o.format)
	}
	switch strings.ToLower(o.delimiter) {
	case "comma", ",":
	case "semicolon", ";":
		req.Delimiter = ';'
	default:
		return fmt.Errorf("--delimiter %q: use comma or semicolon", o.delimiter)
	}
	d, err := e.database(ctx)
	if err != nil {
		return err
	}
	svc, err := e.exports(ctx)
	if err != nil {
		return err
	}
	// Progress, every few seconds, from the export's row.
	pctx, stop := context.WithCancel(ctx)
	defer stop()
	progress := func(id int64) {
		go func() {
			t := time.NewTicker(5 * time.Second)
			defer t.Stop()
			for {
				select {
				case <-pctx.Done():
					return
				case <-t.C:
				}
				if x, err := export.Get(pctx, d, id); err == nil && x != nil {
					e.log.Info("exporting", "export", id, "rows_written", x.RowsWritten)
				}
			}
		}()
	}
	x, err := svc.ExportTo(ctx, req, actor.FromCLI, o.out, e.jobConfig(), progress)
	stop()
	if err != nil {
		if x != nil {
			return fmt.Errorf("export %d failed: %w", x.ID, err)
		}
		return err
	}
	e.log.Info("exported", "export", x.ID, "rows", x.RowsWritten, "file", o.out)
	return nil
}

func refresh(ctx context.Context, e *env, args []string) error {
	var ids []int64
	for _, a := range args {
		id, err := strconv.ParseInt(a, 10, 64)
		if err != nil || id < 1 {
			return fmt.Errorf("%q is not a segment id", a)
		}
		ids = append(ids, id)
	}
	return refreshSegments(ctx, e, ids, refreshFull)
}

// refreshSegments enqueues a refresh run of the given segments (or every
// active one), full or incremental, and works it in this process, printing
// progress, until it finishes. Other instances may take it too: whoever
// does, it runs once.
func refreshSegments(ctx context.Context, e *env, ids []int64, full bool) error {
	d, err := e.database(ctx)
	if err != nil {
		return err
	}
	runID, err := segment.NewManager(d, job.EnqueueRefresh).Refresh(ctx, ids, actor.FromCLI, full)
	if err != nil {
		return err
	}
	if _, err := e.jobs(ctx, false); err != nil {
		return err
	}
	e.log.Info("refresh queued", "run", runID, "full", full)
	done := -1
	for {
		run, err := job.WaitRun(ctx, d, runID, time.Second)
		if err != nil {
			return err
		}
		if run.SegmentsDone != done {
			done = run.SegmentsDone
			e.log.Info("refreshing", "run", runID, "state", run.State, "done", run.SegmentsDone, "total", run.SegmentsTotal)
		}
		switch run.State {
		case job.Succeeded:
			e.log.Info("refresh done", "run", runID, "segments", run.SegmentsTotal, "took", run.FinishedAt.Sub(run.CreatedAt).Round(time.Millisecond))
			return nil
		case job.Failed:
			return fmt.Errorf("refresh run %d failed: %s", runID, deref(run.Error))
		}
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
