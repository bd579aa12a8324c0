package account_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/account"
	"github.com/segments/segments/server/apperr"
	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/change/changetest"
	"github.com/segments/segments/server/db"
)

// withoutNotice runs sql with api_tokens' change trigger off, so no
// instance hears of it: what a cache answers then is what it kept.
func withoutNotice(t *testing.T, d *db.DB, sql string) {
	t.Helper()
	ctx := context.Background()
	tx, err := d.BeginTx(ctx, nil)
	require.NoError(t, err)
	defer tx.Rollback() //nolint:errcheck // committed below
	for _, s := range []string{`ALTER TABLE api_tokens DISABLE TRIGGER api_tokens_change`, sql, `ALTER TABLE api_tokens ENABLE TRIGGER api_tokens_change`} {
		_, err = db.Exec(ctx, tx, s)
		require.NoError(t, err)
	}
	require.NoError(t, tx.Commit())
}

func TestARevokedTokenIsRefusedOnEveryInstance(t *testing.T) {
	t.Parallel()
	s, d, ctx, ids := setup(t)
	// Two instances of the server: each its own service and listener.
	one := account.NewService(d).CacheTokens(changetest.Listen(t, d))
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
	withoutNotice(t, d, `UPDATE api_tokens SET role = 'admin'`)
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

func TestACachedTokenStillExpiresAndRecordsItsUseOnceAMinute(t *testing.T) {
	t.Parallel()
	_, d, ctx, _ := setup(t)
	s := account.NewService(d).CacheTokens(changetest.Listen(t, d))
	clock := time.Now().Truncate(time.Microsecond)
	account.SetClock(s, func() time.Time { return clock })
	expires := clock.Add(2 * time.Minute)
	tok, secret, err := s.CreateToken(ctx, account.NewToken{Name: "bi", Role: auth.Analyst, Expires: &expires})
	require.NoError(t, err)
	lastUsed := func() time.Time {
		var at time.Time
		require.NoError(t, d.NewSelect().Table("api_tokens").Column("last_used_at").Where("id = ?", tok.ID).Scan(ctx, &at))
		return at
	}
	_, err = s.TokenPrincipal(ctx, secret)
	require.NoError(t, err)
	first := lastUsed()
	require.True(t, first.Equal(clock))

	clock = clock.Add(30 * time.Second)
	_, err = s.TokenPrincipal(ctx, secret)
	require.NoError(t, err)
	require.True(t, lastUsed().Equal(first), "a second use within the minute writes nothing")

	clock = clock.Add(31 * time.Second)
	_, err = s.TokenPrincipal(ctx, secret)
	require.NoError(t, err)
	require.True(t, lastUsed().Equal(clock), "a minute on, the use is written again")

	clock = expires
	_, err = s.TokenPrincipal(ctx, secret)
	requireKind(t, err, apperr.Unauthenticated, "expired")
}
