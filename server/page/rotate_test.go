package page

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestRotatedKeyKeepsOldCursors: after SIGNING_KEY is rotated, with the
// old key as SIGNING_KEY_PREVIOUS, cursors sealed under the old key still
// open (a client paging through a list during the rotation carries on);
// new cursors are sealed under the new key only.
func TestRotatedKeyKeepsOldCursors(t *testing.T) {
	t.Parallel()
	oldKey, newKey := []byte(strings.Repeat("o", 32)), []byte(strings.Repeat("n", 40))
	before, err := NewCodec(oldKey)
	require.NoError(t, err)
	after, err := NewCodec(newKey, oldKey)
	require.NoError(t, err)
	onlyNew, err := NewCodec(newKey)
	require.NoError(t, err)
	v := "ada@example.com"
	values := []*string{&v}
	binding := Binding("customers", 3)

	old := before.Seal(binding, values)
	got, err := after.Open(binding, old)
	require.NoError(t, err, "an old cursor opens after the rotation")
	require.Equal(t, v, *got[0])
	_, err = onlyNew.Open(binding, old)
	requireInvalid(t, err, "not once the previous key is dropped")
	_, err = after.Open(Binding("customers", 4), old)
	requireInvalid(t, err, "still bound to its query")

	fresh := after.Seal(binding, values)
	_, err = onlyNew.Open(binding, fresh)
	require.NoError(t, err, "new cursors are sealed with the new key")
	_, err = before.Open(binding, fresh)
	requireInvalid(t, err)

	_, err = NewCodec(newKey, []byte("short"))
	require.Error(t, err)
}
