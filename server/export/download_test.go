package export

import (
	"bytes"
	"context"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gocloud.dev/blob"
)

type downloadFixture struct {
	signer *Signer
	bucket *blob.Bucket
	files  map[int64]*File
	now    time.Time
	server *httptest.Server
}

func newDownloadFixture(t *testing.T) *downloadFixture {
	t.Helper()
	b, err := OpenBucket(context.Background(), "", t.TempDir())
	require.NoError(t, err)
	t.Cleanup(func() { _ = b.Close() })
	f := &downloadFixture{
		signer: NewSigner(testKey),
		bucket: b,
		files:  map[int64]*File{},
		now:    time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC),
	}
	lookup := func(_ context.Context, id int64) (*File, error) {
		if id == 99 {
			return nil, errors.New("database is down")
		}
		return f.files[id], nil
	}
	mux := http.NewServeMux()
	mux.Handle("GET /exports/{id}/{name}", DownloadHandler(f.signer, b, lookup, func() time.Time { return f.now }))
	f.server = httptest.NewServer(mux)
	t.Cleanup(f.server.Close)
	return f
}

// add stores an export's file and returns it.
func (f *downloadFixture) add(t *testing.T, id int64, name string, format Format, content []byte) *File {
	t.Helper()
	file := &File{ID: id, FileName: name, Key: ObjectKey(id, name), Format: format, Succeeded: true,
		DeleteAfter: f.now.Add(24 * time.Hour)}
	require.NoError(t, f.bucket.WriteAll(context.Background(), file.Key, content, nil))
	f.files[id] = file
	return file
}

// link returns a link valid for an hour from the fixture's now.
func (f *downloadFixture) link(id int64, name string) string {
	return f.signer.URL(f.server.URL, id, name, f.now.Add(time.Hour))
}

func (f *downloadFixture) do(t *testing.T, method, link string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, link, nil)
	require.NoError(t, err)
	resp, err := f.server.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, string(body)
}

func TestDownloadValidLink(t *testing.T) {
	f := newDownloadFixture(t)
	content := bytes.Repeat([]byte("\ufeffID,Name\r\n1,Åsa Öberg\r\n"), 50_000) // ~1.3 MB
	name := "customer-segments-3-union-20261129-1200 åäö.csv"
	f.add(t, 1, name, FormatCSV, content)

	resp, body := f.do(t, http.MethodGet, f.link(1, name))
	require.Equal(t, http.StatusOK, resp.StatusCode, body)
	require.True(t, body == string(content), "exact bytes")
	require.Equal(t, "text/csv; charset=utf-8", resp.Header.Get("Content-Type"))
	require.Equal(t, strconv.Itoa(len(content)), resp.Header.Get("Content-Length"))
	require.Equal(t, "private, no-store", resp.Header.Get("Cache-Control"))
	cd := resp.Header.Get("Content-Disposition")
	require.Equal(t, `attachment; filename="customer-segments-3-union-20261129-1200 ___.csv"; `+
		`filename*=UTF-8''customer-segments-3-union-20261129-1200%20%C3%A5%C3%A4%C3%B6.csv`, cd)
	disp, params, err := mime.ParseMediaType(cd)
	require.NoError(t, err)
	require.Equal(t, "attachment", disp)
	require.Equal(t, name, params["filename"])

	// HEAD: the same headers, no body.
	resp, body = f.do(t, http.MethodHead, f.link(1, name))
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Empty(t, body)
	require.Equal(t, strconv.Itoa(len(content)), resp.Header.Get("Content-Length"))
	require.Equal(t, cd, resp.Header.Get("Content-Disposition"))

	// Excel XML gets its own type.
	f.add(t, 2, "x.xml", FormatExcelXML, []byte("<x/>"))
	resp, body = f.do(t, http.MethodGet, f.link(2, "x.xml"))
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "<x/>", body)
	require.Equal(t, "application/xml", resp.Header.Get("Content-Type"))
	require.Equal(t, `attachment; filename="x.xml"; filename*=UTF-8''x.xml`, resp.Header.Get("Content-Disposition"))
}

func TestDownloadRefusals(t *testing.T) {
	f := newDownloadFixture(t)
	f.add(t, 1, "one.csv", FormatCSV, []byte("1"))
	f.add(t, 2, "two.csv", FormatCSV, []byte("2"))
	const invalid = "This download link is not valid. Export again to get a new link.\n"
	const gone = "This export was deleted after its retention period. Export again.\n"

	withQuery := func(link string, edit func(q url.Values)) string {
		u, err := url.Parse(link)
		require.NoError(t, err)
		q := u.Query()
		edit(q)
		u.RawQuery = q.Encode()
		return u.String()
	}
	good := f.link(1, "one.csv")
	query := good[strings.IndexByte(good, '?'):]

	cases := []struct {
		name   string
		link   string
		status int
		body   string
	}{
		{"tampered sig", withQuery(good, func(q url.Values) { q.Set("sig", strings.Repeat("0", 64)) }), 403, invalid},
		{"missing sig", withQuery(good, func(q url.Values) { q.Del("sig") }), 403, invalid},
		{"missing expires", withQuery(good, func(q url.Values) { q.Del("expires") }), 403, invalid},
		{"extended expiry", withQuery(good, func(q url.Values) {
			q.Set("expires", strconv.FormatInt(f.now.Add(48*time.Hour).Unix(), 10))
		}), 403, invalid},
		{"export 1's link on export 2", f.server.URL + "/exports/2/one.csv" + query, 403, invalid},
		{"export 1's query on export 2's file", f.server.URL + "/exports/2/two.csv" + query, 403, invalid},
		{"altered file name", f.server.URL + "/exports/1/one.xml" + query, 403, invalid},
		{"bad id", f.server.URL + "/exports/one/one.csv" + query, 403, invalid},
		{"id with leading zero", f.server.URL + "/exports/01/one.csv" + query, 403, invalid},
		{"no query at all", f.server.URL + "/exports/1/one.csv", 403, invalid},
		{"expired", f.signer.URL(f.server.URL, 1, "one.csv", f.now.Add(-time.Minute)), 403,
			"This download link expired at 2026-11-29 11:59:00 UTC. Export again to get a new link.\n"},
		{"expired at this second", f.signer.URL(f.server.URL, 1, "one.csv", f.now), 403,
			"This download link expired at 2026-11-29 12:00:00 UTC. Export again to get a new link.\n"},
		{"no such export", f.link(3, "three.csv"), 404, ""},
		{"lookup fails", f.link(99, "x.csv"), 503, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp, body := f.do(t, http.MethodGet, c.link)
			require.Equal(t, c.status, resp.StatusCode, body)
			require.True(t, strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain"))
			require.Equal(t, "private, no-store", resp.Header.Get("Cache-Control"))
			require.Empty(t, resp.Header.Get("Content-Disposition"))
			if c.body != "" {
				require.Equal(t, c.body, body)
			} else {
				require.NotEmpty(t, strings.TrimSpace(body))
			}
		})
	}

	t.Run("not succeeded", func(t *testing.T) {
		f.add(t, 4, "four.csv", FormatCSV, []byte("4"))
		f.files[4].Succeeded = false
		resp, body := f.do(t, http.MethodGet, f.link(4, "four.csv"))
		require.Equal(t, http.StatusNotFound, resp.StatusCode, body)
		require.Equal(t, "This export does not exist or has not finished. Export again to get a new link.\n", body)
	})

	t.Run("past retention", func(t *testing.T) {
		f.add(t, 5, "five.csv", FormatCSV, []byte("5"))
		f.files[5].DeleteAfter = f.now.Add(-time.Second) // the link is still valid
		resp, body := f.do(t, http.MethodGet, f.link(5, "five.csv"))
		require.Equal(t, http.StatusGone, resp.StatusCode, body)
		require.Equal(t, gone, body)
	})

	t.Run("blob deleted", func(t *testing.T) {
		file := f.add(t, 6, "six.csv", FormatCSV, []byte("6"))
		require.NoError(t, f.bucket.Delete(context.Background(), file.Key))
		for _, method := range []string{http.MethodGet, http.MethodHead} {
			resp, body := f.do(t, method, f.link(6, "six.csv"))
			require.Equal(t, http.StatusGone, resp.StatusCode, body)
			if method == http.MethodGet {
				require.Equal(t, gone, body)
			}
		}
	})

	t.Run("method", func(t *testing.T) {
		h := DownloadHandler(f.signer, f.bucket, nil, nil)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/exports/1/one.csv", nil))
		require.Equal(t, http.StatusMethodNotAllowed, rec.Code)
		require.Equal(t, "GET, HEAD", rec.Header().Get("Allow"))
	})
}
