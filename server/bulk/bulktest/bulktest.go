// Package bulktest helps test loads that suspend indexes (package bulk).
package bulktest

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/db"
)

// Schema describes the indexes and constraints of customers and orders and
// the foreign keys pointing at them, which a bulk load suspends and must
// leave exactly as they were: compare it before and after.
func Schema(t testing.TB, d *db.DB) string {
	t.Helper()
	var s string
	require.NoError(t, db.Get(context.Background(), d, `
		SELECT string_agg(x, E'\n' ORDER BY x) FROM (
		  SELECT format('index %s on %s: %s valid=%s comment=%s', i.indexrelid::regclass, i.indrelid::regclass,
		                pg_get_indexdef(i.indexrelid), i.indisvalid, obj_description(i.indexrelid, 'pg_class'))
		    FROM pg_index i
		   WHERE i.indrelid IN ('customers'::regclass, 'orders'::regclass)
		  UNION ALL
		  SELECT format('constraint %s on %s: %s validated=%s comment=%s', c.conname, c.conrelid::regclass,
		                pg_get_constraintdef(c.oid), c.convalidated, obj_description(c.oid, 'pg_constraint'))
		    FROM pg_constraint c
		   WHERE c.conrelid IN ('customers'::regclass, 'orders'::regclass)
		      OR c.confrelid IN ('customers'::regclass, 'orders'::regclass)
		) s(x)`, nil, &s))
	return s
}
