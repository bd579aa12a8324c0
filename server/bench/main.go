// Command bench measures the report on generated data and prints each figure
// beside its floor: the same SQL run through psql in the same run.
//
//	make bench                         # 1,000,000 customers, 5,000,000 orders
//	go run ./server/bench -customers 100000 -orders 500000   # quicker
//
// It needs DATABASE_URL (make bench starts the private PostgreSQL) and psql
// on PATH. The generated store is kept in database segments_bench_<size> and
// reused by later runs.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/segments/segments/graph"
	"github.com/segments/segments/server/customer"
	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/page"
	"github.com/segments/segments/server/rule"
	"github.com/segments/segments/server/seed"
	"github.com/segments/segments/server/segment"
)

func main() {
	customers := flag.Int("customers", 1_000_000, "customers to generate")
	orders := flag.Int("orders", 5_000_000, "orders to generate")
	reps := flag.Int("reps", 40, "repetitions per measurement")
	only := flag.String("only", "", "run only one part: pages, refresh or export")
	flag.Parse()
	if err := run(context.Background(), *customers, *orders, *reps, *only); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

type bench struct {
	ctx     context.Context
	d       *db.DB
	url     string
	handler http.Handler
	lister  *customer.Lister
	reps    int
}

func run(ctx context.Context, customers, orders, reps int, only string) error {
	base := os.Getenv("DATABASE_URL")
	if base == "" {
		return fmt.Errorf("DATABASE_URL is not set: run `make bench`")
	}
	name := fmt.Sprintf("segments_bench_%d_%d", customers, orders)
	dbURL, err := ensureDatabase(ctx, base, name)
	if err != nil {
		return err
	}
	d, err := db.Open(ctx, dbURL)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := db.Migrate(ctx, d.DB); err != nil {
		return err
	}
	fmt.Printf("# Segments benchmark — %d customers, %d orders (database %s)\n\n", customers, orders, name)
	var n int64
	if err := d.Pool.QueryRow(ctx, `SELECT count(*) FROM customers`).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		start := time.Now()
		res, err := seed.Run(ctx, d, seed.Options{Customers: customers, Orders: orders, Seed: 1, Now: time.Now(), Location: time.UTC})
		if err != nil {
			return err
		}
		loaded := time.Since(start)
		if _, err := segment.NewRefresher(d).Refresh(ctx, res.SegmentIDs, segment.RefreshOptions{Now: time.Now(), TimeZone: "UTC"}); err != nil {
			return err
		}
		fmt.Printf("seed: load %s (customers %s, orders %s), with refresh of %d segments %s (target: under 2 min)\n\n",
			loaded.Round(time.Millisecond), res.CustomersTime.Round(time.Millisecond), res.OrdersTime.Round(time.Millisecond),
			len(res.SegmentIDs), time.Since(start).Round(time.Millisecond))
	} else {
		fmt.Printf("seed: reusing the existing store (%d customers); drop database %s to measure seeding\n\n", n, name)
	}

	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	b := &bench{ctx: ctx, d: d, url: dbURL, lister: customer.NewLister(d), reps: reps,
		handler: graph.NewHandler(&graph.Resolver{DB: d, Segments: segment.NewStore(d), Customers: customer.NewLister(d), TimeZone: "UTC", BaseCurrency: "EUR"}, log)}
	if only == "" || only == "pages" {
		if err := b.report(); err != nil {
			return err
		}
	}
	if only == "" || only == "refresh" {
		if err := b.refresh(); err != nil {
			return err
		}
	}
	if only == "" || only == "export" {
		return b.export()
	}
	return nil
}

func (b *bench) report() error {
	var big []int64
	if err := b.d.Pool.QueryRow(b.ctx, `SELECT array_agg(id ORDER BY customer_count DESC) FROM
		(SELECT id, customer_count FROM segments ORDER BY customer_count DESC LIMIT 2) s`).Scan(&big); err != nil {
		return err
	}
	var counts [2]int64
	_ = b.d.Pool.QueryRow(b.ctx, `SELECT customer_count FROM segments WHERE id = $1`, big[0]).Scan(&counts[0])
	_ = b.d.Pool.QueryRow(b.ctx, `SELECT customer_count FROM segments WHERE id = $1`, big[1]).Scan(&counts[1])
	fmt.Printf("drill-down segment %d (%d members); union/intersection with segment %d (%d members)\n\n", big[0], counts[0], big[1], counts[1])
	fmt.Println("| query | server p50 | server p95 | psql floor p50 | ratio p50 |")
	fmt.Println("| --- | ---: | ---: | ---: | ---: |")

	fields := []customer.OrderField{customer.OrderID, customer.OrderName, customer.OrderEmail, customer.OrderGroup,
		customer.OrderPhone, customer.OrderZip, customer.OrderCountry, customer.OrderRegion, customer.OrderCustomerSince}
	for _, f := range fields {
		q := customer.Query{SegmentIDs: big[:1], Mode: customer.Union, Order: customer.Order{Field: f}}
		if err := b.pages(fmt.Sprintf("1 segment, %s", f), q, false); err != nil {
			return err
		}
	}
	for _, mode := range []customer.Mode{customer.Union, customer.Intersection} {
		// The first totalCount of a combination counts; later ones (paging,
		// other sorts) reuse it until a refresh. Time the first one alone.
		if _, err := b.d.Pool.Exec(b.ctx, `TRUNCATE segment_set_counts`); err != nil {
			return err
		}
		start := time.Now()
		if _, err := b.lister.Count(b.ctx, customer.Query{SegmentIDs: big, Mode: mode}); err != nil {
			return err
		}
		fmt.Printf("| 2 segments %s, first totalCount (counted, then kept until a refresh) | %s | | | |\n", mode, ms(time.Since(start)))
		for _, f := range []customer.OrderField{customer.OrderID, customer.OrderName} {
			q := customer.Query{SegmentIDs: big, Mode: mode, Order: customer.Order{Field: f}}
			if err := b.pages(fmt.Sprintf("2 segments %s, %s, with totalCount", mode, f), q, true); err != nil {
				return err
			}
		}
	}
	grid := `{ segments(first: 50, orderBy: {field: CUSTOMER_COUNT, direction: DESC}) { totalCount nodes { id name status customerCount websites { name } } } }`
	p50, p95, err := b.graphql(grid, nil)
	if err != nil {
		return err
	}
	fmt.Printf("| segments grid, 50 rows with websites and totalCount | %s | %s | | |\n", ms(p50), ms(p95))
	fmt.Println("\nserver = POST /graphql through the real handler in-process (JSON in and out); floor = the page's own SQL via psql EXECUTE, same run.")
	return nil
}

// extraSegments bring the demo's segments to 20 for the refresh benchmark,
// adding the shapes the demo lacks: windows with statuses, FALSE groups,
// ANY over text, averages.
func extraSegments() []rule.Group {
	leaf := func(f rule.CustomerField, op rule.Operator, v ...string) rule.Condition {
		return rule.Condition{Customer: &rule.CustomerCondition{Field: f, Operator: op, Values: v}}
	}
	orders := func(m rule.OrderMeasure, op rule.Operator, days int, statuses []string, v ...string) rule.Condition {
		o := &rule.OrderCondition{Measure: m, Operator: op, Values: v, Statuses: statuses}
		if days > 0 {
			o.WithinDays = &days
		}
		return rule.Condition{Orders: o}
	}
	all := func(expect bool, c ...rule.Condition) rule.Group {
		return rule.Group{Match: rule.MatchAll, Expect: expect, Conditions: c}
	}
	anyOf := rule.Group{Match: rule.MatchAny, Expect: true, Conditions: []rule.Condition{
		leaf(rule.FieldEmail, rule.OpContains, "hotmail"), leaf(rule.FieldPhone, rule.OpIsEmpty)}}
	return []rule.Group{
		all(true, orders(rule.MeasureOrderCount, rule.OpGte, 365, nil, "5")),
		all(true, orders(rule.MeasureSalesTotal, rule.OpBetween, 0, []string{"complete"}, "1000", "5000")),
		all(true, leaf(rule.FieldDaysSinceSignup, rule.OpGt, "700"), leaf(rule.FieldCountry, rule.OpIn, "DE", "GB", "US")),
		anyOf,
		all(false, leaf(rule.FieldGroup, rule.OpEq, "general")),
		all(true, orders(rule.MeasureAverageOrderValue, rule.OpLt, 180, nil, "50"), leaf(rule.FieldRegion, rule.OpStartsWith, "Stock")),
	}
}

// export measures exports of (about) every customer to CSV and Excel XML
// through `segments export` (the export job, in a process of its own so its
// peak memory can be read), against the floor: psql \copy of the same
// SELECT to a file.
func (b *bench) export() error {
	var ids []int64
	if err := b.d.Pool.QueryRow(b.ctx, `SELECT array_agg(id ORDER BY id) FROM segments`).Scan(&ids); err != nil {
		return err
	}
	q := customer.Query{SegmentIDs: ids, Mode: customer.Union, Order: customer.Order{Field: customer.OrderID}}
	n, err := b.lister.Count(b.ctx, q)
	if err != nil {
		return err
	}
	sql, args, err := b.lister.AllSQL(b.ctx, q)
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "segments-bench-export")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	// The floor: the same rows straight out of PostgreSQL as CSV.
	inlined := sql
	for i := len(args); i >= 1; i-- {
		inlined = strings.ReplaceAll(inlined, fmt.Sprintf("$%d", i), literal(args[i-1]))
	}
	start := time.Now()
	cmd := exec.CommandContext(b.ctx, "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", b.url, "-c",
		fmt.Sprintf("\\copy (%s) TO '%s/floor.csv' CSV HEADER", strings.Join(strings.Fields(inlined), " "), dir))
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("psql copy: %v: %s", err, out)
	}
	floor := time.Since(start)

	fmt.Printf("\n## Export of %d customers (union of all %d segments, ID order)\n\n", n, len(ids))
	fmt.Println("| format | time | floor (psql \\copy of the same SELECT) | ratio | peak RSS of the exporting process |")
	fmt.Println("| --- | ---: | ---: | ---: | ---: |")
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	segs := make([]string, 0, 2*len(ids))
	for _, id := range ids {
		segs = append(segs, "--segment", strconv.FormatInt(id, 10))
	}
	for _, f := range []string{"csv", "excel-xml"} {
		args := append([]string{"export", "--database-url", b.url, "--data-dir", dir, "--format", f, "-o", dir + "/out." + f}, segs...)
		cmd := exec.CommandContext(b.ctx, segmentsBinary(exe), args...)
		start := time.Now()
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("segments export: %v: %s", err, out)
		}
		took := time.Since(start)
		rss := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss // KiB on Linux
		fmt.Printf("| %s | %s | %s | %.2fx | %.0f MiB |\n", f, took.Round(time.Millisecond), floor.Round(time.Millisecond), float64(took)/float64(floor), float64(rss)/1024)
	}
	return nil
}

// segmentsBinary finds bin/segments (make bench builds it) from the
// working directory.
func segmentsBinary(string) string {
	if p, err := filepath.Abs("bin/segments"); err == nil {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return "segments"
}

// refresh measures a full refresh of 20 segments, first into empty
// membership and then with nothing changed, against the floor: one pass
// over orders, then one count per segment, through psql.
func (b *bench) refresh() error {
	ctx := b.ctx
	var n int
	if err := b.d.Pool.QueryRow(ctx, `SELECT count(*) FROM segments`).Scan(&n); err != nil {
		return err
	}
	for _, g := range extraSegments()[:max(0, min(6, 20-n))] {
		if _, err := b.d.Pool.Exec(ctx, `WITH s AS (INSERT INTO segments (name, conditions) VALUES ('Benchmark segment', $1) RETURNING id)
			INSERT INTO segment_websites (segment_id, website_id) SELECT s.id, w.id FROM s, websites w`, g); err != nil {
			return err
		}
	}
	var ids []int64
	if err := b.d.Pool.QueryRow(ctx, `SELECT array_agg(id ORDER BY id) FROM segments`).Scan(&ids); err != nil {
		return err
	}
	if _, err := b.d.Pool.Exec(ctx, `TRUNCATE segment_customers, segment_website_counts`); err != nil {
		return err
	}
	if _, err := b.d.Pool.Exec(ctx, `VACUUM ANALYZE segment_customers`); err != nil {
		return err
	}
	opts := segment.RefreshOptions{Now: time.Now(), TimeZone: "UTC"}
	r := segment.NewRefresher(b.d)
	start := time.Now()
	res, err := r.Refresh(ctx, ids, opts)
	if err != nil {
		return err
	}
	first := time.Since(start)
	members := int64(0)
	for _, x := range res {
		members += x.CustomerCount
	}
	start = time.Now()
	if _, err := r.Refresh(ctx, ids, opts); err != nil {
		return err
	}
	again := time.Since(start)
	floor, err := b.refreshFloor(ids, opts)
	if err != nil {
		return err
	}
	fmt.Printf("\n## Full refresh, %d segments (%d memberships in all)\n\n", len(ids), members)
	fmt.Println("| run | time | floor (psql: one pass over orders, one count per segment) | ratio |")
	fmt.Println("| --- | ---: | ---: | ---: |")
	fmt.Printf("| first refresh (empty membership) | %s | %s | %.2fx (target 3x) |\n", first.Round(time.Millisecond), floor.Round(time.Millisecond), float64(first)/float64(floor))
	fmt.Printf("| refresh, nothing changed | %s | %s | %.2fx (target 1.5x) |\n", again.Round(time.Millisecond), floor.Round(time.Millisecond), float64(again)/float64(floor))
	return nil
}

// refreshFloor times, through psql, the cheapest SQL computing the same
// memberships' counts: the order measures in one pass, then one count per
// segment with the same compiled predicates.
func (b *bench) refreshFloor(ids []int64, opts segment.RefreshOptions) (time.Duration, error) {
	rows, err := b.d.Pool.Query(b.ctx, `SELECT s.id, s.conditions,
		ARRAY(SELECT website_id FROM segment_websites WHERE segment_id = s.id) FROM segments s WHERE s.id = ANY($1) ORDER BY s.id`, ids)
	if err != nil {
		return 0, err
	}
	type seg struct {
		g        rule.Group
		websites []int64
	}
	var segs []seg
	var id int64
	var s seg
	if _, err := pgx.ForEachRow(rows, []any{&id, &s.g, &s.websites}, func() error { segs = append(segs, s); return nil }); err != nil {
		return 0, err
	}
	groups := make([]*rule.Group, len(segs))
	for i := range segs {
		groups[i] = &segs[i].g
	}
	windows := rule.Windows(groups...)
	var script strings.Builder
	script.WriteString("SET work_mem = '256MB'; SET jit = off;\n")
	args := new(db.Args)
	now, tz := args.Add(opts.Now), args.Add(opts.TimeZone)
	fmt.Fprintf(&script, "PREPARE m AS %s;\nCREATE TEMP TABLE m AS EXECUTE m(%s);\n", rule.MeasuresSQL(windows, now, tz, args), literals(args.Values()))
	for i, sg := range segs {
		args := new(db.Args)
		now, tz := args.Add(opts.Now), args.Add(opts.TimeZone)
		pred, err := rule.Compile(&sg.g, windows, now, tz, args)
		if err != nil {
			return 0, err
		}
		ws := args.Add(sg.websites)
		fmt.Fprintf(&script, `PREPARE c%d AS SELECT count(*) FROM customers c LEFT JOIN customer_groups g ON g.id = c.group_id
			LEFT JOIN websites w ON w.id = c.website_id LEFT JOIN m ON m.customer_id = c.id WHERE c.website_id = ANY(%s) AND (%s);
			EXECUTE c%d(%s);`+"\n", i, ws, pred, i, literals(args.Values()))
	}
	cmd := exec.CommandContext(b.ctx, "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-o", "/dev/null", b.url)
	cmd.Stdin = strings.NewReader(script.String())
	start := time.Now()
	if out, err := cmd.CombinedOutput(); err != nil {
		return 0, fmt.Errorf("psql floor: %v: %s", err, out)
	}
	return time.Since(start), nil
}

func literals(vals []any) string {
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = literal(v)
	}
	return strings.Join(out, ", ")
}

// pages measures the first page and a page at depth (starting 100 rows
// before the end) of q, 50 rows each.
func (b *bench) pages(label string, q customer.Query, total bool) error {
	fifty, hundred := 50, 100
	last, err := b.lister.List(b.ctx, q, page.Args{Last: &hundred})
	if err != nil {
		return err
	}
	if len(last.Cursors) == 0 {
		fmt.Printf("| %s | (empty) | | | |\n", label)
		return nil
	}
	deep := last.Cursors[0]
	for _, c := range []struct {
		name string
		args page.Args
	}{{"first page", page.Args{First: &fifty}}, {"deep page", page.Args{First: &fifty, After: &deep}}} {
		p50, p95, err := b.graphql(customerQuery(q, c.args, total))
		if err != nil {
			return err
		}
		stmts, err := b.lister.PageSQL(b.ctx, q, c.args)
		if err != nil {
			return err
		}
		var floor time.Duration // a page may take two statements (NULLs)
		for _, st := range b.needed(stmts, 50) {
			f, err := b.psql(st.SQL, st.Args)
			if err != nil {
				return err
			}
			floor += f
		}
		fmt.Printf("| %s, %s | %s | %s | %s | %.1fx |\n", label, c.name, ms(p50), ms(p95), ms(floor), float64(p50)/float64(floor))
	}
	return nil
}

// needed returns the statements the server actually runs for a page of
// limit rows: it stops once it has limit+1 rows, as page.Rows does.
func (b *bench) needed(stmts []db.Stmt, limit int) []db.Stmt {
	got := 0
	for i, st := range stmts {
		rows, err := b.d.Pool.Query(b.ctx, st.SQL, st.Args...)
		if err != nil {
			return stmts
		}
		for rows.Next() {
			got++
		}
		rows.Close()
		if got > limit {
			return stmts[:i+1]
		}
	}
	return stmts
}

func customerQuery(q customer.Query, a page.Args, total bool) (string, map[string]any) {
	ids := make([]string, len(q.SegmentIDs))
	for i, id := range q.SegmentIDs {
		ids[i] = strconv.FormatInt(id, 10)
	}
	sel := `edges { cursor node { id name email group { name } phone zip country { name } region customerSince } } pageInfo { hasNextPage hasPreviousPage }`
	if total {
		sel += " totalCount"
	}
	return `query($ids: [ID!]!, $mode: SegmentSetMode, $first: Int, $after: String, $order: CustomerOrder) {
		segmentCustomers(segmentIds: $ids, mode: $mode, first: $first, after: $after, orderBy: $order) { ` + sel + ` } }`,
		map[string]any{"ids": ids, "mode": string(q.Mode), "first": a.First, "after": a.After, "order": map[string]any{"field": string(q.Order.Field)}}
}

// graphql times the query through the handler: p50 and p95 of reps runs
// after one warm-up.
func (b *bench) graphql(query string, vars map[string]any) (time.Duration, time.Duration, error) {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	var times []time.Duration
	for i := 0; i <= b.reps; i++ {
		req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		start := time.Now()
		b.handler.ServeHTTP(rec, req)
		took := time.Since(start)
		if bytes.Contains(rec.Body.Bytes(), []byte(`"errors"`)) {
			return 0, 0, fmt.Errorf("query failed: %s", rec.Body.String())
		}
		if i > 0 {
			times = append(times, took)
		}
	}
	return percentile(times, 50), percentile(times, 95), nil
}

var timing = regexp.MustCompile(`Time: ([0-9.]+) ms`)

// psql runs sql reps times through one psql session (PREPARE once, then
// EXECUTE) and returns the median execution time psql reports.
func (b *bench) psql(sql string, args []any) (time.Duration, error) {
	lits := make([]string, len(args))
	for i, a := range args {
		lits[i] = literal(a)
	}
	var script strings.Builder
	script.WriteString("PREPARE p AS " + sql + ";\n\\timing on\n")
	for i := 0; i <= b.reps; i++ {
		fmt.Fprintf(&script, "EXECUTE p(%s);\n", strings.Join(lits, ", "))
	}
	cmd := exec.CommandContext(b.ctx, "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-o", "/dev/null", b.url)
	cmd.Stdin = strings.NewReader(script.String())
	out, err := cmd.CombinedOutput()
	if err != nil {
		return 0, fmt.Errorf("psql: %v: %s", err, out)
	}
	var times []time.Duration
	for i, m := range timing.FindAllSubmatch(out, -1) {
		if i == 0 {
			continue // warm-up
		}
		f, _ := strconv.ParseFloat(string(m[1]), 64)
		times = append(times, time.Duration(f*float64(time.Millisecond)))
	}
	if len(times) == 0 {
		return 0, fmt.Errorf("psql printed no timings: %s", out)
	}
	return percentile(times, 50), nil
}

func literal(v any) string {
	switch v := v.(type) {
	case int:
		return strconv.Itoa(v)
	case int64:
		return strconv.FormatInt(v, 10)
	case []int64:
		s := make([]string, len(v))
		for i, x := range v {
			s[i] = strconv.FormatInt(x, 10)
		}
		return "'{" + strings.Join(s, ",") + "}'"
	case string:
		return "'" + strings.ReplaceAll(v, "'", "''") + "'"
	case time.Time:
		return "'" + v.Format(time.RFC3339Nano) + "'"
	case []string:
		q := make([]string, len(v))
		for i, x := range v {
			q[i] = `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "'", "''").Replace(x) + `"`
		}
		return "'{" + strings.Join(q, ",") + "}'"
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
