package change_test

import (
	"context"
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

// websiteNames reads the websites' names through a Value, counting loads.
func websiteNames(d *db.DB, l *change.Listener, loads *atomic.Int32) *change.Value[[]string] {
	return change.NewValue(l, func(ctx context.Context) ([]string, error) {
		loads.Add(1)
		var names []string
		err := db.Select(ctx, d, &names, `SELECT name FROM websites ORDER BY id`)
		return names, err
	}, change.Websites)
}

func TestValueIsLoadedOnceUntilItsTableChanges(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := dbtest.New(t)
	_, err := db.Exec(ctx, d, `INSERT INTO websites (code, name) VALUES ('se', 'Sweden')`)
	require.NoError(t, err)
	l := changetest.Listen(t, d)
	var loads atomic.Int32
	v := websiteNames(d, l, &loads)

	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			names, err := v.Get(ctx)
			require.NoError(t, err)
			require.Equal(t, []string{"Sweden"}, names)
		})
	}
	wg.Wait()
	require.Equal(t, int32(1), loads.Load(), "concurrent readers wait for one load")
	_, err = v.Get(ctx)
	require.NoError(t, err)
	require.Equal(t, int32(1), loads.Load(), "kept")

	// A change made by SQL, as another instance or psql would make it.
	_, err = db.Exec(ctx, d, `UPDATE websites SET name = 'Sverige'`)
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		names, err := v.Get(ctx)
		require.NoError(t, err)
		return names[0] == "Sverige"
	}, 10*time.Second, 5*time.Millisecond)
	require.Equal(t, int32(2), loads.Load())

	// A change in this process: Invalidate makes the next read see it at once.
	_, err = db.Exec(ctx, d, `UPDATE websites SET name = 'Suède'`)
	require.NoError(t, err)
	v.Invalidate()
	names, err := v.Get(ctx)
	require.NoError(t, err)
	require.Equal(t, []string{"Suède"}, names)
}

func TestNothingIsKeptWithoutALiveListener(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := dbtest.New(t)
	_, err := db.Exec(ctx, d, `INSERT INTO websites (code, name) VALUES ('se', 'Sweden')`)
	require.NoError(t, err)
	var loads atomic.Int32
	v := websiteNames(d, nil, &loads)
	for range 3 {
		_, err := v.Get(ctx)
		require.NoError(t, err)
	}
	require.Equal(t, int32(3), loads.Load())

	// Closed, the listener hears nothing: the value is read each time.
	l := changetest.Listen(t, d)
	lv := websiteNames(d, l, &loads)
	_, err = lv.Get(ctx)
	require.NoError(t, err)
	l.Close()
	_, err = db.Exec(ctx, d, `UPDATE websites SET name = 'Sverige'`)
	require.NoError(t, err)
	names, err := lv.Get(ctx)
	require.NoError(t, err)
	require.Equal(t, []string{"Sverige"}, names)
}

func TestLRUDropsEverythingOnAChangeAndKeepsNothingReadBeforeIt(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := dbtest.New(t)
	l := changetest.Listen(t, d)
	m := change.NewLRU[string, int](l, 2, change.APITokens)

	gen := m.Generation()
	m.Add(gen, "a", 1)
	m.Add(gen, "b", 2)
	m.Add(gen, "c", 3)
	_, ok := m.Get("a")
	require.False(t, ok, "at most two: the least recently used went")
	got, ok := m.Get("c")
	require.True(t, ok)
	require.Equal(t, 3, got)

	stale := m.Generation()
	_, err := db.Exec(ctx, d, `UPDATE api_tokens SET revoked_at = now()`)
	require.NoError(t, err)
	require.Eventually(t, func() bool { _, ok := m.Get("c"); return !ok }, 10*time.Second, 5*time.Millisecond)
	m.Add(stale, "c", 3)
	_, ok = m.Get("c")
	require.False(t, ok, "a value read before the change is not kept")
	m.Add(m.Generation(), "c", 4)
	got, ok = m.Get("c")
	require.True(t, ok)
	require.Equal(t, 4, got)
}
