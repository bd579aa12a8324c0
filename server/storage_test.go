package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/db/dbtest"
	"github.com/segments/segments/server/export/s3test"
)

// A bad EXPORT_STORAGE_URL stops `segments serve` at its start with an
// error naming the setting and saying what is wrong, never a panic and
// never a server that fails its first export.
func TestServeRefusesBadExportStorage(t *testing.T) {
	t.Parallel()
	srv := s3test.New(t)
	dbURL := dbtest.URL(t)

	for _, c := range []struct{ storage, says string }{
		{"nosuchscheme://bucket", `unknown scheme "nosuchscheme": use s3:// or file://`},
		{srv.BucketURL("no-such-bucket"), "the bucket does not exist: create it first"},
		{srv.UnreachableURL(t), "cannot reach the bucket"},
	} {
		env := map[string]string{"DATABASE_URL": dbURL, "LOG_LEVEL": "warn", "ADDR": "127.0.0.1:0", "DATA_DIR": t.TempDir(),
			"REFRESH_INTERVAL": "0", "EXPORT_STORAGE_URL": c.storage}
		var out, errs bytes.Buffer
		err := runWith(context.Background(), []string{"serve"}, func(k string) (string, bool) { v, ok := env[k]; return v, ok },
			stdio{in: strings.NewReader(""), out: &out, err: &errs})
		require.Error(t, err, c.storage)
		require.Contains(t, err.Error(), "EXPORT_STORAGE_URL (-export-storage): open export storage", c.storage)
		require.Contains(t, err.Error(), c.says, c.storage)
	}
}
