package rule

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/segments/segments/server/db"
)

// Window identifies one order aggregate context: all orders, or only those
// in the last WithinDays days and/or with given statuses.
type Window struct {
	// WithinDays counts only orders whose date, in the store's time zone,
	// is one of the last WithinDays days including today; 0 means all time.
	WithinDays int
	// Statuses counts only orders in these statuses (canonical: trimmed,
	// lower case, sorted, distinct); nil counts every status.
	Statuses []string
	// Aggregates are the aggregates MeasuresSQL computes of the window:
	// those the rules read (see Windows); none means all three. Each one
	// left out saves work on every order.
	Aggregates Aggregates
}

// Aggregates is a set of the aggregates of a window.
type Aggregates uint8

// The aggregates of a window, as MeasuresSQL names them for window i.
const (
	// AggCount is n<i>, the number of orders.
	AggCount Aggregates = 1 << iota
	// AggSum is s<i>, the sum of their grand totals.
	AggSum
	// AggLast is l<i>, the latest order's created_at.
	AggLast

	allAggregates = AggCount | AggSum | AggLast
)

// all returns the aggregates computed of w: none set means all.
func (w Window) all() Aggregates {
	if w.Aggregates == 0 {
		return allAggregates
	}
	return w.Aggregates
}

// aggregatesOf are the aggregates a measure reads.
var aggregatesOf = map[OrderMeasure]Aggregates{
	MeasureOrderCount:         AggCount,
	MeasureSalesTotal:         AggSum,
	MeasureAverageOrderValue:  AggCount | AggSum,
	MeasureDaysSinceLastOrder: AggLast,
}

// key identifies the window for de-duplication; the status list is
// canonicalized so callers' windows match the rule's.
func (w Window) key() string {
	return strconv.Itoa(w.WithinDays) + "\x00" + strings.Join(canonicalStatuses(w.Statuses), "\x00")
}

// Same reports whether w and o count the same orders (whatever the
// aggregates each computes).
func (w Window) Same(o Window) bool { return w.key() == o.key() }

// windowOf is the window an order condition counts in.
func windowOf(o *OrderCondition) Window {
	w := Window{Statuses: canonicalStatuses(o.Statuses), Aggregates: aggregatesOf[o.Measure]}
	if o.WithinDays != nil {
		w.WithinDays = *o.WithinDays
	}
	return w
}

// Windows returns the distinct windows the order conditions of the given
// rules count in, each with the aggregates they read of it, ordered by
// WithinDays and then statuses, so the same rules always give the same
// list. Nil groups are skipped.
func Windows(groups ...*Group) []Window {
	seen := map[string]int{} // key → index in out
	var out []Window
	var walk func(g *Group)
	walk = func(g *Group) {
		if g == nil {
			return
		}
		for _, c := range g.Conditions {
			walk(c.Group)
			if c.Orders != nil {
				w := windowOf(c.Orders)
				if i, ok := seen[w.key()]; ok {
					out[i].Aggregates |= w.Aggregates
				} else {
					seen[w.key()] = len(out)
					out = append(out, w)
				}
			}
		}
	}
	for _, g := range groups {
		walk(g)
	}
	slices.SortFunc(out, func(a, b Window) int {
		if a.WithinDays != b.WithinDays {
			return a.WithinDays - b.WithinDays
		}
		if (a.Statuses == nil) != (b.Statuses == nil) {
			if a.Statuses == nil {
				return -1
			}
			return 1
		}
		return slices.Compare(a.Statuses, b.Statuses)
	})
	return out
}

// MergeWindows returns have with every window of need added or, when have
// holds it with fewer aggregates, widened, and whether that changed
// anything: the windows to measure when a rule (need, see Windows) is to
// be evaluated against measures computed for have. have's windows keep
// their places; have itself is not changed.
func MergeWindows(have, need []Window) ([]Window, bool) {
	out := slices.Clone(have)
	changed := false
	for _, n := range need {
		i := slices.IndexFunc(out, func(h Window) bool { return h.key() == n.key() })
		switch {
		case i < 0:
			out = append(out, n)
			changed = true
		case out[i].all()&n.all() != n.all():
			out[i].Aggregates = out[i].all() | n.all()
			changed = true
		}
	}
	return out, changed
}

// spaceSet returns the placeholder holding every character Go's
// strings.TrimSpace trims, so SQL's "empty after trimming" means exactly
// what the reference evaluator's does. It is added once per Compile.
func (c *compiler) spaceSet() string {
	if c.space == "" {
		c.space = c.args.Add(whitespace) + "::text"
	}
	return c.space
}

// whitespace lists the runes unicode.IsSpace accepts (all lie below U+3001).
var whitespace = func() string {
	var b strings.Builder
	for r := rune(0); r <= 0x3000; r++ {
		if unicode.IsSpace(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}()

// icu is the collation text is lower-cased under: ICU's root locale lowers
// Å to å and Ö to ö whatever the database's own locale is (under C it
// would lower ASCII only).
const icu = ` COLLATE "und-x-icu"`

// MeasuresSQL returns one SELECT over orders producing, per customer with
// orders, customer_id and, for window i, the columns of its Aggregates:
// n<i> (count, bigint), s<i> (sum of grand_total, numeric; NULL when the
// window holds no order) and l<i> (latest created_at, timestamptz; NULL
// likewise). It reads orders once, with one FILTERed aggregate each. now
// and tz are placeholders (or SQL expressions) for the timestamptz of the
// run's start and the store's time zone name; the SELECT always mentions
// both.
func MeasuresSQL(windows []Window, now, tz string, args *db.Args) string {
	return MeasuresFromSQL(windows, "orders", now, tz, args)
}

// MeasuresFromSQL is MeasuresSQL over the orders of a relation with the
// columns of orders (the table, or a subquery of some customers' orders).
func MeasuresFromSQL(windows []Window, orders string, now, tz string, args *db.Args) string {
	return MeasuresOnlySQL(windows, orders, nil, now, tz, args)
}

// MeasuresOnlySQL is MeasuresFromSQL counting in window i only the orders
// for which the SQL condition only[i] holds too (none: "" or only nil).
func MeasuresOnlySQL(windows []Window, orders string, only []string, now, tz string, args *db.Args) string {
	// One flat GROUP BY, each window a FILTER, and whatever is computed once
	// per statement (day edges, lowered status lists) a scalar sub-select,
	// which PostgreSQL runs once as an InitPlan: so it may scan orders and
	// aggregate in parallel workers (a joined row, a CTE or an OFFSET 0
	// level computing each order's values once would keep it to one
	// process; at 5M orders the parallel plan takes ~0.7 of the time even
	// on two busy cores). Each FILTER's expression is evaluated on its own,
	// so they are kept cheap: no order's local date is computed unless it
	// lies within a day of a window's edge (atLeast), statuses already in
	// lower case are compared as they are (inLowered), and ICU lowers only
	// those that are not ASCII (lowerText).
	today := todaySQL(now, tz)
	var future string                 // the order is dated after today: never within a window
	statusSets := map[string]string{} // canonical set → its placeholder
	var b strings.Builder
	b.WriteString("SELECT o.customer_id")
	for i, w := range windows {
		var conds []string
		if i < len(only) && only[i] != "" {
			conds = append(conds, only[i])
		}
		if w.WithinDays > 0 {
			if future == "" {
				future = atLeast("o.created_at", "("+today+" + 1)", tz)
			}
			// From the window's first day, today-D+1, to today.
			first := fmt.Sprintf("(%s - %s::integer + 1)", today, args.Add(w.WithinDays))
			conds = append(conds, atLeast("o.created_at", first, tz)+" AND NOT "+future)
		}
		if w.Statuses != nil {
			st := canonicalStatuses(w.Statuses)
			k := strings.Join(st, "\x00")
			p, ok := statusSets[k]
			if !ok {
				p = args.Add(st)
				statusSets[k] = p
			}
			conds = append(conds, inLowered("o.status", p))
		}
		filter := ""
		if len(conds) > 0 {
			filter = " FILTER (WHERE " + strings.Join(conds, " AND ") + ")"
		}
		a := w.all()
		if a&AggCount != 0 {
			fmt.Fprintf(&b, ", count(*)%s AS n%d", filter, i)
		}
		if a&AggSum != 0 {
			fmt.Fprintf(&b, ", sum(o.grand_total)%s AS s%d", filter, i)
		}
		if a&AggLast != 0 {
			fmt.Fprintf(&b, ", max(o.created_at)%s AS l%d", filter, i)
		}
	}
	b.WriteString(" FROM " + orders + " o")
	if future == "" {
		// Mention now and tz, typed, so the statement can pass them
		// whatever the windows; the planner folds "... OR TRUE" away.
		b.WriteString(" WHERE (" + nowSQL(now) + " IS NULL OR " + tzSQL(tz) + " IS NULL OR TRUE)")
	}
	b.WriteString(" GROUP BY o.customer_id")
	return b.String()
}

// atLeast is true when the timestamptz ts falls on the date x (an SQL
// date expression) or later in the time zone tz. Every UTC offset is under
// a day, so ts's local date is its UTC date or one either side: ts from the
// instant the UTC calendar reaches x+1 is on x or later, ts before it
// reaches x-1 is before x, and only the orders between are converted to
// the zone. Those instants are computed once per statement (scalar
// sub-selects become InitPlans). This holds whatever the zone's
// transitions (at midnight, skipping or repeating a day), as it only ever
// compares ts's own local date.
func atLeast(ts, x, tz string) string {
	return fmt.Sprintf("(%[1]s >= (SELECT %[2]s) OR %[1]s >= (SELECT %[3]s) AND (%[1]s AT TIME ZONE %[4]s)::date >= (SELECT %[5]s))",
		ts, utcMidnight(x+" + 1"), utcMidnight(x+" - 1"), tzSQL(tz), x)
}

// utcMidnight is the instant the UTC calendar reaches the date d: the
// epoch of a timestamp without time zone counts its wall clock as UTC.
func utcMidnight(d string) string {
	return "to_timestamp(extract(epoch FROM (" + d + ")::timestamp))"
}

// lowerText lowers text as lower(text COLLATE "und-x-icu") does (see icu)
// without calling ICU for ASCII text, where lowering under "C" (A-Z to a-z)
// gives the same: ICU's root locale lowers no other ASCII character. ICU
// lowering costs about 0.15 µs a call, and measures and rules lower every
// order's status and many customers' fields. The database encoding is
// UTF-8, where text is ASCII exactly when it has as many bytes as
// characters.
func lowerText(col string) string {
	col = "(" + col + ")"
	return "(CASE WHEN octet_length(" + col + ") = char_length(" + col + ") THEN lower(" + col + ` COLLATE "C") COLLATE "default" ELSE lower(` + col + icu + `) COLLATE "default" END)`
}

func nowSQL(now string) string { return "(" + now + ")::timestamptz" }
func tzSQL(tz string) string   { return "(" + tz + ")::text" }

// todaySQL is the store's calendar date at now.
func todaySQL(now, tz string) string {
	return "(" + nowSQL(now) + " AT TIME ZONE " + tzSQL(tz) + ")::date"
}

// inLowered is true when col lowered (as lowerText) is one of the text[]
// parameter p's elements lowered (as lowerArray). Most stored statuses are
// already lower case: those equal to a lowered element that lowering leaves
// as it is (so that col lowered is col, which is in the list) are found by
// plain comparison, without lowering col.
func inLowered(col, p string) string {
	fixed := "ARRAY(SELECT l.v FROM unnest(" + lowerArray(p) + ") AS l(v) WHERE lower(l.v" + icu + ") = l.v)"
	return "(" + col + ` COLLATE "default" = ANY (` + fixed + ") OR " + lowerText(col) + " = ANY (" + lowerArray(p) + "))"
}

// lowerArray lowers each element of a text[] parameter under ICU, once per
// statement (an uncorrelated sub-select becomes an InitPlan).
func lowerArray(p string) string {
	return "ARRAY(SELECT lower(u.v" + icu + ") FROM unnest(" + p + "::text[]) AS u(v))"
}

// Compile returns a boolean SQL expression that is true exactly for the
// customers g selects. It refers to the aliases c (customers), g
// (customer_groups joined on c.group_id), w (websites joined on
// c.website_id) and m (the MeasuresSQL row for windows, LEFT JOINed on
// m.customer_id = c.id, so NULL for a customer without orders), and to the
// placeholders now (timestamptz) and tz (time zone name). windows must hold
// every window of g with the aggregates g reads of it (see Windows and
// MergeWindows); it may hold others. g is checked for
// structure (not for known codes) and compiled in canonical form; it is not
// changed. Every value becomes a parameter in args. The expression always
// mentions now and tz, so they can be passed even when g needs neither.
func Compile(g *Group, windows []Window, now, tz string, args *db.Args) (string, error) {
	return compile(g, windows, now, tz, args, nil, false)
}

// CompileWithoutOrders is Compile with every order condition unknown (SQL
// NULL) rather than read from measures: the expression is true or false
// for a customer whose own fields decide g whatever its orders (three-valued
// logic: false AND unknown is false), and NULL for one whose orders could
// decide it. It reads only c, g and w. An incremental refresh uses it to
// drop customers whom a day passing cannot move: only their orders' place
// in time changed, and their verdict does not depend on orders.
func CompileWithoutOrders(g *Group, now, tz string, args *db.Args) (string, error) {
	return compile(g, nil, now, tz, args, nil, true)
}

func compile(g *Group, windows []Window, now, tz string, args *db.Args, shared *Shared, ordersUnknown bool) (string, error) {
	if g == nil {
		return "", errors.New("rule: no rule to compile")
	}
	g = g.Clone()
	if err := validate(g, nil); err != nil {
		return "", err
	}
	c := compiler{args: args, now: now, tz: tz, windows: map[string]int{}, aggregates: map[int]Aggregates{}, shared: shared, ordersUnknown: ordersUnknown}
	for i, w := range windows {
		if _, dup := c.windows[w.key()]; !dup {
			c.windows[w.key()] = i
			c.aggregates[i] = w.all()
		}
	}
	expr, err := c.group(g)
	if err != nil {
		return "", err
	}
	if !c.usedNow || !c.usedTZ {
		// Mention now and tz, typed, so the statement can pass them whatever
		// the rule uses; the planner folds "... OR TRUE" away.
		expr = "((" + nowSQL(now) + " IS NULL OR " + tzSQL(tz) + " IS NULL OR TRUE) AND " + expr + ")"
	}
	return expr, nil
}

type compiler struct {
	args            *db.Args
	space           string // placeholder of the whitespace set, added on first use
	now, tz         string
	windows         map[string]int     // window key → its index
	aggregates      map[int]Aggregates // window index → what it computes
	usedNow, usedTZ bool
	shared          *Shared // nil: every value computed where it is used
	ordersUnknown   bool    // order conditions are NULL (CompileWithoutOrders)
}

func (c *compiler) group(g *Group) (string, error) {
	if len(g.Conditions) == 0 {
		return "TRUE", nil // an empty group holds for everyone, whatever its match and expect
	}
	parts := make([]string, len(g.Conditions))
	for i, cond := range g.Conditions {
		var err error
		switch {
		case cond.Group != nil:
			parts[i], err = c.group(cond.Group)
		case cond.Customer != nil:
			parts[i], err = c.customer(cond.Customer)
		case c.ordersUnknown:
			parts[i] = "NULL::boolean"
		default:
			parts[i], err = c.orders(cond.Orders)
		}
		if err != nil {
			return "", err
		}
	}
	// Leaves are never NULL (but unknown orders, see CompileWithoutOrders),
	// so NOT is plain negation here.
	switch {
	case g.Match == MatchAll && g.Expect:
		return "(" + strings.Join(parts, " AND ") + ")", nil
	case g.Match == MatchAny && g.Expect:
		return "(" + strings.Join(parts, " OR ") + ")", nil
	case g.Match == MatchAll: // no child holds
		return "(NOT (" + strings.Join(parts, " OR ") + "))", nil
	default: // ANY, FALSE: some child does not hold
		return "(NOT (" + strings.Join(parts, " AND ") + "))", nil
	}
}

var customerColumns = map[CustomerField]string{
	FieldEmail:     "c.email",
	FieldFirstName: "c.first_name",
	FieldLastName:  "c.last_name",
	FieldPhone:     "c.phone",
	FieldZip:       "c.zip",
	FieldCity:      "c.city",
	FieldRegion:    "c.region",
	FieldCountry:   "c.country::text",
	FieldGroup:     "g.code",
	FieldWebsite:   "w.code",
}

func (c *compiler) customer(cc *CustomerCondition) (string, error) {
	var pred string
	switch cc.Field {
	case FieldCustomerSince:
		pred = compare(c.localDate("c.created_at"), cc.Operator, c.params(cc.Values, "date"))
	case FieldDaysSinceSignup:
		pred = compare(c.daysSince("c.created_at"), cc.Operator, c.params(cc.Values, "bigint"))
	default:
		col, ok := customerColumns[cc.Field]
		if !ok {
			return "", fmt.Errorf("rule: cannot compile field %q", cc.Field)
		}
		pred = c.text(col, cc.Operator, cc.Values)
	}
	return "COALESCE(" + pred + ", false)", nil
}

func (c *compiler) orders(oc *OrderCondition) (string, error) {
	w := windowOf(oc)
	i, ok := c.windows[w.key()]
	if !ok || c.aggregates[i]&w.Aggregates != w.Aggregates {
		return "", fmt.Errorf("rule: the windows given to Compile lack %+v", w)
	}
	n := fmt.Sprintf("COALESCE(m.n%d, 0)", i)
	s := fmt.Sprintf("COALESCE(m.s%d, 0)", i)
	var pred string
	switch oc.Measure {
	case MeasureOrderCount:
		pred = compare(n, oc.Operator, c.params(oc.Values, "bigint"))
	case MeasureSalesTotal:
		pred = compare(s, oc.Operator, c.params(oc.Values, "numeric"))
	case MeasureAverageOrderValue:
		// avg op v ⇔ sum op v·count when count > 0: exact, no division.
		// Without orders the average is 0.
		p := c.params(oc.Values, "numeric")
		scaled := make([]string, len(p))
		for j := range p {
			scaled[j] = p[j] + " * " + n
		}
		pred = fmt.Sprintf("CASE WHEN %s = 0 THEN %s ELSE %s END",
			n, compare("0::numeric", oc.Operator, p), compare(s, oc.Operator, scaled))
	case MeasureDaysSinceLastOrder:
		// NULL without counted orders: the leaf is then false, NEQ included.
		pred = compare(c.daysSince(fmt.Sprintf("m.l%d", i)), oc.Operator, c.params(oc.Values, "bigint"))
	default:
		return "", fmt.Errorf("rule: cannot compile measure %q", oc.Measure)
	}
	return "COALESCE(" + pred + ", false)", nil
}

// localDate is the store-calendar date of a timestamptz expression.
func (c *compiler) localDate(ts string) string {
	c.usedTZ = true
	return "(" + ts + " AT TIME ZONE " + tzSQL(c.tz) + ")::date"
}

// daysSince is today minus the store-calendar date of ts, in whole days.
func (c *compiler) daysSince(ts string) string {
	c.usedNow = true
	// today as a scalar sub-select: computed once per statement.
	return "((SELECT " + todaySQL(c.now, c.tz) + ") - " + c.localDate(ts) + ")"
}

// params adds canonical values as text parameters cast to typ; passing text
// keeps them exact (no float) and independent of the driver's type mapping.
func (c *compiler) params(vals []string, typ string) []string {
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = "(" + c.args.Add(v) + "::text::" + typ + ")"
	}
	return out
}

var compareOperators = map[Operator]string{OpEq: "=", OpNeq: "<>", OpGt: ">", OpGte: ">=", OpLt: "<", OpLte: "<="}

// compare applies a comparison operator; a NULL lhs gives NULL, which the
// caller's COALESCE turns into false.
func compare(lhs string, op Operator, rhs []string) string {
	if op == OpBetween {
		return "(" + lhs + " BETWEEN " + rhs[0] + " AND " + rhs[1] + ")"
	}
	return "(" + lhs + " " + compareOperators[op] + " " + rhs[0] + ")"
}

// text compiles a text or code operator on col. A field that is NULL or
// blank is empty: only NEQ, NOT_IN, NOT_CONTAINS and IS_EMPTY hold for it.
func (c *compiler) text(col string, op Operator, vals []string) string {
	// empty is a func so the whitespace parameter is only added when used:
	// an unused parameter could not be typed.
	empty := func() string { return c.empty(col) }
	// ICU only for text that is not ASCII (lowerText): most stored emails,
	// codes and countries are, and a batch's rules lower the same columns
	// many times per customer.
	low := func() string { return c.lowered(col) }
	// A scalar sub-select is evaluated once per statement, not per row.
	one := func() string { return "(SELECT lower((" + c.args.Add(vals[0]) + "::text)" + icu + "))" }
	var pos string
	switch op {
	case OpIsEmpty:
		return empty()
	case OpIsNotEmpty:
		return "(NOT " + empty() + ")"
	case OpEq, OpNeq:
		pos = low() + " = " + one()
	case OpIn, OpNotIn:
		pos = low() + " = ANY (" + lowerArray(c.args.Add(slices.Clone(vals))) + ")"
	case OpContains, OpNotContains:
		// strpos, not LIKE, so % _ and \ in the value are literal.
		pos = "strpos(" + low() + ", " + one() + ") > 0"
	case OpStartsWith:
		pos = "starts_with(" + low() + ", " + one() + ")"
	}
	var guard string
	if op == OpEq || op == OpNeq || op == OpIn || op == OpNotIn {
		// Validation makes these values non-blank, and lower() maps no
		// character to or from whitespace, so a blank field can never
		// equal one: testing for NULL is enough, and saves a btrim per row.
		guard = col + " IS NOT NULL"
	} else {
		guard = "NOT " + empty()
	}
	pos = "(" + guard + " AND " + pos + ")"
	switch op {
	case OpNeq, OpNotIn, OpNotContains:
		return "(NOT " + pos + ")"
	}
	return pos
}
