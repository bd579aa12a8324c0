package explain_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/explain"
)

func TestRowsCountsOnlyScansOfRelations(t *testing.T) {
	t.Parallel()
	p, err := explain.Parse([]byte(`[{"Plan": {"Node Type": "Nested Loop", "Actual Rows": 50, "Actual Loops": 1, "Plans": [
		{"Node Type": "Index Scan", "Relation Name": "customers", "Index Name": "customers_pkey", "Actual Rows": 60, "Actual Loops": 1, "Rows Removed by Filter": 5},
		{"Node Type": "Index Only Scan", "Relation Name": "segment_customers", "Index Name": "segment_customers_pkey", "Actual Rows": 1, "Actual Loops": 60},
		{"Node Type": "CTE Scan", "Actual Rows": 1, "Actual Loops": 1}]},
		"Execution Time": 0.5}]`))
	require.NoError(t, err)
	require.Equal(t, 125.0, p.Root.Rows())
	require.Equal(t, "Index Scan on customers_pkey", p.Root.Plans[0].Name())
	require.Equal(t, 0.5, p.Execution)
	_, err = explain.Parse([]byte(`[]`))
	require.Error(t, err)
}
