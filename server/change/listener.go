package change

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/uptrace/bun"

	"github.com/segments/segments/server/db"
)

// Channel is the PostgreSQL notification channel every change goes out on;
// the payload is the Topic.
const Channel = "segments_change"

// Topic names what changed: one per cached kind of data. The migration's
// triggers send the table topics; other code may send its own with Notify.
type Topic string

// The topics the triggers send.
const (
	// Websites: a statement changed the websites table.
	Websites Topic = "websites"
	// CustomerGroups: a statement changed the customer_groups table.
	CustomerGroups Topic = "customer_groups"
	// APITokens: a statement changed api_tokens (other than the throttled
	// last_used_at write) or api_token_websites.
	APITokens Topic = "api_tokens"
	// Report: a statement changed data the report reads (membership,
	// segments, customers, the store's change stamp; see FollowReads).
	Report Topic = "report"
)

// How long the listener waits between attempts to reconnect: it doubles
// from minBackoff up to maxBackoff, and starts over once connected.
const (
	minBackoff = 100 * time.Millisecond
	maxBackoff = 5 * time.Second
)

// idleCheck is how long the listener waits for a notification before it
// checks the connection is alive: a connection cut without a word (a
// network partition) would otherwise keep it waiting, and the caches
// trusting it, until TCP keepalive gives up minutes later.
const idleCheck = 30 * time.Second

// Listener holds one connection of its own LISTENing on Channel and calls
// the subscribers of each topic that arrives. Start it with Listen, stop
// it with Close.
type Listener struct {
	cfg *pgx.ConnConfig
	log *slog.Logger

	mu   sync.Mutex
	subs map[Topic][]func()

	live atomic.Bool
	pid  atomic.Uint32

	cancel context.CancelFunc
	done   chan struct{}
}

// Listen starts a listener on a connection made from cfg (for the server:
// a copy of db.Pool's config, so it reaches the same database without
// taking a connection from the pool) and returns at once; the connection
// is made, and remade whenever it drops, in the background. Until it is
// up, Live is false.
func Listen(cfg *pgx.ConnConfig, log *slog.Logger) *Listener {
	ctx, cancel := context.WithCancel(context.Background())
	l := &Listener{cfg: cfg.Copy(), log: log, subs: map[Topic][]func(){}, cancel: cancel, done: make(chan struct{})}
	go l.run(ctx)
	return l
}

// Subscribe has fn called each time topic changes, and after the
// connection was (re)made, when notifications may have been missed. fn
// runs on the listener's goroutine, so it must be quick: drop a cached
// value, never reload it there.
func (l *Listener) Subscribe(topic Topic, fn func()) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.subs[topic] = append(l.subs[topic], fn)
}

// Live reports whether the listener is connected and listening: every
// change committed from now on will reach the subscribers. A cache keeps
// nothing while it is false, since a change could go unnoticed.
func (l *Listener) Live() bool { return l != nil && l.live.Load() }

// PID is the server process id of the listening connection, 0 when there
// is none (for logs, and for tests that end the connection).
func (l *Listener) PID() uint32 { return l.pid.Load() }

// Close stops the listener, closes its connection and waits until its
// goroutine has ended. The subscribers are called one last time.
func (l *Listener) Close() {
	l.cancel()
	<-l.done
}

// run connects, listens and dispatches until ctx ends.
func (l *Listener) run(ctx context.Context) {
	defer close(l.done)
	backoff := minBackoff
	for {
		conn, err := l.connect(ctx)
		if err == nil {
			backoff = minBackoff
			err = l.receive(ctx, conn)
			l.pid.Store(0)
			closeCtx, cancel := context.WithTimeout(context.Background(), time.Second)
			_ = conn.Close(closeCtx)
			cancel()
		}
		// Whatever was cached may have changed unseen from here on.
		l.live.Store(false)
		l.all()
		if ctx.Err() != nil {
			return
		}
		l.log.Warn("change notifications interrupted; caches are off until the connection is back", "err", err, "retry_in", backoff)
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, maxBackoff)
	}
}

// connect opens the connection and LISTENs. Once it is listening, every
// subscriber is called (changes made while there was no connection went
// unnoticed) and only then is the listener live.
func (l *Listener) connect(ctx context.Context) (*pgx.Conn, error) {
	conn, err := pgx.ConnectConfig(ctx, l.cfg)
	if err != nil {
		return nil, fmt.Errorf("connect: %w", err)
	}
	if _, err := conn.Exec(ctx, "LISTEN "+Channel); err != nil {
		_ = conn.Close(context.Background())
		return nil, fmt.Errorf("listen: %w", err)
	}
	l.pid.Store(conn.PgConn().PID())
	l.all()
	l.live.Store(true)
	l.log.Debug("listening for changes", "channel", Channel, "pid", conn.PgConn().PID())
	return conn, nil
}

// receive dispatches notifications until the connection fails or ctx ends.
func (l *Listener) receive(ctx context.Context, conn *pgx.Conn) error {
	for {
		wait, cancel := context.WithTimeout(ctx, idleCheck)
		n, err := conn.WaitForNotification(wait)
		cancel()
		switch {
		case err == nil:
			l.dispatch(Topic(n.Payload))
		case ctx.Err() != nil:
			return ctx.Err()
		case errors.Is(err, context.DeadlineExceeded) && !conn.IsClosed():
			ping, cancel := context.WithTimeout(ctx, idleCheck)
			err = conn.Ping(ping)
			cancel()
			if err != nil {
				return fmt.Errorf("connection check: %w", err)
			}
		default:
			return err
		}
	}
}

// dispatch calls topic's subscribers.
func (l *Listener) dispatch(topic Topic) {
	l.mu.Lock()
	subs := l.subs[topic]
	l.mu.Unlock()
	for _, fn := range subs {
		fn()
	}
}

// all calls every subscriber of every topic.
func (l *Listener) all() {
	l.mu.Lock()
	var subs []func()
	for _, fns := range l.subs {
		subs = append(subs, fns...)
	}
	l.mu.Unlock()
	for _, fn := range subs {
		fn()
	}
}

// Notify sends topic on Channel through idb; in a transaction it goes out
// when the transaction commits. The triggers send the table topics
// themselves: this is for changes no trigger sees.
func Notify(ctx context.Context, idb bun.IDB, topic Topic) error {
	if _, err := db.Exec(ctx, idb, `SELECT pg_notify($1, $2)`, Channel, string(topic)); err != nil {
		return fmt.Errorf("notify %s: %w", topic, err)
	}
	return nil
}
