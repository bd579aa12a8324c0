package account_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/account"
	"github.com/segments/segments/server/apperr"
	"github.com/segments/segments/server/audit"
	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/catalog"
	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/db/dbtest"
	"github.com/segments/segments/server/page"
)

// as returns ctx acting as p.
func as(ctx context.Context, p *auth.Principal) context.Context { return auth.With(ctx, p) }

func events(t *testing.T, d *db.DB, action string) []audit.Event {
	t.Helper()
	var out []audit.Event
	require.NoError(t, d.NewSelect().Model(&out).Where("action = ?", action).Order("id").Scan(context.Background()))
	return out
}

func TestCreateUpdateAndListUsers(t *testing.T) {
	t.Parallel()
	s, d, ctx, ws := setup(t)
	boss := &auth.Principal{Kind: auth.User, ID: 99, Name: "boss@example.com", Role: auth.Admin}
	actx := as(ctx, boss)

	var ids []int64
	for i := range 5 {
		u, err := s.CreateUser(actx, account.NewUser{Email: fmt.Sprintf("u%d@example.com", i), Password: goodPassword, Role: auth.Viewer, Websites: []int64{ws[1], ws[0], ws[1]}})
		require.NoError(t, err)
		require.Equal(t, []int64{ws[0], ws[1]}, u.Websites)
		require.True(t, u.MustChangePassword, "an admin chose the password")
		require.Equal(t, "user:99", u.CreatedBy)
		ids = append(ids, u.ID)
	}

	// Pages of two, by id.
	var seen []int64
	after := ""
	for pages := 0; ; pages++ {
		require.Less(t, pages, 3)
		p, err := s.Users(actx, 2, after)
		require.NoError(t, err)
		for _, u := range p.Users {
			seen = append(seen, u.ID)
		}
		if !p.Info.HasNextPage {
			break
		}
		after = p.Cursors[len(p.Cursors)-1]
	}
	require.Equal(t, ids, seen)
	_, err := s.Users(actx, 0, "not-a-cursor")
	requireKind(t, err, apperr.BadInput, "cursor")
	_, err = s.Users(actx, 500, "")
	requireKind(t, err, apperr.BadInput, "first must be between 1 and 200")

	editor := auth.Editor
	none := []int64{}
	u, err := s.UpdateUser(actx, ids[0], account.UserChange{Role: &editor, Websites: &none})
	require.NoError(t, err)
	require.Equal(t, auth.Editor, u.Role)
	require.Empty(t, u.Websites)
	got, err := s.User(actx, ids[0])
	require.NoError(t, err)
	require.Equal(t, u.Role, got.Role)
	require.Empty(t, got.Websites)
	require.True(t, got.CredentialsChangedAt.After(got.CreatedAt))

	// Nothing changed: nothing recorded.
	_, err = s.UpdateUser(actx, ids[0], account.UserChange{Role: &editor})
	require.NoError(t, err)
	ev := events(t, d, audit.UserUpdated)
	require.Len(t, ev, 1)
	require.Equal(t, []int64{ids[0]}, ev[0].SubjectIDs)
	require.Equal(t, "user:99", ev[0].Principal)
	require.Equal(t, []any{"role", "websites"}, ev[0].Details["fields"])
	require.Equal(t, "editor", ev[0].Details["role"])
	require.Len(t, events(t, d, audit.UserCreated), 5)

	// A password reset is recorded without the password.
	pw := "reset by the admin!"
	_, err = s.UpdateUser(actx, ids[1], account.UserChange{Password: &pw})
	require.NoError(t, err)
	var dump string
	require.NoError(t, d.NewRaw(`SELECT string_agg(ae::text, ' ') FROM audit_events ae`).Scan(ctx, &dump))
	require.NotContains(t, dump, pw)
	require.NotContains(t, dump, goodPassword)
	require.NoError(t, d.NewRaw(`SELECT string_agg(details::text, ' ') FROM audit_events`).Scan(ctx, &dump))
	require.NotContains(t, dump, "@example.com", "audit details hold ids, not emails")

	_, err = s.User(actx, 12345)
	requireKind(t, err, apperr.NotFound, "user 12345 does not exist")
	_, err = s.UpdateUser(actx, 12345, account.UserChange{Role: &editor})
	requireKind(t, err, apperr.NotFound, "user 12345 does not exist")
}

// Every page of users is one statement, the users and whether any lie
// before the cursor, including a page without users: none yet, none in the
// admin's websites, or past the last.
func TestAUsersPageIsOneStatement(t *testing.T) {
	t.Parallel()
	d, statements := dbtest.Counted(t)
	ctx := auth.AsSystem(context.Background())
	_, err := catalog.CreateWebsites(ctx, d, []string{"a", "b"})
	require.NoError(t, err)
	ws, err := catalog.Websites(ctx, d)
	require.NoError(t, err)
	s := account.NewService(d)
	list := func(ctx context.Context, first int, after string) account.UserPage {
		t.Helper()
		before := statements.Load()
		p, err := s.Users(ctx, first, after)
		require.NoError(t, err)
		require.Equal(t, int64(1), statements.Load()-before, "statements for a page")
		return p
	}
	ids := func(p account.UserPage) []int64 {
		out := []int64{}
		for _, u := range p.Users {
			out = append(out, u.ID)
		}
		return out
	}

	p := list(ctx, 2, "")
	require.Empty(t, p.Users, "no users yet")
	require.Equal(t, page.Info{}, p.Info)

	var want []int64
	for i := range 3 {
		u, err := s.CreateUser(ctx, account.NewUser{Email: fmt.Sprintf("p%d@example.com", i), Password: goodPassword, Role: auth.Viewer, Websites: []int64{ws[0].ID}})
		require.NoError(t, err)
		want = append(want, u.ID)
	}
	p = list(ctx, 2, "")
	require.Equal(t, want[:2], ids(p))
	require.Equal(t, auth.Viewer, p.Users[0].Role)
	require.Equal(t, []int64{ws[0].ID}, p.Users[0].Websites)
	require.Equal(t, page.Info{HasNextPage: true}, p.Info)
	p = list(ctx, 2, p.Cursors[1])
	require.Equal(t, want[2:], ids(p))
	require.Equal(t, page.Info{HasPreviousPage: true}, p.Info)
	p = list(ctx, 2, p.Cursors[0])
	require.Empty(t, p.Users, "past the last user")
	require.Equal(t, page.Info{HasPreviousPage: true}, p.Info)

	elsewhere := as(ctx, &auth.Principal{Kind: auth.User, ID: 50, Name: "b-admin", Role: auth.Admin, Websites: []int64{ws[1].ID}})
	p = list(elsewhere, 2, "")
	require.Empty(t, p.Users, "nobody in the admin's websites")
	require.Equal(t, page.Info{}, p.Info)
}

func TestBadUserInputIsRefusedNamingTheRule(t *testing.T) {
	t.Parallel()
	s, d, ctx, _ := setup(t)
	_, err := s.CreateUser(ctx, account.NewUser{Email: "ann@example.com", Password: goodPassword, Role: auth.Viewer})
	require.NoError(t, err)
	for _, tc := range []struct {
		nu   account.NewUser
		says string
	}{
		{account.NewUser{Email: "ANN@example.com", Password: goodPassword, Role: auth.Viewer}, "a user with email ANN@example.com exists"},
		{account.NewUser{Email: "bob@example.com", Password: "too short", Role: auth.Viewer}, "password has 9 characters: use at least 12"},
		{account.NewUser{Email: "bob@example.com", Password: strings.Repeat("é", 501), Role: auth.Viewer}, "password is 1002 bytes long: at most 1000"},
		{account.NewUser{Email: "bob@example.com", Password: "ten chars\xff and more", Role: auth.Viewer}, "not valid UTF-8"},
		{account.NewUser{Email: "Bob <bob@example.com>", Password: goodPassword, Role: auth.Viewer}, "is not an email address"},
		{account.NewUser{Email: "bob", Password: goodPassword, Role: auth.Viewer}, "is not an email address"},
		{account.NewUser{Email: " ", Password: goodPassword, Role: auth.Viewer}, "email is required"},
		{account.NewUser{Email: "bob@example.com", Password: goodPassword, Role: auth.Viewer, Websites: []int64{777}}, "website 777 does not exist"},
		{account.NewUser{Email: "bob@example.com", Password: goodPassword}, "is not one of analyst"},
	} {
		_, err := s.CreateUser(ctx, tc.nu)
		requireKind(t, err, apperr.BadInput, tc.says)
	}
	// Twelve characters, not bytes: accented letters count once.
	_, err = s.CreateUser(ctx, account.NewUser{Email: "cy@example.com", Password: strings.Repeat("é", 12), Role: auth.Viewer})
	require.NoError(t, err)
	var n int
	require.NoError(t, d.NewSelect().Table("users").ColumnExpr("count(*)").Scan(ctx, &n))
	require.Equal(t, 2, n, "nothing else was created")
}

func TestNobodyGrantsMoreThanTheyHold(t *testing.T) {
	t.Parallel()
	s, _, ctx, ws := setup(t)
	scopedAdmin := as(ctx, &auth.Principal{Kind: auth.User, ID: 50, Name: "eu-admin", Role: auth.Admin, Websites: []int64{ws[0]}})
	editor := as(ctx, &auth.Principal{Kind: auth.User, ID: 51, Name: "ed", Role: auth.Editor})
	token := as(ctx, &auth.Principal{Kind: auth.Token, ID: 3, Name: "ci", Role: auth.Viewer})

	_, err := s.CreateUser(editor, account.NewUser{Email: "x@example.com", Password: goodPassword, Role: auth.Analyst})
	requireKind(t, err, apperr.Forbidden, "managing users needs the ADMIN role")
	_, _, err = s.CreateToken(token, account.NewToken{Name: "t", Role: auth.Analyst})
	requireKind(t, err, apperr.Forbidden, "managing API tokens needs the ADMIN role")
	_, err = s.Users(context.Background(), 0, "")
	requireKind(t, err, apperr.Unauthenticated, "sign in")

	_, err = s.CreateUser(scopedAdmin, account.NewUser{Email: "x@example.com", Password: goodPassword, Role: auth.Viewer, Websites: []int64{ws[0], ws[1]}})
	requireKind(t, err, apperr.Forbidden, fmt.Sprintf("you cannot grant website %d", ws[1]))
	_, err = s.CreateUser(scopedAdmin, account.NewUser{Email: "x@example.com", Password: goodPassword, Role: auth.Viewer})
	requireKind(t, err, apperr.Forbidden, "you cannot grant every website")
	_, _, err = s.CreateToken(scopedAdmin, account.NewToken{Name: "t", Role: auth.Viewer, Websites: []int64{ws[2]}})
	requireKind(t, err, apperr.Forbidden, fmt.Sprintf("you cannot grant website %d", ws[2]))

	mine, err := s.CreateUser(scopedAdmin, account.NewUser{Email: "x@example.com", Password: goodPassword, Role: auth.Editor, Websites: []int64{ws[0]}})
	require.NoError(t, err)
	wide, err := s.CreateUser(ctx, account.NewUser{Email: "w@example.com", Password: goodPassword, Role: auth.Viewer})
	require.NoError(t, err)
	more := []int64{ws[0], ws[1]}
	_, err = s.UpdateUser(scopedAdmin, mine.ID, account.UserChange{Websites: &more})
	requireKind(t, err, apperr.Forbidden, fmt.Sprintf("you cannot grant website %d", ws[1]))
	// Someone who sees more is out of the scoped admin's reach and sight.
	yes := true
	_, err = s.UpdateUser(scopedAdmin, wide.ID, account.UserChange{Disabled: &yes})
	requireKind(t, err, apperr.NotFound, "does not exist")
	page, err := s.Users(scopedAdmin, 0, "")
	require.NoError(t, err)
	require.Len(t, page.Users, 1)
	require.Equal(t, mine.ID, page.Users[0].ID)

	// An editor admin cannot be made by a role that lacks it.
	viewerAdmin := as(ctx, &auth.Principal{Kind: auth.User, ID: 52, Name: "odd", Role: auth.Viewer})
	_, err = s.CreateUser(viewerAdmin, account.NewUser{Email: "y@example.com", Password: goodPassword, Role: auth.Admin})
	requireKind(t, err, apperr.Forbidden, "ADMIN role")
}

func TestTheLastAdminOfEveryWebsiteStays(t *testing.T) {
	t.Parallel()
	s, _, ctx, ws := setup(t)
	a, err := s.CreateUser(ctx, account.NewUser{Email: "a@example.com", Password: goodPassword, Role: auth.Admin})
	require.NoError(t, err)
	b, err := s.CreateUser(ctx, account.NewUser{Email: "b@example.com", Password: goodPassword, Role: auth.Admin})
	require.NoError(t, err)
	yes := true
	viewer := auth.Viewer
	scoped := []int64{ws[0]}
	_, err = s.UpdateUser(ctx, b.ID, account.UserChange{Disabled: &yes})
	require.NoError(t, err)
	for _, c := range []account.UserChange{{Disabled: &yes}, {Role: &viewer}, {Websites: &scoped}} {
		_, err = s.UpdateUser(ctx, a.ID, c)
		requireKind(t, err, apperr.BadInput, "a@example.com is the last enabled admin of every website")
	}
	got, err := s.User(ctx, a.ID)
	require.NoError(t, err)
	require.Equal(t, auth.Admin, got.Role)
	require.False(t, got.Disabled())
}

func TestChangeOwnPassword(t *testing.T) {
	t.Parallel()
	s, d, ctx, _ := setup(t)
	u, err := s.CreateUser(as(ctx, &auth.Principal{Kind: auth.User, ID: 7, Name: "boss", Role: auth.Admin}),
		account.NewUser{Email: "ann@example.com", Password: goodPassword, Role: auth.Viewer})
	require.NoError(t, err)
	require.True(t, u.MustChangePassword)
	p, err := s.Authenticate(ctx, "ann@example.com", goodPassword)
	require.NoError(t, err)
	me := as(ctx, p)

	requireKind(t, s.ChangePassword(me, "wrong current pw", "my very own password"), apperr.BadInput, "the current password is wrong")
	requireKind(t, s.ChangePassword(me, goodPassword, "short"), apperr.BadInput, "use at least 12")
	requireKind(t, s.ChangePassword(me, goodPassword, goodPassword), apperr.BadInput, "the same as the current one")
	requireKind(t, s.ChangePassword(ctx, goodPassword, "my very own password"), apperr.Forbidden, "only a signed-in user")
	require.NoError(t, s.ChangePassword(me, goodPassword, "my very own password"))

	_, err = s.Authenticate(ctx, "ann@example.com", goodPassword)
	require.Error(t, err)
	_, err = s.Authenticate(ctx, "ann@example.com", "my very own password")
	require.NoError(t, err)
	got, err := s.User(ctx, u.ID)
	require.NoError(t, err)
	require.False(t, got.MustChangePassword)
	ev := events(t, d, audit.UserPasswordChanged)
	require.Len(t, ev, 1)
	require.Equal(t, []int64{u.ID}, ev[0].SubjectIDs)
}

func TestTokensListAndRevoke(t *testing.T) {
	t.Parallel()
	s, d, ctx, _ := setup(t)
	a, _, err := s.CreateToken(ctx, account.NewToken{Name: "a", Role: auth.Viewer})
	require.NoError(t, err)
	b, _, err := s.CreateToken(ctx, account.NewToken{Name: "b", Role: auth.Editor})
	require.NoError(t, err)
	_, _, err = s.CreateToken(ctx, account.NewToken{Name: " a ", Role: auth.Viewer})
	requireKind(t, err, apperr.BadInput, `a token named "a" exists`)
	_, _, err = s.CreateToken(ctx, account.NewToken{Name: "42", Role: auth.Viewer})
	requireKind(t, err, apperr.BadInput, "only digits")
	_, err = s.RevokeToken(ctx, a.ID)
	require.NoError(t, err)
	again, err := s.RevokeToken(ctx, a.ID)
	require.NoError(t, err)
	require.NotNil(t, again.RevokedAt)
	_, err = s.RevokeToken(ctx, 999)
	requireKind(t, err, apperr.NotFound, "API token 999 does not exist")

	active, err := s.Tokens(ctx, false)
	require.NoError(t, err)
	require.Len(t, active, 1)
	require.Equal(t, b.ID, active[0].ID)
	all, err := s.Tokens(ctx, true)
	require.NoError(t, err)
	require.Len(t, all, 2)
	require.Len(t, events(t, d, audit.TokenCreated), 2)
	require.Len(t, events(t, d, audit.TokenRevoked), 1, "revoking twice records once")
}

func TestTwoAdminsDemotingEachOtherAtOnceLeaveOne(t *testing.T) {
	t.Parallel()
	s, _, ctx, _ := setup(t)
	a, err := s.CreateUser(ctx, account.NewUser{Email: "a@example.com", Password: goodPassword, Role: auth.Admin})
	require.NoError(t, err)
	b, err := s.CreateUser(ctx, account.NewUser{Email: "b@example.com", Password: goodPassword, Role: auth.Admin})
	require.NoError(t, err)
	viewer := auth.Viewer
	errs := make(chan error, 2)
	for _, id := range []int64{a.ID, b.ID} {
		go func() {
			_, err := s.UpdateUser(ctx, id, account.UserChange{Role: &viewer})
			errs <- err
		}()
	}
	first, second := <-errs, <-errs
	if first != nil {
		first, second = second, first
	}
	require.NoError(t, first)
	requireKind(t, second, apperr.BadInput, "is the last enabled admin of every website")
}

func TestPasswordChangeAttemptsAreLimitedPerUser(t *testing.T) {
	t.Parallel()
	s, _, ctx, _ := setup(t)
	clock := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	account.SetClock(s, func() time.Time { return clock })
	_, err := s.CreateUser(ctx, account.NewUser{Email: "ann@example.com", Password: goodPassword, Role: auth.Viewer})
	require.NoError(t, err)
	p, err := s.Authenticate(ctx, "ann@example.com", goodPassword)
	require.NoError(t, err)
	me := as(ctx, p)
	var mu sync.Mutex
	hashes := 0
	account.OnHash(s, func(int) { mu.Lock(); hashes++; mu.Unlock() })
	count := func() int { mu.Lock(); defer mu.Unlock(); return hashes }

	for range 5 {
		requireKind(t, s.ChangePassword(me, "wrong current pw", "my very own password"), apperr.BadInput, "the current password is wrong")
	}
	require.Equal(t, 5, count())
	// The sixth try within the minute is refused before hashing, even
	// with the right password.
	requireKind(t, s.ChangePassword(me, goodPassword, "my very own password"), apperr.Forbidden, "Too many password attempts; try again in a minute.")
	require.Equal(t, 5, count())
	// Another user is not held back by ann's tries.
	_, err = s.CreateUser(ctx, account.NewUser{Email: "bob@example.com", Password: goodPassword, Role: auth.Viewer})
	require.NoError(t, err)
	pb, err := s.Authenticate(ctx, "bob@example.com", goodPassword)
	require.NoError(t, err)
	require.NoError(t, s.ChangePassword(as(ctx, pb), goodPassword, "bob's very own password"))

	clock = clock.Add(time.Minute)
	require.NoError(t, s.ChangePassword(me, goodPassword, "my very own password"))
}
