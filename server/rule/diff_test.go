package rule

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/db/dbtest"
)

// TestDifferential holds the compiled SQL against the reference evaluator:
// thousands of random rules over random customers, in time zones away from
// UTC, with now just around local midnight. RULE_SEED replays a run.
func TestDifferential(t *testing.T) {
	t.Parallel()
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("RULE_SEED"); s != "" {
		var err error
		seed, err = strconv.ParseUint(s, 10, 64)
		require.NoError(t, err)
	}
	t.Logf("RULE_SEED=%d", seed)
	trees := 1000
	if testing.Short() {
		trees = 200
	}
	for i, cfg := range []struct {
		zone  string
		local string // now, in zone
	}{
		{"Europe/Stockholm", "2025-03-30 00:30:00"}, // the night clocks go forward
		{"Pacific/Auckland", "2025-04-05 23:55:00"}, // the night clocks go back
		{"Asia/Kolkata", "2025-01-01 00:00:01"},     // half-hour offset, a new year
	} {
		// The zones run one after another: the evaluator and PostgreSQL
		// already keep two cores busy, and running them side by side was
		// slower.
		t.Run(cfg.zone, func(t *testing.T) {
			loc, err := time.LoadLocation(cfg.zone)
			require.NoError(t, err)
			now, err := time.ParseInLocation(time.DateTime, cfg.local, loc)
			require.NoError(t, err)
			gen := &generator{rng: rand.New(rand.NewPCG(seed, uint64(i))), now: now, loc: loc}
			s := gen.store(250)
			d := dbtest.New(t)
			s.insert(t, d)
			codes := s.codes()
			// One connection, without JIT: compiling each big one-off
			// statement to machine code costs more than running it.
			conn, err := d.Pool.Acquire(context.Background())
			require.NoError(t, err)
			defer conn.Release()
			_, err = conn.Exec(context.Background(), "SET jit = off")
			require.NoError(t, err)

			var proper int  // rules selecting some but not all customers
			var decided int // verdicts CompileWithoutOrders decided
			const batch = 30
			for start := 0; start < trees; start += batch {
				raw := make([]*Group, batch)
				canon := make([]*Group, batch)
				for j := range raw {
					raw[j] = gen.rule()
					canon[j] = raw[j].Clone()
					require.NoError(t, Validate(canon[j], codes), "%s", js(raw[j]))
				}
				// Like a refresh: one set of windows for many rules.
				windows := Windows(canon...)
				got := batchMembers(t, conn, canon, windows, now, cfg.zone)
				for j, g := range canon {
					want := s.evalMembers(g, now, loc)
					require.Equal(t, want, s.evalMembers(raw[j], now, loc),
						"canonicalization changed the meaning of\n%s", js(raw[j]))
					if j%10 == 0 { // the statement shape the refresh runs, too
						require.Equal(t, got[j], sqlMembers(t, conn, g, windows, now, cfg.zone))
					}
					if j%3 == 0 {
						in, out := decidedMembers(t, conn, g, now, cfg.zone)
						require.Subset(t, want, in, "decided members without orders, RULE_SEED=%d rule:\n%s", seed, js(g))
						require.Empty(t, intersect(want, out), "decided non-members without orders, RULE_SEED=%d rule:\n%s", seed, js(g))
						decided += len(in) + len(out)
					}
					if !equalIDs(want, got[j]) {
						q, _, _ := selectSQL(g, windows, now, cfg.zone)
						require.Failf(t, "SQL and reference evaluator disagree",
							"RULE_SEED=%d rule:\n%s\nreference: %v\nSQL:       %v\n%s\nstatement:\n%s",
							seed, js(g), want, got[j], s.describe(want, got[j]), q)
					}
					if len(want) > 0 && len(want) < len(s.customers) {
						proper++
					}
				}
			}
			t.Logf("%d of %d rules selected a proper subset; %d verdicts decided without orders", proper, trees, decided)
			require.Positive(t, decided)
			require.Greater(t, proper, trees/4, "the generator makes too many trivial rules")
		})
	}
}

// batchMembers evaluates many rules in one statement, one boolean column
// each, sharing each customer's values between them as a refresh does
// (CompileShared), and checks that no rule is ever NULL for a customer.
func batchMembers(t *testing.T, d querier, rules []*Group, windows []Window, now time.Time, zone string) [][]int64 {
	t.Helper()
	args := new(db.Args)
	pn, pz := args.Add(now), args.Add(zone)
	shared := NewShared(args)
	cols := make([]string, len(rules))
	for i, g := range rules {
		expr, err := CompileShared(g, windows, pn, pz, args, shared)
		require.NoError(t, err)
		cols[i] = expr
	}
	q := `SELECT c.id, ` + strings.Join(cols, ",\n") + `
		FROM (SELECT c.*` + shared.Columns("c") + ` FROM customers c OFFSET 0) c
		JOIN (SELECT g.*` + shared.Columns("g") + ` FROM customer_groups g OFFSET 0) g ON g.id = c.group_id
		JOIN (SELECT w.*` + shared.Columns("w") + ` FROM websites w OFFSET 0) w ON w.id = c.website_id
		LEFT JOIN (` + MeasuresSQL(windows, pn, pz, args) + `) m ON m.customer_id = c.id
		ORDER BY c.id`
	rows, err := d.Query(context.Background(), q, append([]any{pgx.QueryExecModeDescribeExec}, args.Values()...)...)
	require.NoError(t, err)
	defer rows.Close()
	out := make([][]int64, len(rules))
	for i := range out {
		out[i] = []int64{}
	}
	for rows.Next() {
		vals, err := rows.Values()
		require.NoError(t, err)
		id := vals[0].(int64)
		for i, v := range vals[1:] {
			b, ok := v.(bool)
			require.True(t, ok, "rule %d is %v for customer %d:\n%s", i, v, id, js(rules[i]))
			if b {
				out[i] = append(out[i], id)
			}
		}
	}
	require.NoError(t, rows.Err())
	return out
}

// decidedMembers returns the customers that g compiled without orders
// (CompileWithoutOrders) holds for, and those it fails for, whatever their
// orders.
func decidedMembers(t *testing.T, d querier, g *Group, now time.Time, zone string) (in, out []int64) {
	t.Helper()
	args := new(db.Args)
	pn, pz := args.Add(now), args.Add(zone)
	expr, err := CompileWithoutOrders(g, pn, pz, args)
	require.NoError(t, err)
	rows, err := d.Query(context.Background(), `SELECT c.id, `+expr+` FROM customers c
		JOIN customer_groups g ON g.id = c.group_id JOIN websites w ON w.id = c.website_id ORDER BY c.id`,
		append([]any{pgx.QueryExecModeDescribeExec}, args.Values()...)...)
	require.NoError(t, err)
	defer rows.Close()
	for rows.Next() {
		var id int64
		var v *bool
		require.NoError(t, rows.Scan(&id, &v))
		switch {
		case v == nil:
		case *v:
			in = append(in, id)
		default:
			out = append(out, id)
		}
	}
	require.NoError(t, rows.Err())
	return in, out
}

func intersect(a, b []int64) []int64 {
	var out []int64
	for _, x := range b {
		if slices.Contains(a, x) {
			out = append(out, x)
		}
	}
	return out
}

func equalIDs(a, b []int64) bool {
	return fmt.Sprint(a) == fmt.Sprint(b)
}

func js(v any) string {
	b, _ := json.MarshalIndent(v, "", "  ")
	return string(b)
}

// describe prints the customers on which the two answers differ.
func (s *store) describe(a, b []int64) string {
	in := func(ids []int64, id int64) bool {
		for _, x := range ids {
			if x == id {
				return true
			}
		}
		return false
	}
	var out strings.Builder
	for _, c := range s.customers {
		if in(a, c.ID) != in(b, c.ID) {
			fmt.Fprintf(&out, "customer %s\n", js(c))
			for _, o := range s.orders[c.ID] {
				fmt.Fprintf(&out, "  order %q %s %s\n", o.Status, o.GrandTotal.FloatString(4), o.CreatedAt.Format(time.RFC3339))
			}
			if out.Len() > 4000 {
				break
			}
		}
	}
	return out.String()
}

// generator makes random data and rules that hit the edges: empty and blank
// text, case, LIKE metacharacters, local day boundaries, window edges.
type generator struct {
	rng *rand.Rand
	now time.Time
	loc *time.Location
}

func (g *generator) pick(xs []string) string { return xs[g.rng.IntN(len(xs))] }
func (g *generator) chance(p float64) bool   { return g.rng.Float64() < p }

// Text pieces with å/Å, ö/Ö, ü/Ü, LIKE metacharacters and blanks. Kept to
// letters whose lower case Go and ICU agree on (see the README: not Σ/İ).
var textPool = []string{
	"Åsa", "åsa", "ÅSA", "Örjan", "örjan", "Öberg", "öBERG", "Ängelholm", "Müller", "MÜLLER", "Zoë",
	"100%", "50% off", "a_b", "aXb", `a\b`, `a\\b`, `back\slash`, "under_score", "per%cent", "%", "_", `\`,
	"O'Brien", "o'brien", "Smith", "smith", "Malmö", "MALMÖ", "Göteborg", "x", "X", "ab", "AB", "b",
}

var blankPool = []string{"", " ", "  ", "\t", " \n", "\u00a0", "\u3000"}

var (
	countryPool = []string{"SE", "NO", "DK", "FI", "DE", "US", "AX"}
	statusPool  = []string{"complete", "Complete", "COMPLETE", "pending", "Pending", "canceled", "processing", "Ö-status", "ö-STATUS"}
	amountPool  = []string{"0", "0.01", "9.99", "10", "10.5", "11", "33.3333", "100.0001", "12.3456", "0.0001", "1000"}
	windowPool  = []int{1, 2, 3, 7, 30, 31}
)

func (g *generator) caseVariant(s string) string {
	switch g.rng.IntN(4) {
	case 0:
		return strings.ToUpper(s)
	case 1:
		return strings.ToLower(s)
	}
	return s
}

// text returns a field value: text, sometimes padded, sometimes blank.
func (g *generator) text(blankOK bool) string {
	if g.chance(0.15) {
		b := g.pick(blankPool)
		if b == "" && !blankOK {
			b = " "
		}
		return b
	}
	s := g.caseVariant(g.pick(textPool))
	if g.chance(0.3) {
		s += g.pick(textPool)
	}
	if g.chance(0.1) {
		s = " " + s + "\t"
	}
	return s
}

func (g *generator) optText() *string {
	if g.chance(0.25) {
		return nil
	}
	s := g.text(false) // the schema forbids '' in optional columns
	return &s
}

// around returns an instant near a local midnight days ago (negative: in
// the future), or anywhere in that day.
func (g *generator) around(days int) time.Time {
	y, m, d := g.now.In(g.loc).Date()
	midnight := time.Date(y, m, d-days, 0, 0, 0, 0, g.loc)
	switch g.rng.IntN(6) {
	case 0:
		return midnight.Add(-time.Second)
	case 1:
		return midnight
	case 2:
		return midnight.Add(time.Second)
	case 3:
		return midnight.Add(-time.Duration(g.rng.IntN(120)) * time.Minute)
	}
	return midnight.Add(time.Duration(g.rng.Int64N(int64(24 * time.Hour))))
}

func (g *generator) dayOffset() int {
	if g.chance(0.5) {
		return windowPool[g.rng.IntN(len(windowPool))] + g.rng.IntN(3) - 1
	}
	return g.rng.IntN(45) - 1
}

func (g *generator) store(n int) *store {
	s := &store{
		websites: map[int64]string{1: "base", 2: "SE_Shop"},
		groups:   map[int64]string{1: "general", 2: "Wholesale", 3: "retailer", 4: "VIP"},
		orders:   map[int64][]Order{},
	}
	for i := range n {
		id := int64(i + 1)
		c := Customer{
			ID:        id,
			WebsiteID: int64(1 + g.rng.IntN(2)),
			GroupID:   int64(1 + g.rng.IntN(3)), // nobody in VIP
			Email:     g.caseVariant(g.pick(textPool)) + strconv.FormatInt(id, 10) + "@" + g.pick([]string{"example.se", "EXAMPLE.se", "åäö.se"}),
			FirstName: g.text(true),
			LastName:  g.text(true),
			Phone:     g.optText(),
			Zip:       g.optText(),
			Region:    g.optText(),
			City:      g.optText(),
			CreatedAt: g.around(g.dayOffset()),
		}
		if g.chance(0.8) {
			c.Country = sp(g.pick(countryPool))
		}
		s.customers = append(s.customers, c)
		if g.chance(0.3) {
			continue // no orders
		}
		for range 1 + g.rng.IntN(6) {
			s.orders[id] = append(s.orders[id], Order{
				Status:     g.pick(statusPool),
				GrandTotal: money(g.pick(amountPool)),
				CreatedAt:  g.around(g.dayOffset()),
			})
		}
	}
	return s
}

// rule returns a random rule in raw (not canonical) form that validates.
func (g *generator) rule() *Group {
	leaves := 0
	return g.group(1, &leaves)
}

func (g *generator) group(depth int, leaves *int) *Group {
	out := &Group{Match: MatchAll, Expect: g.chance(0.75)}
	if g.chance(0.5) {
		out.Match = MatchAny
	}
	n := g.rng.IntN(4)
	if depth == 1 {
		n = 1 + g.rng.IntN(3)
	}
	if g.chance(0.08) {
		n = 0
	}
	for range n {
		if depth < MaxDepth && g.chance(0.25) {
			out.Conditions = append(out.Conditions, Condition{Group: g.group(depth+1, leaves)})
			continue
		}
		if *leaves >= 40 {
			break
		}
		*leaves++
		if g.chance(0.5) {
			out.Conditions = append(out.Conditions, Condition{Customer: g.customerCond()})
		} else {
			out.Conditions = append(out.Conditions, Condition{Orders: g.orderCond()})
		}
	}
	return out
}

var allFields = []CustomerField{FieldEmail, FieldFirstName, FieldLastName, FieldPhone, FieldZip, FieldCity, FieldRegion,
	FieldCountry, FieldGroup, FieldWebsite, FieldCustomerSince, FieldDaysSinceSignup}

var allMeasures = []OrderMeasure{MeasureOrderCount, MeasureSalesTotal, MeasureAverageOrderValue, MeasureDaysSinceLastOrder}

func (g *generator) op(k kind) Operator {
	ops := operatorsFor(k)
	return ops[g.rng.IntN(len(ops))]
}

// count is how many values op gets.
func (g *generator) count(op Operator) int {
	switch op {
	case OpBetween:
		return 2
	case OpIn, OpNotIn:
		return 1 + g.rng.IntN(3)
	case OpIsEmpty, OpIsNotEmpty:
		return 0
	}
	return 1
}

func (g *generator) customerCond() *CustomerCondition {
	f := allFields[g.rng.IntN(len(allFields))]
	k := customerKinds[f]
	op := g.op(k)
	c := &CustomerCondition{Field: f, Operator: op}
	for range g.count(op) {
		var v string
		switch f {
		case FieldCountry:
			v = g.caseVariant(g.pick(append(countryPool, "GB")))
			if g.chance(0.1) {
				v = " " + v
			}
		case FieldGroup:
			v = g.caseVariant(g.pick([]string{"general", "wholesale", "retailer", "vip"}))
		case FieldWebsite:
			v = g.caseVariant(g.pick([]string{"base", "se_shop"}))
		case FieldCustomerSince:
			y, m, d := g.now.In(g.loc).Date()
			v = time.Date(y, m, d-g.dayOffset(), 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
		case FieldDaysSinceSignup:
			v = g.intText(g.dayOffset())
		default:
			v = g.textValue(op)
		}
		c.Values = append(c.Values, v)
	}
	g.orderBetween(k, c.Values)
	return c
}

// textValue is a condition value: mostly pieces of the data in some case.
func (g *generator) textValue(op Operator) string {
	literal := op == OpContains || op == OpNotContains || op == OpStartsWith
	if literal && g.chance(0.1) {
		return g.pick([]string{" ", "\t", "%", "_", `\`})
	}
	s := g.caseVariant(g.pick(textPool))
	if literal && g.chance(0.5) {
		r := []rune(s)
		i := g.rng.IntN(len(r))
		s = string(r[i : i+1+g.rng.IntN(len(r)-i)])
	}
	if !literal && g.chance(0.1) {
		s += g.pick(textPool)
	}
	return s
}

// intText writes n in a raw form validation canonicalizes.
func (g *generator) intText(n int) string {
	switch g.rng.IntN(5) {
	case 0:
		if n >= 0 {
			return "+" + strconv.Itoa(n)
		}
	case 1:
		if n >= 0 {
			return "0" + strconv.Itoa(n)
		}
	case 2:
		return " " + strconv.Itoa(n) + " "
	}
	return strconv.Itoa(n)
}

// moneyText writes an amount in a raw form validation canonicalizes.
func (g *generator) moneyText(r *big.Rat) string {
	s := r.FloatString(4)
	switch g.rng.IntN(4) {
	case 0:
		return "0" + s
	case 1:
		return strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// orderBetween swaps BETWEEN values into low-high order.
func (g *generator) orderBetween(k kind, vals []string) {
	if len(vals) != 2 || k == kindText || k == kindCode {
		return
	}
	_, a, err1 := parseNumeric(k, vals[0])
	_, b, err2 := parseNumeric(k, vals[1])
	if err1 == nil && err2 == nil && a.Cmp(b) > 0 {
		vals[0], vals[1] = vals[1], vals[0]
	}
}

func (g *generator) orderCond() *OrderCondition {
	m := allMeasures[g.rng.IntN(len(allMeasures))]
	k := measureKinds[m]
	op := g.op(k)
	c := &OrderCondition{Measure: m, Operator: op}
	for range g.count(op) {
		var v string
		switch m {
		case MeasureOrderCount:
			v = g.intText(g.rng.IntN(7))
		case MeasureDaysSinceLastOrder:
			v = g.intText(g.dayOffset())
		case MeasureSalesTotal:
			// Sums of a few pool amounts, so equality happens.
			r := new(big.Rat)
			for range g.rng.IntN(4) {
				r.Add(r, money(g.pick(amountPool)))
			}
			v = g.moneyText(r)
		case MeasureAverageOrderValue:
			// Exact averages of two or three amounts, or a pool amount.
			r := money(g.pick(amountPool))
			if g.chance(0.5) {
				n := 2 + g.rng.IntN(2)
				sum := new(big.Rat).Set(r)
				for range n - 1 {
					sum.Add(sum, money(g.pick(amountPool)))
				}
				avg := new(big.Rat).Quo(sum, big.NewRat(int64(n), 1))
				if avg.IsInt() || new(big.Rat).Mul(avg, big.NewRat(100000000, 1)).IsInt() {
					r = avg
				}
			}
			v = g.moneyText(r)
			if !r.IsInt() && !new(big.Rat).Mul(r, big.NewRat(10000, 1)).IsInt() {
				v = r.FloatString(8)
			}
		}
		c.Values = append(c.Values, v)
	}
	g.orderBetween(k, c.Values)
	if g.chance(0.6) {
		d := windowPool[g.rng.IntN(len(windowPool))]
		c.WithinDays = &d
	}
	if g.chance(0.5) {
		for range 1 + g.rng.IntN(3) {
			c.Statuses = append(c.Statuses, g.caseVariant(g.pick(statusPool))+g.pick([]string{"", " "}))
		}
	}
	return c
}
