package customer_test

import (
	"bytes"
	"context"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/change"
	"github.com/segments/segments/server/customer"
	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/db/dbtest"
	"github.com/segments/segments/server/page"
	"github.com/segments/segments/server/seed"
	"github.com/segments/segments/server/segment"
)

// The report reads from a real streaming replica of a private PostgreSQL
// (pg_basebackup -R, a second postmaster) when it has replayed every
// change, from the primary when it lags — so a page right after a refresh
// shows the new membership, never old rows with a new count or a mix —
// back from the replica once it caught up, and from the primary with no
// error when the replica is down.
func TestReportReadsFollowTheReplicaOnlyWhenItIsFresh(t *testing.T) {
	t.Parallel()
	ctx := auth.AsSystem(context.Background())
	var logs lockedBuffer
	log := slog.New(slog.NewTextHandler(&logs, nil))

	rep := dbtest.NewReplicated(t)
	d, url, replicaURL := rep.Primary, rep.PrimaryURL, rep.ReplicaURL
	now := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	res, err := seed.Run(ctx, d, seed.Options{Customers: 300, Orders: 1200, Seed: 7, Now: now, Location: time.UTC})
	require.NoError(t, err)
	_, err = segment.NewRefresher(d).Refresh(ctx, res.SegmentIDs, segment.RefreshOptions{Now: now, TimeZone: "UTC"})
	require.NoError(t, err)
	r, err := db.OpenReplica(ctx, replicaURL, log)
	require.NoError(t, err)
	d.UseReplica(r, log)
	l := change.Listen(d.Pool.Config().ConnConfig, log)
	t.Cleanup(l.Close)
	change.FollowReads(d, l)
	require.Eventually(t, l.Live, 10*time.Second, 10*time.Millisecond)

	lister := customer.NewLister(d)
	store := segment.NewStore(d)
	twenty := 20
	firstPage := func(id int64) []int64 {
		p, err := lister.List(ctx, customer.Query{SegmentIDs: []int64{id}}, page.Args{First: &twenty})
		require.NoError(t, err)
		ids := make([]int64, len(p.Customers))
		for i, c := range p.Customers {
			ids[i] = c.ID
		}
		return ids
	}
	count := func(ids ...int64) int64 {
		n, err := lister.Count(ctx, customer.Query{SegmentIDs: ids})
		require.NoError(t, err)
		return n
	}
	gridCount := func(id int64) int64 {
		p, err := store.List(ctx, segment.Filter{IDs: []int64{id}}, segment.Order{}, page.Args{})
		require.NoError(t, err)
		require.Len(t, p.Segments, 1)
		return p.Segments[0].CustomerCount
	}
	firstName := func(id int64) string {
		p, err := lister.List(ctx, customer.Query{SegmentIDs: []int64{id}}, page.Args{First: &twenty})
		require.NoError(t, err)
		require.NotEmpty(t, p.Customers)
		return p.Customers[0].FirstName
	}
	onReplica := func(read func()) bool {
		before := d.ReadCounts()
		read()
		return d.ReadCounts().Replica > before.Replica
	}
	exec := func(d *db.DB, sql string, args ...any) {
		_, err := d.Pool.Exec(ctx, sql, args...)
		require.NoError(t, err)
	}

	// Caught up: the grid, a page and the counts come from the replica
	// (once it has replayed the seeding and the refresh).
	big := biggest(t, d, res.SegmentIDs)
	require.Eventually(t, func() bool { return onReplica(func() { firstPage(big) }) }, 20*time.Second, 20*time.Millisecond)

	// A read's own error is answered as it is, never taken for the replica
	// failing (which would rest the replica and run the read again on the
	// primary).
	counts := d.ReadCounts()
	var one int
	err = d.Read(ctx, func(r db.Reader) (bool, error) { return false, db.Get(ctx, r.DB, `SELECT 1 / 0`, nil, &one) })
	require.ErrorContains(t, err, "division by zero")
	own := d.ReadCounts()
	require.Equal(t, counts.Failed, own.Failed, "a read's own error is not a replica failure")
	require.Equal(t, counts.Primary, own.Primary, "nor run again on the primary")

	before := d.ReadCounts()
	require.Equal(t, members(t, d, []int64{big}, customer.Union)[:20], firstPage(big))
	require.EqualValues(t, len(members(t, d, []int64{big}, customer.Union)), count(big))
	require.EqualValues(t, len(members(t, d, res.SegmentIDs[:2], customer.Union)), count(res.SegmentIDs[:2]...))
	// (Every segment's bitmaps loaded from the replica.)
	require.EqualValues(t, len(members(t, d, res.SegmentIDs, customer.Union)), count(res.SegmentIDs...))
	require.EqualValues(t, len(members(t, d, []int64{big}, customer.Union)), gridCount(big))
	// A principal of one website counts by that website's count.
	var site, inSite int64
	require.NoError(t, d.Pool.QueryRow(ctx, `SELECT website_id, customer_count FROM segment_website_counts
		WHERE segment_id = $1 ORDER BY customer_count DESC LIMIT 1`, big).Scan(&site, &inSite))
	scoped := auth.With(context.Background(), &auth.Principal{Kind: auth.User, ID: 1, Name: "a@example.com", Role: auth.Editor, Websites: []int64{site}})
	n, err := lister.Count(scoped, customer.Query{SegmentIDs: []int64{big}})
	require.NoError(t, err)
	require.Equal(t, inSite, n)
	segments, err := store.Count(ctx, segment.Filter{})
	require.NoError(t, err)
	require.EqualValues(t, len(res.SegmentIDs), segments)
	after := d.ReadCounts()
	require.Equal(t, before.Replica+7, after.Replica, "every read on the replica")
	require.Equal(t, before.Primary, after.Primary)

	// Proof that the replica answers: with replay paused, a change the
	// instance is not told of (triggers off in that session) is not seen.
	exec(r, `SELECT pg_wal_replay_pause()`)
	require.Eventually(t, func() bool {
		var state string
		require.NoError(t, r.Pool.QueryRow(ctx, `SELECT pg_get_wal_replay_pause_state()`).Scan(&state))
		return state == "paused"
	}, 10*time.Second, 10*time.Millisecond)
	old := firstName(big)
	conn, err := d.Pool.Acquire(ctx)
	require.NoError(t, err)
	_, err = conn.Exec(ctx, `SET session_replication_role = replica`)
	require.NoError(t, err)
	_, err = conn.Exec(ctx, `UPDATE customers SET first_name = 'Renamed' WHERE id = $1`, firstPage(big)[0])
	require.NoError(t, err)
	_, err = conn.Exec(ctx, `RESET session_replication_role`)
	require.NoError(t, err)
	conn.Release()
	require.True(t, onReplica(func() { require.Equal(t, old, firstName(big)) }))
	// An instance that hears no changes (no listener) asks the primary's
	// position before each read, so it never reads a lagging replica.
	deaf, err := db.Open(ctx, url)
	require.NoError(t, err)
	t.Cleanup(deaf.Close)
	deafReplica, err := db.OpenReplica(ctx, replicaURL, log)
	require.NoError(t, err)
	deaf.UseReplica(deafReplica, log)
	p, err := customer.NewLister(deaf).List(ctx, customer.Query{SegmentIDs: []int64{big}}, page.Args{First: &twenty})
	require.NoError(t, err)
	require.Equal(t, "Renamed", p.Customers[0].FirstName)
	require.Equal(t, db.ReadCounts{Primary: 1, Stale: 1}, deaf.ReadCounts())

	// A refresh while the replica lags: every read right after it comes
	// from the primary, with the new membership throughout — the page,
	// its count, the grid.
	oldSets := map[int64][]int64{}
	for _, id := range res.SegmentIDs {
		oldSets[id] = members(t, d, []int64{id}, customer.Union)
	}
	later := now.AddDate(2, 0, 0)
	_, err = segment.NewRefresher(d).Refresh(ctx, res.SegmentIDs, segment.RefreshOptions{Now: later, TimeZone: "UTC"})
	require.NoError(t, err)
	changed, newSet := int64(0), []int64(nil)
	for _, id := range res.SegmentIDs {
		set := members(t, d, []int64{id}, customer.Union)
		if !slices.Equal(set, oldSets[id]) && len(set) > len(newSet) {
			changed, newSet = id, set
		}
	}
	require.NotZero(t, changed, "a refresh two years on changes some segment that still has members")
	// A combined count from bitmaps: their versions are read as the
	// other reads are, so the lister, which loaded every segment's old
	// bitmaps from the replica above, loads the new ones from the primary.
	pair := []int64{changed, res.SegmentIDs[0]}
	if changed == res.SegmentIDs[0] {
		pair[1] = res.SegmentIDs[1]
	}
	before = d.ReadCounts()
	require.Equal(t, newSet[:min(20, len(newSet))], firstPage(changed))
	require.EqualValues(t, len(newSet), count(changed))
	require.EqualValues(t, len(newSet), gridCount(changed))
	require.EqualValues(t, len(members(t, d, pair, customer.Union)), count(pair...))
	after = d.ReadCounts()
	require.Zero(t, after.Replica-before.Replica, "no read on the lagging replica")
	require.Equal(t, before.Stale+4, after.Stale, "each read found the replica behind, in its own statement")
	require.Equal(t, before.Primary+4, after.Primary)

	// Replay resumed: once caught up, the reads go back to the replica,
	// which now has the new membership.
	exec(r, `SELECT pg_wal_replay_resume()`)
	require.Eventually(t, func() bool { return onReplica(func() { firstPage(changed) }) }, 20*time.Second, 20*time.Millisecond)
	require.True(t, onReplica(func() {
		require.Equal(t, newSet[:min(20, len(newSet))], firstPage(changed))
		require.EqualValues(t, len(newSet), count(changed))
	}))

	// The replica goes down: reads go to the primary without an error,
	// and the log says so once.
	require.NoError(t, rep.Standby.Stop())
	before = d.ReadCounts()
	require.Equal(t, newSet[:min(20, len(newSet))], firstPage(changed))
	require.EqualValues(t, len(newSet), gridCount(changed))
	after = d.ReadCounts()
	require.Equal(t, before.Failed+1, after.Failed, "tried once, then rested")
	require.Equal(t, before.Primary+2, after.Primary)
	require.Contains(t, logs.String(), "read replica failed; report reads go to the primary")
}

// biggest returns the segment of ids with the most members.
func biggest(t *testing.T, d *db.DB, ids []int64) int64 {
	t.Helper()
	var id int64
	require.NoError(t, d.Pool.QueryRow(auth.AsSystem(context.Background()),
		`SELECT id FROM segments WHERE id = ANY($1) ORDER BY customer_count DESC, id LIMIT 1`, ids).Scan(&id))
	return id
}

// lockedBuffer is a log destination safe for the listener's goroutine.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}
