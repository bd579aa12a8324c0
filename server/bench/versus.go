package main

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/segments/segments/server/customer"
	"github.com/segments/segments/server/page"
)

// loadOptions say how long and how hard the comparison with the peer loads
// each server.
type loadOptions struct {
	peerDir     string
	warm, dur   time.Duration
	reps        int
	concurrency []int
	queries     []string // duel keys, in order
}

// duelKeys are the query shapes the comparison knows, in report order.
var duelKeys = []string{"first", "tenth", "deep", "grid", "total"}

// duel is one query shape as ours and the peer ask it: the same rows,
// columns and page, each in its own API.
type duel struct {
	key, label string
	ours, peer request
	// want is how many nodes each answer holds; ordered says the two
	// answers list the same ids in the same order (else as the same set).
	want    int
	ordered bool
}

// request is one server's form of a duel: the body posted, and where the
// answer's nodes and each node's id are.
type request struct {
	body        []byte
	nodes, id   []string
	description string
}

// The nine columns of a drill-down row (id, first and last name, email,
// group name, phone, zip, country, region, customer since), 50 to a page,
// ID order, each API's way.
const (
	oursPageQuery = `query Page($ids: [ID!]!, $after: String) {
  segmentCustomers(segmentIds: $ids, first: 50, after: $after) {
    pageInfo { hasNextPage endCursor }%s
    nodes { id firstName lastName email group { name } phone zip country { name } region customerSince }
  }
}`
	peerPageQuery = `query Page($id: BigInt!, $after: Cursor) {
  segmentByRowId(rowId: $id) {
    segmentCustomersBySegmentId(first: 50, after: $after, orderBy: PRIMARY_KEY_ASC) {
      pageInfo { hasNextPage endCursor }%s
      nodes { customerByCustomerId { rowId firstName lastName email customerGroupByGroupId { name } phone zip country region createdAt } }
    }
  }
}`
	oursGridQuery = `query Grid {
  segments(first: 50, orderBy: {field: CUSTOMER_COUNT, direction: DESC}) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { id name status customerCount websites { name } }
  }
}`
	peerGridQuery = `query Grid {
  allSegments(first: 50, orderBy: CUSTOMER_COUNT_DESC) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { rowId name isActive customerCount segmentWebsitesBySegmentId { nodes { websiteByWebsiteId { name } } } }
  }
}`
	// peerCursorQuery asks the peer for its cursor of one member (by
	// offset, once): the deep page is then the page after it.
	peerCursorQuery = `query Cursor($id: BigInt!, $offset: Int!) {
  segmentByRowId(rowId: $id) {
    segmentCustomersBySegmentId(first: 1, offset: $offset, orderBy: PRIMARY_KEY_ASC) {
      pageInfo { endCursor }
      nodes { customerId }
    }
  }
}`
)

var (
	oursPageNodes = []string{"segmentCustomers", "nodes"}
	peerPageNodes = []string{"segmentByRowId", "segmentCustomersBySegmentId", "nodes"}
	peerPageID    = []string{"customerByCustomerId", "rowId"}
)

func withTotal(q string, total bool) string {
	if total {
		return fmt.Sprintf(q, " totalCount")
	}
	return fmt.Sprintf(q, "")
}

func body(query string, vars map[string]any) []byte {
	b, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		panic(err) // only strings and numbers
	}
	return b
}

// pageDuel is a drill-down page of segment id, after the given cursors
// (none: the first page).
func pageDuel(key, label string, id int64, oursAfter, peerAfter *string, total bool) duel {
	sid := strconv.FormatInt(id, 10)
	return duel{key: key, label: label, want: 50, ordered: true,
		ours: request{body: body(withTotal(oursPageQuery, total), map[string]any{"ids": []string{sid}, "after": oursAfter}),
			nodes: oursPageNodes, id: []string{"id"}},
		peer: request{body: body(withTotal(peerPageQuery, total), map[string]any{"id": sid, "after": peerAfter}),
			nodes: peerPageNodes, id: peerPageID},
	}
}

func gridDuel(segments int) duel {
	return duel{key: "grid", label: fmt.Sprintf("segments grid, 50 rows with websites and totalCount (%d segments)", segments),
		want: min(segments, 50),
		ours: request{body: body(oursGridQuery, nil), nodes: []string{"segments", "nodes"}, id: []string{"id"}},
		peer: request{body: body(peerGridQuery, nil), nodes: []string{"allSegments", "nodes"}, id: []string{"rowId"}},
	}
}

// nodeIDs reads the ids of the nodes of a GraphQL answer: the list at
// nodes under "data", and in each node the value at id.
func nodeIDs(answer []byte, nodes, id []string) ([]string, error) {
	dec := json.NewDecoder(bytes.NewReader(answer))
	dec.UseNumber()
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("answer is not JSON: %w", err)
	}
	list, ok := walk(doc["data"], nodes).([]any)
	if !ok {
		return nil, fmt.Errorf("answer has no list at data.%s: %s", strings.Join(nodes, "."), snippet(answer))
	}
	ids := make([]string, len(list))
	for i, n := range list {
		switch v := walk(n, id).(type) {
		case string:
			ids[i] = v
		case json.Number:
			ids[i] = v.String()
		default:
			return nil, fmt.Errorf("node %d has no id at %s: %s", i, strings.Join(id, "."), snippet(answer))
		}
	}
	return ids, nil
}

func walk(v any, path []string) any {
	for _, k := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

// versus runs the comparison: our real server and the peer, both started
// by the bench on its database, loaded with the same query shapes by the
// same load generator.
type versus struct {
	b          *bench
	opts       loadOptions
	ours, peer *server
	dataDir    string // ours's DATA_DIR, removed at the end
	client     *http.Client
	duels      []duel
}

// startVersus starts both servers and prepares the duels of opts.queries.
func (b *bench) startVersus(opts loadOptions) (*versus, error) {
	// Both the bench and the server seal cursors with this key, so the
	// bench can hand the server a cursor deep into a listing.
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return nil, err
	}
	key := hex.EncodeToString(raw)
	codec, err := page.NewCodec([]byte(key))
	if err != nil {
		return nil, err
	}
	page.Use(codec)
	dataDir, err := os.MkdirTemp("", "segments-bench-serve")
	if err != nil {
		return nil, err
	}
	v := &versus{b: b, opts: opts, dataDir: dataDir, client: newLoadClient(slices.Max(opts.concurrency))}
	if v.ours, err = startOurs(b.ctx, b.url, b.token, key, dataDir); err != nil {
		v.close()
		return nil, err
	}
	if v.peer, err = startPeer(b.ctx, opts.peerDir, b.url); err != nil {
		v.close()
		return nil, err
	}
	if v.duels, err = v.prepare(); err != nil {
		v.close()
		return nil, err
	}
	return v, nil
}

func (v *versus) close() {
	v.ours.stop()
	v.peer.stop()
	_ = os.RemoveAll(v.dataDir)
}

// prepare picks the segments and the deep member, and builds each duel.
func (v *versus) prepare() ([]duel, error) {
	ctx, pool := v.b.ctx, v.b.d.Pool
	var big, bigCount, customers, segments int64
	if err := pool.QueryRow(ctx, `SELECT id, customer_count FROM segments ORDER BY customer_count DESC, id LIMIT 1`).Scan(&big, &bigCount); err != nil {
		return nil, fmt.Errorf("the comparison needs a seeded store: %w", err)
	}
	if bigCount < 200 {
		return nil, fmt.Errorf("the biggest segment has %d members; the comparison needs at least 200", bigCount)
	}
	if err := pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM customers), (SELECT count(*) FROM segments)`).Scan(&customers, &segments); err != nil {
		return nil, err
	}
	// The segment nearest a tenth of the store.
	var tenth, tenthCount int64
	if err := pool.QueryRow(ctx, `SELECT id, customer_count FROM segments WHERE id <> $1 AND customer_count >= 50
		ORDER BY abs(customer_count - $2), id LIMIT 1`, big, customers/10).Scan(&tenth, &tenthCount); err != nil {
		return nil, fmt.Errorf("no second segment of 50 members or more: %w", err)
	}
	var duels []duel
	for _, key := range v.opts.queries {
		switch key {
		case "first":
			duels = append(duels, pageDuel(key, fmt.Sprintf("first page, no totalCount (%d-member segment)", bigCount), big, nil, nil, false))
		case "tenth":
			duels = append(duels, pageDuel(key, fmt.Sprintf("first page of a %d-member segment", tenthCount), tenth, nil, nil, false))
		case "deep":
			d, err := v.deepDuel(big, bigCount)
			if err != nil {
				return nil, err
			}
			duels = append(duels, d)
		case "grid":
			duels = append(duels, gridDuel(int(segments)))
		case "total":
			duels = append(duels, pageDuel(key, "first page with totalCount", big, nil, nil, true))
		}
	}
	return duels, nil
}

// deepDuel is the page after the member at 90% of the biggest segment:
// ours after the cursor our API would give that member, the peer's after
// the cursor it gives the same member.
func (v *versus) deepDuel(big, n int64) (duel, error) {
	row := int64(float64(n) * 0.9)
	var member int64
	if err := v.b.d.Pool.QueryRow(v.b.ctx, `SELECT customer_id FROM segment_customers WHERE segment_id = $1
		ORDER BY customer_id OFFSET $2 LIMIT 1`, big, row-1).Scan(&member); err != nil {
		return duel{}, err
	}
	q := customer.Query{SegmentIDs: []int64{big}, Mode: customer.Union, Order: customer.Order{Field: customer.OrderID}}
	ours, err := v.b.cursorAt(q, row-1)
	if err != nil {
		return duel{}, err
	}
	var answer bytes.Buffer
	if err := post(v.b.ctx, v.client, v.peer.target, body(peerCursorQuery, map[string]any{"id": strconv.FormatInt(big, 10), "offset": row - 1}), &answer); err != nil {
		return duel{}, err
	}
	var got struct {
		Data struct {
			Segment struct {
				Members struct {
					PageInfo struct{ EndCursor string } `json:"pageInfo"`
					Nodes    []struct {
						CustomerID string `json:"customerId"`
					} `json:"nodes"`
				} `json:"segmentCustomersBySegmentId"`
			} `json:"segmentByRowId"`
		} `json:"data"`
	}
	if err := json.Unmarshal(answer.Bytes(), &got); err != nil {
		return duel{}, fmt.Errorf("peer cursor: %w", err)
	}
	m := got.Data.Segment.Members
	if len(m.Nodes) != 1 || m.Nodes[0].CustomerID != strconv.FormatInt(member, 10) || m.PageInfo.EndCursor == "" {
		return duel{}, fmt.Errorf("peer cursor: want the cursor of customer %d, got %s", member, snippet(answer.Bytes()))
	}
	label := fmt.Sprintf("page after customer %d (row %d of %d)", member, row, n)
	return pageDuel("deep", label, big, &ours, &m.PageInfo.EndCursor, false), nil
}

// check posts each duel once to each server and fails unless both answer
// with the same want nodes.
func (v *versus) check(d duel) error {
	var ids [2][]string
	for i, side := range []struct {
		t *server
		r request
	}{{v.ours, d.ours}, {v.peer, d.peer}} {
		var answer bytes.Buffer
		if err := post(v.b.ctx, v.client, side.t.target, side.r.body, &answer); err != nil {
			return fmt.Errorf("%s: %w", d.label, err)
		}
		got, err := nodeIDs(answer.Bytes(), side.r.nodes, side.r.id)
		if err != nil {
			return fmt.Errorf("%s, %s: %w", d.label, side.t.name, err)
		}
		if len(got) != d.want {
			return fmt.Errorf("%s: %s answered %d nodes, want %d: %s", d.label, side.t.name, len(got), d.want, snippet(answer.Bytes()))
		}
		if !d.ordered {
			slices.Sort(got)
		}
		ids[i] = got
	}
	if !slices.Equal(ids[0], ids[1]) {
		return fmt.Errorf("%s: ours and the peer answered different rows: %v against %v", d.label, ids[0], ids[1])
	}
	return nil
}

// cell is one duel at one concurrency: each server's point in each repetition.
type cell struct{ ours, peer []loadResult }

// run measures every duel at every concurrency, opts.reps times
// interleaved (ours then the peer, the peer first in every other
// repetition), and prints the medians.
func (v *versus) run(title string) error {
	fmt.Printf("\n## Against PostGraphile 5, %s\n\n", title)
	for _, d := range v.duels {
		if err := v.check(d); err != nil {
			return err
		}
	}
	before := loadAverage()
	cells := make([][]cell, len(v.duels))
	for i := range cells {
		cells[i] = make([]cell, len(v.opts.concurrency))
	}
	for rep := range v.opts.reps {
		for i, d := range v.duels {
			for j, c := range v.opts.concurrency {
				sides := []*server{v.ours, v.peer}
				if rep%2 == 1 {
					sides[0], sides[1] = sides[1], sides[0]
				}
				for _, s := range sides {
					if err := s.alive(); err != nil {
						return err
					}
					r := d.ours
					if s == v.peer {
						r = d.peer
					}
					res, err := load(v.b.ctx, v.client, s.target, r.body, c, v.opts.warm, v.opts.dur)
					if err != nil {
						return fmt.Errorf("%s, c=%d: %w", d.label, c, err)
					}
					fmt.Fprintf(os.Stderr, "bench: rep %d/%d, %s, c=%d, %s: %.0f req/s, p99 %s, CPU %s/request\n", rep+1, v.opts.reps,
						d.key, c, s.name, res.rps(), ms(res.p99), ms(res.cpuPerRequest()))
					if s == v.peer {
						cells[i][j].peer = append(cells[i][j].peer, res)
					} else {
						cells[i][j].ours = append(cells[i][j].ours, res)
					}
				}
			}
		}
	}
	labels := make([]string, len(v.duels))
	for i, d := range v.duels {
		labels[i] = d.label
	}
	versusTable(os.Stdout, labels, v.opts.concurrency, cells)
	oursRSS, err := procPeakRSS(v.ours.pid)
	if err != nil {
		return err
	}
	peerRSS, err := procPeakRSS(v.peer.pid)
	if err != nil {
		return err
	}
	fmt.Printf("\nPeak RSS so far (VmHWM): ours %s, peer %s (%.1fx).\n", mib(oursRSS), mib(peerRSS), float64(peerRSS)/float64(oursRSS))
	fmt.Printf("Medians of %d interleaved repetitions; %s per point after a %s warm-up, closed loop, keep-alive; load average %s before, %s after.\n",
		v.opts.reps, v.opts.dur, v.opts.warm, before, loadAverage())
	fmt.Println("Ours: `segments serve` (bin/segments) with an admin API token (TOKEN_RATE=0), pool of 20 connections. Peer: PostGraphile 5.1.5,")
	fmt.Println("amber preset, schema public, no auth, Node 22, pool of 20 connections. Both on this machine and database; the load generator too.")
	fmt.Println("CPU/request = the server process's user+system time over a point (/proc/<pid>/stat) ÷ requests answered; PostgreSQL's not included.")
	return nil
}

func mib(b int64) string { return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20)) }

// versusTable prints the summary (as the table) and the detail of
// every point, from the medians of each cell's repetitions.
func versusTable(w io.Writer, labels []string, conc []int, cells [][]cell) {
	cs := make([]string, len(conc))
	for i, c := range conc {
		cs[i] = strconv.Itoa(c)
	}
	top := conc[len(conc)-1]
	fmt.Fprintf(w, "| query | ours req/s c=%[1]s | peer req/s c=%[1]s | ours ÷ peer | p99 at c=%[2]d, ours / peer | CPU ms/request, ours / peer |\n",
		strings.Join(cs, " / "), top)
	fmt.Fprintln(w, "| --- | ---: | ---: | ---: | ---: | ---: |")
	for i, label := range labels {
		var ours, peer, ratio []string
		var oursCPU, peerCPU []float64
		for _, c := range cells[i] {
			o, p := medianRPS(c.ours), medianRPS(c.peer)
			ours, peer = append(ours, rate(o)), append(peer, rate(p))
			ratio = append(ratio, fmt.Sprintf("%.2f", safeRatio(o, p)))
			oursCPU, peerCPU = append(oursCPU, msOf(medianOf(c.ours, loadResult.cpuPerRequest))), append(peerCPU, msOf(medianOf(c.peer, loadResult.cpuPerRequest)))
		}
		last := cells[i][len(cells[i])-1]
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s / %s | %s / %s |\n", label, strings.Join(ours, " / "), strings.Join(peer, " / "),
			strings.Join(ratio, " / "), ms(medianOf(last.ours, p99)), ms(medianOf(last.peer, p99)), spread(oursCPU), spread(peerCPU))
	}
	fmt.Fprintln(w, "\n| query | c | ours req/s | peer req/s | ours ÷ peer | ours p50 / p99 | peer p50 / p99 | CPU ms/request ours / peer | ours req/s each run | peer req/s each run |")
	fmt.Fprintln(w, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |")
	for i, label := range labels {
		for j, c := range cells[i] {
			o, p := medianRPS(c.ours), medianRPS(c.peer)
			fmt.Fprintf(w, "| %s | %d | %s | %s | %.2f | %s / %s | %s / %s | %.2f / %.2f | %s | %s |\n", label, conc[j], rate(o), rate(p), safeRatio(o, p),
				ms(medianOf(c.ours, p50)), ms(medianOf(c.ours, p99)), ms(medianOf(c.peer, p50)), ms(medianOf(c.peer, p99)),
				msOf(medianOf(c.ours, loadResult.cpuPerRequest)), msOf(medianOf(c.peer, loadResult.cpuPerRequest)), eachRPS(c.ours), eachRPS(c.peer))
		}
	}
}

func p50(r loadResult) time.Duration { return r.p50 }
func p99(r loadResult) time.Duration { return r.p99 }

func msOf(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func safeRatio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

// medianOf is the median of f over rs (the lower middle of an even count).
func medianOf(rs []loadResult, f func(loadResult) time.Duration) time.Duration {
	if len(rs) == 0 {
		return 0
	}
	v := make([]time.Duration, len(rs))
	for i, r := range rs {
		v[i] = f(r)
	}
	slices.Sort(v)
	return v[(len(v)-1)/2]
}

func medianRPS(rs []loadResult) float64 {
	if len(rs) == 0 {
		return 0
	}
	v := make([]float64, len(rs))
	for i, r := range rs {
		v[i] = r.rps()
	}
	slices.Sort(v)
	return v[(len(v)-1)/2]
}

// rate writes req/s: whole numbers, with a tenth below 10 (deep pages).
func rate(x float64) string {
	if x < 10 {
		return fmt.Sprintf("%.1f", x)
	}
	return fmt.Sprintf("%.0f", x)
}

func eachRPS(rs []loadResult) string {
	s := make([]string, len(rs))
	for i, r := range rs {
		s[i] = rate(r.rps())
	}
	return strings.Join(s, ", ")
}

// spread is "a–b" for the least and most of v (one value when they agree).
func spread(v []float64) string {
	lo, hi := slices.Min(v), slices.Max(v)
	if fmt.Sprintf("%.2f", lo) == fmt.Sprintf("%.2f", hi) {
		return fmt.Sprintf("%.2f", lo)
	}
	return fmt.Sprintf("%.2f–%.2f", lo, hi)
}

// applyState brings the store to statistics state st (as the drill-down
// report does) when the drill-down report is not run.
func (b *bench) applyState(st string) error {
	prep := statePrep[st]
	if prep.sql == "" {
		return nil
	}
	start := time.Now()
	if _, err := b.d.Pool.Exec(b.ctx, prep.sql); err != nil {
		return err
	}
	fmt.Printf("\n%s: %s\n", prep.sql, time.Since(start).Round(time.Millisecond))
	return nil
}

// parseLoadOptions checks the comparison's flags.
func parseLoadOptions(peerDir string, warm, dur time.Duration, reps int, conc, queries string) (loadOptions, error) {
	dir, err := filepath.Abs(peerDir)
	if err != nil {
		return loadOptions{}, err
	}
	o := loadOptions{peerDir: dir, warm: warm, dur: dur, reps: reps}
	if dur <= 0 || warm < 0 {
		return o, fmt.Errorf("-load-duration must be positive and -load-warmup not negative, got %s and %s", dur, warm)
	}
	if reps < 1 {
		return o, fmt.Errorf("-load-reps must be at least 1, got %d", reps)
	}
	for _, s := range strings.Split(conc, ",") {
		c, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || c < 1 || c > 256 {
			return o, fmt.Errorf("-load-clients takes whole numbers from 1 to 256 separated by commas, such as 1,8,32; got %q", conc)
		}
		o.concurrency = append(o.concurrency, c)
	}
	for _, q := range strings.Split(queries, ",") {
		q = strings.TrimSpace(q)
		if !slices.Contains(duelKeys, q) {
			return o, fmt.Errorf("-load-queries takes %s separated by commas; got %q", strings.Join(duelKeys, ", "), q)
		}
		o.queries = append(o.queries, q)
	}
	return o, nil
}
