package export_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/export"
)

// check verifies a link URL made by a Signer, as the download handler does.
func check(t *testing.T, s *export.Signer, link string, now time.Time) error {
	t.Helper()
	u, err := url.Parse(link)
	require.NoError(t, err)
	parts := strings.Split(strings.TrimPrefix(u.Path, "/exports/"), "/")
	id, err := strconv.ParseInt(parts[0], 10, 64)
	require.NoError(t, err)
	return s.Check(id, parts[1], u.Query().Get("expires"), u.Query().Get("sig"), now)
}

// TestRotatedKeyKeepsOldLinks: after SIGNING_KEY is rotated, with the old
// key as SIGNING_KEY_PREVIOUS, links signed with the old key work until
// they expire; new links are signed with the new key only.
func TestRotatedKeyKeepsOldLinks(t *testing.T) {
	t.Parallel()
	oldKey, newKey := []byte(strings.Repeat("o", 32)), []byte(strings.Repeat("n", 40))
	now := time.Now()
	before := export.NewSigner(oldKey)
	after := export.NewSigner(newKey, oldKey)
	onlyNew := export.NewSigner(newKey)

	oldLink := before.URL("https://s.example.com", 42, "segment-3.csv", now.Add(time.Hour))
	require.NoError(t, check(t, after, oldLink, now), "an old link works after the rotation")
	require.ErrorIs(t, check(t, after, oldLink, now.Add(time.Hour)), export.ErrLinkExpired, "for its lifetime only")
	require.ErrorIs(t, check(t, onlyNew, oldLink, now), export.ErrLinkInvalid, "once the previous key is dropped")

	newLink := after.URL("https://s.example.com", 42, "segment-3.csv", now.Add(time.Hour))
	require.NoError(t, check(t, after, newLink, now))
	require.NoError(t, check(t, onlyNew, newLink, now), "new links are signed with the new key")
	require.ErrorIs(t, check(t, before, newLink, now), export.ErrLinkInvalid)

	// The previous key checks only what it signed: an edited old link fails.
	edited := strings.Replace(oldLink, "/42/", "/43/", 1)
	require.ErrorIs(t, check(t, after, edited, now), export.ErrLinkInvalid)
	require.NoError(t, check(t, after, before.URL("https://s.example.com", 42, "other.csv", now.Add(time.Hour)), now))

	require.Panics(t, func() { export.NewSigner(newKey, []byte("short")) })
}
