package rule

import (
	"fmt"
	"slices"
	"strconv"
)

// Thresholds are the day counts at which the passing of days can change a
// rule's verdict on a customer. Every time-dependent condition compares
// "today" (the store's date at the run's now) with a stored date: a
// withinDays window counts an order while 0 ≤ today − its date < D, and
// DAYS_SINCE_LAST_ORDER and DAYS_SINCE_SIGNUP compare today − a date with
// their values. So as today moves from T0 to T1 a verdict can only change
// for a customer with an order (Orders) or a signup date (Signup) dated
// within a day of T − k for some threshold k and some T between T0 and
// T1. CUSTOMER_SINCE compares fixed dates and crosses nothing.
type Thresholds struct {
	// Orders are the thresholds over order dates: each window's length and
	// 0 (an order dated in the future enters its windows on its day), and
	// the values of DAYS_SINCE_LAST_ORDER conditions.
	Orders []int
	// Signup are the values of DAYS_SINCE_SIGNUP conditions, over the
	// customer's creation date.
	Signup []int
}

// maxThreshold bounds a threshold: a day count beyond it (about 550
// years) reaches no date a store holds, and keeps date arithmetic within
// what PostgreSQL's dates and Go's times both represent.
const maxThreshold = 200_000

// ThresholdsOf returns the sorted, distinct thresholds of the given rules.
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
			*to = append(*to, int(max(-maxThreshold, min(maxThreshold, n))))
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
					if err := add(&t.Orders, o.Values); err != nil {
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
	slices.Sort(t.Orders)
	slices.Sort(t.Signup)
	t.Orders, t.Signup = slices.Compact(t.Orders), slices.Compact(t.Signup)
	return t, nil
}
