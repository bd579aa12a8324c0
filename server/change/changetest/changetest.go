// Package changetest starts a change.Listener for a test and waits until
// it listens, so a change the test makes next is sure to be seen, and
// makes changes no listener hears of, to tell a kept value from a read one.
package changetest

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"
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
	cfg := d.Pool.Config().ConnConfig.Copy()
	cfg.Tracer = nil // the listener's own statements are none of the test's (some count theirs)
	l := change.Listen(cfg, slog.New(slog.DiscardHandler))
	t.Cleanup(l.Close)
	require.Eventually(t, l.Live, 10*time.Second, 5*time.Millisecond, "the listener connects")
	return l
}

// Unnoticed runs sql in a transaction with the change triggers of tables
// off, so no listener hears of it: what a cache answers afterwards is what
// it kept, not what it read.
func Unnoticed(t testing.TB, d *db.DB, sql string, tables ...string) {
	t.Helper()
	ctx := context.Background()
	tx, err := d.BeginTx(ctx, nil)
	require.NoError(t, err)
	defer tx.Rollback() //nolint:errcheck // committed below
	stmts := []string{}
	for _, table := range tables {
		stmts = append(stmts, `ALTER TABLE `+table+` DISABLE TRIGGER `+table+`_change`)
	}
	stmts = append(stmts, sql)
	for _, table := range tables {
		stmts = append(stmts, `ALTER TABLE `+table+` ENABLE TRIGGER `+table+`_change`)
	}
	for _, s := range stmts {
		_, err = db.Exec(ctx, tx, s)
		require.NoError(t, err)
	}
	require.NoError(t, tx.Commit())
}

var settles atomic.Int64

// Settle waits until l has handed its subscribers every notification
// committed before the call (notifications arrive in commit order), so a
// late one cannot empty a cache the test relies on afterwards.
func Settle(t testing.TB, d *db.DB, l *change.Listener) {
	t.Helper()
	topic := change.Topic(fmt.Sprintf("changetest_settle_%d", settles.Add(1)))
	var seen atomic.Bool
	l.Subscribe(topic, func() { seen.Store(true) })
	require.NoError(t, change.Notify(context.Background(), d, topic))
	require.Eventually(t, seen.Load, 10*time.Second, time.Millisecond, "notifications settle")
}
