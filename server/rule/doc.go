// Package rule is the segment rule tree: its model, validation, compilation to
// set-based SQL, and a plain-Go reference evaluator the SQL is tested against.
//
// The semantics are DESIGN.md §4. Every leaf is true or false for every
// customer (never unknown); a FALSE group negates its children; an empty group
// holds for everyone.
package rule
