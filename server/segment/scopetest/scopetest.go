// Package scopetest builds a small store of three websites for tests of
// website scope: segments on one website, on two, on all three, and
// principals limited to the first website or allowed on every one.
package scopetest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/segments/segments/server/actor"
	"github.com/segments/segments/server/apperr"
	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/db/dbtest"
	"github.com/segments/segments/server/rule"
	"github.com/segments/segments/server/segment"
)

// PerWebsite is how many customers each website has; every customer has
// an email, so every segment holds every customer of its websites, and
// Country splits each website's customers in two: SE for even ids, NO for
// odd ones.
const PerWebsite = 10

// Store is the seeded store.
type Store struct {
	DB *db.DB
	// A, B and C are the websites' ids (codes "a", "b", "c").
	A, B, C int64
	// OnlyA, OnlyB, MixedAB and All are segments of website a, website b,
	// websites a and b, and every website; all hold every customer of
	// their websites, refreshed.
	OnlyA, OnlyB, MixedAB, All int64
	// Customers are the customer ids of each website.
	Customers map[int64][]int64
}

// ScopedA is an editor limited to website a, for a test's own user id.
func (s *Store) ScopedA(id int64) *auth.Principal {
	return &auth.Principal{Kind: auth.User, ID: id, Name: fmt.Sprintf("a%d@example.com", id), Role: auth.Editor, Websites: []int64{s.A}}
}

// Everyone is an editor of every website.
func (s *Store) Everyone(id int64) *auth.Principal {
	return &auth.Principal{Kind: auth.User, ID: id, Name: fmt.Sprintf("all%d@example.com", id), Role: auth.Editor}
}

// As returns a context acting for p.
func As(p *auth.Principal) context.Context { return auth.With(context.Background(), p) }

// EveryCustomer is a rule every customer matches.
func EveryCustomer() rule.Group {
	return rule.Group{Match: rule.MatchAll, Expect: true, Conditions: []rule.Condition{
		{Customer: &rule.CustomerCondition{Field: rule.FieldEmail, Operator: rule.OpContains, Values: []string{"@"}}},
	}}
}

// New seeds a fresh database with the store and refreshes its segments.
func New(t testing.TB) *Store {
	t.Helper()
	d := dbtest.New(t)
	ctx := auth.AsSystem(context.Background())
	s := &Store{DB: d, Customers: map[int64][]int64{}}
	require.NoError(t, db.Get(ctx, d, `WITH w AS (INSERT INTO websites (code, name) VALUES ('a', 'Alpha'), ('b', 'Beta'), ('c', 'Gamma') RETURNING id, code)
		SELECT (SELECT id FROM w WHERE code = 'a'), (SELECT id FROM w WHERE code = 'b'), (SELECT id FROM w WHERE code = 'c')`, nil, &s.A, &s.B, &s.C))
	var group int64
	require.NoError(t, db.Get(ctx, d, `INSERT INTO customer_groups (code, name) VALUES ('general', 'General') RETURNING id`, nil, &group))
	id := int64(0)
	for _, w := range []struct {
		id   int64
		code string
	}{{s.A, "a"}, {s.B, "b"}, {s.C, "c"}} {
		for i := range PerWebsite {
			id++
			country := "SE"
			if id%2 == 1 {
				country = "NO"
			}
			_, err := db.Exec(ctx, d, `INSERT INTO customers (id, website_id, group_id, email, first_name, last_name, created_at, phone, country)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, id, w.id, group,
				fmt.Sprintf("%s%d@%s.example.com", w.code, i, w.code), "First"+w.code, fmt.Sprintf("Last%s%02d", w.code, i),
				time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(id)*time.Hour), fmt.Sprintf("+46 %s %d", w.code, i), country)
			require.NoError(t, err)
			s.Customers[w.id] = append(s.Customers[w.id], id)
		}
	}
	m := segment.NewManager(d, func(context.Context, bun.Tx, []int64, actor.Actor, bool) (int64, error) { return 0, nil })
	create := func(name string, websites ...int64) int64 {
		id, err := m.Create(ctx, segment.Input{Name: name, Active: true, WebsiteIDs: websites, Conditions: EveryCustomer()})
		require.NoError(t, err)
		return id
	}
	s.OnlyA = create("Only A", s.A)
	s.OnlyB = create("Only B", s.B)
	s.MixedAB = create("Mixed A and B", s.A, s.B)
	s.All = create("Everywhere", s.A, s.B, s.C)
	s.Refresh(t)
	return s
}

// Refresh refreshes every segment.
func (s *Store) Refresh(t testing.TB) {
	t.Helper()
	_, err := segment.NewRefresher(s.DB).Refresh(auth.AsSystem(context.Background()),
		[]int64{s.OnlyA, s.OnlyB, s.MixedAB, s.All}, segment.RefreshOptions{Now: time.Now(), TimeZone: "UTC"})
	require.NoError(t, err)
}

// SameAsUnknown asserts that hidden, the error about hiddenID (a segment
// the principal does not see), is NOT_FOUND and reads exactly as unknown,
// the error about unknownID (no such segment).
func SameAsUnknown(t testing.TB, hidden error, hiddenID int64, unknown error, unknownID int64) {
	t.Helper()
	h, ok := apperr.As(hidden)
	require.True(t, ok, "%v", hidden)
	u, ok := apperr.As(unknown)
	require.True(t, ok, "%v", unknown)
	require.Equal(t, apperr.NotFound, h.Kind)
	require.Equal(t, u.Kind, h.Kind)
	require.Equal(t, strings.ReplaceAll(u.Message, fmt.Sprint(unknownID), "N"), strings.ReplaceAll(h.Message, fmt.Sprint(hiddenID), "N"))
}
