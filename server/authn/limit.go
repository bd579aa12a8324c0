package authn

import (
	"math"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// signInLimited reports whether a sign-in attempt for email from addr is
// over a limit; every attempt counts, successful or not. When it is, the
// Retry-After header is set.
func (g *Gate) signInLimited(w http.ResponseWriter, r *http.Request, addr, email string) bool {
	return g.perAddr.OnLimit(w, r, addrKey(addr)) || g.perEmail.OnLimit(w, r, strings.ToLower(strings.TrimSpace(email)))
}

// addrKey is what the per-address limit counts: an IPv4 address, or an
// IPv6 address's /64 (one client is usually given a whole /64, and could
// otherwise change address for every attempt).
func addrKey(addr string) string {
	a, err := netip.ParseAddr(addr)
	if err != nil || !a.Is6() {
		return addr
	}
	return netip.PrefixFrom(a, 64).Masked().String()
}

// tokenLimits is a token bucket per API token id. Only tokens that
// authenticated get one, so the map is as large as the number of live
// tokens in use.
type tokenLimits struct {
	limit rate.Limit
	burst int
	mu    sync.Mutex
	byID  map[int64]*rate.Limiter
}

func newTokenLimits(perSecond int) *tokenLimits {
	if perSecond <= 0 {
		return nil
	}
	return &tokenLimits{limit: rate.Limit(perSecond), burst: 2 * perSecond, byID: map[int64]*rate.Limiter{}}
}

// wait is how long token id must wait before its next request, 0 when it
// may go now (and the request is counted).
func (t *tokenLimits) wait(id int64, now time.Time) time.Duration {
	if t == nil {
		return 0
	}
	t.mu.Lock()
	l, ok := t.byID[id]
	if !ok {
		l = rate.NewLimiter(t.limit, t.burst)
		t.byID[id] = l
	}
	t.mu.Unlock()
	res := l.ReserveN(now, 1)
	if d := res.DelayFrom(now); d > 0 {
		res.CancelAt(now)
		return d
	}
	return 0
}

// retryAfter is a Retry-After value: whole seconds, at least 1.
func retryAfter(d time.Duration) string {
	return strconv.Itoa(max(1, int(math.Ceil(d.Seconds()))))
}
