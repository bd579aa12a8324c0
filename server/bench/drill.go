package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"time"

	"github.com/segments/segments/server/customer"
	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/explain"
	"github.com/segments/segments/server/page"
)

// statePrep says, for each statistics state the drill-down is measured in,
// what brings the store there and how the report names it.
var statePrep = map[string]struct{ sql, title string }{
	"fresh": {"", "freshly seeded: statistics as `segments seed` leaves them (its ANALYZE of the loaded tables, " +
		"its refresh's ANALYZE of the membership), never vacuumed"},
	"kept":    {"", "the kept store as earlier runs left it (-keep)"},
	"analyze": {"ANALYZE", "after ANALYZE"},
	"vacuum":  {"VACUUM ANALYZE", "after VACUUM ANALYZE (as autovacuum leaves the store: visibility map set)"},
}

// shape is one listing the drill-down measures at every depth.
type shape struct {
	label string
	q     customer.Query
	total bool
}

// depth is where a measured page starts: a fraction of the listing, or
// the last page (the final 50 rows, reached forwards as a user would).
type depth struct {
	name string
	frac float64 // -1 for the last page
}

var depths = []depth{{"first page", 0}, {"10%", 0.1}, {"50%", 0.5}, {"90%", 0.9}, {"last page", -1}}

// report measures drill-down pages at every depth, for every sort of one
// segment and for a union and an intersection, in each statistics state.
func (b *bench) report(states []string) error {
	var big []int64
	if err := b.d.Pool.QueryRow(b.ctx, `SELECT array_agg(id ORDER BY customer_count DESC) FROM
		(SELECT id, customer_count FROM segments ORDER BY customer_count DESC LIMIT 2) s`).Scan(&big); err != nil {
		return err
	}
	var counts [2]int64
	_ = b.d.Pool.QueryRow(b.ctx, `SELECT customer_count FROM segments WHERE id = $1`, big[0]).Scan(&counts[0])
	_ = b.d.Pool.QueryRow(b.ctx, `SELECT customer_count FROM segments WHERE id = $1`, big[1]).Scan(&counts[1])

	var shapes []shape
	for _, f := range []customer.OrderField{customer.OrderID, customer.OrderName, customer.OrderEmail, customer.OrderGroup,
		customer.OrderPhone, customer.OrderZip, customer.OrderCountry, customer.OrderRegion, customer.OrderCustomerSince} {
		shapes = append(shapes, shape{fmt.Sprintf("1 segment, %s", f), customer.Query{SegmentIDs: big[:1], Mode: customer.Union, Order: customer.Order{Field: f}}, false})
	}
	for _, mode := range []customer.Mode{customer.Union, customer.Intersection} {
		for _, f := range []customer.OrderField{customer.OrderID, customer.OrderName} {
			shapes = append(shapes, shape{fmt.Sprintf("2 segments %s, %s, with totalCount", mode, f), customer.Query{SegmentIDs: big, Mode: mode, Order: customer.Order{Field: f}}, true})
		}
	}

	for _, st := range states {
		prep := statePrep[st]
		if prep.sql != "" {
			start := time.Now()
			if _, err := b.d.Pool.Exec(b.ctx, prep.sql); err != nil {
				return err
			}
			fmt.Printf("\n%s: %s\n", prep.sql, time.Since(start).Round(time.Millisecond))
		}
		fmt.Printf("\n## Drill-down, %s\n\n", prep.title)
		if err := b.statistics(); err != nil {
			return err
		}
		fmt.Printf("drill-down segment %d (%d members); union/intersection with segment %d (%d members); 50-row pages\n\n", big[0], counts[0], big[1], counts[1])
		fmt.Println("| query | page | server 1st run | server p50 | server p95 | psql floor 1st / p50 | p50 ÷ floor | p50 ÷ first page's | 1st run ÷ first page's |")
		fmt.Println("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
		var deepest []deepPage
		for _, s := range shapes {
			if s.total {
				if err := b.firstTotal(s); err != nil {
					return err
				}
			}
			last, err := b.depths(s)
			if err != nil {
				return err
			}
			if last != nil {
				deepest = append(deepest, deepPage{s.label, last})
			}
		}
		grid := `{ segments(first: 50, orderBy: {field: CUSTOMER_COUNT, direction: DESC}) { totalCount nodes { id name status customerCount websites { name } } } }`
		p50, p95, err := b.graphql(grid, nil)
		if err != nil {
			return err
		}
		fmt.Printf("| segments grid, 50 rows with websites and totalCount | | | %s | %s | | | | |\n", ms(p50), ms(p95))
		fmt.Println("\nserver = POST /graphql through the real handler in-process with an API token (JSON in and out); 1st run = the first request on a new")
		fmt.Println("pool connection (PostgreSQL plans the first executions of a prepared statement for their values: \"custom plans\");")
		fmt.Println("p50/p95 = the runs after it. floor = every statement the request ran, via psql PREPARE/EXECUTE in one session, same run.")
		fmt.Println("A page at N% starts at row N% of the listing; the last page holds its final 50 rows. \"!\" marks more than 2× the first page.")
		if err := b.explainDeepest(deepest); err != nil {
			return err
		}
	}
	return nil
}

// firstTotal times the first totalCount of a combination alone: it counts;
// later ones (paging, other sorts) reuse the kept count until a refresh.
func (b *bench) firstTotal(s shape) error {
	if s.q.Order.Field != customer.OrderID {
		return nil
	}
	if _, err := b.d.Pool.Exec(b.ctx, `TRUNCATE segment_set_counts`); err != nil {
		return err
	}
	start := time.Now()
	if _, err := b.lister.Count(b.ctx, s.q); err != nil {
		return err
	}
	fmt.Printf("| 2 segments %s, first totalCount (counted, then kept until a refresh) | | | %s | | | | | |\n", s.q.Mode, ms(time.Since(start)))
	return nil
}

type deepPage struct {
	label string
	stmts []db.Stmt
}

// depths measures the pages of s at every depth and returns the statements
// of its last page.
func (b *bench) depths(s shape) ([]db.Stmt, error) {
	n, err := b.lister.Count(b.ctx, s.q)
	if err != nil {
		return nil, err
	}
	fifty := 50
	var first measurement
	var last []db.Stmt
	for i, d := range depths {
		args := page.Args{First: &fifty}
		if i > 0 {
			if n <= 100 {
				break
			}
			row := int64(float64(n) * d.frac)
			if d.frac < 0 {
				row = n - 50
			}
			after, err := b.cursorAt(s.q, row-1)
			if err != nil {
				return nil, err
			}
			args.After = &after
		}
		m, err := b.measure(customerQuery(s.q, args, s.total))
		if err != nil {
			return nil, fmt.Errorf("%s, %s: %w", s.label, d.name, err)
		}
		if i == 0 {
			first = m
		}
		last = m.stmts
		fmt.Printf("| %s | %s | %s | %s | %s | %s / %s | %.1fx | %s | %s |\n", s.label, d.name, ms(m.first), ms(m.p50), ms(m.p95),
			ms(m.floorFirst), ms(m.floorP50), ratio(m.p50, m.floorP50), vsFirst(m.p50, first.p50), vsFirst(m.first, first.first))
	}
	return last, nil
}

func ratio(a, b time.Duration) float64 {
	if b <= 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func vsFirst(a, first time.Duration) string {
	r := ratio(a, first)
	if r > 2 {
		return fmt.Sprintf("%.1fx !", r)
	}
	return fmt.Sprintf("%.1fx", r)
}

type measurement struct {
	first, p50, p95      time.Duration
	floorFirst, floorP50 time.Duration
	stmts                []db.Stmt
}

// measure times one page request: first on a new pool connection
// (recording the statements it runs), then reps times after a warm-up;
// and its floor: the recorded statements through psql.
func (b *bench) measure(query string, vars map[string]any) (measurement, error) {
	var m measurement
	b.newConnections()
	if err := b.d.Pool.Ping(b.ctx); err != nil {
		return m, err
	}
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	ctx, stop := b.recorder.record(b.ctx)
	first, err := b.post(ctx, body)
	m.stmts = reads(stop())
	if err != nil {
		return m, err
	}
	m.first = first
	if m.p50, m.p95, err = b.graphql(query, vars); err != nil {
		return m, err
	}
	if m.floorFirst, m.floorP50, err = b.psql(m.stmts); err != nil {
		return m, err
	}
	return m, nil
}

// newConnections closes every connection, so the next request runs on a
// new one, as a user's first requests do after a deploy or when the pool
// grows: PostgreSQL plans its first executions of each statement for their
// values (custom plans). Pool.Reset alone is not enough: database/sql keeps
// idle connections it acquired from the pool, and the reset leaves those
// alone — the first run then reused a connection whose plans were cached.
func (b *bench) newConnections() {
	sqldb := b.d.SQL()
	sqldb.SetMaxIdleConns(0) // closes the idle ones
	b.d.Pool.Reset()
	// As db.FromPool keeps them.
	sqldb.SetMaxIdleConns(max(2, int(b.d.Pool.Config().MaxConns)/2))
}

// reads keeps the statements that only read (a request may also keep a
// count, or run in a transaction): the floor repeats them reps times.
func reads(stmts []db.Stmt) []db.Stmt {
	var out []db.Stmt
	for _, st := range stmts {
		sql := strings.ToUpper(strings.TrimSpace(st.SQL))
		if strings.HasPrefix(sql, "SELECT") || strings.HasPrefix(sql, "WITH") && !strings.Contains(sql, "INSERT") {
			out = append(out, st)
		}
	}
	return out
}

// cursorAt returns the cursor of row (from 0) of q's listing, the cursor
// the API would give that row.
func (b *bench) cursorAt(q customer.Query, row int64) (string, error) {
	return b.lister.CursorAt(b.ctx, q, row)
}

// statistics prints what the planner knows of the store's tables.
func (b *bench) statistics() error {
	rows, err := b.d.Pool.Query(b.ctx, `SELECT c.relname, c.reltuples::bigint, c.relpages, c.relallvisible,
			to_char(greatest(s.last_analyze, s.last_autoanalyze), 'HH24:MI:SS'),
			to_char(greatest(s.last_vacuum, s.last_autovacuum), 'HH24:MI:SS')
		FROM pg_class c JOIN pg_stat_user_tables s ON s.relid = c.oid
		WHERE c.relname = ANY($1) ORDER BY array_position($1, c.relname::text)`, benchTables)
	if err != nil {
		return err
	}
	defer rows.Close()
	fmt.Println("| table | rows (reltuples) | pages | all-visible pages | last analyzed | last vacuumed |")
	fmt.Println("| --- | ---: | ---: | ---: | --- | --- |")
	for rows.Next() {
		var name string
		var tuples, pages, visible int64
		var analyzed, vacuumed *string
		if err := rows.Scan(&name, &tuples, &pages, &visible, &analyzed, &vacuumed); err != nil {
			return err
		}
		fmt.Printf("| %s | %d | %d | %d | %s | %s |\n", name, tuples, pages, visible, orNever(analyzed), orNever(vacuumed))
	}
	fmt.Println()
	return rows.Err()
}

func orNever(s *string) string {
	if s == nil {
		return "never"
	}
	return *s
}

// explainDeepest prints, for each listing's last page, the plan of each
// statement that reads customers: its first execution on a connection
// (custom plan) and its sixth (the plan cache's choice, generic or not).
func (b *bench) explainDeepest(pages []deepPage) error {
	fmt.Println("\nLast pages: EXPLAIN (ANALYZE, BUFFERS) of each statement through psql, on a new connection. Plan = the topmost node below")
	fmt.Println("Limit/Result; rows read = rows every scan node returned or filtered out; a scan that starts at the beginning of an")
	fmt.Println("index (or a Seq Scan) shows up as rows read far beyond the page's 51.")
	fmt.Println()
	fmt.Println("| query | statement | 1st execution (custom plan) | 6th execution (plan cache's choice) |")
	fmt.Println("| --- | --- | --- | --- |")
	for _, p := range pages {
		var stmts []db.Stmt
		for _, st := range p.stmts {
			if strings.Contains(st.SQL, "customers c") {
				stmts = append(stmts, st)
			}
		}
		if len(stmts) == 0 {
			continue
		}
		const runs = 6
		var script strings.Builder
		for i, st := range stmts {
			fmt.Fprintf(&script, "PREPARE e%d AS %s;\n", i, st.SQL)
		}
		for r := 0; r < runs; r++ {
			for i, st := range stmts {
				fmt.Fprintf(&script, "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) EXECUTE e%d%s;\n", i, execArgs(st.Args))
			}
		}
		out, err := b.psqlRun(script.String(), "-A", "-t")
		if err != nil {
			return err
		}
		dec := json.NewDecoder(bytes.NewReader(out))
		plans := make([][]explained, len(stmts))
		for k := 0; k < runs*len(stmts); k++ {
			var e []explained
			if err := dec.Decode(&e); err != nil || len(e) != 1 {
				return fmt.Errorf("explain %s: %v: %s", p.label, err, out)
			}
			plans[k%len(stmts)] = append(plans[k%len(stmts)], e[0])
		}
		for i, st := range stmts {
			fmt.Printf("| %s | %s | %s | %s |\n", p.label, stmtLabel(st.SQL), plans[i][0].summary(), plans[i][runs-1].summary())
		}
	}
	return nil
}

func stmtLabel(sql string) string {
	switch {
	case strings.Contains(sql, "page_head"):
		return "page (segment check, rows, hasPreviousPage: one statement)"
	case strings.Contains(sql, " AS cursor"):
		return "page rows"
	case strings.Contains(sql, "count("):
		return "count"
	}
	return "other"
}

type explained explain.Plan

// summary is one cell: the top plan node, the rows the scans read (and the
// scan that read most), buffers and time.
func (e explained) summary() string {
	top := e.Root
	for len(top.Plans) > 0 && (top.NodeType == "Limit" || top.NodeType == "Result" || top.NodeType == "Unique" ||
		top.NodeType == "Materialize" || top.NodeType == "Memoize") {
		top = top.Plans[0]
	}
	var most float64
	var mostName string
	e.Root.Walk(func(n explain.Node) {
		if rows := n.Read(); n.Relation != "" && (rows > most || mostName == "") {
			most, mostName = rows, n.Name()
		}
	})
	return fmt.Sprintf("%s; read %.0f rows (most: %s, %.0f); %d buffers; %.2f ms",
		top.Name(), e.Root.Rows(), mostName, most, e.Root.HitBlocks+e.Root.ReadBlocks, e.Execution)
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

// post runs one request through the handler and returns its time.
func (b *bench) post(ctx context.Context, body []byte) (time.Duration, error) {
	req := httptest.NewRequestWithContext(ctx, http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+b.token)
	rec := httptest.NewRecorder()
	start := time.Now()
	b.handler.ServeHTTP(rec, req)
	took := time.Since(start)
	if bytes.Contains(rec.Body.Bytes(), []byte(`"errors"`)) {
		return took, fmt.Errorf("query failed: %s", rec.Body.String())
	}
	return took, nil
}

// graphql times the query through the handler: p50 and p95 of reps runs
// after one warm-up.
func (b *bench) graphql(query string, vars map[string]any) (time.Duration, time.Duration, error) {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	var times []time.Duration
	for i := 0; i <= b.reps; i++ {
		took, err := b.post(b.ctx, body)
		if err != nil {
			return 0, 0, err
		}
		if i > 0 {
			times = append(times, took)
		}
	}
	return percentile(times, 50), percentile(times, 95), nil
}
