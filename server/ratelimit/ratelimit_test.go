package ratelimit_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"

	"github.com/segments/segments/server/ratelimit"
)

func TestEachKeyHasItsOwnBucket(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	l := ratelimit.New[int64](rate.Every(time.Minute/5), 5)
	for range 5 {
		require.Zero(t, l.Wait(1, now))
	}
	wait := l.Wait(1, now)
	require.Equal(t, 12*time.Second, wait, "the sixth waits for one refill")
	require.Zero(t, l.Wait(2, now), "another key is not held up")
	require.Zero(t, l.Wait(1, now.Add(wait)), "a refused event was not counted")

	var none *ratelimit.Keyed[int64]
	require.Zero(t, none.Wait(1, now))
}

func TestIdleBucketsAreForgottenWithoutLosingCount(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	l := ratelimit.New[int](rate.Limit(1), 1)
	require.Zero(t, l.Wait(0, now))
	for k := 1; k < 2000; k++ {
		l.Wait(k, now.Add(2*time.Second)) // key 0 is full again by then
	}
	require.NotZero(t, l.Wait(1999, now.Add(2*time.Second)), "a busy key keeps its count")
}
