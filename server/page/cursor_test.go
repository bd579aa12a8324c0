package page

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/apperr"
)

func codec(t testing.TB, key string) *Codec {
	t.Helper()
	c, err := NewCodec([]byte(key))
	require.NoError(t, err)
	return c
}

const testKey = "0123456789abcdef0123456789abcdef-test"

// requireInvalid checks that err is the one answer to a bad cursor.
func requireInvalid(t testing.TB, err error, msgAndArgs ...any) {
	t.Helper()
	e, ok := apperr.As(err)
	require.True(t, ok, msgAndArgs...)
	require.Equal(t, apperr.BadInput, e.Kind, msgAndArgs...)
	require.Equal(t, "cursor is not valid for this query: start again without after/before", e.Message, msgAndArgs...)
}

func TestCursorHidesItsValues(t *testing.T) {
	t.Parallel()
	c := codec(t, testKey)
	b := Binding("customers", "EMAIL")
	email := "anna.karlsson@example.se"
	for range 20 { // a fresh nonce each time: each cursor differs
		cur := c.Seal(b, []*string{ptr(email), ptr("4711")})
		require.Less(t, len(cur), 150, "cursors stay short")
		for _, enc := range []string{
			email, "anna", "karlsson", "4711",
			hex.EncodeToString([]byte(email)), strings.ToUpper(hex.EncodeToString([]byte(email))),
		} {
			require.NotContains(t, strings.ToLower(cur), strings.ToLower(enc))
		}
		// Nor any base64 of it, at any alignment in the text…
		for pad := range 3 {
			prefixed := base64.RawURLEncoding.EncodeToString([]byte(strings.Repeat("x", pad) + email))
			inner := prefixed[(pad*4+2)/3+1:] // the characters that depend on the email alone
			require.NotContains(t, cur, inner[:len(inner)-2], "alignment %d", pad)
		}
		// …and read as base64 from every offset, the bytes hold no piece of it.
		for off := range 4 {
			s := cur[off:]
			raw, _ := base64.RawURLEncoding.DecodeString(s[:len(s)/4*4])
			for _, part := range []string{email, "anna", "example", "4711"} {
				require.False(t, bytes.Contains(raw, []byte(part)), "offset %d", off)
			}
		}
		got, err := c.Open(b, cur)
		require.NoError(t, err)
		require.Equal(t, []*string{ptr(email), ptr("4711")}, got)
	}
}

func TestEditedCursorIsBadInput(t *testing.T) {
	t.Parallel()
	c := codec(t, testKey)
	b := Binding("segments", "NAME")
	cur := c.Seal(b, []*string{nil, ptr("Åsa"), ptr("42")})
	raw, err := base64.RawURLEncoding.DecodeString(cur)
	require.NoError(t, err)

	// Every bit of every byte.
	for i := range raw {
		for bit := range 8 {
			edited := bytes.Clone(raw)
			edited[i] ^= 1 << bit
			_, err := c.Open(b, base64.RawURLEncoding.EncodeToString(edited))
			requireInvalid(t, err, "byte %d bit %d", i, bit)
		}
	}
	// Every character of the text, to every other character.
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/=."
	for i := range cur {
		for _, ch := range alphabet {
			if byte(ch) == cur[i] {
				continue
			}
			_, err := c.Open(b, cur[:i]+string(ch)+cur[i+1:])
			requireInvalid(t, err, "char %d to %c", i, ch)
		}
	}
	// Every truncation, and additions.
	for n := range len(cur) {
		_, err := c.Open(b, cur[:n])
		requireInvalid(t, err, "first %d characters", n)
	}
	for _, extra := range []string{"A", "AA", "AAAA", "=", " ", "\x00"} {
		_, err := c.Open(b, cur+extra)
		requireInvalid(t, err, "with %q added", extra)
	}
	// Through Parse, in both directions.
	_, err = c.Parse(Args{After: ptr(cur[:len(cur)-1] + "x")}, b)
	requireInvalid(t, err)
	_, err = c.Parse(Args{Before: ptr("x" + cur[1:])}, b)
	requireInvalid(t, err)
}

func TestForeignCursorIsBadInput(t *testing.T) {
	t.Parallel()
	c := codec(t, testKey)
	b := Binding("customers", []int64{1, 2}, "UNION", "EMAIL")
	vals := []*string{ptr("a@example.com"), ptr("7")}

	// Another query.
	other := c.Seal(Binding("customers", []int64{1, 2}, "INTERSECTION", "EMAIL"), vals)
	_, err := c.Parse(Args{After: &other}, b)
	requireInvalid(t, err)

	// Another installation.
	elsewhere := codec(t, strings.Repeat("k", MinKeyLen)).Seal(b, vals)
	_, err = c.Parse(Args{After: &elsewhere}, b)
	requireInvalid(t, err)

	// The readable cursors of earlier versions.
	plain, _ := json.Marshal(map[string]any{"b": b, "v": vals})
	old := base64.RawURLEncoding.EncodeToString(plain)
	_, err = c.Parse(Args{After: &old}, b)
	requireInvalid(t, err)

	// Huge input is refused before it is decoded.
	huge := strings.Repeat("A", 1<<20)
	_, err = c.Parse(Args{After: &huge}, b)
	requireInvalid(t, err)

	// The same installation key on another instance opens it.
	mine := c.Seal(b, vals)
	got, err := codec(t, testKey).Parse(Args{After: &mine}, b)
	require.NoError(t, err)
	require.Equal(t, vals, got.From)
}

func TestCodecNeedsAKey(t *testing.T) {
	t.Parallel()
	_, err := NewCodec([]byte("short"))
	require.Error(t, err)
}

func TestCursorsFollowTheCodecInUse(t *testing.T) {
	t.Parallel()
	// Without Use, a process key seals cursors: they still round-trip.
	b := Binding("q")
	r, err := Parse(Args{}, b)
	require.NoError(t, err)
	cur := r.Cursor([]*string{ptr("1")})
	r, err = Parse(Args{After: &cur}, b)
	require.NoError(t, err)
	require.Equal(t, []*string{ptr("1")}, r.From)
	// A codec's requests seal with that codec.
	c := codec(t, testKey)
	r, err = c.Parse(Args{}, b)
	require.NoError(t, err)
	mine := r.Cursor([]*string{ptr("2")})
	_, err = Parse(Args{After: &mine}, b)
	requireInvalid(t, err, "sealed with another key than the process's")
	_, err = c.Open(b, mine)
	require.NoError(t, err)
}

// FuzzOpenCursor: whatever a client sends as a cursor, Parse answers a
// request or BAD_USER_INPUT, never a panic or another error; and nothing
// but a sealed cursor opens. `go test` runs the seeds; explore with
// `go test -fuzz FuzzOpenCursor ./server/page/`.
func FuzzOpenCursor(f *testing.F) {
	c := codec(f, testKey)
	b := Binding("customers", "EMAIL")
	valid := c.Seal(b, []*string{ptr("a@example.com"), ptr("1")})
	withNull := c.Seal(b, []*string{nil, ptr("")})
	for _, seed := range []string{
		valid, valid[:len(valid)-1], valid + "A", "", "x", "AAAA", "not a cursor", "\x00\xff",
		withNull, c.Seal(Binding("other"), []*string{ptr("1")}),
		base64.RawURLEncoding.EncodeToString([]byte(`{"b":"x","v":["1"]}`)),
		base64.RawURLEncoding.EncodeToString(append([]byte{cursorVersion}, make([]byte, 64)...)),
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		r, err := c.Parse(Args{After: &raw}, b)
		if err != nil {
			requireInvalid(t, err)
			return
		}
		require.NotEmpty(t, r.From)
		// Only what the codec sealed opens: the fuzzer cannot forge values.
		// (Each fuzzing process seals its own seeds, so compare values.)
		require.Contains(t, [][]*string{{ptr("a@example.com"), ptr("1")}, {nil, ptr("")}}, r.From, "%q opened", raw)
	})
}
