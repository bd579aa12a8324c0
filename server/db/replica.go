package db

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/sync/singleflight"

	"github.com/segments/segments/server/apperr"
)

// replicaPause is how long report reads stay on the primary after the
// replica failed one: a replica that is down costs each read an error
// (or a connect timeout) otherwise.
const replicaPause = 5 * time.Second

// replicaConnectTimeout bounds a connection attempt to the replica unless
// DATABASE_READ_URL sets connect_timeout.
const replicaConnectTimeout = 2 * time.Second

// replica is the read side of a DB: a streaming standby of the primary,
// and what this instance knows of the primary's WAL position that a report
// read must see.
type replica struct {
	db  *DB
	log *slog.Logger

	// live reports whether this instance hears every change to report data
	// (package change's listener); nil or false: it does not, and each read
	// asks the primary for its position first.
	live atomic.Pointer[func() bool]

	mu sync.Mutex
	// gen counts changes (Changed); a position read from the primary is
	// kept only if no change came while it was read.
	gen uint64
	// lsn is the primary's WAL position, read after the last change this
	// instance heard of: "" when not known.
	lsn string
	// fetch shares one read of the primary's position among the reads
	// that need it at once (keyed by gen: a read joins only a fetch begun
	// after the change it must see).
	fetch singleflight.Group

	// pausedUntil (unix nanoseconds) keeps reads off a replica that failed.
	pausedUntil atomic.Int64
	// failing says the last replica read failed (for one log line per
	// outage).
	failing atomic.Bool

	counts struct{ replica, primary, stale, failed atomic.Int64 }
}

// OpenReplica connects to the read replica at url with the settings Open
// uses. A replica that cannot be reached yet is no error (reads go to the
// primary until it answers); one that is not a standby is logged, since
// its position can never be checked and every read then falls back.
// configure adjusts the pool as for Open (tracing).
func OpenReplica(ctx context.Context, url string, log *slog.Logger, configure ...func(*pgxpool.Config)) (*DB, error) {
	r, err := open(ctx, url, append(configure, func(cfg *pgxpool.Config) {
		// A replica host that does not answer must not hold a read for
		// long: its read goes to the primary once connecting failed.
		if !strings.Contains(url, "connect_timeout") {
			cfg.ConnConfig.ConnectTimeout = replicaConnectTimeout
		}
	})...)
	if err != nil {
		return nil, err
	}
	var standby bool
	if err := r.Pool.QueryRow(ctx, `SELECT pg_is_in_recovery()`).Scan(&standby); err != nil {
		log.Warn("read replica not reachable yet; report reads go to the primary until it is", "err", err)
	} else if !standby {
		log.Warn("DATABASE_READ_URL is not a streaming standby (pg_is_in_recovery() is false): its replay position cannot be checked, so every report read goes to the primary")
	}
	return r, nil
}

// UseReplica makes r (see OpenReplica) the read side of d: [DB.Read] sends
// report reads there when it has replayed every change this instance knows
// of. d closes r.
func (d *DB) UseReplica(r *DB, log *slog.Logger) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	d.read = &replica{db: r, log: log}
}

// HasReplica reports whether d has a read side.
func (d *DB) HasReplica() bool { return d.read != nil }

// FollowChanges tells d that live reports whether this instance hears
// every committed change to report data, each through [DB.Changed]. While
// it does, the primary's position is read once after each change; while
// it does not (no listener, or a broken connection), before every read.
func (d *DB) FollowChanges(live func() bool) {
	if d.read != nil {
		d.read.live.Store(&live)
	}
}

// Changed says report data (membership, segments, customers, catalogs)
// may have changed on the primary: the next report read first reads the
// primary's WAL position, and the replica serves it only once it has
// replayed that far. Call it for every change notification, and when an
// instance learns from the primary that another finished a write (a
// refresh run's state), which may be before the notification arrives.
func (d *DB) Changed() {
	if d.read == nil {
		return
	}
	d.read.mu.Lock()
	d.read.gen++
	d.read.lsn = ""
	d.read.mu.Unlock()
}

// position returns the primary WAL position a replica read must have
// replayed: the one kept since the last change, or the primary's current
// one.
func (p *replica) position(ctx context.Context, primary *DB) (string, error) {
	live := func() bool { return false }
	if f := p.live.Load(); f != nil {
		live = *f
	}
	p.mu.Lock()
	gen, lsn := p.gen, p.lsn
	p.mu.Unlock()
	if lsn != "" && live() {
		return lsn, nil
	}
	// The insert position: after a change commits it is past the commit
	// record, even an asynchronous commit's (synchronous_commit off), which
	// other sessions see before it is written out. (At the very start of
	// a WAL page it names the first record to come, so an idle replica
	// reaches it only with the next record: reads stay on the primary
	// until then, never the other way round.)
	got, err, _ := p.fetch.Do(strconv.FormatUint(gen, 10), func() (any, error) {
		var lsn string
		err := Get(context.WithoutCancel(ctx), primary, `SELECT pg_current_wal_insert_lsn()::text`, nil, &lsn)
		return lsn, err
	})
	if err != nil {
		return "", fmt.Errorf("read the primary's WAL position: %w", err)
	}
	lsn = got.(string)
	if live() {
		p.mu.Lock()
		if p.gen == gen {
			p.lsn = lsn
		}
		p.mu.Unlock()
	}
	return lsn, nil
}

// Reader is where one report read runs: the primary, or the replica with
// the position it must have replayed.
type Reader struct {
	// DB is the database the read's statement runs on.
	DB *DB
	// lsn is the primary position the replica must have replayed; "" on
	// the primary.
	lsn string
}

// Replica reports whether the read runs on the replica.
func (r Reader) Replica() bool { return r.lsn != "" }

// Fresh returns a boolean SQL condition, true when the database has
// replayed every change the read must see: always on the primary; on the
// replica, its replay position against the primary's (false, too, on a
// server that is not a standby). The read's statement checks it itself,
// so a replica read stays one round trip, and answers "stale" (no row, a
// failed guard) when it does not hold.
func (r Reader) Fresh(a *Args) string {
	if r.lsn == "" {
		return "true"
	}
	return "COALESCE(pg_last_wal_replay_lsn() >= " + a.Add(r.lsn) + "::pg_lsn, false)"
}

// Read runs fn, one report read whose statement includes Reader.Fresh, on
// the replica when d has one that is up, else on the primary. When fn
// reports the replica stale (its freshness check failed) or the replica
// fails, fn runs again on the primary: one read's rows always come from
// one statement on one server, and a user sees every change this instance
// knows of. A replica failure is logged once per outage and the replica
// rested for a few seconds. Writes never go through Read.
func (d *DB) Read(ctx context.Context, fn func(r Reader) (stale bool, err error)) error {
	p := d.read
	if p == nil {
		_, err := fn(Reader{DB: d})
		return err
	}
	if time.Now().UnixNano() >= p.pausedUntil.Load() {
		lsn, err := p.position(ctx, d)
		if err != nil {
			return err
		}
		stale, err := fn(Reader{DB: p.db, lsn: lsn})
		switch {
		case err == nil && !stale:
			p.counts.replica.Add(1)
			if p.failing.CompareAndSwap(true, false) {
				p.log.Info("read replica is back; report reads go to it again")
			}
			return nil
		case err == nil:
			p.counts.stale.Add(1)
		case ctx.Err() != nil || !replicaFailed(err):
			// The read's own error (a timeout, a bad argument): the
			// primary would say the same.
			return err
		default:
			p.counts.failed.Add(1)
			p.pausedUntil.Store(time.Now().Add(replicaPause).UnixNano())
			if p.failing.CompareAndSwap(false, true) {
				p.log.Warn("read replica failed; report reads go to the primary", "err", err, "retry_in", replicaPause)
			}
		}
	}
	p.counts.primary.Add(1)
	_, err := fn(Reader{DB: d})
	return err
}

// ReadCounts are how report reads went since the DB was opened.
type ReadCounts struct {
	// Replica and Primary count the reads each served.
	Replica, Primary int64
	// Stale counts replica reads that had not replayed far enough and went
	// to the primary; Failed, those that failed there.
	Stale, Failed int64
}

// ReadCounts returns how report reads went (zero without a replica).
func (d *DB) ReadCounts() ReadCounts {
	if d.read == nil {
		return ReadCounts{}
	}
	c := &d.read.counts
	return ReadCounts{Replica: c.replica.Load(), Primary: c.primary.Load(), Stale: c.stale.Load(), Failed: c.failed.Load()}
}

// replicaFailed says err is the replica's failure rather than the read's:
// no connection, a server shutting down or not yet accepting, too many
// connections, or a query cancelled by a conflict with recovery (40001).
// Any other error, coded or from PostgreSQL, is the read's own.
func replicaFailed(err error) bool {
	var pg *pgconn.PgError
	if !errors.As(err, &pg) {
		// Not from PostgreSQL: a network error reaching the replica, unless
		// it is an error the read made itself (coded, or a context's).
		return !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) && !isCoded(err)
	}
	return strings.HasPrefix(pg.Code, "08") || pg.Code == "40001" || pg.Code == "53300" || strings.HasPrefix(pg.Code, "57P")
}

func isCoded(err error) bool {
	_, ok := apperr.As(err)
	return ok
}
