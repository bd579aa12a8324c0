package segment_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/db/dbtest"
	"github.com/segments/segments/server/seed"
	"github.com/segments/segments/server/segment"
)

// crashEnv, set, makes this test binary a refresh process (refreshChild):
// "database url|now (RFC 3339)|segment ids".
const crashEnv = "SEGMENT_TEST_REFRESH_CHILD"

func TestMain(m *testing.M) {
	if arg := os.Getenv(crashEnv); arg != "" {
		if err := refreshChild(arg); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// refreshChild runs one incremental refresh, as a job worker would.
func refreshChild(arg string) error {
	parts := strings.Split(arg, "|")
	ctx := auth.AsSystem(context.Background())
	d, err := db.Open(ctx, parts[0])
	if err != nil {
		return err
	}
	defer d.Close()
	now, err := time.Parse(time.RFC3339, parts[1])
	if err != nil {
		return err
	}
	var ids []int64
	for _, s := range strings.Split(parts[2], ",") {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return err
		}
		ids = append(ids, id)
	}
	_, err = segment.NewRefresher(d).Refresh(ctx, ids, segment.RefreshOptions{Now: now, TimeZone: tz})
	return err
}

// TestIncrementalRefreshSurvivesKill kills (-9) a process in the middle of
// an incremental refresh, inside the transaction that writes its segments,
// after it has changed their membership rows and before it commits: each
// segment keeps its old members or has its new ones, never a mix, its count
// matches its members, and the next incremental refresh brings every
// segment to what the reference evaluator selects.
func TestIncrementalRefreshSurvivesKill(t *testing.T) {
	t.Parallel()
	url := dbtest.URL(t)
	ctx := auth.AsSystem(context.Background())
	d, err := db.Open(ctx, url)
	require.NoError(t, err)
	t.Cleanup(d.Close)
	loc, err := time.LoadLocation(tz)
	require.NoError(t, err)
	res, err := seed.Run(ctx, d, seed.Options{Customers: 400, Orders: 2000, Seed: 5, Now: now, Location: loc})
	require.NoError(t, err)
	ids := append(res.SegmentIDs, addTimeRules(t, d, false)...)
	_, err = segment.NewRefresher(d).Refresh(ctx, ids, segment.RefreshOptions{Now: now, TimeZone: tz})
	require.NoError(t, err)
	old := map[int64][]int64{}
	for _, id := range ids {
		old[id] = stored(t, d, id)
	}

	// A day later, a tenth of the customers changed.
	later := now.Add(26 * time.Hour)
	_, err = d.Pool.Exec(ctx, `UPDATE customers SET country = CASE WHEN country = 'SE' THEN 'NO' ELSE 'SE' END WHERE id % 10 = 3`)
	require.NoError(t, err)
	_, err = d.Pool.Exec(ctx, `INSERT INTO orders (id, customer_id, status, grand_total, created_at)
		SELECT 10000000 + id, id, 'complete', 900, $1 FROM customers WHERE id % 10 = 4`, later)
	require.NoError(t, err)
	want := reference(t, d, ids, later, loc)

	// Hold every segment's bitmap rows: the write stops at the first
	// bitmap it updates, having changed the membership rows.
	hold, err := d.Pool.Begin(ctx)
	require.NoError(t, err)
	defer hold.Rollback(ctx) //nolint:errcheck // released below
	_, err = hold.Exec(ctx, `SELECT 1 FROM segment_bitmaps FOR UPDATE`)
	require.NoError(t, err)
	list := make([]string, len(ids))
	for i, id := range ids {
		list[i] = strconv.FormatInt(id, 10)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), crashEnv+"="+url+"|"+later.Format(time.RFC3339)+"|"+strings.Join(list, ","))
	require.NoError(t, cmd.Start())
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	killed := false
	for !killed {
		select {
		case err := <-exited:
			t.Logf("the refresh finished before it could be killed (%v)", err)
			killed = true
			continue
		default:
		}
		var waiting []int32
		require.NoError(t, db.Select(ctx, d, &waiting, `SELECT pid FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%segment_bitmaps%'`))
		if len(waiting) > 0 {
			var written int
			require.NoError(t, d.Pool.QueryRow(ctx, `SELECT count(*) FROM pg_locks WHERE pid = $1 AND relation = 'segment_customers'::regclass AND mode = 'RowExclusiveLock'`,
				waiting[0]).Scan(&written))
			require.Positive(t, written, "the refresh changed membership rows before it waited")
			require.NoError(t, cmd.Process.Kill())
			<-exited
			killed = true
			// Its backend ends its transaction once the statement waiting
			// on our lock finishes and it finds its client gone.
			require.NoError(t, hold.Rollback(ctx))
			for alive, deadline := true, time.Now().Add(20*time.Second); alive; time.Sleep(10 * time.Millisecond) {
				require.NoError(t, d.Pool.QueryRow(ctx, `SELECT EXISTS (SELECT FROM pg_stat_activity WHERE pid = $1)`, waiting[0]).Scan(&alive))
				require.True(t, time.Now().Before(deadline), "the killed refresh's backend ended")
			}
			t.Log("killed while its write waited on a bitmap row")
		}
		time.Sleep(time.Millisecond)
	}
	_ = hold.Rollback(ctx)

	for _, id := range ids {
		got := stored(t, d, id)
		if !slices.Equal(got, old[id]) {
			require.Equal(t, want[id], got, "segment %d has neither its old members nor its new ones", id)
		}
	}
	requireCountsMatch(t, d, "after the kill")

	// The next run catches up, incrementally.
	res2, err := segment.NewRefresher(d).Refresh(ctx, ids, segment.RefreshOptions{Now: later, TimeZone: tz})
	require.NoError(t, err)
	for _, r := range res2 {
		require.True(t, r.Incremental, "segment %d", r.SegmentID)
	}
	for _, id := range ids {
		require.Equal(t, want[id], stored(t, d, id), "segment %d after the next refresh", id)
	}
	requireCountsMatch(t, d, "after the next refresh")
}
