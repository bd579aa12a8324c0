package account_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/account"
	"github.com/segments/segments/server/apperr"
	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/catalog"
	"github.com/segments/segments/server/change/changetest"
	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/db/dbtest"
)

const goodPassword = "correct horse battery"

// setup returns a service over a fresh database with websites "a", "b"
// and "c" (their ids in that order), and a system context.
func setup(t *testing.T) (*account.Service, *db.DB, context.Context, []int64) {
	t.Helper()
	d := dbtest.New(t)
	ctx := auth.AsSystem(context.Background())
	_, err := catalog.CreateWebsites(ctx, d, []string{"a", "b", "c"})
	require.NoError(t, err)
	ws, err := catalog.Websites(ctx, d)
	require.NoError(t, err)
	ids := make([]int64, len(ws))
	for i, w := range ws {
		ids[i] = w.ID
	}
	return account.NewService(d), d, ctx, ids
}

func requireKind(t *testing.T, err error, kind apperr.Kind, says string) {
	t.Helper()
	require.Error(t, err)
	e, ok := apperr.As(err)
	require.True(t, ok, "not an apperr: %v", err)
	require.Equal(t, kind, e.Kind, e.Message)
	require.Contains(t, e.Message, says)
}

func TestSignInWithEmailAndPassword(t *testing.T) {
	t.Parallel()
	s, _, ctx, ws := setup(t)
	u, err := s.CreateUser(ctx, account.NewUser{Email: "Ann@Example.com", Password: goodPassword, Role: auth.Viewer, Websites: []int64{ws[1]}})
	require.NoError(t, err)

	p, err := s.Authenticate(ctx, "ann@example.COM", goodPassword)
	require.NoError(t, err)
	require.Equal(t, &auth.Principal{Kind: auth.User, ID: u.ID, Name: "Ann@Example.com", Email: "Ann@Example.com", Role: auth.Viewer, Websites: []int64{ws[1]}}, p)

	// Unknown email, wrong password and a disabled user: one answer.
	_, wrong := s.Authenticate(ctx, "ann@example.com", "not the password")
	_, unknown := s.Authenticate(ctx, "bob@example.com", goodPassword)
	requireKind(t, wrong, apperr.Unauthenticated, "Wrong email or password.")
	require.Equal(t, wrong, unknown)
	yes := true
	_, err = s.UpdateUser(ctx, u.ID, account.UserChange{Disabled: &yes})
	require.NoError(t, err)
	_, disabled := s.Authenticate(ctx, "ann@example.com", goodPassword)
	require.Equal(t, wrong, disabled)
	_, long := s.Authenticate(ctx, "ann@example.com", strings.Repeat("x", 2000))
	require.Equal(t, wrong, long)
}

func TestAnUnknownEmailCostsAWrongPasswordsHash(t *testing.T) {
	t.Parallel()
	dummy, current := account.DummyHashParams()
	require.Equal(t, current, dummy)
}

func TestChangingAUserEndsItsSessions(t *testing.T) {
	t.Parallel()
	s, _, ctx, ws := setup(t)
	now := time.Now()
	clock := now
	account.SetClock(s, func() time.Time { return clock })
	u, err := s.CreateUser(ctx, account.NewUser{Email: "ann@example.com", Password: goodPassword, Role: auth.Editor})
	require.NoError(t, err)
	signedIn := now.Add(time.Second)
	p, err := s.UserPrincipal(ctx, u.ID, signedIn)
	require.NoError(t, err)
	require.Equal(t, auth.Editor, p.Role)
	require.Nil(t, p.Websites)

	viewer := auth.Viewer
	scoped := []int64{ws[0]}
	pw := "another long password"
	yes, no := true, false
	for i, c := range []account.UserChange{{Role: &viewer}, {Websites: &scoped}, {Password: &pw}, {Disabled: &yes}} {
		clock = clock.Add(time.Minute)
		_, err := s.UpdateUser(ctx, u.ID, c)
		require.NoError(t, err, i)
		_, err = s.UserPrincipal(ctx, u.ID, signedIn)
		requireKind(t, err, apperr.Unauthenticated, "sign in again")
		signedIn = clock.Add(time.Second)
		if c.Disabled == nil {
			p, err := s.UserPrincipal(ctx, u.ID, signedIn)
			require.NoError(t, err, i)
			require.Equal(t, auth.Viewer, p.Role)
		}
	}
	// Disabled: no session holds, however recent.
	_, err = s.UserPrincipal(ctx, u.ID, signedIn)
	requireKind(t, err, apperr.Unauthenticated, "sign in again")
	clock = clock.Add(time.Minute)
	_, err = s.UpdateUser(ctx, u.ID, account.UserChange{Disabled: &no})
	require.NoError(t, err)
	p, err = s.UserPrincipal(ctx, u.ID, clock.Add(time.Second))
	require.NoError(t, err)
	require.Equal(t, []int64{ws[0]}, p.Websites)

	_, err = s.UserPrincipal(ctx, 9999, signedIn)
	requireKind(t, err, apperr.Unauthenticated, "sign in again")
}

func TestTokenSecretIsShownOnceAndStoredOnlyAsItsHash(t *testing.T) {
	t.Parallel()
	s, d, ctx, ws := setup(t)
	tok, secret, err := s.CreateToken(ctx, account.NewToken{Name: "nightly export", Role: auth.Editor, Websites: []int64{ws[2], ws[0]}})
	require.NoError(t, err)
	require.Regexp(t, `^seg_[A-Za-z0-9_-]{43}$`, secret)
	require.Equal(t, []int64{ws[0], ws[2]}, tok.Websites)

	// Nothing in the table holds the secret or its random part.
	var dump string
	require.NoError(t, d.NewRaw(`SELECT string_agg(t::text || encode(t.secret_sha256, 'escape'), ' ') FROM api_tokens t`).Scan(ctx, &dump))
	require.NotContains(t, dump, secret)
	require.NotContains(t, dump, strings.TrimPrefix(secret, "seg_"))
	listed, err := s.Tokens(ctx, false)
	require.NoError(t, err)
	require.Len(t, listed, 1)
	require.Equal(t, "nightly export", listed[0].Name)

	p, err := s.TokenPrincipal(ctx, secret)
	require.NoError(t, err)
	require.Equal(t, &auth.Principal{Kind: auth.Token, ID: tok.ID, Name: "nightly export", Role: auth.Editor, Websites: []int64{ws[0], ws[2]}}, p)
}

func TestBadTokensAreUnauthenticated(t *testing.T) {
	t.Parallel()
	s, _, ctx, _ := setup(t)
	now := time.Now()
	clock := now
	account.SetClock(s, func() time.Time { return clock })
	soon := now.Add(time.Hour)
	_, expiring, err := s.CreateToken(ctx, account.NewToken{Name: "short lived", Role: auth.Viewer, Expires: &soon})
	require.NoError(t, err)
	revokedTok, revoked, err := s.CreateToken(ctx, account.NewToken{Name: "revoked", Role: auth.Viewer})
	require.NoError(t, err)
	_, err = s.TokenPrincipal(ctx, expiring)
	require.NoError(t, err)
	_, err = s.RevokeToken(ctx, revokedTok.ID)
	require.NoError(t, err)

	_, err = s.TokenPrincipal(ctx, revoked)
	requireKind(t, err, apperr.Unauthenticated, "revoked")
	clock = soon
	_, err = s.TokenPrincipal(ctx, expiring)
	requireKind(t, err, apperr.Unauthenticated, "expired")
	_, err = s.TokenPrincipal(ctx, "seg_"+strings.Repeat("A", 43))
	requireKind(t, err, apperr.Unauthenticated, "not known")
	for _, bad := range []string{"", "seg_", "seg_short", "tok_" + strings.Repeat("A", 43), "seg_" + strings.Repeat("!", 43), expiring + "x"} {
		_, err = s.TokenPrincipal(ctx, bad)
		requireKind(t, err, apperr.Unauthenticated, "malformed")
	}
}

func TestTokenLastUseIsWrittenAtMostOnceAMinute(t *testing.T) {
	t.Parallel()
	for _, cached := range []bool{false, true} {
		t.Run(map[bool]string{false: "read each time", true: "cached"}[cached], func(t *testing.T) {
			t.Parallel()
			s, d, ctx, _ := setup(t)
			if cached {
				s.CacheTokens(changetest.Listen(t, d))
			}
			clock := time.Now().Truncate(time.Microsecond)
			account.SetClock(s, func() time.Time { return clock })
			tok, secret, err := s.CreateToken(ctx, account.NewToken{Name: "bi", Role: auth.Analyst})
			require.NoError(t, err)
			require.Nil(t, tok.LastUsedAt)
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
			require.True(t, lastUsed().Equal(clock))
		})
	}
}

func TestAtMostAFewPasswordHashesRunAtOnce(t *testing.T) {
	t.Parallel()
	s, _, ctx, _ := setup(t)
	_, err := s.CreateUser(ctx, account.NewUser{Email: "ann@example.com", Password: goodPassword, Role: auth.Viewer})
	require.NoError(t, err)

	limit := account.MaxHashes()
	var mu sync.Mutex
	most := 0
	full := make(chan struct{})
	var once sync.Once
	account.OnHash(s, func(running int) {
		mu.Lock()
		most = max(most, running)
		mu.Unlock()
		if running == limit {
			once.Do(func() { close(full) })
		}
		// Hold the slot until every slot has been taken once, so the
		// callers really overlap; the bound is what the test checks.
		select {
		case <-full:
		case <-time.After(10 * time.Second):
		}
	})
	var wg sync.WaitGroup
	for i := range 4 * limit {
		wg.Go(func() {
			email := "ann@example.com"
			if i%2 == 1 {
				email = "nobody@example.com"
			}
			_, err := s.Authenticate(ctx, email, "wrong password!")
			requireKind(t, err, apperr.Unauthenticated, "Wrong email or password.")
		})
	}
	wg.Wait()
	require.Equal(t, limit, most)
}
