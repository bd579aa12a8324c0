// Package s3test serves S3 for tests: gofakes3 with its in-memory backend,
// over plain HTTP on a loopback port, so export storage is tested through
// the real s3blob driver and AWS SDK with no network and no account.
//
// The server counts the requests it answers by S3 operation, so a test can
// see that an upload went in parts or that a download was read from the
// bucket, and can hold any operation at a Gate, to interrupt an upload
// midway, or Refuse it, to make an upload fail. Several processes (server instances started by a test) can share
// one Server: give them Env and the bucket's URL.
package s3test

import (
	"encoding/xml"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	"github.com/stretchr/testify/require"
)

// Bucket is the bucket New creates.
const Bucket = "segments-exports"

// Region is the region the bucket URLs name; gofakes3 accepts any.
const Region = "us-east-1"

// The S3 operations Count and Hold name, as the S3 API does.
const (
	PutObject               = "PutObject"
	CreateMultipartUpload   = "CreateMultipartUpload"
	UploadPart              = "UploadPart"
	CompleteMultipartUpload = "CompleteMultipartUpload"
	AbortMultipartUpload    = "AbortMultipartUpload"
	GetObject               = "GetObject"
	HeadObject              = "HeadObject"
	DeleteObject            = "DeleteObject"
	ListObjects             = "ListObjects"
)

// Server is one S3-protocol server for a test.
type Server struct {
	// URL is the endpoint, http://127.0.0.1:port.
	URL     string
	backend *s3mem.Backend
	faker   http.Handler

	mu      sync.Mutex
	counts  map[string]int
	gates   map[string]*Gate
	refused map[string]bool
	// checksummed counts requests with a body checksum, by operation.
	checksummed map[string]int
}

var setEnv sync.Once

// New starts a server holding the empty bucket Bucket, stopped when t ends.
// It sets Env in this process (once), so the AWS SDK finds credentials
// without looking further, above all not at an instance metadata service.
func New(t testing.TB) *Server {
	t.Helper()
	setEnv.Do(func() {
		for _, kv := range Env() {
			k, v, _ := strings.Cut(kv, "=")
			_ = os.Setenv(k, v)
		}
	})
	s := &Server{backend: s3mem.New(), counts: map[string]int{}, gates: map[string]*Gate{}, refused: map[string]bool{}, checksummed: map[string]int{}}
	s.faker = gofakes3.New(s.backend).Server()
	require.NoError(t, s.backend.CreateBucket(Bucket))
	srv := httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(func() {
		s.mu.Lock()
		for _, g := range s.gates {
			g.Open() // let held requests end, so Close does not wait on them
		}
		s.mu.Unlock()
		srv.Close()
	})
	s.URL = srv.URL
	return s
}

// Env is the environment a process needs to use a Server through the AWS
// SDK's standard settings: fixed test credentials (gofakes3 checks no
// signature), no shared config or credentials files, and the EC2 instance
// metadata service turned off.
func Env() []string {
	return []string{
		"AWS_ACCESS_KEY_ID=s3test",
		"AWS_SECRET_ACCESS_KEY=s3test-secret",
		"AWS_SESSION_TOKEN=",
		"AWS_PROFILE=",
		"AWS_CONFIG_FILE=" + os.DevNull,
		"AWS_SHARED_CREDENTIALS_FILE=" + os.DevNull,
		"AWS_EC2_METADATA_DISABLED=true",
	}
}

// BucketURL is the EXPORT_STORAGE_URL of the named bucket on s (which need
// not exist): path-style requests to s's endpoint, otherwise the AWS SDK's
// defaults.
func (s *Server) BucketURL(bucket string) string {
	q := url.Values{}
	q.Set("endpoint", s.URL)
	q.Set("region", Region)
	q.Set("use_path_style", "true")
	return "s3://" + bucket + "?" + q.Encode()
}

// UnreachableURL is BucketURL of Bucket on a loopback port where nothing
// listens, as with a wrong endpoint.
func (s *Server) UnreachableURL(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	closed := "http://" + ln.Addr().String()
	require.NoError(t, ln.Close())
	return strings.Replace(s.BucketURL(Bucket), url.QueryEscape(s.URL), url.QueryEscape(closed), 1)
}

// Count is how many requests for op s has answered or is answering.
func (s *Server) Count(op string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counts[op]
}

// Checksummed is how many of the requests Count counts for op carried a
// checksum of their body (x-amz-checksum-* or x-amz-sdk-checksum-algorithm),
// which the AWS SDK sends unless the bucket URL says
// request_checksum_calculation=when_required.
func (s *Server) Checksummed(op string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.checksummed[op]
}

// Keys lists the keys of the objects in bucket.
func (s *Server) Keys(t testing.TB, bucket string) []string {
	t.Helper()
	list, err := s.backend.ListBucket(bucket, &gofakes3.Prefix{}, gofakes3.ListBucketPage{})
	require.NoError(t, err)
	var keys []string
	for _, c := range list.Contents {
		keys = append(keys, c.Key)
	}
	return keys
}

// Object returns the content of the object at key in bucket, and whether
// there is one.
func (s *Server) Object(t testing.TB, bucket, key string) ([]byte, bool) {
	t.Helper()
	obj, err := s.backend.GetObject(bucket, key, nil)
	if gofakes3.HasErrorCode(err, gofakes3.ErrNoSuchKey) {
		return nil, false
	}
	require.NoError(t, err)
	defer obj.Contents.Close()
	b, err := io.ReadAll(obj.Contents)
	require.NoError(t, err)
	return b, true
}

// Uploads lists the keys of the multipart uploads in progress in bucket:
// started, neither completed nor aborted. Each holds parts a real S3 bills
// for until it is aborted.
func (s *Server) Uploads(t testing.TB, bucket string) []string {
	t.Helper()
	rec := httptest.NewRecorder()
	s.faker.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/"+bucket+"?uploads", nil))
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var res gofakes3.ListMultipartUploadsResult
	require.NoError(t, xml.Unmarshal(rec.Body.Bytes(), &res))
	var keys []string
	for _, u := range res.Uploads {
		keys = append(keys, u.Key)
	}
	return keys
}

// Gate holds the requests of one operation until it is opened.
type Gate struct {
	reached     chan struct{}
	reachedOnce sync.Once
	open        chan struct{}
	openOnce    sync.Once
}

// Reached is closed when the first held request arrives.
func (g *Gate) Reached() <-chan struct{} { return g.reached }

// Open lets held and later requests through.
func (g *Gate) Open() { g.openOnce.Do(func() { close(g.open) }) }

// Hold makes requests for op wait, from now, until the returned gate is
// opened or their client gives up on them (a cancelled context closes the
// connection).
func (s *Server) Hold(op string) *Gate {
	g := &Gate{reached: make(chan struct{}), open: make(chan struct{})}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.gates[op] = g
	return g
}

// Refuse makes s answer requests for op with S3's 403 AccessDenied, which
// the AWS SDK does not retry, until the returned func is called.
func (s *Server) Refuse(op string) (lift func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refused[op] = true
	return func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		delete(s.refused, op)
	}
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	op := operation(r)
	s.mu.Lock()
	s.counts[op]++
	if hasChecksum(r.Header) {
		s.checksummed[op]++
	}
	g, refused := s.gates[op], s.refused[op]
	s.mu.Unlock()
	if refused {
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(http.StatusForbidden)
		_, _ = io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?>`+
			`<Error><Code>AccessDenied</Code><Message>Access Denied (refused by s3test)</Message></Error>`)
		return
	}
	if g != nil {
		g.reachedOnce.Do(func() { close(g.reached) })
		select {
		case <-g.open:
		case <-r.Context().Done():
			return
		}
	}
	s.faker.ServeHTTP(w, r)
}

// operation names the S3 operation of a path-style request.
func operation(r *http.Request) string {
	bucket, key, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	q := r.URL.Query()
	switch {
	case bucket == "":
		return "ListBuckets"
	case key == "" && r.Method == http.MethodGet && q.Has("uploads"):
		return "ListMultipartUploads"
	case key == "" && r.Method == http.MethodGet:
		return ListObjects
	case key == "" && r.Method == http.MethodPost && q.Has("delete"):
		return "DeleteObjects"
	case key == "":
		return r.Method + "Bucket"
	case r.Method == http.MethodPut && q.Has("partNumber"):
		return UploadPart
	case r.Method == http.MethodPut:
		return PutObject
	case r.Method == http.MethodPost && q.Has("uploads"):
		return CreateMultipartUpload
	case r.Method == http.MethodPost && q.Has("uploadId"):
		return CompleteMultipartUpload
	case r.Method == http.MethodDelete && q.Has("uploadId"):
		return AbortMultipartUpload
	case r.Method == http.MethodDelete:
		return DeleteObject
	case r.Method == http.MethodGet && q.Has("uploadId"):
		return "ListParts"
	case r.Method == http.MethodGet:
		return GetObject
	case r.Method == http.MethodHead:
		return HeadObject
	}
	return r.Method
}

func hasChecksum(h http.Header) bool {
	for k := range h {
		if k := strings.ToLower(k); strings.HasPrefix(k, "x-amz-checksum-") || k == "x-amz-sdk-checksum-algorithm" {
			return true
		}
	}
	return strings.Contains(strings.ToLower(h.Get("X-Amz-Trailer")), "x-amz-checksum-")
}
