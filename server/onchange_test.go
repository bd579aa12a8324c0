package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/segments/segments/server/actor"
	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/rule"
	"github.com/segments/segments/server/segment"
)

// TestRefreshOnChange runs `segments import` and `segments delete` as an
// operator would: with REFRESH_ON_CHANGE on, each one that changes data
// queues one incremental refresh of the active segments (shared while it
// waits), as "change"; one that fails or changes nothing queues none; with
// it off, nothing is queued.
func TestRefreshOnChange(t *testing.T) {
	t.Parallel()

	dir := t.TempDir()
	file := func(name, text string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(text), 0o600))
		return p
	}
	const head = "id,website,group,email,first_name,last_name,created_at\n"
	customers := file("customers.csv", head+"1,eu,general,ann@example.com,Ann,A,2025-01-01 09:00:00\n2,us,general,bo@example.com,Bo,B,2025-01-02 09:00:00\n")
	changed := file("changed.csv", head+"1,eu,general,ann@example.com,Annie,A,2025-01-01 09:00:00\n")
	bad := file("bad.csv", head+"3,eu,general,not-an-email,Cy,C,2025-01-03 09:00:00\n")
	orders := file("orders.csv", "id,customer_id,status,grand_total,created_at\n10,1,complete,12.50,2025-02-01 09:00:00\n")
	erase := file("erase.txt", "2\n")
	eraseMissing := file("missing.txt", "99\n")

	// setUp returns a store with two active segments and an inactive one,
	// none with a refresh queued.
	setUp := func(t *testing.T, on bool) (*cli, []int64) {
		c := newCLI(t)
		if on {
			c.env = map[string]string{"REFRESH_ON_CHANGE": "true"}
		}
		ctx := auth.AsSystem(context.Background())
		m := segment.NewManager(c.d, func(context.Context, bun.Tx, []int64, actor.Actor, bool) (int64, error) { return 0, nil })
		var websites []int64
		require.NoError(t, c.d.NewSelect().Table("websites").Column("id").Scan(ctx, &websites))
		every := rule.Group{Match: rule.MatchAll, Expect: true, Conditions: []rule.Condition{
			{Customer: &rule.CustomerCondition{Field: rule.FieldEmail, Operator: rule.OpContains, Values: []string{"@"}}},
		}}
		var active []int64
		for i, name := range []string{"one", "two", "off"} {
			id, err := m.Create(ctx, segment.Input{Name: name, Active: i < 2, WebsiteIDs: websites, Conditions: every})
			require.NoError(t, err)
			if i < 2 {
				active = append(active, id)
			}
		}
		return c, active
	}
	type run struct {
		ID          int64
		State       string
		RequestedBy string
		SegmentIDs  []int64
		AllActive   bool
		Full        bool
		Jobs        int
	}
	runs := func(c *cli) []run {
		rows, err := c.d.Pool.Query(context.Background(), `SELECT id, state, requested_by, segment_ids, all_active, full_refresh,
			(SELECT count(*) FROM river_job j WHERE j.id = r.job_id)::int FROM refresh_runs r ORDER BY id`)
		require.NoError(t, err)
		out, err := pgx.CollectRows(rows, pgx.RowToStructByPos[run])
		require.NoError(t, err)
		return out
	}
	// finish stands for a worker: the queued run is done, so the next
	// change needs a new one.
	finish := func(c *cli) {
		_, err := c.d.Pool.Exec(context.Background(), `UPDATE refresh_runs SET state = 'SUCCEEDED', started_at = now(), finished_at = now() WHERE state = 'QUEUED'`)
		require.NoError(t, err)
	}

	t.Run("On", func(t *testing.T) {
		t.Parallel()
		c, active := setUp(t, true)

		c.ok("", "import", "customers", customers)
		got := runs(c)
		require.Len(t, got, 1, "an import queues a refresh")
		require.Equal(t, run{ID: got[0].ID, State: "QUEUED", RequestedBy: actor.FromChange.String(), SegmentIDs: active, AllActive: true, Full: false, Jobs: 1}, got[0],
			"of every active segment, incremental, by change, with its River job")

		// Ten changes while it waits share it.
		for range 3 {
			c.ok("", "import", "orders", orders)
			c.ok("", "import", "customers", customers)
			c.ok("", "import", "customers", changed)
		}
		c.ok("", "delete", "customers", erase)
		require.Len(t, runs(c), 1, "changes while a run is queued share it")

		finish(c)
		_, _, err := c.run("", "import", "customers", bad)
		require.ErrorContains(t, err, "nothing changed")
		c.ok("", "import", "customers", changed) // as stored: changes nothing
		c.ok("", "delete", "customers", eraseMissing)
		require.Len(t, runs(c), 1, "a failed import, and an import or a deletion that changes nothing, queue nothing")

		c.ok("", "delete", "customers", file("erase1.txt", "1\n"))
		got = runs(c)
		require.Len(t, got, 2, "a deletion queues a refresh")
		require.Equal(t, run{ID: got[1].ID, State: "QUEUED", RequestedBy: "change", SegmentIDs: active, AllActive: true, Jobs: 1}, got[1])
	})

	t.Run("Off", func(t *testing.T) {
		t.Parallel()
		c, _ := setUp(t, false)
		c.ok("", "import", "customers", customers)
		c.ok("", "import", "orders", orders)
		c.ok("", "delete", "customers", erase)
		require.Empty(t, runs(c), "off by default: nothing queued")
		var customers int
		require.NoError(t, c.d.Pool.QueryRow(context.Background(), `SELECT count(*) FROM customers`).Scan(&customers))
		require.Equal(t, 1, customers, "the changes themselves were made")

		// `segments refresh --full` asks for a full run; plain, an
		// incremental one. Both are worked here, by the command.
		c.ok("", "refresh", "--full")
		c.ok("", "refresh")
		got := runs(c)
		require.Len(t, got, 2)
		require.Equal(t, []bool{true, false}, []bool{got[0].Full, got[1].Full})
		for _, r := range got {
			require.Equal(t, "SUCCEEDED", r.State)
			require.Equal(t, "cli", r.RequestedBy)
		}
	})
}
