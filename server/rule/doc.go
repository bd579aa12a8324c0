// Package rule is the segment rule tree: its model, validation, compilation to
// set-based SQL, and a plain-Go reference evaluator the SQL is tested against.
//
// The semantics are docs/rules.md. Every leaf is true or false for every
// customer (never unknown); a FALSE group negates its children; an empty group
// holds for everyone.
//
// # Validation and canonical form
//
// Validate rejects a rule with every problem it has, each naming the
// condition's path from the root group ("conditions[1].conditions[0]"; "" is
// the root). Limits: groups nest at most MaxDepth (5) deep counting the root
// as 1; a rule holds at most MaxLeaves (200) customer and order conditions,
// MaxGroups (200) groups below the root and MaxRuleValues (10,000) values and
// statuses in all; an IN or NOT_IN lists at most MaxValues (1,000) values, an
// orders condition at most MaxStatuses (50) statuses of MaxStatusLength (64)
// characters; a value has at most MaxValueLength (255) characters. A list
// over its limit is refused without reading its values, and CheckSize finds
// the size problems alone, without the database, so an oversized rule costs
// nothing. Validate stores values canonically, and they read back so:
//
//   - COUNTRY: ISO 3166-1 alpha-2, upper case ("se" → "SE");
//   - GROUP and WEBSITE: the code in lower case (codes match ignoring case);
//   - CUSTOMER_SINCE: YYYY-MM-DD;
//   - whole numbers (DAYS_SINCE_SIGNUP, ORDER_COUNT, DAYS_SINCE_LAST_ORDER):
//     plain decimal integers ("+007" → "7");
//   - money (SALES_TOTAL, AVERAGE_ORDER_VALUE): digits with a dot, no plus
//     sign, leading zeros or trailing fraction zeros ("0012.50" → "12.5");
//   - statuses: trimmed, lower case, sorted, without duplicates; an empty
//     list means every status and is stored as no list;
//   - text values: exactly as given (surrounding spaces matter to CONTAINS
//     and STARTS_WITH). An empty text value is rejected, and so is a blank
//     one for EQ, NEQ, IN and NOT_IN, which could never match.
//
// Codes, dates and numbers may carry surrounding spaces on input.
//
// # SQL
//
// Refresh builds one statement per segment (or materializes MeasuresSQL once
// for a run and joins it as m):
//
//	var args db.Args
//	now, tz := args.Add(runStart), args.Add(storeTimeZone)
//	windows := rule.Windows(rules...)
//	measures := rule.MeasuresSQL(windows, now, tz, &args)
//	where, err := rule.Compile(g, windows, now, tz, &args)
//	sql := `SELECT c.id FROM customers c
//	    JOIN customer_groups g ON g.id = c.group_id
//	    JOIN websites w ON w.id = c.website_id
//	    LEFT JOIN (` + measures + `) m ON m.customer_id = c.id
//	    WHERE ` + where
//	err = db.Select(ctx, d, &ids, sql, args.Values()...)
//
// Windows records, per window, which aggregates the rules read, and
// MeasuresSQL computes only those; a rule compiled against windows lacking
// one is an error, and MergeWindows widens them. MeasuresFromSQL computes
// them over a relation shaped like orders (some customers' orders). The
// measures
// are one flat GROUP BY whose per-statement values are scalar sub-selects,
// so PostgreSQL may aggregate in parallel workers; an order's local date
// is computed only within a day of a window's edge.
//
// A refresh evaluates a batch of rules in one statement: compiled with
// CompileShared and one Shared, they read each customer's lowered text
// fields, blank checks and website checks from columns computed once per
// row (Shared.Columns adds them to the customers, groups and websites
// selected), not once per condition.
//
// An incremental refresh reads less. MeasuresOnlySQL counts each window
// only for the orders a further condition admits (the customers that need
// it). CompileWithoutOrders gives a rule's verdict with every order
// condition unknown, so customers whose own fields settle it need no
// measures. ThresholdsOf gives the day counts where time passing can turn
// a verdict, with those that read only the latest order apart.
//
// Every value is a bind parameter; the SQL text depends only on the rule's
// shape, and holds no string literal and no "?". Run it with db.Select,
// db.Exec and the like: bun's NewRaw formats "?" placeholders itself and
// would not pass $N parameters on.
// Text is lower-cased under the ICU root collation ("und-x-icu"), so Å
// matches å whatever the database's locale. CONTAINS and STARTS_WITH use
// strpos and starts_with, never LIKE. AVERAGE_ORDER_VALUE compares the sum
// with value × count, so it is exact. Days are calendar days in the store's
// time zone: today is the date of now there, and withinDays N counts orders
// dated today−N+1 … today (never orders dated in the future).
//
// # Known differences from the reference evaluator
//
// Eval lower-cases with Go's simple case mapping, PostgreSQL with ICU's full
// one; they differ for a few letters (final Σ, İ), which the differential
// test leaves out. Neither normalizes Unicode (a decomposed Å does not equal
// a precomposed one).
package rule
