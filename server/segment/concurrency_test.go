package segment_test

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/rule"
	"github.com/segments/segments/server/segment"
)

func countryRule(country string) rule.Group {
	return rule.Group{Match: rule.MatchAll, Expect: true, Conditions: []rule.Condition{
		{Customer: &rule.CustomerCondition{Field: rule.FieldCountry, Operator: rule.OpEq, Values: []string{country}}},
	}}
}

func TestReadersSeeTheOldOrTheNewMembers(t *testing.T) {
	t.Parallel()
	d, segs := seeded(t)
	ctx := auth.AsSystem(context.Background())
	id := segs[0]
	setRule := func(country string) {
		b, _ := json.Marshal(countryRule(country))
		_, err := d.Pool.Exec(ctx, `UPDATE segments SET conditions = $2, rule_version = rule_version + 1 WHERE id = $1`, id, b)
		require.NoError(t, err)
	}
	setRule("SE")
	swedes := expected(t, d, id)
	setRule("NO")
	norwegians := expected(t, d, id)
	require.NotEqual(t, len(swedes), len(norwegians))
	valid := []int{len(swedes), len(norwegians)}
	refresh(t, d, []int64{id}) // Norwegians

	// Count members as fast as possible while the membership flips between
	// the two sets: no count may fall between them.
	seen := map[int]bool{}
	done := make(chan struct{})
	readErr := make(chan error, 1)
	go func() {
		defer close(readErr)
		for {
			var n int
			if err := d.Pool.QueryRow(ctx, `SELECT count(*) FROM segment_customers WHERE segment_id = $1`, id).Scan(&n); err != nil {
				readErr <- err
				return
			}
			seen[n] = true
			select {
			case <-done:
				return
			default:
			}
		}
	}()
	for i := range 6 {
		setRule([]string{"SE", "NO"}[i%2])
		refresh(t, d, []int64{id})
	}
	close(done)
	require.NoError(t, <-readErr)
	for n := range seen {
		require.Contains(t, valid, n, "a reader saw a half-written membership")
	}
	require.Equal(t, norwegians, stored(t, d, id))
}

func TestConcurrentRefreshesOfTheSameSegments(t *testing.T) {
	t.Parallel()
	d, segs := seeded(t)
	var wg sync.WaitGroup
	errs := make(chan error, 3)
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := segment.NewRefresher(d).Refresh(auth.AsSystem(context.Background()), segs, segment.RefreshOptions{Now: now, TimeZone: tz})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	for _, id := range segs {
		require.Equal(t, expected(t, d, id), stored(t, d, id), "segment %d", id)
		var added int64
		require.NoError(t, d.Pool.QueryRow(auth.AsSystem(context.Background()), `SELECT sum(added) - sum(removed) FROM segment_refreshes WHERE segment_id = $1`, id).Scan(&added))
		require.EqualValues(t, len(stored(t, d, id)), added, "the refreshes took turns: their differences add up")
	}
}

func TestARefreshThatRacedAnEditUsesTheNewRule(t *testing.T) {
	t.Parallel()
	d, segs := seeded(t)
	ctx := auth.AsSystem(context.Background())
	id := segs[0]

	// Hold the segment as an edit does, so the refresh must wait for it.
	tx, err := d.Pool.Begin(ctx)
	require.NoError(t, err)
	defer tx.Rollback(ctx) //nolint:errcheck
	_, err = tx.Exec(ctx, `SELECT 1 FROM segments WHERE id = $1 FOR UPDATE`, id)
	require.NoError(t, err)

	result := make(chan error, 1)
	go func() {
		_, err := segment.NewRefresher(d).Refresh(ctx, []int64{id}, segment.RefreshOptions{Now: now, TimeZone: tz})
		result <- err
	}()
	// Let the refresh read the old rule, compute its measures and block on
	// the segment.
	require.Eventually(t, func() bool {
		var waiting bool
		require.NoError(t, d.Pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock')`).Scan(&waiting))
		return waiting
	}, 20*time.Second, 20*time.Millisecond)

	edited := rule.Group{Match: rule.MatchAll, Expect: true, Conditions: []rule.Condition{
		{Orders: &rule.OrderCondition{Measure: rule.MeasureOrderCount, Operator: rule.OpGte, Values: []string{"2"}, WithinDays: ptr(400)}},
	}}
	b, _ := json.Marshal(edited)
	_, err = tx.Exec(ctx, `UPDATE segments SET conditions = $2, rule_version = rule_version + 1 WHERE id = $1`, id, b)
	require.NoError(t, err)
	require.NoError(t, tx.Commit(ctx))
	require.NoError(t, <-result)

	require.Equal(t, expected(t, d, id), stored(t, d, id), "membership follows the edited rule")
	var stale bool
	require.NoError(t, d.Pool.QueryRow(ctx, `SELECT refreshed_rule_version IS DISTINCT FROM rule_version FROM segments WHERE id = $1`, id).Scan(&stale))
	require.False(t, stale, "the refresh recorded the version it evaluated")
}

func ptr[T any](v T) *T { return &v }

// A member a refresh adds while a customers import is changing that
// customer gets the NULL-key flags of the imported row: the refresh's
// write waits for the import to commit (customers in SHARE mode) and reads
// the key after it. Were it to read before, the import's trigger would not
// see the uncommitted member, and the drill-down sorted by phone would
// never list the customer.
func TestRefreshFlagsKeysAfterAConcurrentImport(t *testing.T) {
	t.Parallel()
	d, segs := seeded(t)
	ctx := auth.AsSystem(context.Background())
	id := segs[0]
	b, _ := json.Marshal(countryRule("SE"))
	_, err := d.Pool.Exec(ctx, `UPDATE segments SET conditions = $2, rule_version = rule_version + 1 WHERE id = $1`, id, b)
	require.NoError(t, err)
	refresh(t, d, []int64{id})
	// A Swede with a phone stops being a member, as if newly qualifying.
	var member int64
	require.NoError(t, d.Pool.QueryRow(ctx, `SELECT sc.customer_id FROM segment_customers sc JOIN customers c ON c.id = sc.customer_id
		WHERE sc.segment_id = $1 AND c.phone IS NOT NULL ORDER BY sc.customer_id LIMIT 1`, id).Scan(&member))
	_, err = d.Pool.Exec(ctx, `DELETE FROM segment_customers WHERE segment_id = $1 AND customer_id = $2`, id, member)
	require.NoError(t, err)

	// An import, as csvimport locks and stamps the store's data, takes the
	// phone away and has not committed when the refresh starts.
	imp, err := d.Pool.Begin(ctx)
	require.NoError(t, err)
	defer imp.Rollback(ctx) //nolint:errcheck // committed below
	_, err = imp.Exec(ctx, `LOCK TABLE customers IN SHARE ROW EXCLUSIVE MODE`)
	require.NoError(t, err)
	_, err = imp.Exec(ctx, `UPDATE customers SET phone = NULL WHERE id = $1`, member)
	require.NoError(t, err)
	_, err = imp.Exec(ctx, `UPDATE store_state SET data_changed_at = clock_timestamp()`)
	require.NoError(t, err)
	refreshed := make(chan error, 1)
	go func() {
		// Full: the member was taken out behind the change log's back.
		_, err := segment.NewRefresher(d).Refresh(ctx, []int64{id}, segment.RefreshOptions{Now: now, TimeZone: tz, Full: true})
		refreshed <- err
	}()
	// Commit once the refresh waits for the import (or has finished, which
	// is the bug this test is for).
	require.Eventually(t, func() bool {
		if len(refreshed) > 0 {
			return true
		}
		var waiting bool
		require.NoError(t, d.Pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'LOCK TABLE customers IN SHARE MODE%')`).Scan(&waiting))
		return waiting
	}, 30*time.Second, 10*time.Millisecond)
	require.NoError(t, imp.Commit(ctx))
	require.NoError(t, <-refreshed)

	var flag *bool
	require.NoError(t, d.Pool.QueryRow(ctx, `SELECT null_phone FROM segment_customers WHERE segment_id = $1 AND customer_id = $2`, id, member).Scan(&flag))
	require.NotNil(t, flag)
	require.True(t, *flag, "the added member's phone is NULL since the import")
}
