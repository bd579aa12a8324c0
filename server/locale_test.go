package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/db"
)

// runEnv runs one command with env added to DATABASE_URL and returns its
// log.
func (c *cli) runEnv(env map[string]string, args ...string) (string, error) {
	var out, errs bytes.Buffer
	env["DATABASE_URL"] = c.url
	err := runWith(context.Background(), args, func(k string) (string, bool) { v, ok := env[k]; return v, ok },
		stdio{in: strings.NewReader(""), out: &out, err: &errs})
	return errs.String(), err
}

func TestMigrateAppliesStoreLocale(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	ctx := context.Background()
	locale := func() string {
		l, err := db.StoreLocale(ctx, c.d)
		require.NoError(t, err)
		return l
	}

	log, err := c.runEnv(map[string]string{"STORE_LOCALE": "sv_SE"}, "migrate")
	require.NoError(t, err, log)
	require.Contains(t, log, "store locale changed")
	require.Contains(t, log, "from=und to=sv-SE")
	require.Contains(t, log, "customers_name")
	require.Equal(t, "sv-SE", locale())

	// Again: nothing to rebuild.
	log, err = c.runEnv(map[string]string{"STORE_LOCALE": "sv-SE"}, "migrate")
	require.NoError(t, err, log)
	require.NotContains(t, log, "store locale changed")

	// Commands other than serve and migrate keep the database's locale,
	// whatever their environment says.
	log, err = c.runEnv(map[string]string{}, "user", "list")
	require.NoError(t, err, log)
	require.Equal(t, "sv-SE", locale())

	// A language PostgreSQL's ICU does not know stops migrate, naming the
	// setting, and changes nothing.
	_, err = c.runEnv(map[string]string{"STORE_LOCALE": "tlh"}, "migrate")
	require.ErrorContains(t, err, `STORE_LOCALE "tlh"`)
	require.Equal(t, "sv-SE", locale())

	_, err = c.runEnv(map[string]string{"STORE_LOCALE": "Swedish"}, "migrate")
	require.ErrorContains(t, err, `STORE_LOCALE (-store-locale) "Swedish" is not a BCP 47 language tag`)
}
