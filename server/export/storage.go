package export

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"gocloud.dev/blob"
	"gocloud.dev/blob/fileblob" // also registers the file:// scheme for blob.OpenBucket
)

// OpenBucket opens the storage export files live in (see docs/files.md).
//
// An empty url means the directory <dataDir>/exports on local disk, created
// if missing. Temporary files are written next to their final name, not in
// os.TempDir, so publishing is a rename on the same file system even when
// dataDir is another mount (a container volume).
//
// Otherwise url is a gocloud.dev bucket URL passed to blob.OpenBucket, for
// example "file:///var/lib/segments/exports?create_dir=true&no_tmp_dir=true",
// "s3://bucket?region=eu-north-1" or "gs://bucket". Only the file:// driver is
// linked in by this package; for s3:// or gs:// the command must import the
// driver package (gocloud.dev/blob/s3blob, gocloud.dev/blob/gcsblob) for its
// side effect. Several instances must share one bucket (not a local
// directory) for any instance to serve any export.
//
// Files are written under ObjectKey(id, fileName). A blob.Writer publishes its
// object only when Close succeeds: cancelling the writer's context before
// Close discards everything written, so a failed export leaves no file.
func OpenBucket(ctx context.Context, url string, dataDir string) (*blob.Bucket, error) {
	if url != "" {
		b, err := blob.OpenBucket(ctx, url)
		if err != nil {
			return nil, fmt.Errorf("open export storage %q: %w", url, err)
		}
		return b, nil
	}
	if dataDir == "" {
		return nil, errors.New("open export storage: neither a storage URL nor a data directory is set")
	}
	dir := filepath.Join(dataDir, "exports")
	b, err := fileblob.OpenBucket(dir, &fileblob.Options{CreateDir: true, NoTempDir: true, DirFileMode: 0o750})
	if err != nil {
		return nil, fmt.Errorf("open export storage %s: %w", dir, err)
	}
	return b, nil
}

// ObjectKey is the key the file of export id is stored under:
// "exports/{id}/{fileName}".
func ObjectKey(id int64, fileName string) string {
	return "exports/" + strconv.FormatInt(id, 10) + "/" + fileName
}

// sink is where an export's file is written: nothing is visible there
// until commit, and abort discards everything written.
type sink interface {
	io.Writer
	commit() error
	abort()
	// bucketKey is the file's key in the bucket; "" for a file elsewhere.
	bucketKey() string
}

// bucketSink writes a file into the bucket.
type bucketSink struct {
	*blob.Writer
	cancel context.CancelFunc
	key    string
}

func (b *bucketSink) commit() error {
	defer b.cancel()
	return b.Writer.Close()
}

func (b *bucketSink) abort() {
	b.cancel() // with its context cancelled, Close discards the file
	_ = b.Writer.Close()
}

func (b *bucketSink) bucketKey() string { return b.key }

// fileSink writes a file at path: into a temporary file beside it (mode
// 0600, as os.CreateTemp makes it), renamed to path when complete.
type fileSink struct {
	*os.File
	path string
}

func toFile(path string) (sink, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return nil, fmt.Errorf("open export file: %w", err)
	}
	return &fileSink{File: f, path: path}, nil
}

func (f *fileSink) commit() error {
	err := f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), f.path)
	}
	if err != nil {
		_ = os.Remove(f.Name())
	}
	return err
}

func (f *fileSink) abort() {
	_ = f.Close()
	_ = os.Remove(f.Name())
}

func (f *fileSink) bucketKey() string { return "" }
