// Package changetest starts a change.Listener for a test and waits until
// it listens, so a change the test makes next is sure to be seen.
package changetest

import (
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/change"
	"github.com/segments/segments/server/db"
)

// Listen starts a listener on d's database, waits until it is live and
// closes it when t ends.
func Listen(t testing.TB, d *db.DB) *change.Listener {
	t.Helper()
	l := change.Listen(d.Pool.Config().ConnConfig, slog.New(slog.DiscardHandler))
	t.Cleanup(l.Close)
	require.Eventually(t, l.Live, 10*time.Second, 5*time.Millisecond, "the listener connects")
	return l
}
