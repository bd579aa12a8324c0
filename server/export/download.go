package export

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"gocloud.dev/blob"
	"gocloud.dev/gcerrors"

	"github.com/segments/segments/server/auth"
)

// File is what the handler needs to know about one export, loaded by id.
type File struct {
	ID       int64
	FileName string
	// Key is the file's key in the bucket (ObjectKey(ID, FileName)), or
	// "" once the retention sweep has deleted the file.
	Key       string
	Format    Format
	Succeeded bool
	// DeleteAfter ends the file's retention; after it the link answers 410.
	// A zero time counts as already past, so Lookup must fill it in.
	DeleteAfter time.Time
	// Downloaded records a download in the audit log once the link and the
	// file have been checked, before the file streams; a download it cannot
	// record is refused. Nil records nothing.
	Downloaded func(ctx context.Context) error
}

// Lookup loads an export by id; it returns nil, nil when there is no such
// export.
type Lookup func(ctx context.Context, id int64) (*File, error)

// The plain-text answers, written so a person knows what to do next.
const (
	msgLinkInvalid = "This download link is not valid. Export again to get a new link."
	msgNotFound    = "This export does not exist or has not finished. Export again to get a new link."
	msgGone        = "This export was deleted after its retention period. Export again."
	msgUnavailable = "The export file could not be read just now. Try the link again in a minute."
)

// DownloadHandler serves export files for signed links, mounted at
// "GET /exports/{id}/{name}" (a GET pattern also answers HEAD). now is the
// clock (nil means time.Now).
//
// Answers: 403 for a missing, tampered or foreign signature or a bad id, and
// for an expired link (saying when it expired); 404 when a genuine link
// points at an export that does not exist or has not succeeded; 410 past the
// retention end or when the file is gone from storage; otherwise 200 with
// the file streamed from the bucket. The signature is checked before the
// database is asked, so unsigned requests cost nothing and reveal nothing.
func DownloadHandler(s *Signer, bucket *blob.Bucket, lookup Lookup, now func() time.Time) http.Handler {
	if now == nil {
		now = time.Now
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Every answer is private to the link holder, errors included.
		w.Header().Set("Cache-Control", "private, no-store")
		w.Header().Set("Referrer-Policy", "no-referrer")
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "Use GET to download an export.", http.StatusMethodNotAllowed)
			return
		}
		rawID, name := r.PathValue("id"), r.PathValue("name")
		id, err := strconv.ParseInt(rawID, 10, 64)
		if err != nil || id <= 0 || strconv.FormatInt(id, 10) != rawID {
			http.Error(w, msgLinkInvalid, http.StatusForbidden)
			return
		}
		q := r.URL.Query()
		t := now()
		switch err := s.Check(id, name, q.Get("expires"), q.Get("sig"), t); {
		case errors.Is(err, ErrLinkExpired):
			exp, _ := strconv.ParseInt(q.Get("expires"), 10, 64) // Check parsed it already
			http.Error(w, "This download link expired at "+time.Unix(exp, 0).UTC().Format("2006-01-02 15:04:05")+
				" UTC. Export again to get a new link.", http.StatusForbidden)
			return
		case err != nil:
			http.Error(w, msgLinkInvalid, http.StatusForbidden)
			return
		}

		ctx := r.Context()
		f, err := lookup(ctx, id)
		if err != nil {
			slog.ErrorContext(ctx, "export download: lookup", "export", id, "err", err)
			http.Error(w, msgUnavailable, http.StatusServiceUnavailable)
			return
		}
		if f == nil || !f.Succeeded || f.FileName != name {
			http.Error(w, msgNotFound, http.StatusNotFound)
			return
		}
		if t.After(f.DeleteAfter) || f.Key == "" {
			http.Error(w, msgGone, http.StatusGone)
			return
		}
		rd, err := bucket.NewReader(ctx, f.Key, nil)
		if gcerrors.Code(err) == gcerrors.NotFound {
			http.Error(w, msgGone, http.StatusGone)
			return
		}
		if err != nil {
			slog.ErrorContext(ctx, "export download: open", "export", id, "key", f.Key, "err", err)
			http.Error(w, msgUnavailable, http.StatusServiceUnavailable)
			return
		}
		defer rd.Close()
		if f.Downloaded != nil && r.Method == http.MethodGet {
			if auth.ClientAddr(ctx) == "" {
				// Download links live outside the signed-in API; without
				// an address from the auth middleware, the peer's.
				host, _, _ := net.SplitHostPort(r.RemoteAddr)
				ctx = auth.WithClientAddr(ctx, host)
			}
			if err := f.Downloaded(ctx); err != nil {
				slog.ErrorContext(ctx, "export download: audit", "export", id, "err", err)
				http.Error(w, msgUnavailable, http.StatusServiceUnavailable)
				return
			}
		}

		h := w.Header()
		h.Set("Content-Type", ContentType(f.Format))
		h.Set("Content-Disposition", contentDisposition(f.FileName))
		h.Set("Content-Length", strconv.FormatInt(rd.Size(), 10))
		h.Set("X-Content-Type-Options", "nosniff")
		w.WriteHeader(http.StatusOK)
		if r.Method == http.MethodHead {
			return
		}
		if _, err := io.Copy(w, rd); err != nil {
			// The status is sent; the short body (against Content-Length)
			// tells the client the download broke.
			slog.WarnContext(ctx, "export download: copy", "export", id, "err", err)
		}
	})
}

// contentDisposition returns an attachment disposition naming the file twice
// (RFC 6266): filename="..." is an ASCII fallback for old clients (other
// characters become '_'), filename* is the exact name, UTF-8 and
// percent-encoded (RFC 8187). mime.ParseMediaType reads back the exact name.
func contentDisposition(name string) string {
	var fallback, exact strings.Builder
	for _, r := range name {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' || r == '%' {
			fallback.WriteByte('_')
		} else {
			fallback.WriteRune(r)
		}
	}
	const hexDigits = "0123456789ABCDEF"
	for i := 0; i < len(name); i++ {
		c := name[i]
		if isAttrChar(c) {
			exact.WriteByte(c)
		} else {
			exact.WriteByte('%')
			exact.WriteByte(hexDigits[c>>4])
			exact.WriteByte(hexDigits[c&0xf])
		}
	}
	return `attachment; filename="` + fallback.String() + `"; filename*=UTF-8''` + exact.String()
}

// isAttrChar reports whether c may appear unencoded in an RFC 8187 value.
func isAttrChar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("!#$&+-.^_`|~", c) >= 0
}
