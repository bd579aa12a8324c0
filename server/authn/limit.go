package authn

import (
	"math"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"golang.org/x/time/rate"

	"github.com/segments/segments/server/ratelimit"
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

// retryAfter is a Retry-After value: whole seconds, at least 1.
func retryAfter(d time.Duration) string {
	return strconv.Itoa(max(1, int(math.Ceil(d.Seconds()))))
}

// tokenLimits is a token bucket per API token id: perSecond requests a
// second in bursts of twice that; nil (no limit) when perSecond is 0.
func tokenLimits(perSecond int) *ratelimit.Keyed[int64] {
	if perSecond <= 0 {
		return nil
	}
	return ratelimit.New[int64](rate.Limit(perSecond), 2*perSecond)
}
