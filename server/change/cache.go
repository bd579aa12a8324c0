package change

import (
	"context"
	"strconv"
	"sync"
	"sync/atomic"

	lru "github.com/hashicorp/golang-lru/v2"
	"golang.org/x/sync/singleflight"
)

// Value is one value loaded on first use and kept until a topic it depends
// on changes. Concurrent readers of a missing value wait for one load.
//
// Each change starts a new generation; a load keeps its result only if no
// change came while it ran (it may have read the old data) and the
// listener is live. Without a live listener (nil, not connected yet, or
// reconnecting) every Get loads: slower, never stale.
type Value[T any] struct {
	l     *Listener
	load  func(context.Context) (T, error)
	state atomic.Pointer[valueState[T]]
	loads singleflight.Group
}

type valueState[T any] struct {
	gen uint64
	val T
	ok  bool
}

// NewValue returns a Value that load fills, emptied whenever one of topics
// changes on l. l may be nil: then nothing is kept.
func NewValue[T any](l *Listener, load func(context.Context) (T, error), topics ...Topic) *Value[T] {
	v := &Value[T]{l: l, load: load}
	v.state.Store(&valueState[T]{})
	if l != nil {
		for _, t := range topics {
			l.Subscribe(t, v.Invalidate)
		}
	}
	return v
}

// Get returns the kept value, or loads it. The load runs without ctx's
// cancellation (other readers may be waiting for it); Get itself returns
// when ctx ends.
func (v *Value[T]) Get(ctx context.Context) (T, error) {
	s := v.state.Load()
	if s.ok {
		return s.val, nil
	}
	if !v.l.Live() {
		return v.load(ctx)
	}
	ch := v.loads.DoChan(strconv.FormatUint(s.gen, 10), func() (any, error) {
		val, err := v.load(context.WithoutCancel(ctx))
		if err == nil && v.l.Live() {
			v.state.CompareAndSwap(s, &valueState[T]{gen: s.gen, val: val, ok: true})
		}
		return val, err
	})
	select {
	case r := <-ch:
		if r.Err != nil {
			var zero T
			return zero, r.Err
		}
		return r.Val.(T), nil
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}

// Invalidate drops the kept value: the next Get loads it again. Call it
// after a change this process made and committed, so its own next read
// sees the change without waiting for the notification.
func (v *Value[T]) Invalidate() {
	for {
		s := v.state.Load()
		if v.state.CompareAndSwap(s, &valueState[T]{gen: s.gen + 1}) {
			return
		}
	}
}

// LRU keeps up to a fixed number of values by key, the least recently used
// going first, all dropped whenever a topic they depend on changes. The
// caller loads a missing value itself: it takes Generation before reading
// and hands it to Add, which keeps the value only if nothing changed
// meanwhile.
type LRU[K comparable, V any] struct {
	l *Listener
	// mu orders Add against Invalidate, so a value read before a change is
	// never kept after it.
	mu    sync.Mutex
	gen   atomic.Uint64
	cache *lru.Cache[K, V]
}

// NewLRU returns an LRU of at most size values, emptied whenever one of
// topics changes on l. l may be nil: then nothing is kept.
func NewLRU[K comparable, V any](l *Listener, size int, topics ...Topic) *LRU[K, V] {
	c, err := lru.New[K, V](size)
	if err != nil {
		panic(err) // only a size below 1
	}
	m := &LRU[K, V]{l: l, cache: c}
	if l != nil {
		for _, t := range topics {
			l.Subscribe(t, m.Invalidate)
		}
	}
	return m
}

// Get returns the value kept for k. Nothing is kept while the listener is
// not live.
func (m *LRU[K, V]) Get(k K) (V, bool) {
	if !m.l.Live() {
		var zero V
		return zero, false
	}
	return m.cache.Get(k)
}

// Generation is the current generation; take it before reading a value
// to Add.
func (m *LRU[K, V]) Generation() uint64 { return m.gen.Load() }

// Add keeps v for k, unless something changed since gen (v may be stale)
// or the listener is not live.
func (m *LRU[K, V]) Add(gen uint64, k K, v V) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.gen.Load() == gen && m.l.Live() {
		m.cache.Add(k, v)
	}
}

// Invalidate drops every value; values read before it are not kept.
func (m *LRU[K, V]) Invalidate() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.gen.Add(1)
	m.cache.Purge()
}
