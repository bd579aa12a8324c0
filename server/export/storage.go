package export

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/s3/transfermanager"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"gocloud.dev/blob"
	"gocloud.dev/blob/fileblob" // also registers the file:// scheme for blob.OpenBucket
	_ "gocloud.dev/blob/s3blob" // registers the s3:// scheme
	"gocloud.dev/gcerrors"
)

// checkTimeout bounds OpenBucket's check that the bucket answers: the AWS
// SDK retries a refused connection a few times, and an endpoint that drops
// packets would otherwise hang the start.
const checkTimeout = 20 * time.Second

// OpenBucket opens the storage export files live in (see docs/files.md and
// docs/operations.md).
//
// An empty url means the directory <dataDir>/exports on local disk, created
// if missing. Temporary files are written next to their final name, not in
// os.TempDir, so publishing is a rename on the same file system even when
// dataDir is another mount (a container volume).
//
// Otherwise url is a gocloud.dev bucket URL passed to blob.OpenBucket:
// "file:///var/lib/segments/exports?create_dir=true&no_tmp_dir=true", or an
// S3-compatible bucket such as "s3://bucket?region=eu-north-1" or
// "s3://bucket?endpoint=https://minio.example:9000&region=us-east-1&use_path_style=true"
// (gocloud.dev/blob/s3blob, linked in here; credentials come from the AWS
// SDK's standard chain: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a
// profile, or the instance's role). Several instances must share one bucket
// (not a local directory) for any instance to serve any export.
//
// Before it returns, OpenBucket lists at most one key under "exports/", so
// an unknown scheme, an unreachable endpoint, a missing bucket or refused
// credentials stop the command at its start, saying which, rather than
// failing the first export.
//
// Files are written under ObjectKey(id, fileName). A blob.Writer publishes its
// object only when Close succeeds: cancelling the writer's context before
// Close discards everything written (for S3, the multipart upload is
// aborted), so a failed export leaves no file.
func OpenBucket(ctx context.Context, rawURL string, dataDir string) (*blob.Bucket, error) {
	if rawURL == "" {
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
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme == "" {
		return nil, fmt.Errorf("open export storage %q: not a bucket URL such as s3://bucket?region=eu-north-1 or file:///var/lib/segments/exports", rawURL)
	}
	if !blob.DefaultURLMux().ValidBucketScheme(u.Scheme) {
		return nil, fmt.Errorf("open export storage %q: unknown scheme %q: use s3:// or file://", rawURL, u.Scheme)
	}
	b, err := blob.OpenBucket(ctx, rawURL)
	if err != nil {
		return nil, fmt.Errorf("open export storage %q: %w", rawURL, err)
	}
	if err := check(ctx, b); err != nil {
		_ = b.Close()
		return nil, fmt.Errorf("open export storage %q: %w", rawURL, err)
	}
	return b, nil
}

// check lists at most one key of b under "exports/" (the prefix the files
// use, so a policy limited to it suffices).
func check(ctx context.Context, b *blob.Bucket) error {
	ctx, cancel := context.WithTimeout(ctx, checkTimeout)
	defer cancel()
	_, _, err := b.ListPage(ctx, blob.FirstPageToken, 1, &blob.ListOptions{Prefix: "exports/"})
	switch {
	case err == nil:
		return nil
	case gcerrors.Code(err) == gcerrors.NotFound:
		return errors.New("the bucket does not exist: create it first")
	case gcerrors.Code(err) == gcerrors.PermissionDenied:
		return fmt.Errorf("access denied: check the credentials (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY or the instance's role) and that they may list, read, write and delete under exports/: %w", err)
	case ctx.Err() != nil:
		return fmt.Errorf("no answer within %s: check the endpoint and the network: %w", checkTimeout, err)
	default:
		return fmt.Errorf("cannot reach the bucket: %w", err)
	}
}

// How a file is uploaded to S3: in parts of defaultPartSize (S3's minimum
// is 5 MiB but for the last), uploadConcurrency at a time, so an export
// being written holds about 40 MiB in memory whatever its size (the first
// part, then a pool of uploadConcurrency+1 parts); a file smaller than a
// part is one PutObject.
const (
	defaultPartSize   = 8 << 20
	uploadConcurrency = 3
	// abortTimeout bounds aborting the multipart upload of a failed or
	// cancelled export, which runs after its context has ended.
	abortTimeout = time.Minute
)

// s3Upload returns the WriterOptions.BeforeWrite that sets up an S3 upload
// as described above, in parts of partSize (0 means defaultPartSize); for
// other buckets it does nothing. s3blob's own transfer manager would buffer
// 16 MiB before starting a multipart upload and, once the writer's context
// is cancelled, abort the upload with that same cancelled context, which
// fails and leaves its parts billed in the bucket until a lifecycle rule
// removes them; so the transfer manager gocloud exposes is replaced by one
// with these options.
func s3Upload(b *blob.Bucket, partSize int) func(as func(any) bool) error {
	if partSize <= 0 {
		partSize = defaultPartSize
	}
	return func(as func(any) bool) error {
		var tm *transfermanager.Client
		var client *s3.Client
		if !as(&tm) || !b.As(&client) {
			return nil
		}
		*tm = *transfermanager.New(client, func(o *transfermanager.Options) {
			// As s3blob does: the bucket URL's request_checksum_calculation.
			o.RequestChecksumCalculation = client.Options().RequestChecksumCalculation
			o.PartSizeBytes = int64(partSize)
			o.MultipartUploadThreshold = int64(partSize)
			o.Concurrency = uploadConcurrency
			o.FailTimeout = abortTimeout
		})
		return nil
	}
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
