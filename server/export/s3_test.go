package export_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river/rivertype"
	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/actor"
	"github.com/segments/segments/server/audit"
	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/customer"
	"github.com/segments/segments/server/export"
	"github.com/segments/segments/server/export/s3test"
	"github.com/segments/segments/server/job"
)

// testPartSize is the part size of uploads in these tests: small, so a
// few hundred customers make a file of several parts (gofakes3, unlike S3,
// takes parts under 5 MiB).
const testPartSize = 4 << 10

// s3Service is service with its files in a bucket of an S3 server run by
// the test, opened from its URL as EXPORT_STORAGE_URL would be, with
// params added to the URL's query.
func s3Service(t *testing.T, customers int, params string) (*export.Service, []int64, *s3test.Server) {
	t.Helper()
	svc, segs := service(t, customers)
	srv := s3test.New(t)
	bucket, err := export.OpenBucket(context.Background(), srv.BucketURL(s3test.Bucket)+params, "")
	require.NoError(t, err)
	t.Cleanup(func() { _ = bucket.Close() })
	svc.Bucket, svc.PartSize = bucket, testPartSize
	return svc, segs, srv
}

// downloads serves svc's download links as the server does, returning the
// signer and the server's URL.
func downloads(t *testing.T, svc *export.Service) (*export.Signer, string) {
	t.Helper()
	signer := export.NewSigner([]byte(strings.Repeat("k", export.MinKeyLen)))
	mux := http.NewServeMux()
	mux.Handle("GET /exports/{id}/{name}", export.DownloadHandler(signer, svc.Bucket, export.Files(svc.DB), nil))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return signer, srv.URL
}

// fetch GETs link without following redirects.
func fetch(t *testing.T, link string) (*http.Response, []byte) {
	t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(link)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, body
}

// downloadsRecorded counts the audit log's downloads of export id.
func downloadsRecorded(t *testing.T, svc *export.Service, id int64) int {
	t.Helper()
	n, err := svc.DB.NewSelect().Model((*audit.Event)(nil)).
		Where("action = ?", audit.ExportDownloaded).Where("principal = ?", audit.ByLink).Where("? = ANY(subject_ids)", id).
		Count(auth.AsSystem(context.Background()))
	require.NoError(t, err)
	return int(n)
}

// An export to S3 streams into the bucket as a multipart upload; its link
// is served by our handler, which reads the object from the bucket (never a
// redirect to S3), so the link's 403 and 410 answers and the download audit
// hold as on local disk; the retention sweep deletes the object.
func TestS3ExportUploadsInPartsAndDownloadsThroughTheHandler(t *testing.T) {
	t.Parallel()
	ctx := auth.AsSystem(context.Background())
	svc, segs, srv := s3Service(t, 300, "")
	startJobs(t, svc)
	signer, base := downloads(t, svc)

	var exports []*export.Export
	for _, ids := range [][]int64{segs, segs[:1]} {
		id, err := svc.Start(ctx, export.Request{SegmentIDs: ids, Mode: customer.Union, Format: export.FormatCSV}, actor.FromAPI)
		require.NoError(t, err)
		e, err := export.Wait(ctx, svc.DB, id, 30*time.Second)
		require.NoError(t, err)
		require.Equal(t, job.Succeeded, e.State, "error: %v", e.Error)
		exports = append(exports, e)
	}
	e, other := exports[0], exports[1]
	require.ElementsMatch(t, []string{*e.FileKey, *other.FileKey}, srv.Keys(t, s3test.Bucket))
	file, ok := srv.Object(t, s3test.Bucket, *e.FileKey)
	require.True(t, ok)
	require.Equal(t, int(e.RowsWritten)+1, strings.Count(string(file), "\r\n"), "a header and every row")
	parts := (len(file) + testPartSize - 1) / testPartSize
	require.GreaterOrEqual(t, parts, 3, "the file is several parts long")
	// A file longer than a part is a multipart upload; a shorter one, one
	// PutObject.
	otherFile, _ := srv.Object(t, s3test.Bucket, *other.FileKey)
	multipart := 1
	if len(otherFile) >= testPartSize {
		multipart = 2
	}
	require.Equal(t, multipart, srv.Count(s3test.CreateMultipartUpload))
	require.Equal(t, multipart, srv.Count(s3test.CompleteMultipartUpload))
	require.Equal(t, 2-multipart, srv.Count(s3test.PutObject))
	require.GreaterOrEqual(t, srv.Count(s3test.UploadPart), parts)
	require.Equal(t, srv.Count(s3test.UploadPart), srv.Checksummed(s3test.UploadPart), "by default every part carries a checksum")
	require.Empty(t, srv.Uploads(t, s3test.Bucket), "no upload is left open")

	// The download streams the object through our handler.
	link := signer.URL(base, e.ID, *e.FileName, time.Now().Add(time.Hour))
	reads := srv.Count(s3test.GetObject)
	resp, body := fetch(t, link)
	require.Equal(t, http.StatusOK, resp.StatusCode, string(body))
	require.Empty(t, resp.Header.Get("Location"))
	require.Equal(t, "text/csv; charset=utf-8", resp.Header.Get("Content-Type"))
	require.Contains(t, resp.Header.Get("Content-Disposition"), *e.FileName)
	require.Equal(t, file, body)
	require.Equal(t, reads+1, srv.Count(s3test.GetObject), "read from the bucket by the server")
	require.Equal(t, 1, downloadsRecorded(t, svc, e.ID))

	// Refused links never reach the bucket, and record no download.
	reads = srv.Count(s3test.GetObject)
	tampered := link[:len(link)-1] + map[bool]string{true: "0", false: "1"}[strings.HasSuffix(link, "1")]
	resp, body = fetch(t, tampered)
	require.Equal(t, http.StatusForbidden, resp.StatusCode)
	require.Contains(t, string(body), "not valid")
	otherLink := signer.URL(base, other.ID, *other.FileName, time.Now().Add(time.Hour))
	foreign := strings.Replace(link, export.LinkPath(e.ID, *e.FileName), export.LinkPath(other.ID, *other.FileName), 1)
	require.NotEqual(t, otherLink, foreign)
	resp, _ = fetch(t, foreign)
	require.Equal(t, http.StatusForbidden, resp.StatusCode, "one export's signature does not open another")
	resp, body = fetch(t, signer.URL(base, e.ID, *e.FileName, time.Now().Add(-time.Minute)))
	require.Equal(t, http.StatusForbidden, resp.StatusCode)
	require.Contains(t, string(body), "expired")
	require.Equal(t, reads, srv.Count(s3test.GetObject))
	require.Equal(t, 1, downloadsRecorded(t, svc, e.ID))

	// Past retention the link answers 410 at once; the sweep deletes the
	// object from the bucket, and the link still answers 410.
	_, err := svc.DB.NewUpdate().Model((*export.Export)(nil)).Set("delete_after = now() - interval '1 minute'").Where("id = ?", e.ID).Exec(ctx)
	require.NoError(t, err)
	resp, body = fetch(t, link)
	require.Equal(t, http.StatusGone, resp.StatusCode)
	require.Contains(t, string(body), "retention")
	n, err := svc.DeleteExpired(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	require.Equal(t, 1, srv.Count(s3test.DeleteObject))
	_, ok = srv.Object(t, s3test.Bucket, *e.FileKey)
	require.False(t, ok, "the expired object is gone from the bucket")
	require.Equal(t, []string{*other.FileKey}, srv.Keys(t, s3test.Bucket), "the other file is kept")
	resp, _ = fetch(t, link)
	require.Equal(t, http.StatusGone, resp.StatusCode)
	resp, body = fetch(t, otherLink)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, otherFile, body)
	require.Equal(t, 1, downloadsRecorded(t, svc, e.ID))
	require.Equal(t, 1, downloadsRecorded(t, svc, other.ID))
}

// A shutdown in the middle of an upload to S3 hands the export back and
// aborts the upload: nothing is published and no part is left in the
// bucket. The next worker uploads it whole.
func TestS3InterruptedUploadLeavesNothing(t *testing.T) {
	t.Parallel()
	ctx := auth.AsSystem(context.Background())
	svc, segs, srv := s3Service(t, 300, "")
	gate := srv.Hold(s3test.UploadPart)
	stop := startJobs(t, svc)
	id, err := svc.Start(ctx, export.Request{SegmentIDs: segs, Mode: customer.Union, Format: export.FormatExcelXML}, actor.FromAPI)
	require.NoError(t, err)
	select {
	case <-gate.Reached():
	case <-time.After(30 * time.Second):
		t.Fatal("the export never uploaded a part")
	}
	require.Equal(t, 1, srv.Count(s3test.CreateMultipartUpload))

	stopMidway(t, svc, stop, id)
	require.Empty(t, srv.Keys(t, s3test.Bucket), "nothing was published")
	require.Empty(t, srv.Uploads(t, s3test.Bucket), "the upload was aborted, its parts dropped")
	require.Equal(t, 1, srv.Count(s3test.AbortMultipartUpload))

	gate.Open()
	startJobs(t, svc)
	e, err := export.Wait(ctx, svc.DB, id, 60*time.Second)
	require.NoError(t, err)
	require.Equal(t, job.Succeeded, e.State, "error: %v", e.Error)
	require.Equal(t, []string{*e.FileKey}, srv.Keys(t, s3test.Bucket))
	require.Empty(t, srv.Uploads(t, s3test.Bucket))
	file, _ := srv.Object(t, s3test.Bucket, *e.FileKey)
	require.True(t, strings.HasSuffix(string(file), "</Workbook>\r\n"), "the whole file")
}

// retryLater retries a failed job in an hour: the test says when.
type retryLater struct{}

func (retryLater) NextRetry(*rivertype.JobRow) time.Time { return time.Now().Add(time.Hour) }

// An attempt whose upload S3 refuses at the end fails without publishing
// anything and aborts the upload; the retry publishes the file. The bucket
// URL asks for checksums only where required, as stores other than AWS
// may need, and the uploads follow it.
func TestS3FailedUploadLeavesNothing(t *testing.T) {
	t.Parallel()
	ctx := auth.AsSystem(context.Background())
	svc, segs, srv := s3Service(t, 300, "&request_checksum_calculation=when_required")
	lift := srv.Refuse(s3test.CompleteMultipartUpload)
	startJobsWith(t, svc, job.Config{RetryPolicy: retryLater{}})
	id, err := svc.Start(ctx, export.Request{SegmentIDs: segs, Mode: customer.Union, Format: export.FormatCSV}, actor.FromAPI)
	require.NoError(t, err)
	// River has the job to retry, later (retryLater).
	jobState := func(jobID int64) (state string) {
		_ = svc.DB.NewSelect().Table("river_job").Column("state").Where("id = ?", jobID).Scan(ctx, &state)
		return state
	}
	var e *export.Export
	require.Eventually(t, func() bool {
		e, err = export.Get(ctx, svc.DB, id)
		return err == nil && e.JobID != nil && jobState(*e.JobID) == string(rivertype.JobStateRetryable)
	}, 30*time.Second, 5*time.Millisecond)
	require.NotNil(t, e.Error)
	require.Equal(t, job.Queued, e.State, "to be tried again")
	require.Nil(t, e.FileKey)
	require.Equal(t, 1, srv.Count(s3test.CompleteMultipartUpload))
	require.Empty(t, srv.Keys(t, s3test.Bucket), "nothing was published")
	require.Empty(t, srv.Uploads(t, s3test.Bucket), "the upload was aborted, its parts dropped")
	require.Equal(t, 1, srv.Count(s3test.AbortMultipartUpload))

	lift()
	_, err = svc.DB.NewUpdate().Table("river_job").Set("scheduled_at = now()").Where("id = ?", *e.JobID).Exec(ctx)
	require.NoError(t, err)
	e, err = export.Wait(ctx, svc.DB, id, 60*time.Second)
	require.NoError(t, err)
	require.Equal(t, job.Succeeded, e.State, "error: %v", e.Error)
	require.Equal(t, []string{*e.FileKey}, srv.Keys(t, s3test.Bucket))
	require.Empty(t, srv.Uploads(t, s3test.Bucket))
	require.Positive(t, srv.Count(s3test.UploadPart))
	require.Zero(t, srv.Checksummed(s3test.UploadPart), "request_checksum_calculation=when_required is followed")
}
