package rule

import (
	"fmt"
	"slices"
	"strconv"
)

// Thresholds are the day counts at which the passing of days can change a
// rule's verdict on a customer. Every time-dependent condition is a
// function of x = today − a stored date (today: the store's date at the
// run's now): a withinDays window counts an order while 0 ≤ x < D, and
// DAYS_SINCE_LAST_ORDER and DAYS_SINCE_SIGNUP compare x with their
// values. Such a verdict differs between x−1 and x only at a breakpoint
// b: 0 and D for a window, and for a compared value V, V+1 (x > V, x ≤ V),
// V (x ≥ V, x < V) or both (x = V, x ≠ V); BETWEEN V1 AND V2 turns at V1
// and V2+1.
// So as today moves from T0 to T1 > T0 a verdict can change only for a
// customer with an order (Orders) or a signup (Signup) dated in
// [T0 − b + 1, T1 − b] for some breakpoint b. CUSTOMER_SINCE compares fixed
// dates and crosses nothing.
type Thresholds struct {
	// Orders are the breakpoints over order dates: each window's 0 (an
	// order dated in the future enters its windows on its day) and length,
	// and the breakpoints of DAYS_SINCE_LAST_ORDER conditions counting
	// some orders only (in a window or of some statuses).
	Orders []int
	// Last are the breakpoints of DAYS_SINCE_LAST_ORDER conditions over
	// every order. Such a verdict reads
	// the customer's latest order only, so it can turn only for a customer
	// whose latest order is dated in the range, not for one with a later
	// order.
	Last []int
	// Signup are the breakpoints over the customer's creation date, of
	// DAYS_SINCE_SIGNUP conditions.
	Signup []int
}

// maxThreshold bounds a threshold: a day count beyond it (about 550
// years) reaches no date a store holds, and keeps date arithmetic within
// what PostgreSQL's dates and Go's times both represent.
const maxThreshold = 200_000

// ThresholdsOf returns the sorted, distinct breakpoints of the given rules.
// An error means a day count is not an integer (a rule saved before
// validation): the caller cannot tell what crosses, and must evaluate
// every customer.
func ThresholdsOf(groups ...*Group) (Thresholds, error) {
	var t Thresholds
	// The day counts x where an operator's verdict on x differs from its
	// verdict on x−1: x > V and x ≤ V turn at V+1 only, x ≥ V and x < V at
	// V only, BETWEEN V1 AND V2 at V1 and V2+1, and any other at both V
	// and V+1.
	add := func(to *[]int, op Operator, vals []string) error {
		for i, v := range vals {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return fmt.Errorf("rule: day count %q: %w", v, err)
			}
			b := int(max(-maxThreshold, min(maxThreshold, n)))
			switch {
			case op == OpGt || op == OpLte || op == OpBetween && i == 1:
				*to = append(*to, b+1)
			case op == OpGte || op == OpLt || op == OpBetween && i == 0:
				*to = append(*to, b)
			default:
				*to = append(*to, b, b+1)
			}
		}
		return nil
	}
	var walk func(g *Group) error
	walk = func(g *Group) error {
		if g == nil {
			return nil
		}
		for _, c := range g.Conditions {
			if err := walk(c.Group); err != nil {
				return err
			}
			if o := c.Orders; o != nil {
				if o.WithinDays != nil && *o.WithinDays > 0 {
					t.Orders = append(t.Orders, 0, min(*o.WithinDays, maxThreshold))
				}
				if o.Measure == MeasureDaysSinceLastOrder {
					to := &t.Orders
					if (o.WithinDays == nil || *o.WithinDays == 0) && len(o.Statuses) == 0 {
						to = &t.Last
					}
					if err := add(to, o.Operator, o.Values); err != nil {
						return err
					}
				}
			}
			if cc := c.Customer; cc != nil && cc.Field == FieldDaysSinceSignup {
				if err := add(&t.Signup, cc.Operator, cc.Values); err != nil {
					return err
				}
			}
		}
		return nil
	}
	for _, g := range groups {
		if err := walk(g); err != nil {
			return Thresholds{}, err
		}
	}
	for _, l := range []*[]int{&t.Orders, &t.Last, &t.Signup} {
		slices.Sort(*l)
		*l = slices.Compact(*l)
	}
	return t, nil
}
