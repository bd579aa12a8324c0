package account

import (
	"sync/atomic"

	"github.com/segments/segments/server/change"
)

// tokenCacheSize bounds how many API tokens one instance keeps resolved:
// far more than a store has, so only a flood of distinct tokens evicts.
const tokenCacheSize = 10_000

// cachedToken is an API token as TokenPrincipal read it. Expiry and
// revocation are checked on every request from it, with the time of the
// request.
type cachedToken struct {
	t Token
	// lastUse is when this instance last recorded the token's use, or saw
	// it recorded (Unix nanoseconds; 0: never), so it writes at most once
	// a minute without reading the row.
	lastUse atomic.Int64
}

// CacheTokens has s keep the tokens TokenPrincipal resolves, by their
// secret's hash, until api_tokens or api_token_websites change on any
// instance (change.APITokens, sent by the database's triggers) or l
// reconnects; a revocation on another instance takes effect here as soon
// as its notification arrives, one here at once. It returns s.
func (s *Service) CacheTokens(l *change.Listener) *Service {
	s.tokens = change.NewLRU[[32]byte, *cachedToken](l, tokenCacheSize, change.APITokens)
	return s
}
