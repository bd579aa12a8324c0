package export

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"

	"gocloud.dev/blob"
	"gocloud.dev/blob/fileblob" // also registers the file:// scheme for blob.OpenBucket
)

// OpenBucket opens the storage export files live in (DESIGN.md §2).
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
