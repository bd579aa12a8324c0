package export

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/db/dbtest"
)

var testKey = []byte("0123456789abcdef0123456789abcdef")

func TestSignerURLAndCheck(t *testing.T) {
	s := NewSigner(testKey)
	now := time.Unix(1_800_000_000, 0)
	exp := now.Add(time.Hour)
	name := "customer-segments 3 åäö/x?.csv"

	link := s.URL("https://shop.example/", 42, name, exp)
	require.True(t, strings.HasPrefix(link, "https://shop.example/exports/42/"), link)
	u, err := url.Parse(link)
	require.NoError(t, err)
	require.Equal(t, "/exports/42/"+name, u.Path, "the name is one escaped path segment")
	require.Equal(t, "/exports/42/customer-segments%203%20%C3%A5%C3%A4%C3%B6%2Fx%3F.csv", u.EscapedPath())
	require.Equal(t, strconv.FormatInt(exp.Unix(), 10), u.Query().Get("expires"))
	sig := u.Query().Get("sig")
	require.Len(t, sig, 64)
	expires := u.Query().Get("expires")

	require.NoError(t, s.Check(42, name, expires, sig, now))
	require.NoError(t, s.Check(42, name, expires, strings.ToUpper(sig), now), "hex case does not matter")
	require.NoError(t, s.Check(42, name, expires, sig, exp.Add(-time.Second)))
	require.ErrorIs(t, s.Check(42, name, expires, sig, exp), ErrLinkExpired)
	require.ErrorIs(t, s.Check(42, name, expires, sig, exp.Add(time.Hour)), ErrLinkExpired)

	flip := []byte(sig)
	if flip[0] == 'a' {
		flip[0] = 'b'
	} else {
		flip[0] = 'a'
	}
	invalid := map[string]error{
		"another id":           s.Check(43, name, expires, sig, now),
		"another name":         s.Check(42, name+"x", expires, sig, now),
		"later expiry":         s.Check(42, name, strconv.FormatInt(exp.Unix()+3600, 10), sig, now),
		"non-canonical expiry": s.Check(42, name, "+"+expires, sig, now),
		"leading zero":         s.Check(42, name, "0"+expires, sig, now),
		"empty expiry":         s.Check(42, name, "", sig, now),
		"flipped sig":          s.Check(42, name, expires, string(flip), now),
		"short sig":            s.Check(42, name, expires, sig[:62], now),
		"empty sig":            s.Check(42, name, expires, "", now),
		"not hex":              s.Check(42, name, expires, strings.Repeat("zz", 32), now),
		"other key":            NewSigner([]byte(strings.Repeat("k", 32))).Check(42, name, expires, sig, now),
		// An edited expiry in the past is still a forgery, not "expired".
		"earlier expiry": s.Check(42, name, strconv.FormatInt(now.Unix()-10, 10), sig, now),
	}
	for what, err := range invalid {
		require.ErrorIs(t, err, ErrLinkInvalid, what)
	}

	require.Panics(t, func() { NewSigner([]byte("short")) })
}

// settingsTable makes sure the settings table exists (its migration may not
// have landed yet in every checkout).
func settingsTable(t *testing.T, pool *pgxpool.Pool) {
	t.Helper()
	_, err := pool.Exec(context.Background(), `CREATE TABLE IF NOT EXISTS settings (name text PRIMARY KEY, value text NOT NULL)`)
	require.NoError(t, err)
}

func TestSigningKey(t *testing.T) {
	ctx := context.Background()
	d := dbtest.New(t)
	settingsTable(t, d.Pool)

	t.Run("configured", func(t *testing.T) {
		conf := strings.Repeat("c", 32)
		key, err := SigningKey(ctx, d, conf)
		require.NoError(t, err)
		require.Equal(t, []byte(conf), key)

		_, err = SigningKey(ctx, d, strings.Repeat("c", 31))
		require.ErrorContains(t, err, "SIGNING_KEY")

		var n int
		require.NoError(t, d.Pool.QueryRow(ctx, `SELECT count(*) FROM settings WHERE name = 'signing_key'`).Scan(&n))
		require.Zero(t, n, "a configured key stores nothing")
	})

	t.Run("generated once and kept", func(t *testing.T) {
		k1, err := SigningKey(ctx, d, "")
		require.NoError(t, err)
		require.Len(t, k1, 64, "32 random bytes, hex")
		k2, err := SigningKey(ctx, d, "")
		require.NoError(t, err)
		require.Equal(t, k1, k2)

		// Another instance: its own pool on the same database.
		pool, err := pgxpool.New(ctx, d.Pool.Config().ConnString())
		require.NoError(t, err)
		other := db.FromPool(pool)
		defer other.Close()
		k3, err := SigningKey(ctx, other, "")
		require.NoError(t, err)
		require.Equal(t, k1, k3)

		var stored string
		require.NoError(t, d.Pool.QueryRow(ctx, `SELECT value FROM settings WHERE name = 'signing_key'`).Scan(&stored))
		require.Equal(t, string(k1), stored)
	})

	t.Run("concurrent first use agrees", func(t *testing.T) {
		_, err := d.Pool.Exec(ctx, `DELETE FROM settings WHERE name = 'signing_key'`)
		require.NoError(t, err)
		keys := make(chan []byte, 8)
		errs := make(chan error, 8)
		for range 8 {
			go func() {
				k, err := SigningKey(ctx, d, "")
				keys <- k
				errs <- err
			}()
		}
		var first []byte
		for range 8 {
			require.NoError(t, <-errs)
			k := <-keys
			if first == nil {
				first = k
			}
			require.Equal(t, first, k)
		}
	})
}
