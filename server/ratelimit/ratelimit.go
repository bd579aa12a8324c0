// Package ratelimit keeps one token bucket per key — an API token, a user —
// for limits counted per principal inside one process. Buckets that have
// been idle long enough to be full again are dropped once there are many,
// so forgetting them changes nothing and the map stays as small as the set
// of keys in recent use.
package ratelimit

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// maxBuckets is how many buckets are kept before full ones are dropped.
const maxBuckets = 1024

// Keyed is a token bucket per key. A nil *Keyed limits nothing.
type Keyed[K comparable] struct {
	limit rate.Limit
	burst int
	// full is how long an untouched bucket takes to refill completely.
	full    time.Duration
	mu      sync.Mutex
	buckets map[K]*bucket
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

// New returns buckets that refill at limit events a second and hold burst.
func New[K comparable](limit rate.Limit, burst int) *Keyed[K] {
	return &Keyed[K]{
		limit:   limit,
		burst:   burst,
		full:    time.Duration(float64(burst) / float64(limit) * float64(time.Second)),
		buckets: map[K]*bucket{},
	}
}

// Wait counts one event for key at now and returns 0, or, when key is over
// its limit, how long until it may go again (and counts nothing).
func (k *Keyed[K]) Wait(key K, now time.Time) time.Duration {
	if k == nil {
		return 0
	}
	k.mu.Lock()
	if len(k.buckets) >= maxBuckets {
		for old, b := range k.buckets {
			if now.Sub(b.seen) >= k.full {
				delete(k.buckets, old)
			}
		}
	}
	b := k.buckets[key]
	if b == nil {
		b = &bucket{lim: rate.NewLimiter(k.limit, k.burst)}
		k.buckets[key] = b
	}
	b.seen = now
	k.mu.Unlock()
	res := b.lim.ReserveN(now, 1)
	if d := res.DelayFrom(now); d > 0 {
		res.CancelAt(now)
		return d
	}
	return 0
}
