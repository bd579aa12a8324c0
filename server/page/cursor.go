package page

import (
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"

	"golang.org/x/crypto/chacha20poly1305"

	"github.com/segments/segments/server/apperr"
)

// MinKeyLen is the shortest installation key NewCodec accepts, in bytes.
const MinKeyLen = 32

// cursorVersion is the first byte of every sealed cursor, so a later format
// can tell its own cursors from these.
const cursorVersion byte = 1

// maxCursorLen bounds the cursor text Open looks at; real cursors are a
// small fraction of it.
const maxCursorLen = 4096

// keyInfo is the HKDF purpose label: the cursor key is independent of every
// other key derived from (or made with) the installation's signing key.
const keyInfo = "segments page cursor v1"

// invalidCursor is the one answer to every cursor that does not open: an
// edited, truncated or foreign cursor, one from another query or another
// installation, or no cursor at all. Which of these it was is nobody's
// business but the server's.
func invalidCursor() error {
	return apperr.Invalid("cursor is not valid for this query: start again without after/before")
}

// Codec seals cursors: a cursor is the row's sort-key values, encrypted and
// authenticated with XChaCha20-Poly1305 under a key derived from the
// installation's signing key, bound to the query it came from (its binding
// is the additional data). A client can neither read a cursor (a page sorted
// by email hands out no email) nor edit one, nor use it with another query
// or on another installation. Every instance sharing a signing key shares
// the codec, so a cursor works on any of them. After a key rotation the
// previous key (SIGNING_KEY_PREVIOUS) still opens the cursors it sealed;
// new ones are sealed with the current key.
type Codec struct {
	aead cipher.AEAD
	// previous open cursors, never seal them.
	previous []cipher.AEAD
}

// NewCodec returns the codec for an installation whose signing key is key
// (export.SigningKey: SIGNING_KEY, or the key kept in the settings table),
// opening also the cursors sealed under the previous keys.
func NewCodec(key []byte, previous ...[]byte) (*Codec, error) {
	c := &Codec{}
	for i, k := range append([][]byte{key}, previous...) {
		aead, err := cursorAEAD(k)
		if err != nil {
			return nil, err
		}
		if i == 0 {
			c.aead = aead
		} else {
			c.previous = append(c.previous, aead)
		}
	}
	return c, nil
}

// cursorAEAD is the cipher of cursors under signing key key.
func cursorAEAD(key []byte) (cipher.AEAD, error) {
	if len(key) < MinKeyLen {
		return nil, fmt.Errorf("page cursors: the signing key is %d bytes, want at least %d", len(key), MinKeyLen)
	}
	k, err := hkdf.Key(sha256.New, key, nil, keyInfo, chacha20poly1305.KeySize)
	if err != nil {
		return nil, fmt.Errorf("page cursors: derive the key: %w", err)
	}
	aead, err := chacha20poly1305.NewX(k)
	if err != nil {
		return nil, fmt.Errorf("page cursors: %w", err)
	}
	return aead, nil
}

// installed is the codec Parse uses; see Use.
var installed atomic.Pointer[Codec]

// fallback is a codec with a key made up for this process, for a process
// that never called Use (tests, commands that page nothing): its cursors
// work until the process ends.
var fallback = sync.OnceValue(func() *Codec {
	c, err := NewCodec([]byte(rand.Text() + rand.Text()))
	if err != nil {
		panic(err) // a 52-character key always makes a codec
	}
	return c
})

// Use makes c the codec of every Parse from now on. `segments serve` calls
// it once at startup with the installation's codec, before it serves a
// request; until then (and in tests) cursors are sealed with a key made up
// for the process, so no cursor is ever readable.
func Use(c *Codec) {
	installed.Store(c)
}

// current is the codec in use.
func current() *Codec {
	if c := installed.Load(); c != nil {
		return c
	}
	return fallback()
}

// Seal returns the cursor of values for the query with the given binding:
// URL-safe base64 (no padding) of the version byte, a random 24-byte nonce
// and the sealed JSON list of values.
func (c *Codec) Seal(binding string, values []*string) string {
	plain, err := json.Marshal(values)
	if err != nil {
		panic(fmt.Sprintf("page cursor: %v", err)) // strings always marshal
	}
	out := make([]byte, 1+chacha20poly1305.NonceSizeX, 1+chacha20poly1305.NonceSizeX+len(plain)+chacha20poly1305.Overhead)
	out[0] = cursorVersion
	nonce := out[1:]
	rand.Read(nonce) // never fails (crypto/rand)
	out = c.aead.Seal(out, nonce, plain, additional(binding))
	return base64.RawURLEncoding.EncodeToString(out)
}

// Open returns the values of a cursor Seal made for the same binding with
// the same key; anything else is BAD_USER_INPUT "cursor is not valid for
// this query".
func (c *Codec) Open(binding, raw string) ([]*string, error) {
	if len(raw) > maxCursorLen {
		return nil, invalidCursor()
	}
	// Strict: the unused bits of the last character must be zero, so every
	// edit of the text changes the bytes, and fails.
	b, err := base64.RawURLEncoding.Strict().DecodeString(raw)
	if err != nil || len(b) < 1+chacha20poly1305.NonceSizeX+chacha20poly1305.Overhead || b[0] != cursorVersion {
		return nil, invalidCursor()
	}
	nonce, sealed := b[1:1+chacha20poly1305.NonceSizeX], b[1+chacha20poly1305.NonceSizeX:]
	plain, err := c.aead.Open(nil, nonce, sealed, additional(binding))
	for _, prev := range c.previous {
		if err == nil {
			break
		}
		plain, err = prev.Open(nil, nonce, sealed, additional(binding))
	}
	if err != nil {
		return nil, invalidCursor()
	}
	var values []*string
	if err := json.Unmarshal(plain, &values); err != nil || len(values) == 0 {
		// Sealed by us, so this cannot happen; still, never trust it.
		return nil, invalidCursor()
	}
	return values, nil
}

// additional is the AEAD's additional data: the version and the binding.
func additional(binding string) []byte {
	return append([]byte{cursorVersion}, binding...)
}
