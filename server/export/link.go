package export

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/segments/segments/server/db"
)

// MinKeyLen is the shortest signing key accepted, in bytes (characters for
// SIGNING_KEY).
const MinKeyLen = 32

// Errors from Signer.Check.
var (
	// ErrLinkInvalid means the link was not made by us for this export and
	// file: a tampered or missing signature, a malformed expiry, or another
	// export's id or file name.
	ErrLinkInvalid = errors.New("export: download link is not valid")
	// ErrLinkExpired means the link is genuine but its expiry has passed.
	ErrLinkExpired = errors.New("export: download link expired")
)

// Signer makes and checks download links: HMAC-SHA256 over the export id,
// file name and expiry. A link works without other credentials until it
// expires, so the key must stay secret and identical on every instance (see
// SigningKey). After a key rotation the previous key (SIGNING_KEY_PREVIOUS)
// still checks the links it signed, until they expire; new links are
// signed with the current key only.
type Signer struct {
	key []byte
	// previous are older keys that still check links, never sign them.
	previous [][]byte
}

// NewSigner returns a Signer signing with key and checking with key and
// previous, all of which it copies. It panics if a key is shorter than
// MinKeyLen bytes: keys come from SigningKey and the settings check, so a
// short key here is a programming error.
func NewSigner(key []byte, previous ...[]byte) *Signer {
	s := &Signer{}
	for i, k := range append([][]byte{key}, previous...) {
		if len(k) < MinKeyLen {
			panic(fmt.Sprintf("export.NewSigner: key is %d bytes, want at least %d", len(k), MinKeyLen))
		}
		if i == 0 {
			s.key = append([]byte(nil), k...)
		} else {
			s.previous = append(s.previous, append([]byte(nil), k...))
		}
	}
	return s
}

// LinkPath returns the path part of a download link, "/exports/{id}/{name}",
// with the name escaped as one path segment. It is what the route
// "GET /exports/{id}/{name}" matches.
func LinkPath(id int64, fileName string) string {
	return "/exports/" + strconv.FormatInt(id, 10) + "/" + url.PathEscape(fileName)
}

// URL returns publicURL + "/exports/{id}/{url-escaped fileName}?expires={unix
// seconds}&sig={hex}". A trailing slash on publicURL is ignored. The expiry is
// truncated to whole seconds.
func (s *Signer) URL(publicURL string, id int64, fileName string, expires time.Time) string {
	exp := strconv.FormatInt(expires.Unix(), 10)
	q := url.Values{"expires": {exp}, "sig": {hex.EncodeToString(mac(s.key, id, fileName, exp))}}
	return strings.TrimRight(publicURL, "/") + LinkPath(id, fileName) + "?" + q.Encode()
}

// Check verifies a request's id, file name (unescaped), expires and sig query
// values. It returns nil for a genuine, unexpired link; ErrLinkInvalid for a
// tampered, malformed or missing signature or expiry, or a link made for
// another export or file name; ErrLinkExpired for a genuine link at or after
// its expiry. The signature is checked first, so an expiry someone edited is
// reported as invalid, never as expired.
func (s *Signer) Check(id int64, fileName, expires, sig string, now time.Time) error {
	exp, err := strconv.ParseInt(expires, 10, 64)
	// Only the canonical form is signed: "+5" or "05" are not ours.
	if err != nil || strconv.FormatInt(exp, 10) != expires {
		return ErrLinkInvalid
	}
	got, err := hex.DecodeString(sig)
	if err != nil || len(got) != sha256.Size {
		return ErrLinkInvalid
	}
	if !hmac.Equal(got, mac(s.key, id, fileName, expires)) && !slices.ContainsFunc(s.previous, func(k []byte) bool {
		return hmac.Equal(got, mac(k, id, fileName, expires))
	}) {
		return ErrLinkInvalid
	}
	if now.Unix() >= exp {
		return ErrLinkExpired
	}
	return nil
}

// mac signs, with key, a purpose label, the id and the expiry (digits only, so no
// separator can be forged) and then the file name, which comes last so any
// bytes in it are unambiguous.
func mac(key []byte, id int64, fileName, expires string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("segments export link v1\n"))
	m.Write([]byte(strconv.FormatInt(id, 10)))
	m.Write([]byte("\n"))
	m.Write([]byte(expires))
	m.Write([]byte("\n"))
	m.Write([]byte(fileName))
	return m.Sum(nil)
}

// settingSigningKey is the settings row that keeps the generated key.
const settingSigningKey = "signing_key"

// SigningKey returns the key download links are signed with. A non-empty
// configured value (SIGNING_KEY) is used as is and must be at least
// MinKeyLen characters. Otherwise the key kept in the settings table (name
// 'signing_key') is used, generated once (32 random bytes, hex) by whichever
// instance gets there first; INSERT ... ON CONFLICT DO NOTHING followed by a
// re-read makes every instance and restart agree on it.
func SigningKey(ctx context.Context, d *db.DB, configured string) ([]byte, error) {
	if configured != "" {
		if len(configured) < MinKeyLen {
			return nil, fmt.Errorf("SIGNING_KEY is %d characters long; it must be at least %d (for example the output of `openssl rand -hex 32`), or unset to use a key generated and kept in the database", len(configured), MinKeyLen)
		}
		return []byte(configured), nil
	}
	key, err := storedKey(ctx, d)
	if err != nil {
		return nil, err
	}
	if key == nil {
		raw := make([]byte, 32)
		if _, err := rand.Read(raw); err != nil {
			return nil, fmt.Errorf("generate signing key: %w", err)
		}
		if _, err := d.NewInsert().Model(&setting{Name: settingSigningKey, Value: hex.EncodeToString(raw)}).
			On("CONFLICT (name) DO NOTHING").Exec(ctx); err != nil {
			return nil, fmt.Errorf("save signing key: %w", err)
		}
		// Another instance may have won the race: use whatever is stored.
		if key, err = storedKey(ctx, d); err != nil {
			return nil, err
		}
		if key == nil {
			return nil, errors.New("signing key: settings row 'signing_key' vanished after it was saved")
		}
	}
	if len(key) < MinKeyLen {
		return nil, fmt.Errorf("signing key in settings (name 'signing_key') is %d characters; it must be at least %d (delete the row to generate a new one)", len(key), MinKeyLen)
	}
	return key, nil
}

// setting is a row of settings: installation settings generated once and
// shared by every instance.
type setting struct {
	bun.BaseModel `bun:"table:settings"`

	Name  string `bun:"name,pk"`
	Value string `bun:"value,notnull"`
}

// storedKey reads the kept key, nil if there is none yet.
func storedKey(ctx context.Context, d *db.DB) ([]byte, error) {
	s := &setting{Name: settingSigningKey}
	err := d.NewSelect().Model(s).WherePK().Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read signing key: %w", err)
	}
	return []byte(s.Value), nil
}
