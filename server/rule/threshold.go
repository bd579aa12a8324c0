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
// b: 0 and D for a window, V and V+1 for each compared value V (that
// covers every operator: x > V turns at V+1, x ≥ V at V, x = V at both).
// So as today moves from T0 to T1 > T0 a verdict can change only for a
// customer with an order (Orders) or a signup (Signup) dated in
// [T0 − b + 1, T1 − b] for some breakpoint b. CUSTOMER_SINCE compares fixed
// dates and crosses nothing.
type Thresholds struct {
	// Orders are the breakpoints over order dates: each window's 0 (an
	// order dated in the future enters its windows on its day) and length,
	// and the values of DAYS_SINCE_LAST_ORDER conditions counting some
	// orders only (in a window or of some statuses) and their successors.
	Orders []int
	// Last are the breakpoints of DAYS_SINCE_LAST_ORDER conditions over
	// every order: the values and their successors. Such a verdict reads
	// the customer's latest order only, so it can turn only for a customer
	// whose latest order is dated in the range, not for one with a later
	// order.
	Last []int
	// Signup are the breakpoints over the customer's creation date: the
	// values of DAYS_SINCE_SIGNUP conditions and their successors.
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
	add := func(to *[]int, vals []string) error {
		for _, v := range vals {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return fmt.Errorf("rule: day count %q: %w", v, err)
			}
			n = max(-maxThreshold, min(maxThreshold, n))
			*to = append(*to, int(n), int(n)+1)
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
					if err := add(to, o.Values); err != nil {
						return err
					}
				}
			}
			if cc := c.Customer; cc != nil && cc.Field == FieldDaysSinceSignup {
				if err := add(&t.Signup, cc.Values); err != nil {
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
