package segment

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/uptrace/bun"

	"github.com/segments/segments/server/apperr"
	"github.com/segments/segments/server/bitmap"
	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/rule"
)

// RefreshOptions are the inputs of one refresh run.
type RefreshOptions struct {
	// Now is the run's "now": one value for every rule in the run.
	Now time.Time
	// TimeZone is the store's IANA time zone, in which day-based rules count.
	TimeZone string
	// RunID, when set, ties the history rows to a refresh run.
	RunID *int64
	// Progress, when set, is called after each segment.
	Progress func(done, total int)
	// StatementTimeout, when set, bounds each statement of the run
	// (PostgreSQL's statement_timeout, lock waits included): a segment
	// whose rule takes longer to evaluate or write keeps its old membership
	// and the run, having refreshed the others, fails naming it.
	StatementTimeout time.Duration
	// Full re-evaluates every customer of every segment. Without it a
	// segment refreshed before, under the same rule, websites and time
	// zone, re-evaluates only the customers whose membership can have
	// changed since (see candidates).
	Full bool
}

// RefreshResult is what one segment's refresh changed.
type RefreshResult struct {
	SegmentID     int64
	CustomerCount int64
	Added         int64
	Removed       int64
	Duration      time.Duration
	// Incremental says only the customers that could have changed were
	// evaluated; else every customer was.
	Incremental bool
}

// Refresher recomputes segment membership.
type Refresher struct {
	db *db.DB
	// watchEvery is how often a running statement's segments are checked
	// for deletion.
	watchEvery time.Duration
	// slow, set by tests only, makes evaluating some segments take long.
	slow map[int64]time.Duration
	// beforeWrite, set by tests only, runs before each segment's write
	// (for a segment the batch write leaves to write, before each).
	beforeWrite func(id int64)
}

// NewRefresher returns a Refresher over d.
func NewRefresher(d *db.DB) *Refresher { return &Refresher{db: d, watchEvery: time.Second} }

func (r *Refresher) delay(id int64) time.Duration { return r.slow[id] }

// ruleRow is what a refresh reads of a segment (ruleQuery): its rule and
// what its last refresh recorded.
type ruleRow struct {
	ID          int64      `bun:"id"`
	Conditions  rule.Group `bun:"conditions,type:jsonb"`
	RuleVersion int64      `bun:"rule_version"`
	WebsiteIDs  []int64    `bun:"website_ids,array"`
	// RefreshedRuleVersion, RefreshedAt, Snapshot and TimeZone are those of
	// the last refresh: the rule version, its now, the snapshot it started
	// from and the store's time zone.
	RefreshedRuleVersion *int64     `bun:"refreshed_rule_version"`
	RefreshedAt          *time.Time `bun:"refreshed_at"`
	Snapshot             *string    `bun:"refreshed_snapshot"`
	TimeZone             *string    `bun:"refreshed_time_zone"`
	// ChangesKept says the change log still holds every change the
	// snapshot did not see (see PruneChanges).
	ChangesKept bool `bun:"changes_kept"`
}

const ruleQuery = `SELECT s.id, s.conditions, s.rule_version,
	COALESCE((SELECT array_agg(website_id ORDER BY website_id) FROM segment_websites sw WHERE sw.segment_id = s.id), '{}') AS website_ids,
	s.refreshed_rule_version, s.refreshed_at, s.refreshed_snapshot::text AS refreshed_snapshot, s.refreshed_time_zone,
	COALESCE((SELECT pg_snapshot_xmin(s.refreshed_snapshot) >= COALESCE(ss.changes_kept_from, '0') FROM store_state ss), false) AS changes_kept
	FROM segments s`

// incremental reports whether s can be refreshed from the customers that
// changed since its last refresh: it was refreshed before, under the same
// rule and websites (an edit of either bumps the rule version) and time
// zone, and the change log still covers its snapshot.
func (s ruleRow) incremental(opts RefreshOptions) bool {
	return !opts.Full && s.Snapshot != nil && s.RefreshedAt != nil && s.ChangesKept &&
		s.RefreshedRuleVersion != nil && *s.RefreshedRuleVersion == s.RuleVersion &&
		s.TimeZone != nil && *s.TimeZone == opts.TimeZone
}

// batchSize is how many segments one pass over customers evaluates: enough
// that a typical "refresh all" reads customers once, few enough to keep each
// statement's parameters and width modest.
const batchSize = 32

// Refresh recomputes the membership of the given segments, inside
// PostgreSQL. It computes every order measure the segments need in one pass
// over orders, evaluates a batch of segments' rules in one pass over
// customers, then, per segment and in its own transaction, writes only the
// difference.
//
// A segment refreshed before under the same rule, websites and time zone
// is refreshed incrementally (unless opts.Full): only the customers whose
// membership can have changed since are measured, evaluated and compared
// (see run.candidates) — those the change log (customer_changes, filled by
// triggers on customers, orders, websites and groups) holds from
// transactions the segment's last refresh did not see, and those a day
// passing carries across a day threshold of its rule. Each refresh records
// the snapshot it started from for the next one. A segment is locked while it is written, so two refreshes of
// one segment never interleave; if its rule changed since it was evaluated
// (an edit raced the run), it is evaluated again under the lock, so the
// membership written is always that of the version recorded.
//
// With opts.StatementTimeout, a segment that takes longer keeps its old
// membership and Refresh, having refreshed the others, returns their
// results and a coded error naming it. A segment deleted while it is
// evaluated has its statement cancelled; the run goes on without it.
func (r *Refresher) Refresh(ctx context.Context, ids []int64, opts RefreshOptions) ([]RefreshResult, error) {
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	if opts.TimeZone == "" {
		opts.TimeZone = "UTC"
	}
	// This instance's next report read sees what the run wrote, on
	// whichever server it reads (a read replica only once it has replayed
	// it), without waiting for the change notification.
	defer r.db.Changed()
	// One session for the whole run: its temporary tables live there.
	conn, err := r.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("refresh: %w", err)
	}
	// Temporary tables and settings belong to the session; undo them so the
	// pooled connection goes back clean whatever happens.
	defer func() {
		_, _ = db.Exec(context.WithoutCancel(ctx), conn, `DROP TABLE IF EXISTS refresh_measures, refresh_eval, refresh_members, refresh_diff, refresh_stored; RESET work_mem; RESET jit; RESET statement_timeout; RESET enable_hashagg`)
		_ = conn.Close()
	}()
	// The order aggregate and the member sets are large, one-off statements:
	// memory keeps them off disk, and JIT compilation costs more than it saves.
	if _, err := db.Exec(ctx, conn, `SET work_mem = '256MB'; SET jit = off`); err != nil {
		return nil, fmt.Errorf("refresh: %w", err)
	}
	// The timeout is the session's, not one transaction's (SET LOCAL): most
	// of the run's statements (the measures, each batch's evaluation) run
	// outside a transaction, on temporary tables of the session; the RESET
	// above takes it off again.
	if opts.StatementTimeout > 0 {
		if _, err := db.Exec(ctx, conn, `SELECT set_config('statement_timeout', $1, false)`,
			fmt.Sprint(opts.StatementTimeout.Milliseconds())); err != nil {
			return nil, fmt.Errorf("refresh: %w", err)
		}
	}
	run := &run{r: r, conn: conn, opts: opts}
	if err := db.Get(ctx, conn, `SELECT pg_backend_pid()`, nil, &run.pid); err != nil {
		return nil, fmt.Errorf("refresh: %w", err)
	}
	// The snapshot the run starts from, before it reads any store data: the
	// next incremental refresh re-evaluates every change it did not see.
	if err := db.Get(ctx, conn, `SELECT pg_current_snapshot()::text`, nil, &run.snapshot); err != nil {
		return nil, fmt.Errorf("refresh: %w", err)
	}
	var segs []ruleRow
	if err := db.Select(ctx, conn, &segs, ruleQuery+` WHERE s.id = ANY($1) ORDER BY s.id`, ids); err != nil {
		return nil, fmt.Errorf("refresh: read rules: %w", err)
	}
	if _, err := db.Exec(ctx, conn, `CREATE TEMP TABLE refresh_members (customer_id bigint PRIMARY KEY, website_id bigint NOT NULL,
			null_phone boolean, null_zip boolean, null_country boolean, null_region boolean);
		CREATE TEMP TABLE refresh_diff (segment_id bigint, customer_id bigint NOT NULL, website_id bigint, was_website_id bigint, change text NOT NULL,
			null_phone boolean, null_zip boolean, null_country boolean, null_region boolean)`); err != nil {
		return nil, fmt.Errorf("refresh: %w", err)
	}
	run.total = len(segs)
	var full, incremental []ruleRow
	for _, s := range segs {
		if s.incremental(opts) {
			incremental = append(incremental, s)
		} else {
			full = append(full, s)
		}
	}
	if err := run.phase(ctx, full, false); err != nil {
		return run.results, err
	}
	if err := run.phase(ctx, incremental, true); err != nil {
		return run.results, err
	}
	// Membership can change wholesale in one run; fresh statistics keep the
	// drill-down's plans right (autovacuum would get there, later). A run
	// that changed little leaves them to autovacuum, which analyzes after
	// 10% of a table changed too.
	var members int64
	for _, res := range run.results {
		members += res.CustomerCount
	}
	if run.changed > 0 && (run.changed*10 >= members || run.changed > analyzeAfter) {
		if _, err := db.Exec(ctx, conn, `ANALYZE segment_customers`); err != nil {
			return run.results, fmt.Errorf("refresh: analyze: %w", err)
		}
	}
	// Kept counts of combined segments are keyed by every filter a merchant
	// typed; those not computed for a day are dropped (and recounted on
	// demand), so the table stays small.
	if _, err := db.Exec(ctx, conn, `DELETE FROM segment_set_counts WHERE computed_at < now() - interval '1 day'`); err != nil {
		return run.results, fmt.Errorf("refresh: prune kept counts: %w", err)
	}
	// Best effort: every segment is written, and the next run prunes what
	// this one could not (a lock wait on store_state, a timeout).
	_ = PruneChanges(ctx, conn, opts.Now)
	if len(run.slow) > 0 {
		return run.results, slowError(run.slow, opts.StatementTimeout)
	}
	return run.results, nil
}

// slowError is the run's failure when segments took too long: the others
// are refreshed, these kept their old membership.
func slowError(ids []int64, limit time.Duration) error {
	if len(ids) == 1 {
		return apperr.Invalid("segment %d took longer than %s to evaluate; simplify its rule or raise REFRESH_STATEMENT_TIMEOUT (the other segments were refreshed)", ids[0], limit)
	}
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = fmt.Sprint(id)
	}
	return apperr.Invalid("segments %s took longer than %s to evaluate; simplify their rules or raise REFRESH_STATEMENT_TIMEOUT (the other segments were refreshed)", strings.Join(s, ", "), limit)
}

// run is the state of one Refresh.
type run struct {
	r        *Refresher
	conn     bun.Conn
	pid      int32  // the session's backend, which a deletion cancels
	snapshot string // the snapshot the run started from, recorded per segment
	opts     RefreshOptions
	windows  []rule.Window
	// changedOnly says the segments being written were evaluated over
	// the candidates only, and measuredAll that refresh_measures covers
	// every customer.
	changedOnly, measuredAll bool
	// chosen holds, when changedOnly, the candidates (see candidates).
	chosen candidateSet
	// ranges holds, when changedOnly, the day ranges (ids, as bits of
	// candidate.ranges: see rangeBit) whose customers can cross a
	// threshold of each segment's rule, by segment id: see relevant.
	ranges map[int64][]int
	// dayRanges are those ranges, by id.
	dayRanges []dayRange
	// needWindows are the windows the bits of candidate.need stand for
	// (see rangeNeeds).
	needWindows []rule.Window
	// readAllStored says each batch reads the candidates' stored
	// memberships at once (see readStored).
	readAllStored bool
	// counted holds, after a full evaluation, each segment's members per
	// website by its column in refresh_eval (see countEvaluated).
	counted map[int][]websiteCount
	total   int
	done    int
	results []RefreshResult
	// changed counts the members added and removed, in all segments.
	changed int64
	// slow are the segments whose statements timed out.
	slow []int64
}

// analyzeAfter is how many membership changes make a run refresh the
// statistics of segment_customers itself.
const analyzeAfter = 100_000

// phase refreshes segs: evaluating every customer, or (changedOnly) only
// the customers whose membership can have changed since the segments'
// last refresh (see candidates) — unless those are so many that reading
// every customer is cheaper. It computes the order measures the segments
// need in one pass, then evaluates and writes them in batches.
func (u *run) phase(ctx context.Context, segs []ruleRow, changedOnly bool) error {
	if len(segs) == 0 {
		return nil
	}
	u.changedOnly = false
	if changedOnly {
		only, err := u.candidates(ctx, segs)
		if err != nil {
			return err
		}
		u.changedOnly = only
	}
	for {
		u.windows = windowsOf(segs)
		if u.changedOnly {
			// The candidates' measures are computed with their evaluation
			// (see evaluateCandidates).
			if _, err := db.Exec(ctx, u.conn, `DROP TABLE IF EXISTS refresh_measures`); err != nil {
				return fmt.Errorf("refresh: %w", err)
			}
			u.measuredAll = false
			break
		}
		// A segment deleted while the measures are computed may be the one
		// that makes them slow: start again without it.
		err := u.watch(ctx, segs, func() error { return u.measure(ctx, u.conn) })
		if errors.Is(err, errDeleted) {
			left, err := u.existing(ctx, segs)
			if err != nil {
				return err
			}
			u.done += len(segs) - len(left)
			if segs = left; len(segs) == 0 {
				return nil
			}
			continue
		}
		if errors.Is(err, errTimedOut) {
			return apperr.Invalid("the order measures of this refresh took longer than %s to compute; simplify the segments' order conditions (fewer different withinDays and statuses) or raise REFRESH_STATEMENT_TIMEOUT", u.opts.StatementTimeout)
		}
		if err != nil {
			return err
		}
		break
	}
	for start := 0; start < len(segs); start += batchSize {
		if err := u.batch(ctx, segs[start:min(start+batchSize, len(segs))]); err != nil {
			return err
		}
	}
	return nil
}

// windowsOf returns the windows segs' rules count orders in (rule.Windows).
func windowsOf(segs []ruleRow) []rule.Window {
	groups := make([]*rule.Group, len(segs))
	for i := range segs {
		groups[i] = &segs[i].Conditions
	}
	return rule.Windows(groups...)
}

// candidates chooses the customers whose membership
// in segs can have changed since their last refresh: those the change log
// holds from transactions the refresh's snapshot did not see (changed),
// and those a day passing can carry across a threshold of a rule (see
// rule.Thresholds) between the segment's last refresh's day and this one's,
// in the store's time zone — each with the ids of the day ranges it was
// found in, which u.ranges maps to the segments they matter to (see
// relevant), into u.chosen. It reports false when every customer should be evaluated
// instead: the thresholds cannot be read, or the candidates are so many
// that one pass over all customers is cheaper.
func (u *run) candidates(ctx context.Context, segs []ruleRow) (bool, error) {
	u.needWindows = windowsOf(segs)
	// More candidates than a quarter of the customers are evaluated faster
	// in one pass over all of them; the change log after a large import is
	// not read past that.
	var all int64
	if err := db.Get(ctx, u.conn, `SELECT greatest(reltuples, 0)::bigint FROM pg_class WHERE oid = 'customers'::regclass`, nil, &all); err != nil {
		return false, fmt.Errorf("refresh: %w", err)
	}
	most := max(all/4, 10_000)
	found := map[int64]*candidate{}
	seen := map[string]bool{}
	for _, s := range segs {
		if seen[*s.Snapshot] {
			continue
		}
		seen[*s.Snapshot] = true
		var ids []int64
		if err := db.Select(ctx, u.conn, &ids, `SELECT DISTINCT customer_id FROM customer_changes
			WHERE xid >= pg_snapshot_xmin($1::pg_snapshot) AND NOT pg_visible_in_snapshot(xid, $1::pg_snapshot) LIMIT $2`, *s.Snapshot, most+1); err != nil {
			return false, fmt.Errorf("refresh: changed customers: %w", err)
		}
		for _, id := range ids {
			// A changed customer needs every measure, of every order.
			found[id] = &candidate{changed: true, since: everyOrder, need: -1}
		}
		if int64(len(found)) > most {
			return false, nil
		}
	}
	changed := int64(len(found))
	loc, err := time.LoadLocation(u.opts.TimeZone)
	if err != nil {
		return false, nil
	}
	today := localDate(u.opts.Now, loc)
	// Each segment's own ranges, from its own last refresh: a segment
	// without time conditions, or refreshed earlier today, has none and
	// compares only the changed customers. Ranges segments share are read
	// once.
	var ranges []dayRange
	var users [][]ruleRow // the segments of each range
	u.ranges = map[int64][]int{}
	for _, s := range segs {
		thresholds, err := rule.ThresholdsOf(&s.Conditions)
		if err != nil {
			return false, nil
		}
		last := localDate(*s.RefreshedAt, loc)
		from, to := minDate(last, today), maxDate(last, today)
		if from.Equal(to) {
			continue
		}
		// A verdict turns at breakpoint b for a customer with an order (or
		// signup) dated in [from − b + 1, to − b] (see rule.Thresholds).
		for kind, ks := range [][]int{orderDates: thresholds.Orders, lastOrderDates: thresholds.Last, signupDates: thresholds.Signup} {
			for _, d := range dayRanges(ks, from, to, dateKind(kind)) {
				id := slices.Index(ranges, d)
				if id < 0 {
					id, ranges, users = len(ranges), append(ranges, d), append(users, nil)
				}
				u.ranges[s.ID] = append(u.ranges[s.ID], id)
				users[id] = append(users[id], s)
			}
		}
	}
	u.dayRanges = ranges
	since, need := rangeNeeds(u.needWindows, ranges, users, today, loc)
	// Each range is searched in halves of its instants, so that the two
	// sessions' queue holds pieces of about the same cost (a day's four
	// ranges took 5, 30, 55 and 60 ms: one session idled 40 ms).
	var searches []rangeSearch
	for id, r := range ranges {
		lo, hi := r.instants(loc)
		mid := lo.Add(hi.Sub(lo) / 2)
		for _, part := range [][2]time.Time{{lo, mid}, {mid, hi}} {
			// By index over the instants, then by the exact local date, as
			// the rules compute it.
			var args db.Args
			pLo, pHi, pTZ, pFirst, pLast := args.Add(part[0]), args.Add(part[1]), args.Add(u.opts.TimeZone), args.Add(r.first.Format(time.DateOnly)), args.Add(r.last.Format(time.DateOnly))
			when := func(t string) string { // t's created_at is in the part
				return t + `.created_at >= ` + pLo + ` AND ` + t + `.created_at < ` + pHi + ` AND (` + t + `.created_at AT TIME ZONE ` + pTZ +
					`::text)::date BETWEEN ` + pFirst + `::date AND ` + pLast + `::date`
			}
			query := `SELECT id FROM customers c WHERE ` + when("c")
			if r.kind != signupDates {
				from, where := `orders o`, when("o")
				if r.kind == lastOrderDates {
					// Only customers whose latest order is in the range:
					// with one after, the verdict reads that one (by index).
					where += ` AND NOT EXISTS (SELECT FROM orders l WHERE l.customer_id = o.customer_id AND l.created_at >= ` + args.Add(hi) + `)`
				}
				if undecided, ok := u.undecided(users[id], &args); ok {
					from += ` JOIN customers c ON c.id = o.customer_id LEFT JOIN customer_groups g ON g.id = c.group_id LEFT JOIN websites w ON w.id = c.website_id`
					where += ` AND (` + undecided + `)`
				}
				query = `SELECT DISTINCT o.customer_id FROM ` + from + ` WHERE ` + where
			}
			searches = append(searches, rangeSearch{rangeID: id, sql: query, args: args.Values()})
		}
	}
	results, err := u.search(ctx, searches)
	if err != nil {
		return false, fmt.Errorf("refresh: customers crossing a day threshold: %w", err)
	}
	inRange := make([]int64, len(ranges)) // customers found per range (about: halves may share one)
	for i, ids := range results {
		id := searches[i].rangeID
		inRange[id] += int64(len(ids))
		for _, c := range ids {
			k := found[c]
			if k == nil {
				k = &candidate{since: noOrder}
				found[c] = k
			}
			k.ranges |= rangeBit(id)
			k.need |= need[id]
			if since[id].Before(k.since) {
				k.since = since[id]
			}
		}
	}
	n := int64(len(found))
	if n > most {
		return false, nil
	}
	u.chosen = newCandidateSet(found)
	// Probes of stored memberships, one per segment and candidate it
	// evaluates, against one read of every candidate's memberships, which
	// costs about as much as seven probes (measured at a million
	// customers): many changed customers make the one read cheaper; a day's
	// crossings, each mattering to a segment or two, make the probes.
	var probes int64
	for _, s := range segs {
		probes += changed
		for _, r := range u.ranges[s.ID] {
			probes += inRange[r]
		}
	}
	u.readAllStored = probes > 7*n
	return true, nil
}

// candidate is what a refresh knows of one candidate.
type candidate struct {
	changed bool      // the change log named it
	ranges  int64     // the day ranges it was found in (rangeBit)
	since   time.Time // the earliest order its measures read (everyOrder, noOrder)
	need    int64     // the windows its measures need (see rangeNeeds)
}

// everyOrder and noOrder are the bounds of candidate.since that read
// every order and none.
var (
	everyOrder = time.Time{}
	noOrder    = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)
)

// candidateSet is the candidates, by customer id in order, as columns:
// the arrays in which a statement reads them (see candidatesFrom).
type candidateSet struct {
	ids     []int64
	changed []bool
	ranges  []int64
	since   []time.Time
	need    []int64
	// anyChanged says some candidate changed; rangesFound holds the bits
	// of the ranges some candidate was found in.
	anyChanged  bool
	rangesFound int64
}

func newCandidateSet(found map[int64]*candidate) candidateSet {
	var k candidateSet
	k.ids = slices.Sorted(maps.Keys(found))
	for _, id := range k.ids {
		c := found[id]
		k.changed, k.ranges = append(k.changed, c.changed), append(k.ranges, c.ranges)
		k.since, k.need = append(k.since, c.since), append(k.need, c.need)
		k.anyChanged, k.rangesFound = k.anyChanged || c.changed, k.rangesFound|c.ranges
	}
	return k
}

// values returns the columns in candidatesFrom's order.
func (k candidateSet) values() []any { return []any{k.ids, k.changed, k.ranges, k.since, k.need} }

// split returns k in n parts of nearly equal size, each a range of ids.
func (k candidateSet) split(n int) []candidateSet {
	parts := make([]candidateSet, 0, n)
	for i := range n {
		lo, hi := len(k.ids)*i/n, len(k.ids)*(i+1)/n
		parts = append(parts, candidateSet{ids: k.ids[lo:hi], changed: k.changed[lo:hi], ranges: k.ranges[lo:hi], since: k.since[lo:hi], need: k.need[lo:hi]})
	}
	return parts
}

// candidatesFrom returns the candidates as a relation k(customer_id,
// changed, ranges, since, need), read from the next five arguments
// (candidateSet.values).
func candidatesFrom(args *db.Args) string {
	return `unnest(` + args.Add(nil) + `::bigint[], ` + args.Add(nil) + `::boolean[], ` + args.Add(nil) + `::bigint[], ` +
		args.Add(nil) + `::timestamptz[], ` + args.Add(nil) + `::bigint[]) AS k(customer_id, changed, ranges, since, need)`
}

// rangeSearch is the query, with its arguments, for the customers a part
// of day range rangeID finds (see candidates).
type rangeSearch struct {
	rangeID int
	sql     string
	args    []any
}

// search runs each query and returns the customers each found. The
// queries are independent reads of orders and customers, each bound by
// one backend's CPU: the run's session and a spare one share them (see
// share).
func (u *run) search(ctx context.Context, searches []rangeSearch) ([][]int64, error) {
	found := make([][]int64, len(searches))
	err := u.share(ctx, len(searches), func(ctx context.Context, idb bun.IDB, _ bool, i int) error {
		return db.Select(ctx, idb, &found[i], searches[i].sql, searches[i].args...)
	})
	return found, err
}

// share runs n pieces of work, work(ctx, idb, own, i) for i in [0, n), on
// the run's session (own) and, when the pool has a connection to spare,
// on a second one, each taking the next piece from one queue: the work
// of an incremental refresh is reads bound by one backend's CPU, and two
// backends take about two thirds of the time of one (at a million
// customers on two cores). The second session works in a transaction
// with the run's statement timeout and no JIT, and sees none of the run's
// temporary tables. A helper still waiting for a connection when the
// queue runs out never starts. The first failure stops both sessions.
func (u *run) share(ctx context.Context, n int, work func(ctx context.Context, idb bun.IDB, own bool, i int) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var next atomic.Int64
	var mu sync.Mutex
	var first error
	fail := func(err error) {
		mu.Lock()
		if first == nil {
			first = err
		}
		mu.Unlock()
		cancel()
	}
	take := func(idb bun.IDB, own bool) {
		for {
			i := int(next.Add(1) - 1)
			if i >= n {
				return
			}
			if err := work(ctx, idb, own, i); err != nil {
				fail(err)
				return
			}
		}
	}
	var wg sync.WaitGroup
	acquire, stop := context.WithCancel(ctx)
	defer stop()
	if n > 1 {
		wg.Go(func() {
			conn, err := u.r.db.Conn(acquire)
			if err != nil {
				return // none to spare before the queue ran out (or the run failed)
			}
			defer conn.Close()
			// As the run's session: no JIT, the same statement timeout.
			err = conn.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
				if _, err := db.Exec(ctx, tx, `SET LOCAL jit = off`); err != nil {
					return err
				}
				if u.opts.StatementTimeout > 0 {
					if _, err := db.Exec(ctx, tx, `SELECT set_config('statement_timeout', $1, true)`,
						fmt.Sprint(u.opts.StatementTimeout.Milliseconds())); err != nil {
						return err
					}
				}
				take(tx, false)
				return nil
			})
			if err != nil {
				fail(err)
			}
		})
	}
	take(u.conn, true)
	stop()
	wg.Wait()
	return first
}

// undecided returns the condition under which a customer's orders can
// decide its membership in one of segs (see undecidedIn). ok is false when
// some segment has no condition on customers, so the condition would hold
// for nearly everyone: not worth reading each customer for.
func (u *run) undecided(segs []ruleRow, args *db.Args) (cond string, ok bool) {
	for _, s := range segs {
		if !s.Conditions.HasCustomerCondition() {
			return "", false
		}
	}
	now, tz := args.Add(u.opts.Now), args.Add(u.opts.TimeZone)
	var parts []string
	for _, s := range segs {
		part, _ := undecidedIn(s, now, tz, args)
		parts = append(parts, part)
	}
	return strings.Join(parts, " OR "), len(parts) > 0
}

// undecidedIn returns the condition under which a customer's orders can
// decide its membership in s: false for a customer whose own fields (and
// websites) decide it, whatever its orders (see rule.CompileWithoutOrders).
// A day passing moves only the orders of the customers it finds, so for
// the others s's verdict is what it was. ok is false when s has no
// condition on customers: the condition would hold for everyone.
func undecidedIn(s ruleRow, now, tz string, args *db.Args) (cond string, ok bool) {
	if !s.Conditions.HasCustomerCondition() {
		return "", false
	}
	pred, err := rule.CompileWithoutOrders(&s.Conditions, now, tz, args)
	if err != nil {
		return "", false // not reached: the rule compiled when it was saved
	}
	return `(c.website_id = ANY(` + args.Add(s.WebsiteIDs) + `::bigint[]) AND ` + pred + `) IS NULL`, true
}

// relevant is the condition on a candidate k (see candidatesFrom), with its
// customer c, under which its membership in s can have changed, so that s
// evaluates it (a NULL verdict in refresh_eval stands for the stored one),
// and compares it with the stored membership: it changed; or it was found
// in a day range of signups of s's thresholds; or in one of orders, and
// its orders can decide s (undecidedIn). The last test leaves out most of
// a segment's candidates where its customer conditions are narrow (one
// country, one group): 6,000 a day for one such segment, all of whose
// stored memberships were read, at a million customers. A day passing
// moves nobody in a segment without time conditions.
func (u *run) relevant(s ruleRow, now, tz string, args *db.Args) string {
	var signups, orders int64
	for _, id := range u.ranges[s.ID] {
		if u.dayRanges[id].kind == signupDates {
			signups |= rangeBit(id)
		} else {
			orders |= rangeBit(id)
		}
	}
	cond := `k.changed`
	if signups != 0 {
		cond += ` OR k.ranges & ` + args.Add(signups) + `::bigint <> 0`
	}
	if orders != 0 {
		found := `k.ranges & ` + args.Add(orders) + `::bigint <> 0`
		if undecided, ok := undecidedIn(s, now, tz, args); ok {
			found += ` AND ` + undecided
		}
		cond += ` OR ` + found
	}
	return `(` + cond + `)`
}

// touched reports whether s may evaluate a candidate (see relevant): one
// changed, or one was found in a day range of s. No other segment's
// membership can have changed.
func (u *run) touched(s ruleRow) bool {
	var mask int64
	for _, id := range u.ranges[s.ID] {
		mask |= rangeBit(id)
	}
	return u.chosen.anyChanged || u.chosen.rangesFound&mask != 0
}

// rangeBit is day range id's bit in candidate.ranges: a bit
// operation per candidate and segment where an array overlap cost five
// times as much. Ranges from maskBits on share the last bit, so a customer
// found in one of them may be evaluated for a segment it does not matter
// to: more work, the same result (a segment compares exactly the
// candidates it evaluated).
func rangeBit(id int) int64 { return 1 << min(id, maskBits) }

// localDate is t's calendar date in loc, as midnight UTC of that date.
func localDate(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func minDate(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func maxDate(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// dayMargin widens each range of instants read by index: a local midnight
// in a daylight-saving change is ambiguous (Go picks one side), and no
// zone moves its clocks by more. The local dates are then compared exactly.
const dayMargin = 3 * time.Hour

// dayRange is a range of store-calendar dates, first to last, of what kind
// holds: the customers with such a date can cross a day threshold.
type dayRange struct {
	kind        dateKind
	first, last time.Time // midnight UTC of each date, as localDate
}

// dateKind is what a dayRange's dates are the creation of.
type dateKind uint8

const (
	orderDates     dateKind = iota // any order (rule.Thresholds.Orders)
	lastOrderDates                 // the customer's latest order (rule.Thresholds.Last)
	signupDates                    // the customer (rule.Thresholds.Signup)
)

// dayRanges returns, sorted and merged, the ranges of dates [from − b + 1,
// to − b] for each breakpoint b: where the dates that turn a verdict at b
// lie as today moves from from to to.
func dayRanges(bs []int, from, to time.Time, kind dateKind) []dayRange {
	var out []dayRange
	for i := len(bs) - 1; i >= 0; i-- { // the largest b: the earliest range first
		b := bs[i]
		first, last := from.AddDate(0, 0, 1-b), to.AddDate(0, 0, -b)
		if n := len(out); n > 0 && !out[n-1].last.Before(first.AddDate(0, 0, -1)) {
			out[n-1].last = maxDate(out[n-1].last, last)
			continue
		}
		out = append(out, dayRange{kind, first, last})
	}
	return out
}

// instants returns the instants r's dates can lie between in loc, widened
// by dayMargin: [midnight of first, midnight after last).
func (r dayRange) instants(loc *time.Location) (time.Time, time.Time) {
	midnight := func(day time.Time) time.Time {
		return time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, loc)
	}
	return midnight(r.first).Add(-dayMargin), midnight(r.last.AddDate(0, 0, 1)).Add(dayMargin)
}

// batch evaluates a batch of segments in one statement and writes each.
// Segments deleted meanwhile are left out (their evaluation is cancelled
// and the rest evaluated again). When the statement times out, each
// segment is evaluated alone, to find the slow ones and refresh the rest.
func (u *run) batch(ctx context.Context, batch []ruleRow) error {
	var stamp time.Time
	err := u.watch(ctx, batch, func() (err error) {
		stamp, err = u.evaluate(ctx, batch)
		return err
	})
	switch {
	case errors.Is(err, errDeleted):
		left, err := u.existing(ctx, batch)
		if err != nil {
			return err
		}
		u.done += len(batch) - len(left)
		if len(left) == 0 {
			return nil
		}
		return u.batch(ctx, left)
	case errors.Is(err, errTimedOut) && len(batch) > 1:
		for _, s := range batch {
			if err := u.batch(ctx, []ruleRow{s}); err != nil {
				return err
			}
		}
		return nil
	case errors.Is(err, errTimedOut):
		u.slow = append(u.slow, batch[0].ID)
		u.done++
		return nil
	case err != nil:
		return err
	}
	left := batch
	if u.changedOnly {
		var err error
		if left, err = u.writeChanged(ctx, batch, stamp); err != nil {
			return err
		}
	}
	for i, s := range batch {
		if !slices.ContainsFunc(left, func(x ruleRow) bool { return x.ID == s.ID }) {
			continue
		}
		start := time.Now()
		res, err := u.write(ctx, s, i+1, stamp)
		err = u.timedOut(start, err)
		u.done++
		switch {
		case errors.Is(err, errGone):
			continue // deleted since the run started
		case errors.Is(err, errTimedOut):
			u.slow = append(u.slow, s.ID)
			continue
		case err != nil:
			return fmt.Errorf("refresh segment %d: %w", s.ID, err)
		}
		u.results = append(u.results, res)
		if u.opts.Progress != nil {
			u.opts.Progress(u.done, u.total)
		}
	}
	return nil
}

// existing returns the segments of batch that still exist.
func (u *run) existing(ctx context.Context, batch []ruleRow) ([]ruleRow, error) {
	var ids []int64
	if err := db.Select(ctx, u.conn, &ids, `SELECT id FROM segments WHERE id = ANY($1)`, segmentIDs(batch)); err != nil {
		return nil, fmt.Errorf("refresh: %w", err)
	}
	return slices.DeleteFunc(slices.Clone(batch), func(s ruleRow) bool { return !slices.Contains(ids, s.ID) }), nil
}

func segmentIDs(segs []ruleRow) []int64 {
	ids := make([]int64, len(segs))
	for i, s := range segs {
		ids[i] = s.ID
	}
	return ids
}

// errDeleted reports a statement cancelled because one of its segments was
// deleted.
var errDeleted = errors.New("a segment was deleted during its evaluation")

// watch runs stmt, one statement on the run's session, while checking
// every r.watchEvery, from another connection, that segs all still exist.
// When one has been deleted it asks PostgreSQL to cancel the statement
// (pg_cancel_backend of the session's own backend) and returns errDeleted.
//
// The refresher watches for deletions rather than the deletion cancelling
// the refresh: only the refresher knows when its backend is running the
// statement, so the cancel can never hit another query (a pid recorded for
// others to signal could outlive the run and belong to another session by
// then); nothing is recorded that a crash could leave stale; and it works
// whichever instance deletes the segment.
func (u *run) watch(ctx context.Context, segs []ruleRow, stmt func() error) error {
	if len(segs) == 0 {
		return stmt()
	}
	ids := segmentIDs(segs)
	done := make(chan struct{})
	var cancelled atomic.Bool
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(u.r.watchEvery)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-t.C:
			}
			var n int
			if err := db.Get(ctx, u.r.db, `SELECT count(*) FROM segments WHERE id = ANY($1)`, []any{ids}, &n); err != nil || n == len(ids) {
				continue // a failed check is tried again; the statement goes on
			}
			cancelled.Store(true)
			if _, err := db.Exec(ctx, u.r.db, `SELECT pg_cancel_backend($1)`, u.pid); err != nil {
				cancelled.Store(false)
				continue
			}
			return
		}
	})
	start := time.Now()
	err := stmt()
	close(done)
	wg.Wait()
	if cancelled.Load() && queryCanceled(err) {
		// Ours (had it been the timeout as well, the rest of the batch
		// meets the timeout again).
		return errDeleted
	}
	return u.timedOut(start, err)
}

// errTimedOut marks a statement stopped by the statement timeout.
var errTimedOut = errors.New("statement timeout")

// timedOut marks err, from statements started at start, with errTimedOut
// when it is the statement timeout: PostgreSQL's message says so, or (the
// message may be in the server's language) they ran at least as long as
// the timeout.
func (u *run) timedOut(start time.Time, err error) error {
	if !queryCanceled(err) {
		return err
	}
	var pe *pgconn.PgError
	errors.As(err, &pe)
	if strings.Contains(pe.Message, "statement timeout") ||
		u.opts.StatementTimeout > 0 && time.Since(start) >= u.opts.StatementTimeout {
		return fmt.Errorf("%w: %w", errTimedOut, err)
	}
	return err
}

// queryCanceled reports whether err is PostgreSQL's query_canceled: a
// statement timeout or a cancel request.
func queryCanceled(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == pgerrQueryCanceled
}

// pgerrQueryCanceled is SQLSTATE query_canceled: a statement timeout or a
// cancel request.
const pgerrQueryCanceled = "57014"

var errGone = errors.New("segment deleted")

// measure (re)builds refresh_measures for u.windows: one row per customer
// with orders (only the candidates', when u.changedOnly) and, for each
// window, its order count, sales total and last order time. idb is the
// run's session, or a transaction on it.
func (u *run) measure(ctx context.Context, idb bun.IDB) error {
	if _, err := db.Exec(ctx, idb, `DROP TABLE IF EXISTS refresh_measures`); err != nil {
		return fmt.Errorf("refresh: %w", err)
	}
	u.measuredAll = true
	if len(u.windows) == 0 {
		return nil
	}
	var args db.Args
	now, tz := args.Add(u.opts.Now), args.Add(u.opts.TimeZone)
	sql := `CREATE TEMP TABLE refresh_measures AS ` + rule.MeasuresSQL(u.windows, now, tz, &args)
	// Every customer's measures are aggregated as orders_customer_created
	// hands them over, customer after customer (an index-only scan),
	// rather than in a hash table, once orders is vacuumed. The planner
	// prefers the hash table, from an estimate of the customers with orders
	// that its sample puts at a fraction of the real number (226,757 for
	// 790,007 at 5M orders); on orders laid out by date, as a store takes
	// them, each worker then holds nearly every customer and the final
	// aggregate spills to disk: 10 s and 1.4 GB of memory at 5M orders,
	// against 4 s and next to none streaming. Streaming reads only the
	// index while the visibility map says its rows are visible to all,
	// which (auto)vacuum records; before that (a large import not yet
	// vacuumed) it would visit every order's row, and the hash table is
	// kept.
	stream, err := OrdersVacuumed(ctx, idb)
	if err != nil {
		return err
	}
	if stream {
		if _, err := db.Exec(ctx, idb, `SET enable_hashagg = off`); err != nil {
			return fmt.Errorf("refresh: %w", err)
		}
	}
	if _, err := db.Exec(ctx, idb, sql, args.Values()...); err != nil {
		return fmt.Errorf("refresh: compute order measures: %w", err)
	}
	if stream {
		// On failure a transaction's rollback, or the end of the run
		// (Refresh), resets it.
		if _, err := db.Exec(ctx, idb, `RESET enable_hashagg`); err != nil {
			return fmt.Errorf("refresh: %w", err)
		}
	}
	// The primary key makes the LEFT JOIN removable for rules without order
	// conditions and gives the planner exact statistics.
	if _, err := db.Exec(ctx, idb, `ALTER TABLE refresh_measures ADD PRIMARY KEY (customer_id)`); err != nil {
		return fmt.Errorf("refresh: %w", err)
	}
	if _, err := db.Exec(ctx, idb, `ANALYZE refresh_measures`); err != nil {
		return fmt.Errorf("refresh: %w", err)
	}
	return nil
}

// candidateMeasures is the relation m of the order measures of candidate
// k (see candidatesFrom): a LATERAL aggregate of its orders, read from
// orders_customer_created, with no row when it has none. Per candidate,
// the plan is the same whatever the planner guesses of the number of
// candidates (as a join of every candidate's measures, it once guessed
// seven, and rescanned them all for each candidate).
func (u *run) candidateMeasures(now, tz string, args *db.Args) string {
	// Each window counts only the candidates that need it (see
	// rangeNeeds), unless the windows changed since they were told (a
	// segment deleted meanwhile).
	var only []string
	if slices.EqualFunc(u.windows, u.needWindows, rule.Window.Same) && len(u.windows) <= maskBits {
		only = make([]string, len(u.windows))
		for i := range only {
			only[i] = fmt.Sprintf("o.need & %d <> 0", int64(1)<<i)
		}
	}
	// Only the columns orders_customer_created holds: an index-only scan.
	orders := `(SELECT customer_id, created_at, status, grand_total, k.need FROM orders WHERE customer_id = k.customer_id AND created_at >= k.since)`
	return `LATERAL (` + rule.MeasuresOnlySQL(u.windows, orders, only, now, tz, args) + `) m`
}

// OrdersVacuumed reports whether the visibility map covers 90% of orders
// (as of the last vacuum), so that a full refresh streams every customer's
// orders from orders_customer_created (see measure). The bench asks it
// to run our measures through psql as the refresh runs them.
func OrdersVacuumed(ctx context.Context, idb bun.IDB) (bool, error) {
	var visible bool
	if err := db.Get(ctx, idb, `SELECT relpages > 0 AND relallvisible >= 0.9 * relpages FROM pg_class WHERE oid = 'orders'::regclass`, nil, &visible); err != nil {
		return false, fmt.Errorf("refresh: %w", err)
	}
	return visible, nil
}

// rangeNeeds returns, for each day range (by id, with the segments it
// matters to), which of windows its candidates' measures need (bit i for
// window i; every bit when there are too many windows to tell) and the
// earliest order they read (everyOrder, noOrder). A range's candidates are
// evaluated only for its segments, so they need only those segments'
// windows, and only their days: an order counted in a window of D days is
// dated at most D days back, and a customer found in a range of latest
// orders has its latest order in that range. A range of signups whose
// segments read no orders needs none.
func rangeNeeds(windows []rule.Window, ranges []dayRange, users [][]ruleRow, today time.Time, loc *time.Location) (since []time.Time, need []int64) {
	since, need = make([]time.Time, len(ranges)), make([]int64, len(ranges))
	for id, r := range ranges {
		since[id] = noOrder
		for _, s := range users[id] {
			for _, w := range rule.Windows(&s.Conditions) {
				if i := slices.IndexFunc(windows, w.Same); i >= 0 && len(windows) <= maskBits {
					need[id] |= 1 << i
				} else {
					need[id] = -1 // every bit
				}
				t := everyOrder
				switch {
				case w.WithinDays > 0:
					// A day before the first day's midnight: whatever the
					// zone's offsets.
					first := today.AddDate(0, 0, 1-w.WithinDays)
					t = time.Date(first.Year(), first.Month(), first.Day(), 0, 0, 0, 0, loc).Add(-24 * time.Hour)
				case r.kind == lastOrderDates && w.Aggregates == rule.AggLast && len(w.Statuses) == 0:
					t, _ = r.instants(loc)
				}
				if t.Before(since[id]) {
					since[id] = t
				}
			}
		}
	}
	return since, need
}

// maskBits is how many windows (candidate.need) or day ranges
// (ranges) a candidate's bigint masks tell apart, one bit each; with more
// windows every candidate measures every window, and later ranges share
// the last bit (see rangeBit).
const maskBits = 62

// byCandidate reads columns of the rows of table whose column is the
// candidate k.customer_id (and that meet the condition and, if any), by
// index. OFFSET 0 keeps the subquery whole, so the
// planner probes the index once per candidate (a few thousand, usually)
// rather than hash-joining the whole table, which its default cost of a
// random read makes look cheaper well before it is.
func byCandidate(columns, table, column, and string) string {
	if and != "" {
		and = ` AND ` + and
	}
	return `SELECT ` + columns + ` FROM ` + table + ` WHERE ` + column + ` = k.customer_id` + and + ` OFFSET 0`
}

// evaluatedFrom is the FROM clause every rule is evaluated over: every
// customer, or only the candidates k (a relation with the columns of
// candidatesFrom, aliased k), with the columns sh computes once per
// row (nil: none), and their order measures m (a relation aliased m;
// "": none).
func evaluatedFrom(candidates, measures string, sh *rule.Shared) string {
	customers, groups, websites := `customers c`, `customer_groups g`, `websites w`
	if cols := sh.Columns("c"); cols != "" {
		// OFFSET 0 keeps each subquery whole, so its columns are computed
		// once per row (see rule.Shared).
		customers = `(SELECT c.*` + cols + ` FROM customers c OFFSET 0) c`
	}
	if candidates != "" {
		customers = candidates + ` CROSS JOIN LATERAL (SELECT c.*` + sh.Columns("c") +
			` FROM customers c WHERE c.id = k.customer_id OFFSET 0) c`
	}
	if cols := sh.Columns("g"); cols != "" {
		groups = `(SELECT g.*` + cols + ` FROM customer_groups g OFFSET 0) g`
	}
	if cols := sh.Columns("w"); cols != "" {
		websites = `(SELECT w.*` + cols + ` FROM websites w OFFSET 0) w`
	}
	from := customers + ` LEFT JOIN ` + groups + ` ON g.id = c.group_id LEFT JOIN ` + websites + ` ON w.id = c.website_id`
	if measures != "" {
		from += ` LEFT JOIN ` + measures + ` ON m.customer_id = c.id`
	}
	return from
}

// predicate compiles one segment's rule, restricted to its websites, with
// the values several rules of a statement read shared through sh (nil:
// computed in place); a delay (tests only) makes evaluating it take at
// least that long.
func predicate(s ruleRow, windows []rule.Window, args *db.Args, now, tz string, sh *rule.Shared, delay time.Duration) (string, error) {
	var pred, inWebsites string
	var err error
	if sh != nil {
		pred, err = rule.CompileShared(&s.Conditions, windows, now, tz, args, sh)
		inWebsites = sh.InWebsites(s.WebsiteIDs)
	} else {
		pred, err = rule.Compile(&s.Conditions, windows, now, tz, args)
		inWebsites = `c.website_id = ANY(` + args.Add(s.WebsiteIDs) + `)`
	}
	if err != nil {
		return "", err
	}
	if delay > 0 {
		// Once per statement: an uncorrelated subquery is an InitPlan.
		pred = `(SELECT true FROM pg_sleep(` + args.Add(delay.Seconds()) + `)) AND ` + pred
	}
	return `(` + inWebsites + ` AND (` + pred + `))`, nil
}

// evaluate fills refresh_eval with one row per customer — its website, its
// NULL keys (see memberColumns) and, in member[i], whether it belongs to
// batch[i-1]: every rule of the batch in one pass. It returns the store's
// data stamp as it was before the pass, which write compares to tell
// whether the customers changed since.
func (u *run) evaluate(ctx context.Context, batch []ruleRow) (time.Time, error) {
	conn, windows, opts := u.conn, u.windows, u.opts
	var stamp time.Time
	if err := db.Get(ctx, conn, `SELECT data_changed_at FROM store_state`, nil, &stamp); err != nil {
		return stamp, fmt.Errorf("refresh: %w", err)
	}
	if _, err := db.Exec(ctx, conn, `DROP TABLE IF EXISTS refresh_eval`); err != nil {
		return stamp, fmt.Errorf("refresh: %w", err)
	}
	var args db.Args
	var candidates string // "": every customer
	if u.changedOnly {
		candidates = candidatesFrom(&args) // the first arguments (see evaluateCandidates)
	}
	now, tz := args.Add(opts.Now), args.Add(opts.TimeZone)
	// The batch's rules read each customer's values once (rule.Shared).
	shared := rule.NewShared(&args)
	preds := make([]string, len(batch))
	for i, s := range batch {
		p, err := predicate(s, windows, &args, now, tz, shared, u.r.delay(s.ID))
		if err != nil {
			return stamp, fmt.Errorf("refresh segment %d: %w", s.ID, err)
		}
		if u.changedOnly {
			// NULL: not evaluated, left as stored (see relevant); a verdict
			// is never NULL (rule.Compile's conditions are two-valued).
			p = `CASE WHEN ` + u.relevant(s, now, tz, &args) + ` THEN ` + p + ` END`
		}
		preds[i] = p
	}
	measures := measuredBy(windows)
	if u.changedOnly && measures != "" {
		measures = u.candidateMeasures(now, tz, &args)
	}
	sql := `SELECT c.id AS customer_id, c.website_id, ` + memberNullKeys + `, ARRAY[` +
		strings.Join(preds, ", ") + `]::boolean[] AS member FROM ` + evaluatedFrom(candidates, measures, shared)
	u.counted = nil
	if u.changedOnly { // the candidates' rows are few: no statistics
		if err := u.evaluateCandidates(ctx, sql, args.Values()); err != nil {
			return stamp, fmt.Errorf("refresh: evaluate rules: %w", err)
		}
		if u.readAllStored {
			return stamp, u.readStored(ctx, batch)
		}
		return stamp, nil
	}
	if _, err := db.Exec(ctx, conn, `CREATE TEMP TABLE refresh_eval AS `+sql, args.Values()...); err != nil {
		return stamp, fmt.Errorf("refresh: evaluate rules: %w", err)
	}
	if _, err := db.Exec(ctx, conn, `ANALYZE refresh_eval`); err != nil {
		return stamp, fmt.Errorf("refresh: %w", err)
	}
	return stamp, u.countEvaluated(ctx, len(batch))
}

// measuredBy is the relation of the order measures an evaluation over
// windows reads, refresh_measures m ("": none).
func measuredBy(windows []rule.Window) string {
	if len(windows) == 0 {
		return ""
	}
	return `refresh_measures m`
}

// evaluateCandidates fills refresh_eval with the rows of sel, the
// evaluation of the candidates it reads from its first five arguments
// (candidatesFrom; values holds the rest), measures included. The
// candidates are split in two ranges of ids, evaluated on two sessions
// when one is spare (see share): measuring and evaluating 14,000
// candidates takes 0.15–0.2 s on one at a million customers. The second
// session cannot write the run's temporary tables, so it hands its rows
// back as arrays, which the run's session inserts.
func (u *run) evaluateCandidates(ctx context.Context, sel string, values []any) error {
	if _, err := db.Exec(ctx, u.conn, `CREATE TEMP TABLE refresh_eval (customer_id bigint NOT NULL, website_id bigint NOT NULL,
		null_phone boolean, null_zip boolean, null_country boolean, null_region boolean, member boolean[])`); err != nil {
		return err
	}
	if len(u.chosen.ids) == 0 {
		return nil // nothing changed, nobody crossed a day
	}
	parts := u.chosen.split(2)
	back := make([]evaluatedRows, len(parts))
	err := u.share(ctx, len(parts), func(ctx context.Context, idb bun.IDB, own bool, i int) error {
		if len(parts[i].ids) == 0 {
			return nil
		}
		args := slices.Clone(values)
		copy(args, parts[i].values())
		if own {
			_, err := db.Exec(ctx, idb, `INSERT INTO refresh_eval `+sel, args...)
			return err
		}
		return db.Get(ctx, idb, `SELECT COALESCE(array_agg(customer_id), '{}') AS customer_ids, COALESCE(array_agg(website_id), '{}') AS website_ids,
			COALESCE(array_agg(null_phone), '{}') AS null_phones, COALESCE(array_agg(null_zip), '{}') AS null_zips,
			COALESCE(array_agg(null_country), '{}') AS null_countries, COALESCE(array_agg(null_region), '{}') AS null_regions,
			COALESCE(array_agg(member::text), '{}') AS members FROM (`+sel+`) e`, args, &back[i])
	})
	if err != nil {
		return err
	}
	for _, b := range back {
		if len(b.CustomerIDs) == 0 {
			continue
		}
		if _, err := db.Exec(ctx, u.conn, `INSERT INTO refresh_eval
			SELECT c, w, p, z, n, r, m::boolean[] FROM unnest($1::bigint[], $2::bigint[], $3::boolean[], $4::boolean[], $5::boolean[], $6::boolean[], $7::text[]) AS e(c, w, p, z, n, r, m)`,
			b.CustomerIDs, b.WebsiteIDs, b.NullPhones, b.NullZips, b.NullCountries, b.NullRegions, b.Members); err != nil {
			return err
		}
	}
	return nil
}

// evaluatedRows are rows of refresh_eval as the columns' arrays, as a
// second session hands them back (see evaluateCandidates).
type evaluatedRows struct {
	CustomerIDs   []int64  `bun:"customer_ids,array"`
	WebsiteIDs    []int64  `bun:"website_ids,array"`
	NullPhones    []bool   `bun:"null_phones,array"`
	NullZips      []bool   `bun:"null_zips,array"`
	NullCountries []bool   `bun:"null_countries,array"`
	NullRegions   []bool   `bun:"null_regions,array"`
	Members       []string `bun:"members,array"` // each a boolean[] as text
}

// readStored reads into refresh_stored the stored memberships of every
// candidate in the batch's segments: one probe per candidate (the
// customer_id index), where comparing each segment with its stored members
// would probe once per candidate and segment. write uses them unless the
// store's data changed since the evaluation (an erasure takes members out:
// it stamps store_state, and write then probes under the segment's lock);
// a segment refreshed by someone else meanwhile is evaluated again in full.
func (u *run) readStored(ctx context.Context, batch []ruleRow) error {
	if _, err := db.Exec(ctx, u.conn, `DROP TABLE IF EXISTS refresh_stored`); err != nil {
		return fmt.Errorf("refresh: %w", err)
	}
	if _, err := db.Exec(ctx, u.conn, `CREATE TEMP TABLE refresh_stored AS
		SELECT sc.segment_id, sc.customer_id, sc.website_id FROM unnest($2::bigint[]) AS k(customer_id) CROSS JOIN LATERAL (
			SELECT segment_id, customer_id, website_id FROM segment_customers
			WHERE customer_id = k.customer_id AND segment_id = ANY($1) OFFSET 0) sc`, segmentIDs(batch), u.chosen.ids); err != nil {
		return fmt.Errorf("refresh: read stored members: %w", err)
	}
	if _, err := db.Exec(ctx, u.conn, `CREATE INDEX ON refresh_stored (segment_id, customer_id)`); err != nil {
		return fmt.Errorf("refresh: %w", err)
	}
	return nil
}

// countEvaluated counts the members of each of the n segments evaluated
// into refresh_eval per website, in one pass for the batch rather than one
// per segment (at a million customers, 20 passes took 4 of a full
// refresh's 35 s), into u.counted.
func (u *run) countEvaluated(ctx context.Context, n int) error {
	counts := make([]string, n)
	for i := range counts {
		counts[i] = fmt.Sprintf("count(*) FILTER (WHERE member[%d])", i+1)
	}
	var rows []struct {
		WebsiteID int64   `bun:"website_id"`
		Counts    []int64 `bun:"counts,array"`
	}
	if err := db.Select(ctx, u.conn, &rows, `SELECT website_id, ARRAY[`+strings.Join(counts, ", ")+`]::bigint[] AS counts
		FROM refresh_eval GROUP BY website_id ORDER BY website_id`); err != nil {
		return fmt.Errorf("refresh: count members: %w", err)
	}
	u.counted = map[int][]websiteCount{}
	for _, r := range rows {
		for i, c := range r.Counts {
			if c > 0 {
				u.counted[i+1] = append(u.counted[i+1], websiteCount{WebsiteID: r.WebsiteID, CustomerCount: c})
			}
		}
	}
	return nil
}

// write brings one segment's stored membership to the evaluated set, in one
// transaction, and records the refresh. col is the segment's column in
// refresh_eval; stamp is the store's data stamp before the evaluation (see
// evaluate). When the run evaluated only the candidates, only their stored
// membership is compared; were the segment's rule, websites or last
// refresh changed meanwhile, it is evaluated again in full, under its lock.
func (u *run) write(ctx context.Context, evaluated ruleRow, col int, stamp time.Time) (res RefreshResult, err error) {
	started := time.Now()
	id := evaluated.ID
	res = RefreshResult{SegmentID: id}
	// A rolled-back transaction takes back any measures it recomputed.
	windows, measuredAll := u.windows, u.measuredAll
	defer func() {
		if err != nil {
			u.windows, u.measuredAll = windows, measuredAll
		}
	}()
	if u.r.beforeWrite != nil {
		u.r.beforeWrite(id)
	}
	err = u.conn.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		// Added members get their NULL-key flags (see memberColumns) as the
		// customers are now. SHARE mode waits for a running customers import
		// or erasure to commit and holds the next off until this commits,
		// so no key changes between now and the commit unseen by the
		// trigger that keeps the flags current. First, before any row
		// lock, as every writer of customers locks.
		if _, err := db.Exec(ctx, tx, `LOCK TABLE customers IN SHARE MODE`); err != nil {
			return err
		}
		// The evaluation's flags are the customers' as they are now unless
		// the store's data changed since (every import and erasure stamps
		// it); then they are read from customers, which costs a join.
		var now time.Time
		if err := db.Get(ctx, tx, `SELECT data_changed_at FROM store_state`, nil, &now); err != nil {
			return err
		}
		flags, join := `n.null_phone, n.null_zip, n.null_country, n.null_region`, ``
		unchanged := now.Equal(stamp)
		if !unchanged {
			flags, join = memberNullKeys, ` LEFT JOIN customers c ON c.id = n.customer_id`
		}
		var s ruleRow
		err := db.Get(ctx, tx, ruleQuery+` WHERE s.id = $1 FOR UPDATE OF s`, []any{id}, &s)

		if errors.Is(err, sql.ErrNoRows) {
			return errGone
		}
		if err != nil {
			return err
		}
		var erased string
		if !unchanged {
			// Customers erased since the evaluation are no members (their
			// stored rows went with them).
			erased = ` AND EXISTS (SELECT FROM customers c WHERE c.id = e.customer_id)`
		}
		members := fmt.Sprintf(`(SELECT customer_id, website_id, null_phone, null_zip, null_country, null_region FROM refresh_eval e WHERE member[%d]%s) n`, col, erased)
		changedOnly, reevaluated := u.changedOnly, false
		if s.RuleVersion != evaluated.RuleVersion || !slices.Equal(s.WebsiteIDs, evaluated.WebsiteIDs) ||
			changedOnly && (!s.incremental(u.opts) || *s.Snapshot != *evaluated.Snapshot) {
			if err := u.reevaluate(ctx, tx, s); err != nil {
				return err
			}
			members, changedOnly, reevaluated = `refresh_members n`, false, true
			// Evaluated in this transaction, under the lock.
			flags, join = `n.null_phone, n.null_zip, n.null_country, n.null_region`, ``
		}
		res.Incremental = changedOnly
		// The evaluated members' counts, as the batch counted them (nil
		// after a re-evaluation under the lock, or an erasure since: counted
		// in SQL).
		var counted []websiteCount
		if !reevaluated && !changedOnly && unchanged {
			counted = u.counted[col]
			if counted == nil {
				counted = []websiteCount{}
			}
		}
		// Ordered, so even a generic plan walks the primary key: a scan that
		// stops at the first member may read every other segment's first.
		var stored bool
		if err := db.Get(ctx, tx, `SELECT EXISTS (SELECT FROM (SELECT customer_id FROM segment_customers WHERE segment_id = $1 ORDER BY customer_id LIMIT 1) x)`, []any{id}, &stored); err != nil {
			return err
		}
		if !stored {
			// Nothing to compare with (a new segment, or one that had no
			// members): every member is added.
			added, err := db.Exec(ctx, tx, `INSERT INTO segment_customers `+memberColumns+`
				SELECT $1, n.customer_id, n.website_id, `+flags+` FROM `+members+join, id)
			if err != nil {
				return fmt.Errorf("add members: %w", err)
			}
			res.Added = added
			u.changed += added
			if err := u.record(ctx, tx, s, members, counted, true, nil, started, &res); err != nil {
				return err
			}
			return bitmap.Refreshed(ctx, tx, id, "")
		}
		// One join of the evaluated set with the stored one finds every
		// change; applying them touches only changed rows.
		if _, err := db.Exec(ctx, tx, `TRUNCATE refresh_diff`); err != nil {
			return err
		}
		var diffArgs db.Args
		diffArgs.Add(id) // $1
		storedSide := `SELECT customer_id, website_id FROM segment_customers WHERE segment_id = $1`
		// The candidates evaluated for this segment (see relevant).
		evaluated := fmt.Sprintf(`k.member[%d] IS NOT NULL`, col)
		switch {
		case changedOnly && unchanged && u.readAllStored:
			// As read for the batch (readStored): no erasure since.
			storedSide = `SELECT sc.customer_id, sc.website_id FROM refresh_stored sc JOIN refresh_eval k ON k.customer_id = sc.customer_id
				WHERE sc.segment_id = $1 AND ` + evaluated
		case changedOnly:
			storedSide = `SELECT sc.customer_id, sc.website_id FROM refresh_eval k CROSS JOIN LATERAL (` +
				byCandidate(`*`, `segment_customers`, `customer_id`, `segment_id = $1`) + `) sc WHERE ` + evaluated
		}
		// With no candidate evaluated for this segment, there is nothing
		// to compare.
		var changes []websiteChange
		if !changedOnly || u.touched(s) {
			if _, err := db.Exec(ctx, tx, `INSERT INTO refresh_diff (customer_id, website_id, was_website_id, null_phone, null_zip, null_country, null_region, change)
				SELECT COALESCE(n.customer_id, sc.customer_id), n.website_id, sc.website_id, n.null_phone, n.null_zip, n.null_country, n.null_region,
					CASE WHEN sc.customer_id IS NULL THEN 'added' WHEN n.customer_id IS NULL THEN 'removed' ELSE 'moved' END
				FROM `+members+` FULL JOIN (`+storedSide+`) sc
					ON sc.customer_id = n.customer_id
				WHERE n.customer_id IS NULL OR sc.customer_id IS NULL OR sc.website_id <> n.website_id`, diffArgs.Values()...); err != nil {
				return fmt.Errorf("compare members: %w", err)
			}
			// The changes per website, from the same pass: a customer who
			// moved website left one and joined the other, as a scope sees it.
			if err := db.Select(ctx, tx, &changes, `SELECT x.website_id,
					count(*) FILTER (WHERE x.side = 'n') AS added, count(*) FILTER (WHERE x.side = 'o') AS removed,
					count(*) FILTER (WHERE x.side = 'n' AND d.change = 'moved') AS moved
				FROM refresh_diff d CROSS JOIN LATERAL (VALUES (d.website_id, 'n'), (d.was_website_id, 'o')) x(website_id, side)
				WHERE x.website_id IS NOT NULL GROUP BY x.website_id`); err != nil {
				return err
			}
		}
		var moved int64
		for _, c := range changes {
			res.Added += c.Added - c.Moved
			res.Removed += c.Removed
			moved += c.Moved
		}
		res.Removed -= moved
		u.changed += res.Added + res.Removed + moved
		if res.Added+res.Removed+moved > 10_000 {
			// Plans for applying many changes need to know there are many.
			if _, err := db.Exec(ctx, tx, `ANALYZE refresh_diff`); err != nil {
				return err
			}
		}
		if res.Removed > 0 {
			if _, err := db.Exec(ctx, tx, `DELETE FROM segment_customers sc USING refresh_diff d
				WHERE sc.segment_id = $1 AND sc.customer_id = d.customer_id AND d.change = 'removed'`, id); err != nil {
				return fmt.Errorf("remove members: %w", err)
			}
		}
		if res.Added > 0 {
			if _, err := db.Exec(ctx, tx, `INSERT INTO segment_customers `+memberColumns+`
				SELECT $1, n.customer_id, n.website_id, `+flags+` FROM refresh_diff n`+join+`
				WHERE n.change = 'added'`, id); err != nil {
				return fmt.Errorf("add members: %w", err)
			}
		}
		if moved > 0 {
			// A customer who moved website stays a member; keep the copy right.
			if _, err := db.Exec(ctx, tx, `UPDATE segment_customers sc SET website_id = d.website_id FROM refresh_diff d
				WHERE sc.segment_id = $1 AND sc.customer_id = d.customer_id AND d.change = 'moved'`, id); err != nil {
				return err
			}
		}
		if changedOnly {
			// members holds only the candidates: the counts are the stored
			// ones moved by the changes.
			members = ""
		}
		if err := u.record(ctx, tx, s, members, counted, false, changes, started, &res); err != nil {
			return err
		}
		return bitmap.Refreshed(ctx, tx, id, "refresh_diff")
	})
	return res, err
}

// writeChanged writes, in one transaction, the segments of batch evaluated
// over the candidates (changedOnly): their changes, found for all in one
// pass over refresh_eval that reads the stored membership of each
// candidate a segment evaluated, applied in one statement each, and
// recorded as write records them — a dozen statements for the batch, where
// write takes a dozen or more for each segment (2–10 ms a segment at a
// million customers). It returns the segments it leaves to write: those
// whose rule, websites or last refresh changed since the run read them
// (write evaluates them again, under the lock), and every one when the
// store's data changed since the evaluation (an erasure or import: write
// then reads the customers' flags and leaves out the erased) or the
// transaction timed out (write then finds the slow segments).
func (u *run) writeChanged(ctx context.Context, batch []ruleRow, stamp time.Time) ([]ruleRow, error) {
	for _, s := range batch {
		if u.r.beforeWrite != nil {
			u.r.beforeWrite(s.ID)
		}
	}
	started := time.Now()
	var left []ruleRow
	var written []RefreshResult // the segments written, with their counts
	gone := 0
	err := u.conn.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		left, written, gone = nil, nil, 0
		// As write: members are added with their flags as the customers are
		// now, so no import or erasure may commit meanwhile.
		if _, err := db.Exec(ctx, tx, `LOCK TABLE customers IN SHARE MODE`); err != nil {
			return err
		}
		var now time.Time
		if err := db.Get(ctx, tx, `SELECT data_changed_at FROM store_state`, nil, &now); err != nil {
			return err
		}
		if !now.Equal(stamp) {
			left = batch
			return nil
		}
		var current []ruleRow
		if err := db.Select(ctx, tx, &current, ruleQuery+` WHERE s.id = ANY($1) ORDER BY s.id FOR UPDATE OF s`, segmentIDs(batch)); err != nil {
			return err
		}
		var ids []int64
		var touched []int64 // the segments that evaluated candidates (see touched)...
		var cols []int32    // ... and their columns in refresh_eval
		for i, was := range batch {
			j := slices.IndexFunc(current, func(s ruleRow) bool { return s.ID == was.ID })
			switch {
			case j < 0:
				gone++ // deleted since the run started
			case current[j].RuleVersion == was.RuleVersion && slices.Equal(current[j].WebsiteIDs, was.WebsiteIDs) &&
				current[j].incremental(u.opts) && *current[j].Snapshot == *was.Snapshot:
				ids = append(ids, was.ID)
				if u.touched(was) {
					touched, cols = append(touched, was.ID), append(cols, int32(i+1))
				}
			default:
				left = append(left, was)
			}
		}
		if len(ids) == 0 {
			return nil
		}
		// A candidate a segment evaluated (a verdict, see relevant) is
		// compared with its stored membership, read by key, or from the
		// batch's read of every candidate's (readStored).
		stored := `LEFT JOIN LATERAL (SELECT website_id FROM segment_customers WHERE segment_id = s.id AND customer_id = e.customer_id OFFSET 0) sc ON true`
		if u.readAllStored {
			stored = `LEFT JOIN refresh_stored sc ON sc.segment_id = s.id AND sc.customer_id = e.customer_id`
		}
		if _, err := db.Exec(ctx, tx, `TRUNCATE refresh_diff`); err != nil {
			return err
		}
		if _, err := db.Exec(ctx, tx, `INSERT INTO refresh_diff (segment_id, customer_id, website_id, was_website_id, null_phone, null_zip, null_country, null_region, change)
			SELECT s.id, e.customer_id, CASE WHEN e.member[s.col] THEN e.website_id END, sc.website_id, e.null_phone, e.null_zip, e.null_country, e.null_region,
				CASE WHEN sc.website_id IS NULL THEN 'added' WHEN NOT e.member[s.col] THEN 'removed' ELSE 'moved' END
			FROM unnest($1::bigint[], $2::integer[]) AS s(id, col) CROSS JOIN refresh_eval e `+stored+`
			WHERE e.member[s.col] IS NOT NULL AND (e.member[s.col] <> (sc.website_id IS NOT NULL) OR e.member[s.col] AND sc.website_id <> e.website_id)`,
			touched, cols); err != nil {
			return fmt.Errorf("compare members: %w", err)
		}
		// The changes per segment and website: a customer who moved website
		// left one and joined the other, as a scope sees it.
		var changes []segmentChange
		if err := db.Select(ctx, tx, &changes, `SELECT d.segment_id, x.website_id,
				count(*) FILTER (WHERE x.side = 'n') AS added, count(*) FILTER (WHERE x.side = 'o') AS removed,
				count(*) FILTER (WHERE x.side = 'n' AND d.change = 'moved') AS moved
			FROM refresh_diff d CROSS JOIN LATERAL (VALUES (d.website_id, 'n'), (d.was_website_id, 'o')) x(website_id, side)
			WHERE x.website_id IS NOT NULL GROUP BY d.segment_id, x.website_id`); err != nil {
			return err
		}
		var added, removed, moved int64
		for _, c := range changes {
			added, removed, moved = added+c.Added-c.Moved, removed+c.Removed-c.Moved, moved+c.Moved
		}
		if added+removed+moved > 10_000 {
			// Plans for applying many changes need to know there are many.
			if _, err := db.Exec(ctx, tx, `ANALYZE refresh_diff`); err != nil {
				return err
			}
		}
		if removed > 0 {
			if _, err := db.Exec(ctx, tx, `DELETE FROM segment_customers sc USING refresh_diff d
				WHERE sc.segment_id = d.segment_id AND sc.customer_id = d.customer_id AND d.change = 'removed'`); err != nil {
				return fmt.Errorf("remove members: %w", err)
			}
		}
		if added > 0 {
			if _, err := db.Exec(ctx, tx, `INSERT INTO segment_customers `+memberColumns+`
				SELECT d.segment_id, d.customer_id, d.website_id, d.null_phone, d.null_zip, d.null_country, d.null_region
				FROM refresh_diff d WHERE d.change = 'added'`); err != nil {
				return fmt.Errorf("add members: %w", err)
			}
		}
		if moved > 0 {
			// A customer who moved website stays a member; keep the copy right.
			if _, err := db.Exec(ctx, tx, `UPDATE segment_customers sc SET website_id = d.website_id FROM refresh_diff d
				WHERE sc.segment_id = d.segment_id AND sc.customer_id = d.customer_id AND d.change = 'moved'`); err != nil {
				return err
			}
		}
		u.changed += added + removed + moved
		// The counts per website move by the changes; the history has a row
		// per website of the segment, per website with members and per
		// website members left, as record writes.
		var cs, cw, ca, cr []int64
		for _, c := range changes {
			cs, cw, ca, cr = append(cs, c.SegmentID), append(cw, c.WebsiteID), append(ca, c.Added), append(cr, c.Removed)
		}
		if len(changes) > 0 {
			if _, err := db.Exec(ctx, tx, `INSERT INTO segment_website_counts (segment_id, website_id, customer_count)
				SELECT segment_id, website_id, sum(added - removed) FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[]) AS c(segment_id, website_id, added, removed)
				GROUP BY segment_id, website_id
				ON CONFLICT (segment_id, website_id) DO UPDATE SET customer_count = segment_website_counts.customer_count + EXCLUDED.customer_count`,
				cs, cw, ca, cr); err != nil {
				return err
			}
			if _, err := db.Exec(ctx, tx, `DELETE FROM segment_website_counts WHERE segment_id = ANY($1) AND customer_count = 0`, cs); err != nil {
				return err
			}
		}
		written = make([]RefreshResult, len(ids))
		var sa, sr []int64 // each segment's numbers (a move is neither)
		for i, id := range ids {
			written[i] = RefreshResult{SegmentID: id, Incremental: true}
			for _, c := range changes {
				if c.SegmentID == id {
					written[i].Added, written[i].Removed = written[i].Added+c.Added-c.Moved, written[i].Removed+c.Removed-c.Moved
				}
			}
			sa, sr = append(sa, written[i].Added), append(sr, written[i].Removed)
		}
		var counts []struct {
			ID            int64 `bun:"id"`
			CustomerCount int64 `bun:"customer_count"`
		}
		if err := db.Select(ctx, tx, &counts, `WITH s AS (
				UPDATE segments s SET customer_count = COALESCE((SELECT sum(customer_count) FROM segment_website_counts c WHERE c.segment_id = s.id), 0),
					refreshed_at = $4, refreshed_rule_version = s.rule_version, last_refresh_ms = $5, refreshed_snapshot = $6::pg_snapshot, refreshed_time_zone = $7
				WHERE s.id = ANY($1) RETURNING s.id, s.rule_version, s.customer_count),
			r AS (
				INSERT INTO segment_refreshes (segment_id, run_id, rule_version, finished_at, duration_ms, customer_count, added, removed)
				SELECT s.id, $8, s.rule_version, clock_timestamp(), $5, s.customer_count, n.added, n.removed
				FROM s JOIN unnest($1::bigint[], $2::bigint[], $3::bigint[]) AS n(id, added, removed) ON n.id = s.id RETURNING id, segment_id),
			ch AS (SELECT * FROM unnest($9::bigint[], $10::bigint[], $11::bigint[], $12::bigint[]) AS ch(segment_id, website_id, added, removed)),
			w AS (
				INSERT INTO segment_refresh_websites (refresh_id, website_id, customer_count, added, removed)
				SELECT r.id, w.website_id, COALESCE(c.customer_count, 0), COALESCE(ch.added, 0), COALESCE(ch.removed, 0) FROM r
					CROSS JOIN LATERAL (SELECT website_id FROM segment_websites WHERE segment_id = r.segment_id
						UNION SELECT website_id FROM segment_website_counts WHERE segment_id = r.segment_id
						UNION SELECT website_id FROM ch WHERE segment_id = r.segment_id) w
					LEFT JOIN segment_website_counts c ON c.segment_id = r.segment_id AND c.website_id = w.website_id
					LEFT JOIN ch ON ch.segment_id = r.segment_id AND ch.website_id = w.website_id)
			SELECT id, customer_count FROM s`,
			ids, sa, sr, u.opts.Now, time.Since(started).Milliseconds(), u.snapshot, u.opts.TimeZone, u.opts.RunID, cs, cw, ca, cr); err != nil {
			return err
		}
		for i := range written {
			for _, c := range counts {
				if c.ID == written[i].SegmentID {
					written[i].CustomerCount = c.CustomerCount
				}
			}
		}
		// Bitmaps take each segment's changes; those without keep theirs.
		var unchanged []int64
		for _, id := range ids {
			if !slices.Contains(cs, id) {
				unchanged = append(unchanged, id)
				continue
			}
			if err := bitmap.Refreshed(ctx, tx, id, fmt.Sprintf("(SELECT * FROM refresh_diff WHERE segment_id = %d) d", id)); err != nil {
				return err
			}
		}
		if len(unchanged) > 0 {
			return bitmap.Unchanged(ctx, tx, unchanged)
		}
		return nil
	})
	if err != nil {
		if ctx.Err() == nil && errors.Is(u.timedOut(started, err), errTimedOut) {
			return batch, nil // write does each, and reports the slow ones
		}
		return nil, fmt.Errorf("refresh: %w", err)
	}
	u.done += gone
	took := time.Since(started)
	for _, res := range written {
		res.Duration = took
		u.done++
		u.results = append(u.results, res)
		if u.opts.Progress != nil {
			u.opts.Progress(u.done, u.total)
		}
	}
	return left, nil
}

// segmentChange is how a refresh changed a segment's members on one
// website (see websiteChange).
type segmentChange struct {
	SegmentID int64 `bun:"segment_id"`
	websiteChange
}

// memberColumns are the columns a refresh writes of a member: besides who
// and on which website, whether each nullable sort key of the customer is
// NULL (memberNullKeys, over customers c: the evaluation reads them with
// the rest, or, when customers changed since, write joins them LEFT, so
// that a customer erased since still fails the foreign key and the refresh
// leaves the segment as it was). The drill-down reads a
// segment's members without a phone, ZIP, country or region from partial
// indexes on these flags; a trigger on customers keeps them current between
// refreshes.
const (
	memberColumns  = `(segment_id, customer_id, website_id, null_phone, null_zip, null_country, null_region)`
	memberNullKeys = `c.phone IS NULL AS null_phone, c.zip IS NULL AS null_zip, c.country IS NULL AS null_country, c.region IS NULL AS null_region`
)

// websiteChange is how a refresh changed a segment's members on one
// website; a customer who moved website counts as removed from one and
// added to the other (Moved counts those among Added).
type websiteChange struct {
	WebsiteID int64 `bun:"website_id"`
	Added     int64 `bun:"added"`
	Removed   int64 `bun:"removed"`
	Moved     int64 `bun:"moved"`
}

// record writes a refreshed segment's counts, per website and in all, and
// its history row with its numbers per website: every member was added
// (allAdded), or changes are the changes per website. The counts are
// counted (when not nil: members counted already), those of members, or,
// when members is empty (the run compared only the candidates), the
// stored counts moved by changes.
func (u *run) record(ctx context.Context, tx bun.Tx, s ruleRow, members string, counted []websiteCount, allAdded bool, changes []websiteChange, started time.Time, res *RefreshResult) error {
	id := s.ID
	var perWebsite []websiteCount
	switch {
	case members != "" && counted != nil:
		if _, err := db.Exec(ctx, tx, `DELETE FROM segment_website_counts WHERE segment_id = $1`, id); err != nil {
			return err
		}
		var ws, ns []int64
		for _, c := range counted {
			ws, ns = append(ws, c.WebsiteID), append(ns, c.CustomerCount)
		}
		if _, err := db.Exec(ctx, tx, `INSERT INTO segment_website_counts (segment_id, website_id, customer_count)
			SELECT $1, * FROM unnest($2::bigint[], $3::bigint[])`, id, ws, ns); err != nil {
			return err
		}
		perWebsite = counted
	case members != "":
		if _, err := db.Exec(ctx, tx, `DELETE FROM segment_website_counts WHERE segment_id = $1`, id); err != nil {
			return err
		}
		if err := db.Select(ctx, tx, &perWebsite, `INSERT INTO segment_website_counts (segment_id, website_id, customer_count)
			SELECT $1, n.website_id, count(*) FROM `+members+` GROUP BY n.website_id RETURNING website_id, customer_count`, id); err != nil {
			return err
		}
	case len(changes) == 0:
		if err := db.Select(ctx, tx, &perWebsite, `SELECT website_id, customer_count FROM segment_website_counts WHERE segment_id = $1`, id); err != nil {
			return err
		}
	default:
		var ws, deltas []int64
		for _, c := range changes {
			ws, deltas = append(ws, c.WebsiteID), append(deltas, c.Added-c.Removed)
		}
		if err := db.Select(ctx, tx, &perWebsite, `WITH d AS (SELECT * FROM unnest($2::bigint[], $3::bigint[]) d(website_id, delta)),
			upd AS (INSERT INTO segment_website_counts (segment_id, website_id, customer_count)
				SELECT $1, d.website_id, d.delta FROM d
				ON CONFLICT (segment_id, website_id) DO UPDATE SET customer_count = segment_website_counts.customer_count + EXCLUDED.customer_count
				RETURNING website_id, customer_count)
			SELECT website_id, customer_count FROM upd
			UNION ALL SELECT website_id, customer_count FROM segment_website_counts
			WHERE segment_id = $1 AND website_id NOT IN (SELECT website_id FROM d)`, id, ws, deltas); err != nil {
			return err
		}
		if _, err := db.Exec(ctx, tx, `DELETE FROM segment_website_counts WHERE segment_id = $1 AND customer_count = 0`, id); err != nil {
			return err
		}
		perWebsite = slices.DeleteFunc(perWebsite, func(c websiteCount) bool { return c.CustomerCount == 0 })
	}
	// One history row per website of the segment and per website members
	// left from, zeros included, so a scope sees each refresh it took part in.
	site := map[int64]*refreshWebsite{}
	at := func(w int64) *refreshWebsite {
		if site[w] == nil {
			site[w] = &refreshWebsite{WebsiteID: w}
		}
		return site[w]
	}
	for _, w := range s.WebsiteIDs {
		at(w)
	}
	for _, n := range perWebsite {
		res.CustomerCount += n.CustomerCount
		at(n.WebsiteID).CustomerCount = n.CustomerCount
		if allAdded {
			at(n.WebsiteID).Added = n.CustomerCount
		}
	}
	for _, c := range changes {
		at(c.WebsiteID).Added, at(c.WebsiteID).Removed = c.Added, c.Removed
	}
	res.Duration = time.Since(started)
	if _, err := db.Exec(ctx, tx, `UPDATE segments SET customer_count = $2, refreshed_at = $3,
		refreshed_rule_version = $4, last_refresh_ms = $5, refreshed_snapshot = $6::pg_snapshot, refreshed_time_zone = $7 WHERE id = $1`,
		id, res.CustomerCount, u.opts.Now, s.RuleVersion, res.Duration.Milliseconds(), u.snapshot, u.opts.TimeZone); err != nil {
		return err
	}
	var refreshID int64
	if err := db.Get(ctx, tx, `INSERT INTO segment_refreshes
		(segment_id, run_id, rule_version, finished_at, duration_ms, customer_count, added, removed)
		VALUES ($1, $2, $3, clock_timestamp(), $4, $5, $6, $7) RETURNING id`,
		[]any{id, u.opts.RunID, s.RuleVersion, res.Duration.Milliseconds(), res.CustomerCount, res.Added, res.Removed}, &refreshID); err != nil {
		return err
	}
	var ws, counts, added, removed []int64
	for _, w := range slices.Sorted(maps.Keys(site)) {
		ws, counts = append(ws, w), append(counts, site[w].CustomerCount)
		added, removed = append(added, site[w].Added), append(removed, site[w].Removed)
	}
	_, err := db.Exec(ctx, tx, `INSERT INTO segment_refresh_websites (refresh_id, website_id, customer_count, added, removed)
		SELECT $1, * FROM unnest($2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[])`, refreshID, ws, counts, added, removed)
	return err
}

// refreshWebsite is one refresh's numbers on one website
// (segment_refresh_websites): what a principal limited to that website
// sees of the refresh.
type refreshWebsite struct {
	bun.BaseModel `bun:"table:segment_refresh_websites,alias:rw"`

	RefreshID     int64 `bun:"refresh_id,pk"`
	WebsiteID     int64 `bun:"website_id,pk"`
	CustomerCount int64 `bun:"customer_count"`
	Added         int64 `bun:"added"`
	Removed       int64 `bun:"removed"`
}

// reevaluate evaluates one segment's current rule (read under its lock)
// into refresh_members, over every customer: it measures again when the
// run's measures lack a window of the rule or cover only the candidates.
func (u *run) reevaluate(ctx context.Context, tx bun.Tx, s ruleRow) error {
	if merged, changed := rule.MergeWindows(u.windows, rule.Windows(&s.Conditions)); changed || !u.measuredAll {
		u.windows = merged
		changedOnly := u.changedOnly
		u.changedOnly = false
		err := u.measure(ctx, tx)
		u.changedOnly = changedOnly
		if err != nil {
			return err
		}
	}
	if _, err := db.Exec(ctx, tx, `TRUNCATE refresh_members`); err != nil {
		return err
	}
	var args db.Args
	now, tz := args.Add(u.opts.Now), args.Add(u.opts.TimeZone)
	pred, err := predicate(s, u.windows, &args, now, tz, nil, u.r.delay(s.ID))
	if err != nil {
		return err
	}
	if _, err := db.Exec(ctx, tx, `INSERT INTO refresh_members (customer_id, website_id, null_phone, null_zip, null_country, null_region)
		SELECT c.id, c.website_id, `+memberNullKeys+` FROM `+evaluatedFrom("", measuredBy(u.windows), nil)+` WHERE `+pred, args.Values()...); err != nil {
		return fmt.Errorf("evaluate rule: %w", err)
	}
	_, err = db.Exec(ctx, tx, `ANALYZE refresh_members`)
	return err
}

// keepChangesFor is how long the change log keeps what a segment's last
// refresh did not see; a segment refreshed longer ago is evaluated in full.
const keepChangesFor = 7 * 24 * time.Hour

// PruneChangesEvery is how often the change log is pruned besides after
// each refresh (on the elected leader, as a periodic job: see
// PruneChangesArgs), so it stays small when nothing refreshes
// (REFRESH_INTERVAL=0 and nobody asking).
const PruneChangesEvery = 6 * time.Hour

// PruneChangesArgs are the arguments of the periodic job that prunes the
// change log (PruneChanges).
type PruneChangesArgs struct{}

// Kind names the job.
func (PruneChangesArgs) Kind() string { return "change_log_prune" }

// PruneChanges deletes from the change log what every segment refreshed
// within keepChangesFor of now has seen — everything, when none was — and
// records the horizon (store_state.changes_kept_from) so a segment whose
// snapshot is older is evaluated in full. A refresh that read its
// candidates before a prune checks the horizon again under the segment's
// lock (write), and one whose snapshot the horizon passes is evaluated in
// full next time, so what a prune took is never missed. The horizon is
// recorded first, in a short transaction (imports and erasures stamp the
// same row), then the rows before it are deleted in batches: a log grown
// large while nothing refreshed goes over several rounds if it must.
func PruneChanges(ctx context.Context, idb bun.IDB, now time.Time) error {
	var horizon *string
	// Without a segment refreshed lately, the oldest transaction still
	// running: every segment is evaluated in full next time anyway.
	err := db.Get(ctx, idb, `UPDATE store_state SET changes_kept_from = h.xmin
		FROM (SELECT COALESCE(min(pg_snapshot_xmin(refreshed_snapshot)), pg_snapshot_xmin(pg_current_snapshot())) AS xmin
			FROM segments WHERE refreshed_snapshot IS NOT NULL AND refreshed_at > $1) h
		WHERE changes_kept_from IS NULL OR changes_kept_from < h.xmin
		RETURNING changes_kept_from::text`, []any{now.Add(-keepChangesFor)}, &horizon)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		// Not moved: what lies before it was deleted, but perhaps not all
		// (a round cut short); read it to go on.
		if err := db.Get(ctx, idb, `SELECT changes_kept_from::text FROM store_state`, nil, &horizon); err != nil {
			return fmt.Errorf("prune the change log: %w", err)
		}
		if horizon == nil {
			return nil
		}
	case err != nil:
		return fmt.Errorf("prune the change log: %w", err)
	}
	for {
		res, err := db.Exec(ctx, idb, `DELETE FROM customer_changes WHERE ctid = ANY (ARRAY(
			SELECT ctid FROM customer_changes WHERE xid < $1::xid8 LIMIT $2))`, *horizon, pruneBatch)
		if err != nil {
			return fmt.Errorf("prune the change log: %w", err)
		}
		if res < pruneBatch {
			return nil
		}
	}
}

// pruneBatch bounds the rows one DELETE of the change log removes.
const pruneBatch = 50_000
