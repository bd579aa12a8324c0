package rule

import (
	"math/big"
	"slices"
	"strings"
	"time"
)

// Customer is one customer as the reference evaluator sees it: the columns
// of the customers table plus the codes of its website and group. Optional
// fields are nil when NULL.
type Customer struct {
	ID          int64
	WebsiteID   int64
	GroupID     int64
	WebsiteCode string
	GroupCode   string
	Email       string
	FirstName   string
	LastName    string
	Phone       *string
	Zip         *string
	Country     *string
	Region      *string
	City        *string
	CreatedAt   time.Time
}

// Order is one order as the reference evaluator sees it.
type Order struct {
	Status     string
	GrandTotal *big.Rat // exact decimal; nil counts as 0
	CreatedAt  time.Time
}

// Eval reports whether customer c, with the given orders, belongs to the
// segment g describes, at instant now in the store's time zone loc. It is
// the plain reading of docs/rules.md, written independently of the SQL so that
// tests can hold one against the other. g should have passed Validate; Eval
// parses values itself and so accepts canonical and raw values alike.
func Eval(g *Group, c Customer, orders []Order, now time.Time, loc *time.Location) bool {
	e := evaluator{c: c, orders: orders, loc: loc, today: dayNumber(now.In(loc))}
	return e.group(g)
}

type evaluator struct {
	c      Customer
	orders []Order
	loc    *time.Location
	today  int64
}

func (e *evaluator) group(g *Group) bool {
	if g == nil || len(g.Conditions) == 0 {
		return true
	}
	holding := 0
	for _, c := range g.Conditions {
		if e.condition(c) {
			holding++
		}
	}
	all := g.Match != MatchAny
	switch {
	case all && g.Expect: // every child holds
		return holding == len(g.Conditions)
	case !all && g.Expect: // at least one holds
		return holding > 0
	case all && !g.Expect: // no child holds
		return holding == 0
	default: // at least one does not hold
		return holding < len(g.Conditions)
	}
}

func (e *evaluator) condition(c Condition) bool {
	switch {
	case c.Group != nil:
		return e.group(c.Group)
	case c.Customer != nil:
		return e.customer(c.Customer)
	case c.Orders != nil:
		return e.ordersCond(c.Orders)
	}
	return false
}

func (e *evaluator) customer(cc *CustomerCondition) bool {
	c := e.c
	str := func(s string) *string { return &s }
	switch cc.Field {
	case FieldEmail:
		return textHolds(str(c.Email), cc.Operator, cc.Values, false)
	case FieldFirstName:
		return textHolds(str(c.FirstName), cc.Operator, cc.Values, false)
	case FieldLastName:
		return textHolds(str(c.LastName), cc.Operator, cc.Values, false)
	case FieldPhone:
		return textHolds(c.Phone, cc.Operator, cc.Values, false)
	case FieldZip:
		return textHolds(c.Zip, cc.Operator, cc.Values, false)
	case FieldCity:
		return textHolds(c.City, cc.Operator, cc.Values, false)
	case FieldRegion:
		return textHolds(c.Region, cc.Operator, cc.Values, false)
	case FieldCountry:
		return textHolds(c.Country, cc.Operator, cc.Values, true)
	case FieldGroup:
		return textHolds(str(c.GroupCode), cc.Operator, cc.Values, true)
	case FieldWebsite:
		return textHolds(str(c.WebsiteCode), cc.Operator, cc.Values, true)
	case FieldCustomerSince:
		return numberHolds(big.NewRat(dayNumber(c.CreatedAt.In(e.loc)), 1), cc.Operator, cc.Values, kindDate)
	case FieldDaysSinceSignup:
		return numberHolds(big.NewRat(e.today-dayNumber(c.CreatedAt.In(e.loc)), 1), cc.Operator, cc.Values, kindInt)
	}
	return false
}

// textHolds applies a text or code operator, ignoring case. Code values are
// trimmed first (validation stores them trimmed); text values are literal.
func textHolds(x *string, op Operator, vals []string, code bool) bool {
	empty := x == nil || strings.TrimSpace(*x) == ""
	switch op {
	case OpIsEmpty:
		return empty
	case OpIsNotEmpty:
		return !empty
	}
	if empty {
		return op == OpNeq || op == OpNotIn || op == OpNotContains
	}
	lx := strings.ToLower(*x)
	lv := make([]string, len(vals))
	for i, v := range vals {
		if code {
			v = strings.TrimSpace(v)
		}
		lv[i] = strings.ToLower(v)
	}
	if len(lv) == 0 && op != OpIn && op != OpNotIn {
		return false // not a valid condition
	}
	switch op {
	case OpEq:
		return lx == lv[0]
	case OpNeq:
		return lx != lv[0]
	case OpIn:
		return slices.Contains(lv, lx)
	case OpNotIn:
		return !slices.Contains(lv, lx)
	case OpContains:
		return strings.Contains(lx, lv[0])
	case OpNotContains:
		return !strings.Contains(lx, lv[0])
	case OpStartsWith:
		return strings.HasPrefix(lx, lv[0])
	}
	return false
}

// numberHolds compares x (nil = empty, for which nothing holds) with the
// values parsed as k.
func numberHolds(x *big.Rat, op Operator, vals []string, k kind) bool {
	if x == nil {
		return false
	}
	vs := make([]*big.Rat, len(vals))
	for i, v := range vals {
		_, r, err := parseNumeric(k, v)
		if err != nil {
			return false
		}
		vs[i] = r
	}
	want := 1
	if op == OpBetween {
		want = 2
	}
	if len(vs) != want {
		return false
	}
	d := x.Cmp(vs[0])
	switch op {
	case OpEq:
		return d == 0
	case OpNeq:
		return d != 0
	case OpGt:
		return d > 0
	case OpGte:
		return d >= 0
	case OpLt:
		return d < 0
	case OpLte:
		return d <= 0
	case OpBetween:
		return d >= 0 && x.Cmp(vs[1]) <= 0
	}
	return false
}

func (e *evaluator) ordersCond(oc *OrderCondition) bool {
	var statuses []string
	for _, s := range oc.Statuses {
		statuses = append(statuses, strings.ToLower(strings.TrimSpace(s)))
	}
	days := 0
	if oc.WithinDays != nil {
		days = *oc.WithinDays
	}
	count := int64(0)
	sum := new(big.Rat)
	var last *time.Time
	for _, o := range e.orders {
		if days > 0 {
			age := e.today - dayNumber(o.CreatedAt.In(e.loc))
			if age < 0 || age >= int64(days) {
				continue
			}
		}
		if len(statuses) > 0 && !slices.Contains(statuses, strings.ToLower(o.Status)) {
			continue
		}
		count++
		if o.GrandTotal != nil {
			sum.Add(sum, o.GrandTotal)
		}
		if last == nil || o.CreatedAt.After(*last) {
			t := o.CreatedAt
			last = &t
		}
	}
	var x *big.Rat
	k := kindInt
	switch oc.Measure {
	case MeasureOrderCount:
		x = big.NewRat(count, 1)
	case MeasureSalesTotal:
		x, k = sum, kindMoney
	case MeasureAverageOrderValue:
		x, k = new(big.Rat), kindMoney
		if count > 0 {
			x.Quo(sum, big.NewRat(count, 1))
		}
	case MeasureDaysSinceLastOrder:
		if last != nil {
			x = big.NewRat(e.today-dayNumber(last.In(e.loc)), 1)
		}
	default:
		return false
	}
	return numberHolds(x, oc.Operator, oc.Values, k)
}
