package export

import (
	"context"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	"gocloud.dev/blob"
	"gocloud.dev/blob/memblob"
	"gocloud.dev/gcerrors"

	"github.com/segments/segments/server/export/s3test"
)

func TestOpenBucketDefaultDir(t *testing.T) {
	ctx := context.Background()
	dataDir := filepath.Join(t.TempDir(), "data") // does not exist yet
	b, err := OpenBucket(ctx, "", dataDir)
	require.NoError(t, err)
	defer b.Close()

	key := ObjectKey(7, "customers åäö.csv")
	require.Equal(t, "exports/7/customers åäö.csv", key)
	require.NoError(t, b.WriteAll(ctx, key, []byte("a,b\r\n"), nil))

	got, err := os.ReadFile(filepath.Join(dataDir, "exports", "exports", "7", "customers åäö.csv"))
	require.NoError(t, err, "the default bucket is <dataDir>/exports")
	require.Equal(t, "a,b\r\n", string(got))

	_, err = OpenBucket(ctx, "", "")
	require.Error(t, err)
}

func TestOpenBucketURL(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "bucket")
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(dir), RawQuery: "create_dir=true"}
	b, err := OpenBucket(ctx, u.String(), "/ignored")
	require.NoError(t, err)
	defer b.Close()
	require.NoError(t, b.WriteAll(ctx, "exports/1/x.csv", []byte("x"), nil))
	_, err = os.Stat(filepath.Join(dir, "exports", "1", "x.csv"))
	require.NoError(t, err)

}

// A bad EXPORT_STORAGE_URL stops the start with an error that says what is
// wrong, before any export is tried.
func TestOpenBucketBadConfiguration(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := s3test.New(t)

	for _, c := range []struct{ url, says string }{
		{"nosuchscheme://x", `unknown scheme "nosuchscheme": use s3:// or file://`},
		{"bucket", "not a bucket URL"},
		{srv.BucketURL("no-such-bucket"), "the bucket does not exist"},
		{srv.UnreachableURL(t), "cannot reach the bucket"},
		{srv.BucketURL(s3test.Bucket) + "&no_such_option=1", `unknown query parameter "no_such_option"`},
		{"file://" + filepath.ToSlash(filepath.Join(t.TempDir(), "missing")), "no such file or directory"},
	} {
		b, err := OpenBucket(ctx, c.url, "")
		require.Error(t, err, c.url)
		require.Nil(t, b)
		require.Contains(t, err.Error(), c.says, c.url)
		require.Contains(t, err.Error(), "open export storage", c.url)
		t.Log(err)
	}

	b, err := OpenBucket(ctx, srv.BucketURL(s3test.Bucket), "")
	require.NoError(t, err)
	require.NoError(t, b.Close())
}

// TestCancelledWriterLeavesNothing proves what the export job relies on: a
// writer whose context is cancelled before Close publishes no object, on the
// local default and in memory, even after many bytes were written.
func TestCancelledWriterLeavesNothing(t *testing.T) {
	buckets := map[string]func(t *testing.T) *blob.Bucket{
		"fileblob": func(t *testing.T) *blob.Bucket {
			b, err := OpenBucket(context.Background(), "", t.TempDir())
			require.NoError(t, err)
			return b
		},
		"memblob": func(*testing.T) *blob.Bucket { return memblob.OpenBucket(nil) },
		"s3blob": func(t *testing.T) *blob.Bucket {
			b, err := OpenBucket(context.Background(), s3test.New(t).BucketURL(s3test.Bucket), "")
			require.NoError(t, err)
			return b
		},
	}
	for name, open := range buckets {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			b := open(t)
			defer b.Close()
			key := ObjectKey(3, "half.csv")

			wctx, cancel := context.WithCancel(ctx)
			w, err := b.NewWriter(wctx, key, &blob.WriterOptions{ContentType: ContentType(FormatCSV)})
			require.NoError(t, err)
			chunk := make([]byte, 64<<10)
			for range 32 { // 2 MiB, past any buffer
				_, err := w.Write(chunk)
				require.NoError(t, err)
			}
			cancel()
			require.Error(t, w.Close(), "Close after cancel reports the abort")

			exists, err := b.Exists(ctx, key)
			require.NoError(t, err)
			require.False(t, exists)
			_, err = b.NewReader(ctx, key, nil)
			require.Equal(t, gcerrors.NotFound, gcerrors.Code(err))
			it := b.List(&blob.ListOptions{Prefix: "exports/"})
			obj, err := it.Next(ctx)
			require.ErrorIs(t, err, io.EOF, "nothing listed, got %+v", obj)

			// The same key written properly afterwards is published whole.
			w, err = b.NewWriter(ctx, key, nil)
			require.NoError(t, err)
			_, err = w.Write([]byte("ok"))
			require.NoError(t, err)
			require.NoError(t, w.Close())
			got, err := b.ReadAll(ctx, key)
			require.NoError(t, err)
			require.Equal(t, "ok", string(got))
		})
	}
}
