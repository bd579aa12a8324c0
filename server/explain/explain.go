// Package explain reads the JSON form of PostgreSQL's EXPLAIN (ANALYZE,
// BUFFERS, FORMAT JSON): a statement's plan tree and what each table or
// index scan read. The drill-down's depth test and the benchmark's depth
// report both judge a page statement by the rows its scans read — a plan
// that reads an index from its start to reach a deep page shows up there
// long before it shows in a timing.
package explain

import (
	"encoding/json"
	"fmt"
)

// Plan is one statement's EXPLAIN ANALYZE.
type Plan struct {
	Root Node `json:"Plan"`
	// Execution and Planning are in milliseconds.
	Execution float64 `json:"Execution Time"`
	Planning  float64 `json:"Planning Time"`
}

// Node is one plan node. As EXPLAIN reports them, rows and rows removed are
// averages per loop.
type Node struct {
	NodeType       string  `json:"Node Type"`
	Relation       string  `json:"Relation Name"`
	Index          string  `json:"Index Name"`
	ActualRows     float64 `json:"Actual Rows"`
	Loops          float64 `json:"Actual Loops"`
	RemovedFilter  float64 `json:"Rows Removed by Filter"`
	RemovedRecheck float64 `json:"Rows Removed by Index Recheck"`
	HitBlocks      int64   `json:"Shared Hit Blocks"`
	ReadBlocks     int64   `json:"Shared Read Blocks"`
	Plans          []Node  `json:"Plans"`
}

// Parse reads the output of EXPLAIN (ANALYZE, FORMAT JSON) of one statement.
func Parse(out []byte) (Plan, error) {
	var plans []Plan
	if err := json.Unmarshal(out, &plans); err != nil {
		return Plan{}, fmt.Errorf("explain: %w", err)
	}
	if len(plans) != 1 {
		return Plan{}, fmt.Errorf("explain: want one plan, got %d", len(plans))
	}
	return plans[0], nil
}

// Walk calls fn for n and every node below it, depth first.
func (n Node) Walk(fn func(Node)) {
	fn(n)
	for _, c := range n.Plans {
		c.Walk(fn)
	}
}

// Read is the rows n read from a table or index: every row it returned or
// filtered out, in all its loops; 0 for a node that scans no relation (a
// join, a sort, a CTE or subquery scan). A bitmap index scan's rows are
// counted by its heap scan.
func (n Node) Read() float64 {
	if n.Relation == "" {
		return 0
	}
	return (n.ActualRows + n.RemovedFilter + n.RemovedRecheck) * n.Loops
}

// Rows is the rows every scan under and including n read (see Read).
func (n Node) Rows() float64 {
	var total float64
	n.Walk(func(m Node) { total += m.Read() })
	return total
}

// Name is the node's type and what it scans: "Index Scan on customers_pkey".
func (n Node) Name() string {
	switch {
	case n.Index != "":
		return n.NodeType + " on " + n.Index
	case n.Relation != "":
		return n.NodeType + " on " + n.Relation
	}
	return n.NodeType
}
