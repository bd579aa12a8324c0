package seed

import (
	"fmt"
	"time"

	"github.com/segments/segments/server/rule"
)

// seedSegment is one demo segment. websites lists website codes; nil means
// every demo website.
type seedSegment struct {
	name, description string
	active            bool
	websites          []string
	rule              rule.Group
}

func all(conds ...rule.Condition) rule.Group {
	return rule.Group{Match: rule.MatchAll, Expect: true, Conditions: conds}
}

func group(m rule.Match, expect bool, conds ...rule.Condition) rule.Condition {
	return rule.Condition{Group: &rule.Group{Match: m, Expect: expect, Conditions: conds}}
}

func cust(f rule.CustomerField, op rule.Operator, values ...string) rule.Condition {
	if values == nil {
		values = []string{}
	}
	return rule.Condition{Customer: &rule.CustomerCondition{Field: f, Operator: op, Values: values}}
}

func ord(m rule.OrderMeasure, op rule.Operator, values ...string) rule.Condition {
	return rule.Condition{Orders: &rule.OrderCondition{Measure: m, Operator: op, Values: values}}
}

func within(days int, c rule.Condition) rule.Condition {
	c.Orders.WithinDays = &days
	return c
}

func statuses(s []string, c rule.Condition) rule.Condition {
	c.Orders.Statuses = s
	return c
}

// seedSegments returns the demo segments; dates in their rules are relative
// to now in the store's time zone, so they fall inside the demo data.
func seedSegments(now time.Time, loc *time.Location) []seedSegment {
	y := now.In(loc).Year() - 2
	return []seedSegment{
		{
			name:        "Swedish wholesale customers with 3+ orders in the last year",
			description: "Wholesale accounts in Sweden that placed at least three orders in the last 365 days.",
			active:      true, websites: []string{"se", "intl"},
			rule: all(
				cust(rule.FieldCountry, rule.OpEq, "SE"),
				cust(rule.FieldGroup, rule.OpEq, "wholesale"),
				within(365, ord(rule.MeasureOrderCount, rule.OpGte, "3")),
			),
		},
		{
			name:        "VIP customers",
			description: "Everyone in the VIP customer group.",
			active:      true,
			rule:        all(cust(rule.FieldGroup, rule.OpEq, "vip")),
		},
		{
			name:        "High spenders (> 5,000 in total)",
			description: "Completed orders worth more than 5,000 in total.",
			active:      true,
			rule:        all(statuses([]string{"complete"}, ord(rule.MeasureSalesTotal, rule.OpGt, "5000"))),
		},
		{
			name:        "Lapsed customers (no order in 180+ days)",
			description: "Customers who have ordered, but not in the last 180 days.",
			active:      true, websites: []string{"se", "no"},
			rule: all(ord(rule.MeasureDaysSinceLastOrder, rule.OpGt, "180")),
		},
		{
			name:        "New customers (last 30 days)",
			description: "Signed up in the last 30 days.",
			active:      true,
			rule:        all(cust(rule.FieldDaysSinceSignup, rule.OpLte, "30")),
		},
		{
			name:        "Customers without orders",
			description: "Registered, never ordered.",
			active:      true,
			rule:        all(ord(rule.MeasureOrderCount, rule.OpEq, "0")),
		},
		{
			name:        "Nordic customers",
			description: "Billing address in Sweden, Norway, Denmark, Finland or Iceland.",
			active:      true,
			rule:        all(cust(rule.FieldCountry, rule.OpIn, "SE", "NO", "DK", "FI", "IS")),
		},
		{
			name:        "Gmail users",
			description: "Email address at Gmail.",
			active:      true,
			rule:        all(cust(rule.FieldEmail, rule.OpContains, "@gmail.")),
		},
		{
			name:        "Big baskets (average order 250+)",
			description: "Completed orders averaging 250 or more.",
			active:      true,
			rule:        all(statuses([]string{"complete"}, ord(rule.MeasureAverageOrderValue, rule.OpGte, "250"))),
		},
		{
			name:        "Complete contact details",
			description: "None of phone, ZIP and city is missing (a group that must be FALSE).",
			active:      true,
			rule: rule.Group{Match: rule.MatchAll, Expect: false, Conditions: []rule.Condition{
				cust(rule.FieldPhone, rule.OpIsEmpty),
				cust(rule.FieldZip, rule.OpIsEmpty),
				cust(rule.FieldCity, rule.OpIsEmpty),
			}},
		},
		{
			name:        "Big-city regulars",
			description: "Living in a Nordic capital or Göteborg/Malmö, with 2+ orders in the last 180 days.",
			active:      true, websites: []string{"se", "no"},
			rule: all(
				group(rule.MatchAny, true,
					cust(rule.FieldCity, rule.OpIn, "Stockholm", "Göteborg", "Malmö"),
					cust(rule.FieldCity, rule.OpEq, "Oslo"),
					cust(rule.FieldRegion, rule.OpEq, "Region Hovedstaden"),
					cust(rule.FieldCity, rule.OpEq, "Helsinki"),
				),
				within(180, ord(rule.MeasureOrderCount, rule.OpGte, "2")),
			),
		},
		{
			name:        "Trade customers gone quiet",
			description: "Wholesale and retailer accounts that have ordered, but not in the last 90 days.",
			active:      true,
			rule: all(
				cust(rule.FieldGroup, rule.OpIn, "wholesale", "retailer"),
				ord(rule.MeasureOrderCount, rule.OpGte, "1"),
				group(rule.MatchAll, false,
					within(90, ord(rule.MeasureOrderCount, rule.OpGte, "1")),
				),
			),
		},
		{
			name:        "Helsinki postcodes",
			description: "Finnish customers whose postcode starts with 00.",
			active:      true, websites: []string{"se", "intl"},
			rule: all(
				cust(rule.FieldCountry, rule.OpEq, "FI"),
				cust(rule.FieldZip, rule.OpStartsWith, "00"),
			),
		},
		{
			name:        fmt.Sprintf("Winter sale %d sign-ups (archived)", y),
			description: fmt.Sprintf("Signed up between 1 November %d and 31 January %d and completed an order. Inactive: kept for reference.", y, y+1),
			active:      false, websites: []string{"se", "no"},
			rule: all(
				cust(rule.FieldCustomerSince, rule.OpBetween, fmt.Sprintf("%d-11-01", y), fmt.Sprintf("%d-01-31", y+1)),
				statuses([]string{"complete"}, ord(rule.MeasureOrderCount, rule.OpGte, "1")),
			),
		},
	}
}
