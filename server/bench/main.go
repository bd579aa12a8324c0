// Command bench measures the report on generated data and prints each figure
// beside its floor: the same work done by psql in the same run.
//
//	make bench                         # 1,000,000 customers, 5,000,000 orders
//	go run ./server/bench -customers 100000 -orders 500000   # quicker
//
// It needs DATABASE_URL (make bench starts the private PostgreSQL) and psql
// on PATH. The generated store is kept in database segments_bench_<size>.
//
//   - pages: the drill-down seeds the store afresh (as `segments seed`
//     does, autovacuum held off) and measures pages at 0, 10, 50 and 90% of
//     each listing and its last page, in each statistics state of -states
//     (right after the seed, after ANALYZE, after VACUUM ANALYZE); each
//     beside the psql floor of the statements the request ran, and as a
//     ratio to the first page; then EXPLAIN (ANALYZE, BUFFERS) of the last
//     pages' statements. -keep measures the kept store as it is instead.
//   - refresh: a full refresh of 20 segments beside hand-written plain SQL
//     computing the same memberships (counted, and for the first refresh
//     inserted into a scratch table).
//   - export: `segments export` to CSV and Excel XML beside psql \copy.
//   - peer: the real server (bin/segments serve, with an API token) beside
//     PostGraphile 5 (installed with npm into -peer-dir once), both on the
//     bench database, under the same closed-loop load: req/s, p50/p99,
//     CPU per request and peak RSS of each process, and the ratios; in each
//     statistics state of -states, after that state's drill-down report.
//     -peer=false leaves it out (offline).
//   - load: the operations scenario — 32 drill-down clients (the biggest
//     segment's first page) against one `segments serve` for 30 s, the
//     same while a full refresh of every active segment runs on it, then
//     spread over two instances on the same database: req/s and
//     p50/p95/p99 of each.
//   - bitmaps: the first totalCount of the union and of the intersection
//     of 10 segments and their segmentOverlap, answered from membership
//     bitmaps (package bitmap) beside the same answers counted in SQL, on
//     every website and in one website's scope.
//
// -only refresh, -only export, -only load and -only bitmaps reuse the kept
// store.
package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/segments/segments/graph"
	"github.com/segments/segments/server/account"
	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/authn"
	"github.com/segments/segments/server/catalog"
	"github.com/segments/segments/server/change"
	"github.com/segments/segments/server/customer"
	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/seed"
	"github.com/segments/segments/server/segment"
)

func main() {
	customers := flag.Int("customers", 1_000_000, "customers to generate")
	orders := flag.Int("orders", 5_000_000, "orders to generate")
	reps := flag.Int("reps", 40, "repetitions per measurement")
	only := flag.String("only", "", "run only one part: pages, refresh, export, peer, load or bitmaps")
	states := flag.String("states", "fresh,analyze", "statistics states the drill-down is measured in, in order: "+
		"fresh (as `segments seed` leaves the store), analyze (after ANALYZE), vacuum (after VACUUM ANALYZE, as autovacuum leaves it)")
	database := flag.String("database", "", "the bench database's name; default segments_bench_<customers>_<orders>")
	keep := flag.Bool("keep", false, "drill-down and peer: measure the kept store as it is instead of seeding it afresh")
	peer := flag.Bool("peer", true, "compare with PostGraphile 5 under load (installs it with npm into -peer-dir once); false skips it")
	peerDir := flag.String("peer-dir", filepath.Join(cmp.Or(os.Getenv("DATA_DIR"), ".data"), "peer"), "scratch folder PostGraphile is installed into")
	loadDur := flag.Duration("load-duration", 20*time.Second, "peer: how long each point (one server, one query, one concurrency) is measured")
	loadWarm := flag.Duration("load-warmup", 2*time.Second, "peer: load before each point, not measured")
	loadReps := flag.Int("load-reps", 3, "peer: interleaved repetitions of every point; the report gives medians")
	loadClients := flag.String("load-clients", "1,8,32", "peer: concurrent clients of each point, comma-separated")
	loadQueries := flag.String("load-queries", strings.Join(duelKeys, ","), "peer: query shapes, comma-separated: "+
		"first (first page of the biggest segment), tenth (first page of a segment of a tenth of the store), "+
		"deep (the page after its member at 90%), grid (segments grid), total (first page with totalCount)")
	scaleClients := flag.Int("load-scale-clients", 32, "load: concurrent drill-down clients of the operations scenario")
	scaleDur := flag.Duration("load-scale-duration", 30*time.Second, "load: how long each point of the operations scenario is measured")
	trace := flag.Bool("trace", false, "refresh: print where one day later's incremental refresh spends its time, statement by statement")
	flag.Parse()
	lo, err := parseLoadOptions(*peerDir, *loadWarm, *loadDur, *loadReps, *loadClients, *loadQueries)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(2)
	}
	// The bench acts as the system, on every website.
	if err := run(auth.AsSystem(context.Background()), options{customers: *customers, orders: *orders, reps: *reps,
		only: *only, states: strings.Split(*states, ","), keep: *keep, peer: *peer, load: lo, database: *database,
		scaleClients: *scaleClients, scaleDur: *scaleDur, trace: *trace}); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

type options struct {
	customers, orders, reps int
	only, database          string
	states                  []string
	keep                    bool
	peer                    bool
	load                    loadOptions
	// scaleClients and scaleDur shape the operations load scenario.
	scaleClients int
	scaleDur     time.Duration
	// trace prints the statements of one incremental refresh (see
	// printTrace).
	trace bool
}

type bench struct {
	ctx     context.Context
	d       *db.DB
	url     string
	handler http.Handler
	// token is the admin API token each request sends: the handler is
	// the authenticated one, as in production.
	token    string
	lister   *customer.Lister
	recorder *recorder
	reps     int
	trace    bool
}

func run(ctx context.Context, o options) error {
	base := os.Getenv("DATABASE_URL")
	if base == "" {
		return fmt.Errorf("DATABASE_URL is not set: run `make bench`")
	}
	switch o.only {
	case "", "pages", "refresh", "export", "peer", "load", "bitmaps":
	default:
		return fmt.Errorf("-only takes pages, refresh, export, peer, load or bitmaps, got %q", o.only)
	}
	if o.only == "peer" && !o.peer {
		return fmt.Errorf("-only peer measures against PostGraphile, which -peer=false leaves out")
	}
	for _, s := range o.states {
		if _, ok := statePrep[s]; !ok {
			return fmt.Errorf("-states takes fresh, analyze and vacuum, got %q", s)
		}
	}
	pages := o.only == "" || o.only == "pages"
	peer := o.peer && (o.only == "" || o.only == "peer")
	if peer {
		// Before anything long: without npm or its registry the run stops
		// here, saying how to run without the peer.
		if err := installPeer(ctx, o.load.peerDir); err != nil {
			return err
		}
	}
	fresh := (pages || peer) && !o.keep
	name := cmp.Or(o.database, fmt.Sprintf("segments_bench_%d_%d", o.customers, o.orders))
	if fresh {
		// A store that has lived through earlier runs has been vacuumed and
		// analyzed since its seed; a user's first pages are not served from
		// such a store.
		if err := dropDatabase(ctx, base, name); err != nil {
			return err
		}
	}
	dbURL, err := ensureDatabase(ctx, base, name)
	if err != nil {
		return err
	}
	rec := &recorder{}
	d, err := openDB(ctx, dbURL, rec)
	if err != nil {
		return err
	}
	defer d.Close()
	if _, err := db.Migrate(ctx, d.DB, ""); err != nil {
		return err
	}
	fmt.Printf("# Segments benchmark — %d customers, %d orders (database %s)\n\n", o.customers, o.orders, name)
	if fresh {
		// Autovacuum would vacuum and analyze the new tables a minute or so
		// into the run, and the state measured would depend on when it
		// came by. Hold it off until the drill-down part is done.
		restore, err := holdAutovacuum(ctx, d)
		if err != nil {
			return err
		}
		defer restore()
	}
	var n int64
	if err := d.Pool.QueryRow(ctx, `SELECT count(*) FROM customers`).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		if err := seedStore(ctx, d, o.customers, o.orders); err != nil {
			return err
		}
	} else {
		fmt.Printf("seed: reusing the existing store (%d customers); drop database %s to measure seeding\n", n, name)
		// The seed numbers orders 1..M: any beyond are a bench's own, left by
		// a run stopped before it took them back. Orders dated in the future
		// would make every incremental figure larger.
		tag, err := d.Pool.Exec(ctx, `DELETE FROM orders WHERE id > $1`, o.orders)
		if err != nil {
			return err
		}
		if tag.RowsAffected() > 0 {
			fmt.Printf("seed: deleted %d orders a stopped run left behind\n", tag.RowsAffected())
		}
		// The seed writes orders by date, as a store holds them; a store
		// seeded before it did holds each customer's orders together, which
		// makes reading a customer's orders look cheaper than it is.
		var byDate *float64
		if err := d.Pool.QueryRow(ctx, `SELECT correlation FROM pg_stats WHERE schemaname = 'public' AND tablename = 'orders' AND attname = 'created_at'`).Scan(&byDate); err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		if byDate != nil && *byDate < 0.9 {
			fmt.Printf("seed: warning: this store's orders are not laid out by date (correlation %.2f); drop database %s to seed it afresh\n", *byDate, name)
		}
	}

	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	// As serve runs: catalogs and tokens kept in memory, emptied by
	// change notifications.
	changes := change.Listen(d.Pool.Config().ConnConfig, log)
	defer changes.Close()
	catalogs := catalog.NewCache(d, changes)
	accounts := account.NewService(d).CacheTokens(changes)
	_, token, err := accounts.CreateToken(auth.AsSystem(ctx), account.NewToken{Name: "bench " + time.Now().UTC().Format(time.RFC3339Nano), Role: auth.Admin})
	if err != nil {
		return err
	}
	gate, err := authn.New(authn.Config{Accounts: accounts, DB: d, PublicURL: "http://127.0.0.1", Logger: log})
	if err != nil {
		return err
	}
	defer gate.Close()
	b := &bench{ctx: ctx, d: d, url: dbURL, lister: customer.NewLister(d), recorder: rec, reps: o.reps, trace: o.trace, token: token,
		handler: gate.API(graph.NewHandler(&graph.Resolver{DB: d, Segments: segment.NewStore(d).WithCatalog(catalogs), Customers: customer.NewLister(d).WithCatalog(catalogs),
			Catalog: catalogs, TimeZone: "UTC", BaseCurrency: "EUR"}, log))}
	if pages || peer {
		states := o.states
		if !fresh && len(states) > 0 && states[0] == "fresh" {
			states[0] = "kept"
		}
		var vs *versus
		if peer {
			if vs, err = b.startVersus(o.load); err != nil {
				return err
			}
			defer vs.close()
		}
		for _, st := range states {
			if pages {
				err = b.report([]string{st})
			} else {
				err = b.applyState(st)
			}
			if err != nil {
				return err
			}
			if vs != nil {
				if err := vs.run(statePrep[st].title); err != nil {
					return err
				}
			}
		}
	}
	if o.only == "" || o.only == "load" {
		if err := b.scale(o.load, o.scaleClients, o.scaleDur); err != nil {
			return err
		}
	}
	if o.only == "" || o.only == "refresh" {
		if err := b.refresh(); err != nil {
			return err
		}
	}
	if o.only == "" || o.only == "bitmaps" {
		if err := b.bitmaps(); err != nil {
			return err
		}
	}
	if o.only == "" || o.only == "export" {
		return b.export()
	}
	return nil
}

// seedStore fills the empty store as `segments seed` does: the load (which
// ANALYZEs the store's tables), then a refresh of the demo segments (which
// ANALYZEs the membership it wrote).
func seedStore(ctx context.Context, d *db.DB, customers, orders int) error {
	start := time.Now()
	res, err := seed.Run(ctx, d, seed.Options{Customers: customers, Orders: orders, Seed: 1, Now: time.Now(), Location: time.UTC})
	if err != nil {
		return err
	}
	loaded := time.Since(start)
	if _, err := refresher(d).Refresh(ctx, res.SegmentIDs, segment.RefreshOptions{Now: time.Now(), TimeZone: "UTC"}); err != nil {
		return err
	}
	fmt.Printf("seed: load %s (customers %s, orders %s), with refresh of %d segments %s (target: under 2 min)\n",
		loaded.Round(time.Millisecond), res.CustomersTime.Round(time.Millisecond), res.OrdersTime.Round(time.Millisecond),
		len(res.SegmentIDs), time.Since(start).Round(time.Millisecond))
	return nil
}

// refresher is the one place the bench makes a segment.Refresher.
func refresher(d *db.DB) *segment.Refresher { return segment.NewRefresher(d) }

// openDB opens the store as db.Open does, with rec recording the
// statements run under a context it marks.
func openDB(ctx context.Context, dbURL string, rec *recorder) (*db.DB, error) {
	cfg, err := pgxpool.ParseConfig(dbURL)
	if err != nil {
		return nil, err
	}
	cfg.MaxConns = 20
	cfg.ConnConfig.Tracer = rec
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return db.FromPool(pool), nil
}

// benchTables are the tables whose statistics the report's plans depend on.
var benchTables = []string{"customers", "orders", "segment_customers", "segments", "segment_websites",
	"websites", "customer_groups", "segment_set_counts", "segment_website_counts"}

// holdAutovacuum switches autovacuum off for benchTables and returns what
// switches it back on.
func holdAutovacuum(ctx context.Context, d *db.DB) (func(), error) {
	for _, t := range benchTables {
		if _, err := d.Pool.Exec(ctx, `ALTER TABLE `+t+` SET (autovacuum_enabled = off)`); err != nil {
			return nil, err
		}
	}
	return func() {
		for _, t := range benchTables {
			_, _ = d.Pool.Exec(ctx, `ALTER TABLE `+t+` RESET (autovacuum_enabled)`)
		}
	}, nil
}

var timing = regexp.MustCompile(`Time: ([0-9.]+) ms`)

// psqlRun runs script through psql on the bench database and returns its
// output; args come before the database URL.
func (b *bench) psqlRun(script string, args ...string) ([]byte, error) {
	args = append(append([]string{"-X", "-q", "-v", "ON_ERROR_STOP=1"}, args...), b.url)
	cmd := exec.CommandContext(b.ctx, "psql", args...)
	cmd.Stdin = strings.NewReader(script)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return out, fmt.Errorf("psql: %v: %s", err, out)
	}
	return out, nil
}

// psql runs the statements reps+1 times through one psql session (PREPARE
// once, then EXECUTE each in turn, as the server runs them for one page)
// and returns the summed time of the first execution (a new connection's:
// custom plans) and the summed median of the others, as psql reports them.
func (b *bench) psql(stmts []db.Stmt) (first, p50 time.Duration, err error) {
	if len(stmts) == 0 {
		return 0, 0, nil
	}
	var script strings.Builder
	for i, st := range stmts {
		fmt.Fprintf(&script, "PREPARE s%d AS %s;\n", i, st.SQL)
	}
	script.WriteString("\\timing on\n")
	for r := 0; r <= b.reps; r++ {
		for i, st := range stmts {
			fmt.Fprintf(&script, "EXECUTE s%d%s;\n", i, execArgs(st.Args))
		}
	}
	out, err := b.psqlRun(script.String(), "-o", "/dev/null")
	if err != nil {
		return 0, 0, err
	}
	ms := timing.FindAllSubmatch(out, -1)
	if len(ms) != (b.reps+1)*len(stmts) {
		return 0, 0, fmt.Errorf("psql printed %d timings, want %d: %s", len(ms), (b.reps+1)*len(stmts), out)
	}
	times := make([][]time.Duration, len(stmts))
	for k, m := range ms {
		f, _ := strconv.ParseFloat(string(m[1]), 64)
		t := time.Duration(f * float64(time.Millisecond))
		if i := k % len(stmts); k < len(stmts) {
			first += t
		} else {
			times[i] = append(times[i], t)
		}
	}
	for _, ts := range times {
		if len(ts) > 0 {
			p50 += percentile(ts, 50)
		}
	}
	return first, p50, nil
}

func execArgs(args []any) string {
	if len(args) == 0 {
		return ""
	}
	return "(" + literals(args) + ")"
}

func literals(vals []any) string {
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = literal(v)
	}
	return strings.Join(out, ", ")
}

// literal writes v as an SQL literal for psql.
func literal(v any) string {
	if v == nil {
		return "NULL"
	}
	switch v := v.(type) {
	case int:
		return strconv.Itoa(v)
	case int32:
		return strconv.FormatInt(int64(v), 10)
	case int64:
		return strconv.FormatInt(v, 10)
	case bool:
		return strconv.FormatBool(v)
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64)
	case []int64:
		s := make([]string, len(v))
		for i, x := range v {
			s[i] = strconv.FormatInt(x, 10)
		}
		return "'{" + strings.Join(s, ",") + "}'"
	case string:
		return "'" + strings.ReplaceAll(v, "'", "''") + "'"
	case []byte:
		return literal(string(v))
	case *string:
		if v == nil {
			return "NULL"
		}
		return literal(*v)
	case time.Time:
		return "'" + v.Format(time.RFC3339Nano) + "'"
	case []string:
		q := make([]string, len(v))
		for i, x := range v {
			q[i] = `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "'", "''").Replace(x) + `"`
		}
		return "'{" + strings.Join(q, ",") + "}'"
	case interface{ Value() (any, error) }: // driver.Valuer, as bun's arrays
		x, err := v.Value()
		if err != nil {
			panic(fmt.Sprintf("bench: no literal for %T: %v", v, err))
		}
		return literal(x)
	default:
		panic(fmt.Sprintf("bench: no literal for %T", v))
	}
}

func percentile(ts []time.Duration, p int) time.Duration {
	s := slices.Clone(ts)
	slices.Sort(s)
	i := (len(s)*p+99)/100 - 1
	if i < 0 {
		i = 0
	}
	return s[i]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond)) }

// ensureDatabase creates the benchmark database on the server of base if
// it is missing and returns its URL.
func ensureDatabase(ctx context.Context, base, name string) (string, error) {
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		return "", err
	}
	defer conn.Close(ctx)
	var exists bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		return "", err
	}
	if !exists {
		if _, err := conn.Exec(ctx, `CREATE DATABASE `+pgx.Identifier{name}.Sanitize()+` ENCODING 'UTF8' TEMPLATE template0`); err != nil {
			return "", err
		}
	}
	u, err := url.Parse(base)
	if err != nil {
		return "", err
	}
	u.Path = "/" + name
	return u.String(), nil
}

// dropDatabase drops the benchmark database if it exists. It fails rather
// than disconnect anyone still using it.
func dropDatabase(ctx context.Context, base, name string) error {
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `DROP DATABASE IF EXISTS `+pgx.Identifier{name}.Sanitize()); err != nil {
		return fmt.Errorf("drop database %s to seed it afresh (pass -keep to measure it as it is): %w", name, err)
	}
	return nil
}
