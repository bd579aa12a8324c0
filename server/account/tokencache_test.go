package account_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/account"
	"github.com/segments/segments/server/apperr"
	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/change/changetest"
)

func TestARevokedTokenIsRefusedOnEveryInstance(t *testing.T) {
	t.Parallel()
	s, d, ctx, ids := setup(t)
	// Two instances of the server: each its own service and listener.
	l := changetest.Listen(t, d)
	one := account.NewService(d).CacheTokens(l)
	two := account.NewService(d).CacheTokens(changetest.Listen(t, d))
	tok, secret, err := s.CreateToken(ctx, account.NewToken{Name: "bi", Role: auth.Viewer, Websites: []int64{ids[1]}})
	require.NoError(t, err)
	for _, inst := range []*account.Service{one, two} {
		p, err := inst.TokenPrincipal(ctx, secret)
		require.NoError(t, err)
		require.Equal(t, auth.Viewer, p.Role)
		require.Equal(t, []int64{ids[1]}, p.Websites)
	}

	// Kept: a change nobody is told of is not seen.
	changetest.Settle(t, d, l)
	_, err = one.TokenPrincipal(ctx, secret)
	require.NoError(t, err)
	changetest.Unnoticed(t, d, `UPDATE api_tokens SET role = 'admin'`, "api_tokens")
	p, err := one.TokenPrincipal(ctx, secret)
	require.NoError(t, err)
	require.Equal(t, auth.Viewer, p.Role, "the token is answered from memory")

	// Revoked through instance one: refused there at once, and on instance
	// two as soon as the notification arrives.
	_, err = one.RevokeToken(ctx, tok.ID)
	require.NoError(t, err)
	_, err = one.TokenPrincipal(ctx, secret)
	requireKind(t, err, apperr.Unauthenticated, "revoked")
	require.Eventually(t, func() bool {
		_, err := two.TokenPrincipal(ctx, secret)
		e, ok := apperr.As(err)
		return ok && e.Kind == apperr.Unauthenticated
	}, 10*time.Second, 5*time.Millisecond, "instance two refuses the revoked token")
}

func TestACachedTokenStillExpires(t *testing.T) {
	t.Parallel()
	_, d, ctx, _ := setup(t)
	s := account.NewService(d).CacheTokens(changetest.Listen(t, d))
	clock := time.Now()
	account.SetClock(s, func() time.Time { return clock })
	expires := clock.Add(2 * time.Minute)
	_, secret, err := s.CreateToken(ctx, account.NewToken{Name: "bi", Role: auth.Analyst, Expires: &expires})
	require.NoError(t, err)
	_, err = s.TokenPrincipal(ctx, secret)
	require.NoError(t, err)
	clock = expires
	_, err = s.TokenPrincipal(ctx, secret)
	requireKind(t, err, apperr.Unauthenticated, "expired")
}
