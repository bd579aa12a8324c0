package main

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/rule"
	"github.com/segments/segments/server/segment"
)

// refresh measures a full refresh of 20 segments, first into empty
// membership and then with nothing changed, against floors run through
// psql: the counts a DBA would write by hand (one pass over orders with day
// boundaries and statuses normalised once, then one plain count per rule),
// and for the first refresh the same with the members inserted into a
// scratch table. The order measures alone are set beside the floor's one
// pass over orders. The incremental refreshes follow (incremental).
func (b *bench) refresh() (err error) {
	ctx := b.ctx
	ids, err := b.addExtraSegments()
	if err != nil {
		return err
	}
	if _, err := b.d.Pool.Exec(ctx, `TRUNCATE segment_customers, segment_website_counts`); err != nil {
		return err
	}
	if _, err := b.d.Pool.Exec(ctx, `VACUUM ANALYZE segment_customers`); err != nil {
		return err
	}
	// Full: membership was emptied behind the change log's back, and these
	// rows measure re-evaluating every customer.
	opts := segment.RefreshOptions{Now: time.Now(), TimeZone: "UTC", Full: true}
	r := refresher(b.d)
	start := time.Now()
	res, err := r.Refresh(ctx, ids, opts)
	if err != nil {
		return err
	}
	first := time.Since(start)
	members := int64(0)
	ours := map[int64]int64{}
	for _, x := range res {
		members += x.CustomerCount
		ours[x.SegmentID] = x.CustomerCount
	}
	start = time.Now()
	if _, err := r.Refresh(ctx, ids, opts); err != nil {
		return err
	}
	again := time.Since(start)
	measures, segs, err := b.plainSegments(ids, opts.Now, time.UTC)
	if err != nil {
		return err
	}
	counted, counts, err := b.plainFloor(measures, segs, false)
	if err != nil {
		return err
	}
	inserted, _, err := b.plainFloor(measures, segs, true)
	if err != nil {
		return err
	}
	compiled, ourMeasures, err := b.compiledFloor(ids, opts)
	if err != nil {
		return err
	}
	plainMeasured, _, err := b.plainFloor(measures, nil, false)
	if err != nil {
		return err
	}
	defer func() {
		if err == nil {
			err = b.incremental(ids, opts, again)
		}
	}()
	rows := []refreshRow{
		{"first refresh (empty membership)", first, inserted,
			"one pass over orders, one INSERT … SELECT of the members per rule into a scratch table"},
		{"full refresh, nothing changed", again, counted,
			"one pass over orders, one SELECT count(*) per rule"},
		{"order measures alone (our SQL through psql, into a temporary table)", ourMeasures, plainMeasured,
			"the floor's one pass over orders"},
		{"reference: our compiled SQL through psql (our measures, one count per segment)", compiled, counted,
			"the counts above"},
	}
	fmt.Printf("\n## Full refresh, %d segments (%d memberships in all)\n\n", len(ids), members)
	printRefreshRows(rows)
	var differ []string
	for i, s := range segs {
		if counts[i] != ours[s.id] {
			differ = append(differ, fmt.Sprintf("segment %d %q: ours %d, floor %d", s.id, s.name, ours[s.id], counts[i]))
		}
	}
	if len(differ) == 0 {
		fmt.Printf("\nThe floor's counts equal the refresh's for all %d segments.\n", len(segs))
	} else {
		fmt.Printf("\nThe floor's counts differ from the refresh's (the hand-written SQL is wrong, or the refresh is): %s\n", strings.Join(differ, "; "))
	}
	return nil
}

// refreshRow is one line of the refresh table: a run and its floor, plain
// SQL through psql.
type refreshRow struct {
	run       string
	took      time.Duration
	floor     time.Duration
	floorWhat string
}

// printRefreshRows prints the refresh table; the ratio is the run's time
// over its floor's.
func printRefreshRows(rows []refreshRow) {
	fmt.Println("| run | time | floor (psql, hand-written plain SQL) | ratio |")
	fmt.Println("| --- | ---: | ---: | ---: |")
	for _, r := range rows {
		fmt.Printf("| %s | %s | %s: %s | %.2fx |\n", r.run, r.took.Round(time.Millisecond),
			r.floor.Round(time.Millisecond), r.floorWhat, ratio(r.took, r.floor))
	}
}

// addExtraSegments brings the store to 20 segments with extraSegments (on
// every website) and returns the ids of all segments.
func (b *bench) addExtraSegments() ([]int64, error) {
	var n int
	if err := b.d.Pool.QueryRow(b.ctx, `SELECT count(*) FROM segments`).Scan(&n); err != nil {
		return nil, err
	}
	for _, x := range extraSegments()[:max(0, min(6, 20-n))] {
		if _, err := b.d.Pool.Exec(b.ctx, `WITH s AS (INSERT INTO segments (name, conditions) VALUES ($1, $2) RETURNING id)
			INSERT INTO segment_websites (segment_id, website_id) SELECT s.id, w.id FROM s, websites w`, x.name, x.rule); err != nil {
			return nil, err
		}
	}
	var ids []int64
	err := b.d.Pool.QueryRow(b.ctx, `SELECT array_agg(id ORDER BY id) FROM segments`).Scan(&ids)
	return ids, err
}

// plainMeasures is the floors' one pass over orders, as a DBA would write
// it: day boundaries are timestamps computed once (in Go, in the store's
// time zone), statuses compared as stored, lower case.
const plainMeasures = `CREATE TEMP TABLE m AS SELECT customer_id,
	count(*) AS n,
	max(created_at) AS last_order,
	count(*) FILTER (WHERE created_at >= {today-364} AND created_at < {today+1}) AS n365,
	count(*) FILTER (WHERE created_at >= {today-179} AND created_at < {today+1}) AS n180,
	avg(grand_total) FILTER (WHERE created_at >= {today-179} AND created_at < {today+1}) AS avg180,
	count(*) FILTER (WHERE created_at >= {today-89} AND created_at < {today+1}) AS n90,
	count(*) FILTER (WHERE status = 'complete') AS n_complete,
	sum(grand_total) FILTER (WHERE status = 'complete') AS s_complete,
	avg(grand_total) FILTER (WHERE status = 'complete') AS avg_complete
FROM orders GROUP BY customer_id;
ANALYZE m;
`

// plainRules are the demo segments' rules written by hand over customers
// c, customer_groups g and the measures m (NULL for a customer without
// orders), by segment name; the extra segments carry theirs. {today±N} is
// midnight N days from today, {date:YYYY-MM-DD} midnight of that date, both
// in the store's time zone.
var plainRules = map[string]string{
	"Swedish wholesale customers with 3+ orders in the last year": `c.country = 'SE' AND g.code = 'wholesale' AND m.n365 >= 3`,
	"VIP customers":                            `g.code = 'vip'`,
	"High spenders (> 5,000 in total)":         `m.s_complete > 5000`,
	"Lapsed customers (no order in 180+ days)": `m.last_order < {today-180}`,
	"New customers (last 30 days)":             `c.created_at >= {today-30}`,
	"Customers without orders":                 `m.customer_id IS NULL`,
	"Nordic customers":                         `c.country IN ('SE', 'NO', 'DK', 'FI', 'IS')`,
	"Gmail users":                              `c.email LIKE '%@gmail.%'`,
	"Big baskets (average order 250+)":         `m.avg_complete >= 250`,
	"Complete contact details":                 `c.phone IS NOT NULL AND c.zip IS NOT NULL AND c.city IS NOT NULL`,
	"Big-city regulars": `(c.city IN ('Stockholm', 'Göteborg', 'Malmö', 'Oslo', 'Helsinki') OR c.region = 'Region Hovedstaden')
		AND m.n180 >= 2`,
	"Trade customers gone quiet": `g.code IN ('wholesale', 'retailer') AND m.n >= 1 AND m.n90 = 0`,
	"Helsinki postcodes":         `c.country = 'FI' AND c.zip LIKE '00%'`,
	// "Winter sale <year> sign-ups (archived)": see plainRule.
}

// plainRule returns the hand-written predicate of a segment.
func plainRule(name string) (string, bool) {
	if p, ok := plainRules[name]; ok {
		return p, true
	}
	var y int
	if _, err := fmt.Sscanf(name, "Winter sale %d sign-ups (archived)", &y); err == nil {
		return fmt.Sprintf(`c.created_at >= {date:%d-11-01} AND c.created_at < {date:%d-02-01} AND m.n_complete >= 1`, y, y+1), true
	}
	for _, x := range extraSegments() {
		if x.name == name {
			return x.floor, true
		}
	}
	return "", false
}

type plainSegment struct {
	id       int64
	name     string
	websites []int64
	pred     string
}

// from is the FROM and WHERE clauses selecting the segment's members.
func (s plainSegment) from() string {
	return fmt.Sprintf(`FROM customers c JOIN customer_groups g ON g.id = c.group_id LEFT JOIN m ON m.customer_id = c.id
		WHERE c.website_id = ANY(%s) AND %s`, literal(s.websites), s.pred)
}

var dayToken = regexp.MustCompile(`\{(today[+-][0-9]+|date:[0-9-]+)\}`)

// plainSegments reads the segments' names and websites and writes out the
// measures and their hand-written predicates for now in loc.
func (b *bench) plainSegments(ids []int64, now time.Time, loc *time.Location) (string, []plainSegment, error) {
	rows, err := b.d.Pool.Query(b.ctx, `SELECT s.id, s.name, ARRAY(SELECT website_id FROM segment_websites WHERE segment_id = s.id ORDER BY 1)
		FROM segments s WHERE s.id = ANY($1) ORDER BY s.id`, ids)
	if err != nil {
		return "", nil, err
	}
	var segs []plainSegment
	var s plainSegment
	if _, err := pgx.ForEachRow(rows, []any{&s.id, &s.name, &s.websites}, func() error { segs = append(segs, s); return nil }); err != nil {
		return "", nil, err
	}
	y, m, d := now.In(loc).Date()
	var bad error
	expand := func(sql string) string {
		return dayToken.ReplaceAllStringFunc(sql, func(tok string) string {
			tok = strings.Trim(tok, "{}")
			if date, ok := strings.CutPrefix(tok, "date:"); ok {
				t, err := time.ParseInLocation("2006-01-02", date, loc)
				if err != nil {
					bad = err
				}
				return literal(t)
			}
			k, err := strconv.Atoi(strings.TrimPrefix(tok, "today"))
			if err != nil {
				bad = err
			}
			return literal(time.Date(y, m, d+k, 0, 0, 0, 0, loc))
		})
	}
	for i := range segs {
		p, ok := plainRule(segs[i].name)
		if !ok {
			return "", nil, fmt.Errorf("segment %d %q has no hand-written floor: add one to plainRules (or drop the bench database)", segs[i].id, segs[i].name)
		}
		segs[i].pred = expand(p)
	}
	return expand(plainMeasures), segs, bad
}

// plainFloor runs the hand-written floor through psql and returns its time
// and, counting, each segment's count; inserting, it writes the members
// into a scratch table shaped (and indexed) like segment_customers.
func (b *bench) plainFloor(measures string, segs []plainSegment, insert bool) (time.Duration, []int64, error) {
	var script strings.Builder
	script.WriteString("SET work_mem = '256MB'; SET jit = off;\n")
	script.WriteString(measures)
	if insert {
		script.WriteString("DROP TABLE IF EXISTS bench_floor_members;\nCREATE TABLE bench_floor_members (LIKE segment_customers INCLUDING INDEXES);\n")
	}
	for _, s := range segs {
		from := s.from()
		if insert {
			fmt.Fprintf(&script, "INSERT INTO bench_floor_members (segment_id, customer_id, website_id) SELECT %d, c.id, c.website_id %s;\n", s.id, from)
		} else {
			fmt.Fprintf(&script, "SELECT count(*) %s;\n", from)
		}
	}
	if insert {
		script.WriteString("DROP TABLE bench_floor_members;\n")
	}
	start := time.Now()
	out, err := b.psqlRun(script.String(), "-A", "-t")
	if err != nil {
		return 0, nil, err
	}
	took := time.Since(start)
	var counts []int64
	if !insert {
		for _, f := range strings.Fields(string(out)) {
			n, err := strconv.ParseInt(f, 10, 64)
			if err != nil {
				return 0, nil, fmt.Errorf("psql floor printed %q", out)
			}
			counts = append(counts, n)
		}
		if len(counts) != len(segs) {
			return 0, nil, fmt.Errorf("psql floor printed %d counts for %d segments: %s", len(counts), len(segs), out)
		}
	}
	return took, counts, nil
}

// compiledFloor times, through psql, the counts with our own compiled SQL:
// the refresh's order measures in one pass, then one count per segment with
// its compiled predicate (the floor before the hand-written one); and, in
// another run, the measures alone.
func (b *bench) compiledFloor(ids []int64, opts segment.RefreshOptions) (counted, measured time.Duration, err error) {
	rows, err := b.d.Pool.Query(b.ctx, `SELECT s.id, s.conditions,
		ARRAY(SELECT website_id FROM segment_websites WHERE segment_id = s.id) FROM segments s WHERE s.id = ANY($1) ORDER BY s.id`, ids)
	if err != nil {
		return 0, 0, err
	}
	type seg struct {
		g        rule.Group
		websites []int64
	}
	var segs []seg
	var id int64
	var s seg
	if _, err := pgx.ForEachRow(rows, []any{&id, &s.g, &s.websites}, func() error { segs = append(segs, s); return nil }); err != nil {
		return 0, 0, err
	}
	groups := make([]*rule.Group, len(segs))
	for i := range segs {
		groups[i] = &segs[i].g
	}
	windows := rule.Windows(groups...)
	var script strings.Builder
	script.WriteString("SET work_mem = '256MB'; SET jit = off;\n")
	// As the refresh: streamed from the orders index once the visibility
	// map is set.
	stream, err := segment.OrdersVacuumed(b.ctx, b.d)
	if err != nil {
		return 0, 0, err
	}
	if stream {
		script.WriteString("SET enable_hashagg = off;\n")
	}
	args := &db.Args{}
	now, tz := args.Add(opts.Now), args.Add(opts.TimeZone)
	fmt.Fprintf(&script, "PREPARE m AS %s;\nCREATE TEMP TABLE m AS EXECUTE m(%s);\n", rule.MeasuresSQL(windows, now, tz, args), literals(args.Values()))
	// Analyzed, as the floor's (the refresh also adds a primary key).
	script.WriteString("ANALYZE m;\n")
	start := time.Now()
	if _, err := b.psqlRun(script.String(), "-o", "/dev/null"); err != nil {
		return 0, 0, err
	}
	measured = time.Since(start)
	for i, sg := range segs {
		args := &db.Args{}
		now, tz := args.Add(opts.Now), args.Add(opts.TimeZone)
		pred, err := rule.Compile(&sg.g, windows, now, tz, args)
		if err != nil {
			return 0, 0, err
		}
		ws := args.Add(sg.websites)
		fmt.Fprintf(&script, `PREPARE c%d AS SELECT count(*) FROM customers c LEFT JOIN customer_groups g ON g.id = c.group_id
			LEFT JOIN websites w ON w.id = c.website_id LEFT JOIN m ON m.customer_id = c.id WHERE c.website_id = ANY(%s) AND (%s);
			EXECUTE c%d(%s);`+"\n", i, ws, pred, i, literals(args.Values()))
	}
	start = time.Now()
	if _, err := b.psqlRun(script.String(), "-o", "/dev/null"); err != nil {
		return 0, 0, err
	}
	return time.Since(start), measured, nil
}

// extraSegments bring the demo's segments to 20 for the refresh benchmark,
// adding the shapes the demo lacks: windows with statuses, FALSE groups,
// ANY over text, averages. Each comes with its hand-written floor predicate
// (see plainRules).
func extraSegments() []extraSegment {
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
	return []extraSegment{
		{"Benchmark: 5+ orders in the last 365 days", all(true, orders(rule.MeasureOrderCount, rule.OpGte, 365, nil, "5")),
			`m.n365 >= 5`},
		{"Benchmark: completed sales between 1,000 and 5,000", all(true, orders(rule.MeasureSalesTotal, rule.OpBetween, 0, []string{"complete"}, "1000", "5000")),
			`m.s_complete BETWEEN 1000 AND 5000`},
		{"Benchmark: signed up 700+ days ago in DE, GB or US", all(true, leaf(rule.FieldDaysSinceSignup, rule.OpGt, "700"), leaf(rule.FieldCountry, rule.OpIn, "DE", "GB", "US")),
			`c.created_at < {today-700} AND c.country IN ('DE', 'GB', 'US')`},
		{"Benchmark: Hotmail or no phone", anyOf,
			`(c.email LIKE '%hotmail%' OR c.phone IS NULL)`},
		{"Benchmark: not in the general group", all(false, leaf(rule.FieldGroup, rule.OpEq, "general")),
			`g.code <> 'general'`},
		{"Benchmark: average order under 50 in the last 180 days, regions Stock…", all(true, orders(rule.MeasureAverageOrderValue, rule.OpLt, 180, nil, "50"), leaf(rule.FieldRegion, rule.OpStartsWith, "Stock")),
			`COALESCE(m.avg180, 0) < 50 AND c.region LIKE 'Stock%'`},
	}
}

type extraSegment struct {
	name  string
	rule  rule.Group
	floor string // hand-written predicate, as in plainRules
}
