package rule

import "slices"

// Clone returns a deep copy of g, so a caller can canonicalize or compile a
// rule without changing the one it holds.
func (g *Group) Clone() *Group {
	if g == nil {
		return nil
	}
	out := &Group{Match: g.Match, Expect: g.Expect}
	if g.Conditions != nil {
		out.Conditions = make([]Condition, len(g.Conditions))
		for i, c := range g.Conditions {
			out.Conditions[i] = Condition{Group: c.Group.Clone()}
			if c.Customer != nil {
				cc := *c.Customer
				cc.Values = slices.Clone(cc.Values)
				out.Conditions[i].Customer = &cc
			}
			if c.Orders != nil {
				oc := *c.Orders
				oc.Values = slices.Clone(oc.Values)
				oc.Statuses = slices.Clone(oc.Statuses)
				if oc.WithinDays != nil {
					d := *oc.WithinDays
					oc.WithinDays = &d
				}
				out.Conditions[i].Orders = &oc
			}
		}
	}
	return out
}
