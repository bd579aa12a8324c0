package change_test

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/change"
	"github.com/segments/segments/server/change/changetest"
	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/db/dbtest"
)

// calls records which topics' subscribers were called, in order.
type calls struct {
	mu  sync.Mutex
	got []change.Topic
}

func (c *calls) on(l *change.Listener, topics ...change.Topic) {
	for _, t := range topics {
		l.Subscribe(t, func() {
			c.mu.Lock()
			defer c.mu.Unlock()
			c.got = append(c.got, t)
		})
	}
}

func (c *calls) take() []change.Topic {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.got
	c.got = nil
	return out
}

// until waits for topic's next call and returns the calls up to it.
func (c *calls) until(t *testing.T, topic change.Topic) []change.Topic {
	t.Helper()
	var seen []change.Topic
	require.Eventually(t, func() bool {
		seen = append(seen, c.take()...)
		for _, s := range seen {
			if s == topic {
				return true
			}
		}
		return false
	}, 10*time.Second, 5*time.Millisecond, "a call for %s", topic)
	return seen
}

const marker change.Topic = "test_marker"

func TestTableChangesReachTheirSubscribers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := dbtest.New(t)
	l := changetest.Listen(t, d)
	var c calls
	c.on(l, change.Websites, change.CustomerGroups, change.APITokens, marker)

	exec := func(sql string) {
		t.Helper()
		_, err := db.Exec(ctx, d, sql)
		require.NoError(t, err)
	}
	exec(`INSERT INTO websites (code, name) VALUES ('se', 'Sweden')`)
	require.Equal(t, []change.Topic{change.Websites}, c.until(t, change.Websites))
	exec(`UPDATE customer_groups SET name = name WHERE false`) // a statement that changes no row still says so
	require.Equal(t, []change.Topic{change.CustomerGroups}, c.until(t, change.CustomerGroups))
	exec(`INSERT INTO api_tokens (name, secret_sha256, role, created_by) VALUES ('t', sha256('x'), 'viewer', 'cli')`)
	require.Equal(t, []change.Topic{change.APITokens}, c.until(t, change.APITokens))
	exec(`INSERT INTO api_token_websites (token_id, website_id) SELECT t.id, w.id FROM api_tokens t, websites w`)
	require.Equal(t, []change.Topic{change.APITokens}, c.until(t, change.APITokens))

	// The throttled last-use write is no change to a principal: notifications
	// arrive in commit order, so the marker sent after it comes alone.
	exec(`UPDATE api_tokens SET last_used_at = now()`)
	require.NoError(t, change.Notify(ctx, d, marker))
	require.Equal(t, []change.Topic{marker}, c.until(t, marker))

	// One transaction, many statements: one notification per topic, at commit.
	tx, err := d.BeginTx(ctx, nil)
	require.NoError(t, err)
	for range 3 {
		_, err = db.Exec(ctx, tx, `UPDATE websites SET name = name || '!'`)
		require.NoError(t, err)
	}
	require.NoError(t, change.Notify(ctx, tx, marker))
	require.NoError(t, tx.Commit())
	require.Equal(t, []change.Topic{change.Websites, marker}, c.until(t, marker))
}

func TestADroppedConnectionIsRemadeAndCallsEverySubscriber(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := dbtest.New(t)
	l := changetest.Listen(t, d)
	var c calls
	c.on(l, change.Websites, change.APITokens)

	pid := l.PID()
	require.NotZero(t, pid)
	var ended bool
	require.NoError(t, db.Get(ctx, d, `SELECT pg_terminate_backend($1)`, []any{pid}, &ended))
	require.True(t, ended)

	// Everything is dropped (notifications may have been missed), and
	// again once listening anew.
	require.Eventually(t, func() bool { return l.PID() != 0 && l.PID() != pid && l.Live() }, 10*time.Second, 5*time.Millisecond)
	got := c.take()
	require.GreaterOrEqual(t, len(got), 4, "each subscriber when the connection dropped and when it came back: %v", got)
	require.ElementsMatch(t, []change.Topic{change.Websites, change.APITokens, change.Websites, change.APITokens}, got[:4])

	// And changes reach the subscribers again.
	_, err := db.Exec(ctx, d, `UPDATE websites SET name = name`)
	require.NoError(t, err)
	require.Equal(t, []change.Topic{change.Websites}, c.until(t, change.Websites))
}

func TestCloseStopsTheListener(t *testing.T) {
	t.Parallel()
	d := dbtest.New(t)
	l := change.Listen(d.Pool.Config().ConnConfig, slog.New(slog.DiscardHandler))
	require.Eventually(t, l.Live, 10*time.Second, 5*time.Millisecond)
	var called atomic.Int32
	l.Subscribe(change.Websites, func() { called.Add(1) })
	pid := l.PID()
	l.Close()
	require.False(t, l.Live())
	require.Equal(t, int32(1), called.Load(), "subscribers are told the cache may go stale")
	require.Eventually(t, func() bool {
		var n int
		require.NoError(t, db.Get(context.Background(), d, `SELECT count(*) FROM pg_stat_activity WHERE pid = $1`, []any{int(pid)}, &n))
		return n == 0
	}, 10*time.Second, 10*time.Millisecond, "the listening connection is closed")
}
