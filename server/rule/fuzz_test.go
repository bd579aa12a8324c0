package rule

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// FuzzValidate feeds arbitrary JSON to Validate. Nothing may panic; a rule
// that passes must compile, its SQL text must not depend on its values
// (they all travel as parameters), validating again must change nothing,
// and canonicalization must not change what the rule selects.
func FuzzValidate(f *testing.F) {
	for _, s := range []string{
		`{}`,
		`{"match":"ALL","expect":true,"conditions":[]}`,
		`{"match":"ANY","expect":false,"conditions":[{"group":{"match":"ALL","expect":true,"conditions":[]}}]}`,
		`{"match":"ALL","expect":true,"conditions":[{"customer":{"field":"COUNTRY","operator":"IN","values":["se","NO"]}}]}`,
		`{"match":"ALL","expect":true,"conditions":[{"customer":{"field":"CITY","operator":"CONTAINS","values":["x'); DROP TABLE customers; --"]}}]}`,
		`{"match":"ALL","expect":true,"conditions":[{"orders":{"measure":"SALES_TOTAL","operator":"BETWEEN","values":["1","+02.50"],"withinDays":30,"statuses":["Complete"," pending"]}}]}`,
		`{"match":"ALL","expect":true,"conditions":[{"customer":{"field":"EMAIL","operator":"EQ","values":["a"]},"orders":{"measure":"ORDER_COUNT","operator":"EQ","values":["1"]}}]}`,
		`{"match":"ALL","expect":true,"conditions":[{"customer":{"field":"CUSTOMER_SINCE","operator":"GT","values":["2024-02-29"]}}]}`,
	} {
		f.Add([]byte(s))
	}
	loc, err := time.LoadLocation("Europe/Stockholm")
	require.NoError(f, err)
	now := time.Date(2025, 3, 30, 0, 30, 0, 0, loc)
	gen := &generator{rng: rand.New(rand.NewPCG(7, 7)), now: now, loc: loc}
	for range 20 {
		b, err := json.Marshal(gen.rule())
		require.NoError(f, err)
		f.Add(b)
	}
	data := gen.store(5)
	for i, c := range data.customers {
		data.customers[i].GroupCode, data.customers[i].WebsiteCode = data.groups[c.GroupID], data.websites[c.WebsiteID]
	}

	f.Fuzz(func(t *testing.T, in []byte) {
		var g Group
		if json.Unmarshal(in, &g) != nil {
			return
		}
		raw := g.Clone()
		for _, c := range data.customers {
			Eval(raw, c, data.orders[c.ID], now, loc) // must not panic, valid or not
		}
		if err := Validate(&g, testCodes); err != nil {
			var ve *ValidationError
			require.True(t, errors.As(err, &ve))
			require.NotEmpty(t, ve.Problems)
			return
		}

		windows := Windows(&g)
		args := nowTZArgs()
		expr, err := Compile(&g, windows, "$1", "$2", args)
		require.NoError(t, err)
		measures := MeasuresSQL(windows, "$1", "$2", args)
		require.NotContains(t, expr+measures, "'", "no literals in the SQL text")
		require.NotContains(t, expr+measures, "?", "bun would read ? as a placeholder")

		// The same rule with every value replaced compiles to the same text.
		blank, blankWindows := blanked(&g)
		require.Equal(t, blankWindows, Windows(blank), "renaming preserves the windows' order")
		args2 := nowTZArgs()
		expr2, err := Compile(blank, blankWindows, "$1", "$2", args2)
		require.NoError(t, err)
		require.Equal(t, expr, expr2, "the SQL text depends on a value")
		require.Equal(t, measures, MeasuresSQL(blankWindows, "$1", "$2", args2), "the SQL text depends on a value")
		require.Len(t, args2.Values(), len(args.Values()))

		again := g.Clone()
		require.NoError(t, Validate(again, testCodes))
		require.Equal(t, &g, again, "canonical form is a fixed point")

		for _, c := range data.customers {
			require.Equal(t, Eval(raw, c, data.orders[c.ID], now, loc), Eval(&g, c, data.orders[c.ID], now, loc),
				"canonicalization changed the meaning")
		}
	})
}

// blanked returns a copy of a canonical rule with every value replaced by a
// fixed one of the same type, statuses and withinDays renamed in an
// order-preserving way, and the windows it needs.
func blanked(g *Group) (*Group, []Window) {
	out := g.Clone()
	var statuses []string
	var days []int
	var walk func(*Group, func(*Condition))
	walk = func(g *Group, fn func(*Condition)) {
		for i := range g.Conditions {
			c := &g.Conditions[i]
			if c.Group != nil {
				walk(c.Group, fn)
			}
			fn(c)
		}
	}
	walk(out, func(c *Condition) {
		if c.Orders != nil {
			statuses = append(statuses, c.Orders.Statuses...)
			if c.Orders.WithinDays != nil {
				days = append(days, *c.Orders.WithinDays)
			}
		}
	})
	slices.Sort(statuses)
	statuses = slices.Compact(statuses)
	slices.Sort(days)
	days = slices.Compact(days)
	status := func(s string) string { i, _ := slices.BinarySearch(statuses, s); return fmt.Sprintf("s%06d", i) }
	day := func(d int) int { i, _ := slices.BinarySearch(days, d); return i + 1 }

	fill := func(vals []string, v string) {
		for i := range vals {
			vals[i] = v
		}
	}
	walk(out, func(c *Condition) {
		switch {
		case c.Customer != nil:
			v := map[kind]string{kindText: "v", kindDate: "2000-01-01", kindInt: "1", kindMoney: "1"}[customerKinds[c.Customer.Field]]
			switch c.Customer.Field {
			case FieldCountry:
				v = "SE"
			case FieldGroup, FieldWebsite:
				v = "x"
			}
			fill(c.Customer.Values, v)
		case c.Orders != nil:
			fill(c.Orders.Values, "1")
			for i, s := range c.Orders.Statuses {
				c.Orders.Statuses[i] = status(s)
			}
			if c.Orders.WithinDays != nil {
				d := day(*c.Orders.WithinDays)
				c.Orders.WithinDays = &d
			}
		}
	})
	var windows []Window
	for _, w := range Windows(g) {
		b := Window{WithinDays: w.WithinDays, Aggregates: w.Aggregates}
		if w.WithinDays > 0 {
			b.WithinDays = day(w.WithinDays)
		}
		for _, s := range w.Statuses {
			b.Statuses = append(b.Statuses, status(s))
		}
		windows = append(windows, b)
	}
	return out, windows
}

// TestBlankedCatchesValues checks the fuzz test's own check: a compiler
// that put a value into the SQL text would be caught.
func TestBlankedCatchesValues(t *testing.T) {
	t.Parallel()
	g := all(cust(FieldCity, OpEq, "Malmö"), Condition{Orders: &OrderCondition{Measure: MeasureOrderCount, Operator: OpGt,
		Values: []string{"2"}, WithinDays: intp(30), Statuses: []string{"b", "a"}}})
	require.NoError(t, Validate(g, testCodes))
	b, w := blanked(g)
	require.Equal(t, []Window{{WithinDays: 1, Statuses: []string{"s000000", "s000001"}, Aggregates: AggCount}}, w)
	require.Equal(t, "v", b.Conditions[0].Customer.Values[0])
	require.Equal(t, "1", b.Conditions[1].Orders.Values[0])
	expr, err := Compile(g, Windows(g), "$1", "$2", nowTZArgs())
	require.NoError(t, err)
	require.False(t, strings.Contains(expr, "Malmö"))
}
